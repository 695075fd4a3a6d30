"""The agenda of a session: questions (СЛУШАЛИ / ВЫСТУПИЛИ), decisions (РЕШИЛИ) and assignments."""

import datetime as dt
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.models import Membership, Teacher
from communities.models.history import audit_trail
from communities.validators import generated_upload_name, validate_material_file
from meetings.models.meetings import Meeting
from meetings.models.signature_lock import SignatureLocked, SignatureLockedQuerySet, signed
from pos_portal import limits
from pos_portal.academic_year import validate_date
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord
from pos_portal.limits import text_validators


class AgendaItem(SignatureLocked):
    FINAL = signed(parent="meeting")

    meeting = models.ForeignKey(Meeting, verbose_name="заседание", on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField("№ вопроса", validators=[MinValueValidator(1)])
    question = models.TextField(
        "вопрос повестки", max_length=limits.QUESTION, validators=text_validators(limits.QUESTION)
    )
    # The speakers (докладчики, then those who spoke) are rows of ``Speaker``; ``heard`` is what the report said.
    heard = models.TextField(
        "СЛУШАЛИ",
        blank=True,
        help_text="Краткое содержание доклада.",
        max_length=limits.HEARD,
        validators=text_validators(limits.HEARD),
    )
    follow_up = models.BooleanField(
        "о выполнении решений",
        default=False,
        editable=False,
        help_text="Вопрос «О выполнении решений предыдущего заседания»: его решение закрывает или продлевает поручения",
    )

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

    def clean(self):
        if self.pk is None and self.meeting_id and self.meeting.agenda.count() >= limits.QUESTIONS:
            raise ValidationError(QUESTIONS_MESSAGE)


QUESTIONS_MESSAGE = limits.count_message(limits.QUESTIONS, "вопросов в повестке одного протокола")
DECISION_POINTS_MESSAGE = limits.count_message(limits.DECISION_POINTS, "пунктов решения по одному вопросу")
ASSIGNMENTS_MESSAGE = limits.count_message(limits.ASSIGNMENTS, "поручений по одному пункту решения")


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
    text = models.TextField(
        "РЕШИЛИ (ПОСТАНОВИЛИ)", max_length=limits.DECISION, validators=text_validators(limits.DECISION)
    )
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
        if self.pk is None and self.agenda_item_id and self.agenda_item.decisions.count() >= limits.DECISION_POINTS:
            raise ValidationError(DECISION_POINTS_MESSAGE)
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


def assignment_report_upload_to(instance, filename):
    return generated_upload_name("assignments", filename)


class AssignmentQuerySet(SignatureLockedQuerySet):
    """Assignments reach the members (their lists, counts, overdue figures, the reports) only once the protocol
    that gave them is signed: every such path starts from ``live``. A draft's assignments are shown only in the
    protocol editor."""

    @staticmethod
    def live_q(prefix: str = "") -> Q:
        """The condition of a live assignment (its protocol signed), for ``Count(..., filter=...)`` annotations and
        filters of a related model (``prefix`` such as ``"assignments__"``)."""
        return Q(**{f"{prefix}decision__agenda_item__meeting__protocol__signed_at__isnull": False})

    def live(self):
        return self.filter(self.live_q())

    def open(self):
        """Live and in work (not reported yet, or returned)."""
        return self.live().filter(status=Assignment.Status.OPEN)

    def under_control(self):
        """Live and not closed: in work or reported and waiting for the leader (what a follow-up question lists)."""
        return self.live().filter(status__in=Assignment.UNDER_CONTROL)

    @staticmethod
    def overdue_q(today: dt.date | None = None) -> Q:
        """The condition of an overdue assignment: live and still in work after its deadline (as of ``today``). The
        rule ``Assignment.is_overdue`` applies to one assignment; this is it for ``Count(..., filter=...)``
        annotations, and a filter of assignments uses ``overdue``."""
        return AssignmentQuerySet.live_q() & Q(
            status=Assignment.Status.OPEN, deadline__lt=today or timezone.localdate()
        )

    def overdue(self, today: dt.date | None = None):
        return self.filter(self.overdue_q(today))


class Assignment(SignatureLocked):
    """An assignment (поручение, regulation 5.1) given by a decision. It is under control once the protocol is
    signed: the responsible member reports (text or a file) → «на проверке»; the leader accepts it («выполнено»)
    or returns it with a comment («в работе» again); the member may withdraw a report not yet accepted; the leader
    may move the deadline with a reason (``DeadlineChange``); a later protocol may close it («снято с контроля»).
    So after signing these fields stay editable, through ``meetings.services.assignments`` only."""

    FINAL = signed(
        parent="decision",
        editable={"status", "done_on", "report", "report_file", "report_file_name", "return_comment", "deadline"},
    )

    class Status(models.TextChoices):
        OPEN = "open", "В работе"
        REVIEW = "review", "На проверке"
        DONE = "done", "Выполнено"
        CANCELLED = "cancelled", "Снято с контроля"

    UNDER_CONTROL = (Status.OPEN, Status.REVIEW)

    decision = models.ForeignKey(Decision, verbose_name="решение", on_delete=models.CASCADE, related_name="assignments")
    text = models.TextField("поручение", max_length=limits.ASSIGNMENT, validators=text_validators(limits.ASSIGNMENT))
    responsible = models.ForeignKey(
        Teacher, verbose_name="ответственный", on_delete=models.PROTECT, related_name="assignments"
    )
    deadline = models.DateField("срок", validators=[validate_date])
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.OPEN)
    done_on = models.DateField("выполнено", null=True, blank=True, validators=[validate_date])
    report = models.TextField(
        "отчёт о выполнении", blank=True, max_length=limits.REPORT, validators=text_validators(limits.REPORT)
    )
    report_file = models.FileField(
        "файл отчёта", upload_to=assignment_report_upload_to, blank=True, validators=[validate_material_file]
    )
    report_file_name = models.CharField("имя файла отчёта", max_length=255, blank=True, editable=False)
    return_comment = models.TextField(
        "замечание руководителя", blank=True, max_length=limits.COMMENT, validators=text_validators(limits.COMMENT)
    )

    objects = AssignmentQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "поручение"
        verbose_name_plural = "поручения"
        ordering = ["deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["open", "cancelled"]) | Q(done_on__isnull=False),
                name="assignment_done_has_date",
                violation_error_message="Укажите дату выполнения.",
            ),
        ]

    def __str__(self):
        return f"{self.text[:80]} — {self.responsible}, до {self.deadline:%d.%m.%Y}"

    @property
    def audit_community_id(self):
        return self.decision.agenda_item.meeting.community_id

    @property
    def meeting(self) -> Meeting:
        return self.decision.agenda_item.meeting

    def is_live(self) -> bool:
        """Its protocol is signed: the rule of ``AssignmentQuerySet.live_q``, for one assignment."""
        protocol = getattr(self.meeting, "protocol", None)
        return protocol is not None and protocol.signed_at is not None

    def is_overdue(self, today: dt.date | None = None) -> bool:
        """Still in work after its deadline: the rule of ``AssignmentQuerySet.overdue_q``, for one (live)
        assignment."""
        return self.status == self.Status.OPEN and self.deadline < (today or timezone.localdate())

    @property
    def has_report(self) -> bool:
        return bool(self.report.strip() or self.report_file)

    def save(self, *args, **kwargs):
        if self.report_file and not self.report_file._committed:
            self.report_file_name = PurePath(self.report_file.name).name[:255]
        super().save(*args, **kwargs)

    def clean(self):
        if self.pk is None and self.decision_id and self.decision.assignments.count() >= limits.ASSIGNMENTS:
            raise ValidationError(ASSIGNMENTS_MESSAGE)
        meeting = self.meeting if self.decision_id else None
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
        if self.status in (self.Status.REVIEW, self.Status.DONE) and not self.done_on:
            raise ValidationError({"done_on": "Укажите дату выполнения."})
        if self.status == self.Status.REVIEW and not self.has_report:
            raise ValidationError({"report": "Напишите, что сделано, или приложите файл отчёта."})
        if self.done_on and self.done_on > timezone.localdate():
            raise ValidationError({"done_on": "Дата выполнения не может быть в будущем."})
        if self.status in (self.Status.OPEN, self.Status.CANCELLED):
            self.done_on = None


