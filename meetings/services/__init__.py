"""Writes of the meetings app: ``meetings.py`` (meetings, their agenda, and their protocols, created, numbered and
signed only there) and ``assignments.py`` (the responsible member's report on an assignment). The names of
``meetings.py`` are also importable from here (``from meetings.services import protocol_sign``)."""

from meetings.services.meetings import *  # noqa: F403 - the names of its __all__
from meetings.services.plans import *  # noqa: F403 - plan_submit
