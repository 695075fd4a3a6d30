"""The largest protocol the limits of pos_portal/limits.py allow (issue 12, item 10), built for the time budget of
tests/reports/test_bounded_rendering.py.

40 members (37 present, 3 absent) of organizations with long names, 3 guests, ``limits.QUESTIONS`` questions, each
with a докладчик and one who spoke and two points of a decision, one of them an assignment; the texts are ordinary
Russian prose, as long as the limits let the protocol's text be as a whole (``limits.PROTOCOL_TEXT``). Every row
passes ``full_clean()``: this is data a leader can enter.
"""

from __future__ import annotations

import itertools

from meetings.models import Decision, Speaker
from meetings.services import protocol_create
from pos_portal import limits
from tests.factories import (
    PAST_MEETING_DATE,
    AgendaItemFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    GuestFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    SpeakerFactory,
    TeacherFactory,
)

MEMBERS = 40
ABSENT = 3
GUESTS = 3

PROSE = (
    "Участники заседания обсудили результаты диагностических работ по математике в пятых и шестых классах, "
    "отметили типичные затруднения обучающихся при решении текстовых задач и предложили формы "
    "взаимопосещения уроков с последующим анализом приёмов формирующего оценивания. "
)


def prose(length: int) -> str:
    """Ordinary text of exactly ``length`` characters (whole words, a full stop at the end)."""
    text = "".join(itertools.islice(itertools.cycle(PROSE), length * 2))[: length - 1].rstrip()
    return (text + ".").ljust(length, ".")[:length]


def question_texts() -> dict[str, int]:
    """The lengths of one question's texts, so that all questions together fill ``limits.PROTOCOL_TEXT``."""
    share = limits.PROTOCOL_TEXT // limits.QUESTIONS
    question, speech = 250, 600
    point = (share - question - speech) // 4
    return {"question": question, "heard": share - question - speech - 2 * point, "speech": speech, "point": point}


def build_max_protocol(community, leader):
    """The largest allowed draft protocol of ``community`` (its leader ``leader`` chairs): returns the protocol."""
    organizations = [
        OrganizationFactory(
            full_name=f"Муниципальное общеобразовательное учреждение «Средняя общеобразовательная школа № {n} "
            "с углублённым изучением отдельных предметов имени Героя Советского Союза» Тутаевского района",
        )
        for n in range(1, 5)
    ]
    members = [leader]
    for n in range(MEMBERS - 1):
        teacher = TeacherFactory(
            organization=organizations[n % len(organizations)], position="учитель математики и информатики"
        )
        MembershipFactory(teacher=teacher, community=community)
        members.append(teacher)
    meeting = MeetingFactory(community=community, date=PAST_MEETING_DATE, topic=prose(limits.MEETING_TOPIC))
    for index, teacher in enumerate(members):
        absent = index >= MEMBERS - ABSENT
        AttendanceFactory(
            meeting=meeting,
            teacher=teacher,
            present=not absent,
            absence_reason="курсы повышения квалификации" if absent else "",
        )
    meeting.attendance_confirm(leader)
    for _ in range(GUESTS):
        GuestFactory(meeting=meeting)
    sizes = question_texts()
    rows = []
    for order in range(1, limits.QUESTIONS + 1):
        item = AgendaItemFactory(
            meeting=meeting, order=order, question=prose(sizes["question"]), heard=prose(sizes["heard"])
        )
        rows.append(item)
        rows.append(SpeakerFactory(agenda_item=item, order=1, teacher=members[order % MEMBERS]))
        rows.append(
            SpeakerFactory(
                agenda_item=item,
                order=2,
                part=Speaker.Part.SPOKE,
                teacher=members[(order + 1) % MEMBERS],
                text=prose(sizes["speech"]),
            )
        )
        first = DecisionFactory(agenda_item=item, order=1, text=prose(sizes["point"]), vote=Decision.Vote.UNANIMOUS)
        second = DecisionFactory(agenda_item=item, order=2, text=prose(sizes["point"]), vote=Decision.Vote.UNANIMOUS)
        rows += [first, second]
        rows.append(AssignmentFactory(decision=second, text=second.text, responsible=members[order % MEMBERS]))
    for row in rows:
        row.full_clean()  # every text within its limit, no word too long
    meeting.check_protocol_text()
    return protocol_create(meeting=meeting)
