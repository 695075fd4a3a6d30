"""Forms of the assignment pages: the list filter and the report on an assignment."""

import datetime as dt

from django import forms
from django.utils import timezone

from communities.models import Teacher
from meetings.models import Assignment

STATUS_OPEN = "open"
STATUS_DONE = "done"
STATUS_OVERDUE = "overdue"
STATUS_ALL = "all"
STATUS_CHOICES = [
    (STATUS_OPEN, "В работе"),
    (STATUS_OVERDUE, "Просроченные"),
    (STATUS_DONE, "Выполненные"),
    (STATUS_ALL, "Все"),
]


class AssignmentFilterForm(forms.Form):
    """``?status=open|done|overdue|all`` (open by default) and, on a community's page, ``?responsible=<id>``.
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
        elif status == STATUS_DONE:
            queryset = queryset.filter(status=Assignment.Status.DONE)
        responsible = self.values.get("responsible")
        if responsible is not None:
            queryset = queryset.filter(responsible=responsible)
        return queryset


class AssignmentReportForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["done_on", "report"]
        labels = {"done_on": "Дата выполнения", "report": "Отчёт о выполнении"}
        help_texts = {"report": "Что сделано: кратко, со ссылками на материалы, если они есть."}
        widgets = {
            "done_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "report": forms.Textarea(attrs={"rows": 4}),
        }
