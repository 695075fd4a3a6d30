"""Pages of communities: the list, registration, the community page and editing it."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Community, Material
from communities.services import acknowledgement_record
from meetings.services import protocol_create, protocol_sign
from pos_portal.academic_year import AcademicYear
from tests.conftest import appoint, build_protocol
from tests.factories import (
    PAST_MEETING_DATE,
    AnnualPlanFactory,
    CommunityFactory,
    DepartmentFactory,
    MeetingFactory,
    MembershipFactory,
    OrganizationFactory,
    RegulationFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db

LIST_URL = reverse("communities:list")
CREATE_URL = reverse("communities:create")


def detail_url(community, **query):
    url = reverse("communities:detail", args=[community.pk])
    if query:
        url += "?" + "&".join(f"{key}={value}" for key, value in query.items())
    return url


def edit_url(community):
    return reverse("communities:edit", args=[community.pk])


def count_queries(client, url):
    cache.clear()  # computed, not read from the cache of district-wide pages
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


# --- list ------------------------------------------------------------------------------------


def test_member_sees_own_community_with_leader_and_member_count(client, community, leader, member, other_leader):
    client.force_login(member.user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert "ПОС учителей математики" in page
    assert "Смирнова О.В." in page
    assert [c.member_count for c in response.context["page"]] == [2]
    assert "ПОС воспитателей" not in page


def test_outsider_sees_no_communities(client, community, leader, outsider):
    client.force_login(outsider.user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert "ПОС учителей математики" not in response.content.decode()
    assert "Сообществ не найдено." in response.content.decode()


def test_methodist_sees_every_community_and_the_register_button(client, methodist, community, other_community):
    client.force_login(methodist)

    response = client.get(LIST_URL)

    names = [c.name for c in response.context["page"]]
    assert names == ["ПОС воспитателей", "ПОС учителей математики"]
    assert CREATE_URL in response.content.decode()


def test_list_search_and_filters(client, methodist):
    school = OrganizationFactory(short_name="МОУ СШ № 3")
    CommunityFactory(name="ПОС физиков", theme="Исследовательские проекты")
    CommunityFactory(name="ПОС начальной школы", level=Community.Level.INSTITUTIONAL, organization=school)
    CommunityFactory(name="ПОС историков", is_archived=True)
    client.force_login(methodist)

    def names(**query):
        response = client.get(LIST_URL, query)
        assert response.status_code == 200
        return [c.name for c in response.context["page"]]

    assert names() == ["ПОС начальной школы", "ПОС физиков"]
    assert names(q="проекты") == ["ПОС физиков"]
    assert names(q="начальной") == ["ПОС начальной школы"]
    assert names(q="ФИЗИКОВ") == ["ПОС физиков"]
    assert names(level="institutional") == ["ПОС начальной школы"]
    assert names(organization=school.pk) == ["ПОС начальной школы"]
    assert names(archived="1") == ["ПОС историков"]


def test_the_organization_filter_offers_the_hosts_of_visible_communities(client, methodist, member, community):
    school = OrganizationFactory(short_name="МОУ СШ № 3")
    OrganizationFactory(short_name="МДОУ № 34 без сообществ")
    CommunityFactory(name="ПОС начальной школы", level=Community.Level.INSTITUTIONAL, organization=school)
    CommunityFactory(name="ПОС второй", level=Community.Level.INSTITUTIONAL, organization=school)

    client.force_login(methodist)
    text = client.get(LIST_URL, {"organization": school.pk}).content.decode()
    client.force_login(member.user)
    member_text = client.get(LIST_URL).content.decode()

    assert text.count(f'<option value="{school.pk}" selected>МОУ СШ № 3</option>') == 1
    assert "МДОУ № 34 без сообществ" not in text
    assert "МОУ СШ № 3" not in member_text  # the member sees only the communities they belong to


@pytest.mark.parametrize("query", [{"page": "x"}, {"page": "999"}, {"organization": "abc"}, {"level": "nonsense"}])
def test_list_survives_bad_parameters(client, methodist, community, query):
    client.force_login(methodist)

    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert "ПОС учителей математики" in response.content.decode()


def test_list_is_paginated_by_25(client, methodist):
    for number in range(26):
        CommunityFactory(name=f"ПОС № {number:02d}")
    client.force_login(methodist)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": 2})

    assert len(first.context["page"]) == 25
    assert [c.name for c in second.context["page"]] == ["ПОС № 25"]


def _communities_with_leaders(count):
    for _ in range(count):
        community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=OrganizationFactory())
        leader = TeacherFactory(organization=community.organization)
        appoint(community, leader)
        MembershipFactory(community=community, teacher=TeacherFactory(organization=community.organization))


def test_list_query_count_does_not_grow_with_rows(client, methodist):
    client.force_login(methodist)
    _communities_with_leaders(1)
    one = count_queries(client, LIST_URL)
    _communities_with_leaders(24)
    many = count_queries(client, LIST_URL)

    assert one == many


# --- create ----------------------------------------------------------------------------------


def test_methodist_registers_a_community(client, methodist):
    school = OrganizationFactory(short_name="МОУ СШ № 6")
    client.force_login(methodist)

    assert client.get(CREATE_URL).status_code == 200
    response = client.post(
        CREATE_URL,
        {
            "name": "ПОС учителей начальных классов",
            "theme": "Смысловое чтение",
            "level": "institutional",
            "organization": school.pk,
            "description": "",
            "founded_on": "2025-09-01",
        },
    )

    community = Community.objects.get(name="ПОС учителей начальных классов")
    assert response.status_code == 302
    assert response["Location"] == detail_url(community)
    assert community.organization == school
    assert community.founded_on == dt.date(2025, 9, 1)
    page = client.get(response["Location"]).content.decode()
    assert "зарегистрировано" in page


def test_department_registers_a_community(client, admin_user):
    client.force_login(admin_user)

    response = client.post(CREATE_URL, {"name": "ПОС логопедов", "level": "municipal", "founded_on": "2025-09-01"})

    assert response.status_code == 302
    assert Community.objects.filter(name="ПОС логопедов").exists()


def test_institutional_community_without_organization_is_a_form_error(client, methodist):
    client.force_login(methodist)

    response = client.post(CREATE_URL, {"name": "ПОС без школы", "level": "institutional", "founded_on": "2025-09-01"})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Для институционального ПОС укажите базовую организацию." in page
    assert 'value="ПОС без школы"' in page
    assert not Community.objects.filter(name="ПОС без школы").exists()


def test_duplicate_active_name_is_a_form_error(client, methodist, community):
    client.force_login(methodist)

    response = client.post(
        CREATE_URL, {"name": "ПОС учителей математики", "level": "municipal", "founded_on": "2025-09-01"}
    )

    assert response.status_code == 200
    assert "Действующее сообщество с таким названием уже есть." in response.content.decode()
    assert Community.objects.filter(name="ПОС учителей математики").count() == 1


def test_department_organization_cannot_host_a_community(client, methodist):
    department = DepartmentFactory()
    client.force_login(methodist)

    response = client.post(
        CREATE_URL,
        {"name": "ПОС Департамента", "level": "municipal", "organization": department.pk, "founded_on": "2025-09-01"},
    )

    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Community.objects.filter(name="ПОС Департамента").exists()


def test_leader_and_teachers_may_not_register(client, leader, member):
    client.force_login(leader.user)
    assert client.get(CREATE_URL).status_code == 403
    client.force_login(member.user)
    assert client.post(CREATE_URL, {"name": "Мой ПОС", "level": "municipal"}).status_code == 403
    assert not Community.objects.filter(name="Мой ПОС").exists()


# --- detail ----------------------------------------------------------------------------------


def test_member_sees_the_community_page(client, community, leader, member, signed_protocol):
    regulation = RegulationFactory(community=community, title="Положение о ПОС математиков")
    acknowledgement_record(regulation=regulation, teacher=leader)
    plan = AnnualPlanFactory(community=community)
    draft_meeting = MeetingFactory(community=community, date=dt.date(2024, 11, 20), topic="Второе заседание")
    protocol_create(meeting=draft_meeting)
    Material.objects.create(community=community, title="Сборник заданий", url="https://example.org/tasks", tags="ФГОС")
    community.description = "Строка 1\nСтрока 2"
    community.save()
    client.force_login(member.user)

    response = client.get(detail_url(community, year="2024/2025"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Смирнова Ольга Викторовна" in page
    assert "Приказ № 12-о от 01.09.2024" in page
    assert "Кузнецов Игорь Павлович" in page
    assert "Строка 1<br>Строка 2" in page
    assert reverse("communities:plan_detail", args=[plan.pk]) in page
    assert reverse("meetings:detail", args=[signed_protocol.meeting_id]) in page
    assert "подписан" in page and "ПРОЕКТ" in page
    assert [p.number for p in response.context["protocols"]] == [2, 1]  # newest first
    assert "Положение о ПОС математиков" in page
    assert "ознакомлены 1 из 2" in page
    assert "Сборник заданий" in page and "ФГОС" in page
    assert reverse("meetings:community_assignments", args=[community.pk]) in page
    # A member reads: no leader's buttons.
    assert reverse("meetings:create", args=[community.pk]) not in page
    assert reverse("communities:member_add", args=[community.pk]) not in page
    assert reverse("communities:material_add", args=[community.pk]) in page


def test_leader_sees_management_actions(client, community, leader, member):
    client.force_login(leader.user)

    page = client.get(detail_url(community)).content.decode()

    assert reverse("meetings:create", args=[community.pk]) in page
    assert reverse("communities:plan_create", args=[community.pk]) in page
    assert reverse("communities:plan_copy", args=[community.pk]) in page
    assert reverse("communities:member_add", args=[community.pk]) in page
    membership = member.memberships.get()
    assert reverse("communities:member_end", args=[community.pk, membership.pk]) in page
    assert reverse("communities:member_edit", args=[community.pk, membership.pk]) in page
    # The current leader cannot be excluded: no button for them.
    leader_membership = leader.memberships.get()
    assert reverse("communities:member_end", args=[community.pk, leader_membership.pk]) not in page


def test_appointment_history_is_shown(client, community, leader, member):
    appoint(community, member, starts_on=dt.date(2025, 1, 10), number="7-о")
    client.force_login(member.user)

    page = client.get(detail_url(community)).content.decode()

    assert "Приказ № 7-о от 10.01.2025" in page
    assert "Приказ № 12-о от 01.09.2024" in page
    assert "по 09.01.2025" in page


def test_methodist_reads_any_community(client, methodist, community, leader):
    client.force_login(methodist)

    page = client.get(detail_url(community)).content.decode()

    assert "ПОС учителей математики" in page
    assert reverse("meetings:create", args=[community.pk]) not in page


@pytest.mark.parametrize("year", ["abc", "1900/1901", "2024/2026", "99999", ""])
def test_bad_year_falls_back_to_the_current_one(client, community, leader, year):
    client.force_login(leader.user)

    response = client.get(detail_url(community), {"year": year})

    assert response.status_code == 200
    assert response.context["year"] == AcademicYear.current()


def test_year_switcher_shows_that_years_meetings(client, community, leader):
    MeetingFactory(community=community, date=PAST_MEETING_DATE, topic="Осеннее заседание 2024")
    client.force_login(leader.user)

    this_year = client.get(detail_url(community), {"year": "2024/2025"}).content.decode()
    other_year = client.get(detail_url(community), {"year": "2023/2024"}).content.decode()

    assert "Осеннее заседание 2024" in this_year
    assert "Осеннее заседание 2024" not in other_year


def _fill_community(community, leader, count):
    """``count`` more members, meetings with protocols, materials with authors, plans and regulations."""
    teachers = []
    for number in range(count):
        teacher = TeacherFactory()
        MembershipFactory(community=community, teacher=teacher)
        teachers.append(teacher)
        build_protocol(community, leader, [teacher], date=PAST_MEETING_DATE + dt.timedelta(days=number))
        material = Material.objects.create(community=community, title=f"Материал {number}", url="https://example.org/")
        material.authors.add(teacher, leader)
        RegulationFactory(community=community, title=f"Положение {number}")
        AnnualPlanFactory(community=community, academic_year=AcademicYear(2000 + community.plans.count()))
    return teachers


def test_detail_query_count_does_not_grow_with_rows(client, community, leader):
    client.force_login(leader.user)
    url = detail_url(community, year="2024/2025")
    _fill_community(community, leader, 1)
    one = count_queries(client, url)
    _fill_community(community, leader, 24)
    response = client.get(url)
    assert len(response.context["members"]) == 26
    assert len(response.context["meetings"]) == 25
    many = count_queries(client, url)

    assert one == many


def test_signed_protocol_shows_as_signed(client, community, leader, member, draft_protocol):
    client.force_login(member.user)
    assert "ПРОЕКТ" in client.get(detail_url(community, year="2024/2025")).content.decode()

    protocol_sign(protocol=draft_protocol, user=leader.user)

    page = client.get(detail_url(community, year="2024/2025")).content.decode()
    assert "ПРОЕКТ" not in page
    assert "подписан" in page


def test_protocols_are_listed_newest_first(client, community, member):
    from tests.reports.compliance_helpers import held

    year = AcademicYear.current()
    first = held(community, year.start + dt.timedelta(days=10))
    second = held(community, year.start + dt.timedelta(days=40))
    client.force_login(member.user)

    response = client.get(detail_url(community, year=year.label))

    assert [protocol.meeting for protocol in response.context["protocols"]] == [second, first]


# --- edit ------------------------------------------------------------------------------------


def test_leader_edits_name_theme_description_only(client, community, leader):
    client.force_login(leader.user)
    assert client.get(edit_url(community)).status_code == 200

    response = client.post(
        edit_url(community),
        {
            "name": "ПОС учителей математики и информатики",
            "theme": "Функциональная грамотность",
            "description": "Новое описание",
            "level": "institutional",
            "is_archived": "on",
            "edited_version": community.version,
        },
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.name == "ПОС учителей математики и информатики"
    assert community.theme == "Функциональная грамотность"
    assert community.level == Community.Level.MUNICIPAL
    assert community.is_archived is False


def test_methodist_archives_and_changes_level(client, methodist, community):
    school = OrganizationFactory()
    client.force_login(methodist)

    response = client.post(
        edit_url(community),
        {
            "name": community.name,
            "theme": community.theme,
            "level": "institutional",
            "organization": school.pk,
            "description": "",
            "is_archived": "on",
            "edited_version": community.version,
        },
    )

    assert response.status_code == 302
    community.refresh_from_db()
    assert community.is_archived is True
    assert community.organization == school


def test_leader_renaming_to_a_taken_name_is_a_form_error(client, community, leader, other_community):
    client.force_login(leader.user)

    response = client.post(edit_url(community), {"name": "ПОС воспитателей", "theme": "", "description": ""})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Действующее сообщество с таким названием уже есть." in page
    assert 'value="ПОС воспитателей"' in page
    community.refresh_from_db()
    assert community.name == "ПОС учителей математики"


def test_methodist_edit_needs_organization_for_institutional(client, methodist, community):
    client.force_login(methodist)

    response = client.post(
        edit_url(community), {"name": community.name, "level": "institutional", "theme": "", "description": ""}
    )

    assert response.status_code == 200
    assert "Для институционального ПОС укажите базовую организацию." in response.content.decode()
    community.refresh_from_db()
    assert community.level == Community.Level.MUNICIPAL


def test_member_may_not_edit_and_outsider_gets_404(client, community, leader, member, outsider):
    client.force_login(member.user)
    assert client.get(edit_url(community)).status_code == 403
    assert client.post(edit_url(community), {"name": "Взлом"}).status_code == 403
    client.force_login(outsider.user)
    assert client.get(edit_url(community)).status_code == 404
    community.refresh_from_db()
    assert community.name == "ПОС учителей математики"
