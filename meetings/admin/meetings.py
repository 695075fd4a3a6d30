"""Meetings with their attendance, invited guests and agenda."""

from django import forms
from django.contrib import admin
from django.db import models
from django.db.models import Count, Q
from django.forms import Textarea
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from communities.access import teacher_of
from communities.admin.base import (
    AcademicYearDateListFilter,
    PortalModelAdmin,
    PortalStackedInline,
    PortalTabularInline,
    SubmittedOnceAdminMixin,
    VersionedAdminMixin,
)
from meetings import services
from meetings.admin.locks import SignatureLockedAdminMixin, SignatureLockedInlineMixin, UnsignedParentForm
from meetings.models import AgendaItem, Attendance, Guest, Meeting, Protocol
from pos_portal import limits


class ProtocolStateFilter(admin.SimpleListFilter):
    title = "протокол"
    parameter_name = "protocol"
    path = "protocol"

    def lookups(self, request, model_admin):
        return [("none", "нет протокола"), ("draft", "черновик"), ("signed", "подписан")]

    def queryset(self, request, queryset):
        match self.value():
            case "none":
                return queryset.filter(**{f"{self.path}__isnull": True})
            case "draft":
                return queryset.filter(**{f"{self.path}__isnull": False, f"{self.path}__signed_at__isnull": True})
            case "signed":
                return queryset.filter(**{f"{self.path}__signed_at__isnull": False})
        return queryset


class MeetingProtocolStateFilter(ProtocolStateFilter):
    path = "meeting__protocol"


def protocol_summary(protocol: Protocol | None):
    """«№ 3, подписан 12.10.2024» linked to the protocol, or None."""
    if protocol is None:
        return None
    state = f"подписан {timezone.localtime(protocol.signed_at):%d.%m.%Y}" if protocol.is_signed else "черновик"
    url = reverse("admin:meetings_protocol_change", args=[protocol.pk])
    return format_html('<a href="{}">№ {}, {}</a>', url, protocol.number, state)


class AttendanceInline(SignatureLockedInlineMixin, PortalTabularInline):
    model = Attendance
    form = UnsignedParentForm
    fields = ["teacher", "present", "absence_reason"]
    autocomplete_fields = ["teacher"]
    extra = 0

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher")


class GuestInline(SignatureLockedInlineMixin, PortalTabularInline):
    model = Guest
    form = UnsignedParentForm
    fields = ["full_name", "position", "organization"]
    extra = 0
    max_num = limits.GUESTS


class AgendaItemInline(SignatureLockedInlineMixin, PortalStackedInline):
    model = AgendaItem
    form = UnsignedParentForm
    fields = ["order", "question", "heard"]
    formfield_overrides = {models.TextField: {"widget": Textarea(attrs={"rows": 3, "cols": 80})}}
    show_change_link = True  # speakers and decisions are entered on the question's page
    extra = 0
    max_num = limits.QUESTIONS


