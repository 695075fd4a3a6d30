"""Concurrent writers on PostgreSQL: twenty protocols created at once are numbered 1…20 without gaps or repeats; two
signatures of one protocol at once give one signature (one signing time, one stored PDF, one signing in the audit
trail). Real transactions in threads; SQLite has a single writer, so these run in the PostgreSQL pass."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, connections

from meetings.models import Protocol
from meetings.services import protocol_create, protocol_sign, protocol_sign_as_seen
from pos_portal.academic_year import AcademicYear
from reports.models import ProtocolDocument
from tests.conftest import build_protocol
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.concurrency, pytest.mark.django_db(transaction=True)]

SQLITE_REASON = "SQLite has no concurrent writers; this runs in the PostgreSQL pass of CI."


@pytest.fixture(autouse=True)
def postgresql_only():
    if connection.vendor == "sqlite":
        pytest.skip(SQLITE_REASON)


def run_at_once(functions):
    """Run the functions in threads released together; each thread has its own database connection."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), [None] * len(functions)

    def run(index, function):
        try:
            barrier.wait()
            results[index] = function()
        except Exception as error:
            errors[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, f)) for i, f in enumerate(functions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a writer hangs"
    return results, errors


def test_twenty_protocols_created_at_once_are_numbered_without_gaps(community, leader):
    meetings = [MeetingFactory(community=community) for _ in range(20)]

    results, errors = run_at_once([lambda meeting=meeting: protocol_create(meeting=meeting) for meeting in meetings])

    assert errors == [None] * 20
    # Drafts are numbered in the order of their meetings (same date: the order of entry), whatever order the
    # concurrent saves took; a number a save returned may have moved since (``protocol_numbering``).
    stored = Protocol.objects.filter(community=community, academic_year=AcademicYear(2024))
    by_meeting = dict(stored.values_list("meeting_id", "number"))
    assert [by_meeting[meeting.pk] for meeting in meetings] == list(range(1, 21))
    assert len(results) == 20


@pytest.mark.parametrize("as_seen", [True, False], ids=["from-the-confirmation-page", "by-the-service"])
def test_two_signatures_at_once_give_one(community, leader, member, settings, tmp_path, as_seen):
    """Held by the row lock of the signing, the signed-protocol trigger and, from the page, the meeting's version."""
    settings.MEDIA_ROOT = tmp_path
    protocol = build_protocol(community, leader, [leader, member])
    version = protocol.meeting.version

    def sign():
        fresh = Protocol.objects.get(pk=protocol.pk)
        if as_seen:
            return protocol_sign_as_seen(protocol=fresh, user=leader.user, expected_version=version)
        return protocol_sign(protocol=fresh, user=leader.user)

    results, errors = run_at_once([sign, sign])

    signed = [result for result in results if result is not None]
    refused = [error for error in errors if error is not None]
    assert len(signed) == 1 and len(refused) == 1, errors
    assert isinstance(refused[0], ValidationError | IntegrityError)
    protocol.refresh_from_db()
    assert protocol.signed_at == signed[0].signed_at
    assert ProtocolDocument.objects.filter(protocol=protocol).count() == 1
    signings = protocol.history.filter(signed_at__isnull=False).order_by("history_date")
    assert signings.count() == 1
    assert signings.get().signed_at == protocol.signed_at
