"""``manage.py seed_demo``: a believable district for demonstrations and manual testing.

Creates the organizations of Тутаевский район, about 150 teachers, 15 communities with leaders
appointed by orders, the two regulations with their acknowledgement sheets, annual plans for the
previous and the current academic year, meetings with protocols, and annual reports: accepted by the
ИОЦ for the previous year, a draft for the current one. Every write goes through the
services of ``communities`` and ``meetings`` or through ``full_clean()``, so the demo obeys the same
rules as data entered in the portal. Dates are computed from today's date; names and texts come from
``demo/data.py`` and a fixed random seed, so two runs on the same day build the same district.

Runs only with DEBUG on. A second run finds the demo data (the ИОЦ organization) and changes nothing.
"""

import datetime as dt
import random
import zlib
from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from communities.activity import ActivityForm, ActivityKind, required_sessions
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
from communities.services import (
    acknowledgement_record,
    leader_appoint,
    membership_add,
    membership_end,
)
from demo import data
from meetings.models import (
    AgendaItem,
    Assignment,
    Decision,
    FollowUp,
    Guest,
    Meeting,
    PlanDiscussion,
    Protocol,
    Speaker,
)
from meetings.services import agenda_item_delete, attendance_prefill, protocol_create, protocol_sign
from meetings.services import assignments as assignment_services
from notifications.outbox import muted
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import METHODISTS_GROUP
from pos_portal.russian import plural
from reports.models import AnnualReport
from reports.signatories import Signatory

DEMO_USERNAMES = ("department", "metodist", "leader", "member")
CATEGORY_RANK = {"highest": 3, "first": 2, "conformity": 1, "none": 0}


def save(obj):
    obj.full_clean()
    obj.save()
    return obj


def agreement(teacher: Teacher, key: str) -> dict[str, str]:
    """Endings that agree a past-tense verb with the teacher: {a} → «а»/«», {a_refl} → «ась»/«ся»."""
    female = data.is_female_patronymic(teacher.patronymic)
    return {key: "а" if female else "", f"{key}_refl": "ась" if female else "ся"}


def working_day(day: dt.date) -> dt.date:
    """The first Tuesday, Wednesday or Thursday on or after ``day``: when communities meet."""
    while day.weekday() not in (1, 2, 3):
        day += dt.timedelta(days=1)
    return day


def month_date(year: AcademicYear, month: int, rng: random.Random) -> dt.date:
    calendar_year = year.start_year if month >= 9 else year.start_year + 1
    return working_day(dt.date(calendar_year, month, rng.randint(12, 24)))


