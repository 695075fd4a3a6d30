"""Every PDF says what it is and who issued it (Title, Author = the organization, Subject, /Lang ru), from one place
(reports.document_meta); the stored document of a signed protocol is PDF/A-3b and tagged."""

import datetime as dt

import pytest
from django.urls import reverse

from communities.models import Community
from reports.models import ProtocolDocument
from reports.views import dashboard as dashboard_views
from tests.factories import OrganizationFactory, RegulationFactory
from tests.reports.pdf_helpers import reader, xmp

IOC = "«Информационно-образовательный центр» Тутаевского муниципального района"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def info(data: bytes):
    pdf = reader(data)
    return pdf.metadata, pdf.trailer["/Root"]


def test_a_draft_protocol_names_its_title_author_subject_and_language(client, draft_protocol, member):
    client.force_login(member.user)
    response = client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": draft_protocol.meeting_id}))
    metadata, root = info(response.content)
    assert metadata["/Title"].startswith(f"Протокол № {draft_protocol.number} от ")
    assert IOC in metadata["/Author"]  # a municipal community: the ИОЦ issues its documents
    assert metadata["/Subject"] == "Протокол заседания профессионального обучающегося сообщества"
    assert root["/Lang"] == "ru"
    assert "pdfaid" not in xmp(response.content)  # a draft is no archival copy


def test_an_institutional_community_names_its_own_organization(client, community, regulation_reader):
    community.level = Community.Level.INSTITUTIONAL
    community.organization = OrganizationFactory(full_name="МОУ «Средняя школа № 9»", short_name="МОУ СШ № 9")
    community.save()
    regulation = RegulationFactory(community=community, title="Положение о ПОС")
    client.force_login(regulation_reader.user)
    response = client.get(reverse("reports:sheet_pdf", kwargs={"regulation_pk": regulation.pk}))
    metadata, root = info(response.content)
    assert metadata["/Author"] == "МОУ «Средняя школа № 9»"
    assert metadata["/Title"] == "Лист ознакомления · Положение о ПОС"
    assert metadata["/Subject"] == "Лист ознакомления с документом"
    assert root["/Lang"] == "ru"


@pytest.fixture
def regulation_reader(member):
    return member


def test_the_district_summary_names_the_ioc(client, methodist, monkeypatch):
    monkeypatch.setattr(dashboard_views, "current_day", lambda: dt.date(2025, 3, 15))
    client.force_login(methodist)
    response = client.get(reverse("reports:district_summary_pdf"), {"year": "2024/2025"})
    metadata, root = info(response.content)
    assert "Информационно-образовательный центр" in metadata["/Author"]
    assert metadata["/Subject"] == "Сводка о деятельности профессиональных обучающихся сообществ"
    assert root["/Lang"] == "ru"


def test_the_stored_signed_protocol_is_pdf_a_3b_and_tagged(signed_protocol):
    data = ProtocolDocument.objects.get(protocol=signed_protocol).read()
    text = xmp(data)
    assert 'pdfaid:part="3"' in text and 'pdfaid:conformance="B"' in text
    metadata, root = info(data)
    assert bool(root["/MarkInfo"]["/Marked"])
    assert "/StructTreeRoot" in root
    assert metadata["/Title"].startswith("Протокол № ")
    assert IOC in metadata["/Author"]
    assert root["/Lang"] == "ru"
