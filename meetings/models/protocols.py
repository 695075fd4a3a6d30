"""The protocol (протокол заседания): numbered within the community's academic year, signed by
the community's leader on the day of signing (the successor, after a change of leader, signs a protocol left
unsigned), and from then on never changed (see signature_lock)."""

import datetime as dt
import itertools
import math
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from communities.models import Community, Membership, Teacher
from communities.models.history import audit_trail
from meetings.models.agenda import Assignment, Decision, votes_exceed_present
from meetings.models.meetings import Meeting, protocol_text_message
from meetings.models.signature_lock import SignatureLocked, SignatureLockedQuerySet, SignedProtocolError, signed
from meetings.models.speakers import Speaker
from pos_portal import limits
from pos_portal.academic_year import AcademicYear, AcademicYearField, date_in_range
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord
from pos_portal.limits import NoUnbreakableWords, text_validators

NOT_THE_LEADER_MESSAGE = "Подписать протокол может только действующий руководитель ПОС."
NUMBER_GAP_MESSAGE = "Удалить можно только последний по номеру протокол учебного года, иначе в нумерации будет пропуск."
ATTENDANCE_UNCONFIRMED_MESSAGE = (
    "Присутствие не подтверждено: откройте «Присутствие», проверьте, кто был на заседании, и сохраните."
)


class Problem(str):
    """A reason a protocol cannot be signed yet. The string itself is the Russian message (so a list of problems is
    a list of messages: for ``ValidationError``, for comparisons); ``anchor`` is a stable id of what is at fault
    («attendance», «meeting», «chair», «secretary», «agenda», «question-3», «decision-3-1»), and ``fix`` says where it
    is fixed: a URL name with its arguments (``("meetings:attendance", meeting.pk)``), reversed by the view layer,
    or None where nothing on a page fixes it (not the leader)."""

    anchor: str
    fix: tuple | None

    def __new__(cls, message: str, *, anchor: str = "", fix: tuple | None = None):
        problem = super().__new__(cls, message)
        problem.anchor = anchor
        problem.fix = fix
        return problem

    @property
    def message(self) -> str:
        return str.__str__(self)


def protocol_quorum() -> Fraction:
    """The share of the members on the meeting date that must be exceeded by those present
    (``settings.PROTOCOL_QUORUM``, default 1/2: «more than half»): the only read of the setting."""
    return Fraction(settings.PROTOCOL_QUORUM)


@dataclass(frozen=True)
class Quorum:
    """Those present against the members on the meeting date: quorum is reached when present > share × members."""

    present: int
    members: int

    @property
    def reached(self) -> bool:
        return self.present > protocol_quorum() * self.members

    @property
    def message(self) -> str:
        return f"Кворум отсутствовал: присутствовали {self.present} из {self.members}."


def protocol_numbering(
    community_id: int,
    year: AcademicYear,
    *,
    meeting_pk: int | None = None,
    date: dt.date | None = None,
    time: dt.time | None = None,
) -> dict[int | None, int]:
    """The numbers of a community's protocols in an academic year as they follow dates: ``{meeting pk: №}``.

    A signed protocol keeps its number; the drafts take the other numbers 1, 2, … in the order of their meetings'
    dates (then time, then the order of entry), so the numbers stay gapless and a draft dated before a signed
    protocol comes after it. With ``date``: as if the meeting ``meeting_pk`` (None: a new one, keyed None) had a
    draft on that date — what the meeting form announces before saving. One query."""
    rows = Protocol.objects.filter(community_id=community_id, academic_year=year).values_list(
        "meeting_id", "number", "signed_at", "meeting__date", "meeting__time"
    )
    numbers, taken, drafts = {}, set(), []
    for pk, number, signed_at, day, hour in rows:
        if signed_at is not None:
            numbers[pk] = number
            taken.add(number)
        elif date is None or pk != meeting_pk:
            drafts.append((day, hour, pk))
    if date is not None and meeting_pk not in numbers:
        drafts.append((date, time, meeting_pk))
    free = (number for number in itertools.count(1) if number not in taken)
    for _day, _hour, pk in sorted(drafts, key=lambda d: (d[0], d[1] or dt.time.min, d[2] or math.inf)):
        numbers[pk] = next(free)
    return numbers


