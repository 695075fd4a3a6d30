"""The release of the running code, and the cache keys that carry it.

A cached page holds what its code and templates made of the data: after a deploy that changes them, a page cached
by the release before must not be served. So every key of the cache carries the release (``CACHES[...]
["KEY_FUNCTION"]``): a new release starts with an empty cache, and two releases behind one load balancer (a rolling
deploy) never read each other's pages.

The release is the ``RELEASE`` setting: the environment's ``RELEASE`` if set (a tag, a commit), else a short hash of
the code the cached pages are made by (``code_release``), the same on every server that runs the same code.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from django.conf import settings

#: What a cached page depends on: the code, the templates, the styles of the PDFs, the pinned libraries.
CODE_SUFFIXES = (".py", ".html", ".txt", ".css", ".js")
#: Folders of the project that no page is made by (the tests, the benchmarks, the docs, collected files, uploads).
SKIPPED_FOLDERS = {"tests", "bench", "docs", "staticfiles", "media", "node_modules", "__pycache__"}
#: The keys that are not a page's but a copy of a database row (``cached_db`` sessions) or a count of requests
#: (``pos_portal.rate_limit``): every release reads the same ones, so that a sign-out on a server of the new release
#: ends the session on the old one's too, and a deploy does not restart a limit.
RELEASE_FREE_PREFIXES = ("django.contrib.sessions.", "pos_portal.rate_limit.")


def _code_files(base_dir: Path) -> list[Path]:
    """The project's code files, relative to ``base_dir``, in a fixed order (hidden folders such as .git and .venv,
    and ``SKIPPED_FOLDERS``, are never entered)."""
    found = []
    for folder, subfolders, files in os.walk(base_dir):
        subfolders[:] = [name for name in subfolders if not name.startswith(".") and name not in SKIPPED_FOLDERS]
        found += [Path(folder, name).relative_to(base_dir) for name in files if name.endswith(CODE_SUFFIXES)]
    return sorted(found)


def code_release(base_dir: Path) -> str:
    """A short hash of the names and contents of the project's code, templates and styles (some 2 MB, a few ms at
    start-up): the same code gives the same release on every server, any change of it a new one."""
    digest = hashlib.sha256()
    for relative in _code_files(base_dir):
        digest.update(relative.as_posix().encode())
        digest.update(b"\0")
        digest.update(hashlib.sha256((base_dir / relative).read_bytes()).digest())
    return digest.hexdigest()[:12]


def cache_key(key: str, key_prefix: str, version: int) -> str:
    """Django's key (prefix, version, key) with the release after the prefix (``KEY_FUNCTION`` of the caches)."""
    if key.startswith(RELEASE_FREE_PREFIXES):
        return f"{key_prefix}:{version}:{key}"
    return f"{key_prefix}:{settings.RELEASE}:{version}:{key}"
