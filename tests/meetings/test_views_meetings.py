"""The meeting pages: a new meeting, the meeting page with its protocol, the meeting editor, attendance."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.activity import ActivityForm
from communities.models import Membership
from meetings.models import Attendance, Meeting, Protocol, ProtocolCorrection, Speaker
from meetings.services import protocol_create, protocol_sign
from tests.browser_forms import form_fields, login, text
from tests.conftest import appoint, build_protocol
from tests.factories import (
    PAST_MEETING_DATE,
    PAST_YEAR_START,
    AgendaItemFactory,
    AnnualPlanFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    GuestFactory,
    MeetingFactory,
    MembershipFactory,
    PlanItemFactory,
    SpeakerFactory,
    TeacherFactory,
)

pytestmark = pytest.mark.django_db


def assert_in_order(page: str, fragments: list[str]) -> None:
    """Each fragment is on the page, after the one before it."""
    position = 0
    for fragment in fragments:
        found = page.find(fragment, position)
        assert found != -1, f"{fragment!r} not found after position {position}"
        position = found + len(fragment)


def planned_meeting(community, **kwargs):
    return MeetingFactory(community=community, status=Meeting.Status.PLANNED, **kwargs)


# --- meeting_create ----------------------------------------------------------------------------------------------


def create_url(community):
    return reverse("meetings:create", kwargs={"pk": community.pk})


#: A planned meeting is planned ahead: a past date asks to mark it held or cancelled.
FUTURE = timezone.localdate() + dt.timedelta(days=30)


def new_meeting_data(**overrides):
    data = {
        "plan_item": "",
        "form": ActivityForm.SESSION,
        "date": FUTURE.isoformat()
        if overrides.get("status", Meeting.Status.PLANNED) == Meeting.Status.PLANNED
        else "2024-11-20",
        "time": "15:30",
        "place": "МОУ СШ № 3, каб. 5",
        "online_link": "",
        "topic": "Формирующее оценивание на уроках математики",
        "status": Meeting.Status.PLANNED,
    }
    return {**data, **overrides}


def test_leader_creates_a_planned_meeting(client, community, leader):
    login(client, leader)

    response = client.post(create_url(community), new_meeting_data())

    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})
    assert (meeting.community, meeting.date, meeting.time) == (community, FUTURE, dt.time(15, 30))
    assert meeting.status == Meeting.Status.PLANNED
    assert meeting.topic == "Формирующее оценивание на уроках математики"
    assert not Protocol.objects.exists()


def test_meeting_created_as_held_gets_a_protocol_and_attendance(client, community, leader, member):
    login(client, leader)

    response = client.post(create_url(community), new_meeting_data(status=Meeting.Status.HELD), follow=True)

    meeting = Meeting.objects.get()
    protocol = meeting.protocol
    assert (protocol.number, protocol.chair) == (1, leader)
    assert sorted(meeting.attendance.values_list("teacher__surname", "present")) == [
        ("Кузнецов", True),
        ("Смирнова", True),
    ]
    assert "создан черновик протокола № 1" in text(response)


@pytest.fixture
def secretary(community):
    teacher = TeacherFactory(surname="Белова", name="Нина", patronymic="Сергеевна", position="учитель информатики")
    MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START, role=Membership.Role.SECRETARY)
    return teacher


def selected(page: str, field: str) -> str:
    """The label of the option selected in the ``<select name=field>`` of the page ("" when none)."""
    select = re.search(rf'<select name="{field}"[^>]*>(.*?)</select>', page, re.S).group(1)
    option = re.search(r"<option [^>]*selected[^>]*>([^<]*)</option>", select)
    return option.group(1) if option else ""


def test_create_form_asks_the_chair_and_the_secretary_prefilled_with_positions(client, community, leader, secretary):
    login(client, leader)

    page = " ".join(client.get(create_url(community)).content.decode().split())

    assert selected(page, "chair") == f"Смирнова О.В., {leader.position}"
    assert selected(page, "secretary") == "Белова Н.С., учитель информатики"


def test_meeting_created_as_held_keeps_the_chair_and_the_secretary_chosen(client, community, leader, member, secretary):
    login(client, leader)

    client.post(
        create_url(community),
        new_meeting_data(status=Meeting.Status.HELD, chair=member.pk, secretary=secretary.pk),
    )

    protocol = Meeting.objects.get().protocol
    assert (protocol.chair, protocol.secretary) == (member, secretary)


def test_a_rejected_create_form_keeps_the_chair_and_the_secretary_typed(client, community, leader, member, secretary):
    login(client, leader)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        create_url(community),
        new_meeting_data(status=Meeting.Status.HELD, date=tomorrow.isoformat(), chair=secretary.pk, secretary=""),
    )

    page = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert (selected(page, "chair"), selected(page, "secretary")) == ("Белова Н.С., учитель информатики", "---------")
    assert not Meeting.objects.exists()


def test_create_form_refuses_a_chair_who_is_no_member_and_one_person_in_both_roles(
    client, community, leader, secretary
):
    stranger = TeacherFactory(surname="Посторонняя", name="Ирина", patronymic="Олеговна")
    MembershipFactory(teacher=stranger, community=community, joined_on=dt.date(2025, 1, 10))
    login(client, leader)

    page = text(
        client.post(
            create_url(community),
            new_meeting_data(status=Meeting.Status.HELD, chair=stranger.pk, secretary=stranger.pk),
        )
    )

    assert "Посторонняя И.О. не состоит в ПОС на дату заседания." in page
    assert "Председательствующий и секретарь — разные люди." in page
    assert not Meeting.objects.exists()


def test_a_planned_meeting_whose_date_has_passed_asks_to_be_marked(client, community, leader):
    login(client, leader)

    response = client.post(create_url(community), new_meeting_data(date="2024-11-20", topic="Прошедшее"))

    assert response.status_code == 200
    assert "Дата заседания прошла: отметьте его «Проведено»" in text(response)
    assert 'value="Прошедшее"' in text(response)
    assert not Meeting.objects.exists()


def test_the_status_comes_first_on_the_meeting_form(client, community, leader):
    login(client, leader)

    page = client.get(create_url(community)).content.decode()

    assert page.index('name="status"') < page.index('name="date"') < page.index('name="topic"')


def test_held_meeting_in_the_future_is_refused_on_the_form(client, community, leader):
    login(client, leader)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    response = client.post(
        create_url(community), new_meeting_data(status=Meeting.Status.HELD, date=tomorrow.isoformat(), topic="Завтра")
    )

    assert response.status_code == 200
    assert "Заседание не может быть проведено в будущем: проверьте дату или статус." in text(response)
    assert 'value="Завтра"' in text(response)
    assert not Meeting.objects.exists()


def test_create_form_offers_only_the_free_plan_items_of_this_community(client, community, leader, other_community):
    plan = AnnualPlanFactory(community=community)
    free = PlanItemFactory(plan=plan, topic="Свободное мероприятие")
    taken = PlanItemFactory(plan=plan, topic="Уже проведённое")
    MeetingFactory(community=community, plan_item=taken)
    foreign = PlanItemFactory(plan=AnnualPlanFactory(community=other_community), topic="Чужое мероприятие")
    login(client, leader)

    response = client.get(create_url(community))

    choices = [value for value, _ in response.context["form"].fields["plan_item"].choices if value]
    assert [choice.value for choice in choices] == [free.pk]
    assert "Чужое мероприятие" not in text(response)
    assert foreign.pk not in [choice.value for choice in choices]


def test_plan_item_prefills_topic_form_and_the_15th_of_its_month(client, community, leader):
    plan = AnnualPlanFactory(community=community)
    item = PlanItemFactory(plan=plan, month=3, topic="Круглый стол по оцениванию", form=ActivityForm.ROUND_TABLE)
    login(client, leader)

    response = client.get(create_url(community), {"plan_item": item.pk})

    fields = form_fields(response)
    assert fields["plan_item"] == str(item.pk)
    assert fields["topic"] == "Круглый стол по оцениванию"
    assert fields["form"] == ActivityForm.ROUND_TABLE
    assert fields["date"] == "2025-03-15"  # March of the 2024/2025 plan


def test_plan_item_with_a_date_prefills_that_date(client, community, leader):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=community), planned_on=dt.date(2024, 10, 3), month=None)
    login(client, leader)

    response = client.get(create_url(community), {"plan_item": item.pk})

    assert form_fields(response)["date"] == "2024-10-03"


@pytest.mark.parametrize("value", ["abc", "-1", "0", "99999999", "9" * 40, ""])
def test_bogus_plan_item_parameter_is_ignored(client, community, leader, value):
    login(client, leader)

    response = client.get(create_url(community), {"plan_item": value})

    assert response.status_code == 200
    assert form_fields(response)["topic"] == ""


def test_foreign_plan_item_parameter_is_ignored(client, community, leader, other_community):
    foreign = PlanItemFactory(plan=AnnualPlanFactory(community=other_community), topic="Чужое мероприятие")
    login(client, leader)

    response = client.get(create_url(community), {"plan_item": foreign.pk})

    assert response.status_code == 200
    assert form_fields(response)["topic"] == ""
    assert "Чужое мероприятие" not in text(response)


def test_forged_plan_item_of_another_community_is_a_form_error(client, community, leader, other_community):
    foreign = PlanItemFactory(plan=AnnualPlanFactory(community=other_community))
    login(client, leader)

    response = client.post(create_url(community), new_meeting_data(plan_item=foreign.pk))

    assert response.status_code == 200
    assert response.context["form"].errors["plan_item"]
    assert not Meeting.objects.exists()


def test_plan_item_of_another_academic_year_is_refused(client, community, leader):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=community))
    login(client, leader)

    response = client.post(create_url(community), new_meeting_data(plan_item=item.pk, date="2025-10-01"))

    assert response.status_code == 200
    assert "Дата заседания должна входить в 2024/2025 учебный год плана." in text(response)
    assert not Meeting.objects.exists()


def test_meeting_created_for_a_plan_item_is_linked_to_it(client, community, leader):
    item = PlanItemFactory(plan=AnnualPlanFactory(community=community))
    login(client, leader)

    client.post(create_url(community), new_meeting_data(plan_item=item.pk, status=Meeting.Status.HELD))

    assert Meeting.objects.get().plan_item == item


def test_department_creates_a_meeting(client, community, leader, admin_user):
    login(client, admin_user)

    assert client.get(create_url(community)).status_code == 200
    assert client.post(create_url(community), new_meeting_data()).status_code == 302
    assert Meeting.objects.filter(community=community).count() == 1


def test_member_and_methodist_may_not_create(client, community, member, methodist):
    for persona in (member, methodist):
        login(client, persona)
        assert client.get(create_url(community)).status_code == 403
        assert client.post(create_url(community), new_meeting_data()).status_code == 403
    assert not Meeting.objects.exists()


def test_outsider_and_other_leader_get_404_on_create(client, community, outsider, other_leader):
    for persona in (outsider, other_leader):
        login(client, persona)
        assert client.get(create_url(community)).status_code == 404
        assert client.post(create_url(community), new_meeting_data()).status_code == 404
    assert not Meeting.objects.exists()


# --- meeting_detail ----------------------------------------------------------------------------------------------


def detail_url(meeting):
    return reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})


def test_detail_shows_the_protocol_laid_out_like_the_document(client, community, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    absent = TeacherFactory(surname="Ёлкина", name="Вера", patronymic="Ивановна")
    MembershipFactory(teacher=absent, community=community)
    AttendanceFactory(meeting=meeting, teacher=absent, present=False, absence_reason="больничный лист")
    GuestFactory(meeting=meeting, full_name="Петрова Анна Сергеевна", position="методист", organization="ИОЦ")
    decision = meeting.agenda.get().decisions.get()
    decision.vote, decision.votes_for, decision.votes_against, decision.votes_abstained = "counted", 5, 0, 1
    decision.save()
    AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2024, 12, 1))
    login(client, member)

    page = text(client.get(detail_url(meeting)))

    expected = [
        "ПРОЕКТ",
        "ПРОТОКОЛ",
        "15.10.2024",
        "№ 1",
        "заседания профессионального обучающегося сообщества учителей математики",
        "Председательствующий – О.В. Смирнова",
        "Присутствовали:</span> Кузнецов И.П., Смирнова О.В.",
        "Отсутствовали:</span> Ёлкина В.И. (больничный лист)",
        "Приглашённые:</span> Петрова Анна Сергеевна, методист, ИОЦ",
        "ПОВЕСТКА ДНЯ:",
        "Докладчик: учитель, О.В. Смирнова",
        "1. СЛУШАЛИ:",
        "Смирнова О.В. – Докладчик рассказала об опыте.",
        "РЕШИЛИ (ПОСТАНОВИЛИ):",
        "1.1. Принять к сведению.",
        "Ответственный: Кузнецов И.П., срок – 01.12.2024.",
        "Голосовали: за – 5, против – 0, воздержались – 1.",
        "Выписка (PDF)",
    ]
    assert_in_order(page, expected)
    # The signature line, as printed: the position, «подпись», И.О. Фамилия.
    assert_in_order(page, ['"sig-position">Председательствующий</td>', "подпись", '"sig-name">О.В. Смирнова</td>'])


def test_member_sees_no_editing_buttons(client, member, draft_protocol):
    login(client, member)

    page = text(client.get(detail_url(draft_protocol.meeting)))

    for button in ("Изменить заседание", "Присутствие</a>", "Добавить вопрос", "Подписать</a>", "Удалить</button>"):
        assert button not in page


def test_leader_sees_editing_buttons_and_what_blocks_signing(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    AgendaItemFactory(meeting=meeting, order=2, question="Разное")
    login(client, leader)

    page = text(client.get(detail_url(meeting)))

    for url_name in ("edit", "attendance", "agenda_add", "sign"):
        assert reverse(f"meetings:{url_name}", kwargs={"meeting_pk": meeting.pk}) in page
    assert reverse("meetings:agenda_delete", kwargs={"item_pk": meeting.agenda.get(order=2).pk}) in page
    assert 'data-confirm="Удалить вопрос «Разное» с его решениями' in page
    assert "Протокол пока нельзя подписать:" in page
    assert "По вопросу 2 «Разное» не записано решение." in page


def test_a_protocol_signed_by_the_successor_shows_the_chair_and_the_signer(client, community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    appoint(community, member, starts_on=dt.date(2025, 1, 10), number="3-о")
    signed = protocol_sign(protocol=protocol, user=member.user)
    login(client, member)

    page = text(client.get(detail_url(signed.meeting)))

    signed_at = timezone.localtime(signed.signed_at)
    assert "Председательствующий – О.В. Смирнова" in page
    assert (
        f"Подписан руководителем ПОС: И.П. Кузнецов, {signed_at:%d.%m.%Y %H:%M} "
        "(председательствующий на заседании – О.В. Смирнова)"
    ) in page


def test_signed_protocol_shows_the_signature_and_corrections(client, leader, signed_protocol):
    ProtocolCorrection.objects.create(
        protocol=signed_protocol, author=leader, text="Читать «каб. 12» вместо «каб. 21».", reason="Опечатка"
    )
    login(client, leader)

    response = client.get(detail_url(signed_protocol.meeting))

    page = text(response)
    signed_at = timezone.localtime(signed_protocol.signed_at)
    assert f"Подписан: О.В. Смирнова, {signed_at:%d.%m.%Y %H:%M}" in page
    assert "ПРОЕКТ" not in page
    assert page.index("Подписан: О.В. Смирнова") < page.index("Читать «каб. 12» вместо «каб. 21».")
    assert "Основание: Опечатка" in page
    assert "Изменить заседание" not in page
    assert reverse("meetings:correction", kwargs={"meeting_pk": signed_protocol.meeting_id}) in page


def test_member_does_not_get_the_correction_form(client, member, signed_protocol):
    login(client, member)

    page = text(client.get(detail_url(signed_protocol.meeting)))

    assert reverse("meetings:correction", kwargs={"meeting_pk": signed_protocol.meeting_id}) not in page


def test_many_present_members_are_counted_and_listed_in_an_appendix(client, community, leader):
    members = [leader]
    for _ in range(16):
        teacher = TeacherFactory()
        MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
        members.append(teacher)
    protocol = build_protocol(community, leader, members)
    login(client, leader)

    page = text(client.get(detail_url(protocol.meeting)))

    assert "Присутствовали:</span> 17 человек (список прилагается)" in page
    assert "Приложение: Список присутствовавших на заседании (17 человек)." in page
    appendix = page[page.index("Приложение<br>к протоколу от 15.10.2024 № 1") :]
    assert_in_order(appendix, sorted((teacher.short_name for teacher in members), key=str.lower))


def test_planned_meeting_page_has_no_protocol(client, community, leader):
    meeting = planned_meeting(community, date=dt.date(2024, 11, 20), topic="Открытые уроки")
    login(client, leader)

    page = text(client.get(detail_url(meeting)))

    assert "Открытые уроки" in page
    assert "Запланировано" in page
    assert "ПРОТОКОЛ" not in page


def test_a_missing_meeting_is_404(client, methodist):
    login(client, methodist)

    assert client.get(reverse("meetings:detail", kwargs={"meeting_pk": 987654})).status_code == 404


def detail_queries(client, rows, community, leader):
    members = [leader]
    for _ in range(rows - 1):
        teacher = TeacherFactory()
        MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
        members.append(teacher)
    meeting = MeetingFactory(community=community)
    for teacher in members:
        AttendanceFactory(meeting=meeting, teacher=teacher, present=teacher is leader)
        GuestFactory(meeting=meeting)
    for order in range(1, rows + 1):
        item = AgendaItemFactory(meeting=meeting, order=order, speaker=members[order - 1])
        # Speakers of every kind: a member докладчик, an outside one, and one who spoke in the discussion.
        SpeakerFactory(agenda_item=item, order=2, teacher=None, full_name="Зайцева Наталья Викторовна")
        SpeakerFactory(agenda_item=item, order=3, part=Speaker.Part.SPOKE, teacher=members[-order], text="Поддержал.")
        # The first question gets ``rows`` points, the others one each: rows of every level grow.
        for point in range(1, (rows if order == 1 else 1) + 1):
            decision = DecisionFactory(agenda_item=item, order=point, votes_for=3)
            AssignmentFactory(decision=decision, responsible=members[point - 1])
    protocol = protocol_create(meeting=meeting)
    for number in range(rows):
        ProtocolCorrection.objects.create(protocol=protocol, author=leader, text=f"Исправление {number}", reason="-")
    client.force_login(leader.user)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(detail_url(meeting))
    assert response.status_code == 200
    # The leader's editor above it lists them too; the document is typeset (no-break spaces, collapsed here).
    document = " ".join(response.content.decode().split('id="protocol"', 1)[1].split())
    assert document.count("СЛУШАЛИ:") == rows
    assert document.count("Зайцева Н.В.") == rows
    return len(queries.captured_queries)


def test_detail_query_count_does_not_grow_with_rows(client, community, leader, other_community, other_leader):
    one = detail_queries(client, 1, community, leader)
    many = detail_queries(client, 25, other_community, other_leader)

    assert one == many


def test_signed_detail_query_count_does_not_grow_with_corrections(client, community, leader, member):
    counts = []
    for corrections in (1, 25):
        protocol = build_protocol(
            community, leader, [leader, member], date=PAST_MEETING_DATE + dt.timedelta(corrections)
        )
        protocol_sign(protocol=protocol, user=leader.user)
        for number in range(corrections):
            ProtocolCorrection.objects.create(
                protocol=protocol, author=leader, text=f"Исправление {number}", reason="-"
            )
        client.force_login(leader.user)
        with CaptureQueriesContext(connection) as queries:
            page = text(client.get(detail_url(protocol.meeting)))
        assert page.count("Основание: -") == corrections
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]


# --- meeting_edit ------------------------------------------------------------------------------------------------


def edit_url(meeting):
    return reverse("meetings:edit", kwargs={"meeting_pk": meeting.pk})


def test_leader_edits_the_meeting_and_its_protocol(client, community, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))
    data.update(
        {
            "topic": "Новая тема",
            "place": "Актовый зал",
            "protocol-place": "г. Тутаев, пр. 50-летия Победы",
            "protocol-secretary": str(member.pk),
            "protocol-attachments": "Презентация на 12 л.",
        }
    )

    response = client.post(edit_url(meeting), data)

    assert response.status_code == 302
    meeting.refresh_from_db()
    draft_protocol.refresh_from_db()
    assert (meeting.topic, meeting.place, meeting.version) == ("Новая тема", "Актовый зал", 2)
    assert (draft_protocol.place, draft_protocol.secretary, draft_protocol.chair) == (
        "г. Тутаев, пр. 50-летия Победы",
        member,
        leader,
    )
    assert draft_protocol.attachments == "Презентация на 12 л."


def test_turning_a_planned_meeting_into_held_creates_the_protocol(client, community, leader, member):
    meeting = planned_meeting(community)
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))
    assert "protocol-chair" not in data

    response = client.post(edit_url(meeting), {**data, "status": Meeting.Status.HELD})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.protocol.number == 1
    assert meeting.attendance.filter(present=True).count() == 2


def test_a_meeting_marked_held_later_gets_the_leader_and_the_secretary_in_its_protocol(
    client, community, leader, secretary
):
    meeting = planned_meeting(community)
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))

    client.post(edit_url(meeting), {**data, "status": Meeting.Status.HELD})

    protocol = Protocol.objects.get(meeting=meeting)
    assert (protocol.chair, protocol.secretary) == (leader, secretary)


def test_cancelling_needs_a_reason(client, community, leader):
    meeting = planned_meeting(community, topic="Как было")
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))

    response = client.post(edit_url(meeting), {**data, "status": Meeting.Status.CANCELLED, "topic": "Отменяем"})

    assert response.status_code == 200
    assert "Укажите причину отмены." in text(response)
    assert 'value="Отменяем"' in text(response)
    meeting.refresh_from_db()
    assert (meeting.status, meeting.topic) == (Meeting.Status.PLANNED, "Как было")

    response = client.post(edit_url(meeting), {**data, "status": Meeting.Status.CANCELLED, "cancel_reason": "Карантин"})

    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == (Meeting.Status.CANCELLED, "Карантин")


def test_meeting_with_a_protocol_stays_held(client, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))

    response = client.post(edit_url(meeting), {**data, "status": Meeting.Status.PLANNED})

    assert response.status_code == 200
    assert "У заседания есть протокол: оно должно оставаться проведённым." in text(response)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


def test_chair_and_secretary_must_be_members_on_the_meeting_date(client, community, leader, outsider, draft_protocol):
    late = TeacherFactory()
    MembershipFactory(teacher=late, community=community, joined_on=dt.date(2025, 1, 1))
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(edit_url(meeting)))

    for forged in (outsider, late):
        response = client.post(edit_url(meeting), {**data, "protocol-secretary": str(forged.pk)})

        assert response.status_code == 200
        assert response.context["protocol_form"].errors["secretary"]
    draft_protocol.refresh_from_db()
    assert draft_protocol.secretary is None


def test_signed_meeting_cannot_be_edited(client, leader, signed_protocol):
    meeting = signed_protocol.meeting
    login(client, leader)
    data = {"topic": "Подмена", "form": meeting.form, "date": "2024-10-15", "status": "held", "version": "1"}

    get = client.get(edit_url(meeting))
    post = client.post(edit_url(meeting), data)

    assert (get.status_code, post.status_code) == (403, 403)
    assert "Протокол подписан: изменить нельзя. Внесите исправление." in text(post)
    meeting.refresh_from_db()
    assert meeting.topic != "Подмена"


def test_member_may_not_edit_outsiders_do_not_see(client, member, outsider, other_leader, draft_protocol):
    meeting = draft_protocol.meeting
    for persona, status in ((member, 403), (outsider, 404), (other_leader, 404)):
        login(client, persona)
        assert client.get(edit_url(meeting)).status_code == status
        assert client.post(edit_url(meeting), {"topic": "Подмена", "version": "1"}).status_code == status
    meeting.refresh_from_db()
    assert meeting.topic != "Подмена"


# --- meeting_attendance ------------------------------------------------------------------------------------------


def attendance_url(meeting):
    return reverse("meetings:attendance", kwargs={"meeting_pk": meeting.pk})


@pytest.fixture
def held_without_attendance(community, leader, member):
    meeting = MeetingFactory(community=community)
    protocol_create(meeting=meeting)
    return meeting


def test_everybody_is_precheck_present_while_no_attendance_is_recorded(client, leader, member, held_without_attendance):
    login(client, leader)

    response = client.get(attendance_url(held_without_attendance))

    fields = form_fields(response)
    assert fields["attendance-TOTAL_FORMS"] == "2"
    assert (fields["attendance-0-present"], fields["attendance-1-present"]) == ("on", "on")
    assert_in_order(text(response), ["<tbody>", "Кузнецов И.П.", "Смирнова О.В.", "</tbody>"])


def test_recorded_attendance_is_shown_as_recorded(client, leader, member, draft_protocol):
    Attendance.objects.filter(teacher=member).update(present=False, absence_reason="командировка")
    login(client, leader)

    fields = form_fields(client.get(attendance_url(draft_protocol.meeting)))

    assert "attendance-0-present" not in fields  # Кузнецов, unchecked
    assert fields["attendance-0-absence_reason"] == "командировка"
    assert fields["attendance-1-present"] == "on"


def test_leader_saves_attendance_and_guests(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    GuestFactory(meeting=meeting, full_name="Старый Гость")
    login(client, leader)
    data = form_fields(client.get(attendance_url(meeting)))
    del data["attendance-0-present"]  # Кузнецов was absent
    data["attendance-0-absence_reason"] = "болезнь"
    data["guests-0-DELETE"] = "on"
    data.update(
        {
            "guests-TOTAL_FORMS": "3",
            "guests-2-full_name": "Петрова Анна Сергеевна",
            "guests-2-position": "методист",
            "guests-2-organization": "МУ ДПО «ИОЦ»",
        }
    )

    response = client.post(attendance_url(meeting), data)

    assert response.status_code == 302
    assert sorted(meeting.attendance.values_list("teacher__surname", "present", "absence_reason")) == [
        ("Кузнецов", False, "болезнь"),
        ("Смирнова", True, ""),
    ]
    assert list(meeting.guests.values_list("full_name", "position", "organization")) == [
        ("Петрова Анна Сергеевна", "методист", "МУ ДПО «ИОЦ»")
    ]
    meeting.refresh_from_db()
    assert meeting.version == 2


def test_forged_attendee_from_outside_the_community_is_a_form_error(client, leader, outsider, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(attendance_url(meeting)))
    data["attendance-0-teacher"] = str(outsider.pk)

    response = client.post(attendance_url(meeting), data)

    assert response.status_code == 200
    assert response.context["attendance"].forms[0].errors["teacher"]
    assert not meeting.attendance.filter(teacher=outsider).exists()


def test_the_same_member_twice_is_refused(client, leader, member, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    data = form_fields(client.get(attendance_url(meeting)))
    data["attendance-1-teacher"] = data["attendance-0-teacher"]
    del data["attendance-1-present"]

    response = client.post(attendance_url(meeting), data)

    assert response.status_code == 200
    assert "отмечен(а) в списке дважды" in text(response)
    assert meeting.attendance.filter(present=True).count() == 2


def test_attendance_of_a_planned_meeting_sends_back_to_the_meeting(client, community, leader):
    meeting = planned_meeting(community)
    login(client, leader)

    response = client.get(attendance_url(meeting), follow=True)

    assert response.redirect_chain == [(detail_url(meeting), 302)]
    assert "У заседания нет протокола" in text(response)


def test_attendance_of_a_signed_protocol_cannot_change(client, leader, member, signed_protocol):
    meeting = signed_protocol.meeting
    login(client, leader)
    data = {
        "version": "1",
        "attendance-TOTAL_FORMS": "1",
        "attendance-INITIAL_FORMS": "1",
        "attendance-0-teacher": str(member.pk),
        "attendance-0-absence_reason": "подмена",
        "guests-TOTAL_FORMS": "0",
        "guests-INITIAL_FORMS": "0",
    }

    assert client.get(attendance_url(meeting)).status_code == 403
    assert client.post(attendance_url(meeting), data).status_code == 403
    assert meeting.attendance.filter(present=True).count() == 2


def test_member_may_not_mark_attendance_outsiders_do_not_see(client, member, outsider, other_leader, draft_protocol):
    meeting = draft_protocol.meeting
    for persona, status in ((member, 403), (outsider, 404), (other_leader, 404)):
        login(client, persona)
        assert client.get(attendance_url(meeting)).status_code == status
        assert client.post(attendance_url(meeting), {"version": "1"}).status_code == status
    assert meeting.attendance.filter(present=True).count() == 2


def test_attendance_page_query_count_does_not_grow_with_members(client, community, leader, draft_protocol):
    meeting = draft_protocol.meeting
    login(client, leader)
    counts = []
    for extra_members in (0, 23):
        for _ in range(extra_members):
            teacher = TeacherFactory()
            MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
            GuestFactory(meeting=meeting)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(attendance_url(meeting))
        assert response.context["attendance"].total_form_count() == 2 + extra_members
        counts.append(len(queries.captured_queries))

    assert counts[0] == counts[1]
