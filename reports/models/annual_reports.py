"""The annual activity report of a community (отчёт о деятельности за учебный год, regulation section 6).

The leader writes the text (results, difficulties, proposals) and submits the report to the ИОЦ; a methodist
or the Department accepts it or returns it with a comment. The figures (plan against fact, sessions,
attendance, …) are compiled by ``reports.annual_figures`` and are not stored here.

An accepted report is final (``FINAL``, ``pos_portal.final_records``): ``save`` refuses any change to it,
``delete`` refuses to remove it, the queryset refuses bulk updates and deletes that touch it, and the database's
triggers refuse raw SQL. The transitions live in ``reports.services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from communities.models import Community, Teacher
from communities.models.history import audit_trail
from communities.models.versioned import VersionedModel
from pos_portal import limits
from pos_portal.academic_year import AcademicYearField
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord, FinalRecordError

ACCEPTED_READ_ONLY_MESSAGE = "Отчёт принят ИОЦ: изменить или удалить его нельзя."
RETURN_NEEDS_COMMENT_MESSAGE = "Укажите, что нужно доработать: без комментария отчёт не возвращают."
NOT_EDITABLE_MESSAGE = "Отчёт на проверке в ИОЦ: изменить его можно после того, как его вернут на доработку."


class AnnualReportLockedError(FinalRecordError):
    """Raised on an attempt to change or delete an accepted report."""

    default_message = ACCEPTED_READ_ONLY_MESSAGE


class AnnualReportQuerySet(FinalQuerySet):
    def accepted(self):
        return self.filter(status=AnnualReport.Status.ACCEPTED)


class AnnualReport(VersionedModel, FinalRecord):
    # Accepted is final; saving it unchanged (which touches updated_at) is harmless.
    FINAL = Final(
        when="{row}.status = 'accepted'",
        editable={"updated_at"},
        message=ACCEPTED_READ_ONLY_MESSAGE,
        error=AnnualReportLockedError,
    )

    class Status(models.TextChoices):
        DRAFT = "draft", "черновик"
        SUBMITTED = "submitted", "на проверке"
        ACCEPTED = "accepted", "принят"
        RETURNED = "returned", "возвращён на доработку"

    #: The statuses in which the leader may change the text.
    EDITABLE_STATUSES = frozenset({Status.DRAFT, Status.RETURNED})
    TEXT_FIELDS = ("results", "difficulties", "proposals")

    community = models.ForeignKey(
        Community, verbose_name="ПОС", on_delete=models.PROTECT, related_name="annual_reports"
    )
    academic_year = AcademicYearField("учебный год")
    results = models.TextField(
        "результаты", blank=True, help_text="Чего достигло сообщество за год.", **limits.bounded(limits.REPORT_TEXT)
    )
    difficulties = models.TextField(
        "трудности", blank=True, help_text="Что мешало работе, что не удалось.", **limits.bounded(limits.REPORT_TEXT)
    )
    proposals = models.TextField(
        "предложения", blank=True, help_text="Что предлагается на следующий год.", **limits.bounded(limits.REPORT_TEXT)
    )
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("отправлен в ИОЦ", null=True, blank=True)
    submitted_by = models.ForeignKey(
        Teacher,
        verbose_name="кем отправлен",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_annual_reports",
    )
    reviewed_at = models.DateTimeField("проверен", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем проверен",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    review_comment = models.TextField("комментарий проверяющего", blank=True, **limits.bounded(limits.COMMENT))
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = AnnualReportQuerySet.as_manager()

    history = audit_trail()

    class Meta:
        verbose_name = "отчёт о деятельности за учебный год"
        verbose_name_plural = "отчёты о деятельности ПОС"
        ordering = ["-academic_year", "community__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "academic_year"],
                name="annual_report_one_per_community_year",
                violation_error_message="У сообщества уже есть отчёт за этот учебный год.",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned") | ~Q(review_comment=""),
                name="annual_report_returned_has_comment",
                violation_error_message=RETURN_NEEDS_COMMENT_MESSAGE,
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="annual_report_submitted_has_sender",
                violation_error_message="У отправленного отчёта должны быть отправитель и время отправки.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["accepted", "returned"])
                | Q(reviewed_at__isnull=False, reviewed_by__isnull=False),
                name="annual_report_reviewed_has_reviewer",
                violation_error_message="У проверенного отчёта должны быть проверяющий и время проверки.",
            ),
        ]

    def __str__(self):
        return f"Отчёт {self.community} за {self.academic_year} уч. год"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE_STATUSES

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    def _stored(self) -> dict | None:
        if self.pk is None or self._state.adding:
            return None
        return type(self)._base_manager.filter(pk=self.pk).values().first()

    def clean(self):
        self.review_comment = self.review_comment.strip()
        if self.status == self.Status.RETURNED and not self.review_comment:
            raise ValidationError({"review_comment": RETURN_NEEDS_COMMENT_MESSAGE})
        stored = self._stored()
        if stored is None:
            return
        if stored["status"] == self.Status.ACCEPTED:
            raise AnnualReportLockedError()
        text_changed = any(stored[name] != getattr(self, name) for name in self.TEXT_FIELDS)
        if text_changed and stored["status"] not in self.EDITABLE_STATUSES:
            raise ValidationError(NOT_EDITABLE_MESSAGE)

    @property
    def audit_community_id(self):
        """The community the report is of."""
        return self.community_id
