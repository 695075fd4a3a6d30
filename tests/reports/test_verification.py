"""A check on paper: the stored document of a signed protocol prints a verification code and a QR code of the
public page /check/<code>/, which confirms the number, the date, the community, the signer and the SHA-256 — and
nothing the document does not print. Lookups that miss are throttled per address."""

import hashlib
import re

import pytest
import qrcode
from django.core.cache import cache
from django.urls import reverse

from meetings.protocol_content import load_protocol
from meetings.services import protocol_correct, protocol_sign
from reports.models import CorrectionDocument, ProtocolDocument, VerifiableDocument
from reports.models.verification import ALPHABET, CODE_LENGTH, Verification, normalize_code, verifiable_models
from reports.protocol_pdf import render_protocol_pdf
from tests.conftest import build_protocol
from tests.reports.docx_helpers import docx_text, get_docx
from tests.reports.pdf_helpers import pdf_text, reader, xmp

BASE = "https://pos.example.ru"


@pytest.fixture(autouse=True)
def portal(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PORTAL_BASE_URL = BASE
    settings.DOCUMENT_CHECK_MISSES = 3
    cache.clear()


def stored(protocol) -> ProtocolDocument:
    return ProtocolDocument.objects.get(protocol=protocol)


def check_url(code: str) -> str:
    return reverse("reports:document_check", kwargs={"code": code})


def test_the_protocol_document_is_verifiable():
    assert issubclass(ProtocolDocument, VerifiableDocument) and VerifiableDocument._meta.abstract
    assert ProtocolDocument in verifiable_models()


def test_signing_gives_a_short_unique_code(community, leader, member, signed_protocol):
    code = stored(signed_protocol).verification_code
    assert len(code) == CODE_LENGTH and set(code) <= set(ALPHABET)
    assert not set(code) & set("01OIL")
    other = protocol_sign(protocol=build_protocol(community, leader, [leader, member]), user=leader.user)
    assert stored(other).verification_code != code


def test_the_stored_pdf_prints_the_code_the_address_and_a_qr_code(signed_protocol):
    document = stored(signed_protocol)
    data = document.read()
    text = re.sub(r"\s+", " ", pdf_text(data))
    code = document.verification_code
    assert f"{code[:5]} {code[5:]}" in text  # «Код проверки: AB3K7 MNP2Q»
    assert f"{BASE}/check/{code}/" in text.replace(" ", "")
    assert printed_qr_modules(data) == expected_qr_modules(f"{BASE}/check/{code}/")


MODULE = 0.8  # one module of pos_portal.qr's SVG (box size 8), in the SVG's own units


def printed_qr_modules(data: bytes) -> set[tuple[int, int]]:
    """The dark modules of the QR code drawn on the last page: WeasyPrint draws the SVG's path as one subpath per
    module, each starting («x y m») at the module's corner, in the SVG's units."""
    stream = reader(data).pages[-1].get_contents().get_data().decode("latin-1")
    corners = re.findall(r"(?<![\d.])(\d+(?:\.\d+)?) (\d+(?:\.\d+)?) m\b", stream)
    modules = set()
    for x, y in corners:
        column, row = float(x) / MODULE, float(y) / MODULE
        if 0 < column < 200 and abs(column - round(column)) < 1e-3 and abs(row - round(row)) < 1e-3:
            modules.add((round(column), round(row)))
    return modules


def expected_qr_modules(text: str) -> set[tuple[int, int]]:
    code = qrcode.QRCode()
    code.add_data(text)
    code.make(fit=True)
    return {(x, y) for y, line in enumerate(code.get_matrix()) for x, dark in enumerate(line) if dark}


def test_the_code_is_in_the_bytes_that_are_hashed(signed_protocol):
    document = stored(signed_protocol)
    data = document.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256
    again = render_protocol_pdf(
        load_protocol(signed_protocol.pk), archival=True, verification=Verification.for_code(document.verification_code)
    )
    assert again == data  # rendered with its code, the document is the same bytes


def test_a_draft_prints_no_code(client, draft_protocol, member):
    client.force_login(member.user)
    response = client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": draft_protocol.meeting_id}))
    assert "Код проверки" not in pdf_text(response.content)


def test_the_check_page_confirms_what_the_document_prints_and_needs_no_sign_in(client, signed_protocol):
    document = stored(signed_protocol)
    response = client.get(check_url(document.verification_code))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Протокол заседания № 1" in page
    assert signed_protocol.meeting.date.strftime("%d.%m.%Y") in page
    assert "ПОС учителей математики" in page
    assert "О.В. Смирнова" in page
    assert document.sha256 in page
    # Nothing the check does not need: no attendance, no agenda, no decision.
    assert "Кузнецов" not in page
    for question in signed_protocol.meeting.agenda.all():
        assert question.heard not in page
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_a_typed_code_in_any_case_and_with_spaces_is_found(client, signed_protocol):
    code = stored(signed_protocol).verification_code
    typed = f"{code[:5].lower()} - {code[5:]}"
    assert normalize_code(typed) == code
    response = client.get(reverse("reports:document_check_form"), {"code": typed})
    assert response.status_code == 302 and response["Location"] == check_url(code)
    assert client.get(check_url(code.lower())).status_code == 200


def test_a_code_that_is_not_one_keeps_what_was_typed(client, db):
    response = client.get(reverse("reports:document_check_form"), {"code": "abc"})
    assert response.status_code == 400
    assert 'value="abc"' in response.content.decode()
    assert "Код проверки — 10 букв и цифр" in response.content.decode()


def test_a_miss_is_a_404_and_misses_are_throttled_per_address(client, signed_protocol):
    code = stored(signed_protocol).verification_code
    for guess in ("AAAAAAAAAA", "BBBBBBBBBB", "zzz"):
        response = client.get(check_url(guess), REMOTE_ADDR="203.0.113.5")
        assert response.status_code == 404
        assert "не найден" in response.content.decode()
    # The limit is reached: this address is refused even a real code.
    response = client.get(check_url(code), REMOTE_ADDR="203.0.113.5")
    assert response.status_code == 429
    assert signed_protocol.meeting.community.name not in response.content.decode()
    # Another address is not.
    assert client.get(check_url(code), REMOTE_ADDR="203.0.113.6").status_code == 200


def test_hits_are_not_counted(client, signed_protocol):
    code = stored(signed_protocol).verification_code
    for _ in range(5):
        assert client.get(check_url(code), REMOTE_ADDR="203.0.113.7").status_code == 200


def test_the_word_copy_names_the_originals_check_page(client, signed_protocol, member):
    code = stored(signed_protocol).verification_code
    client.force_login(member.user)
    document = get_docx(client, reverse("reports:protocol_docx", kwargs={"meeting_pk": signed_protocol.meeting_id}))
    assert f"Проверка подлинника: {BASE}/check/{code}/" in docx_text(document)


def test_the_meeting_page_shows_the_code_with_the_hash(client, signed_protocol, member):
    code = stored(signed_protocol).verification_code
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"meeting_pk": signed_protocol.meeting_id})).content.decode()
    assert f'href="{check_url(code)}"' in page and "Код проверки: <a" in page


def test_a_correction_is_stored_archival_with_its_own_code_and_check(client, signed_protocol, leader):
    correction = protocol_correct(
        protocol=signed_protocol, author=leader, text="Читать «2025» вместо «2024».", reason="Опечатка"
    )
    document = CorrectionDocument.objects.get(correction=correction)
    code = document.verification_code
    assert code and code != stored(signed_protocol).verification_code
    data = document.read()
    assert f"{code[:5]} {code[5:]}" in re.sub(r"\s+", " ", pdf_text(data))
    assert 'pdfaid:part="3"' in xmp(data)
    page = client.get(check_url(code)).content.decode()
    assert "Исправление № 1 к протоколу № 1" in page
    assert document.sha256 in page and "О.В. Смирнова" in page
