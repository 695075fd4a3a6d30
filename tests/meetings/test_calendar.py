"""Calendars: «Добавить в календарь» on a meeting page, the personal feed by a secret, revocable address, the
community feed; each parses back as RFC 5545 (icalendar) with a stable UID and Europe/Moscow times."""

import datetime as dt

import pytest
from django.urls import reverse
from icalendar import Calendar

from meetings.calendar import meeting_invitation
from meetings.models import CalendarFeed, Meeting
from tests.factories import AssignmentFactory, DecisionFactory, MeetingFactory, UserFactory, sign_directly


def parse(data: bytes) -> Calendar:
    return Calendar.from_ical(data)


def events(cal: Calendar) -> list:
    return [component for component in cal.walk("VEVENT")]


@pytest.fixture
def meeting(community):
    return MeetingFactory(
        community=community,
        date=dt.date(2026, 12, 15),
        time=dt.time(15, 30),
        status=Meeting.Status.PLANNED,
        topic="Функциональная грамотность",
        place="МОУ СШ № 3, каб. 21",
    )


@pytest.mark.django_db
def test_meeting_page_offers_an_ics_that_parses_back(client, member, meeting):
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", args=[meeting.pk]))
    assert reverse("meetings:meeting_ics", args=[meeting.pk]) in page.content.decode()
    response = client.get(reverse("meetings:meeting_ics", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = parse(response.content)
    (event,) = events(cal)
    assert str(event["uid"]) == f"meeting-{meeting.pk}@pos-portal"
    start = event.decoded("dtstart")
    assert start == dt.datetime(2026, 12, 15, 15, 30, tzinfo=start.tzinfo)
    assert str(start.tzinfo) == "Europe/Moscow"
    assert event.decoded("dtend") - start == dt.timedelta(minutes=90)
    assert str(event["location"]) == "МОУ СШ № 3, каб. 21"
    assert "Функциональная грамотность" in str(event["summary"])
    assert cal.walk("VTIMEZONE"), "the time zone travels with the event"


@pytest.mark.django_db
def test_meeting_ics_is_not_given_to_an_outsider(client, outsider, meeting):
    client.force_login(outsider.user)
    assert client.get(reverse("meetings:meeting_ics", args=[meeting.pk])).status_code == 404


@pytest.mark.django_db
def test_meeting_without_time_is_an_all_day_event(community):
    meeting = MeetingFactory(community=community, date=dt.date(2026, 12, 15), time=None)
    (event,) = events(parse(meeting_invitation(meeting)))
    assert event.decoded("dtstart") == dt.date(2026, 12, 15)
    assert event.decoded("dtend") == dt.date(2026, 12, 16)


@pytest.mark.django_db
def test_invitation_keeps_its_uid_and_grows_its_sequence_when_moved(meeting):
    first = events(parse(meeting_invitation(meeting)))[0]
    Meeting.objects.filter(pk=meeting.pk).update(version=meeting.version + 1, date=dt.date(2026, 12, 17))
    meeting.refresh_from_db()
    moved_cal = parse(meeting_invitation(meeting))
    moved = events(moved_cal)[0]
    assert str(moved_cal["method"]) == "REQUEST"
    assert moved["uid"] == first["uid"]
    assert int(moved["sequence"]) > int(first["sequence"])
    assert moved.decoded("dtstart").date() == dt.date(2026, 12, 17)


@pytest.mark.django_db
def test_cancel_invitation(meeting):
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancel_reason = "Карантин"
    cal = parse(meeting_invitation(meeting, method="CANCEL"))
    assert str(cal["method"]) == "CANCEL"
    assert str(events(cal)[0]["status"]) == "CANCELLED"


@pytest.mark.django_db
def test_personal_feed_holds_own_meetings_and_assignment_deadlines_without_signing_in(
    client, community, leader, member, meeting, other_community
):
    elsewhere = MeetingFactory(community=other_community, date=dt.date(2026, 12, 16), status=Meeting.Status.PLANNED)
    signed = MeetingFactory(community=community, date=dt.date(2026, 11, 10))
    decision = DecisionFactory(agenda_item__meeting=signed)
    assignment = AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2026, 12, 20))
    sign_directly(signed, leader)
    draft = MeetingFactory(community=community, date=dt.date(2026, 11, 20))
    AssignmentFactory(decision=DecisionFactory(agenda_item__meeting=draft), responsible=member)

    client.force_login(member.user)
    client.post(reverse("meetings:calendar_renew"))
    page = client.get(reverse("meetings:calendar_settings"))
    feed = CalendarFeed.objects.get(user=member.user)
    url = reverse("meetings:personal_feed", args=[feed.token])
    assert url in page.content.decode()
    client.logout()

    cal = parse(client.get(url).content)
    uids = {str(event["uid"]) for event in events(cal)}
    assert f"meeting-{meeting.pk}@pos-portal" in uids
    assert f"meeting-{signed.pk}@pos-portal" in uids
    assert f"meeting-{elsewhere.pk}@pos-portal" not in uids
    assert uids & {f"assignment-{assignment.pk}@pos-portal"}, "a live assignment's deadline is in the feed"
    assert len([uid for uid in uids if uid.startswith("assignment-")]) == 1, "a draft's assignment is not"


