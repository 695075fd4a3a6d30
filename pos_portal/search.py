"""Case-insensitive search that folds Cyrillic case on SQLite too.

Django's ``icontains`` becomes ``LIKE`` on SQLite, and SQLite's LIKE folds only ASCII letters,
so «иванова» would not find «Иванова». On every new SQLite connection we replace SQLite's like(),
lower() and upper() with ones that fold case as Python does (SQLite lets an application override
them).
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


def _fold(method):
    def fold(value):
        return getattr(value, method)() if isinstance(value, str) else value

    return fold


def register_sqlite_functions(sender, connection, **kwargs):
    """Unicode-aware like(), lower() and upper() for SQLite (lower() also backs the
    case-insensitive unique name of a community)."""
    if connection.vendor == "sqlite":
        connection.connection.create_function("like", 2, sqlite_like, deterministic=True)
        connection.connection.create_function("like", 3, sqlite_like, deterministic=True)
        connection.connection.create_function("lower", 1, _fold("lower"), deterministic=True)
        connection.connection.create_function("upper", 1, _fold("upper"), deterministic=True)
