"""What notifications adds to the community page (``communities.page_parts``, slot ``summary``): for its leader and
the ИОЦ, how many current members no letter reaches («Без e-mail: N», with their names)."""

from django.utils import timezone

from notifications.recipients import unreachable_members as unreachable

TEMPLATE = "notifications/partials/unreachable_members.html"


def unreachable_members(community, year=None, access=None):
    """One query; nothing for a reader who is neither the leader nor the district."""
    if access is None or not (access.can_manage or access.sees_district):
        return TEMPLATE, {"show": False}
    teachers = list(unreachable(community, timezone.localdate()).order_by("surname", "name", "patronymic", "pk"))
    return TEMPLATE, {"show": bool(teachers), "teachers": teachers}
