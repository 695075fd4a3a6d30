"""The home page (reports.views.home): a member's open assignments, overdue ones marked as the model says."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import AgendaItemFactory, AssignmentFactory, DecisionFactory, MeetingFactory

pytestmark = pytest.mark.django_db


def new_assignment(community, responsible, *, deadline, text):
    meeting = MeetingFactory(community=community)
    decision = DecisionFactory(agenda_item=AgendaItemFactory(meeting=meeting, order=1), order=1)
    return AssignmentFactory(decision=decision, responsible=responsible, deadline=deadline, text=text)


def test_home_marks_only_assignments_past_their_deadline_as_overdue(client, community, member):
    today = timezone.localdate()
    yesterday, tomorrow = today - dt.timedelta(days=1), today + dt.timedelta(days=1)
    new_assignment(community, member, deadline=yesterday, text="Вчерашнее поручение")
    new_assignment(community, member, deadline=today, text="Сегодняшнее поручение")
    new_assignment(community, member, deadline=tomorrow, text="Завтрашнее поручение")
    client.force_login(member.user)

    response = client.get(reverse("home"))

    text = response.content.decode()
    assert response.status_code == 200
    assert text.count("просрочено: срок") == 1
    assert f"просрочено: срок {yesterday:%d.%m.%Y}" in text
    assert f"до {today:%d.%m.%Y}" in text
    assert f"до {tomorrow:%d.%m.%Y}" in text
