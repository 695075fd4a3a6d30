"""The protocol and the extract as PDF, read back with pypdf, and who may download them."""

import datetime as dt
import html
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from meetings.models import Decision, Speaker
from meetings.protocol_content import load_protocol, people
from meetings.services import protocol_create, protocol_sign
from reports.models import ProtocolDocument
from reports.protocol_pdf import render_extract_pdf, render_protocol_pdf
from tests.conftest import appoint, build_protocol
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
    UserFactory,
)
from tests.reports.pdf_helpers import last_body_line, normalize, page_texts, pdf_text, reader, top_margin_text

LONG_WORDS = "профессионального взаимодействия высококвалифицированных естественнонаучного сопровождения"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def full_protocol(community, leader, member):
    """Protocol № 1 of 15.10.2024: two questions with decisions, an assignment, votes, a secretary, an absent member
    and a guest."""
    secretary = TeacherFactory(surname="Белова", name="Нина", patronymic="Сергеевна")
    absent = TeacherFactory(surname="Орлова", name="Анна", patronymic="Петровна")
    for teacher in (secretary, absent):
        MembershipFactory(teacher=teacher, community=community)
    meeting = MeetingFactory(community=community, date=PAST_MEETING_DATE, place="МОУ СШ № 1, каб. 12")
    for teacher in (leader, member, secretary):
        AttendanceFactory(meeting=meeting, teacher=teacher)
    AttendanceFactory(meeting=meeting, teacher=absent, present=False, absence_reason="курсы повышения квалификации")
    meeting.attendance_confirm(leader)
    GuestFactory(meeting=meeting)
    first = AgendaItemFactory(
        meeting=meeting,
        order=1,
        question="О формирующем оценивании на уроках математики",
        speaker=leader,
        heard="Рассказала об опыте критериального оценивания.",
    )
    SpeakerFactory(
        agenda_item=first, order=2, part=Speaker.Part.SPOKE, teacher=member, text="предложил начать с седьмых классов."
    )
    decision = DecisionFactory(
        agenda_item=first, order=1, text="Провести серию открытых уроков", votes_for=2, votes_against=1
    )
    decision.votes_abstained = 0
    decision.save()
    AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2024, 12, 1))
    DecisionFactory(agenda_item=first, order=2, text="Обобщить опыт на сайте")
    second = AgendaItemFactory(meeting=meeting, order=2, question="Об участии в муниципальном конкурсе", speaker=member)
    DecisionFactory(agenda_item=second, order=1, text="Рекомендовать участие в конкурсе")
    return protocol_create(meeting=meeting, secretary=secretary)


def draft_pdf(protocol):
    return render_protocol_pdf(load_protocol(protocol.pk))


def test_draft_protocol_reads_back_with_every_part(full_protocol):
    text = pdf_text(draft_pdf(full_protocol))
    for expected in (
        "ПОС учителей математики",
        "ПРОТОКОЛ",
        "15.10.2024",
        "№ 1",
        "г. Тутаев",
        "заседания профессионального обучающегося сообщества учителей математики",
        "Председательствующий – О.В. Смирнова",
        "Секретарь – Н.С. Белова",
        "Присутствовали: Белова Н.С., Кузнецов И.П., Смирнова О.В.",  # alphabetical, «Фамилия И.О.»
        "Отсутствовали: Орлова А.П. (курсы повышения квалификации)",
        "Приглашённые: Петрова Анна Сергеевна, методист, МУ ДПО «ИОЦ» ТМР",
        "ПОВЕСТКА ДНЯ:",
        "1. О формирующем оценивании на уроках математики",
        "Докладчик: учитель, О.В. Смирнова",
        "2. Об участии в муниципальном конкурсе",
        "Докладчик: учитель, И.П. Кузнецов",
        "1. СЛУШАЛИ: Смирнова О.В. – Рассказала об опыте критериального оценивания.",
        "ВЫСТУПИЛИ: Кузнецов И.П. – предложил начать с седьмых классов.",
        "РЕШИЛИ (ПОСТАНОВИЛИ): 1.1. Провести серию открытых уроков",
        "Ответственный: Кузнецов И.П., срок – 01.12.2024.",
        "Голосовали: за – 2, против – 1, воздержались – 0.",
        "1.2. Обобщить опыт на сайте",
        "2. СЛУШАЛИ: Кузнецов И.П.",
        "2.1. Рекомендовать участие в конкурсе",
        "Председательствующий подпись О.В. Смирнова",
        "Секретарь подпись Н.С. Белова",
        "ПРОЕКТ",
    ):
        assert expected in text, expected
    assert "Подписан" not in text


