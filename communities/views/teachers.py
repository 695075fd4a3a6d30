"""The teachers directory of the district, for ИОЦ methodists and the Department."""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from communities.access import require_district
from communities.models import Membership, Organization, Teacher
from pos_portal.bad_input import row_id

PAGE_SIZE = 25


@require_http_methods(["GET"])
def teacher_list(request):
    require_district(request.user, "Справочник педагогов доступен методистам ИОЦ и Департаменту образования.")
    q = request.GET.get("q", "").strip()
    organization_id = row_id(request.GET.get("organization"))

    teachers = Teacher.objects.search(q, emails=True) if q else Teacher.objects.all()
    if organization_id is not None:
        teachers = teachers.filter(organization_id=organization_id)
    teachers = (
        teachers.select_related("organization")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current().select_related("community").order_by("community__name", "pk"),
                to_attr="current_memberships",
            )
        )
        .order_by("surname", "name", "patronymic", "pk")
    )
    page = Paginator(teachers, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "q": q,
        "organization_id": organization_id,
        "organizations": Organization.objects.exclude(kind=Organization.Kind.DEPARTMENT)
        .order_by("short_name", "pk")
        .values_list("pk", "short_name"),
    }
    return render(request, "communities/teacher_list.html", context)
