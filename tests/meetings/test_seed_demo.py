"""The demo district of ``manage.py seed_demo``: its size, its accounts, and that it obeys the rules.

Building the district takes a few seconds, so the tests that only read it share one build per class
(``district``), rolled back after the class; the tests of running the command start from an empty
database.
"""

import datetime as dt
from collections import Counter
from io import StringIO

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction
from django.db.models import Count
from django.test import RequestFactory, override_settings
from django.utils import timezone

from communities.models import (
    AnnualPlan,
    Community,
    LeaderAppointment,
    Membership,
    Organization,
    Regulation,
    Teacher,
)
from demo import data as demo_data
from meetings.models import AgendaItem, Assignment, DeadlineChange, Meeting, Protocol, Speaker
from meetings.protocol_content import load_protocol, protocol_content
from pos_portal.academic_year import AcademicYear
from pos_portal.roles import is_methodist
from tests.conftest import FAST_HASHERS

# Each build of the district takes about 20 s: slow. In a parallel run (make test: --dist loadscope) the class that
# reads one build stays on one worker, and the test that builds it twice may run on another.
pytestmark = [pytest.mark.django_db, pytest.mark.slow]

MASCULINE_ENDINGS = ("ов", "ев", "ёв", "ин", "ын", "ий")
FEMININE_ENDINGS = ("ова", "ева", "ёва", "ина", "ына", "ая")


def login_request():
    """django-axes checks every authentication against the request it came with."""
    return RequestFactory().post("/accounts/login/")


def seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def district(django_db_setup, django_db_blocker):
    """The demo district, built once for a class inside a transaction that is rolled back after it.
    Each test runs in a savepoint of that transaction, so a test cannot leak changes to the next."""
    # The hashers of conftest's autouse fixture, which is function-scoped and so not yet active here.
    with django_db_blocker.unblock(), override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield seed()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def counts() -> dict[str, int]:
    models = [Organization, Teacher, Community, Membership, Meeting, Protocol, AgendaItem, Assignment, AnnualPlan]
    return {model.__name__: model.objects.count() for model in models} | {"User": get_user_model().objects.count()}


def sessions_held_in(year: AcademicYear) -> dict[str, int]:
    held = Meeting.objects.sessions_held_in(year)
    found = Counter(held.values_list("community__name", flat=True))
    return {community.name: found[community.name] for community in Community.objects.all()}


def demo_community(user) -> Community:
    appointment = LeaderAppointment.objects.current().get(teacher=user.teacher)
    return appointment.community


