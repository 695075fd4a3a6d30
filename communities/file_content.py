"""What an uploaded file holds, checked by reading it (communities/validators.py checks name and size first).

- Office files (.docx, .xlsx, .pptx and the OpenDocument .odt, .ods, .odp) are ZIP packages: the package must hold
  the parts of its kind (``[Content_Types].xml`` and the main part; ODF's ``mimetype`` and ``content.xml``), unpack
  to at most ``MAX_UNPACKED_SIZE`` with a ratio of at most ``MAX_UNPACK_RATIO`` (a zip bomb is refused before
  anything is unpacked: the sizes are read from the directory, and every member is then read up to its declared
  size, so a directory that lies fails its CRC), and hold no program.
- A PDF must parse (pypdf): a document structure, not a page of HTML behind ``%PDF-``.
- An image must decode (Pillow) as the format its extension names, within ``MAX_IMAGE_PIXELS``.

Each check raises ``ValidationError`` with a Russian message; nothing is ever written to disk or executed.
"""

from __future__ import annotations

import logging
import zipfile
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

#: At most this many bytes unpacked (a 20 MB upload of text-heavy XML unpacks to some 100–150 MB at most).
MAX_UNPACKED_SIZE = 200 * 1024 * 1024
#: At most this ratio of unpacked to packed size (office XML packs 5–30 times; a zip bomb 1000 times and more).
MAX_UNPACK_RATIO = 100
#: Packages smaller than this when unpacked are never refused for their ratio (a tiny file packs well too).
RATIO_FREE_SIZE = 2 * 1024 * 1024
#: At most this many members in a package.
MAX_MEMBERS = 10_000
#: At most this many pixels in an image (a 50-megapixel photo); more would take too much memory to decode.
MAX_IMAGE_PIXELS = 60_000_000

#: Names and first bytes of programs that have no place in a document.
PROGRAM_SUFFIXES = {
    ".exe", ".dll", ".com", ".scr", ".msi", ".bat", ".cmd", ".ps1", ".vbs", ".vbe", ".js", ".jse", ".wsf", ".hta",
    ".jar", ".sh", ".elf", ".apk", ".lnk", ".pif", ".cpl", ".msc",
}  # fmt: skip
PROGRAM_HEADS = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"#!")

#: Extension -> (its name in messages, the members the package must hold, ODF's ``mimetype`` or None).
PACKAGES = {
    "docx": ("документ Word", ("[Content_Types].xml", "word/document.xml"), None),
    "xlsx": ("таблица Excel", ("[Content_Types].xml", "xl/workbook.xml"), None),
    "pptx": ("презентация PowerPoint", ("[Content_Types].xml", "ppt/presentation.xml"), None),
    "odt": ("документ OpenDocument", ("mimetype", "content.xml"), b"application/vnd.oasis.opendocument.text"),
    "ods": ("таблица OpenDocument", ("mimetype", "content.xml"), b"application/vnd.oasis.opendocument.spreadsheet"),
    "odp": (
        "презентация OpenDocument",
        ("mimetype", "content.xml"),
        b"application/vnd.oasis.opendocument.presentation",
    ),
}
#: Extension -> the formats Pillow may find in it.
IMAGES = {"jpg": ("JPEG", "MPO"), "jpeg": ("JPEG", "MPO"), "png": ("PNG",)}

_CHUNK = 1024 * 1024


def _damaged(extension: str, what: str) -> ValidationError:
    return ValidationError(
        f"Файл не открывается как {what}: он повреждён или это файл другого типа с расширением «.{extension}»."
    )


def _read_member(package: zipfile.ZipFile, info: zipfile.ZipInfo, extension: str) -> None:
    """Read one member to its end (its CRC is checked there); refuse a program."""
    with package.open(info) as member:
        head = member.read(4)
        if head.startswith(PROGRAM_HEADS):
            raise ValidationError(f"Внутри файла есть программа («{info.filename}»): такие файлы не принимаются.")
        while member.read(_CHUNK):
            pass


