"""A check on paper: every stored signed document carries a short verification code and a QR code of the portal's
public page ``/check/<code>/`` (``reports.views.check``), which confirms what the document itself prints — its
kind, number, date, community, signer — and the SHA-256 of the stored file, so that a printed copy can be checked
against the original.

``VerifiableDocument`` is the abstract model of such a document: the code, made when the document is rendered
(:func:`new_verification_code`, before its bytes exist, since the code is printed in them), and
:meth:`VerifiableDocument.check_facts`, which each concrete model gives. Every concrete subclass is looked up by
the check page (:func:`find_document`); documents stored before codes existed have none (their bytes never change).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.db import models
from django.urls import reverse

#: Letters and digits nobody misreads on paper: no 0/O, 1/I/L, no U/V pair.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTWXYZ"
CODE_LENGTH = 10
_CODE = re.compile(f"^[{ALPHABET}]{{{CODE_LENGTH}}}$")


@dataclass(frozen=True)
class CheckFacts:
    """What the check page confirms: only what the document prints, and the SHA-256 of its file."""

    kind: str  # «Протокол заседания»
    number: str
    date: object  # datetime.date
    community: str
    signer: str  # «И.О. Фамилия», as under the signature
    sha256: str


class VerifiableDocument(models.Model):
    verification_code = models.CharField(
        "код проверки",
        max_length=CODE_LENGTH,
        unique=True,
        null=True,  # documents stored before codes existed
        blank=True,
        editable=False,
        help_text="Печатается на документе с QR-кодом страницы проверки.",
    )

    class Meta:
        abstract = True

    def check_facts(self) -> CheckFacts:
        raise NotImplementedError

    @classmethod
    def check_queryset(cls):
        """The rows the check page reads, with what ``check_facts`` needs."""
        return cls.objects.all()

    @property
    def verification_url(self) -> str:
        return verification_url(self.verification_code)


def verifiable_models() -> list[type[VerifiableDocument]]:
    return [model for model in apps.get_models() if issubclass(model, VerifiableDocument)]


def normalize_code(text: str) -> str | None:
    """The code as typed or read («ab3k-7mnp 2q» → «AB3K7MNP2Q»); None when it cannot be one."""
    code = re.sub(r"[\s\-]", "", str(text or "")).upper()[: CODE_LENGTH + 1]
    return code if _CODE.match(code) else None


def new_verification_code() -> str:
    """A random code that no verifiable document has (about 4·10^14 codes: a guess finds nothing)."""
    while True:
        code = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
        if not any(model.objects.filter(verification_code=code).exists() for model in verifiable_models()):
            return code


def find_document(code: str) -> VerifiableDocument | None:
    """The stored document with the (normalized) ``code``, of whichever verifiable model."""
    for model in verifiable_models():
        document = model.check_queryset().filter(verification_code=code).first()
        if document is not None:
            return document
    return None


def verification_url(code: str) -> str:
    """The address printed on the document and in its QR code: ``PORTAL_BASE_URL`` + ``/check/<code>/``."""
    return f"{settings.PORTAL_BASE_URL.rstrip('/')}{reverse('reports:document_check', kwargs={'code': code})}"


def grouped(code: str) -> str:
    """«AB3K7 MNP2Q»: easier to read out and to type."""
    half = CODE_LENGTH // 2
    return f"{code[:half]}\u00a0{code[half:]}"


@dataclass(frozen=True)
class Verification:
    """What a document prints for its check: the code, the address and its QR code (a ``data:`` URI of SVG)."""

    code: str
    url: str
    qr: str

    @property
    def grouped_code(self) -> str:
        return grouped(self.code)

    @classmethod
    def for_code(cls, code: str) -> Verification:
        from pos_portal.qr import qr_data_uri

        url = verification_url(code)
        return cls(code=code, url=url, qr=qr_data_uri(url))
