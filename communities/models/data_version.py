"""The version of the district's data: one row whose token changes after every committed change.

The dashboard, the district summary and its exports aggregate every community of the district; on a region's
data that is a second of work. They, and the other district-wide pieces of pages, are cached under this token
(``communities.data_version``): computed once per change of the data, and every worker and app server sees a change
as soon as it is committed.
"""

import uuid

from django.db import models
from django.utils import timezone


def new_token() -> str:
    return uuid.uuid4().hex


class DataVersion(models.Model):
    """A single row (pk 1). A random token, not a counter: a database restored or regenerated under the same
    cache never meets the cached results of another one."""

    token = models.CharField("версия данных", max_length=32, default=new_token)
    changed_at = models.DateTimeField("изменено", default=timezone.now)

    class Meta:
        verbose_name = "версия данных района"
        verbose_name_plural = "версия данных района"

    def __str__(self):
        return f"{self.token} ({self.changed_at:%d.%m.%Y %H:%M:%S})"
