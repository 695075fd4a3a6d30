"""The portal's documents as PDF (WeasyPrint), rendered safely.

A document is a Django template under ``templates/reports/pdf/`` (extending ``reports/pdf/base.html``),
rendered with autoescape on, so user text can never become markup. WeasyPrint then gets:

- the base stylesheet ``static/css/pdf/base.css`` (and any extra ones) **as strings**, read here;
- ``base_url`` ``pos-static:/``, a scheme of our own that only :class:`SafeURLFetcher` understands;
- :data:`FETCHER`, which serves nothing but ``data:`` URIs and the project's own static files
  (``pos-static:<path under static/>``, or a ``file://`` URL resolving strictly inside
  ``STATICFILES_DIRS``); every other URL (other ``file://``, ``http(s)://``, ``ftp://``, relative
  URLs) raises :class:`UnsafeURLError` and WeasyPrint skips the resource. It never opens a socket, so
  there are no redirects to follow either;
- no attachments: ``attachments=[]``, and every ``rel="attachment"`` is removed from the parsed tree
  before rendering (WeasyPrint 70 embeds ``<link rel="attachment">`` and ``<a rel="attachment">``
  targets regardless of the ``attachments`` option);
- presentational hints off.

The fonts are the vendored Liberation Serif TTFs (``static/fonts/liberation-serif/``), declared with
``@font-face`` under a family name of our own, so a system font can never stand in for them.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import logging
import re
import threading
import time
import unicodedata
import warnings
from collections.abc import Iterable
from pathlib import Path
from urllib import request
from urllib.parse import quote, unquote, unquote_to_bytes, urlsplit

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template.loader import render_to_string
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from pos_portal import limits
from pos_portal.russian import transliterate
from reports.document_meta import document_meta

logger = logging.getLogger(__name__)

STATIC_SCHEME = "pos-static"
BASE_URL = f"{STATIC_SCHEME}:/"
BASE_STYLESHEET = "css/pdf/base.css"
#: A data: URI larger than this is refused (our templates only use tiny ones).
MAX_DATA_URI = 2 * 1024 * 1024

CONTENT_TYPES = {
    ".ttf": "font/ttf",
    ".otf": "font/otf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}


class UnsafeURLError(ValueError):
    """A URL the PDF renderer must not read."""


def static_roots() -> list[tuple[str, Path]]:
    """``(prefix, resolved directory)`` for every entry of ``STATICFILES_DIRS``."""
    roots = []
    for entry in settings.STATICFILES_DIRS:
        prefix, directory = entry if isinstance(entry, (tuple, list)) else ("", entry)
        roots.append((str(prefix).strip("/"), Path(directory).resolve()))
    return roots


def _inside_static(path: Path) -> Path | None:
    """The real path of ``path`` when, after resolving symlinks and ``..``, it is a file inside a static root."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError, ValueError):
        return None
    if not real.is_file():
        return None
    for _prefix, root in static_roots():
        if real.is_relative_to(root):
            return real
    return None


def static_file(relative: str) -> Path:
    """The project's static file at ``relative`` (as in ``{% static %}``), or UnsafeURLError."""
    if not relative or "\x00" in relative or "\\" in relative:
        raise UnsafeURLError(f"Not a static file path: {relative!r}")
    relative = relative.lstrip("/")
    for prefix, root in static_roots():
        if prefix:
            if not relative.startswith(f"{prefix}/"):
                continue
            rest = relative[len(prefix) + 1 :]
        else:
            rest = relative
        if (found := _inside_static(root / rest)) is not None:
            return found
    raise UnsafeURLError(f"Not one of the project's static files: {relative!r}")


def read_static_text(relative: str) -> str:
    return static_file(relative).read_text(encoding="utf-8")


def _file_response(url: str, path: Path) -> URLFetcherResponse:
    content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})


def _data_response(url: str) -> URLFetcherResponse:
    if len(url) > MAX_DATA_URI:
        raise UnsafeURLError("data: URI too large")
    header, comma, payload = url[len("data:") :].partition(",")
    if not comma:
        raise UnsafeURLError("Malformed data: URI")
    media_type, is_base64 = header, False
    if header.lower().endswith(";base64"):
        media_type, is_base64 = header[: -len(";base64")], True
    try:
        body = base64.b64decode(unquote_to_bytes(payload)) if is_base64 else unquote_to_bytes(payload)
    except (ValueError, binascii.Error) as error:
        raise UnsafeURLError("Malformed data: URI") from error
    return URLFetcherResponse(url, body, {"Content-Type": media_type.strip() or "text/plain;charset=US-ASCII"})


