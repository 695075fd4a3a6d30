"""Regulations (положения) and the acknowledgement sheet (лист ознакомления)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from communities.models.communities import Community, Membership
from communities.models.history import audit_trail
from communities.models.people import Teacher
from communities.models.versioned import VersionedModel
from communities.validators import generated_upload_name, validate_document_file


def regulation_upload_to(instance, filename):
    return generated_upload_name("regulations", filename)


class RegulationQuerySet(models.QuerySet):
    def district_wide(self):
        return self.filter(community__isnull=True)

    def for_teacher(self, teacher):
        """District-wide regulations and those of the communities the teacher belongs to."""
        current = Membership.objects.active_on(timezone.localdate()).filter(teacher=teacher).values("community_id")
        return self.filter(Q(community__isnull=True) | Q(community_id__in=current))

    def with_acknowledged_count(self, teachers):
        """``acknowledged_count``: how many of ``teachers`` (teacher ids: a list, or a queryset of ids) acknowledged
        each regulation. A correlated subquery, never a join with the district regulation's thousands of
        acknowledgements; with a list of ids each is one probe of the (regulation, teacher) index."""
        acknowledged = (
            Acknowledgement.objects.filter(regulation=OuterRef("pk"), teacher_id__in=teachers)
            .order_by()
            .values("regulation")
            .annotate(count=Count("pk"))
            .values("count")
        )
        return self.annotate(acknowledged_count=Coalesce(Subquery(acknowledged), 0))


class Regulation(VersionedModel):
    title = models.CharField("название", max_length=500)
    community = models.ForeignKey(
        Community,
        verbose_name="ПОС",
        help_text="Пусто — положение действует для всех ПОС района.",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="regulations",
    )
    text = models.TextField("текст", blank=True)
    file = models.FileField("файл", upload_to=regulation_upload_to, blank=True, validators=[validate_document_file])
    recommended_by = models.CharField(
        "рекомендовано", max_length=300, blank=True, help_text="Например: педагогическим советом МКДОУ …"
    )
    recommended_protocol_number = models.CharField("протокол №", max_length=50, blank=True)
    recommended_on = models.DateField("дата протокола", null=True, blank=True)
    approved_by = models.CharField(
        "утверждено", max_length=300, blank=True, help_text="Например: приказом руководителя МКДОУ …"
    )
    approved_order_number = models.CharField("приказ №", max_length=50, blank=True)
    approved_on = models.DateField("дата приказа", null=True, blank=True)
    effective_from = models.DateField("действует с", default=timezone.localdate)

    objects = RegulationQuerySet.as_manager()

    history = audit_trail()

    class Meta:
        verbose_name = "положение"
        verbose_name_plural = "положения"
        ordering = ["-effective_from", "title"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(text="") | ~Q(file=""),
                name="regulation_has_text_or_file",
                violation_error_message="Приложите текст положения или файл.",
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def scope(self) -> str:
        return str(self.community) if self.community_id else "все ПОС района"

    @property
    def recommended_requisites(self) -> str:
        """«Рекомендовано педсоветом, протокол № 7 от 22.11.2022»."""
        if not self.recommended_by:
            return ""
        text = f"Рекомендовано {self.recommended_by}"
        if self.recommended_protocol_number:
            text += f", протокол № {self.recommended_protocol_number}"
        if self.recommended_on:
            text += f" от {self.recommended_on:%d.%m.%Y}"
        return text

    @property
    def approved_requisites(self) -> str:
        """«Утверждено приказом № 195-Т от 22.11.2022»."""
        if not self.approved_by:
            return ""
        text = f"Утверждено {self.approved_by}"
        if self.approved_order_number:
            text += f" № {self.approved_order_number}"
        if self.approved_on:
            text += f" от {self.approved_on:%d.%m.%Y}"
        return text

    def clean(self):
        if not self.text.strip() and not self.file:
            raise ValidationError("Приложите текст положения или файл.")

    @property
    def audit_community_id(self):
        """The community of its own regulation; none for a district-wide one."""
        return self.community_id


class Acknowledgement(models.Model):
    """One row of the acknowledgement sheet: the teacher has read the regulation."""

    # No index of its own: the unique (regulation, teacher) index below leads with it. A second index on the
    # regulation alone made PostgreSQL read all 20 000 acknowledgements of the district regulation to find a
    # community's dozen members (its statistics expect a few dozen rows per regulation).
    regulation = models.ForeignKey(
        Regulation,
        verbose_name="положение",
        on_delete=models.CASCADE,
        related_name="acknowledgements",
        db_index=False,
    )
    teacher = models.ForeignKey(
        Teacher, verbose_name="педагог", on_delete=models.PROTECT, related_name="acknowledgements"
    )
    acknowledged_on = models.DateField("дата ознакомления", default=timezone.localdate)
    created_at = models.DateTimeField("записано", auto_now_add=True)

    history = audit_trail()

    class Meta:
        verbose_name = "ознакомление с положением"
        verbose_name_plural = "лист ознакомления"
        ordering = ["regulation_id", "acknowledged_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["regulation", "teacher"],
                name="acknowledgement_once_per_teacher",
                violation_error_message="Педагог уже ознакомлен с этим положением.",
            ),
        ]

    def __str__(self):
        return f"{self.teacher} ознакомлен(а) с «{self.regulation}»"

    def clean(self):
        if not (self.regulation_id and self.teacher_id):
            return
        regulation = self.regulation
        on = self.acknowledged_on or timezone.localdate()
        if (
            regulation.community_id
            and not Membership.objects.active_on(on)
            .filter(community_id=regulation.community_id, teacher_id=self.teacher_id)
            .exists()
        ):
            raise ValidationError({"teacher": "С положением ПОС знакомятся члены этого сообщества."})
        if self.acknowledged_on and self.acknowledged_on > timezone.localdate():
            raise ValidationError({"acknowledged_on": "Дата ознакомления не может быть в будущем."})

    @property
    def audit_community_id(self):
        """The community of the regulation acknowledged; none for a district-wide one."""
        return self.regulation.community_id
