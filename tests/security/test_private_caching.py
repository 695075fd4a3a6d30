"""A signed-in user's pages and downloads are never cached by a browser or a proxy (issue 14, item 8)."""

import pytest
from django.urls import reverse

from tests.communities.test_views_materials import download_url, stored_material
from tests.responses import read_body

PRIVATE = "private, no-store"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_an_authenticated_page_is_private_and_not_stored(client, community, member):
    client.force_login(member.user)

    response = client.get(reverse("communities:detail", kwargs={"pk": community.pk}))

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_a_material_download_is_private_and_not_stored(client, community, member):
    material = stored_material(community)
    client.force_login(member.user)

    response = client.get(download_url(material))
    read_body(response)

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_the_dashboard_export_is_private_and_not_stored(client, methodist):
    client.force_login(methodist)

    response = client.get(reverse("reports:dashboard_xlsx"))

    assert response["Cache-Control"] == PRIVATE


def test_the_login_page_keeps_its_own_never_cache(client):
    response = client.get(reverse("login"))

    assert "no-store" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
