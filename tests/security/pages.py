"""Helpers of the security tests: the portal's pages from the permission matrix, and what a page must not carry."""

import hashlib
from html.parser import HTMLParser

from django.urls import reverse

from tests.test_permission_matrix import MATRIX

CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
    "base-uri": "'self'",
    "object-src": "'none'",
}


def csp_of(response) -> dict[str, str]:
    """The response's Content-Security-Policy as directive -> sources ({} when there is none)."""
    header = response.get("Content-Security-Policy", "")
    directives = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {name: (sources[0] if sources else "") for name, *sources in directives}


# Pages that answer 200 to the leader or the Department (the code page of the second factor only redirects them).
GET_PAGES = sorted(
    name
    for name, row in MATRIX.items()
    if row.method == "GET" and 200 in (row.status("leader"), row.status("department"))
)


def page_persona(name: str) -> str:
    """Who opens a page in these tests: the leader where the leader may, the Department elsewhere."""
    return "leader" if MATRIX[name].status("leader") == 200 else "department"


def page_url(name: str, world) -> str:
    return reverse(name, kwargs=world[MATRIX[name].kwargs])


class InlineCodeFinder(HTMLParser):
    """Collects what a Content-Security-Policy without 'unsafe-inline' would block, or what smuggles script."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and not attributes.get("src"):
            self.problems.append("<script> without src")
        if tag == "style":
            self.problems.append("<style> element")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"style= on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"{name}= on <{tag}>")
            elif name in {"href", "src", "action", "formaction"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"javascript: URL in {name}= of <{tag}>")

    handle_startendtag = handle_starttag


def inline_code(html: str) -> list[str]:
    finder = InlineCodeFinder()
    finder.feed(html)
    finder.close()
    return finder.problems


def snapshot(exclude=("django_session",)) -> dict[str, tuple[int, str]]:
    """Every table of the database: its row count and a checksum of its rows (order-independent)."""
    from django.db import connection

    result = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table in exclude:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608 - our own table names
            rows = sorted(repr(row) for row in cursor.fetchall())
            result[table] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before.keys() | after.keys() if before.get(table) != after.get(table))


def body_of(response) -> bytes:
    """The whole body. A streamed download is read to its end, which closes its file the way the test client
    does (calling ``response.close()`` again would also close the test's database connection on PostgreSQL)."""
    return b"".join(response.streaming_content) if response.streaming else response.content