def check_package(upload, extension: str) -> None:
    """An office package of ``extension``: its parts, its unpacked size and ratio, no program inside."""
    kind, required, mimetype = PACKAGES[extension]
    upload.seek(0)
    try:
        package = zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise _damaged(extension, kind) from None
    with package:
        members = package.infolist()
        if len(members) > MAX_MEMBERS:
            raise ValidationError(f"В файле слишком много частей: {len(members)}; допустимо не более {MAX_MEMBERS}.")
        for info in members:
            if PurePosixPath(info.filename).suffix.lower() in PROGRAM_SUFFIXES:
                raise ValidationError(f"Внутри файла есть программа («{info.filename}»): такие файлы не принимаются.")
        names = {info.filename for info in members}
        if not all(name in names for name in required):
            raise _damaged(extension, kind)
        unpacked = sum(info.file_size for info in members)
        if unpacked > MAX_UNPACKED_SIZE:
            raise ValidationError(
                f"Файл распаковывается в слишком большой объём: {filesizeformat(unpacked)}; "
                f"допустимо не более {filesizeformat(MAX_UNPACKED_SIZE)}."
            )
        ratio = unpacked / max(upload.size, 1)
        if unpacked > RATIO_FREE_SIZE and ratio > MAX_UNPACK_RATIO:
            raise ValidationError(
                f"Файл сжат подозрительно сильно: в {ratio:.0f} раз (распакованный — {filesizeformat(unpacked)}); "
                f"документы сжимаются не более чем в {MAX_UNPACK_RATIO} раз. Такие файлы не принимаются."
            )
        try:
            if mimetype is not None and package.read("mimetype").strip() != mimetype:
                raise _damaged(extension, kind)
            for info in members:
                if not info.is_dir():
                    _read_member(package, info, extension)
        except (zipfile.BadZipFile, NotImplementedError, OSError, EOFError, RuntimeError, ValueError):
            raise _damaged(extension, kind) from None


def check_pdf(upload) -> None:
    """A PDF that pypdf can parse to its pages (an encrypted one to its structure)."""
    from pypdf import PdfReader

    upload.seek(0)
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # a recoverable oddity of a genuine PDF is no news for the server's log
    try:
        reader = PdfReader(upload, strict=False)
        if not reader.is_encrypted and len(reader.pages) < 1:
            raise ValueError("no pages")
    except Exception:  # pypdf raises many kinds on a broken file; any of them means it does not parse
        raise _damaged("pdf", "документ PDF") from None
    finally:
        quiet.setLevel(level)


def check_image(upload, extension: str) -> None:
    """An image that decodes as a format ``extension`` names, of at most ``MAX_IMAGE_PIXELS``."""
    from PIL import Image

    upload.seek(0)
    try:
        with Image.open(upload) as image:
            if image.format not in IMAGES[extension]:
                raise ValueError(image.format)
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"Изображение слишком большое: {image.width} × {image.height} точек; "
                    f"допустимо не более {MAX_IMAGE_PIXELS // 1_000_000} мегапикселей."
                )
            image.verify()  # the structure (PNG: every chunk's CRC), even where truncated images are let load
        upload.seek(0)
        with Image.open(upload) as image:
            if image.format in ("JPEG", "MPO"):
                image.draft("RGB", (image.width // 8, image.height // 8))  # every block decoded, at 1/64 the memory
            image.load()  # the pixels
    except ValidationError:
        raise
    except Exception:  # Pillow raises many kinds on a broken file (and DecompressionBombError)
        raise _damaged(extension, "изображение") from None


def check_content(upload, extension: str) -> None:
    """The checks of ``extension``'s kind (the others have their signature checked only)."""
    position = upload.tell() if hasattr(upload, "tell") else 0
    try:
        if extension in PACKAGES:
            check_package(upload, extension)
        elif extension == "pdf":
            check_pdf(upload)
        elif extension in IMAGES:
            check_image(upload, extension)
    finally:
        upload.seek(position)
