"""The outbox: exactly once per event and person, whoever sends; retries with backoff; what people chose."""

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.utils import timezone

from meetings.services import protocol_sign
from notifications import kinds
from notifications.models import Delivery, Outbox, Preference
from notifications.outbox import claim, deliver, notify, notify_each, retry_delay

MEMBER = "kuznetsov@example.org"


class FlakyBackend(EmailBackend):
    """The locmem mailbox behind an SMTP server that refuses the first ``failures`` letters."""

    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures > 0:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("соединение разорвано")
        return super().send_messages(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.notifications.test_outbox.FlakyBackend"
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    yield FlakyBackend
    FlakyBackend.failures = 0


def sign(protocol, leader, committed):
    with committed():
        return protocol_sign(protocol=protocol, user=leader.user)


def test_two_workers_given_the_same_letter_send_it_once(draft_protocol, leader, member, with_addresses):
    protocol_sign(protocol=draft_protocol, user=leader.user)  # not committed: nothing enqueued yet
    row = Outbox.objects.get()

    assert [deliver(row.pk), deliver(row.pk)] == ["sent", "not taken"]
    assert len(mail.outbox) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.address) == (Outbox.Status.SENT, 1, MEMBER)


def test_a_letter_taken_by_a_worker_that_died_is_taken_again_after_the_lease(
    draft_protocol, leader, member, with_addresses, settings
):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    row = Outbox.objects.get()
    assert claim(row.pk) is not None  # a worker took it and died

    assert deliver(row.pk) == "not taken"  # within the lease: it may still be sending
    Outbox.objects.filter(pk=row.pk).update(
        claimed_at=timezone.now() - dt.timedelta(seconds=settings.NOTIFICATIONS_CLAIM_SECONDS + 1)
    )
    assert deliver(row.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_failed_letter_is_tried_again_with_backoff_then_sent_once(
    draft_protocol, leader, member, with_addresses, committed, flaky
):
    flaky.failures = 1
    sign(draft_protocol, leader, committed)

    row = Outbox.objects.get()
    assert mail.outbox == []
    assert row.status == Outbox.Status.PENDING and row.attempts == 1
    assert "SMTPServerDisconnected: соединение разорвано" in row.last_error
    assert row.next_attempt_at > timezone.now() + dt.timedelta(seconds=50)  # 60 s after the first failure

    out = io.StringIO()
    with committed():
        call_command("notifications_retry", stdout=out)
    assert "снова: 0" in out.getvalue()  # not due yet
    Outbox.objects.filter(pk=row.pk).update(next_attempt_at=timezone.now())
    with committed():
        call_command("notifications_retry", stdout=out)
    with committed():
        call_command("notifications_retry", stdout=out)

    assert [message.to for message in mail.outbox] == [[MEMBER]]
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Outbox.Status.SENT, 2, "")


def test_backoff_doubles(settings):
    settings.NOTIFICATIONS_RETRY_SECONDS = 60
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]


def test_after_the_last_attempt_the_letter_is_failed(draft_protocol, leader, member, with_addresses, flaky):
    flaky.failures = 10
    protocol_sign(protocol=draft_protocol, user=leader.user)
    row = Outbox.objects.get()

    for _attempt in range(3):
        Outbox.objects.filter(pk=row.pk).update(next_attempt_at=None)
        deliver(row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts) == (Outbox.Status.FAILED, 3)
    assert deliver(row.pk) == "not taken"
    assert mail.outbox == []


def test_a_kind_turned_off_is_not_written(draft_protocol, leader, member, with_addresses, committed):
    Preference.objects.create(user=member.user, kind=kinds.PROTOCOL_SIGNED, enabled=False)

    sign(draft_protocol, leader, committed)

    assert mail.outbox == []
    assert not Outbox.objects.exists()


def test_an_account_disabled_before_sending_gets_nothing(draft_protocol, leader, member, with_addresses):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    member.user.is_active = False
    member.user.save()

    assert deliver(Outbox.objects.get().pk) == "skipped"
    assert mail.outbox == []


def test_notify_writes_a_fixed_number_of_queries(db, django_assert_max_num_queries, django_user_model):
    users = [django_user_model.objects.create(username=f"u{n}", email=f"u{n}@example.org") for n in range(30)]
    Preference.objects.create(user=users[0], kind=kinds.WEEKLY_DIGEST, delivery=Delivery.DAILY)

    with django_assert_max_num_queries(4):
        written = notify(kinds.WEEKLY_DIGEST, "digest:test", users, {"year": 2024, "today": "2025-05-12"})

    assert len(written) == 30
    assert Outbox.objects.filter(delivery=Delivery.DAILY).count() == 1


def test_many_letters_of_one_kind_take_a_fixed_number_of_queries(db, django_assert_max_num_queries, django_user_model):
    users = [django_user_model.objects.create(username=f"u{n}", email=f"u{n}@example.org") for n in range(10)]
    letters = [(f"assignment:{n}", user, {"assignment": n}) for n, user in enumerate(users)]

    with django_assert_max_num_queries(4):
        written = notify_each(kinds.ASSIGNMENT_GIVEN, letters)
    with django_assert_max_num_queries(3):
        again = notify_each(kinds.ASSIGNMENT_GIVEN, letters)

    assert (len(written), again) == (10, [])
    assert sorted(Outbox.objects.values_list("event_key", flat=True)) == sorted(key for key, _u, _p in letters)
