"""The Department returns a plan with a comment from the admin, through the same ``plan_review`` as the plan's page;
the leader of the plan's community is refused there too."""

import pytest
from django.contrib import messages
from django.core import mail

from communities.models import AnnualPlan
from communities.models.plans import OWN_PLAN_MESSAGE, RETURN_NEEDS_COMMENT_MESSAGE
from pos_portal.academic_year import AcademicYear
from tests.communities.test_admin import admin_url
from tests.factories import AnnualPlanFactory, submit_directly

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [(message.level, message.message) for message in response.context["messages"]]


def return_via_admin(client, plan, **data):
    return client.post(
        admin_url(AnnualPlan), {"action": "return_with_comment", "_selected_action": [plan.pk], **data}, follow=True
    )


@pytest.fixture
def submitted(community):
    return submit_directly(AnnualPlanFactory(community=community))


def test_the_action_asks_for_the_comment_first(admin_client, submitted):
    response = return_via_admin(admin_client, submitted)

    assert response.status_code == 200
    assert response.templates[0].name == "admin/communities/annualplan/return_with_comment.html"
    page = response.content.decode()
    assert 'name="comment"' in page and str(submitted) in page
    submitted.refresh_from_db()
    assert submitted.status == AnnualPlan.Status.SUBMITTED


def test_a_return_without_a_comment_is_refused_on_the_page(admin_client, submitted):
    response = return_via_admin(admin_client, submitted, apply="yes", comment="   ")

    assert response.context["form"].errors["comment"] == [RETURN_NEEDS_COMMENT_MESSAGE]
    submitted.refresh_from_db()
    assert submitted.status == AnnualPlan.Status.SUBMITTED


def test_the_department_returns_the_plan_with_the_comment_and_the_leader_is_told(
    admin_client, admin_user, submitted, leader, django_capture_on_commit_callbacks
):
    leader.email = "smirnova@example.org"
    leader.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = return_via_admin(admin_client, submitted, apply="yes", comment="Добавьте заседание в марте.")

    assert messages_of(response) == [(messages.SUCCESS, "Возвращено на доработку планов: 1.")]
    submitted.refresh_from_db()
    assert (submitted.status, submitted.returned_by, submitted.return_comment) == (
        AnnualPlan.Status.RETURNED,
        admin_user,
        "Добавьте заседание в марте.",
    )
    [letter] = [message for message in mail.outbox if message.to == ["smirnova@example.org"]]
    assert letter.subject.startswith("План работы на ") and "возвращён" in letter.subject
    assert "Добавьте заседание в марте." in letter.body


def test_the_leader_of_the_community_does_not_return_its_plan(client, submitted, leader):
    leader.user.is_staff = leader.user.is_superuser = True  # the Department's user, who leads this community
    leader.user.save()
    client.force_login(leader.user)

    asked = return_via_admin(client, submitted)
    response = return_via_admin(client, submitted, apply="yes", comment="Доработать.")

    for page in (asked, response):  # no page asks for a comment: back to the list with the reason
        assert messages_of(page) == [(messages.ERROR, f"{submitted}: {OWN_PLAN_MESSAGE}")]
        assert 'name="comment"' not in page.content.decode()
    submitted.refresh_from_db()
    assert (submitted.status, submitted.return_comment) == (AnnualPlan.Status.SUBMITTED, "")


def test_a_draft_is_not_returned(admin_client, community):
    draft = AnnualPlanFactory(community=community)

    response = return_via_admin(admin_client, draft, apply="yes", comment="Доработать.")

    [(level, text)] = messages_of(response)
    assert level == messages.ERROR and "только план на утверждении" in text
    draft.refresh_from_db()
    assert draft.status == AnnualPlan.Status.DRAFT


def test_the_change_page_of_a_plan_on_approval_offers_the_return(admin_client, submitted, community):
    page = admin_client.get(admin_url(AnnualPlan, "change", submitted.pk)).content.decode()
    assert 'value="return_with_comment"' in page
    assert f'name="_selected_action" value="{submitted.pk}"' in page

    response = admin_client.post(
        admin_url(AnnualPlan), {"action": "return_with_comment", "_selected_action": submitted.pk}
    )  # what the button posts
    assert 'name="comment"' in response.content.decode()

    draft = AnnualPlanFactory(community=community, academic_year=AcademicYear(2025))
    draft_page = admin_client.get(admin_url(AnnualPlan, "change", draft.pk)).content.decode()
    assert 'value="return_with_comment"' not in draft_page


def test_the_leader_is_not_offered_the_return(client, submitted, leader):
    leader.user.is_staff = leader.user.is_superuser = True
    leader.user.save()
    client.force_login(leader.user)

    page = client.get(admin_url(AnnualPlan, "change", submitted.pk)).content.decode()

    assert 'value="return_with_comment"' not in page