@pytest.mark.django_db
def test_renewed_address_revokes_the_old_one(client, member, meeting):
    client.force_login(member.user)
    first = client.post(reverse("meetings:calendar_renew"), follow=True).content.decode()
    assert "Адрес календаря готов" in first and "прежний" not in first  # nothing was replaced
    old = CalendarFeed.objects.get(user=member.user).token
    response = client.post(reverse("meetings:calendar_renew"), follow=True)
    assert "прежний больше не работает" in response.content.decode()
    new = CalendarFeed.objects.get(user=member.user).token
    assert new != old
    client.logout()
    assert client.get(reverse("meetings:personal_feed", args=[old])).status_code == 404
    assert client.get(reverse("meetings:personal_feed", args=[new])).status_code == 200


@pytest.mark.django_db
def test_feed_of_an_inactive_account_answers_404(client, member):
    feed = CalendarFeed.of(member.user)
    member.user.is_active = False
    member.user.save()
    assert client.get(reverse("meetings:personal_feed", args=[feed.token])).status_code == 404


@pytest.mark.django_db
def test_community_feed_only_for_a_reader(client, community, member, meeting, other_community):
    feed = CalendarFeed.of(member.user)
    own = client.get(reverse("meetings:community_feed", args=[feed.token, community.pk]))
    assert own.status_code == 200
    assert [str(e["uid"]) for e in events(parse(own.content))] == [f"meeting-{meeting.pk}@pos-portal"]
    other = client.get(reverse("meetings:community_feed", args=[feed.token, other_community.pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_methodist_feed_holds_the_district(client, methodist, meeting, other_community):
    elsewhere = MeetingFactory(community=other_community, date=dt.date(2026, 12, 16))
    feed = CalendarFeed.of(methodist)
    response = client.get(reverse("meetings:personal_feed", args=[feed.token]))
    uids = {str(event["uid"]) for event in events(parse(response.content))}
    assert {f"meeting-{meeting.pk}@pos-portal", f"meeting-{elsewhere.pk}@pos-portal"} <= uids


@pytest.mark.django_db
def test_calendar_settings_need_signing_in(client):
    response = client.get(reverse("meetings:calendar_settings"))
    assert response.status_code == 302 and "login" in response["Location"]


@pytest.mark.django_db
def test_my_feed_downloads_the_signed_in_persons_feed(client, member, meeting):
    client.force_login(member.user)
    response = client.get("/calendar.ics")
    assert response.status_code == 200
    assert f"meeting-{meeting.pk}@pos-portal" in response.content.decode()


@pytest.mark.django_db
def test_a_user_without_a_teacher_gets_an_empty_feed(client):
    user = UserFactory(username="nobody")
    feed = CalendarFeed.of(user)
    cal = parse(client.get(reverse("meetings:personal_feed", args=[feed.token])).content)
    assert events(cal) == []


@pytest.mark.django_db
def test_feed_queries_do_not_grow_with_meetings(client, community, member, django_assert_max_num_queries):
    feed = CalendarFeed.of(member.user)
    url = reverse("meetings:personal_feed", args=[feed.token])
    for day in range(1, 4):
        MeetingFactory(community=community, date=dt.date(2026, 12, day))
    client.get(url)
    for day in range(4, 30):
        MeetingFactory(community=community, date=dt.date(2026, 12, day))
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(events(parse(response.content))) == 29
