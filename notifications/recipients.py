"""Who a letter goes to. A letter goes to a person with an active account (the links open pages that need a login),
to the teacher's e-mail or else the account's; nothing goes to an inactive account, and a member with no address
(or no account) is skipped and counted on the leader's community page («Без e-mail: N»)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.db.models import Q

from communities.models import Community, Teacher
from pos_portal.roles import METHODISTS_GROUP


def address_of(user) -> str:
    """The teacher's e-mail, else the account's ("" when neither): ``user.teacher`` selected with the user."""
    teacher = getattr(user, "teacher", None)
    if teacher is not None and teacher.email:
        return teacher.email
    return user.email or ""


def users_of(teachers: Iterable[Teacher] | object) -> list:
    """The active accounts of ``teachers`` (a queryset or a list), their teachers selected (one query)."""
    return list(
        get_user_model().objects.filter(teacher__in=teachers, is_active=True).select_related("teacher").order_by("pk")
    )


def users_by_teacher(teachers: Iterable[Teacher] | object) -> dict[int, object]:
    """``users_of`` keyed by their teacher's pk (one query)."""
    return {user.teacher.pk: user for user in users_of(teachers)}


def users_by_pk(user_ids: Iterable[int]) -> dict[int, object]:
    """The accounts of ``user_ids``, active or not, their teachers selected (one query)."""
    return {user.pk: user for user in get_user_model().objects.filter(pk__in=list(user_ids)).select_related("teacher")}


def leader_users(community: Community, day: dt.date) -> list:
    leader = community.leader_on(day)
    return users_of([leader]) if leader is not None else []


def methodists() -> list:
    return list(
        get_user_model()
        .objects.filter(groups__name=METHODISTS_GROUP, is_active=True)
        .select_related("teacher")
        .order_by("pk")
        .distinct()
    )


def reachable_q(prefix: str = "") -> Q:
    """A teacher the portal can write to: an active account and an address (the teacher's or the account's)."""
    has_address = ~Q(**{f"{prefix}email": ""}) | ~Q(**{f"{prefix}user__email": ""})
    return Q(**{f"{prefix}user__is_active": True}) & has_address


def unreachable_members(community: Community, day: dt.date):
    """The community's members on ``day`` whom no letter reaches (no e-mail, or no active account)."""
    return Teacher.objects.members_of(community.pk, day).exclude(reachable_q())