@dataclass(frozen=True)
class NumberForecast:
    """The number a meeting's protocol gets on a date (``protocol_number_forecast``), and the signed protocol of a
    later meeting that it cannot come before (None when the number simply follows the dates)."""

    number: int
    signed_later: int | None = None  # the number of the last signed protocol of a later meeting

    @property
    def warning(self) -> str:
        if self.signed_later is None:
            return ""
        return (
            f"Протокол № {self.signed_later} более позднего заседания уже подписан, а номера подписанных протоколов "
            f"не меняются: протокол этого заседания получит № {self.number}."
        )


def protocol_number_forecast(
    community_id: int, date: dt.date, *, time: dt.time | None = None, meeting_pk: int | None = None
) -> NumberForecast:
    """Which number the protocol of the meeting ``meeting_pk`` (None: a new one) gets if the meeting is dated
    ``date``: the numbering of ``protocol_numbering``, before saving (the meeting form announces it)."""
    year = AcademicYear.of(date)
    number = protocol_numbering(community_id, year, meeting_pk=meeting_pk, date=date, time=time)[meeting_pk]
    later = (
        Protocol.objects.signed()
        .filter(community_id=community_id, academic_year=year, meeting__date__gt=date, number__lt=number)
        .exclude(meeting_id=meeting_pk)
        .aggregate(last=models.Max("number"))["last"]
    )
    return NumberForecast(number=number, signed_later=later)


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
    place = models.CharField(
        "место составления", max_length=limits.PROTOCOL_PLACE, default="г. Тутаев", validators=[NoUnbreakableWords()]
    )
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
    attachments = models.TextField(
        "приложения",
        blank=True,
        max_length=limits.PROTOCOL_ATTACHMENTS,
        validators=text_validators(limits.PROTOCOL_ATTACHMENTS),
    )
    signed_by = models.ForeignKey(
        Teacher,
        verbose_name="подписал",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signed_protocols",
    )
    signed_at = models.DateTimeField("подписан", null=True, blank=True)
    # Recorded at signing (``meetings.services.protocol_sign``); None for a draft and for a protocol signed before
    # quorum was recorded, whose print stays as it was.
    quorum_present = models.PositiveSmallIntegerField("присутствовали при подписи", null=True, blank=True)
    quorum_members = models.PositiveSmallIntegerField("членов ПОС на дату заседания", null=True, blank=True)
    quorum_reached = models.BooleanField("кворум был", null=True, blank=True)
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
        # An out-of-range date of the meeting being edited is the meeting's own field error.
        if self.academic_year and date_in_range(meeting.date) and self.academic_year != AcademicYear.of(meeting.date):
            raise ValidationError("Учебный год протокола — год даты заседания.")
        if meeting.status != Meeting.Status.HELD:
            raise ValidationError("Протокол составляется только для проведённого заседания.")
        if self.chair_id and self.secretary_id and self.chair_id == self.secretary_id:
            raise ValidationError({"secretary": "Председательствующий и секретарь — разные люди."})

    def signing_problems(self, teacher: Teacher | None) -> list[Problem]:
        """What stops ``teacher`` from signing this protocol now: ``Problem`` messages in Russian, each with where it
        is fixed; empty when nothing does. The rules of signing live here, so the admin and commands obey them too
        (``meetings.services.protocol_sign``)."""
        problems = []
        meeting = self.meeting
        if self.is_signed:
            return [Problem("Протокол уже подписан.")]
        edit, attendance = ("meetings:edit", meeting.pk), ("meetings:attendance", meeting.pk)
        if not meeting.community.is_led_by(teacher, timezone.localdate()):  # today's leader: a successor signs too
            problems.append(Problem(NOT_THE_LEADER_MESSAGE))
        if meeting.status != Meeting.Status.HELD:
            problems.append(Problem("Заседание не отмечено как проведённое.", anchor="meeting", fix=edit))
        if not meeting.present_ids():
            problems.append(
                Problem(
                    "Не отмечено присутствие: укажите, кто присутствовал на заседании.",
                    anchor="attendance",
                    fix=attendance,
                )
            )
        elif meeting.attendance_confirmed_at is None:
            problems.append(Problem(ATTENDANCE_UNCONFIRMED_MESSAGE, anchor="attendance", fix=attendance))
        questions = signing_agenda(meeting)
        if not questions:
            problems.append(
                Problem(
                    "В протоколе нет ни одного вопроса повестки дня.",
                    anchor="agenda",
                    fix=("meetings:agenda_add", meeting.pk),
                )
            )
        elif [question.order for question in questions] != list(range(1, len(questions) + 1)):
            problems.append(
                Problem(
                    "Вопросы повестки должны идти по порядку с 1, без пропусков в нумерации.",
                    anchor="agenda",
                    fix=("meetings:agenda_edit", questions[0].pk),
                )
            )
        for question in questions:
            if not question.decisions.all():
                problems.append(
                    Problem(
                        f"По вопросу {question.order} «{question.question[:60]}» не записано решение.",
                        anchor=f"question-{question.order}",
                        fix=("meetings:agenda_edit", question.pk),
                    )
                )
        if not self.chair_id:
            problems.append(Problem("Не указан председательствующий.", anchor="chair", fix=edit))
        if (length := agenda_text_length(questions)) > limits.PROTOCOL_TEXT:
            # Entered before the limits, or around them (the admin checks each text, not their sum): never permanent.
            problems.append(Problem(protocol_text_message(length), anchor="agenda"))
        problems += self.vote_problems(questions)
        problems += self.absent_officers_problems()
        problems += self.absent_speakers_problems(questions)
        problems += self.absent_responsible_problems(questions)
        return problems

    def absent_speakers_problems(self, agenda: list | None = None) -> list[Problem]:
        """Every member who spoke on a question is among those present; an outside person (an invited guest) is not
        in the attendance and needs not be. ``agenda``: the questions as ``signing_agenda`` gives them."""
        present = self.meeting.present_ids()
        if not present:  # «Не отмечено присутствие» says it already
            return []
        speakers = [
            speaker
            for item in (signing_agenda(self.meeting) if agenda is None else agenda)
            for speaker in item.speakers.all()
            if speaker.teacher_id is not None and speaker.teacher_id not in present
        ]
        return [
            Problem(
                f"{speaker.teacher.short_name} выступает по вопросу {speaker.agenda_item.order} "
                f"«{speaker.agenda_item.question[:60]}», но не отмечен(а) среди присутствовавших: отметьте присутствие "
                "или исправьте список выступающих.",
                anchor=f"question-{speaker.agenda_item.order}",
                fix=("meetings:agenda_edit", speaker.agenda_item_id),
            )
            for speaker in speakers
        ]

    def absent_officers_problems(self) -> list[Problem]:
        """The chair and the secretary are among those present (reads the prefetched attendance when there is)."""
        present = self.meeting.present_ids()
        problems = []
        if not present:  # «Не отмечено присутствие» says it already
            return problems
        for teacher_id, role, another, anchor in (
            (self.chair_id, "Председательствующий", "другого председательствующего", "chair"),
            (self.secretary_id, "Секретарь", "другого секретаря", "secretary"),
        ):
            if teacher_id and teacher_id not in present:
                name = (self.chair if teacher_id == self.chair_id else self.secretary).short_name
                problems.append(
                    Problem(
                        f"{role} {name} не отмечен(а) среди присутствовавших: "
                        f"отметьте присутствие или укажите {another}.",
                        anchor=anchor,
                        fix=("meetings:edit", self.meeting_id),
                    )
                )
        return problems

    def absent_responsible_problems(self, agenda: list | None = None) -> list[Problem]:
        """Every responsible person of an assignment is among those present (``Meeting.present_ids``).
        ``agenda``: the questions as ``signing_agenda`` gives them."""
        present = self.meeting.present_ids()
        if not present:  # «Не отмечено присутствие» says it already
            return []
        assignments = [
            assignment
            for item in (signing_agenda(self.meeting) if agenda is None else agenda)
            for decision in item.decisions.all()
            for assignment in sorted(decision.assignments.all(), key=lambda row: row.pk)
            if assignment.responsible_id not in present
        ]
        return [
            Problem(
                f"Решение {assignment.decision.number}: ответственный {assignment.responsible.short_name} "
                "не отмечен(а) среди присутствовавших — отметьте присутствие или назначьте другого ответственного.",
                anchor=decision_anchor(assignment.decision),
                fix=("meetings:agenda_edit", assignment.decision.agenda_item_id),
            )
            for assignment in assignments
        ]

    def vote_problems(self, agenda: list | None = None) -> list[Problem]:
        """Each decision whose counted votes are more than those present (``Decision.clean``, checked again at
        signing: attendance may have changed after the votes were typed). ``agenda``: the questions as
        ``signing_agenda`` gives them."""
        present = self.meeting.present_count() or 0
        counted = [
            decision
            for item in (signing_agenda(self.meeting) if agenda is None else agenda)
            for decision in item.decisions.all()
        ]
        return [
            Problem(
                f"Решение {decision.number}: {votes_exceed_present(decision.votes_total, present)}",
                anchor=decision_anchor(decision),
                fix=("meetings:agenda_edit", decision.agenda_item_id),
            )
            for decision in counted
            if decision.vote == Decision.Vote.COUNTED and decision.votes_total > present
        ]

    def quorum(self) -> Quorum | None:
        """Those present against the members on the meeting date, or None while no attendance is recorded. Below
        quorum a protocol is still signed (the leader decides), and records it (``quorum_reached``)."""
        present = self.meeting.present_count()
        if present is None:
            return None
        return Quorum(present=present, members=self.meeting.members_on_date().count())

    @property
    def quorum_note(self) -> str:
        """What the signed document says of quorum: «Кворум отсутствовал: …» when it was not reached at signing;
        nothing when it was, or for a protocol signed before quorum was recorded."""
        if self.quorum_reached is False:
            return Quorum(present=self.quorum_present, members=self.quorum_members).message
        return ""


