"""The protocol (протокол заседания): numbered within the community's academic year, signed by
the community's leader on the day of signing (the successor, after a change of leader, signs a protocol left
unsigned), and from then on never changed (see signature_lock)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities.models import Community, Membership, Teacher
from communities.models.history import audit_trail
from meetings.models.agenda import Decision, votes_exceed_present
from meetings.models.meetings import Meeting
from meetings.models.signature_lock import SignatureLocked, SignatureLockedQuerySet, SignedProtocolError, signed
from meetings.models.speakers import Speaker
from pos_portal.academic_year import AcademicYear, AcademicYearField
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord

NOT_THE_LEADER_MESSAGE = "Подписать протокол может только действующий руководитель ПОС."
NUMBER_GAP_MESSAGE = "Удалить можно только последний по номеру протокол учебного года, иначе в нумерации будет пропуск."


class ProtocolQuerySet(SignatureLockedQuerySet):
    def signed(self):
        return self.filter(signed_at__isnull=False)

    def drafts(self):
        return self.filter(signed_at__isnull=True)

    def in_year(self, year: AcademicYear):
        return self.filter(academic_year=year)

    def delete(self):
        # Numbers run without gaps: a draft may go only if no later protocol of its sequence stays.
        later_kept = Protocol.objects.filter(
            community_id=OuterRef("community_id"),
            academic_year=OuterRef("academic_year"),
            number__gt=OuterRef("number"),
        ).exclude(pk__in=self.values("pk"))
        if self.filter(Exists(later_kept)).exists():
            raise ValidationError(NUMBER_GAP_MESSAGE)
        return super().delete()

    delete.queryset_only = True


class Protocol(SignatureLocked):
    FINAL = signed(when="{row}.signed_at IS NOT NULL")

    meeting = models.OneToOneField(Meeting, verbose_name="заседание", on_delete=models.PROTECT, related_name="protocol")
    # Copied from the meeting at creation (and checked in clean) so that numbering can be a constraint.
    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.PROTECT, related_name="protocols")
    academic_year = AcademicYearField("учебный год")
    number = models.PositiveIntegerField("№")
    place = models.CharField("место составления", max_length=200, default="г. Тутаев")
    chair = models.ForeignKey(
        Teacher,
        verbose_name="председательствующий",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="chaired_protocols",
    )
    secretary = models.ForeignKey(
        Teacher,
        verbose_name="секретарь",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recorded_protocols",
    )
    attachments = models.TextField("приложения", blank=True)
    signed_by = models.ForeignKey(
        Teacher,
        verbose_name="подписал",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_protocols",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = ProtocolQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "протокол"
        verbose_name_plural = "протоколы"
        ordering = ["community", "-academic_year", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "academic_year", "number"],
                name="protocol_unique_number_in_year",
                violation_error_message="Протокол с таким номером в этом учебном году уже есть.",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="protocol_number_positive"),
            models.CheckConstraint(
                condition=Q(signed_at__isnull=True, signed_by__isnull=True)
                | Q(signed_at__isnull=False, signed_by__isnull=False),
                name="protocol_signature_complete",
                violation_error_message="У подписанного протокола должны быть подписант и время подписи.",
            ),
        ]

    def __str__(self):
        return f"Протокол № {self.number} от {self.meeting.date:%d.%m.%Y} ({self.community})"

    @staticmethod
    def officers_on(community: Community, day) -> tuple[Teacher | None, Teacher | None]:
        """Who chairs and who keeps the minutes of a meeting on ``day``, as prefilled: the leader on that day and the
        member with the secretary's role (``Membership.Role.SECRETARY``) on that day, if any."""
        chair = community.leader_on(day)
        secretary = (
            Membership.objects.active_on(day)
            .filter(community=community, role=Membership.Role.SECRETARY)
            .exclude(teacher=chair)
            .select_related("teacher")
            .order_by("joined_on", "pk")
            .first()
        )
        return chair, secretary.teacher if secretary else None

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None

    @property
    def audit_community_id(self):
        return self.community_id

    def delete(self, *args, **kwargs):
        if self.is_locked():
            raise SignedProtocolError()
        later = Protocol.objects.filter(
            community_id=self.community_id, academic_year=self.academic_year, number__gt=self.number
        )
        if later.exists():
            raise ValidationError(NUMBER_GAP_MESSAGE)
        return super().delete(*args, **kwargs)

    def clean(self):
        if not self.meeting_id:
            return
        meeting = self.meeting
        # Not field errors: forms that edit a protocol do not show these fields.
        if self.community_id and self.community_id != meeting.community_id:
            raise ValidationError("Протокол относится к сообществу своего заседания.")
        if self.academic_year and self.academic_year != AcademicYear.of(meeting.date):
            raise ValidationError("Учебный год протокола — год даты заседания.")
        if meeting.status != Meeting.Status.HELD:
            raise ValidationError("Протокол составляется только для проведённого заседания.")
        if self.chair_id and self.secretary_id and self.chair_id == self.secretary_id:
            raise ValidationError({"secretary": "Председательствующий и секретарь — разные люди."})

    def signing_problems(self, teacher: Teacher | None) -> list[str]:
        """What stops ``teacher`` from signing this protocol now, in Russian; empty when nothing does."""
        problems = []
        meeting = self.meeting
        if self.is_signed:
            return ["Протокол уже подписан."]
        if not meeting.community.is_led_by(teacher, timezone.localdate()):  # today's leader: a successor signs too
            problems.append(NOT_THE_LEADER_MESSAGE)
        if meeting.status != Meeting.Status.HELD:
            problems.append("Заседание не отмечено как проведённое.")
        if not meeting.attendance.filter(present=True).exists():
            problems.append("Не отмечено присутствие: укажите, кто присутствовал на заседании.")
        questions = list(meeting.agenda.all().annotate(decision_count=models.Count("decisions")))
        if not questions:
            problems.append("В протоколе нет ни одного вопроса повестки дня.")
        elif [question.order for question in questions] != list(range(1, len(questions) + 1)):
            problems.append("Вопросы повестки должны идти по порядку с 1, без пропусков в нумерации.")
        for question in questions:
            if not question.decision_count:
                problems.append(f"По вопросу {question.order} «{question.question[:60]}» не записано решение.")
        if not self.chair_id:
            problems.append("Не указан председательствующий.")
        problems += self.vote_problems()
        problems += self.absent_officers_problems()
        problems += self.absent_speakers_problems()
        return problems

    def absent_speakers_problems(self) -> list[str]:
        """Every member who spoke on a question is among those present; an outside person (an invited guest) is not
        in the attendance and needs not be."""
        present = self.meeting.present_ids()
        if not present:  # «Не отмечено присутствие» says it already
            return []
        speakers = (
            Speaker.objects.filter(agenda_item__meeting=self.meeting, teacher__isnull=False)
            .exclude(teacher_id__in=present)
            .select_related("teacher", "agenda_item")
            .order_by("agenda_item__order", "order")
        )
        return [
            f"{speaker.teacher.short_name} выступает по вопросу {speaker.agenda_item.order} "
            f"«{speaker.agenda_item.question[:60]}», но не отмечен(а) среди присутствовавших: отметьте присутствие "
            "или исправьте список выступающих."
            for speaker in speakers
        ]

    def absent_officers_problems(self) -> list[str]:
        """The chair and the secretary are among those present (reads the prefetched attendance when there is)."""
        present = self.meeting.present_ids()
        problems = []
        if not present:  # «Не отмечено присутствие» says it already
            return problems
        for teacher_id, role, another in (
            (self.chair_id, "Председательствующий", "другого председательствующего"),
            (self.secretary_id, "Секретарь", "другого секретаря"),
        ):
            if teacher_id and teacher_id not in present:
                name = (self.chair if teacher_id == self.chair_id else self.secretary).short_name
                problems.append(
                    f"{role} {name} не отмечен(а) среди присутствовавших: отметьте присутствие или укажите {another}."
                )
        return problems

    def vote_problems(self) -> list[str]:
        """Each decision whose counted votes are more than those present (``Decision.clean``, checked again at
        signing: attendance may have changed after the votes were typed)."""
        present = self.meeting.present_count() or 0
        counted = Decision.objects.filter(agenda_item__meeting=self.meeting, vote=Decision.Vote.COUNTED)
        return [
            f"Решение {decision.number}: {votes_exceed_present(decision.votes_total, present)}"
            for decision in counted.select_related("agenda_item").order_by("agenda_item__order", "order")
            if decision.votes_total > present
        ]


class ProtocolCorrection(FinalRecord):
    """A correction to a signed protocol. The protocol itself is never edited: the correction
    is a new record linked to it, and is itself never changed or deleted (append-only)."""

    FINAL = Final(
        append_only=True,
        message="Исправление протокола не изменяется и не удаляется: внесите новое.",
        error=SignedProtocolError,
    )

    protocol = models.ForeignKey(
        Protocol, verbose_name="протокол", on_delete=models.PROTECT, related_name="corrections"
    )
    text = models.TextField("исправление", help_text="Что и как исправляется в протоколе.")
    reason = models.TextField("основание")
    author = models.ForeignKey(
        Teacher, verbose_name="автор", on_delete=models.PROTECT, related_name="protocol_corrections"
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    objects = FinalQuerySet.as_manager()

    class Meta:
        verbose_name = "исправление протокола"
        verbose_name_plural = "исправления протоколов"
        ordering = ["protocol", "created_at"]

    def __str__(self):
        return f"Исправление к протоколу № {self.protocol.number} от {self.created_at:%d.%m.%Y}"

    def clean(self):
        if self.protocol_id and not self.protocol.is_signed:
            raise ValidationError(
                {"protocol": "Черновик протокола исправляют напрямую; исправление — для подписанного."}
            )
