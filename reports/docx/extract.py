"""The extract (выписка) of one question of a protocol as .docx, from ``reports.protocol_pdf.extract_context`` (as
the PDF): the protocol's head and introductory part, the one question with its number, the signatures reproduced
(position, «подпись», И.О. Фамилия), then «Верно» with the certifier and the date.

Context keys read: ``doc``, ``draft``, ``question``, ``agenda``, ``certifier`` (a Teacher or None),
``certified_on``.
"""

from __future__ import annotations

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
    write_intro(w, doc, EXTRACT)
    write_agenda(w, context["agenda"])
    write_question(w, question)
    w.signatures(((signature.position, signature.name) for signature in doc.signatures), reproduced=True)
    w.paragraph("Верно", before=18, keep_with_next=True)
    certifier = context["certifier"]
    w.signatures([("Руководитель ПОС", certifier.signature_name if certifier else "")], before=0)
    w.paragraph(day(context["certified_on"]))
    return w.to_bytes()
