"""The community's regulation (положение о ПОС), added in the portal by its leader or a methodist."""

from django import forms

from communities.models import Regulation

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RegulationForm(forms.ModelForm):
    class Meta:
        model = Regulation
        fields = [
            "title",
            "text",
            "file",
            "recommended_by",
            "recommended_protocol_number",
            "recommended_on",
            "approved_by",
            "approved_order_number",
            "approved_on",
            "effective_from",
        ]
        widgets = {
            "text": forms.Textarea(attrs={"rows": 10}),
            "recommended_on": DATE_INPUT,
            "approved_on": DATE_INPUT,
            "effective_from": DATE_INPUT,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].max_length = None  # the stored name is generated
        self.fields["file"].help_text = "PDF или документ. Можно приложить файл вместо текста или вместе с ним."
        self.fields["text"].help_text = "Текст положения; члены ПОС читают его на странице и отмечают ознакомление."
