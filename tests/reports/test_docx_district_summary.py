"""The district summary as .docx (A4 landscape), read back with python-docx: every community with its figures and
the totals, the filters, and only for methodists and the Department."""

import pytest
from django.urls import reverse
from docx.shared import Pt

from pos_portal.academic_year import AcademicYear
from reports.docx.district_summary import district_summary_docx
from reports.views.dashboard import DashboardQuery, summary_context
from tests.reports.docx_helpers import assert_gost_layout, blocks, get_docx, open_docx
from tests.reports.test_views_dashboard import TODAY, YEAR, district, fixed_day  # noqa: F401 (fixtures)

URL = reverse("reports:district_summary_docx")


def test_summary_in_word(client, methodist, district):  # noqa: F811
    client.force_login(methodist)
    document = get_docx(client, f"{URL}?year=2024/2025", "pos-svodka-2024-2025.docx")
    lines = blocks(document)
    assert lines[:3] == [
        "МУ ДПО «Информационно-образовательный центр» Тутаевского муниципального района",
        "СВОДКА",
        "о деятельности профессиональных обучающихся сообществ педагогов за 2024/2025 учебный год "
        "(соблюдение п. 4.2 Положения и документация раздела 6)",
    ]
    assert lines[3].startswith("По состоянию на 15.03.2025. Сообществ: 3;")
    grid = document.tables[0]
    assert grid.rows[0].cells[1].text == "ПОС"
    names = [row.cells[1].text for row in grid.rows[1:-1]]
    assert sorted(names) == ["Альфа", "Бета", "Гамма"]
    beta = next(row for row in grid.rows if row.cells[1].text == "Бета")
    assert beta.cells[2].text == "Институциональное (в ОО), МОУ «Лицей «Эврика»»"
    assert beta.cells[3].text == "не назначен"
    assert grid.rows[-1].cells[1].text == "Итого: 3"
    # Eleven columns at the PDF's 10 pt (9 pt headers), the narrow headers breaking only at their soft hyphens.
    headers = [cell.text for cell in grid.rows[0].cells]
    assert headers[3:5] == ["Руково\u00adдитель", "Засе\u00adданий прове\u00adдено"]
    sizes = {run.font.size.pt for row in grid.rows[1:] for cell in row.cells for p in cell.paragraphs for run in p.runs}
    assert sizes == {10}
    assert_gost_layout(document, landscape=True, table_sizes=(Pt(9), Pt(10)))  # the PDF's sizes of this wide table
    assert document.core_properties.created.date() == TODAY


def test_summary_follows_the_filters(client, methodist, district):  # noqa: F811
    client.force_login(methodist)
    document = get_docx(client, f"{URL}?year=2024/2025&level=institutional")
    lines = blocks(document)
    assert "Отбор: уровень: институциональное (в оо)." in lines[3] and "Сообществ: 1 из 3" in lines[3]
    assert [row.cells[1].text for row in document.tables[0].rows[1:-1]] == ["Бета"]


def test_an_empty_selection_says_so(methodist, db):
    context = summary_context(DashboardQuery(year=AcademicYear(2024)), TODAY)
    document = open_docx(district_summary_docx(context))
    assert "Нет сообществ, подходящих под отбор." in blocks(document)


@pytest.mark.parametrize("persona", ["leader", "member", "outsider"])
def test_not_for_teachers(client, persona, request, district):  # noqa: F811
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(URL).status_code == 403


def test_for_the_department_and_get_only(client, admin_user, district):  # noqa: F811
    client.force_login(admin_user)
    get_docx(client, URL)
    assert client.post(URL).status_code == 405


def test_the_dashboard_links_to_the_word_summary(client, methodist, district):  # noqa: F811
    client.force_login(methodist)
    page = client.get(reverse("reports:dashboard"), YEAR).content.decode()
    assert f"{URL}?year=2024%2F2025" in page or f"{URL}?year=2024/2025" in page
