"""Every form of the portal and of the Department's admin, fed generated values, never answers a server error
(issue 14, item 11).

The forms are found, not listed: every URL of the permission matrix (so a new page is fuzzed as soon as it has a
row there), requested as the first persona allowed to use it, and every add and change page of the admin, as the
Department. From each page's HTML the test reads its forms (fields with their current values, hidden management
forms included); Hypothesis then submits variations: a field kept, replaced (wrong types, empty and huge strings,
NUL and control characters, mixed scripts, dates out of range, negative and huge numbers, ids of other rows),
left out or sent twice, plus fields the form does not have. Any exception in a view fails the test (the test client
re-raises it), and so does any status 500.

A fixed budget of examples per form and a fixed seed (``derandomize``): the same requests on every run. The budget is
``FUZZ_EXAMPLES`` (default 15 on PostgreSQL, where CI runs it and where NUL and integer overflows differ, 2 on
SQLite). Each example runs in a savepoint that is rolled back. Marked ``fuzz`` and ``slow``.
"""

import os
from collections import Counter
from html.parser import HTMLParser

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.responses import read_body
from tests.test_permission_matrix import MATRIX, matrix_files, matrix_media, matrix_world  # noqa: F401 - fixtures

pytestmark = [pytest.mark.fuzz, pytest.mark.slow]

DEFAULT_EXAMPLES = 15 if connection.vendor == "postgresql" else 2
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or DEFAULT_EXAMPLES)
# Who uses a page: the first of these whom the matrix allows (200 or a redirect).
PERSONA_ORDER = ("leader", "member", "methodist", "department")
#: Requests made per form, printed at the end of each test (``-s``) and kept for the summary.
REQUESTS: Counter = Counter()

# --- the forms of a page -------------------------------------------------------------------------------------------


class FormReader(HTMLParser):
    """The forms of a page: method, action and the (name, value) pairs a browser would send unchanged."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict] = []
        self._textarea = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"method": (attrs.get("method") or "get").lower(), "action": attrs.get("action"), "fields": []}
            )
            return
        if not self.forms or not attrs.get("name"):
            if tag == "option" and self._select is not None and "selected" in attrs:
                self._select[1] = attrs.get("value", "")
            return
        fields = self.forms[-1]["fields"]
        if tag == "input":
            kind = (attrs.get("type") or "text").lower()
            if kind in {"submit", "button", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                fields.append([attrs["name"], None])  # known, not sent unless generated
                return
            fields.append([attrs["name"], attrs.get("value", "on" if kind in {"checkbox", "radio"} else "")])
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
            fields.append(self._textarea)
        elif tag == "select":
            self._select = [attrs["name"], ""]
            fields.append(self._select)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea":
            self._textarea = None
        elif tag == "select":
            self._select = None


def page_forms(html: str, url: str) -> list[dict]:
    """The page's own forms: those sent to the page itself (a form sent elsewhere, such as the navbar's sign-out
    or an action button, is fuzzed on its own URL's row)."""
    reader = FormReader()
    reader.feed(html)
    own = []
    for form in reader.forms:
        action = form["action"] or ""
        if action in ("", url) or action.startswith("?"):
            own.append({**form, "action": url + action if action.startswith("?") else url})
    return own


# --- generated values ----------------------------------------------------------------------------------------------

SPECIAL = [
    "",
    " ",
    "0",
    "-1",
    "-2147483649",
    "2147483648",
    "9223372036854775808",
    "99999999999999999999999999",
    "1e309",
    "NaN",
    "-0.0001",
    "abc",
    "0001-01-01",
    "9999-12-31",
    "01.01.0001",
    "31.12.9999",
    "1999-12-31",
    "2024-02-30",
    "30.02.2024",
    "25:61",
    "on",
    "true",
    "\x00",
    "a\x00b",
    "\u202eevil",
    "\ufeff",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "https://",
    "javascript:alert(1)",
    "Ы" * 100_000,
    "x" * 1001,
]
CONTROL = st.text(alphabet=st.characters(max_codepoint=0x9F), min_size=1, max_size=12)
WITH_NUL = st.text(alphabet="\x00\x01\x1faЫ", min_size=1, max_size=6).map(lambda text: text + "\x00")
MIXED = st.text(alphabet="АБВгдеЁжabcXYZ١٢٣中文ΩΣ \t\n-/.№«»", max_size=40)
ANY_TEXT = st.text(st.characters(exclude_characters="\x00"), max_size=30)
VALUES = st.one_of(
    st.sampled_from(SPECIAL),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.integers(min_value=0, max_value=60).map(str),  # ids of the world's rows, and some that do not exist
    st.dates().map(lambda day: day.strftime("%d.%m.%Y") if day.year >= 1000 else day.isoformat()),
    CONTROL,
    WITH_NUL,
    MIXED,
    ANY_TEXT,
)
ACTIONS = ["keep", "keep", "keep", "replace", "replace", "drop", "twice"]


