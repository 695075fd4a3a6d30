"""The Django admin of the reports app (the Education Department)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError

from communities.admin.base import (
    AcademicYearListFilter,
    PortalModelAdmin,
    SubmittedOnceAdminMixin,
    VersionedAdminMixin,
)
from reports.models import AnnualReport
from reports.services import annual_report_accept


@admin.register(AnnualReport)
class AnnualReportAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, PortalModelAdmin):
    """Annual activity reports. The leader writes and submits them on the portal; here the Department reads,
    corrects a draft, and accepts submitted ones. An accepted report is read-only and cannot be deleted."""

    list_display = [
        "community",
        "academic_year",
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
    ]
    list_filter = ["status", AcademicYearListFilter, "community__level"]
    list_select_related = ["community", "submitted_by", "reviewed_by"]
    search_fields = ["community__name", *AnnualReport.TEXT_FIELDS, "review_comment"]
    autocomplete_fields = ["community"]
    ordering = ["-academic_year", "community__name"]
    review_fields = [
        "status",
        "submitted_at",
        "submitted_by",
        "reviewed_at",
        "reviewed_by",
        "reviewer_title",
        "reviewer_name",
        "review_comment",
    ]
    fieldsets = [
        (None, {"fields": ["community", "academic_year"]}),
        ("Текст руководителя ПОС", {"fields": list(AnnualReport.TEXT_FIELDS)}),
        ("Отправка и проверка", {"fields": [*review_fields, "created_at", "updated_at"]}),
    ]
    actions = ["accept"]

    def get_readonly_fields(self, request, obj=None):
        readonly = [*self.review_fields, "created_at", "updated_at"]
        if obj is None:
            return readonly
        readonly = ["community", "academic_year", *readonly]
        if not obj.is_editable:
            readonly = [*AnnualReport.TEXT_FIELDS, *readonly]
        return readonly

    def has_delete_permission(self, request, obj=None):
        # A final report (as stored: the model's FINAL declaration, pos_portal.final_records) is never deleted.
        final = obj is not None and obj.is_final()
        return not final and super().has_delete_permission(request, obj)

    @admin.action(description="Принять отчёт", permissions=["change"])
    def accept(self, request, queryset):
        accepted = 0
        for report in queryset.select_related("community"):
            try:
                annual_report_accept(report=report, user=request.user)
            except PermissionDenied as error:
                self.message_user(request, f"{report}: {error}", level=messages.ERROR)
            except ValidationError as error:
                self.message_user(request, f"{report}: {' '.join(error.messages)}", level=messages.ERROR)
            else:
                accepted += 1
        if accepted:
            self.message_user(request, f"Принято отчётов: {accepted}.", level=messages.SUCCESS)
