"""The annual activity report as .docx, from ``reports.annual_documents.annual_report_document_context`` (as the
PDF): the organization, «ОТЧЁТ о деятельности … за … учебный год», the sections of figures (composition, plan,
meetings held, forms, attendance, decisions and assignments, materials) and the typed sections, the leader's
signature and date, and «Принят: …, дата» once the ИОЦ accepted it («ПРОЕКТ» until then). Text flush left, as the
PDF.

Context keys read: ``community`` (name, theme), ``organization_name``, ``year``, ``report`` (may be None),
``figures`` (reports.annual_figures.AnnualFigures), ``sections`` ((heading, text) of the typed sections),
``acceptance``, ``signer`` (a Teacher or None), ``signed_on``, ``draft``.
"""

from __future__ import annotations

from pos_portal.typography import NBSP
from pos_portal.typography import typeset as t
from reports.docx.common import DRAFT_MARK, SHY, TABLE_SIZE, Writer, day

NOT_FILLED = "не заполнено"


def _listing(rows, empty: str = "нет") -> str:
    return ", ".join(rows) or empty


def write_composition(w: Writer, community, figures) -> None:
    composition = figures.composition
    w.heading("1. Состав сообщества")
    theme = figures.plan.theme if figures.plan and figures.plan.theme else community.theme
    text = f"В течение учебного года в сообществе состояли {composition.count_label}, на конец года{NBSP}—{NBSP}"
    text += f"{composition.at_end}." + (f" Тема работы: «{theme}»." if theme else "")
    w.paragraph(t(text))
    if composition.by_position:
        w.paragraph(f"По должностям: {_listing(f'{row.label} — {row.count}' for row in composition.by_position)}.")
        w.paragraph(
            "По квалификационным категориям: "
            f"{_listing(f'{row.label} — {row.count}' for row in composition.by_category)}."
        )
    for label, changes in (("Вступили", composition.joined), ("Вышли", composition.left)):
        names = _listing(f"{change.teacher.short_name} ({day(change.on)})" for change in changes)
        w.paragraph(t(f"{label} в течение года: {names}."))


def write_plan(w: Writer, year, figures) -> None:
    w.heading("2. Выполнение плана работы")
    plan = figures.plan
    if plan is None:
        w.paragraph(f"Плана работы на {year} учебный год в портале нет.")
        return
    state = f"утверждён {day(plan.approved_at)}" if plan.is_approved else "не утверждён (проект)"
    w.paragraph(
        f"План работы на {year} учебный год {state}. Выполнено мероприятий: {figures.plan_fulfilled}{NBSP}"
        f"из{NBSP}{figures.plan_items}.",
        after=4,
        keep_with_next=True,
    )
    w.table(
        ("№", "Мероприятие плана", "Месяц (дата)", "Форма работы", "Выполнение"),
        ((str(row.number), t(row.item.topic), t(row.when), row.form_label, t(row.fact)) for row in figures.plan_rows),
        (8, 53, 25, 37, 42),  # «Взаимопосещение», «Самообразование», a date whole at 12 pt
        empty="В плане нет мероприятий.",
    )


def write_meetings(w: Writer, figures) -> None:
    w.heading("3. Проведённые заседания и мероприятия")
    text = (
        f"Проведено заседаний с подписанным протоколом: {figures.sessions_held} при минимуме {figures.required} "
        f"в год (п.{NBSP}4.2 положения{f'; {figures.prorated_note}' if figures.prorated_note else ''})"
    )
    text += "; требование выполнено." if figures.minimum_met else f"; не хватает {figures.sessions_missing}."
    if figures.sessions_unsigned:
        text += f" Ещё проведено без подписанного протокола:{NBSP}{figures.sessions_unsigned}."
    if figures.meetings_cancelled:
        text += f" Отменено мероприятий:{NBSP}{figures.meetings_cancelled}."
    if not figures.meetings:
        w.paragraph(text)
        w.paragraph("Проведённых заседаний и мероприятий нет.")
        return
    w.paragraph(text, after=4, keep_with_next=True)
    w.table(
        ("№", "Дата", "Форма работы", "Тема", f"Присутст{SHY}вовали", "Протокол"),
        (
            (
                str(row.number),
                day(row.meeting.date),
                row.form_label,
                t(row.meeting.topic),
                row.attendance,
                t(row.protocol),
            )
            for row in figures.meetings
        ),
        (8, 25, 37, 46, 25, 24),  # a date and «Взаимопосещение» whole at 12 pt, the header hyphenated
    )


