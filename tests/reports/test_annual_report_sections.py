"""The annual report a district would file («анализ работы ПОС за учебный год»), read back from the PDF with
``pdftotext -layout``: every section with the portal's data (meetings with dates and topics, forms, attendance,
decisions and assignments, materials) and the typed ones (open lessons, competitions, publications, courses,
conclusions, tasks for the next year), the ИОЦ's acceptance «Принят: …, дата», text set flush left (no gaps
inside sentences), the signal of the review, the form keeping what was typed, and the demo data's reports."""

import re
import shutil
import subprocess
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from communities.models import Community, Organization
from reports.models import AnnualReport
from reports.services import annual_report_accept, annual_report_return, annual_report_save, annual_report_submit
from reports.signals import annual_report_reviewed
from tests.conftest import teacher_with_login
from tests.factories import OrganizationFactory
from tests.reports.annual_data import YEAR, build_year, written_report

pytestmark = pytest.mark.django_db

#: poppler-utils; the documents' tests read the PDF as a person copying lines out of it would.
PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"

#: The typed sections, each text long enough to wrap over several lines (justified text would show its gaps).
TYPED = {
    "open_lessons": "Открытый урок Иванова И.И. «Рубрики в 7 классе» для учителей района, мастер-класс "
    "Петровой П.П. «Листы самооценки» на августовской конференции педагогов Тутаевского района.",
    "competitions": "Участие в муниципальном конкурсе «Педагог года» и в региональном конкурсе методических "
    "разработок по формирующему оцениванию, лауреат и два участника.",
    "publications": "Статья «Формирующее оценивание на уроке математики» в сборнике материалов региональной "
    "научно-практической конференции, методическое пособие по рубрикам.",
    "courses": "Курсы повышения квалификации «Оценивание образовательных результатов» в объёме 36 часов "
    "прошли четыре члена сообщества, два члена сообщества прошли курсы ИРО.",
    "conclusions": "План работы выполнен в основном, приёмы формирующего оценивания применяют на уроках все "
    "члены сообщества, взаимопосещения проводились реже, чем было запланировано.",
    "next_year_tasks": "Довести долю уроков с листами самооценки до половины, провести два открытых урока "
    "для района, подготовить сборник рубрик для учителей основной школы.",
}
HEADINGS = {
    "open_lessons": "Открытые уроки, мастер-классы и выступления членов ПОС",
    "competitions": "Участие в конкурсах",
    "publications": "Публикации и методическая продукция",
    "courses": "Курсы повышения квалификации",
    "conclusions": "Выводы",
    "next_year_tasks": "Задачи на следующий учебный год",
}

ALL_HEADINGS = [
    "Состав сообщества",
    "Выполнение плана работы",
    "Проведённые заседания и мероприятия",
    "Формы работы",
    "Посещаемость",
    "Решения и поручения",
    "Методические материалы",
    *HEADINGS.values(),
    "Результаты",
    "Трудности",
    "Предложения",
]


def layout_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    command = [PDFTOTEXT, "-layout", str(path), "-"]
    return subprocess.run(command, check=True, capture_output=True, text=True).stdout


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def section_lines(text: str, heading: str) -> list[str]:
    """The lines of the layout text from the numbered heading «N. heading» to the next numbered heading (or to the
    leader's signature)."""
    lines = [line.strip() for line in text.splitlines()]
    start = next(i for i, line in enumerate(lines) if re.fullmatch(rf"\d+\. {re.escape(heading)}", line))

    def ends(line: str) -> bool:
        return bool(re.fullmatch(rf"\d+\. ({'|'.join(map(re.escape, ALL_HEADINGS))})", line)) or line.startswith(
            "Руководитель ПОС"
        )

    end = next((i for i in range(start + 1, len(lines)) if ends(lines[i])), len(lines))
    # Without the page numbers (from page 2, in the top margin) that fall between the lines of a section.
    return [line for line in lines[start + 1 : end] if line and not line.isdigit()]


@pytest.fixture
def ioc_methodist():
    ioc = OrganizationFactory(
        kind=Organization.Kind.IOC,
        short_name="МУ ДПО «ИОЦ»",
        full_name="Муниципальное учреждение дополнительного профессионального образования "
        "«Информационно-образовательный центр» Тутаевского муниципального района",
    )
    teacher = teacher_with_login(
        "volkova", surname="Волкова", name="Ольга", patronymic="Викторовна", position="методист", organization=ioc
    )
    from django.contrib.auth.models import Group

    from pos_portal.roles import METHODISTS_GROUP

    teacher.user.groups.add(Group.objects.get(name=METHODISTS_GROUP))
    return teacher


