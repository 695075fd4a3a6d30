"""Reading the portal's PDFs back in tests (pypdf), and a local HTTP server that counts the requests it gets."""

from __future__ import annotations

import io
import re
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from pypdf import PdfReader

MM = 72 / 25.4  # PDF points in a millimetre
TOP_MARGIN = 20 * MM
BOTTOM_MARGIN = 20 * MM


def reader(data: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(data))


def normalize(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def page_texts(data: bytes) -> list[str]:
    return [page.extract_text() for page in reader(data).pages]


def pdf_text(data: bytes) -> str:
    """All the text of the document with whitespace collapsed, as a person copying it out would read it."""
    return normalize(" ".join(page_texts(data)))


@dataclass
class Fragment:
    x: float
    y: float  # from the bottom of the page, in points
    text: str


def fragments(data: bytes, index: int) -> tuple[list[Fragment], float]:
    """The text fragments of page ``index`` with their positions, and the page height."""
    page = reader(data).pages[index]
    found: list[Fragment] = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            found.append(Fragment(x, y, text.strip()))

    page.extract_text(visitor_text=visit)
    return found, float(page.mediabox.height)


def top_margin_text(data: bytes, index: int) -> str:
    """What is printed in the top margin of page ``index`` (the page number, from page 2)."""
    found, height = fragments(data, index)
    return normalize(" ".join(f.text for f in found if f.y > height - TOP_MARGIN))


def last_body_line(data: bytes, index: int) -> str:
    """The lowest line of the text area of page ``index`` (what stands at the foot of the page)."""
    found, height = fragments(data, index)
    body = [f for f in found if BOTTOM_MARGIN - 1 < f.y < height - TOP_MARGIN and f.text != "ПРОЕКТ"]
    lowest = min(body, key=lambda f: f.y)
    return normalize(" ".join(f.text for f in body if abs(f.y - lowest.y) < 1))


@dataclass
class CountingServer:
    url: str
    requests: list[str] = field(default_factory=list)


@contextmanager
def counting_http_server(lifetime: float = 60.0):
    """An HTTP server on 127.0.0.1 (a free port) in a thread, recording every request it receives. It stops when
    the block ends, or by itself after ``lifetime`` seconds at the latest."""
    record = CountingServer(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            record.requests.append(self.path)
            body = b"not for PDFs"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_POST = do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    record.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    stopper = threading.Timer(lifetime, server.shutdown)
    stopper.daemon = True
    thread.start()
    stopper.start()
    try:
        yield record
    finally:
        stopper.cancel()
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def xmp(data: bytes) -> str:
    """The PDF's XMP metadata as text ("" when it has none): where a PDF/A says what it claims to be."""
    metadata = reader(data).xmp_metadata
    return metadata.stream.get_data().decode() if metadata is not None else ""
