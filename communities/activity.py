"""Forms of a community's work, from the district regulation 3.2, and which of them count.

Regulation 4.2 asks for at least ``MIN_MEETINGS_PER_YEAR`` sessions (заседания) a year, and
says that every question discussed at a session is decided and minuted in a protocol signed by
the leader. We therefore count as a *session* every **collective** form: these gather the
community as a whole, so questions can be put and decided and a protocol kept (заседание,
встреча, круглый стол, ситуационный семинар, дискуссия, презентация, мастер-класс,
конференция). Group forms (взаимопосещение, методический диалог, выставка) and individual forms
(самообразование, самоанализ, консультация) are recorded and reported but do not count: they
do not convene the community. ``ActivityForm.counts_as_session`` is the only place that says so.

Which *meetings* count in a year (held, of a counting form, dated in the year, protocol signed) is
``Meeting.objects.sessions_held_in``; how many a community needs in a year is
``required_sessions`` below. Everything that compares the two (compliance, the annual report, plan
approval and plan editing, the dashboard, the exports, ``compliance_report``) calls these.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    from communities.models import Community
    from pos_portal.academic_year import AcademicYear


class ActivityKind(models.TextChoices):
    COLLECTIVE = "collective", "Коллективная"
    GROUP = "group", "Групповая"
    INDIVIDUAL = "individual", "Индивидуальная"


class ActivityForm(models.TextChoices):
    # collective
    SESSION = "session", "Заседание"
    GATHERING = "gathering", "Встреча членов ПОС"
    ROUND_TABLE = "round_table", "Тематический «круглый стол»"
    CASE_SEMINAR = "case_seminar", "Ситуационный семинар"
    DISCUSSION = "discussion", "Дискуссия"
    PRESENTATION = "presentation", "Презентация"
    MASTER_CLASS = "master_class", "Мастер-класс"
    CONFERENCE = "conference", "Конференция"
    # group
    LESSON_VISIT = "lesson_visit", "Взаимопосещение уроков/занятий"
    METHODICAL_DIALOGUE = "methodical_dialogue", "Методический диалог"
    METHODICAL_EXHIBITION = "methodical_exhibition", "Методическая выставка"
    # individual
    SELF_EDUCATION = "self_education", "Самообразование"
    SELF_ANALYSIS = "self_analysis", "Самоанализ"
    CONSULTATION = "consultation", "Консультация"

    @property
    def kind(self) -> ActivityKind:
        return FORM_KIND[self]

    @property
    def counts_as_session(self) -> bool:
        return self.kind == ActivityKind.COLLECTIVE


FORM_KIND = {
    **{
        form: ActivityKind.COLLECTIVE
        for form in (
            ActivityForm.SESSION,
            ActivityForm.GATHERING,
            ActivityForm.ROUND_TABLE,
            ActivityForm.CASE_SEMINAR,
            ActivityForm.DISCUSSION,
            ActivityForm.PRESENTATION,
            ActivityForm.MASTER_CLASS,
            ActivityForm.CONFERENCE,
        )
    },
    ActivityForm.LESSON_VISIT: ActivityKind.GROUP,
    ActivityForm.METHODICAL_DIALOGUE: ActivityKind.GROUP,
    ActivityForm.METHODICAL_EXHIBITION: ActivityKind.GROUP,
    ActivityForm.SELF_EDUCATION: ActivityKind.INDIVIDUAL,
    ActivityForm.SELF_ANALYSIS: ActivityKind.INDIVIDUAL,
    ActivityForm.CONSULTATION: ActivityKind.INDIVIDUAL,
}

#: The values of the forms that count as a session under regulation 4.2, for queries.
SESSION_FORMS = frozenset(form.value for form in ActivityForm if form.counts_as_session)


def grouped_choices():
    """Choices grouped by kind, for select widgets."""
    return [
        (kind.label, [(form.value, form.label) for form in ActivityForm if form.kind == kind]) for kind in ActivityKind
    ]


def minimum_sessions() -> int:
    """The minimum of regulation 4.2 for a whole year: ``settings.MIN_MEETINGS_PER_YEAR``, read here only."""
    return settings.MIN_MEETINGS_PER_YEAR


def founded_during(community: Community, year: AcademicYear) -> bool:
    """Founded after the year's first day (and by its last): its minimum is pro-rated."""
    return year.start < community.founded_on <= year.end


def required_sessions(community: Community, year: AcademicYear) -> int:
    """How many sessions ``community`` needs in ``year``: the minimum of 4.2, or, for a community founded during
    the year, the minimum pro-rated to the months left: ``ceil(minimum × months / 12)``, at least 1, where
    ``months`` counts the month of founding and every month after it up to August (founded 15 January:
    8 months, 4 × 8 / 12 → 3)."""
    minimum = minimum_sessions()
    if not founded_during(community, year):
        return minimum
    months = 12 - (community.founded_on.month - year.start.month) % 12
    return max(1, -(-minimum * months // 12))  # ceil without floats


def prorated_note(community: Community, year: AcademicYear) -> str:
    """«создано 15.01.2025, минимум пропорционально: 3» for a community founded during the year, else ""."""
    if not founded_during(community, year):
        return ""
    return f"создано {community.founded_on:%d.%m.%Y}, минимум пропорционально: {required_sessions(community, year)}"
