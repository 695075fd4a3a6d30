"""Bounded rendering (issue 12, item 10): the largest protocol the limits allow renders within a stated time budget,
an unchanged draft is laid out once, and a document too large (data from before the limits) is a 413 page.

Time budget: the largest allowed protocol (tests/reports/max_case.py: 30 questions, 100,000 characters of text, 40
members) is laid out in at most ``budget.MAX_CASE_CPU`` seconds of CPU on one core, a third of gunicorn's 60-second
timeout, in at most ``budget.MAX_CASE_PAGES`` pages (the numbers live in tests/reports/budget.py, with the worst
case's; the figures are printed with ``-s``).
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
from tests.reports import budget
from tests.reports.docx_helpers import docx_text, open_docx
from tests.reports.max_case import build_max_protocol
from tests.reports.pdf_helpers import pdf_text, reader

pytestmark = pytest.mark.django_db


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


def test_the_largest_allowed_protocol_renders_within_the_budget(client, community, leader, layouts):
    protocol = build_max_protocol(community, leader)
    login(client, leader)
    url = reverse("reports:protocol_pdf", kwargs={"meeting_pk": protocol.meeting_id})

    first = budget.measure(lambda: client.get(url))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    again = budget.measure(lambda: client.get(url))

    response, repeated = first.result, again.result
    data = response.content
    pages = len(reader(data).pages)
    print(
        f"\nmax case: {limits.QUESTIONS} questions, {protocol.meeting.protocol_text_length()} characters, "
        f"HTML {layouts[0]} characters: {first.figures()}, {pages} pages, {len(data) // 1024} KB, "
        f"peak RSS {peak_mb:.0f} MB; asked again: {again.figures()}, laid out {len(layouts)} time(s)"
    )
    assert repeated.content == data
    assert len(layouts) == 1
    assert response.status_code == 200
    assert first.within(budget.MAX_CASE_CPU)
    assert again.within(budget.CACHED_CPU)
    assert pages <= budget.MAX_CASE_PAGES
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


@pytest.mark.parametrize(
    ("text", "says"),
    [
        pytest.param("ф" * 200_000, "слово длиной 200000 знаков без пробела", id="a 200 KB word"),
        pytest.param("слово " * 120_000, "знаков текста при допустимых 600000", id="720 KB of words"),
    ],
)
@pytest.mark.parametrize("name", ["reports:protocol_docx", "reports:extract_docx"])
def test_a_word_document_too_large_is_the_same_413_page(client, draft_protocol, leader, text, says, name):
    item = AgendaItem.objects.get(meeting=draft_protocol.meeting)
    Decision.objects.filter(agenda_item=item).update(text=text)
    login(client, leader)
    kwargs = {"meeting_pk": draft_protocol.meeting_id} if name == "reports:protocol_docx" else {"item_pk": item.pk}

    took = budget.measure(lambda: client.get(reverse(name, kwargs=kwargs)))

    print(f"\n{name} refused in {took.figures()}")
    response = took.result
    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "Документ слишком большой" in page
    assert says in page


def test_a_word_document_within_the_limits_is_given(client, draft_protocol, leader):
    item = AgendaItem.objects.get(meeting=draft_protocol.meeting)
    Decision.objects.filter(agenda_item=item).update(text="Принять к сведению. " * 200)
    login(client, leader)

    response = client.get(reverse("reports:protocol_docx", kwargs={"meeting_pk": draft_protocol.meeting_id}))

    assert response.status_code == 200
    assert "Принять к сведению." in docx_text(open_docx(response.content))


def test_the_word_guard_reads_the_text():
    pdf.check_text_size("слово " * 1000)
    with pytest.raises(pdf.DocumentTooLarge) as error:
        pdf.check_text_size("а" * limits.DOCUMENT_WORD)
    assert error.value.word == limits.DOCUMENT_WORD and not error.value.markup
    with pytest.raises(pdf.DocumentTooLarge):
        pdf.check_text_size("а " * limits.DOCUMENT_HTML)
