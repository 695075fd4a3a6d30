"""The ИОЦ dashboard: compliance of every community with regulation 4.2 and section 6, and its exports.

Methodists of the ИОЦ and the Department only; everyone else gets 403. The page, the XLSX table and the
PDF summary read the same rows (``reports.compliance``) with the same filters and sorting, in a fixed
number of queries whatever the number of communities.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, replace
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Min
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.decorators.http import require_http_methods
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from communities.access import require_district
from communities.activity import minimum_sessions
from communities.data_version import cached, data_version, page_part
from communities.models import Community
from meetings.models.meetings import protocol_due_days
from pos_portal.academic_year import AcademicYear
from pos_portal.bad_input import row_id
from pos_portal.xlsx import portal_properties
from reports.charts import sessions_per_month_chart, status_chart
from reports.compliance import (
    ComplianceRow,
    Status,
    compliance_for_year,
    sessions_held_by_month,
    totals,
)
from reports.docx.district_summary import district_summary_docx as district_summary_docx_bytes
from reports.pdf import docx_response, pdf_response, render_pdf
from reports.signatories import Signatory
from reports.tasks import SUMMARY_RETRY_SECONDS, district_summary

YEARS_BACK = 10
PAGE_SIZE = 50
FORBIDDEN_MESSAGE = "Сводка по сообществам доступна методистам ИОЦ и Департаменту образования."


def _by_name(row: ComplianceRow):
    return (row.community.name.lower(), row.community.pk)


#: ?sort= keys; «-key» sorts the other way. Ties keep the order by name.
SORT_KEYS = {
    "urgency": lambda row: row.urgency,
    "name": _by_name,
    "status": lambda row: row.status_rank,
    "held": lambda row: row.held,
    "planned": lambda row: row.planned,
    "required": lambda row: row.required,
    "remaining": lambda row: row.remaining,
    "overdue": lambda row: row.overdue_assignments,
    "late": lambda row: row.late_protocols,
    "documents": lambda row: len(row.missing_documents),
    "level": lambda row: row.community.get_level_display(),
    "organization": lambda row: row.community.organization.short_name.lower() if row.community.organization else "",
}
#: The most urgent first: the methodist's morning question is «where do I go first?».
DEFAULT_SORT = "urgency"


@dataclass(frozen=True)
class DashboardQuery:
    """The dashboard's GET parameters, checked: a bad value means «no filter» (or the current year)."""

    year: AcademicYear
    status: str = ""
    level: str = ""
    organization_id: int | None = None
    missing_only: bool = False
    late_only: bool = False
    sort: str = DEFAULT_SORT

    @classmethod
    def from_request(cls, request, today: dt.date) -> DashboardQuery:
        return cls.from_params(request.GET, today)

    @classmethod
    def from_params(cls, params, today: dt.date) -> DashboardQuery:
        status = params.get("status", "")
        level = params.get("level", "")
        sort = params.get("sort", DEFAULT_SORT)
        return cls(
            year=AcademicYear.from_query(params, default=AcademicYear.of(today)),
            status=status if status in Status.values else "",
            level=level if level in Community.Level.values else "",
            organization_id=row_id(params.get("organization")),
            missing_only=params.get("missing") == "1",
            late_only=params.get("late") == "1",
            sort=sort if sort.removeprefix("-") in SORT_KEYS else DEFAULT_SORT,
        )

    @property
    def is_filtered(self) -> bool:
        return bool(self.status or self.level or self.organization_id or self.missing_only or self.late_only)

    def params(self) -> dict[str, str]:
        params = {"year": self.year.label}
        if self.status:
            params["status"] = self.status
        if self.level:
            params["level"] = self.level
        if self.organization_id:
            params["organization"] = str(self.organization_id)
        if self.missing_only:
            params["missing"] = "1"
        if self.late_only:
            params["late"] = "1"
        if self.sort != DEFAULT_SORT:
            params["sort"] = self.sort
        return params

    def querystring(self, **changes) -> str:
        return urlencode(replace(self, **changes).params())

    def apply(self, rows: list[ComplianceRow]) -> list[ComplianceRow]:
        """The rows that pass the filters, sorted."""
        selected = [
            row
            for row in rows
            if (not self.status or row.status == self.status)
            and (not self.level or row.community.level == self.level)
            and (not self.organization_id or row.community.organization_id == self.organization_id)
            and (not self.missing_only or row.missing_documents)
            and (not self.late_only or row.late_protocols)
        ]
        selected.sort(key=_by_name)
        key = self.sort.removeprefix("-")
        if key != "name" or self.sort.startswith("-"):
            selected.sort(key=SORT_KEYS[key], reverse=self.sort.startswith("-"))
        return selected

    def describe(self, organizations: dict[int, str]) -> str:
        """The filters in words, for the exports («уровень: муниципальное; статус: под угрозой»)."""
        parts = []
        if self.status:
            parts.append(f"статус: {Status(self.status).label}")
        if self.level:
            parts.append(f"уровень: {Community.Level(self.level).label.lower()}")
        if self.organization_id:
            parts.append(f"организация: {organizations.get(self.organization_id, '—')}")
        if self.missing_only:
            parts.append("только с недостающими документами")
        if self.late_only:
            parts.append("только с просроченными протоколами")
        return "; ".join(parts)


