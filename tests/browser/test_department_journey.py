"""The Education Department in the Django admin, in a real browser: it lands in the admin, imports the roster of a
school from an XLSX (preview, then confirm) and appoints a new leader by order, seeing whose appointment ends."""

import datetime as dt

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from communities.admin.roster import TeacherResource
from communities.models import LeaderAppointment, Teacher
from tests.browser.conftest import login, screenshot
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department(db):
    return UserFactory(username="department", is_staff=True, is_superuser=True, first_name="Светлана")


@pytest.fixture
def school(db):
    return OrganizationFactory(
        short_name="МОУ Гимназия «Вектор»", full_name="Муниципальное общеобразовательное учреждение «Гимназия «Вектор»»"
    )


def roster_file(tmp_path, school) -> str:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append([field.column_name for field in TeacherResource().get_export_fields()])
    sheet.append(["Кузьмина", "Вера", "Олеговна", school.short_name, "учитель химии", "высшая", "химия", "", ""])
    sheet.append(["Титов", "Павел", "Ильич", school.short_name, "учитель физики", "первая", "физика", "", ""])
    path = tmp_path / "roster.xlsx"
    book.save(path)
    return str(path)


def pick(page, field: str, text: str):
    """Choose ``text`` in the admin's autocomplete (select2) for ``field``, typing a part of it as a person does."""
    page.locator(f"#id_{field} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text[:6])
    page.locator(".select2-results__option", has_text=text).first.click()


def test_department_imports_a_roster_and_appoints_a_leader(
    page, department, school, community, leader, member, tmp_path
):
    login(page, "department")
    expect(page).to_have_url(f"{page.url.split('/admin/')[0]}/admin/")  # the Department lands in the admin
    expect(page.get_by_role("table", name="Заседания и протоколы")).to_be_visible()  # Russian app names
    screenshot(page, "admin-index")

    # The roster from Excel: upload, see the preview, confirm.
    page.get_by_role("link", name="Педагоги", exact=True).first.click()
    page.get_by_role("link", name="Импорт").click()
    page.locator("input[type=file]").set_input_files(roster_file(tmp_path, school))
    page.locator("select[name=format]").select_option(label="xlsx")
    page.get_by_role("button", name="Отправить").click()
    expect(page.get_by_text("Кузьмина").first).to_be_visible()
    assert not Teacher.objects.filter(surname="Кузьмина").exists()  # nothing saved before the confirmation
    page.get_by_role("button", name="Подтвердить импорт").click()
    expect(page.locator(".messagelist")).to_be_visible()
    titov = Teacher.objects.get(surname="Титов", organization=school)
    assert titov.position == "учитель физики"

    # The new leader: the form says who leads now and when that appointment ends.
    MembershipFactory(community=community, teacher=titov, joined_on=dt.date(2024, 9, 1))
    starts = timezone.localdate()
    page.goto("/admin/communities/leaderappointment/add/")
    pick(page, "community", community.name)
    pick(page, "teacher", "Титов")
    page.get_by_label("Руководит с").fill(f"{starts:%d.%m.%Y}")
    page.get_by_label("Номер приказа").fill("77-о")
    page.get_by_label("Дата приказа").fill(f"{starts:%d.%m.%Y}")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(f"Назначение руководителя {leader.short_name}")

    assert community.leader_on(starts) == titov
    ended = LeaderAppointment.objects.get(community=community, teacher=leader)
    assert ended.ends_on == starts - dt.timedelta(days=1)
