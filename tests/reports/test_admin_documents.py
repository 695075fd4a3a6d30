"""The stored signed documents in the admin: read only, with their hash, verification code and check page."""

import itertools

import pytest
from django.contrib import admin
from django.urls import reverse

from meetings.services import protocol_correct, protocol_sign
from reports.models import CorrectionDocument, ProtocolDocument
from tests.communities.test_admin import admin_url, assert_changelist_queries_constant
from tests.conftest import appoint, build_protocol, teacher_with_login
from tests.factories import CommunityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def documents(draft_protocol, leader):
    protocol = protocol_sign(protocol=draft_protocol, user=leader.user)
    correction = protocol_correct(protocol=protocol, author=leader, text="Читать «2025».", reason="Опечатка")
    return ProtocolDocument.objects.get(protocol=protocol), CorrectionDocument.objects.get(correction=correction)


@pytest.mark.parametrize("which", [0, 1])
def test_the_changelist_shows_the_document_and_links_the_check_page(admin_client, documents, which):
    document = documents[which]

    page = admin_client.get(admin_url(type(document))).content.decode()

    assert document.verification_code and document.verification_code in page
    assert reverse("reports:document_check", kwargs={"code": document.verification_code}) in page
    assert f"{document.sha256[:12]}…" in page
    assert "ПОС учителей математики" in page
    heading = "Протокол № 1 от " if which == 0 else "Исправление № 1 к протоколу № 1"
    assert heading in page


@pytest.mark.parametrize("which", [0, 1])
def test_nothing_is_added_changed_or_deleted(admin_client, documents, which):
    document = documents[which]
    model = type(document)

    assert admin_client.get(admin_url(model, "add")).status_code == 403
    change = admin_client.get(admin_url(model, "change", document.pk))
    assert change.status_code == 200  # read only: the view page
    assert 'name="_save"' not in change.content.decode()
    assert document.sha256 in change.content.decode()
    assert admin_client.post(admin_url(model, "change", document.pk), {}).status_code == 403
    assert admin_client.post(admin_url(model, "delete", document.pk), {"post": "yes"}).status_code == 403
    bulk = admin_client.post(admin_url(model), {"action": "delete_selected", "_selected_action": [document.pk]})
    assert model.objects.filter(pk=document.pk).exists()
    assert bulk.status_code in (200, 302)
    assert "delete_selected" not in admin.site._registry[model].get_actions(change.wsgi_request)


_logins = itertools.count()


def signed_with_correction():
    community = CommunityFactory()
    leader = teacher_with_login(f"leader{next(_logins)}")
    appoint(community, leader)
    protocol = protocol_sign(protocol=build_protocol(community, leader, [leader]), user=leader.user)
    protocol_correct(protocol=protocol, author=leader, text="Читать «2025».", reason="Опечатка")


@pytest.mark.parametrize("model", [ProtocolDocument, CorrectionDocument])
def test_changelist_queries_do_not_grow_with_documents(admin_client, model):
    assert_changelist_queries_constant(admin_client, model, signed_with_correction, rows=3)
