"""Protocols and their corrections. A protocol is created and numbered by ``protocol_create``, signed
only by the leader in the portal, and from then on read-only; a correction is a new record."""

from django import forms
from django.contrib import admin
from django.template.defaultfilters import truncatechars

from communities.admin.base import AcademicYearListFilter, PortalModelAdmin, ServiceAddAdminMixin, ServiceAddForm
from communities.models import Community
from meetings.admin.locks import SignatureLockedAdminMixin
from meetings.models import PlanDiscussion, Protocol, ProtocolCorrection
from meetings.services import protocol_correct, protocol_create
from pos_portal import limits


class ProtocolAddForm(ServiceAddForm):
    place = forms.CharField(
        label="место составления",
        max_length=limits.PROTOCOL_PLACE,
        required=False,
        help_text="Пусто — населённый пункт базовой организации ПОС (или «г. Тутаев»).",
    )

    class Meta:
        model = Protocol
        fields = ["meeting", "chair", "secretary", "place"]
        help_texts = {"chair": "Пусто — руководитель ПОС на дату заседания."}

    def clean(self):
        meeting = self.cleaned_data.get("meeting")
        if meeting is not None and Protocol.objects.filter(meeting=meeting).exists():
            self.add_error("meeting", "У этого заседания уже есть протокол.")
        return super().clean()

    def lock(self):
        # protocol_create numbers under this lock; holding it keeps the checked number free.
        Community.objects.select_for_update().get(pk=self.cleaned_data["meeting"].community_id)

    def create(self):
        data = self.cleaned_data
        return protocol_create(
            meeting=data["meeting"], chair=data.get("chair"), secretary=data.get("secretary"), place=data.get("place")
        )


class SignedFilter(admin.SimpleListFilter):
    title = "подписан"
    parameter_name = "signed"

    def lookups(self, request, model_admin):
        return [("yes", "Подписан"), ("no", "Черновик")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.signed()
        if self.value() == "no":
            return queryset.drafts()
        return queryset


@admin.register(Protocol)
class ProtocolAdmin(ServiceAddAdminMixin, SignatureLockedAdminMixin, PortalModelAdmin):
    add_form = ProtocolAddForm
    add_fieldsets = [
        (
            None,
            {
                "fields": ["meeting", "chair", "secretary", "place"],
                "description": (
                    "Номер присваивается автоматически: по порядку дат заседаний учебного года ПОС; "
                    "номера подписанных протоколов не меняются."
                ),
            },
        )
    ]
    fieldsets = [
        (None, {"fields": ["number", "community", "academic_year", "meeting"]}),
        ("Протокол", {"fields": ["place", "chair", "secretary", "attachments"]}),
        ("Подпись", {"fields": ["signed_by", "signed_at", "quorum_reached", "quorum_present", "quorum_members"]}),
        (None, {"fields": ["created_at", "updated_at"]}),
    ]
    readonly_fields = [
        "number",
        "community",
        "academic_year",
        "meeting",
        "signed_by",
        "signed_at",
        "quorum_reached",
        "quorum_present",
        "quorum_members",
        "created_at",
        "updated_at",
    ]
    list_display = ["title", "community", "academic_year", "meeting_date", "chair", "is_signed", "signed_by"]
    list_filter = [SignedFilter, AcademicYearListFilter, "community__level"]
    search_fields = ["community__name", "meeting__topic", "number__exact"]
    autocomplete_fields = ["meeting", "chair", "secretary"]
    date_hierarchy = "meeting__date"
    ordering = ["-academic_year", "community__name", "-number"]

    def get_queryset(self, request):
        # Here rather than list_select_related, which the changelist ignores once the queryset has
        # select_related: ``str(protocol)`` needs the meeting and the community also in autocompletes.
        return super().get_queryset(request).select_related("meeting", "community", "chair", "signed_by")

    def has_delete_permission(self, request, obj=None):
        # Numbers run without gaps: only the last protocol of its year may go (the model refuses others).
        if (
            obj is not None
            and Protocol.objects.filter(
                community_id=obj.community_id, academic_year=obj.academic_year, number__gt=obj.number
            ).exists()
        ):
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description="протокол", ordering="number")
    def title(self, obj):
        return f"Протокол № {obj.number}"

    @admin.display(description="дата заседания", ordering="meeting__date")
    def meeting_date(self, obj):
        return obj.meeting.date

    @admin.display(description="подписан", boolean=True, ordering="signed_at")
    def is_signed(self, obj):
        return obj.is_signed


class ProtocolCorrectionAddForm(ServiceAddForm):
    class Meta:
        model = ProtocolCorrection
        fields = ["protocol", "author", "agenda_item", "decision", "new_text", "text", "reason"]

    def create(self):
        data = self.cleaned_data
        return protocol_correct(
            protocol=data["protocol"],
            author=data["author"],
            text=data["text"],
            reason=data["reason"],
            agenda_item=data.get("agenda_item"),
            decision=data.get("decision"),
            new_text=data.get("new_text", ""),
        )


class CorrectedProtocolYearFilter(AcademicYearListFilter):
    field_name = "protocol__academic_year"


@admin.register(ProtocolCorrection)
class ProtocolCorrectionAdmin(ServiceAddAdminMixin, PortalModelAdmin):
    """Corrections are added (by ``protocol_correct``), never changed or deleted."""

    add_form = ProtocolCorrectionAddForm
    add_fieldsets = [
        (
            None,
            {
                "fields": ["protocol", "author", "agenda_item", "decision", "new_text", "text", "reason"],
                "description": "Исправление к подписанному протоколу вносит действующий руководитель ПОС; "
                "оно получает следующий номер в протоколе, подписывается им и сохраняется отдельным документом "
                "PDF; сохранённое исправление не изменяется и не удаляется. Для пункта решения укажите его новую "
                "редакцию.",
            },
        )
    ]
    fields = ["protocol", "number", "author", "agenda_item", "decision", "new_text", "text", "reason", "created_at"]
    readonly_fields = ["number", "created_at"]
    raw_id_fields = ["agenda_item", "decision"]
    list_display = ["protocol", "number", "corrected", "author", "created_at", "short_reason"]
    list_select_related = [
        "protocol__community",
        "protocol__meeting",
        "author",
        "agenda_item",
        "decision__agenda_item",
    ]
    list_filter = [CorrectedProtocolYearFilter]
    search_fields = ["protocol__community__name", "text", "reason", "author__surname"]
    autocomplete_fields = ["protocol", "author"]
    date_hierarchy = "created_at"
    ordering = ["-created_at"]

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description="что исправлено")
    def corrected(self, obj):
        return obj.target

    @admin.display(description="основание")
    def short_reason(self, obj):
        return truncatechars(obj.reason, 80)


@admin.register(PlanDiscussion)
class PlanDiscussionAdmin(PortalModelAdmin):
    """Which meeting discussed a plan sent for approval: recorded by ``meetings.services.plan_submit``, read here."""

    fields = ["plan", "protocol", "created_at", "updated_at"]
    readonly_fields = fields
    list_display = ["plan", "protocol", "created_at"]
    list_select_related = ["plan__community", "protocol__meeting", "protocol__community"]
    search_fields = ["plan__community__name", "plan__theme"]
    ordering = ["-created_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False
