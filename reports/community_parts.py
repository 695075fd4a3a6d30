"""What reports adds to the community page (``communities.page_parts``, registered in ``reports.apps``): the
button of the annual report for the selected year, the line about regulation 4.2 and the checklist of the mandatory
documentation of section 6 for the leader and the methodists."""

from django.urls import reverse
from django.utils import timezone

from communities.models import Material
from meetings.models.meetings import protocol_due_days
from pos_portal.academic_year import AcademicYear
from reports.compliance import Document, DocumentState, compliance_for_community
from reports.models import AnnualReport


def _year(year) -> AcademicYear:
    return year if isinstance(year, AcademicYear) else AcademicYear.current()


def annual_report_link(community, year=None, access=None):
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


def compliance_line(community, year=None, access=None):
    """Held / required, the status badge, what the year still needs («нужно провести ещё 2 заседания») and the
    late protocols («протокол просрочен»).
    Two queries, whatever the community's size; nothing for an archived community or a year before it existed."""
    return "reports/partials/compliance_line.html", {
        "row": compliance_for_community(community, _year(year), with_documents=False),
        "protocol_due_days": protocol_due_days(),
    }


def _fix(check, community, year, access) -> tuple[str, str]:
    """Where a document of the checklist is seen or made: (link, label); ("", text) where the reader cannot act."""
    missing = check.state in (DocumentState.MISSING, DocumentState.DRAFT)
    if check.document == Document.REGULATION:
        if missing and access.can_add_regulation:
            return reverse("communities:regulation_create", args=[community.pk]), "Добавить положение"
        return "#regulations", "Положения"
    if check.document == Document.APPOINTMENT:
        if missing and access.can_manage and access.teacher is None:  # the Department, in its admin
            return reverse("admin:communities_leaderappointment_add") + f"?community={community.pk}", "Издать приказ"
        return ("#leader", "Руководитель") if not missing else ("", "приказ издаёт Департамент образования")
    if check.document == Document.PLAN:
        if check.state == DocumentState.MISSING and access.can_manage:
            return reverse("communities:plan_create", args=[community.pk]), "Создать план"
        return "#plans", "Планы работы"
    if check.document == Document.PROTOCOLS:
        return "#protocols", "Протоколы"
    return reverse("reports:annual_report", args=[community.pk, year.start_year]), "Отчёт за год"


def documents_checklist(community, year=None, access=None):
    """Section 6 of the regulation for the year: each mandatory document with its state and where it is made, and
    the «иные документы» (materials of that kind). For the leader, the methodists and the Department, who answer for
    it (5.2); nothing for members. Six queries (the compliance documents and the count)."""
    if access is None or not (access.can_manage or access.sees_district):
        return "reports/partials/documents_section6.html", {"show": False}
    year = _year(year)
    row = compliance_for_community(community, year)
    if row is None:
        return "reports/partials/documents_section6.html", {"show": False}
    items = []
    for check in row.documents:
        link, label = _fix(check, community, year, access)
        items.append({"check": check, "link": link, "label": label})
    others = community.materials.filter(kind=Material.Kind.DOCUMENT).count()
    add_other = reverse("communities:material_add", args=[community.pk]) + f"?kind={Material.Kind.DOCUMENT}"
    return "reports/partials/documents_section6.html", {
        "show": True,
        "year": year,
        "items": items,
        "missing": len(row.missing_documents),
        "others": others,
        "add_other": add_other if access.can_add_material else "",
    }
