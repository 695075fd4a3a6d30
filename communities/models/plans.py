"""The annual work plan of a community (план работы на год) and its planned events.

How many sessions a plan needs is the community's ``required_sessions`` for the plan's year
(``communities.activity``: the minimum of 4.2, pro-rated for a community founded during the year); the planned
sessions are the events of a form that counts (``SESSION_FORMS``).

**Editing an approved plan** (the one policy, the same in the ORM, the admin and the portal): an approved plan may
be edited and stays approved, but no change may take its planned sessions below the required number. A change that
would (an event's form changed to one that does not count, a counting event deleted, several such changes at once)
is refused with ``approved_minimum_message`` and nothing is saved. A plan that is already below the number (the
minimum was raised after approval) may still be edited as long as the change does not lower its sessions further.
Where it is checked: ``PlanItem.clean`` (one event's form), ``PlanItem.delete`` and ``PlanItemQuerySet.delete``
(deletion), ``communities.forms.plans.BasePlanItemFormSet.clean`` (the whole set of rows the admin and the portal
submit) and ``communities.services.plan_items_save`` (the write both of them call, which checks the stored
result again under a lock). The rule itself is ``AnnualPlan.check_sessions_kept``.

**Approval** (черновик → на утверждении → утверждён, or → возвращён → на утверждении …): the leader submits the plan
after it was discussed at a meeting (``meetings.PlanDiscussion`` names the signed protocol; ``meetings.services
.plan_submit``); a methodist of the ИОЦ or the Department approves it or returns it with a comment
(``communities.services.plan_review``). Nobody approves a plan of a community they lead. While the plan is on
approval its content does not change (``AnnualPlan.clean``, ``PlanItem.clean``, ``plan_items_save``). The rules
are ``AnnualPlan.submission_refusal``, ``AnnualPlan.review_refusal`` and ``AnnualPlan.check_content_editable``.
"""

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Mod
from django.utils import timezone

from communities.activity import SESSION_FORMS, ActivityForm, grouped_choices, prorated_note, required_sessions
from communities.models.communities import Community, Membership
from communities.models.history import audit_trail
from communities.models.people import Teacher
from communities.models.versioned import VersionedModel
from pos_portal import limits
from pos_portal.academic_year import AcademicYear, AcademicYearField, validate_date

MONTHS = [
    (9, "сентябрь"),
    (10, "октябрь"),
    (11, "ноябрь"),
    (12, "декабрь"),
    (1, "январь"),
    (2, "февраль"),
    (3, "март"),
    (4, "апрель"),
    (5, "май"),
    (6, "июнь"),
    (7, "июль"),
    (8, "август"),
]


def sessions_missing_message(missing: int, required: int, note: str = "") -> str:
    """Why a plan is not approved: ``required`` is its community's number for the year, ``note`` the pro-rating."""
    note = f" ({note})" if note else ""
    return (
        f"План нельзя утвердить: по положению (п. 4.2) нужно не менее {required} "
        f"заседаний в год{note}, в плане не хватает ещё {missing}."
    )


RETURN_NEEDS_COMMENT_MESSAGE = "Укажите, что нужно доработать: без комментария план не возвращают."
ON_APPROVAL_MESSAGE = "План на утверждении: изменить его можно после того, как его утвердят или вернут на доработку."
REVIEWER_ONLY_MESSAGE = "Утверждают планы методисты ИОЦ и Департамент образования."
OWN_PLAN_MESSAGE = "План своего сообщества руководитель не утверждает: его утверждает другой методист ИОЦ."
SUBMITTER_ONLY_MESSAGE = "План на утверждение отправляет действующий руководитель сообщества."


def approved_minimum_message(required: int) -> str:
    """Why a change of an approved plan is refused."""
    return f"План утверждён: по положению (п. 4.2) в нём должно оставаться не менее {required} заседаний."


