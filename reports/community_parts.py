"""What reports adds to the community page (``communities.page_parts``, registered in ``reports.apps``): the
button of the annual report for the selected year and the line about regulation 4.2."""

from django.utils import timezone

from meetings.models.meetings import protocol_due_days
from pos_portal.academic_year import AcademicYear
from reports.compliance import compliance_for_community
from reports.models import AnnualReport


def _year(year) -> AcademicYear:
    return year if isinstance(year, AcademicYear) else AcademicYear.current()


def annual_report_link(community, year=None):
    """«Отчёт за 2024/2025» with the report's status (one query); nothing for a year that has not started."""
    year = _year(year)
    if year.start > timezone.localdate():
        return "reports/partials/annual_report_link.html", {"show": False}
    report = AnnualReport.objects.filter(community=community, academic_year=year).only("status").first()
    return "reports/partials/annual_report_link.html", {
        "show": True,
        "community": community,
        "year": year,
        "status": report.status if report else "",
        "label": report.get_status_display() if report else "не начат",
    }


def compliance_line(community, year=None):
    """Held / required, the status badge, what the year still needs («нужно провести ещё 2 заседания») and the
    late protocols («протокол просрочен»).
    Two queries, whatever the community's size; nothing for an archived community or a year before it existed."""
    return "reports/partials/compliance_line.html", {
        "row": compliance_for_community(community, _year(year), with_documents=False),
        "protocol_due_days": protocol_due_days(),
    }
