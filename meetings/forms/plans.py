"""Sending an annual plan for approval: the protocol of the meeting where it was discussed."""

from django import forms

from communities.models import AnnualPlan
from meetings.models import PlanDiscussion


class ProtocolChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"Протокол № {obj.number} от {obj.meeting.date:%d.%m.%Y}"


class PlanSubmitForm(forms.Form):
    protocol = ProtocolChoiceField(
        label="Протокол заседания, на котором рассмотрен план",
        queryset=PlanDiscussion.objects.none(),
        empty_label=None,
        help_text="Подписанные протоколы заседаний ПОС этого и прошлого учебного года.",
    )

    def __init__(self, *args, plan: AnnualPlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["protocol"].queryset = PlanDiscussion.protocols_for(plan)
        current = PlanDiscussion.objects.filter(plan=plan).values_list("protocol_id", flat=True).first()
        if current and not self.is_bound:
            self.initial["protocol"] = current