def _sort_links(query: DashboardQuery) -> dict[str, dict]:
    """For every sortable column: the link (the other direction when it is the current sort) and the arrow."""
    links = {}
    for key in SORT_KEYS:
        if query.sort == key:
            target, arrow = f"-{key}", "↑"
        elif query.sort == f"-{key}":
            target, arrow = key, "↓"
        else:
            # Numbers first from the largest, texts from A.
            target = key if key in ("name", "level", "organization", "status") else f"-{key}"
            arrow = ""
        links[key] = {"query": query.querystring(sort=target), "arrow": arrow}
    return links


def _year_choices(selected: AcademicYear, today: dt.date) -> list[AcademicYear]:
    current = AcademicYear.of(today)
    founded = Community.objects.filter(is_archived=False).aggregate(first=Min("founded_on"))["first"]
    first = AcademicYear.of(founded) if founded else current
    first = max(first, AcademicYear(current.start_year - YEARS_BACK))
    years = {AcademicYear(start) for start in range(first.start_year, current.next().start_year + 1)}
    years.add(selected)
    return sorted(years, reverse=True)


def _organizations(rows: list[ComplianceRow]) -> dict[int, str]:
    found = {
        row.community.organization_id: row.community.organization.short_name
        for row in rows
        if row.community.organization
    }
    return dict(sorted(found.items(), key=lambda item: item[1].lower()))


def _filename(year: AcademicYear, extension: str) -> str:
    return f"pos-svodka-{year.start_year}-{year.start_year + 1}.{extension}"


def current_day() -> dt.date:
    """The day the compliance is computed for (a function, so tests can fix the clock)."""
    return timezone.localdate()


class DashboardData:
    """What the page shows, computed only when the template's cached fragment for this data version, day, query
    and page is missing (``{% cache %}`` in reports/dashboard.html): a cached page costs no computation at all."""

    def __init__(self, query: DashboardQuery, today: dt.date, page_number: str | None):
        self.query, self.today, self.page_number = query, today, page_number

    @cached_property
    def rows(self) -> list[ComplianceRow]:
        return compliance_for_year(self.query.year, today=self.today)

    @cached_property
    def summary(self) -> dict:
        return totals(self.rows)

    @cached_property
    def page(self):
        """The page of the filtered, sorted table; a bad page number gives the first or the last page."""
        return Paginator(self.query.apply(self.rows), PAGE_SIZE).get_page(self.page_number)

    @cached_property
    def organizations(self):
        return _organizations(self.rows).items()

    @cached_property
    def years(self) -> list[AcademicYear]:
        return _year_choices(self.query.year, self.today)

    @cached_property
    def months_chart(self):
        return sessions_per_month_chart(sessions_held_by_month(self.query.year), self.query.year.label)

    @cached_property
    def status_chart(self):
        return status_chart(self.summary["by_status"])


def _checked_query(request) -> tuple[DashboardQuery, dt.date]:
    """The overview's permission check, then the query and the day (the same for the page and the exports)."""
    require_district(request.user, FORBIDDEN_MESSAGE)
    today = current_day()
    return DashboardQuery.from_request(request, today), today


@require_http_methods(["GET"])
def dashboard(request):
    query, today = _checked_query(request)
    page_number = page_part(request.GET.get("page"))
    context = {
        "query": query,
        "year": query.year,
        "current_year": AcademicYear.of(today),
        "today": today,
        "minimum": minimum_sessions(),
        "protocol_due_days": protocol_due_days(),
        "data": DashboardData(query, today, page_number),
        "cache_version": data_version(),
        "cache_seconds": settings.REPORTS_CACHE_SECONDS,
        "page_number": page_number,
        "statuses": Status.choices,
        "levels": Community.Level.choices,
        "sort_links": _sort_links(query),
        "default_sort": DEFAULT_SORT,
        "export_query": query.querystring(),
    }
    return render(request, "reports/dashboard.html", context)


# --- XLSX --------------------------------------------------------------------------------------------------------

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_COLUMNS = [
    ("№", 5),
    ("ПОС", 48),
    ("Уровень", 16),
    ("Базовая организация", 26),
    ("Руководитель", 22),
    ("Проведено заседаний", 12),
    ("Запланировано", 13),
    ("Минимум (п. 4.2)", 11),
    ("Статус", 14),
    ("Недостающие документы", 42),
    ("Просроченные поручения", 13),
    ("Просроченные протоколы", 13),
]
HEADER_FILL = PatternFill("solid", fgColor="DDE6F4")


def _set(cell, value) -> None:
    """Write a value; a text that starts with «=» stays text (openpyxl would store it as a formula)."""
    cell.value = value
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"


