"""The protocol of a meeting as .docx, from ``reports.protocol_pdf.protocol_context`` (as the PDF and the meeting
page): the same requisites and parts as templates/meetings/protocol/ in the same order. A signed protocol's .docx
is a copy of the electronic original (the stored PDF): «Копия» at the top and the original's signer, time and
SHA-256 at the end.

Context keys read: ``doc`` (meetings.protocol_content.ProtocolContent), ``draft``, ``original_check_url`` (the
original's check page, when it has a code), ``original_sha256`` (a signed
protocol's stored PDF). Text is typeset as in the PDF (pos_portal.typography: no-break spaces) and flush left.
"""

from __future__ import annotations

from django.utils import timezone

from pos_portal.typography import typeset as t
from reports.docx.common import CENTER, COPY_MARK, DRAFT_MARK, RIGHT_ALIGN, Writer, day

PROTOCOL = "ПРОТОКОЛ"


def writer_for(doc, *, draft: bool, kind: str, title: str, copy: bool = False, created=None) -> Writer:
    """The document of a protocol's content ``doc``: authored by the organization, dated by the meeting (or
    ``created``), «ПРОЕКТ» on a draft and «Копия» on a ``copy``."""
    heading = doc.heading
    return Writer(
        title=title,
        author=heading.organization or heading.community,
        created=created or heading.date,
        subject=f"{kind.capitalize()} {heading.title}",
        mark=DRAFT_MARK if draft else COPY_MARK if copy else "",
    )


def officer(name: str, position: str) -> str:
    """«О.В. Смирнова, учитель математики (МОУ СШ № 3)» after «Председательствующий –» / «Секретарь –»."""
    return f"{name}, {position}" if position else name


def write_intro(w: Writer, doc, kind: str, present_list_note: str = "") -> None:
    """The head and the introductory part (document_intro.html; ``present_list_note`` as there)."""
    heading = doc.heading
    w.title_block(organizations=(t(heading.organization), t(heading.community)), kind=kind)
    w.date_number(heading.date, heading.number)
    w.paragraph(t(heading.place), align=CENTER, after=10, keep_with_next=True)
    w.heading(t(heading.title), align=CENTER, before=4, after=12)
    if heading.meeting_place:
        w.paragraph(t(f"Место проведения: {heading.meeting_place}"))
    if heading.time:
        w.paragraph(f"Время проведения: {heading.time:%H:%M}")
    if heading.form:
        w.paragraph(t(f"Форма проведения: {heading.form}"))
    chair = officer(doc.chair, doc.chair_position) if doc.chair else "не указан"
    w.paragraph(t(f"Председательствующий – {chair}"), before=12)
    if doc.secretary:
        w.paragraph(t(f"Секретарь – {officer(doc.secretary, doc.secretary_position)}"))
    attendance = doc.attendance
    if attendance.listed:
        present = ", ".join(person.name for person in attendance.present) or "не отмечены"
    else:
        present = f"{attendance.present_count} ({present_list_note or 'список прилагается'})"
    w.paragraph(t(f" {present}"), label="Присутствовали:", before=12)
    if attendance.absent:
        absent = ", ".join(
            person.name + (f" ({person.reason})" if person.reason else "") for person in attendance.absent
        )
        w.paragraph(t(f" {absent}"), label="Отсутствовали:")
    if attendance.guests:
        guests = "; ".join(
            ", ".join(part for part in (guest.full_name, guest.position, guest.organization) if part)
            for guest in attendance.guests
        )
        w.paragraph(t(f" {guests}"), label="Приглашённые:")
    if doc.quorum:
        w.paragraph(t(doc.quorum))


def write_agenda(w: Writer, questions) -> None:
    """ПОВЕСТКА ДНЯ (document_agenda.html)."""
    w.heading("ПОВЕСТКА ДНЯ:", before=12)
    for question in questions:
        w.paragraph(t(f"{question.order}. {question.question}"), keep_with_next=bool(question.reporters))
        if question.reporters:
            word = "Докладчик" if len(question.reporters) == 1 else "Докладчики"
            w.paragraph(t(f"{word}: {question.speaker}"), after=4)
    if not questions:
        w.paragraph("Вопросы не записаны.")


