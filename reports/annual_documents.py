"""What the annual plan and the annual report print: the context of templates/reports/pdf/annual_plan.html and
annual_report.html, built here so that the views stay thin."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from communities.models import AnnualPlan, Community, PlanItem, Teacher
from meetings.models import PlanDiscussion
from pos_portal.academic_year import AcademicYear
from reports.annual_figures import annual_figures
from reports.models import AnnualReport
from reports.signatories import Signatory

#: Extra stylesheet of these two documents (after the base one).
STYLESHEETS = ("css/pdf/annual.css",)
#: The annual report's own rules on top of them (its text flush left).
REPORT_STYLESHEETS = (*STYLESHEETS, "css/pdf/annual_report.css")


def organization_name(community: Community) -> str:
    """The organization named at the top of a community's document (``Community.document_organization_name``)."""
    return community.document_organization_name()


def _leader_for(community: Community, day: dt.date, year: AcademicYear) -> Teacher | None:
    return community.leader_on(day) or community.leader_on(min(year.end, timezone.localdate()))


def plan_document_context(plan: AnnualPlan, community: Community) -> dict:
    """The annual plan: «РАССМОТРЕНО на заседании ПОС, протокол № … от …» once it names the meeting where it was
    discussed (``meetings.PlanDiscussion``); an approved one carries «УТВЕРЖДАЮ» with the approver's position,
    organization, name and date; until approved it is «ПРОЕКТ»."""
    items = list(PlanItem.objects.filter(plan=plan).select_related("responsible"))
    today = timezone.localdate()
    approved_on = timezone.localdate(plan.approved_at) if plan.approved_at else None
    leader = _leader_for(community, approved_on or today, plan.academic_year)
    discussion = (
        PlanDiscussion.objects.filter(plan=plan).select_related("protocol__meeting").first()
        if plan.status != AnnualPlan.Status.DRAFT
        else None
    )
    approver = Signatory.of(plan.approved_by) if plan.is_approved and plan.approved_by is not None else None
    return {
        "plan": plan,
        "community": community,
        "organization_name": organization_name(community),
        "items": items,
        "leader": leader,
        "discussed": (
            f"протокол №\u00a0{discussion.protocol.number} от {discussion.protocol.meeting.date:%d.%m.%Y}"
            if discussion
            else ""
        ),
        "approver_position": approver.position_title if approver else "",
        "approver_organization": approver.organization if approver else "",
        "approver_name": approver.signature_name if approver else "",
        "approved_on": approved_on,
        "draft": not plan.is_approved,
    }


#: The typed sections are numbered after the seven sections of figures (the PDF and the .docx alike).
FIRST_TYPED_SECTION = 8


def report_sections(report: AnnualReport | None) -> list[tuple[str, str]]:
    """The typed sections of the report (``AnnualReport.SECTIONS``) as (heading, text); "" where not written."""
    return [
        (heading, getattr(report, name, "") if report is not None else "") for name, heading in AnnualReport.SECTIONS
    ]


def annual_report_document_context(community: Community, year: AcademicYear, report: AnnualReport | None) -> dict:
    """The annual report with its figures and typed sections; «ПРОЕКТ» until the ИОЦ accepts it, then «Принят:
    …, дата» (``AnnualReport.acceptance``). Signed by the leader who submitted it (the current leader while it is a
    draft)."""
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
        "sections": report_sections(report),
        "first_typed_section": FIRST_TYPED_SECTION,
        "acceptance": report.acceptance if report is not None else "",
        "signer": signer,
        "signed_on": signed_on,
        "draft": report is None or not report.is_accepted,
    }
