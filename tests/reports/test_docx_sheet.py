"""The acknowledgement sheet as .docx, read back with python-docx: № / ФИО / Дата / Подпись, the regulation's
requisites, and the same readers as its PDF."""

import datetime as dt

import pytest
from django.urls import reverse

from communities.models import Membership
from communities.services import acknowledgement_record
from reports.views.documents import SHEET_FIRST_PAGE_ROWS
from tests.reports.docx_helpers import assert_gost_layout, blocks, get_docx
from tests.reports.readers import COMMUNITY_READERS, log_in
from tests.reports.test_acknowledgement_sheet_pdf import district_regulation, regulation  # noqa: F401 (fixtures)


def sheet_url(regulation):  # noqa: F811
    return reverse("reports:sheet_docx", kwargs={"regulation_pk": regulation.pk})


def test_community_sheet_in_word(client, regulation, community, leader, member):  # noqa: F811
    acknowledgement_record(regulation=regulation, teacher=member, on=dt.date(2024, 9, 20))
    client.force_login(leader.user)
    document = get_docx(client, sheet_url(regulation), "List-oznakomleniya")
    lines = blocks(document)
    assert lines[:3] == [
        "ПОС учителей математики",
        "ЛИСТ ОЗНАКОМЛЕНИЯ",
        "с документом «Положение о ПОС учителей математики»",
    ]
    assert "Рекомендовано педагогическим советом, протокол № 7 от 22.11.2022." in lines
    assert "Утверждено приказом директора № 195-Т от 22.11.2022." in lines
    grid = document.tables[0]
    assert [cell.text for cell in grid.rows[0].cells] == ["№ п/п", "Фамилия, имя, отчество", "Дата", "Подпись"]
    rows = [[cell.text for cell in row.cells] for row in grid.rows[1:]]
    assert rows == [
        ["1", "Кузнецов Игорь Павлович", "20.09.2024", "в портале"],
        ["2", "Смирнова Ольга Викторовна", "", ""],
    ]
    assert any(line.startswith("Даты в графе «Дата» — даты ознакомления в ПОС-портале") for line in lines)
    assert_gost_layout(document)
    assert document.core_properties.title == "Лист ознакомления · Положение о ПОС учителей математики"


def test_district_sheet_in_word(client, district_regulation, member, methodist):  # noqa: F811
    acknowledgement_record(regulation=district_regulation, teacher=member, on=dt.date(2024, 9, 21))
    client.force_login(methodist)
    document = get_docx(client, sheet_url(district_regulation))
    lines = blocks(document)
    assert lines[0] == "Профессиональные обучающиеся сообщества педагогов района"
    assert "1 | Кузнецов Игорь Павлович | 21.09.2024 | в портале" in lines


def test_blank_sheet_in_word(client, regulation, community, leader, member):  # noqa: F811
    acknowledgement_record(regulation=regulation, teacher=member, on=dt.date(2024, 9, 20))
    client.force_login(leader.user)
    document = get_docx(client, f"{sheet_url(regulation)}?blank=1")
    rows = [[cell.text for cell in row.cells] for row in document.tables[0].rows[1:]]
    assert rows[:3] == [
        ["1", "Кузнецов Игорь Павлович", "", ""],
        ["2", "Смирнова Ольга Викторовна", "", ""],
        ["3", "", "", ""],
    ]
    assert len(rows) == SHEET_FIRST_PAGE_ROWS  # the empty rows fill the first page, as on the PDF
    lines = blocks(document)
    assert any(line.startswith("Дату и подпись педагог ставит собственноручно") for line in lines)
    assert not any("ПОС-портале" in line for line in lines)


@COMMUNITY_READERS
def test_community_sheet_access(client, regulation, persona, status, request):  # noqa: F811
    log_in(request, client, persona)
    assert client.get(sheet_url(regulation)).status_code == status


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("leader", 200),
        ("other_leader", 200),
        ("methodist", 200),
        ("admin_user", 200),
        ("member", 404),
        ("outsider", 404),
    ],
)
def test_district_sheet_access(client, district_regulation, persona, status, request):  # noqa: F811
    log_in(request, client, persona)
    assert client.get(sheet_url(district_regulation)).status_code == status


def test_former_member_missing_and_post(client, regulation, member):  # noqa: F811
    client.force_login(member.user)
    assert client.post(sheet_url(regulation)).status_code == 405
    assert client.get(reverse("reports:sheet_docx", kwargs={"regulation_pk": 10**9})).status_code == 404
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    assert client.get(sheet_url(regulation)).status_code == 404


def test_regulation_page_links_to_the_word_sheet(client, regulation, member):  # noqa: F811
    client.force_login(member.user)
    page = client.get(
        reverse("communities:regulation_detail", kwargs={"regulation_pk": regulation.pk})
    ).content.decode()
    assert sheet_url(regulation) in page
