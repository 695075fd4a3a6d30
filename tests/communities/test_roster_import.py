"""The roster from Excel: teachers and organizations imported in the admin from XLSX or CSV, with a preview, Russian
errors per row, existing people matched instead of duplicated, and a template file."""

import io

import openpyxl
import pytest
from django.conf import settings as portal_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from communities.admin.roster import OrganizationResource, TeacherResource
from communities.models import Organization, Teacher
from tests.browser_forms import text
from tests.factories import OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db

HEADERS = [field.column_name for field in TeacherResource().get_export_fields()]


def format_index(format_class) -> str:
    return str(portal_settings.IMPORT_EXPORT_FORMATS.index(format_class))


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("roster.xlsx", buffer.getvalue())


def csv(rows, headers=HEADERS) -> SimpleUploadedFile:
    lines = [";".join(headers), *(";".join(row) for row in rows)]
    content = "\n".join(",".join(f'"{cell}"' for cell in line.split(";")) for line in lines)
    return SimpleUploadedFile("roster.csv", content.encode("utf-8"))


def row(surname, name, patronymic, organization, position="учитель", category="первая", email="", phone=""):
    return [surname, name, patronymic, organization, position, category, "", email, phone]


def preview(client, upload, format_class=XLSX, model="teacher"):
    return client.post(
        reverse(f"admin:communities_{model}_import"),
        {"import_file": upload, "format": format_index(format_class)},
    )


def confirm(client, response, model="teacher"):
    form = response.context["confirm_form"]
    data = {name: form[name].value() for name in form.fields}
    return client.post(reverse(f"admin:communities_{model}_process_import"), data)


@pytest.fixture
def school():
    return OrganizationFactory(short_name="МОУ СШ № 3")


def test_xlsx_import_adds_a_new_teacher_and_updates_the_matched_one_after_confirmation(admin_client, school):
    existing = TeacherFactory(
        surname="Данилов", name="Кирилл", patronymic="Николаевич", organization=school, position="учитель"
    )
    upload = xlsx(
        [
            row("Петрова", "Анна", "Сергеевна", "МОУ СШ № 3", "учитель математики", "высшая", "petrova@example.ru"),
            row("Данилов", "Кирилл", "Николаевич", "МОУ СШ № 3", "учитель физики"),
        ]
    )

    response = preview(admin_client, upload)

    assert response.status_code == 200
    page = text(response)
    assert "Добавлено" in page and "Петрова" in page and "Обновлено" in page  # the preview shows each row's outcome
    assert Teacher.objects.count() == 1  # nothing is written before the confirmation

    confirmed = confirm(admin_client, response)

    assert confirmed.status_code == 302
    assert Teacher.objects.count() == 2  # the existing teacher matched, not duplicated
    existing.refresh_from_db()
    assert existing.position == "учитель физики"
    new = Teacher.objects.get(surname="Петрова")
    assert (new.organization, new.qualification_category, new.email, new.user) == (
        school,
        Teacher.Category.HIGHEST,
        "petrova@example.ru",
        None,
    )


def test_a_teacher_is_matched_by_email_even_in_another_spelling(admin_client, school):
    existing = TeacherFactory(surname="Смирнова", name="Ольга", email="smirnova@example.ru", organization=school)

    upload = xlsx([row("Смирнова-Ильина", "Ольга", "", "МОУ СШ № 3", email="SMIRNOVA@example.ru")])
    response = preview(admin_client, upload)
    confirm(admin_client, response)

    assert Teacher.objects.count() == 1
    existing.refresh_from_db()
    assert existing.surname == "Смирнова-Ильина"


def test_a_bad_row_is_reported_in_russian_and_nothing_is_imported(admin_client, school):
    upload = xlsx(
        [
            row("Петрова", "Анна", "Сергеевна", "МОУ СШ № 3"),
            row("Орлов", "Илья", "", "МОУ СШ № 99"),
            row("Белова", "Мария", "", "МОУ СШ № 3", category="самая высокая", email="не-почта"),
        ]
    )

    response = preview(admin_client, upload)

    assert response.status_code == 200
    page = text(response)
    assert "Организации «МОУ СШ № 99» нет в справочнике" in page
    assert "Неизвестное значение «самая высокая»" in page
    assert "Введите правильный адрес электронной почты." in page
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert not Teacher.objects.exists()


def test_csv_import_works_the_same(admin_client, school):
    response = preview(admin_client, csv([row("Петрова", "Анна", "Сергеевна", "МОУ СШ № 3")]), CSV)

    assert Teacher.objects.count() == 0
    confirm(admin_client, response)

    assert Teacher.objects.get().organization == school


def test_organizations_are_imported_and_matched_by_short_name(admin_client, school):
    headers = [field.column_name for field in OrganizationResource().get_export_fields()]
    upload = xlsx(
        [
            ["МОУ СШ № 3", "Средняя школа № 3", "Школа", "г. Тутаев", "ул. Луначарского, 1", "Иванов И.И."],
            ["МДОУ № 5", "Детский сад № 5", "Детский сад (ДОУ)", "г. Тутаев", "", ""],
        ],
        headers,
    )

    confirm(admin_client, preview(admin_client, upload, model="organization"), model="organization")

    assert Organization.objects.count() == 2
    school.refresh_from_db()
    assert school.head_name == "Иванов И.И."
    assert Organization.objects.get(short_name="МДОУ № 5").kind == Organization.Kind.KINDERGARTEN


def test_the_template_has_the_columns_the_import_reads(admin_client, school):
    page = admin_client.get(reverse("admin:communities_teacher_import"))
    url = reverse("admin:communities_teacher_import_template")
    assert url in page.content.decode()

    response = admin_client.get(url)

    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][HEADERS.index("Организация")] == "МОУ СШ № 3"
    # The filled-in template imports as it is.
    upload = SimpleUploadedFile("template.xlsx", response.content)
    confirm(admin_client, preview(admin_client, upload))
    assert Teacher.objects.filter(organization=school).count() == 1


def test_the_export_has_the_same_columns(admin_client, school):
    TeacherFactory(surname="Данилов", organization=school, qualification_category=Teacher.Category.FIRST)

    response = admin_client.post(
        reverse("admin:communities_teacher_export"),
        {"format": format_index(XLSX), **{f"teacherresource_{name}": "on" for name in TeacherResource._meta.fields}},
    )

    assert response.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS
    assert rows[1][HEADERS.index("Квалификационная категория")] == "первая"


def test_the_import_needs_the_change_permission(client, django_user_model):
    staff = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    client.force_login(staff)

    assert client.get(reverse("admin:communities_teacher_import_template")).status_code == 403
