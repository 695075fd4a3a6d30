"""Organizations of the district and their teachers."""

from django.contrib import admin
from django.db.models import Count, Q
from django.urls import path
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import XLSX

from communities.access import require
from communities.admin import roster
from communities.admin.base import PortalModelAdmin, SubmittedOnceAdminMixin
from communities.models import Organization, Teacher
from pos_portal.xlsx import with_portal_properties


def active_memberships(day, prefix: str = "memberships") -> Q:
    """``Q`` for the memberships (reached through ``prefix``) active on ``day``."""
    return Q(**{f"{prefix}__joined_on__lte": day}) & (
        Q(**{f"{prefix}__left_on__isnull": True}) | Q(**{f"{prefix}__left_on__gte": day})
    )


class RosterAdminMixin(ImportExportMixin):
    """Import from XLSX/CSV with a preview and export with the same columns (``roster``; an XLSX with the portal's
    title and creator), and the template file to fill in (``…/import/template/``, linked from the import page)."""

    import_template_name = "admin/communities/roster_import.html"

    def get_urls(self):
        opts = self.model._meta
        template = path(
            "import/template/",
            self.admin_site.admin_view(self.import_template_view),
            name=f"{opts.app_label}_{opts.model_name}_import_template",
        )
        return [template, *super().get_urls()]

    def import_template_view(self, request):
        require(self.has_import_permission(request), "Импорт в этот справочник вам недоступен.")
        return roster.template(self.resource_classes[0])

    def get_export_data(self, file_format, request, queryset, **kwargs):
        # The export page and the export action both come here: an XLSX carries the portal's properties
        # (pos_portal/xlsx.py), as the dashboard's table and the import template do, not openpyxl's.
        data = super().get_export_data(file_format, request, queryset, **kwargs)
        if isinstance(file_format, XLSX):
            title = f"Выгрузка из ПОС-портала: {self.model._meta.verbose_name_plural}"
            data = with_portal_properties(data, title=title)
        return data


@admin.register(Organization)
class OrganizationAdmin(SubmittedOnceAdminMixin, RosterAdminMixin, PortalModelAdmin):
    resource_classes = [roster.OrganizationResource]
    list_display = ["short_name", "kind", "town", "head_name", "teacher_count", "is_active"]
    list_filter = ["kind", "is_active", "town"]
    search_fields = ["short_name", "full_name", "town"]
    ordering = ["short_name"]
    fieldsets = [
        (None, {"fields": ["kind", "short_name", "full_name", "is_active"]}),
        ("Адрес и руководитель", {"fields": ["town", "address", "head_name"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(teacher_count=Count("teachers"))

    @admin.display(description="педагогов", ordering="teacher_count")
    def teacher_count(self, obj):
        return obj.teacher_count


@admin.register(Teacher)
class TeacherAdmin(SubmittedOnceAdminMixin, RosterAdminMixin, PortalModelAdmin):
    resource_classes = [roster.TeacherResource]
    list_display = [
        "full_name",
        "organization",
        "position",
        "qualification_category",
        "email",
        "community_count",
        "has_account",
    ]
    list_select_related = ["organization"]
    list_filter = ["qualification_category", "organization__kind", ("user", admin.EmptyFieldListFilter)]
    search_fields = ["surname", "name", "patronymic", "email", "organization__short_name"]
    autocomplete_fields = ["organization", "user"]
    ordering = ["surname", "name", "patronymic", "pk"]
    fieldsets = [
        (None, {"fields": [("surname", "name", "patronymic"), "organization", "position"]}),
        ("Квалификация", {"fields": ["qualification_category", "subjects"]}),
        ("Контакты и вход на портал", {"fields": ["email", "phone", "user"]}),
    ]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(community_count=Count("memberships", filter=active_memberships(today), distinct=True))
        )

    def get_search_results(self, request, queryset, search_term):
        # The autocomplete names the organization of each teacher (``autocomplete_label``): one query for all.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        return queryset.select_related("organization"), may_have_duplicates

    def autocomplete_label(self, obj) -> str:
        """«Данилов К.Н. — СОШ № 3, учитель математики»: namesakes differ by school and position
        (``pos_portal.admin_site``)."""
        return f"{obj.short_name} — {obj.organization.short_name}, {obj.position_label}"

    @admin.display(description="ФИО", ordering="surname")
    def full_name(self, obj):
        return obj.full_name

    @admin.display(description="ПОС", ordering="community_count")
    def community_count(self, obj):
        return obj.community_count

    @admin.display(description="вход на портал", boolean=True, ordering="user")
    def has_account(self, obj):
        return obj.user_id is not None
