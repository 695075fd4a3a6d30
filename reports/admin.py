"""The Django admin of the reports app (the Education Department)."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html

from communities.admin.base import (
    AcademicYearListFilter,
    PortalModelAdmin,
    ReadOnlyAdminMixin,
    SubmittedOnceAdminMixin,
    VersionedAdminMixin,
)
from reports.models import AnnualReport, CorrectionDocument, ProtocolDocument
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


class StoredDocumentAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """A stored signed document (``reports.models.documents``), append-only: the Department reads it here, with its
    hash, its verification code and a link to the public check page, but nothing is added, changed or deleted
    (the portal writes it once, at signing or correcting)."""

    document_fields = [
        "community",
        "sha256_short",
        "verification_code",
        "size",
        "rendered_at",
        "check_link",
        "pdf_link",
    ]
    search_fields = ["verification_code", "sha256"]
    date_hierarchy = "rendered_at"
    ordering = ["-rendered_at", "-pk"]

    def community_of(self, obj):
        raise NotImplementedError

    @admin.display(description="ПОС")
    def community(self, obj):
        return self.community_of(obj)

    @admin.display(description="SHA-256", ordering="sha256")
    def sha256_short(self, obj):
        return format_html('<code title="{}">{}…</code>', obj.sha256, obj.sha256[:12])

    @admin.display(description="страница проверки")
    def check_link(self, obj):
        if not obj.verification_code:
            return "нет кода (сохранён до появления кодов)"
        url = reverse("reports:document_check", kwargs={"code": obj.verification_code})
        return format_html('<a href="{}">{}</a>', url, url)


@admin.register(ProtocolDocument)
class ProtocolDocumentAdmin(StoredDocumentAdmin):
    list_display = ["protocol", *StoredDocumentAdmin.document_fields]
    list_select_related = ["protocol__meeting", "protocol__community"]
    list_filter = ["protocol__community__level"]
    search_fields = [*StoredDocumentAdmin.search_fields, "protocol__community__name"]
    fields = readonly_fields = ["protocol", *StoredDocumentAdmin.document_fields]

    def community_of(self, obj):
        return obj.protocol.community

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("reports:protocol_pdf", args=[obj.protocol.meeting_id]))


@admin.register(CorrectionDocument)
class CorrectionDocumentAdmin(StoredDocumentAdmin):
    list_display = ["correction", *StoredDocumentAdmin.document_fields]
    list_select_related = ["correction__protocol__meeting", "correction__protocol__community"]
    list_filter = ["correction__protocol__community__level"]
    search_fields = [*StoredDocumentAdmin.search_fields, "correction__protocol__community__name"]
    fields = readonly_fields = ["correction", *StoredDocumentAdmin.document_fields]

    def community_of(self, obj):
        return obj.correction.protocol.community

    @admin.display(description="PDF")
    def pdf_link(self, obj):
        return format_html('<a href="{}">PDF</a>', reverse("reports:correction_pdf", args=[obj.correction_id]))
