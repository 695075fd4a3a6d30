"""``{% load annual_reports %}``: the link from the community page to its annual report for the selected year."""

from django import template
from django.utils import timezone

from pos_portal.academic_year import AcademicYear
from reports.models import AnnualReport

register = template.Library()


@register.inclusion_tag("reports/partials/annual_report_link.html")
def annual_report_link(community, year=None):
    """«Отчёт за 2024/2025» with the report's status (one query); nothing for a year that has not started."""
    year = year if isinstance(year, AcademicYear) else AcademicYear.current()
    if year.start > timezone.localdate():
        return {"show": False}
    report = AnnualReport.objects.filter(community=community, academic_year=year).only("status").first()
    return {
        "show": True,
        "community": community,
        "year": year,
        "status": report.status if report else "",
        "label": report.get_status_display() if report else "не начат",
    }
