"""Who a user is in the portal. The one place that names the methodists' group."""

METHODISTS_GROUP = "Методисты ИОЦ"


def is_department(user) -> bool:
    """The Education Department administers everything (superusers)."""
    return bool(user.is_authenticated and user.is_superuser)


def is_methodist(user) -> bool:
    if not user.is_authenticated:
        return False
    if not hasattr(user, "_is_methodist"):
        user._is_methodist = user.groups.filter(name=METHODISTS_GROUP).exists()
    return user._is_methodist
