"""Meetings of a community: a new meeting, the meeting page with its protocol, the editor of the meeting and of
the attendance. Editors work on a draft only, and carry the meeting's version (optimistic locking)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from communities.access import community_for, require
from communities.models import PlanItem
from communities.submissions import submitted_once
from meetings import services
from meetings.forms import (
    AttendanceFormSet,
    CorrectionForm,
    GuestFormSet,
    MeetingEditForm,
    MeetingForm,
    Members,
    ProtocolForm,
    VersionForm,
)
from meetings.models import Meeting
from meetings.protocol_content import meeting_queryset, protocol_content
from pos_portal.form_errors import add_validation_error

SIGNED_MESSAGE = "Протокол подписан: изменить нельзя. Внесите исправление."
NO_PROTOCOL_MESSAGE = "У заседания нет протокола: сначала отметьте заседание проведённым."
PLAN_ITEM_DAY = 15  # a plan item planned for a month is pre-filled on the 15th
MAX_PK = 2**63 - 1
CONFLICT_STATUS = 409


# --- Helpers shared with views/protocols.py ----------------------------------------------------------------------


def protocol_of(meeting):
    return getattr(meeting, "protocol", None)


def editable_meeting(request, meeting_pk):
    """The meeting for an editor page with its community and access: 404 to those who do not see the community,
    403 to those who may not manage it, and 403 once the protocol is signed."""
    meeting = get_object_or_404(Meeting.objects.select_related("protocol"), pk=meeting_pk)
    community, access = community_for(request.user, meeting.community_id, manage=True)
    meeting.community = community
    protocol = protocol_of(meeting)
    require(protocol is None or not protocol.is_signed, SIGNED_MESSAGE)
    return meeting, community, access


def expected_version(version_form: VersionForm) -> int | None:
    """The version the editor was opened on; None when the form lost it (treated as a conflict)."""
    return version_form.cleaned_data["version"] if version_form.is_valid() else None


def meeting_title(meeting) -> str:
    return f"{meeting.get_form_display()} {meeting.date:%d.%m.%Y}"


def no_protocol_redirect(request, meeting):
    messages.error(request, NO_PROTOCOL_MESSAGE)
    return redirect("meetings:detail", meeting_pk=meeting.pk)


def problem_links(problems) -> list[dict]:
    """The signing problems of a protocol for a page: each message with the address of the page where it is fixed
    (``Problem.fix``, a URL name and its arguments; none for a problem no page fixes) and its stable anchor."""
    links = []
    for problem in problems:
        fix = getattr(problem, "fix", None)
        url = reverse(fix[0], args=fix[1:]) if fix else ""
        links.append({"message": str(problem), "url": url, "anchor": getattr(problem, "anchor", "")})
    return links


def detail_queryset():
    """A meeting with everything its page and its protocol show, in a fixed number of queries."""
    return meeting_queryset().select_related("plan_item__plan")


def render_detail(request, meeting, community, access, *, correction_form=None, status=200):
    protocol = protocol_of(meeting)
    problems = []
    if protocol is not None:
        if access.can_manage and not protocol.is_signed:
            problems = problem_links(protocol.signing_problems(access.teacher))
        if correction_form is None and protocol.is_signed and access.is_leader:
            correction_form = CorrectionForm()
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "protocol": protocol,
        "doc": protocol_content(meeting) if protocol is not None else None,
        "problems": problems,
        "correction_form": correction_form,
        "can_edit": access.can_manage and (protocol is None or not protocol.is_signed),
    }
    return render(request, "meetings/meetings/detail.html", context, status=status)


# --- Views ------------------------------------------------------------------------------------------------------


def plan_item_initial(community, raw: str) -> dict:
    """Initial values from ``?plan_item=<id>``: a free plan item of this community, or nothing."""
    try:
        pk = int(raw)
    except (TypeError, ValueError):
        return {}
    if not 0 < pk <= MAX_PK:
        return {}
    item = (
        PlanItem.objects.filter(pk=pk, plan__community=community, meeting__isnull=True).select_related("plan").first()
    )
    if item is None:
        return {}
    if item.planned_on:
        date = item.planned_on
    else:
        year = item.plan.academic_year
        calendar_year = year.start_year if item.month >= year.start.month else year.start_year + 1
        date = dt.date(calendar_year, item.month, PLAN_ITEM_DAY)
    return {"plan_item": item.pk, "topic": item.topic, "form": item.form, "date": date}


@require_http_methods(["GET", "POST"])
@submitted_once
def meeting_create(request, pk):
    community, access = community_for(request.user, pk, manage=True)
    if request.method == "POST":
        form = MeetingForm(request.POST, community=community)
        if form.is_valid():
            try:
                meeting = services.meeting_create(meeting=form.instance, **form.officers())
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                protocol = protocol_of(meeting)
                if protocol is not None:
                    messages.success(
                        request,
                        f"Заседание проведено: создан черновик протокола № {protocol.number}. "
                        "Отметьте присутствие и запишите повестку.",
                    )
                else:
                    messages.success(request, "Заседание запланировано.")
                return redirect("meetings:detail", meeting_pk=meeting.pk)
    else:
        form = MeetingForm(
            initial={"status": Meeting.Status.PLANNED, **plan_item_initial(community, request.GET.get("plan_item"))},
            community=community,
        )
    return render(request, "meetings/meetings/form.html", {"community": community, "access": access, "form": form})


@require_http_methods(["GET"])
def meeting_detail(request, meeting_pk):
    meeting = get_object_or_404(detail_queryset(), pk=meeting_pk)
    community, access = community_for(request.user, meeting.community_id)
    meeting.community = community
    return render_detail(request, meeting, community, access)


@require_http_methods(["GET", "POST"])
def meeting_edit(request, meeting_pk):
    meeting, community, access = editable_meeting(request, meeting_pk)
    title = meeting_title(meeting)
    protocol = protocol_of(meeting)
    data = request.POST if request.method == "POST" else None
    version_form = VersionForm(data, initial={"version": meeting.version})
    form = MeetingEditForm(data, instance=meeting, community=community)
    protocol_form = None
    if protocol is not None:
        protocol_form = ProtocolForm(
            data, instance=protocol, members=Members(meeting.members_on_date()), prefix="protocol"
        )
    conflict = None
    if request.method == "POST":
        valid = [form.is_valid(), protocol_form is None or protocol_form.is_valid()]
        version = expected_version(version_form)
        if version is None:
            conflict = services.EDIT_CONFLICT_MESSAGE
        elif all(valid):
            try:
                services.meeting_update(
                    meeting=form.instance,
                    protocol=protocol_form.instance if protocol_form is not None else None,
                    expected_version=version,
                )
            except services.MeetingVersionConflict as error:
                conflict = error.message
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, "Изменения заседания сохранены.")
                return redirect("meetings:detail", meeting_pk=meeting.pk)
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "title": title,
        "form": form,
        "protocol_form": protocol_form,
        "version_form": version_form,
        "conflict": conflict,
    }
    return render(request, "meetings/meetings/form.html", context, status=CONFLICT_STATUS if conflict else 200)


def attendance_initial(meeting, members) -> list[dict]:
    """One row per member; everybody present while no attendance is recorded yet."""
    recorded = {row.teacher_id: row for row in meeting.attendance.all()}
    rows = []
    for teacher in members:
        row = recorded.get(teacher.pk)
        if row is not None:
            rows.append({"teacher": teacher.pk, "present": row.present, "absence_reason": row.absence_reason})
        else:
            rows.append({"teacher": teacher.pk, "present": not recorded, "absence_reason": ""})
    return rows


@require_http_methods(["GET", "POST"])
def meeting_attendance(request, meeting_pk):
    meeting, community, access = editable_meeting(request, meeting_pk)
    if protocol_of(meeting) is None:
        return no_protocol_redirect(request, meeting)
    members = Members(meeting.members_on_date())
    teachers = list(members.queryset)
    kwargs = {"members": members, "names": {teacher.pk: teacher.short_name for teacher in teachers}}
    data = request.POST if request.method == "POST" else None
    version_form = VersionForm(data, initial={"version": meeting.version})
    if data is None:
        attendance = AttendanceFormSet(
            prefix="attendance", initial=attendance_initial(meeting, teachers), form_kwargs=kwargs
        )
        guests = GuestFormSet(
            prefix="guests",
            initial=[
                {"full_name": guest.full_name, "position": guest.position, "organization": guest.organization}
                for guest in meeting.guests.all()
            ],
        )
    else:
        attendance = AttendanceFormSet(data, prefix="attendance", form_kwargs=kwargs)
        guests = GuestFormSet(data, prefix="guests")
    conflict = None
    errors = []
    if data is not None:
        valid = [attendance.is_valid(), guests.is_valid()]
        version = expected_version(version_form)
        if version is None:
            conflict = services.EDIT_CONFLICT_MESSAGE
        elif all(valid):
            try:
                services.meeting_attendance_save(
                    meeting=meeting,
                    expected_version=version,
                    attendance=[form.cleaned_data for form in attendance.forms if form.cleaned_data],
                    guests=[
                        form.cleaned_data
                        for form in guests.forms
                        if form.cleaned_data and not form.cleaned_data.get("DELETE")
                    ],
                    confirmed_by=access.teacher,
                )
            except services.MeetingVersionConflict as error:
                conflict = error.message
            except ValidationError as error:
                errors = error.messages
            else:
                messages.success(request, "Присутствие и список приглашённых сохранены.")
                return redirect("meetings:detail", meeting_pk=meeting.pk)
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "title": meeting_title(meeting),
        "attendance": attendance,
        "guests": guests,
        "version_form": version_form,
        "conflict": conflict,
        "errors": errors,
    }
    return render(request, "meetings/meetings/attendance.html", context, status=CONFLICT_STATUS if conflict else 200)


def require_protocol(meeting):
    protocol = protocol_of(meeting)
    if protocol is None:
        raise Http404(NO_PROTOCOL_MESSAGE)
    return protocol
