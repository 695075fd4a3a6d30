"""Bounded rendering (issue 12, item 10): the largest protocol the limits allow renders within a stated time budget,
an unchanged draft is laid out once, and a document too large (data from before the limits) is a 413 page.

Time budget: the largest allowed protocol (tests/reports/max_case.py: 30 questions, 100,000 characters of text, 40
members) is laid out in at most ``BUDGET_SECONDS`` of CPU on one core, a third of gunicorn's 60-second timeout
(measured on the shared 2-core CI machine: see the figures printed with ``-s``).
"""

from __future__ import annotations

import resource
import time

import pytest
from django.urls import reverse

from meetings.models import AgendaItem, Decision
from pos_portal import limits
from reports import pdf
from tests.browser_forms import login
from tests.reports.max_case import build_max_protocol
from tests.reports.pdf_helpers import pdf_text, reader

pytestmark = pytest.mark.django_db

BUDGET_SECONDS = 20
MAX_PAGES = 60


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def layouts(monkeypatch):
    """The number of times WeasyPrint lays out a document."""
    calls = []
    real = pdf.layout

    def counting(html, paths, **options):  # options: ``archival`` (a stored signed document is PDF/A)
        calls.append(len(html))
        return real(html, paths, **options)

    monkeypatch.setattr(pdf, "layout", counting)
    return calls


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def test_the_largest_allowed_protocol_renders_within_the_budget(client, community, leader, layouts):
    protocol = build_max_protocol(community, leader)
    login(client, leader)
    url = reverse("reports:protocol_pdf", kwargs={"meeting_pk": protocol.meeting_id})

    wall, cpu = time.perf_counter(), cpu_seconds()
    response = client.get(url)
    wall, cpu = time.perf_counter() - wall, cpu_seconds() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    again = time.perf_counter()
    repeated = client.get(url)
    again = time.perf_counter() - again

    data = response.content
    pages = len(reader(data).pages)
    print(
        f"\nmax case: {limits.QUESTIONS} questions, {protocol.meeting.protocol_text_length()} characters, "
        f"HTML {layouts[0]} characters: {wall:.1f} s wall, {cpu:.1f} s CPU, {pages} pages, {len(data) // 1024} KB, "
        f"peak RSS {peak_mb:.0f} MB; asked again: {again:.2f} s wall, laid out {len(layouts)} time(s)"
    )
    assert repeated.content == data
    assert len(layouts) == 1
    assert response.status_code == 200
    assert cpu < BUDGET_SECONDS
    assert pages <= MAX_PAGES
    assert layouts[0] < limits.DOCUMENT_HTML / 2  # the guard leaves room: it refuses only what the limits never let in
    text = pdf_text(data)
    assert f"{limits.QUESTIONS}." in text and "ПРОЕКТ" in text


def test_an_unchanged_draft_is_laid_out_once_and_again_after_a_change(client, draft_protocol, leader, layouts):
    login(client, leader)
    url = reverse("reports:protocol_pdf", kwargs={"meeting_pk": draft_protocol.meeting_id})

    first = client.get(url)
    second = client.get(url)
    assert len(layouts) == 1
    assert first.content == second.content

    decision = Decision.objects.get(agenda_item__meeting=draft_protocol.meeting)
    decision.text = "Рекомендовать опыт к распространению."
    decision.save()
    third = client.get(url)

    assert len(layouts) == 2
    assert "Рекомендовать опыт к распространению." in pdf_text(third.content)
    assert "Рекомендовать опыт к распространению." not in pdf_text(first.content)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("ф" * 200_000, "слово длиной 200000 знаков без пробела", id="a 200 KB word"),
        pytest.param("слово " * 120_000, "знаков разметки при допустимых 600000", id="720 KB of words"),
    ],
)
def test_a_document_too_large_is_a_413_page_before_any_layout(client, draft_protocol, leader, layouts, text, says):
    # Data from before the limits, written around the model's checks (the issue's 200 KB word gave a 500 after 61 s).
    item = AgendaItem.objects.get(meeting=draft_protocol.meeting)
    Decision.objects.filter(agenda_item=item).update(text=text)
    login(client, leader)

    started = time.perf_counter()
    response = client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": draft_protocol.meeting_id}))

    took = time.perf_counter() - started
    print(f"\nrefused before layout in {took:.2f} s wall")
    assert took < 5
    assert response.status_code == 413
    assert layouts == []
    page = response.content.decode()
    assert "Документ слишком большой" in page
    assert "Сократите тексты документа" in page
    assert says in page


def test_the_guard_reads_the_text_not_the_markup(layouts):
    """A long data: URI in an attribute (an image) is no word of the text; a long word of the text is."""
    image = f'<img alt="" src="data:image/png;base64,{"A" * 5000}">'
    pdf.check_size(f"<p>{image} Слово.</p>")
    with pytest.raises(pdf.DocumentTooLarge):
        pdf.check_size(f"<p>{'а' * limits.DOCUMENT_WORD}</p>")
    with pytest.raises(pdf.DocumentTooLarge):
        pdf.html_to_pdf("<p>" + "а " * limits.DOCUMENT_HTML + "</p>")
    assert layouts == []
