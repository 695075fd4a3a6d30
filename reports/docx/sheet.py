"""The acknowledgement sheet of a regulation (лист ознакомления) as .docx, from
``reports.views.documents.sheet_context`` (as the PDF): № / Фамилия, имя, отчество / Дата / Подпись.

Context keys read: ``regulation`` (title, recommended_requisites, approved_requisites, effective_from),
``community`` (organization; None for a district-wide regulation), ``community_name``, ``doc_title``,
``effective``, ``rows`` (dicts: ``teacher``, ``acknowledged_on``, ``mark``; ``teacher`` None on a blank row),
``note``, ``generated_on``. Text typeset as in the PDF.
"""

from __future__ import annotations

from pos_portal.typography import typeset as t
from reports.document_meta import document_meta
from reports.docx.common import TABLE_SIZE, Writer, day

SHEET_TEMPLATE = "reports/pdf/acknowledgement_sheet.html"
DISTRICT = "Профессиональные обучающиеся сообщества педагогов района"


def sheet_docx(context: dict) -> bytes:
    regulation, community = context["regulation"], context["community"]
    if community is not None:
        organizations = (
            t(community.organization.full_name) if community.organization else "",
            t(context["community_name"]),
        )
    else:
        organizations = (DISTRICT,)
    meta = document_meta(SHEET_TEMPLATE, context)  # the PDF's author and subject
    w = Writer(
        title=f"Лист ознакомления · {regulation.title}",
        author=meta.author,
        created=context["generated_on"],
        subject=meta.subject,
    )
    w.title_block(organizations=organizations, kind="ЛИСТ ОЗНАКОМЛЕНИЯ", title=t(context["doc_title"]))
    for requisites in (regulation.recommended_requisites, regulation.approved_requisites):
        if requisites:
            w.paragraph(t(f"{requisites}."))
    w.paragraph(t(context["effective"]))
    w.paragraph(context["note"], size=TABLE_SIZE, before=4, after=8)
    rows = [
        (str(number), t(row["teacher"].full_name) if row["teacher"] else "", day(row["acknowledged_on"]), row["mark"])
        for number, row in enumerate(context["rows"], start=1)
    ]
    w.table(("№ п/п", "Фамилия, имя, отчество", "Дата", "Подпись"), rows or [("1", "", "", "")], (15, 85, 30, 35))
    w.paragraph(f"Сформировано {day(context['generated_on'])}.", before=8)
    return w.to_bytes()
