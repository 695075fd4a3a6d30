"""The annual report pages: access of every persona, the leader's editing and submission, the methodists' review
and list, the query count of the page, and the PDF read back."""

import datetime as dt
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from pypdf import PdfReader

from communities.models import Community
from reports.models import AnnualReport
from reports.services import annual_report_accept, annual_report_save, annual_report_submit
from tests.factories import (
    AnnualPlanFactory,
    AttendanceFactory,
    CommunityFactory,
    DecisionFactory,
    MeetingFactory,
    PlanItemFactory,
)
from tests.reports.annual_data import YEAR, build_year, written_report

pytestmark = pytest.mark.django_db

PERSONAS = ["leader", "member", "methodist", "admin_user", "outsider", "other_leader"]


def user_of(request, persona):
    value = request.getfixturevalue(persona)
    return getattr(value, "user", value)


def url(name, community, year=YEAR.start_year):
    return reverse(f"reports:{name}", kwargs={"pk": community.pk, "year": year})


def _version(community) -> int | str:
    """The version an edit form of the community's report opens on (none before the report exists)."""
    report = AnnualReport.objects.filter(community=community, academic_year=YEAR).first()
    return report.version if report else ""


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def pdf_text(data: bytes) -> str:
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def report(community, leader):
    return written_report(community, leader)


@pytest.fixture
def submitted(report, leader):
    return annual_report_submit(report=report, user=leader.user)


# --- access of every persona on every URL ----------------------------------------------------------------------

