"""The admin site of the Department: its Russian titles and autocompletes that may name a row more fully than
``str()`` does. A ModelAdmin with ``autocomplete_label(obj)`` gives the autocomplete's text for its rows (teachers:
«Данилов К.Н. — СОШ № 3, учитель математики», so that namesakes differ); the rest keep ``str(obj)``."""

from django.contrib.admin import AdminSite
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class PortalAdminSite(AdminSite):
    site_header = "ПОС-портал: администрирование"
    site_title = "ПОС-портал"
    index_title = "Департамент образования АТМР"
    # The side list of every model takes 300 px of a 1366 px screen from the changelists; the index lists them.
    enable_nav_sidebar = False

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


class PortalAdminConfig(AdminConfig):
    default_site = "pos_portal.admin_site.PortalAdminSite"
