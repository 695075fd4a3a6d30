"""Annual work plans and their planned events; the Department approves plans sent for approval here, or returns them
with a comment (an intermediate page), through the same ``plan_review`` as the plan's page.

The rules of a plan live in the model layer (``communities.models.plans``: the policy for editing an approved
plan) and the services; the admin shows their answers: the inline is the portal's formset and is saved by
``plan_items_save``, an event's form is checked by ``PlanItem.clean``, a deletion by ``check_items_removable``."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Count, F
from django.db.models.functions import Mod
from django.forms import Textarea
from django.template.response import TemplateResponse

from communities.admin.base import (
    AcademicYearListFilter,
    PortalModelAdmin,
    PortalTabularInline,
    SubmittedOnceAdminMixin,
    VersionedAdminMixin,
)
from communities.forms.plans import BasePlanItemFormSet
from communities.models import AnnualPlan, PlanItem
from communities.models.plans import RETURN_NEEDS_COMMENT_MESSAGE, check_items_removable
from communities.services import plan_items_save, plan_review


class PlanReturnForm(forms.Form):
    """The comment of a return from the admin; the rule that a return needs one is ``plan_review``'s."""

    comment = forms.CharField(
        label="Что доработать",
        max_length=AnnualPlan._meta.get_field("return_comment").max_length,
        widget=Textarea(attrs={"rows": 5, "cols": 80}),
        error_messages={"required": RETURN_NEEDS_COMMENT_MESSAGE},
        help_text="Комментарий увидит руководитель ПОС на странице плана и в письме.",
    )


class PlanItemInline(PortalTabularInline):
    model = PlanItem
    formset = BasePlanItemFormSet
    fields = ["month", "planned_on", "topic", "form", "responsible", "expected_result"]
    autocomplete_fields = ["responsible"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 30})}}
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, PortalModelAdmin):
    list_display = ["community", "academic_year", "theme", "status", "planned_sessions", "item_count", "approved_at"]
    list_filter = ["status", AcademicYearListFilter, "community__level"]
    search_fields = ["community__name", "theme"]
    autocomplete_fields = ["community"]
    ordering = ["-academic_year", "community__name"]
    readonly_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "returned_at",
        "returned_by",
        "return_comment",
        "approved_at",
        "approved_by",
        "created_at",
        "updated_at",
    ]
    fieldsets = [
        (None, {"fields": ["community", "academic_year", "theme"]}),
        ("Содержание плана", {"fields": ["goals", "tasks", "composition", "professional_needs"]}),
        (
            "Утверждение",
            {
                "fields": [
                    "status",
                    ("submitted_at", "submitted_by"),
                    ("returned_at", "returned_by"),
                    "return_comment",
                    ("approved_at", "approved_by"),
                    ("created_at", "updated_at"),
                ]
            },
        ),
    ]
    inlines = [PlanItemInline]
    actions = ["approve", "return_with_comment"]

    def get_queryset(self, request):
        # ``str(plan)`` names the community, also in the autocomplete of plan events.
        return (
            super()
            .get_queryset(request)
            .select_related("community")
            .with_session_count()
            .annotate(item_count=Count("items"))
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is PlanItem:
            plan_items_save(plan=form.instance, formset=formset)
        else:
            super().save_formset(request, form, formset, change)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # A plan on approval that this user may review offers the return (the action ``return_with_comment``).
        plan = self.get_object(request, object_id)
        may_return = (
            plan is not None
            and self.has_change_permission(request, plan)
            and not plan.review_refusal()
            and not plan.reviewer_refusal(request.user)
        )
        extra_context = {**(extra_context or {}), "plan_may_be_returned": may_return}
        return super().change_view(request, object_id, form_url, extra_context)

    def get_inlines(self, request, obj):
        # Dated events are checked against the saved plan's academic year.
        return self.inlines if obj is not None else []

    @admin.display(description="заседаний в плане", ordering="session_count")
    def planned_sessions(self, obj):
        return f"{obj.session_count} из {obj.required_sessions()}"

    @admin.display(description="мероприятий", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.action(description="Утвердить план (отправленный на утверждение)", permissions=["change"])
    def approve(self, request, queryset):
        """The same review as the portal's (``plan_review``): only a plan on approval, never by its leader."""
        approved = 0
        for plan in queryset:
            try:
                plan_review(plan=plan, user=request.user, approve=True)
            except PermissionDenied as error:
                self.message_user(request, f"{plan}: {error}", level=messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{plan}: {' '.join(error.messages)}", level=messages.ERROR)
            else:
                approved += 1
        if approved:
            self.message_user(request, f"Утверждено планов: {approved}.", level=messages.SUCCESS)

    @admin.action(description="Вернуть на доработку с комментарием…", permissions=["change"])
    def return_with_comment(self, request, queryset):
        """An intermediate page asks what to rework; then each plan is returned by ``plan_review`` (approve=False),
        which refuses a plan not on approval and the community's own leader (``AnnualPlan.reviewer_refusal``)."""
        plans, refused = [], []
        for plan in queryset:
            reason = plan.reviewer_refusal(request.user) or plan.review_refusal()
            if reason:
                refused.append((plan, reason))
            else:
                plans.append(plan)
        form = PlanReturnForm(request.POST if "apply" in request.POST else None)
        if not plans or form.is_valid():
            returned = 0
            for plan in plans:
                try:
                    plan_review(plan=plan, user=request.user, approve=False, comment=form.cleaned_data["comment"])
                except PermissionDenied as error:
                    self.message_user(request, f"{plan}: {error}", level=messages.ERROR)
                except ValidationError as error:
                    self.message_user(request, f"{plan}: {' '.join(error.messages)}", level=messages.ERROR)
                else:
                    returned += 1
            for plan, reason in refused:
                self.message_user(request, f"{plan}: {reason}", level=messages.ERROR)
            if returned:
                self.message_user(request, f"Возвращено на доработку планов: {returned}.", level=messages.SUCCESS)
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": "Вернуть план на доработку",
            "opts": self.model._meta,
            "plans": plans,
            "refused": refused,
            "form": form,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/communities/annualplan/return_with_comment.html", context)


class PlanYearFilter(AcademicYearListFilter):
    field_name = "plan__academic_year"


@admin.register(PlanItem)
class PlanItemAdmin(SubmittedOnceAdminMixin, PortalModelAdmin):
    list_display = ["topic", "plan", "when", "form", "counts_as_session", "responsible"]
    list_select_related = ["plan__community", "responsible"]
    list_filter = [
        "form",
        PlanYearFilter,
        "plan__status",
    ]
    search_fields = ["topic", "plan__community__name", "plan__theme"]
    autocomplete_fields = ["plan", "responsible"]
    date_hierarchy = "planned_on"
    ordering = ["-plan__academic_year", "plan__community__name", Mod(F("month") + 3, 12).asc(), "planned_on", "pk"]
    fields = ["plan", "month", "planned_on", "topic", "form", "responsible", "expected_result"]

    def get_readonly_fields(self, request, obj=None):
        # An event belongs to its plan; moving it would bypass the plan's checks.
        return ["plan"] if obj is not None else []

    def get_deleted_objects(self, objs, request):
        deleted, model_count, perms_needed, protected = super().get_deleted_objects(objs, request)
        try:
            check_items_removable(objs)
        except ValidationError as error:
            protected = [*protected, *error.messages]
        return deleted, model_count, perms_needed, protected

    @admin.display(description="когда", ordering="planned_on")
    def when(self, obj):
        return obj.when

    @admin.display(description="заседание (п. 4.2)", boolean=True)
    def counts_as_session(self, obj):
        return obj.counts_as_session
