"""The leader of another community in a real browser: the first leader's community, meeting and protocol PDF
answer the Russian «page not found», and nothing of them shows on his pages."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.browser.conftest import held_meeting, login, recent_day

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def signed(community, leader, member, math_team):
    return held_meeting(community, leader, [leader, member, *math_team], day=recent_day(), topic="Открытые уроки")


def test_other_leader_is_refused_the_first_leaders_protocol(page, other_community, other_leader, community, signed):
    login(page, "other_leader")
    expect(page.get_by_role("link", name=other_community.name).first).to_be_visible()
    expect(page.get_by_text(community.name)).to_have_count(0)
    expect(page.get_by_text("Открытые уроки")).to_have_count(0)

    for url in (
        reverse("reports:protocol_pdf", args=[signed.meeting_id]),
        reverse("meetings:detail", args=[signed.meeting_id]),
        reverse("communities:detail", args=[community.pk]),
    ):
        response = page.goto(url)
        assert response.status == 404, url
        assert response.headers["content-type"].startswith("text/html"), url
        expect(page.get_by_role("heading", level=1)).to_have_text("Страница не найдена")
        expect(page.get_by_text("Такой страницы нет или она вам недоступна.")).to_be_visible()
        expect(page.get_by_text("ПРОТОКОЛ")).to_have_count(0)

    # His own community still opens.
    page.get_by_role("link", name="На главную").click()
    page.get_by_role("link", name=other_community.name).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(other_community.name)
