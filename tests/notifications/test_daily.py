"""The daily job: deadlines in N days, overdue assignments, late protocols, the weekly letters, the daily digests —
each written once, however often the job runs."""

import datetime as dt
import io

from django.core import mail
from django.core.management import call_command

from meetings.services import protocol_sign
from notifications import kinds
from notifications.models import Delivery, Outbox, Preference
from tests.conftest import appoint
from tests.factories import AssignmentFactory, CommunityFactory, TeacherFactory
from tests.notifications.conftest import letters_to
from tests.reports.compliance_helpers import held

MEMBER = "kuznetsov@example.org"
LEADER = "smirnova@example.org"


def daily(committed, *args):
    out = io.StringIO()
    with committed():
        call_command("notifications_daily", *args, stdout=out)
    return out.getvalue()


def live_assignment(protocol, leader, member, deadline):
    assignment = AssignmentFactory(
        decision=protocol.meeting.agenda.get().decisions.get(), responsible=member, deadline=deadline
    )
    protocol_sign(protocol=protocol, user=leader.user)  # not committed: the signing's letters are not sent
    return assignment


def test_a_deadline_in_n_days_is_recalled_once(draft_protocol, leader, member, with_addresses, committed, settings):
    settings.NOTIFY_DEADLINE_DAYS = 3
    live_assignment(draft_protocol, leader, member, dt.date(2025, 3, 13))

    daily(committed, "--date", "2025-03-09", "--no-weekly")
    assert mail.outbox == []
    daily(committed, "--date", "2025-03-10", "--no-weekly")
    daily(committed, "--date", "2025-03-10", "--no-weekly")  # the timer ran twice

    [letter] = letters_to(mail.outbox, MEMBER)
    assert letter.subject == "Срок поручения — 13.03.2025 — «ПОС учителей математики»"


def test_an_overdue_assignment_is_told_once_per_deadline(draft_protocol, leader, member, with_addresses, committed):
    assignment = live_assignment(draft_protocol, leader, member, dt.date(2025, 3, 13))

    daily(committed, "--date", "2025-03-13", "--no-weekly")
    assert mail.outbox == []  # on the deadline it is not overdue yet
    daily(committed, "--date", "2025-03-14", "--no-weekly")
    daily(committed, "--date", "2025-03-15", "--no-weekly")
    assert [m.subject for m in mail.outbox] == ["Поручение просрочено (срок 13.03.2025) — «ПОС учителей математики»"]

    assignment.deadline = dt.date(2025, 3, 20)  # moved, and missed again
    assignment.save(update_fields=["deadline"])
    daily(committed, "--date", "2025-03-21", "--no-weekly")
    assert len(mail.outbox) == 2


def test_a_done_assignment_is_not_recalled(draft_protocol, leader, member, with_addresses, committed):
    assignment = live_assignment(draft_protocol, leader, member, dt.date(2025, 3, 13))
    assignment.status, assignment.done_on = "done", dt.date(2025, 3, 1)
    assignment.save(update_fields=["status", "done_on"])

    daily(committed, "--date", "2025-03-20", "--no-weekly")

    assert mail.outbox == []


def test_a_late_protocol_tells_the_leader_once(community, leader, member, with_addresses, committed, settings):
    settings.PROTOCOL_DUE_DAYS = 5
    held(community, dt.date(2025, 3, 3), signed=False)

    daily(committed, "--date", "2025-03-08", "--no-weekly")
    assert mail.outbox == []  # day N: not late yet
    daily(committed, "--date", "2025-03-09", "--no-weekly")
    daily(committed, "--date", "2025-03-10", "--no-weekly")

    [letter] = mail.outbox
    assert letter.to == [LEADER]
    assert letter.subject == "Протокол просрочен: заседание 03.03.2025 — «ПОС учителей математики»"


def test_mondays_bring_the_weekly_letters(community, leader, methodist, with_addresses, committed):
    methodist.email = "metodist@example.org"
    methodist.save()
    done = CommunityFactory(name="ПОС выполнивших")
    appoint(done, TeacherFactory(surname="Выполнина", email="done@example.org"), number="3-о")
    for month in (9, 10, 11, 12):
        held(done, dt.date(2024, month, 10))

    daily(committed, "--date", "2025-05-13")  # a Tuesday
    assert mail.outbox == []
    daily(committed, "--date", "2025-05-12")  # a Monday
    daily(committed, "--date", "2025-05-12")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {LEADER, "metodist@example.org"}  # not the leader who did it
    to_leader = by_address[LEADER]
    assert "«ПОС учителей математики»" in to_leader.subject and "под угрозой" in to_leader.subject
    assert to_leader.body.count("Здравствуйте") == 1 and to_leader.body.startswith("Здравствуйте, Ольга Викторовна!")
    assert "Сообщество «ПОС учителей математики», 2024/2025 учебный год." in to_leader.body
    digest = by_address["metodist@example.org"]
    assert digest.body.count("Здравствуйте") == 1
    assert digest.subject == "ПОС-портал: сводка по п. 4.2 за 2024/2025 уч. год — под угрозой или нарушено: 1"
    assert "- ПОС учителей математики (Смирнова О.В.): под угрозой" in digest.body
    assert "Итого: 2 ПОС;" in digest.body


def test_inactive_methodists_get_no_digest(community, leader, methodist, committed):
    methodist.email, methodist.is_active = "gone@example.org", False
    methodist.save()

    daily(committed, "--date", "2025-05-12")

    assert mail.outbox == []


def test_the_daily_digest_collects_what_a_person_chose_to_get_daily(
    draft_protocol, leader, member, with_addresses, committed
):
    Preference.objects.create(user=member.user, kind=kinds.PROTOCOL_SIGNED, delivery=Delivery.DAILY)
    far = dt.date.today() + dt.timedelta(days=60)  # neither due nor overdue on the day of the job
    AssignmentFactory(decision=draft_protocol.meeting.agenda.get().decisions.get(), responsible=member, deadline=far)
    with committed():
        protocol_sign(protocol=draft_protocol, user=leader.user)
    [given] = mail.outbox  # the assignment at once; the protocol waits for the digest
    assert given.subject.startswith("Вам дано поручение")

    daily(committed, "--no-weekly")
    daily(committed, "--no-weekly")

    [_given, digest] = mail.outbox
    assert digest.to == [MEMBER]
    assert digest.subject.startswith("ПОС-портал: сводка за ") and digest.subject.endswith("писем: 1")
    assert f"Протокол № {draft_protocol.number} от " in digest.body
    assert f"http://127.0.0.1:8000/meetings/{draft_protocol.meeting_id}/" in digest.body
    row = Outbox.objects.get(kind=kinds.PROTOCOL_SIGNED)
    assert row.status == Outbox.Status.DIGESTED and row.digest.status == Outbox.Status.SENT
    assert "Отписаться от всех писем портала" in digest.body
