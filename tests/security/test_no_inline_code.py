"""Templates carry no inline JS or CSS, and every response carries the Content-Security-Policy that forbids them.

Every GET page of the portal (from the permission matrix, so a new page is covered as soon as it has its row) is
fetched as the leader, or as the Department where the leader may not go, and parsed: no ``<script>`` without
``src``, no ``<style>``, no ``style=``, no ``on…=`` handler, no ``javascript:`` URL.
"""

import pytest
from django.urls import reverse

from tests.security.pages import CSP, GET_PAGES, body_of, csp_of, inline_code, page_persona, page_url
from tests.test_permission_matrix import login_as, world  # noqa: F401 - the world fixture

pytestmark = pytest.mark.django_db


def test_the_policy_is_strict(client, member):
    client.force_login(member.user)

    response = client.get(reverse("home"))

    assert csp_of(response) == CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.parametrize("name", GET_PAGES)
def test_portal_page_has_no_inline_code(name, world, client, request):  # noqa: F811
    login_as(client, page_persona(name), request)

    response = client.get(page_url(name, world))
    body_of(response)

    assert response.status_code == 200
    assert csp_of(response) == CSP
    if response["Content-Type"].startswith("text/html"):
        assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize("name", ["login", "password_reset", "password_reset_done", "password_reset_complete"], ids=str)
def test_public_account_page_has_no_inline_code(name, client):
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert csp_of(response) == CSP
    assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize("name", ["password_change", "password_change_done"])
def test_account_page_has_no_inline_code(name, client, member):
    client.force_login(member.user)

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert inline_code(response.content.decode()) == []


def test_error_pages_have_no_inline_code(client, community, member):
    client.force_login(member.user)

    for url, status in [
        ("/no-such-page/", 404),
        (reverse("communities:member_add", args=[community.pk]), 403),
    ]:
        response = client.get(url)
        assert response.status_code == status
        assert csp_of(response) == CSP
        assert inline_code(response.content.decode()) == []


@pytest.mark.parametrize(
    ("html", "problem"),
    [
        ("<script>alert(1)</script>", "<script> without src"),
        ("<style>p{}</style>", "<style> element"),
        ('<p style="color:red">', "style= on <p>"),
        ('<rect style="fill:red"/>', "style= on <rect>"),
        ('<button onclick="go()">', "onclick= on <button>"),
        ('<a href=" JavaScript:go()">', "javascript: URL in href= of <a>"),
    ],
)
def test_the_finder_sees_inline_code(html, problem):
    assert inline_code(f'<html><body><script src="/static/x.js"></script>{html}</body></html>') == [problem]
