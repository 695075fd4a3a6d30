"""Nothing contradictory gets signed (issue 11, item 5): attendance confirmed by the leader, every responsible person
among those present, quorum recorded, and every problem linked to where it is fixed. The rules live in
``Protocol.signing_problems``, so ``protocol_sign`` — the admin's and commands' path too — obeys them."""

from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings.models import Attendance, Meeting, Protocol
from meetings.protocol_content import load_protocol, protocol_content
from meetings.services import meeting_attendance_save, protocol_sign
from tests.browser_forms import form_fields, login, text
from tests.conftest import build_protocol
from tests.factories import PAST_YEAR_START, AssignmentFactory, MembershipFactory, TeacherFactory

pytestmark = pytest.mark.django_db

UNCONFIRMED = "Присутствие не подтверждено: откройте «Присутствие», проверьте, кто был на заседании, и сохраните."


def sign_url(meeting):
    return reverse("meetings:sign", kwargs={"meeting_pk": meeting.pk})


def unconfirm(protocol):
    Meeting.objects.filter(pk=protocol.meeting_id).update(attendance_confirmed_at=None, attendance_confirmed_by=None)
    return Protocol.objects.get(pk=protocol.pk)


def rows(meeting, absent=()):
    return [
        {
            "teacher": row.teacher,
            "present": row.teacher not in absent,
            "absence_reason": "болезнь" * (row.teacher in absent),
        }
        for row in meeting.attendance.select_related("teacher")
    ]


# --- a) attendance confirmed by the leader ------------------------------------------------------------------------


def test_prefilled_attendance_never_opened_is_not_signed(draft_protocol, leader):
    protocol = unconfirm(draft_protocol)

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=protocol, user=leader.user)

    assert error.value.messages == [UNCONFIRMED]


def test_saving_the_attendance_confirms_it_and_the_protocol_is_signed(draft_protocol, leader):
    protocol = unconfirm(draft_protocol)
    meeting = protocol.meeting

    meeting_attendance_save(
        meeting=meeting, expected_version=meeting.version, attendance=rows(meeting), guests=[], confirmed_by=leader
    )

    meeting.refresh_from_db()
    assert meeting.attendance_confirmed_by == leader
    assert meeting.attendance_confirmed_at is not None
    assert protocol_sign(protocol=protocol, user=leader.user).is_signed


def test_the_attendance_page_records_who_confirmed(client, draft_protocol, leader):
    meeting = unconfirm(draft_protocol).meeting
    login(client, leader)
    url = reverse("meetings:attendance", kwargs={"meeting_pk": meeting.pk})

    assert client.post(url, form_fields(client.get(url))).status_code == 302

    meeting.refresh_from_db()
    assert meeting.attendance_confirmed_by == leader


def test_attendance_saved_in_the_admin_confirms_it(admin_client, draft_protocol, leader, member):
    meeting = unconfirm(draft_protocol).meeting
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    data = form_fields(admin_client.get(url), containing="topic")
    absent = next(key for key, value in data.items() if value == str(member.pk) and key.endswith("-teacher"))
    data.pop(absent.replace("-teacher", "-present"), None)

    response = admin_client.post(url, data)

    assert response.status_code == 302, text(response)
    meeting.refresh_from_db()
    assert meeting.attendance_confirmed_at is not None
    assert Attendance.objects.get(meeting=meeting, teacher=member).present is False


# --- b) every responsible person is among those present ------------------------------------------------------------


def test_an_absent_responsible_person_blocks_signing_with_name_and_decision(draft_protocol, leader, member):
    decision = draft_protocol.meeting.agenda.get().decisions.get()
    AssignmentFactory(decision=decision, responsible=member)
    Attendance.objects.filter(meeting=draft_protocol.meeting, teacher=member).update(present=False)

    with pytest.raises(ValidationError) as error:
        protocol_sign(protocol=draft_protocol, user=leader.user)

    assert error.value.messages == [
        "Решение 1.1: ответственный Кузнецов И.П. не отмечен(а) среди присутствовавших — отметьте присутствие или "
        "назначьте другого ответственного."
    ]


def test_a_present_responsible_person_is_signed(draft_protocol, leader, member):
    AssignmentFactory(decision=draft_protocol.meeting.agenda.get().decisions.get(), responsible=member)

    assert protocol_sign(protocol=draft_protocol, user=leader.user).is_signed


