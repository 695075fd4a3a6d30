"""The protocol and the extract of one question as .docx (Word), read back with python-docx: the same requisites as
the PDFs, the layout of ГОСТ Р 7.0.97, «ПРОЕКТ» on a draft, «Копия» with the original's SHA-256 on a signed
protocol, and the same readers as the PDFs."""

import datetime as dt
import hashlib

import pytest
from django.urls import reverse
from django.utils import timezone

from communities.models import IOC_FULL_NAME, Membership
from meetings.protocol_content import load_protocol
from meetings.services import protocol_sign
from reports.docx.protocol import protocol_docx
from reports.models import ProtocolDocument
from reports.protocol_pdf import protocol_context
from tests.conftest import build_protocol
from tests.factories import MembershipFactory, TeacherFactory
from tests.reports.docx_helpers import (
    assert_gost_layout,
    blocks,
    docx_text,
    get_docx,
    header_text,
    keeps_with_next,
    open_docx,
)
from tests.reports.test_protocol_pdf import full_protocol  # noqa: F401 (the fixture)


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def protocol_url(protocol):
    return reverse("reports:protocol_docx", kwargs={"meeting_pk": protocol.meeting_id})


def extract_url(protocol, order=1):
    item = protocol.meeting.agenda.get(order=order)
    return reverse("reports:extract_docx", kwargs={"item_pk": item.pk})


def test_draft_protocol_in_word_carries_every_requisite(client, full_protocol, leader):  # noqa: F811
    client.force_login(leader.user)
    document = get_docx(client, protocol_url(full_protocol), "Protokol-N-1-ot-15.10.2024.docx")
    lines = blocks(document)
    text = docx_text(document)
    assert lines[0] == IOC_FULL_NAME  # a municipal community: the ИОЦ (none recorded: its name as a setting)
    assert lines[1] == "ПОС учителей математики"
    assert "ПРОТОКОЛ" in lines
    assert "15.10.2024 № 1" in lines
    assert "г. Тутаев" in lines
    assert "заседания профессионального обучающегося сообщества учителей математики" in lines
    assert "Место проведения: МОУ СШ № 1, каб. 12" in lines
    assert "Форма проведения: заседание" in lines
    chair, secretary = full_protocol.chair, full_protocol.secretary
    assert f"Председательствующий – О.В. Смирнова, учитель ({chair.organization.short_name})" in lines
    assert f"Секретарь – Н.С. Белова, учитель ({secretary.organization.short_name})" in lines
    assert "Список присутствовавших" not in text  # 3 present: named in the text
    assert "Присутствовали: Белова Н.С., Кузнецов И.П., Смирнова О.В." in lines
    assert "Отсутствовали: Орлова А.П. (курсы повышения квалификации)" in lines
    assert "ПОВЕСТКА ДНЯ:" in lines
    assert "1. О формирующем оценивании на уроках математики" in lines
    assert "1. СЛУШАЛИ:" in lines and "2. СЛУШАЛИ:" in lines
    assert "Кузнецов И.П. – предложил начать с седьмых классов." in lines
    assert "1.1. Провести серию открытых уроков" in lines
    assert "Ответственный: Кузнецов И.П., срок – 01.12.2024." in lines
    assert "Голосовали: за – 2, против – 1, воздержались – 0." in lines
    assert "Председательствующий | _______________ подпись | О.В. Смирнова" in lines
    assert "Секретарь | _______________ подпись | Н.С. Белова" in lines
    # A draft: «ПРОЕКТ» at the top right of every page (the header, where it covers nothing), no «Копия».
    assert header_text(document, first_page=True) == "ПРОЕКТ"
    assert header_text(document, first_page=False).endswith("ПРОЕКТ")
    assert "Копия" not in text and "Подписан" not in text
    assert_gost_layout(document)
    for heading in ("ПОВЕСТКА ДНЯ:", "1. СЛУШАЛИ:", "ВЫСТУПИЛИ:", "РЕШИЛИ (ПОСТАНОВИЛИ):", "ПРОТОКОЛ"):
        assert keeps_with_next(document, heading), heading


def test_core_properties_name_the_document_the_organization_and_the_portal(full_protocol, community):  # noqa: F811
    from tests.factories import OrganizationFactory

    community.organization = OrganizationFactory(full_name="МОУ «Средняя школа № 1»")
    community.save()
    document = open_docx(protocol_docx(protocol_context(load_protocol(full_protocol.pk))))
    properties = document.core_properties
    assert properties.title == "Протокол № 1 от 15.10.2024 · ПОС учителей математики"
    assert properties.author == "МОУ «Средняя школа № 1»"
    assert properties.last_modified_by == "ПОС-портал"
    assert properties.created.date().isoformat() == "2024-10-15" == properties.modified.date().isoformat()
    assert blocks(document)[0] == "МОУ «Средняя школа № 1»"
    assert "python-docx" not in (properties.comments + properties.author)


