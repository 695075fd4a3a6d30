"""Meetings of a community: a new meeting, the meeting page with its protocol, the editor of the meeting and of
the attendance. Editors work on a draft only, and carry the meeting's version (optimistic locking)."""

import datetime as dt

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from communities.access import community_for, require
from communities.models import PlanItem
from communities.submissions import submitted_once
from meetings import services
from meetings.forms import (
    CorrectionForm,
    MeetingEditForm,
    MeetingForm,
    Members,
    ProtocolForm,
    VersionForm,
)
from meetings.models import AgendaItem, Meeting, ProtocolReceipt
from meetings.models.receipts import receipt_counts
from meetings.protocol_content import meeting_head_queryset, meeting_prefetches, meeting_queryset, protocol_content
from meetings.signed_document import signed_document
from meetings.views.editor import (
    ATTENDANCE,
    INVALID_STATUS,
    Editor,
    attendance_part,
    changed_trigger,
    detail_url,
    editing_pk,
    fix_on_page,
    go,
    is_htmx,
    members_of,
    posted_part,
    question_part,
    question_parts,
)
from pos_portal.bad_input import row_id
from pos_portal.form_errors import add_validation_error

SIGNED_MESSAGE = "Протокол подписан: изменить нельзя. Внесите исправление."
NO_PROTOCOL_MESSAGE = "У заседания нет протокола: сначала отметьте заседание проведённым."
PLAN_ITEM_DAY = 15  # a plan item planned for a month is pre-filled on the 15th

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
    return go(request, detail_url(meeting))


def problem_links(problems, meeting=None) -> list[dict]:
    """The signing problems of a protocol for a page: each message with the address of the page where it is fixed
    (``Problem.fix``, a URL name and its arguments; none for a problem no page fixes) and its stable anchor. With
    ``meeting``, for its page with the protocol editor: what a part of the page fixes links to that part."""
    links = []
    for problem in problems:
        fix = getattr(problem, "fix", None)
        url = (meeting and fix and fix_on_page(meeting, fix)) or (reverse(fix[0], args=fix[1:]) if fix else "")
        links.append({"message": str(problem), "url": url, "anchor": getattr(problem, "anchor", "")})
    return links


def detail_queryset():
    """A meeting with everything its page and its protocol show, in a fixed number of queries."""
    return meeting_queryset().select_related("plan_item__plan")


def detail_head_queryset():
    """``detail_queryset`` without the rows under the meeting: the meeting page reads them when it renders the
    document (``render_detail``)."""
    return meeting_head_queryset().select_related("plan_item__plan")


def receipt_context(protocol, access) -> dict:
    """«Ознакомлен(а) с протоколом» on a signed protocol's page: the member's button or their receipt, and for the
    leader (and the district) how many members acknowledged it."""
    if protocol is None or not protocol.is_signed:
        return {}
    context = {}
    if access.teacher is not None and access.is_member and access.teacher.pk != protocol.signed_by_id:
        context["receipt"] = ProtocolReceipt.objects.filter(protocol=protocol, teacher=access.teacher).first()
        context["may_acknowledge"] = True
    if access.can_manage or access.sees_district:
        done, total, waiting = receipt_counts(protocol)
        context["receipts"] = {"done": done, "total": total, "waiting": waiting}
    return context


def render_detail(request, meeting, community, access, *, correction_form=None, bound=None, editing=None, status=200):
    """The meeting page; for the leader of a draft it is where the protocol is written (views/editor.py), with
    ``bound`` (a part posted with errors) as typed. A signed protocol's document comes rendered from the cache
    (meetings.signed_document); the rows of a draft's are read now if ``meeting``'s queryset did not (not its
    corrections: a draft has none)."""
    protocol = protocol_of(meeting)
    document = signed_document(meeting) if protocol is not None and protocol.is_signed else None
    if document is None:
        prefetch_related_objects([meeting], *meeting_prefetches())
    problems = []
    can_edit = access.can_manage and (protocol is None or not protocol.is_signed)
    if protocol is not None:
        if access.can_manage and not protocol.is_signed:
            problems = problem_links(protocol.signing_problems(access.teacher), meeting if can_edit else None)
        if correction_form is None and protocol.is_signed and access.is_leader:
            correction_form = CorrectionForm(meeting=meeting)
    context = {
        **receipt_context(protocol, access),
        "editor": Editor.of(meeting, bound=bound, editing=editing) if can_edit and protocol is not None else None,
        "community": community,
        "access": access,
        "meeting": meeting,
        "protocol": protocol,
        "doc": protocol_content(meeting) if protocol is not None and document is None else None,
        "document": document,
        "problems": problems,
        "correction_form": correction_form,
        "can_edit": can_edit,
    }
    return render(request, "meetings/meetings/detail.html", context, status=status)


