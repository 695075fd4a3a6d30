"""The Department's admin in Russian: app and model names, counted nouns in three forms, дд.мм.гггг dates, the
appointment form that says what it will end, teachers named with their school in autocompletes, labelled inline
inputs, and the Department landing in the admin after signing in."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.admin.counts import NOUN_FORMS
from communities.models import LeaderAppointment, Organization
from tests.browser_forms import text
from tests.communities.test_admin import admin_url, appointment_data
from tests.factories import MembershipFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def visible_text(response) -> str:
    """What the reader sees: the page without tags, scripts and addresses."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", page).split())


def test_the_index_names_every_app_and_model_in_russian(admin_client):
    page = visible_text(admin_client.get(reverse("admin:index")))

    for english in ("Axes", "AXES", "Otp_Totp", "OTP_TOTP", "TOTP device", "Locked Out", "access log"):
        assert english.lower() not in page.lower()
    assert "Защита входа" in page and "Попытки доступа" in page


def test_locked_out_sign_ins_are_listed_in_russian(admin_client, settings):
    AccessAttempt.objects.create(
        username="leader", ip_address="10.0.0.1", user_agent="Firefox", path_info="/accounts/login/",
        get_data="", post_data="", http_accept="*/*", failures_since_start=settings.AXES_FAILURE_LIMIT,
    )  # fmt: skip

    page = text(admin_client.get(admin_url(AccessAttempt)))

    assert "Locked Out" not in page and "Attempt Remaining" not in page
    assert "вход заблокирован" in page and "1 попытка входа" in page


def test_every_model_of_the_admin_has_its_counted_forms():
    labels = {model._meta.label_lower for model in admin.site._registry}

    assert labels <= set(NOUN_FORMS)


@pytest.mark.parametrize(
    ("rows", "counter"),
    [(1, "1 организация"), (3, "3 организации"), (5, "5 организаций"), (0, "0 организаций"), (21, "21 организация")],
)
def test_the_changelist_counts_in_the_right_form(admin_client, rows, counter):
    OrganizationFactory.create_batch(rows)

    page = admin_client.get(admin_url(Organization)).content.decode()

    paginator = re.search(r'<p class="paginator">(.*?)</p>', page, re.S).group(1)
    assert " ".join(paginator.split()) == counter


def test_select_all_across_pages_counts_in_the_right_form(admin_client, monkeypatch):
    from communities.admin.people import OrganizationAdmin

    monkeypatch.setattr(OrganizationAdmin, "list_per_page", 2)
    OrganizationFactory.create_batch(5)

    assert "Выбрать все 5 организаций" in text(admin_client.get(admin_url(Organization)))


def test_the_delete_action_reports_in_the_right_form(admin_client):
    organizations = OrganizationFactory.create_batch(3)

    response = admin_client.post(
        admin_url(Organization),
        {"action": "delete_selected", "_selected_action": [o.pk for o in organizations], "post": "yes"},
        follow=True,
    )

    assert "Удалено: 3 организации." in text(response)
    assert not Organization.objects.exists()


def test_admin_dates_read_dd_mm_yyyy(admin_client, community, leader):
    page = text(admin_client.get(admin_url(LeaderAppointment)))

    assert "01.09.2024" in page
    assert "сентября 2024 г." not in page


# --- the appointment form ------------------------------------------------------------------------------------


def test_the_appointment_form_names_the_current_leader(admin_client, community, leader):
    page = text(admin_client.get(admin_url(LeaderAppointment, "add"), {"community": community.pk}))

    assert "Сейчас руководит Смирнова О.В. (с 01.09.2024, приказ № 12-о от 01.09.2024)." in page
    assert "Это назначение завершится днём раньше даты, с которой руководит новый руководитель." in page


def test_the_refused_appointment_form_says_on_which_date_the_current_one_ends(admin_client, community, leader, member):
    data = appointment_data(community, member, starts_on="10.01.2025", order_number="")

    page = text(admin_client.post(admin_url(LeaderAppointment, "add"), data))

    assert "Сейчас руководит Смирнова О.В." in page
    assert "Это назначение завершится 09.01.2025." in page


def test_a_community_without_a_leader_has_nothing_to_end(admin_client, community):
    page = text(admin_client.get(admin_url(LeaderAppointment, "add"), {"community": community.pk}))

    assert "Действующего руководителя у ПОС нет: завершать нечего." in page


