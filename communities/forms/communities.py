"""Forms of the communities pages: communities, members, materials."""

import re
from pathlib import PurePath

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.forms.versioned import VersionedFormMixin
from communities.models import Community, Material, Membership, Organization, Teacher
from pos_portal.form_errors import add_validation_error

# What ``communities.forms`` re-exports: the forms of the pages and ``clean_file_name``.
__all__ = [
    "CommunityCreateForm",
    "CommunityEditForm",
    "CommunityLeaderEditForm",
    "MaterialForm",
    "MembershipEditForm",
    "MembershipEndForm",
    "MembershipTermsForm",
    "NewTeacherForm",
    "TeacherPickForm",
    "clean_file_name",
]

ORIGINAL_NAME_MAX = 255
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f]")


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def clean_file_name(name: str, fallback: str = "file") -> str:
    """The user's file name without its path and control characters, at most 255 characters
    (the extension is kept when it has to be shortened)."""
    name = _CONTROL_CHARS.sub("", PurePath(name.replace("\\", "/")).name).strip()
    if not name:
        return fallback
    if len(name) > ORIGINAL_NAME_MAX:
        suffix = PurePath(name).suffix[:20]
        name = name[: ORIGINAL_NAME_MAX - len(suffix)] + suffix
    return name


def organizations_for(current: Organization | None = None):
    """Organizations a teacher or a community can belong to: the active ones (not the Department),
    and the one already chosen."""
    condition = Q(is_active=True) & ~Q(kind=Organization.Kind.DEPARTMENT)
    if current is not None:
        condition |= Q(pk=current.pk)
    return Organization.objects.filter(condition).order_by("short_name")


def _https_urls(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class AllConstraintsMixin:
    """A ModelForm skips the model constraints that involve a field it does not show (the unique
    name of an active community when ``is_archived`` is not on the form, say). Check them all once
    the form is otherwise valid, so that a clash is a form error and never an IntegrityError."""

    def _post_clean(self):
        super()._post_clean()
        if self.errors:
            return
        try:
            self.instance.validate_constraints()
        except ValidationError as error:
            add_validation_error(self, error)


# --- communities -----------------------------------------------------------------------------


class CommunityCreateForm(AllConstraintsMixin, forms.ModelForm):
    class Meta:
        model = Community
        fields = ["name", "theme", "level", "organization", "description", "founded_on"]
        widgets = {
            "founded_on": date_input(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for(self.instance.organization)
        self.fields["organization"].empty_label = "— не указана —"


class CommunityEditForm(VersionedFormMixin, AllConstraintsMixin, forms.ModelForm):
    """Methodists and the Department: everything about the community."""

    class Meta:
        model = Community
        fields = ["name", "theme", "level", "organization", "description", "is_archived"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for(self.instance.organization)
        self.fields["organization"].empty_label = "— не указана —"


class CommunityLeaderEditForm(VersionedFormMixin, AllConstraintsMixin, forms.ModelForm):
    """The leader: what the community is about; its level and organization are the Department's."""

    class Meta:
        model = Community
        fields = ["name", "theme", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 4})}


# --- members ---------------------------------------------------------------------------------


class TeacherChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.full_name} — {obj.position}, {obj.organization.short_name}"


class TeacherPickForm(forms.Form):
    teacher = TeacherChoiceField(
        queryset=Teacher.objects.none(),
        label="Педагог",
        empty_label="— выберите педагога —",
        error_messages={"invalid_choice": "Выберите педагога из списка: этот педагог недоступен."},
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = candidates


class NewTeacherForm(forms.ModelForm):
    class Meta:
        model = Teacher
        fields = ["surname", "name", "patronymic", "organization", "position", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations_for()


class MembershipTermsForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "duties", "joined_on"]
        widgets = {
            "joined_on": date_input(),
            "duties": forms.Textarea(attrs={"rows": 2}),
        }


class MembershipEditForm(VersionedFormMixin, forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "duties"]
        widgets = {"duties": forms.Textarea(attrs={"rows": 3})}


class MembershipEndForm(forms.Form):
    left_on = forms.DateField(label="Дата выхода", required=False, widget=date_input())

    def clean_left_on(self):
        return self.cleaned_data.get("left_on") or timezone.localdate()


# --- materials -------------------------------------------------------------------------------


class MaterialForm(forms.ModelForm):
    class Meta:
        model = Material
        fields = ["title", "kind", "description", "file", "url", "authors", "tags"]
        formfield_callback = _https_urls
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "authors": forms.CheckboxSelectMultiple,
        }
        error_messages = {
            "authors": {"invalid_choice": "Автором может быть только член этого ПОС."},
        }

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        current_members = Membership.objects.current().filter(community=community).values("teacher_id")
        self.fields["authors"].queryset = Teacher.objects.filter(pk__in=current_members).order_by(
            "surname", "name", "patronymic", "pk"
        )
        self.fields["authors"].help_text = "Члены ПОС — авторы материала."
        # The stored name is generated (see validators.generated_upload_name): the user's name may be long.
        self.fields["file"].max_length = None
        self.fields["file"].help_text = "PDF, документ, презентация, таблица или изображение. Либо укажите ссылку."

    def save(self, commit=True):
        upload = self.cleaned_data.get("file")
        if upload and "file" in self.changed_data:
            self.instance.original_name = clean_file_name(upload.name)
        return super().save(commit=commit)
