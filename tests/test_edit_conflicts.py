"""Lost updates: two people open the same edit form, both save. The first save stays; the second, made from the
version both opened, is refused with 409 and the Russian conflict message, and the page keeps what was typed
(a community, a membership, a plan, an annual report; a regulation in the Department's admin)."""

import pytest
from django.test import Client
from django.urls import reverse

from communities.models import AnnualPlan, Community, Membership, Regulation
from communities.models.versioned import EDIT_CONFLICT_MESSAGE
from reports.models import AnnualReport
from reports.services import annual_report_start
from tests.browser_forms import form_fields, text
from tests.factories import AnnualPlanFactory, RegulationFactory
from tests.reports.annual_data import YEAR

pytestmark = pytest.mark.django_db

CONFLICT = 409


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def both_save(first, second, url, field, first_value, second_value, containing="csrfmiddlewaretoken"):
    """Both open ``url``; the first saves ``first_value`` in ``field``, then the second ``second_value``."""
    first_form = form_fields(first.get(url), containing=containing)
    second_form = form_fields(second.get(url), containing=containing)
    saved = first.post(url, {**first_form, field: first_value})
    refused = second.post(url, {**second_form, field: second_value})
    assert saved.status_code == 302
    return refused


def assert_refused(response, typed):
    assert response.status_code == CONFLICT
    page = text(response)
    assert EDIT_CONFLICT_MESSAGE in page
    assert typed in page


def test_community_edited_by_the_leader_and_a_methodist(community, leader, methodist):
    url = reverse("communities:edit", args=[community.pk])

    refused = both_save(browser(leader.user), browser(methodist), url, "theme", "Тема руководителя", "Тема методиста")

    assert_refused(refused, 'value="Тема методиста"')
    community.refresh_from_db()
    assert (community.theme, community.version) == ("Тема руководителя", 2)


def test_membership_edited_twice(community, leader, member, admin_user):
    membership = Membership.objects.get(community=community, teacher=member)
    url = reverse("communities:member_edit", args=[community.pk, membership.pk])

    refused = both_save(browser(leader.user), browser(admin_user), url, "duties", "Ведёт протокол", "Готовит отчёт")

    assert_refused(refused, "Готовит отчёт")
    membership.refresh_from_db()
    assert membership.duties == "Ведёт протокол"


def test_plan_edited_twice(community, leader, admin_user):
    plan = AnnualPlanFactory(community=community)
    url = reverse("communities:plan_edit", args=[plan.pk])

    refused = both_save(browser(leader.user), browser(admin_user), url, "theme", "Тема первого", "Тема второго")

    assert_refused(refused, 'value="Тема второго"')
    assert AnnualPlan.objects.get(pk=plan.pk).theme == "Тема первого"


def test_annual_report_edited_in_two_tabs(community, leader):
    annual_report_start(community=community, year=YEAR, user=leader.user)
    url = reverse("reports:annual_report_edit", kwargs={"pk": community.pk, "year": YEAR.start_year})
    tab = browser(leader.user)

    refused = both_save(tab, tab, url, "results", "Итоги из первой вкладки", "Итоги из второй вкладки")

    assert_refused(refused, "Итоги из второй вкладки")
    assert AnnualReport.objects.get(community=community).results == "Итоги из первой вкладки"


def test_regulation_edited_twice_in_the_admin(admin_user):
    regulation = RegulationFactory(title="Положение о ПОС")
    url = reverse("admin:communities_regulation_change", args=[regulation.pk])

    first, second = browser(admin_user), browser(admin_user)
    first_form = form_fields(first.get(url), containing="title")
    second_form = form_fields(second.get(url), containing="title")
    saved = first.post(url, {**first_form, "title": "Положение, ред. 1"})
    refused = second.post(url, {**second_form, "title": "Положение, ред. 2"})

    assert saved.status_code == 302
    page = text(refused)
    assert refused.status_code == 200  # the admin shows a refused form as a form with errors
    assert EDIT_CONFLICT_MESSAGE in page
    assert 'value="Положение, ред. 2"' in page
    assert Regulation.objects.get(pk=regulation.pk).title == "Положение, ред. 1"


def test_a_form_that_lost_its_version_saves_nothing(community, leader):
    url = reverse("communities:edit", args=[community.pk])
    client = browser(leader.user)
    form = form_fields(client.get(url))

    response = client.post(url, {**form, "edited_version": "", "theme": "Без версии"})

    assert_refused(response, 'value="Без версии"')
    assert Community.objects.get(pk=community.pk).theme != "Без версии"


def test_one_save_after_another_is_not_a_conflict(community, leader):
    url = reverse("communities:edit", args=[community.pk])
    client = browser(leader.user)

    for theme in ("Первая", "Вторая"):
        assert client.post(url, {**form_fields(client.get(url)), "theme": theme}).status_code == 302

    community.refresh_from_db()
    assert (community.theme, community.version) == ("Вторая", 3)


def test_meeting_edited_twice_in_the_admin(admin_user, community):
    from meetings.models import Meeting
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(community=community, status=Meeting.Status.PLANNED, topic="Тема")
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])

    first, second = browser(admin_user), browser(admin_user)
    first_form = form_fields(first.get(url), containing="topic")
    second_form = form_fields(second.get(url), containing="topic")
    saved = first.post(url, {**first_form, "topic": "Тема, ред. 1"})
    refused = second.post(url, {**second_form, "topic": "Тема, ред. 2"})

    assert saved.status_code == 302, text(saved)[:2000]
    assert refused.status_code == 200  # a form with errors
    assert 'value="Тема, ред. 2"' in text(refused) or "Тема, ред. 2" in text(refused)
    assert Meeting.objects.get(pk=meeting.pk).topic == "Тема, ред. 1"
