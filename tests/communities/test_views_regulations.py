"""Regulations: the list, the page with the acknowledgement sheet, acknowledging, the file."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Acknowledgement
from communities.services import acknowledgement_record
from tests.factories import MembershipFactory, RegulationFactory, TeacherFactory, UserFactory
from tests.files import PDF

pytestmark = pytest.mark.django_db

LIST_URL = reverse("communities:regulations")


def detail_url(regulation):
    return reverse("communities:regulation_detail", args=[regulation.pk])


def acknowledge_url(regulation):
    return reverse("communities:regulation_acknowledge", args=[regulation.pk])


def file_url(regulation):
    return reverse("communities:regulation_file", args=[regulation.pk])


def count_queries(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.fixture
def district_regulation(db):
    return RegulationFactory(
        title="Положение о ПОС педагогов ТМР",
        text="1. Общие положения.\n\n2. Цели и задачи.",
        recommended_by="методическим советом ИОЦ",
        recommended_protocol_number="3",
        recommended_on=dt.date(2022, 11, 1),
        approved_by="приказом Департамента образования",
        approved_order_number="195-Т",
        approved_on=dt.date(2022, 11, 22),
    )


@pytest.fixture
def community_regulation(community):
    return RegulationFactory(community=community, title="Положение о ПОС учителей математики")


@pytest.fixture
def foreign_regulation(other_community):
    return RegulationFactory(community=other_community, title="Положение о ПОС воспитателей")


# --- list ------------------------------------------------------------------------------------


def test_member_sees_district_and_own_community_regulations(
    client, member, district_regulation, community_regulation, foreign_regulation
):
    acknowledgement_record(regulation=district_regulation, teacher=member, on=dt.date(2025, 9, 3))
    client.force_login(member.user)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    titles = [regulation.title for regulation in response.context["regulations"]]
    assert titles == ["Положение о ПОС педагогов ТМР", "Положение о ПОС учителей математики"]
    page = response.content.decode()
    assert "да, 03.09.2025" in page
    assert "Положение о ПОС воспитателей" not in page


def test_methodist_sees_all_regulations(
    client, methodist, district_regulation, community_regulation, foreign_regulation
):
    client.force_login(methodist)

    response = client.get(LIST_URL)

    assert len(response.context["regulations"]) == 3
    assert "Я ознакомлен(а)" not in response.content.decode()


def test_outsider_sees_only_district_regulations(client, outsider, district_regulation, community_regulation):
    client.force_login(outsider.user)

    titles = [regulation.title for regulation in client.get(LIST_URL).context["regulations"]]

    assert titles == ["Положение о ПОС педагогов ТМР"]


def test_list_query_count_does_not_grow_with_rows(client, member, community):
    client.force_login(member.user)
    regulation = RegulationFactory(community=community)
    acknowledgement_record(regulation=regulation, teacher=member)
    one = count_queries(client, LIST_URL)
    for number in range(24):
        regulation = RegulationFactory(community=community if number % 2 else None, title=f"Положение {number}")
        acknowledgement_record(regulation=regulation, teacher=member)
    assert len(client.get(LIST_URL).context["regulations"]) == 25
    many = count_queries(client, LIST_URL)

    assert one == many


# --- detail ----------------------------------------------------------------------------------


def test_member_reads_the_regulation_and_sees_the_button(client, member, district_regulation):
    client.force_login(member.user)

    response = client.get(detail_url(district_regulation))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Рекомендовано методическим советом ИОЦ, протокол № 3 от 01.11.2022" in page
    assert "Утверждено приказом Департамента образования № 195-Т от 22.11.2022" in page
    assert "<p>1. Общие положения.</p>" in page
    assert acknowledge_url(district_regulation) in page
    assert "Лист ознакомления" not in page


def test_text_is_escaped(client, member):
    regulation = RegulationFactory(text="<script>alert(1)</script>")
    client.force_login(member.user)

    page = client.get(detail_url(regulation)).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_after_acknowledging_the_button_is_gone(client, member, community_regulation):
    acknowledgement_record(regulation=community_regulation, teacher=member, on=dt.date(2025, 9, 2))
    client.force_login(member.user)

    page = client.get(detail_url(community_regulation)).content.decode()

    assert "Вы ознакомлены с положением 02.09.2025." in page
    assert acknowledge_url(community_regulation) not in page


def test_leader_sees_the_sheet_of_all_current_members(client, community, leader, member, community_regulation):
    acknowledgement_record(regulation=community_regulation, teacher=leader, on=dt.date(2025, 9, 1))
    MembershipFactory(community=community, left_on=dt.date(2024, 6, 1), teacher=TeacherFactory(surname="Ушедшая"))
    client.force_login(leader.user)

    response = client.get(detail_url(community_regulation))

    page = response.content.decode()
    rows = response.context["sheet"]
    assert [row["teacher"] for row in rows] == [member, leader]
    assert [row["acknowledged_on"] for row in rows] == [None, dt.date(2025, 9, 1)]
    assert "Лист ознакомления" in page
    assert "не ознакомлен(а)" in page
    assert "Ушедшая" not in page


def test_methodist_sees_who_acknowledged_a_district_regulation(client, methodist, member, district_regulation):
    acknowledgement_record(regulation=district_regulation, teacher=member, on=dt.date(2025, 9, 4))
    client.force_login(methodist)

    response = client.get(detail_url(district_regulation))

    page = response.content.decode()
    assert "Кузнецов Игорь Павлович" in page
    assert "04.09.2025" in page
    assert acknowledge_url(district_regulation) not in page


def test_who_acknowledges_and_who_sees_the_sheet_of_a_community_regulation(
    client, community, leader, member, methodist, community_regulation
):
    TeacherFactory(user=methodist)
    seen = {}
    for name, user in {"member": member.user, "leader": leader.user, "methodist": methodist}.items():
        client.force_login(user)
        context = client.get(detail_url(community_regulation)).context
        seen[name] = (context["may_acknowledge"], context["shows_sheet"])

    assert seen == {"member": (True, False), "leader": (True, True), "methodist": (False, True)}


def test_a_leader_is_not_shown_the_sheet_of_a_district_regulation_on_its_page(client, leader, district_regulation):
    client.force_login(leader.user)

    context = client.get(detail_url(district_regulation)).context

    assert context["may_acknowledge"] is True
    assert context["shows_sheet"] is False


def test_district_regulation_is_readable_by_any_teacher(client, outsider, district_regulation):
    client.force_login(outsider.user)

    assert client.get(detail_url(district_regulation)).status_code == 200


def test_missing_regulation_is_404(client, member):
    client.force_login(member.user)

    assert client.get(reverse("communities:regulation_detail", args=[999])).status_code == 404


def test_sheet_query_count_does_not_grow_with_members(client, community, leader, community_regulation):
    client.force_login(leader.user)
    one = count_queries(client, detail_url(community_regulation))
    for _ in range(24):
        teacher = TeacherFactory()
        MembershipFactory(community=community, teacher=teacher)
        acknowledgement_record(regulation=community_regulation, teacher=teacher)
    assert len(client.get(detail_url(community_regulation)).context["sheet"]) == 25
    many = count_queries(client, detail_url(community_regulation))

    assert one == many


# --- acknowledge -----------------------------------------------------------------------------


def test_acknowledge_is_post_only(client, member, district_regulation):
    client.force_login(member.user)

    assert client.get(acknowledge_url(district_regulation)).status_code == 405


def test_member_acknowledges(client, member, community_regulation):
    client.force_login(member.user)

    response = client.post(acknowledge_url(community_regulation))

    assert response.status_code == 302
    assert response["Location"] == detail_url(community_regulation)
    acknowledgement = Acknowledgement.objects.get(regulation=community_regulation, teacher=member)
    assert acknowledgement.acknowledged_on == timezone.localdate()
    assert "Отмечено: вы ознакомлены" in client.get(response["Location"]).content.decode()


def test_acknowledging_twice_keeps_one_record(client, member, district_regulation):
    client.force_login(member.user)

    client.post(acknowledge_url(district_regulation))
    client.post(acknowledge_url(district_regulation))

    assert Acknowledgement.objects.filter(regulation=district_regulation, teacher=member).count() == 1


def test_user_without_teacher_profile_gets_403(client, methodist, district_regulation, community_regulation):
    client.force_login(methodist)

    assert client.post(acknowledge_url(district_regulation)).status_code == 403
    assert client.post(acknowledge_url(community_regulation)).status_code == 403
    assert not Acknowledgement.objects.exists()


def test_plain_user_without_teacher_gets_403_on_district_and_404_on_community(
    client, district_regulation, community_regulation
):
    client.force_login(UserFactory(username="nobody"))

    assert client.post(acknowledge_url(district_regulation)).status_code == 403
    assert client.post(acknowledge_url(community_regulation)).status_code == 404


def test_outsider_cannot_acknowledge_a_foreign_community_regulation(client, outsider, community_regulation):
    client.force_login(outsider.user)

    assert client.post(acknowledge_url(community_regulation)).status_code == 404
    assert not Acknowledgement.objects.exists()


def test_refusal_by_the_model_is_shown_as_a_message(client, community, leader, methodist, community_regulation):
    # A methodist who is also a teacher but not a member reads the community, yet is not on its sheet.
    teacher = TeacherFactory(user=methodist, surname="Методистова")
    client.force_login(methodist)

    response = client.post(acknowledge_url(community_regulation), follow=True)

    assert "С положением ПОС знакомятся члены этого сообщества." in response.content.decode()
    assert not Acknowledgement.objects.filter(teacher=teacher).exists()


# --- file ------------------------------------------------------------------------------------


def test_file_is_downloaded_as_attachment(client, settings, tmp_path, member):
    settings.MEDIA_ROOT = tmp_path
    regulation = RegulationFactory(file=SimpleUploadedFile("Положение ТМР.pdf", PDF))
    client.force_login(member.user)

    response = client.get(file_url(regulation))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="polozhenie-{regulation.pk}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_regulation_without_file_is_404(client, member, district_regulation):
    client.force_login(member.user)

    assert client.get(file_url(district_regulation)).status_code == 404


def test_file_missing_on_disk_is_404(client, settings, tmp_path, member):
    settings.MEDIA_ROOT = tmp_path
    regulation = RegulationFactory(file=SimpleUploadedFile("p.pdf", PDF))
    (tmp_path / regulation.file.name).unlink()
    client.force_login(member.user)

    assert client.get(file_url(regulation)).status_code == 404


def test_the_acknowledge_button_comes_after_the_text(client, district_regulation, member):
    client.force_login(member.user)

    text = client.get(detail_url(district_regulation)).content.decode()

    assert text.index("2. Цели и задачи.") < text.index(">Ознакомлен(а)</button>")
