"""The acknowledgement sheet of a regulation as PDF (лист ознакомления): № / ФИО / Дата / Подпись."""

import datetime as dt

import pytest
from django.urls import reverse

from communities.models import Membership
from communities.services import acknowledgement_record, membership_end
from tests.factories import CommunityFactory, MembershipFactory, RegulationFactory, TeacherFactory, UserFactory
from tests.reports.pdf_helpers import normalize, page_texts, pdf_text


@pytest.fixture
def regulation(community):
    return RegulationFactory(
        community=community,
        title="Положение о ПОС учителей математики",
        recommended_by="педагогическим советом",
        recommended_protocol_number="7",
        recommended_on=dt.date(2022, 11, 22),
        approved_by="приказом директора",
        approved_order_number="195-Т",
        approved_on=dt.date(2022, 11, 22),
    )


@pytest.fixture
def district_regulation(db):
    return RegulationFactory(title="Положение о профессиональных обучающихся сообществах района")


def sheet_url(regulation):
    return reverse("reports:sheet_pdf", kwargs={"regulation_pk": regulation.pk})


def test_community_sheet_lists_current_members_with_their_dates(client, regulation, community, leader, member):
    acknowledgement_record(regulation=regulation, teacher=member, on=dt.date(2024, 9, 10))
    former = TeacherFactory(surname="Ушедшая", name="Вера", patronymic="Ивановна")
    membership = MembershipFactory(teacher=former, community=community, joined_on=dt.date(2023, 9, 1))
    membership_end(membership=membership, left_on=dt.date(2024, 6, 1))
    client.force_login(member.user)
    response = client.get(sheet_url(regulation))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "ПОС учителей математики",
        "ЛИСТ ОЗНАКОМЛЕНИЯ",
        "с документом «Положение о ПОС учителей математики»",
        "Рекомендовано педагогическим советом, протокол № 7 от 22.11.2022",
        "Утверждено приказом директора № 195-Т от 22.11.2022",
        "№ п/п Фамилия, имя, отчество Дата Подпись",
        "1 Кузнецов Игорь Павлович 10.09.2024",
    ):
        assert expected in text, expected
    rows = [normalize(line) for line in page_texts(response.content)[0].splitlines()]
    assert "2 Смирнова Ольга Викторовна" in rows  # not acknowledged yet: the date is blank
    assert "Ушедшая" not in text


def test_district_sheet_lists_everyone_who_acknowledged(client, district_regulation, member, methodist):
    other = TeacherFactory(surname="Яковлева", name="Дарья", patronymic="Олеговна")
    MembershipFactory(teacher=other, community=CommunityFactory())
    silent = TeacherFactory(surname="Молчанова")
    MembershipFactory(teacher=silent, community=CommunityFactory())
    acknowledgement_record(regulation=district_regulation, teacher=other, on=dt.date(2024, 10, 1))
    acknowledgement_record(regulation=district_regulation, teacher=member, on=dt.date(2024, 9, 5))
    client.force_login(methodist)
    text = pdf_text(client.get(sheet_url(district_regulation)).content)
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text
    assert "для всех ПОС района" in text
    assert "1 Кузнецов Игорь Павлович 05.09.2024" in text
    assert "2 Яковлева Дарья Олеговна 01.10.2024" in text
    assert "Молчанова" not in text


@pytest.mark.parametrize("persona", ["leader", "member", "methodist", "admin_user"])
def test_readers_of_the_community_get_its_sheet(client, regulation, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    response = client.get(sheet_url(regulation))
    assert response.status_code == 200
    assert "Content-Disposition" in response and response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("persona", ["outsider", "other_leader"])
def test_outsiders_get_404_for_a_community_sheet(client, regulation, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(sheet_url(regulation)).status_code == 404


@pytest.mark.parametrize("persona", ["methodist", "admin_user", "leader", "other_leader"])
def test_district_sheet_for_methodists_the_department_and_leaders(client, district_regulation, persona, request):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))
    assert client.get(sheet_url(district_regulation)).status_code == 200


