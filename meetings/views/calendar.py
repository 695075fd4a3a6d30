"""Calendars: «Добавить в календарь» on a meeting page, and the feeds a calendar application subscribes to by a
secret address (``CalendarFeed``): the person's own (their communities' meetings and their assignment deadlines)
and a community's. The address is the key, so the feed views are open without signing in and answer 404 to a
wrong, revoked or inactive one; what a feed holds is what its person may read."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for, require_found, teacher_of, visible_communities
from meetings import calendar
from meetings.models import Assignment, CalendarFeed, Meeting

#: How far back a feed reaches (calendars keep what they had; a feed need not repeat years).
FEED_DAYS_BACK = 365
NOT_FOUND = "Календарь не найден."


def ics_response(data: bytes, filename: str, *, download: bool) -> HttpResponse:
    response = HttpResponse(data, content_type=calendar.CONTENT_TYPE)
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_http_methods(["GET"])
def meeting_ics(request, meeting_pk):
    """The meeting alone, for «Добавить в календарь» (readers of its community)."""
    meeting = get_object_or_404(Meeting.objects.select_related("community"), pk=meeting_pk)
    community_for(request.user, meeting.community_id)
    return ics_response(calendar.meeting_file(meeting), f"meeting-{meeting.pk}.ics", download=True)


def _feed_meetings(communities):
    since = timezone.localdate() - dt.timedelta(days=FEED_DAYS_BACK)
    return Meeting.objects.filter(community__in=communities, date__gte=since).select_related("community")


def _feed_user(token: str):
    feed = CalendarFeed.objects.select_related("user").filter(token=token).first()
    require_found(feed is not None and feed.user.is_active, NOT_FOUND)
    return feed.user


@login_not_required
@require_http_methods(["GET"])
def personal_feed(request, token):
    """The person's meetings (their communities') and their open assignments' deadlines."""
    return _personal_calendar(_feed_user(token))


def _personal_calendar(user) -> HttpResponse:
    events = [calendar.meeting_event(meeting) for meeting in _feed_meetings(visible_communities(user))]
    teacher = teacher_of(user)
    if teacher is not None:
        assignments = (
            Assignment.objects.under_control()
            .filter(responsible=teacher)
            .select_related("decision__agenda_item__meeting__community")
        )
        events += [calendar.assignment_event(assignment) for assignment in assignments]
    name = f"ПОС: {teacher.short_name}" if teacher is not None else "ПОС: заседания"
    return ics_response(calendar.calendar(name, events), "pos.ics", download=False)


@login_not_required
@require_http_methods(["GET"])
def community_feed(request, token, pk):
    """One community's meetings, for a person who may read it."""
    user = _feed_user(token)
    community, _access = community_for(user, pk)
    events = [calendar.meeting_event(meeting) for meeting in _feed_meetings([community])]
    return ics_response(calendar.calendar(community.name, events), f"community-{community.pk}.ics", download=False)


@require_http_methods(["GET"])
def calendar_settings(request):
    """The person's feed addresses, to paste into a calendar application, and the button that revokes them."""
    feed = CalendarFeed.objects.filter(user=request.user).first()  # made by «Получить адрес» (a GET changes nothing)
    if feed is None:
        return render(request, "meetings/calendar/settings.html", {"feed": None})
    personal_url = request.build_absolute_uri(reverse("meetings:personal_feed", args=[feed.token]))
    communities = [
        (community, request.build_absolute_uri(reverse("meetings:community_feed", args=[feed.token, community.pk])))
        for community in visible_communities(request.user).order_by("name")[:200]
    ]
    return render(
        request,
        "meetings/calendar/settings.html",
        {"feed": feed, "personal_url": personal_url, "communities": communities},
    )


@require_POST
def calendar_renew(request):
    _feed, first = CalendarFeed.issue(request.user)
    if first:
        messages.success(request, "Адрес календаря готов: скопируйте его и подключите в своём календаре.")
    else:
        messages.success(request, "Адрес календаря заменён: прежний больше не работает. Подключите календарь заново.")
    return redirect("meetings:calendar_settings")


@require_http_methods(["GET"])
def my_feed(request):
    """/calendar.ics for a signed-in person: their feed, downloaded (a calendar application subscribes to the
    secret address on the «Календарь» page instead)."""
    return _personal_calendar(request.user)
