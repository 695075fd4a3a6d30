"""The time budgets of the printed documents (issue 12, item 10), in one place: the tests that hold a document to a
budget (tests/reports/test_bounded_rendering.py: the largest allowed protocol; tests/reports/test_worst_case_budget.py:
the worst case of a real district, as a draft and at signing) read their numbers here, and docs/rules.md («Время
сборки документа») states them.

A document is laid out by WeasyPrint in the request, so every budget is a fraction of gunicorn's worker timeout
(:data:`WORKER_TIMEOUT`, gunicorn.conf.py): CPU seconds of this process (``time.process_time``, which a busy shared
machine does not inflate as it does the wall clock) and pages. The wall seconds are printed with the CPU seconds
(``pytest -s``) and checked against the timeout itself.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

#: gunicorn's worker timeout (gunicorn.conf.py, ``GUNICORN_TIMEOUT``): a request that takes longer is killed.
WORKER_TIMEOUT = 60

#: The largest protocol the limits allow (tests/reports/max_case.py): a third of the timeout, at most 60 pages.
MAX_CASE_CPU = WORKER_TIMEOUT / 3
MAX_CASE_PAGES = 60

#: The worst case of a real district (tests/reports/worst_case.py), a draft asked for the first time: laid out.
WORST_CASE_CPU = 5.0
WORST_CASE_PAGES = 12
#: The same draft asked for again unchanged: from the cache, nothing laid out.
CACHED_CPU = 0.5
#: Signing the worst case: the stored document (PDF/A-3b, tagged, with the QR code) is laid out in the request.
SIGNING_CPU = 5.0


@dataclass(frozen=True)
class Measured:
    result: Any
    cpu: float
    wall: float

    def within(self, cpu_budget: float) -> bool:
        """Within ``cpu_budget`` CPU seconds, and short of the worker timeout on the wall clock."""
        return self.cpu < cpu_budget and self.wall < WORKER_TIMEOUT

    def figures(self) -> str:
        return f"{self.cpu:.2f} s CPU, {self.wall:.2f} s wall"


def measure(action: Callable[[], Any]) -> Measured:
    """Run ``action`` and say how long it took, in CPU seconds of this process and in wall seconds."""
    cpu, wall = time.process_time(), time.perf_counter()
    result = action()
    return Measured(result, time.process_time() - cpu, time.perf_counter() - wall)