def signing_agenda(meeting) -> list:
    """The questions of ``meeting`` in order with their speakers, decisions and assignments: the rows its queryset
    prefetched (meetings.protocol_content.meeting_prefetches: the meeting page), or else read now in four queries.
    Every signing check reads them from here, so the page reads nothing twice."""
    if _agenda_prefetched(meeting):
        return list(meeting.agenda.all())
    return list(
        meeting.agenda.order_by("order").prefetch_related(
            models.Prefetch("speakers", queryset=Speaker.objects.select_related("teacher").order_by("order")),
            models.Prefetch("decisions", queryset=Decision.objects.order_by("order")),
            models.Prefetch("decisions__assignments", queryset=Assignment.objects.select_related("responsible")),
        )
    )


def agenda_text_length(questions: list) -> int:
    """``Meeting.protocol_text_length`` of the questions as ``signing_agenda`` gives them, read from the rows already
    there: the same texts counted (questions, СЛУШАЛИ, ВЫСТУПИЛИ, decisions)."""
    return sum(
        len(item.question)
        + len(item.heard)
        + sum(len(speaker.text) for speaker in item.speakers.all())
        + sum(len(decision.text) for decision in item.decisions.all())
        for item in questions
    )


def _agenda_prefetched(meeting) -> bool:
    if "agenda" not in getattr(meeting, "_prefetched_objects_cache", {}):
        return False
    for item in meeting.agenda.all():
        if not {"speakers", "decisions"} <= item._prefetched_objects_cache.keys():
            return False
        if any("assignments" not in decision._prefetched_objects_cache for decision in item.decisions.all()):
            return False
    return True