# --- c) quorum -----------------------------------------------------------------------------------------------------


@pytest.fixture
def four_members(community, leader, member):
    others = [TeacherFactory(surname=surname) for surname in ("Антонова", "Белов")]
    for teacher in others:
        MembershipFactory(teacher=teacher, community=community, joined_on=PAST_YEAR_START)
    return [leader, member, *others]


def test_below_quorum_is_signed_and_recorded_and_printed(community, leader, member, four_members):
    protocol = build_protocol(community, leader, [leader, member])  # 2 of 4: not more than half

    signed = protocol_sign(protocol=protocol, user=leader.user)

    signed.refresh_from_db()
    assert (signed.quorum_present, signed.quorum_members, signed.quorum_reached) == (2, 4, False)
    assert protocol_content(load_protocol(signed.pk)).quorum == "Кворум отсутствовал: присутствовали 2 из 4."


def test_above_quorum_prints_nothing_of_it(community, leader, member, four_members):
    protocol = build_protocol(community, leader, four_members[:3])  # 3 of 4

    signed = protocol_sign(protocol=protocol, user=leader.user)

    signed.refresh_from_db()
    assert signed.quorum_reached is True
    assert protocol_content(load_protocol(signed.pk)).quorum == ""


def test_the_quorum_is_a_setting(settings, community, leader, member, four_members):
    settings.PROTOCOL_QUORUM = Fraction(3, 4)
    protocol = build_protocol(community, leader, four_members[:3])  # 3 of 4 is not more than three quarters

    signed = protocol_sign(protocol=protocol, user=leader.user)

    signed.refresh_from_db()
    assert signed.quorum_reached is False


def test_protocol_signed_before_quorum_was_recorded_prints_as_before(signed_protocol):
    protocol = load_protocol(signed_protocol.pk)
    protocol.quorum_reached = None  # as the migration leaves the protocols signed before it (a signed row is frozen)

    assert protocol_content(protocol).quorum == ""


def test_sign_page_warns_below_quorum_and_still_offers_to_sign(client, community, leader, member, four_members):
    protocol = build_protocol(community, leader, [leader, member])
    login(client, leader)

    page = text(client.get(sign_url(protocol.meeting)))

    assert "Кворума нет: присутствовали 2 из 4 членов ПОС." in page
    assert "Подписать протокол</button>" in page


def test_sign_page_has_no_quorum_warning_above_it(client, community, leader, member, four_members):
    protocol = build_protocol(community, leader, four_members[:3])
    login(client, leader)

    assert "Кворума нет" not in text(client.get(sign_url(protocol.meeting)))


# --- d) every problem links to where it is fixed ----------------------------------------------------------------


def test_problems_link_to_the_page_that_fixes_them(client, draft_protocol, leader, member):
    protocol = unconfirm(draft_protocol)
    item = protocol.meeting.agenda.get()
    AssignmentFactory(decision=item.decisions.get(), responsible=member)
    Attendance.objects.filter(meeting=protocol.meeting, teacher=member).update(present=False)
    login(client, leader)
    detail = reverse("meetings:detail", kwargs={"meeting_pk": protocol.meeting_id})
    # Where the meeting page writes the protocol: its attendance part, the question's part opened.
    attendance = f"{detail}#attendance"
    question = f"{detail}?edit={item.pk}#q{item.pk}"

    for page in (text(client.get(sign_url(protocol.meeting))), text(client.get(detail))):
        assert f'<li data-problem="attendance"><a href="{attendance}" class="alert-link">{UNCONFIRMED}</a>' in page
        assert f'<li data-problem="decision-1-1"><a href="{question}" class="alert-link">Решение 1.1:' in page


def test_each_problem_has_a_stable_anchor_and_fix(draft_protocol, leader, member):
    protocol = unconfirm(draft_protocol)
    protocol.chair = None
    item = protocol.meeting.agenda.get()
    item.decisions.all().delete()

    problems = protocol.signing_problems(member)

    assert [(problem.anchor, problem.fix) for problem in problems] == [
        ("", None),  # not the leader: no page fixes it
        ("attendance", ("meetings:attendance", protocol.meeting_id)),
        ("question-1", ("meetings:agenda_edit", item.pk)),
        ("chair", ("meetings:edit", protocol.meeting_id)),
    ]