_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9.+-]*):")


def safe_url_fetcher(url: str, headers=None, **kwargs) -> URLFetcherResponse:
    """Serve ``url`` to WeasyPrint if it is a ``data:`` URI or one of the project's static files; raise
    :class:`UnsafeURLError` for anything else (WeasyPrint then skips the resource)."""
    if not isinstance(url, str):
        raise UnsafeURLError("URL must be a string")
    match = _SCHEME.match(url)
    scheme = match.group(1).lower() if match else ""
    if scheme == "data":
        return _data_response(url)
    if scheme == STATIC_SCHEME:
        rest = url[len(match.group(0)) :].split("#", 1)[0].split("?", 1)[0]
        return _file_response(url, static_file(unquote(rest)))
    if scheme == "file":
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise UnsafeURLError(f"Refused: {url[:200]}")
        path = unquote(parts.path)
        if "\x00" in path:
            raise UnsafeURLError("Refused: NUL in path")
        real = _inside_static(Path(request.url2pathname(path)))
        if real is None:
            raise UnsafeURLError(f"Refused: not one of the project's static files: {url[:200]}")
        return _file_response(url, real)
    raise UnsafeURLError(f"Refused: {url[:200]}")


class SafeURLFetcher(URLFetcher):
    """WeasyPrint 70 calls ``fetcher(url)`` and reads ``fetcher._fail_on_errors`` when it raises, so the fetcher
    is an object of this shape. It installs no urllib handler at all: nothing can be opened through it, even by
    mistake, except what :func:`safe_url_fetcher` serves."""

    def __init__(self):
        request.OpenerDirector.__init__(self)  # deliberately no handlers (no HTTP, FTP, file, redirects)
        self._timeout = 0
        self._http_headers = {}
        self._allowed_protocols = ("data", STATIC_SCHEME, "file")
        self._fail_on_errors = False
        self._request = None

    def fetch(self, url, headers=None):
        return safe_url_fetcher(url, headers)

    def open(self, url, data=None, timeout=None):
        return self.fetch(url.full_url if isinstance(url, request.Request) else url)

    def __call__(self, url):
        return self.fetch(url)


FETCHER = SafeURLFetcher()


def _drop_attachment_links(document: HTML) -> None:
    """Remove every ``rel="attachment"`` so that WeasyPrint embeds no file (belt and braces: user text is
    autoescaped and the fetcher refuses files anyway)."""
    for element in document.etree_element.iter():
        rel = element.get("rel") if hasattr(element, "get") else None
        if rel and "attachment" in rel.lower().split():
            tokens = [token for token in rel.split() if token.lower() != "attachment"]
            if tokens:
                element.set("rel", " ".join(tokens))
            else:
                del element.attrib["rel"]


_prepared = threading.local()


def _styles(paths: tuple[str, ...]) -> tuple[FontConfiguration, list[CSS]]:
    """The font configuration and the parsed stylesheets, made once per thread and reused by every document, as
    WeasyPrint allows: loading the system's fonts and parsing the CSS with its @font-face rules took ~15 ms of
    every PDF. A stylesheet changed on disk (development) is parsed again."""
    if not hasattr(_prepared, "font_config"):
        _prepared.font_config = FontConfiguration()
        _prepared.stylesheets = {}
    key = tuple((path, static_file(path).stat().st_mtime_ns) for path in paths)
    css = _prepared.stylesheets.get(key)
    if css is None:
        fonts = _prepared.font_config
        css = [
            CSS(string=read_static_text(path), base_url=BASE_URL, url_fetcher=FETCHER, font_config=fonts)
            for path in paths
        ]
        _prepared.stylesheets[key] = css
    return _prepared.font_config, css


class DocumentTooLarge(Exception):
    """A document larger than WeasyPrint lays out in a request (``limits.DOCUMENT_HTML``): data entered before the
    limits of pos_portal/limits.py. :class:`DocumentTooLargeMiddleware` answers it with templates/413.html."""

    def __init__(self, length: int, word: int = 0, *, markup: bool = True):
        if word:
            message = f"The document has a word of {word} characters, more than {limits.DOCUMENT_WORD}"
        else:
            what = "HTML" if markup else "text"
            message = f"The document's {what} has {length} characters, more than {limits.DOCUMENT_HTML}"
        super().__init__(message)
        self.length, self.word, self.markup = length, word, markup


_TAGS = re.compile(r"<[^>]*>")
_DOCUMENT_WORD = re.compile(rf"[^\s\-]{{{limits.DOCUMENT_WORD},}}")


