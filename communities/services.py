"""Writes of the communities app. Each is one transaction and validates what it saves."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from communities.models import (
    Acknowledgement,
    AnnualPlan,
    Community,
    LeaderAppointment,
    Membership,
    Organization,
    Regulation,
    Teacher,
)
from communities.models.plans import sessions_missing_message


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
    current = LeaderAppointment.objects.filter(community=community, ends_on__isnull=True).first()
    if current is not None:
        if current.starts_on >= starts_on:
            raise ValidationError(
                f"Новое назначение должно начинаться позже текущего (с {current.starts_on:%d.%m.%Y})."
            )
        current.ends_on = starts_on - dt.timedelta(days=1)
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
    """End a membership. The current leader cannot leave while appointed: a new order comes first."""
    left_on = left_on or timezone.localdate()
    appointment = (
        LeaderAppointment.objects.filter(community_id=membership.community_id, teacher_id=membership.teacher_id)
        .filter(ends_on__isnull=True)
        .first()
    )
    if appointment is not None:
        raise ValidationError(
            "Это действующий руководитель ПОС: сначала оформите приказ о назначении нового руководителя."
        )
    membership.left_on = left_on
    membership.full_clean()
    membership.save(update_fields=["left_on"])
    return membership


@transaction.atomic
def plan_approve(*, plan: AnnualPlan, user) -> AnnualPlan:
    """Approve an annual plan; refused while it plans fewer sessions than regulation 4.2 asks."""
    plan = AnnualPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.is_approved:
        raise ValidationError("План уже утверждён.")
    if missing := plan.sessions_missing():
        raise ValidationError(sessions_missing_message(missing))
    plan.status = AnnualPlan.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = user
    plan.full_clean()
    plan.save(update_fields=["status", "approved_at", "approved_by", "updated_at"])
    return plan


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