def write_forms(w: Writer, figures) -> None:
    w.heading("4. Формы работы", after=4)
    w.table(
        ("Форма работы", "Вид", "Проведено"),
        ((row.label, row.kind_label.lower(), str(row.held)) for row in figures.forms),
        (90, 45, 30),
        empty="Проведённых мероприятий нет.",
        footer=("Всего проведено", "", str(figures.meetings_held)),
    )
    w.paragraph(f"Заседаниями по п.{NBSP}4.2 положения считаются коллективные формы работы.", size=TABLE_SIZE, before=2)


def write_attendance(w: Writer, figures) -> None:
    w.heading("5. Посещаемость")
    if figures.attendance_rate is None:
        w.paragraph("Присутствие на заседаниях не отмечалось.")
    else:
        w.paragraph(
            f"Посещаемость проведённых заседаний и мероприятий — {figures.attendance_rate}{NBSP}% (присутствовали "
            f"{figures.attendance_present}{NBSP}из{NBSP}{figures.attendance_recorded} отмеченных)."
        )


def write_decisions(w: Writer, figures) -> None:
    w.heading("6. Решения и поручения", after=4)
    w.table(
        ("Показатель", "Количество"),
        (
            ("Принято решений", str(figures.decisions)),
            ("Дано поручений", str(figures.assignments_total)),
            ("из них выполнено", str(figures.assignments_done)),
            ("в работе", str(figures.assignments_open)),
            ("в том числе просрочено", str(figures.assignments_overdue)),
        ),
        (120, 45),
    )
    if figures.assignments:
        w.paragraph("", after=4)
        w.table(
            ("№", "Поручение", "Ответственный", "Срок", "Выполнение"),
            (
                (str(row.number), t(row.text), t(row.responsible), day(row.deadline), row.state)
                for row in figures.assignments
            ),
            (10, 65, 35, 25, 30),
        )


def write_materials(w: Writer, figures) -> None:
    w.heading("7. Методические материалы", after=4)
    if not figures.materials:
        w.paragraph("Материалов за учебный год не добавлено.")
        return
    w.table(
        ("№", "Название", "Вид", "Авторы"),
        (
            (str(number), t(material.title), material.kind_label, t(", ".join(material.authors)) or "—")
            for number, material in enumerate(figures.materials, start=1)
        ),
        (10, 75, 35, 45),
    )


def annual_report_docx(context: dict) -> bytes:
    community, year, figures = context["community"], context["year"], context["figures"]
    w = Writer(
        title=f"Отчёт о деятельности {community.title_genitive} за {year} учебный год",
        author=context["organization_name"],
        created=context["signed_on"],
        subject="Отчёт о деятельности профессионального обучающегося сообщества",
        mark=DRAFT_MARK if context["draft"] else "",
    )
    w.title_block(
        organizations=(t(context["organization_name"]),),
        kind="ОТЧЁТ",
        title=t(f"о деятельности {community.title_genitive} за {year} учебный год"),
    )
    write_composition(w, community, figures)
    write_plan(w, year, figures)
    write_meetings(w, figures)
    write_forms(w, figures)
    write_attendance(w, figures)
    write_decisions(w, figures)
    write_materials(w, figures)
    sections, first = context["sections"], context["first_typed_section"]
    for number, (heading, text) in enumerate(sections, start=first):
        w.heading(f"{number}. {heading}")
        # the last section's text keeps with the signature: the signature never stands alone on a page
        w.paragraph(t(text) or NOT_FILLED, keep_with_next=number == first + len(sections) - 1)
    signer = context["signer"]
    w.signatures([("Руководитель ПОС", t(signer.signature_name) if signer else "")])
    w.paragraph(day(context["signed_on"]), before=6)
    if context["acceptance"]:
        w.paragraph(t(context["acceptance"]), before=12)
    return w.to_bytes()
