"""The portal's XLSX files say what they are and who made them: a title and «ПОС-портал» as the creator (and the
last editor), never openpyxl's defaults; read back with openpyxl."""

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from reports.views import dashboard as dashboard_views
from tests.factories import CommunityFactory


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(dashboard_views, "current_day", lambda: dt.date(2025, 3, 15))


def properties(data: bytes):
    return load_workbook(io.BytesIO(data)).properties


def core_xml(data: bytes) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read("docProps/core.xml").decode()


def test_the_dashboard_table_has_a_title_and_the_portal_as_creator(client, methodist, db):
    CommunityFactory(name="Альфа")
    client.force_login(methodist)
    response = client.get(reverse("reports:dashboard_xlsx"), {"year": "2024/2025"})
    book = properties(response.content)
    assert book.title == "Сводка по ПОС Тутаевского муниципального района за 2024/2025 учебный год"
    assert book.creator == "ПОС-портал"
    assert book.lastModifiedBy == "ПОС-портал"
    assert book.language == "ru-RU"
    assert "openpyxl" not in core_xml(response.content)


def test_the_roster_template_has_a_title_and_the_portal_as_creator(admin_client):
    response = admin_client.get(reverse("admin:communities_teacher_import_template"))
    book = properties(response.content)
    assert book.title == "Шаблон импорта: педагог"
    assert book.creator == "ПОС-портал"
    assert "openpyxl" not in core_xml(response.content)