@admin.register(Meeting)
class MeetingAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, SignatureLockedAdminMixin, PortalModelAdmin):
    list_display = ["date", "community", "form", "topic", "status", "protocol_state", "present_count"]
    list_select_related = ["community", "protocol"]
    list_filter = ["status", ProtocolStateFilter, AcademicYearDateListFilter, "form", "community__level"]
    search_fields = ["topic", "community__name", "place"]
    autocomplete_fields = ["community", "plan_item"]
    date_hierarchy = "date"
    ordering = ["-date", "-time", "-pk"]
    readonly_fields = ["protocol_state", "created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["community", "plan_item", "form", "topic"]}),
        ("Когда и где", {"fields": [("date", "time"), "place", "online_link"]}),
        ("Статус", {"fields": ["status", "cancel_reason", "protocol_state", ("created_at", "updated_at")]}),
    ]
    inlines = [AttendanceInline, GuestInline, AgendaItemInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(present_count=Count("attendance", filter=Q(attendance__present=True)))
        )

    def get_search_results(self, request, queryset, search_term):
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if (request.GET.get("app_label"), request.GET.get("model_name")) == ("meetings", "protocol"):
            # The autocomplete of the add-protocol form: held meetings that have no protocol yet.
            queryset = queryset.filter(status=Meeting.Status.HELD, protocol__isnull=True)
        return queryset, may_have_duplicates

    def save_form(self, request, form, change):
        # Only build the instance: ``services.meeting_update`` (in ``save_model``) moves the version on, as for a
        # save in the leader's editor. The form's ``clean()`` has already locked the row and checked the version
        # it was opened on (``VersionedAdminForm``).
        return forms.ModelForm.save(form, commit=False)

    def save_model(self, request, obj, form, change):
        # Through the portal's services: a held meeting gets its protocol, the drafts' numbers follow the dates,
        # and a meeting created, moved or cancelled here is told to the members (``meeting_changed``) exactly as
        # one saved in the portal.
        if not change:
            services.meeting_create(meeting=obj, by=request.user)
            return
        services.meeting_update(
            meeting=obj,
            expected_version=form.expected_version,
            protocol=Protocol.objects.filter(meeting=obj).first(),
            by=request.user,
        )

    def save_formset(self, request, form, formset, change):
        if formset.model is Attendance:
            # A meeting made held here has just had its attendance pre-filled (``meeting_update``): a row typed
            # for the same member updates the pre-filled one instead of adding a second.
            marked = dict(Attendance.objects.filter(meeting=form.instance).values_list("teacher_id", "pk"))
            for row in formset.extra_forms:
                teacher = row.cleaned_data.get("teacher") if row.has_changed() else None
                if teacher is not None and teacher.pk in marked:
                    row.instance.pk, row.instance._state.adding = marked[teacher.pk], False
        super().save_formset(request, form, formset, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if any(formset.model is Attendance and formset.has_changed() for formset in formsets):
            # Attendance saved here is confirmed, as on the leader's attendance page.
            form.instance.attendance_confirm(teacher_of(request.user))

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and Protocol.objects.filter(meeting=obj).exists():
            readonly.append("community")  # the protocol is numbered in this community's sequence
        return readonly

    def get_inlines(self, request, obj):
        # Attendance is checked against the members on the saved meeting's date.
        return self.inlines if obj is not None else [GuestInline, AgendaItemInline]

    @admin.display(description="протокол")
    def protocol_state(self, obj):
        return protocol_summary(getattr(obj, "protocol", None))

    @admin.display(description="присутствовали", ordering="present_count")
    def present_count(self, obj):
        return obj.present_count


class MeetingPartAdmin(SignatureLockedAdminMixin, PortalModelAdmin):
    """A row of a meeting: attendance or an invited guest."""

    form = UnsignedParentForm
    list_select_related = ["meeting__community"]
    autocomplete_fields = ["meeting"]
    date_hierarchy = "meeting__date"

    @admin.display(description="ПОС", ordering="meeting__community__name")
    def community(self, obj):
        return obj.meeting.community

    @admin.display(description="дата заседания", ordering="meeting__date")
    def meeting_date(self, obj):
        return obj.meeting.date


@admin.register(Attendance)
class AttendanceAdmin(MeetingPartAdmin):
    list_display = ["teacher", "present", "absence_reason", "meeting_date", "community", "meeting"]
    list_select_related = ["teacher", "meeting__community"]
    list_filter = ["present", MeetingProtocolStateFilter]
    search_fields = ["teacher__surname", "teacher__name", "meeting__topic", "meeting__community__name"]
    autocomplete_fields = ["meeting", "teacher"]
    ordering = ["-meeting__date", "teacher__surname", "teacher__name"]
    fields = ["meeting", "teacher", "present", "absence_reason"]


@admin.register(Guest)
class GuestAdmin(MeetingPartAdmin):
    list_display = ["full_name", "position", "organization", "meeting_date", "community", "meeting"]
    list_filter = [MeetingProtocolStateFilter]
    search_fields = ["full_name", "organization", "meeting__topic", "meeting__community__name"]
    ordering = ["-meeting__date", "full_name"]
    fields = ["meeting", "full_name", "position", "organization"]
