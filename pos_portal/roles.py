"""Who a user is in the portal, for what lies outside the communities: the one place that names the methodists'
group, the administrators and who may use the second factor.

``pos_portal`` imports no app (the layering contract in ``pyproject.toml``), so it cannot ask
``communities.access``; the portal-wide roles live here instead, and ``communities.access`` builds its vocabulary on
them (and re-exports ``require``). ``require(allowed, message)`` is the one place a 403 is raised: everything else
asks one of these predicates (or one of ``communities.access``) and calls it.
"""

from django.core.exceptions import PermissionDenied

METHODISTS_GROUP = "Методисты ИОЦ"


def require(allowed: bool, message: str) -> None:
    """403 with ``message`` unless ``allowed``."""
    if not allowed:
        raise PermissionDenied(message)


def is_department(user) -> bool:
    """The Education Department administers everything (superusers)."""
    return bool(user.is_authenticated and user.is_superuser)


def is_methodist(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_methodist"):
        user._is_methodist = user.groups.filter(name=METHODISTS_GROUP).exists()
    return user._is_methodist


def administers(user) -> bool:
    """Staff users open the Django admin (Администрирование)."""
    return bool(user.is_authenticated and user.is_staff)


def may_use_two_factor(user) -> bool:
    """The second factor of signing in: methodists and administrators (the Department, staff)."""
    return is_department(user) or administers(user) or is_methodist(user)
