"""The content of a protocol (meetings.protocol_content), the one source of the meeting page's preview and the PDF:
loaded in a fixed number of queries, read without any, names in Russian alphabetical order, the list limit."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from meetings.protocol_content import PRESENT_LIST_LIMIT, load_protocol, protocol_content
from tests.conftest import build_protocol
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    GuestFactory,
    MembershipFactory,
    SpeakerFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def grown_protocol(community, leader, rows, day):
    """A protocol with ``rows`` present members, guests, questions, decisions and assignments."""
    members = [leader] + [MembershipFactory(community=community).teacher for _ in range(rows - 1)]
    protocol = build_protocol(community, leader, members, date=day, questions=rows)
    for item in protocol.meeting.agenda.all():
        GuestFactory(meeting=protocol.meeting)
        decision = DecisionFactory(agenda_item=item, order=2)
        AssignmentFactory(decision=decision, responsible=members[item.order - 1])
    return protocol


def test_loading_takes_a_fixed_number_of_queries_and_reading_takes_none(community, leader):
    counts = []
    for rows, day in ((1, dt.date(2024, 10, 15)), (20, dt.date(2024, 10, 16))):
        protocol = grown_protocol(community, leader, rows, day)
        with CaptureQueriesContext(connection) as loading:
            loaded = load_protocol(protocol.pk)
        with CaptureQueriesContext(connection) as reading:
            content = protocol_content(loaded)
        assert len(content.questions) == rows
        assert reading.captured_queries == []
        counts.append(len(loading.captured_queries))
    assert counts[0] == counts[1]


def test_names_are_in_russian_alphabetical_order_with_yo_as_ye(community, leader):
    teachers = [
        TeacherFactory(surname="Жуков", name="Олег", patronymic="Ильич"),
        TeacherFactory(surname="Ёжиков", name="Пётр", patronymic="Ильич"),
        TeacherFactory(surname="Егоров", name="Иван", patronymic="Олегович"),
        TeacherFactory(surname="Ежов", name="Ярослав", patronymic=""),
    ]
    for teacher in teachers:
        MembershipFactory(teacher=teacher, community=community)
    protocol = build_protocol(community, leader, [leader, *teachers])
    absent = TeacherFactory(surname="Ёлкина", name="Вера", patronymic="Ивановна")
    MembershipFactory(teacher=absent, community=community)
    AttendanceFactory(meeting=protocol.meeting, teacher=absent, present=False)

    content = protocol_content(load_protocol(protocol.pk))

    names = [person.name for person in content.attendance.present]
    assert names == ["Егоров И.О.", "Ёжиков П.И.", "Ежов Я.", "Жуков О.И.", "Смирнова О.В."]  # ёжиков < ежов
    assert [person.name for person in content.attendance.absent] == ["Ёлкина В.И."]


@pytest.mark.parametrize(("present", "listed"), [(PRESENT_LIST_LIMIT, True), (PRESENT_LIST_LIMIT + 1, False)])
def test_over_the_limit_the_present_are_counted_and_appended(community, leader, present, listed):
    members = [leader] + [MembershipFactory(community=community).teacher for _ in range(present - 1)]
    protocol = build_protocol(community, leader, members)
    protocol.attachments = "Презентация"
    protocol.save()

    content = protocol_content(load_protocol(protocol.pk))

    assert content.attendance.listed is listed
    assert content.attendance.present_count == f"{present} человек"
    if listed:
        assert content.attachments == ("Презентация",)
    else:
        assert content.attachments == (f"Список присутствовавших на заседании ({present} человек).", "Презентация")


def test_assignments_are_in_order_of_deadline_and_decisions_numbered_by_question(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    decision = protocol.meeting.agenda.get().decisions.get()
    AssignmentFactory(decision=decision, responsible=leader, deadline=dt.date(2024, 12, 20))
    AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2024, 12, 1))
    second = AgendaItemFactory(meeting=protocol.meeting, order=2)
    SpeakerFactory(agenda_item=second, teacher=None, full_name="Белова Елена Андреевна", position="методист ИОЦ")
    DecisionFactory(agenda_item=second, order=1)

    content = protocol_content(load_protocol(protocol.pk))

    first, other = content.questions
    assert [(task.responsible, task.deadline) for task in first.decisions[0].assignments] == [
        ("Кузнецов И.П.", dt.date(2024, 12, 1)),
        ("Смирнова О.В.", dt.date(2024, 12, 20)),
    ]
    assert [decision.number for decision in other.decisions] == ["2.1"]
    assert (other.heard_from, other.speaker) == ("Белова Е.А.", "методист ИОЦ, Е.А. Белова")
    assert [(signature.position, signature.name) for signature in content.signatures] == [
        ("Председательствующий", "О.В. Смирнова")
    ]
