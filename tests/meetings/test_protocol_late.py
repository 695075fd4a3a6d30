"""«Протокол просрочен»: a held meeting whose protocol is not signed more than PROTOCOL_DUE_DAYS days after it."""

import datetime as dt

import pytest
from django.test import override_settings

from communities.activity import ActivityForm
from meetings.models import Meeting
from tests.factories import CommunityFactory
from tests.reports.compliance_helpers import held, planned

pytestmark = pytest.mark.django_db

MEETING_DAY = dt.date(2025, 3, 10)


def late_ids(today):
    return set(Meeting.objects.protocol_late(today).values_list("pk", flat=True))


@pytest.mark.parametrize("signed", [False, None], ids=["draft", "no protocol"])
def test_unsigned_protocol_is_late_from_day_due_plus_one(signed):
    meeting = held(CommunityFactory(), MEETING_DAY, signed=signed)
    meeting = Meeting.objects.get(pk=meeting.pk)
    assert meeting.protocol_due_date == dt.date(2025, 3, 15)  # default: 5 days
    on_due_day = MEETING_DAY + dt.timedelta(days=5)
    assert late_ids(on_due_day) == set()
    assert not meeting.protocol_is_late(on_due_day)
    assert meeting.protocol_days_late(on_due_day) == 0
    day_after = on_due_day + dt.timedelta(days=1)
    assert late_ids(day_after) == {meeting.pk}
    assert meeting.protocol_is_late(day_after)
    assert meeting.protocol_days_late(day_after + dt.timedelta(days=4)) == 5


def test_signed_planned_and_non_session_without_protocol_are_never_late():
    community = CommunityFactory()
    signed = held(community, MEETING_DAY, signed=True)
    scheduled = planned(community, MEETING_DAY)
    workshop = held(community, MEETING_DAY, signed=None, form=ActivityForm.LESSON_VISIT)
    later = MEETING_DAY + dt.timedelta(days=60)
    assert late_ids(later) == set()
    for meeting in (signed, scheduled, workshop):
        assert not Meeting.objects.get(pk=meeting.pk).protocol_is_late(later)


def test_non_session_with_a_draft_protocol_is_late():
    meeting = held(CommunityFactory(), MEETING_DAY, signed=False, form=ActivityForm.LESSON_VISIT)
    later = MEETING_DAY + dt.timedelta(days=6)
    assert late_ids(later) == {meeting.pk}
    assert Meeting.objects.get(pk=meeting.pk).protocol_is_late(later)


@override_settings(PROTOCOL_DUE_DAYS=0)
def test_due_days_is_a_setting():
    meeting = held(CommunityFactory(), MEETING_DAY, signed=False)
    assert late_ids(MEETING_DAY) == set()
    assert late_ids(MEETING_DAY + dt.timedelta(days=1)) == {meeting.pk}