def fill(report, leader, **texts):
    for name, value in {**TYPED, **texts}.items():
        setattr(report, name, value)
    return annual_report_save(report=report, user=leader.user, expected_version=report.version)


@pytest.fixture
def accepted(community, leader, member, ioc_methodist):
    build_year(community, leader, member)
    report = fill(written_report(community, leader), leader)
    annual_report_submit(report=report, user=leader.user)
    return annual_report_accept(report=report, user=ioc_methodist.user)


def pdf_of(client, user, community) -> bytes:
    client.force_login(user)
    response = client.get(reverse("reports:annual_report_pdf", kwargs={"pk": community.pk, "year": YEAR.start_year}))
    assert response.status_code == 200
    return response.content


def test_the_pdf_has_every_section_with_the_portals_data(client, community, leader, accepted, tmp_path):
    text = layout_text(pdf_of(client, leader.user, community), tmp_path)
    meetings = flat(" ".join(section_lines(text, "Проведённые заседания и мероприятия")))
    # Each held meeting with its date, form and topic; the cancelled one is not among them.
    assert re.search(r"15\.10\.2024 .*Заседание.*Старт", meetings)
    assert re.search(r"10\.12\.2024 .*Мастер-класс.*Рубрики", meetings)
    assert "05.03.2025" in meetings
    assert "12.02.2025" not in meetings
    assert "протокол № 1" in meetings
    forms = flat(" ".join(section_lines(text, "Формы работы")))
    assert "Мастер-класс" in forms and "Консультация" in forms
    attendance = flat(" ".join(section_lines(text, "Посещаемость")))
    assert "83,3 %" in attendance and "5 из 6" in attendance
    assignments = flat(" ".join(section_lines(text, "Решения и поручения")))
    assert re.search(r"Открытый урок .*01\.11\.2024 выполнено 30\.10\.2024", assignments)
    assert "Листы самооценки" in assignments
    assert "Рубрики оценивания" in flat(" ".join(section_lines(text, "Методические материалы")))
    for name, heading in HEADINGS.items():
        assert flat(" ".join(section_lines(text, heading))) == TYPED[name], heading
    for heading in ("Результаты", "Трудности", "Предложения"):
        assert section_lines(text, heading)
    assert "ПРОЕКТ" not in text


def test_the_accepted_pdf_prints_who_accepted_it_and_when(client, community, leader, accepted, tmp_path):
    text = flat(layout_text(pdf_of(client, leader.user, community), tmp_path))
    day = timezone.localdate(accepted.reviewed_at).strftime("%d.%m.%Y")
    assert f"Принят: методист, МУ ДПО «ИОЦ», О.В. Волкова, {day}" in text


def test_the_acceptance_stays_as_it_was_when_the_methodist_moves(client, community, leader, accepted, tmp_path):
    teacher = accepted.reviewed_by.teacher
    teacher.position = "заместитель директора"
    teacher.save()
    text = flat(layout_text(pdf_of(client, leader.user, community), tmp_path))
    assert "Принят: методист, МУ ДПО «ИОЦ», О.В. Волкова" in text


def test_a_draft_prints_no_acceptance(client, community, leader, member, tmp_path):
    build_year(community, leader, member)
    fill(written_report(community, leader), leader)
    text = layout_text(pdf_of(client, leader.user, community), tmp_path)
    assert "Принят:" not in text
    assert "ПРОЕКТ" in text


PROSE = ["Состав сообщества", "Посещаемость", *HEADINGS.values()]


def test_no_justified_gaps_inside_sentences(client, community, leader, accepted, tmp_path):
    text = layout_text(pdf_of(client, leader.user, community), tmp_path)
    for heading in PROSE:
        lines = section_lines(text, heading)
        assert len(lines) >= 1, heading
        gaps = [line for line in lines if re.search(r"\S {2,}\S", line)]
        assert gaps == [], heading
    wrapped = section_lines(text, HEADINGS["open_lessons"])
    assert len(wrapped) >= 2  # the test reads lines that a justified layout would stretch


# --- the review's signal ---------------------------------------------------------------------------------------


@pytest.fixture
def submitted(community, leader):
    report = written_report(community, leader)
    return annual_report_submit(report=report, user=leader.user)


