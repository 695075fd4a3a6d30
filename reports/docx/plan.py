"""The annual work plan as .docx, from ``reports.annual_documents.plan_document_context`` (as the PDF): «РАССМОТРЕНО
на заседании ПОС, протокол № … от …» once it names that meeting, «УТВЕРЖДАЮ» with the approver's position,
organization, signature line, name and date once approved («ПРОЕКТ» before), the organization, «ПЛАН работы … на …
учебный год», its sections, the table of events at 12 pt and the leader's signature.

Context keys read: ``plan`` (theme, goals, tasks, composition, professional_needs, academic_year, approved_at,
updated_at), ``community`` (name), ``organization_name``, ``items`` (PlanItem: when, topic, form, responsible,
expected_result), ``leader`` (a Teacher or None), ``discussed``, ``approver_position``, ``approver_organization``,
``approver_name``, ``approved_on``, ``draft``.
"""

from __future__ import annotations

from django.utils import timezone

from pos_portal.typography import typeset as t
from reports.docx.common import DRAFT_MARK, SHY, Writer, day

SECTIONS = (
    ("Тема работы", "theme"),
    ("Цели", "goals"),
    ("Задачи", "tasks"),
    ("Количественный и качественный состав", "composition"),
    ("Профессиональные потребности членов ПОС", "professional_needs"),
)


def plan_docx(context: dict) -> bytes:
    plan, community, draft = context["plan"], context["community"], context["draft"]
    approved_on = context["approved_on"]
    w = Writer(
        title=f"План работы {community.title_genitive} на {plan.academic_year} учебный год",
        author=context["organization_name"],
        created=approved_on or timezone.localdate(plan.updated_at),
        subject="План работы профессионального обучающегося сообщества",
        mark=DRAFT_MARK if draft else "",
    )
    if context["discussed"]:
        w.paragraph("РАССМОТРЕНО", bold=True, keep_with_next=True)
        w.paragraph("на заседании ПОС,", keep_with_next=True)
        w.paragraph(t(context["discussed"]), keep_with_next=True, after=6 if draft else 0)
    if not draft:
        w.approval(
            (
                t(context["approver_position"]),
                t(context["approver_organization"]),
                t(f"______________ {context['approver_name']}"),
                day(approved_on),
            ),
        )
    w.title_block(
        organizations=(t(context["organization_name"]),),
        kind="ПЛАН",
        title=t(f"работы {community.title_genitive} на {plan.academic_year} учебный год"),
    )
    for title, field in SECTIONS:
        w.heading(title)
        w.paragraph(t(getattr(plan, field)) or "—", after=4)
    w.heading("Мероприятия", after=4)
    w.table(
        ("№", "Месяц (дата)", "Тема", "Форма работы", f"Ответ{SHY}ственный", "Ожидаемый результат"),
        (
            (
                str(number),
                t(item.when),
                t(item.topic),
                item.get_form_display(),
                t(item.responsible.short_name) if item.responsible else "—",
                t(item.expected_result) or "—",
            )
            for number, item in enumerate(context["items"], start=1)
        ),
        (8, 22, 33, 37, 33, 32),  # «Взаимопосещение», «Ответственный», «Согласованные» whole at 12 pt
        empty="Мероприятия не запланированы.",
    )
    leader = context["leader"]
    w.signatures([("Руководитель ПОС", t(leader.signature_name) if leader else "")])
    return w.to_bytes()
