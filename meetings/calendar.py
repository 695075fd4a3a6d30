"""Meetings and assignment deadlines as iCalendar (RFC 5545), made with ``icalendar``: the invitation a meeting's
mail carries, the «Добавить в календарь» file of a meeting page, and the feeds a teacher subscribes to.

- A meeting is one VEVENT with a stable UID (``meeting-<pk>@<CALENDAR_UID_DOMAIN>``), so a calendar that has it
  updates it when it moves and removes it when it is cancelled; SEQUENCE is the meeting's version, which grows
  with every saved change.
- Times are Europe/Moscow (``TIME_ZONE``) with the VTIMEZONE included. A meeting without a time is an all-day
  event; one with a time lasts ``MEETING_DURATION_MINUTES``.
- An assignment deadline is an all-day VEVENT on the deadline (calendars show VTODO poorly or not at all).
- DTSTAMP is the record's last change, so the same data gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from meetings.models import Assignment, Meeting

PRODID = "-//ПОС-портал//Календарь ПОС//RU"
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _zone() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def _stamp(moment: dt.datetime | None) -> dt.datetime:
    return (moment or timezone.now()).astimezone(dt.UTC).replace(microsecond=0)


def _uid(kind: str, pk: int) -> str:
    return f"{kind}-{pk}@{settings.CALENDAR_UID_DOMAIN}"


def _absolute(path: str) -> str:
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{path}"


def meeting_event(meeting: Meeting, *, sequence: int | None = None) -> Event:
    """The meeting as a VEVENT (``meeting.community`` is read: select it with the meeting)."""
    event = Event()
    event.add("uid", _uid("meeting", meeting.pk))
    event.add("dtstamp", _stamp(meeting.updated_at))
    event.add("sequence", meeting.version if sequence is None else sequence)
    event.add("summary", f"{meeting.get_form_display()}: {meeting.topic}")
    if meeting.time is None:
        event.add("dtstart", meeting.date)
        event.add("dtend", meeting.date + dt.timedelta(days=1))
    else:
        start = dt.datetime.combine(meeting.date, meeting.time, tzinfo=_zone())
        event.add("dtstart", start)
        event.add("dtend", start + dt.timedelta(minutes=settings.MEETING_DURATION_MINUTES))
    location = meeting.place or meeting.online_link
    if location:
        event.add("location", location)
    url = _absolute(reverse("meetings:detail", args=[meeting.pk]))
    event.add("url", url)
    lines = [meeting.community.name]
    if meeting.online_link:
        lines.append(f"Онлайн: {meeting.online_link}")
    if meeting.status == Meeting.Status.CANCELLED:
        lines.append(f"Отменено: {meeting.cancel_reason}")
    lines.append(url)
    event.add("description", "\n".join(lines))
    event.add("status", "CANCELLED" if meeting.status == Meeting.Status.CANCELLED else "CONFIRMED")
    return event


def assignment_event(assignment: Assignment) -> Event:
    """An assignment's deadline as an all-day VEVENT (``decision__agenda_item__meeting__community`` selected)."""
    meeting = assignment.decision.agenda_item.meeting
    event = Event()
    event.add("uid", _uid("assignment", assignment.pk))
    event.add("dtstamp", _stamp(meeting.updated_at))
    event.add("summary", f"Срок поручения: {_shorten(assignment.text)}")
    event.add("dtstart", assignment.deadline)
    event.add("dtend", assignment.deadline + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    url = _absolute(f"{reverse('meetings:my_assignments')}#assignment-{assignment.pk}")
    event.add("url", url)
    event.add("description", f"{meeting.community.name}\n{assignment.text}\n{url}")
    return event


def _shorten(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else f"{text[: limit - 1]}…"


def calendar(name: str, events: Iterable[Event], *, method: str = "PUBLISH") -> bytes:
    """A VCALENDAR named ``name`` holding ``events``, with the time zones they use."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for event in events:
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()


def meeting_invitation(meeting: Meeting, *, method: str = "REQUEST", sequence: int | None = None) -> bytes:
    """The invitation a meeting's mail carries: METHOD:REQUEST for a scheduled or moved meeting, METHOD:CANCEL
    (and STATUS:CANCELLED) for a cancelled one."""
    event = meeting_event(meeting, sequence=sequence)
    if method == "CANCEL":
        event["status"] = "CANCELLED"
    return calendar(meeting.community.name, [event], method=method)


def meeting_file(meeting: Meeting) -> bytes:
    """«Добавить в календарь» on a meeting page: the meeting alone."""
    return calendar(meeting.community.name, [meeting_event(meeting)])
