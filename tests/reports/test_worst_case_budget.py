"""The worst case of a real district (issue 12, item 10; tests/reports/worst_case.py: 39 present, 6 absent, 3 guests,
8 questions, a decision of 2,500 characters) renders within the budgets of tests/reports/budget.py through the
portal's own URLs: the draft's PDF asked for the first time (laid out), asked again (from the cache) and the
signing, which lays out the stored document (PDF/A-3b, tagged, with the QR code of its check page). The figures are
printed (``pytest -s``)."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from meetings.models import Protocol
from reports import pdf
from reports.models import ProtocolDocument
from tests.browser_forms import form_fields
from tests.reports import budget
from tests.reports.pdf_helpers import pdf_text, reader, xmp
from tests.reports.worst_case import build_worst_case

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()


@pytest.fixture
def layouts(monkeypatch):
    """The documents WeasyPrint lays out: (characters of HTML, archival)."""
    calls = []
    real = pdf.layout

    def counting(html, paths, *, archival=False):
        calls.append((len(html), archival))
        return real(html, paths, archival=archival)

    monkeypatch.setattr(pdf, "layout", counting)
    return calls


@pytest.fixture
def worst_case(client):
    protocol = build_worst_case()
    client.force_login(protocol.chair.user)
    return protocol


def test_the_worst_case_draft_renders_within_the_budget_and_again_from_the_cache(client, worst_case, layouts):
    url = reverse("reports:protocol_pdf", kwargs={"meeting_pk": worst_case.meeting_id})
    client.get(reverse("home"))  # the first request of the process (URLs, templates) is not the document's

    first = budget.measure(lambda: client.get(url))
    cached = budget.measure(lambda: client.get(url))

    data = first.result.content
    pages = len(reader(data).pages)
    print(
        f"\nworst case, first request (laid out): {first.figures()}, {pages} pages, {len(data) // 1024} KB, "
        f"HTML {layouts[0][0]} characters; again (from the cache): {cached.figures()}"
    )
    assert first.result.status_code == cached.result.status_code == 200
    assert cached.result.content == data
    assert layouts == [(layouts[0][0], False)]  # laid out once, the second answer is the cached bytes
    assert first.within(budget.WORST_CASE_CPU)
    assert cached.within(budget.CACHED_CPU)
    assert pages <= budget.WORST_CASE_PAGES
    text = pdf_text(data)
    assert "ПРОЕКТ" in text and "Присутствовали: 39" in re.sub(r"\s+", " ", text)


def test_signing_the_worst_case_stores_its_archival_document_within_the_budget(client, worst_case, layouts):
    sign_url = reverse("meetings:sign", kwargs={"meeting_pk": worst_case.meeting_id})
    fields = form_fields(client.get(sign_url))

    signing = budget.measure(lambda: client.post(sign_url, fields))

    assert signing.result.status_code == 302
    protocol = Protocol.objects.get(pk=worst_case.pk)
    assert protocol.is_signed
    data = ProtocolDocument.objects.get(protocol=protocol).read()
    pages = len(reader(data).pages)
    archival = [length for length, is_archival in layouts if is_archival]
    print(
        f"\nworst case, signing (stored PDF/A-3b, tagged, QR): {signing.figures()}, {pages} pages, "
        f"{len(data) // 1024} KB, {len(layouts)} layout(s), HTML {archival} characters"
    )
    assert len(archival) == 1
    assert signing.within(budget.SIGNING_CPU)
    assert pages <= budget.WORST_CASE_PAGES
    assert 'pdfaid:part="3"' in xmp(data)
    root = reader(data).trailer["/Root"]
    assert "/StructTreeRoot" in root
    text = re.sub(r"\s+", " ", pdf_text(data))
    assert "Код проверки:" in text and "ПРОЕКТ" not in text
