"""The ИОЦ dashboard and its exports (reports.views.dashboard)."""

import datetime as dt
import io
import re

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from communities.models import Community
from reports.compliance import Status
from reports.views import dashboard as dashboard_views
from tests.conftest import appoint
from tests.factories import (
    AgendaItemFactory,
    AssignmentFactory,
    CommunityFactory,
    DecisionFactory,
    OrganizationFactory,
    RegulationFactory,
    TeacherFactory,
)
from tests.reports.compliance_helpers import approved_plan, bulk_district, held, planned
from tests.reports.pdf_helpers import pdf_text

TODAY = dt.date(2025, 3, 15)  # 2024/2025, two quarters in
YEAR = {"year": "2024/2025"}
URLS = ("reports:dashboard", "reports:dashboard_xlsx", "reports:district_summary_pdf")
XLSX_HEADERS = [
    "№",
    "ПОС",
    "Уровень",
    "Базовая организация",
    "Руководитель",
    "Проведено заседаний",
    "Запланировано",
    "Минимум (п. 4.2)",
    "Статус",
    "Недостающие документы",
    "Просроченные поручения",
    "Просроченные протоколы",
]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(dashboard_views, "current_day", lambda: TODAY)


@pytest.fixture
def district(db):
    """Альфа: done, nothing missing. Бета (institutional): at risk, no leader, no plan, no own regulation.
    Гамма: on track, nothing missing."""
    RegulationFactory(community=None)
    school = OrganizationFactory(short_name="МОУ «Лицей «Эврика»»")
    alpha = CommunityFactory(name="Альфа")
    beta = CommunityFactory(name="Бета", level=Community.Level.INSTITUTIONAL, organization=school)
    gamma = CommunityFactory(name="Гамма")
    appoint(alpha, TeacherFactory(surname="Альфина"), number="1-о")
    appoint(gamma, TeacherFactory(surname="Гаммова"), number="2-о")
    approved_plan(alpha)
    approved_plan(gamma)
    for month in (9, 10, 11, 12):
        held(alpha, dt.date(2024, month, 10))
    held(beta, dt.date(2024, 10, 10))
    for month in (4, 5, 6):
        planned(beta, dt.date(2025, month, 10))
    held(gamma, dt.date(2024, 10, 10))
    held(gamma, dt.date(2025, 1, 10))
    planned(gamma, dt.date(2025, 4, 10))
    planned(gamma, dt.date(2025, 5, 10))
    return {"alpha": alpha, "beta": beta, "gamma": gamma, "school": school}


def names(response) -> list[str]:
    return [row.community.name for row in response.context["data"].page]


# --- access -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", URLS)
def test_actions_are_get_only(client, methodist, name):
    client.force_login(methodist)

    assert client.post(reverse(name)).status_code == 405


def test_the_navbar_links_the_dashboard_for_methodists_only(client, methodist, member):
    client.force_login(methodist)
    assert f'href="{reverse("reports:dashboard")}"' in client.get(reverse("home")).content.decode()

    client.force_login(member.user)
    assert f'href="{reverse("reports:dashboard")}"' not in client.get(reverse("home")).content.decode()


# --- the page -----------------------------------------------------------------------------------------------------


def test_the_page_shows_totals_and_every_community(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), YEAR)

    assert names(response) == ["Бета", "Гамма", "Альфа"]  # the most urgent first: под угрозой, в графике, выполнено
    summary = response.context["data"].summary
    assert (summary["communities"], summary["held"], summary["planned"], summary["required"]) == (3, 7, 5, 12)
    assert dict(summary["by_status"]) == {Status.DONE: 1, Status.AT_RISK: 1, Status.ON_TRACK: 1, Status.VIOLATED: 0}
    text = response.content.decode()
    assert f'href="{reverse("communities:detail", args=[district["beta"].pk])}?year=2024/2025"' in text
    assert "нет: положение, приказ о назначении руководителя, план на год" in text
    assert '<span class="badge text-bg-warning">под угрозой</span>' in text
    assert '<div class="fs-3 fw-semibold" id="total-sessions">7 / 5 / 12</div>' in text


