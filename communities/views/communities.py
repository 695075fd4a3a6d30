"""Communities: the list, registration, the community page and its editing."""

import copy
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_http_methods

from communities.access import (
    community_for,
    require,
    require_district,
    sees_district,
    visibility_scope,
    visible_communities,
)
from communities.data_version import data_version, page_part
from communities.forms import (
    CommunityCreateForm,
    CommunityEditForm,
    CommunityLeaderEditForm,
    MembershipEndForm,
)
from communities.models import (
    Acknowledgement,
    Community,
    LeaderAppointment,
    Material,
    Membership,
    Organization,
    Regulation,
)
from communities.models.versioned import CONFLICT_STATUS, VersionConflict
from communities.submissions import submitted_once
from pos_portal.academic_year import AcademicYear

PAGE_SIZE = 25
YEARS_BACK = 10


def _posted(request):
    """The submitted data on POST (even an empty submission is validated), nothing on GET."""
    return request.POST if request.method == "POST" else None


def _parse_int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_http_methods(["GET"])
def community_list(request):
    user = request.user
    visible = visible_communities(user)
    q = request.GET.get("q", "").strip()
    level = request.GET.get("level", "")
    if level not in Community.Level.values:
        level = ""
    organization_id = _parse_int(request.GET.get("organization"))
    archived = request.GET.get("archived") == "1"

    communities = visible.filter(is_archived=archived)
    if q:
        communities = communities.filter(Q(name__icontains=q) | Q(theme__icontains=q))
    if level:
        communities = communities.filter(level=level)
    if organization_id is not None:
        communities = communities.filter(organization_id=organization_id)
    communities = (
        communities.select_related("organization")
        .with_member_count()
        .prefetch_related(
            Prefetch(
                "appointments",
                queryset=LeaderAppointment.objects.current().select_related("teacher"),
                to_attr="current_appointments",
            )
        )
        .order_by("name", "pk")
    )
    page_number = page_part(request.GET.get("page"))
    # Computed only when the template's cached fragments are missing (the same version, day, scope and query).
    page = SimpleLazyObject(lambda: Paginator(communities, PAGE_SIZE).get_page(page_number))
    # (pk, short name) pairs, not model instances: a region's methodist chooses among some 500 organizations.
    organizations = (
        Organization.objects.filter(Exists(visible.filter(organization=OuterRef("pk"))))
        .order_by("short_name", "pk")
        .values_list("pk", "short_name")
    )
    checked = {"q": q, "level": level, "organization": organization_id or "", "archived": "1" if archived else ""}
    context = {
        "page": page,
        "q": q,
        "level": level,
        "levels": Community.Level.choices,
        "organization_id": organization_id,
        "organizations": organizations,
        "archived": archived,
        "may_register": sees_district(user),
        "list_query": urlencode({key: value for key, value in checked.items() if value}),
        "page_number": page_number,
        "cache_version": data_version(),
        "cache_seconds": settings.REPORTS_CACHE_SECONDS,
        "cache_scope": visibility_scope(user),
        "today": timezone.localdate(),
    }
    return render(request, "communities/community_list.html", context)


@require_http_methods(["GET", "POST"])
@submitted_once
def community_create(request):
    require_district(request.user, "Регистрировать сообщества могут методисты ИОЦ и Департамент образования.")
    form = CommunityCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        community = form.save()
        messages.success(request, f"Сообщество «{community.name}» зарегистрировано.")
        return redirect("communities:detail", pk=community.pk)
    return render(request, "communities/community_form.html", {"form": form, "community": None})


def _year_choices(community: Community, selected: AcademicYear) -> list[AcademicYear]:
    current = AcademicYear.current()
    first = max(AcademicYear.of(community.founded_on), AcademicYear(current.start_year - YEARS_BACK))
    years = [AcademicYear(start) for start in range(first.start_year, current.next().start_year + 1)]
    if selected not in years:
        years.append(selected)
    return sorted(years, reverse=True)


@require_http_methods(["GET"])
def community_detail(request, pk):
    community, access = community_for(request.user, pk)
    today = timezone.localdate()
    year = AcademicYear.from_query(request.GET)

    appointments = list(community.appointments.select_related("teacher", "issued_by").order_by("-starts_on", "-pk"))
    current_appointment = community.leader_appointment_on(today)
    leader_id = current_appointment.teacher_id if current_appointment else None

    members = list(
        Membership.objects.current()
        .filter(community=community)
        .select_related("teacher__organization")
        .order_by("teacher__surname", "teacher__name", "teacher__patronymic", "pk")
    )
    # A list, not a subquery: PostgreSQL then probes the (regulation, teacher) index for these members only instead
    # of reading the district regulation's 20 000 acknowledgements.
    current_member_ids = [membership.teacher_id for membership in members]

    plans = list(community.plans.order_by("-academic_year"))
    # The reverse relation (meetings' own queryset): communities imports no app above it.
    meetings = list(community.meetings.in_year(year).select_related("protocol").order_by("date", "time", "pk"))
    # Newest first: a reader comes for the last protocol.
    protocols = sorted(
        (meeting.protocol for meeting in meetings if hasattr(meeting, "protocol")),
        key=lambda protocol: protocol.number,
        reverse=True,
    )

    regulations = list(
        Regulation.objects.filter(Q(community=community) | Q(community__isnull=True))
        .with_acknowledged_count(current_member_ids)
        .order_by("community_id", "-effective_from", "title")
    )
    acknowledged_by_me = set()
    if access.teacher is not None:
        acknowledged_by_me = set(
            Acknowledgement.objects.filter(
                regulation__in=[regulation.pk for regulation in regulations], teacher=access.teacher
            )
            .order_by()
            .values_list("regulation_id", flat=True)
        )
    for regulation in regulations:
        regulation.acknowledged_by_me = regulation.pk in acknowledged_by_me

    materials = list(
        Material.objects.filter(community=community)
        .select_related("added_by")
        .prefetch_related("authors")
        .order_by("-created_at", "-pk")
    )
    for material in materials:
        material.may_delete = access.can_delete_material(material)

    context = {
        "community": community,
        "access": access,
        "year": year,
        "years": _year_choices(community, year),
        "current_year": AcademicYear.current(),
        "current_appointment": current_appointment,
        "appointments": appointments,
        "leader_id": leader_id,
        "members": members,
        "member_count": len(members),
        "plans": plans,
        "meetings": meetings,
        "protocols": protocols,
        "regulations": regulations,
        "materials": materials,
        "may_add_material": access.can_add_material,
        "may_edit": access.can_edit_details,
        "end_form": MembershipEndForm(),
        "today": today,
    }
    return render(request, "communities/community_detail.html", context)


@require_http_methods(["GET", "POST"])
@submitted_once
def community_edit(request, pk):
    community, access = community_for(request.user, pk)
    require(
        access.can_edit_details, "Изменять сведения о сообществе может его руководитель, методист ИОЦ или Департамент."
    )
    form_class = CommunityEditForm if access.edits_all_details else CommunityLeaderEditForm
    # The form works on a copy: the page header keeps the saved name while the user corrects a typo.
    form = form_class(_posted(request), instance=copy.copy(community))
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except VersionConflict as error:
            conflict = error.message
        else:
            messages.success(request, "Сведения о сообществе сохранены.")
            return redirect("communities:detail", pk=community.pk)
    context = {"form": form, "community": community, "conflict": conflict}
    return render(request, "communities/community_form.html", context, status=CONFLICT_STATUS if conflict else 200)
