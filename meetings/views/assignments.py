"""Assignments (поручения) under control: mine across communities, a community's, the page of one (the report, its
withdrawal, the leader's acceptance or return, the deadline moved, the report's file)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for, require, teacher_of, visible_communities
from communities.downloads import stored_file_response
from communities.models import Teacher
from meetings.forms.assignments import (
    AssignmentFilterForm,
    AssignmentReportForm,
    AssignmentReturnForm,
    DeadlineMoveForm,
    FollowUpFormSet,
)
from meetings.forms.meetings import VersionForm
from meetings.models import AgendaItem, Assignment
from meetings.services import assignments as assignment_services
from meetings.services.meetings import MeetingVersionConflict
from meetings.views.meetings import editable_meeting, expected_version
from pos_portal.form_errors import add_validation_error

PER_PAGE = 50
LIST_RELATED = ("decision__agenda_item__meeting__community", "responsible")


def _rows(page, today, can_report):
    return [
        {
            "assignment": assignment,
            "meeting": assignment.decision.agenda_item.meeting,
            "overdue": assignment.is_overdue(today),
            "can_report": assignment.status == Assignment.Status.OPEN and can_report(assignment),
            "can_open": can_report(assignment),
        }
        for assignment in page
    ]


@require_http_methods(["GET"])
def my_assignments(request):
    teacher = teacher_of(request.user)
    today = timezone.localdate()
    filter_form = AssignmentFilterForm(request.GET)
    page = None
    rows = []
    if teacher is not None:
        assignments = (
            filter_form.apply(Assignment.objects.filter(responsible=teacher), today)
            .select_related(*LIST_RELATED)
            .order_by("deadline", "pk")
        )
        page = Paginator(assignments, PER_PAGE).get_page(request.GET.get("page"))
        # A teacher who has left a community still sees their assignments there, but reports no more.
        readable = set(visible_communities(request.user).values_list("pk", flat=True))
        rows = _rows(page, today, lambda a: a.decision.agenda_item.meeting.community_id in readable)
    return render(
        request,
        "meetings/assignments/my_assignments.html",
        {"teacher": teacher, "filter_form": filter_form, "page": page, "rows": rows, "today": today},
    )


@require_http_methods(["GET"])
def community_assignments(request, pk):
    community, access = community_for(request.user, pk)
    today = timezone.localdate()
    responsibles = Teacher.objects.filter(
        pk__in=Assignment.objects.live()
        .filter(decision__agenda_item__meeting__community=community)
        .values("responsible")
    )
    filter_form = AssignmentFilterForm(request.GET, responsibles=responsibles)
    assignments = (
        filter_form.apply(Assignment.objects.filter(decision__agenda_item__meeting__community=community), today)
        .select_related(*LIST_RELATED)
        .order_by("deadline", "pk")
    )
    page = Paginator(assignments, PER_PAGE).get_page(request.GET.get("page"))
    rows = _rows(page, today, access.can_report)
    return render(
        request,
        "meetings/assignments/community_assignments.html",
        {
            "community": community,
            "access": access,
            "filter_form": filter_form,
            "page": page,
            "rows": rows,
            "today": today,
        },
    )


def _live_assignment(request, assignment_pk):
    """A live assignment (its protocol signed: a draft's are seen only in the protocol editor) with its community
    and the user's access; 404 to those who do not read the community."""
    assignment = get_object_or_404(
        Assignment.objects.live().select_related("decision__agenda_item__meeting__protocol", "responsible"),
        pk=assignment_pk,
    )
    community, access = community_for(request.user, assignment.meeting.community_id)
    return assignment, community, access


def _page(request, assignment, community, access, *, form=None, return_form=None, deadline_form=None, status=200):
    """The page of an assignment: the report (its form while in work), the leader's review and deadline forms,
    the history of its deadline."""
    in_work = assignment.status == Assignment.Status.OPEN
    if form is None and in_work:
        form = AssignmentReportForm(
            instance=assignment, initial={"done_on": assignment.done_on or timezone.localdate()}
        )
    manage = access.can_manage
    under_control = assignment.status in Assignment.UNDER_CONTROL
    if manage and return_form is None and assignment.status in (Assignment.Status.REVIEW, Assignment.Status.DONE):
        return_form = AssignmentReturnForm()
    if manage and deadline_form is None and under_control:
        deadline_form = DeadlineMoveForm(initial={"new_deadline": assignment.deadline})
    return render(
        request,
        "meetings/assignments/assignment_report.html",
        {
            "community": community,
            "access": access,
            "assignment": assignment,
            "meeting": assignment.meeting,
            "form": form if in_work else None,
            "return_form": return_form if manage else None,
            "deadline_form": deadline_form if manage and under_control else None,
            "deadline_changes": assignment.deadline_changes.select_related("changed_by", "protocol"),
            "overdue": assignment.is_overdue(),
            "is_responsible": access.is_responsible_for(assignment),
        },
        status=status,
    )


def _refused(request, error: ValidationError, assignment):
    for message in error.messages:
        messages.error(request, message)
    return redirect("meetings:assignment_report", assignment_pk=assignment.pk)


@require_http_methods(["GET", "POST"])
def assignment_report(request, assignment_pk):
    assignment, community, access = _live_assignment(request, assignment_pk)
    require(access.can_report(assignment), assignment_services.REPORT_MESSAGE)
    if request.method != "POST":
        return _page(request, assignment, community, access)
    form = AssignmentReportForm(request.POST, request.FILES, instance=assignment)
    if form.is_valid():
        try:
            assignment_services.assignment_report(
                assignment=assignment,
                user=request.user,
                done_on=form.cleaned_data["done_on"],
                report=form.cleaned_data["report"],
                report_file=form.report_file_value,
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, error, assignment)  # the assignment's state: no longer in work
            add_validation_error(form, error)
        else:
            messages.success(request, "Отчёт отправлен руководителю ПОС на проверку.")
            return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
    return _page(request, assignment, community, access, form=form)


@require_POST
def assignment_withdraw(request, assignment_pk):
    assignment, _community, access = _live_assignment(request, assignment_pk)
    require(access.can_report(assignment), assignment_services.REPORT_MESSAGE)
    try:
        assignment_services.assignment_withdraw(assignment=assignment, user=request.user)
    except ValidationError as error:
        return _refused(request, error, assignment)
    messages.success(request, "Отчёт отозван: поручение снова в работе, отчёт можно исправить.")
    return redirect("meetings:assignment_report", assignment_pk=assignment.pk)


@require_POST
def assignment_accept(request, assignment_pk):
    assignment, _community, access = _live_assignment(request, assignment_pk)
    require(access.can_manage, assignment_services.REVIEW_MESSAGE)
    try:
        assignment_services.assignment_accept(assignment=assignment, user=request.user)
    except ValidationError as error:
        return _refused(request, error, assignment)
    messages.success(request, "Отчёт принят: поручение выполнено.")
    return redirect("meetings:assignment_report", assignment_pk=assignment.pk)


@require_POST
def assignment_return(request, assignment_pk):
    assignment, community, access = _live_assignment(request, assignment_pk)
    require(access.can_manage, assignment_services.REVIEW_MESSAGE)
    form = AssignmentReturnForm(request.POST)
    if form.is_valid():
        try:
            assignment_services.assignment_return(
                assignment=assignment, user=request.user, comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, error, assignment)
            add_validation_error(form, error)
        else:
            messages.success(request, "Отчёт возвращён ответственному с замечанием.")
            return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
    return _page(request, assignment, community, access, return_form=form)


@require_POST
def assignment_deadline(request, assignment_pk):
    assignment, community, access = _live_assignment(request, assignment_pk)
    require(access.can_manage, assignment_services.DEADLINE_MESSAGE)
    form = DeadlineMoveForm(request.POST)
    if form.is_valid():
        try:
            assignment_services.assignment_move_deadline(assignment=assignment, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            if not hasattr(error, "error_dict"):
                return _refused(request, error, assignment)
            add_validation_error(form, error)
        else:
            messages.success(request, "Срок поручения перенесён.")
            return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
    return _page(request, assignment, community, access, deadline_form=form)


@require_http_methods(["GET"])
def assignment_file(request, assignment_pk):
    """The file of a report, to those who read the community."""
    assignment, _community, _access = _live_assignment(request, assignment_pk)
    if not assignment.report_file:
        raise Http404("У отчёта нет файла.")
    return stored_file_response(assignment.report_file, assignment.report_file_name, f"otchet-{assignment.pk}")


@require_http_methods(["GET", "POST"])
def follow_up(request, item_pk):
    """The outcomes of a follow-up question («О выполнении решений предыдущего заседания»): per assignment
    выполнено / продлить до / снять с контроля; they apply when the protocol is signed."""
    item = get_object_or_404(AgendaItem.objects.filter(follow_up=True), pk=item_pk)
    meeting, community, access = editable_meeting(request, item.meeting_id)
    item.meeting = meeting
    rows = item.follow_ups.select_related("assignment__responsible", "assignment__decision__agenda_item__meeting")
    data = request.POST if request.method == "POST" else None
    formset = FollowUpFormSet(data, queryset=rows, prefix="row")
    version_form = VersionForm(data, initial={"version": meeting.version})
    if request.method == "POST" and formset.is_valid():
        version = expected_version(version_form)
        try:
            if version is None:
                raise MeetingVersionConflict()
            assignment_services.follow_ups_save(
                item=item, rows=[form.instance for form in formset.forms], expected_version=version
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Решение о выполнении поручений записано: статусы изменятся при подписании.")
            return redirect("meetings:detail", meeting_pk=meeting.pk)
    return render(
        request,
        "meetings/assignments/follow_up.html",
        {
            "community": community,
            "access": access,
            "meeting": meeting,
            "item": item,
            "formset": formset,
            "version_form": version_form,
            "today": timezone.localdate(),
        },
    )


@require_POST
def follow_up_add(request, meeting_pk):
    """Add the question «О выполнении решений предыдущего заседания» to a draft protocol."""
    meeting, _community, _access = editable_meeting(request, meeting_pk)
    try:
        item = assignment_services.follow_up_question_add(meeting=meeting)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("meetings:detail", meeting_pk=meeting.pk)
    messages.success(request, f"Добавлен вопрос {item.order} «{item.question}»: отметьте, что выполнено.")
    return redirect("meetings:follow_up", item_pk=item.pk)