def test_the_charts_are_inline_svg_without_inline_styles_or_scripts(client, methodist, district):
    client.force_login(methodist)

    text = client.get(reverse("reports:dashboard"), YEAR).content.decode()

    assert text.count('<svg class="chart"') == 2
    assert "<title>октябрь: 3 заседания</title>" in text  # Альфа, Бета and Гамма in October
    assert "<title>под угрозой: 1 сообщество</title>" in text
    assert "style=" not in text
    assert "<style" not in text
    assert not re.search(r"<script(?![^>]*\bsrc=)", text)
    assert not re.search(r"\son[a-z]+=", text)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "at_risk"}, ["Бета"]),
        ({"status": "done"}, ["Альфа"]),
        ({"status": "violated"}, []),
        ({"level": "institutional"}, ["Бета"]),
        ({"level": "municipal"}, ["Гамма", "Альфа"]),
        ({"missing": "1"}, ["Бета"]),
        ({"status": "on_track", "level": "municipal"}, ["Гамма"]),
    ],
)
def test_filters(client, methodist, district, params, expected):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {**YEAR, **params})

    assert names(response) == expected
    assert response.context["data"].summary["communities"] == 3  # the totals are the district's


def late_protocol(community):
    """A held session of 1 March whose protocol is still a draft: 14 days after it on TODAY, past the 5 days."""
    return held(community, dt.date(2025, 3, 1), signed=False)


def test_late_protocols_have_their_column_and_district_total(client, methodist, district):
    late_protocol(district["gamma"])
    held(district["beta"], dt.date(2025, 3, 12), signed=False)  # 3 days: not late yet
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), YEAR)

    assert response.context["data"].summary["late_protocols"] == 1
    text = response.content.decode()
    assert '<span class="text-danger fw-semibold">протоколов: 1</span>' in text
    late_link = f'<a href="{reverse("reports:dashboard")}?year=2024/2025&amp;late=1" id="total-late">1</a>'
    assert f"Просроченных протоколов (более 5 дн. после заседания): {late_link}" in text


def test_filter_by_late_protocols(client, methodist, district):
    late_protocol(district["gamma"])
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {**YEAR, "late": "1"})

    assert names(response) == ["Гамма"]
    assert 'id="filter-late" name="late" value="1" checked' in response.content.decode()
    assert response.context["query"].describe({}) == "только с просроченными протоколами"
    assert names(client.get(reverse("reports:dashboard"), {**YEAR, "sort": "-late"})) == ["Гамма", "Альфа", "Бета"]


def test_filter_by_organization(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {**YEAR, "organization": district["school"].pk})

    assert names(response) == ["Бета"]
    assert (
        f'<option value="{district["school"].pk}" selected>МОУ «Лицей «Эврика»»</option>' in response.content.decode()
    )


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("name", ["Альфа", "Бета", "Гамма"]),
        ("-name", ["Гамма", "Бета", "Альфа"]),
        ("held", ["Бета", "Гамма", "Альфа"]),
        ("-held", ["Альфа", "Гамма", "Бета"]),
        ("status", ["Бета", "Гамма", "Альфа"]),
        ("-status", ["Альфа", "Гамма", "Бета"]),
        ("-planned", ["Бета", "Гамма", "Альфа"]),
        ("-documents", ["Бета", "Альфа", "Гамма"]),
        ("organization", ["Альфа", "Гамма", "Бета"]),
        ("urgency", ["Бета", "Гамма", "Альфа"]),
        ("bogus", ["Бета", "Гамма", "Альфа"]),
    ],
)
def test_sorting(client, methodist, district, sort, expected):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {**YEAR, "sort": sort})

    assert names(response) == expected


def test_the_sort_link_of_the_current_column_turns_it_around(client, methodist, district):
    client.force_login(methodist)

    text = client.get(reverse("reports:dashboard"), {**YEAR, "sort": "-held", "status": "done"}).content.decode()

    assert 'href="?year=2024%2F2025&amp;status=done&amp;sort=held">Заседания ↓</a>' in text
    assert f"{reverse('reports:dashboard_xlsx')}?year=2024%2F2025&amp;status=done&amp;sort=-held" in text


