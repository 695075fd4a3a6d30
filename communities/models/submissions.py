"""Forms that create something, submitted once: the one-time token of each rendered form, recorded in the
transaction that created (``communities/submissions.py``)."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """One rendered create form, submitted and saved: a second POST with the same token (a double click, a form
    sent again from the browser's history) finds this row and goes to ``url`` instead of creating again."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.UUIDField("код формы")
    url = models.CharField("куда привело сохранение", max_length=500, blank=True, editable=False)
    created_at = models.DateTimeField("сохранено", default=timezone.now, db_index=True)

    class Meta:
        verbose_name = "отправленная форма"
        verbose_name_plural = "отправленные формы"
        constraints = [models.UniqueConstraint(fields=["user", "token"], name="form_submission_once_per_user")]

    def __str__(self):
        return f"{self.token} ({self.created_at:%d.%m.%Y %H:%M:%S})"
