"""The form half of optimistic locking (``communities.models.versioned``): an edit form carries the version of the
record it was opened on, and its save is refused when the record has moved on since."""

from django import forms
from django.db import transaction

from communities.models.versioned import VersionConflict

VERSION_FIELD = "edited_version"


class VersionedFormMixin:
    """For a ``ModelForm`` of a ``VersionedModel``: a hidden ``edited_version`` field with the version the form was
    opened on, and a ``save()`` that raises ``VersionConflict`` (and saves nothing) when that is no longer the
    stored one. A view that saves through a service passes ``expected_version`` to it instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A text field: a lost or garbled version is a conflict, not an error on a field nobody sees.
        self.fields[VERSION_FIELD] = forms.CharField(
            required=False, widget=forms.HiddenInput, initial=str(self.instance.version)
        )

    @property
    def expected_version(self) -> int | None:
        """The version the form was opened on, None when it lost it (valid forms only)."""
        value = self.cleaned_data.get(VERSION_FIELD, "")
        return int(value) if value.isdigit() else None

    def save(self, commit=True):
        with transaction.atomic():
            if not self.instance._state.adding:
                self.instance.bump_version(self.expected_version)
            return super().save(commit=commit)


class VersionedAdminForm(VersionedFormMixin, forms.ModelForm):
    """The admin's change form of a ``VersionedModel``. The admin saves after validating, in one transaction
    (its change view is atomic): ``clean()`` locks the row and refuses a stale version as a form error (the page
    keeps what was typed), so the save that follows, under the same lock, cannot meet a conflict. Declared on the
    class, so that the admin's fieldsets may name it (``communities.admin.base.VersionedAdminMixin``)."""

    edited_version = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned_data = super().clean()
        instance = self.instance
        if not instance._state.adding:
            stored = type(instance)._default_manager.select_for_update().filter(pk=instance.pk)
            if list(stored.values_list("version", flat=True)) != [self.expected_version]:
                raise VersionConflict(instance.CONFLICT_MESSAGE)
        return cleaned_data
