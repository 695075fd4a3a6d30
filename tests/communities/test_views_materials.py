"""Methodical materials: adding (file or link), downloading through the access check, deleting."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from communities.models import Material
from tests.factories import MembershipFactory, TeacherFactory
from tests.files import DOCX, PDF, PNG
from tests.responses import read_body

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def add_url(community):
    return reverse("communities:material_add", args=[community.pk])


def download_url(material):
    return reverse("communities:material_download", args=[material.pk])


def delete_url(material):
    return reverse("communities:material_delete", args=[material.pk])


def material_data(**extra):
    data = {"title": "Технологическая карта урока", "kind": "lesson", "description": "", "url": "", "tags": ""}
    data.update(extra)
    return data


def stored_material(community, name="Карта урока.pdf", content=PDF, added_by=None, **fields):
    material = Material(community=community, title=fields.pop("title", "Карта урока"), added_by=added_by, **fields)
    material.file = SimpleUploadedFile(name, content)
    material.original_name = name
    material.save()
    return material


# --- add -------------------------------------------------------------------------------------


def test_member_uploads_a_file_with_authors(client, media, community, leader, member):
    client.force_login(member.user)
    assert client.get(add_url(community)).status_code == 200

    response = client.post(
        add_url(community),
        material_data(
            file=SimpleUploadedFile("Урок математики 5 класс.pdf", PDF, content_type="application/pdf"),
            authors=[member.pk, leader.pk],
            tags="ФГОС, дроби",
        ),
    )

    assert response.status_code == 302
    material = Material.objects.get(title="Технологическая карта урока")
    assert material.community == community
    assert material.added_by == member
    assert material.original_name == "Урок математики 5 класс.pdf"
    assert set(material.authors.all()) == {member, leader}
    assert material.tag_list == ["ФГОС", "дроби"]
    assert (media / material.file.name).read_bytes() == PDF
    assert "Технологическая карта урока" in client.get(response["Location"]).content.decode()


def test_member_adds_a_link(client, community, leader, member):
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(url="https://example.org/lesson"))

    assert response.status_code == 302
    assert Material.objects.get().url == "https://example.org/lesson"


def test_html_renamed_to_pdf_is_a_form_error_keeping_the_fields(client, community, leader, member):
    client.force_login(member.user)

    response = client.post(
        add_url(community),
        material_data(
            file=SimpleUploadedFile("урок.pdf", b"<html><script>alert(1)</script></html>"),
            description="Описание урока",
            tags="дроби",
        ),
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Содержимое файла не соответствует расширению «.pdf»." in page
    assert 'value="Технологическая карта урока"' in page
    assert "Описание урока" in page
    assert 'value="дроби"' in page
    assert not Material.objects.exists()


def test_svg_is_refused(client, community, leader, member):
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(file=SimpleUploadedFile("x.svg", b"<svg></svg>")))

    assert response.status_code == 200
    assert "Недопустимый тип файла «.svg»" in response.content.decode()
    assert not Material.objects.exists()


def test_too_large_file_is_refused(client, settings, community, leader, member):
    settings.MAX_UPLOAD_SIZE = 1024
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(file=SimpleUploadedFile("big.pdf", PDF + b"0" * 2000)))

    assert response.status_code == 200
    assert "Файл слишком большой" in response.content.decode()
    assert not Material.objects.exists()


def test_file_or_link_is_required_and_not_both(client, community, leader, member):
    client.force_login(member.user)

    neither = client.post(add_url(community), material_data())
    both = client.post(
        add_url(community), material_data(url="https://example.org/", file=SimpleUploadedFile("a.pdf", PDF))
    )

    assert "Приложите файл или укажите ссылку." in neither.content.decode()
    assert "Укажите что-то одно: файл или ссылку." in both.content.decode()
    assert not Material.objects.exists()


def test_author_from_outside_the_community_is_refused(client, community, leader, member, outsider, other_leader):
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(url="https://example.org/", authors=[other_leader.pk]))

    assert response.status_code == 200
    assert "Автором может быть только член этого ПОС." in response.content.decode()
    assert not Material.objects.exists()


def test_javascript_link_is_refused(client, community, leader, member):
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(url="javascript:alert(1)"))

    assert response.status_code == 200
    assert response.context["form"].errors["url"]
    assert not Material.objects.exists()


def test_long_file_name_is_accepted(client, community, leader, member):
    name = "Очень длинное название методической разработки " * 4 + ".pdf"
    client.force_login(member.user)

    response = client.post(add_url(community), material_data(file=SimpleUploadedFile(name, PDF)))

    assert response.status_code == 302
    assert Material.objects.get().original_name == name


def test_methodist_may_not_add_and_outsiders_get_404(client, community, leader, methodist, outsider, other_leader):
    client.force_login(methodist)
    assert client.get(add_url(community)).status_code == 403
    for teacher in (outsider, other_leader):
        client.force_login(teacher.user)
        assert client.post(add_url(community), material_data(url="https://example.org/")).status_code == 404
    assert not Material.objects.exists()


def test_department_adds_a_material(client, community, admin_user):
    client.force_login(admin_user)

    response = client.post(add_url(community), material_data(url="https://example.org/"))

    assert response.status_code == 302
    assert Material.objects.get().added_by is None


# --- download --------------------------------------------------------------------------------


def test_member_downloads_a_pdf_with_its_original_name(client, community, member):
    material = stored_material(community)
    client.force_login(member.user)

    response = client.get(download_url(material))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert "%D0%9A%D0%B0%D1%80%D1%82%D0%B0" in response["Content-Disposition"]  # «Карта»
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content) == PDF


def test_office_files_are_served_as_octet_stream(client, community, member):
    material = stored_material(community, name="plan.docx", content=DOCX)
    client.force_login(member.user)

    response = client.get(download_url(material))
    read_body(response)

    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"] == 'attachment; filename="plan.docx"'


def test_image_is_an_attachment_too(client, community, member):
    material = stored_material(community, name="photo.png", content=PNG)
    client.force_login(member.user)

    response = client.get(download_url(material))
    read_body(response)

    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("attachment;")


def test_dangerous_stored_name_is_cleaned(client, community, member):
    material = stored_material(community)
    Material.objects.filter(pk=material.pk).update(original_name='../evil\r\nSet-Cookie: x=1".pdf')
    client.force_login(member.user)

    response = client.get(download_url(material))
    read_body(response)

    assert response.status_code == 200
    assert "\n" not in response["Content-Disposition"]
    assert "/" not in response["Content-Disposition"].split("filename", 1)[1]


def test_link_material_redirects_only_to_http(client, community, member):
    link = Material.objects.create(community=community, title="Статья", url="https://example.org/article")
    ftp = Material.objects.create(community=community, title="Архив", url="ftp://example.org/archive")
    client.force_login(member.user)

    response = client.get(download_url(link))

    assert response.status_code == 302
    assert response["Location"] == "https://example.org/article"
    assert client.get(download_url(ftp)).status_code == 404


def test_missing_material_is_404(client, member):
    client.force_login(member.user)

    assert client.get(reverse("communities:material_download", args=[999])).status_code == 404


# --- delete ----------------------------------------------------------------------------------


def test_delete_is_post_only(client, community, member):
    material = stored_material(community, added_by=member)
    client.force_login(member.user)

    assert client.get(delete_url(material)).status_code == 405
    assert Material.objects.filter(pk=material.pk).exists()


def test_the_member_who_added_it_deletes_it_with_its_file(client, media, community, member):
    material = stored_material(community, added_by=member)
    stored = media / material.file.name
    assert stored.exists()
    client.force_login(member.user)

    response = client.post(delete_url(material))

    assert response.status_code == 302
    assert not Material.objects.filter(pk=material.pk).exists()
    assert not stored.exists()
    assert "Материал «Карта урока» удалён." in client.get(response["Location"]).content.decode()


def test_leader_deletes_a_members_material(client, community, leader, member):
    material = stored_material(community, added_by=member)
    client.force_login(leader.user)

    assert client.post(delete_url(material)).status_code == 302
    assert not Material.objects.filter(pk=material.pk).exists()


def test_another_member_may_not_delete(client, community, leader, member):
    material = stored_material(community, added_by=leader)
    client.force_login(member.user)

    assert client.post(delete_url(material)).status_code == 403
    assert Material.objects.filter(pk=material.pk).exists()


def test_outsider_gets_404_on_delete(client, community, member, other_leader):
    material = stored_material(community, added_by=member)
    client.force_login(other_leader.user)

    assert client.post(delete_url(material)).status_code == 404
    assert Material.objects.filter(pk=material.pk).exists()


def test_member_of_material_community_sees_only_own_delete_button(client, community, leader, member):
    mine = stored_material(community, added_by=member, title="Моё")
    theirs = stored_material(community, added_by=MembershipFactory(community=community).teacher, title="Чужое")
    client.force_login(member.user)

    page = client.get(reverse("communities:detail", args=[community.pk])).content.decode()

    assert delete_url(mine) in page
    assert delete_url(theirs) not in page


def test_material_page_lists_authors(client, community, leader, member):
    author = TeacherFactory(surname="Авторова")
    MembershipFactory(community=community, teacher=author)
    material = Material.objects.create(community=community, title="Сборник", url="https://example.org/")
    material.authors.add(author)
    client.force_login(member.user)

    page = client.get(reverse("communities:detail", args=[community.pk])).content.decode()

    assert "Авторова А.П." in page
