"""One person, named one way on every document: «УТВЕРЖДАЮ» of a plan, «Принят: …» of an annual report and the
signature and «Исполнитель» of the district summary all read ``reports.signatories.Signatory``."""

import pytest

from communities.activity import ActivityForm
from communities.models import Organization
from reports.annual_documents import plan_document_context
from reports.models import AnnualReport
from reports.signatories import Signatory
from tests.factories import (
    AnnualPlanFactory,
    OrganizationFactory,
    PlanItemFactory,
    TeacherFactory,
    UserFactory,
    approve_directly,
    methodist_user,
)

pytestmark = pytest.mark.django_db


def test_a_teacher_card_names_position_organization_and_phone():
    ioc = OrganizationFactory(kind=Organization.Kind.IOC, short_name="МУ ДПО «ИОЦ»")
    user = methodist_user()
    TeacherFactory(
        user=user,
        surname="Волкова",
        name="Ольга",
        patronymic="Викторовна",
        position="старший  методист",
        organization=ioc,
        phone="8 (48533) 2-11-22",
    )
    signatory = Signatory.of(user)
    assert (signatory.name, signatory.signature_name) == ("Волкова О.В.", "О.В. Волкова")
    assert signatory.position_title == "Старший методист"
    assert signatory.title == "старший методист, МУ ДПО «ИОЦ»"
    assert signatory.line == "Исполнитель: Волкова О.В., тел.\u00a08 (48533) 2-11-22"
    assert Signatory(*signatory.parts()) == signatory


def test_an_account_without_a_card_is_a_methodist_of_the_ioc_or_the_department():
    OrganizationFactory(kind=Organization.Kind.IOC, short_name="ИОЦ района")
    methodist = methodist_user()
    methodist.first_name, methodist.last_name = "Ольга", "Волкова"
    assert Signatory.of(methodist).title == "методист, ИОЦ района"
    assert Signatory.of(methodist).signature_name == "О. Волкова"
    department = UserFactory(username="department")
    assert Signatory.of(department).title == "Департамент образования АТМР"  # none registered: the regulation's name
    assert Signatory.of(department).line == "Исполнитель: department"


def test_the_plan_and_the_report_name_the_same_reviewer_alike(community):
    user = methodist_user()
    TeacherFactory(user=user, surname="Волкова", name="Ольга", patronymic="Викторовна", position="методист")
    plan = AnnualPlanFactory(community=community)
    for month in (9, 11, 2, 4):
        PlanItemFactory(plan=plan, month=month, form=ActivityForm.SESSION)
    plan = approve_directly(plan, user)
    context = plan_document_context(plan, community)
    signatory = Signatory.of(user)
    assert (context["approver_position"], context["approver_name"]) == ("Методист", "О.В. Волкова")
    assert context["approver_organization"] == signatory.organization
    report = AnnualReport(community=community, academic_year=plan.academic_year, reviewed_by=user)
    report.status, report.reviewed_at = AnnualReport.Status.ACCEPTED, plan.approved_at
    assert report.acceptance.startswith(f"Принят: {signatory.title}, О.В. Волкова, ")
