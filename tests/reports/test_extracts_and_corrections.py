"""Extracts by the rules and corrections on paper (issue 12, items 3 and 4), read back from the PDFs and the .docx.

- only a signed protocol gives an extract certified «Верно» (with «Подлинник хранится в …»); a draft's is «ПРОЕКТ»;
- where the protocol's list of those present is its annex, the extract says where that list is;
- a short question's extract fits on one page;
- a correction is its own numbered document, signed by the leader, stored once with its SHA-256; the signed
  protocol's stored bytes never change; the extract prints the corrected wording with a mark.
"""

import datetime as dt
import hashlib
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from meetings.models import ProtocolCorrection, SignedProtocolError, Speaker
from meetings.protocol_content import load_protocol
from meetings.services import protocol_correct, protocol_create, protocol_sign
from reports.docx.extract import extract_docx
from reports.models import CorrectionDocument, ProtocolDocument
from reports.protocol_pdf import extract_context, render_extract_pdf
from tests.conftest import build_protocol
from tests.factories import (
    PAST_MEETING_DATE,
    AgendaItemFactory,
    AssignmentFactory,
    AttendanceFactory,
    DecisionFactory,
    GuestFactory,
    MeetingFactory,
    MembershipFactory,
    SpeakerFactory,
    TeacherFactory,
)
from tests.reports.docx_helpers import get_docx, header_text, open_docx
from tests.reports.docx_helpers import normalize as docx_normalize
from tests.reports.pdf_helpers import pdf_text, reader

KEPT_AT = "делах ПОС учителей математики, МОУ СШ № 1"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PROTOCOL_ORIGINAL_KEPT_AT = KEPT_AT


def extract_pdf(protocol, order=1):
    protocol = load_protocol(protocol.pk)
    item = next(item for item in protocol.meeting.agenda.all() if item.order == order)
    return render_extract_pdf(protocol, item)


def docx_text(document) -> str:
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return docx_normalize(" ".join(parts))


def extract_docx_text(protocol, order=1):
    protocol = load_protocol(protocol.pk)
    item = next(item for item in protocol.meeting.agenda.all() if item.order == order)
    return docx_text(open_docx(extract_docx(extract_context(protocol, item))))


@pytest.fixture
def big_protocol(community, leader, member):
    """A signed protocol with 23 present (the list is its annex), 3 absent, 3 guests, a secretary, and a first
    question with a long СЛУШАЛИ, one who spoke and three decisions with assignments: a short question all the same,
    whose extract took two pages with 65 mm empty on the first."""
    secretary = TeacherFactory(surname="Белова", name="Нина", patronymic="Сергеевна")
    MembershipFactory(teacher=secretary, community=community)
    meeting = MeetingFactory(community=community, date=PAST_MEETING_DATE, place="МОУ СШ № 1, каб. 12")
    present = [leader, member, secretary]
    for index in range(20):
        teacher = TeacherFactory(surname=f"Иванова{index}")
        MembershipFactory(teacher=teacher, community=community)
        present.append(teacher)
    for teacher in present:
        AttendanceFactory(meeting=meeting, teacher=teacher)
    for index in range(3):
        teacher = TeacherFactory(surname=f"Петрова{index}")
        MembershipFactory(teacher=teacher, community=community)
        AttendanceFactory(
            meeting=meeting, teacher=teacher, present=False, absence_reason="курсы повышения квалификации"
        )
    meeting.attendance_confirm(leader)
    for _ in range(3):
        GuestFactory(meeting=meeting)
    first = AgendaItemFactory(
        meeting=meeting,
        order=1,
        question="О формирующем оценивании на уроках математики",
        speaker=leader,
        heard="Рассказала об опыте критериального оценивания. " * 3,
    )
    SpeakerFactory(
        agenda_item=first, order=2, part=Speaker.Part.SPOKE, teacher=member, text="предложил начать с седьмых классов."
    )
    for order in (1, 2, 3):
        decision = DecisionFactory(agenda_item=first, order=order, text=f"Провести серию открытых уроков {order}")
        AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2024, 12, 1))
    second = AgendaItemFactory(meeting=meeting, order=2, question="Об участии в конкурсе", speaker=member)
    DecisionFactory(agenda_item=second, order=1, text="Рекомендовать участие в конкурсе")
    protocol = protocol_create(meeting=meeting, secretary=secretary)
    return protocol_sign(protocol=protocol, user=leader.user)