def check_size(html: str) -> None:
    """:class:`DocumentTooLarge` for HTML longer than ``limits.DOCUMENT_HTML`` or whose text (tags and their
    attributes left out) holds a word of ``limits.DOCUMENT_WORD`` characters: WeasyPrint spends minutes on either."""
    if len(html) > limits.DOCUMENT_HTML:
        raise DocumentTooLarge(len(html))
    if (word := _DOCUMENT_WORD.search(_TAGS.sub(" ", html))) is not None:
        raise DocumentTooLarge(len(html), word=len(word.group()))


def check_text_size(text: str) -> None:
    """The same guard for a document that is no HTML (a .docx, reports.docx.common.Writer): its whole text longer
    than ``limits.DOCUMENT_HTML`` characters, or a word of ``limits.DOCUMENT_WORD``, is :class:`DocumentTooLarge`
    (a 413 page, as for its PDF, rather than a file of data entered before the limits)."""
    if (word := _DOCUMENT_WORD.search(text)) is not None:  # the more telling reason first
        raise DocumentTooLarge(len(text), word=len(word.group()), markup=False)
    if len(text) > limits.DOCUMENT_HTML:
        raise DocumentTooLarge(len(text), markup=False)


class DocumentTooLargeMiddleware:
    """A view whose document is too large answers 413 with a page that says why, not a 500 after a minute."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, DocumentTooLarge):
            return None
        logger.warning("Refused to lay out %s: %s", request.path, exception)
        context = {
            "length": exception.length,
            "word": exception.word,
            "markup": exception.markup,
            "limit": limits.DOCUMENT_HTML,
            "word_limit": limits.LONGEST_WORD,
            "protocol_text": limits.PROTOCOL_TEXT,
        }
        return HttpResponse(render_to_string("413.html", context, request=request), status=413)


#: How long a laid-out PDF is kept in the cache, and the largest kept.
PDF_CACHE_SECONDS = 24 * 60 * 60
PDF_CACHE_MAX_BYTES = 4 * 1024 * 1024


#: The archival form of a stored signed document: PDF/A-3b (WeasyPrint 70: ``pdf_variant``), tagged (``pdf_tags``).
ARCHIVAL_VARIANT = "pdf/a-3b"


def html_to_pdf(html: str, *, stylesheets: Iterable[str] = (), archival: bool = False) -> bytes:
    """Lay out ``html`` (already rendered and escaped) as PDF with the base stylesheet and ``stylesheets`` (CSS
    files under ``static/``, read here and passed as strings), fetching only through :data:`FETCHER`.

    ``archival``: a document kept for ever (a signed protocol's stored PDF) is PDF/A-3b and tagged (its structure
    for screen readers and for the archive's checks); the others are plain PDF, faster to lay out.

    The same HTML with the same stylesheets always gives the same bytes, so the PDF is cached under the SHA-256 of
    both (and the release, in every key): a draft asked for again unchanged is not laid out again, and any change
    of what it prints (its data, the date it is certified on, a template) is another key. Two requests for the
    same uncached document at once lay it out once: the first takes a short lock (``cache.add``), the second waits
    for its result (:data:`LAYOUT_LOCK_SECONDS` at most). HTML longer than
    ``limits.DOCUMENT_HTML``, or with a word that cannot wrap, raises :class:`DocumentTooLarge` before any layout."""
    paths = (BASE_STYLESHEET, *stylesheets)
    digest = hashlib.sha256(html.encode())
    digest.update(b"\x1farchival" if archival else b"\x1fplain")  # a PDF option that is not in the HTML
    for path in paths:
        digest.update(f"\x1f{path}\x1f{static_file(path).stat().st_mtime_ns}".encode())
    key = f"pdf:{digest.hexdigest()}"
    data = cache.get(key)
    if data is not None:
        return data  # only HTML within the limits is ever kept
    check_size(html)
    lock = f"{key}:laying-out"
    if cache.add(lock, True, LAYOUT_LOCK_SECONDS):
        try:
            return _layout_and_keep(key, html, paths, archival)
        finally:
            cache.delete(lock)
    # Another request is laying out the same document (two first requests of a draft at once): wait for its
    # result; lay it out here only if it fails, is too large to keep, or the lock outlives LAYOUT_LOCK_SECONDS.
    deadline = time.monotonic() + LAYOUT_LOCK_SECONDS
    while time.monotonic() < deadline:
        time.sleep(LAYOUT_LOCK_POLL)
        if (data := cache.get(key)) is not None:
            return data
        if cache.get(lock) is None:
            break
    return _layout_and_keep(key, html, paths, archival)


#: How long a request that lays out a document keeps others with the same one waiting for its result (the
#: largest allowed protocol is laid out in a few seconds: tests/reports/budget.py), and how often they look.
LAYOUT_LOCK_SECONDS = 20
LAYOUT_LOCK_POLL = 0.1


def _layout_and_keep(key: str, html: str, paths: tuple[str, ...], archival: bool) -> bytes:
    data = layout(html, paths, archival=archival)
    if len(data) <= PDF_CACHE_MAX_BYTES:
        cache.set(key, data, PDF_CACHE_SECONDS)
    return data


def layout(html: str, paths: tuple[str, ...], *, archival: bool = False) -> bytes:
    """WeasyPrint's work: ``html`` laid out with the stylesheets ``paths`` (the base one first)."""
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=FETCHER)
    _drop_attachment_links(document)
    document.base_url = BASE_URL  # whatever a <base href> said: relative URLs resolve to nothing we serve
    font_config, css = _styles(paths)
    with warnings.catch_warnings():
        # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it (freed at once, with a ResourceWarning).
        warnings.filterwarnings("ignore", category=ResourceWarning, message=r".*sRGB2014\.icc")
        return document.write_pdf(
            stylesheets=css,
            font_config=font_config,
            attachments=[],
            presentational_hints=False,
            pdf_forms=False,
            pdf_variant=ARCHIVAL_VARIANT if archival else None,
            pdf_tags=archival,
        )


