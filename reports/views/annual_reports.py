"""The annual activity report (отчёт о деятельности ПОС за учебный год): the page with the leader's text and the
figures, the leader's editor and submission, the methodists' review and list, and the PDF and .docx.

``year`` in the URLs is the calendar year the academic year starts in (2024 for 2024/2025).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for, require_district, sees_district
from communities.models import Community
from communities.models.versioned import CONFLICT_STATUS, VersionConflict
from communities.submissions import submitted_once
from pos_portal.academic_year import MIN_YEAR, START_MONTH, AcademicYear
from pos_portal.form_errors import add_validation_error
from reports import services
from reports.annual_documents import REPORT_STYLESHEETS, annual_report_document_context, report_sections
from reports.annual_figures import annual_figures
from reports.docx.annual_report import annual_report_docx as annual_report_docx_bytes
from reports.forms import AnnualReportForm, ReviewForm
from reports.models import AnnualReport
from reports.models.annual_reports import ACCEPTED_READ_ONLY_MESSAGE, NOT_EDITABLE_MESSAGE
from reports.pdf import docx_response, pdf_response, render_pdf

YEARS_BACK = 5
#: The order of the methodists' list: what needs a decision first.
STATUS_ORDER = {
    AnnualReport.Status.SUBMITTED: 0,
    AnnualReport.Status.RETURNED: 1,
    AnnualReport.Status.DRAFT: 2,
    None: 3,
    AnnualReport.Status.ACCEPTED: 4,
}
MISSING = "missing"
MISSING_LABEL = "не начат"


def _year(year: int) -> AcademicYear:
    try:
        return AcademicYear(year)
    except (TypeError, ValueError):
        raise Http404("Такого учебного года нет.") from None


def _report(community: Community, year: AcademicYear) -> AnnualReport | None:
    return (
        AnnualReport.objects.filter(community=community, academic_year=year)
        .select_related("submitted_by", "reviewed_by__teacher")
        .first()
    )


def user_display(user) -> str:
    """«Фамилия И.О.» of the user's teacher, or the account's name."""
    if user is None:
        return ""
    teacher = getattr(user, "teacher", None)
    if teacher is not None:
        return teacher.short_name
    return user.get_full_name() or user.get_username()


def _first_year(community: Community) -> int:
    """The start year of the community's first academic year (never before the first year the portal knows)."""
    founded = community.founded_on
    return max(MIN_YEAR, founded.year if founded.month >= START_MONTH else founded.year - 1)


def _detail_context(request, community, access, year, report, review_form=None) -> dict:
    editable = report is None or report.is_editable
    may_review = sees_district(request.user)
    return {
        "community": community,
        "access": access,
        "year": year,
        "previous_year": year.previous() if year.start_year > _first_year(community) else None,
        "next_year": year.next() if year < AcademicYear.current() else None,
        "report": report,
        "figures": annual_figures(community, year),
        "reviewer": user_display(report.reviewed_by) if report else "",
        "sections": report_sections(report),
        "may_edit": access.is_leader and editable,
        "may_submit": access.is_leader and report is not None and editable,
        "may_review": may_review and report is not None and report.status == AnnualReport.Status.SUBMITTED,
        "review_form": review_form or ReviewForm(),
    }


