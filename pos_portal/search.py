"""Case-insensitive search that folds Cyrillic case on SQLite too.

Django's ``icontains`` becomes ``LIKE`` on SQLite, and SQLite's LIKE folds only ASCII letters,
so «иванова» would not find «Иванова». On every new SQLite connection we replace SQLite's like()
with one that folds case as Python does (SQLite allows an application to override like()).
PostgreSQL needs nothing: Django uses UPPER(...) LIKE UPPER(...), which is Unicode-aware there.
"""

import re
from functools import lru_cache


@lru_cache(maxsize=256)
def _like_regex(pattern: str, escape: str | None) -> re.Pattern:
    parts = []
    chars = iter(pattern)
    for char in chars:
        if escape and char == escape:
            parts.append(re.escape(next(chars, "")))
        elif char == "%":
            parts.append(".*")
        elif char == "_":
            parts.append(".")
        else:
            parts.append(re.escape(char))
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def sqlite_like(pattern, value, escape=None):
    if pattern is None or value is None:
        return None
    return _like_regex(str(pattern), escape).fullmatch(str(value)) is not None


def register_sqlite_functions(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, sqlite_like, deterministic=True)
        connection.connection.create_function("like", 3, sqlite_like, deterministic=True)