def test_a_protocol_signed_by_the_successor_prints_who_chaired_and_who_signed(full_protocol, community, member):
    appoint(community, member, starts_on=dt.date(2025, 1, 10), number="3-о")
    signed = protocol_sign(protocol=full_protocol, user=member.user)

    text = pdf_text(ProtocolDocument.objects.get(protocol=signed).read())

    signed_at = timezone.localtime(signed.signed_at)
    for expected in (
        "Председательствующий – О.В. Смирнова",
        "Председательствующий подпись О.В. Смирнова",
        "Секретарь подпись Н.С. Белова",
        "Руководитель ПОС подпись И.П. Кузнецов",
        f"Подписан руководителем ПОС: И.П. Кузнецов, {signed_at:%d.%m.%Y %H:%M} "
        "(председательствующий на заседании – О.В. Смирнова)",
    ):
        assert expected in text, expected


def test_signed_protocol_has_no_draft_mark_and_says_who_signed_it(full_protocol, leader):
    signed = protocol_sign(protocol=full_protocol, user=leader.user)
    data = ProtocolDocument.objects.get(protocol=signed).read()
    text = pdf_text(data)
    assert "ПРОЕКТ" not in text
    assert "ПРОТОКОЛ" in text and "№ 1" in text and "15.10.2024" in text
    signed_at = timezone.localtime(signed.signed_at)
    assert f"Подписан: О.В. Смирнова, {signed_at:%d.%m.%Y %H:%M}" in text
    assert "Председательствующий подпись О.В. Смирнова" in text
    assert reader(data).metadata.title.startswith("Протокол № 1 от 15.10.2024")
    # The signatures never stand alone on a page: the last decision comes along.
    signature_page = next(text for text in map(normalize, page_texts(data)) if "Председательствующий подпись" in text)
    assert "2.1. Рекомендовать участие в конкурсе" in signature_page


def test_over_fifteen_present_gives_the_count_and_the_list_as_an_appendix(community, leader, member):
    others = [MembershipFactory(community=community).teacher for _ in range(16)]
    protocol = build_protocol(community, leader, [leader, member, *others])
    data = draft_pdf(protocol)
    text = pdf_text(data)
    assert "Присутствовали: 18 человек (список прилагается)" in text
    assert "Приложение: Список присутствовавших на заседании (18 человек)." in text
    appendix = normalize(page_texts(data)[-1])
    assert "Приложение к протоколу от 15.10.2024 № 1" in appendix
    assert "Список присутствовавших" in appendix
    for teacher in (leader, member, *others):
        assert teacher.short_name in appendix


@pytest.mark.parametrize(
    ("count", "word"),
    [
        (1, "человек"),
        (3, "человека"),
        (5, "человек"),
        (12, "человек"),
        (21, "человек"),
        (22, "человека"),
        (112, "человек"),
    ],
)
def test_people_plural(count, word):
    assert people(count) == word


