"""Communities, their members and the leaders appointed by orders of the Department."""

import datetime as dt
import re

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.utils import timezone

from communities.models.history import audit_trail
from communities.models.people import Organization, Teacher, ioc_full_name
from communities.models.versioned import VersionedModel
from pos_portal import limits
from pos_portal.academic_year import AcademicYear, validate_date
from pos_portal.typography import as_name

#: The community's kind in the genitive, as a heading says it.
COMMUNITY_GENITIVE = "профессионального обучающегося сообщества"
#: A name that starts with the kind («ПОС …», «ПСО …», «Профессиональное обучающееся сообщество …»): the heading
#: says the kind once.
KIND_PREFIX = re.compile(r"^(?:ПОС|ПСО|профессиональное\s+обучающееся\s+сообщество)(?:\s+|$)", re.IGNORECASE)


class CommunityQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_archived=False)

    def with_member_count(self, day: dt.date | None = None):
        """``member_count``: members on ``day`` (today by default). A correlated subquery, so a page of 25
        communities counts the members of those 25 only, not of every community before the LIMIT."""
        members = (
            Membership.objects.active_on(day or timezone.localdate())
            .filter(community=OuterRef("pk"))
            .order_by()
            .values("community")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(member_count=Coalesce(Subquery(members), 0))


class Community(VersionedModel):
    class Level(models.TextChoices):
        MUNICIPAL = "municipal", "Муниципальное"
        INSTITUTIONAL = "institutional", "Институциональное (в ОО)"

    name = models.CharField("название", max_length=limits.COMMUNITY_NAME, validators=[limits.NoUnbreakableWords()])
    theme = models.CharField(
        "тема работы", max_length=limits.COMMUNITY_THEME, blank=True, validators=[limits.NoUnbreakableWords()]
    )
    level = models.CharField("уровень", max_length=20, choices=Level.choices)
    organization = models.ForeignKey(
        Organization,
        verbose_name="базовая организация",
        help_text="Обязательна для институционального ПОС: сообщество действует внутри одной ОО.",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="communities",
    )
    description = models.TextField("описание", blank=True, **limits.bounded(limits.DESCRIPTION))
    founded_on = models.DateField("дата создания", default=timezone.localdate, validators=[validate_date])
    is_archived = models.BooleanField("в архиве", default=False)

    objects = CommunityQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "ПОС"
        verbose_name_plural = "ПОС (сообщества)"
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(level="institutional") | Q(organization__isnull=False),
                name="community_institutional_has_organization",
                violation_error_message="Для институционального ПОС укажите базовую организацию.",
            ),
            models.UniqueConstraint(
                Lower("name"),
                condition=Q(is_archived=False),
                name="community_unique_active_name",
                violation_error_message="Действующее сообщество с таким названием уже есть.",
            ),
        ]
        indexes = [
            # Lists show the active (or the archived) communities by name: a page of 25 reads 25 index entries
            # instead of sorting the district.
            models.Index(fields=["is_archived", "name", "id"], name="community_list_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def audit_community_id(self):
        return self.pk

    def clean(self):
        if self.level == self.Level.INSTITUTIONAL and not self.organization_id:
            raise ValidationError({"organization": "Для институционального ПОС укажите базовую организацию."})
        if self.level == self.Level.INSTITUTIONAL and self.pk:
            strangers = (
                Membership.objects.current()
                .filter(community_id=self.pk)
                .exclude(teacher__organization_id=self.organization_id)
                .select_related("teacher")
            )
            names = ", ".join(membership.teacher.short_name for membership in strangers[:5])
            if names:
                raise ValidationError(
                    {"organization": f"В институциональном ПОС все члены из одной организации; сейчас нет: {names}."}
                )

    @property
    def title_genitive(self) -> str:
        """The community in the genitive, as a document's heading names it after «заседания» / «на заседании»:
        «профессионального обучающегося сообщества учителей математики» for «ПОС учителей математики» (the kind
        is not repeated), «… сообщества «Математическая вертикаль»» for a proper name (in «ёлочки», its own
        quotes as „лапки“), «… сообщества «Наставничество» МОУ «Лицей № 1»» as it stands (typography.as_name)."""
        rest = KIND_PREFIX.sub("", " ".join(self.name.split()), count=1)
        if not rest:
            return COMMUNITY_GENITIVE
        return f"{COMMUNITY_GENITIVE} {as_name(rest)}"

    def document_organization_name(self, ioc_name: str | None = None) -> str:
        """The organization named at the top of the community's documents: its own for an institutional community,
        the ИОЦ (which coordinates the district's communities) for a municipal one. ``ioc_name``: the ИОЦ's name
        when the caller read it already (``ioc_full_name_subquery``); otherwise it is read now."""
        if self.organization_id:
            return self.organization.full_name
        return ioc_name or ioc_full_name()

    def leader_appointment_on(self, day: dt.date):
        return self.appointments.current_on(day).select_related("teacher").first()

    def leader_on(self, day: dt.date) -> Teacher | None:
        appointment = self.leader_appointment_on(day)
        return appointment.teacher if appointment else None

    def is_led_by(self, teacher: Teacher | None, day: dt.date) -> bool:
        """``teacher`` is the community's leader on ``day``, in person (the one rule for «the leader signs, corrects,
        reports»: ``communities.access.leads``, signing and correcting a protocol read it)."""
        leader = self.leader_on(day)
        return teacher is not None and leader is not None and leader.pk == teacher.pk

    @property
    def current_leader(self) -> Teacher | None:
        return self.leader_on(timezone.localdate())


LEADER_CANNOT_LEAVE = "Это действующий руководитель ПОС: сначала оформите приказ о назначении нового руководителя."


class MembershipQuerySet(models.QuerySet):
    def active_on(self, day: dt.date):
        return self.filter(joined_on__lte=day).filter(Q(left_on__isnull=True) | Q(left_on__gte=day))

    def active_during(self, year: AcademicYear):
        """Members on at least one day of ``year``: joined by its last day and not left before its first (who
        may be responsible for a plan's event, who the annual report lists)."""
        return self.filter(joined_on__lte=year.end).filter(Q(left_on__isnull=True) | Q(left_on__gte=year.start))

    def current(self):
        return self.active_on(timezone.localdate())


class Membership(VersionedModel):
    """A teacher's membership in a community. Membership is voluntary and members are equal
    (kindergarten regulation 1.4–1.5); the role says which function a member performs. The
    leader is not a role here: leadership comes from a ``LeaderAppointment`` (an order)."""

    class Role(models.TextChoices):
        MEMBER = "member", "Член ПОС"
        DEPUTY = "deputy", "Заместитель руководителя"
        SECRETARY = "secretary", "Секретарь"

    teacher = models.ForeignKey(Teacher, verbose_name="педагог", on_delete=models.PROTECT, related_name="memberships")
    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField("роль", max_length=20, choices=Role.choices, default=Role.MEMBER)
    duties = models.TextField("обязанности", blank=True, **limits.bounded(limits.DESCRIPTION))
    joined_on = models.DateField("дата вступления", default=timezone.localdate, validators=[validate_date])
    left_on = models.DateField("дата выхода", null=True, blank=True, validators=[validate_date])

    objects = MembershipQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "членство в ПОС"
        verbose_name_plural = "членство в ПОС"
        ordering = ["community_id", "joined_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["teacher", "community"],
                condition=Q(left_on__isnull=True),
                name="membership_one_open_per_teacher",
                violation_error_message="Этот педагог уже состоит в сообществе.",
            ),
            models.CheckConstraint(
                condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("joined_on")),
                name="membership_left_after_joined",
                violation_error_message="Дата выхода не может быть раньше даты вступления.",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} — {self.community}"

    @property
    def audit_community_id(self):
        return self.community_id

    def is_active_on(self, day: dt.date) -> bool:
        return self.joined_on <= day and (self.left_on is None or self.left_on >= day)

    def clean(self):
        if not (self.teacher_id and self.community_id and self.joined_on):
            return
        community = self.community
        if self._state.adding and community.is_archived:
            raise ValidationError("Сообщество в архиве: новых членов принять нельзя.")
        if (
            community.level == Community.Level.INSTITUTIONAL
            and self._state.adding
            and self.teacher.organization_id != community.organization_id
        ):
            raise ValidationError(
                {"teacher": f"Институциональный ПОС объединяет педагогов одной организации: {community.organization}."}
            )
        others = Membership.objects.filter(teacher_id=self.teacher_id, community_id=self.community_id).exclude(
            pk=self.pk
        )
        end = self.left_on or dt.date.max
        overlapping = others.filter(joined_on__lte=end).filter(Q(left_on__isnull=True) | Q(left_on__gte=self.joined_on))
        if overlapping.exists():
            raise ValidationError("У педагога уже есть членство в этом сообществе за эти даты.")
        if (
            self.left_on
            and self.teacher.appointments.filter(community_id=self.community_id)
            .filter(Q(ends_on__isnull=True) | Q(ends_on__gt=self.left_on))
            .exists()
        ):
            raise ValidationError({"left_on": LEADER_CANNOT_LEAVE})


class LeaderAppointmentQuerySet(models.QuerySet):
    def current_on(self, day: dt.date):
        """Appointments in force on ``day``: started by then and not ended before (``is_current_on`` for one)."""
        return self.filter(starts_on__lte=day).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))

    def current(self):
        return self.current_on(timezone.localdate())

    def open(self):
        """Appointments without an end date: the one a new order of the community ends (``leader_appoint``)."""
        return self.filter(ends_on__isnull=True)