def answer_part(request, meeting, community, access, part, *, saved: bool, anchor: str, added=None):
    """The answer to a part of the meeting page that was posted (views/editor.py). Without htmx: back to the page
    at ``anchor`` when saved, else the page with the part as typed. With htmx: the part (saved: as stored now;
    ``added``, a new question: its part at the end of the questions and a new empty form), the signing problems
    and the preview out of band, and the meeting's new version for the other parts."""
    if saved and not is_htmx(request):
        return redirect(detail_url(meeting, anchor))
    fresh = get_object_or_404(detail_queryset(), pk=meeting.pk)
    fresh.community = community
    if not is_htmx(request):
        status = CONFLICT_STATUS if part.conflict else 200
        return render_detail(request, fresh, community, access, bound=part, status=status)
    status = CONFLICT_STATUS if part.conflict else (200 if saved else INVALID_STATUS)
    members = members_of(fresh)
    headers = {}
    if saved:
        headers["HX-Trigger"] = changed_trigger(fresh)
        notice = part.notice
        if part.key == ATTENDANCE:
            part = Editor.of(fresh, members).attendance
        elif added is not None or part.item is not None:
            item_pk = added.pk if added is not None else part.item.pk
            part = next((p for p in question_parts(fresh, members) if p.item.pk == item_pk), None)
        if part is not None:
            part.notice = notice
    if added is not None:
        part.focus = True
        headers.update({"HX-Retarget": "#questions", "HX-Reswap": "beforeend"})
    protocol = protocol_of(fresh)
    context = {
        "community": community,
        "access": access,
        "meeting": fresh,
        "protocol": protocol,
        "part": part,
        "oob": saved,
        "new_question": question_part(fresh, members, AgendaItem(meeting=fresh)) if added is not None else None,
        "doc": protocol_content(fresh) if saved else None,
        "problems": problem_links(protocol.signing_problems(access.teacher), fresh) if saved else [],
        "can_edit": True,
    }
    response = render(request, "meetings/editor/answer.html", context, status=status)
    for name, value in headers.items():
        response[name] = value
    return response


# --- Views ------------------------------------------------------------------------------------------------------


def plan_item_initial(community, raw: str) -> dict:
    """Initial values from ``?plan_item=<id>``: a free plan item of this community, or nothing."""
    pk = row_id(raw)
    if pk is None:
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
                meeting = services.meeting_create(meeting=form.instance, by=request.user, **form.officers())
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
    meeting = get_object_or_404(detail_head_queryset(), pk=meeting_pk)
    community, access = community_for(request.user, meeting.community_id)
    meeting.community = community
    return render_detail(request, meeting, community, access, editing=editing_pk(request.GET.get("edit")))


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
                    by=request.user,
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


@require_http_methods(["GET", "POST"])
def meeting_attendance(request, meeting_pk):
    """The attendance and the invited guests: a part of the meeting page (and its standalone page of before)."""
    meeting, community, access = editable_meeting(request, meeting_pk)
    if protocol_of(meeting) is None:
        return no_protocol_redirect(request, meeting)
    data = request.POST if request.method == "POST" else None
    part = attendance_part(meeting, members_of(meeting), data)
    version_form = VersionForm(data, initial={"version": meeting.version})
    saved = False
    if data is not None:
        valid = [part.attendance.is_valid(), part.guests.is_valid()]
        version = expected_version(version_form)
        if version is None:
            part.conflict = services.EDIT_CONFLICT_MESSAGE
        elif all(valid):
            try:
                services.meeting_attendance_save(
                    meeting=meeting,
                    expected_version=version,
                    attendance=[form.cleaned_data for form in part.attendance.forms if form.cleaned_data],
                    guests=[
                        form.cleaned_data
                        for form in part.guests.forms
                        if form.cleaned_data and not form.cleaned_data.get("DELETE")
                    ],
                    confirmed_by=access.teacher,
                )
            except services.MeetingVersionConflict as error:
                part.conflict = error.message
            except ValidationError as error:
                part.errors = error.messages
            else:
                saved = True
                part.notice = "Присутствие и список приглашённых сохранены."
                if not is_htmx(request):
                    messages.success(request, part.notice)
        if posted_part(request, ATTENDANCE):
            return answer_part(request, meeting, community, access, part, saved=saved, anchor=ATTENDANCE)
        if saved:
            return redirect("meetings:detail", meeting_pk=meeting.pk)
    context = {
        "community": community,
        "access": access,
        "meeting": meeting,
        "title": meeting_title(meeting),
        "attendance": part.attendance,
        "guests": part.guests,
        "version_form": version_form,
        "conflict": part.conflict,
        "errors": part.errors,
    }
    return render(
        request, "meetings/meetings/attendance.html", context, status=CONFLICT_STATUS if part.conflict else 200
    )


def require_protocol(meeting):
    protocol = protocol_of(meeting)
    if protocol is None:
        raise Http404(NO_PROTOCOL_MESSAGE)
    return protocol
