"""The speakers of a question (докладчики and выступившие, ГОСТ Р 7.0.97): each a member of the community or an outside
person, in order, with what they said."""

import re

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from communities.models import Teacher
from communities.models.history import audit_trail
from meetings.models.agenda import AgendaItem
from meetings.models.signature_lock import SignatureLocked, signed
from pos_portal import limits
from pos_portal.limits import NoUnbreakableWords, text_validators

ONE_PERSON_MESSAGE = "Выберите члена ПОС или впишите ФИО не из ПОС — одно из двух."
SPEAKERS_MESSAGE = limits.count_message(limits.SPEAKERS, "выступающих по одному вопросу")
REPORT_TEXT_MESSAGE = "Содержание доклада записывается в поле «СЛУШАЛИ» вопроса; здесь — текст выступления."


def name_forms(full_name: str) -> tuple[str, str]:
    """(«Фамилия И.О.», «И.О. Фамилия») of a name written «Фамилия Имя Отчество» (or «Фамилия И.О.»); a name written
    otherwise (with a position, say) is printed as written in both places."""
    words = full_name.split()
    if len(words) == 2 and words[0].isalpha() and re.fullmatch(r"(\w\.){1,2}", words[1]):
        return f"{words[0]} {words[1]}", f"{words[1]} {words[0]}"
    if 2 <= len(words) <= 3 and all(word.replace("-", "").isalpha() and word[0].isupper() for word in words):
        initials = "".join(f"{word[0]}." for word in words[1:])
        return f"{words[0]} {initials}", f"{initials} {words[0]}"
    return full_name.strip(), full_name.strip()


class Speaker(SignatureLocked):
    """One who spoke on a question: a докладчик (named in the agenda after «Докладчик:» and under СЛУШАЛИ, before the
    question's ``heard``) or one who spoke in the discussion (ВЫСТУПИЛИ, with ``text``)."""

    FINAL = signed(parent="agenda_item")

    class Part(models.TextChoices):
        REPORT = "report", "докладчик (СЛУШАЛИ)"
        SPOKE = "spoke", "выступил(а) (ВЫСТУПИЛИ)"

    agenda_item = models.ForeignKey(
        AgendaItem, verbose_name="вопрос", on_delete=models.CASCADE, related_name="speakers"
    )
    order = models.PositiveSmallIntegerField("№", default=1, validators=[MinValueValidator(1)])
    part = models.CharField("кто", max_length=10, choices=Part.choices, default=Part.REPORT)
    teacher = models.ForeignKey(
        Teacher,
        verbose_name="член ПОС",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="speeches",
    )
    full_name = models.CharField(
        "ФИО (не из ПОС)",
        max_length=limits.PERSON_NAME,
        blank=True,
        validators=[NoUnbreakableWords()],
        help_text="Фамилия Имя Отчество приглашённого.",
    )
    position = models.CharField(
        "должность (не из ПОС)", max_length=limits.POSITION, blank=True, validators=[NoUnbreakableWords()]
    )
    organization = models.CharField(
        "организация (не из ПОС)", max_length=limits.ORGANIZATION, blank=True, validators=[NoUnbreakableWords()]
    )
    # Questions recorded before the list of speakers had one free-text «докладчик не из ПОС» and a free-text
    # ВЫСТУПИЛИ (migration 0007): their names are printed exactly as written, so a signed protocol prints as before.
    as_written = models.BooleanField("имя как записано", default=False, editable=False)
    text = models.TextField(
        "выступление",
        blank=True,
        help_text="Что сказал(а): для ВЫСТУПИЛИ.",
        max_length=limits.SPEECH,
        validators=text_validators(limits.SPEECH),
    )

    history = audit_trail()

    class Meta:
        verbose_name = "выступающий"
        verbose_name_plural = "выступающие"
        ordering = ["agenda_item", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["agenda_item", "order"],
                name="speaker_unique_order",
                violation_error_message="Выступающий с таким номером у вопроса уже есть.",
            ),
            models.CheckConstraint(
                condition=(Q(teacher__isnull=False) & Q(full_name="")) | (Q(teacher__isnull=True) & ~Q(full_name="")),
                name="speaker_member_or_outside",
                violation_error_message=ONE_PERSON_MESSAGE,
            ),
            models.CheckConstraint(condition=Q(order__gte=1), name="speaker_order_positive"),
        ]

    def __str__(self):
        return self.listed_name

    @property
    def audit_community_id(self):
        return self.agenda_item.meeting.community_id

    @property
    def listed_name(self) -> str:
        """«Фамилия И.О.», as after СЛУШАЛИ / ВЫСТУПИЛИ."""
        return self.teacher.short_name if self.teacher_id else self._name_forms()[0]

    @property
    def reporter_line(self) -> str:
        """«должность, И.О. Фамилия», as after «Докладчик:» in the agenda; an outside person's position is followed
        by the organization («заместитель директора по УВР МОУ СШ № 1, Н.В. Орлова»)."""
        if self.teacher_id:
            position, name = self.teacher.position, self.teacher.signature_name
        else:
            position, name = (
                " ".join(part for part in (self.position, self.organization) if part),
                self._name_forms()[1],
            )
        return f"{position}, {name}" if position else name

    def _name_forms(self) -> tuple[str, str]:
        return (self.full_name, self.full_name) if self.as_written else name_forms(self.full_name)

    def clean(self):
        if self.pk is None and self.agenda_item_id and self.agenda_item.speakers.count() >= limits.SPEAKERS:
            raise ValidationError(SPEAKERS_MESSAGE)
        # A member or an outside person, never both nor none: the constraint ``speaker_member_or_outside`` says it.
        self.full_name = self.full_name.strip()
        if self.teacher_id and not self.full_name and (self.position or self.organization):
            raise ValidationError(ONE_PERSON_MESSAGE)
        if self.part == self.Part.REPORT and self.text.strip():
            raise ValidationError({"text": REPORT_TEXT_MESSAGE})
