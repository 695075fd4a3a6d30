"""Writes of the communities app. Each is one transaction and validates what it saves."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from communities.access import teacher_of
from communities.models import (
    Acknowledgement,
    AnnualPlan,
    Community,
    LeaderAppointment,
    Membership,
    Organization,
    PlanItem,
    Regulation,
    Teacher,
)
from communities.models.plans import RETURN_NEEDS_COMMENT_MESSAGE, SUBMITTER_ONLY_MESSAGE
from communities.signals import plan_reviewed, plan_submitted
from pos_portal.roles import require


@transaction.atomic
def leader_appoint(
    *,
    community: Community,
    teacher: Teacher,
    order_number: str,
    order_date: dt.date,
    starts_on: dt.date,
    issued_by: Organization,
) -> LeaderAppointment:
    """Appoint a leader by an order: end the current appointment the day before, make the
    teacher a member if they are not one yet, and record the new appointment."""
    Community.objects.select_for_update().get(pk=community.pk)
    current = LeaderAppointment.objects.open().filter(community=community).first()
    if current is not None:
        if current.starts_on >= starts_on:
            raise ValidationError(
                f"Новое назначение должно начинаться позже текущего (с {current.starts_on:%d.%m.%Y})."
            )
        current.ends_on = LeaderAppointment.previous_ends_on(starts_on)
        current.save(update_fields=["ends_on"])
    if not Membership.objects.active_on(starts_on).filter(community=community, teacher=teacher).exists():
        membership_add(community=community, teacher=teacher, joined_on=starts_on)
    appointment = LeaderAppointment(
        community=community,
        teacher=teacher,
        order_number=order_number,
        order_date=order_date,
        starts_on=starts_on,
        issued_by=issued_by,
    )
    appointment.full_clean()
    appointment.save()
    return appointment


def membership_add(
    *, community: Community, teacher: Teacher, joined_on: dt.date | None = None, role=Membership.Role.MEMBER, duties=""
) -> Membership:
    membership = Membership(
        community=community,
        teacher=teacher,
        joined_on=joined_on or timezone.localdate(),
        role=role,
        duties=duties,
    )
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_end(*, membership: Membership, left_on: dt.date | None = None) -> Membership:
    """End a membership. The leader cannot leave while appointed (Membership.clean): a new order comes first."""
    if membership.left_on is not None:
        raise ValidationError(f"Членство уже завершено {membership.left_on:%d.%m.%Y}.")
    left_on = left_on or timezone.localdate()
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    return membership


def _on_commit(signal, plan: AnnualPlan, **kwargs) -> None:
    transaction.on_commit(lambda: signal.send(sender=AnnualPlan, plan=plan, **kwargs))


@transaction.atomic
def plan_submit(*, plan: AnnualPlan, user) -> AnnualPlan:
    """Send the plan for approval (the leader; ``meetings.services.plan_submit`` calls this beside naming the
    protocol of the meeting where it was discussed). Sends ``plan_submitted`` once committed."""
    plan = AnnualPlan.objects.select_for_update().select_related("community").get(pk=plan.pk)
    teacher = teacher_of(user)
    require(plan.community.is_led_by(teacher, timezone.localdate()), SUBMITTER_ONLY_MESSAGE)
    if refusal := plan.submission_refusal(teacher):
        raise ValidationError(refusal)
    plan.status = AnnualPlan.Status.SUBMITTED
    plan.submitted_at = timezone.now()
    plan.submitted_by = teacher
    plan.full_clean()
    plan.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    _on_commit(plan_submitted, plan, by=user)
    return plan


@transaction.atomic
def plan_review(*, plan: AnnualPlan, user, approve: bool, comment: str = "") -> AnnualPlan:
    """Approve a plan on approval, or return it to the leader with a comment (a methodist of the ИОЦ or the
    Department, never the community's leader: ``AnnualPlan.review_refusal``). Sends ``plan_reviewed``."""
    plan = AnnualPlan.objects.select_for_update().select_related("community").get(pk=plan.pk)
    refusal = plan.reviewer_refusal(user)
    require(not refusal, refusal)
    if refusal := plan.review_refusal():
        raise ValidationError(refusal)
    comment = (comment or "").strip()
    if approve:
        if refusal := plan.approval_refusal():
            raise ValidationError(refusal)
        plan.status, plan.approved_at, plan.approved_by = AnnualPlan.Status.APPROVED, timezone.now(), user
        fields = ["status", "approved_at", "approved_by"]
    else:
        if not comment:
            raise ValidationError({"return_comment": RETURN_NEEDS_COMMENT_MESSAGE})
        plan.status, plan.returned_at, plan.returned_by = AnnualPlan.Status.RETURNED, timezone.now(), user
        plan.return_comment = comment
        fields = ["status", "returned_at", "returned_by", "return_comment"]
    plan.full_clean()
    plan.save(update_fields=[*fields, "updated_at"])
    _on_commit(plan_reviewed, plan, approved=approve, by=user, comment=comment)
    return plan


@transaction.atomic
def plan_items_save(*, plan: AnnualPlan, formset) -> list[PlanItem]:
    """Save the plan's events as edited in a validated inline formset of ``PlanItem`` (the portal's plan editor
    and the admin's inline both call this). An approved plan stays approved; the policy of
    ``AnnualPlan.check_sessions_kept`` is checked on the stored result, under a lock on the plan, against the
    sessions planned before the change: a change that takes an approved plan below its required sessions is
    refused (``ValidationError``) and nothing is saved, also when two editors save at once."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    plan.check_content_editable()
    before = plan.planned_sessions_count()
    saved = formset.save(commit=False)
    for item in saved:
        item.save()
    deleted = [item.pk for item in formset.deleted_objects if item.pk is not None]
    if deleted:
        # The whole change is checked below, not each deletion against a half-saved plan.
        models.QuerySet.delete(PlanItem.objects.filter(pk__in=deleted))
    plan.check_sessions_kept(before=before, after=plan.planned_sessions_count())
    return saved


def acknowledgement_record(*, regulation: Regulation, teacher: Teacher, on: dt.date | None = None) -> Acknowledgement:
    """Record that the teacher has read the regulation (once; a second call returns the first)."""
    existing = Acknowledgement.objects.filter(regulation=regulation, teacher=teacher).first()
    if existing is not None:
        return existing
    acknowledgement = Acknowledgement(
        regulation=regulation, teacher=teacher, acknowledged_on=on or timezone.localdate()
    )
    acknowledgement.full_clean()
    acknowledgement.save()
    return acknowledgement


def membership_add_new_teacher(
    *,
    community: Community,
    teacher: Teacher,
    joined_on: dt.date | None = None,
    role=Membership.Role.MEMBER,
    duties="",
) -> Membership:
    """Register a new teacher (an unsaved ``Teacher``) and make them a member, all or nothing:
    when the membership is refused (an institutional community of another organization, say),
    the teacher is not kept either."""
    try:
        with transaction.atomic():
            teacher.full_clean()
            teacher.save()
            return membership_add(community=community, teacher=teacher, joined_on=joined_on, role=role, duties=duties)
    except ValidationError:
        # The row was rolled back: the instance must not pretend to be stored.
        teacher.pk = None
        teacher._state.adding = True
        raise


@transaction.atomic
def plan_copy_to_next_year(*, plan: AnnualPlan) -> AnnualPlan:
    """Start the next academic year's plan from ``plan``: a new draft with the same theme, goals, tasks,
    composition, professional needs and events. Dates move by one year (one that does not exist, 29
    February, is dropped and the month kept); a responsible who is no longer a member is left empty.
    Refused when the community already has a plan for that year."""
    Community.objects.select_for_update().get(pk=plan.community_id)
    year = plan.academic_year.next()
    if AnnualPlan.objects.filter(community_id=plan.community_id, academic_year=year).exists():
        raise ValidationError(f"План на {year} учебный год уже есть: новый по прошлогоднему не создаётся.")
    copy = AnnualPlan(
        community_id=plan.community_id,
        academic_year=year,
        theme=plan.theme,
        goals=plan.goals,
        tasks=plan.tasks,
        composition=plan.composition,
        professional_needs=plan.professional_needs,
        status=AnnualPlan.Status.DRAFT,
    )
    copy.full_clean()
    copy.save()
    members = set(
        Membership.objects.current().filter(community_id=plan.community_id).values_list("teacher_id", flat=True)
    )
    for item in plan.items.all():
        planned_on = None
        if item.planned_on is not None:
            try:
                planned_on = item.planned_on.replace(year=item.planned_on.year + 1)
            except ValueError:
                planned_on = None
            if planned_on is not None and planned_on not in year:
                planned_on = None
        new_item = PlanItem(
            plan=copy,
            month=item.month or (item.planned_on.month if item.planned_on else None),
            planned_on=planned_on,
            topic=item.topic,
            form=item.form,
            responsible_id=item.responsible_id if item.responsible_id in members else None,
            expected_result=item.expected_result,
        )
        new_item.full_clean()
        new_item.save()
    return copy