@pytest.mark.parametrize(
    "params",
    [
        {"year": "abc"},
        {"year": "2024/2026"},
        {"year": "1900/1901"},
        {"status": "nope", "level": "x", "organization": "abc", "sort": "-"},
        {"organization": "99999999999999999999999"},
        {"organization": "-5", "missing": "yes"},
    ],
)
def test_bad_parameters_fall_back(client, methodist, district, params):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), params)

    assert response.status_code == 200
    assert response.context["year"].label == "2024/2025"  # the current year on the fixed day
    assert names(response) == ["Бета", "Гамма", "Альфа"]


def test_the_year_switcher(client, methodist, district):
    held(district["alpha"], dt.date(2023, 10, 10))
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {"year": "2023/2024"})

    assert response.context["year"].label == "2023/2024"
    assert response.context["data"].summary["held"] == 1
    assert '<option value="2023/2024" selected>2023/2024</option>' in response.content.decode()
    assert '<option value="2024/2025">2024/2025 (текущий)</option>' in response.content.decode()


def test_the_query_count_is_the_same_for_10_and_200_communities(client, methodist):
    client.force_login(methodist)
    url = reverse("reports:dashboard")

    def count():
        client.get(url, YEAR)  # the session and the user's groups are loaded once per client
        cache.clear()  # computed, not read from the cache
        with CaptureQueriesContext(connection) as context:
            response = client.get(url, YEAR)
        assert response.status_code == 200
        return len(context.captured_queries), response.context["data"].page.paginator.count

    bulk_district(10, prefix="Малый ")
    small, small_rows = count()
    bulk_district(190, prefix="Большой ")
    large, large_rows = count()

    assert (small_rows, large_rows) == (10, 200)
    assert small == large


def table(response) -> str:
    text = response.content.decode()
    return text[text.index('<section class="row g-3 mb-3"') : text.index("Документы: <i")]


# --- paging and the cache -------------------------------------------------------------------------------------


def test_the_table_is_shown_by_pages_of_50_with_the_filters_kept(client, methodist, db):
    bulk_district(120)
    client.force_login(methodist)
    url = reverse("reports:dashboard")

    first = client.get(url, {**YEAR, "sort": "-name"})
    last = client.get(url, {**YEAR, "sort": "-name", "page": "3"})

    assert names(first)[:2] == ["ПОС № 119", "ПОС № 118"]
    assert len(names(first)) == 50
    assert "Показано: 1–50 из 120." in first.content.decode()
    assert 'href="?year=2024%2F2025&amp;sort=-name&amp;page=2">Вперёд' in first.content.decode()
    assert names(last) == [f"ПОС № {number:03d}" for number in range(19, -1, -1)]
    assert "Показано: 101–120 из 120." in last.content.decode()
    assert 'id="total-communities">120</div>' in last.content.decode()  # the totals are of every page


def test_a_shared_cached_page_carries_no_parameter_of_another_request(client, methodist, db):
    bulk_district(60)
    client.force_login(methodist)
    url = reverse("reports:dashboard")

    client.get(url, {**YEAR, "next": "https://evil.example/"})
    text = client.get(url, YEAR).content.decode()

    assert 'href="?year=2024%2F2025&amp;page=2">Вперёд' in text
    assert "evil.example" not in text


@pytest.mark.parametrize("page", ["0", "-1", "abc", "999", "1" * 40])
def test_a_bad_page_number_shows_a_page(client, methodist, district, page):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), {**YEAR, "page": page})

    assert response.status_code == 200
    assert "Альфа" in response.content.decode()


def test_pages_are_computed_once_and_then_read_from_the_cache(client, methodist, district):
    client.force_login(methodist)
    url = reverse("reports:dashboard")
    client.get(url, {"year": "2023/2024"})  # the session and the user's groups are loaded once per client

    with CaptureQueriesContext(connection) as computed:
        first = client.get(url, YEAR)
    with CaptureQueriesContext(connection) as cached:
        second = client.get(url, YEAR)

    assert table(second) == table(first)
    assert "Альфа" in table(second)
    computing = [query["sql"] for query in cached.captured_queries if '"meetings_meeting"' in query["sql"]]
    assert computing == []  # the session, the user, the roles and the data version only
    assert len(cached.captured_queries) < len(computed.captured_queries)