def first_decision(protocol):
    return protocol.meeting.agenda.get(order=1).decisions.get(order=1)


def correct(
    protocol, author, *, decision=None, new_text="", text="Читать решение в новой редакции.", reason="Опечатка"
):
    return protocol_correct(
        protocol=protocol, author=author, text=text, reason=reason, decision=decision, new_text=new_text
    )


# --- Extracts ------------------------------------------------------------------------------------------------------


def test_a_draft_protocol_gives_an_uncertified_extract_marked_draft(draft_protocol):
    text = pdf_text(extract_pdf(draft_protocol))
    assert "ПРОЕКТ" in text
    assert "Верно" not in text
    assert "Подлинник" not in text
    protocol = load_protocol(draft_protocol.pk)
    document = open_docx(extract_docx(extract_context(protocol, protocol.meeting.agenda.all()[0])))
    assert header_text(document, first_page=True) == "ПРОЕКТ"
    assert "Верно" not in docx_text(document)


def test_a_signed_protocol_gives_an_extract_certified_with_where_the_original_is_kept(signed_protocol):
    text = pdf_text(extract_pdf(signed_protocol))
    assert "ПРОЕКТ" not in text
    today = timezone.localdate()
    assert f"Верно Руководитель ПОС подпись О.В. Смирнова {today:%d.%m.%Y}" in text
    assert f"Подлинник протокола хранится в {KEPT_AT}" in text
    docx = extract_docx_text(signed_protocol)
    assert "Верно" in docx and f"Подлинник протокола хранится в {KEPT_AT}" in docx


def test_the_original_is_kept_by_default_in_the_communitys_records(signed_protocol, settings, monkeypatch):
    monkeypatch.delenv("PROTOCOL_ORIGINAL_KEPT_AT", raising=False)
    settings.PROTOCOL_ORIGINAL_KEPT_AT = importlib.reload(
        importlib.import_module("pos_portal.settings")
    ).PROTOCOL_ORIGINAL_KEPT_AT
    assert "Подлинник протокола хранится в делах ПОС" in pdf_text(extract_pdf(signed_protocol))


def test_an_extract_says_where_the_annexed_list_of_those_present_is(big_protocol):
    text = pdf_text(extract_pdf(big_protocol))
    assert "список прилагается" not in text
    assert (
        "Присутствовали: 23 человека (список присутствовавших – приложение к протоколу № 1 от 15.10.2024, "
        f"хранится в {KEPT_AT})"
    ) in text
    assert "список прилагается" not in extract_docx_text(big_protocol)
    assert "приложение к протоколу № 1 от 15.10.2024" in extract_docx_text(big_protocol)


def test_a_short_questions_extract_fits_on_one_page(big_protocol):
    data = extract_pdf(big_protocol)
    assert len(reader(data).pages) == 1
    text = pdf_text(data)
    assert "1.3. Провести серию открытых уроков 3" in text and "Верно" in text


# --- Corrections ---------------------------------------------------------------------------------------------------


def test_corrections_are_numbered_per_protocol(signed_protocol, leader, community, member):
    first = correct(signed_protocol, leader)
    second = correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Новая редакция")
    other = protocol_sign(
        protocol=build_protocol(community, leader, [leader, member], date=dt.date(2024, 11, 20)), user=leader.user
    )
    assert [first.number, second.number, correct(other, leader).number] == [1, 2, 1]
    assert str(second) == "Исправление № 2 к протоколу № 1 от 15.10.2024"


def test_a_correction_targets_a_decision_of_its_own_protocol_with_its_new_wording(signed_protocol, leader, community):
    other = protocol_sign(
        protocol=build_protocol(community, leader, [leader], date=dt.date(2024, 11, 20)), user=leader.user
    )
    with pytest.raises(ValidationError, match="решение этого протокола"):
        correct(signed_protocol, leader, decision=first_decision(other), new_text="x")
    with pytest.raises(ValidationError, match="новую редакцию"):
        correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="")
    assert not ProtocolCorrection.objects.exists()