DEADLINE_REASON_MESSAGE = "Укажите причину переноса срока."


class DeadlineChange(FinalRecord):
    """A deadline of an assignment moved: by the leader with a reason, or by a later protocol's follow-up decision
    (``protocol``). The history of an assignment's deadlines, never changed nor deleted."""

    FINAL = Final(append_only=True, message="Перенос срока не изменяется и не удаляется.")

    assignment = models.ForeignKey(
        Assignment, verbose_name="поручение", on_delete=models.PROTECT, related_name="deadline_changes"
    )
    old_deadline = models.DateField("прежний срок", validators=[validate_date])
    new_deadline = models.DateField("новый срок", validators=[validate_date])
    reason = models.TextField("причина", max_length=limits.REASON, validators=text_validators(limits.REASON))
    changed_by = models.ForeignKey(
        Teacher, verbose_name="перенёс(ла)", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    protocol = models.ForeignKey(
        "meetings.Protocol",
        verbose_name="по решению протокола",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="deadline_changes",
    )
    changed_at = models.DateTimeField("перенесён", auto_now_add=True)

    objects = FinalQuerySet.as_manager()

    class Meta:
        verbose_name = "перенос срока поручения"
        verbose_name_plural = "переносы сроков поручений"
        ordering = ["assignment", "changed_at", "pk"]

    def __str__(self):
        return f"{self.old_deadline:%d.%m.%Y} → {self.new_deadline:%d.%m.%Y}"

    def clean(self):
        if not self.reason.strip():
            raise ValidationError({"reason": DEADLINE_REASON_MESSAGE})
        if self.new_deadline and self.old_deadline and self.new_deadline == self.old_deadline:
            raise ValidationError({"new_deadline": "Новый срок совпадает с прежним."})