class AnnualPlanQuerySet(models.QuerySet):
    def first_year_without_plan(self, start: AcademicYear) -> AcademicYear:
        """The first academic year from ``start`` on that has no plan in this queryset (one community's plans): the
        year a new plan is for."""
        taken = set(self.values_list("academic_year", flat=True))
        year = start
        while year in taken:
            year = year.next()
        return year

    def with_session_count(self):
        """``session_count``: each plan's planned sessions (``AnnualPlan.planned_sessions_count``) in the same
        query, for lists of plans and pages that show the count."""
        return self.annotate(session_count=models.Count("items", filter=Q(items__form__in=SESSION_FORMS)))


class AnnualPlan(VersionedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", "Черновик"
        SUBMITTED = "submitted", "На утверждении"
        RETURNED = "returned", "Возвращён"
        APPROVED = "approved", "Утверждён"

    CONTENT_FIELDS = ("academic_year", "theme", "goals", "tasks", "composition", "professional_needs")

    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.CASCADE, related_name="plans")
    academic_year = AcademicYearField("учебный год")
    theme = models.CharField("тема работы ПОС", max_length=limits.PLAN_THEME, validators=[limits.NoUnbreakableWords()])
    goals = models.TextField("цели", blank=True, **limits.bounded(limits.PLAN_TEXT))
    tasks = models.TextField("задачи", blank=True, **limits.bounded(limits.PLAN_TEXT))
    composition = models.TextField(
        "количественный и качественный состав",
        blank=True,
        help_text="Сколько членов, их должности, стаж, категории.",
        **limits.bounded(limits.PLAN_TEXT),
    )
    professional_needs = models.TextField(
        "профессиональные потребности членов ПОС", blank=True, **limits.bounded(limits.PLAN_TEXT)
    )
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("отправлен на утверждение", null=True, blank=True)
    submitted_by = models.ForeignKey(
        Teacher,
        verbose_name="кем отправлен",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="submitted_plans",
    )
    returned_at = models.DateTimeField("возвращён на доработку", null=True, blank=True)
    returned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем возвращён",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_comment = models.TextField("что доработать", blank=True, **limits.bounded(limits.COMMENT))
    approved_at = models.DateTimeField("утверждён", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="кем утверждён",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField("создан", auto_now_add=True)
    updated_at = models.DateTimeField("изменён", auto_now=True)

    objects = AnnualPlanQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "план работы на год"
        verbose_name_plural = "планы работы"
        ordering = ["community_id", "-academic_year"]
        constraints = [
            models.UniqueConstraint(
                fields=["community", "academic_year"],
                name="plan_one_per_community_year",
                violation_error_message="У сообщества уже есть план на этот учебный год.",
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_at__isnull=False),
                name="plan_approved_has_time",
                violation_error_message="У утверждённого плана должна быть дата утверждения.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["submitted", "returned"])
                | Q(submitted_at__isnull=False, submitted_by__isnull=False),
                name="plan_submitted_has_sender",
                violation_error_message="У отправленного плана должны быть отправитель и время отправки.",
            ),
            models.CheckConstraint(
                condition=~Q(status="returned")
                | (Q(returned_at__isnull=False, returned_by__isnull=False) & ~Q(return_comment="")),
                name="plan_returned_has_comment",
                violation_error_message=RETURN_NEEDS_COMMENT_MESSAGE,
            ),
        ]

    def __str__(self):
        return f"План {self.community} на {self.academic_year} уч. год"

    @property
    def audit_community_id(self):
        return self.community_id

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_editable(self) -> bool:
        """The content may change: not while the plan is on approval (an approved plan under
        ``check_sessions_kept``)."""
        return not self.is_submitted

    def check_content_editable(self) -> None:
        """Refuse a change of the content (the plan's text or its events) while the plan is on approval."""
        stored = AnnualPlan.objects.filter(pk=self.pk).values_list("status", flat=True).first() if self.pk else None
        if stored == self.Status.SUBMITTED:
            raise ValidationError(ON_APPROVAL_MESSAGE, code="plan_on_approval")

    def submission_refusal(self, teacher: Teacher | None) -> str:
        """Why ``teacher`` cannot send the plan for approval now, or "": only the community's current leader, only
        a draft or a returned plan, only with enough sessions (the protocol it names is checked by
        ``meetings.PlanDiscussion``)."""
        if not self.community.is_led_by(teacher, timezone.localdate()):
            return SUBMITTER_ONLY_MESSAGE
        if self.is_submitted:
            return "План уже отправлен на утверждение."
        if self.is_approved:
            return "План уже утверждён."
        return self.approval_refusal()

    def reviewer_refusal(self, user) -> str:
        """Why ``user`` may not approve or return the plan at all, or "": only a methodist of the ИОЦ or the
        Department, and not the leader of the plan's community nor the teacher who sent it."""
        from communities.access import sees_district, teacher_of  # access builds on the models

        if not sees_district(user):
            return REVIEWER_ONLY_MESSAGE
        teacher = teacher_of(user)
        if teacher is not None and (
            teacher.pk == self.submitted_by_id or self.community.is_led_by(teacher, timezone.localdate())
        ):
            return OWN_PLAN_MESSAGE
        return ""

    def review_refusal(self) -> str:
        """Why the plan cannot be approved or returned now, or "": only a plan on approval is."""
        if not self.is_submitted:
            return f"Утвердить или вернуть можно только план на утверждении; этот план — «{self.get_status_display()}»."
        return ""

    def required_sessions(self) -> int:
        """The sessions the plan needs: its community's number for the plan's year (pro-rated when founded in it)."""
        return required_sessions(self.community, self.academic_year)

    def planned_sessions_count(self) -> int:
        """Planned events that count as sessions under regulation 4.2 (see communities.activity); for many plans
        in one query, ``AnnualPlan.objects.with_session_count()``."""
        return self.items.filter(form__in=SESSION_FORMS).count()

    def sessions_missing(self, planned: int | None = None) -> int:
        """How many more sessions the plan needs; ``planned``: its planned sessions when already counted
        (``session_count`` of ``with_session_count``), else they are counted here."""
        planned = self.planned_sessions_count() if planned is None else planned
        return max(0, self.required_sessions() - planned)

    def approval_refusal(self) -> str:
        """Why the plan cannot be approved yet, or "" when it plans enough sessions."""
        if not (missing := self.sessions_missing()):
            return ""
        return sessions_missing_message(
            missing, self.required_sessions(), prorated_note(self.community, self.academic_year)
        )

    def check_sessions_kept(self, *, before: int, after: int) -> None:
        """The policy for editing an approved plan (see the module's docstring): a change that takes the planned
        sessions from ``before`` to ``after`` is refused when the plan is approved, the change lowers them and
        leaves fewer than required. Raises ``ValidationError`` with ``approved_minimum_message``."""
        if self.is_approved and after < before and after < (required := self.required_sessions()):
            raise ValidationError(approved_minimum_message(required), code="approved_plan_minimum")

    def clean(self):
        self.return_comment = self.return_comment.strip()
        if self.status == self.Status.RETURNED and not self.return_comment:
            raise ValidationError({"return_comment": RETURN_NEEDS_COMMENT_MESSAGE})
        stored = AnnualPlan.objects.filter(pk=self.pk).values(*self.CONTENT_FIELDS, "status").first() if self.pk else {}
        if stored.get("status") == self.Status.SUBMITTED and any(
            stored[name] != getattr(self, name) for name in self.CONTENT_FIELDS
        ):
            raise ValidationError(ON_APPROVAL_MESSAGE, code="plan_on_approval")
        stored = stored.get("status")
        # Checked when a plan becomes approved, so raising the minimum later does not lock old plans.
        if self.is_approved and stored != self.Status.APPROVED and (refusal := self.approval_refusal()):
            raise ValidationError(refusal)


