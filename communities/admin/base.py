"""Pieces of the admin shared by both apps: the base classes of every admin page (``PortalModelAdmin``, the two
inlines), the academic-year filters and add forms whose object a service creates, so that the admin follows the
same rules as the portal."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import flatten_fieldsets
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Max, Min
from django.forms.formsets import DELETION_FIELD_NAME
from django.forms.models import construct_instance
from django.utils.text import capfirst

from communities.forms.versioned import VERSION_FIELD, VersionedAdminForm
from communities.submissions import submitted_once
from pos_portal.academic_year import AcademicYear, clamp_to_range
from pos_portal.form_errors import add_validation_error, model_errors_for


def _valid_ids(widget, values) -> list:
    """The submitted values that can name a row of the widget's model: the others are dropped, so a form that
    comes back with an error for ``abc`` in an id field renders (Django's widget would query ``id IN ('abc')``)."""
    remote = widget.field.remote_field
    options = remote.model._meta
    target = options.get_field(getattr(remote, "field_name", None) or options.pk.name)
    valid = []
    for value in values:
        try:
            target.to_python(value)
        except ValidationError:
            continue
        valid.append(value)
    return valid


class SafeAutocompleteSelect(AutocompleteSelect):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_ids(self, value), attr)


class SafeAutocompleteSelectMultiple(AutocompleteSelectMultiple):
    def optgroups(self, name, value, attr=None):
        return super().optgroups(name, _valid_ids(self, value), attr)


class PortalModelForm(forms.ModelForm):
    """The base of every admin form: a model's message about a field the page does not show (read-only there,
    such as an appointment's teacher) goes above the form instead of failing with ValueError."""

    def _update_errors(self, errors):
        super()._update_errors(model_errors_for(self.fields, errors))


class SafeAutocompleteMixin:
    """Autocomplete fields that survive a non-numeric id: a form error, not a server error."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = SafeAutocompleteSelectMultiple(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class LabelledRowsFormSetMixin:
    """A tabular inline's formset whose inputs have accessible names: a table row has no ``<label>``, only the
    column heading, so every visible input gets ``aria-label`` «Педагог, строка 2» (the «удалить» box as well)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        row = "новая строка" if index is None else f"строка {index + 1}"
        for name, field in form.fields.items():
            widget = getattr(field.widget, "widget", field.widget)  # inside the related-object wrapper
            if widget.is_hidden:
                continue
            label = "удалить" if name == DELETION_FIELD_NAME else (field.label or name)
            widget.attrs.setdefault("aria-label", f"{capfirst(label)}, {row}")


class LabelledInlineMixin:
    """An inline whose formset is a ``LabelledRowsFormSetMixin``."""

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        return type(formset.__name__, (LabelledRowsFormSetMixin, formset), {})


class PortalModelAdmin(SafeAutocompleteMixin, admin.ModelAdmin):
    """The base of every admin page of the portal's models."""

    form = PortalModelForm