@st.composite
def submissions(draw, fields):
    """A variation of a form's values: each field kept, replaced, left out or sent twice, and unknown fields."""
    data: dict[str, list[str]] = {}
    for name, value in fields:
        action = draw(st.sampled_from(ACTIONS))
        if action == "keep" and value is not None:
            data.setdefault(name, []).append(value)
        elif action == "replace":
            data.setdefault(name, []).append(draw(VALUES))
        elif action == "twice":
            data.setdefault(name, []).extend([draw(VALUES), draw(VALUES)])
    for name in draw(st.lists(st.sampled_from(["id", "pk", "version", "status", "community", "x"]), max_size=2)):
        data.setdefault(name, []).append(draw(VALUES))
    return data


def fuzz(client, url: str, forms: list[dict], key: str) -> None:
    """Submit ``EXAMPLES`` variations of each form of the page at ``url``; fail on any server error."""
    for form in forms or [{"method": "post", "action": url, "fields": []}]:
        fuzz_form(client, form, key)


def fuzz_form(client, form: dict, key: str) -> None:
    send = client.post if form["method"] == "post" else client.get

    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example],
    )
    @given(data=submissions(form["fields"]))
    def submit(data):
        REQUESTS[key] += 1
        with transaction.atomic():
            response = send(form["action"], data)
            read_body(response)
            transaction.set_rollback(True)
        assert response.status_code < 500, f"{form['method'].upper()} {form['action']}: {response.status_code}"

    submit()


def report(capsys, key):
    with capsys.disabled():
        print(f"\nfuzz {key}: {REQUESTS[key]} requests (total so far {REQUESTS.total()})")


# --- the portal ----------------------------------------------------------------------------------------------------


def allowed_persona(row) -> str | None:
    return next((persona for persona in PERSONA_ORDER if row.status(persona) in (200, 302)), None)


@pytest.mark.parametrize("name", sorted(name for name, row in MATRIX.items() if allowed_persona(row)))
@pytest.mark.usefixtures("matrix_world", "matrix_files", "db")
def test_portal_form(name, request, client, capsys):
    world = request.getfixturevalue("matrix_world")
    row = MATRIX[name]
    persona = allowed_persona(row)
    url = reverse(name, kwargs=world["urls"][row.kwargs])
    client.force_login(get_user_model().objects.get(pk=world["users"][persona]))
    forms = []
    if row.method == "GET":
        page = client.get(url)
        body = read_body(page)
        if page.status_code != 200 or not page["Content-Type"].startswith("text/html"):
            forms = [{"method": "get", "action": None, "fields": []}]  # a download: its query string
        else:
            forms = page_forms(body.decode(), url)

    fuzz(client, url, forms, f"{persona} {name}")
    report(capsys, f"{persona} {name}")


# --- the Department's admin ----------------------------------------------------------------------------------------


def admin_pages():
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        yield pytest.param(model._meta.label, "add", id=f"{model._meta.label}-add")
        yield pytest.param(model._meta.label, "change", id=f"{model._meta.label}-change")


@pytest.mark.parametrize(("label", "page"), list(admin_pages()))
@pytest.mark.usefixtures("matrix_world", "matrix_files", "db")
def test_admin_form(label, page, request, client, capsys):
    world = request.getfixturevalue("matrix_world")
    model = next(model for model in admin.site._registry if model._meta.label == label)
    client.force_login(get_user_model().objects.get(pk=world["users"]["department"]))
    info = (model._meta.app_label, model._meta.model_name)
    if page == "add":
        url = reverse("admin:{}_{}_add".format(*info))
    else:
        obj = model._default_manager.order_by("pk").first()
        if obj is None:
            pytest.skip(f"no {label} in the world")
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
    response = client.get(url)
    if response.status_code != 200:
        pytest.skip(f"the Department has no {page} page of {label} ({response.status_code})")
    forms = [form for form in page_forms(response.content.decode(), url) if form["method"] == "post"]

    fuzz(client, url, forms, f"admin {label} {page}")
    report(capsys, f"admin {label} {page}")
