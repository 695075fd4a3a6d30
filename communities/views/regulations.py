"""Regulations (положения), the acknowledgement sheet (лист ознакомления) and the regulation files."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import (
    community_for,
    concerned_by_regulation,
    require,
    sees_district,
    shows_sheet,
    teacher_of,
    visible_communities,
)
from communities.downloads import stored_file_response
from communities.forms.regulations import RegulationForm
from communities.models import Acknowledgement, Membership, Regulation
from communities.services import acknowledgement_record
from communities.submissions import submitted_once

# What a regulation file is served as; anything else is a plain download.
CONTENT_TYPES = {
    ".pdf": "application/pdf",
    ".doc": "application/msword",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".rtf": "application/rtf",
}


def _regulation_for(user, regulation_pk):
    """The regulation with the access to its community (None for a district-wide one); 404 when
    the user may not see the community it belongs to."""
    regulation = get_object_or_404(Regulation.objects.select_related("community"), pk=regulation_pk)
    access = None
    if regulation.community_id:
        _community, access = community_for(user, regulation.community_id)
    return regulation, access


@require_http_methods(["GET"])
def regulation_list(request):
    user = request.user
    teacher = teacher_of(user)
    regulations = Regulation.objects.select_related("community")
    if not sees_district(user):
        regulations = regulations.filter(Q(community__isnull=True) | Q(community__in=visible_communities(user)))
    if teacher is not None:
        mine = Acknowledgement.objects.filter(regulation=OuterRef("pk"), teacher=teacher)
        regulations = regulations.annotate(my_acknowledged_on=Subquery(mine.values("acknowledged_on")[:1]))
    regulations = regulations.order_by(F("community__name").asc(nulls_first=True), "-effective_from", "title", "pk")
    context = {"regulations": regulations, "teacher": teacher}
    return render(request, "communities/regulation_list.html", context)


def _sheet(regulation: Regulation) -> list[dict]:
    """Rows of the acknowledgement sheet: for a community's regulation every current member
    (with the date or nothing), for a district one everyone who has acknowledged it."""
    if regulation.community_id:
        dates = dict(Acknowledgement.objects.filter(regulation=regulation).values_list("teacher_id", "acknowledged_on"))
        memberships = (
            Membership.objects.current()
            .filter(community_id=regulation.community_id)
            .select_related("teacher")
            .order_by("teacher__surname", "teacher__name", "teacher__patronymic", "pk")
        )
        return [
            {"teacher": membership.teacher, "acknowledged_on": dates.get(membership.teacher_id)}
            for membership in memberships
        ]
    acknowledgements = (
        Acknowledgement.objects.filter(regulation=regulation)
        .select_related("teacher")
        .order_by("acknowledged_on", "teacher__surname", "teacher__name", "pk")
    )
    return [{"teacher": row.teacher, "acknowledged_on": row.acknowledged_on} for row in acknowledgements]


@require_http_methods(["GET"])
def regulation_detail(request, regulation_pk):
    user = request.user
    regulation, access = _regulation_for(user, regulation_pk)
    teacher = access.teacher if access else teacher_of(user)
    my_acknowledgement = (
        Acknowledgement.objects.filter(regulation=regulation, teacher=teacher).first() if teacher else None
    )
    sheet_shown = shows_sheet(user, access)
    context = {
        "regulation": regulation,
        "community": regulation.community,
        "access": access,
        "my_acknowledgement": my_acknowledgement,
        "may_acknowledge": teacher is not None and my_acknowledgement is None and concerned_by_regulation(access),
        "shows_sheet": sheet_shown,
        "sheet": _sheet(regulation) if sheet_shown else [],
    }
    return render(request, "communities/regulation_detail.html", context)


@require_POST
@submitted_once
def regulation_acknowledge(request, regulation_pk):
    regulation, access = _regulation_for(request.user, regulation_pk)
    teacher = access.teacher if access else teacher_of(request.user)
    require(teacher is not None, "С положением знакомятся педагоги: ваша учётная запись не связана с педагогом.")
    try:
        acknowledgement = acknowledgement_record(regulation=regulation, teacher=teacher)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Отмечено: вы ознакомлены с положением {acknowledgement.acknowledged_on:%d.%m.%Y}.")
    return redirect("communities:regulation_detail", regulation_pk=regulation.pk)


@require_http_methods(["GET"])
def regulation_file(request, regulation_pk):
    regulation, _access = _regulation_for(request.user, regulation_pk)
    if not regulation.file:
        raise Http404("У положения нет файла.")
    # Named by the regulation, not by the uploaded file: «polozhenie-12.pdf».
    return stored_file_response(
        regulation.file,
        "",
        f"polozhenie-{regulation.pk}",
        content_types=CONTENT_TYPES,
        missing="Файл положения не найден.",
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def regulation_create(request, pk):
    """The community's own regulation with its approval requisites (section 6: «положение о ПОС»)."""
    community, access = community_for(request.user, pk)
    require(access.can_add_regulation, "Добавить положение ПОС может его руководитель или методист ИОЦ.")
    form = RegulationForm(
        request.POST or None,
        request.FILES or None,
        instance=Regulation(community=community),
        initial={"title": f"Положение о {community.name}"},
    )
    if request.method == "POST" and form.is_valid():
        regulation = form.save()
        messages.success(request, f"Положение «{regulation.title}» добавлено. Члены ПОС увидят его на главной.")
        return redirect("communities:regulation_detail", regulation_pk=regulation.pk)
    context = {"community": community, "access": access, "form": form}
    return render(request, "communities/regulation_form.html", context)
