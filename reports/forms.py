"""Forms of the reports pages."""

from django import forms

from communities.forms.versioned import VersionedFormMixin
from pos_portal import limits
from reports.models import AnnualReport


class AnnualReportForm(VersionedFormMixin, forms.ModelForm):
    """The leader's typed sections of the annual report (``AnnualReport.SECTIONS``, in the document's order): what
    the portal has no data of. Each is limited in length (the model's ``max_length``, refused here in Russian)."""

    class Meta:
        model = AnnualReport
        fields = list(AnnualReport.TEXT_FIELDS)
        labels = dict(AnnualReport.SECTIONS)
        help_texts = {
            "results": "Чего достигло сообщество за год: что освоили, что изменилось в практике членов ПОС.",
            "difficulties": "Что мешало работе, что выполнить не удалось и почему.",
            "proposals": "Что предлагаете на следующий учебный год сообществу и ИОЦ.",
        }
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}


class ReviewForm(forms.Form):
    """The methodist's decision on a submitted report."""

    ACCEPT = "accept"
    RETURN = "return"

    action = forms.ChoiceField(
        label="Решение",
        choices=[(ACCEPT, "Принять"), (RETURN, "Вернуть на доработку")],
        error_messages={"invalid_choice": "Выберите: принять отчёт или вернуть его на доработку."},
    )
    comment = forms.CharField(
        label="Комментарий",
        required=False,
        max_length=limits.COMMENT,
        validators=[limits.NoUnbreakableWords()],
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Обязателен, если отчёт возвращается на доработку: что именно нужно исправить.",
    )
