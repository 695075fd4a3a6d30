"""The protocol of a meeting and the extract (выписка) of one of its questions as PDF documents, and the stored
document of a signed protocol (issue items 5 and 6; layout in DOMAIN.md, «Documents the portal prints»).

- A draft protocol is rendered on request, marked «ПРОЕКТ».
- A signed protocol is rendered once, when it is signed (``reports.receivers``, inside the signing transaction),
  stored as a ``ProtocolDocument`` with its SHA-256, and afterwards served from storage byte for byte.
"""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone

from meetings.models import AgendaItem, Assignment, Attendance, Decision, Guest, Protocol
from pos_portal.russian import plural
from reports.models import ProtocolDocument
from reports.pdf import render_pdf

logger = logging.getLogger(__name__)

PROTOCOL_TEMPLATE = "reports/pdf/protocol.html"
EXTRACT_TEMPLATE = "reports/pdf/extract.html"
#: Over this many present members the protocol gives their count, «список прилагается», and the list as an appendix.
PRESENT_LIST_LIMIT = 15


def people(count: int) -> str:
    """«человек» / «человека» after a number: 1 человек, 3 человека, 5 человек, 22 человека."""
    return plural(count, "человек", "человека", "человек")


def _name_key(teacher):
    return [part.lower().replace("ё", "е") for part in (teacher.surname, teacher.name, teacher.patronymic)]


def load_protocol(pk: int) -> Protocol:
    """The protocol with everything its document prints, in a fixed number of queries."""
    return (
        Protocol.objects.select_related(
            "meeting__community__organization", "chair", "secretary", "signed_by", "community"
        )
        .prefetch_related(
            Prefetch(
                "meeting__attendance",
                queryset=Attendance.objects.select_related("teacher__organization").order_by("pk"),
            ),
            Prefetch("meeting__guests", queryset=Guest.objects.order_by("full_name", "pk")),
            Prefetch("meeting__agenda", queryset=AgendaItem.objects.select_related("speaker").order_by("order")),
            Prefetch("meeting__agenda__decisions", queryset=Decision.objects.order_by("order")),
            Prefetch(
                "meeting__agenda__decisions__assignments",
                queryset=Assignment.objects.select_related("responsible").order_by("deadline", "pk"),
            ),
        )
        .get(pk=pk)
    )


def protocol_context(protocol: Protocol) -> dict:
    """What protocol.html and extract.html print (``protocol`` as returned by ``load_protocol``)."""
    meeting = protocol.meeting
    community = meeting.community
    attendance = sorted(meeting.attendance.all(), key=lambda row: _name_key(row.teacher))
    present = [row.teacher for row in attendance if row.present]
    present_listed = len(present) <= PRESENT_LIST_LIMIT
    attachments = []
    if not present_listed:
        attachments.append(f"Список присутствовавших на заседании ({len(present)} {people(len(present))}).")
    attachments += [line.strip() for line in protocol.attachments.splitlines() if line.strip()]
    return {
        "protocol": protocol,
        "meeting": meeting,
        "community": community,
        "organization": community.organization,
        "chair": protocol.chair,
        "secretary": protocol.secretary,
        "present": present,
        "present_listed": present_listed,
        "present_people": people(len(present)),
        "absent": [row for row in attendance if not row.present],
        "guests": list(meeting.guests.all()),
        "agenda": list(meeting.agenda.all()),
        "attachments": attachments,
        "draft": not protocol.is_signed,
    }


def protocol_filename(protocol: Protocol, prefix: str = "Протокол") -> str:
    return f"{prefix} № {protocol.number} от {protocol.meeting.date:%d.%m.%Y}.pdf"


def render_protocol_pdf(protocol: Protocol) -> bytes:
    return render_pdf(PROTOCOL_TEMPLATE, protocol_context(protocol))


def render_extract_pdf(protocol: Protocol, item: AgendaItem, *, today=None) -> bytes:
    """The extract of ``item`` (one of the prefetched ``protocol.meeting.agenda``), certified «Верно» by the
    community's current leader on ``today``."""
    today = today or timezone.localdate()
    community = protocol.meeting.community
    context = protocol_context(protocol)
    context.update({"item": item, "certifier": community.leader_on(today), "certified_on": today})
    return render_pdf(EXTRACT_TEMPLATE, context)


# --- The stored document of a signed protocol ---------------------------------------------------------------------


def store_protocol_document(protocol: Protocol) -> ProtocolDocument:
    """Render the signed ``protocol`` and store it with its SHA-256. Called inside the signing transaction: an
    exception here (rendering, storage) propagates and undoes the signing."""
    protocol = load_protocol(protocol.pk)
    if not protocol.is_signed:
        raise ValueError("Only a signed protocol gets a stored document.")
    data = render_protocol_pdf(protocol)
    document = ProtocolDocument(protocol=protocol, sha256=hashlib.sha256(data).hexdigest(), size=len(data))
    document.file.save("protocol.pdf", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            document.save()
    except BaseException:
        document.file.storage.delete(document.file.name)
        raise
    return document


def signed_protocol_pdf(protocol: Protocol) -> bytes:
    """The stored PDF of a signed protocol, checked against its SHA-256. A protocol signed before documents were
    stored gets its document now, once."""
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
    try:
        data = document.read()
    except FileNotFoundError:
        logger.error("The stored PDF of protocol %s is missing: %s", protocol.pk, document.file.name)
        raise Http404("Файл PDF протокола не найден.") from None
    if hashlib.sha256(data).hexdigest() != document.sha256:
        logger.error("The stored PDF of protocol %s does not match its SHA-256", protocol.pk)
        raise Http404("Файл PDF протокола повреждён.")
    return data
