"""The district summary says who made it: «Исполнитель: Фамилия И.О., тел. …» (the methodist who asked for it), the
date and a signature line under their position — in the PDF and in the .docx, read back. Each methodist's summary
is their own (the cache keeps them apart)."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from pos_portal.roles import METHODISTS_GROUP
from reports.views import dashboard as dashboard_views
from tests.factories import CommunityFactory, TeacherFactory, UserFactory
from tests.reports.docx_helpers import blocks, get_docx
from tests.reports.pdf_helpers import pdf_text

TODAY = dt.date(2025, 3, 15)
YEAR = {"year": "2024/2025"}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(dashboard_views, "current_day", lambda: TODAY)


@pytest.fixture
def district(db):
    CommunityFactory(name="Альфа")


def methodist_named(username, surname, name, patronymic, phone=""):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    TeacherFactory(user=user, surname=surname, name=name, patronymic=patronymic, position="методист", phone=phone)
    return user


@pytest.fixture
def solovyova(db):
    return methodist_named("solovyova", "Соловьёва", "Марина", "Николаевна", phone="8 (48533) 2-14-56")


def summary_pdf_text(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("reports:district_summary_pdf"), YEAR)
    assert response.status_code == 200
    return pdf_text(response.content)


def test_the_pdf_names_the_methodist_with_phone_date_and_signature_line(client, solovyova, district):
    text = summary_pdf_text(client, solovyova)
    assert "Исполнитель: Соловьёва М.Н., тел. 8 (48533) 2-14-56" in text
    assert "Методист подпись М.Н. Соловьёва" in text  # the position, the line for the signature, the name
    assert "15.03.2025" in text.split("Методист подпись")[1]  # the date under the signature


def test_each_methodist_gets_their_own_name(client, solovyova, district):
    other = methodist_named("petrova", "Петрова", "Анна", "Ивановна")
    assert "Исполнитель: Соловьёва М.Н." in summary_pdf_text(client, solovyova)
    text = summary_pdf_text(client, other)
    assert "Исполнитель: Петрова А.И." in text and "Соловьёва" not in text
    assert "тел." not in text  # no phone on her card: none printed


def test_a_user_without_a_teacher_card_is_named_by_the_account(client, district):
    user = UserFactory(username="kadry", first_name="Ирина", last_name="Кадрова", is_staff=True, is_superuser=True)
    text = summary_pdf_text(client, user)
    assert "Исполнитель: Кадрова И." in text  # «Фамилия И.О.», as from a card


def test_the_docx_carries_the_same(client, solovyova, district):
    client.force_login(solovyova)
    lines = blocks(get_docx(client, f"{reverse('reports:district_summary_docx')}?year=2024/2025"))
    assert "Исполнитель: Соловьёва М.Н., тел. 8 (48533) 2-14-56" in lines
    assert any(line.startswith("Методист") and "М.Н. Соловьёва" in line for line in lines)
    assert "15.03.2025" in lines
