"""The signed protocol's document on the meeting page is rendered once and then read from the cache
(meetings.signed_document): the next reader's page reads none of the document's rows and renders no document,
and a correction added to the signed protocol shows at once."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import signed_document
from meetings.models import AgendaItem, ProtocolCorrection
from meetings.services import protocol_sign
from tests.browser_forms import text

DOCUMENT_TABLES = ("meetings_attendance", "meetings_agendaitem", "meetings_decision", "meetings_speaker")


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


@pytest.fixture
def signed(draft_protocol, leader):
    AgendaItem.objects.filter(meeting=draft_protocol.meeting).update(question="О плане <b>на</b> год")
    return protocol_sign(protocol=draft_protocol, user=leader.user)


def test_the_second_reader_gets_the_document_from_the_cache(client, signed, leader, member, monkeypatch):
    client.force_login(leader.user)
    _first, first_queries = get(client, detail_url(signed.meeting))

    def no_render(meeting):
        raise AssertionError("the signed document was rendered again")

    monkeypatch.setattr(signed_document, "render_document", no_render)
    client.force_login(member.user)
    second, second_queries = get(client, detail_url(signed.meeting))

    assert text(second).count("СЛУШАЛИ:") == 1
    assert "О плане &lt;b&gt;на&lt;/b&gt; год" in second.content.decode()  # the user's text still escaped
    assert "<b>на</b>" not in second.content.decode()
    assert len(second_queries) < len(first_queries)
    assert not [sql for sql in second_queries if any(table in sql for table in DOCUMENT_TABLES)]


def test_a_new_correction_shows_at_once(client, signed, leader):
    client.force_login(leader.user)
    client.get(detail_url(signed.meeting))  # cached

    ProtocolCorrection.objects.create(protocol=signed, author=leader, text="Читать «каб. 12».", reason="Опечатка")
    page = text(client.get(detail_url(signed.meeting)))
    assert "Читать «каб. 12»." in page
    assert "Основание: Опечатка" in page


def test_the_cached_document_is_not_shown_to_whom_may_not_see_the_community(client, signed, leader, outsider):
    client.force_login(leader.user)
    client.get(detail_url(signed.meeting))  # cached

    client.force_login(outsider.user)
    assert client.get(detail_url(signed.meeting)).status_code == 404
