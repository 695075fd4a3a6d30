"""Assignments (поручения): mine across communities, a community's, and the report on one."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from communities.access import community_for, require, teacher_of, visible_communities
from communities.models import Teacher
from meetings.forms.assignments import AssignmentFilterForm, AssignmentReportForm
from meetings.models import Assignment
from meetings.services import assignments as assignment_services
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
    responsibles = Teacher.objects.filter(assignments__decision__agenda_item__meeting__community=community).distinct()
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


@require_http_methods(["GET", "POST"])
def assignment_report(request, assignment_pk):
    assignment = get_object_or_404(
        Assignment.objects.select_related("decision__agenda_item__meeting", "responsible"), pk=assignment_pk
    )
    meeting = assignment.decision.agenda_item.meeting
    community, access = community_for(request.user, meeting.community_id)
    require(access.can_report(assignment), assignment_services.REPORT_MESSAGE)
    form = None
    if request.method == "POST":
        if request.POST.get("action") == "reopen":
            try:
                assignment_services.assignment_reopen(assignment=assignment, user=request.user)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "Поручение возвращено в работу.")
            return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
        form = AssignmentReportForm(request.POST)
        if form.is_valid():
            try:
                assignment_services.assignment_report(
                    assignment=assignment,
                    user=request.user,
                    done_on=form.cleaned_data["done_on"],
                    report=form.cleaned_data["report"],
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    add_validation_error(form, error)
                else:
                    # A refusal of the assignment's state (already done): a done assignment's page has no form.
                    for message in error.messages:
                        messages.error(request, message)
                    return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
            else:
                messages.success(request, "Поручение отмечено выполненным. Спасибо за отчёт!")
                return redirect("meetings:assignment_report", assignment_pk=assignment.pk)
    elif assignment.status == Assignment.Status.OPEN:
        form = AssignmentReportForm(initial={"done_on": timezone.localdate()})
    return render(
        request,
        "meetings/assignments/assignment_report.html",
        {
            "community": community,
            "access": access,
            "assignment": assignment,
            "meeting": meeting,
            "form": form,
            "overdue": assignment.is_overdue(),
            "is_responsible": access.is_responsible_for(assignment),
        },
    )
