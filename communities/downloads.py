"""Serving an uploaded file (a material, an assignment's report) after the view's permission check: always as an
attachment, with a content type from a short list and ``nosniff``, so an upload is never rendered as a page."""

from pathlib import PurePath

from django.http import FileResponse, Http404

from communities.forms import clean_file_name

# The only types a browser may be told an upload is; everything else is application/octet-stream,
# so that an uploaded file is never rendered by the browser as a page (HTML, SVG).
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
}


def stored_file_response(
    field_file,
    original_name: str,
    fallback_stem: str,
    *,
    content_types: dict[str, str] = CONTENT_TYPES,
    missing: str = "Файл не найден.",
) -> FileResponse:
    """The stored ``field_file`` as a download named ``original_name`` (``fallback_stem`` + extension without it),
    typed from ``content_types`` (anything else is application/octet-stream); 404 with ``missing`` when the file is
    missing from the storage."""
    extension = PurePath(field_file.name).suffix.lower()
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404(missing) from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=clean_file_name(original_name, fallback=f"{fallback_stem}{extension}"),
        content_type=content_types.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
