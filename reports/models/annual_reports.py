"""The annual activity report of a community (отчёт о деятельности за учебный год, regulation section 6).

The leader writes the typed sections (``SECTIONS``: what the portal holds no data of — open lessons and master
classes of members, competitions, publications, courses taken — and the analysis: results, difficulties,
conclusions, proposals, tasks for the next year) and submits the report to the ИОЦ; a methodist or the Department
accepts it or returns it with a comment. Who reviewed it is recorded as printed («методист, МУ ДПО «ИОЦ»»,
«О.В. Смирнова»), so the acceptance on paper does not change when the reviewer's position does. The figures (plan
against fact, meetings held, attendance, …) are compiled by ``reports.annual_figures`` and are not stored here.

An accepted report is final (``FINAL``, ``pos_portal.final_records``): ``save`` refuses any change to it,
``delete`` refuses to remove it, the queryset refuses bulk updates and deletes that touch it, and the database's
triggers refuse raw SQL. The transitions live in ``reports.services``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from communities.models import Community, Teacher
from communities.models.history import audit_trail
from communities.models.versioned import VersionedModel
from pos_portal import limits
from pos_portal.academic_year import AcademicYearField
from pos_portal.final_records import Final, FinalQuerySet, FinalRecord, FinalRecordError
from reports.signatories import Signatory

ACCEPTED_READ_ONLY_MESSAGE = "Отчёт принят ИОЦ: изменить или удалить его нельзя."
RETURN_NEEDS_COMMENT_MESSAGE = "Укажите, что нужно доработать: без комментария отчёт не возвращают."
NOT_EDITABLE_MESSAGE = "Отчёт на проверке в ИОЦ: изменить его можно после того, как его вернут на доработку."


#: The organization named in the acceptance of a reviewer who is no teacher of an organization.


def text_section(verbose_name: str, help_text: str) -> models.TextField:
    """A typed section of the report, limited at entry (forms, the admin and ``full_clean``: limits.REPORT_TEXT)."""
    return models.TextField(verbose_name, blank=True, help_text=help_text, **limits.bounded(limits.REPORT_TEXT))


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
    #: The typed sections in the order the document prints them: (field, heading). The page, the form, the PDF
    #: and the .docx read this one list.
    SECTIONS = (
        ("open_lessons", "Открытые уроки, мастер-классы и выступления членов ПОС"),
        ("competitions", "Участие в конкурсах"),
        ("publications", "Публикации и методическая продукция"),
        ("courses", "Курсы повышения квалификации"),
        ("results", "Результаты"),
        ("difficulties", "Трудности"),
        ("conclusions", "Выводы"),
        ("proposals", "Предложения"),
        ("next_year_tasks", "Задачи на следующий учебный год"),
    )
    TEXT_FIELDS = tuple(name for name, _heading in SECTIONS)

    community = models.ForeignKey(
        Community, verbose_name="ПОС", on_delete=models.PROTECT, related_name="annual_reports"
    )
    academic_year = AcademicYearField("учебный год")
    open_lessons = text_section(
        "открытые уроки, мастер-классы, выступления",
        "Открытые уроки и занятия, мастер-классы, выступления членов ПОС: кто, тема, где и когда.",
    )
    competitions = text_section(
        "участие в конкурсах", "Конкурсы профессионального мастерства: кто участвовал, уровень, результат."
    )
    publications = text_section(
        "публикации и методическая продукция", "Статьи, сборники, методические разработки членов ПОС."
    )
    courses = text_section("курсы повышения квалификации", "Кто какие курсы прошёл, объём в часах.")
    results = text_section("результаты", "Чего достигло сообщество за год.")
    difficulties = text_section("трудности", "Что мешало работе, что не удалось.")
    conclusions = text_section("выводы", "Выводы по итогам года: что выполнено из задач года.")
    proposals = text_section("предложения", "Что предлагается на следующий год.")
    next_year_tasks = text_section("задачи на следующий учебный год", "Задачи сообщества на следующий год.")
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
    reviewer_title = models.CharField(
        "должность и организация проверяющего", max_length=500, blank=True, editable=False
    )
    reviewer_name = models.CharField("И.О. Фамилия проверяющего", max_length=200, blank=True, editable=False)
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

    @property
    def acceptance(self) -> str:
        """«Принят: методист, МУ ДПО «ИОЦ», О.В. Смирнова, 12.09.2025» once accepted, else "". A report accepted
        before the reviewer was recorded takes the reviewer's requisites of today."""
        if not self.is_accepted or self.reviewed_at is None:
            return ""
        title, name = self.reviewer_title, self.reviewer_name
        if not name and self.reviewed_by_id:
            reviewer = Signatory.of(self.reviewed_by)
            title, name = reviewer.title, reviewer.signature_name
        who = ", ".join(part for part in (title, name) if part)
        return f"Принят: {who}, {timezone.localdate(self.reviewed_at):%d.%m.%Y}"

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
