"""Checks for uploaded documents: size, extension and the real content type."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

# Extension -> byte signatures a genuine file of that type starts with.
DOCUMENT_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "odt": (b"PK\x03\x04",),
    "doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",),
    "rtf": (b"{\\rtf",),
}


def validate_document_file(upload):
    """Refuse files that are too large, of a type we do not keep, or whose content
    does not match their extension (an HTML page renamed to .pdf, say)."""
    if upload.size > settings.MAX_UPLOAD_SIZE:
        raise ValidationError(
            f"Файл слишком большой: {filesizeformat(upload.size)}; допустимо не более "
            f"{filesizeformat(settings.MAX_UPLOAD_SIZE)}."
        )
    extension = PurePath(upload.name).suffix.lower().lstrip(".")
    signatures = DOCUMENT_SIGNATURES.get(extension)
    if signatures is None:
        allowed = ", ".join(sorted(DOCUMENT_SIGNATURES))
        raise ValidationError(f"Недопустимый тип файла «.{extension}». Допустимы: {allowed}.")
    position = upload.tell() if hasattr(upload, "tell") else 0
    upload.seek(0)
    head = upload.read(16)
    upload.seek(position)
    if not any(head.startswith(signature) for signature in signatures):
        raise ValidationError(f"Содержимое файла не соответствует расширению «.{extension}».")


def generated_upload_name(folder: str, filename: str) -> str:
    """A stored name for an upload: a random name that keeps only the user's extension."""
    extension = PurePath(filename).suffix.lower()
    return f"{folder}/{uuid.uuid4().hex}{extension}"
