"""Meetings of a community (заседания and the other forms of regulation 3.2) and who attended."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce, Length
from django.utils import timezone

from communities.activity import SESSION_FORMS, ActivityForm, grouped_choices
from communities.models import Community, Membership, PlanItem, Teacher
from communities.models.history import audit_trail
from communities.models.versioned import VersionedModel
from meetings.models.signature_lock import SignatureLocked, SignatureLockedQuerySet, signed
from pos_portal import limits
from pos_portal.academic_year import AcademicYear, date_in_range, validate_date
from pos_portal.limits import NoUnbreakableWords


class MeetingQuerySet(SignatureLockedQuerySet):
    def held(self):
        return self.filter(status=Meeting.Status.HELD)

    def planned(self):
        return self.filter(status=Meeting.Status.PLANNED)

    @staticmethod
    def not_marked_q(today: dt.date) -> Q:
        """«Не отмечено»: planned, and the date has passed without the meeting being marked held or cancelled
        (the same rule as ``Meeting.outcome_missing`` for one meeting)."""
        return Q(status=Meeting.Status.PLANNED, date__lt=today)

    def in_year(self, year: AcademicYear):
        return self.filter(date__range=(year.start, year.end))

    def sessions(self):
        """Meetings of the forms that count as sessions under regulation 4.2."""
        return self.filter(form__in=SESSION_FORMS)

    @staticmethod
    def session_held_q() -> Q:
        """The condition a meeting meets to count as a session of regulation 4.2: held, of a form that counts
        (``communities.activity``) and with a signed protocol. For ``Count(..., filter=...)`` annotations;
        a filter of meetings uses ``sessions_held_in``."""
        return Q(status=Meeting.Status.HELD, form__in=SESSION_FORMS, protocol__signed_at__isnull=False)

    @staticmethod
    def session_unsigned_q() -> Q:
        """A held meeting of a counting form whose protocol is missing or not signed yet: it does not count as a
        session until its protocol is signed (``session_held_q``). For ``Count(..., filter=...)`` annotations:
        compliance's ``held_unsigned`` and the annual report's ``sessions_unsigned``."""
        return Q(status=Meeting.Status.HELD, form__in=SESSION_FORMS) & ~Q(protocol__signed_at__isnull=False)

    @staticmethod
    def protocol_late_q(today: dt.date) -> Q:
        """«Протокол просрочен»: a held meeting whose protocol is not signed (a draft, or — for a form that counts
        as a session — no protocol at all) more than ``settings.PROTOCOL_DUE_DAYS`` days after the meeting date.
        On day N after the meeting it is not late yet; on day N + 1 it is. For ``Count(..., filter=...)``
        annotations (compliance's ``late_protocols``); a filter of meetings uses ``protocol_late``."""
        needs_protocol = Q(form__in=SESSION_FORMS) | Q(protocol__isnull=False)
        return (
            Q(status=Meeting.Status.HELD, date__lt=today - dt.timedelta(days=protocol_due_days()))
            & needs_protocol
            & ~Q(protocol__signed_at__isnull=False)
        )

    def protocol_late(self, today: dt.date):
        """The meetings whose protocol is late on ``today`` (``protocol_late_q``)."""
        return self.filter(self.protocol_late_q(today))

    def sessions_held_in(self, year: AcademicYear):
        """The sessions of regulation 4.2 held in ``year``: held, of a counting form, dated in the year, with a
        signed protocol. The one definition that compliance, the annual report and the dashboard count; the
        number a community needs is ``communities.activity.required_sessions``."""
        return self.in_year(year).filter(self.session_held_q())


def protocol_due_days() -> int:
    """Days after the meeting by which its protocol is signed (``settings.PROTOCOL_DUE_DAYS``, default 5): the
    only read of the setting."""
    return settings.PROTOCOL_DUE_DAYS


class Meeting(VersionedModel, SignatureLocked):
    FINAL = signed(
        when="EXISTS (SELECT 1 FROM meetings_protocol p WHERE p.meeting_id = {row}.id AND p.signed_at IS NOT NULL)"
    )

    class Status(models.TextChoices):
        PLANNED = "planned", "Запланировано"
        HELD = "held", "Проведено"
        CANCELLED = "cancelled", "Отменено"

    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.PROTECT, related_name="meetings")
    plan_item = models.OneToOneField(
        PlanItem,
        verbose_name="мероприятие плана",
        # PROTECT: an event that a meeting fulfilled stays in the plan (and a signed meeting
        # could not be updated to drop the link anyway).
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting",
    )
    form = models.CharField("форма работы", max_length=30, choices=grouped_choices(), default=ActivityForm.SESSION)
    date = models.DateField("дата", validators=[validate_date])
    time = models.TimeField("время", null=True, blank=True)
    place = models.CharField(
        "место проведения", max_length=limits.MEETING_PLACE, blank=True, validators=[NoUnbreakableWords()]
    )
    online_link = models.URLField("ссылка на онлайн-встречу", blank=True)
    topic = models.CharField("тема", max_length=limits.MEETING_TOPIC, validators=[NoUnbreakableWords()])
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.PLANNED)
    cancel_reason = models.CharField(
        "причина отмены", max_length=limits.CANCEL_REASON, blank=True, validators=[NoUnbreakableWords()]
    )
    # Set when the leader saves the attendance (``meetings.services.meeting_attendance_save``, or the admin's
    # attendance rows): the prefilled «everyone present» is not a confirmation, and an unconfirmed protocol is not
    # signed (``Protocol.signing_problems``).
    attendance_confirmed_at = models.DateTimeField("присутствие подтверждено", null=True, blank=True, editable=False)
    attendance_confirmed_by = models.ForeignKey(
        Teacher,
        verbose_name="присутствие подтвердил(а)",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField("создано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    objects = MeetingQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "заседание (мероприятие)"
        verbose_name_plural = "заседания и мероприятия"
        ordering = ["-date", "-time", "-pk"]
        indexes = [models.Index(fields=["community", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="meeting_cancelled_has_reason",
                violation_error_message="Укажите причину отмены.",
            ),
        ]

    def __str__(self):
        return f"{self.get_form_display()} {self.date:%d.%m.%Y}: {self.topic}"

    @property
    def audit_community_id(self):
        return self.community_id

    @property
    def kind(self):
        return ActivityForm(self.form).kind

    @property
    def counts_as_session(self) -> bool:
        return ActivityForm(self.form).counts_as_session

    @property
    def academic_year(self) -> AcademicYear:
        return AcademicYear.of(self.date)

    @property
    def protocol_due_date(self) -> dt.date:
        """The last day the protocol is on time: the meeting date + ``PROTOCOL_DUE_DAYS``."""
        return self.date + dt.timedelta(days=protocol_due_days())

    def protocol_days_late(self, today: dt.date) -> int:
        """Days the protocol is late on ``today`` (0 when it is not late): the same rule as ``protocol_late_q``."""
        if self.status != self.Status.HELD:
            return 0
        protocol = getattr(self, "protocol", None)
        if protocol is not None and protocol.signed_at is not None:
            return 0
        if protocol is None and not self.counts_as_session:
            return 0
        return max(0, (today - self.protocol_due_date).days)

    def protocol_is_late(self, today: dt.date) -> bool:
        return self.protocol_days_late(today) > 0

    @staticmethod
    def outcome_missing(status: str, day: dt.date | None, today: dt.date) -> bool:
        """A meeting left «запланировано» after its date: it is to be marked held or cancelled
        (``MeetingQuerySet.not_marked_q`` counts them)."""
        return status == Meeting.Status.PLANNED and day is not None and day < today

    def next_question_order(self) -> int:
        """The number a question added to this meeting's agenda takes: after the last one."""
        return (self.agenda.aggregate(last=models.Max("order"))["last"] or 0) + 1

    def members_on_date(self):
        """The teachers who were members of the community on the meeting date."""
        return Teacher.objects.members_of(self.community_id, self.date)

    def present_ids(self) -> set[int] | None:
        """The teachers marked present, or None while no attendance is recorded (the prefetched rows when the
        meeting has them, else one query). The one reading of «who was present» that signing checks use."""
        if "attendance" in getattr(self, "_prefetched_objects_cache", {}):
            rows = [(row.teacher_id, row.present) for row in self.attendance.all()]
        else:
            rows = list(self.attendance.values_list("teacher_id", "present"))
        return {teacher_id for teacher_id, present in rows if present} if rows else None

    def present_count(self) -> int | None:
        """How many were marked present, or None while no attendance is recorded."""
        present = self.present_ids()
        return None if present is None else len(present)

    def attendance_confirm(self, by: Teacher | None) -> None:
        """Record that the attendance was confirmed now by ``by`` (None: a Department administrator without a teacher
        profile, in the admin). Saves only these fields (and is kept in the meeting's history)."""
        self.attendance_confirmed_at = timezone.now()
        self.attendance_confirmed_by = by
        self.save(update_fields=["attendance_confirmed_at", "attendance_confirmed_by", "updated_at"])

    def protocol_text_length(self) -> int:
        """The characters of the protocol's text: its questions, СЛУШАЛИ, ВЫСТУПИЛИ and decisions (three sums)."""
        from meetings.models import Decision, Speaker

        items = self.agenda.aggregate(n=Coalesce(Sum(Length("question") + Length("heard")), 0))["n"]
        speeches = Speaker.objects.filter(agenda_item__meeting=self).aggregate(n=Coalesce(Sum(Length("text")), 0))
        decisions = Decision.objects.filter(agenda_item__meeting=self).aggregate(n=Coalesce(Sum(Length("text")), 0))
        return items + speeches["n"] + decisions["n"]

    def check_protocol_text(self) -> None:
        """The protocol's text as a whole is at most ``limits.PROTOCOL_TEXT`` characters (each text has its own
        maximum too): called by every write of a question (``meetings.services``, the admin) after its rows are
        saved, inside the transaction, so that a refusal undoes them."""
        length = self.protocol_text_length()
        if length > limits.PROTOCOL_TEXT:
            raise ValidationError(protocol_text_message(length))

    def clean(self):
        errors = {}
        # A date out of range is reported by its field's validator; nothing is derived from it here.
        if date_in_range(self.date):
            if self.community_id and self.date < self.community.founded_on:
                errors["date"] = (
                    f"Сообщество создано {self.community.founded_on:%d.%m.%Y}: заседание не может быть раньше."
                )
            elif self.status == self.Status.HELD and self.date > timezone.localdate():
                errors["date"] = "Заседание не может быть проведено в будущем: проверьте дату или статус."
            if self.plan_item_id:
                plan = self.plan_item.plan
                if plan.community_id != self.community_id:
                    errors["plan_item"] = "Мероприятие относится к плану другого сообщества."
                elif self.date not in plan.academic_year:
                    errors["date"] = f"Дата заседания должна входить в {plan.academic_year} учебный год плана."
            protocol = getattr(self, "protocol", None) if self.pk else None
            if protocol is not None:
                if self.status != self.Status.HELD:
                    errors["status"] = "У заседания есть протокол: оно должно оставаться проведённым."
                if self.community_id != protocol.community_id:
                    errors["community"] = "У заседания есть протокол: перенести его в другое сообщество нельзя."
                if AcademicYear.of(self.date) != protocol.academic_year:
                    errors["date"] = "У заседания есть протокол этого учебного года: перенести его в другой год нельзя."
        if self.pk and date_in_range(self.date) and not errors:
            stored_date = Meeting.objects.filter(pk=self.pk).values_list("date", flat=True).first()
            if stored_date and stored_date != self.date:
                members = Membership.objects.active_on(self.date).filter(community_id=self.community_id)
                strangers = self.attendance.exclude(teacher__in=members.values("teacher_id")).select_related("teacher")
                names = ", ".join(row.teacher.short_name for row in strangers[:5])
                if names:
                    errors["date"] = f"На {self.date:%d.%m.%Y} не были членами ПОС отмеченные на заседании: {names}."
        if self.status == self.Status.CANCELLED and not self.cancel_reason.strip():
            errors["cancel_reason"] = "Укажите причину отмены."
        if errors:
            raise ValidationError(errors)


def protocol_text_message(length: int) -> str:
    return (
        f"Текст протокола — не более {limits.characters(limits.PROTOCOL_TEXT)} (вопросы, СЛУШАЛИ, ВЫСТУПИЛИ и "
        f"решения вместе), а в нём было бы {length}. Сократите тексты вопросов."
    )


class Attendance(SignatureLocked):
    FINAL = signed(parent="meeting")

    meeting = models.ForeignKey(Meeting, verbose_name="заседание", on_delete=models.CASCADE, related_name="attendance")
    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.PROTECT, related_name="attendance")
    present = models.BooleanField("присутствовал(а)", default=True)
    absence_reason = models.CharField(
        "причина отсутствия", max_length=limits.ABSENCE_REASON, blank=True, validators=[NoUnbreakableWords()]
    )

    history = audit_trail()

    class Meta:
        verbose_name = "присутствие"
        verbose_name_plural = "присутствие"
        ordering = ["meeting", "teacher__surname", "teacher__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "teacher"],
                name="attendance_once_per_teacher",
                violation_error_message="Этот педагог уже отмечен на заседании.",
            ),
        ]

    def __str__(self):
        return f"{self.teacher}: {'присутствовал(а)' if self.present else 'отсутствовал(а)'}"

    @property
    def audit_community_id(self):
        return self.meeting.community_id

    def clean(self):
        if not (self.meeting_id and self.teacher_id):
            return
        meeting = self.meeting
        if not (
            Membership.objects.active_on(meeting.date)
            .filter(community_id=meeting.community_id, teacher_id=self.teacher_id)
            .exists()
        ):
            raise ValidationError(
                {
                    "teacher": f"{self.teacher} не был(а) членом ПОС на {meeting.date:%d.%m.%Y}. "
                    "Гостей добавляйте в список приглашённых."
                }
            )
        if self.present and self.absence_reason:
            self.absence_reason = ""


class Guest(SignatureLocked):
    """An invited guest (приглашённый): not a member, so not in the attendance list."""

    FINAL = signed(parent="meeting")

    meeting = models.ForeignKey(Meeting, verbose_name="заседание", on_delete=models.CASCADE, related_name="guests")
    full_name = models.CharField("ФИО", max_length=limits.PERSON_NAME, validators=[NoUnbreakableWords()])
    position = models.CharField("должность", max_length=limits.POSITION, blank=True, validators=[NoUnbreakableWords()])
    organization = models.CharField(
        "организация", max_length=limits.ORGANIZATION, blank=True, validators=[NoUnbreakableWords()]
    )

    history = audit_trail()

    class Meta:
        verbose_name = "приглашённый"
        verbose_name_plural = "приглашённые"
        ordering = ["meeting", "full_name"]

    def __str__(self):
        return self.full_name

    @property
    def audit_community_id(self):
        return self.meeting.community_id

    def clean(self):
        if self.pk is None and self.meeting_id and self.meeting.guests.count() >= limits.GUESTS:
            raise ValidationError(limits.count_message(limits.GUESTS, "приглашённых на одно заседание"))