def check_items_removable(items) -> None:
    """Refuse deleting ``items`` (plan events, any plans) when that takes an approved plan below its required
    sessions (``AnnualPlan.check_sessions_kept``): one ``ValidationError`` naming every such plan."""
    items = list(items)
    if AnnualPlan.objects.filter(pk__in={item.plan_id for item in items}, status=AnnualPlan.Status.SUBMITTED).exists():
        raise ValidationError(ON_APPROVAL_MESSAGE, code="plan_on_approval")
    removed = Counter(item.plan_id for item in items if item.form in SESSION_FORMS)
    refusals = []
    plans = AnnualPlan.objects.filter(pk__in=removed, status=AnnualPlan.Status.APPROVED).select_related("community")
    for plan in plans.with_session_count():
        try:
            plan.check_sessions_kept(before=plan.session_count, after=plan.session_count - removed[plan.pk])
        except ValidationError as error:
            refusals.append(error.messages[0] if len(removed) == 1 else f"{plan}. {error.messages[0]}")
    if refusals:
        raise ValidationError(refusals, code="approved_plan_minimum")


class PlanItemQuerySet(models.QuerySet):
    def delete(self):
        """Deleting events keeps an approved plan's sessions (``check_items_removable``)."""
        check_items_removable(list(self.only("pk", "plan_id", "form")))
        return super().delete()