def test_extract_of_one_question(full_protocol, leader):
    protocol_sign(protocol=full_protocol, user=leader.user)  # only a signed protocol's extract is certified
    protocol = load_protocol(full_protocol.pk)
    second = protocol.meeting.agenda.all()[1]
    today = dt.date(2025, 3, 3)
    text = pdf_text(render_extract_pdf(protocol, second, today=today))
    for expected in (
        "ВЫПИСКА ИЗ ПРОТОКОЛА",
        "15.10.2024",
        "№ 1",
        "г. Тутаев",
        "заседания профессионального обучающегося сообщества учителей математики",
        "Председательствующий – О.В. Смирнова",
        "Присутствовали: Белова Н.С., Кузнецов И.П., Смирнова О.В.",
        "2. Об участии в муниципальном конкурсе",
        "2. СЛУШАЛИ: Кузнецов И.П.",
        "РЕШИЛИ (ПОСТАНОВИЛИ): 2.1. Рекомендовать участие в конкурсе",
        "Председательствующий подпись О.В. Смирнова",
        "Секретарь подпись Н.С. Белова",
        "Верно Руководитель ПОС подпись О.В. Смирнова 03.03.2025",
    ):
        assert expected in text, expected
    assert "О формирующем оценивании" not in text
    assert "1.1." not in text


def test_long_protocol_numbers_pages_from_the_second_at_the_top(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member], questions=30)
    protocol = protocol_sign(protocol=protocol, user=leader.user)
    data = ProtocolDocument.objects.get(protocol=protocol).read()
    pages = reader(data).pages
    assert len(pages) >= 3
    assert top_margin_text(data, 0) == ""
    assert not normalize(pages[0].extract_text()).startswith("1")
    for index in range(1, len(pages)):
        assert top_margin_text(data, index) == str(index + 1)


def test_no_heading_or_decision_label_alone_at_the_foot_of_a_page(community, leader, member):
    meeting = MeetingFactory(community=community)
    for teacher in (leader, member):
        AttendanceFactory(meeting=meeting, teacher=teacher)
    for order in range(1, 41):
        item = AgendaItemFactory(
            meeting=meeting,
            order=order,
            speaker=leader,
            heard="Докладчик рассказала об опыте работы. " * (order % 7 + 1),
        )
        if order % 3:
            SpeakerFactory(
                agenda_item=item, order=2, part=Speaker.Part.SPOKE, teacher=member, text="Выступил. " * (order % 3)
            )
        DecisionFactory(agenda_item=item, text="Принять к сведению и использовать в работе. " * (order % 4 + 1))
    data = draft_pdf(protocol_create(meeting=meeting))
    count = len(reader(data).pages)
    assert count >= 5
    for index in range(count - 1):
        last = last_body_line(data, index)
        assert not last.endswith(("СЛУШАЛИ:", "ВЫСТУПИЛИ:", "РЕШИЛИ (ПОСТАНОВИЛИ):", "ПОВЕСТКА ДНЯ:")), (index, last)


def test_copied_text_reads_as_words(community, leader, member):
    protocol = build_protocol(community, leader, [leader, member])
    item = protocol.meeting.agenda.get()
    item.heard = (LONG_WORDS + " ") * 12
    item.save()
    raw = " ".join(page_texts(draft_pdf(protocol)))
    assert "\u00ad" not in raw
    words = normalize(raw).split()
    for word in LONG_WORDS.split():
        assert words.count(word) >= 12, word


# --- Views --------------------------------------------------------------------------------------------------------


def protocol_url(protocol):
    return reverse("reports:protocol_pdf", kwargs={"meeting_pk": protocol.meeting_id})


def extract_url(protocol):
    return reverse("reports:extract_pdf", kwargs={"item_pk": protocol.meeting.agenda.first().pk})


def assert_pdf_response(response, filename_fragment):
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith('inline; filename="')
    assert "filename*=UTF-8''" in disposition
    assert filename_fragment in disposition
    assert disposition.isascii()
    return response.content