def test_a_committed_change_is_shown_at_once(client, methodist, district, django_capture_on_commit_callbacks):
    client.force_login(methodist)
    url = reverse("reports:dashboard")
    assert 'id="total-sessions">7 / 5 / 12</div>' in client.get(url, YEAR).content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        held(district["beta"], dt.date(2024, 11, 20))

    text = client.get(url, YEAR).content.decode()
    assert '<div class="fs-3 fw-semibold" id="total-sessions">8 / 5 / 12</div>' in text


def test_a_rolled_back_change_keeps_the_cached_page(client, methodist, district, django_capture_on_commit_callbacks):
    client.force_login(methodist)
    url = reverse("reports:dashboard")
    client.get(url, YEAR)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        held(district["beta"], dt.date(2024, 11, 20))  # never committed: the callbacks are dropped

    assert callbacks  # the change asked for a new version after its commit
    assert 'id="total-sessions">7 / 5 / 12</div>' in client.get(url, YEAR).content.decode()


def overdue_of(text: str, name: str) -> str:
    row = re.search(rf"<tr>(?:(?!</tr>).)*?{name}.*?</tr>", text, re.DOTALL).group(0)
    return re.search(r"поручений: (\d+)", row).group(1)


def total_overdue(text: str) -> int:
    return int(re.search(r'id="total-overdue">(\d+)<', text).group(1))


def test_signing_a_protocol_puts_its_overdue_assignment_on_the_dashboard_at_once(
    client, methodist, district, django_capture_on_commit_callbacks
):
    """An assignment is under control once its protocol is signed; the cached overdue count follows the signing.
    (A question moves between meetings only while both are drafts: its assignment is counted nowhere then.)"""
    alpha_meeting = held(district["alpha"], dt.date(2025, 1, 20), signed=False)
    question = AgendaItemFactory(meeting=alpha_meeting)
    AssignmentFactory(decision=DecisionFactory(agenda_item=question), deadline=dt.date(2025, 2, 1))
    client.force_login(methodist)
    url = reverse("reports:dashboard")
    before = total_overdue(client.get(url, YEAR).content.decode())
    protocol = alpha_meeting.protocol
    signer = TeacherFactory()

    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        protocol.signed_by = signer
        protocol.signed_at = timezone.now()
        protocol.save()

    assert total_overdue(client.get(url, YEAR).content.decode()) == before + 1


def test_the_next_day_is_computed_afresh(client, methodist, district, monkeypatch):
    """The status depends on the day (the pace of one session a quarter): a page cached yesterday is not reused."""
    client.force_login(methodist)
    url = reverse("reports:dashboard")
    assert "По статусу" in client.get(url, YEAR).content.decode()

    monkeypatch.setattr(dashboard_views, "current_day", lambda: dt.date(2025, 9, 1))  # the year is over

    text = client.get(url, YEAR).content.decode()
    assert '<span class="badge text-bg-danger">нарушено</span>' in text


# --- XLSX -----------------------------------------------------------------------------------------------------