class PlanItem(models.Model):
    """A planned event. The meeting that fulfilled it points here (``Meeting.plan_item``),
    so ``plan_item.meeting`` is that meeting, and ``communities`` needs nothing of ``meetings``."""

    plan = models.ForeignKey(AnnualPlan, verbose_name="план", on_delete=models.CASCADE, related_name="items")
    month = models.PositiveSmallIntegerField(
        "месяц",
        choices=MONTHS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
        null=True,
        blank=True,
    )
    planned_on = models.DateField("дата", null=True, blank=True, validators=[validate_date])
    topic = models.CharField("тема", max_length=limits.PLAN_ITEM_TOPIC, validators=[limits.NoUnbreakableWords()])
    form = models.CharField("форма работы", max_length=30, choices=grouped_choices(), default=ActivityForm.SESSION)
    responsible = models.ForeignKey(
        Teacher,
        verbose_name="ответственный",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_items",
    )
    expected_result = models.TextField("ожидаемый результат", blank=True, **limits.bounded(limits.PLAN_ITEM_RESULT))

    objects = PlanItemQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "мероприятие плана"
        verbose_name_plural = "мероприятия плана"
        # Months in academic order: September first, August last.
        ordering = ["plan_id", Mod(F("month") + 3, 12).asc(), "planned_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(month__isnull=False) | Q(planned_on__isnull=False),
                name="plan_item_has_month_or_date",
                violation_error_message="Укажите месяц или дату мероприятия.",
            ),
        ]

    def __str__(self):
        return self.topic

    @property
    def audit_community_id(self):
        return self.plan.community_id

    @property
    def counts_as_session(self) -> bool:
        return ActivityForm(self.form).counts_as_session

    @property
    def when(self) -> str:
        if self.planned_on:
            return f"{self.planned_on:%d.%m.%Y}"
        return self.get_month_display() or ""

    def delete(self, *args, **kwargs):
        """Deleting an event keeps an approved plan's sessions (``check_items_removable``)."""
        if self.pk is not None:
            check_items_removable(PlanItem.objects.filter(pk=self.pk).only("pk", "plan_id", "form"))
        return super().delete(*args, **kwargs)

    def clean(self):
        if self.plan_id:
            self.plan.check_content_editable()
        if self.pk and self.plan_id and self.form not in SESSION_FORMS:
            # A counting event changed to a form that does not count: the approved plan keeps its sessions.
            stored = PlanItem.objects.filter(pk=self.pk).values_list("form", flat=True).first()
            if stored in SESSION_FORMS:
                sessions = self.plan.planned_sessions_count()
                try:
                    self.plan.check_sessions_kept(before=sessions, after=sessions - 1)
                except ValidationError as error:
                    raise ValidationError({"form": error.messages}) from None
        if self.responsible_id and self.plan_id:
            members = Membership.objects.active_during(self.plan.academic_year).filter(
                community_id=self.plan.community_id
            )
            if not members.filter(teacher_id=self.responsible_id).exists():
                raise ValidationError({"responsible": "Ответственным может быть только член этого ПОС."})
        if self.planned_on:
            if self.plan_id and self.planned_on not in self.plan.academic_year:
                raise ValidationError({"planned_on": f"Дата должна входить в {self.plan.academic_year} учебный год."})
            self.month = self.planned_on.month
        elif self.month is None:
            raise ValidationError({"month": "Укажите месяц или дату мероприятия."})
