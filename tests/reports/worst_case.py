"""The worst case of a protocol a real district has (issue 12): a municipal community, 39 present, 6 absent, 3 guests,
8 questions with several speakers, one decision of 2,500 characters, long organization and position names.

:func:`build_worst_case` builds it and returns its draft protocol; any test (page breaks, time budgets, the .docx)
can call it. It needs the database (``db`` fixture) and nothing else.
"""

from __future__ import annotations

import datetime as dt

from communities.activity import ActivityForm
from communities.models import Community, Organization
from meetings.models import Decision, Protocol, Speaker
from meetings.services import protocol_create
from tests.conftest import appoint
from tests.factories import (
    PAST_MEETING_DATE,
    AgendaItemFactory,
    AssignmentFactory,
    AttendanceFactory,
    CommunityFactory,
    DecisionFactory,
    GuestFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    SpeakerFactory,
    TeacherFactory,
    UserFactory,
)

PRESENT, ABSENT, GUESTS, QUESTIONS = 39, 6, 3, 8
LONG_DECISION_CHARS = 2500
ABSENCE_REASON = "курсы повышения квалификации"
COMMUNITY_NAME = "ПОС учителей математики"
MEETING_PLACE = "МОУ «Средняя общеобразовательная школа № 3 имени Героя Советского Союза И.П. Ларионова», каб. 21"
MEETING_TIME = dt.time(15, 30)
IOC_NAME = (
    "Муниципальное учреждение дополнительного профессионального образования "
    "«Информационно-образовательный центр» Тутаевского муниципального района"
)

SURNAMES = [
    "Абрамова",
    "Акимова",
    "Алексеева",
    "Андреева",
    "Антонова",
    "Баранова",
    "Белова",
    "Белоусова",
    "Беляева",
    "Богданова",
    "Борисова",
    "Быкова",
    "Васильева",
    "Виноградова",
    "Власова",
    "Волкова",
    "Воробьёва",
    "Гаврилова",
    "Герасимова",
    "Голубева",
    "Григорьева",
    "Гусева",
    "Давыдова",
    "Денисова",
    "Дмитриева",
    "Егорова",
    "Ёлкина",
    "Жукова",
    "Зайцева",
    "Захарова",
    "Зуева",
    "Иванова",
    "Ильина",
    "Казакова",
    "Калинина",
    "Карпова",
    "Киселёва",
    "Ковалёва",
    "Козлова",
    "Колесникова",
    "Комарова",
    "Константинопольская-Преображенская",
    "Кудрявцева",
    "Лебедева",
]
ORGANIZATIONS = (
    ("МОУ СШ № 3", "Муниципальное общеобразовательное учреждение «Средняя школа № 3 имени Героя Советского Союза»"),
    ("МОУ «Лицей № 1»", "Муниципальное общеобразовательное учреждение «Лицей № 1» Тутаевского муниципального района"),
    ("МОУ ОШ № 7", "Муниципальное общеобразовательное учреждение «Основная общеобразовательная школа № 7»"),
    ("МОУ Константиновская СШ", "Муниципальное общеобразовательное учреждение Константиновская средняя школа"),
)
POSITIONS = (
    "учитель математики",
    "учитель математики и информатики",
    "заместитель директора по учебно-воспитательной работе",
    "учитель математики, руководитель школьного методического объединения",
)


def long_decision() -> str:
    """A decision of about LONG_DECISION_CHARS characters written as a list of points, one a line: longer than a
    page."""
    lines = []
    while sum(len(line) + 1 for line in lines) < LONG_DECISION_CHARS - 70:
        lines.append(f"{len(lines) + 1}) провести открытый урок в {len(lines) % 7 + 5} классе;")
    return "\n".join([*lines, "итоги подвести на заседании ПОС в мае 2025 г."])


