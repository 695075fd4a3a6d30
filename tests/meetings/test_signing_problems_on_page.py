"""The signing problems on the meeting page of a draft are checked on the rows the page has read for the document
and the editor (``signing_agenda`` in meetings/models/protocols.py), not read again."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings.models import Attendance, Decision, Protocol, Speaker
from tests.browser_forms import text
from tests.factories import AssignmentFactory, SpeakerFactory


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})


def get(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries.captured_queries]


def test_the_draft_page_checks_signing_on_the_rows_it_shows(client, draft_protocol, leader, member):
    """The signing problems on the editor's page are those of ``Protocol.signing_problems`` read from the database,
    found in the rows the page has read already: each table of the questions is read once."""
    meeting = draft_protocol.meeting
    Attendance.objects.filter(meeting=meeting, teacher=member).update(present=False)
    item = meeting.agenda.get()
    SpeakerFactory(agenda_item=item, order=5, part=Speaker.Part.SPOKE, teacher=member, text="Поддержала.")
    decision = item.decisions.get()
    AssignmentFactory(decision=decision, responsible=member)
    Decision.objects.filter(pk=decision.pk).update(vote=Decision.Vote.COUNTED, votes_for=5, votes_against=0)
    expected = [str(problem) for problem in Protocol.objects.get(pk=draft_protocol.pk).signing_problems(leader)]
    assert len(expected) == 3  # the vote, the speaker, the responsible

    client.force_login(leader.user)
    response, queries = get(client, detail_url(meeting))

    page = text(response)
    assert all(message in page for message in expected)
    for table in ("meetings_speaker", "meetings_decision", "meetings_assignment"):
        assert len([sql for sql in queries if f'FROM "{table}"' in sql]) == 1, table