class ReadOnlyAdminMixin:
    """A record the portal writes (a receipt, a letter, a stored document): the admin shows it and never adds,
    changes or deletes it."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class BoundedInlineMixin:
    """An inline with ``max_num`` refuses more rows than that with a message (Django only hides the «add» link):
    the counts of pos_portal/limits.py hold in the admin too."""

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("validate_max", self.get_max_num(request, obj, **kwargs) is not None)
        return super().get_formset(request, obj, **kwargs)


class PortalTabularInline(BoundedInlineMixin, LabelledInlineMixin, SafeAutocompleteMixin, admin.TabularInline):
    """The base of every tabular inline: autocompletes that survive bad ids, inputs named for screen readers."""

    form = PortalModelForm


class PortalStackedInline(BoundedInlineMixin, SafeAutocompleteMixin, admin.StackedInline):
    form = PortalModelForm


class AcademicYearListFilter(admin.SimpleListFilter):
    """Filter on an ``AcademicYearField``; the choices are the years that occur, latest first."""

    title = "учебный год"
    parameter_name = "year"
    field_name = "academic_year"

    def years(self, queryset) -> list[AcademicYear]:
        values = queryset.order_by().values_list(self.field_name, flat=True).distinct()
        return sorted(set(values), reverse=True)

    def lookups(self, request, model_admin):
        return [(str(year.start_year), year.label) for year in self.years(model_admin.model._default_manager.all())]

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        try:
            year = AcademicYear.parse(self.value())
        except ValueError:
            return queryset.none()
        return self.filter_year(queryset, year)

    def filter_year(self, queryset, year: AcademicYear):
        return queryset.filter(**{self.field_name: year})


class AcademicYearDateListFilter(AcademicYearListFilter):
    """The same filter on a date field: 1 September to 31 August of the chosen year."""

    field_name = "date"

    def years(self, queryset) -> list[AcademicYear]:
        bounds = queryset.aggregate(first=Min(self.field_name), last=Max(self.field_name))
        if bounds["first"] is None:
            return []
        first, last = (AcademicYear.of(clamp_to_range(bounds[end])) for end in ("first", "last"))
        return [AcademicYear(start) for start in range(last.start_year, first.start_year - 1, -1)]

    def filter_year(self, queryset, year: AcademicYear):
        return queryset.filter(**{f"{self.field_name}__range": (year.start, year.end)})


class _DryRun(Exception):
    """Raised to roll back a service call made only to check its arguments."""


class ServiceAddForm(PortalModelForm):
    """An add form whose object is created by a service (``create``), never by ``ModelForm.save``.

    ``clean()`` calls the service in a savepoint that is always rolled back, so the service's own
    rules and Russian messages become form errors and nothing is written. The admin's
    ``save_model`` (``ServiceAddAdminMixin``) then calls ``create()`` for real, in the same
    transaction (the admin's change view is atomic). ``lock()`` takes, outside the rolled-back
    savepoint, the lock the service itself takes, so it is held until that transaction ends: a
    concurrent call of the service for the same rows waits, and the real call meets the state
    that was checked instead of failing with a server error.

    The model's own ``full_clean`` is not run by the form: the service runs it against the state
    it produces (a new leader is checked after the previous appointment is ended and the teacher
    made a member), and checking against the state before would report false errors.
    """

    def create(self) -> models.Model:
        raise NotImplementedError

    def lock(self) -> None:
        """Lock rows (``select_for_update``) that the check depends on."""

    def clean(self):
        cleaned_data = super().clean()
        if self.errors:
            return cleaned_data
        try:
            with transaction.atomic():
                self.lock()
                try:
                    with transaction.atomic():
                        self.create()
                        raise _DryRun
                except _DryRun:
                    pass
        except ValidationError as error:
            add_validation_error(self, error)
        # The service may have cached the rolled-back rows on the instances it was given
        # (the reverse side of a one-to-one, for one): reload them.
        for value in cleaned_data.values():
            if isinstance(value, models.Model) and value.pk is not None:
                value.refresh_from_db()
        return cleaned_data

    def _post_clean(self):
        try:
            self.instance = construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)
        except ValidationError as error:
            self._update_errors(error)


class ServiceAddAdminMixin:
    """A ModelAdmin whose add page shows ``add_form`` with ``add_fieldsets`` and saves through the
    form's service; the change page is the usual one."""

    add_form: type[ServiceAddForm]
    add_fieldsets: list

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return self.add_fieldsets
        return super().get_fieldsets(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, change=change, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return super().get_readonly_fields(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = form.create()
        # The admin goes on with ``obj`` (history, message, redirect): make it the created row.
        obj.__dict__.update(created.__dict__)
        return None


class VersionedPortalForm(VersionedAdminForm, PortalModelForm):
    """The change form of a ``VersionedModel`` in the admin: the version check and the portal's form base."""


class VersionedAdminMixin:
    """The admin of a ``VersionedModel``: its change form carries the version it was opened on, and a change
    saved meanwhile (in the admin or the portal) is not overwritten (``VersionedAdminForm``)."""

    form = VersionedPortalForm

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        if VERSION_FIELD in flatten_fieldsets(fieldsets):
            return fieldsets
        (name, options), *rest = fieldsets
        return [(name, {**options, "fields": [*options["fields"], VERSION_FIELD]}), *rest]


class SubmittedOnceAdminMixin:
    """The admin's add page creates once, like the portal's create forms (``communities.submissions``): the page
    carries the one-time token (``templates/admin/change_form.html``), and a second POST of it adds nothing."""

    def add_view(self, request, form_url="", extra_context=None):
        return submitted_once(super().add_view)(request, form_url, extra_context)