@require_http_methods(["GET"])
def annual_report_detail(request, pk, year):
    year = _year(year)
    community, access = community_for(request.user, pk)
    report = _report(community, year)
    return render(
        request,
        "reports/annual_report_detail.html",
        _detail_context(request, community, access, year, report),
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def annual_report_edit(request, pk, year):
    year = _year(year)
    community, access = community_for(request.user, pk, manage=True)
    try:
        report = services.annual_report_start(community=community, year=year, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:annual_report", pk=community.pk, year=year.start_year)
    if request.method == "GET" and not report.is_editable:
        # On POST the form says why (and keeps what was typed).
        messages.warning(request, ACCEPTED_READ_ONLY_MESSAGE if report.is_accepted else NOT_EDITABLE_MESSAGE)
        return redirect("reports:annual_report", pk=community.pk, year=year.start_year)
    conflict = None
    if request.method == "POST":
        form = AnnualReportForm(request.POST, instance=report)
        if form.is_valid():
            try:
                services.annual_report_save(
                    report=form.instance, user=request.user, expected_version=form.expected_version
                )
            except VersionConflict as error:
                conflict = error.message
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Отчёт за {year} учебный год сохранён.")
                return redirect("reports:annual_report", pk=community.pk, year=year.start_year)
    else:
        form = AnnualReportForm(instance=report)
    return render(
        request,
        "reports/annual_report_form.html",
        {"community": community, "access": access, "year": year, "report": report, "form": form, "conflict": conflict},
        status=CONFLICT_STATUS if conflict else 200,
    )


@require_POST
def annual_report_submit(request, pk, year):
    year = _year(year)
    community, _access = community_for(request.user, pk, manage=True)
    report = AnnualReport.objects.filter(community=community, academic_year=year).first()
    if report is None:
        messages.error(request, "Отчёта ещё нет: сначала заполните его.")
        return redirect("reports:annual_report_edit", pk=community.pk, year=year.start_year)
    try:
        services.annual_report_submit(report=report, user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, f"Отчёт за {year} учебный год отправлен в ИОЦ на проверку.")
    return redirect("reports:annual_report", pk=community.pk, year=year.start_year)


@require_POST
def annual_report_review(request, pk, year):
    year = _year(year)
    community, access = community_for(request.user, pk)
    require_district(request.user, services.REVIEWER_ONLY_MESSAGE)
    report = _report(community, year)
    if report is None:
        raise Http404("Отчёта за этот учебный год нет.")
    form = ReviewForm(request.POST)
    if form.is_valid():
        action, comment = form.cleaned_data["action"], form.cleaned_data["comment"]
        try:
            if action == ReviewForm.ACCEPT:
                services.annual_report_accept(report=report, user=request.user, comment=comment)
            else:
                services.annual_report_return(report=report, user=request.user, comment=comment)
        except ValidationError as error:
            add_validation_error(form, error, renames={"review_comment": "comment"})
        else:
            if action == ReviewForm.ACCEPT:
                messages.success(request, f"Отчёт «{community.name}» за {year} учебный год принят.")
            else:
                messages.success(request, f"Отчёт «{community.name}» за {year} учебный год возвращён на доработку.")
            return redirect("reports:annual_report", pk=community.pk, year=year.start_year)
    report = _report(community, year)
    return render(
        request,
        "reports/annual_report_detail.html",
        _detail_context(request, community, access, year, report, review_form=form),
    )


@require_http_methods(["GET"])
def annual_report_list(request):
    require_district(request.user, "Список отчётов ПОС доступен методистам ИОЦ и Департаменту образования.")
    year = AcademicYear.from_query(request.GET)
    status = request.GET.get("status", "")
    if status not in [*AnnualReport.Status.values, MISSING]:
        status = ""

    reports = list(
        AnnualReport.objects.filter(academic_year=year).select_related(
            "community__organization", "submitted_by", "reviewed_by__teacher"
        )
    )
    without_report = (
        Community.objects.active()
        .filter(founded_on__lte=year.end)
        .exclude(pk__in=AnnualReport.objects.filter(academic_year=year).values("community_id"))
        .select_related("organization")
    )
    rows = [
        {"community": report.community, "report": report, "status": report.status, "label": report.get_status_display()}
        for report in reports
    ]
    rows += [
        {"community": community, "report": None, "status": MISSING, "label": MISSING_LABEL}
        for community in without_report
    ]
    rows.sort(
        key=lambda row: (
            STATUS_ORDER[row["report"].status if row["report"] else None],
            row["community"].name.lower(),
            row["community"].pk,
        )
    )
    counts = {value: 0 for value in [*AnnualReport.Status.values, MISSING]}
    for row in rows:
        counts[row["status"]] += 1
    statuses = [
        (value, label, counts[value])
        for value, label in sorted(
            [*AnnualReport.Status.choices, (MISSING, MISSING_LABEL)],
            key=lambda choice: STATUS_ORDER[None if choice[0] == MISSING else choice[0]],
        )
    ]
    if status:
        rows = [row for row in rows if row["status"] == status]
    for row in rows:
        row["reviewer"] = user_display(row["report"].reviewed_by) if row["report"] else ""

    current = AcademicYear.current()
    years = [AcademicYear(start) for start in range(current.start_year, current.start_year - YEARS_BACK - 1, -1)]
    if year not in years:
        years.append(year)
        years.sort(reverse=True)
    return render(
        request,
        "reports/annual_report_list.html",
        {
            "year": year,
            "years": years,
            "current_year": current,
            "status": status,
            "statuses": statuses,
            "rows": rows,
            "total": sum(counts.values()),
        },
    )


def _document(request, pk, year) -> tuple[dict, str]:
    """The context of the report's document (its PDF and .docx), for the readers of the community, and the file
    name without its suffix."""
    year = _year(year)
    community, _access = community_for(request.user, pk)
    context = annual_report_document_context(community, year, _report(community, year))
    return context, f"Отчёт ПОС {community.name} за {year.start_year}-{year.start_year + 1}"


@require_http_methods(["GET"])
def annual_report_pdf(request, pk, year):
    context, name = _document(request, pk, year)
    data = render_pdf("reports/pdf/annual_report.html", context, stylesheets=REPORT_STYLESHEETS)
    return pdf_response(data, f"{name}.pdf")


@require_http_methods(["GET"])
def annual_report_docx(request, pk, year):
    context, name = _document(request, pk, year)
    return docx_response(annual_report_docx_bytes(context), f"{name}.docx")
