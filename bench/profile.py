"""Where the benchmark's pages spend their database time: per page, the number of SQL queries, their total time,
and the slowest query with its plan (EXPLAIN ANALYZE). One request per page, in process, after a first one that
finds the reports cache empty, after a warm-up one (its queries and time are kept as «cold»: what the first
methodist after a change of the data waits). Run with the in-process cache (no REDIS_URL): it is cleared.

    DATABASE_URL=… python -m bench.profile pages.json profile.json

``pages.json`` is a list of {"key", "path", "username", "warmup"}; ``make bench`` (bench/run.py) writes it and reads the
result into docs/benchmarks.md.
"""

import json
import os
import sys
import time


class QueryRecorder:
    """A ``connection.execute_wrapper`` that times every query."""

    def __init__(self):
        self.queries = []  # (seconds, sql, params)

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append((time.perf_counter() - started, sql, params))


def explain(connection, sql, params) -> list[str]:
    with connection.cursor() as cursor:
        statement = cursor.cursor.mogrify(sql, params).decode()
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
        return [row[0] for row in cursor.fetchall()]


def profile(pages: list[dict]) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection

    if "LocMemCache" not in settings.CACHES["default"]["BACKEND"]:
        raise SystemExit("bench.profile clears the cache: run it with the in-process cache (no REDIS_URL)")
    from django.test import Client

    results = {}
    users = {}
    for page in pages:
        username = page["username"]
        if username not in users:
            users[username] = get_user_model().objects.get(username=username)
        client = Client(HTTP_HOST="127.0.0.1")
        client.force_login(users[username])
        if page.get("warmup", True):
            client.get(page["path"])  # templates compiled, lazily stored documents written
        cache.clear()  # the in-process cache only (bench/run.py leaves REDIS_URL out of this process)
        cold = QueryRecorder()
        started = time.perf_counter()
        with connection.execute_wrapper(cold):
            client.get(page["path"])  # the first request after a change of the data: an empty reports cache
        cold_wall = time.perf_counter() - started
        recorder = QueryRecorder()
        started = time.perf_counter()
        with connection.execute_wrapper(recorder):
            response = client.get(page["path"])
        wall = time.perf_counter() - started
        slowest = max(recorder.queries, default=None, key=lambda query: query[0])
        entry = {
            "status": response.status_code,
            "queries": len(recorder.queries),
            "sql_ms": round(sum(query[0] for query in recorder.queries) * 1000, 1),
            "wall_ms": round(wall * 1000, 1),
            "bytes": len(response.content),
            "cold_queries": len(cold.queries),
            "cold_ms": round(cold_wall * 1000, 1),
        }
        if slowest is not None:
            entry["slowest_ms"] = round(slowest[0] * 1000, 1)
            entry["slowest_sql"] = " ".join(slowest[1].split())[:400]
            if slowest[1].lstrip().upper().startswith("SELECT"):
                entry["plan"] = explain(connection, slowest[1], slowest[2])
        results[page["key"]] = entry
    return results


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 2:
        print(__doc__)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    with open(argv[0], encoding="utf-8") as handle:
        pages = json.load(handle)
    results = profile(pages)
    with open(argv[1], "w", encoding="utf-8") as handle:
        json.dump(results, handle, ensure_ascii=False, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
