"""The district summary PDF is built by a task, off the request: with a queue the first request is told that it
is being prepared (and enqueues the build once, however many ask), and gets the PDF once a worker built it; with
the immediate backend (development, ``make run``) the first request gets it at once."""

import datetime as dt

import pytest
from django.test import override_settings
from django.urls import reverse
from django_tasks import default_task_backend

from reports.views import dashboard as dashboard_views
from tests.factories import CommunityFactory
from tests.reports.pdf_helpers import pdf_text

TODAY = dt.date(2025, 3, 15)
YEAR = {"year": "2024/2025"}
QUEUED = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setattr(dashboard_views, "current_day", lambda: TODAY)


@pytest.fixture
def district(db):
    CommunityFactory(name="Альфа")
    CommunityFactory(name="Бета")


def test_immediate_backend_gives_the_pdf_on_the_first_request(client, methodist, district):
    client.force_login(methodist)
    response = client.get(reverse("reports:district_summary_pdf"), YEAR)
    assert response.status_code == 200
    assert "Альфа" in pdf_text(response.content)


@override_settings(TASKS=QUEUED)
def test_with_a_queue_the_page_says_it_is_being_prepared_and_enqueues_once(client, methodist, district):
    default_task_backend.clear()
    client.force_login(methodist)
    url = reverse("reports:district_summary_pdf")

    first = client.get(url, YEAR)
    second = client.get(url, YEAR)

    assert first.status_code == second.status_code == 202
    page = first.content.decode()
    assert "Сводка по сообществам готовится" in page
    assert 'data-auto-refresh="5"' in page and "js/auto_refresh.js" in page  # a reload that can be stopped
    (result,) = default_task_backend.results
    assert result.task.name == "build_district_summary"

    result.task.call(*result.args, **result.kwargs)  # what the worker does

    ready = client.get(url, YEAR)
    assert ready.status_code == 200
    assert ready["Content-Type"] == "application/pdf"
    assert "Бета" in pdf_text(ready.content)
    assert len(default_task_backend.results) == 1, "a built summary is not queued again"


@override_settings(TASKS=QUEUED)
def test_each_filter_is_its_own_build(client, methodist, district):
    default_task_backend.clear()
    client.force_login(methodist)
    url = reverse("reports:district_summary_pdf")
    client.get(url, YEAR)
    client.get(url, {**YEAR, "status": "at_risk"})
    assert len(default_task_backend.results) == 2


@override_settings(TASKS=QUEUED)
def test_others_are_not_told_anything(client, member, district):
    client.force_login(member.user)
    assert client.get(reverse("reports:district_summary_pdf"), YEAR).status_code == 403
