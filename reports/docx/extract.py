"""The extract (выписка) of one question of a protocol as .docx, from ``reports.protocol_pdf.extract_context`` (as
the PDF): the protocol's head and introductory part (where an annexed list is), the one question with its number
(as corrected), the signatures reproduced (position, «подпись», И.О. Фамилия), then, for a signed protocol only,
«Верно» with the certifier, the date and where the original is kept; a draft's is marked «ПРОЕКТ».

Context keys read: ``doc``, ``draft``, ``question``, ``agenda``, ``certified``, ``certifier`` (a Teacher or None),
``certified_on``, ``original_kept_at``, ``present_list_note``.
"""

from __future__ import annotations

from pos_portal.typography import typeset as t
from reports.docx.common import day
from reports.docx.protocol import write_agenda, write_intro, write_question, writer_for

EXTRACT = "ВЫПИСКА ИЗ ПРОТОКОЛА"


def extract_docx(context: dict) -> bytes:
    doc, question = context["doc"], context["question"]
    heading = doc.heading
    w = writer_for(
        doc,
        draft=context["draft"],
        kind=EXTRACT,
        title=(
            f"Выписка из протокола № {heading.number} от {day(heading.date)}, вопрос {question.order} · "
            f"{heading.community}"
        ),
        created=context["certified_on"],
    )
    write_intro(w, doc, EXTRACT, context["present_list_note"])
    write_agenda(w, context["agenda"])
    write_question(w, question)
    w.signatures(((signature.position, t(signature.name)) for signature in doc.signatures), reproduced=True)
    if context["certified"]:
        w.paragraph("Верно", before=18, keep_with_next=True)
        certifier = context["certifier"]
        w.signatures([("Руководитель ПОС", t(certifier.signature_name) if certifier else "")], before=0)
        w.paragraph(day(context["certified_on"]), keep_with_next=True)
        w.paragraph(t(context["original_kept_at"]))
    return w.to_bytes()
