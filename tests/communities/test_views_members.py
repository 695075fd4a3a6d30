"""Members of a community: adding (an existing or a new teacher), editing, ending a membership."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Membership, Teacher
from tests.conftest import appoint
from tests.factories import CommunityFactory, MembershipFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def add_url(community):
    return reverse("communities:member_add", args=[community.pk])


def edit_url(membership):
    return reverse("communities:member_edit", args=[membership.community_id, membership.pk])


def end_url(membership, community=None):
    return reverse("communities:member_end", args=[(community or membership.community).pk, membership.pk])


def pick_data(teacher, **extra):
    data = {
        "mode": "pick",
        "pick-teacher": teacher.pk if teacher else "",
        "pick-role": "member",
        "pick-duties": "",
        "pick-joined_on": "2025-09-01",
    }
    data.update(extra)
    return data


def new_data(organization, **extra):
    data = {
        "mode": "new",
        "new-surname": "Орлова",
        "new-name": "Мария",
        "new-patronymic": "Сергеевна",
        "new-organization": organization.pk,
        "new-position": "учитель математики",
        "new-email": "orlova@example.org",
        "new-phone": "+7 (48533) 2-22-22",
        "new-role": "secretary",
        "new-duties": "Ведёт протоколы",
        "new-joined_on": "2025-09-01",
    }
    data.update(extra)
    return data


# --- add -------------------------------------------------------------------------------------


def test_leader_sees_candidates_and_searches_by_surname(client, community, leader, member):
    TeacherFactory(surname="Белова")
    TeacherFactory(surname="Чернова")
    client.force_login(leader.user)

    response = client.get(add_url(community))
    candidates = list(response.context["pick_form"].fields["teacher"].queryset)
    searched = client.get(add_url(community), {"q": "Бел"})

    assert response.status_code == 200
    assert {t.surname for t in candidates} >= {"Белова", "Чернова"}
    assert leader not in candidates and member not in candidates
    assert [t.surname for t in searched.context["pick_form"].fields["teacher"].queryset] == ["Белова"]
    assert "Белова Анна Петровна" in searched.content.decode()


def test_leader_adds_an_existing_teacher(client, community, leader):
    teacher = TeacherFactory(surname="Белова")
    client.force_login(leader.user)

    response = client.post(add_url(community), pick_data(teacher, **{"pick-role": "deputy", "pick-duties": "Сайт"}))

    assert response.status_code == 302
    assert response["Location"] == reverse("communities:detail", args=[community.pk])
    membership = Membership.objects.get(community=community, teacher=teacher)
    assert (membership.role, membership.duties, membership.joined_on) == ("deputy", "Сайт", dt.date(2025, 9, 1))
    assert "Белова Анна Петровна — теперь член ПОС." in client.get(response["Location"]).content.decode()


def test_current_member_cannot_be_added_again(client, community, leader, member):
    client.force_login(leader.user)

    response = client.post(add_url(community), pick_data(member))

    assert response.status_code == 200
    assert "Выберите педагога из списка" in response.content.decode()
    assert Membership.objects.filter(community=community, teacher=member).count() == 1


def test_institutional_community_refuses_a_teacher_of_another_organization(client, leader):
    kindergarten = OrganizationFactory(short_name="МДОУ № 34 «Радуга»")
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=kindergarten)
    leader.organization = kindergarten
    leader.save()
    appoint(community, leader)
    stranger = TeacherFactory(surname="Чужая")
    client.force_login(leader.user)

    response = client.post(add_url(community), pick_data(stranger, **{"pick-duties": "Методист"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Институциональный ПОС объединяет педагогов одной организации" in page
    assert "Методист" in page
    assert not Membership.objects.filter(community=community, teacher=stranger).exists()


def test_bad_joined_on_keeps_the_typed_values(client, community, leader):
    teacher = TeacherFactory()
    client.force_login(leader.user)

    response = client.post(
        add_url(community), pick_data(teacher, **{"pick-joined_on": "31.02.2025", "pick-duties": "Х"})
    )

    assert response.status_code == 200
    assert response.context["pick_terms"].errors["joined_on"]
    assert 'value="31.02.2025"' in response.content.decode()
    assert not Membership.objects.filter(teacher=teacher).exists()


def test_leader_creates_and_adds_a_new_teacher(client, community, leader):
    school = OrganizationFactory()
    client.force_login(leader.user)

    response = client.post(add_url(community), new_data(school))

    assert response.status_code == 302
    teacher = Teacher.objects.get(surname="Орлова")
    assert teacher.organization == school
    assert teacher.email == "orlova@example.org"
    membership = Membership.objects.get(community=community, teacher=teacher)
    assert (membership.role, membership.duties) == ("secretary", "Ведёт протоколы")


def test_new_teacher_with_bad_phone_is_a_form_error(client, community, leader):
    client.force_login(leader.user)

    response = client.post(add_url(community), new_data(OrganizationFactory(), **{"new-phone": "звоните утром"}))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Телефон может содержать только цифры" in page
    assert 'value="Орлова"' in page
    assert not Teacher.objects.filter(surname="Орлова").exists()


def test_new_teacher_refused_by_institutional_community_is_not_kept(client, leader):
    kindergarten = OrganizationFactory()
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=kindergarten)
    leader.organization = kindergarten
    leader.save()
    appoint(community, leader)
    client.force_login(leader.user)

    response = client.post(add_url(community), new_data(OrganizationFactory()))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Институциональный ПОС объединяет педагогов одной организации" in page
    assert 'value="Орлова"' in page
    assert not Teacher.objects.filter(surname="Орлова").exists()


def test_new_teacher_cannot_join_an_archived_community(client, community, leader, admin_user):
    Community.objects.filter(pk=community.pk).update(is_archived=True)
    client.force_login(admin_user)

    response = client.post(add_url(community), new_data(OrganizationFactory()))

    assert response.status_code == 200
    assert "Сообщество в архиве: новых членов принять нельзя." in response.content.decode()
    assert not Teacher.objects.filter(surname="Орлова").exists()


def test_department_adds_members(client, community, admin_user):
    teacher = TeacherFactory()
    client.force_login(admin_user)

    assert client.post(add_url(community), pick_data(teacher)).status_code == 302
    assert Membership.objects.filter(community=community, teacher=teacher).exists()


def test_member_and_methodist_get_403_outsiders_404(
    client, community, leader, member, methodist, outsider, other_leader
):
    teacher = TeacherFactory()
    client.force_login(member.user)
    assert client.get(add_url(community)).status_code == 403
    assert client.post(add_url(community), pick_data(teacher)).status_code == 403
    client.force_login(methodist)
    assert client.post(add_url(community), pick_data(teacher)).status_code == 403
    for stranger in (outsider, other_leader):
        client.force_login(stranger.user)
        assert client.post(add_url(community), pick_data(teacher)).status_code == 404
    assert not Membership.objects.filter(teacher=teacher).exists()


def test_add_page_query_count_does_not_grow_with_candidates(client, community, leader):
    client.force_login(leader.user)
    TeacherFactory()

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(add_url(community)).status_code == 200
        return len(context.captured_queries)

    one = count()
    for _ in range(24):
        TeacherFactory(organization=OrganizationFactory())
    assert one == count()


# --- edit ------------------------------------------------------------------------------------


def test_leader_edits_role_and_duties(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)
    assert "Кузнецов Игорь Павлович" in client.get(edit_url(membership)).content.decode()

    data = {"role": "secretary", "duties": "Ведёт протоколы", "edited_version": membership.version}
    response = client.post(edit_url(membership), data)

    assert response.status_code == 302
    membership.refresh_from_db()
    assert (membership.role, membership.duties) == ("secretary", "Ведёт протоколы")


def test_bad_role_is_a_form_error(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)

    response = client.post(edit_url(membership), {"role": "president", "duties": "Всё"})

    assert response.status_code == 200
    assert response.context["form"].errors["role"]
    assert "Всё" in response.content.decode()
    membership.refresh_from_db()
    assert membership.role == "member"


def test_membership_of_another_community_is_404(client, community, leader, other_community, other_leader):
    foreign = other_leader.memberships.get()
    client.force_login(leader.user)

    url = reverse("communities:member_edit", args=[community.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"role": "secretary", "duties": ""}).status_code == 404
    foreign.refresh_from_db()
    assert foreign.role == "member"


def test_member_may_not_edit_memberships(client, community, leader, member):
    client.force_login(member.user)

    response = client.post(edit_url(leader.memberships.get()), {"role": "member", "duties": "ничего"})

    assert response.status_code == 403
    assert leader.memberships.get().duties != "ничего"


# --- end -------------------------------------------------------------------------------------


def test_end_is_post_only(client, community, leader, member):
    client.force_login(leader.user)

    assert client.get(end_url(member.memberships.get())).status_code == 405


def test_leader_ends_a_membership(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)

    response = client.post(end_url(membership), {"left_on": "2025-05-31"})

    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.left_on == dt.date(2025, 5, 31)
    page = client.get(response["Location"]).content.decode()
    assert "исключён(а) из ПОС с 31.05.2025" in page


def test_left_on_defaults_to_today(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)

    client.post(end_url(membership), {"left_on": ""})

    membership.refresh_from_db()
    assert membership.left_on == timezone.localdate()


def test_current_leader_cannot_be_removed(client, community, leader, member):
    membership = leader.memberships.get()
    client.force_login(leader.user)

    response = client.post(end_url(membership), {"left_on": "2025-05-31"}, follow=True)

    assert response.status_code == 200
    assert "Это действующий руководитель ПОС" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_left_on_before_joined_on_is_refused(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)

    response = client.post(end_url(membership), {"left_on": "2020-01-01"}, follow=True)

    assert "Дата выхода не может быть раньше даты вступления." in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_bad_left_on_is_refused(client, community, leader, member):
    membership = member.memberships.get()
    client.force_login(leader.user)

    response = client.post(end_url(membership), {"left_on": "завтра"}, follow=True)

    assert "Укажите дату выхода" in response.content.decode()
    membership.refresh_from_db()
    assert membership.left_on is None


def test_ended_membership_cannot_be_ended_again(client, community, leader):
    former = MembershipFactory(community=community, left_on=dt.date(2024, 1, 31))
    client.force_login(leader.user)

    response = client.post(end_url(former), {"left_on": "2025-05-31"}, follow=True)

    assert "уже вышел(а) из ПОС 31.01.2024" in response.content.decode()
    former.refresh_from_db()
    assert former.left_on == dt.date(2024, 1, 31)


def test_membership_must_belong_to_the_community_in_the_url(client, community, leader, other_community, admin_user):
    foreign = MembershipFactory(community=other_community)
    client.force_login(admin_user)

    response = client.post(end_url(foreign, community=community), {"left_on": "2025-05-31"})

    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.left_on is None


def test_member_gets_403_and_outsider_404_on_end(client, community, leader, member, outsider):
    membership = leader.memberships.get()
    client.force_login(member.user)
    assert client.post(end_url(member.memberships.get()), {"left_on": ""}).status_code == 403
    client.force_login(outsider.user)
    assert client.post(end_url(membership), {"left_on": ""}).status_code == 404
    assert Membership.objects.filter(community=community, left_on__isnull=False).count() == 0