def test_a_correction_is_its_own_signed_document_stored_once_with_its_hash(big_protocol, leader):
    correction = correct(
        big_protocol,
        leader,
        decision=first_decision(big_protocol),
        new_text="Провести серию открытых уроков в восьмых классах",
        reason="Служебная записка секретаря от 20.10.2024",
    )
    document = CorrectionDocument.objects.get(correction=correction)
    data = document.read()
    assert hashlib.sha256(data).hexdigest() == document.sha256 and document.size == len(data)
    text = pdf_text(data)
    day = f"{correction.created_at:%d.%m.%Y}"
    for expected in (
        "ИСПРАВЛЕНИЕ № 1",
        "к протоколу № 1 от 15.10.2024",
        "заседания профессионального обучающегося сообщества",
        "Вопрос 1. О формирующем оценивании на уроках математики",
        "Пункт 1.1 решения",
        "Было: Провести серию открытых уроков 1",
        "Читать: Провести серию открытых уроков в восьмых классах",
        "Основание: Служебная записка секретаря от 20.10.2024",
        "Руководитель ПОС",
        "О.В. Смирнова",
        f"Подписано: О.В. Смирнова, {day}",
    ):
        assert expected in text, expected
    assert "ПРОЕКТ" not in text
    with pytest.raises(SignedProtocolError):
        document.save()
    with pytest.raises(SignedProtocolError):
        document.delete()


def test_the_signed_protocols_stored_bytes_never_change(client, signed_protocol, leader, member):
    stored = ProtocolDocument.objects.get(protocol=signed_protocol)
    before = hashlib.sha256(stored.read()).hexdigest()
    correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Новая редакция")
    correct(signed_protocol, leader)
    stored.refresh_from_db()
    assert stored.sha256 == before == hashlib.sha256(stored.read()).hexdigest()
    client.force_login(member.user)
    served = client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": signed_protocol.meeting_id})).content
    assert hashlib.sha256(served).hexdigest() == before


def test_the_extract_prints_the_corrected_wording_with_a_mark(signed_protocol, leader):
    old = first_decision(signed_protocol).text
    correction = correct(
        signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Одобрить план в новой редакции"
    )
    mark = f"(в редакции исправления № 1 от {correction.created_at:%d.%m.%Y})"
    text = pdf_text(extract_pdf(signed_protocol))
    assert f"1.1. Одобрить план в новой редакции {mark}" in text
    assert old not in text
    docx = extract_docx_text(signed_protocol)
    assert f"1.1. Одобрить план в новой редакции {mark}" in docx and old not in docx


def test_a_correction_of_the_question_is_printed_in_its_extract(signed_protocol, leader):
    item = signed_protocol.meeting.agenda.get(order=1)
    correction = protocol_correct(
        protocol=signed_protocol, author=leader, text="Докладчик – О.В. Смирнова.", reason="Опечатка", agenda_item=item
    )
    text = pdf_text(extract_pdf(signed_protocol))
    assert f"Исправление № 1 от {correction.created_at:%d.%m.%Y}: Докладчик – О.В. Смирнова." in text


def test_readers_download_the_correction_pdf_byte_for_byte(client, signed_protocol, leader, member, outsider):
    correction = correct(signed_protocol, leader)
    url = reverse("reports:correction_pdf", kwargs={"correction_pk": correction.pk})
    client.force_login(member.user)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == correction.document.read()
    assert "Ispravlenie-N-1" in response["Content-Disposition"]
    client.force_login(outsider.user)
    assert client.get(url).status_code == 404
    assert client.get(reverse("reports:correction_pdf", kwargs={"correction_pk": 10**9})).status_code == 404


def test_the_meeting_page_lists_the_corrections_with_links_to_their_pdfs(client, signed_protocol, leader, member):
    first = correct(signed_protocol, leader)
    second = correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Новая редакция")
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"meeting_pk": signed_protocol.meeting_id})).content.decode()
    for correction in (first, second):
        assert reverse("reports:correction_pdf", kwargs={"correction_pk": correction.pk}) in page
    assert "Исправление № 2 к протоколу № 1 от 15.10.2024" in page
    assert "п. 1.1" in page


