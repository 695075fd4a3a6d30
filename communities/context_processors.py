from dataclasses import dataclass

from django.utils.functional import SimpleLazyObject

from pos_portal.roles import is_department, is_methodist


@dataclass(frozen=True)
class PortalRole:
    display_name: str
    is_methodist: bool
    is_department: bool


def _role(user) -> PortalRole:
    from communities.access import teacher_of

    teacher = teacher_of(user)
    name = teacher.short_name if teacher else (user.get_full_name() or user.get_username())
    return PortalRole(display_name=name, is_methodist=is_methodist(user), is_department=is_department(user))


def portal_role(request):
    """``portal_role`` in templates: the user's name and roles, computed only when used."""
    return {"portal_role": SimpleLazyObject(lambda: _role(request.user))}
