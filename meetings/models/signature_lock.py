"""How a signed protocol is kept from ever changing.

Regulation 4.2 makes the protocol, signed by the leader, the legal record of a session. Once
``Protocol.signed_at`` is set, the protocol, its meeting, attendance, guests, agenda items and
decisions are frozen, and of an assignment only ``status``, ``done_on`` and ``report`` may change.
Three layers guarantee it, each catching what the one above cannot see:

1. **Model** (``SignatureLocked.save``/``delete``): any instance save or delete of a locked row
   raises ``SignedProtocolError`` with a Russian message, before SQL is sent.
2. **QuerySet** (``SignatureLockedQuerySet.update``/``delete``): bulk updates and deletes that touch
   a locked row raise the same error (``bulk_update`` goes through ``update``).
3. **Database triggers** (``meetings/db_guards.py``, installed by migration 0002 on SQLite and
   PostgreSQL): raw SQL, cascades, ``bulk_create`` and any other client are refused by the
   database itself with an integrity error. This is the guarantee; 1 and 2 give a clear message.

The Django admin shows signed protocols and their meetings read-only (``meetings/admin.py``).
"""

from django.core.exceptions import ValidationError
from django.db import models


class SignedProtocolError(ValidationError):
    """Raised on an attempt to change or delete a record of a signed protocol. A ValidationError,
    so every view that shows a service's refusal shows this one too instead of failing."""

    def __init__(self, message="Протокол подписан: его и данные заседания изменить или удалить нельзя."):
        super().__init__(message, code="signed")


class SignatureLockedQuerySet(models.QuerySet):
    def locked(self):
        """Rows that belong to a signed protocol."""
        return self.filter(**{f"{self.model.LOCK_PATH}__isnull": False})

    def update(self, **kwargs):
        if set(kwargs) - self.model.EDITABLE_AFTER_SIGNING and self.locked().exists():
            raise SignedProtocolError()
        return super().update(**kwargs)

    def delete(self):
        if self.locked().exists():
            raise SignedProtocolError()
        return super().delete()

    delete.queryset_only = True


class SignatureLocked(models.Model):
    """Base for every model that a signed protocol freezes.

    ``LOCK_PATH`` leads from the model to ``Protocol.signed_at``; ``PARENT_FIELD`` names the
    foreign key through which a new row would join a (possibly signed) protocol.
    """

    LOCK_PATH: str = ""
    PARENT_FIELD: str | None = None
    EDITABLE_AFTER_SIGNING: frozenset[str] = frozenset()

    objects = SignatureLockedQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if self.is_locked() and self._touches_frozen_fields(update_fields):
            raise SignedProtocolError()
        # A new row, or a row moved under another parent, must not join a signed protocol.
        if self._parent_is_locked() and (self._state.adding or self._touches_frozen_fields(update_fields)):
            raise SignedProtocolError()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_locked():
            raise SignedProtocolError()
        return super().delete(*args, **kwargs)

    def is_locked(self) -> bool:
        """Whether this row, as stored, belongs to a signed protocol."""
        if self.pk is None or self._state.adding:
            return False
        return type(self)._base_manager.filter(pk=self.pk, **{f"{self.LOCK_PATH}__isnull": False}).exists()

    def _parent_is_locked(self) -> bool:
        if not self.PARENT_FIELD:
            return False
        parent_id = getattr(self, f"{self.PARENT_FIELD}_id")
        if parent_id is None:
            return False
        parent_model = self._meta.get_field(self.PARENT_FIELD).related_model
        return parent_model._base_manager.filter(pk=parent_id, **{f"{parent_model.LOCK_PATH}__isnull": False}).exists()

    def _touches_frozen_fields(self, update_fields) -> bool:
        if not self.EDITABLE_AFTER_SIGNING:
            return True
        if update_fields is not None:
            return bool(set(update_fields) - self.EDITABLE_AFTER_SIGNING)
        frozen = [
            field.attname
            for field in self._meta.concrete_fields
            if field.name not in self.EDITABLE_AFTER_SIGNING and not field.primary_key
        ]
        stored = type(self)._base_manager.filter(pk=self.pk).values(*frozen).first()
        return stored is None or any(stored[name] != getattr(self, name) for name in frozen)