def test_the_same_protocol_gives_the_same_bytes(full_protocol):  # noqa: F811
    first = protocol_docx(protocol_context(load_protocol(full_protocol.pk)))
    second = protocol_docx(protocol_context(load_protocol(full_protocol.pk)))
    assert first == second


def test_signed_protocol_in_word_is_marked_as_a_copy_of_the_signed_original(client, full_protocol, leader, member):  # noqa: F811
    protocol_sign(protocol=full_protocol, user=leader.user)
    stored = ProtocolDocument.objects.get(protocol=full_protocol)
    client.force_login(member.user)
    document = get_docx(client, protocol_url(full_protocol))
    text = docx_text(document)
    signed_at = timezone.localtime(load_protocol(full_protocol.pk).signed_at).strftime("%d.%m.%Y %H:%M")
    assert header_text(document, first_page=True) == "Копия"
    assert "ПРОЕКТ" not in text and "ПРОЕКТ" not in header_text(document, first_page=False)
    assert f"Подписан: О.В. Смирнова, {signed_at}" in text
    assert (
        f"Копия. Подлинник — электронный документ, подписан О.В. Смирнова {signed_at}, SHA-256 {stored.sha256}." in text
    )
    assert stored.sha256 == hashlib.sha256(stored.read()).hexdigest()
    assert ProtocolDocument.objects.get(protocol=full_protocol).sha256 == stored.sha256  # the original unchanged


def test_a_copy_of_an_altered_original_is_refused(client, full_protocol, leader):  # noqa: F811
    protocol_sign(protocol=full_protocol, user=leader.user)
    stored = ProtocolDocument.objects.get(protocol=full_protocol)
    stored.file.storage.delete(stored.file.name)
    stored.file.storage.save(stored.file.name, __import__("io").BytesIO(b"%PDF- altered"))
    client.force_login(leader.user)
    assert client.get(protocol_url(full_protocol)).status_code == 404


def test_over_fifteen_present_the_list_is_an_appendix_table(community, leader, member):
    teachers = [leader, member]
    for number in range(16):
        teacher = TeacherFactory(surname=f"Участникова{chr(1072 + number)}", position="учитель")
        MembershipFactory(teacher=teacher, community=community)
        teachers.append(teacher)
    protocol = build_protocol(community, leader, teachers)
    document = open_docx(protocol_docx(protocol_context(load_protocol(protocol.pk))))
    lines = blocks(document)
    assert "Присутствовали: 18 человек (список прилагается)" in lines
    assert "Приложение: Список присутствовавших на заседании (18 человек)." in lines
    assert "Приложение к протоколу от 15.10.2024 № 1" in lines
    grid = document.tables[-1]
    assert [cell.text for cell in grid.rows[0].cells] == ["№ п/п", "Фамилия И.О.", "Должность", "Организация"]
    assert len(grid.rows) == 19
    assert grid.rows[0]._tr.trPr.xml.count("tblHeader") == 1  # the header row repeats on every page
    assert_gost_layout(document)


def test_extract_in_word(client, full_protocol, leader):  # noqa: F811
    client.force_login(leader.user)
    document = get_docx(client, extract_url(full_protocol, order=2), "Vypiska")
    lines = blocks(document)
    assert "ВЫПИСКА ИЗ ПРОТОКОЛА" in lines
    assert "15.10.2024 № 1" in lines
    assert "2. Об участии в муниципальном конкурсе" in lines
    assert "2.1. Рекомендовать участие в конкурсе" in lines
    assert "1.1. Провести серию открытых уроков" not in lines
    assert "Председательствующий | подпись | О.В. Смирнова" in lines  # reproduced, not signed again
    assert "Верно" not in lines  # a draft's extract is certified by nobody (issue 12)
    assert header_text(document, first_page=True) == "ПРОЕКТ"
    assert_gost_layout(document)


def test_extract_of_a_signed_protocol_carries_no_draft_mark(client, full_protocol, leader):  # noqa: F811
    protocol_sign(protocol=full_protocol, user=leader.user)
    client.force_login(leader.user)
    document = get_docx(client, extract_url(full_protocol))
    assert header_text(document, first_page=True) == ""
    assert "ПРОЕКТ" not in docx_text(document)
    lines = blocks(document)
    assert "Верно" in lines
    assert "Руководитель ПОС | _______________ подпись | О.В. Смирнова" in lines
    assert timezone.localdate().strftime("%d.%m.%Y") == lines[-2]
    assert lines[-1] == "Подлинник протокола хранится в делах ПОС"


