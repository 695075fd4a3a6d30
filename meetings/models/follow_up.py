"""The follow-up of earlier decisions: the question «О выполнении решений предыдущего заседания» lists the
assignments of earlier signed protocols still under control, and its decision says, per assignment, what became of
it. The statuses follow when this protocol is signed (``meetings.services.assignments.follow_ups_apply``)."""

from django.core.exceptions import ValidationError
from django.db import models

from communities.models.history import audit_trail
from meetings.models.agenda import AgendaItem, Assignment
from meetings.models.signature_lock import SignatureLocked, signed
from pos_portal.academic_year import validate_date

FOLLOW_UP_QUESTION = "О выполнении решений предыдущего заседания"


class FollowUp(SignatureLocked):
    FINAL = signed(parent="agenda_item")

    class Outcome(models.TextChoices):
        PENDING = "", "остаётся на контроле"
        DONE = "done", "выполнено"
        EXTEND = "extend", "продлить срок"
        CANCEL = "cancel", "снять с контроля"

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name="вопрос", on_delete=models.CASCADE, related_name="follow_ups"
    )
    assignment = models.ForeignKey(
        Assignment, verbose_name="поручение", on_delete=models.PROTECT, related_name="follow_ups"
    )
    outcome = models.CharField("решение", max_length=10, choices=Outcome.choices, default=Outcome.PENDING, blank=True)
    new_deadline = models.DateField("продлить до", null=True, blank=True, validators=[validate_date])

    history = audit_trail()

    class Meta:
        verbose_name = "контроль исполнения поручения"
        verbose_name_plural = "контроль исполнения поручений"
        ordering = ["agenda_item", "assignment__deadline", "assignment__pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "assignment"],
                name="follow_up_unique_assignment",
                violation_error_message="Это поручение уже есть в вопросе.",
            ),
        ]

    def __str__(self):
        return f"{self.assignment} — {self.get_outcome_display()}"

    @property
    def audit_community_id(self):
        return self.agenda_item.meeting.community_id

    def clean(self):
        if self.outcome != self.Outcome.EXTEND:
            self.new_deadline = None
            return
        if self.new_deadline is None:
            raise ValidationError({"new_deadline": "Укажите, до какой даты продлить срок."})
        if self.assignment_id and self.new_deadline <= self.assignment.deadline:
            raise ValidationError({"new_deadline": "Новый срок должен быть позже прежнего."})
        if self.agenda_item_id and self.new_deadline < self.agenda_item.meeting.date:
            raise ValidationError({"new_deadline": "Новый срок не может быть раньше заседания."})