def test_acceptance_sends_the_signal_after_commit(submitted, ioc_methodist, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append((sender, kwargs))

    annual_report_reviewed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            annual_report_accept(report=submitted, user=ioc_methodist.user, comment="Хороший отчёт")
            assert received == []  # not before the commit
    finally:
        annual_report_reviewed.disconnect(receiver)
    [(sender, kwargs)] = received
    assert sender is AnnualReport
    assert kwargs["report"].pk == submitted.pk
    assert (kwargs["accepted"], kwargs["by"], kwargs["comment"]) == (True, ioc_methodist.user, "Хороший отчёт")


def test_return_sends_the_signal_with_the_comment(submitted, methodist, django_capture_on_commit_callbacks):
    received = []

    def receiver(sender, **kwargs):
        received.append(kwargs)

    annual_report_reviewed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            annual_report_return(report=submitted, user=methodist, comment="  Допишите выводы  ")
    finally:
        annual_report_reviewed.disconnect(receiver)
    [kwargs] = received
    assert (kwargs["accepted"], kwargs["by"], kwargs["comment"]) == (False, methodist, "Допишите выводы")
    assert kwargs["report"].status == AnnualReport.Status.RETURNED


# --- the form --------------------------------------------------------------------------------------------------


def test_the_form_has_every_section_and_keeps_what_was_typed_on_a_rejected_submit(client, community, leader):
    client.force_login(leader.user)
    edit = reverse("reports:annual_report_edit", kwargs={"pk": community.pk, "year": YEAR.start_year})
    page = client.get(edit).content.decode()
    for name in TYPED:
        assert f'name="{name}"' in page
    report = AnnualReport.objects.get(community=community)
    too_long = "Конкурс " * 1000
    data = {**TYPED, "competitions": too_long, "results": "Мои результаты", "difficulties": "", "proposals": ""}
    response = client.post(edit, {**data, "edited_version": report.version})
    assert response.status_code == 200
    page = response.content.decode()
    assert "не более" in page  # the length is refused at entry, in Russian
    for name, value in TYPED.items():
        if name != "competitions":
            assert value.replace("«", "&laquo;") in page or value in page, name
    assert "Мои результаты" in page
    report.refresh_from_db()
    assert report.open_lessons == ""


def test_the_length_is_a_rule_of_the_model(community, leader):
    from django.core.exceptions import ValidationError

    report = written_report(community, leader)
    report.courses = "к" * (AnnualReport._meta.get_field("courses").max_length + 1)
    with pytest.raises(ValidationError) as error:
        report.full_clean()
    assert "courses" in error.value.message_dict


def test_the_page_shows_the_typed_sections_and_the_acceptance(client, community, leader, accepted):
    client.force_login(leader.user)
    page = client.get(reverse("reports:annual_report", kwargs={"pk": community.pk, "year": YEAR.start_year}))
    text = page.content.decode()
    for heading in HEADINGS.values():
        assert heading in text
    assert "Проведённые заседания и мероприятия" in text
    assert re.search(r"15\.10\.2024</td>\s*<td>Заседание</td>\s*<td><a [^>]*>Старт</a>", text)
    assert "Открытый урок — Смирнова О.В., срок 01.11.2024: <span" in text
    assert "Принят: методист, МУ ДПО «ИОЦ», О.В. Волкова" in text.replace("&laquo;", "«").replace("&raquo;", "»")


# --- the demo data ---------------------------------------------------------------------------------------------


@pytest.mark.slow
def test_the_demo_holds_an_accepted_report_for_last_year_and_a_draft_for_this_one(client, tmp_path):
    with override_settings(DEBUG=True):
        call_command("seed_demo", stdout=StringIO())
    from pos_portal.academic_year import AcademicYear

    current = AcademicYear.current()
    previous = current.previous()
    math = Community.objects.order_by("pk").first()
    last = AnnualReport.objects.get(community=math, academic_year=previous)
    assert last.is_accepted and last.results and last.conclusions and last.next_year_tasks
    this = AnnualReport.objects.get(community=math, academic_year=current)
    assert this.status == AnnualReport.Status.DRAFT
    founded_before = Community.objects.filter(founded_on__lte=previous.end)
    assert AnnualReport.objects.filter(academic_year=previous, status="accepted").count() == founded_before.count()
    assert AnnualReport.objects.filter(academic_year=current).count() == Community.objects.count()
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="metodist"))
    response = client.get(reverse("reports:annual_report_pdf", kwargs={"pk": math.pk, "year": previous.start_year}))
    text = flat(layout_text(response.content, tmp_path))
    assert "не заполнено" not in text
    assert "ПРОЕКТ" not in text
    assert "Принят: " in text
