"""«Ознакомлен(а) с протоколом»: a member's receipt of a signed protocol, which the leader sees counted (the same
idea as the regulation's acknowledgement). One per protocol and teacher; only a signed protocol is acknowledged,
and only by a member of its community on the day."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone

from communities.models import Teacher
from meetings.models.protocols import Protocol

NOT_SIGNED_MESSAGE = "С протоколом можно ознакомиться только после его подписания."
SIGNER_MESSAGE = "Вы подписали этот протокол: отмечать ознакомление не нужно."
NOT_MEMBER_MESSAGE = "Ознакомиться с протоколом может только участник сообщества."


class ProtocolReceipt(models.Model):
    protocol = models.ForeignKey(Protocol, verbose_name="протокол", on_delete=models.CASCADE, related_name="receipts")
    teacher = models.ForeignKey(
        Teacher, verbose_name="педагог", on_delete=models.CASCADE, related_name="protocol_receipts"
    )
    acknowledged_at = models.DateTimeField("ознакомлен(а)", default=timezone.now)

    class Meta:
        verbose_name = "ознакомление с протоколом"
        verbose_name_plural = "ознакомления с протоколами"
        constraints = [models.UniqueConstraint(fields=["protocol", "teacher"], name="protocol_receipt_once")]

    def __str__(self):
        return f"{self.teacher} — {self.protocol}"

    @staticmethod
    def refusal(protocol: Protocol, teacher: Teacher | None) -> str:
        """Why ``teacher`` may not acknowledge ``protocol`` today ("" when they may)."""
        if not protocol.is_signed:
            return NOT_SIGNED_MESSAGE
        if teacher is None:
            return NOT_MEMBER_MESSAGE
        if teacher.pk == protocol.signed_by_id:
            return SIGNER_MESSAGE
        members = Teacher.objects.members_of(protocol.meeting.community_id, timezone.localdate())
        if not members.filter(pk=teacher.pk).exists():
            return NOT_MEMBER_MESSAGE
        return ""

    def clean(self):
        super().clean()
        if self.protocol_id and (message := self.refusal(self.protocol, getattr(self, "teacher", None))):
            raise ValidationError(message)

    @classmethod
    def record(cls, protocol: Protocol, teacher: Teacher | None) -> "ProtocolReceipt":
        """The teacher's receipt of the protocol (the earlier one when they acknowledged it already)."""
        if message := cls.refusal(protocol, teacher):
            raise ValidationError(message)
        receipt, _created = cls.objects.get_or_create(protocol=protocol, teacher=teacher)
        return receipt


def receipt_counts(protocol: Protocol) -> tuple[int, int, list[Teacher]]:
    """For the leader's page: how many of the community's current members acknowledged the signed protocol, of
    how many, and who has not yet (two queries, whatever the number of members). Its signer is not counted: they
    signed it."""
    members = list(
        Teacher.objects.members_of(protocol.meeting.community_id, timezone.localdate())
        .exclude(pk=protocol.signed_by_id)
        .order_by("surname", "name", "patronymic", "pk")
    )
    done = set(ProtocolReceipt.objects.filter(protocol=protocol).values_list("teacher_id", flat=True))
    waiting = [teacher for teacher in members if teacher.pk not in done]
    return len(members) - len(waiting), len(members), waiting
