"""Annual work plans and their planned events; the Department approves plans here."""

from collections import Counter

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, F, Q
from django.db.models.functions import Mod
from django.forms import Textarea
from django.forms.models import BaseInlineFormSet

from communities.activity import SESSION_FORMS
from communities.admin.base import AcademicYearListFilter
from communities.models import AnnualPlan, PlanItem
from communities.services import plan_approve


def approved_minimum_message() -> str:
    return (
        f"План утверждён: по положению (п. 4.2) в нём должно оставаться не менее "
        f"{settings.MIN_MEETINGS_PER_YEAR} заседаний."
    )


class PlanItemFormSet(BaseInlineFormSet):
    """An approved plan keeps the minimum of sessions when its events are edited or deleted."""

    def clean(self):
        super().clean()
        plan = self.instance
        if plan.pk is None or not plan.is_approved:
            return
        sessions = sum(
            1
            for form in self.forms
            if (form.instance.pk or form.has_changed())
            and not (self.can_delete and self._should_delete_form(form))
            and form.cleaned_data.get("form") in SESSION_FORMS
        )
        if sessions < settings.MIN_MEETINGS_PER_YEAR:
            raise ValidationError(approved_minimum_message())


class PlanItemInline(admin.TabularInline):
    model = PlanItem
    formset = PlanItemFormSet
    fields = ["month", "planned_on", "topic", "form", "responsible", "expected_result"]
    autocomplete_fields = ["responsible"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 30})}}
    extra = 0


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["community", "academic_year", "theme", "status", "planned_sessions", "item_count", "approved_at"]
    list_filter = ["status", AcademicYearListFilter, "community__level"]
    search_fields = ["community__name", "theme"]
    autocomplete_fields = ["community"]
    ordering = ["-academic_year", "community__name"]
    readonly_fields = ["status", "approved_at", "approved_by", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["community", "academic_year", "theme"]}),
        ("Содержание плана", {"fields": ["goals", "tasks", "composition", "professional_needs"]}),
        ("Утверждение", {"fields": ["status", "approved_at", "approved_by", "created_at", "updated_at"]}),
    ]
    inlines = [PlanItemInline]
    actions = ["approve"]

    def get_queryset(self, request):
        # ``str(plan)`` names the community, also in the autocomplete of plan events.
        return (
            super()
            .get_queryset(request)
            .select_related("community")
            .annotate(
                session_count=Count("items", filter=Q(items__form__in=SESSION_FORMS)),
                item_count=Count("items"),
            )
        )

    def get_inlines(self, request, obj):
        # Dated events are checked against the saved plan's academic year.
        return self.inlines if obj is not None else []

    @admin.display(description="заседаний в плане", ordering="session_count")
    def planned_sessions(self, obj):
        return f"{obj.session_count} из {settings.MIN_MEETINGS_PER_YEAR}"

    @admin.display(description="мероприятий", ordering="item_count")
    def item_count(self, obj):
        return obj.item_count

    @admin.action(description="Утвердить план", permissions=["change"])
    def approve(self, request, queryset):
        approved = 0
        for plan in queryset:
            try:
                plan_approve(plan=plan, user=request.user)
            except ValidationError as error:
                self.message_user(request, f"{plan}: {' '.join(error.messages)}", level=messages.ERROR)
            else:
                approved += 1
        if approved:
            self.message_user(request, f"Утверждено планов: {approved}.", level=messages.SUCCESS)


class PlanYearFilter(AcademicYearListFilter):
    field_name = "plan__academic_year"


class PlanItemForm(forms.ModelForm):
    def clean(self):
        cleaned_data = super().clean()
        item = self.instance  # as stored: the form's values are applied after clean()
        new_form = cleaned_data.get("form")
        if (
            item.pk
            and item.plan.is_approved
            and item.counts_as_session
            and new_form
            and new_form not in SESSION_FORMS
            and item.plan.planned_sessions_count() <= settings.MIN_MEETINGS_PER_YEAR
        ):
            self.add_error("form", approved_minimum_message())
        return cleaned_data


@admin.register(PlanItem)
class PlanItemAdmin(admin.ModelAdmin):
    form = PlanItemForm
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
        removed = Counter(item.plan_id for item in objs if item.counts_as_session)
        approved = AnnualPlan.objects.filter(pk__in=removed, status=AnnualPlan.Status.APPROVED)
        for plan in approved.annotate(sessions=Count("items", filter=Q(items__form__in=SESSION_FORMS))):
            if plan.sessions - removed[plan.pk] < settings.MIN_MEETINGS_PER_YEAR:
                protected = [*protected, f"{plan}. {approved_minimum_message()}"]
        return deleted, model_count, perms_needed, protected

    @admin.display(description="когда", ordering="planned_on")
    def when(self, obj):
        return obj.when

    @admin.display(description="заседание (п. 4.2)", boolean=True)
    def counts_as_session(self, obj):
        return obj.counts_as_session
