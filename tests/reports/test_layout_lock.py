"""Two first requests for the same draft at once lay it out once (issue 12, item 10): the first takes a short lock
in the cache (``cache.add``), the second waits for its result; it lays the document out itself only when the lock
outlives ``reports.pdf.LAYOUT_LOCK_SECONDS`` or the first gives nothing to the cache."""

from __future__ import annotations

import threading
import time

import pytest
from django.core.cache import cache

from reports import pdf

HTML = "<p>Протокол № 1</p>"


@pytest.fixture
def slow_layouts(monkeypatch):
    """WeasyPrint replaced by a layout that takes half a second and says which call it was."""
    calls = []

    def slow(html, paths, *, archival=False):
        calls.append(threading.current_thread().name)
        time.sleep(0.5)
        return f"%PDF-{len(calls)}".encode()

    monkeypatch.setattr(pdf, "layout", slow)
    return calls


def at_once(count: int) -> list[bytes]:
    results: list[bytes] = [b""] * count
    start = threading.Barrier(count)

    def ask(index):
        start.wait()
        results[index] = pdf.html_to_pdf(HTML)

    threads = [threading.Thread(target=ask, args=(index,), name=f"request-{index}") for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_first_requests_at_once_lay_the_document_out_once(slow_layouts):
    results = at_once(2)

    assert len(slow_layouts) == 1
    assert results == [b"%PDF-1", b"%PDF-1"]
    assert pdf.html_to_pdf(HTML) == b"%PDF-1" and len(slow_layouts) == 1  # kept, and no lock left to wait on


def test_the_lock_is_released_when_the_layout_fails(monkeypatch):
    def failing(html, paths, *, archival=False):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(pdf, "layout", failing)
    with pytest.raises(RuntimeError):
        pdf.html_to_pdf(HTML)
    monkeypatch.setattr(pdf, "layout", lambda html, paths, *, archival=False: b"%PDF-again")

    started = time.perf_counter()
    assert pdf.html_to_pdf(HTML) == b"%PDF-again"
    assert time.perf_counter() - started < 1  # no wait for a lock nobody holds


def test_a_lock_that_outlives_its_time_does_not_keep_the_request_waiting(slow_layouts, monkeypatch):
    monkeypatch.setattr(pdf, "LAYOUT_LOCK_SECONDS", 1)
    monkeypatch.setattr(pdf, "cache", LockedCache(cache))

    started = time.perf_counter()
    data = pdf.html_to_pdf(HTML)

    waited = time.perf_counter() - started
    assert data == b"%PDF-1"
    assert len(slow_layouts) == 1
    assert 1 <= waited < 3


class LockedCache:
    """The cache as another request sees it while a third one holds the lock and never finishes."""

    def __init__(self, real):
        self.real = real

    def add(self, key, value, timeout=None):
        return False

    def get(self, key, default=None):
        return True if key.endswith(":laying-out") else self.real.get(key, default)

    def __getattr__(self, name):
        return getattr(self.real, name)
