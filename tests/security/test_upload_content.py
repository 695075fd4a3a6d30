"""Uploads are checked by what they hold, not only by their first bytes (communities/file_content.py): an office
file is a genuine package without programs and without a zip bomb, a PDF parses, an image decodes; the size and
type messages say what is wrong."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Material
from communities.validators import validate_document_file, validate_material_file
from tests.files import JPEG, PDF, PNG, image_bytes, office_bytes, zip_bytes

pytestmark = pytest.mark.django_db

HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
PROGRAM = b"MZ\x90\x00" + b"\x00" * 60 + b"This program cannot be run in DOS mode."


def refusal(validator, name, content):
    with pytest.raises(ValidationError) as refused:
        validator(SimpleUploadedFile(name, content))
    return refused.value.messages[0]


@pytest.fixture(scope="module")
def zip_bomb():
    """300 MB of zeros packed to some 300 KB, with the parts Word and Excel look for (as the attack session sent it)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as package:
        package.writestr("[Content_Types].xml", b"<Types/>")
        package.writestr("xl/workbook.xml", b"<workbook/>")
        with package.open("word/document.xml", "w", force_zip64=True) as member:
            chunk = bytes(10 * 1024 * 1024)
            for _ in range(30):
                member.write(chunk)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("План.docx", office_bytes("docx")),
        ("Итоги.xlsx", office_bytes("xlsx")),
        ("Доклад.pptx", office_bytes("pptx")),
        ("Конспект.odt", zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})),
        ("Карта урока.pdf", PDF),
        ("Фото.png", PNG),
        ("Фото.jpg", JPEG),
        ("Фото.JPEG", JPEG),
    ],
)
def test_genuine_files_are_accepted(name, content):
    validate_material_file(SimpleUploadedFile(name, content))


def test_an_archive_with_a_program_renamed_docx_is_refused():
    message = refusal(validate_document_file, "Положение.docx", zip_bytes({"setup.exe": PROGRAM}))

    assert message == "Внутри файла есть программа («setup.exe»): такие файлы не принимаются."


def test_a_program_hidden_in_a_genuine_document_is_refused():
    content = office_bytes("docx", extra={"word/media/image1.png": PROGRAM})

    assert refusal(validate_material_file, "План.docx", content) == (
        "Внутри файла есть программа («word/media/image1.png»): такие файлы не принимаются."
    )


def test_an_archive_without_the_parts_of_a_document_is_refused():
    content = zip_bytes({"notes.txt": b"just an archive"})

    assert refusal(validate_material_file, "Итоги.xlsx", content) == (
        "Файл не открывается как таблица Excel: он повреждён или это файл другого типа с расширением «.xlsx»."
    )


@pytest.mark.parametrize("extension", ["docx", "xlsx"])
def test_a_zip_bomb_is_refused_without_unpacking_it(zip_bomb, extension):
    assert len(zip_bomb) < 400 * 1024

    message = refusal(validate_material_file, f"Бомба.{extension}", zip_bomb)

    assert message == "Файл распаковывается в слишком большой объём: 300,0\xa0МБ; допустимо не более 200,0\xa0МБ."


def test_a_package_packed_a_thousand_times_is_refused():
    content = office_bytes("docx", extra={"word/media/zeros.bin": b"\x00" * (8 * 1024 * 1024)})

    message = refusal(validate_material_file, "План.docx", content)

    assert message.startswith("Файл сжат подозрительно сильно: в ")
    assert "документы сжимаются не более чем в 100 раз" in message


@pytest.mark.parametrize(
    ("name", "content", "what"),
    [
        ("Карта урока.pdf", b"%PDF-1.4\n" + HTML, "документ PDF"),
        ("Фото.png", b"\x89PNG\r\n\x1a\n" + HTML, "изображение"),
        ("Фото.jpg", b"\xff\xd8\xff\xe0" + HTML, "изображение"),
    ],
)
def test_a_file_with_an_html_body_is_refused(name, content, what):
    extension = name.rsplit(".", 1)[1]

    assert refusal(validate_material_file, name, content) == (
        f"Файл не открывается как {what}: он повреждён или это файл другого типа с расширением «.{extension}»."
    )


def test_a_truncated_image_is_refused():
    picture = image_bytes("PNG", size=(64, 64))

    assert "не открывается как изображение" in refusal(validate_material_file, "Фото.png", picture[:-40])


def test_a_file_just_over_the_limit_shows_the_difference(settings):
    over = settings.MAX_UPLOAD_SIZE + 19

    message = refusal(validate_material_file, "Большой.pdf", b"%PDF-1.4\n" + b"0" * (over - 9))

    assert message == "Файл слишком большой: 20\xa0971\xa0539\xa0байт; допустимо не более 20\xa0971\xa0520\xa0байт."


def test_a_file_far_over_the_limit_shows_megabytes(settings):
    settings.MAX_UPLOAD_SIZE = 1024 * 1024

    message = refusal(validate_material_file, "Большой.pdf", b"%PDF-1.4\n" + b"0" * (3 * 1024 * 1024))

    assert message == "Файл слишком большой: 3,0\xa0МБ; допустимо не более 1,0\xa0МБ."


def test_a_file_without_an_extension_is_told_so():
    message = refusal(validate_document_file, "Положение", PDF)

    assert message == "У файла нет расширения, и его тип не понять. Допустимы: .pdf, .docx, .odt, .doc, .rtf."


def test_the_material_form_shows_the_refusal(client, community, leader, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(leader.user)
    data = {"title": "Конспект", "kind": "lesson", "description": "", "url": "", "tags": ""}

    response = client.post(
        reverse("communities:material_add", args=[community.pk]),
        {**data, "file": SimpleUploadedFile("Положение.docx", zip_bytes({"setup.exe": PROGRAM}))},
    )

    assert response.status_code == 200
    assert "Внутри файла есть программа («setup.exe»)" in response.content.decode()
    assert 'value="Конспект"' in response.content.decode()
    assert not Material.objects.exists()
