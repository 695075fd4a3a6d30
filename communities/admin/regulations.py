"""Regulations (положения) and the acknowledgement sheet (лист ознакомления)."""

from django.contrib import admin
from django.db.models import Count

from communities.admin.base import LabelledInlineMixin, SubmittedOnceAdminMixin, VersionedAdminMixin
from communities.models import Acknowledgement, Regulation


class AcknowledgementInline(LabelledInlineMixin, admin.TabularInline):
    model = Acknowledgement
    fields = ["teacher", "acknowledged_on", "created_at"]
    readonly_fields = ["created_at"]
    autocomplete_fields = ["teacher"]
    extra = 0


class ScopeFilter(admin.SimpleListFilter):
    title = "действует для"
    parameter_name = "scope"

    def lookups(self, request, model_admin):
        return [("district", "всех ПОС района"), ("community", "одного ПОС")]

    def queryset(self, request, queryset):
        if self.value() == "district":
            return queryset.filter(community__isnull=True)
        if self.value() == "community":
            return queryset.filter(community__isnull=False)
        return queryset


@admin.register(Regulation)
class RegulationAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["title", "scope", "effective_from", "approved_requisites", "acknowledgement_count"]
    list_select_related = ["community"]
    list_filter = [ScopeFilter]
    search_fields = ["title", "community__name", "approved_order_number"]
    autocomplete_fields = ["community"]
    date_hierarchy = "effective_from"
    ordering = ["-effective_from", "title"]
    fieldsets = [
        (None, {"fields": ["title", "community", "effective_from"]}),
        ("Текст положения", {"fields": ["text", "file"]}),
        (
            "Реквизиты",
            {
                "fields": [
                    "recommended_by",
                    ("recommended_protocol_number", "recommended_on"),
                    "approved_by",
                    ("approved_order_number", "approved_on"),
                ]
            },
        ),
    ]
    inlines = [AcknowledgementInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(acknowledgement_count=Count("acknowledgements"))

    def get_inlines(self, request, obj):
        # Only members of the saved regulation's community acknowledge it.
        return self.inlines if obj is not None else []

    @admin.display(description="действует для")
    def scope(self, obj):
        return obj.scope

    @admin.display(description="утверждено")
    def approved_requisites(self, obj):
        return obj.approved_requisites

    @admin.display(description="ознакомлены", ordering="acknowledgement_count")
    def acknowledgement_count(self, obj):
        return obj.acknowledgement_count


@admin.register(Acknowledgement)
class AcknowledgementAdmin(SubmittedOnceAdminMixin, admin.ModelAdmin):
    list_display = ["teacher", "regulation", "acknowledged_on", "created_at"]
    list_select_related = ["teacher", "regulation"]
    list_filter = [("regulation", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["teacher__surname", "teacher__name", "regulation__title"]
    autocomplete_fields = ["regulation", "teacher"]
    date_hierarchy = "acknowledged_on"
    ordering = ["-acknowledged_on", "teacher__surname"]
    fields = ["regulation", "teacher", "acknowledged_on", "created_at"]
    readonly_fields = ["created_at"]
