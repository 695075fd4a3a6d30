"""Forms of the meeting and protocol editor. Every choice of a person or a plan item is limited to what the
leader may pick: the members of the community on the meeting date, the community's own plan items."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import cached_property

from communities.models import Membership, PlanItem, Teacher
from meetings.models import FOLLOW_UP_QUESTION, AgendaItem, Decision, Guest, Meeting, Protocol, ProtocolCorrection
from meetings.models.protocols import protocol_number_forecast
from pos_portal import limits
from pos_portal.academic_year import validate_date
from pos_portal.form_errors import model_errors_for

# What ``meetings.forms`` re-exports: the forms and formsets of the pages.
__all__ = [
    "AgendaItemForm",
    "AttendanceFormSet",
    "AttendanceRowForm",
    "CorrectionForm",
    "DecisionForm",
    "DecisionFormSet",
    "GuestForm",
    "GuestFormSet",
    "MeetingEditForm",
    "MeetingForm",
    "Members",
    "ProtocolForm",
    "QuestionForm",
    "VersionForm",
]

BLANK_CHOICE = "---------"
DATE_WIDGET = {"attrs": {"type": "date"}, "format": "%Y-%m-%d"}
BOTH_OR_NEITHER = "Укажите и ответственного, и срок — или не указывайте ни того, ни другого."
NUMBERING_HELP = (
    "Протоколы учебного года нумеруются по порядку дат заседаний; номера подписанных протоколов не меняются."
)
NO_DECISION = "Запишите решение по вопросу: по положению (п. 4.2) каждый вопрос заседания решается."


class ModelErrorsMixin:
    """A model's clean() may name a field the form does not show (the protocol's meeting): such an error goes
    to the top of the form instead of failing with ValueError."""

    def _update_errors(self, errors):
        super()._update_errors(model_errors_for(self.fields, errors))


class Members:
    """The members of a community on a meeting date, for the choice fields of a page: a posted value is checked
    against ``queryset``, and the options are read once for all the forms of the page."""

    def __init__(self, queryset):
        self.queryset = queryset

    @cached_property
    def choices(self):
        return [("", BLANK_CHOICE), *((teacher.pk, str(teacher)) for teacher in self.queryset)]

    def limit(self, field):
        field.queryset = self.queryset
        field.choices = self.choices


def date_input():
    return forms.DateInput(**DATE_WIDGET)


class PlanItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.plan.academic_year} · {obj.when} · {obj.topic}"


class VersionForm(forms.Form):
    """The version of the meeting the editor was opened on (optimistic locking)."""

    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)


class OfficerChoiceField(forms.ModelChoiceField):
    """The chair or the secretary of a meeting, shown with the position: «Смирнова О.В., учитель математики»."""

    def label_from_instance(self, obj):
        return f"{obj.short_name}, {obj.position}" if obj.position else obj.short_name


OUTCOME_MISSING_MESSAGE = (
    "Дата заседания прошла: отметьте его «Проведено» (или «Отменено» с причиной) либо перенесите дату — "
    "иначе в сводке ИОЦ оно останется «не отмечено»."
)


class MeetingForm(ModelErrorsMixin, forms.ModelForm):
    """A new meeting: planned, or already held; it asks who chairs and who keeps the minutes of its protocol."""

    STATUSES = (Meeting.Status.PLANNED, Meeting.Status.HELD)
    ASKS_OFFICERS = True  # the editor asks them on the protocol's own form (ProtocolForm)

    online_link = forms.URLField(
        label="Ссылка на онлайн-встречу", required=False, assume_scheme="https", max_length=200
    )
    # The protocol number the leader was warned of (``protocol_number_forecast``): saving again with it agrees.
    confirm_number = forms.IntegerField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = Meeting
        # The status first: it decides what the rest of the form is for (a plan, or a held meeting's protocol).
        fields = ["status", "plan_item", "form", "date", "time", "place", "online_link", "topic"]
        widgets = {
            "date": date_input(),
            "time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }
        help_texts = {
            "plan_item": "Мероприятие плана работы, которое выполняет это заседание (если есть).",
        }

    def __init__(self, *args, community, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.community = community
        free = Q(meeting__isnull=True)
        if self.instance.plan_item_id:
            free |= Q(pk=self.instance.plan_item_id)
        self.fields["plan_item"] = PlanItemChoiceField(
            label="Мероприятие плана",
            required=False,
            queryset=PlanItem.objects.filter(free, plan__community=community)
            .select_related("plan")
            .order_by("-plan__academic_year", "planned_on", "month", "pk"),
            help_text=(
                "Мероприятия планов этого ПОС, по которым ещё нет заседания. "
                "Дата заседания должна входить в учебный год плана."
            ),
        )
        self.fields["status"].choices = [(s.value, s.label) for s in Meeting.Status if s in self.STATUSES]
        self.fields["date"].help_text = NUMBERING_HELP
        if self.ASKS_OFFICERS:
            self.add_officer_fields(community)
            self.fields["follow_up"] = forms.BooleanField(
                label=f"Начать с вопроса «{FOLLOW_UP_QUESTION}»",
                required=False,
                help_text="Для проведённого заседания: вопрос со списком невыполненных поручений прежних протоколов.",
            )

    def add_officer_fields(self, community):
        """«Председательствующий» and «Секретарь», prefilled (Protocol.officers_on) for the date the form opens on."""
        members = (
            Teacher.objects.filter(memberships__community=community)
            .distinct()
            .order_by("surname", "name", "patronymic", "pk")
        )
        self.fields["chair"] = OfficerChoiceField(
            label="Председательствующий",
            queryset=members,
            required=False,
            help_text="Для протокола проведённого заседания. Пусто — руководитель ПОС на дату заседания.",
        )
        self.fields["secretary"] = OfficerChoiceField(
            label="Секретарь",
            queryset=members,
            required=False,
            help_text="Ведёт протокол; заполнен членом ПОС с ролью «Секретарь», если он есть.",
        )
        if not self.is_bound:
            chair, secretary = Protocol.officers_on(community, self.initial.get("date") or timezone.localdate())
            self.initial.setdefault("chair", chair.pk if chair else None)
            self.initial.setdefault("secretary", secretary.pk if secretary else None)

    def clean(self):
        cleaned = super().clean()
        has_protocol = self.instance.pk is not None and hasattr(self.instance, "protocol")  # its own message
        if not has_protocol and Meeting.outcome_missing(
            cleaned.get("status"), cleaned.get("date"), timezone.localdate()
        ):
            self.add_error("status", OUTCOME_MISSING_MESSAGE)
        if self.ASKS_OFFICERS:
            chair, secretary, day = cleaned.get("chair"), cleaned.get("secretary"), cleaned.get("date")
            if chair and secretary and chair == secretary:
                self.add_error("secretary", "Председательствующий и секретарь — разные люди.")
            for field, teacher in (("chair", chair), ("secretary", secretary)):
                if teacher and day and not self.is_member_on(teacher, day):
                    self.add_error(field, f"{teacher.short_name} не состоит в ПОС на дату заседания.")
        self.check_protocol_number(cleaned)
        return cleaned

    def check_protocol_number(self, cleaned):
        """Before a held meeting is saved on a date earlier than an already signed protocol's meeting, say which
        number its protocol gets (signed numbers never change) and save only when the form is sent again."""
        day = cleaned.get("date")
        if not day or cleaned.get("status") != Meeting.Status.HELD or self.has_error("date"):
            return
        if self.instance.pk and not {"date", "time", "status"} & set(self.changed_data):
            return
        forecast = protocol_number_forecast(
            self.instance.community.pk, day, time=cleaned.get("time"), meeting_pk=self.instance.pk
        )
        if forecast.warning and cleaned.get("confirm_number") != forecast.number:
            self.data = self.data.copy()
            self.data[self.add_prefix("confirm_number")] = forecast.number
            self.add_error("date", f"{forecast.warning} Чтобы сохранить с этим номером, нажмите «Сохранить» ещё раз.")

    def is_member_on(self, teacher, day) -> bool:
        return Membership.objects.active_on(day).filter(community=self.instance.community, teacher=teacher).exists()

    def officers(self) -> dict:
        """The chair and the secretary chosen, and whether to start with the follow-up question, for
        ``services.meeting_create``."""
        return {
            "chair": self.cleaned_data.get("chair"),
            "secretary": self.cleaned_data.get("secretary"),
            "follow_up": bool(self.cleaned_data.get("follow_up")),
        }


class MeetingEditForm(MeetingForm):
    """An existing meeting: it may also be cancelled, with a reason."""

    STATUSES = tuple(Meeting.Status)
    ASKS_OFFICERS = False

    class Meta(MeetingForm.Meta):
        fields = [*MeetingForm.Meta.fields, "cancel_reason"]
        help_texts = {**MeetingForm.Meta.help_texts, "cancel_reason": "Обязательна для отменённого заседания."}


class ProtocolForm(ModelErrorsMixin, forms.ModelForm):
    class Meta:
        model = Protocol
        fields = ["chair", "secretary", "place", "attachments"]
        widgets = {"attachments": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"attachments": "Например: «Список присутствующих на 2 л. в 1 экз.»"}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        members.limit(self.fields["chair"])
        members.limit(self.fields["secretary"])


class AttendanceRowForm(forms.Form):
    teacher = forms.ModelChoiceField(queryset=Teacher.objects.none(), widget=forms.HiddenInput)
    present = forms.BooleanField(
        label="Присутствовал(а)", required=False, widget=forms.CheckboxInput(attrs={"class": "form-check-input"})
    )
    absence_reason = forms.CharField(
        label="Причина отсутствия",
        max_length=limits.ABSENCE_REASON,
        validators=[limits.NoUnbreakableWords()],
        required=False,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )

    def __init__(self, *args, members, names, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["teacher"].queryset = members.queryset  # a hidden input: no options to list
        self.names = names

    @property
    def member_name(self) -> str:
        value = self["teacher"].value()
        try:
            return self.names.get(int(value), "")
        except (TypeError, ValueError):
            return ""


class BaseAttendanceFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            teacher = form.cleaned_data.get("teacher")
            if teacher is None:
                continue
            if teacher.pk in seen:
                raise ValidationError(f"{teacher} отмечен(а) в списке дважды.")
            seen.add(teacher.pk)


AttendanceFormSet = forms.formset_factory(AttendanceRowForm, formset=BaseAttendanceFormSet, extra=0)


class GuestForm(ModelErrorsMixin, forms.ModelForm):
    class Meta:
        model = Guest
        fields = ["full_name", "position", "organization"]
        labels = {"full_name": "ФИО приглашённого"}


GuestFormSet = forms.formset_factory(GuestForm, extra=1, can_delete=True, max_num=limits.GUESTS, validate_max=True)


class AgendaItemForm(ModelErrorsMixin, forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["order", "question", "heard"]
        widgets = {"question": forms.Textarea(attrs={"rows": 2}), "heard": forms.Textarea(attrs={"rows": 4})}
        help_texts = {"heard": "Что доложил(и) докладчик(и): печатается после их фамилий."}


class QuestionForm(AgendaItemForm):
    """A question edited in place on the meeting page: its number is kept (a new one goes last) and changed only
    by moving it up or down the agenda (``services.agenda_item_move``)."""

    class Meta(AgendaItemForm.Meta):
        fields = [name for name in AgendaItemForm.Meta.fields if name != "order"]


class DecisionForm(ModelErrorsMixin, forms.ModelForm):
    responsible = forms.ModelChoiceField(
        label="Ответственный", queryset=Teacher.objects.none(), required=False, help_text="Для поручения."
    )
    deadline = forms.DateField(label="Срок", required=False, widget=date_input(), validators=[validate_date])

    class Meta:
        model = Decision
        fields = ["text", "vote", "votes_for", "votes_against", "votes_abstained"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "vote": forms.RadioSelect}
        help_texts = {"votes_for": "Числа голосов — только для «голосовали»; «единогласно» считает присутствовавших."}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        members.limit(self.fields["responsible"])
        if self.instance.pk:
            # The assignments were prefetched with the decisions.
            assignment = next(iter(self.instance.assignments.all()), None)
            if assignment is not None:
                self.initial.setdefault("responsible", assignment.responsible_id)
                self.initial.setdefault("deadline", assignment.deadline)

    def clean(self):
        cleaned = super().clean()
        responsible, deadline = cleaned.get("responsible"), cleaned.get("deadline")
        invalid = self.has_error("responsible") or self.has_error("deadline")
        if (responsible is None) != (deadline is None) and not invalid:
            raise ValidationError(BOTH_OR_NEITHER)
        return cleaned


class BaseDecisionFormSet(forms.BaseInlineFormSet):
    """``stored``: the question's decisions as already read (prefetched with the meeting, ordered, with their
    assignments), so that a page with many questions reads them once for all of its formsets."""

    def __init__(self, *args, stored=None, **kwargs):
        self.stored = stored
        super().__init__(*args, **kwargs)

    def get_queryset(self):
        if self.stored is not None:
            return self.stored
        return super().get_queryset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django checks a posted id against every decision; only this question's points may be edited here.
        own = Decision.objects.filter(agenda_item=self.instance) if self.instance.pk else Decision.objects.none()
        form.fields[self.model._meta.pk.name].queryset = own
        form.fields["ORDER"].label = "№ пункта"
        form.fields["ORDER"].widget.attrs.update({"class": "form-control form-control-sm", "data-row-order": ""})

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if (form.instance.pk or form.has_changed()) and not self._should_delete_form(form)
        ]
        if not kept:
            raise ValidationError(NO_DECISION)


DecisionFormSet = forms.inlineformset_factory(
    AgendaItem,
    Decision,
    form=DecisionForm,
    formset=BaseDecisionFormSet,
    extra=0,
    min_num=1,
    max_num=limits.DECISION_POINTS,
    validate_max=True,
    can_delete=True,
    can_order=True,  # «№ пункта»: the points moved up or down (static/js/portal.js) keep their new order
)


class CorrectionForm(ModelErrorsMixin, forms.ModelForm):
    """A correction to the signed protocol of ``meeting``: what it corrects (a question of its agenda, or a point of
    a decision with its new wording, or neither: the protocol as a whole), what and why."""

    class Meta:
        model = ProtocolCorrection
        fields = ["agenda_item", "decision", "new_text", "text", "reason"]
        widgets = {
            "new_text": forms.Textarea(attrs={"rows": 3}),
            "text": forms.Textarea(attrs={"rows": 3}),
            "reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"agenda_item": "Исправляемый вопрос", "decision": "Исправляемый пункт решения"}
        help_texts = {
            "agenda_item": (
                "Не выбран — исправление относится к протоколу в целом (например, к списку присутствовавших)."
            ),
            "reason": "Например: «служебная записка секретаря от 20.10.2024».",
        }

    def __init__(self, *args, meeting=None, **kwargs):
        super().__init__(*args, **kwargs)
        items = AgendaItem.objects.filter(meeting=meeting).order_by("order") if meeting else AgendaItem.objects.none()
        decisions = Decision.objects.filter(agenda_item__meeting=meeting) if meeting else Decision.objects.none()
        decisions = decisions.select_related("agenda_item").order_by("agenda_item__order", "order")
        self.fields["agenda_item"].queryset = items
        self.fields["agenda_item"].label_from_instance = lambda item: f"{item.order}. {item.question[:80]}"
        self.fields["decision"].queryset = decisions
        self.fields["decision"].label_from_instance = lambda decision: (
            f"{decision.agenda_item.order}.{decision.order}. {decision.text[:80]}"
        )