def test_user_text_stays_text(full_protocol):  # noqa: F811
    item = full_protocol.meeting.agenda.get(order=1)
    item.heard = "<w:p>ЗАГОЛОВОК</w:p> & \x0b «ё» \r\nвторая строка"
    item.save()
    document = open_docx(protocol_docx(protocol_context(load_protocol(full_protocol.pk))))
    assert "Смирнова О.В. – <w:p>ЗАГОЛОВОК</w:p> & «ё» вторая строка" in blocks(document)


@pytest.mark.parametrize("reader", ["leader", "member", "methodist", "admin_user"])
def test_readers_of_the_community_download_both(client, draft_protocol, reader, request):
    user = request.getfixturevalue(reader)
    client.force_login(getattr(user, "user", user))
    get_docx(client, protocol_url(draft_protocol))
    get_docx(client, extract_url(draft_protocol))


@pytest.mark.parametrize("persona", ["outsider", "other_leader"])
def test_outsiders_get_404(client, draft_protocol, persona, request):
    client.force_login(request.getfixturevalue(persona).user)
    assert client.get(protocol_url(draft_protocol)).status_code == 404
    assert client.get(extract_url(draft_protocol)).status_code == 404


def test_former_member_anonymous_and_post(client, draft_protocol, member):
    for url in (protocol_url(draft_protocol), extract_url(draft_protocol)):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    client.force_login(member.user)
    for url in (protocol_url(draft_protocol), extract_url(draft_protocol)):
        assert client.post(url).status_code == 405
    Membership.objects.filter(teacher=member).update(left_on=dt.date(2025, 1, 1))
    for url in (protocol_url(draft_protocol), extract_url(draft_protocol)):
        assert client.get(url).status_code == 404


def test_meeting_without_protocol_is_404_for_readers_and_outsiders(client, community, member, outsider):
    from tests.factories import MeetingFactory

    meeting = MeetingFactory(community=community)
    url = reverse("reports:protocol_docx", kwargs={"meeting_pk": meeting.pk})
    for user in (member, outsider):
        client.force_login(user.user)
        assert client.get(url).status_code == 404
    assert client.get(reverse("reports:protocol_docx", kwargs={"meeting_pk": 10**9})).status_code == 404


def test_meeting_page_links_to_the_word_files(client, draft_protocol, member):
    client.force_login(member.user)
    page = client.get(reverse("meetings:detail", args=[draft_protocol.meeting_id])).content.decode()
    assert protocol_url(draft_protocol) in page and "Скачать .docx" in page
    assert extract_url(draft_protocol) in page and "Выписка (Word)" in page


def test_the_worst_case_in_word_is_whole_like_its_pdf(db, client):
    """The worst case of issue 12 (tests/reports/worst_case.py): the .docx carries what the PDF carries (the ИОЦ,
    the heading, place, time and form, positions), typeset and flush left, with the 4-column list of 39 present."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    from tests.reports.worst_case import IOC_NAME, MEETING_PLACE, PRESENT, build_worst_case

    protocol = build_worst_case()
    client.force_login(protocol.chair.user)
    document = get_docx(client, protocol_url(protocol))
    lines = blocks(document)
    assert lines[0] == IOC_NAME and lines[1] == "ПОС учителей математики"
    for expected in (
        "заседания профессионального обучающегося сообщества учителей математики",
        f"Место проведения: {MEETING_PLACE}",
        "Время проведения: 15:30",
        "Форма проведения: заседание",
        "Председательствующий – О.В. Смирнова, учитель математики, руководитель ПОС (МОУ СШ № 3)",
        "Секретарь – Н.С. Белова, учитель математики (МОУ ОШ № 7)",
        "Список присутствовавших на заседании профессионального обучающегося сообщества учителей математики",
    ):
        assert expected in lines, expected
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    raw = "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    assert "Смирнова\u00a0О.В." in raw and "О.В.\u00a0Смирнова" in raw and "№\u00a01" in raw
    assert "Смирнова О.В." not in raw and "О.В. Смирнова" not in raw
    assert not [p.text for p in document.paragraphs if p.alignment == WD_ALIGN_PARAGRAPH.JUSTIFY]
    annex = next(table for table in document.tables if table.rows[0].cells[1].text == "Фамилия И.О.")
    assert [cell.text for cell in annex.rows[0].cells] == ["№ п/п", "Фамилия И.О.", "Должность", "Организация"]
    assert len(annex.rows) == PRESENT + 1
