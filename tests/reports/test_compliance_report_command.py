"""``manage.py compliance_report``: the district table and the errors (its letters are notifications' weekly ones:
tests/notifications/test_weekly.py)."""

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
from tests.factories import CommunityFactory, TeacherFactory
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


def test_the_table_mails_nobody(community, leader, with_addresses):
    run("--year", PAST)

    assert mail.outbox == []