def test_the_leader_corrects_a_decision_on_the_meeting_page(client, signed_protocol, leader):
    client.force_login(leader.user)
    decision = first_decision(signed_protocol)
    response = client.post(
        reverse("meetings:correction", kwargs={"meeting_pk": signed_protocol.meeting_id}),
        {"decision": decision.pk, "new_text": "Новая редакция", "text": "Уточнить решение.", "reason": "Опечатка"},
    )
    assert response.status_code == 302
    correction = ProtocolCorrection.objects.get()
    assert (correction.number, correction.decision, correction.new_text) == (1, decision, "Новая редакция")
    assert CorrectionDocument.objects.filter(correction=correction).exists()


def test_the_extract_in_word_follows_the_corrections(client, signed_protocol, leader):
    """The extract in Word of a corrected protocol reads as the PDF (one context)."""
    correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Новая редакция")
    client.force_login(leader.user)
    item = signed_protocol.meeting.agenda.get(order=1)
    document = get_docx(client, reverse("reports:extract_docx", kwargs={"item_pk": item.pk}))
    assert "Новая редакция (в редакции исправления № 1" in docx_text(document)


def test_the_department_adds_a_correction_of_a_decision_in_the_admin(admin_client, signed_protocol, leader):
    decision = first_decision(signed_protocol)
    url = reverse("admin:meetings_protocolcorrection_add")
    data = {"protocol": signed_protocol.pk, "author": leader.pk, "text": "Уточнить.", "reason": "Опечатка"}
    response = admin_client.post(url, {**data, "decision": decision.pk})
    assert "Укажите новую редакцию" in response.content.decode()  # refused, as typed
    assert not ProtocolCorrection.objects.exists()
    response = admin_client.post(url, {**data, "decision": decision.pk, "new_text": "Новая редакция"})
    assert response.status_code == 302
    correction = ProtocolCorrection.objects.get()
    assert (correction.number, correction.agenda_item) == (1, decision.agenda_item)
    assert correction.new_text == "Новая редакция"
    assert CorrectionDocument.objects.filter(correction=correction).exists()
    changelist = admin_client.get(reverse("admin:meetings_protocolcorrection_changelist")).content.decode()
    assert "п. 1.1 решения по вопросу 1" in changelist


def test_the_word_copy_of_a_corrected_protocol_names_its_corrections(client, signed_protocol, leader):
    correction = correct(signed_protocol, leader, decision=first_decision(signed_protocol), new_text="Новая редакция")
    client.force_login(leader.user)
    document = get_docx(client, reverse("reports:protocol_docx", kwargs={"meeting_pk": signed_protocol.meeting_id}))
    assert (
        "К протоколу внесены исправления (отдельные документы): "
        f"№ 1 от {correction.created_at:%d.%m.%Y} (п. 1.1 решения по вопросу 1)."
    ) in docx_text(document)


def test_a_correction_whose_document_fails_is_not_made(signed_protocol, leader, monkeypatch):
    def broken(correction, **options):
        raise OSError("disk full")

    monkeypatch.setattr("reports.protocol_pdf.render_correction_pdf", broken)
    with pytest.raises(OSError, match="disk full"):
        correct(signed_protocol, leader)
    assert not ProtocolCorrection.objects.exists()
    assert not CorrectionDocument.objects.exists()


def test_a_correction_prints_what_was_typed_as_text(signed_protocol, leader):
    payload = "<script>alert(1)</script>{{ 7*7 }}"
    correction = correct(
        signed_protocol, leader, decision=first_decision(signed_protocol), new_text=payload, text=payload
    )
    text = pdf_text(correction.document.read())
    assert f"Читать: {payload}" in text and f"Содержание исправления: {payload}" in text


def test_a_rejected_correction_keeps_what_was_typed(client, signed_protocol, leader):
    client.force_login(leader.user)
    decision = first_decision(signed_protocol)
    response = client.post(
        reverse("meetings:correction", kwargs={"meeting_pk": signed_protocol.meeting_id}),
        {"decision": decision.pk, "new_text": "", "text": "Уточнить решение 1.1.", "reason": "Записка секретаря"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Укажите новую редакцию исправляемого пункта решения." in page
    assert "Уточнить решение 1.1." in page and "Записка секретаря" in page
    assert f'<option value="{decision.pk}" selected>' in page
    assert not ProtocolCorrection.objects.exists()
