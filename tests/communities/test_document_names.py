"""How a community is named on its documents: the heading in the genitive (the kind said once, a proper name in
«ёлочки») and the organization at the top (its own, or the ИОЦ for a municipal community)."""

import pytest

from communities.models import IOC_FULL_NAME, Community, Organization
from tests.factories import CommunityFactory, OrganizationFactory

pytestmark = pytest.mark.django_db

KIND = "профессионального обучающегося сообщества"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("ПОС учителей математики", f"{KIND} учителей математики"),
        ("ПСО педагогов ДОУ", f"{KIND} педагогов ДОУ"),
        ("Профессиональное обучающееся сообщество учителей начальных классов", f"{KIND} учителей начальных классов"),
        ("ПОС «Математическая вертикаль»", f"{KIND} «Математическая вертикаль»"),
        ("Математическая вертикаль", f"{KIND} «Математическая вертикаль»"),
        ("ПОС «Школа «Радуга»»", f"{KIND} «Школа „Радуга“»"),
        ("Детский сад №34 «Радуга»", f"{KIND} «Детский сад №34 „Радуга“»"),
        ("ПОС воспитателей «Радуги»", f"{KIND} воспитателей «Радуги»"),
        # a name that begins with its own quoted part is not wrapped again; quotes inside quotes become „лапки“
        ("ПОС «Наставничество» МОУ «Средняя школа № 3»", f"{KIND} «Наставничество» МОУ «Средняя школа № 3»"),
        (
            "ПОС воспитателей МДОУ «Детский сад № 12 «Солнышко»»",
            f"{KIND} воспитателей МДОУ «Детский сад № 12 „Солнышко“»",
        ),
        ("ПОС", KIND),
        ("ПОСтроение", f"{KIND} «ПОСтроение»"),  # a word that only starts like the kind
    ],
)
def test_the_heading_says_the_kind_once_and_quotes_a_proper_name(name, expected):
    assert Community(name=name).title_genitive == expected


def test_an_institutional_community_is_headed_by_its_own_organization():
    school = OrganizationFactory(full_name="Муниципальное дошкольное образовательное учреждение «Детский сад № 34»")
    community = CommunityFactory(level=Community.Level.INSTITUTIONAL, organization=school)
    assert community.document_organization_name() == school.full_name


def test_a_municipal_community_is_headed_by_the_ioc():
    community = CommunityFactory(level=Community.Level.MUNICIPAL)
    assert community.document_organization_name() == IOC_FULL_NAME  # none recorded yet
    Organization.objects.create(kind=Organization.Kind.IOC, short_name="ИОЦ", full_name="МУ ДПО «ИОЦ» ТМР")
    assert community.document_organization_name() == "МУ ДПО «ИОЦ» ТМР"
    assert community.document_organization_name("Уже прочитанное имя") == "Уже прочитанное имя"
