"""The annual plan is approved by the coordinator (issue 12, item 5): the leader sends it with the protocol of the
meeting where it was discussed; a methodist of the ИОЦ or the Department approves it or returns it with a comment;
nobody approves the plan of a community they lead; the PDF and the .docx print both requisites."""

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from communities import services
from communities.activity import ActivityForm
from communities.models import AnnualPlan, PlanItem
from communities.models.plans import ON_APPROVAL_MESSAGE, OWN_PLAN_MESSAGE, RETURN_NEEDS_COMMENT_MESSAGE
from communities.signals import plan_reviewed, plan_submitted
from meetings import services as meeting_services
from meetings.models import PlanDiscussion
from pos_portal.roles import METHODISTS_GROUP
from tests.conftest import build_protocol
from tests.factories import AnnualPlanFactory, PlanItemFactory, submit_directly

pytestmark = pytest.mark.django_db


def plan_of(community, sessions=4):
    plan = AnnualPlanFactory(community=community)
    for month in (9, 10, 11, 12, 1, 2)[:sessions]:
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    return plan


@pytest.fixture
def plan(community):
    return plan_of(community)


def submit(plan, protocol, teacher):
    return meeting_services.plan_submit(plan=plan, protocol=protocol, user=teacher.user)


class Received:
    def __init__(self, signal):
        self.calls = []
        signal.connect(self.receive)
        self.signal = signal

    def receive(self, sender, **kwargs):
        self.calls.append({"sender": sender, **kwargs})


@pytest.fixture
def received():
    receivers = {"submitted": Received(plan_submitted), "reviewed": Received(plan_reviewed)}
    yield receivers
    for receiver in receivers.values():
        receiver.signal.disconnect(receiver.receive)


# --- the rules ---------------------------------------------------------------------------------------------------


