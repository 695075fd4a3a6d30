"""The meeting where an annual plan was discussed (РАССМОТРЕНО на заседании ПОС, протокол № … от …).

``communities`` knows nothing of meetings, so the link lives here: a plan sent for approval names the signed
protocol of a meeting of its own community in the plan's academic year (``meetings.services.plan_submit``). The
plan's PDF and .docx print it; a plan sent again after a return may name another protocol.
"""

from django.core.exceptions import ValidationError
from django.db import models

from communities.models import AnnualPlan
from communities.models.history import audit_trail
from meetings.models.protocols import Protocol

PROTOCOL_NOT_SIGNED_MESSAGE = "План рассматривают на заседании: выберите подписанный протокол."
PROTOCOL_OTHER_COMMUNITY_MESSAGE = "Выберите протокол заседания этого же ПОС."


def protocol_year_message(plan: AnnualPlan) -> str:
    return (
        f"План на {plan.academic_year} учебный год рассматривают на заседании этого или конца прошлого учебного "
        f"года ({plan.academic_year.previous()})."
    )


class PlanDiscussion(models.Model):
    plan = models.OneToOneField(AnnualPlan, verbose_name="план", on_delete=models.CASCADE, related_name="discussion")
    protocol = models.ForeignKey(
        Protocol, verbose_name="протокол заседания", on_delete=models.PROTECT, related_name="plan_discussions"
    )
    created_at = models.DateTimeField("записано", auto_now_add=True)
    updated_at = models.DateTimeField("изменено", auto_now=True)

    history = audit_trail()

    class Meta:
        verbose_name = "рассмотрение плана на заседании"
        verbose_name_plural = "рассмотрения планов на заседаниях"

    def __str__(self):
        return f"{self.plan}: {self.protocol}"

    @property
    def audit_community_id(self):
        return self.plan.community_id

    @staticmethod
    def protocols_for(plan: AnnualPlan):
        """The protocols a plan may name: signed, of its community, of the plan's academic year or the one before
        (a plan is often discussed at the last meeting of the year before)."""
        return (
            Protocol.objects.signed()
            .filter(
                community_id=plan.community_id,
                academic_year__in=[plan.academic_year, plan.academic_year.previous()],
            )
            .select_related("meeting")
            .order_by("-meeting__date", "-number")
        )

    def clean(self):
        if not (self.plan_id and self.protocol_id):
            return
        if self.protocol.community_id != self.plan.community_id:
            raise ValidationError({"protocol": PROTOCOL_OTHER_COMMUNITY_MESSAGE})
        if not self.protocol.is_signed:
            raise ValidationError({"protocol": PROTOCOL_NOT_SIGNED_MESSAGE})
        if self.protocol.academic_year not in (self.plan.academic_year, self.plan.academic_year.previous()):
            raise ValidationError({"protocol": protocol_year_message(self.plan)})
