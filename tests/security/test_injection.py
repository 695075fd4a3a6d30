"""``<script>`` and ``{{ 7*7 }}`` in every text field are shown as text: on every page of the portal (no markup, no
script, no template evaluation) and in every PDF (read back with pypdf: the characters are printed as typed)."""

import io
import re

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from openpyxl import load_workbook

from communities.models.history import CommunityHistory
from meetings.services import protocol_sign
from pos_portal.final_records import drop_guards, install_guards
from reports.models import ProtocolDocument
from tests.conftest import build_protocol
from tests.reports.pdf_helpers import pdf_text
from tests.security.pages import GET_PAGES, body_of, inline_code, page_persona, page_url
from tests.test_permission_matrix import login_as, world  # noqa: F401 - the world fixture

pytestmark = pytest.mark.django_db

PAYLOAD = "<script>alert(1)</script>{{ 7*7 }}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;{{ 7*7 }}"
PLAIN_FIELDS = (models.CharField, models.TextField)
# Text with a format of its own (checked by validators, or machine-made): not free text a user types.
NOT_FREE_TEXT = (models.EmailField, models.URLField, models.SlugField, models.FilePathField)
PLAIN_VALIDATORS = {"MaxLengthValidator", "ProhibitNullCharactersValidator", "MaxLength", "NoUnbreakableWords"}


def squeezed(text: str) -> str:
    return re.sub(r"\s+", "", text)


def free_text_fields(model):
    for field in model._meta.concrete_fields:
        if (
            isinstance(field, PLAIN_FIELDS)
            and not isinstance(field, NOT_FREE_TEXT)
            and not field.choices
            and not field.primary_key
            and field.editable
            and all(type(v).__name__ in PLAIN_VALIDATORS for v in field.validators)
            and (field.max_length is None or field.max_length >= len(PAYLOAD) + 10)
        ):
            yield field


def hostile_fields():
    for app in ("communities", "meetings", "reports"):
        for model in apps.get_app_config(app).get_models():
            if not issubclass(model, CommunityHistory):
                for field in free_text_fields(model):
                    yield model, field
    user = get_user_model()
    for name in ("first_name", "last_name"):  # the names of accounts without a teacher profile
        yield user, user._meta.get_field(name)


#: Free-text fields that a constraint allows only on some rows: filled on those rows.
ONLY_WHERE = {("meetings.Speaker", "full_name"): {"teacher__isnull": True}}


def fill_every_text_field():
    """Every free-text field of every row becomes the payload (plus the row's id: names are unique). Signed rows
    too: the guards of the signed protocols are lifted for the moment and put back."""
    drop_guards()
    filled = []
    try:
        for model, field in hostile_fields():
            rows = model._base_manager.all()
            if (model._meta.label, field.name) in ONLY_WHERE:
                rows = rows.filter(**ONLY_WHERE[model._meta.label, field.name])
            rows.update(**{field.name: Concat(Value(PAYLOAD), Value(" #"), Cast("pk", models.CharField()))})
            filled.append(f"{model._meta.label}.{field.name}")
    finally:
        install_guards()
    return filled


@pytest.fixture
def hostile_world(world):  # noqa: F811
    filled = fill_every_text_field()
    assert "communities.Community.name" in filled and "meetings.AgendaItem.question" in filled
    return world


def responses(client, request, objects, names):
    for name in names:
        login_as(client, page_persona(name), request)
        response = client.get(page_url(name, objects))
        content = body_of(response)
        assert response.status_code == 200, name
        yield name, response["Content-Type"], content


def test_pages_show_the_payload_as_text(hostile_world, client, request):
    shown = []
    for name, content_type, content in responses(client, request, hostile_world, GET_PAGES):
        if not content_type.startswith("text/html"):
            continue
        html = content.decode()
        assert "<script>alert(1)" not in html, name
        assert inline_code(html) == [], name
        if ESCAPED in html:
            shown.append(name)

    # The pages that show what users typed show it, as text.
    for name in [
        "communities:detail",
        "communities:list",
        "communities:plan_detail",
        "communities:regulation_detail",
        "communities:history",
        "meetings:detail",
        "meetings:community_assignments",
        "reports:dashboard",
        "reports:annual_report",
    ]:
        assert name in shown


#: PDFs stored once when their record was made (before the world is filled with the payload): served byte for byte,
#: so they print what was typed then. Their own tests type the payload (tests/reports/test_extracts_and_corrections.py).
STORED_PDFS = {"reports:correction_pdf"}


def test_pdfs_print_the_payload_as_text(hostile_world, client, request):
    pdfs = [name for name in GET_PAGES if name.endswith("_pdf") and name not in STORED_PDFS]
    assert len(pdfs) >= 5

    for name, content_type, content in responses(client, request, hostile_world, pdfs):
        assert content_type == "application/pdf", name
        # Narrow table columns break lines anywhere: compared without whitespace.
        assert squeezed(PAYLOAD) in squeezed(pdf_text(content)), name


def test_the_spreadsheet_holds_the_payload_as_text(hostile_world, client, request):
    [(_name, _type, content)] = list(responses(client, request, hostile_world, ["reports:dashboard_xlsx"]))
    workbook = load_workbook(io.BytesIO(content))

    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert any(isinstance(cell.value, str) and cell.value.startswith(PAYLOAD) for cell in cells)
    assert not any(cell.data_type == "f" for cell in cells)


def test_the_stored_pdf_of_a_signed_protocol_prints_the_payload(community, leader, member, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    protocol = build_protocol(community, leader, [leader, member])
    meeting = protocol.meeting
    meeting.topic = PAYLOAD
    meeting.save()
    item = meeting.agenda.get()
    item.question = PAYLOAD
    item.save()

    protocol_sign(protocol=protocol, user=leader.user)

    text = pdf_text(ProtocolDocument.objects.get(protocol=protocol).read())
    assert squeezed(PAYLOAD) in squeezed(text)


def test_the_page_of_a_signed_protocol_shows_the_payload_as_text(hostile_world, client, leader):
    client.force_login(leader.user)

    html = client.get(reverse("meetings:detail", kwargs=hostile_world["signed_meeting"])).content.decode()

    assert ESCAPED in html
    assert "<script>alert(1)" not in html
