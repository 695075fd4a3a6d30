"""Signed protocols: the PDF is rendered once at signing, stored with its SHA-256 and served from storage
afterwards; the page shows the hash; the document never changes."""

import hashlib

import pytest
from django.db import IntegrityError, transaction
from django.db.models.deletion import ProtectedError
from django.urls import reverse

from meetings.models import Protocol, SignedProtocolError
from meetings.services import protocol_sign
from meetings.signals import protocol_signed
from reports import protocol_pdf as protocols
from reports.models import ProtocolDocument
from reports.receivers import store_signed_protocol_pdf
from tests.reports.pdf_helpers import pdf_text


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def renders(monkeypatch):
    """Counts the PDFs of protocols rendered (every protocol and extract goes through protocol_pdf.render_pdf)."""
    calls = []
    original = protocols.render_pdf

    def counting(template_name, context, **kwargs):
        calls.append(template_name)
        return original(template_name, context, **kwargs)

    monkeypatch.setattr(protocols, "render_pdf", counting)
    return calls


def stored_files(media):
    folder = media / "protocols"
    return sorted(folder.iterdir()) if folder.exists() else []


def pdf_url(protocol):
    return reverse("reports:protocol_pdf", kwargs={"meeting_pk": protocol.meeting_id})


def test_signing_stores_the_pdf_with_its_sha256(draft_protocol, leader, renders, media):
    signed = protocol_sign(protocol=draft_protocol, user=leader.user)
    assert renders == [protocols.PROTOCOL_TEMPLATE]
    document = ProtocolDocument.objects.get(protocol=signed)
    data = document.read()
    assert data.startswith(b"%PDF-")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size == len(data)
    assert document.file.name.startswith("protocols/") and document.file.name.endswith(".pdf")
    assert stored_files(media) == [media / document.file.name]
    text = pdf_text(data)
    assert "ПРОЕКТ" not in text
    assert "Подписан: О.В. Смирнова" in text


def test_downloads_serve_the_stored_bytes_without_rendering_again(client, draft_protocol, leader, member, renders):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    document = ProtocolDocument.objects.get(protocol=draft_protocol)
    assert len(renders) == 1
    client.force_login(member.user)
    first = client.get(pdf_url(draft_protocol))
    second = client.get(pdf_url(draft_protocol))
    assert first.status_code == second.status_code == 200
    assert first.content == second.content == document.read()
    assert hashlib.sha256(first.content).hexdigest() == document.sha256
    assert len(renders) == 1  # served from storage, not rendered again


def test_stored_document_is_served_even_when_rendering_would_now_differ_or_fail(
    client, draft_protocol, leader, member, monkeypatch
):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    stored = ProtocolDocument.objects.get(protocol=draft_protocol).read()

    def broken(*args, **kwargs):
        raise AssertionError("a signed protocol must not be rendered again")

    monkeypatch.setattr(protocols, "render_pdf", broken)
    monkeypatch.setattr(protocols, "PROTOCOL_TEMPLATE", "reports/pdf/no-such-template.html")
    client.force_login(member.user)
    response = client.get(pdf_url(draft_protocol))
    assert response.status_code == 200
    assert response.content == stored


def test_the_meeting_page_shows_the_hash(client, draft_protocol, leader, member):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    document = ProtocolDocument.objects.get(protocol=draft_protocol)
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"meeting_pk": draft_protocol.meeting_id})).content.decode()
    assert f'SHA-256: <span class="sign-hash">{document.sha256}</span>' in page
    assert pdf_url(draft_protocol) in page


def test_draft_page_shows_no_hash(client, draft_protocol, member):
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"meeting_pk": draft_protocol.meeting_id})).content.decode()
    assert "SHA-256" not in page


def test_rendering_failure_rolls_the_signing_back(draft_protocol, leader, monkeypatch, media):
    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint failed")

    monkeypatch.setattr(protocols, "render_pdf", broken)
    with pytest.raises(RuntimeError, match="WeasyPrint failed"):
        protocol_sign(protocol=draft_protocol, user=leader.user)
    protocol = Protocol.objects.get(pk=draft_protocol.pk)
    assert protocol.signed_at is None and protocol.signed_by is None
    assert not ProtocolDocument.objects.exists()
    assert stored_files(media) == []


def test_storage_failure_rolls_the_signing_back_and_leaves_no_file(draft_protocol, leader, monkeypatch, media):
    original_save = ProtocolDocument.save

    def failing_save(self, *args, **kwargs):
        original_save(self, *args, **kwargs)
        raise OSError("disk full")

    monkeypatch.setattr(ProtocolDocument, "save", failing_save)
    with pytest.raises(OSError, match="disk full"):
        protocol_sign(protocol=draft_protocol, user=leader.user)
    assert Protocol.objects.get(pk=draft_protocol.pk).signed_at is None
    assert not ProtocolDocument.objects.exists()
    assert stored_files(media) == []


def test_the_document_cannot_be_changed_or_deleted(signed_protocol):
    document = ProtocolDocument.objects.get(protocol=signed_protocol)
    original = (document.sha256, document.size, document.file.name)
    document.sha256 = "0" * 64
    with pytest.raises(SignedProtocolError):
        document.save()
    with pytest.raises(SignedProtocolError):
        document.delete()
    with pytest.raises(SignedProtocolError):
        ProtocolDocument.objects.filter(pk=document.pk).update(sha256="0" * 64)
    with pytest.raises(SignedProtocolError):
        ProtocolDocument.objects.filter(pk=document.pk).delete()
    with pytest.raises((SignedProtocolError, ProtectedError)):
        Protocol.objects.get(pk=signed_protocol.pk).delete()
    stored = ProtocolDocument.objects.get(pk=document.pk)
    assert (stored.sha256, stored.size, stored.file.name) == original


def test_a_second_document_for_the_same_protocol_is_refused(signed_protocol):
    document = ProtocolDocument.objects.get(protocol=signed_protocol)
    with pytest.raises(IntegrityError), transaction.atomic():
        ProtocolDocument.objects.create(protocol=signed_protocol, file=document.file.name, sha256="1" * 64, size=1)
    assert ProtocolDocument.objects.filter(protocol=signed_protocol).count() == 1


def test_a_tampered_file_is_not_served(client, signed_protocol, member, media):
    document = ProtocolDocument.objects.get(protocol=signed_protocol)
    (media / document.file.name).write_bytes(b"%PDF-1.7 forged")
    client.force_login(member.user)
    assert client.get(pdf_url(signed_protocol)).status_code == 404


def test_a_protocol_signed_before_documents_were_stored_gets_its_document_once(
    client, draft_protocol, leader, member, renders
):
    protocol_signed.disconnect(store_signed_protocol_pdf, sender=Protocol, dispatch_uid="reports_store_signed_pdf")
    try:
        protocol_sign(protocol=draft_protocol, user=leader.user)
    finally:
        protocol_signed.connect(store_signed_protocol_pdf, sender=Protocol, dispatch_uid="reports_store_signed_pdf")
    assert not ProtocolDocument.objects.exists() and renders == []
    client.force_login(member.user)
    first = client.get(pdf_url(draft_protocol)).content
    second = client.get(pdf_url(draft_protocol)).content
    assert first == second == ProtocolDocument.objects.get(protocol=draft_protocol).read()
    assert len(renders) == 1
