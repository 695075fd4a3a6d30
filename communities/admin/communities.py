"""Communities, their members and the orders appointing their leaders."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, Prefetch
from django.forms import Textarea
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from communities.admin.base import (
    LabelledInlineMixin,
    ServiceAddAdminMixin,
    ServiceAddForm,
    SubmittedOnceAdminMixin,
    VersionedAdminMixin,
)
from communities.admin.people import active_memberships
from communities.models import Community, LeaderAppointment, Membership, Organization
from communities.services import leader_appoint

SHORT_TEXT = {"widget": Textarea(attrs={"rows": 2, "cols": 40})}


class MembershipInline(LabelledInlineMixin, admin.TabularInline):
    model = Membership
    fields = ["teacher", "role", "duties", "joined_on", "left_on"]
    autocomplete_fields = ["teacher"]
    formfield_overrides = {models.TextField: SHORT_TEXT}
    extra = 0


class LeaderAppointmentInline(LabelledInlineMixin, admin.TabularInline):
    """The history of orders, read-only: a new order goes through ``leader_appoint`` on its own page."""

    model = LeaderAppointment
    fields = ["order_number", "order_date", "issued_by", "teacher", "starts_on", "ends_on", "note"]
    readonly_fields = fields
    ordering = ["-starts_on"]
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("teacher", "issued_by")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Community)
class CommunityAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "level", "organization", "leader", "member_count", "founded_on", "is_archived"]
    list_select_related = ["organization"]
    list_filter = ["level", "is_archived"]
    search_fields = ["name", "theme", "organization__short_name"]
    autocomplete_fields = ["organization"]
    date_hierarchy = "founded_on"
    ordering = ["name"]
    readonly_fields = ["appoint_leader"]
    fieldsets = [
        (None, {"fields": ["name", "theme", "level", "organization", "founded_on", "is_archived"]}),
        ("Описание", {"fields": ["description"]}),
        ("Руководитель", {"fields": ["appoint_leader"]}),
    ]
    inlines = [MembershipInline, LeaderAppointmentInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        current = LeaderAppointment.objects.current_on(today).select_related("teacher")
        return (
            super()
            .get_queryset(request)
            .annotate(member_count=Count("memberships", filter=active_memberships(today), distinct=True))
            .prefetch_related(Prefetch("appointments", queryset=current, to_attr="current_appointments"))
        )

    def get_inlines(self, request, obj):
        # Members are checked against the saved community (its organization, archive flag).
        return self.inlines if obj is not None else []

    @admin.display(description="руководитель")
    def leader(self, obj):
        appointments = getattr(obj, "current_appointments", None)
        if appointments is None:
            return obj.current_leader
        return appointments[0].teacher if appointments else None

    @admin.display(description="членов", ordering="member_count")
    def member_count(self, obj):
        return obj.member_count

    @admin.display(description="приказ о назначении")
    def appoint_leader(self, obj):
        if obj is None or obj.pk is None:
            return "Сохраните сообщество, затем оформите приказ о назначении руководителя."
        url = reverse("admin:communities_leaderappointment_add")
        return format_html('<a href="{}?community={}">Оформить приказ о назначении руководителя</a>', url, obj.pk)


class CurrentFilter(admin.SimpleListFilter):
    """Whether a dated record (membership, appointment) is in force today."""

    title = "действует сейчас"
    parameter_name = "current"

    def lookups(self, request, model_admin):
        return [("yes", "Да"), ("no", "Нет")]

    def current(self, queryset):
        raise NotImplementedError

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return self.current(queryset)
        if self.value() == "no":
            return queryset.exclude(pk__in=self.current(queryset.model.objects.all()).values("pk"))
        return queryset


class CurrentMembershipFilter(CurrentFilter):
    title = "состоит сейчас"

    def current(self, queryset):
        return queryset.current()


class CurrentAppointmentFilter(CurrentFilter):
    title = "руководит сейчас"

    def current(self, queryset):
        return queryset.current()


@admin.register(Membership)
class MembershipAdmin(SubmittedOnceAdminMixin, VersionedAdminMixin, admin.ModelAdmin):
    list_display = ["teacher", "community", "role", "joined_on", "left_on", "is_current"]
    list_select_related = ["teacher", "community"]
    list_filter = [CurrentMembershipFilter, "role", "community__level"]
    search_fields = ["teacher__surname", "teacher__name", "teacher__patronymic", "community__name"]
    autocomplete_fields = ["teacher", "community"]
    date_hierarchy = "joined_on"
    ordering = ["community__name", "teacher__surname", "teacher__name", "-joined_on"]
    fields = ["community", "teacher", "role", "duties", "joined_on", "left_on"]

    @admin.display(description="состоит сейчас", boolean=True)
    def is_current(self, obj):
        return obj.is_active_on(timezone.localdate())


class LeaderAppointmentAddForm(ServiceAddForm):
    """A new order, saved by ``leader_appoint``: it ends the current appointment the day before and
    makes the teacher a member if needed. The form says beforehand who leads now and on which date that
    appointment will end."""

    class Meta:
        model = LeaderAppointment
        fields = ["community", "teacher", "order_number", "order_date", "issued_by", "starts_on", "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["starts_on"].help_text = self.ending_note()

    def _chosen(self, name):
        value = self.data.get(name) if self.is_bound else self.initial.get(name)
        return getattr(value, "pk", value)

    def ending_note(self) -> str:
        """«Сейчас руководит Иванова А.А. (с 01.09.2025, приказ № 12-о от 25.08.2025). Её назначение …»."""
        community_pk = self._chosen("community")
        current = None
        if community_pk and str(community_pk).isdigit():
            current = (
                LeaderAppointment.objects.open().filter(community_id=community_pk).select_related("teacher").first()
            )
        if current is None:
            if community_pk:
                return "Действующего руководителя у ПОС нет: завершать нечего."
            return "Действующее назначение руководителя ПОС завершится днём раньше этой даты."
        now = (
            f"Сейчас руководит {current.teacher.short_name} (с {current.starts_on:%d.%m.%Y}, "
            f"приказ № {current.order_number} от {current.order_date:%d.%m.%Y})."
        )
        try:
            starts_on = self.fields["starts_on"].clean(self._chosen("starts_on"))
        except ValidationError:
            starts_on = None
        if starts_on is None:
            return f"{now} Это назначение завершится днём раньше даты, с которой руководит новый руководитель."
        ends_on = LeaderAppointment.previous_ends_on(starts_on)
        return f"{now} Это назначение завершится {ends_on:%d.%m.%Y}."

    def lock(self):
        Community.objects.select_for_update().get(pk=self.cleaned_data["community"].pk)

    def create(self):
        data = self.cleaned_data
        appointment = leader_appoint(
            community=data["community"],
            teacher=data["teacher"],
            order_number=data["order_number"],
            order_date=data["order_date"],
            starts_on=data["starts_on"],
            issued_by=data["issued_by"],
        )
        if data.get("note"):
            appointment.note = data["note"]
            appointment.save(update_fields=["note"])
        return appointment


@admin.register(LeaderAppointment)
class LeaderAppointmentAdmin(SubmittedOnceAdminMixin, ServiceAddAdminMixin, admin.ModelAdmin):
    add_form = LeaderAppointmentAddForm
    add_fieldsets = [
        (None, {"fields": ["community", "teacher", "starts_on"]}),
        ("Приказ", {"fields": ["order_number", "order_date", "issued_by", "note"]}),
    ]
    fieldsets = [
        (None, {"fields": ["community", "teacher", "starts_on", "ends_on"]}),
        ("Приказ", {"fields": ["order_number", "order_date", "issued_by", "note"]}),
    ]
    list_display = ["order", "community", "teacher", "starts_on", "ends_on", "is_current", "issued_by"]
    list_select_related = ["community", "teacher", "issued_by"]
    list_filter = [CurrentAppointmentFilter, "community__level"]
    search_fields = ["order_number", "teacher__surname", "teacher__name", "community__name"]
    autocomplete_fields = ["community", "teacher", "issued_by"]
    date_hierarchy = "order_date"
    ordering = ["-order_date", "-starts_on", "-pk"]
    readonly_fields = ["community", "teacher"]

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if "issued_by" not in initial:
            departments = list(Organization.objects.filter(kind=Organization.Kind.DEPARTMENT).values_list("pk")[:2])
            if len(departments) == 1:
                initial["issued_by"] = departments[0][0]
        return initial

    def save_model(self, request, obj, form, change):
        ended = None
        if not change:
            ended = LeaderAppointment.objects.open().filter(community=form.cleaned_data["community"]).first()
        super().save_model(request, obj, form, change)
        if ended is not None:
            ended.refresh_from_db()
            self.message_user(
                request,
                f"Назначение руководителя {ended.teacher.short_name} (приказ № {ended.order_number}) "
                f"завершено {ended.ends_on:%d.%m.%Y}.",
                messages.INFO,
            )

    @admin.display(description="приказ", ordering="order_date")
    def order(self, obj):
        return f"№ {obj.order_number} от {obj.order_date:%d.%m.%Y}"

    @admin.display(description="руководит сейчас", boolean=True)
    def is_current(self, obj):
        today = timezone.localdate()
        return obj.starts_on <= today and (obj.ends_on is None or obj.ends_on >= today)
