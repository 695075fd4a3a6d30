"""A double click saves once on the rest of the forms (issue 14, item 6): the Department's add pages in the admin
(a regulation, a teacher, an organization, …), the acknowledgement of a regulation, and the edit forms, where the
second click of the same rendered form answers «Уже сохранено» instead of refusing the person's own save as a
conflict."""

import pytest
from django.urls import reverse

from communities.models import Acknowledgement, Community, Organization, Regulation, Teacher
from communities.submissions import FIELD
from reports.models import AnnualReport
from reports.services import annual_report_start
from tests.browser_forms import form_fields, login
from tests.factories import OrganizationFactory, RegulationFactory
from tests.reports.annual_data import YEAR
from tests.test_submitted_once import assert_second_goes_to_the_first, post_twice, rendered

pytestmark = pytest.mark.django_db


def test_double_click_on_the_admins_add_regulation_adds_one(admin_client):
    url = reverse("admin:communities_regulation_add")
    data = rendered(admin_client, url, title="Положение о наставничестве", text="1. Общие положения.")

    first, second = post_twice(admin_client, url, data)

    assert_second_goes_to_the_first(first, second)
    assert Regulation.objects.filter(title="Положение о наставничестве").count() == 1


def test_double_click_on_the_admins_add_teacher_adds_one(admin_client):
    school = OrganizationFactory()
    url = reverse("admin:communities_teacher_add")
    data = rendered(admin_client, url, surname="Новикова", name="Анна", organization=str(school.pk), position="учитель")

    first, second = post_twice(admin_client, url, data)

    assert_second_goes_to_the_first(first, second)
    assert Teacher.objects.filter(surname="Новикова").count() == 1


def test_double_click_on_the_admins_add_organization_adds_one(admin_client):
    url = reverse("admin:communities_organization_add")
    data = rendered(admin_client, url, kind="school", full_name="МОУ СШ № 9", short_name="СШ № 9")

    first, second = post_twice(admin_client, url, data)

    assert_second_goes_to_the_first(first, second)
    assert Organization.objects.filter(short_name="СШ № 9").count() == 1


def test_double_click_on_acknowledge_records_once(client, community, member):
    regulation = RegulationFactory(community=community)
    login(client, member)
    url = reverse("communities:regulation_acknowledge", args=[regulation.pk])
    data = form_fields(client.get(reverse("communities:regulation_detail", args=[regulation.pk])), containing=FIELD)

    first, second = post_twice(client, url, data)

    assert_second_goes_to_the_first(first, second)
    assert Acknowledgement.objects.filter(regulation=regulation).count() == 1


def test_double_click_on_an_edit_form_is_not_a_conflict_with_oneself(client, community, leader):
    login(client, leader)
    url = reverse("communities:edit", args=[community.pk])
    data = rendered(client, url, theme="Одна тема")

    first, second = post_twice(client, url, data)

    assert_second_goes_to_the_first(first, second)
    community.refresh_from_db()
    assert (community.theme, community.version) == ("Одна тема", 2)


def test_double_click_on_the_annual_report_is_not_a_conflict_with_oneself(client, community, leader):
    annual_report_start(community=community, year=YEAR, user=leader.user)
    login(client, leader)
    url = reverse("reports:annual_report_edit", kwargs={"pk": community.pk, "year": YEAR.start_year})
    data = rendered(client, url, results="Итоги года")

    first, second = post_twice(client, url, data)

    assert_second_goes_to_the_first(first, second)
    assert AnnualReport.objects.get(community=community).results == "Итоги года"
    assert Community.objects.get(pk=community.pk).annual_reports.get().version == 2
