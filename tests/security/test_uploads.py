"""Uploaded files are never shown by the browser as a page: every download URL serves a file that holds HTML or
SVG (whatever its name and however it got into storage) as an attachment, with a type that is not HTML or SVG,
nosniff and the CSP. Uploads are checked by content, limited in size, and stored under generated names."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Material, Regulation
from communities.validators import validate_document_file, validate_material_file
from tests.factories import RegulationFactory
from tests.files import PDF
from tests.security.pages import CSP, csp_of

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"><script>alert(2)</script></svg>'
# Starts like a PDF (refused on upload today, tests/security/test_upload_content.py, but perhaps stored before): the
# way it is served is what protects.
PDF_WITH_HTML = b"%PDF-1.4\n" + HTML
PAYLOADS = {"html": ("evil.html", HTML), "svg": ("evil.svg", SVG), "pdf": ("evil.pdf", PDF_WITH_HTML)}
INLINE_TYPES = ("text/html", "image/svg+xml", "application/xhtml+xml", "text/xml", "application/xml", "text/plain")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored(folder, name, content):
    """A file put straight into storage, past every check on upload (an old upload, a restored backup…)."""
    return default_storage.save(f"{folder}/{name}", ContentFile(content))


def material_url(community, name, content):
    material = Material.objects.create(community=community, title="Материал", url="https://example.org/")
    Material.objects.filter(pk=material.pk).update(file=stored("materials", name, content), original_name=name, url="")
    return reverse("communities:material_download", args=[material.pk])


def regulation_url(community, name, content):
    regulation = RegulationFactory(community=community)
    Regulation.objects.filter(pk=regulation.pk).update(file=stored("regulations", name, content))
    return reverse("communities:regulation_file", args=[regulation.pk])


DOWNLOADS = {"communities:material_download": material_url, "communities:regulation_file": regulation_url}


@pytest.mark.parametrize("payload", sorted(PAYLOADS))
@pytest.mark.parametrize("download", sorted(DOWNLOADS))
def test_a_file_holding_html_is_never_served_inline(client, community, leader, member, download, payload):
    name, content = PAYLOADS[payload]
    url = DOWNLOADS[download](community, name, content)
    client.force_login(member.user)

    response = client.get(url)
    body = b"".join(response.streaming_content)

    assert response.status_code == 200
    assert body == content
    assert response["Content-Disposition"].startswith("attachment;")
    assert not response["Content-Type"].startswith(INLINE_TYPES)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert csp_of(response) == CSP


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.pdf", HTML, "Содержимое файла не соответствует расширению «.pdf»."),
        ("picture.svg", SVG, "Недопустимый тип файла «.svg»."),
        ("page.html", HTML, "Недопустимый тип файла «.html»."),
        ("page.htm", HTML, "Недопустимый тип файла «.htm»."),
    ],
)
@pytest.mark.parametrize("validator", [validate_document_file, validate_material_file], ids=["document", "material"])
def test_html_and_svg_are_refused_on_upload(validator, name, content, message):
    with pytest.raises(ValidationError) as refused:
        validator(SimpleUploadedFile(name, content))

    assert refused.value.messages[0].startswith(message)


def test_an_oversized_upload_is_refused(settings):
    settings.MAX_UPLOAD_SIZE = 1024
    with pytest.raises(ValidationError) as refused:
        validate_material_file(SimpleUploadedFile("big.pdf", b"%PDF-1.4\n" + b"0" * 2048))

    assert "Файл слишком большой" in refused.value.messages[0]


def test_stored_names_are_generated(client, community, leader):
    client.force_login(leader.user)

    response = client.post(
        reverse("communities:material_add", args=[community.pk]),
        {
            "title": "Конспект",
            "kind": "lesson",
            "description": "",
            "url": "",
            "tags": "",
            "file": SimpleUploadedFile("../../Мой конспект.PDF", PDF),
        },
    )

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.file.name.startswith("materials/")
    assert material.file.name.endswith(".pdf")
    assert "конспект" not in material.file.name.lower() and ".." not in material.file.name