def test_the_leader_sends_the_plan_with_the_signed_protocol(
    plan, leader, signed_protocol, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submit(plan, signed_protocol, leader)

    plan.refresh_from_db()
    assert (plan.status, plan.submitted_by) == (AnnualPlan.Status.SUBMITTED, leader)
    assert plan.submitted_at is not None
    assert PlanDiscussion.objects.get(plan=plan).protocol == signed_protocol
    assert received["submitted"].calls == [
        {"sender": AnnualPlan, "signal": plan_submitted, "plan": plan, "by": leader.user}
    ]


def test_nothing_is_sent_for_a_rolled_back_submission(
    plan, leader, draft_protocol, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError) as error:
        submit(plan, draft_protocol, leader)

    assert error.value.message_dict["protocol"] == ["План рассматривают на заседании: выберите подписанный протокол."]
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT
    assert not PlanDiscussion.objects.exists()
    assert received["submitted"].calls == []


def test_the_protocol_is_of_the_same_community(plan, leader, other_community, other_leader):
    other = meeting_services.protocol_sign(
        protocol=build_protocol(other_community, other_leader, [other_leader]), user=other_leader.user
    )

    with pytest.raises(ValidationError) as error:
        submit(plan, other, leader)
    assert error.value.message_dict["protocol"] == ["Выберите протокол заседания этого же ПОС."]


def test_a_plan_short_of_sessions_is_not_sent(community, leader, signed_protocol):
    plan = plan_of(community, sessions=3)

    with pytest.raises(ValidationError) as error:
        submit(plan, signed_protocol, leader)
    assert "не хватает ещё 1" in error.value.messages[0]


@pytest.mark.parametrize("persona", ["member", "methodist", "admin_user"])
def test_only_the_leader_sends_the_plan(request, plan, leader, signed_protocol, persona):
    user = request.getfixturevalue(persona)
    with pytest.raises(PermissionDenied):
        meeting_services.plan_submit(plan=plan, protocol=signed_protocol, user=getattr(user, "user", user))
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT


def test_a_plan_on_approval_does_not_change(plan, leader, signed_protocol):
    submit(plan, signed_protocol, leader)
    plan.refresh_from_db()

    plan.theme = "Другая тема"
    with pytest.raises(ValidationError) as error:
        plan.full_clean()
    assert error.value.messages == [ON_APPROVAL_MESSAGE]
    with pytest.raises(ValidationError):
        PlanItem(plan=plan, month=3, topic="Ещё одно", form=ActivityForm.SESSION).full_clean()
    with pytest.raises(ValidationError):
        plan.items.first().delete()
    assert plan.items.count() == 4


@pytest.mark.parametrize("persona", ["methodist", "admin_user"])
def test_a_methodist_or_the_department_approves(
    request, plan, leader, signed_protocol, persona, received, django_capture_on_commit_callbacks
):
    user = request.getfixturevalue(persona)
    submit(plan, signed_protocol, leader)

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_review(plan=plan, user=user, approve=True)

    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (AnnualPlan.Status.APPROVED, user)
    assert received["reviewed"].calls == [
        {"sender": AnnualPlan, "signal": plan_reviewed, "plan": plan, "approved": True, "by": user, "comment": ""}
    ]


def test_a_return_needs_a_comment_and_the_plan_is_sent_again(
    plan, leader, methodist, signed_protocol, received, django_capture_on_commit_callbacks
):
    submit(plan, signed_protocol, leader)
    with pytest.raises(ValidationError) as error:
        services.plan_review(plan=plan, user=methodist, approve=False, comment="   ")
    assert error.value.message_dict["return_comment"] == [RETURN_NEEDS_COMMENT_MESSAGE]

    with django_capture_on_commit_callbacks(execute=True):
        services.plan_review(plan=plan, user=methodist, approve=False, comment=" Уточните результаты. ")
    plan.refresh_from_db()
    assert (plan.status, plan.return_comment, plan.returned_by) == ("returned", "Уточните результаты.", methodist)
    assert received["reviewed"].calls[0]["approved"] is False
    assert received["reviewed"].calls[0]["comment"] == "Уточните результаты."

    plan.theme = "Уточнённая тема"  # a returned plan is edited again
    plan.full_clean()
    plan.save()
    submit(plan, signed_protocol, leader)
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED


@pytest.mark.parametrize("persona", ["leader", "member", "outsider"])
def test_the_leader_and_the_members_never_approve(request, plan, leader, signed_protocol, persona):
    submit(plan, signed_protocol, leader)
    teacher = request.getfixturevalue(persona)

    with pytest.raises(PermissionDenied):
        services.plan_review(plan=plan, user=teacher.user, approve=True)
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED


def test_a_methodist_who_leads_the_community_does_not_approve_its_plan(plan, leader, signed_protocol, methodist):
    from django.contrib.auth.models import Group

    leader.user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    submit(plan, signed_protocol, leader)

    with pytest.raises(PermissionDenied) as error:
        services.plan_review(plan=plan, user=leader.user, approve=True)
    assert str(error.value) == OWN_PLAN_MESSAGE
    services.plan_review(plan=plan, user=methodist, approve=True)  # another methodist does


def test_only_a_plan_on_approval_is_reviewed(plan, methodist):
    with pytest.raises(ValidationError) as error:
        services.plan_review(plan=plan, user=methodist, approve=True)
    assert error.value.messages == ["Утвердить или вернуть можно только план на утверждении; этот план — «Черновик»."]


# --- the pages ---------------------------------------------------------------------------------------------------


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_the_submit_page_offers_the_signed_protocols_only(client, plan, leader, member, signed_protocol):
    draft = build_protocol(plan.community, leader, [leader, member], date=signed_protocol.meeting.date.replace(day=20))
    client.force_login(leader.user)

    text = client.get(reverse("meetings:plan_submit", args=[plan.pk])).content.decode()

    assert f"Протокол № {signed_protocol.number} от 15.10.2024" in text
    assert f'value="{draft.pk}"' not in text


def test_the_leader_submits_on_the_page(client, plan, leader, signed_protocol):
    client.force_login(leader.user)

    response = client.post(reverse("meetings:plan_submit", args=[plan.pk]), {"protocol": signed_protocol.pk})

    assert response.status_code == 302
    assert messages_of(response) == ["План на 2024/2025 учебный год отправлен на утверждение в ИОЦ."]
    plan.refresh_from_db()
    assert plan.is_submitted
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert "На утверждении" in page and "протокол № 1 от 15.10.2024" in page
    assert reverse("communities:plan_review", args=[plan.pk]) not in page  # no approving for the leader
    edit = client.get(reverse("communities:plan_edit", args=[plan.pk]))
    assert edit.status_code == 302 and messages_of(edit) == [ON_APPROVAL_MESSAGE]


def test_a_forged_protocol_is_a_form_error(client, plan, leader, draft_protocol):
    client.force_login(leader.user)

    response = client.post(reverse("meetings:plan_submit", args=[plan.pk]), {"protocol": draft_protocol.pk})

    assert response.status_code == 200
    assert "Выберите корректный вариант" in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT


@pytest.mark.parametrize(("persona", "status"), [("member", 403), ("methodist", 403), ("outsider", 404)])
def test_others_do_not_submit(request, client, plan, leader, signed_protocol, persona, status):
    user = request.getfixturevalue(persona)
    client.force_login(getattr(user, "user", user))

    assert (
        client.post(reverse("meetings:plan_submit", args=[plan.pk]), {"protocol": signed_protocol.pk}).status_code
        == status
    )
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.DRAFT


def test_the_methodist_reviews_on_the_plan_page(client, plan, methodist):
    submit_directly(plan)
    client.force_login(methodist)
    url = reverse("communities:plan_review", args=[plan.pk])
    assert f'action="{url}"' in client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()

    refused = client.post(url, {"action": "return", "comment": ""})
    assert refused.status_code == 400
    assert RETURN_NEEDS_COMMENT_MESSAGE in refused.content.decode()

    response = client.post(url, {"action": "return", "comment": "Добавьте <b>результаты</b>"})
    assert response.status_code == 302
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.RETURNED
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert "Добавьте &lt;b&gt;результаты&lt;/b&gt;" in page


def test_the_methodist_approves_on_the_plan_page(client, plan, methodist):
    submit_directly(plan)
    client.force_login(methodist)

    response = client.post(reverse("communities:plan_review", args=[plan.pk]), {"action": "approve"})

    assert response.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.approved_by) == (AnnualPlan.Status.APPROVED, methodist)


