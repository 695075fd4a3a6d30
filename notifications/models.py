"""The outbox (one row per event and person: a retry or a second worker never sends a letter twice) and what each
person chose to receive."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from notifications.kinds import CHOICES


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Сразу"
    DAILY = "daily", "Раз в день, одним письмом"


class Outbox(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Ждёт отправки"
        SENT = "sent", "Отправлено"
        FAILED = "failed", "Не отправлено"
        SKIPPED = "skipped", "Пропущено"
        DIGESTED = "digested", "В ежедневной сводке"

    kind = models.CharField("вид письма", max_length=40, choices=CHOICES)
    event_key = models.CharField("событие", max_length=200)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="получатель", on_delete=models.CASCADE, related_name="+"
    )
    payload = models.JSONField("данные", default=dict, blank=True)
    delivery = models.CharField("доставка", max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)
    status = models.CharField("статус", max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField("попыток", default=0)
    last_error = models.TextField("последняя ошибка", blank=True)
    address = models.EmailField("адрес", blank=True)
    created_at = models.DateTimeField("создано", auto_now_add=True)
    claimed_at = models.DateTimeField("взято на отправку", null=True, blank=True)
    next_attempt_at = models.DateTimeField("следующая попытка", null=True, blank=True)
    sent_at = models.DateTimeField("отправлено", null=True, blank=True)
    digest = models.ForeignKey(
        "self", verbose_name="в сводке", on_delete=models.SET_NULL, null=True, blank=True, related_name="included"
    )

    class Meta:
        verbose_name = "письмо"
        verbose_name_plural = "исходящие письма"
        constraints = [
            models.UniqueConstraint(fields=["kind", "event_key", "recipient"], name="outbox_once_per_event_and_person")
        ]
        indexes = [models.Index(fields=["status", "delivery"], name="outbox_status_delivery")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.recipient} ({self.get_status_display()})"


class Preference(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField("вид письма", max_length=40, choices=CHOICES)
    enabled = models.BooleanField("получать", default=True)
    delivery = models.CharField("когда", max_length=10, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        verbose_name = "настройка уведомлений"
        verbose_name_plural = "настройки уведомлений"
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="preference_once_per_user_and_kind")]

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"

    @classmethod
    def of(cls, user_ids, kind: str) -> dict[int, Preference]:
        """The preferences of these users for ``kind`` (one query); a user without a row gets the default: on, at
        once."""
        return {pref.user_id: pref for pref in cls.objects.filter(user_id__in=list(user_ids), kind=kind)}
