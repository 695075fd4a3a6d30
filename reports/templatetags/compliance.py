"""``{% load compliance %}``: the community page's line about regulation 4.2 for the selected year."""

from django import template

from pos_portal.academic_year import AcademicYear
from reports.compliance import compliance_for_community

register = template.Library()


@register.inclusion_tag("reports/partials/compliance_line.html")
def compliance_line(community, year=None):
    """Held / required, the status badge and what the year still needs («нужно провести ещё 2 заседания»).
    Two queries, whatever the community's size; nothing for an archived community or a year before it existed."""
    year = year if isinstance(year, AcademicYear) else AcademicYear.current()
    return {"row": compliance_for_community(community, year, with_documents=False)}
