"""What the annual plan and the annual report print: the context of templates/reports/pdf/annual_plan.html and
annual_report.html, built here so that the views stay thin."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from communities.models import AnnualPlan, Community, Organization, PlanItem, Teacher
from pos_portal.academic_year import AcademicYear
from reports.annual_figures import annual_figures
from reports.models import AnnualReport

IOC_FULL_NAME = (
    "Муниципальное учреждение дополнительного профессионального образования "
    "«Информационно-образовательный центр» Тутаевского муниципального района"
)
DEPARTMENT_TITLE = "Департамент образования АТМР"

#: Extra stylesheet of these two documents (after the base one).
STYLESHEETS = ("css/pdf/annual.css",)


def ioc_name() -> str:
    """The full name of the ИОЦ (its organization in the directory, else the name in the regulation)."""
    ioc = Organization.objects.filter(kind=Organization.Kind.IOC, is_active=True).order_by("pk").first()
    return ioc.full_name if ioc else IOC_FULL_NAME


def organization_name(community: Community) -> str:
    """The organization named at the top of a community's document: its own for an institutional community,
    the ИОЦ (which coordinates the district's communities) for a municipal one."""
    if community.organization_id:
        return community.organization.full_name
    return ioc_name()


def _leader_for(community: Community, day: dt.date, year: AcademicYear) -> Teacher | None:
    return community.leader_on(day) or community.leader_on(min(year.end, timezone.localdate()))


def plan_document_context(plan: AnnualPlan, community: Community) -> dict:
    """The annual plan: an approved one carries «УТВЕРЖДАЮ» with who approved it and when; a draft is «ПРОЕКТ»."""
    items = list(PlanItem.objects.filter(plan=plan).select_related("responsible"))
    today = timezone.localdate()
    approved_on = timezone.localdate(plan.approved_at) if plan.approved_at else None
    leader = _leader_for(community, approved_on or today, plan.academic_year)
    approver_title = approver_name = ""
    if plan.is_approved:
        user = plan.approved_by
        teacher = getattr(user, "teacher", None) if user is not None else None
        if teacher is not None:
            approver_name = teacher.signature_name
            approver_title = "Руководитель ПОС" if leader is not None and leader.pk == teacher.pk else teacher.position
        elif user is not None:
            approver_name = user.get_full_name() or user.get_username()
            approver_title = DEPARTMENT_TITLE
    return {
        "plan": plan,
        "community": community,
        "organization_name": organization_name(community),
        "items": items,
        "leader": leader,
        "approver_title": approver_title,
        "approver_name": approver_name,
        "draft": not plan.is_approved,
    }


def annual_report_document_context(community: Community, year: AcademicYear, report: AnnualReport | None) -> dict:
    """The annual report with its figures; «ПРОЕКТ» until the ИОЦ accepts it. Signed by the leader who submitted
    it (the current leader while it is a draft)."""
    today = timezone.localdate()
    signer = report.submitted_by if report is not None and report.submitted_by_id else None
    if signer is None:
        signer = _leader_for(community, today, year)
    signed_on = timezone.localdate(report.submitted_at) if report is not None and report.submitted_at else today
    return {
        "community": community,
        "organization_name": organization_name(community),
        "year": year,
        "report": report,
        "figures": annual_figures(community, year, today=today),
        "signer": signer,
        "signed_on": signed_on,
        "draft": report is None or not report.is_accepted,
    }
