"""The annual work plan (план работы на год): create, copy from last year, read as a document, edit, and the
review of the ИОЦ (approve or return; the leader sends it from ``meetings:plan_submit``)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from communities import services
from communities.access import community_for, require
from communities.activity import ActivityForm, prorated_note
from communities.forms.plans import (
    ITEMS_PREFIX,
    AnnualPlanCreateForm,
    AnnualPlanEditForm,
    PlanItemFormSet,
    PlanReviewForm,
    composition_summary,
    current_members,
    linked_meeting,
)
from communities.models import AnnualPlan, PlanItem
from communities.models.plans import ON_APPROVAL_MESSAGE
from communities.models.versioned import CONFLICT_STATUS, VersionConflict
from communities.submissions import submitted_once
from pos_portal.academic_year import AcademicYear
from pos_portal.form_errors import add_validation_error


def user_display(user) -> str:
    """«Фамилия И.О.» of the user's teacher, or the account's name."""
    if user is None:
        return ""
    teacher = getattr(user, "teacher", None)
    if teacher is not None:
        return teacher.short_name
    return user.get_full_name() or user.get_username()


@require_http_methods(["GET", "POST"])
@submitted_once
def plan_create(request, pk):
    community, access = community_for(request.user, pk, manage=True)
    if request.method == "POST":
        form = AnnualPlanCreateForm(request.POST, community=community)
        if form.is_valid():
            try:
                with transaction.atomic():
                    plan = form.save()
            except IntegrityError:
                # Another save for the same year won the race: the constraint is the last line of defence.
                form.add_error("academic_year", "У сообщества уже есть план на этот учебный год.")
            else:
                messages.success(request, f"План на {plan.academic_year} учебный год создан. Добавьте мероприятия.")
                return redirect("communities:plan_edit", plan_pk=plan.pk)
    else:
        form = AnnualPlanCreateForm(
            community=community,
            initial={
                "academic_year": community.plans.first_year_without_plan(AcademicYear.current()),
                "theme": community.theme,
                "composition": composition_summary(community),
            },
        )
    existing = community.plans.order_by("-academic_year")
    return render(
        request,
        "communities/plans/plan_form.html",
        {"community": community, "access": access, "form": form, "existing": existing},
    )


@require_POST
@submitted_once
def plan_copy(request, pk):
    community, _access = community_for(request.user, pk, manage=True)
    latest = community.plans.order_by("-academic_year").first()
    if latest is None:
        messages.error(request, "Прошлого плана нет: создайте план на учебный год заново.")
        return redirect("communities:plan_create", pk=community.pk)
    try:
        plan = services.plan_copy_to_next_year(plan=latest)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("communities:plan_detail", plan_pk=latest.pk)
    messages.success(
        request,
        f"Черновик плана на {plan.academic_year} учебный год создан по плану {latest.academic_year}: "
        "проверьте даты, ответственных и состав.",
    )
    return redirect("communities:plan_edit", plan_pk=plan.pk)


@require_http_methods(["GET"])
def plan_detail(request, plan_pk):
    return _detail(request, plan_pk)


def _detail(request, plan_pk, review_form=None):
    """The plan's page; ``review_form``: the methodist's rejected decision, shown again with what was typed."""
    plan = get_object_or_404(
        AnnualPlan.objects.with_session_count().select_related(
            # ``discussion``: the meeting that discussed it (meetings.PlanDiscussion, a reverse relation).
            "approved_by__teacher",
            "returned_by__teacher",
            "submitted_by",
            "discussion__protocol__meeting",
        ),
        pk=plan_pk,
    )
    community, access = community_for(request.user, plan.community_id)
    items = list(PlanItem.objects.filter(plan=plan).select_related("responsible", "meeting"))
    rows = [
        {"item": item, "meeting": linked_meeting(item), "kind": ActivityForm(item.form).kind.label} for item in items
    ]
    next_year = plan.academic_year.next()
    can_copy = access.can_manage and not community.plans.filter(academic_year__gt=plan.academic_year).exists()
    return render(
        request,
        "communities/plans/plan_detail.html",
        {
            "community": community,
            "access": access,
            "plan": plan,
            "rows": rows,
            "sessions": plan.session_count,
            "minimum": plan.required_sessions(),
            "missing": plan.sessions_missing(planned=plan.session_count),
            "prorated_note": prorated_note(community, plan.academic_year),
            "approver": user_display(plan.approved_by),
            "returner": user_display(plan.returned_by),
            # The leader in person sends the plan (meetings:plan_submit); the Department approves, it does not send.
            "may_submit": access.is_leader and plan.status in (AnnualPlan.Status.DRAFT, AnnualPlan.Status.RETURNED),
            "may_review": plan.is_submitted and not plan.reviewer_refusal(request.user),
            "review_form": review_form or PlanReviewForm(),
            "next_year": next_year,
            "can_copy": can_copy,
        },
        status=400 if review_form is not None else 200,
    )


@require_http_methods(["GET", "POST"])
@submitted_once
def plan_edit(request, plan_pk):
    plan = get_object_or_404(AnnualPlan, pk=plan_pk)
    community, access = community_for(request.user, plan.community_id, manage=True)
    if not plan.is_editable:
        messages.error(request, ON_APPROVAL_MESSAGE)
        return redirect("communities:plan_detail", plan_pk=plan.pk)
    was_approved = plan.is_approved
    members = list(current_members(community))
    items = PlanItem.objects.select_related("responsible", "meeting")
    formset_kwargs = {"instance": plan, "queryset": items, "prefix": ITEMS_PREFIX, "form_kwargs": {"members": members}}
    conflict = None
    if request.method == "POST":
        # An approved plan stays approved; a change that takes it below its required sessions is refused
        # (the policy of AnnualPlan.check_sessions_kept), and the page keeps what was typed.
        form = AnnualPlanEditForm(request.POST, instance=plan, community=community)
        formset = PlanItemFormSet(request.POST, **formset_kwargs)
        form_valid = form.is_valid()  # first: the items are checked against the plan as typed
        formset_valid = formset.is_valid()
        if form_valid and formset_valid:
            if not (form.has_changed() or formset.has_changed()):
                messages.info(request, "Изменений нет.")
                return redirect("communities:plan_detail", plan_pk=plan.pk)
            try:
                with transaction.atomic():
                    plan = form.save()
                    services.plan_items_save(plan=plan, formset=formset)
            except VersionConflict as error:
                conflict = error.message
            except ValidationError as error:
                # Checked again on the stored result (another editor may have saved meanwhile).
                for message in error.messages:
                    messages.error(request, message)
            else:
                messages.success(request, "План сохранён.")
                return redirect("communities:plan_detail", plan_pk=plan.pk)
    else:
        form = AnnualPlanEditForm(instance=plan, community=community)
        formset = PlanItemFormSet(**formset_kwargs)
    rows = [{"form": item_form, "meeting": linked_meeting(item_form.instance)} for item_form in formset.forms]
    return render(
        request,
        "communities/plans/plan_edit.html",
        {
            "community": community,
            "access": access,
            "plan": plan,
            "form": form,
            "formset": formset,
            "rows": rows,
            "was_approved": was_approved,
            "required": plan.required_sessions() if was_approved else None,
            "prefix": ITEMS_PREFIX,
            "conflict": conflict,
        },
        status=CONFLICT_STATUS if conflict else 200,
    )


@require_POST
def plan_review(request, plan_pk):
    """Approve a plan sent for approval, or return it with a comment (a methodist of the ИОЦ or the Department;
    ``AnnualPlan.reviewer_refusal`` says who may not)."""
    plan = get_object_or_404(AnnualPlan, pk=plan_pk)
    community, _access = community_for(request.user, plan.community_id)
    plan.community = community
    refusal = plan.reviewer_refusal(request.user)
    require(not refusal, refusal)
    form = PlanReviewForm(request.POST)
    if form.is_valid():
        approve = form.cleaned_data["action"] == PlanReviewForm.APPROVE
        try:
            services.plan_review(plan=plan, user=request.user, approve=approve, comment=form.cleaned_data["comment"])
        except ValidationError as error:
            add_validation_error(form, error, renames={"return_comment": "comment"})
        else:
            done = "утверждён" if approve else "возвращён на доработку"
            messages.success(request, f"План «{community.name}» на {plan.academic_year} учебный год {done}.")
            return redirect("communities:plan_detail", plan_pk=plan.pk)
    return _detail(request, plan_pk, review_form=form)
