"""POST without a CSRF token is refused on every URL of the portal (each as a user the view would otherwise serve),
on the sign-in and account pages and in the admin, and changes nothing."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.pages import changed_tables, snapshot
from tests.test_permission_matrix import MATRIX, login_as, world  # noqa: F401 - the world fixture

pytestmark = pytest.mark.django_db

REFUSED = "Форма устарела"

# A letter's one-click unsubscribe (RFC 8058): the mail client POSTs without a page, so without a CSRF token; the
# signed token in the address is the proof (a forged one is 404: tests/notifications/test_views.py).
CSRF_EXEMPT = {"notifications:unsubscribe"}


def allowed_persona(row) -> str:
    """Someone the view serves (so a missing CSRF check would show as success, not as a refusal of the view)."""
    for persona in ("leader", "department", "member", "methodist"):
        if row.status(persona) not in (403, 404):
            return persona
    raise AssertionError("nobody may use this URL")


def test_every_portal_url_refuses_a_post_without_csrf(world, request):  # noqa: F811
    accepted = {}
    for name, row in sorted(MATRIX.items()):
        if name in CSRF_EXEMPT:
            continue
        client = Client(enforce_csrf_checks=True)
        login_as(client, allowed_persona(row), request)
        before = snapshot()

        response = client.post(reverse(name, kwargs=world[row.kwargs]), {"title": "подделка", "token": "123456"})

        if response.status_code != 403 or REFUSED not in response.content.decode():
            accepted[name] = response.status_code
        assert changed_tables(before, snapshot()) == [], name

    assert accepted == {}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("login", {"username": "leader", "password": "demo-password"}),
        ("password_reset", {"email": "leader@example.org"}),
        ("admin:login", {"username": "leader", "password": "demo-password"}),
    ],
)
def test_public_forms_refuse_a_post_without_csrf(leader, name, data):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse(name), data)

    assert response.status_code == 403
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("name", ["logout", "password_change"])
def test_account_forms_refuse_a_post_without_csrf(leader, name):
    client = Client(enforce_csrf_checks=True)
    client.force_login(leader.user)

    response = client.post(
        reverse(name), {"old_password": "demo-password", "new_password1": "x-Y-z-2026!", "new_password2": "x-Y-z-2026!"}
    )

    assert response.status_code == 403
    leader.user.refresh_from_db()
    assert leader.user.check_password("demo-password")
    assert client.get(reverse("home")).status_code == 200  # still signed in


def test_an_admin_change_refuses_a_post_without_csrf(admin_user, community):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin_user)

    response = client.post(
        reverse("admin:communities_community_change", args=[community.pk]), {"name": "подделка", "level": "municipal"}
    )

    assert response.status_code == 403
    community.refresh_from_db()
    assert community.name != "подделка"


def test_with_the_token_the_same_post_goes_through(world, request):  # noqa: F811
    """The refusals above are the CSRF check's: with the token from the page the leader's action succeeds."""
    client = Client(enforce_csrf_checks=True)
    login_as(client, "leader", request)
    client.get(reverse("communities:detail", kwargs=world["community"]))  # sets the CSRF cookie

    response = client.post(
        reverse("communities:plan_copy", kwargs=world["community"]),
        {"csrfmiddlewaretoken": client.cookies["csrftoken"].value},
    )

    assert response.status_code == 302
