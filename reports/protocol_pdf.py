"""The protocol of a meeting and the extract (выписка) of one of its questions as PDF documents, and the stored
document of a signed protocol (layout in docs/rules.md, «Документы, которые печатает портал»).

- The content is ``meetings.protocol_content``'s, laid out by the same templates as the meeting page's preview
  (``templates/meetings/protocol/``) inside the print frame of ``templates/reports/pdf/``.
- A draft protocol is rendered on request, marked «ПРОЕКТ».
- A signed protocol is rendered once, when it is signed (``reports.receivers``, inside the signing transaction),
  stored as a ``ProtocolDocument`` with its SHA-256, and afterwards served from storage byte for byte; it prints its
  verification code and QR code (``reports.models.verification``).
"""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from meetings.models import AgendaItem, Protocol, ProtocolCorrection
from meetings.protocol_content import load_protocol, protocol_content
from reports.models import CorrectionDocument, ProtocolDocument, StoredDocument
from reports.models.verification import Verification, new_verification_code
from reports.pdf import render_pdf

logger = logging.getLogger(__name__)

PROTOCOL_TEMPLATE = "reports/pdf/protocol.html"
EXTRACT_TEMPLATE = "reports/pdf/extract.html"
EXTRACT_STYLESHEETS = ("css/pdf/extract.css",)
CORRECTION_TEMPLATE = "reports/pdf/correction.html"


def protocol_context(protocol: Protocol) -> dict:
    """What protocol.html and extract.html print (``protocol`` as returned by ``load_protocol``)."""
    return {"doc": protocol_content(protocol), "draft": not protocol.is_signed}


def protocol_filename(protocol: Protocol, prefix: str = "Протокол", suffix: str = ".pdf") -> str:
    return f"{prefix} № {protocol.number} от {protocol.meeting.date:%d.%m.%Y}{suffix}"


def extract_filename(protocol: Protocol, item: AgendaItem, suffix: str = ".pdf") -> str:
    return protocol_filename(protocol, prefix=f"Выписка из протокола (вопрос {item.order})", suffix=suffix)


def render_protocol_pdf(
    protocol: Protocol, *, archival: bool = False, verification: Verification | None = None
) -> bytes:
    """The protocol's PDF; ``archival``: the stored document of a signed one (PDF/A-3b, tagged); ``verification``:
    its check code and QR code, printed at the end."""
    context = protocol_context(protocol)
    context["verification"] = verification
    return render_pdf(PROTOCOL_TEMPLATE, context, archival=archival)


def extract_context(protocol: Protocol, item: AgendaItem, *, today=None) -> dict:
    """What extract.html (and the .docx extract) print: the protocol's context and the question ``item``.

    - A signed protocol's extract is certified «Верно» by the community's current leader on ``today``, says where
      the original is kept (``PROTOCOL_ORIGINAL_KEPT_AT``) and prints the question as corrected (each corrected
      decision in its new wording, marked «в редакции исправления № K от …»).
    - A draft's extract is marked «ПРОЕКТ» (``draft``) and certified by nobody: ``certifier`` is None.
    - Where the protocol's list of those present is its annex, ``present_list_note`` says where that list is.
    """
    today = today or timezone.localdate()
    context = protocol_context(protocol)
    doc = context["doc"]
    signed = protocol.is_signed
    kept_at = settings.PROTOCOL_ORIGINAL_KEPT_AT
    question = doc.corrected_question(item.pk) if signed else doc.question(item.pk)
    context.update(
        {
            "question": question,
            "agenda": [question],
            "certifier": protocol.meeting.community.leader_on(today) if signed else None,
            "certified": signed,
            "certified_on": today,
            "original_kept_at": f"Подлинник протокола хранится в {kept_at}" if signed else "",
            "present_list_note": ""
            if doc.attendance.listed
            else (
                f"список присутствовавших – приложение к протоколу № {doc.heading.number} от "
                f"{doc.heading.date:%d.%m.%Y}, хранится в {kept_at}"
            ),
        }
    )
    return context


def render_extract_pdf(protocol: Protocol, item: AgendaItem, *, today=None) -> bytes:
    """The extract of the question ``item`` of ``protocol`` (:func:`extract_context`)."""
    return render_pdf(EXTRACT_TEMPLATE, extract_context(protocol, item, today=today), stylesheets=EXTRACT_STYLESHEETS)


# --- The stored document of a signed protocol ---------------------------------------------------------------------


def store_protocol_document(protocol: Protocol) -> ProtocolDocument:
    """Render the signed ``protocol`` with a new verification code and store it with its SHA-256. Called inside the
    signing transaction: an exception here (rendering, storage) propagates and undoes the signing."""
    protocol = load_protocol(protocol.pk)
    if not protocol.is_signed:
        raise ValueError("Only a signed protocol gets a stored document.")
    return store_document(ProtocolDocument(protocol=protocol), partial(render_protocol_pdf, protocol), "protocol.pdf")


