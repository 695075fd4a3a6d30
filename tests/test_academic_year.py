import datetime as dt

import pytest
from django.http import QueryDict

from communities.models import AnnualPlan
from pos_portal.academic_year import AcademicYear
from tests.factories import AnnualPlanFactory


@pytest.mark.parametrize(
    ("day", "label"),
    [
        (dt.date(2025, 8, 31), "2024/2025"),
        (dt.date(2025, 9, 1), "2025/2026"),
        (dt.date(2025, 12, 31), "2025/2026"),
        (dt.date(2026, 1, 1), "2025/2026"),
    ],
)
def test_year_of_a_day(day, label):
    assert str(AcademicYear.of(day)) == label


def test_year_bounds_and_membership():
    year = AcademicYear(2025)

    assert (year.start, year.end) == (dt.date(2025, 9, 1), dt.date(2026, 8, 31))
    assert dt.date(2026, 8, 31) in year
    assert dt.date(2026, 9, 1) not in year
    assert (year.previous().label, year.next().label) == ("2024/2025", "2026/2027")


@pytest.mark.parametrize("text", ["2025/2026", "2025-2026", " 2025 / 2026 ", "2025"])
def test_parse_accepts_the_usual_spellings(text):
    assert AcademicYear.parse(text) == AcademicYear(2025)


@pytest.mark.parametrize("text", ["2025/2027", "двадцать пятый", "", "1899/1900"])
def test_parse_refuses_nonsense(text):
    with pytest.raises(ValueError):
        AcademicYear.parse(text)


@pytest.mark.django_db
def test_model_field_round_trip_and_lookups():
    plan = AnnualPlanFactory(academic_year=AcademicYear(2025))

    stored = AnnualPlan.objects.get(pk=plan.pk)
    assert stored.academic_year == AcademicYear(2025)
    assert list(AnnualPlan.objects.filter(academic_year="2025/2026")) == [plan]
    assert list(AnnualPlan.objects.filter(academic_year=AcademicYear(2024))) == []


@pytest.mark.parametrize("value", ["2024/2025", "2024-2025", "2024"])
def test_from_query_reads_the_year_a_page_asks_for(value):
    assert AcademicYear.from_query(QueryDict(f"year={value}")) == AcademicYear(2024)


@pytest.mark.parametrize("query", ["", "year=", "year=abc", "year=2024/2026", "year=99999", "year=²", "year=%00"])
def test_from_query_falls_back_to_the_default_on_a_missing_or_bad_year(query):
    assert AcademicYear.from_query(QueryDict(query), default=AcademicYear(2020)) == AcademicYear(2020)
    assert AcademicYear.from_query(QueryDict(query)) == AcademicYear.current()