def render_pdf(template_name: str, context: dict, *, stylesheets: Iterable[str] = (), archival: bool = False) -> bytes:
    """Render the Django template ``template_name`` (autoescaped) to PDF bytes, with the document's author,
    subject and language (``reports.document_meta``) for base.html's head.

    ``stylesheets``: extra CSS files under ``static/`` (paths as for ``{% static %}``), added after the base one.
    ``archival``: PDF/A-3b, tagged (:func:`html_to_pdf`).
    """
    context = {**context, "document_meta": document_meta(template_name, context)}
    return html_to_pdf(render_to_string(template_name, context), stylesheets=stylesheets, archival=archival)


#: The downloads the portal gives, by the suffix of their file name.
PDF_CONTENT_TYPE = "application/pdf"
DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
DOWNLOAD_TYPES = {".pdf": PDF_CONTENT_TYPE, ".docx": DOCX_CONTENT_TYPE}


def _suffix(filename: str) -> str:
    """The file name's suffix when it is one of :data:`DOWNLOAD_TYPES`, else ``.pdf``."""
    suffix = Path(filename).suffix.lower()
    return suffix if suffix in DOWNLOAD_TYPES else ".pdf"


def ascii_filename(filename: str) -> str:
    """A safe ASCII fallback for Content-Disposition: transliterated, letters, digits, «.-_» only, ending in the
    suffix of ``filename`` (``.pdf`` or ``.docx``; ``.pdf`` when it has neither)."""
    suffix = _suffix(filename)
    text = transliterate(filename).translate(_FILENAME_PUNCTUATION)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-.") or "document"
    if not text.lower().endswith(suffix):
        text += suffix
    return text[: 150 - len(suffix)] + suffix if len(text) > 150 else text


_FILENAME_PUNCTUATION = str.maketrans({"№": "N", " ": "-"})


def download_response(data: bytes, filename: str, *, inline: bool) -> HttpResponse:
    """A document as a response, its type from the suffix of ``filename`` (:data:`DOWNLOAD_TYPES`):
    Content-Disposition with an ASCII ``filename`` and the real one in ``filename*``."""
    response = HttpResponse(data, content_type=DOWNLOAD_TYPES[_suffix(filename)])
    disposition = "inline" if inline else "attachment"
    fallback = ascii_filename(filename)
    encoded = quote(filename, safe="")
    response["Content-Disposition"] = f"{disposition}; filename=\"{fallback}\"; filename*=UTF-8''{encoded}"
    response["Content-Length"] = str(len(data))
    response["X-Content-Type-Options"] = "nosniff"
    return response


def pdf_response(data: bytes, filename: str, *, inline: bool = True) -> HttpResponse:
    """The PDF as a response (shown in the browser unless ``inline`` is False)."""
    return download_response(data, filename, inline=inline)


def docx_response(data: bytes, filename: str) -> HttpResponse:
    """The Word document as a download (a browser cannot show it)."""
    return download_response(data, filename, inline=False)
