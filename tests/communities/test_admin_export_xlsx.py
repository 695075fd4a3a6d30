"""An XLSX exported from the admin names itself like every XLSX of the portal (``pos_portal/xlsx.py``)."""

import io

import openpyxl
import pytest
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from communities.admin.roster import OrganizationResource, TeacherResource
from communities.models import Teacher
from tests.communities.test_roster_import import format_index
from tests.factories import OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def export(client, model, resource, file_format):
    prefix = resource.__name__.lower()
    return client.post(
        reverse(f"admin:communities_{model}_export"),
        {"format": format_index(file_format), **{f"{prefix}_{name}": "on" for name in resource._meta.fields}},
    )


@pytest.mark.parametrize(
    ("model", "resource", "title"),
    [
        ("teacher", TeacherResource, "Выгрузка из ПОС-портала: педагоги"),
        ("organization", OrganizationResource, "Выгрузка из ПОС-портала: организации"),
    ],
)
def test_the_exported_xlsx_carries_the_portals_title_and_creator(admin_client, model, resource, title):
    TeacherFactory(surname="Данилов", qualification_category=Teacher.Category.FIRST)

    response = export(admin_client, model, resource, XLSX)

    assert response.status_code == 200
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    properties = workbook.properties
    assert (properties.title, properties.creator, properties.lastModifiedBy) == (title, "ПОС-портал", "ПОС-портал")
    assert properties.language == "ru-RU"
    rows = list(workbook.active.iter_rows(values_only=True))
    assert len(rows) == 2  # the data is still there: the header and the teacher (or the organization)


def test_the_csv_export_is_left_as_it_is(admin_client):
    OrganizationFactory(short_name="МОУ СШ № 3")

    response = export(admin_client, "organization", OrganizationResource, CSV)

    assert response.status_code == 200
    assert "МОУ СШ № 3" in response.content.decode("utf-8-sig")
