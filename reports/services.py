"""Writes of the reports app: the annual report's life (draft → на проверке → принят / возвращён).

Each service is one transaction, checks who may do it and validates what it saves. A wrong role raises
``PermissionDenied`` through ``communities.access.require`` (the page answers 403); a wrong state raises
``ValidationError`` with a Russian message. A review (accepted or returned) sends
``reports.signals.annual_report_reviewed`` once its transaction commits.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from communities.access import leads, require, require_district, teacher_of
from communities.models import Community
from pos_portal.academic_year import AcademicYear
from reports.models import AnnualReport
from reports.models.annual_reports import NOT_EDITABLE_MESSAGE, AnnualReportLockedError
from reports.signals import annual_report_reviewed
from reports.signatories import Signatory

LEADER_ONLY_MESSAGE = "Отчёт о деятельности ПОС составляет и отправляет действующий руководитель сообщества."
REVIEWER_ONLY_MESSAGE = "Проверяют отчёты методисты ИОЦ и Департамент образования."


def _require_leader(community: Community, user):
    require(leads(user, community), LEADER_ONLY_MESSAGE)
    return teacher_of(user)


def annual_report_start(*, community: Community, year: AcademicYear, user) -> AnnualReport:
    """The community's report for ``year``; a new draft when there is none yet (the leader only)."""
    _require_leader(community, user)
    report = AnnualReport.objects.filter(community=community, academic_year=year).first()
    if report is not None:
        return report
    if year.start > timezone.localdate():
        raise ValidationError(f"{year} учебный год ещё не начался: отчёт за него составить нельзя.")
    report = AnnualReport(community=community, academic_year=year)
    report.full_clean()
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Created at the same moment by another request: use that one.
        return AnnualReport.objects.get(community=community, academic_year=year)
    return report


@transaction.atomic
def annual_report_save(*, report: AnnualReport, user, expected_version: int | None) -> AnnualReport:
    """Save the leader's text (results, difficulties, proposals) of a draft or returned report, edited from
    ``expected_version`` (``VersionedModel.bump_version``: a text saved meanwhile is not overwritten)."""
    _require_leader(report.community, user)
    stored = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if stored.is_accepted:
        raise AnnualReportLockedError()
    if not stored.is_editable:
        raise ValidationError(NOT_EDITABLE_MESSAGE)
    stored.bump_version(expected_version)
    for name in AnnualReport.TEXT_FIELDS:
        setattr(stored, name, getattr(report, name).strip())
    stored.full_clean()
    stored.save(update_fields=[*AnnualReport.TEXT_FIELDS, "updated_at"])
    return stored


@transaction.atomic
def annual_report_submit(*, report: AnnualReport, user) -> AnnualReport:
    """Send the report to the ИОЦ. Only the current leader, only a draft or a returned report, and only
    with its results written."""
    report = AnnualReport.objects.select_for_update().select_related("community").get(pk=report.pk)
    teacher = _require_leader(report.community, user)
    if report.status == AnnualReport.Status.SUBMITTED:
        raise ValidationError("Отчёт уже отправлен в ИОЦ и ждёт проверки.")
    if report.is_accepted:
        raise ValidationError("Отчёт уже принят ИОЦ.")
    if not report.results.strip():
        raise ValidationError("Заполните раздел «Результаты»: без него отчёт не отправляют.")
    report.status = AnnualReport.Status.SUBMITTED
    report.submitted_at = timezone.now()
    report.submitted_by = teacher
    report.full_clean()
    report.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    return report


def _review(report: AnnualReport, user, status: str, comment: str) -> AnnualReport:
    require_district(user, REVIEWER_ONLY_MESSAGE)
    report = AnnualReport.objects.select_for_update().get(pk=report.pk)
    if report.status != AnnualReport.Status.SUBMITTED:
        raise ValidationError(
            f"Проверить можно только отчёт на проверке; этот отчёт — «{report.get_status_display()}»."
        )
    teacher = teacher_of(user)
    if teacher is not None and report.submitted_by_id == teacher.pk:
        raise ValidationError("Свой отчёт проверяет другой методист.")
    report.status = status
    report.reviewed_at = timezone.now()
    report.reviewed_by = user
    reviewer = Signatory.of(user)
    report.reviewer_title, report.reviewer_name = reviewer.title, reviewer.signature_name
    report.review_comment = (comment or "").strip()
    report.full_clean()
    report.save(
        update_fields=[
            "status",
            "reviewed_at",
            "reviewed_by",
            "reviewer_title",
            "reviewer_name",
            "review_comment",
            "updated_at",
        ]
    )
    transaction.on_commit(
        lambda: annual_report_reviewed.send(
            sender=AnnualReport,
            report=report,
            accepted=report.is_accepted,
            by=user,
            comment=report.review_comment,
        )
    )
    return report


@transaction.atomic
def annual_report_accept(*, report: AnnualReport, user, comment: str = "") -> AnnualReport:
    """Accept a submitted report (a methodist or the Department); from then on it is read-only."""
    return _review(report, user, AnnualReport.Status.ACCEPTED, comment)


@transaction.atomic
def annual_report_return(*, report: AnnualReport, user, comment: str) -> AnnualReport:
    """Return a submitted report to the leader for rework, with a comment saying what to fix."""
    return _review(report, user, AnnualReport.Status.RETURNED, comment)