@pytest.mark.parametrize("persona", ["member", "outsider"])
def test_district_sheet_not_for_plain_teachers(client, district_regulation, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(sheet_url(district_regulation)).status_code == 404


def test_anonymous_is_sent_to_login_and_post_is_refused(client, regulation, member):
    response = client.get(sheet_url(regulation))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(member.user)
    assert client.post(sheet_url(regulation)).status_code == 405
    assert client.get(reverse("reports:sheet_pdf", kwargs={"regulation_pk": 10**9})).status_code == 404


def test_user_without_teacher_profile_gets_404(client, regulation, district_regulation):
    client.force_login(UserFactory(username="nobody"))
    assert client.get(sheet_url(regulation)).status_code == 404
    assert client.get(sheet_url(district_regulation)).status_code == 404


def test_former_member_gets_404(client, regulation, member):
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    client.force_login(member.user)
    assert client.get(sheet_url(regulation)).status_code == 404


def test_regulation_page_links_to_the_sheet(client, regulation, member):
    client.force_login(member.user)
    page = client.get(reverse("communities:regulation_detail", kwargs={"regulation_pk": regulation.pk}))
    assert sheet_url(regulation) in page.content.decode()
    assert "Лист ознакомления (PDF)" in page.content.decode()


# --- Electronic acknowledgements and the blank sheet for hand signatures ------------------------------------------


ELECTRONIC_NOTE = "Даты в графе «Дата» — даты ознакомления в ПОС-портале"


def test_the_sheet_says_that_its_dates_are_electronic_acknowledgements(client, regulation, member, leader):
    acknowledgement_record(regulation=regulation, teacher=member, on=dt.date(2024, 9, 10))
    client.force_login(member.user)
    text = pdf_text(client.get(sheet_url(regulation)).content)
    assert ELECTRONIC_NOTE in text
    assert "подтверждено педагогом электронно, под своей учётной записью" in text
    assert "1 Кузнецов Игорь Павлович 10.09.2024 в портале" in text  # not an empty «Подпись» beside the date
    rows = [normalize(line) for line in page_texts(client.get(sheet_url(regulation)).content)[0].splitlines()]
    assert "2 Смирнова Ольга Викторовна" in rows  # not acknowledged: nothing beside the name


def test_the_blank_sheet_is_for_hand_signatures(client, regulation, member, leader):
    acknowledgement_record(regulation=regulation, teacher=member, on=dt.date(2024, 9, 10))
    client.force_login(member.user)
    response = client.get(sheet_url(regulation), {"blank": "1"})
    assert response.status_code == 200
    assert "(бланк)" in response["Content-Disposition"] or "blank" in response["Content-Disposition"].lower()
    text = pdf_text(response.content)
    assert "ЛИСТ ОЗНАКОМЛЕНИЯ" in text
    assert "№ п/п Фамилия, имя, отчество Дата Подпись" in text
    assert "Дату и подпись педагог ставит собственноручно" in text
    assert "10.09.2024" not in text and "в портале" not in text and ELECTRONIC_NOTE not in text
    rows = [normalize(line) for line in page_texts(response.content)[0].splitlines()]
    assert "1 Кузнецов Игорь Павлович" in rows and "2 Смирнова Ольга Викторовна" in rows
    assert "3" in rows and "7" in rows  # empty numbered rows for those not in the list


@pytest.mark.parametrize("persona", ["outsider", "other_leader"])
def test_the_blank_sheet_has_the_same_readers(client, regulation, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(sheet_url(regulation), {"blank": "1"}).status_code == 404


def test_regulation_page_links_to_the_blank_sheet(client, regulation, member):
    client.force_login(member.user)
    page = client.get(reverse("communities:regulation_detail", kwargs={"regulation_pk": regulation.pk}))
    assert f"{sheet_url(regulation)}?blank=1" in page.content.decode()
