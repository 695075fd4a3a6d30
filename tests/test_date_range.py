"""Every stored date lies in the academic years 2000/2001 to 2100/2101, and a meeting within its community's life
(issue 14, item 1): an out-of-range date is a Russian form error, never a server error later."""

import datetime as dt

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from meetings.models import Meeting
from pos_portal.academic_year import DATE_OUT_OF_RANGE, validate_date
from tests.communities.test_admin import admin_url
from tests.conftest import build_protocol
from tests.factories import MeetingFactory
from tests.meetings.test_views_meetings import new_meeting_data

PORTAL_APPS = ("communities", "meetings", "reports")


def test_every_stored_date_of_the_apps_has_the_range():
    fields = [
        f"{model.__name__}.{field.name}"
        for app in PORTAL_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
        and not isinstance(field, models.DateTimeField)
        and validate_date not in field.validators
    ]

    assert fields == []


@pytest.mark.parametrize("date", ["0001-01-01", "9999-12-31", "1999-12-31", "2101-09-01"])
def test_a_planned_meeting_out_of_range_is_a_form_error(client, leader, community, date):
    client.force_login(leader.user)

    response = client.post(reverse("meetings:create", kwargs={"pk": community.pk}), new_meeting_data(date=date))

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [DATE_OUT_OF_RANGE]
    assert not Meeting.objects.exists()


def test_a_held_meeting_before_2000_is_a_form_error_in_the_admin(admin_client, community):
    response = admin_client.post(
        admin_url(Meeting, "add"),
        {
            "community": community.pk,
            "form": "session",
            "topic": "Тема",
            "date": "01.01.1999",
            "status": Meeting.Status.HELD,
            "guests-TOTAL_FORMS": 0,
            "guests-INITIAL_FORMS": 0,
            "agenda-TOTAL_FORMS": 0,
            "agenda-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["date"] == [DATE_OUT_OF_RANGE]


def test_a_meeting_before_its_community_was_founded_is_a_form_error(client, leader, community):
    client.force_login(leader.user)

    response = client.post(reverse("meetings:create", kwargs={"pk": community.pk}), new_meeting_data(date="2020-08-31"))

    assert response.context["form"].errors["date"] == ["Сообщество создано 01.09.2020: заседание не может быть раньше."]


@pytest.mark.parametrize("date", [dt.date(1, 1, 1), dt.date(9999, 12, 31)])
def test_the_admin_meeting_list_opens_with_a_date_stored_before_the_range(admin_client, community, date):
    meeting = MeetingFactory(community=community)
    Meeting.objects.filter(pk=meeting.pk).update(date=date)

    response = admin_client.get(admin_url(Meeting, "changelist"))

    assert response.status_code == 200


def test_a_protocol_checks_no_year_of_its_meeting_dated_out_of_range(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    protocol.meeting.date = dt.date(1, 1, 1)

    with pytest.raises(ValidationError) as error:
        protocol.meeting.full_clean()
    protocol.full_clean()  # the meeting's own field error says it; the protocol derives no year from it

    assert error.value.message_dict["date"] == [DATE_OUT_OF_RANGE]