@pytest.mark.parametrize(("persona", "status"), [("leader", 403), ("member", 403), ("outsider", 404)])
def test_others_do_not_review(request, client, plan, leader, persona, status):
    submit_directly(plan)
    client.force_login(request.getfixturevalue(persona).user)

    assert client.post(reverse("communities:plan_review", args=[plan.pk]), {"action": "approve"}).status_code == status
    assert client.get(reverse("communities:plan_review", args=[plan.pk])).status_code in (405, 404)
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.SUBMITTED


# --- the documents -----------------------------------------------------------------------------------------------


def pdftotext(data: bytes) -> str:
    """The PDF as ``pdftotext -layout`` reads it (columns kept side by side)."""
    import subprocess

    command = ["/usr/bin/pdftotext", "-layout", "-", "-"]
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout.decode()


@pytest.fixture
def approved(plan, leader, signed_protocol):
    """The plan discussed at protocol № 1 of 15.10.2024 and approved by a methodist of the ИОЦ with a teacher
    profile (position «методист», organization МУ ДПО «ИОЦ» ТМР)."""
    from tests.factories import OrganizationFactory, TeacherFactory, methodist_user

    ioc = OrganizationFactory(kind="ioc", short_name="МУ ДПО «ИОЦ» ТМР", full_name="МУ ДПО «ИОЦ» ТМР полностью")
    user = methodist_user("ioc_methodist")
    TeacherFactory(
        user=user, surname="Петрова", name="Анна", patronymic="Сергеевна", position="методист", organization=ioc
    )
    submit(plan, signed_protocol, leader)
    services.plan_review(plan=plan, user=user, approve=True)
    plan.refresh_from_db()
    return plan


