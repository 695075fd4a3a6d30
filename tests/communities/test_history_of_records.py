"""The audit trail of the records around the protocols: materials, regulations, acknowledgements, annual reports,
teachers and organizations. A deleted material leaves a trace; what belongs to a community is on its history page;
the rows are append-only like every audit row; the page's queries do not grow with them."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from communities.models import Acknowledgement, Material, Organization, Regulation, Teacher
from reports.models import AnnualReport
from reports.services import annual_report_save, annual_report_start
from tests.browser_forms import text
from tests.factories import OrganizationFactory, RegulationFactory, TeacherFactory
from tests.reports.annual_data import YEAR

pytestmark = pytest.mark.django_db


def history_page(client, community):
    return client.get(reverse("communities:history", args=[community.pk]))


def material(community, title="Рубрики оценивания"):
    return Material.objects.create(community=community, title=title, url="https://example.org/rubrics")


def test_a_deleted_material_leaves_its_trace_on_the_community_history(client, community, leader):
    gone = material(community, title="Материал, который удалят")
    client.force_login(leader.user)

    assert client.post(reverse("communities:material_delete", args=[gone.pk])).status_code == 302

    assert not Material.objects.filter(pk=gone.pk).exists()
    deletion = Material.history.get(id=gone.pk, history_type="-")
    assert (deletion.history_user, deletion.history_community_id) == (leader.user, community.pk)
    page = text(history_page(client, community))
    assert "удаление" in page
    assert "Материал, который удалят" in page


def test_an_acknowledgement_of_the_communitys_regulation_is_on_its_history(client, community, leader, member):
    regulation = RegulationFactory(community=community, title="Положение о ПОС учителей математики")
    client.force_login(member.user)
    client.post(reverse("communities:regulation_acknowledge", args=[regulation.pk]))
    client.force_login(leader.user)

    page = text(history_page(client, community))

    assert "ознакомление с положением" in page
    assert "Кузнецов И.П.: Положение о ПОС учителей математики" in page


def test_a_district_regulation_belongs_to_no_community_history(client, community, leader, member):
    regulation = RegulationFactory(community=None, title="Положение о ПОС района")
    client.force_login(member.user)
    client.post(reverse("communities:regulation_acknowledge", args=[regulation.pk]))

    assert Regulation.history.get(id=regulation.pk).history_community_id is None
    assert Acknowledgement.history.get(regulation_id=regulation.pk).history_community_id is None
    client.force_login(leader.user)
    assert "Положение о ПОС района" not in text(history_page(client, community))


def test_the_annual_report_text_is_on_the_history(client, community, leader):
    report = annual_report_start(community=community, year=YEAR, user=leader.user)
    report.results = "Освоили формирующее оценивание."
    annual_report_save(report=report, user=leader.user, expected_version=report.version)
    client.force_login(leader.user)

    page = text(history_page(client, community))

    assert f"за {YEAR} учебный год" in page
    assert "Освоили формирующее оценивание." in page
    assert AnnualReport.history.filter(history_community_id=community.pk).count() == 2


def test_teachers_and_organizations_are_audited_without_a_community(db):
    school = OrganizationFactory(short_name="МОУ СШ № 1")
    teacher = TeacherFactory(organization=school, surname="Иванова")
    teacher.surname = "Петрова"
    teacher.save()
    teacher_pk = teacher.pk
    teacher.delete()

    assert list(Teacher.history.filter(id=teacher_pk).values_list("history_type", "surname")) == [
        ("-", "Петрова"),
        ("~", "Петрова"),
        ("+", "Иванова"),
    ]
    assert Organization.history.filter(id=school.pk, history_community_id=None).exists()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE communities_historicalmaterial SET title = 'подделка'",
        "DELETE FROM communities_historicalmaterial",
        "UPDATE communities_historicalregulation SET title = 'подделка'",
        "DELETE FROM communities_historicalacknowledgement",
        "UPDATE communities_historicalteacher SET surname = 'подделка'",
        "DELETE FROM communities_historicalorganization",
        "UPDATE reports_historicalannualreport SET results = 'подделка'",
    ],
)
def test_the_new_audit_rows_refuse_raw_sql(community, leader, member, sql):
    regulation = RegulationFactory(community=community)
    Acknowledgement.objects.create(regulation=regulation, teacher=member)
    material(community).delete()
    annual_report_start(community=community, year=YEAR, user=leader.user)
    table = sql.split()[2 if sql.startswith("DELETE") else 1]
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table}")  # noqa: S608 - the test's own table names
        before = cursor.fetchone()[0]
    assert before

    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


def _queries(client, community) -> int:
    with CaptureQueriesContext(connection) as context:
        assert history_page(client, community).status_code == 200
    return len(context.captured_queries)


def test_the_page_queries_do_not_grow_with_these_records(client, community, leader, member):
    client.force_login(leader.user)
    regulation = RegulationFactory(community=community)
    Acknowledgement.objects.create(regulation=regulation, teacher=member)
    material(community, title="Первый").delete()
    one = _queries(client, community)

    for number in range(10):
        material(community, title=f"Материал {number}").delete()
        other = RegulationFactory(community=community, title=f"Положение {number}")
        Acknowledgement.objects.create(regulation=other, teacher=TeacherFactory(surname=f"Член{number}"))
    many = _queries(client, community)

    assert Material.history.filter(history_community_id=community.pk).count() == 22
    assert one == many
