"""Agenda questions (СЛУШАЛИ / ВЫСТУПИЛИ) with their speakers, decisions (РЕШИЛИ) and assignments (поручения)."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.forms import Textarea
from django.template.defaultfilters import truncatechars

from communities.admin.base import PortalModelAdmin, PortalTabularInline
from meetings.admin.locks import (
    SignatureLockedAdminMixin,
    SignatureLockedInlineMixin,
    UnsignedParentForm,
    is_signed,
)
from meetings.admin.meetings import MeetingProtocolStateFilter, ProtocolStateFilter, protocol_summary
from meetings.models import AgendaItem, Assignment, Decision, Speaker
from pos_portal import limits

SHORT_TEXT = {models.TextField: {"widget": Textarea(attrs={"rows": 2, "cols": 50})}}


class DecisionInline(SignatureLockedInlineMixin, PortalTabularInline):
    model = Decision
    form = UnsignedParentForm
    fields = ["order", "text", "vote", "votes_for", "votes_against", "votes_abstained"]
    formfield_overrides = SHORT_TEXT
    show_change_link = True  # assignments are entered on the decision's page
    extra = 0
    max_num = limits.DECISION_POINTS


class SpeakerInline(SignatureLockedInlineMixin, PortalTabularInline):
    model = Speaker
    form = UnsignedParentForm
    fields = ["order", "part", "teacher", "full_name", "position", "organization", "text"]
    autocomplete_fields = ["teacher"]
    formfield_overrides = SHORT_TEXT
    extra = 0
    max_num = limits.SPEAKERS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher")


@admin.register(AgendaItem)
class AgendaItemAdmin(SignatureLockedAdminMixin, PortalModelAdmin):
    form = UnsignedParentForm
    list_display = ["question_text", "order", "meeting_date", "community", "decision_count"]
    list_select_related = ["meeting__community"]
    list_filter = [MeetingProtocolStateFilter]
    search_fields = ["question", "heard", "meeting__topic", "meeting__community__name"]
    autocomplete_fields = ["meeting"]
    date_hierarchy = "meeting__date"
    ordering = ["-meeting__date", "meeting", "order"]
    fields = ["meeting", "order", "question", "heard"]
    inlines = [SpeakerInline, DecisionInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(decision_count=Count("decisions"))

    @admin.display(description="вопрос", ordering="question")
    def question_text(self, obj):
        return truncatechars(obj.question, 80)

    @admin.display(description="дата заседания", ordering="meeting__date")
    def meeting_date(self, obj):
        return obj.meeting.date

    @admin.display(description="ПОС", ordering="meeting__community__name")
    def community(self, obj):
        return obj.meeting.community

    @admin.display(description="решений", ordering="decision_count")
    def decision_count(self, obj):
        return obj.decision_count


class AssignmentInline(SignatureLockedInlineMixin, PortalTabularInline):
    model = Assignment
    form = UnsignedParentForm
    fields = ["text", "responsible", "deadline", "status", "done_on", "report"]
    autocomplete_fields = ["responsible"]
    formfield_overrides = SHORT_TEXT
    extra = 0
    max_num = limits.ASSIGNMENTS

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("responsible")


class DecisionProtocolStateFilter(ProtocolStateFilter):
    path = "agenda_item__meeting__protocol"


@admin.register(Decision)
class DecisionAdmin(SignatureLockedAdminMixin, PortalModelAdmin):
    form = UnsignedParentForm
    list_display = ["number", "decision_text", "question", "meeting_date", "community", "assignment_count"]
    list_filter = [DecisionProtocolStateFilter]
    search_fields = ["text", "agenda_item__question", "agenda_item__meeting__community__name"]
    autocomplete_fields = ["agenda_item"]
    date_hierarchy = "agenda_item__meeting__date"
    ordering = ["-agenda_item__meeting__date", "agenda_item__meeting", "agenda_item__order", "order"]
    fields = ["agenda_item", "order", "text", "vote", ("votes_for", "votes_against", "votes_abstained")]
    inlines = [AssignmentInline]

    def get_queryset(self, request):
        # Here rather than list_select_related, which the changelist ignores once the queryset has
        # select_related: ``str(decision)`` needs the question also in the autocomplete of assignments.
        return (
            super()
            .get_queryset(request)
            .select_related("agenda_item__meeting__community")
            .annotate(assignment_count=Count("assignments"))
        )

    @admin.display(description="№", ordering="agenda_item__order")
    def number(self, obj):
        return obj.number

    @admin.display(description="решение", ordering="text")
    def decision_text(self, obj):
        return truncatechars(obj.text, 80)

    @admin.display(description="вопрос")
    def question(self, obj):
        return truncatechars(obj.agenda_item.question, 60)

    @admin.display(description="дата заседания", ordering="agenda_item__meeting__date")
    def meeting_date(self, obj):
        return obj.agenda_item.meeting.date

    @admin.display(description="ПОС", ordering="agenda_item__meeting__community__name")
    def community(self, obj):
        return obj.agenda_item.meeting.community

    @admin.display(description="поручений", ordering="assignment_count")
    def assignment_count(self, obj):
        return obj.assignment_count


class OverdueFilter(admin.SimpleListFilter):
    title = "просрочено"
    parameter_name = "overdue"

    def lookups(self, request, model_admin):
        return [("yes", "Да"), ("no", "Нет")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.overdue()
        if self.value() == "no":
            return queryset.exclude(pk__in=Assignment.objects.overdue().values("pk"))
        return queryset


class AssignmentProtocolStateFilter(ProtocolStateFilter):
    path = "decision__agenda_item__meeting__protocol"


#: What a signed protocol freezes of an assignment: everything but its execution. The deadline stays writable for
#: ``meetings.services.assignments`` (a move with its reason, ``DeadlineChange``), never here without one.
FROZEN_AFTER_SIGNING = [
    field.name
    for field in Assignment._meta.fields
    if field.editable and not field.primary_key and field.name not in Assignment.FINAL.editable
] + ["deadline"]


@admin.register(Assignment)
class AssignmentAdmin(PortalModelAdmin):
    """After signing, the execution stays editable: status, done_on, the report and its file, the leader's comment."""

    form = UnsignedParentForm
    list_display = [
        "assignment_text",
        "responsible",
        "deadline",
        "status",
        "done_on",
        "is_overdue",
        "community",
        "protocol",
    ]
    list_select_related = [
        "responsible",
        "decision__agenda_item__meeting__community",
        "decision__agenda_item__meeting__protocol",
    ]
    list_filter = ["status", OverdueFilter, AssignmentProtocolStateFilter]
    search_fields = [
        "text",
        "responsible__surname",
        "responsible__name",
        "decision__agenda_item__meeting__community__name",
    ]
    autocomplete_fields = ["decision", "responsible"]
    date_hierarchy = "deadline"
    ordering = ["deadline", "pk"]
    fieldsets = [
        (None, {"fields": ["decision", "text", "responsible", "deadline"]}),
        ("Выполнение", {"fields": ["status", "done_on", "report", "report_file", "return_comment"]}),
    ]

    def get_readonly_fields(self, request, obj=None):
        return FROZEN_AFTER_SIGNING if is_signed(obj) else []

    def has_delete_permission(self, request, obj=None):
        return not is_signed(obj) and super().has_delete_permission(request, obj)

    @admin.display(description="поручение", ordering="text")
    def assignment_text(self, obj):
        return truncatechars(obj.text, 80)

    @admin.display(description="просрочено", boolean=True)
    def is_overdue(self, obj):
        return obj.is_overdue()

    @admin.display(description="ПОС", ordering="decision__agenda_item__meeting__community__name")
    def community(self, obj):
        return obj.decision.agenda_item.meeting.community

    @admin.display(description="протокол")
    def protocol(self, obj):
        return protocol_summary(getattr(obj.decision.agenda_item.meeting, "protocol", None))
