"""Who a user is in the portal. The one place that names the methodists' group."""

METHODISTS_GROUP = "Методисты ИОЦ"


def is_methodist(user) -> bool:
    return user.is_authenticated and (user.is_superuser or user.groups.filter(name=METHODISTS_GROUP).exists())
