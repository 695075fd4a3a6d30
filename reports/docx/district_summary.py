"""The district summary for the ИОЦ as .docx (A4 landscape), from ``reports.views.dashboard.summary_context`` (as
the PDF): the communities with meetings held against the minimum, their status and missing documents, and the
totals.

Context keys read: ``organization``, ``status_note``, ``year``, ``today``, ``rows``
(reports.compliance.ComplianceRow), ``summary`` and ``district_summary`` (reports.compliance.totals), ``filters``,
``executor`` (reports.signatories.Signatory or None: the signature, the date and «Исполнитель» at the end).
"""

from __future__ import annotations

from docx.shared import Mm, Pt

from pos_portal.typography import typeset as t
from reports.docx.common import SHY, TABLE_SIZE, Writer, day

HEADERS = (
    "№",
    "ПОС",
    "Уровень, организация",
    f"Руково{SHY}дитель",
    f"Засе{SHY}даний прове{SHY}дено",
    f"Засе{SHY}даний за{SHY}план.",
    f"Мини{SHY}мум",
    "Статус",
    "Недостающие документы",
    f"Про{SHY}сроч. пору{SHY}чения",
    f"Про{SHY}сроч. прото{SHY}колы",
)
#: Eleven columns on a landscape page: the PDF's sizes (static/css/pdf/district_summary.css), not the 12 pt of a
#: protocol's table, so no word breaks inside a cell.
SUMMARY_TABLE_SIZE, SUMMARY_HEADER_SIZE = Pt(10), Pt(9)
#: Relative widths of the columns, scaled to the text width.
WIDTHS = (10, 48, 38, 34, 19, 19, 18, 22, 48, 19, 19)


def _row(number: int, row) -> tuple:
    community = row.community
    name = community.name + (f"\n{row.prorated_note}" if row.prorated else "")
    level = community.get_level_display()
    if community.organization:
        level += f", {community.organization.short_name}"
    return (
        str(number),
        name,
        level,
        row.leader.short_name if row.leader else "не назначен",
        str(row.held),
        str(row.planned),
        str(row.required),
        row.status.label,
        ", ".join(row.missing_labels) or "—",
        str(row.overdue_assignments),
        str(row.late_protocols),
    )


def summary_line(context: dict) -> str:
    summary, filters = context["summary"], context["filters"]
    text = f"По состоянию на {day(context['today'])}." + (f" Отбор: {filters}." if filters else "")
    text += f" Сообществ: {summary['communities']}"
    if filters:
        text += f" из {context['district_summary']['communities']}"
    statuses = ", ".join(f"{status.label} — {count}" for status, count in summary["by_status"])
    text += (
        f"; заседаний проведено {summary['held']}, запланировано {summary['planned']}, требуется "
        f"{summary['required']}; {statuses}; просроченных поручений {summary['overdue_assignments']}; просроченных "
        f"протоколов {summary['late_protocols']}; с недостающими документами {summary['with_missing_documents']}."
    )
    return text


def district_summary_docx(context: dict) -> bytes:
    year, rows, summary = context["year"], context["rows"], context["summary"]
    w = Writer(
        title=f"Сводка по ПОС ТМР за {year} учебный год",
        author=context["organization"],
        created=context["today"],
        subject="Сводка о деятельности профессиональных обучающихся сообществ",
        landscape=True,
    )
    w.title_block(
        organizations=(context["organization"],),
        kind="СВОДКА",
        title=(
            f"о деятельности профессиональных обучающихся сообществ педагогов за {year} учебный год\n"
            "(соблюдение п.\u00a04.2 Положения и документация раздела 6)"
        ),
    )
    w.paragraph(summary_line(context), size=TABLE_SIZE, after=6)
    total = None
    if rows:
        total = (
            "",
            f"Итого: {summary['communities']}",
            "",
            "",
            str(summary["held"]),
            str(summary["planned"]),
            str(summary["required"]),
            "",
            str(summary["missing_documents"]),
            str(summary["overdue_assignments"]),
            str(summary["late_protocols"]),
        )
    scale = (w.text_width / Mm(1)) / sum(WIDTHS)
    w.table(
        HEADERS,
        (_row(number, row) for number, row in enumerate(rows, start=1)),
        [width * scale for width in WIDTHS],
        empty="Нет сообществ, подходящих под отбор.",
        footer=total,
        size=SUMMARY_TABLE_SIZE,
        header_size=SUMMARY_HEADER_SIZE,
    )
    w.paragraph(context["status_note"], size=TABLE_SIZE, before=8)
    executor = context.get("executor")
    if executor is not None:
        w.signatures([(t(executor.position_title), t(executor.signature_name))])
        w.paragraph(day(context["today"]), keep_with_next=True)
        w.paragraph(t(executor.line), size=TABLE_SIZE, before=10)
    return w.to_bytes()
