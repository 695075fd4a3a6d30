"""The audit trail: every change to a community and its records, with who, when and what (django-simple-history).

Each audited model declares ``history = audit_trail()`` and says which community a row belongs to
(``audit_community_id``; ``audit_community_id = None`` on the class for rows of no community: teachers,
organizations). Every save and delete writes a row to the model's historical table (``<app>_historical…``)
with the user of the request (``simple_history.middleware.HistoryRequestMiddleware``), the time (UTC) and every field
as it then was. The historical rows carry the community's id, so that a community's history is one indexed filter
per table and outlives the deletion of a parent (a meeting's deleted attendance still shows).

The historical tables are separate tables, and append-only (``pos_portal.final_records``): a row is written once,
never changed or deleted, by the model and by the database's triggers; only its user may be cleared, when the user
account is deleted (``history_user`` is ``SET_NULL``). Recording history never meets the signed-protocol guards of
the live tables.
"""

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.dispatch import receiver
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from pos_portal.final_records import Final, FinalRecord

AUDIT_MESSAGE = "Запись журнала изменений не изменяется и не удаляется."


class CommunityHistory(FinalRecord):
    """Base of every historical model of the audit trail: append-only."""

    FINAL = Final(append_only=True, clearable={"history_user"}, message=AUDIT_MESSAGE)

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
