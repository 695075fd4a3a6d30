"""Forms of the assignment pages: the list filter, the report on an assignment, the leader's review and deadline
move, and the outcomes of a follow-up question."""

import datetime as dt

from django import forms
from django.utils import timezone

from communities.models import Teacher
from meetings.models import Assignment, FollowUp
from meetings.models.agenda import DEADLINE_REASON_MESSAGE
from meetings.services.assignments import RETURN_COMMENT_MESSAGE
from pos_portal import limits

STATUS_OPEN = "open"
STATUS_REVIEW = "review"
STATUS_DONE = "done"
STATUS_CANCELLED = "cancelled"
STATUS_OVERDUE = "overdue"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, "В работе"),
    (STATUS_OVERDUE, "Просроченные"),
    (STATUS_REVIEW, "На проверке"),
    (STATUS_DONE, "Выполненные"),
    (STATUS_CANCELLED, "Снятые с контроля"),
    (STATUS_ALL, "Все"),
]


class AssignmentFilterForm(forms.Form):
    """``?status=open|overdue|review|done|cancelled|all`` (open by default; the lists are of live assignments)
    and, on a community's page, ``?responsible=<id>``.
    A value that is not one of the choices is shown as an error and ignored."""

    status = forms.ChoiceField(label="Статус", choices=STATUS_CHOICES, required=False)
    responsible = forms.ModelChoiceField(
        label="Ответственный",
        queryset=Teacher.objects.none(),
        required=False,
        empty_label="все",
        error_messages={"invalid_choice": "Такого ответственного в списке нет."},
    )

    def __init__(self, *args, responsibles=None, **kwargs):
        super().__init__(*args, **kwargs)
        if responsibles is None:
            del self.fields["responsible"]
        else:
            self.fields["responsible"].queryset = responsibles

    @property
    def values(self) -> dict:
        """The valid part of what was asked (an unbound form asks for nothing)."""
        if not self.is_bound:
            return {}
        self.is_valid()  # validates once; the errors are shown, the valid fields still apply
        return self.cleaned_data

    @property
    def status_value(self) -> str:
        return self.values.get("status") or STATUS_OPEN

    def apply(self, queryset, today: dt.date | None = None):
        today = today or timezone.localdate()
        status = self.status_value
        if status == STATUS_OPEN:
            queryset = queryset.open()
        elif status == STATUS_OVERDUE:
            queryset = queryset.overdue(today)
        elif status in (STATUS_REVIEW, STATUS_DONE, STATUS_CANCELLED):
            queryset = queryset.live().filter(status=status)
        else:
            queryset = queryset.live()
        responsible = self.values.get("responsible")
        if responsible is not None:
            queryset = queryset.filter(responsible=responsible)
        return queryset


class AssignmentReportForm(forms.ModelForm):
    """What was done: text, a file (checked like a material's: ``validate_material_file``), or both."""

    class Meta:
        model = Assignment
        fields = ["done_on", "report", "report_file"]
        labels = {"done_on": "Дата выполнения", "report": "Отчёт о выполнении", "report_file": "Файл отчёта"}
        help_texts = {
            "report": "Что сделано: кратко, со ссылками на материалы, если они есть.",
            "report_file": "Необязательно, если отчёт написан текстом: документ, презентация или фото.",
        }
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report": forms.Textarea(attrs={"rows": 4}),
        }

    def _post_clean(self):
        # The rules are the service's (``assignment_report`` runs ``Assignment.clean``), on a fresh copy: the
        # form only checks its fields, so the instance is not validated here in a state it is not yet in.
        pass

    @property
    def report_file_value(self):
        """For ``assignment_report``: a new upload, False to remove the attached file, None to keep it."""
        value = self.cleaned_data.get("report_file")
        if value is False or (value is not None and not getattr(value, "_committed", False)):
            return value
        return None


class AssignmentReturnForm(forms.Form):
    comment = forms.CharField(
        label="Замечание",
        max_length=limits.COMMENT,
        validators=[limits.NoUnbreakableWords()],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Что нужно доделать: ответственный увидит это замечание.",
        error_messages={"required": RETURN_COMMENT_MESSAGE},
    )


class DeadlineMoveForm(forms.Form):
    new_deadline = forms.DateField(
        label="Новый срок",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Укажите новый срок.", "invalid": "Укажите дату."},
    )
    reason = forms.CharField(
        label="Причина переноса",
        max_length=limits.REASON,
        validators=[limits.NoUnbreakableWords()],
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": DEADLINE_REASON_MESSAGE},
    )


class FollowUpRowForm(forms.ModelForm):
    """One assignment of a follow-up question: what the meeting decided about it."""

    class Meta:
        model = FollowUp
        fields = ["outcome", "new_deadline"]
        widgets = {"new_deadline": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}


FollowUpFormSet = forms.modelformset_factory(FollowUp, form=FollowUpRowForm, extra=0, can_delete=False)
