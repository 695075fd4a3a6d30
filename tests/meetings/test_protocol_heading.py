"""The head of a protocol's content (meetings.protocol_content): the organization, the heading, the place, time and
form of the meeting, and the officers' positions, read in the protocol's fixed number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from communities.activity import ActivityForm
from communities.models import Community, Organization
from meetings.protocol_content import load_protocol, meeting_form, protocol_content
from tests.conftest import appoint, build_protocol
from tests.factories import MeetingFactory, OrganizationFactory, TeacherFactory

pytestmark = pytest.mark.django_db


def test_the_heading_names_the_ioc_the_meeting_and_the_officers_without_a_query(community, leader, member):
    Organization.objects.create(kind=Organization.Kind.IOC, short_name="ИОЦ ТМР", full_name="МУ ДПО «ИОЦ» ТМР")
    protocol = build_protocol(community, leader, [leader, member])
    meeting = protocol.meeting
    meeting.time, meeting.place, meeting.form = dt.time(14, 0), "МОУ СШ № 6, актовый зал", ActivityForm.ROUND_TABLE
    meeting.save()
    protocol.secretary = member
    protocol.save()
    loaded = load_protocol(protocol.pk)
    with CaptureQueriesContext(connection) as reading:
        content = protocol_content(loaded)
    assert reading.captured_queries == []
    heading = content.heading
    assert heading.organization == "МУ ДПО «ИОЦ» ТМР"
    assert heading.title == "заседания профессионального обучающегося сообщества учителей математики"
    assert (heading.meeting_place, heading.time, heading.form) == (
        "МОУ СШ № 6, актовый зал",
        dt.time(14, 0),
        "тематический «круглый стол»",
    )
    assert content.chair_position == f"учитель ({leader.organization.short_name})"
    assert content.secretary_position == f"учитель ({member.organization.short_name})"


def test_an_institutional_community_prints_its_organization_and_bare_positions():
    school = OrganizationFactory(full_name="Муниципальное дошкольное образовательное учреждение «Детский сад № 34»")
    community = Community.objects.create(
        name="ПОС воспитателей «Радуга»", level=Community.Level.INSTITUTIONAL, organization=school
    )
    leader = TeacherFactory(organization=school, position="воспитатель")
    appoint(community, leader)
    content = protocol_content(load_protocol(build_protocol(community, leader, [leader]).pk))
    assert content.heading.organization == school.full_name
    assert content.heading.title == "заседания профессионального обучающегося сообщества воспитателей «Радуга»"
    assert content.chair_position == "воспитатель"


@pytest.mark.parametrize(
    ("place", "link", "expected"),
    [
        ("каб. 12", "", "заседание"),
        ("", "https://example.org/meet", "заседание, дистанционно"),
        ("каб. 12", "https://example.org/meet", "заседание, очно и дистанционно"),
    ],
)
def test_the_form_says_whether_the_meeting_was_held_online(place, link, expected):
    assert meeting_form(MeetingFactory.build(place=place, online_link=link)) == expected
