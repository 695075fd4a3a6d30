"""Work off the request (Django's Tasks API, ``django-tasks``): the district summary PDF.

A region's summary takes tens of seconds to build the first time (then it is cached per data version, day and
query), close to gunicorn's timeout. ``district_summary`` answers from the cache, or enqueues the build once (a
marker in the cache keeps a second request, or a second methodist, from enqueuing it again) and answers None: the
page says it is being prepared. With the immediate backend (development, tests, ``make run``) the task runs at
once and the first request already gets the PDF; with a queue (``TASKS_BACKEND``) a worker builds it.
"""

from __future__ import annotations

import datetime as dt

from django.core.cache import cache
from django.http import QueryDict
from django_tasks import task

from communities.data_version import cache_key, cached

SUMMARY_KIND = "district_summary_pdf"
#: How long a build may take before another request may enqueue it again (a worker that died with it).
SUMMARY_BUILD_SECONDS = 10 * 60
#: How soon the «being prepared» page looks again.
SUMMARY_RETRY_SECONDS = 5


def _key(querystring: str, today: dt.date, executor: list[str]) -> str:
    return cache_key(SUMMARY_KIND, today, querystring, *executor)


def district_summary(query, today: dt.date, executor: list[str]) -> bytes | None:
    """The summary PDF of ``query`` (a ``DashboardQuery``) on ``today``, compiled by ``executor`` (the methodist
    who asks, ``Signatory.parts()``: each has their own, with their name), if it is built, else None after making
    sure that its build is queued."""
    querystring = query.querystring()
    key = _key(querystring, today, executor)
    data = cache.get(key)
    if data is None and cache.add(f"{key}:building", True, SUMMARY_BUILD_SECONDS):
        build_district_summary.enqueue(querystring, today.isoformat(), list(executor))
        data = cache.get(key)
    return data


@task()
def build_district_summary(querystring: str, today: str, executor: list[str]) -> int:
    """Build the summary PDF and put it in the cache under the key ``district_summary`` reads; its size."""
    from reports.signatories import Signatory
    from reports.views.dashboard import DashboardQuery, summary_pdf

    day = dt.date.fromisoformat(today)
    query = DashboardQuery.from_params(QueryDict(querystring), day)
    key = _key(query.querystring(), day, executor)
    # The same key as _key's: a second task for it (two workers) finds the PDF there and builds nothing.
    parts = (day, query.querystring(), *executor)
    data = cached("district_summary_pdf", parts, lambda: summary_pdf(query, day, Signatory(*executor)))
    cache.delete(f"{key}:building")
    return len(data)
