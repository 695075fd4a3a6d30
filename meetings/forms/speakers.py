"""The speakers of a question as a formset: one row per speaker, a member of the community or an outside person.
Reusable wherever a question is edited (the question's page; the meeting page may embed the same formset with its
partial ``meetings/partials/speakers_formset.html``)."""

from django import forms

from communities.models import Teacher
from meetings.forms.meetings import ModelErrorsMixin
from meetings.models import AgendaItem, Speaker
from pos_portal import limits


class SpeakerForm(ModelErrorsMixin, forms.ModelForm):
    teacher = forms.ModelChoiceField(
        label="Член ПОС", queryset=Teacher.objects.none(), required=False, help_text="Член ПОС на дату заседания."
    )

    class Meta:
        model = Speaker
        fields = ["part", "teacher", "full_name", "position", "organization", "text"]
        labels = {"full_name": "или ФИО не из ПОС", "position": "Должность", "organization": "Организация"}
        help_texts = {"full_name": "Фамилия Имя Отчество приглашённого (например, заместителя директора)."}
        widgets = {"text": forms.Textarea(attrs={"rows": 2}), "part": forms.RadioSelect}

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        members.limit(self.fields["teacher"])


class BaseSpeakerFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Only this question's speakers may be edited here, whatever id is posted.
        own = Speaker.objects.filter(agenda_item=self.instance) if self.instance.pk else Speaker.objects.none()
        form.fields[self.model._meta.pk.name].queryset = own

    def changes(self) -> list[tuple[Speaker, bool]]:
        """(speaker, delete) for every row to save or delete, in the order of the rows; blank new rows are left out."""
        rows = []
        for form in self.forms:
            delete = self._should_delete_form(form)
            if form.instance.pk is None and (delete or not form.has_changed()):
                continue
            rows.append((form.instance, delete))
        return rows


SpeakerFormSet = forms.inlineformset_factory(
    AgendaItem,
    Speaker,
    form=SpeakerForm,
    formset=BaseSpeakerFormSet,
    fields=SpeakerForm.Meta.fields,
    extra=1,
    max_num=limits.SPEAKERS,
    validate_max=True,
    can_delete=True,
)


def speaker_formset(data, *, item: AgendaItem, members, prefix: str = "speakers") -> BaseSpeakerFormSet:
    """The speakers' formset of ``item`` (prefix ``speakers``; on the meeting page the question's own), its
    members' choices limited to ``members``."""
    return SpeakerFormSet(
        data,
        instance=item,
        prefix=prefix,
        queryset=Speaker.objects.select_related("teacher").order_by("order"),
        form_kwargs={"members": members},
    )