@pytest.mark.parametrize("reader_role", ["leader", "member", "methodist", "admin_user"])
def test_readers_download_the_draft_protocol_and_the_extract(client, draft_protocol, reader_role, request):
    persona = request.getfixturevalue(reader_role)
    client.force_login(getattr(persona, "user", persona))
    data = assert_pdf_response(client.get(protocol_url(draft_protocol)), "Protokol-N-1-ot-15.10.2024.pdf")
    assert "ПРОЕКТ" in pdf_text(data)
    data = assert_pdf_response(client.get(extract_url(draft_protocol)), "Vypiska")
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in pdf_text(data)


@pytest.mark.parametrize("persona", ["outsider", "other_leader"])
def test_outsiders_get_404(client, draft_protocol, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(protocol_url(draft_protocol)).status_code == 404
    assert client.get(extract_url(draft_protocol)).status_code == 404


def test_anonymous_is_sent_to_login(client, draft_protocol):
    for url in (protocol_url(draft_protocol), extract_url(draft_protocol)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_former_member_gets_404(client, draft_protocol, member):
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    client.force_login(member.user)
    assert client.get(protocol_url(draft_protocol)).status_code == 404


def test_pdf_urls_answer_get_only(client, draft_protocol, member):
    client.force_login(member.user)
    assert client.post(protocol_url(draft_protocol)).status_code == 405
    assert client.post(extract_url(draft_protocol)).status_code == 405


def test_missing_meeting_item_or_protocol_is_404(client, community, member):
    client.force_login(member.user)
    meeting = MeetingFactory(community=community)  # held, but its protocol not created
    item = AgendaItemFactory(meeting=meeting)
    assert client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": meeting.pk})).status_code == 404
    assert client.get(reverse("reports:extract_pdf", kwargs={"item_pk": item.pk})).status_code == 404
    assert client.get(reverse("reports:protocol_pdf", kwargs={"meeting_pk": 10**9})).status_code == 404
    assert client.get(reverse("reports:extract_pdf", kwargs={"item_pk": 10**9})).status_code == 404


def test_signed_protocol_extract_is_certified_by_the_current_leader(client, signed_protocol, member):
    client.force_login(member.user)
    text = pdf_text(client.get(extract_url(signed_protocol)).content)
    assert "ПРОЕКТ" not in text
    assert f"Верно Руководитель ПОС подпись О.В. Смирнова {timezone.localdate():%d.%m.%Y}" in text


def test_meeting_page_links_to_the_pdfs(client, draft_protocol, member):
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", kwargs={"meeting_pk": draft_protocol.meeting_id})).content.decode()
    assert protocol_url(draft_protocol) in page
    assert "Скачать PDF" in page
    assert extract_url(draft_protocol) in page
    assert "Выписка (PDF)" in page


def test_user_without_teacher_profile_or_role_gets_404(client, draft_protocol):
    client.force_login(UserFactory(username="stranger"))
    assert client.get(protocol_url(draft_protocol)).status_code == 404
    assert client.get(extract_url(draft_protocol)).status_code == 404


# --- The page preview and the PDF are one document ---------------------------------------------------------------


def page_document_text(response) -> str:
    """The text of the protocol as the meeting page shows it (from the document to the end of the page), tags
    dropped, entities read, whitespace collapsed."""
    page = response.content.decode()
    page = page[page.index('id="protocol"') :]
    return normalize(html.unescape(re.sub(r"<[^>]+>", " ", page)))


def assert_in_order(text: str, fragments: list[str], where: str) -> None:
    position = 0
    for fragment in fragments:
        found = text.find(fragment, position)
        assert found != -1, f"{where}: {fragment!r} not found after position {position}"
        position = found + len(fragment)


def test_the_page_preview_and_the_pdf_carry_the_same_document(client, community, leader, member):
    """What the leader previews on the meeting page is what the PDF prints: the same headings, the same names in the
    same (Russian alphabetical, «ё» as «е») order, the same decisions, assignments, attachments and signatures."""
    secretary = TeacherFactory(surname="Белова", name="Нина", patronymic="Сергеевна")
    yo_present = TeacherFactory(surname="Ёжиков", name="Пётр", patronymic="Ильич")
    before_yo = TeacherFactory(surname="Егоров", name="Иван", patronymic="Олегович")
    after_yo = TeacherFactory(surname="Жуков", name="Олег", patronymic="Ильич")
    yo_absent = TeacherFactory(surname="Ёлкина", name="Вера", patronymic="Ивановна")
    absent = TeacherFactory(surname="Орлова", name="Анна", patronymic="Петровна")
    others = [TeacherFactory(surname=f"Яковлева{n:02}") for n in range(11)]
    present = [leader, member, secretary, yo_present, before_yo, after_yo, *others]
    for teacher in [*present[2:], yo_absent, absent]:
        MembershipFactory(teacher=teacher, community=community)
    meeting = MeetingFactory(community=community, date=PAST_MEETING_DATE, place="МОУ СШ № 1, каб. 12")
    for teacher in present:
        AttendanceFactory(meeting=meeting, teacher=teacher)
    AttendanceFactory(meeting=meeting, teacher=absent, present=False, absence_reason="курсы")
    AttendanceFactory(meeting=meeting, teacher=yo_absent, present=False, absence_reason="больничный лист")
    GuestFactory(meeting=meeting, full_name="Петрова Анна Сергеевна", position="методист", organization="ИОЦ")
    GuestFactory(meeting=meeting, full_name="Сидоров Павел Андреевич", position="", organization="МОУ СШ № 6")
    first = AgendaItemFactory(
        meeting=meeting,
        order=1,
        question="О формирующем оценивании",
        speaker=leader,
        heard="Рассказала об опыте.",
    )
    SpeakerFactory(
        agenda_item=first, order=2, part=Speaker.Part.SPOKE, teacher=member, text="предложил начать с седьмых классов."
    )
    decision = DecisionFactory(agenda_item=first, order=1, text="Провести открытые уроки", votes_for=2)
    decision.votes_against, decision.votes_abstained = 1, 0
    decision.save()
    AssignmentFactory(decision=decision, responsible=yo_present, deadline=dt.date(2024, 12, 20))
    AssignmentFactory(decision=decision, responsible=member, deadline=dt.date(2024, 12, 1))  # earlier deadline
    DecisionFactory(agenda_item=first, order=2, text="Обобщить опыт на сайте", vote=Decision.Vote.UNANIMOUS)
    second = AgendaItemFactory(meeting=meeting, order=2, question="О конкурсе")
    # Two докладчики, an outside person and a member: both are printed, in order (one of them was lost before).
    SpeakerFactory(
        agenda_item=second,
        teacher=None,
        full_name="Зайцева Наталья Викторовна",
        position="заместитель директора по УВР",
        organization="МОУ СШ № 1",
    )
    SpeakerFactory(agenda_item=second, order=2, teacher=secretary)
    DecisionFactory(agenda_item=second, order=1, text="Рекомендовать участие")
    third = AgendaItemFactory(meeting=meeting, order=3, question="Разное", speaker=member, heard="")
    DecisionFactory(agenda_item=third, order=1, text="Принять к сведению")
    protocol = protocol_create(meeting=meeting, secretary=secretary)
    protocol.attachments = "Презентация докладчика"
    protocol.save()
    client.force_login(leader.user)

    page = page_document_text(client.get(reverse("meetings:detail", kwargs={"meeting_pk": meeting.pk})))
    printed = pdf_text(client.get(protocol_url(protocol)).content)

    names = [
        "Белова Н.С.",
        "Егоров И.О.",
        "Ёжиков П.И.",  # «ё» sorts as «е»: after Егоров, before Жуков
        "Жуков О.И.",
        "Кузнецов И.П.",
        "Смирнова О.В.",
        *(f"Яковлева{n:02} А.П." for n in range(11)),
    ]
    document = [
        "ПОС учителей математики",
        "ПРОТОКОЛ",
        "15.10.2024",
        "№ 1",
        "г. Тутаев",
        "заседания профессионального обучающегося сообщества учителей математики",
        "Председательствующий – О.В. Смирнова",
        "Секретарь – Н.С. Белова",
        "Присутствовали: 17 человек (список прилагается)",
        "Отсутствовали: Ёлкина В.И. (больничный лист), Орлова А.П. (курсы)",
        "Приглашённые: Петрова Анна Сергеевна, методист, ИОЦ; Сидоров Павел Андреевич, МОУ СШ № 6",
        "ПОВЕСТКА ДНЯ:",
        "1. О формирующем оценивании",
        "Докладчик: учитель, О.В. Смирнова",
        "2. О конкурсе",
        "Докладчики: заместитель директора по УВР МОУ СШ № 1, Н.В. Зайцева; учитель, Н.С. Белова",
        "3. Разное",
        "Докладчик: учитель, И.П. Кузнецов",
        "1. СЛУШАЛИ: Смирнова О.В. – Рассказала об опыте.",
        "ВЫСТУПИЛИ: Кузнецов И.П. – предложил начать с седьмых классов.",
        "РЕШИЛИ (ПОСТАНОВИЛИ): 1.1. Провести открытые уроки",
        "Ответственный: Кузнецов И.П., срок – 01.12.2024.",
        "Ответственный: Ёжиков П.И., срок – 20.12.2024.",
        "Голосовали: за – 2, против – 1, воздержались – 0.",
        "1.2. Обобщить опыт на сайте",
        "Голосовали: за – 17 (единогласно), против – 0, воздержались – 0.",  # all 17 present
        "2. СЛУШАЛИ: Зайцева Н.В., Белова Н.С.",
        "РЕШИЛИ (ПОСТАНОВИЛИ): 2.1. Рекомендовать участие",
        "3. СЛУШАЛИ: Кузнецов И.П.",
        "РЕШИЛИ (ПОСТАНОВИЛИ): 3.1. Принять к сведению",
        "Приложения:",
        "1. Список присутствовавших на заседании (17 человек).",
        "2. Презентация докладчика",
        "Председательствующий подпись О.В. Смирнова",
        "Секретарь подпись Н.С. Белова",
        "Приложение к протоколу от 15.10.2024 № 1",
        "Список присутствовавших на заседании профессионального обучающегося сообщества учителей математики",
        *names,
    ]
    assert_in_order(printed, document, "PDF")
    assert_in_order(page, document, "page")
    for text, where in ((printed, "PDF"), (page, "page")):
        assert "Присутствовали: Белова" not in text, where  # over the limit: the count, not the names
        assert "чел. " not in text, where


def test_pdf_query_counts_do_not_grow_with_rows(client, community, leader):
    """The protocol and the extract read the same number of queries for one row of everything as for twenty."""
    client.force_login(leader.user)
    counts = []
    for rows, day in ((1, dt.date(2024, 10, 15)), (20, dt.date(2024, 10, 16))):
        members = [leader] + [MembershipFactory(community=community).teacher for _ in range(rows - 1)]
        protocol = build_protocol(community, leader, members, date=day, questions=rows)
        for item in protocol.meeting.agenda.all():
            GuestFactory(meeting=protocol.meeting)
            SpeakerFactory(agenda_item=item, order=2, teacher=None, full_name="Зайцева Наталья Викторовна")
            SpeakerFactory(agenda_item=item, order=3, part=Speaker.Part.SPOKE, teacher=members[-1], text="Поддержал.")
            AssignmentFactory(decision=item.decisions.get(), responsible=members[item.order - 1])
        measured = []
        for url in (protocol_url(protocol), extract_url(protocol)):
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url).status_code == 200
            measured.append(len(queries.captured_queries))
        counts.append(measured)
    assert counts[0] == counts[1]