def build_worst_case(community: Community | None = None) -> Protocol:
    """The worst case's draft protocol (№ 1 of 15.10.2024): a municipal «ПОС учителей математики» (or ``community``)
    led by Смирнова О.В. (chair, «учитель математики, руководитель ПОС», who can log in: ``protocol.chair.user``),
    Белова Н.С. the secretary."""
    Organization.objects.get_or_create(
        kind=Organization.Kind.IOC, short_name="МУ ДПО «ИОЦ» ТМР", defaults={"full_name": IOC_NAME}
    )
    community = community or CommunityFactory(name=COMMUNITY_NAME, level=Community.Level.MUNICIPAL)
    organizations = [OrganizationFactory(short_name=short, full_name=full) for short, full in ORGANIZATIONS]
    chair = TeacherFactory(
        surname="Смирнова",
        name="Ольга",
        patronymic="Викторовна",
        organization=organizations[0],
        position="учитель математики, руководитель ПОС",
        user=UserFactory(username="worst_case_chair"),
    )
    appoint(community, chair)
    teachers = [chair]
    for index, surname in enumerate(SURNAMES[: PRESENT + ABSENT - 1]):
        teachers.append(
            TeacherFactory(
                surname=surname,
                name="Наталья" if index % 2 else "Екатерина",
                patronymic="Сергеевна" if index % 3 else "Александровна",
                organization=organizations[index % len(organizations)],
                position=POSITIONS[index % len(POSITIONS)],
            )
        )
    for teacher in teachers[1:]:
        MembershipFactory(teacher=teacher, community=community)
    secretary = next(teacher for teacher in teachers if teacher.surname == "Белова")
    secretary.name, secretary.patronymic, secretary.position = "Нина", "Сергеевна", "учитель математики"
    secretary.save()
    absent = {teacher.pk for teacher in teachers[-ABSENT:]}
    meeting = MeetingFactory(
        community=community,
        date=PAST_MEETING_DATE,
        time=MEETING_TIME,
        place=MEETING_PLACE,
        form=ActivityForm.SESSION,
        topic="Формирующее оценивание на уроках математики",
    )
    for teacher in teachers:
        if teacher.pk in absent:
            AttendanceFactory(meeting=meeting, teacher=teacher, present=False, absence_reason=ABSENCE_REASON)
        else:
            AttendanceFactory(meeting=meeting, teacher=teacher)
    meeting.attendance_confirm(chair)
    for number in range(GUESTS):
        GuestFactory(
            meeting=meeting,
            full_name=f"Гостева{number + 1} Мария Ивановна",
            position="методист",
            organization=IOC_NAME,
        )
    present = [teacher for teacher in teachers if teacher.pk not in absent]
    for order in range(1, QUESTIONS + 1):
        item = AgendaItemFactory(
            meeting=meeting,
            order=order,
            question=(
                f"О реализации п. {order}.2 плана работы ПОС на 2024/2025 учебный год: формирующее оценивание "
                f"на уроках математики в {order + 4} классе (опыт {present[order].organization.short_name})"
            ),
            speaker=present[order],
            heard=(
                "Рассказала об опыте критериального оценивания, о листах самооценки и о том, как за 15 мин "
                "урока ученики проверяют работы друг друга по критериям; показала результаты 2023 г. и 2024 г. — "
                "доля выполненных заданий выросла на 12 %."
            ),
        )
        SpeakerFactory(agenda_item=item, order=2, teacher=present[order + 10])
        for extra in range(2):
            SpeakerFactory(
                agenda_item=item,
                order=3 + extra,
                part=Speaker.Part.SPOKE,
                teacher=present[order + 20 + extra],
                text="поддержала предложение и предложила провести открытые уроки в № 1 и № 3.",
            )
        text = long_decision() if order == 3 else f"Принять к сведению опыт по вопросу № {order}."
        decision = DecisionFactory(agenda_item=item, order=1, text=text, vote=Decision.Vote.UNANIMOUS)
        AssignmentFactory(decision=decision, responsible=present[order], deadline=dt.date(2024, 12, 20))
        DecisionFactory(
            agenda_item=item,
            order=2,
            text="Обобщить опыт и разместить материалы на сайте ИОЦ до 20.12.2024 г.",
            vote=Decision.Vote.UNANIMOUS,
        )
    return protocol_create(meeting=meeting, chair=chair, secretary=secretary)
