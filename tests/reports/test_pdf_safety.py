"""Safe rendering: the PDF renderer reads only the project's static files and data: URIs; user text is
escaped; nothing is requested over the network; nothing is attached."""

import base64
import os
import threading
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from meetings.models import Protocol, Speaker
from meetings.protocol_content import load_protocol
from meetings.services import protocol_sign
from reports import pdf
from reports.models import ProtocolDocument
from reports.models.verification import Verification
from reports.pdf import FETCHER, STATIC_SCHEME, UnsafeURLError, html_to_pdf, safe_url_fetcher
from reports.protocol_pdf import render_extract_pdf, render_protocol_pdf
from tests.conftest import build_protocol
from tests.factories import (
    AssignmentFactory,
    AttendanceFactory,
    GuestFactory,
    MembershipFactory,
    SpeakerFactory,
    TeacherFactory,
)
from tests.reports.pdf_helpers import counting_http_server, pdf_text, reader

FONT = "fonts/liberation-serif/LiberationSerif-Regular.ttf"
STATIC = Path(django_settings.BASE_DIR) / "static"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def fetched(monkeypatch):
    """Every URL WeasyPrint asks the fetcher for, and whether it was served."""
    calls = []
    original = pdf.safe_url_fetcher

    def recording(url, *args, **kwargs):
        try:
            response = original(url, *args, **kwargs)
        except Exception:
            calls.append((url, False))
            raise
        calls.append((url, True))
        return response

    monkeypatch.setattr(pdf, "safe_url_fetcher", recording)
    monkeypatch.setattr(pdf, "_prepared", threading.local())  # fonts and stylesheets loaded afresh, and seen
    return calls


def hostile(server_url: str) -> str:
    return (
        f'<img src="file:///etc/hostname"> <link rel="attachment" href="file:///etc/passwd"> '
        f'<img src="{server_url}/x.png"> {server_url}/plain.png'
    )


def hostile_protocol(community, leader, member, text) -> Protocol:
    protocol = build_protocol(community, leader, [leader, member], questions=2)
    protocol.place = f"г. Тутаев {text}"
    protocol.attachments = text
    protocol.save()
    meeting = protocol.meeting
    for item in meeting.agenda.all():
        item.question = f"Вопрос {text}"
        item.heard = text
        item.save()
        SpeakerFactory(agenda_item=item, order=2, teacher=None, full_name=text, position=text, organization=text)
        SpeakerFactory(agenda_item=item, order=3, part=Speaker.Part.SPOKE, teacher=None, full_name=text, text=text)
        decision = item.decisions.get()
        decision.text = f"Решение {text}"
        decision.save()
        AssignmentFactory(decision=decision, responsible=member, text=text)
    GuestFactory(meeting=meeting, full_name=text, position=text, organization=text)
    absent = TeacherFactory(surname="Орлова")
    MembershipFactory(teacher=absent, community=community)
    AttendanceFactory(meeting=meeting, teacher=absent, present=False, absence_reason=text)
    return protocol


def assert_clean(data: bytes, server, fetched, also_served=()):
    """``also_served``: what the document itself may load besides the fonts (a signed one: its QR code)."""
    assert data.startswith(b"%PDF-")
    assert server.requests == []
    assert reader(data).attachments == {}
    assert b"/EmbeddedFile" not in data
    assert b"/FileAttachment" not in data
    served = [url for url, ok in fetched if ok]
    assert served, "the vendored fonts are fetched through the safe fetcher"
    assert all(url.startswith(f"{STATIC_SCHEME}:fonts/liberation-serif/") or url in also_served for url in served)
    assert not [url for url, ok in fetched if not ok], "user text must not make WeasyPrint fetch anything"
    text = pdf_text(data)
    assert '<img src="file:///etc/hostname">' in text
    assert '<link rel="attachment" href="file:///etc/passwd">' in text
    assert f'<img src="{server.url}/x.png">' in text
    hostname = Path("/etc/hostname").read_text().strip() if Path("/etc/hostname").exists() else ""
    if len(hostname) > 3:
        assert hostname not in text.replace('"file:///etc/hostname"', "")
    assert "root:x:0:0" not in text


def test_hostile_protocol_text_is_printed_not_fetched(community, leader, member, fetched):
    with counting_http_server() as server:
        protocol = hostile_protocol(community, leader, member, hostile(server.url))
        loaded = load_protocol(protocol.pk)
        draft = render_protocol_pdf(loaded)
        extract = render_extract_pdf(loaded, loaded.meeting.agenda.all()[0])
        assert_clean(draft, server, fetched)
        assert_clean(extract, server, fetched)
        assert pdf_text(draft).count("<img src=") >= 10  # every field printed as text

        protocol_sign(protocol=protocol, user=leader.user)
        document = ProtocolDocument.objects.get(protocol=protocol)
        signed = document.read()
        assert_clean(signed, server, fetched, also_served=[Verification.for_code(document.verification_code).qr])
        assert server.requests == []


def test_the_counting_server_does_count(fetched):
    """The server used above is not deaf: a request made on purpose is counted (so zero means zero)."""
    import urllib.request

    with counting_http_server() as server:
        with urllib.request.urlopen(f"{server.url}/probe") as response:  # noqa: S310 - the test's own server
            response.read()
        assert server.requests == ["/probe"]


