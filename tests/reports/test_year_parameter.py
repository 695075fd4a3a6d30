"""``?year=`` on the pages that take it (AcademicYear.from_query): a bad value shows the current year, never a 500."""

import pytest
from django.urls import reverse

from pos_portal.academic_year import AcademicYear

pytestmark = pytest.mark.django_db

BAD_YEARS = ["abc", "2024/2026", "99999", "1/2", "²"]


@pytest.mark.parametrize("value", BAD_YEARS)
@pytest.mark.parametrize(
    "page", ["communities:detail", "reports:annual_report_list", "reports:dashboard"], ids=lambda name: name
)
def test_a_bad_year_shows_the_current_year(client, methodist, community, page, value):
    client.force_login(methodist)
    url = reverse(page, args=[community.pk]) if page == "communities:detail" else reverse(page)

    response = client.get(url, {"year": value})

    assert response.status_code == 200
    assert response.context["year"] == AcademicYear.current()