@pytest.mark.usefixtures("district")
class TestTheDemoDistrict:
    # --- size and shape ---------------------------------------------------------------------------------

    def test_the_demo_writes_no_letters(self):
        """The demo's protocols are signed and its meetings created, but nobody is mailed (notifications.muted)."""
        from notifications.models import Outbox

        assert not Outbox.objects.exists()

    def test_the_district_has_the_expected_size(self):
        kinds = Counter(Organization.objects.values_list("kind", flat=True))
        assert kinds[Organization.Kind.IOC] == 1
        assert kinds[Organization.Kind.DEPARTMENT] == 1
        assert (
            10
            <= kinds[Organization.Kind.SCHOOL]
            + kinds[Organization.Kind.KINDERGARTEN]
            + kinds[Organization.Kind.SUPPLEMENTARY]
            <= 14
        )
        assert kinds[Organization.Kind.SCHOOL] and kinds[Organization.Kind.KINDERGARTEN]
        assert kinds[Organization.Kind.SUPPLEMENTARY]
        assert Organization.objects.filter(
            short_name="МКДОУ «Детский сад № 34 «Радуга»»",
            full_name="Муниципальное казенное дошкольное образовательное учреждение «Детский сад № 34 «Радуга»»",
        ).exists()
        assert Organization.objects.exclude(town="г. Тутаев").exists()
        assert 130 <= Teacher.objects.count() <= 170
        assert 13 <= Community.objects.count() <= 17
        assert set(Community.objects.values_list("level", flat=True)) == {"municipal", "institutional"}
        for community in Community.objects.all():
            assert 5 <= community.memberships.current().count() <= 15, community

    def test_institutional_communities_have_members_of_their_organization_only(self):
        institutional = Community.objects.filter(level=Community.Level.INSTITUTIONAL)
        assert institutional.count() >= 3
        for community in institutional:
            organizations = set(community.memberships.values_list("teacher__organization", flat=True))
            assert organizations == {community.organization_id}, community

    def test_names_agree_in_gender_and_people_are_distinct(self):
        teachers = list(Teacher.objects.all())
        women = [t for t in teachers if demo_data.is_female_patronymic(t.patronymic)]
        men = [t for t in teachers if t not in women]
        assert women and men
        assert not [t for t in women if t.surname.endswith(MASCULINE_ENDINGS) or t.name in demo_data.MALE_NAMES]
        assert not [t for t in men if t.surname.endswith(FEMININE_ENDINGS) or t.name in demo_data.FEMALE_NAMES]
        assert len({t.short_name for t in teachers}) == len(teachers)
        assert all(t.email and t.position for t in teachers)

    # --- accounts ---------------------------------------------------------------------------------------------

    def test_the_four_demo_accounts_log_in_with_password_demo(self):
        users = {
            name: authenticate(login_request(), username=name, password="demo")
            for name in ("department", "metodist", "leader", "member")
        }

        assert all(users.values()), users
        assert users["department"].is_staff and users["department"].is_superuser
        assert is_methodist(users["metodist"]) and not users["metodist"].is_staff
        assert not users["leader"].is_staff and not users["member"].is_staff
        assert all(user.first_name and user.last_name for user in users.values())
        assert authenticate(login_request(), username="leader", password="wrong") is None

    def test_leader_leads_a_municipal_community_and_member_belongs_to_it(self):
        leader = get_user_model().objects.get(username="leader").teacher
        member = get_user_model().objects.get(username="member").teacher
        community = demo_community(leader.user)

        assert community.level == Community.Level.MUNICIPAL
        assert community.current_leader == leader
        assert community.memberships.current().filter(teacher=member).exists()
        protocols = Protocol.objects.filter(community=community)
        assert protocols.signed().filter(signed_by=leader).exists()
        assert protocols.drafts().exists()

    def test_member_has_open_assignments_and_has_not_read_the_regulation(self):
        member = get_user_model().objects.get(username="member").teacher
        community = demo_community(get_user_model().objects.get(username="leader"))
        regulations = Regulation.objects.for_teacher(member)

        # Live (its protocol signed) and in work: returned by the leader with a comment on the member's report.
        returned = Assignment.objects.open().filter(responsible=member)
        assert returned.exclude(return_comment="").exclude(report="").exists()
        assert regulations.exists()
        assert not member.acknowledgements.filter(regulation__in=regulations).exists()
        # … while most of the other members of the community have read it.
        others = Teacher.objects.filter(memberships__community=community).exclude(pk=member.pk).distinct()
        read = others.filter(acknowledgements__regulation__in=regulations).distinct()
        assert read.count() > others.count() / 2

    # --- the rules ------------------------------------------------------------------------------------------------

    def test_every_signed_protocol_is_complete_and_signed_by_the_leader(self):
        signed = Protocol.objects.signed().select_related("meeting__community")
        assert signed.count() >= 50

        undecided = AgendaItem.objects.filter(meeting__protocol__signed_at__isnull=False).annotate(n=Count("decisions"))
        assert not undecided.filter(n=0).exists()
        for protocol in signed:
            meeting = protocol.meeting
            assert meeting.status == Meeting.Status.HELD
            assert meeting.agenda.exists()
            assert 1 <= meeting.agenda.count() <= 4
            assert meeting.attendance.filter(present=True).exists()
            assert protocol.chair == meeting.community.leader_on(meeting.date)
            assert protocol.signed_by == meeting.community.current_leader  # all are signed today, by today's leader
            assert protocol.signed_by.user is not None

    def test_no_protocol_asks_the_same_question_twice(self):
        repeated = (
            AgendaItem.objects.order_by().values("meeting_id", "question").annotate(n=Count("pk")).filter(n__gt=1)
        )
        assert not repeated.exists()
        assert AgendaItem.objects.filter(follow_up=True).exists()  # the draft's follow-up question is there

    def test_a_signed_question_heard_two_speakers_a_deputy_director_and_a_member(self):
        community = Community.objects.get(name="ПОС учителей математики")
        item = AgendaItem.objects.get(
            meeting__community=community, meeting__protocol__signed_at__isnull=False, question__startswith="О методич"
        )
        reporters = list(item.speakers.filter(part=Speaker.Part.REPORT).order_by("order"))

        assert [(speaker.teacher is None, speaker.position) for speaker in reporters] == [
            (True, "заместитель директора по УВР"),
            (False, ""),
        ]
        assert community.memberships.filter(teacher=reporters[1].teacher).exists()
        assert item.meeting.protocol.signing_problems(None) == ["Протокол уже подписан."]
        printed = protocol_content(load_protocol(item.meeting.protocol.pk)).question(item.pk)
        assert printed.heard_from == ", ".join(speaker.listed_name for speaker in reporters)

    def test_meeting_statuses_match_the_dates(self):
        today = timezone.localdate()

        assert not Meeting.objects.held().filter(date__gt=today).exists()
        assert not Meeting.objects.planned().filter(date__lt=today).exists()
        cancelled = Meeting.objects.filter(status=Meeting.Status.CANCELLED)
        assert cancelled.count() == 1
        assert cancelled.get().cancel_reason
        assert Meeting.objects.filter(plan_item__isnull=False).count() == Meeting.objects.count()
        assert Meeting.objects.held().sessions().filter(attendance__present=False).exists()
        assert Meeting.objects.filter(guests__isnull=False).exists()

    def test_assignments_are_done_open_and_overdue(self):
        assignments = Assignment.objects.all()

        assert assignments.filter(status=Assignment.Status.DONE).exclude(report="").exists()
        assert assignments.overdue().exists()
        assert assignments.open().filter(deadline__gte=timezone.localdate()).exists()
        assert assignments.live().filter(status=Assignment.Status.REVIEW).exists()
        assert DeadlineChange.objects.exclude(reason="").exists()
        # One «О выполнении решений предыдущего заседания» question, on a draft, with its outcomes chosen.
        follow_up = AgendaItem.objects.get(follow_up=True)
        assert not follow_up.meeting.protocol.is_signed
        assert follow_up.follow_ups.exclude(outcome="").exists()
        assert follow_up.decisions.get().text.startswith("По поручениям предыдущего заседания:\n– ")

    def test_one_community_held_only_three_sessions_last_year(self, settings):
        minimum = settings.MIN_MEETINGS_PER_YEAR  # 4, regulation 4.2
        held = sessions_held_in(AcademicYear.current().previous())

        short = [name for name, count in held.items() if count == minimum - 1]
        assert len(short) == 1
        others = [count for name, count in held.items() if name not in short]
        assert all(minimum <= count <= max(minimum, 6) for count in others), held
        previous = AcademicYear.current().previous()
        assert (
            Meeting.objects.in_year(previous).filter(community__name=short[0], status=Meeting.Status.CANCELLED).exists()
        )

    def test_this_year_some_communities_are_on_track_and_some_at_risk(self, settings):
        year = AcademicYear.current()
        sessions = Meeting.objects.in_year(year).sessions().exclude(status=Meeting.Status.CANCELLED)
        found = Counter(sessions.values_list("community", flat=True))
        per_community = [found[pk] for pk in Community.objects.values_list("pk", flat=True)]

        at_risk = [n for n in per_community if n < settings.MIN_MEETINGS_PER_YEAR]
        assert 1 <= len(at_risk) <= 3
        assert len(per_community) - len(at_risk) >= 10

    def test_plans_of_both_years(self):
        year = AcademicYear.current()
        previous = AnnualPlan.objects.filter(academic_year=year.previous())
        current = AnnualPlan.objects.filter(academic_year=year)

        assert previous.count() == current.count() == Community.objects.count()
        assert set(previous.values_list("status", flat=True)) == {AnnualPlan.Status.APPROVED}
        assert 1 <= current.filter(status=AnnualPlan.Status.DRAFT).count() <= 2
        assert current.filter(status=AnnualPlan.Status.SUBMITTED).count() == 1
        returned = current.get(status=AnnualPlan.Status.RETURNED)
        assert returned.return_comment and returned.returned_by.username == "metodist"
        for plan in AnnualPlan.objects.select_related("discussion__protocol__meeting", "submitted_by"):
            assert plan.theme and plan.goals and plan.tasks and plan.composition and plan.professional_needs
            assert plan.items.count() >= 4
            if plan.status != AnnualPlan.Status.DRAFT:
                # Sent by the leader of the day, once discussed at a signed meeting of its community.
                protocol = plan.discussion.protocol
                assert protocol.is_signed and protocol.community_id == plan.community_id
                assert plan.submitted_by == plan.community.leader_on(protocol.meeting.date)
                assert plan.submitted_at.date() >= protocol.meeting.date
            if plan.is_approved:
                assert plan.sessions_missing() == 0
                assert plan.approved_by.username == "metodist"
                assert plan.approved_at >= plan.submitted_at

    def test_a_community_changed_its_leader_by_a_new_order(self):
        changed = Community.objects.annotate(n=Count("appointments")).filter(n__gt=1)
        assert changed.count() == 1
        first, second = changed.get().appointments.order_by("starts_on")

        assert first.ends_on == second.starts_on - dt.timedelta(days=1)
        assert second.ends_on is None
        assert first.teacher != second.teacher
        assert first.issued_by.kind == second.issued_by.kind == Organization.Kind.DEPARTMENT
        signed = Protocol.objects.signed().filter(community=changed.get())
        assert set(signed.values_list("chair", flat=True)) == {first.teacher_id, second.teacher_id}
        # The protocols the former leader chaired are signed by the successor.
        assert set(signed.values_list("signed_by", flat=True)) == {second.teacher_id}
        assert signed.filter(chair=first.teacher, signed_by=second.teacher).exists()

    def test_institutional_communities_have_their_own_regulations_but_one(self):
        institutional = Community.objects.filter(level=Community.Level.INSTITUTIONAL)
        without = institutional.exclude(regulations__isnull=False)
        assert institutional.count() >= 3
        assert without.count() == 1  # the one whose page shows «положение: нет» and «Добавить положение»

    def test_the_kindergarten_regulation_and_its_acknowledgement_sheet(self):
        regulation = Regulation.objects.get(community__name="ПОС педагогов МКДОУ «Детский сад № 34 «Радуга»»")

        assert regulation.recommended_requisites == (
            "Рекомендовано к принятию Педагогическим советом МКДОУ «Детский сад № 34 «Радуга»», "
            "протокол № 7 от 22.11.2022"
        )
        assert regulation.approved_requisites == (
            "Утверждено приказом руководителя МКДОУ «Детский сад № 34 «Радуга»» № 195-Т от 22.11.2022"
        )
        members = {m.teacher.short_name for m in regulation.community.memberships.select_related("teacher")}
        assert members == {
            "Зеленова Е.А.",
            "Седихина В.В.",
            "Дубяга И.А.",
            "Шлеенкова Г.К.",
            "Бундина Т.В.",
            "Полякова Т.А.",
            "Кудрявцева З.Г.",
        }
        assert len(members) // 2 < regulation.acknowledgements.count() < len(members)
        assert Regulation.objects.district_wide().get().text.startswith("ПОЛОЖЕНИЕ")

    def test_the_summary_names_the_demo_accounts(self, district):
        assert "Демо-данные созданы" in district
        assert f"педагоги: {Teacher.objects.count()}," in district
        for account in ("department", "metodist", "leader", "member", "«demo»"):
            assert account in district

    def test_a_second_run_creates_nothing(self):
        before = counts()

        output = seed()

        assert "уже загружены" in output
        assert counts() == before