class LeaderAppointment(models.Model):
    """The appointment of a community's leader by an order of the Education Department
    (district regulation 4.1). Appointments are never overwritten: a new order ends the
    previous appointment, so the history stays."""

    community = models.ForeignKey(Community, verbose_name="ПОС", on_delete=models.CASCADE, related_name="appointments")
    teacher = models.ForeignKey(
        Teacher, verbose_name="руководитель", on_delete=models.PROTECT, related_name="appointments"
    )
    order_number = models.CharField("номер приказа", max_length=50)
    order_date = models.DateField("дата приказа", validators=[validate_date])
    issued_by = models.ForeignKey(
        Organization,
        verbose_name="кем издан",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": Organization.Kind.DEPARTMENT},
        related_name="issued_appointments",
    )
    starts_on = models.DateField("руководит с", validators=[validate_date])
    ends_on = models.DateField("руководит по", null=True, blank=True, validators=[validate_date])
    note = models.CharField("примечание", max_length=300, blank=True)

    objects = LeaderAppointmentQuerySet.as_manager()
    history = audit_trail()

    class Meta:
        verbose_name = "приказ о назначении руководителя"
        verbose_name_plural = "приказы о назначении руководителей"
        ordering = ["community_id", "-starts_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["community"],
                condition=Q(ends_on__isnull=True),
                name="appointment_one_open_per_community",
                violation_error_message="У сообщества уже есть действующий руководитель.",
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="appointment_ends_after_start",
                violation_error_message="Дата окончания не может быть раньше даты начала.",
            ),
        ]

    def __str__(self):
        return f"Приказ № {self.order_number} от {self.order_date:%d.%m.%Y}: {self.teacher} — {self.community}"

    @staticmethod
    def previous_ends_on(starts_on: dt.date) -> dt.date:
        """The day a new appointment starting on ``starts_on`` ends the open one: the day before."""
        return starts_on - dt.timedelta(days=1)

    @property
    def audit_community_id(self):
        return self.community_id

    def is_current_on(self, day: dt.date) -> bool:
        """In force on ``day``: the rule of ``LeaderAppointmentQuerySet.current_on``, for a loaded appointment."""
        return self.starts_on <= day and (self.ends_on is None or self.ends_on >= day)

    def clean(self):
        errors = {}
        if self.issued_by_id and self.issued_by.kind != Organization.Kind.DEPARTMENT:
            errors["issued_by"] = "Руководителя ПОС назначает приказом Департамент образования."
        if self.community_id and self.starts_on:
            end = self.ends_on or dt.date.max
            overlapping = (
                LeaderAppointment.objects.filter(community_id=self.community_id, starts_on__lte=end)
                .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=self.starts_on))
                .exclude(pk=self.pk)
            )
            if overlapping.exists():
                errors["starts_on"] = (
                    "В эти даты у сообщества уже есть руководитель. Завершите предыдущее назначение "
                    "(укажите дату «руководит по»)."
                )
            if self.teacher_id and not (
                Membership.objects.active_on(self.starts_on)
                .filter(teacher_id=self.teacher_id, community_id=self.community_id)
                .exists()
            ):
                errors["teacher"] = "Руководитель должен быть членом ПОС на дату начала руководства."
        if errors:
            raise ValidationError(errors)