def test_markup_that_reaches_weasyprint_unescaped_still_fetches_and_attaches_nothing(fetched):
    """Belt and braces: even raw hostile HTML (as if a template forgot to escape) reads no file, requests nothing and
    embeds no attachment, including a data: one and one reached through <base href>."""
    with counting_http_server() as server:
        secret = base64.b64encode(b"secret attachment").decode()
        html = f"""<!doctype html><html><head>
            <base href="file:///etc/">
            <link rel="stylesheet" href="{server.url}/style.css">
            <link rel="attachment" href="file:///etc/passwd">
            <link rel="attachment" href="data:text/plain;base64,{secret}">
            <link rel="attachment" href="{server.url}/attached.txt">
            <style>@import url("{server.url}/import.css"); body {{ background: url("{server.url}/bg.png"); }}</style>
            </head><body>
            <p>Текст документа</p>
            <img src="file:///etc/hostname"><img src="hostname"><img src="../../../etc/passwd">
            <img src="{server.url}/x.png"><img src="https://127.0.0.1:1/y.png"><img src="ftp://127.0.0.1/z.png">
            <img src="pos-static:../../../../etc/passwd"><img src="pos-static:fonts/../../../etc/passwd">
            <a rel="attachment" href="data:text/plain;base64,{secret}">вложение</a>
            <a rel="attachment" href="file:///etc/passwd">passwd</a>
            <iframe src="{server.url}/frame"></iframe><object data="{server.url}/object"></object>
            <svg><image href="{server.url}/svg.png" width="10" height="10"/></svg>
            </body></html>"""
        data = html_to_pdf(html)
        assert server.requests == []
    assert reader(data).attachments == {}
    assert b"/EmbeddedFile" not in data
    assert b"secret attachment" not in data
    assert "Текст документа" in pdf_text(data)
    served = [url for url, ok in fetched if ok]
    assert all(url.startswith(f"{STATIC_SCHEME}:fonts/") for url in served)
    refused = [url for url, ok in fetched if not ok]
    assert any("127.0.0.1" in url for url in refused)  # WeasyPrint asked, the fetcher refused
    assert any(url.startswith("file:") for url in refused)


# --- The fetcher on its own ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///etc/hostname",
        "file://localhost/etc/passwd",
        "file://example.org/etc/passwd",
        f"file://{STATIC}/../manage.py",
        f"file://{STATIC}/fonts/liberation-serif/../../../pos_portal/settings.py",
        f"file://{STATIC}/%2e%2e/manage.py",
        "pos-static:../manage.py",
        "pos-static:/../../etc/passwd",
        "pos-static:fonts/../../manage.py",
        "pos-static:fonts/%2e%2e/%2e%2e/manage.py",
        "pos-static:fonts/liberation-serif",  # a directory
        "pos-static:fonts/no-such-font.ttf",
        "pos-static:fonts/liberation-serif/LiberationSerif-Regular.ttf%00.png",
        "pos-static:..\\manage.py",
        "http://127.0.0.1:9/x.png",
        "https://example.org/x.png",
        "ftp://127.0.0.1/x.png",
        "gopher://127.0.0.1/",
        "javascript:alert(1)",
        "fonts/liberation-serif/LiberationSerif-Regular.ttf",  # relative: never resolved against anything
        "//example.org/x.png",
        "",
    ],
)
def test_fetcher_refuses(url):
    with pytest.raises(UnsafeURLError):
        safe_url_fetcher(url)


def test_fetcher_refuses_http_without_touching_the_network():
    with counting_http_server() as server:
        for url in (f"{server.url}/x.png", f"{server.url}/redirect", server.url.replace("http:", "https:")):
            with pytest.raises(UnsafeURLError):
                safe_url_fetcher(url)
            with pytest.raises(UnsafeURLError):
                FETCHER(url)
        assert server.requests == []


def test_fetcher_serves_a_vendored_font():
    expected = (STATIC / FONT).read_bytes()
    for url in (f"pos-static:{FONT}", f"pos-static:/{FONT}", (STATIC / FONT).as_uri()):
        response = FETCHER(url)
        try:
            assert response.read() == expected
            assert response.content_type == "font/ttf"
        finally:
            response.close()


def test_fetcher_serves_data_uris():
    response = safe_url_fetcher("data:text/plain;base64," + base64.b64encode("Привет".encode()).decode())
    assert response.read().decode() == "Привет"
    assert response.content_type == "text/plain"
    assert safe_url_fetcher("data:,a%20b").read() == b"a b"


def test_fetcher_refuses_a_symlink_out_of_static(settings, tmp_path):
    static = tmp_path / "static"
    static.mkdir()
    (static / "own.css").write_text("p {}")
    outside = tmp_path / "secret.txt"
    outside.write_text("secret")
    os.symlink(outside, static / "link.css")
    os.symlink(tmp_path, static / "up")
    settings.STATICFILES_DIRS = [static]
    assert safe_url_fetcher("pos-static:own.css").read() == b"p {}"
    for url in ("pos-static:link.css", "pos-static:up/secret.txt", (static / "link.css").as_uri()):
        with pytest.raises(UnsafeURLError):
            safe_url_fetcher(url)


def test_fetcher_never_opens_anything_through_urllib():
    """No urllib handler is installed: even the inherited OpenerDirector machinery cannot reach the network."""
    assert FETCHER.handlers == []
    assert FETCHER._fail_on_errors is False