def write_question(w: Writer, question) -> None:
    """СЛУШАЛИ / ВЫСТУПИЛИ / РЕШИЛИ (ПОСТАНОВИЛИ) of one question (document_question.html)."""
    w.heading(f"{question.order}. СЛУШАЛИ:", before=12)
    heard = " – ".join(part for part in (question.heard_from, question.heard) if part)
    w.paragraph(t(heard))
    if question.spoke:
        w.heading("ВЫСТУПИЛИ:")
        for speaker in question.spoke:
            w.paragraph(t(speaker.name + (f" – {speaker.text}" if speaker.text else "")))
    w.heading("РЕШИЛИ (ПОСТАНОВИЛИ):")
    for decision in question.decisions:
        mark = f" ({decision.mark})" if decision.mark else ""
        w.paragraph(t(f"{decision.number}. {decision.text}{mark}"))
        for assignment in decision.assignments:
            w.paragraph(t(f"Ответственный: {assignment.responsible}, срок – {day(assignment.deadline)}."))
        if decision.votes:
            votes = decision.votes
            unanimous = " (единогласно)" if votes.unanimous else ""
            w.paragraph(
                t(
                    f"Голосовали: за – {votes.in_favour}{unanimous}, против – {votes.against}, "
                    f"воздержались – {votes.abstained}."
                )
            )
    if not question.decisions:
        w.paragraph("Решение не записано.")
    for note in question.corrections:
        w.paragraph(t(note), before=4)


def signed_note(doc) -> str:
    """«Подписан: …» of a signed protocol (document_body.html)."""
    when = timezone.localtime(doc.signed_at).strftime("%d.%m.%Y %H:%M")
    if doc.signed_by_chair:
        return f"Подписан: {doc.signed_by}, {when}"
    return (
        f"Подписан руководителем ПОС: {doc.signed_by}, {when} "
        f"(председательствующий на заседании – {doc.chair or 'не указан'})"
    )


def copy_note(doc, sha256: str, check_url: str = "") -> str:
    when = timezone.localtime(doc.signed_at).strftime("%d.%m.%Y %H:%M")
    note = f"Копия. Подлинник — электронный документ, подписан {doc.signed_by} {when}, SHA-256 {sha256}."
    return note + (f" Проверка подлинника: {check_url}" if check_url else "")


def write_appendix(w: Writer, doc) -> None:
    """The list of those present, over PRESENT_LIST_LIMIT: a table on a page of its own."""
    heading = doc.heading
    w.page_break()
    w.paragraph(f"Приложение\nк протоколу от {day(heading.date)} №\u00a0{heading.number}", align=RIGHT_ALIGN, after=12)
    w.heading(t(f"Список присутствовавших на заседании {heading.community_genitive}"), align=CENTER, after=12)
    w.table(
        ("№ п/п", "Фамилия И.О.", "Должность", "Организация"),
        (
            (str(number), t(person.name), t(person.position), t(person.organization))
            for number, person in enumerate(doc.attendance.present, start=1)
        ),
        (12, 40, 63, 50),
    )


def corrections_note(doc) -> str:
    """«К протоколу внесены исправления: № 1 от 20.10.2024 (п. 1.1 решения по вопросу 1); № 2 от …»."""
    listed = "; ".join(
        f"№ {correction.number} от {correction.created_at:%d.%m.%Y} ({correction.target})"
        for correction in doc.corrections
    )
    return f"К протоколу внесены исправления (отдельные документы): {listed}."


def protocol_docx(context: dict) -> bytes:
    doc, draft = context["doc"], context["draft"]
    heading = doc.heading
    w = writer_for(
        doc,
        draft=draft,
        kind=PROTOCOL,
        title=f"Протокол № {heading.number} от {day(heading.date)} · {heading.community}",
        copy=not draft,
    )
    write_intro(w, doc, PROTOCOL)
    write_agenda(w, doc.questions)
    for question in doc.questions:
        write_question(w, question)
    if doc.attachments:
        if len(doc.attachments) == 1:
            w.paragraph(t(f"Приложение: {doc.attachments[0]}"), before=12, keep_with_next=True)
        else:
            w.paragraph("Приложения:", before=12, keep_with_next=True)
            for number, line in enumerate(doc.attachments, start=1):
                w.paragraph(t(f"{number}. {line}"), keep_with_next=True)
    w.signatures((signature.position, t(signature.name)) for signature in doc.signatures)
    if not draft:
        w.paragraph(signed_note(doc), before=12)
        if context.get("original_sha256"):
            note = copy_note(doc, context["original_sha256"], context.get("original_check_url", ""))
            w.paragraph(note, before=6)
        if doc.corrections:  # the signed original never changes; its copy says that corrections exist
            w.paragraph(corrections_note(doc), before=6)
    if not doc.attendance.listed:
        write_appendix(w, doc)
    return w.to_bytes()