def read_sheet(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    return sheet, rows


def test_xlsx_has_russian_headers_every_row_and_totals(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard_xlsx"), YEAR)

    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert response["Content-Disposition"] == 'attachment; filename="pos-svodka-2024-2025.xlsx"'
    sheet, rows = read_sheet(response)
    assert rows[0][0] == "Сводка по ПОС Тутаевского муниципального района за 2024/2025 учебный год"
    assert list(rows[3]) == XLSX_HEADERS
    body = {row[1]: row for row in rows[4:7]}
    assert list(body) == ["Бета", "Гамма", "Альфа"]  # the dashboard's order: the most urgent first
    assert body["Альфа"] == (3, "Альфа", "Муниципальное", None, "Альфина А.П.", 4, 0, 4, "выполнено", None, 0, 0)
    assert body["Бета"][4:10] == (
        "не назначен",
        1,
        3,
        4,
        "под угрозой",
        "положение, приказ о назначении руководителя, план на год",
    )
    assert rows[7][1] == "Итого: 3"
    assert rows[7][5:8] == (7, 5, 12)
    assert sheet.column_dimensions["B"].width == 48


def test_xlsx_counts_late_protocols(client, methodist, district):
    late_protocol(district["gamma"])
    client.force_login(methodist)

    _sheet, rows = read_sheet(client.get(reverse("reports:dashboard_xlsx"), {**YEAR, "late": "1"}))

    assert rows[3][11] == "Просроченные протоколы"
    assert rows[4][1] == "Гамма"
    assert rows[4][11] == 1
    assert rows[5][1] == "Итого: 1"
    assert rows[5][11] == 1
    assert rows[1][0] == "на 15.03.2025; отбор: только с просроченными протоколами"


def test_xlsx_follows_the_filters_and_sorting(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard_xlsx"), {**YEAR, "level": "municipal", "sort": "-held"})

    _sheet, rows = read_sheet(response)
    assert [row[1] for row in rows[4:6]] == ["Альфа", "Гамма"]
    assert rows[6][1] == "Итого: 2"
    assert rows[1][0] == "на 15.03.2025; отбор: уровень: муниципальное"


def test_xlsx_keeps_a_name_that_looks_like_a_formula_as_text(client, methodist, db):
    CommunityFactory(name='=HYPERLINK("http://evil.example","x")')
    client.force_login(methodist)

    sheet, _rows = read_sheet(client.get(reverse("reports:dashboard_xlsx"), YEAR))

    cell = sheet.cell(row=5, column=2)
    assert cell.value == '=HYPERLINK("http://evil.example","x")'
    assert cell.data_type == "s"


# --- PDF ------------------------------------------------------------------------------------------------------


def test_pdf_summary_has_the_title_and_the_communities(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:district_summary_pdf"), YEAR)

    assert response["Content-Type"] == "application/pdf"
    assert 'filename="pos-svodka-2024-2025.pdf"' in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "СВОДКА" in text
    assert "о деятельности профессиональных обучающихся сообществ педагогов за 2024/2025 учебный год" in text
    assert "По состоянию на 15.03.2025" in text
    for name in ("Альфа", "Бета", "Гамма"):
        assert name in text
    assert "под угрозой" in text
    assert "Итого: 3" in text


def test_pdf_summary_counts_late_protocols(client, methodist, district):
    late_protocol(district["gamma"])
    client.force_login(methodist)

    text = pdf_text(client.get(reverse("reports:district_summary_pdf"), YEAR).content)

    assert "просроченных протоколов 1;" in text
    assert "Просроч. протоколы" in text


def test_pdf_summary_follows_the_filters(client, methodist, district):
    client.force_login(methodist)

    response = client.get(reverse("reports:district_summary_pdf"), {**YEAR, "status": "at_risk"})

    text = pdf_text(response.content)
    assert "Отбор: статус: под угрозой" in text
    assert "Бета" in text
    assert "Альфа" not in text


def test_the_most_urgent_first_puts_late_protocols_ahead_within_a_status(client, methodist, district):
    # Гамма and a new «Дельта» are both «в графике»; Дельта has a late protocol and comes first among them.
    delta = CommunityFactory(name="Дельта")
    appoint(delta, TeacherFactory(surname="Дельтова"), number="3-о")
    approved_plan(delta)
    held(delta, dt.date(2024, 10, 10))
    held(delta, dt.date(2025, 1, 10))
    planned(delta, dt.date(2025, 4, 10))
    planned(delta, dt.date(2025, 5, 10))
    late_protocol(delta)
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard"), YEAR)

    assert names(response) == ["Бета", "Дельта", "Гамма", "Альфа"]
    assert "сначала самые срочные" in response.content.decode()


def test_the_status_help_page_explains_the_rules_with_this_portals_settings(client, member, settings):
    settings.MIN_MEETINGS_PER_YEAR = 5
    settings.PROTOCOL_DUE_DAYS = 7
    client.force_login(member.user)

    text = client.get(reverse("reports:status_help")).content.decode()

    assert "не менее 5 заседаний в учебный год" in text
    assert "не подписанный через 7 дн. после даты заседания" in text
    for status in ("выполнено", "нарушено", "под угрозой", "в графике"):
        assert f">{status}</span>" in text


def test_the_dashboard_links_the_help_page_not_the_readme(client, methodist, district):
    client.force_login(methodist)

    text = client.get(reverse("reports:dashboard"), YEAR).content.decode()

    assert f'<a href="{reverse("reports:status_help")}">Как считается статус</a>' in text
    assert "README" not in text
