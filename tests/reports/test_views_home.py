"""The home page (reports.views.home): a member's open assignments, overdue ones marked as the model says, and
the leader's protocols to sign, late ones marked."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgendaItemFactory, AssignmentFactory, DecisionFactory, MeetingFactory, sign_directly
from tests.reports.compliance_helpers import held

pytestmark = pytest.mark.django_db


def new_assignment(community, responsible, *, deadline, text):
    meeting = MeetingFactory(community=community)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1), order=1)
    assignment = AssignmentFactory(decision=decision, responsible=responsible, deadline=deadline, text=text)
    sign_directly(meeting)  # only the assignments of signed protocols reach the members
    return assignment


def test_home_marks_only_assignments_past_their_deadline_as_overdue(client, community, member):
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    new_assignment(community, member, deadline=yesterday, text="Вчерашнее поручение")
    new_assignment(community, member, deadline=today, text="Сегодняшнее поручение")
    new_assignment(community, member, deadline=tomorrow, text="Завтрашнее поручение")
    client.force_login(member.user)

    response = client.get(reverse("home"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("просрочено: срок") == 1
    assert f"просрочено: срок {yesterday:%d.%m.%Y}" in text
    assert f"до {today:%d.%m.%Y}" in text
    assert f"до {tomorrow:%d.%m.%Y}" in text


def test_the_leaders_list_to_sign_marks_late_protocols_with_the_days_late(client, community, leader):
    today = timezone.localdate()
    on_time = held(community, today - dt.timedelta(days=5), signed=False)  # day 5 of 5: on time
    late = held(community, today - dt.timedelta(days=8), signed=False)  # 3 days past the 5
    client.force_login(leader.user)

    text = client.get(reverse("home")).content.decode()

    assert "Протоколы ждут вашей подписи" in text
    assert text.count("протокол просрочен") == 1
    late_item = text[text.index(f"от {late.date:%d.%m.%Y}") :]
    late_item = late_item[: late_item.index("</li>")]
    assert "протокол просрочен на 3 дн." in late_item
    on_time_item = text[text.index(f"от {on_time.date:%d.%m.%Y}") :]
    assert "черновик" in on_time_item[: on_time_item.index("</li>")]


def test_marking_late_protocols_costs_no_query_per_protocol(client, community, leader):
    today = timezone.localdate()
    client.force_login(leader.user)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("home")).status_code == 200
        return len(context.captured_queries)

    held(community, today - dt.timedelta(days=10), signed=False)
    one = count()
    for days in (11, 12, 13):
        held(community, today - dt.timedelta(days=days), signed=False)
    assert count() == one


def test_members_home_shows_the_latest_signed_protocols_newest_first(client, community, other_community, member):
    today = timezone.localdate()
    older = held(community, today - dt.timedelta(days=30))
    newer = held(community, today - dt.timedelta(days=3))
    draft = held(community, today - dt.timedelta(days=1), signed=False)
    foreign = held(other_community, today - dt.timedelta(days=2))
    client.force_login(member.user)

    text = client.get(reverse("home")).content.decode()

    card = text[text.index('id="latest-protocols"') :]
    card = card[: card.index("</ul>")]
    assert "Последние протоколы" in card
    assert card.index(f"от {newer.date:%d.%m.%Y}") < card.index(f"от {older.date:%d.%m.%Y}")
    assert f"от {draft.date:%d.%m.%Y}" not in card  # a draft is not a protocol yet
    assert f"от {foreign.date:%d.%m.%Y}" not in card  # not his community


def test_the_methodists_home_lists_the_communities_needing_attention_most_urgent_first(
    client, methodist, community, other_community
):
    from pos_portal.academic_year import AcademicYear
    from tests.conftest import appoint
    from tests.factories import CommunityFactory, RegulationFactory, TeacherFactory
    from tests.reports.compliance_helpers import approved_plan

    today = timezone.localdate()
    RegulationFactory(community=None)  # the district regulation: enough for municipal communities
    calm = CommunityFactory(name="Спокойное")
    appoint(calm, TeacherFactory(), number="7-о")
    approved_plan(calm, year=AcademicYear.of(today))
    for days in (20, 30, 40, 50):
        held(calm, today - dt.timedelta(days=days))
    held(other_community, today - dt.timedelta(days=20), signed=False)  # a late protocol
    client.force_login(methodist)

    response = client.get(reverse("home"))

    text = response.content.decode()
    card = text[text.index('id="attention"') :]
    card = card[: card.index("</ul>")]
    assert other_community.name in card and community.name in card
    assert "просроченных протоколов: 1" in card
    assert "Спокойное" not in card  # done, every document in place
    # Both are behind the pace; the one with a late protocol comes first.
    assert card.index(other_community.name) < card.index(community.name)
