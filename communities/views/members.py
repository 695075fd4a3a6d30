"""Members of a community: the leader adds them, sets their roles and duties, and ends a membership."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities.access import community_for
from communities.forms import (
    MembershipEditForm,
    MembershipEndForm,
    MembershipTermsForm,
    NewTeacherForm,
    TeacherPickForm,
)
from communities.models import Community, Membership, Teacher
from communities.models.versioned import CONFLICT_STATUS, VersionConflict
from communities.services import membership_add, membership_add_new_teacher, membership_end
from communities.submissions import submitted_once
from pos_portal.form_errors import add_validation_error

PICK = "pick"
NEW = "new"


def _candidates(community: Community):
    """Teachers who are not current members of the community."""
    current = Membership.objects.current().filter(community=community).values("teacher_id")
    return Teacher.objects.exclude(pk__in=current).select_related("organization")


@require_http_methods(["GET", "POST"])
@submitted_once
def member_add(request, pk):
    community, access = community_for(request.user, pk, manage=True)
    q = request.GET.get("q", "").strip()
    mode = request.POST.get("mode") if request.method == "POST" else None
    data = request.POST if mode in (PICK, NEW) else None

    candidates = _candidates(community)
    shown = candidates.search(q) if q and data is None else candidates
    pick_form = TeacherPickForm(data if mode == PICK else None, prefix=PICK, candidates=shown)
    pick_terms = MembershipTermsForm(data if mode == PICK else None, prefix=PICK)
    new_form = NewTeacherForm(
        data if mode == NEW else None,
        prefix=NEW,
        initial={"organization": community.organization_id},
    )
    new_terms = MembershipTermsForm(data if mode == NEW else None, prefix=NEW)

    if mode == PICK and pick_form.is_valid() & pick_terms.is_valid():
        terms = pick_terms.cleaned_data
        try:
            membership = membership_add(
                community=community,
                teacher=pick_form.cleaned_data["teacher"],
                joined_on=terms["joined_on"],
                role=terms["role"],
                duties=terms["duties"],
            )
        except ValidationError as error:
            add_validation_error(pick_terms, error, fallback=pick_form)
        else:
            messages.success(request, f"{membership.teacher.full_name} — теперь член ПОС.")
            return redirect("communities:detail", pk=community.pk)
    elif mode == NEW and new_form.is_valid() & new_terms.is_valid():
        terms = new_terms.cleaned_data
        try:
            membership = membership_add_new_teacher(
                community=community,
                teacher=new_form.instance,
                joined_on=terms["joined_on"],
                role=terms["role"],
                duties=terms["duties"],
            )
        except ValidationError as error:
            add_validation_error(new_terms, error, fallback=new_form)
        else:
            messages.success(
                request, f"Педагог {membership.teacher.full_name} внесён(а) в справочник и принят(а) в ПОС."
            )
            return redirect("communities:detail", pk=community.pk)

    context = {
        "community": community,
        "access": access,
        "q": q,
        "mode": mode,
        "pick_form": pick_form,
        "pick_terms": pick_terms,
        "new_form": new_form,
        "new_terms": new_terms,
    }
    return render(request, "communities/member_add.html", context)


def _membership_or_404(community: Community, membership_pk):
    return get_object_or_404(
        Membership.objects.select_related("teacher__organization"), pk=membership_pk, community=community
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def member_edit(request, pk, membership_pk):
    community, access = community_for(request.user, pk, manage=True)
    membership = _membership_or_404(community, membership_pk)
    form = MembershipEditForm(request.POST if request.method == "POST" else None, instance=membership)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            form.save()
        except VersionConflict as error:
            conflict = error.message
        else:
            messages.success(request, f"Роль и обязанности: {membership.teacher.full_name} — сохранено.")
            return redirect("communities:detail", pk=community.pk)
    context = {"community": community, "access": access, "membership": membership, "form": form, "conflict": conflict}
    return render(request, "communities/member_edit.html", context, status=CONFLICT_STATUS if conflict else 200)


@require_POST
def member_end(request, pk, membership_pk):
    community, _access = community_for(request.user, pk, manage=True)
    membership = _membership_or_404(community, membership_pk)
    form = MembershipEndForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Укажите дату выхода в виде дд.мм.гггг.")
        return redirect("communities:detail", pk=community.pk)
    if membership.left_on is not None:
        messages.error(request, f"{membership.teacher.full_name} уже вышел(а) из ПОС {membership.left_on:%d.%m.%Y}.")
        return redirect("communities:detail", pk=community.pk)
    try:
        membership_end(membership=membership, left_on=form.cleaned_data["left_on"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{membership.teacher.full_name} исключён(а) из ПОС с {membership.left_on:%d.%m.%Y}.")
    return redirect("communities:detail", pk=community.pk)