def session_months(count: int) -> list[int]:
    if count in data.SESSION_MONTHS:
        return data.SESSION_MONTHS[count]
    academic_months = [9, 10, 11, 12, 1, 2, 3, 4, 5]
    return [academic_months[i * len(academic_months) // count] for i in range(count)]


def order_number(day: dt.date) -> str:
    """A Department order number, growing through the calendar year like a real register."""
    return f"01-10/{12 + day.year % 10 * 3 + round(day.timetuple().tm_yday * 1.35)}"


@dataclass
class Event:
    """A planned event of a year and what became of it."""

    item: PlanItem
    year: AcademicYear
    date: dt.date
    kind: str  # "first", "last", "topic" (sessions) or "other"
    status: str | None = None  # Meeting.Status, or None when no meeting is recorded
    cancel_reason: str = ""
    draft: bool = False  # the protocol stays unsigned
    member_assignment: bool = False  # the demo member gets an open assignment here


@dataclass
class CommunityState:
    spec: dict
    community: Community
    rng: random.Random
    roster: list = field(default_factory=list)  # (teacher, joined_on, left_on), the leader first
    leaders: list = field(default_factory=list)  # (starts_on, teacher), in order
    secretary: Teacher | None = None
    events: list = field(default_factory=list)
    deputy_heard: bool = False  # the question with two докладчики (data.DEPUTY_QUESTION) is in a protocol
    reviewed_plans: list = field(default_factory=list)  # (plan, outcome): sent to the ИОЦ once discussed

    def members_on(self, day: dt.date) -> list[Teacher]:
        return [t for t, joined, left in self.roster if joined <= day and (left is None or left >= day)]

    def leader_on(self, day: dt.date) -> Teacher:
        return [teacher for starts_on, teacher in self.leaders if starts_on <= day][-1]


class DemoDistrict:
    """Builds the demo district. ``build()`` must run inside a transaction."""

    def __init__(self, today: dt.date):
        self.today = today
        self.current = AcademicYear.of(today)
        self.previous = self.current.previous()
        self.rng = random.Random(data.SEED)  # noqa: S311 - reproducible demo data, not security
        self.password = make_password(data.DEMO_PASSWORD)
        self.orgs: dict[str, Organization] = {}
        self.teachers: list[Teacher] = []
        self.tags: dict[str, Teacher] = {}
        self.states: list[CommunityState] = []
        self.used_logins: set[str] = set()
        self.leading: set[int] = set()  # teachers appointed leader of some community

    # --- people ------------------------------------------------------------------------------

    def build(self):
        self.department_user = self.user(**data.DEPARTMENT_USER, is_staff=True, is_superuser=True)
        self.build_organizations()
        self.build_teachers()
        self.methodist_user = self.teacher_user(self.tags["metodist"], "metodist")
        self.methodist_user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
        self.teacher_user(self.tags["leader"], "leader")
        self.teacher_user(self.tags["member"], "member")
        for spec in data.COMMUNITIES:
            self.states.append(self.build_community(spec))
        self.build_regulations()
        for state in self.states:
            self.build_plans(state)
            self.decide_outcomes(state)
            self.build_meetings(state)
            self.review_plans(state)
        self.build_assignment_control(self.states[0])
        for state in self.states:
            self.build_reports(state)

    def user(self, username, *, first_name, last_name, email="", is_staff=False, is_superuser=False):
        user = get_user_model()(
            username=username,
            first_name=first_name,
            last_name=last_name,
            email=email,
            is_staff=is_staff,
            is_superuser=is_superuser,
            password=self.password,
        )
        self.used_logins.add(username)
        return save(user)

    def teacher_user(self, teacher: Teacher, username: str | None = None):
        if teacher.user_id:
            return teacher.user
        if username is None:
            base = f"{data.translit(teacher.surname)}.{data.translit(teacher.initials.replace('.', ''))}"
            username, number = base, 1
            while username in self.used_logins:
                number += 1
                username = f"{base}{number}"
        teacher.user = self.user(username, first_name=teacher.name, last_name=teacher.surname, email=teacher.email)
        teacher.full_clean()
        teacher.save(update_fields=["user"])
        return teacher.user

    def build_organizations(self):
        for spec in [data.DEPARTMENT, data.IOC, *data.ORGANIZATIONS]:
            self.orgs[spec["key"]] = save(
                Organization(
                    kind=spec["kind"],
                    full_name=spec["full_name"],
                    short_name=spec["short_name"],
                    town=spec["town"],
                    address=spec["address"],
                    head_name=spec["head_name"],
                )
            )

    def build_teachers(self):
        taken = {(f["surname"], f["name"][0], f["patronymic"][0]) for f in data.FIXED_TEACHERS}
        for spec in [data.IOC, *data.ORGANIZATIONS]:
            org = self.orgs[spec["key"]]
            fixed = [f for f in data.FIXED_TEACHERS if f["org"] == spec["key"]]
            for position in data.STAFF[spec["staff"]]:
                person = next((f for f in fixed if f["position"] == position), None)
                if person is not None:
                    fixed.remove(person)
                else:
                    person = self.invent_person(position, taken)
                self.teachers.append(self.create_teacher(org, position, person))
            if fixed:
                raise CommandError(f"demo.data: no staff position for {[f['tag'] for f in fixed]}")

    def invent_person(self, position: str, taken: set) -> dict:
        rng = self.rng
        male_share = data.POSITIONS[position][1]
        while True:
            if rng.random() < male_share:
                surname, name = rng.choice(data.SURNAMES), rng.choice(data.MALE_NAMES)
                patronymic = rng.choice(data.PATRONYMICS)[0]
            else:
                surname, name = data.feminine_surname(rng.choice(data.SURNAMES)), rng.choice(data.FEMALE_NAMES)
                patronymic = rng.choice(data.PATRONYMICS)[1]
            key = (surname, name[0], patronymic[0])
            if key not in taken:
                taken.add(key)
                break
        if position.startswith(("заместитель", "старший", "методист")):
            category = rng.choice(["highest", "highest", "first"])
        else:
            categories, weights = zip(*data.CATEGORY_WEIGHTS, strict=True)
            category = rng.choices(categories, weights)[0]
        return {"surname": surname, "name": name, "patronymic": patronymic, "category": category}

    def create_teacher(self, org: Organization, position: str, person: dict) -> Teacher:
        initials = data.translit(person["name"][0] + person["patronymic"][0])
        mail_name = data.MAIL_NAMES[next(k for k, o in self.orgs.items() if o == org)]
        teacher = save(
            Teacher(
                surname=person["surname"],
                name=person["name"],
                patronymic=person["patronymic"],
                organization=org,
                position=position,
                qualification_category=person["category"],
                subjects=data.POSITIONS[position][0],
                email=f"{data.translit(person['surname'])}.{initials}@{mail_name}.{data.EMAIL_DOMAIN}",
                phone=person.get("phone", ""),
            )
        )
        if "tag" in person:
            self.tags[person["tag"]] = teacher
        return teacher

    # --- communities ---------------------------------------------------------------------------

    def select(self, criteria: dict) -> list[Teacher]:
        if "tags" in criteria:
            return [self.tags[tag] for tag in criteria["tags"]]
        ioc = self.orgs["ioc"]
        found = [t for t in self.teachers if t.organization_id != ioc.pk]
        if "org" in criteria:
            found = [t for t in found if t.organization_id == self.orgs[criteria["org"]].pk]
        if "kinds" in criteria:
            found = [t for t in found if t.organization.kind in criteria["kinds"]]
        if "positions" in criteria:
            found = [t for t in found if any(p in t.position for p in criteria["positions"])]
        if "category" in criteria:
            found = [t for t in found if t.qualification_category == criteria["category"]]
        excluded = {self.tags[tag].pk for tag in criteria.get("exclude", [])}
        return [t for t in found if t.pk not in excluded]

    def best(self, teachers: list[Teacher]) -> Teacher:
        """The teacher of the highest category who leads no community yet (the first of them: the
        list is in random order)."""
        return max(teachers, key=lambda t: (t.pk not in self.leading, CATEGORY_RANK[t.qualification_category]))

    def founded_on(self, spec: dict) -> dt.date:
        if "founded_on" in spec:
            return min(dt.date(*spec["founded_on"]), self.previous.start)
        return dt.date(self.previous.start_year - spec["founded_years_ago"], 9, 1)

    def build_community(self, spec: dict) -> CommunityState:
        rng = random.Random(f"{data.SEED}:{spec['key']}")  # noqa: S311 - one stream per community
        founded = self.founded_on(spec)
        org_key = spec["organization"]
        community = save(
            Community(
                name=spec["name"],
                theme=spec["theme"],
                level=spec["level"],
                organization=self.orgs[org_key] if org_key else None,
                description=spec["description"],
                founded_on=founded,
            )
        )
        state = CommunityState(spec=spec, community=community, rng=rng)

        members = [self.tags[tag] for tag in spec.get("fixed", [])]
        leader = self.tags[spec["leader"]] if "leader" in spec else None
        if "leader_select" in spec:
            candidates = self.select(spec["leader_select"])
            leader = self.best(rng.sample(candidates, k=len(candidates)))
            members.append(leader)
        pool = [t for t in self.select(spec["select"]) if t not in members]
        needed = max(0, spec["size"] - len(members))
        churn = spec["size"] >= 9 and len(pool) > needed and founded < self.previous.start
        chosen = rng.sample(pool, k=min(len(pool), needed + churn))
        leaver = chosen.pop() if churn else None
        members += chosen
        leader = leader or self.best(members)
        members.remove(leader)
        members.insert(0, leader)
        newcomer = members[-1] if churn and members[-1].pk not in {t.pk for t in self.tags.values()} else None

        others = [t for t in members[1:] if t is not newcomer and t is not self.tags.get("member")]
        deputy = self.best(others) if len(members) >= 10 or spec["profile"] == "leader_change" else None
        others = [t for t in others if t is not deputy]
        state.secretary = rng.choice(others) if len(members) >= 7 and others else None

        for teacher in [*members, *([leaver] if leaver else [])]:
            if teacher is deputy:
                role, duties = Membership.Role.DEPUTY, data.DUTIES["deputy"]
            elif teacher is state.secretary:
                role, duties = Membership.Role.SECRETARY, data.DUTIES["secretary"]
            else:
                role = Membership.Role.MEMBER
                duties = rng.choice(data.DUTIES["member"]) if teacher is not leader and rng.random() < 0.3 else ""
            joined = self.current.start if teacher is newcomer else founded
            membership = membership_add(
                community=community, teacher=teacher, joined_on=joined, role=role, duties=duties
            )
            left = None
            if teacher is leaver:
                left = membership_end(membership=membership, left_on=self.previous.end).left_on
            state.roster.append((teacher, joined, left))

        self.appoint(state, leader, starts_on=founded + dt.timedelta(days=9 if "founded_on" in spec else 0))
        if spec["profile"] == "leader_change":
            self.change_leader(state, successor=deputy)
        return state

    def appoint(self, state: CommunityState, teacher: Teacher, starts_on: dt.date) -> LeaderAppointment:
        order_date = starts_on - dt.timedelta(days=4)
        appointment = leader_appoint(
            community=state.community,
            teacher=teacher,
            order_number=order_number(order_date),
            order_date=order_date,
            starts_on=starts_on,
            issued_by=self.orgs["department"],
        )
        state.leaders.append((starts_on, teacher))
        self.leading.add(teacher.pk)
        self.teacher_user(teacher)
        return appointment

    def change_leader(self, state: CommunityState, successor: Teacher):
        """A new order in the middle of the previous year: the history of appointments."""
        previous_leader = state.leaders[-1][1]
        starts_on = working_day(dt.date(self.previous.start_year + 1, 1, 12))
        appointment = self.appoint(state, successor, starts_on)
        ending = agreement(previous_leader, "a")["a"]
        appointment.note = (
            f"Прежний руководитель {previous_leader.short_name} освобожден{ending} от обязанностей "
            f"{state.spec['change_note']}."
        )
        save(appointment)

    # --- regulations ------------------------------------------------------------------------------

    def build_regulations(self):
        district_spec = data.DISTRICT_REGULATION
        effective = min(s.community.founded_on for s in self.states) - dt.timedelta(days=10)
        district = save(
            Regulation(
                title=district_spec["title"],
                community=None,
                text=(data.REGULATIONS_DIR / district_spec["file"]).read_text(encoding="utf-8"),
                approved_by=district_spec["approved_by"],
                approved_order_number=order_number(effective),
                approved_on=effective,
                effective_from=effective,
            )
        )
        kindergarten_spec = data.KINDERGARTEN_REGULATION
        kindergarten = next(s for s in self.states if s.spec["key"] == data.KINDERGARTEN_34)
        adopted = dt.date(*kindergarten_spec["date"])  # recommended and approved the same day
        regulation = save(
            Regulation(
                title=kindergarten_spec["title"],
                community=kindergarten.community,
                text=(data.REGULATIONS_DIR / kindergarten_spec["file"]).read_text(encoding="utf-8"),
                recommended_by=kindergarten_spec["recommended_by"],
                recommended_protocol_number=kindergarten_spec["recommended_protocol_number"],
                recommended_on=adopted,
                approved_by=kindergarten_spec["approved_by"],
                approved_order_number=kindergarten_spec["approved_order_number"],
                approved_on=adopted,
                effective_from=adopted,
            )
        )
        for number, tag in enumerate(kindergarten.spec["fixed"]):
            if tag not in data.DS34_NOT_ACKNOWLEDGED:
                on = min(adopted + dt.timedelta(days=number // 2), self.today)
                acknowledgement_record(regulation=regulation, teacher=self.tags[tag], on=on)

        # The other institutional communities: a regulation of their own, a local act of their organization
        # (section 6), all but the last one, whose page shows «положение: нет» and «Добавить положение».
        others = [
            state
            for state in self.states
            if state.community.level == Community.Level.INSTITUTIONAL and state is not kindergarten
        ]
        for state in others[:-1]:
            self.build_own_regulation(state.community)

        # The district regulation: most members have read it; the demo member has not yet.
        joined: dict[int, tuple[Teacher, dt.date]] = {}
        for state in self.states:
            for teacher, joined_on, _left in state.roster:
                if teacher.pk not in joined or joined_on < joined[teacher.pk][1]:
                    joined[teacher.pk] = (teacher, joined_on)
        leaders = {t.pk for s in self.states for _starts, t in s.leaders}
        for teacher, joined_on in joined.values():
            if teacher == self.tags["member"] or (teacher.pk not in leaders and self.rng.random() < 0.15):
                continue
            on = max(joined_on, effective) + dt.timedelta(days=self.rng.randint(0, 20))
            acknowledgement_record(regulation=district, teacher=teacher, on=min(on, self.today))

    def build_own_regulation(self, community):
        organization = community.organization
        adopted = max(community.founded_on - dt.timedelta(days=5), dt.date(2020, 1, 10))
        template = (data.REGULATIONS_DIR / data.OWN_REGULATION_FILE).read_text(encoding="utf-8")
        text = template.format(community=community.name, organization=organization.full_name)
        save(
            Regulation(
                title=f"Положение о {community.name}",
                community=community,
                text=text,
                recommended_by=f"к принятию Педагогическим советом {organization.short_name}",
                recommended_protocol_number="1",
                recommended_on=adopted,
                approved_by=f"приказом руководителя {organization.short_name}",
                approved_order_number=f"{adopted.day + 10}-о",
                approved_on=adopted,
                effective_from=adopted,
            )
        )

    # --- plans ----------------------------------------------------------------------------------------

    def build_plans(self, state: CommunityState):
        spec, community = state.spec, state.community
        profile = spec["profile"]
        previous_count = max(spec["sessions"][0], required_sessions(community, self.previous))
        required = required_sessions(community, self.current)
        if profile == "at_risk_draft":
            current_count, approve = max(1, required - 1), False
        else:
            current_count, approve = max(spec["sessions"][1], required), profile != "draft_plan"
        # This year's plans of two ordinary communities wait for the ИОЦ: one sent, one returned with a comment.
        outcome = spec.get("plan_review", "approved") if approve else None
        self.build_plan(state, self.previous, previous_count, topic_offset=0, outcome="approved")
        self.build_plan(state, self.current, current_count, topic_offset=max(0, previous_count - 2), outcome=outcome)

    def build_plan(self, state: CommunityState, year: AcademicYear, count: int, topic_offset: int, outcome):
        """A plan of ``count`` sessions; ``outcome`` (approved, submitted, returned or None for a draft) is given
        after the meetings are built (``review_plans``): a plan is sent once discussed at a signed meeting."""
        spec, rng = state.spec, state.rng
        start = max(year.start, state.community.founded_on)
        plan = save(
            AnnualPlan(
                community=state.community,
                academic_year=year,
                theme=spec["theme"],
                goals=spec["goals"],
                tasks=spec["tasks"],
                composition=self.composition(state, state.members_on(start)),
                professional_needs=spec["needs"],
            )
        )
        text = {"year": year.label, "next_year": year.next().label, "visits": spec["visits"]}
        topics = spec["topics"]
        for index, month in enumerate(session_months(count)):
            day = month_date(year, month, rng)
            if index == 0:
                kind, topic, form, hint = "first", data.FIRST_SESSION_TOPIC.format(**text), "session", "leader"
            elif index == count - 1:
                kind, topic, form, hint = "last", data.LAST_SESSION_TOPIC.format(**text), "session", "leader"
            else:
                kind = "topic"
                topic, form, hint = topics[(topic_offset + index - 1) % len(topics)]
            item = save(
                PlanItem(
                    plan=plan,
                    month=month,
                    topic=topic,
                    form=form,
                    responsible=self.responsible(state, day, hint),
                    expected_result="" if kind != "topic" else rng.choice(data.EXPECTED_RESULTS),
                )
            )
            state.events.append(Event(item=item, year=year, date=day, kind=kind))
        for topic, form, month in [data.NON_SESSION_ITEMS[0], rng.choice(data.NON_SESSION_ITEMS[1:])]:
            day = month_date(year, month, rng)
            item = save(
                PlanItem(
                    plan=plan,
                    month=month,
                    topic=topic.format(**text),
                    form=form,
                    responsible=self.responsible(state, day, None),
                )
            )
            state.events.append(Event(item=item, year=year, date=day, kind="other"))
        if outcome:
            state.reviewed_plans.append((plan, outcome))

    def review_plans(self, state: CommunityState):
        """Send the plans to the ИОЦ as the portal does (``PlanDiscussion`` names the protocol of the
        organizational session, or of the last session of the year before) and give the ИОЦ's answer a few days
        later. Written directly with past dates: the services stamp the present and ask for today's leader."""
        for plan, outcome in state.reviewed_plans:
            signed = Protocol.objects.signed().filter(community=state.community).select_related("meeting")
            protocol = signed.filter(academic_year=plan.academic_year).order_by("meeting__date").first()
            protocol = (
                protocol
                or signed.filter(academic_year=plan.academic_year.previous()).order_by("-meeting__date").first()
            )
            if protocol is None:
                continue
            save(PlanDiscussion(plan=plan, protocol=protocol))
            discussed = protocol.meeting.date
            sent = min(
                timezone.make_aware(dt.datetime.combine(discussed, dt.time(15, 0))) + dt.timedelta(days=1),
                timezone.now(),
            )
            answered = min(sent + dt.timedelta(days=2, hours=-5), timezone.now())
            plan.status = AnnualPlan.Status.SUBMITTED
            plan.submitted_at, plan.submitted_by = sent, state.leader_on(discussed)
            if outcome == "approved":
                plan.status = AnnualPlan.Status.APPROVED
                plan.approved_at, plan.approved_by = answered, self.methodist_user
            elif outcome == "returned":
                plan.status = AnnualPlan.Status.RETURNED
                plan.returned_at, plan.returned_by = answered, self.methodist_user
                plan.return_comment = data.PLAN_RETURN_COMMENT
            plan.full_clean()
            plan.save()

    def responsible(self, state: CommunityState, day: dt.date, hint: str | None) -> Teacher:
        members = state.members_on(day)
        leader = state.leader_on(day)
        if hint == "leader":
            return leader
        if hint:
            matching = [t for t in members if hint in t.position]
            if matching:
                return state.rng.choice(matching)
        return state.rng.choice([t for t in members if t != leader] or members)

    def composition(self, state: CommunityState, members: list[Teacher]) -> str:
        community = state.community
        count = f"{len(members)} {plural(len(members), 'педагог', 'педагога', 'педагогов')}"
        if community.organization_id and community.level == Community.Level.INSTITUTIONAL:
            lines = [f"Состав ПОС: {count} {community.organization.short_name}."]
        else:
            orgs = len({t.organization_id for t in members})
            lines = [f"Состав ПОС: {count} из {orgs} {plural(orgs, 'организации', 'организаций', 'организаций')}."]
        categories = Counter(t.qualification_category for t in members)
        lines.append(
            "Квалификационные категории: "
            + ", ".join(
                f"{label} — {categories[value]}" for value, label in Teacher.Category.choices if categories[value]
            )
            + "."
        )
        positions = Counter(t.position for t in members)
        lines.append("Должности: " + ", ".join(f"{p} — {n}" for p, n in positions.most_common()) + ".")
        return "\n".join(lines)

    # --- meetings ---------------------------------------------------------------------------------------

    def decide_outcomes(self, state: CommunityState):
        """Decide what became of each planned event (held, planned, cancelled or nothing yet), which
        protocols stay drafts, and where the demo member gets an open assignment."""
        profile = state.spec["profile"]
        for year in (self.previous, self.current):
            sessions = [e for e in state.events if e.year == year and e.kind != "other"]
            for index, event in enumerate(sessions):
                if year == self.current and profile in {"at_risk_draft", "at_risk_lagging"} and index > 0:
                    continue  # the community stopped meeting after its first session
                if year == self.previous and profile == "three_last_year" and index == len(sessions) // 2:
                    event.status, event.cancel_reason = Meeting.Status.CANCELLED, state.spec["cancel_reason"]
                    continue
                event.status = Meeting.Status.HELD if event.date < self.today else Meeting.Status.PLANNED
            # Planned events of a group form get a meeting (they gather members); individual work does not.
            # Like every held meeting in the portal (meetings.services.meeting_create), a held one has a protocol.
            group = ActivityKind.GROUP
            for event in state.events:
                if event.year == year and event.kind == "other" and ActivityForm(event.item.form).kind == group:
                    event.status = Meeting.Status.HELD if event.date < self.today else Meeting.Status.PLANNED

        held = sorted(
            (e for e in state.events if e.kind != "other" and e.status == Meeting.Status.HELD), key=lambda e: e.date
        )
        if state.spec.get("leader") == "leader" and held:
            held[-1].draft = True
            for event in held[-2:]:
                event.member_assignment = True
        if profile == "draft_plan":
            current = [e for e in held if e.year == self.current]
            if current:
                current[-1].draft = True

    def build_meetings(self, state: CommunityState):
        sessions = sorted((e for e in state.events if e.kind != "other"), key=lambda e: e.date)
        for event in sorted(state.events, key=lambda e: e.date):
            if event.status is None:
                continue
            host = self.host(state, event.date)
            hour, minute = data.MEETING_TIMES[host.kind if host.kind in data.MEETING_TIMES else "school"]
            meeting = save(
                Meeting(
                    community=state.community,
                    plan_item=event.item,
                    form=event.item.form,
                    date=event.date,
                    time=dt.time(hour, minute),
                    place=f"{host.short_name}, {state.rng.choice(data.ROOMS[host.kind])}",
                    topic=event.item.topic,
                    status=event.status,
                    cancel_reason=event.cancel_reason,
                )
            )
            if event.status != Meeting.Status.HELD:
                continue
            later = [e for e in sessions if e.date > event.date and e.status is not None]
            self.hold_session(state, event, meeting, host, next_date=later[0].date if later else None)

    def host(self, state: CommunityState, day: dt.date) -> Organization:
        community = state.community
        if community.level == Community.Level.INSTITUTIONAL:
            return community.organization
        if state.rng.random() < 0.3:
            return self.orgs["ioc"]
        return state.rng.choice(state.members_on(day)).organization

    def hold_session(self, state, event: Event, meeting: Meeting, host: Organization, next_date):
        rng, day = state.rng, event.date
        chair = state.leader_on(day)
        rows = attendance_prefill(meeting=meeting)
        spared = {chair.pk, event.item.responsible_id}
        candidates = [row for row in rows if row.teacher_id not in spared]
        for row in rng.sample(candidates, k=min(len(candidates), rng.choice([0, 1, 1, 2]))):
            row.present, row.absence_reason = False, rng.choice(data.ABSENCE_REASONS)
            save(row)
        meeting.attendance_confirm(chair)  # the leader checked who was there
        present = [row.teacher for row in rows if row.present]

        guest = None
        if state.community.level == Community.Level.MUNICIPAL and rng.random() < 0.35:
            guest = rng.choice([t for t in self.teachers if t.organization_id == self.orgs["ioc"].pk])
            save(
                Guest(
                    meeting=meeting,
                    full_name=guest.full_name,
                    position=guest.position,
                    organization=guest.organization.short_name,
                )
            )
        elif state.community.level == Community.Level.INSTITUTIONAL and rng.random() < 0.25:
            org = state.community.organization
            head = "заведующий" if org.kind == Organization.Kind.KINDERGARTEN else "директор"
            save(Guest(meeting=meeting, full_name=org.head_name, position=head, organization=org.short_name))

        for order, question in enumerate(self.agenda(state, event, chair, present, guest), start=1):
            speakers = question["item"].pop("speakers")
            item = save(AgendaItem(meeting=meeting, order=order, **question["item"]))
            for number, speaker in enumerate(speakers, start=1):
                save(Speaker(agenda_item=item, order=number, **speaker))
            for number, (text, votes, assignment) in enumerate(question["decisions"], start=1):
                abstained = 1 if votes and len(present) > 4 and rng.random() < 0.15 else 0
                decision = save(
                    Decision(
                        agenda_item=item,
                        order=number,
                        text=text,
                        vote=Decision.Vote.NONE
                        if not votes
                        else Decision.Vote.COUNTED
                        if abstained
                        else Decision.Vote.UNANIMOUS,
                        votes_for=len(present) - abstained if abstained else None,
                        votes_against=0 if abstained else None,
                        votes_abstained=abstained if abstained else None,
                    )
                )
                if assignment:
                    self.assign(state, event, decision, *assignment)
                if order == 1 and number == 1 and event.member_assignment:
                    deadline = next_date or day + dt.timedelta(days=30)
                    self.assign(state, event, decision, data.MEMBER_ASSIGNMENT, "", self.tags["member"], deadline, True)

        secretary = state.secretary if state.secretary in present and state.secretary != chair else None
        protocol = protocol_create(meeting=meeting, chair=chair, secretary=secretary, place=host.town)
        if not event.draft:
            # Signed today by today's leader: after a change of leader, the successor signs what the former chaired.
            protocol_sign(protocol=protocol, user=state.leader_on(self.today).user)

    def agenda(self, state, event: Event, chair: Teacher, present: list[Teacher], guest: Teacher | None):
        """The questions of a session: dicts with the AgendaItem fields and the decisions
        (text, with votes, assignment as (text, report when done, responsible, deadline) or None)."""
        rng, spec, day = state.rng, state.spec, event.date
        text = {"year": event.year.label, "next_year": event.year.next().label, "visits": spec["visits"]}
        members = [t for t in present if t != chair] or [chair]
        secretary = state.secretary if state.secretary in members else rng.choice(members)

        def question(template: str, speaker: Teacher, heard: str, spoke: str = "", outside=None):
            """A question heard from ``speaker`` (or from the ``outside`` person: Speaker fields), with one member
            who spoke (``spoke``: «{other} – …»)."""
            other = rng.choice([t for t in present if t != speaker] or [speaker])
            forms = {**text, **agreement(speaker, "a"), **agreement(other, "b"), "other": other.short_name}
            speakers = (
                [{"full_name": outside[0], "position": outside[1], "organization": outside[2]}] if outside else []
            )
            speakers += [] if outside else [{"teacher": speaker}]
            said = spoke.format(**forms).removeprefix(f"{other.short_name} – ")
            if said:
                speakers.append({"teacher": other, "part": Speaker.Part.SPOKE, "text": said})
            return {"question": template.format(**text), "heard": heard.format(**forms), "speakers": speakers}

        def deadline(days: int) -> dt.date:
            return day + dt.timedelta(days=days)

        questions = []
        if event.kind == "other":  # group work: one question, minuted like any held meeting
            work = data.GROUP_WORK_QUESTIONS[event.item.form]
            speaker = event.item.responsible if event.item.responsible in present else rng.choice(members)
            item = question(work["question"], speaker, work["heard"], work["spoke"])
            return [{"item": item, "decisions": [(work["decision"], False, None)]}]
        if event.kind in {"first", "last"}:
            templates = data.ORGANIZATIONAL_QUESTIONS if event.kind == "first" else data.FINAL_QUESTIONS
            if event.kind == "first" and rng.random() < 0.3:
                templates = templates[:2]
            for template in templates:
                speaker = chair if template["speaker"] == "leader" else secretary
                decisions = []
                for number, decision in enumerate(template["decisions"], start=1):
                    assignment = None
                    if "assignment" in template:
                        assignment = (*template["assignment"], speaker, deadline(21))
                    elif "assignment_leader" in template and number == len(template["decisions"]):
                        task, report = template["assignment_leader"]
                        assignment = (task.format(**text), report, chair, deadline(12))
                    decisions.append((decision.format(**text), template["votes"] and number == 1, assignment))
                questions.append(
                    {
                        "item": question(template["question"], speaker, template["heard"], template["spoke"]),
                        "decisions": decisions,
                    }
                )
            return questions

        speaker = event.item.responsible if event.item.responsible in present else rng.choice(members)
        doer = rng.choice([t for t in members if t != speaker] or members)
        if not state.deputy_heard and not event.draft:
            questions.append(self.deputy_question(state, event, speaker))
        questions.append(
            {
                "item": question(event.item.topic, speaker, rng.choice(data.TOPIC_HEARD), rng.choice(data.TOPIC_SPOKE)),
                "decisions": [
                    (data.TOPIC_DECISIONS[0], False, None),
                    (
                        data.TOPIC_DECISIONS[1],
                        rng.random() < 0.3,
                        (*rng.choice(data.TOPIC_ASSIGNMENTS), doer, deadline(rng.randint(25, 45)))
                        if rng.random() < 0.6
                        else None,
                    ),
                ],
            }
        )
        if rng.random() < 0.5:
            extra = rng.choice(data.EXTRA_QUESTIONS)
            if guest is not None and rng.random() < 0.5:
                person = (guest.full_name, guest.position, guest.organization.short_name)
                item = question(extra["question"], guest, extra["heard"], outside=person)
            else:
                item = question(extra["question"], rng.choice(members), extra["heard"])
            questions.append({"item": item, "decisions": [(extra["decision"], False, None)]})
        if rng.random() < 0.3:
            previous = data.PREVIOUS_DECISIONS_QUESTION
            questions.append(
                {
                    "item": question(previous["question"], chair, previous["heard"]),
                    "decisions": [(previous["decision"], False, None)],
                }
            )
        return questions

    def deputy_question(self, state, event: Event, member: Teacher) -> dict:
        """data.DEPUTY_QUESTION, heard from two докладчики: the deputy head of the organization (an outside person)
        and ``member``, who leads the topic."""
        state.deputy_heard = True
        org = state.community.organization or member.organization
        kind = "kindergarten" if org.kind == Organization.Kind.KINDERGARTEN else "school"
        # By the community's name, not its pk: a second run (PostgreSQL's sequences move on) builds the same district.
        deputy = data.DEPUTIES[zlib.crc32(state.community.name.encode()) % len(data.DEPUTIES)]
        template = data.DEPUTY_QUESTION
        speakers = [
            {"full_name": deputy, "position": data.DEPUTY_POSITION[kind], "organization": org.short_name},
            {"teacher": member},
        ]
        item = {"question": template["question"].format(topic=event.item.topic), "heard": template["heard"]}
        return {"item": {**item, "speakers": speakers}, "decisions": [(template["decision"], False, None)]}

    def assign(self, state, event: Event, decision, text, done_report, responsible, deadline, force_open=False):
        rng, day = state.rng, event.date
        status, done_on, report = Assignment.Status.OPEN, None, ""
        if not force_open:
            if deadline < self.today:
                done = rng.random() < (0.9 if event.year == self.previous else 0.75)
                latest = min(deadline + dt.timedelta(days=3), self.today)
            else:
                done = rng.random() < 0.25
                latest = self.today
            if done:
                earliest = min(day + dt.timedelta(days=3), latest)
                status = Assignment.Status.DONE
                done_on = earliest + dt.timedelta(days=rng.randint(0, (latest - earliest).days))
                report = done_report
        save(
            Assignment(
                decision=decision,
                text=text,
                responsible=responsible,
                deadline=deadline,
                status=status,
                done_on=done_on,
                report=report,
            )
        )

    def build_assignment_control(self, state: CommunityState):
        """The demo community's assignments in every state of control: the member's report returned with the
        leader's comment, a report on review, a deadline moved; and its latest draft starts the follow-up question
        «О выполнении решений предыдущего заседания» with outcomes chosen (they apply when it is signed)."""
        leader = state.leader_on(self.today).user
        member = self.tags["member"]
        live = Assignment.objects.open().filter(decision__agenda_item__meeting__community=state.community)
        mine = live.filter(responsible=member).order_by("deadline", "pk").first()
        if mine is not None:
            assignment_services.assignment_report(
                assignment=mine, user=member.user, done_on=self.today, report=data.MEMBER_RETURNED_REPORT
            )
            assignment_services.assignment_return(assignment=mine, user=leader, comment=data.MEMBER_RETURN_COMMENT)
        # The demo community's first, then the district's: a report on review and a deadline moved.
        others = list(live.exclude(responsible=member).order_by("-deadline", "pk")[:2])
        if len(others) < 2:
            others += list(
                Assignment.objects.open()
                .exclude(responsible=member)
                .exclude(pk__in=[a.pk for a in others])
                .select_related("decision__agenda_item__meeting__community")
                .order_by("-deadline", "pk")[: 2 - len(others)]
            )

        def leader_of(assignment):
            return assignment.decision.agenda_item.meeting.community.leader_on(self.today).user

        if others:
            done_on = max(others[0].decision.agenda_item.meeting.date, self.today - dt.timedelta(days=2))
            assignment_services.assignment_report(
                assignment=others[0],
                user=leader_of(others[0]),
                done_on=min(done_on, self.today),
                report=data.REVIEW_REPORT,
            )
        if len(others) > 1:
            assignment_services.assignment_move_deadline(
                assignment=others[1],
                user=leader_of(others[1]),
                new_deadline=others[1].deadline + dt.timedelta(days=14),
                reason=data.DEADLINE_REASON,
            )
        draft = (
            Meeting.objects.filter(community=state.community, protocol__isnull=False, protocol__signed_at__isnull=True)
            .order_by("-date")
            .first()
        )
        if draft is None:
            return
        # The follow-up question replaces a hand-made one of the same title: a protocol asks it once.
        for same in draft.agenda.filter(follow_up=False, question=data.PREVIOUS_DECISIONS_QUESTION["question"]):
            draft.refresh_from_db(fields=["version"])
            agenda_item_delete(item=same, expected_version=draft.version)
        draft.refresh_from_db(fields=["version"])
        item = assignment_services.follow_up_question_add(meeting=draft)
        rows = list(item.follow_ups.select_related("assignment").order_by("assignment__deadline", "pk"))
        today = self.today
        for row in rows:
            if row.assignment.status == Assignment.Status.REVIEW:
                row.outcome = FollowUp.Outcome.DONE
            elif row.assignment.is_overdue(today):
                row.outcome = FollowUp.Outcome.EXTEND
                row.new_deadline = max(today, row.assignment.deadline) + dt.timedelta(days=30)
        if rows and all(row.outcome == FollowUp.Outcome.PENDING for row in rows):
            rows[0].outcome = FollowUp.Outcome.CANCEL
        draft.refresh_from_db(fields=["version"])
        assignment_services.follow_ups_save(item=item, rows=rows, expected_version=draft.version)

    # --- annual reports ------------------------------------------------------------------------------------

    def report_texts(self, state: CommunityState, year: AcademicYear, templates: dict) -> dict:
        members = [teacher for teacher in state.members_on(min(year.end, self.today)) if teacher != state.leaders[0][1]]
        first, second = (members + [state.leader_on(min(year.end, self.today))] * 2)[:2]
        sessions = Meeting.objects.sessions_held_in(year).filter(community=state.community).count()
        text = {
            "year": year.label,
            "next_year": year.next().label,
            "theme": state.spec["theme"],
            "visits": state.spec["visits"],
            "first": first.short_name,
            "second": second.short_name,
            "sessions": f"{sessions} {plural(sessions, 'заседание', 'заседания', 'заседаний')}",
        }
        return {name: template.format(**text) for name, template in templates.items()}

    def build_reports(self, state: CommunityState):
        """The previous year's report, submitted by the leader in June and accepted by the ИОЦ's methodist a week
        later (for a community that existed then); the current year's a draft."""
        community = state.community
        submitted_on = working_day(max(dt.date(self.previous.end.year, 6, 3), community.founded_on))
        reviewed_on = working_day(submitted_on + dt.timedelta(days=7))
        if community.founded_on <= self.previous.end and reviewed_on < self.today:
            reviewer = Signatory.of(self.methodist_user)
            save(
                AnnualReport(
                    community=community,
                    academic_year=self.previous,
                    **self.report_texts(state, self.previous, data.ANNUAL_REPORT_LAST_YEAR),
                    status=AnnualReport.Status.ACCEPTED,
                    submitted_by=state.leader_on(submitted_on),
                    submitted_at=timezone.make_aware(dt.datetime.combine(submitted_on, dt.time(15, 0))),
                    reviewed_by=self.methodist_user,
                    reviewed_at=timezone.make_aware(dt.datetime.combine(reviewed_on, dt.time(11, 0))),
                    reviewer_title=reviewer.title,
                    reviewer_name=reviewer.signature_name,
                )
            )
        save(
            AnnualReport(
                community=community,
                academic_year=self.current,
                **self.report_texts(state, self.current, data.ANNUAL_REPORT_THIS_YEAR),
            )
        )

    # --- summary ------------------------------------------------------------------------------------------

    def summary(self) -> str:
        meetings = Counter(Meeting.objects.values_list("status", flat=True))
        protocols = Protocol.objects.all()
        assignments = Assignment.objects.all()
        plans = AnnualPlan.objects.all()
        math = self.states[0]
        lines = [
            f"Демо-данные созданы: учебные годы {self.previous} и {self.current}, сегодня {self.today:%d.%m.%Y}.",
            f"  организации: {Organization.objects.count()}, педагоги: {Teacher.objects.count()}, "
            f"ПОС: {Community.objects.count()}, членство: {Membership.objects.count()}, "
            f"приказы о назначении: {LeaderAppointment.objects.count()}",
            f"  положения: {Regulation.objects.count()}, отметок об ознакомлении: {Acknowledgement.objects.count()}",
            f"  планы: {plans.count()} (утверждено {plans.filter(status=AnnualPlan.Status.APPROVED).count()}, "
            f"на утверждении {plans.filter(status=AnnualPlan.Status.SUBMITTED).count()}, "
            f"возвращено {plans.filter(status=AnnualPlan.Status.RETURNED).count()}, "
            f"черновиков {plans.filter(status=AnnualPlan.Status.DRAFT).count()}), "
            f"мероприятий плана: {PlanItem.objects.count()}",
            f"  заседания и мероприятия: {sum(meetings.values())} (проведено {meetings[Meeting.Status.HELD]}, "
            f"запланировано {meetings[Meeting.Status.PLANNED]}, отменено {meetings[Meeting.Status.CANCELLED]})",
            f"  протоколы: {protocols.count()} (подписано {protocols.signed().count()}, "
            f"черновиков {protocols.drafts().count()}), решения: {Decision.objects.count()}, "
            f"поручения: {assignments.count()}, на контроле {assignments.live().count()} (в работе "
            f"{assignments.open().count()}, просрочено {assignments.overdue(self.today).count()}, на проверке "
            f"{assignments.live().filter(status=Assignment.Status.REVIEW).count()})",
            f"  отчёты о деятельности: {AnnualReport.objects.count()} (принято "
            f"{AnnualReport.objects.accepted().count()}, черновиков "
            f"{AnnualReport.objects.filter(status=AnnualReport.Status.DRAFT).count()})",
            f"Учётные записи (пароль «{data.DEMO_PASSWORD}»):",
            "  department — Департамент образования, администратор (Django admin)",
            f"  metodist   — методист ИОЦ, {self.tags['metodist'].short_name}",
            f"  leader     — руководитель «{math.community}», {self.tags['leader'].short_name}",
            f"  member     — член «{math.community}», {self.tags['member'].short_name}",
            "  руководители других ПОС: "
            + ", ".join(
                sorted(
                    {t.user.username for s in self.states[1:] for _starts, t in s.leaders if t != self.tags["leader"]}
                )
            ),
        ]
        return "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Заполняет базу демонстрационными данными: организации, педагоги, ПОС, планы, заседания и протоколы "
        "Тутаевского района. Только при DEBUG=True; повторный запуск ничего не меняет."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo работает только при DEBUG=True: демо-данные не для рабочей базы. "
                "/ seed_demo runs only with DEBUG=True: demo data must not reach a production database."
            )
        if Organization.objects.filter(short_name=data.IOC["short_name"]).exists():
            self.stdout.write("Демо-данные уже загружены (есть ИОЦ) — ничего не изменено.")
            return
        conflicts = self.conflicts()
        if conflicts:
            raise CommandError(
                "В базе уже есть данные, которые совпадают с демо-данными, но самих демо-данных нет: "
                + "; ".join(conflicts)
                + ". Запустите команду на пустой базе."
            )
        district = DemoDistrict(timezone.localdate())
        try:
            # The demo's people are not told of the demo's meetings and protocols: no mail, no outbox rows. Muted
            # around the transaction: what is sent after its commit (a returned report's signal) is muted too.
            with muted(), transaction.atomic():
                district.build()
        except ValidationError as error:
            raise CommandError(f"Демо-данные не созданы: {'; '.join(error.messages)}") from error
        self.stdout.write(self.style.SUCCESS(district.summary()))

    @staticmethod
    def conflicts() -> list[str]:
        found = []
        users = get_user_model().objects.filter(username__in=DEMO_USERNAMES).values_list("username", flat=True)
        if users:
            found.append("пользователи " + ", ".join(sorted(users)))
        short_names = [o["short_name"] for o in [data.DEPARTMENT, *data.ORGANIZATIONS]]
        orgs = Organization.objects.filter(short_name__in=short_names).values_list("short_name", flat=True)
        if orgs:
            found.append("организации " + ", ".join(sorted(orgs)))
        names = Community.objects.active().filter(name__in=[c["name"] for c in data.COMMUNITIES])
        if names.exists():
            found.append("ПОС " + ", ".join(names.values_list("name", flat=True)))
        return found
