"""The accessibility scan of the journeys (tests/browser/axe.py) finds what it must: a page with an image without
text and a button without a name fails, the portal's own pages pass, and a skip link leads to the content."""

import pytest
from playwright.sync_api import expect

from tests.browser.axe import AxeScan
from tests.browser.conftest import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BAD_PAGE = "<!doctype html><html><body><img src='/static/none.png'><button></button></body></html>"


def test_a_page_with_serious_violations_is_reported(chromium, live_server):
    context = chromium.new_context(base_url=live_server.url)
    try:
        tab = context.new_page()
        tab.route("**/bad-page/", lambda route: route.fulfill(content_type="text/html", body=BAD_PAGE))
        axe = AxeScan(tab, live_server.url).attach()
        tab.goto("/bad-page/")
        tab.locator("button")  # the journey's next look at the page scans it first
    finally:
        context.close()
    assert axe.scanned == [f"{live_server.url}/bad-page/"]
    found = "\n".join(axe.violations)
    for rule in ("image-alt (critical)", "button-name (critical)", "html-has-lang (serious)"):
        assert rule in found, found


def test_skip_link_moves_to_the_content(page, leader, community):
    login(page, "leader")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Перейти к содержимому")
    expect(skip).to_be_focused()
    expect(skip).to_be_visible()
    page.keyboard.press("Enter")
    expect(page.locator("main#content")).to_be_focused()
