"""GET never changes state: every GET page of the portal, opened by the leader and by the Department, leaves every
table of the database as it was (row counts and a checksum of the rows; sessions aside)."""

import pytest
from django.urls import reverse

from tests.security.pages import GET_PAGES, body_of, changed_tables, page_url, snapshot
from tests.test_permission_matrix import MATRIX, login_as, world  # noqa: F401 - the world fixture

pytestmark = pytest.mark.django_db

# Pages of a signed protocol too (the matrix opens the draft): its stored PDF is served, never re-made.
EXTRA = [("meetings:detail", "signed_meeting"), ("reports:protocol_pdf", "signed_meeting")]


def pages(objects):
    urls = [(name, page_url(name, objects)) for name in GET_PAGES]
    urls += [(name, reverse(name, kwargs=objects[kwargs])) for name, kwargs in EXTRA]
    return urls


@pytest.mark.parametrize("persona", ["leader", "member", "department"])
def test_get_changes_nothing(persona, world, client, request):  # noqa: F811
    login_as(client, persona, request)
    client.get(reverse("home"))  # the session settles
    changes = {}

    for name, url in pages(world):
        before = snapshot()
        response = client.get(url)
        body_of(response)
        after = snapshot()
        assert response.status_code in {200, 302, 403, 404}, url
        if changed := changed_tables(before, after):
            changes[f"{name} {url}"] = changed

    assert changes == {}


def test_the_snapshot_sees_a_change(world, client, request):  # noqa: F811
    """The check above can fail: a POST that saves something changes the snapshot."""
    login_as(client, "leader", request)
    before = snapshot()

    client.post(reverse("communities:plan_copy", kwargs=world["community"]))
    client.post(reverse("communities:regulation_acknowledge", kwargs=world["regulation"]))

    assert changed_tables(before, snapshot()) != []


def test_state_changing_urls_refuse_get(world, client, request):  # noqa: F811
    login_as(client, "leader", request)

    for name, row in MATRIX.items():
        if row.method == "POST":
            response = client.get(reverse(name, kwargs=world[row.kwargs]))
            assert response.status_code == 405, name