# --- running the command --------------------------------------------------------------------------------


def test_refuses_to_run_without_debug(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG=True"):
        seed()
    assert not Organization.objects.exists()
    assert not Teacher.objects.exists()
    assert not get_user_model().objects.filter(username__in=["department", "leader"]).exists()


def test_refuses_to_mix_with_other_data(settings):
    settings.DEBUG = True
    get_user_model().objects.create_user("leader", password="secret")

    with pytest.raises(CommandError, match="пользователи leader"):
        seed()
    assert not Organization.objects.exists()
    assert get_user_model().objects.count() == 1


def freeze_today(monkeypatch, today: dt.date):
    now = timezone.make_aware(dt.datetime.combine(today, dt.time(12, 0)))
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    monkeypatch.setattr(timezone, "now", lambda: now)


def snapshot():
    return (
        list(Teacher.objects.order_by("pk").values_list("surname", "name", "patronymic", "position", "email")),
        list(Meeting.objects.order_by("pk").values_list("community__name", "date", "topic", "status")),
        list(AgendaItem.objects.order_by("pk").values_list("question", "heard")),
        list(Speaker.objects.order_by("pk").values_list("order", "part", "teacher__surname", "full_name", "text")),
        list(Assignment.objects.order_by("pk").values_list("text", "responsible__surname", "deadline", "status")),
    )


class Discarded(Exception):
    pass


def test_two_runs_on_the_first_day_of_a_year_build_the_same_valid_district(settings, monkeypatch):
    # On 1 September no session of the new year has been held yet, so the leader's draft protocol
    # comes from the year before: the edge of the calendar the demo must survive.
    today = dt.date(2026, 9, 1)
    freeze_today(monkeypatch, today)
    settings.DEBUG = True
    with pytest.raises(Discarded), transaction.atomic():
        seed()
        first = snapshot()
        raise Discarded
    assert not Teacher.objects.exists()

    seed()

    assert snapshot() == first
    leader = get_user_model().objects.get(username="leader").teacher
    protocols = Protocol.objects.filter(community=demo_community(leader.user))
    assert protocols.signed().exists() and protocols.drafts().exists()
    assert not Meeting.objects.held().filter(date__gte=today).exists()
    held_last_year = sessions_held_in(AcademicYear.of(today).previous()).values()
    assert list(held_last_year).count(settings.MIN_MEETINGS_PER_YEAR - 1) == 1
    assert Assignment.objects.open().filter(responsible__user__username="member").exists()