def build_workbook(rows: list[ComplianceRow], *, year: AcademicYear, today: dt.date, filters: str) -> bytes:
    workbook = Workbook()
    title = f"Сводка по ПОС Тутаевского муниципального района за {year.label} учебный год"
    portal_properties(workbook, title=title, subject="Соблюдение п. 4.2 Положения и документация раздела 6")
    sheet = workbook.active
    sheet.title = f"Сводка {year.start_year}-{year.start_year + 1}"
    sheet["A1"] = title
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A2"] = f"на {today:%d.%m.%Y}" + (f"; отбор: {filters}" if filters else "")
    header_row = 4
    for column, (title, width) in enumerate(XLSX_COLUMNS, start=1):
        cell = sheet.cell(row=header_row, column=column, value=title)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(column)].width = width
    for number, row in enumerate(rows, start=1):
        community = row.community
        name = community.name + (f" ({row.prorated_note})" if row.prorated else "")
        values = [
            number,
            name,
            community.get_level_display(),
            community.organization.short_name if community.organization else "",
            row.leader.short_name if row.leader else "не назначен",
            row.held,
            row.planned,
            row.required,
            row.status.label,
            ", ".join(row.missing_labels),
            row.overdue_assignments,
            row.late_protocols,
        ]
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row=header_row + number, column=column)
            _set(cell, value)
            cell.alignment = Alignment(wrap_text=column in (2, 4, 10), vertical="top")
    total_row = header_row + len(rows) + 1
    summary = totals(rows)
    total_values = {
        2: f"Итого: {summary['communities']}",
        6: summary["held"],
        7: summary["planned"],
        8: summary["required"],
        9: ", ".join(f"{status.label} — {count}" for status, count in summary["by_status"] if count),
        10: f"с недостающими документами: {summary['with_missing_documents']}",
        11: summary["overdue_assignments"],
        12: summary["late_protocols"],
    }
    for column, value in total_values.items():
        cell = sheet.cell(row=total_row, column=column, value=value)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    if rows:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(XLSX_COLUMNS))}{header_row + len(rows)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _workbook(query: DashboardQuery, today: dt.date) -> bytes:
    rows = compliance_for_year(query.year, today=today)
    return build_workbook(query.apply(rows), year=query.year, today=today, filters=query.describe(_organizations(rows)))


@require_http_methods(["GET"])
def dashboard_xlsx(request):
    """The table as XLSX: built once per data version, day and query."""
    query, today = _checked_query(request)
    data = cached("dashboard_xlsx", (today, query.querystring()), lambda: _workbook(query, today))
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(query.year, "xlsx")}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- PDF ---------------------------------------------------------------------------------------------------------


#: Who issues the district summary, and how its statuses are read: printed by its PDF and its .docx.
SUMMARY_ORGANIZATION = "МУ ДПО «Информационно-образовательный центр» Тутаевского муниципального района"
SUMMARY_STATUS_NOTE = (
    "Статус: «выполнено» — проведено не меньше минимума; «нарушено» — учебный год окончен, минимум не достигнут; "
    "«под угрозой» — проведённых и запланированных заседаний меньше минимума или отставание от темпа «одно "
    "заседание в четверть»; «в графике» — в остальных случаях. Учитываются заседания коллективных форм "
    "с подписанным протоколом."
)


def summary_context(query: DashboardQuery, today: dt.date, executor: Signatory | None = None) -> dict:
    """What the district summary prints (its PDF and .docx): the filtered, sorted rows and their totals, and who
    compiled it (``executor``: «Исполнитель», the date and the signature line; None: nobody named)."""
    rows = compliance_for_year(query.year, today=today)
    table = query.apply(rows)
    return {
        "executor": executor,
        "organization": SUMMARY_ORGANIZATION,
        "status_note": SUMMARY_STATUS_NOTE,
        "year": query.year,
        "today": today,
        "rows": table,
        "summary": totals(table),
        "district_summary": totals(rows),
        "filters": query.describe(_organizations(rows)),
    }


def summary_pdf(query: DashboardQuery, today: dt.date, executor: Signatory | None = None) -> bytes:
    context = summary_context(query, today, executor)
    return render_pdf("reports/pdf/district_summary.html", context, stylesheets=["css/pdf/district_summary.css"])


@require_http_methods(["GET"])
def district_summary_pdf(request):
    """The summary as a PDF, built once per data version, day and query by a task (``reports.tasks``: a region's
    first build takes tens of seconds, too close to the worker's timeout for a request). Until it is ready the
    page says that it is being prepared and looks again by itself (a script the person can stop)."""
    query, today = _checked_query(request)
    data = district_summary(query, today, Signatory.of(request.user).parts())
    if data is None:
        context = {"year": query.year, "retry_seconds": SUMMARY_RETRY_SECONDS}
        return render(request, "reports/summary_preparing.html", context, status=202)
    return pdf_response(data, _filename(query.year, "pdf"), inline=True)


@require_http_methods(["GET"])
def district_summary_docx(request):
    """The summary in Word: built once per data version, day and query, as the PDF."""
    query, today = _checked_query(request)
    executor = Signatory.of(request.user)
    data = cached(
        "district_summary_docx",
        (today, query.querystring(), *executor.parts()),
        lambda: district_summary_docx_bytes(summary_context(query, today, executor)),
    )
    return docx_response(data, _filename(query.year, "docx"))
