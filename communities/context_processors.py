"""``portal_role`` for the navbar: the user's name and the access predicates the navbar needs
(``communities.access`` and, for what lies outside the communities, ``pos_portal.roles``)."""

from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from communities.access import sees_district, teacher_of
from pos_portal.roles import administers, may_use_two_factor


@dataclass(frozen=True)
class PortalRole:
    display_name: str
    sees_district: bool
    may_use_two_factor: bool
    administers: bool


def _role(user) -> PortalRole:
    teacher = teacher_of(user)
    name = teacher.short_name if teacher else (user.get_full_name() or user.get_username())
    return PortalRole(
        display_name=name,
        sees_district=sees_district(user),
        may_use_two_factor=may_use_two_factor(user),
        administers=administers(user),
    )


def portal_role(request):
    """``portal_role`` in templates: the user's name and roles, computed only when used."""
    return {"portal_role": SimpleLazyObject(lambda: _role(request.user))}
