"""``manage.py compliance_report [--year 2025/2026]``: the district table of regulation 4.2.

Prints every community of the year with held / planned / required sessions, its status, overdue assignments,
late protocols («протокол просрочен», ``Meeting.objects.protocol_late_q``) and missing documents
(``reports.compliance``: sessions held are ``Meeting.objects.sessions_held_in``, the required number
``communities.activity.required_sessions``, as everywhere in the portal). It exits non-zero only on a bad year.

The letters it used to send with ``--notify`` (to the leaders of communities at risk or in violation, and the
methodists' summary) are the weekly letters of ``notifications`` now: queued on Mondays by
``notifications_daily``, once per week and person; ``leader_message`` and ``methodist_message`` below say what
they contain.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from communities.models import Teacher
from meetings.models.meetings import protocol_due_days
from pos_portal.academic_year import AcademicYear
from reports.compliance import ComplianceRow, compliance_for_year, totals

NAME_WIDTH = 50
SIGNATURE = "Письмо отправлено автоматически ПОС-порталом МУ ДПО «Информационно-образовательный центр» ТМР."


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def render_table(rows: list[ComplianceRow]) -> str:
    """The rows as a plain-text table with aligned columns (the last column, documents, runs free)."""
    headers = ["№", "ПОС", "Уровень", "Руководитель", "Пров.", "План.", "Мин.", "Статус", "Просроч.", "Прот. просроч."]
    headers.append("Нет документов")
    right = {0, 4, 5, 6, 8, 9}
    lines = []
    for number, row in enumerate(rows, start=1):
        name = row.community.name + (" *" if row.prorated else "")
        lines.append(
            [
                str(number),
                _shorten(name, NAME_WIDTH),
                "муницип." if row.community.level == "municipal" else "институц.",
                row.leader.short_name if row.leader else "не назначен",
                str(row.held),
                str(row.planned),
                str(row.required),
                row.status.label,
                str(row.overdue_assignments),
                str(row.late_protocols),
                ", ".join(row.missing_labels) or "—",
            ]
        )
    widths = [max(len(cells[i]) for cells in [headers, *lines]) for i in range(len(headers))]

    def format_line(cells: list[str]) -> str:
        padded = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i]) if i < len(cells) - 1 else cell
            for i, cell in enumerate(cells)
        ]
        return "  ".join(padded).rstrip()

    separator = "  ".join("-" * width for width in widths[:-1]) + "  " + "-" * len(headers[-1])
    return "\n".join([format_line(headers), separator, *(format_line(cells) for cells in lines)])


def render_totals(rows: list[ComplianceRow]) -> str:
    summary = totals(rows)
    statuses = ", ".join(f"{status.label} — {count}" for status, count in summary["by_status"])
    return (
        f"Итого: {summary['communities']} ПОС; заседаний проведено {summary['held']}, "
        f"запланировано {summary['planned']}, требуется {summary['required']}; {statuses}; "
        f"просроченных поручений: {summary['overdue_assignments']}; "
        f"просроченных протоколов: {summary['late_protocols']}; "
        f"с недостающими документами: {summary['with_missing_documents']}."
    )


def render_report(rows: list[ComplianceRow], year: AcademicYear, today: dt.date) -> str:
    parts = [f"Соблюдение п. 4.2 Положения о ПОС: {year} учебный год, на {today:%d.%m.%Y}", ""]
    if rows:
        parts += [render_table(rows), "", render_totals(rows)]
        if any(row.prorated for row in rows):
            parts.append("* создано в течение учебного года: минимум пропорционально оставшимся месяцам.")
    else:
        parts.append("Сообществ за этот учебный год нет.")
    return "\n".join(parts)


def leader_message(row: ComplianceRow, teacher: Teacher) -> tuple[str, str]:
    community, year = row.community, row.year
    subject = f"ПОС-портал: «{community.name}» — {row.status.label} (п. 4.2, {year} уч. год)"
    greeting = " ".join(part for part in (teacher.name, teacher.patronymic) if part)
    phrase = row.remaining_phrase
    lines = [
        f"Здравствуйте, {greeting}!",
        "",
        f"Сообщество «{community.name}», {year} учебный год.",
        f"Проведено заседаний с подписанным протоколом: {row.held} из {row.required} "
        f"(минимум по п. 4.2 Положения о ПОС{'; ' + row.prorated_note if row.prorated else ''}).",
        f"Запланировано: {row.planned}.",
        f"Статус: {row.status.label}.",
        phrase[0].upper() + phrase[1:] + ".",
    ]
    if row.held_unsigned:
        lines.append(
            f"Проведено, но протокол не подписан: {row.held_unsigned} — заседание засчитывается после подписи."
        )
    if row.late_protocols:
        lines.append(
            f"Протокол просрочен (не подписан через {protocol_due_days()} дн. после заседания): {row.late_protocols}."
        )
    if row.not_marked:
        lines.append(
            f"Дата прошла, но заседание не отмечено проведённым или отменённым: {row.not_marked} — отметьте на портале."
        )
    if row.missing_labels:
        lines.append(f"Недостающие документы (раздел 6): {', '.join(row.missing_labels)}.")
    if row.overdue_assignments:
        lines.append(f"Просроченных поручений: {row.overdue_assignments}.")
    lines += ["", SIGNATURE]
    return subject, "\n".join(lines)


def methodist_message(rows: list[ComplianceRow], year: AcademicYear, today: dt.date) -> tuple[str, str]:
    flagged = [row for row in rows if row.is_behind]
    subject = f"ПОС-портал: сводка по п. 4.2 за {year} уч. год — под угрозой или нарушено: {len(flagged)}"
    lines = ["Здравствуйте!", ""]
    if flagged:
        lines.append("Требуют внимания:")
        for row in flagged:
            leader = row.current_leader.short_name if row.current_leader else "руководитель не назначен"
            lines.append(
                f"- {row.community.name} ({leader}): {row.status.label}, проведено {row.held} из {row.required}"
            )
    else:
        lines.append("Сообществ под угрозой и с нарушением нет.")
    lines += ["", render_report(rows, year, today), "", SIGNATURE]
    return subject, "\n".join(lines)


class Command(BaseCommand):
    help = (
        "Сводка по соблюдению п. 4.2 (не менее MIN_MEETINGS_PER_YEAR заседаний в учебный год) и документации "
        "ПОС района. Письма руководителям ПОС и методистам ИОЦ отправляет notifications_daily (по понедельникам)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--year", help="учебный год в виде 2025/2026 (по умолчанию текущий)")

    def handle(self, *args, year=None, **options):
        today = timezone.localdate()
        academic_year = self.parse_year(year) if year else AcademicYear.of(today)
        rows = compliance_for_year(academic_year, today=today)
        self.stdout.write(render_report(rows, academic_year, today))

    @staticmethod
    def parse_year(value: str) -> AcademicYear:
        try:
            return AcademicYear.parse(value)
        except (TypeError, ValueError):
            raise CommandError(f"Неверный учебный год «{value}»: укажите его в виде 2025/2026.") from None