def decision_anchor(decision: Decision) -> str:
    """«decision-3-1»: the stable id of decision 3.1 of a protocol."""
    return f"decision-{decision.agenda_item.order}-{decision.order}"


class ProtocolCorrection(FinalRecord):
    """A correction to a signed protocol. The protocol itself is never edited: the correction is a new record linked
    to it, numbered within the protocol (1, 2, …), and is itself never changed or deleted (append-only). It names
    what it corrects: a decision (then ``new_text`` is that decision's new wording, which the extract prints), a
    question of the agenda, or nothing in particular (the protocol as a whole); ``text`` says what and why in words.
    It is its own document, «Исправление № K к протоколу № N от дд.мм.гггг», signed by its author (the leader, as the
    protocol: ``meetings.services.protocol_correct``) and stored as a PDF (``reports``, on ``protocol_corrected``)."""

    FINAL = Final(
        append_only=True,
        message="Исправление протокола не изменяется и не удаляется: внесите новое.",
        error=SignedProtocolError,
    )

    protocol = models.ForeignKey(
        Protocol, verbose_name="протокол", on_delete=models.PROTECT, related_name="corrections"
    )
    number = models.PositiveIntegerField("№ исправления", editable=False)
    agenda_item = models.ForeignKey(
        "meetings.AgendaItem",
        verbose_name="вопрос повестки",
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
        help_text="Какой вопрос исправляется (для решения — его вопрос, заполняется само).",
    )
    decision = models.ForeignKey(
        Decision,
        verbose_name="решение",
        on_delete=models.PROTECT,
        related_name="corrections",
        null=True,
        blank=True,
        help_text="Пункт решения, который получает новую редакцию.",
    )
    new_text = models.TextField(
        "новая редакция решения",
        blank=True,
        help_text="Текст пункта решения, как его читать после исправления.",
        **limits.bounded(limits.DECISION),
    )
    text = models.TextField(
        "исправление",
        help_text="Что и как исправляется в протоколе.",
        max_length=limits.CORRECTION,
        validators=text_validators(limits.CORRECTION),
    )
    reason = models.TextField("основание", max_length=limits.REASON, validators=text_validators(limits.REASON))
    author = models.ForeignKey(
        Teacher, verbose_name="автор", on_delete=models.PROTECT, related_name="protocol_corrections"
    )
    created_at = models.DateTimeField("внесено", auto_now_add=True)

    objects = FinalQuerySet.as_manager()

    class Meta:
        verbose_name = "исправление протокола"
        verbose_name_plural = "исправления протоколов"
        ordering = ["protocol", "number"]
        constraints = [
            models.UniqueConstraint(fields=["protocol", "number"], name="correction_number_unique_per_protocol"),
            models.CheckConstraint(
                condition=Q(decision__isnull=True) | ~Q(new_text=""), name="correction_of_decision_has_new_text"
            ),
        ]

    def __str__(self):
        return f"{self.title} от {self.protocol.meeting.date:%d.%m.%Y}"

    @property
    def title(self) -> str:
        """«Исправление № 2 к протоколу № 1» (with «от дд.мм.гггг» of the meeting: ``str()``)."""
        return f"Исправление № {self.number} к протоколу № {self.protocol.number}"

    @property
    def target(self) -> str:
        """What it corrects, in words: «п. 1.2 решения по вопросу 1», «вопрос 1», «протокол в целом»."""
        if self.decision_id:
            question = self.decision.agenda_item.order
            return f"п. {question}.{self.decision.order} решения по вопросу {question}"
        if self.agenda_item_id:
            return f"вопрос {self.agenda_item.order}"
        return "протокол в целом"

    def clean(self):
        if self.protocol_id and not self.protocol.is_signed:
            raise ValidationError(
                {"protocol": "Черновик протокола исправляют напрямую; исправление — для подписанного."}
            )
        if self.decision_id:
            if self.agenda_item_id is None:
                self.agenda_item_id = self.decision.agenda_item_id
            if self.protocol_id and self.decision.agenda_item.meeting_id != self.protocol.meeting_id:
                raise ValidationError({"decision": "Выберите решение этого протокола."})
            if self.agenda_item_id != self.decision.agenda_item_id:
                raise ValidationError({"agenda_item": "Решение относится к другому вопросу повестки."})
            if not self.new_text.strip():
                raise ValidationError({"new_text": "Укажите новую редакцию исправляемого пункта решения."})
        elif self.new_text.strip():
            raise ValidationError({"decision": "Новая редакция — для пункта решения: выберите его."})
        if self.agenda_item_id and self.protocol_id and self.agenda_item.meeting_id != self.protocol.meeting_id:
            raise ValidationError({"agenda_item": "Выберите вопрос этого протокола."})

    def save(self, *args, **kwargs):
        if self._state.adding and self.number is None:
            # The protocol's row is locked by protocol_correct; a row added another way takes the next number too.
            last = ProtocolCorrection.objects.filter(protocol_id=self.protocol_id).aggregate(n=models.Max("number"))
            self.number = (last["n"] or 0) + 1
        if self.decision_id and self.agenda_item_id is None:
            self.agenda_item_id = self.decision.agenda_item_id
        super().save(*args, **kwargs)
