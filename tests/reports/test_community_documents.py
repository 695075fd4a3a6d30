"""Section 6 on the community page (reports.community_parts.documents_checklist): the mandatory documentation of the
year for those who answer for it, with where each document is made; the community's regulation added in the portal;
«иные документы» as materials of their own kind."""

import pytest
from django.urls import reverse

from communities.models import Community, Material, Regulation
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def school_community(community, leader, member):
    """The fixture's community as an institutional one of the members' school: it needs a regulation of its own."""
    school = OrganizationFactory(short_name="МОУ СОШ № 3")
    for teacher in (leader, member):
        teacher.organization = school
        teacher.save(update_fields=["organization"])
    community.level = Community.Level.INSTITUTIONAL
    community.organization = school
    community.save(update_fields=["level", "organization"])
    return community


def page(client, community) -> str:
    return client.get(reverse("communities:detail", args=[community.pk])).content.decode()


def checklist(text: str) -> str:
    section = text[text.index('id="documents"') :]
    return section[: section.index("</section>")]


def test_the_leader_sees_what_is_missing_and_where_to_make_it(client, school_community, leader):
    client.force_login(leader.user)

    section = checklist(page(client, school_community))

    assert "Документация ПОС за" in section
    assert "Положение: <strong>нет</strong>" in section
    assert f'href="{reverse("communities:regulation_create", args=[school_community.pk])}"' in section
    assert f'href="{reverse("communities:plan_create", args=[school_community.pk])}"' in section
    assert "Иные документы (по желанию руководителя): <strong>0</strong>" in section


def test_a_methodist_sees_it_and_may_add_the_regulation(client, school_community, methodist):
    client.force_login(methodist)

    section = checklist(page(client, school_community))

    assert f'href="{reverse("communities:regulation_create", args=[school_community.pk])}"' in section
    assert reverse("communities:plan_create", args=[school_community.pk]) not in section  # the leader plans


def test_members_do_not_get_the_checklist(client, school_community, member):
    client.force_login(member.user)

    assert 'id="documents"' not in page(client, school_community)


def test_the_leader_adds_the_communitys_regulation_and_the_checklist_shows_it(client, school_community, leader):
    client.force_login(leader.user)
    url = reverse("communities:regulation_create", args=[school_community.pk])
    assert client.get(url).status_code == 200

    response = client.post(
        url,
        {
            "title": "Положение о ПОС учителей математики МОУ СОШ № 3",
            "text": "1. Общие положения.",
            "approved_by": "приказом директора МОУ СОШ № 3",
            "approved_order_number": "41",
            "approved_on": "2024-08-30",
            "effective_from": "2024-09-01",
        },
    )

    regulation = Regulation.objects.get(community=school_community)
    assert response.status_code == 302
    assert response["Location"] == reverse("communities:regulation_detail", args=[regulation.pk])
    assert regulation.approved_requisites == "Утверждено приказом директора МОУ СОШ № 3 № 41 от 30.08.2024"
    assert "Положение: <strong>есть</strong>" in checklist(page(client, school_community))


def test_a_regulation_without_text_or_file_is_refused_keeping_what_was_typed(client, school_community, leader):
    client.force_login(leader.user)

    response = client.post(
        reverse("communities:regulation_create", args=[school_community.pk]),
        {"title": "Положение о ПОС — черновой заголовок", "effective_from": "2024-09-01"},
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Приложите текст положения или файл." in text
    assert 'value="Положение о ПОС — черновой заголовок"' in text
    assert not Regulation.objects.filter(community=school_community).exists()


def test_other_documents_are_materials_of_their_kind(client, school_community, leader):
    for kind, title in ((Material.Kind.DOCUMENT, "Анализ анкетирования педагогов"), (Material.Kind.LESSON, "Урок")):
        Material.objects.create(community=school_community, kind=kind, title=title, url="https://example.org/doc")
    client.force_login(leader.user)

    section = checklist(page(client, school_community))
    form = client.get(reverse("communities:material_add", args=[school_community.pk]), {"kind": "document"})

    assert "Иные документы (по желанию руководителя): <strong>1</strong>" in section
    assert '<option value="document" selected>Иной документ ПОС (раздел 6)</option>' in form.content.decode()