def test_saving_the_appointment_says_which_one_ended(admin_client, community, leader, member):
    response = admin_client.post(admin_url(LeaderAppointment, "add"), appointment_data(community, member), follow=True)

    assert "Назначение руководителя Смирнова О.В. (приказ № 12-о) завершено 09.01.2025." in text(response)


# --- autocompletes ---------------------------------------------------------------------------------------------


def autocomplete(client, term):
    return client.get(
        reverse("admin:autocomplete"),
        {"app_label": "communities", "model_name": "membership", "field_name": "teacher", "term": term},
    )


def test_namesakes_differ_in_the_teacher_autocomplete(admin_client):
    for school, position in (("МОУ СШ № 3", "Учитель математики"), ("МОУ СШ № 6", "учитель физики")):
        TeacherFactory(
            surname="Данилов", name="Кирилл", patronymic="Николаевич", position=position,
            organization=OrganizationFactory(short_name=school),
        )  # fmt: skip

    labels = sorted(result["text"] for result in autocomplete(admin_client, "Данилов").json()["results"])

    assert labels == [
        "Данилов К.Н. — МОУ СШ № 3, учитель математики",
        "Данилов К.Н. — МОУ СШ № 6, учитель физики",
    ]


def test_the_autocomplete_queries_do_not_grow_with_teachers(admin_client):
    TeacherFactory(surname="Данилов")
    autocomplete(admin_client, "Данилов")
    with CaptureQueriesContext(connection) as one:
        autocomplete(admin_client, "Данилов")
    TeacherFactory.create_batch(9, surname="Данилов")
    with CaptureQueriesContext(connection) as ten:
        assert len(autocomplete(admin_client, "Данилов").json()["results"]) == 10

    assert len(ten) == len(one)


# --- labelled inline inputs ---------------------------------------------------------------------------------


def test_every_inline_input_of_the_community_page_has_a_name(admin_client, community, leader, member):
    MembershipFactory(community=community)

    page = admin_client.get(admin_url(type(community), "change", community.pk)).content.decode()

    inline = page[page.index('id="memberships-group"') :]
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", inline)
    visible = [tag for tag in controls if 'type="hidden"' not in tag and 'name="memberships-' in tag]
    assert len(visible) > 10
    unnamed = [tag for tag in visible if "aria-label=" not in tag]
    assert unnamed == []
    assert 'aria-label="Педагог, строка 1"' in inline and 'aria-label="Удалить, строка 2"' in inline


# --- where the Department lands ---------------------------------------------------------------------------


def test_the_department_lands_in_the_admin_after_signing_in(client, django_user_model):
    django_user_model.objects.create_superuser("department", "d@example.ru", "Пароль-для-входа-1")

    response = client.post(reverse("login"), {"username": "department", "password": "Пароль-для-входа-1"})

    assert response.status_code == 302 and response["Location"] == reverse("admin:index")


def test_a_teacher_lands_on_the_home_page(client, leader):
    leader.user.set_password("Пароль-для-входа-1")
    leader.user.save()

    response = client.post(reverse("login"), {"username": "leader", "password": "Пароль-для-входа-1"})

    assert response["Location"] == reverse("home")


def test_the_home_does_not_offer_the_department_protocols_to_sign(admin_client, draft_protocol):
    assert "ждут вашей подписи" not in text(admin_client.get(reverse("home")))


def test_permissions_are_listed_in_russian(admin_client):
    from django.contrib.auth.models import Group

    page = visible_text(admin_client.get(admin_url(Group, "add")))

    assert "Can add" not in page and "Can change" not in page and "TOTP device" not in page
    assert "Сообщества (ПОС) | педагог | изменение" in page


def test_the_department_turns_a_lost_second_factor_off(admin_client, leader):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=leader.user, name="Приложение", confirmed=True)

    response = admin_client.post(
        admin_url(type(leader.user)),
        {"action": "second_factor_off", "_selected_action": [leader.user.pk]},
        follow=True,
    )

    assert "Второй фактор входа отключён: 1 пользователь." in text(response)
    assert not TOTPDevice.objects.filter(user=leader.user).exists()


def test_the_changelist_heading_is_in_the_accusative(admin_client):
    page = text(admin_client.get(reverse("admin:communities_teacher_changelist")))

    assert "Выберите педагога для изменения" in page
