"""The agenda of a session: questions (СЛУШАЛИ / ВЫСТУПИЛИ), decisions (РЕШИЛИ) and assignments."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.models import Membership, Teacher
from communities.models.history import audit_trail
from meetings.models.meetings import Meeting
from meetings.models.signature_lock import SignatureLocked, SignatureLockedQuerySet, signed


class AgendaItem(SignatureLocked):
    FINAL = signed(parent="meeting")

    meeting = models.ForeignKey(Meeting, verbose_name="заседание", on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("№ вопроса", validators=[MinValueValidator(1)])
    question = models.TextField("вопрос повестки")
    # The speakers (докладчики, then those who spoke) are rows of ``Speaker``; ``heard`` is what the report said.
    heard = models.TextField("СЛУШАЛИ", blank=True, help_text="Краткое содержание доклада.")

    history = audit_trail()

    class Meta:
        verbose_name = "вопрос повестки"
        verbose_name_plural = "повестка дня"
        ordering = ["meeting", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"],
                name="agenda_item_unique_order",
                violation_error_message="Вопрос с таким номером уже есть в повестке.",
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="agenda_item_order_positive"),
        ]

    def __str__(self):
        return f"{self.order}. {self.question[:80]}"

    @property
    def audit_community_id(self):
        return self.meeting.community_id


class Decision(SignatureLocked):
    FINAL = signed(parent="agenda_item")

    class Vote(models.TextChoices):
        """How a decision was taken. «Единогласно» needs no numbers: all present voted for it (the protocol prints
        «за – N (единогласно), против – 0, воздержались – 0» with N the number present); «голосовали» keeps the
        three numbers as counted; «без голосования» («принять к сведению») prints no vote line."""

        UNANIMOUS = "unanimous", "единогласно"
        COUNTED = "counted", "голосовали"
        NONE = "none", "без голосования"

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name="вопрос", on_delete=models.CASCADE, related_name="decisions"
    )
    order = models.PositiveSmallIntegerField("№ пункта", default=1, validators=[MinValueValidator(1)])
    text = models.TextField("РЕШИЛИ (ПОСТАНОВИЛИ)")
    vote = models.CharField("голосование", max_length=10, choices=Vote.choices, default=Vote.UNANIMOUS)
    votes_for = models.PositiveSmallIntegerField("за", null=True, blank=True)
    votes_against = models.PositiveSmallIntegerField("против", null=True, blank=True)
    votes_abstained = models.PositiveSmallIntegerField("воздержались", null=True, blank=True)

    history = audit_trail()

    class Meta:
        verbose_name = "решение"
        verbose_name_plural = "решения"
        ordering = ["agenda_item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "order"],
                name="decision_unique_order",
                violation_error_message="Пункт решения с таким номером уже есть.",
            ),
        ]

    def __str__(self):
        return f"{self.number}. {self.text[:80]}"

    @property
    def audit_community_id(self):
        return self.agenda_item.meeting.community_id

    @property
    def number(self) -> str:
        """«1.2»: the question's number, then the point's."""
        return f"{self.agenda_item.order}.{self.order}"

    @property
    def has_votes(self) -> bool:
        return any(v is not None for v in (self.votes_for, self.votes_against, self.votes_abstained))

    @property
    def votes_total(self) -> int:
        """The votes counted («голосовали»): for, against and abstained together."""
        return sum(v or 0 for v in (self.votes_for, self.votes_against, self.votes_abstained))

    def clean(self):
        if self.vote != self.Vote.COUNTED:
            # Only «голосовали» has numbers; «единогласно» takes the number present when printed.
            self.votes_for = self.votes_against = self.votes_abstained = None
            return
        if self.votes_for is None:
            raise ValidationError({"votes_for": "Укажите, сколько голосовали «за»."})
        self.votes_against = self.votes_against or 0
        self.votes_abstained = self.votes_abstained or 0
        item = getattr(self, "agenda_item", None)  # a new question's decision has its (unsaved) question
        present = item.meeting.present_count() if item is not None and item.meeting_id else None
        if present is not None and self.votes_total > present:
            raise ValidationError(votes_exceed_present(self.votes_total, present))


def votes_exceed_present(total: int, present: int) -> str:
    return f"Голосов ({total}) больше, чем присутствовало на заседании ({present}): проверьте подсчёт."


class AssignmentQuerySet(SignatureLockedQuerySet):
    def open(self):
        return self.filter(status=Assignment.Status.OPEN)

    @staticmethod
    def overdue_q(today: dt.date | None = None) -> Q:
        """The condition of an overdue assignment: still open after its deadline (as of ``today``). The rule
        ``Assignment.is_overdue`` applies to one assignment; this is it for ``Count(..., filter=...)``
        annotations, and a filter of assignments uses ``overdue``."""
        return Q(status=Assignment.Status.OPEN, deadline__lt=today or timezone.localdate())

    def overdue(self, today: dt.date | None = None):
        return self.filter(self.overdue_q(today))


class Assignment(SignatureLocked):
    """An assignment (поручение, regulation 5.1) given by a decision. After signing, the
    responsible member still reports on it: status, done_on and report stay editable."""

    FINAL = signed(parent="decision", editable={"status", "done_on", "report"})

    class Status(models.TextChoices):
        OPEN = "open", "В работе"
        DONE = "done", "Выполнено"

    decision = models.ForeignKey(Decision, verbose_name="решение", on_delete=models.CASCADE, related_name="assignments")
    text = models.TextField("поручение")
    responsible = models.ForeignKey(
        Teacher, verbose_name="ответственный", on_delete=models.PROTECT, related_name="assignments"
    )
    deadline = models.DateField("срок")
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField("выполнено", null=True, blank=True)
    report = models.TextField("отчёт о выполнении", blank=True)

    objects = AssignmentQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="open") | Q(done_on__isnull=False),
                name="assignment_done_has_date",
                violation_error_message="Укажите дату выполнения.",
            ),
        ]

    def __str__(self):
        return f"{self.text[:80]} — {self.responsible}, до {self.deadline:%d.%m.%Y}"

    @property
    def audit_community_id(self):
        return self.decision.agenda_item.meeting.community_id

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Still open after its deadline: the rule of ``AssignmentQuerySet.overdue_q``, for one assignment."""
        return self.status == self.Status.OPEN and self.deadline < (today or timezone.localdate())

    def clean(self):
        meeting = self.decision.agenda_item.meeting if self.decision_id else None
        if (
            meeting is not None
            and self.responsible_id
            and (
                not Membership.objects.active_on(meeting.date)
                .filter(community_id=meeting.community_id, teacher_id=self.responsible_id)
                .exists()
            )
        ):
            raise ValidationError({"responsible": "Ответственным может быть только член ПОС на дату заседания."})
        if meeting is not None and self.done_on and self.done_on < meeting.date:
            raise ValidationError({"done_on": "Поручение не может быть выполнено раньше заседания, на котором дано."})
        if self.status == self.Status.DONE and not self.done_on:
            raise ValidationError({"done_on": "Укажите дату выполнения."})
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
        if self.status == self.Status.OPEN:
            self.done_on = None
