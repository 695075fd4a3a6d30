"""The stored PDFs of signed documents: a signed protocol (rendered once, at signing) and each correction to it
(rendered once, when it is made); neither ever changes.

A signed protocol never changes, so neither does its document (with its verification code,
``reports.models.verification``, printed in it with a QR code of the public check page): the row and its file are
written once (``reports.receivers``, inside the signing transaction) and from then on only read: the table is
append-only (``pos_portal.final_records``): ``save()`` of a stored row, ``delete()``, the QuerySet's
``update()``/``delete()`` are refused with ``SignedProtocolError``, and raw SQL by the database's triggers; the
protocol cannot go either (``on_delete=PROTECT``, and a signed protocol is locked by ``meetings``).
"""

from django.db import models
from django.utils import timezone

from communities.validators import generated_upload_name
from meetings.models import Protocol, ProtocolCorrection, SignedProtocolError
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord
from reports.models.verification import CheckFacts, VerifiableDocument

IMMUTABLE_MESSAGE = "PDF подписанного протокола не изменяется и не удаляется."


def protocol_document_upload_to(instance, filename):
    return generated_upload_name("protocols", "protocol.pdf")


def correction_document_upload_to(instance, filename):
    return generated_upload_name("corrections", "correction.pdf")


class StoredDocument(FinalRecord, VerifiableDocument):
    """A signed document rendered once and stored with its SHA-256, its size and its verification code;
    append-only: the row and its file are written once and from then on only read (checked against the hash where
    served)."""

    FINAL = Final(append_only=True, message=IMMUTABLE_MESSAGE, error=SignedProtocolError)

    file = models.FileField("файл PDF", editable=False)
    sha256 = models.CharField("SHA-256", max_length=64, editable=False)
    size = models.PositiveIntegerField("размер, байт", editable=False)
    rendered_at = models.DateTimeField("сформирован", default=timezone.now, editable=False)

    objects = FinalQuerySet.as_manager()

    class Meta:
        abstract = True
        ordering = ["-rendered_at", "-pk"]

    def read(self) -> bytes:
        with self.file.open("rb") as handle:
            return handle.read()


class ProtocolDocument(StoredDocument):
    protocol = models.OneToOneField(
        Protocol, verbose_name="протокол", on_delete=models.PROTECT, related_name="document", editable=False
    )
    file = models.FileField("файл PDF", upload_to=protocol_document_upload_to, editable=False)

    class Meta(StoredDocument.Meta):
        verbose_name = "PDF подписанного протокола"
        verbose_name_plural = "PDF подписанных протоколов"

    def __str__(self):
        return f"PDF протокола № {self.protocol.number} ({self.sha256[:12]}…)"

    @classmethod
    def check_queryset(cls):
        return cls.objects.select_related("protocol__meeting__community", "protocol__signed_by")

    def check_facts(self) -> CheckFacts:
        protocol = self.protocol
        return CheckFacts(
            kind="Протокол заседания",
            number=str(protocol.number),
            date=protocol.meeting.date,
            community=protocol.meeting.community.name,
            signer=protocol.signed_by.signature_name if protocol.signed_by_id else "",
            sha256=self.sha256,
        )


class CorrectionDocument(StoredDocument):
    """The PDF of a correction to a signed protocol («Исправление № K к протоколу № N от …»), stored when the
    correction is made (``reports.receivers``, inside its transaction)."""

    FINAL = Final(
        append_only=True, message="PDF исправления протокола не изменяется и не удаляется.", error=SignedProtocolError
    )

    correction = models.OneToOneField(
        ProtocolCorrection,
        verbose_name="исправление",
        on_delete=models.PROTECT,
        related_name="document",
        editable=False,
    )
    file = models.FileField("файл PDF", upload_to=correction_document_upload_to, editable=False)

    class Meta(StoredDocument.Meta):
        verbose_name = "PDF исправления протокола"
        verbose_name_plural = "PDF исправлений протоколов"

    def __str__(self):
        return f"PDF: {self.correction.title} ({self.sha256[:12]}…)"

    @classmethod
    def check_queryset(cls):
        return cls.objects.select_related("correction__protocol__meeting__community", "correction__author")

    def check_facts(self) -> CheckFacts:
        correction = self.correction
        return CheckFacts(
            kind="Исправление",
            number=f"{correction.number} к протоколу № {correction.protocol.number}",
            date=timezone.localdate(correction.created_at),
            community=correction.protocol.meeting.community.name,
            signer=correction.author.signature_name,
            sha256=self.sha256,
        )