def test_the_pdf_prints_who_discussed_and_who_approved(client, approved, leader):
    from django.utils import timezone

    client.force_login(leader.user)
    text = pdftotext(client.get(reverse("reports:plan_pdf", args=[approved.pk])).content)
    lines = [line.strip() for line in text.splitlines() if line.strip()]

    approved_on = timezone.localdate(approved.approved_at).strftime("%d.%m.%Y")
    # Side by side: «РАССМОТРЕНО» on the left, «УТВЕРЖДАЮ» on the right of the same lines.
    assert lines[0].split() == ["РАССМОТРЕНО", "УТВЕРЖДАЮ"]
    head = " ".join(lines[:6])
    assert "на заседании ПОС," in head and "протокол № 1 от 15.10.2024" in head
    assert "Методист" in head and "МУ ДПО «ИОЦ» ТМР" in head
    assert "______________ А.С. Петрова" in head and approved_on in head
    assert "ПРОЕКТ" not in text
    assert "Руководитель ПОС" not in head  # the leader signs the plan, never approves it


def test_the_plans_table_is_set_at_12_pt(client, approved, leader):
    import io

    from pypdf import PdfReader

    client.force_login(leader.user)
    reader = PdfReader(io.BytesIO(client.get(reverse("reports:plan_pdf", args=[approved.pk])).content))
    sizes: dict[str, set] = {}

    def visit(text, cm, tm, font, size):
        if text.strip():  # WeasyPrint sets px scaled by the CTM: the size in pt is size × cm[0]
            sizes.setdefault(text.strip(), set()).add(round(size * tm[0] * cm[0], 1))

    reader.pages[0].extract_text(visitor_text=visit)
    table = {
        size for text, found in sizes.items() if "Тема заседания" in text or "Месяц (дата)" in text for size in found
    }
    assert table == {12.0}
    assert sizes["Мероприятия"] == {14.0}


def test_a_submitted_plan_prints_the_discussion_and_stays_a_draft(client, plan, leader, signed_protocol):
    submit(plan, signed_protocol, leader)
    client.force_login(leader.user)

    text = pdftotext(client.get(reverse("reports:plan_pdf", args=[plan.pk])).content)

    assert "РАССМОТРЕНО" in text and "протокол № 1 от 15.10.2024" in text
    assert "УТВЕРЖДАЮ" not in text and "ПРОЕКТ" in text


def test_the_word_plan_carries_the_same_requisites(client, approved, leader):
    from django.utils import timezone

    from tests.reports.docx_helpers import blocks, get_docx

    client.force_login(leader.user)
    lines = blocks(get_docx(client, reverse("reports:plan_docx", args=[approved.pk])))

    approved_on = timezone.localdate(approved.approved_at).strftime("%d.%m.%Y")
    assert lines[:8] == [
        "РАССМОТРЕНО",
        "на заседании ПОС,",
        "протокол № 1 от 15.10.2024",
        "УТВЕРЖДАЮ",
        "Методист",
        "МУ ДПО «ИОЦ» ТМР",
        "______________ А.С. Петрова",
        approved_on,
    ]


def test_the_department_reads_the_discussions_in_the_admin(admin_client, plan, leader, signed_protocol):
    submit(plan, signed_protocol, leader)
    discussion = PlanDiscussion.objects.get()

    changelist = admin_client.get(reverse("admin:meetings_plandiscussion_changelist"))
    change = admin_client.get(reverse("admin:meetings_plandiscussion_change", args=[discussion.pk]))

    assert changelist.status_code == change.status_code == 200
    assert "1 рассмотрение плана на заседании" in changelist.content.decode()
    assert admin_client.get(reverse("admin:meetings_plandiscussion_add")).status_code == 403
    assert admin_client.post(reverse("admin:meetings_plandiscussion_delete", args=[discussion.pk])).status_code == 403


def test_the_department_reviews_but_never_sends(client, plan, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert reverse("meetings:plan_submit", args=[plan.pk]) not in page
    assert client.get(reverse("meetings:plan_submit", args=[plan.pk])).status_code == 403

    submit_directly(plan)
    page = client.get(reverse("communities:plan_detail", args=[plan.pk])).content.decode()
    assert f'action="{reverse("communities:plan_review", args=[plan.pk])}"' in page
