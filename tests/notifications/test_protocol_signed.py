"""A signed protocol: every member gets it (link, PDF, receipt link), each responsible their assignments; once."""

import io

import pytest
from django.core import mail
from pypdf import PdfReader

from meetings.services import protocol_sign
from notifications.models import Outbox
from notifications.receivers import protocol_signed as protocol_signed_receiver
from tests.factories import AssignmentFactory
from tests.notifications.conftest import letters_to


def sign(protocol, leader, committed):
    with committed():
        return protocol_sign(protocol=protocol, user=leader.user)


def test_every_member_but_the_signer_gets_the_protocol_with_its_pdf(
    draft_protocol, leader, member, with_addresses, committed
):
    protocol = sign(draft_protocol, leader, committed)

    assert letters_to(mail.outbox, "smirnova@example.org") == []  # the signer
    [letter] = letters_to(mail.outbox, "kuznetsov@example.org")
    assert letter.subject == (
        f"Протокол № {protocol.number} от {protocol.meeting.date:%d.%m.%Y} подписан — «ПОС учителей математики»"
    )
    assert letter.from_email == "ИОЦ ТМР — ПОС-портал <webmaster@localhost>"  # the ИОЦ writes
    assert "Здравствуйте, Игорь Павлович!" in letter.body
    assert f"http://127.0.0.1:8000/meetings/{protocol.meeting_id}/" in letter.body
    assert f"Ознакомлен(а) с протоколом: http://127.0.0.1:8000/meetings/{protocol.meeting_id}/#receipt" in letter.body
    [(name, content, mimetype)] = letter.attachments
    assert (name, mimetype) == (f"protocol-{protocol.number}.pdf", "application/pdf")
    assert content == protocol.document.read()
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "ПРОТОКОЛ" in text.upper()
    html, html_type = letter.alternatives[0]
    assert html_type == "text/html" and "Игорь Павлович" in html
    assert letter.extra_headers["List-Unsubscribe"].startswith("<http://127.0.0.1:8000/notifications/unsubscribe/")
    assert letter.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_responsible_is_told_of_the_assignment_at_signing(
    draft_protocol, leader, member, with_addresses, committed
):
    decision = draft_protocol.meeting.agenda.get().decisions.get()
    AssignmentFactory(decision=decision, responsible=member, text="Провести открытый урок по дробям.")

    sign(draft_protocol, leader, committed)

    subjects = sorted(letter.subject for letter in letters_to(mail.outbox, "kuznetsov@example.org"))
    assert subjects[0] == "Вам дано поручение до 01.12.2024 — «ПОС учителей математики»"
    given = next(letter for letter in mail.outbox if letter.subject.startswith("Вам дано"))
    assert "Провести открытый урок по дробям." in given.body
    assert "http://127.0.0.1:8000/assignments/#assignment-" in given.body


def test_a_draft_assignment_mails_nobody(draft_protocol, leader, member, with_addresses, committed):
    AssignmentFactory(decision=draft_protocol.meeting.agenda.get().decisions.get(), responsible=member)
    with committed():
        pass  # nothing signed

    assert mail.outbox == []
    assert not Outbox.objects.exists()


def test_the_same_event_again_sends_nothing_more(draft_protocol, leader, member, with_addresses, committed):
    protocol = sign(draft_protocol, leader, committed)

    with committed():
        protocol_signed_receiver(sender=type(protocol), protocol=protocol)  # a retry of the receiver

    assert len(letters_to(mail.outbox, "kuznetsov@example.org")) == 1
    assert Outbox.objects.get().status == Outbox.Status.SENT


def test_a_rolled_back_signing_leaves_no_letter(draft_protocol, leader, member, with_addresses, monkeypatch):
    import reports.receivers

    def broken(protocol):
        raise RuntimeError("PDF failed")

    monkeypatch.setattr(reports.receivers, "store_protocol_document", broken)
    with pytest.raises(RuntimeError):
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert not Outbox.objects.exists()
    assert mail.outbox == []


def test_members_without_address_or_inactive_get_nothing(draft_protocol, leader, member, committed):
    leader.email = "smirnova@example.org"
    leader.save()
    member.user.email = ""
    member.user.save()

    sign(draft_protocol, leader, committed)

    assert mail.outbox == []
    assert Outbox.objects.get().status == Outbox.Status.SKIPPED


def test_an_inactive_account_gets_no_row(draft_protocol, leader, member, with_addresses, committed):
    member.user.is_active = False
    member.user.save()

    sign(draft_protocol, leader, committed)

    assert mail.outbox == []
    assert not Outbox.objects.exists()


def test_the_login_address_is_used_without_the_teachers(draft_protocol, leader, member, committed):
    member.user.email = "igor@example.org"
    member.user.save()

    sign(draft_protocol, leader, committed)

    assert [letter.to for letter in mail.outbox] == [["igor@example.org"]]


def test_in_development_the_letters_go_to_the_console(draft_protocol, leader, member, committed, settings, capsys):
    """``make run`` (DEBUG, console backend, immediate tasks): a signed protocol's letter is printed at once."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    member.email = "kuznetsov@example.org"
    member.save()

    sign(draft_protocol, leader, committed)

    out = capsys.readouterr().out
    assert "To: kuznetsov@example.org" in out
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click" in out
    assert Outbox.objects.get().status == Outbox.Status.SENT


def test_user_text_is_escaped_in_the_html_letter(draft_protocol, leader, member, with_addresses, committed):
    meeting = draft_protocol.meeting
    type(meeting).objects.filter(pk=meeting.pk).update(topic='<script>alert("x")</script> & итоги')

    sign(draft_protocol, leader, committed)

    [letter] = mail.outbox
    html = letter.alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;" in html and "&amp; итоги" in html
    assert '<script>alert("x")</script> & итоги' in letter.body  # the plain text is plain
