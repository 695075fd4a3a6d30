"""The communities' methodical materials (информационно-методический ресурс)."""

from pathlib import PurePath

from django.contrib import admin
from django.db import models

from communities.admin.base import SubmittedOnceAdminMixin
from communities.models import Material


@admin.register(Material)
class MaterialAdmin(SubmittedOnceAdminMixin, admin.ModelAdmin):
    list_display = ["title", "kind", "community", "author_names", "added_by", "created_at"]
    list_select_related = ["community", "added_by"]
    list_filter = ["kind", "community__level"]
    search_fields = ["title", "tags", "description", "community__name"]
    autocomplete_fields = ["community", "authors", "added_by"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-pk"]
    readonly_fields = ["original_name", "created_at"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["community", "title", "kind", "description", "tags"]}),
        ("Файл или ссылка", {"fields": ["file", "original_name", "url"]}),
        ("Авторы", {"fields": ["authors", "added_by", "created_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("authors")

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data.get("file")
        if "file" in form.changed_data:
            # The stored name is random (see validators.generated_upload_name): keep the user's one.
            obj.original_name = PurePath(upload.name).name[:255] if upload else ""
        super().save_model(request, obj, form, change)

    @admin.display(description="авторы")
    def author_names(self, obj):
        return ", ".join(teacher.short_name for teacher in obj.authors.all())
