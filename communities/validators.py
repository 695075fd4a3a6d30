"""Checks for uploaded files: size, extension and the real content type (communities/file_content.py)."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.deconstruct import deconstructible

from communities.file_content import check_content
from pos_portal.russian import plural

ZIP = (b"PK\x03\x04",)
OLE = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",)

# Extension -> byte signatures a genuine file of that type starts with.
SIGNATURES = {
    "pdf": (b"%PDF-",),
    "docx": ZIP,
    "odt": ZIP,
    "pptx": ZIP,
    "odp": ZIP,
    "xlsx": ZIP,
    "ods": ZIP,
    "doc": OLE,
    "ppt": OLE,
    "xls": OLE,
    "rtf": (b"{\\rtf",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}

DOCUMENT_EXTENSIONS = ("pdf", "docx", "odt", "doc", "rtf")
MATERIAL_EXTENSIONS = (*DOCUMENT_EXTENSIONS, "pptx", "odp", "ppt", "xlsx", "ods", "xls", "jpg", "jpeg", "png")


def exact_size(size: int) -> str:
    """«20 971 539 байт»: every digit, in groups of three."""
    digits = f"{size:,}".replace(",", "\u00a0")
    return f"{digits}\u00a0{plural(size, 'байт', 'байта', 'байт')}"


def sizes_apart(size: int, limit: int) -> tuple[str, str]:
    """Two sizes as people read them («20,1 МБ»), or to the byte when they would read the same («20,0 МБ»)."""
    rounded = filesizeformat(size), filesizeformat(limit)
    if rounded[0] == rounded[1]:
        return exact_size(size), exact_size(limit)
    return rounded


@deconstructible
class FileTypeValidator:
    """Refuse files that are too large, of a type we do not keep, or whose content does not
    match their extension (an HTML page renamed to .pdf, say)."""

    def __init__(self, extensions=DOCUMENT_EXTENSIONS):
        self.extensions = tuple(extensions)

    def __call__(self, upload):
        if getattr(upload, "_committed", False):
            return  # already stored: it was checked when it was uploaded
        if upload.size > settings.MAX_UPLOAD_SIZE:
            size, limit = sizes_apart(upload.size, settings.MAX_UPLOAD_SIZE)
            raise ValidationError(f"Файл слишком большой: {size}; допустимо не более {limit}.")
        allowed = ", ".join(f".{extension}" for extension in self.extensions)
        extension = PurePath(upload.name).suffix.lower().lstrip(".")
        if not extension:
            raise ValidationError(f"У файла нет расширения, и его тип не понять. Допустимы: {allowed}.")
        if extension not in self.extensions:
            raise ValidationError(f"Недопустимый тип файла «.{extension}». Допустимы: {allowed}.")
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(16)
        upload.seek(position)
        if not any(head.startswith(signature) for signature in SIGNATURES[extension]):
            raise ValidationError(f"Содержимое файла не соответствует расширению «.{extension}».")
        check_content(upload, extension)

    def __eq__(self, other):
        return isinstance(other, FileTypeValidator) and self.extensions == other.extensions


validate_document_file = FileTypeValidator(DOCUMENT_EXTENSIONS)
validate_material_file = FileTypeValidator(MATERIAL_EXTENSIONS)


def generated_upload_name(folder: str, filename: str) -> str:
    """A stored name for an upload: a random name that keeps only the user's extension."""
    extension = PurePath(filename).suffix.lower()
    return f"{folder}/{uuid.uuid4().hex}{extension}"
