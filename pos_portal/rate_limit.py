"""Counting requests in the shared cache (Redis in production, so every worker and app server counts together).

A fixed window: the first request of a key starts it, and ``allow`` answers False for every request past ``limit``
until ``window`` seconds after that first one. The key is hashed (an e-mail or an address never lies in the cache as
typed). Used by the password reset (pos_portal/password_reset.py) and the document check's misses
(reports/views/check.py).
"""

from __future__ import annotations

import hashlib

from django.core.cache import cache

PREFIX = "pos_portal.rate_limit."  # release-free (pos_portal/release.py): a deploy does not restart a limit


def _cache_key(scope: str, key: str) -> str:
    return f"{PREFIX}{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def exceeded(scope: str, key: str, *, limit: int) -> bool:
    """Whether ``key`` has already used its ``limit`` in ``scope``'s current window (counting nothing): a limit on
    failures (the document check's misses) refuses every request once reached, a success included."""
    return (cache.get(_cache_key(scope, key)) or 0) >= limit


def allow(scope: str, key: str, *, limit: int, window: int) -> bool:
    """Count one request of ``key`` in ``scope``; whether it is within ``limit`` requests per ``window`` seconds."""
    cache_key = _cache_key(scope, key)
    cache.add(cache_key, 0, timeout=window)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # the window ended between add and incr
        cache.set(cache_key, 1, timeout=window)
        hits = 1
    return hits <= limit
