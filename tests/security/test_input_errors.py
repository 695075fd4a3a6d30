"""Bad input is answered with a form error or 400, never a server error (issue 14, item 2)."""

import pytest
from django.contrib import admin

from communities.admin.base import SafeAutocompleteMixin
from communities.models import LeaderAppointment
from meetings.models import Meeting
from tests.communities.test_admin import admin_url
from tests.factories import AgendaItemFactory, MeetingFactory


@pytest.mark.parametrize("url", ["/communities/?q=%00", "/teachers/?q=%00"])
def test_a_nul_byte_in_a_search_is_a_bad_request(admin_client, url):
    assert admin_client.get(url).status_code == 400


def test_a_nul_byte_in_a_posted_value_is_a_bad_request(admin_client, community):
    response = admin_client.post(admin_url(Meeting, "add"), {"topic": "a\x00b", "community": community.pk})

    assert response.status_code == 400


def test_the_member_add_search_with_a_nul_byte_is_a_bad_request(client, leader, community):
    client.force_login(leader.user)

    response = client.get(f"/communities/{community.pk}/members/add/?q=%00")

    assert response.status_code == 400


def test_a_non_numeric_id_in_an_autocomplete_field_is_a_form_error(admin_client, community):
    response = admin_client.post(
        admin_url(LeaderAppointment, "add"),
        {
            "community": "abc",
            "teacher": "x1",
            "order_number": "1",
            "order_date": "01.09.2024",
            "starts_on": "01.09.2024",
        },
    )

    assert response.status_code == 200
    assert "community" in response.context["adminform"].form.errors


@pytest.mark.parametrize(("total", "initial"), [(1, "-1"), (1, "2"), ("x", "0"), ("1", "")])
def test_a_formset_count_that_is_not_one_is_a_bad_request(admin_client, community, total, initial):
    meeting = MeetingFactory(community=community)
    AgendaItemFactory(meeting=meeting)
    data = {
        "community": community.pk,
        "form": meeting.form,
        "topic": "Тема",
        "date": meeting.date.strftime("%d.%m.%Y"),
        "status": meeting.status,
    }
    for prefix in ("attendance", "guests", "agenda"):
        data |= {f"{prefix}-TOTAL_FORMS": total, f"{prefix}-INITIAL_FORMS": initial}
    data |= {"agenda-0-order": 1, "agenda-0-question": "Вопрос", "guests-0-full_name": "Гость"}

    response = admin_client.post(admin_url(Meeting, "change", meeting.pk), data)

    assert response.status_code == 400
    assert meeting.agenda.count() == 1


def test_every_admin_with_autocomplete_fields_survives_a_non_numeric_id():
    unsafe = [
        type(model_admin).__name__
        for model_admin in admin.site._registry.values()
        for inline in [model_admin, *(cls(model_admin.model, admin.site) for cls in model_admin.inlines)]
        if inline.autocomplete_fields and not isinstance(inline, SafeAutocompleteMixin)
    ]

    assert unsafe == []


def test_a_model_message_about_a_read_only_field_shows_above_the_admin_form(admin_client, community, leader):
    appointment = LeaderAppointment.objects.get(teacher=leader)

    response = admin_client.post(
        admin_url(LeaderAppointment, "change", appointment.pk),
        {"starts_on": "01.01.1999", "order_number": "1", "order_date": "01.09.2024"},
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["starts_on"] == ["Укажите дату с 01.09.2000 по 31.08.2101."]
    assert form.non_field_errors() == ["Руководитель должен быть членом ПОС на дату начала руководства."]
