"""The secret address of a person's calendar feed: a calendar application subscribes to it without signing in, so
the token is the key, and the person can revoke it (a new token, the old address answers 404)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="пользователь", on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField("ключ адреса", max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField("создан", default=timezone.now, editable=False)

    class Meta:
        verbose_name = "адрес календаря"
        verbose_name_plural = "адреса календарей"

    def __str__(self):
        return f"Календарь {self.user}"

    @classmethod
    def of(cls, user) -> "CalendarFeed":
        """The user's feed, made on first use."""
        feed, _created = cls.objects.get_or_create(user=user)
        return feed

    @classmethod
    def issue(cls, user) -> tuple["CalendarFeed", bool]:
        """«Получить адрес» / «Заменить адрес»: the user's first address (True), or a new one in place of the old,
        which stops working at once (False)."""
        feed, created = cls.objects.get_or_create(user=user)
        if not created:
            feed.renew()
        return feed, created

    def renew(self) -> None:
        """A new secret address; the old one stops working at once."""
        self.token = new_token()
        self.created_at = timezone.now()
        self.save(update_fields=["token", "created_at"])