DETAIL = {"leader": 200, "member": 200, "methodist": 200, "admin_user": 200, "outsider": 404, "other_leader": 404}
EDIT = {"leader": 200, "member": 403, "methodist": 403, "admin_user": 403, "outsider": 404, "other_leader": 404}
SUBMIT = {"leader": 302, "member": 403, "methodist": 403, "admin_user": 403, "outsider": 404, "other_leader": 404}
REVIEW = {"leader": 403, "member": 403, "methodist": 302, "admin_user": 302, "outsider": 404, "other_leader": 404}
LIST = {"leader": 403, "member": 403, "methodist": 200, "admin_user": 200, "outsider": 403, "other_leader": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_access(request, client, community, leader, member, report, persona):
    client.force_login(user_of(request, persona))
    response = client.get(url("annual_report", community))
    assert response.status_code == DETAIL[persona]
    if response.status_code == 200:
        assert "Освоили приёмы формирующего оценивания." in response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_pdf_access(request, client, community, leader, member, report, persona):
    client.force_login(user_of(request, persona))
    response = client.get(url("annual_report_pdf", community))
    assert response.status_code == DETAIL[persona]
    if response.status_code == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("persona", PERSONAS)
def test_edit_access(request, client, community, leader, member, persona):
    client.force_login(user_of(request, persona))
    assert client.get(url("annual_report_edit", community)).status_code == EDIT[persona]
    response = client.post(
        url("annual_report_edit", community),
        {"results": "Текст", "difficulties": "", "proposals": "", "edited_version": _version(community)},
    )
    assert response.status_code == (302 if persona == "leader" else EDIT[persona])
    assert AnnualReport.objects.filter(results="Текст").exists() == (persona == "leader")


@pytest.mark.parametrize("persona", PERSONAS)
def test_submit_access(request, client, community, leader, member, report, persona):
    client.force_login(user_of(request, persona))
    assert client.get(url("annual_report_submit", community)).status_code == 405
    response = client.post(url("annual_report_submit", community))
    assert response.status_code == SUBMIT[persona]
    report.refresh_from_db()
    expected = AnnualReport.Status.SUBMITTED if persona == "leader" else AnnualReport.Status.DRAFT
    assert report.status == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_review_access(request, client, community, leader, member, submitted, persona):
    client.force_login(user_of(request, persona))
    assert client.get(url("annual_report_review", community)).status_code == 405
    response = client.post(url("annual_report_review", community), {"action": "accept", "comment": ""})
    assert response.status_code == REVIEW[persona]
    submitted.refresh_from_db()
    expected = AnnualReport.Status.ACCEPTED if REVIEW[persona] == 302 else AnnualReport.Status.SUBMITTED
    assert submitted.status == expected


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_access(request, client, community, leader, member, submitted, persona):
    client.force_login(user_of(request, persona))
    response = client.get(reverse("reports:annual_report_list"), {"year": YEAR.start_year})
    assert response.status_code == LIST[persona]
    if response.status_code == 200:
        assert community.name in response.content.decode()


@pytest.mark.parametrize("name", ["annual_report", "annual_report_edit", "annual_report_pdf"])
@pytest.mark.parametrize("year", [1999, 2101, 0])
def test_a_year_out_of_range_is_404(client, community, leader, name, year):
    client.force_login(leader.user)
    assert client.get(url(name, community, year)).status_code == 404


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_first_and_last_years_render(client, community, leader, year):
    client.force_login(leader.user)
    assert client.get(url("annual_report", community, year)).status_code == 200


def test_a_missing_community_is_404(client, methodist):
    client.force_login(methodist)
    assert client.get(reverse("reports:annual_report", kwargs={"pk": 999999, "year": 2024})).status_code == 404


# --- the leader edits and submits ------------------------------------------------------------------------------


def test_leader_edits_creating_the_draft_on_first_visit(client, community, leader):
    client.force_login(leader.user)
    response = client.get(url("annual_report_edit", community))
    assert response.status_code == 200
    report = AnnualReport.objects.get(community=community, academic_year=YEAR)
    assert report.status == AnnualReport.Status.DRAFT
    data = {"results": "Разработали рубрики.", "difficulties": "Нагрузка.", "proposals": "Семинар для района."}
    response = client.post(url("annual_report_edit", community), {**data, "edited_version": report.version})
    assert response.status_code == 302
    assert response["Location"] == url("annual_report", community)
    report.refresh_from_db()
    assert (report.results, report.difficulties, report.proposals) == tuple(data.values())
    page = client.get(url("annual_report", community)).content.decode()
    assert "Разработали рубрики." in page
    assert "Редактировать" in page
    assert "Отправить в ИОЦ" in page
    assert 'data-confirm="Отправить отчёт' in page


def test_leader_submits_and_can_no_longer_edit(client, community, leader, report):
    client.force_login(leader.user)
    response = client.post(url("annual_report_submit", community))
    assert response.status_code == 302
    assert any("отправлен в ИОЦ" in message for message in messages_of(response))
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.SUBMITTED
    page = client.get(url("annual_report", community)).content.decode()
    assert "на проверке" in page
    assert "Отправить в ИОЦ" not in page
    assert "Редактировать" not in page
    response = client.get(url("annual_report_edit", community))
    assert response.status_code == 302
    assert any("на проверке" in message for message in messages_of(response))


def test_edit_error_keeps_the_typed_text(client, community, leader, report):
    client.force_login(leader.user)
    assert client.get(url("annual_report_edit", community)).status_code == 200
    # Meanwhile the report is sent (another tab): the save is refused, the text typed stays in the form.
    annual_report_submit(report=report, user=leader.user)
    response = client.post(
        url("annual_report_edit", community),
        {"results": "Мой несохранённый текст", "difficulties": "", "proposals": ""},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Отчёт на проверке в ИОЦ" in page
    assert "Мой несохранённый текст" in page
    report.refresh_from_db()
    assert report.results == "Освоили приёмы формирующего оценивания."


def test_submit_without_results_shows_the_reason(client, community, leader):
    client.force_login(leader.user)
    client.get(url("annual_report_edit", community))
    response = client.post(url("annual_report_submit", community), follow=True)
    assert "Заполните раздел «Результаты»" in response.content.decode()
    assert AnnualReport.objects.get(community=community).status == AnnualReport.Status.DRAFT


def test_submit_before_any_report_goes_to_the_editor(client, community, leader):
    client.force_login(leader.user)
    response = client.post(url("annual_report_submit", community))
    assert response.status_code == 302
    assert response["Location"] == url("annual_report_edit", community)
    assert not AnnualReport.objects.exists()


def test_member_sees_no_leader_buttons(client, community, member, report):
    client.force_login(member.user)
    page = client.get(url("annual_report", community)).content.decode()
    assert "Освоили приёмы" in page
    assert "Редактировать" not in page
    assert "Отправить в ИОЦ" not in page
    assert "Вернуть на доработку" not in page


# --- the methodist reviews -------------------------------------------------------------------------------------


def test_methodist_returns_with_a_comment_and_the_leader_sees_it(client, community, leader, methodist, submitted):
    client.force_login(methodist)
    page = client.get(url("annual_report", community)).content.decode()
    assert "Принять" in page
    assert "Вернуть на доработку" in page
    response = client.post(
        url("annual_report_review", community), {"action": "return", "comment": "Опишите трудности подробнее."}
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.RETURNED
    assert submitted.review_comment == "Опишите трудности подробнее."
    assert submitted.reviewed_by == methodist

    client.force_login(leader.user)
    page = client.get(url("annual_report", community)).content.decode()
    assert "возвращён на доработку" in page
    assert "Опишите трудности подробнее." in page
    assert "Редактировать" in page
    edit = client.get(url("annual_report_edit", community)).content.decode()
    assert "Опишите трудности подробнее." in edit
    client.post(
        url("annual_report_edit", community),
        {
            "results": submitted.results,
            "difficulties": "Подробно о трудностях.",
            "proposals": "",
            "edited_version": _version(community),
        },
    )
    client.post(url("annual_report_submit", community))
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.SUBMITTED
    assert submitted.difficulties == "Подробно о трудностях."


def test_return_without_comment_keeps_the_page_with_an_error(client, community, methodist, submitted):
    client.force_login(methodist)
    response = client.post(url("annual_report_review", community), {"action": "return", "comment": "  "})
    assert response.status_code == 200
    assert "Укажите, что нужно доработать" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.SUBMITTED


def test_a_forged_action_is_an_error(client, community, methodist, submitted):
    client.force_login(methodist)
    response = client.post(url("annual_report_review", community), {"action": "delete", "comment": "Текст"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Выберите: принять отчёт или вернуть его на доработку." in page
    assert "Текст" in page
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.SUBMITTED


def test_methodist_accepts_and_the_report_is_read_only(client, community, leader, methodist, submitted):
    client.force_login(methodist)
    response = client.post(url("annual_report_review", community), {"action": "accept", "comment": ""})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == AnnualReport.Status.ACCEPTED
    page = client.get(url("annual_report", community)).content.decode()
    assert "принят" in page
    assert "Вернуть на доработку" not in page
    client.force_login(leader.user)
    page = client.get(url("annual_report", community)).content.decode()
    assert "Редактировать" not in page
    assert "Отправить в ИОЦ" not in page
    response = client.post(
        url("annual_report_edit", community), {"results": "Задним числом", "difficulties": "", "proposals": ""}
    )
    assert response.status_code == 200
    assert "Отчёт принят ИОЦ" in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.results == "Освоили приёмы формирующего оценивания."


def test_reviewing_a_draft_is_refused(client, community, methodist, report):
    client.force_login(methodist)
    response = client.post(url("annual_report_review", community), {"action": "accept", "comment": ""})
    assert response.status_code == 200
    assert "Проверить можно только отчёт на проверке" in response.content.decode()


def test_reviewing_a_missing_report_is_404(client, community, methodist):
    client.force_login(methodist)
    response = client.post(url("annual_report_review", community), {"action": "accept"})
    assert response.status_code == 404


# --- the methodists' list --------------------------------------------------------------------------------------


def test_list_puts_reports_to_check_first_and_filters(client, community, leader, methodist, submitted, admin_user):
    accepted = CommunityFactory(name="Аааа принятый ПОС")
    AnnualReport.objects.create(
        community=accepted,
        academic_year=YEAR,
        results="Текст",
        status=AnnualReport.Status.ACCEPTED,
        submitted_at=submitted.submitted_at,
        submitted_by=leader,
        reviewed_at=submitted.submitted_at,
        reviewed_by=admin_user,
    )
    missing = CommunityFactory(name="Ааа без отчёта")
    client.force_login(methodist)
    page = client.get(reverse("reports:annual_report_list"), {"year": "2024/2025"}).content.decode()
    assert page.index(community.name) < page.index(missing.name) < page.index(accepted.name)
    assert "не начат" in page
    page = client.get(reverse("reports:annual_report_list"), {"year": "2024", "status": "accepted"}).content.decode()
    assert accepted.name in page
    assert community.name not in page
    page = client.get(reverse("reports:annual_report_list"), {"year": "2024", "status": "missing"}).content.decode()
    assert missing.name in page
    assert accepted.name not in page


@pytest.mark.parametrize("query", [{"year": "abc"}, {"year": "1800"}, {"status": "x"}, {"year": "2024/2030"}])
def test_list_survives_bad_input(client, methodist, community, query):
    client.force_login(methodist)
    assert client.get(reverse("reports:annual_report_list"), query).status_code == 200


def test_list_query_count_does_not_grow(client, methodist, leader):
    client.force_login(methodist)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(reverse("reports:annual_report_list"), {"year": 2024}).status_code == 200
        return len(context.captured_queries)

    CommunityFactory()
    few = count()
    for _ in range(24):
        other = CommunityFactory()
        AnnualReport.objects.create(community=other, academic_year=YEAR)
    assert Community.objects.count() >= 25
    assert count() == few


# --- the page's query count and the links ------------------------------------------------------------------------


def _detail_queries(client, community):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url("annual_report", community))
    assert response.status_code == 200
    return len(context.captured_queries)


def _add_meetings(community, plan, leader, member, count, start):
    for day in range(start, start + count):
        item = PlanItemFactory(plan=plan, month=1, topic=f"Тема {day}")
        meeting = MeetingFactory(community=community, date=dt.date(2025, 1, 1) + dt.timedelta(days=day), plan_item=item)
        AttendanceFactory(meeting=meeting, teacher=leader)
        AttendanceFactory(meeting=meeting, teacher=member)
        DecisionFactory(agenda_item__meeting=meeting, agenda_item__order=1)


def test_detail_query_count_is_the_same_for_1_and_25_meetings(client, community, leader, member, report):
    plan = AnnualPlanFactory(community=community, academic_year=YEAR)
    _add_meetings(community, plan, leader, member, 1, start=0)
    client.force_login(leader.user)
    one = _detail_queries(client, community)
    _add_meetings(community, plan, leader, member, 24, start=1)
    assert _detail_queries(client, community) == one


def test_community_page_links_to_the_report_with_its_status(client, community, leader, submitted):
    client.force_login(leader.user)
    page = client.get(reverse("communities:detail", args=[community.pk]), {"year": "2024/2025"}).content.decode()
    assert url("annual_report", community) in page
    assert "Отчёт за 2024/2025" in page
    assert "на проверке" in page


def test_navbar_links_methodists_to_the_reports(client, methodist, member):
    client.force_login(methodist)
    assert reverse("reports:annual_report_list") in client.get(reverse("home")).content.decode()
    client.force_login(member.user)
    assert reverse("reports:annual_report_list") not in client.get(reverse("home")).content.decode()


# --- the PDF ---------------------------------------------------------------------------------------------------


def test_pdf_reads_back(client, community, leader, member, methodist, report):
    build_year(community, leader, member)
    client.force_login(member.user)
    response = client.get(url("annual_report_pdf", community))
    assert response.status_code == 200
    assert "attachment" not in response["Content-Disposition"]
    text = pdf_text(response.content)
    assert "ОТЧЁТ" in text
    assert f"о деятельности {community.title_genitive} за" in text  # the kind said once, as in the protocol
    assert f"«{community.name}»" not in text
    assert "2024/2025" in text
    assert "Старт формирующего оценивания" in text
    assert "Итоги года и планы" in text
    assert "не выполнено" in text
    assert "Освоили приёмы формирующего оценивания." in text
    assert "Не хватало времени на взаимопосещения." in text
    assert "Продолжить работу над рубриками." in text
    for heading in ("Результаты", "Трудности", "Предложения", "Состав сообщества", "Посещаемость"):
        assert heading in text
    assert "Руководитель ПОС" in text
    assert leader.signature_name in text
    assert "ПРОЕКТ" in text  # not accepted yet

    annual_report_accept(report=annual_report_submit(report=report, user=leader.user), user=methodist)
    text = pdf_text(client.get(url("annual_report_pdf", community)).content)
    assert "ПРОЕКТ" not in text
    assert "Освоили приёмы формирующего оценивания." in text


def test_pdf_escapes_the_leaders_text(client, community, leader, report):
    report.results = '<img src="file:///etc/hostname"> <b>жирный</b>'
    annual_report_save(report=report, user=leader.user, expected_version=report.version)
    client.force_login(leader.user)
    text = pdf_text(client.get(url("annual_report_pdf", community)).content)
    assert '<img src="file:///etc/hostname">' in text
    assert "<b>жирный</b>" in text
