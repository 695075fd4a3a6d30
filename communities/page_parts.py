"""Parts of the community page that the apps above add, so that the dependency points one way: communities knows
no app above it, the apps above register what they show on its page.

An app registers, in its ``AppConfig.ready()``, a function ``part(community, year, access) -> (template_name,
context)`` for a named slot of ``communities/community_detail.html`` (``access``: the reader's ``CommunityAccess``);
the page renders a slot with ``{% community_parts "slot" community year access %}``
(``communities.templatetags.community_parts``). reports adds the annual report's button (slot ``actions``), the line
about regulation 4.2 (slot ``summary``) and the checklist of section 6 (slot ``documents``).
"""

from collections.abc import Callable

_SLOTS: dict[str, list[Callable]] = {}


def register(slot: str, part: Callable) -> None:
    """Add ``part`` to ``slot`` (once, however often ``ready()`` runs); parts render in the order registered."""
    parts = _SLOTS.setdefault(slot, [])
    if part not in parts:
        parts.append(part)


def parts(slot: str) -> tuple[Callable, ...]:
    return tuple(_SLOTS.get(slot, ()))