def store_document(document: StoredDocument, render, filename: str) -> StoredDocument:
    """Store the new row ``document`` (its owner set) of a signed document: ``render(archival=…, verification=…)``
    lays it out once as an archival PDF printing a new verification code, and the row keeps its SHA-256, size and
    code. Called inside the signing (or correcting) transaction: an exception propagates and undoes it, and a file
    already written is removed."""
    code = new_verification_code()
    data = render(archival=True, verification=Verification.for_code(code))
    document.sha256, document.size, document.verification_code = hashlib.sha256(data).hexdigest(), len(data), code
    document.file.save(filename, ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


def verified_bytes(document: StoredDocument, of_what: str) -> bytes:
    """The stored file of ``document``, checked against its SHA-256: a missing or altered file is a 404 («Файл PDF
    протокола не найден.», ``of_what`` «протокола» or «исправления») and an error in the log, never other bytes."""
    try:
        data = document.read()
    except FileNotFoundError:
        logger.error("The stored PDF %s is missing: %s", document, document.file.name)
        raise Http404(f"Файл PDF {of_what} не найден.") from None
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("The stored PDF %s does not match its SHA-256", document)
        raise Http404(f"Файл PDF {of_what} повреждён.")
    return data


def signed_protocol_document(protocol: Protocol) -> ProtocolDocument:
    """The stored document of a signed protocol. A protocol signed before documents were stored gets its document
    now, once."""
    try:
        document = protocol.document  # loaded with the protocol (select_related) or now
    except ProtocolDocument.DoesNotExist:
        document = None
    if document is None:
        with transaction.atomic():
            Protocol.objects.select_for_update().filter(pk=protocol.pk).first()
            document = ProtocolDocument.objects.filter(protocol_id=protocol.pk).first()
            if document is None:
                logger.info("Storing the missing PDF of signed protocol %s", protocol.pk)
                document = store_protocol_document(protocol)
    return document


def original_sha256(protocol: Protocol) -> str:
    """The SHA-256 of a signed protocol's stored PDF, the original its copies name (checked against the file: a
    missing or altered original is a 404, as for its PDF)."""
    signed_protocol_pdf(protocol)  # reads the file and checks it against the stored SHA-256
    return signed_protocol_document(protocol).sha256


def signed_protocol_pdf(protocol: Protocol) -> bytes:
    """The stored PDF of a signed protocol (:func:`signed_protocol_document`), checked against its SHA-256."""
    return verified_bytes(signed_protocol_document(protocol), "протокола")


# --- The stored document of a correction --------------------------------------------------------------------------


def correction_filename(correction: ProtocolCorrection) -> str:
    return f"{correction}.pdf"


def correction_context(correction: ProtocolCorrection) -> dict:
    """What correction.html prints: the protocol's head (``doc``), the correction and, for a decision, its wording
    as signed («Было») and as corrected («Читать»)."""
    protocol = load_protocol(correction.protocol_id)
    doc = protocol_content(protocol)
    entry = next(c for c in doc.corrections if c.pk == correction.pk)
    question = doc.question(correction.agenda_item_id) if correction.agenda_item_id else None
    decision = (
        next(d for d in question.decisions if d.pk == correction.decision_id)
        if question and correction.decision_id
        else None
    )
    return {
        "doc": doc,
        "draft": False,
        "correction": entry,
        "question": question,
        "decision": decision,
        "signer": correction.author.signature_name,
        "signed_at": correction.created_at,
    }


def render_correction_pdf(
    correction: ProtocolCorrection, *, archival: bool = False, verification: Verification | None = None
) -> bytes:
    """The correction's PDF; ``archival`` and ``verification`` as for the protocol (``render_protocol_pdf``)."""
    context = correction_context(correction)
    context["verification"] = verification
    return render_pdf(CORRECTION_TEMPLATE, context, stylesheets=EXTRACT_STYLESHEETS, archival=archival)


def store_correction_document(correction: ProtocolCorrection) -> CorrectionDocument:
    """Render the correction once, as an archival PDF with a new verification code, and store it with its SHA-256.
    Called inside the correction's transaction: an exception here propagates and undoes the correction."""
    return store_document(
        CorrectionDocument(correction=correction), partial(render_correction_pdf, correction), "correction.pdf"
    )


def correction_pdf(correction: ProtocolCorrection) -> bytes:
    """The stored PDF of a correction, checked against its SHA-256 (a correction made before documents were
    stored gets its document now, once)."""
    document = CorrectionDocument.objects.filter(correction_id=correction.pk).first()
    if document is None:
        with transaction.atomic():
            ProtocolCorrection.objects.select_for_update().filter(pk=correction.pk).first()
            document = CorrectionDocument.objects.filter(correction_id=correction.pk).first()
            if document is None:
                logger.info("Storing the missing PDF of correction %s", correction.pk)
                document = store_correction_document(correction)
    return verified_bytes(document, "исправления")
