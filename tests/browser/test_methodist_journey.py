"""The methodist of the ИОЦ in a real browser: the dashboard, the community at risk, the XLSX export and the
district summary PDF."""

import datetime as dt
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect
from pypdf import PdfReader

from meetings.models import Meeting
from tests.browser.conftest import download, held_meeting, login, save_link, screenshot, this_year
from tests.conftest import appoint, teacher_with_login
from tests.factories import CommunityFactory, MeetingFactory, MembershipFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: Communities that have only planned their sessions, with their leaders.
EXTRA_COMMUNITIES = [
    ("ПОС учителей начальных классов", ("Морозова", "Татьяна", "Николаевна")),
    ("ПОС педагогов-психологов", ("Волкова", "Ирина", "Александровна")),
    ("ПОС учителей истории", ("Никитин", "Андрей", "Владимирович")),
]


@pytest.fixture
def district(community, leader, member, math_team, other_community, other_leader, methodist):
    """The leader's community has held nothing this year: at risk. The other community held its four sessions
    with signed protocols: done. A few more communities have only planned their sessions."""
    year, today = this_year(), timezone.localdate()
    colleagues = [MembershipFactory(community=other_community).teacher for _ in range(3)]
    span = (today - year.start).days
    for number in range(4):
        held_meeting(
            other_community,
            other_leader,
            [other_leader, *colleagues],
            day=year.start + dt.timedelta(days=span * number // 3),
            topic=f"Игровые технологии: заседание {number + 1}",
        )
    for index, (name, (surname, first_name, patronymic)) in enumerate(EXTRA_COMMUNITIES):
        extra = CommunityFactory(name=name)
        head = teacher_with_login(f"extra{index}", surname=surname, name=first_name, patronymic=patronymic)
        appoint(extra, head, number=f"{31 + index}-о")
        for step in range(index + 1):
            MeetingFactory(
                community=extra,
                date=today + dt.timedelta(days=7 + 30 * step),
                status=Meeting.Status.PLANNED,
                topic=f"Заседание {step + 1}",
            )
    return year


#: Whether the element's scrolling box (its .table-responsive) shows it whole, without a horizontal scroll.
FITS = """selector => {
  const box = document.querySelector(selector).closest('.table-responsive');
  return box.scrollWidth <= box.clientWidth;
}"""


def pdf_text(data: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def test_methodist_finds_the_community_at_risk_and_exports(page, district, community, other_community):
    year = district
    login(page, "metodist")
    expect(page.get_by_text(f"Сообщества района ({2 + len(EXTRA_COMMUNITIES)})")).to_be_visible()
    # The morning answer on the home page: the communities needing attention, with their status.
    attention = page.locator("#attention")
    expect(attention).to_contain_text("Требуют внимания")
    expect(attention.get_by_role("listitem").filter(has_text=community.name)).to_contain_text("под угрозой")
    screenshot(page, "home-methodist")

    page.get_by_role("navigation").get_by_role("link", name="Сводка").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Сводка по сообществам района — {year} уч. год")
    table = page.locator("#compliance-table")
    expect(table.get_by_role("row", name=community.name)).to_contain_text("под угрозой")
    expect(table.get_by_role("row", name=other_community.name)).to_contain_text("выполнено")
    # The most urgent first; on a 1366 × 768 screen the table starts on the first screen and needs no horizontal
    # scroll; on a phone the status column is still there.
    expect(table.locator("tbody tr").first).to_contain_text("под угрозой")
    expect(table.locator("tbody tr").last).to_contain_text("выполнено")
    page.set_viewport_size({"width": 1366, "height": 768})
    assert table.bounding_box()["y"] < 768
    assert page.evaluate(FITS, "#compliance-table"), "the dashboard's table scrolls sideways at 1366 px"
    screenshot(page, "dashboard", full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    expect(table.get_by_role("columnheader", name="Статус")).to_be_visible()
    assert page.evaluate(FITS, "#compliance-table"), "the dashboard's table scrolls sideways on a phone"
    screenshot(page, "dashboard-phone")
    page.set_viewport_size({"width": 1280, "height": 800})

    # Only the communities at risk.
    page.get_by_label("Статус", exact=True).select_option(label="под угрозой")
    page.get_by_role("button", name="Показать").click()
    expect(page).to_have_url(re.compile(r"[?&]status=at_risk(&|$)"))
    expect(table.get_by_role("row", name=community.name)).to_contain_text("под угрозой")
    expect(table.get_by_role("row", name=other_community.name)).to_have_count(0)

    # The table as XLSX, with the same filter.
    name, data = download(page, page.get_by_role("link", name="XLSX").click)
    assert name == f"pos-svodka-{year.start_year}-{year.start_year + 1}.xlsx"
    sheet = load_workbook(io.BytesIO(data)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    names = [row[1] for row in rows]
    assert community.name in names
    assert other_community.name not in names
    assert "под угрозой" in rows[names.index(community.name)]

    # The district summary as PDF, with the same filter: it opens in the browser, and reads back.
    with page.expect_response(lambda response: "/reports/summary.pdf" in response.url) as opened:
        page.get_by_role("link", name="PDF").click()
    assert opened.value.status == 200
    assert opened.value.headers["content-type"] == "application/pdf"
    page.go_back()
    _name, pdf = save_link(page, page.get_by_role("link", name="PDF"))
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert community.name in text
    assert other_community.name not in text
    assert "под угрозой" in text
