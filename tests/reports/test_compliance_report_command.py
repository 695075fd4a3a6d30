"""``manage.py compliance_report``: the district table, the e-mails, the errors."""

import datetime as dt
import io
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command

from communities.models import Teacher
from pos_portal.academic_year import AcademicYear
from tests.conftest import appoint
from tests.factories import CommunityFactory, TeacherFactory, UserFactory
from tests.reports.compliance_helpers import held

PAST = "2024/2025"  # over whatever the day the tests run: statuses are «выполнено» or «нарушено»


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("соединение разорвано")


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("compliance_report", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def done_community(db):
    community = CommunityFactory(name="ПОС выполнивших")
    appoint(community, TeacherFactory(surname="Выполнина", email="done@example.org"), number="3-о")
    for month in (9, 10, 11, 12):
        held(community, dt.date(2024, month, 10))
    return community


@pytest.fixture
def with_addresses(leader, methodist):
    Teacher.objects.filter(pk=leader.pk).update(email="smirnova@example.org")
    methodist.email = "metodist@example.org"
    methodist.save()


def test_prints_the_district_table(community, leader, done_community):
    held(community, dt.date(2024, 10, 10))

    out, err = run("--year", PAST)

    lines = out.splitlines()
    assert lines[0].startswith("Соблюдение п. 4.2 Положения о ПОС: 2024/2025 учебный год, на ")
    header = next(line for line in lines if line.lstrip().startswith("№"))
    assert header.split() == [
        "№",
        "ПОС",
        "Уровень",
        "Руководитель",
        "Пров.",
        "План.",
        "Мин.",
        "Статус",
        "Просроч.",
        "Прот.",
        "просроч.",
        "Нет",
        "документов",
    ]
    rows = {line.split("  ")[1].strip(): line for line in lines if line.lstrip()[:1].isdigit()}
    assert set(rows) == {"ПОС выполнивших", "ПОС учителей математики"}
    assert "Смирнова О.В." in rows["ПОС учителей математики"]
    assert "нарушено" in rows["ПОС учителей математики"]
    assert "выполнено" in rows["ПОС выполнивших"]
    # Aligned: the status column starts at the same place in every row and in the header.
    columns = [
        (header, "Статус"),
        (rows["ПОС учителей математики"], "нарушено"),
        (rows["ПОС выполнивших"], "выполнено"),
    ]
    assert len({line.index(word) for line, word in columns}) == 1
    assert "Итого: 2 ПОС; заседаний проведено 5, запланировано 0, требуется 8;" in out
    assert err == ""
    assert mail.outbox == []


def test_late_protocols_are_a_column_and_a_total(community, leader, done_community):
    held(community, dt.date(2024, 10, 10), signed=False)  # never signed: late long ago
    held(community, dt.date(2024, 11, 10), signed=None)

    out, _err = run("--year", PAST)

    lines = out.splitlines()
    header = next(line for line in lines if line.lstrip().startswith("№"))
    rows = {line.split("  ")[1].strip(): line for line in lines if line.lstrip()[:1].isdigit()}
    column = header.index("Прот. просроч.") + len("Прот. просроч.")  # right-aligned under its header
    assert rows["ПОС учителей математики"][column - 1] == "2"
    assert rows["ПОС выполнивших"][column - 1] == "0"
    assert "просроченных протоколов: 2;" in out


def test_notify_tells_the_leader_of_late_protocols(community, leader, with_addresses):
    held(community, dt.date(2024, 10, 10), signed=False)

    run("--year", PAST, "--notify")

    body = next(message.body for message in mail.outbox if message.to == ["smirnova@example.org"])
    assert "Протокол просрочен (не подписан через 5 дн. после заседания): 1." in body


def test_the_current_year_by_default(community, leader):
    out, _err = run()

    assert f"{AcademicYear.current()} учебный год" in out.splitlines()[0]
    assert "под угрозой" in out  # nothing held or planned this year yet


def test_an_empty_year(db):
    out, _err = run("--year", PAST)

    assert "Сообществ за этот учебный год нет." in out


@pytest.mark.parametrize("value", ["abc", "2025/2027", "1800/1801", "2025/"])
def test_a_bad_year_is_a_command_error_in_russian(db, value):
    with pytest.raises(CommandError, match=f"Неверный учебный год «{value}»: укажите его в виде 2025/2026"):
        run("--year", value)


def test_notify_mails_the_leader_at_risk_and_the_methodists(community, leader, done_community, with_addresses):
    out, err = run("--year", PAST, "--notify")

    by_address = {message.to[0]: message for message in mail.outbox}
    assert set(by_address) == {"smirnova@example.org", "metodist@example.org"}  # not the leader who did it
    to_leader = by_address["smirnova@example.org"]
    assert to_leader.subject == "ПОС-портал: «ПОС учителей математики» — нарушено (п. 4.2, 2024/2025 уч. год)"
    assert "Здравствуйте, Ольга Викторовна!" in to_leader.body
    assert "Проведено заседаний с подписанным протоколом: 0 из 4" in to_leader.body
    assert "Минимум п. 4.2 не выполнен: проведено 0 из 4." in to_leader.body
    summary = by_address["metodist@example.org"]
    assert summary.subject == "ПОС-портал: сводка по п. 4.2 за 2024/2025 уч. год — под угрозой или нарушено: 1"
    assert "- ПОС учителей математики (Смирнова О.В.): нарушено, проведено 0 из 4" in summary.body
    assert "ПОС выполнивших" in summary.body  # the whole table
    assert "Отправлено писем: 2 (руководителям ПОС: 1, методистам ИОЦ: 1)." in out
    assert err == ""


def test_notify_in_the_current_year_says_what_is_still_needed(community, leader, with_addresses):
    run("--notify")

    to_leader = next(message for message in mail.outbox if message.to == ["smirnova@example.org"])
    assert "под угрозой" in to_leader.subject
    assert "До конца учебного года нужно провести ещё 4 заседания." in to_leader.body


def test_notify_falls_back_to_the_login_address(community, leader, methodist):
    leader.user.email = "olga@example.org"
    leader.user.save()

    run("--year", PAST, "--notify")

    assert [message.to for message in mail.outbox] == [["olga@example.org"]]


def test_notify_warns_about_leaders_and_methodists_without_address(community, leader, methodist):
    leaderless = CommunityFactory(name="ПОС без руководителя")

    out, err = run("--year", PAST, "--notify")

    assert mail.outbox == []
    assert "«ПОС учителей математики»: у руководителя Смирнова О.В. нет e-mail — письмо не отправлено." in err
    assert f"«{leaderless.name}»: руководитель не назначен — письмо не отправлено." in err
    assert "нет методистов ИОЦ с e-mail — сводка не отправлена." in err
    assert "Отправлено писем: 0" in out


def test_notify_skips_inactive_methodists(community, leader, methodist):
    methodist.email, methodist.is_active = "gone@example.org", False
    methodist.save()
    UserFactory(username="not-a-methodist", email="someone@example.org")

    run("--year", PAST, "--notify")

    assert mail.outbox == []


def test_a_mail_failure_is_a_command_error(community, leader, with_addresses, settings):
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"

    with pytest.raises(CommandError, match="Не удалось отправить письма: соединение разорвано"):
        run("--year", PAST, "--notify")


def test_without_notify_nobody_is_mailed(community, leader, with_addresses):
    run("--year", PAST)

    assert mail.outbox == []
