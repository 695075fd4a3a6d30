"""A double click creates one thing: every create form carries a one-time token (``communities/submissions.py``),
and the same rendered form sent twice saves once; the second answer goes where the first one led."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from communities.activity import ActivityForm
from communities.models import AnnualPlan, Community, FormSubmission, Material, Membership, Teacher
from communities.submissions import FIELD, KEPT_FOR, forget_old_submissions
from meetings.models import AgendaItem, Meeting, ProtocolCorrection
from pos_portal.academic_year import AcademicYear
from tests.browser_forms import form_fields, login, text
from tests.factories import AnnualPlanFactory, OrganizationFactory, PlanItemFactory

pytestmark = pytest.mark.django_db

ALREADY_SAVED = "Уже сохранено"


def rendered(client, page_url, index=0, **fields):
    """The create form of ``page_url`` as a browser has it (with its token), filled in with ``fields``."""
    data = form_fields(client.get(page_url), containing=FIELD, index=index)
    data.update(fields)
    return data


def post_twice(client, url, data):
    """The same rendered form sent twice, as a double click does; the second answer followed."""
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def assert_second_goes_to_the_first(first, second):
    assert first.status_code == 302
    assert second.redirect_chain[0] == (first["Location"], 302)
    assert ALREADY_SAVED in text(second)


def meeting_fields(**overrides):
    return {
        "form": ActivityForm.SESSION,
        "date": "2024-11-20",
        "time": "15:30",
        "place": "МОУ СШ № 3, каб. 5",
        "topic": "Формирующее оценивание на уроках математики",
        "status": Meeting.Status.HELD,
        **overrides,
    }


def test_double_click_on_the_meeting_form_creates_one_meeting(client, community, leader, member):
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})

    first, second = post_twice(client, url, rendered(client, url, **meeting_fields()))

    meeting = Meeting.objects.get()
    assert first["Location"] == reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})
    assert_second_goes_to_the_first(first, second)
    assert meeting.protocol.number == 1


def test_a_new_render_of_the_form_creates_a_second_meeting(client, community, leader):
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    client.post(url, rendered(client, url, **meeting_fields()))

    response = client.post(url, rendered(client, url, **meeting_fields(date="2024-12-18")))

    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_a_form_without_a_token_is_saved_as_before(client, community, leader):
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    ahead = (timezone.localdate() + dt.timedelta(days=30)).isoformat()  # a planned meeting is ahead
    data = rendered(client, url, **meeting_fields(status=Meeting.Status.PLANNED, date=ahead))
    del data[FIELD]

    responses = [client.post(url, data) for _ in range(2)]

    assert [response.status_code for response in responses] == [302, 302]
    assert Meeting.objects.count() == 2


def test_a_form_refused_with_errors_may_be_sent_again_with_the_same_token(client, community, leader):
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    data = rendered(client, url, **meeting_fields(date=""))

    assert client.post(url, data).status_code == 200
    response = client.post(url, {**data, "date": "2024-11-20"})

    assert response.status_code == 302
    assert Meeting.objects.count() == 1
    assert ALREADY_SAVED not in text(client.get(response["Location"]))


def test_double_click_on_the_correction_creates_one_correction(client, leader, signed_protocol):
    login(client, leader)
    meeting_url = reverse("meetings:detail", kwargs={"meeting_pk": signed_protocol.meeting_id})
    data = rendered(client, meeting_url, text="В п. 1.1 читать «до 20.12.2024».", reason="Служебная записка")

    first, second = post_twice(
        client, reverse("meetings:correction", kwargs={"meeting_pk": signed_protocol.meeting_id}), data
    )

    assert ProtocolCorrection.objects.count() == 1
    assert first["Location"] == meeting_url
    assert_second_goes_to_the_first(first, second)


def test_a_refused_correction_leaves_its_token_unused(client, leader, draft_protocol):
    """A redirect that says an error saved nothing: the token is not kept."""
    login(client, leader)
    url = reverse("meetings:correction", kwargs={"meeting_pk": draft_protocol.meeting_id})

    response = client.post(url, {FIELD: "0" * 32, "text": "Текст", "reason": "Причина"}, follow=True)

    assert "исправление — для подписанного" in text(response)
    assert not FormSubmission.objects.exists()


def test_double_click_on_a_new_question_creates_one_question(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    url = reverse("meetings:agenda_add", kwargs={"meeting_pk": meeting.pk})
    data = rendered(client, url, order="2", question="О плане на полугодие", **{"decisions-0-text": "Принять."})

    first, second = post_twice(client, url, data)

    assert list(AgendaItem.objects.filter(meeting=meeting).values_list("order", flat=True).order_by("order")) == [1, 2]
    assert first["Location"] == reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})
    assert_second_goes_to_the_first(first, second)


def test_double_click_on_a_new_material_creates_one_material(client, community, leader):
    login(client, leader)
    url = reverse("communities:material_add", kwargs={"pk": community.pk})
    data = rendered(client, url, title="Технологическая карта урока", kind="lesson", url="https://example.org/lesson")

    first, second = post_twice(client, url, data)

    assert Material.objects.count() == 1
    assert_second_goes_to_the_first(first, second)


def test_double_click_on_a_new_member_creates_one_member(client, community, leader):
    login(client, leader)
    url = reverse("communities:member_add", kwargs={"pk": community.pk})
    data = rendered(
        client,
        url,
        index=1,  # the second form: a teacher who is not in the directory yet
        **{
            "new-surname": "Орлова",
            "new-name": "Мария",
            "new-patronymic": "Сергеевна",
            "new-organization": str(OrganizationFactory().pk),
            "new-position": "учитель математики",
            "new-email": "orlova@example.org",
            "new-role": "member",
            "new-joined_on": "2025-09-01",
        },
    )

    first, second = post_twice(client, url, data)

    assert Teacher.objects.filter(surname="Орлова").count() == 1
    assert Membership.objects.filter(community=community, teacher__surname="Орлова").count() == 1
    assert_second_goes_to_the_first(first, second)


def test_double_click_on_a_new_community_creates_one_community(client, methodist):
    client.force_login(methodist)
    url = reverse("communities:create")
    data = rendered(client, url, name="ПОС логопедов", level="municipal", founded_on="2025-09-01")

    first, second = post_twice(client, url, data)

    assert Community.objects.filter(name="ПОС логопедов").count() == 1
    assert_second_goes_to_the_first(first, second)


def test_double_click_on_a_new_plan_goes_to_the_plan(client, community, leader):
    login(client, leader)
    url = reverse("communities:plan_create", kwargs={"pk": community.pk})
    data = rendered(client, url, academic_year="2025/2026", theme="Функциональная грамотность")

    first, second = post_twice(client, url, data)

    plan = AnnualPlan.objects.get(community=community)
    assert first["Location"] == reverse("communities:plan_edit", kwargs={"plan_pk": plan.pk})
    assert_second_goes_to_the_first(first, second)


def test_double_click_on_the_plan_copy_goes_to_the_copy(client, community, leader):
    plan = AnnualPlanFactory(community=community, academic_year=AcademicYear(2024))
    PlanItemFactory(plan=plan, month=10, form=ActivityForm.SESSION)
    login(client, leader)
    data = rendered(client, reverse("communities:detail", kwargs={"pk": community.pk}))

    first, second = post_twice(client, reverse("communities:plan_copy", kwargs={"pk": community.pk}), data)

    copy = AnnualPlan.objects.get(community=community, academic_year=AcademicYear(2025))
    assert first["Location"] == reverse("communities:plan_edit", kwargs={"plan_pk": copy.pk})
    assert_second_goes_to_the_first(first, second)


def test_a_token_is_one_users(client, community, leader, admin_user):
    """Another user's token is no way into what that user saved: for them it is a new form."""
    login(client, leader)
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    ahead = (timezone.localdate() + dt.timedelta(days=30)).isoformat()
    data = rendered(client, url, **meeting_fields(status=Meeting.Status.PLANNED, date=ahead))
    client.post(url, data)
    client.force_login(admin_user)

    response = client.post(url, data)

    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_tokens_older_than_a_day_are_forgotten(community, leader):
    old = FormSubmission.objects.create(user=leader.user, token="1" * 32, created_at=timezone.now() - KEPT_FOR)
    fresh = FormSubmission.objects.create(user=leader.user, token="2" * 32)

    assert forget_old_submissions(now=timezone.now() + dt.timedelta(seconds=1)) == 1
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not FormSubmission.objects.filter(pk=old.pk).exists()


@pytest.mark.concurrency
@pytest.mark.django_db(transaction=True)
def test_two_posts_of_one_form_at_the_same_moment_create_one_meeting(community, leader):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite has no concurrent writers; this runs in the PostgreSQL pass of CI.")
    url = reverse("meetings:create", kwargs={"pk": community.pk})
    browser = Client()
    browser.force_login(leader.user)
    data = rendered(browser, url, **meeting_fields())
    barrier = threading.Barrier(2)
    statuses, errors = [], []

    def post():
        try:
            double = Client()
            double.force_login(leader.user)
            barrier.wait()
            statuses.append(double.post(url, data).status_code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=post) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert statuses == [302, 302]
    assert Meeting.objects.count() == 1
    assert FormSubmission.objects.get().url == reverse(
        "meetings:detail", kwargs={"meeting_pk": Meeting.objects.get().pk}
    )
