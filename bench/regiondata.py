"""Region-scale data for the benchmark, written straight to the database in batches.

About 500 organizations, 40,000 teachers, 3,000 communities, 5 academic years (the current one and four before it)
and about 80,000 meetings, most of them held, with attendance, questions, decisions, assignments and protocols.

The per-object services (``communities.services``, ``meetings.services``) would take hours for this; the rows are
written with ``bulk_create`` instead, community by community in batches, in an order and with values that keep
every database constraint and trigger and the rules the services enforce: a member attends only while a member,
the leader on the meeting date signs, protocol numbers run without gaps per community and year, a signed protocol's
rows are written before the protocol (the triggers of ``pos_portal.final_records`` refuse rows added to a signed
protocol), an approved plan has at least ``minimum_sessions()`` sessions, assignments are done after the meeting
and not in the future. The PDFs of a handful of signed protocols are rendered and stored, as signing would; the
portal renders the others on first request.

Import after ``django.setup()``; ``bench/region.py`` is the command line.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import connection, transaction
from django.utils import timezone

from communities.activity import ActivityForm, minimum_sessions
from communities.models import (
    Acknowledgement,
    AnnualPlan,
    Community,
    LeaderAppointment,
    Membership,
    Organization,
    PlanItem,
    Regulation,
    Teacher,
)
from demo import data as words
from meetings.models import AgendaItem, Assignment, Attendance, Decision, Guest, Meeting, Protocol, Speaker
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from reports.models import AnnualReport
from reports.protocol_pdf import store_protocol_document

SEED = 20260901
PASSWORD = "bench"  # noqa: S105 - the benchmark's throw-away accounts, in a throw-away database
METHODIST = "bench_metodist"
LEADER = "bench_leader"  # leads the benchmark's community (the first one)
BATCH = 2_000
COMMUNITIES_PER_CHUNK = 150
STORED_PDFS = 12  # signed protocols whose PDF is rendered and stored here

ORGANIZATIONS = 500
TEACHERS = 40_000
COMMUNITIES = 3_000
YEARS = 5

KINDERGARTEN_POSITIONS = [
    "воспитатель", "воспитатель", "воспитатель", "старший воспитатель", "музыкальный руководитель",
    "инструктор по физической культуре", "учитель-логопед", "педагог-психолог",
]  # fmt: skip
#: (kind, short name pattern, share of organizations, relative staff size, positions)
ORG_KINDS = [
    (
        Organization.Kind.SCHOOL,
        "МОУ СШ № {n}",
        0.5,
        110,
        [p for p in words.POSITIONS if p.startswith(("учитель", "заместитель директора по", "педагог-", "социальный"))],
    ),
    (Organization.Kind.KINDERGARTEN, "МДОУ детский сад № {n}", 0.4, 45, KINDERGARTEN_POSITIONS),
    (
        Organization.Kind.SUPPLEMENTARY,
        "МУ ДО ЦДТ № {n}",
        0.1,
        40,
        [p for p in words.POSITIONS if p.startswith(("педагог дополнительного", "методист"))],
    ),
]
TOWNS = [
    "г. Тутаев", "г. Ярославль", "г. Рыбинск", "г. Переславль-Залесский", "г. Ростов", "г. Углич",
    "г. Данилов", "г. Любим", "г. Мышкин", "г. Пошехонье", "пос. Константиновский", "с. Великое",
]  # fmt: skip
SUBJECTS = [
    "учителей математики", "учителей русского языка и литературы", "учителей начальных классов",
    "учителей английского языка", "учителей истории и обществознания", "учителей физики",
    "учителей химии и биологии", "учителей информатики", "учителей физической культуры", "педагогов-психологов",
    "молодых педагогов", "классных руководителей", "воспитателей", "педагогов дополнительного образования",
    "учителей-логопедов", "наставников",
]  # fmt: skip
THEMES = [
    "Формирующее оценивание", "Функциональная грамотность обучающихся", "Смысловое чтение",
    "Проектная и исследовательская деятельность", "Цифровые образовательные ресурсы", "Наставничество",
    "Инклюзивное образование", "Развивающая предметно-пространственная среда", "Читательская грамотность",
    "Подготовка к государственной итоговой аттестации",
]  # fmt: skip
SESSION_FORMS = [
    ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.SESSION, ActivityForm.ROUND_TABLE,
    ActivityForm.MASTER_CLASS, ActivityForm.CASE_SEMINAR, ActivityForm.DISCUSSION,
]  # fmt: skip
ACADEMIC_MONTHS = [9, 10, 11, 12, 1, 2, 3, 4, 5]


def log(message: str) -> None:
    print(f"[region] {message}", flush=True)


def bulk(model, objects: list, batch_size: int = BATCH) -> list:
    """``bulk_create`` in batches; on PostgreSQL the objects get their primary keys."""
    for start in range(0, len(objects), batch_size):
        model.objects.bulk_create(objects[start : start + batch_size], batch_size=batch_size)
    return objects


def month_day(year: AcademicYear, month: int, rng: random.Random) -> dt.date:
    calendar_year = year.start_year if month >= 9 else year.start_year + 1
    day = dt.date(calendar_year, month, rng.randint(8, 26))
    while day.weekday() not in (1, 2, 3):  # communities meet on Tuesdays to Thursdays
        day += dt.timedelta(days=1)
    return day


@dataclass
class Member:
    teacher: Teacher
    joined_on: dt.date
    left_on: dt.date | None = None

    def active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)


@dataclass
class Roster:
    community: Community
    members: list[Member]
    leaders: list[tuple[dt.date, dt.date | None, Teacher]]  # (starts_on, ends_on, teacher)
    draft_last: bool = False  # the last held meeting keeps a draft protocol
    memberships: list[Membership] = field(default_factory=list)

    def members_on(self, day: dt.date) -> list[Teacher]:
        return [member.teacher for member in self.members if member.active_on(day)]

    def leader_on(self, day: dt.date) -> Teacher | None:
        for starts_on, ends_on, teacher in self.leaders:
            if starts_on <= day and (ends_on is None or ends_on >= day):
                return teacher
        return None


class Region:
    def __init__(self, scale: float = 1.0, seed: int = SEED):
        self.rng = random.Random(seed)  # noqa: S311 - reproducible benchmark data
        self.scale = scale
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.current = AcademicYear.of(self.today)
        self.years = [AcademicYear(self.current.start_year - back) for back in range(YEARS - 1, -1, -1)]
        self.password = make_password(PASSWORD)
        self.minimum = minimum_sessions()
        self.counts: dict[str, int] = {}

    def n(self, full: int) -> int:
        return max(1, round(full * self.scale))

    def count(self, name: str, number: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + number

    # --- people ----------------------------------------------------------------------------------------------------

    def build(self) -> dict[str, int]:
        started = time.monotonic()
        with transaction.atomic():
            self.organizations()
            self.teachers()
            self.accounts()
        log(f"organizations, teachers, accounts: {time.monotonic() - started:.0f} s")
        plans = self.communities()
        log(f"communities, members, leaders: {time.monotonic() - started:.0f} s")
        self.regulations(plans)
        log(f"regulations: {time.monotonic() - started:.0f} s")
        for start in range(0, len(plans), COMMUNITIES_PER_CHUNK):
            with transaction.atomic():
                for plan in plans[start : start + COMMUNITIES_PER_CHUNK]:
                    self.community_years(plan)
                self.flush()
            if start // COMMUNITIES_PER_CHUNK % 4 == 0:
                done = min(start + COMMUNITIES_PER_CHUNK, len(plans))
                log(f"years of {done}/{len(plans)} communities: {time.monotonic() - started:.0f} s")
        self.store_pdfs(plans[0].community)
        log(f"stored PDFs: {time.monotonic() - started:.0f} s")
        return self.counts

    def organizations(self):
        rng = self.rng
        self.department = Organization(
            kind=Organization.Kind.DEPARTMENT,
            short_name="Департамент образования",
            full_name="Департамент образования Ярославской области (бенчмарк)",
        )
        self.ioc = Organization(
            kind=Organization.Kind.IOC,
            short_name="ИОЦ",
            full_name="Информационно-образовательный центр (бенчмарк)",
        )
        self.orgs: list[tuple[Organization, int, list[str]]] = []
        total = self.n(ORGANIZATIONS)
        for kind, pattern, share, staff, positions in ORG_KINDS:
            for number in range(1, max(1, round(total * share)) + 1):
                short_name = pattern.format(n=number)
                town = rng.choice(TOWNS)
                org = Organization(
                    kind=kind,
                    short_name=short_name,
                    full_name=f"{short_name} ({town})",
                    town=town,
                    address=f"{town}, ул. Школьная, д. {number}",
                    head_name=self.person()[0],
                )
                self.orgs.append((org, staff, positions))
        bulk(Organization, [self.department, self.ioc, *(org for org, _staff, _positions in self.orgs)])
        self.count("организации", len(self.orgs) + 2)

    def person(self) -> tuple[str, str, str]:
        rng = self.rng
        if rng.random() < 0.18:
            return rng.choice(words.SURNAMES), rng.choice(words.MALE_NAMES), rng.choice(words.PATRONYMICS)[0]
        surname = words.feminine_surname(rng.choice(words.SURNAMES))
        return surname, rng.choice(words.FEMALE_NAMES), rng.choice(words.PATRONYMICS)[1]

    def teachers(self):
        rng = self.rng
        target = self.n(TEACHERS)
        weight = sum(staff for _org, staff, _positions in self.orgs)
        categories, category_weights = zip(*words.CATEGORY_WEIGHTS, strict=True)
        self.staff: dict[int, list[Teacher]] = {}
        everyone = []
        for org, staff, positions in self.orgs:
            people = []
            for _ in range(max(3, round(target * staff / weight))):
                surname, name, patronymic = self.person()
                position = rng.choice(positions)
                people.append(
                    Teacher(
                        surname=surname,
                        name=name,
                        patronymic=patronymic,
                        organization=org,
                        position=position,
                        subjects=words.POSITIONS.get(position, ("", 0))[0],
                        qualification_category=rng.choices(categories, category_weights)[0],
                    )
                )
            self.staff[id(org)] = people
            everyone += people
        self.methodist_teacher = Teacher(
            surname="Методистова", name="Анна", patronymic="Сергеевна", organization=self.ioc, position="методист"
        )
        bulk(Teacher, [self.methodist_teacher, *everyone])
        self.count("педагоги", len(everyone) + 1)

    def accounts(self):
        User = get_user_model()
        self.methodist_user = User(
            username=METHODIST, first_name="Анна", last_name="Методистова", password=self.password
        )
        bulk(User, [self.methodist_user])
        self.methodist_user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
        self.methodist_teacher.user = self.methodist_user
        self.methodist_teacher.save(update_fields=["user"])

    # --- communities --------------------------------------------------------------------------------------------------

    def communities(self) -> list[Roster]:
        rng = self.rng
        first_year = self.years[0]
        plans: list[Roster] = []
        names: set[str] = set()
        total = self.n(COMMUNITIES)
        schools_and_kindergartens = [entry for entry in self.orgs if entry[0].kind != Organization.Kind.SUPPLEMENTARY]
        for index in range(total):
            municipal = index == 0 or rng.random() < 0.2
            if municipal:
                org = None
                subject = rng.choice(SUBJECTS)
                name = f"Муниципальный ПОС {subject}"
            else:
                org = rng.choice(schools_and_kindergartens)[0]
                subject = "воспитателей" if org.kind == Organization.Kind.KINDERGARTEN else rng.choice(SUBJECTS)
                name = f"ПОС {subject} {org.short_name}"
            base, number = name, 1
            while name.lower() in names:
                number += 1
                name = f"{base} ({number})"
            names.add(name.lower())
            if index == 0 or rng.random() < 0.7:
                founded = dt.date(first_year.start_year - rng.randint(0, 3), 9, 1)
            else:
                year = rng.choice(self.years)
                founded = min(year.start + dt.timedelta(days=rng.randint(0, 200)), self.today)
            community = Community(
                name=name,
                theme=rng.choice(THEMES),
                level=Community.Level.MUNICIPAL if municipal else Community.Level.INSTITUTIONAL,
                organization=org,
                description=f"Сообщество {subject}: обмен опытом, открытые уроки, методические материалы.",
                founded_on=founded,
                is_archived=index != 0 and rng.random() < 0.02,
            )
            plans.append(self.roster(community, 14 if index == 0 else rng.randint(6, 20)))
        plans[0].draft_last = True
        for plan in plans[1:]:
            plan.draft_last = rng.random() < 0.05
        with transaction.atomic():
            bulk(Community, [plan.community for plan in plans])
            self.count("ПОС", len(plans))
            memberships, appointments = [], []
            for plan in plans:
                for member in plan.members:
                    membership = Membership(
                        teacher=member.teacher,
                        community=plan.community,
                        joined_on=member.joined_on,
                        left_on=member.left_on,
                        role=Membership.Role.MEMBER,
                    )
                    plan.memberships.append(membership)
                    memberships.append(membership)
                for number, (starts_on, ends_on, teacher) in enumerate(plan.leaders, start=1):
                    order_date = starts_on - dt.timedelta(days=5)
                    appointments.append(
                        LeaderAppointment(
                            community=plan.community,
                            teacher=teacher,
                            order_number=f"01-10/{100 + number}",
                            order_date=order_date,
                            starts_on=starts_on,
                            ends_on=ends_on,
                            issued_by=self.department,
                        )
                    )
            bulk(Membership, memberships)
            bulk(LeaderAppointment, appointments)
            self.count("членство", len(memberships))
            self.count("приказы о назначении", len(appointments))
            self.leader_accounts(plans)
        return plans

    def roster(self, community: Community, size: int) -> Roster:
        """Members (some joined later, some left) and the leaders, the first appointed when founded."""
        rng = self.rng
        if community.organization is not None:
            pool = self.staff[id(community.organization)]
        else:
            pool = []
            for org, _staff, _positions in rng.sample(self.orgs, k=min(len(self.orgs), 8)):
                pool += self.staff[id(org)]
        chosen = rng.sample(pool, k=min(size, len(pool)))
        founded = community.founded_on
        later_years = [year for year in self.years if year.start > founded]
        members = []
        for position, teacher in enumerate(chosen):
            joined, left = founded, None
            if position >= 3 and later_years and rng.random() < 0.12:
                joined = rng.choice(later_years).start
            elif position >= 3 and rng.random() < 0.08:
                ends = [year.end for year in self.years if year.end >= founded and year.end < self.today]
                if ends:
                    left = rng.choice(ends)
            members.append(Member(teacher, joined, left))
        leaders = [(founded + dt.timedelta(days=5), None, chosen[0])]
        if later_years and rng.random() < 0.2 and len(chosen) > 3:
            change = rng.choice(later_years).start
            successor = members[1]
            if change - dt.timedelta(days=1) >= leaders[0][0] and successor.active_on(change) and change <= self.today:
                leaders = [(founded + dt.timedelta(days=5), change - dt.timedelta(days=1), chosen[0])]
                leaders.append((change, None, chosen[1]))
        if leaders[0][0] > self.today:
            leaders = [(founded, None, chosen[0])]
        return Roster(community=community, members=members, leaders=leaders)

    def leader_accounts(self, plans: list[Roster]):
        """Every current leader signs in; the first community's leader is the benchmark's."""
        User = get_user_model()
        teachers, users, seen = [], [], set()
        for index, plan in enumerate(plans):
            teacher = plan.leaders[-1][2]
            if teacher.pk in seen:
                continue
            seen.add(teacher.pk)
            user = User(
                username=LEADER if index == 0 else f"leader{index:04d}",
                first_name=teacher.name,
                last_name=teacher.surname,
                password=self.password,
            )
            teacher.user = user
            teachers.append(teacher)
            users.append(user)
        bulk(User, users)
        for teacher in teachers:
            teacher.user_id = teacher.user.pk
        Teacher.objects.bulk_update(teachers, ["user"], batch_size=500)
        self.count("учётные записи", len(users) + 1)

    def regulations(self, plans: list[Roster]):
        rng = self.rng
        district = Regulation(
            title="Положение о профессиональных обучающихся сообществах педагогов (бенчмарк)",
            text="1. Общие положения.\n\n4.2. Заседания ПОС проводятся не реже 4 раз в учебный год.",
            approved_by="приказом Департамента образования",
            approved_order_number="01-10/1",
            approved_on=self.years[0].start - dt.timedelta(days=400),
            effective_from=self.years[0].start - dt.timedelta(days=400),
        )
        own = []
        for plan in plans:
            if plan.community.level == Community.Level.INSTITUTIONAL and rng.random() < 0.35:
                own.append(
                    (
                        plan,
                        Regulation(
                            title=f"Положение о ПОС {plan.community.organization.short_name}",
                            community=plan.community,
                            text="1. Общие положения.\n\n2. Порядок работы ПОС.",
                            effective_from=plan.community.founded_on,
                        ),
                    )
                )
        with transaction.atomic():
            bulk(Regulation, [district, *(regulation for _plan, regulation in own)])
            acknowledgements = []
            seen = set()
            for plan in plans:
                for member in plan.members:
                    if member.teacher.pk in seen or rng.random() > 0.8:
                        continue
                    seen.add(member.teacher.pk)
                    start = max(member.joined_on, district.effective_from)
                    on = min(start + dt.timedelta(days=rng.randint(0, 30)), self.today)
                    acknowledgements.append(
                        Acknowledgement(regulation=district, teacher=member.teacher, acknowledged_on=on)
                    )
            for plan, regulation in own:
                for member in plan.members:
                    start = max(member.joined_on, regulation.effective_from)
                    on = min(start + dt.timedelta(days=rng.randint(0, 20)), self.today)
                    if member.active_on(on) and rng.random() < 0.9:
                        acknowledgements.append(
                            Acknowledgement(regulation=regulation, teacher=member.teacher, acknowledged_on=on)
                        )
            bulk(Acknowledgement, acknowledgements)
        self.count("положения", len(own) + 1)
        self.count("отметки об ознакомлении", len(acknowledgements))

    # --- a community's years: plans, meetings, protocols ---------------------------------------------------------

    def community_years(self, plan: Roster):
        self.pending = getattr(self, "pending", None) or Pending()
        for year in self.years:
            if plan.community.founded_on > year.end:
                continue
            self.year_of(plan, year)

    def year_of(self, plan: Roster, year: AcademicYear):
        rng, pending = self.rng, self.pending
        community = plan.community
        current = year == self.current
        start = max(year.start, community.founded_on)
        approved = not current or rng.random() < 0.85
        members = plan.members_on(start) or plan.members_on(plan.leaders[0][0])
        annual = AnnualPlan(
            community=community,
            academic_year=year,
            theme=community.theme,
            goals="Повышение профессиональной компетентности членов ПОС.",
            tasks="1. Изучить опыт.\n2. Провести открытые уроки.\n3. Обобщить результаты.",
            composition=f"Состав ПОС: {len(members)} педагогов.",
            status=AnnualPlan.Status.APPROVED if approved else AnnualPlan.Status.DRAFT,
            approved_at=timezone.make_aware(dt.datetime.combine(start + dt.timedelta(days=20), dt.time(10)))
            if approved
            else None,
            approved_by=self.methodist_user if approved else None,
        )
        if annual.approved_at and annual.approved_at > self.now:
            annual.approved_at = self.now
        pending.plans.append(annual)

        months = [m for m in ACADEMIC_MONTHS if month_day(year, m, rng) >= start] or [ACADEMIC_MONTHS[-1]]
        sessions = rng.choice([4, 5, 5, 6, 6, 7])
        if len(months) < sessions:
            months = ACADEMIC_MONTHS
        session_months = sorted(rng.sample(months, k=sessions), key=ACADEMIC_MONTHS.index)
        events = [
            (month, rng.choice(SESSION_FORMS) if index else ActivityForm.SESSION)
            for index, month in enumerate(session_months)
        ]
        if rng.random() < 0.7:
            group_form = rng.choice([ActivityForm.LESSON_VISIT, ActivityForm.METHODICAL_DIALOGUE])
            events.append((rng.choice(months), group_form))
        held_so_far = 0
        violating = not current and rng.random() < 0.06  # held fewer than the minimum that year
        for order, (month, form) in enumerate(events):
            day = month_day(year, month, rng)
            responsible_pool = plan.members_on(day) or members
            item = PlanItem(
                plan=annual,
                month=month,
                topic=self.topic(year, order, len(session_months), form),
                form=form,
                responsible=rng.choice(responsible_pool),
                expected_result=rng.choice(words.EXPECTED_RESULTS),
            )
            pending.items.append(item)
            if day < community.founded_on or plan.leader_on(day) is None:
                continue
            if day > self.today:
                status = Meeting.Status.PLANNED
            elif violating and held_so_far >= self.minimum - 1:
                status = Meeting.Status.CANCELLED
            elif current and rng.random() < 0.04:
                status = Meeting.Status.PLANNED  # the date has passed and nobody marked it
            else:
                status = Meeting.Status.HELD
            meeting = Meeting(
                community=community,
                plan_item=item,
                form=form,
                date=day,
                time=dt.time(15, 0),
                place=f"{(community.organization or rng.choice(self.orgs)[0]).short_name}, каб. {rng.randint(1, 40)}",
                topic=item.topic,
                status=status,
                cancel_reason="Карантин в образовательной организации." if status == Meeting.Status.CANCELLED else "",
            )
            pending.meetings.append(meeting)
            if status == Meeting.Status.HELD:
                held_so_far += 1
                self.hold(plan, meeting)
        if not current and rng.random() < 0.9:
            leader = plan.leader_on(year.end) or plan.leaders[-1][2]
            submitted = timezone.make_aware(dt.datetime.combine(year.end - dt.timedelta(days=60), dt.time(12)))
            accepted = rng.random() < 0.85
            pending.reports.append(
                AnnualReport(
                    community=community,
                    academic_year=year,
                    results="Проведены заседания по плану, открытые уроки, подготовлены методические материалы.",
                    difficulties="Нехватка времени у педагогов.",
                    proposals="Продолжить работу по теме.",
                    status=AnnualReport.Status.ACCEPTED if accepted else AnnualReport.Status.SUBMITTED,
                    submitted_at=submitted,
                    submitted_by=leader,
                    reviewed_at=submitted + dt.timedelta(days=7) if accepted else None,
                    reviewed_by=self.methodist_user if accepted else None,
                )
            )

    def topic(self, year: AcademicYear, order: int, sessions: int, form: str) -> str:
        if order == 0:
            return words.FIRST_SESSION_TOPIC.format(year=year.label)
        if order == sessions - 1:
            return words.LAST_SESSION_TOPIC.format(year=year.label)
        if form in (ActivityForm.LESSON_VISIT, ActivityForm.METHODICAL_DIALOGUE):
            return "Взаимопосещение уроков членов ПОС" if form == ActivityForm.LESSON_VISIT else "Методический диалог"
        return f"{self.rng.choice(THEMES)}: из опыта работы"

    def hold(self, plan: Roster, meeting: Meeting):
        """Attendance, a guest now and then, questions with decisions, an assignment, and the protocol."""
        rng, pending, day = self.rng, self.pending, meeting.date
        leader = plan.leader_on(day)
        present = []
        for teacher in plan.members_on(day):
            here = teacher is leader or rng.random() < 0.9
            pending.attendance.append(
                Attendance(
                    meeting=meeting,
                    teacher=teacher,
                    present=here,
                    absence_reason="" if here else rng.choice(words.ABSENCE_REASONS),
                )
            )
            if here:
                present.append(teacher)
        if rng.random() < 0.15:
            pending.guests.append(
                Guest(meeting=meeting, full_name=" ".join(self.person()), position="методист", organization="ИОЦ")
            )
        for order in range(1, rng.choice([1, 2, 2, 3]) + 1):
            speaker = rng.choice(present)
            item = AgendaItem(
                meeting=meeting,
                order=order,
                question=meeting.topic if order == 1 else rng.choice(words.EXTRA_QUESTIONS)["question"],
                heard=rng.choice(words.TOPIC_HEARD).format(a="а", a_refl="ась"),
            )
            pending.agenda.append(item)
            pending.speakers.append(Speaker(agenda_item=item, order=1, teacher=speaker))
            for number in range(1, rng.choice([1, 1, 2]) + 1):
                votes = len(present) if number == 1 else None
                decision = Decision(
                    agenda_item=item,
                    order=number,
                    text=words.TOPIC_DECISIONS[(number - 1) % len(words.TOPIC_DECISIONS)],
                    votes_for=votes,
                    votes_against=0 if votes is not None else None,
                    votes_abstained=0 if votes is not None else None,
                )
                pending.decisions.append(decision)
                if order == 1 and number == 1 and rng.random() < 0.45:
                    self.assign(decision, rng.choice(present), day)
        secretary = next((t for t in present if t is not leader), None)
        protocol = Protocol(
            meeting=meeting,
            community=plan.community,
            academic_year=AcademicYear.of(day),
            number=0,  # numbered in flush(), by date within the community's year
            place=(plan.community.organization.town if plan.community.organization else "г. Тутаев"),
            chair=leader,
            secretary=secretary,
        )
        protocol.signer = leader
        pending.protocols.append((plan, protocol))

    def assign(self, decision: Decision, responsible: Teacher, day: dt.date):
        rng = self.rng
        task, report = rng.choice(words.TOPIC_ASSIGNMENTS)
        deadline = day + dt.timedelta(days=rng.randint(20, 45))
        status, done_on, text = Assignment.Status.OPEN, None, ""
        if deadline < self.today and rng.random() < 0.85:
            latest = min(deadline + dt.timedelta(days=3), self.today)
            earliest = min(day + dt.timedelta(days=3), latest)
            status, text = Assignment.Status.DONE, report
            done_on = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
        self.pending.assignments.append(
            Assignment(
                decision=decision,
                text=task,
                responsible=responsible,
                deadline=deadline,
                status=status,
                done_on=done_on,
                report=text,
            )
        )

    def flush(self):
        """Write the pending rows of a chunk of communities: everything a protocol holds before the protocol, since
        the database refuses rows added to a signed one."""
        pending = self.pending
        bulk(AnnualPlan, pending.plans)
        bulk(PlanItem, pending.items)
        bulk(Meeting, pending.meetings)
        bulk(Attendance, pending.attendance, batch_size=5_000)
        bulk(Guest, pending.guests)
        bulk(AgendaItem, pending.agenda)
        bulk(Speaker, pending.speakers)
        bulk(Decision, pending.decisions)
        bulk(Assignment, pending.assignments)
        bulk(AnnualReport, pending.reports)
        protocols = self.number(pending.protocols)
        bulk(Protocol, protocols)
        for name, rows in [
            ("планы", pending.plans),
            ("мероприятия планов", pending.items),
            ("заседания", pending.meetings),
            ("отметки присутствия", pending.attendance),
            ("приглашённые", pending.guests),
            ("вопросы повестки", pending.agenda),
            ("выступающие", pending.speakers),
            ("решения", pending.decisions),
            ("поручения", pending.assignments),
            ("отчёты за год", pending.reports),
            ("протоколы", protocols),
        ]:
            self.count(name, len(rows))
        self.count("подписанные протоколы", sum(1 for protocol in protocols if protocol.signed_at))
        self.pending = Pending()

    def number(self, pending: Iterable[tuple[Roster, Protocol]]) -> list[Protocol]:
        """Number the protocols by date within their community's year, and sign them: all of them but the last
        of a community that keeps a draft."""
        by_sequence: dict[tuple[int, int], list[tuple[Roster, Protocol]]] = {}
        for plan, protocol in pending:
            by_sequence.setdefault((id(plan), protocol.academic_year.start_year), []).append((plan, protocol))
        last_of_plan: dict[int, Protocol] = {}
        protocols = []
        for sequence in by_sequence.values():
            sequence.sort(key=lambda entry: (entry[1].meeting.date, id(entry[1])))
            for number, (plan, protocol) in enumerate(sequence, start=1):
                protocol.number = number
                protocols.append(protocol)
                latest = last_of_plan.get(id(plan))
                if latest is None or protocol.meeting.date >= latest.meeting.date:
                    last_of_plan[id(plan)] = protocol
        drafts = {id(last_of_plan[id(plan)]) for plan, _protocol in pending if plan.draft_last}
        for protocol in protocols:
            if id(protocol) in drafts:
                continue
            signed_at = timezone.make_aware(
                dt.datetime.combine(protocol.meeting.date + dt.timedelta(days=self.rng.randint(0, 3)), dt.time(16))
            )
            protocol.signed_at = min(signed_at, self.now)
            protocol.signed_by = protocol.signer
        return protocols

    # --- documents ----------------------------------------------------------------------------------------------

    def store_pdfs(self, community: Community):
        """The PDFs of the benchmark community's signed protocols of the last years, and of a few others, as signing
        would have stored them."""
        ids = list(
            Protocol.objects.signed()
            .filter(community=community)
            .order_by("-academic_year", "-number")
            .values_list("pk", flat=True)[: STORED_PDFS // 2]
        )
        others = list(Protocol.objects.signed().exclude(community=community).values_list("pk", flat=True)[:5_000])
        ids += self.rng.sample(others, k=min(len(others), STORED_PDFS - len(ids)))
        for protocol in Protocol.objects.filter(pk__in=ids):
            store_protocol_document(protocol)
        self.count("PDF подписанных протоколов в хранилище", len(ids))


@dataclass
class Pending:
    plans: list = field(default_factory=list)
    items: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    attendance: list = field(default_factory=list)
    guests: list = field(default_factory=list)
    agenda: list = field(default_factory=list)
    speakers: list = field(default_factory=list)
    decisions: list = field(default_factory=list)
    assignments: list = field(default_factory=list)
    reports: list = field(default_factory=list)
    protocols: list = field(default_factory=list)


def generate(scale: float = 1.0) -> dict[str, int]:
    if connection.vendor != "postgresql":
        raise SystemExit("The region-scale data is for PostgreSQL (DATABASE_URL=postgres://…).")
    if Community.objects.exists():
        raise SystemExit("The database already holds communities: the region data goes into an empty database.")
    counts = Region(scale).build()
    with connection.cursor() as cursor:  # outside any transaction: fresh statistics for the planner
        cursor.execute("VACUUM ANALYZE")
    return counts
