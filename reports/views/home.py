"""The home page: what needs the user's attention, for every role."""

from django.shortcuts import render
from django.utils import timezone

from communities.access import led_in_person, sees_district, teacher_of, visible_communities
from communities.data_version import cached
from communities.models import Regulation
from meetings.models import Assignment, Meeting, Protocol
from reports.compliance import needing_attention

UPCOMING_LIMIT = 10
LATEST_PROTOCOLS_LIMIT = 5
ATTENTION_LIMIT = 10


def _mark_late(protocols, today):
    """The protocols, each with ``days_late`` (0 when on time), by the rule ``Meeting.protocol_days_late``."""
    protocols = list(protocols)
    for protocol in protocols:
        protocol.days_late = protocol.meeting.protocol_days_late(today)
    return protocols


def home(request):
    user = request.user
    today = timezone.localdate()
    teacher = teacher_of(user)
    communities = visible_communities(user).select_related("organization").order_by("name")
    upcoming = (
        Meeting.objects.planned()
        .filter(community__in=visible_communities(user), date__gte=today)
        .select_related("community")
        .order_by("date", "time")[:UPCOMING_LIMIT]
    )
    to_sign = (
        Protocol.objects.drafts()
        .filter(community__in=led_in_person(user))
        .select_related("meeting", "community")
        .order_by("meeting__date")
    )
    # What was decided lately: the newest signed protocols of the user's communities (a member's first question).
    latest_protocols = (
        Protocol.objects.signed()
        .filter(community__in=visible_communities(user))
        .select_related("meeting", "community")
        .order_by("-meeting__date", "-number")[:LATEST_PROTOCOLS_LIMIT]
    )
    my_assignments = []
    unacknowledged = []
    if teacher is not None:
        my_assignments = (
            Assignment.objects.open()
            .filter(responsible=teacher)
            .select_related("decision__agenda_item__meeting__community")
            .order_by("deadline")
        )
        unacknowledged = (
            Regulation.objects.for_teacher(teacher).exclude(acknowledgements__teacher=teacher).order_by("title")
        )
    overview = sees_district(user)
    attention = None
    if overview:
        # The district's compliance, computed once per data version and day (the dashboard's cache).
        rows = cached("home-attention", (today,), lambda: needing_attention(today))
        attention = {"rows": rows[:ATTENTION_LIMIT], "count": len(rows), "more": max(0, len(rows) - ATTENTION_LIMIT)}
    context = {
        "teacher": teacher,
        "today": today,
        "overview": overview,
        "attention": attention,
        "communities": communities[:20] if overview else communities,
        "community_count": communities.count() if overview else None,
        "upcoming": upcoming,
        "latest_protocols": latest_protocols if teacher is not None and not overview else [],
        "to_sign": _mark_late(to_sign, today),
        "my_assignments": my_assignments,
        "unacknowledged": unacknowledged,
    }
    return render(request, "reports/home.html", context)
