"""The audit trail: every change to a community and its records, with who, when and what (django-simple-history).

Each audited model declares ``history = audit_trail()`` and says which community a row belongs to
(``audit_community_id``). Every save and delete writes a row to the model's historical table (``<app>_historical…``)
with the user of the request (``simple_history.middleware.HistoryRequestMiddleware``), the time (UTC) and every field
as it then was. The historical rows carry the community's id, so that a community's history is one indexed filter
per table and outlives the deletion of a parent (a meeting's deleted attendance still shows).

The historical tables are separate tables: the signed-protocol triggers (``meetings/db_guards.py``) guard only the
live tables, so recording history never meets them, and a signed protocol still cannot change.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class CommunityHistory(models.Model):
    """Base of every historical model of the audit trail."""

    history_community_id = models.BigIntegerField("ПОС", null=True, db_index=True, editable=False)

    class Meta:
        abstract = True


def audit_trail() -> HistoricalRecords:
    return HistoricalRecords(
        bases=[CommunityHistory],
        history_id_field=models.BigAutoField(primary_key=True),
        # History is kept when its row is deleted: the deletion is a change too.
        cascade_delete_history=False,
    )


@receiver(pre_create_historical_record, dispatch_uid="pos_audit_community")
def stamp_community(sender, instance, history_instance, **kwargs):
    if not isinstance(history_instance, CommunityHistory):
        return
    # A value saved as an expression (the admin saves ``version = F("version") + 1``) is recorded as the database
    # computed it.
    computed = [
        field.attname
        for field in history_instance._meta.concrete_fields
        if hasattr(getattr(history_instance, field.attname, None), "resolve_expression")
    ]
    if computed:
        instance.refresh_from_db(fields=computed)
        for name in computed:
            setattr(history_instance, name, getattr(instance, name))
    try:
        history_instance.history_community_id = instance.audit_community_id
    except ObjectDoesNotExist:  # a parent already gone: the row is still recorded
        history_instance.history_community_id = None
