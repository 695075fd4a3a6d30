"""Forms of the annual plan pages: the plan itself and the inline formset of its planned events."""

from django import forms
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.forms.models import BaseInlineFormSet, ModelChoiceIterator, inlineformset_factory

from communities.activity import SESSION_FORMS
from communities.forms.versioned import VersionedFormMixin
from communities.models import AnnualPlan, Community, Membership, PlanItem, Teacher
from communities.models.people import count_by_category, count_by_position
from pos_portal import limits
from pos_portal.russian import plural

ITEMS_PREFIX = "items"


def current_members(community: Community):
    """The teachers who are members of the community today, in list order."""
    return Teacher.objects.filter(
        pk__in=Membership.objects.current().filter(community=community).values("teacher_id")
    ).order_by("surname", "name", "patronymic", "pk")


def composition_summary(community: Community) -> str:
    """«12 педагогов: учитель начальных классов — 5, …; высшая категория — 4, первая — 5, без категории — 3.»,
    from the current members: a starting point for the plan's «количественный и качественный состав»."""
    teachers = list(current_members(community))
    if not teachers:
        return ""
    by_position = ", ".join(f"{label} — {count}" for label, count in count_by_position(teachers))
    by_category = ", ".join(f"{label} — {count}" for label, count in count_by_category(teachers))
    count = len(teachers)
    noun = plural(count, "педагог", "педагога", "педагогов")
    return f"{count} {noun}: {by_position}; {by_category}."


class PlanFormBase(forms.ModelForm):
    """The plan's own fields; the community comes from the page, not from the form."""

    def __init__(self, *args, community: Community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community

    def validate_unique(self):
        super().validate_unique()
        if "academic_year" not in self.fields or "academic_year" not in self.cleaned_data:
            return
        # Django leaves out constraints on fields that are not in the form; the community is set by
        # the page, so ask the model for the (community, academic year) constraint explicitly.
        others = {field.name for field in AnnualPlan._meta.concrete_fields} - {"community", "academic_year"}
        try:
            self.instance.validate_constraints(exclude=others)
        except ValidationError as error:
            self.add_error("academic_year", error.messages)


TEXTAREA = {"rows": 3}


class AnnualPlanCreateForm(PlanFormBase):
    class Meta:
        model = AnnualPlan
        fields = ["academic_year", "theme", "goals", "tasks", "composition", "professional_needs"]
        help_texts = {
            "academic_year": "Например, «2025/2026». На один учебный год у сообщества один план.",
            "composition": "Заполнено по текущему списку членов ПОС: проверьте и дополните (стаж, опыт).",
        }
        widgets = {
            "goals": forms.Textarea(attrs=TEXTAREA),
            "tasks": forms.Textarea(attrs=TEXTAREA),
            "composition": forms.Textarea(attrs=TEXTAREA),
            "professional_needs": forms.Textarea(attrs=TEXTAREA),
        }


class AnnualPlanEditForm(VersionedFormMixin, PlanFormBase):
    """The academic year identifies the plan (and its fulfilled meetings belong to it): not edited here."""

    class Meta(AnnualPlanCreateForm.Meta):
        fields = ["theme", "goals", "tasks", "composition", "professional_needs"]


class _TeacherListIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for teacher in self.field.teachers:
            yield self.choice(teacher)

    def __len__(self):
        return len(self.field.teachers) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.teachers)


class TeacherChoiceField(forms.ModelChoiceField):
    """A choice among an already loaded list of teachers: a formset of many rows costs one query,
    and a value outside the list (a teacher of another community) is an invalid choice."""

    iterator = _TeacherListIterator

    def __init__(self, teachers, **kwargs):
        self.teachers = list(teachers)
        super().__init__(queryset=Teacher.objects.none(), **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.short_name}, {obj.position}" if obj.position else obj.short_name

    def to_python(self, value):
        if value in self.empty_values:
            return None
        for teacher in self.teachers:
            if str(teacher.pk) == str(value):
                return teacher
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


def linked_meeting(item: PlanItem):
    """The meeting that fulfils the item, or None (load items with select_related("meeting"))."""
    if item.pk is None:
        return None
    try:
        return item.meeting
    except ObjectDoesNotExist:
        return None


class PlanItemForm(forms.ModelForm):
    class Meta:
        model = PlanItem
        fields = ["month", "planned_on", "topic", "form", "responsible", "expected_result"]
        help_texts = {"planned_on": "Если дата известна: месяц тогда определится по ней."}
        widgets = {
            "planned_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "expected_result": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        teachers = list(members)
        # A responsible who has since left the community stays selectable on their own row only.
        current = self.instance.responsible if self.instance.responsible_id else None
        if current is not None and all(teacher.pk != current.pk for teacher in teachers):
            teachers.append(current)
        self.fields["responsible"] = TeacherChoiceField(
            teachers,
            required=False,
            label="Ответственный",
            help_text="Член ПОС.",
            error_messages={"invalid_choice": "Ответственным может быть только член этого ПОС."},
        )


class BasePlanItemFormSet(BaseInlineFormSet):
    """The plan's events as one set of rows, in the portal's plan editor and the admin's inline alike: an event
    fulfilled by a meeting is not deleted, and the change as a whole keeps an approved plan's sessions
    (``AnnualPlan.check_sessions_kept``; save with ``communities.services.plan_items_save``)."""

    def clean(self):
        super().clean()
        for form in self.initial_forms:
            if not (self.can_delete and getattr(form, "cleaned_data", {}).get("DELETE")):
                continue
            meeting = linked_meeting(form.instance)
            if meeting is not None:
                raise ValidationError(
                    f"Мероприятие «{form.instance.topic}» уже связано с заседанием {meeting.date:%d.%m.%Y}: "
                    "удалить его из плана нельзя."
                )
        plan = self.instance
        if plan.pk is None or any(self.errors):
            return  # a row's own error (its form, say) is shown on the row
        after = sum(
            1
            for form in self.forms
            if (form.instance.pk or form.has_changed())
            and not (self.can_delete and self._should_delete_form(form))
            and form.cleaned_data.get("form") in SESSION_FORMS
        )
        plan.check_sessions_kept(before=plan.planned_sessions_count(), after=after)


PlanItemFormSet = inlineformset_factory(
    AnnualPlan,
    PlanItem,
    form=PlanItemForm,
    formset=BasePlanItemFormSet,
    extra=1,
    can_delete=True,
)


class PlanReviewForm(forms.Form):
    """The decision of a methodist of the ИОЦ (or the Department) on a plan sent for approval."""

    APPROVE = "approve"
    RETURN = "return"

    action = forms.ChoiceField(
        label="Решение",
        choices=[(APPROVE, "Утвердить"), (RETURN, "Вернуть на доработку")],
        error_messages={"invalid_choice": "Выберите: утвердить план или вернуть его на доработку."},
    )
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=limits.COMMENT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязателен, если план возвращается на доработку: что именно нужно исправить.",
    )
