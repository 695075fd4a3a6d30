"""How a signed protocol is kept from ever changing.

Regulation 4.2 makes the protocol, signed by the leader, the legal record of a session. Once
``Protocol.signed_at`` is set, the protocol, its meeting, attendance, guests, agenda items and
decisions are frozen, and of an assignment only ``status``, ``done_on`` and ``report`` may change.
Each model declares it with ``FINAL`` (``pos_portal.final_records``): the protocol by its own
``signed_at``, the meeting by its protocol, every other row through its parent. That one declaration
is enforced by the model's ``save``/``delete``, by the QuerySet's ``update``/``delete`` and by
database triggers generated from it for SQLite and PostgreSQL (raw SQL, cascades, ``bulk_create``).

The Django admin shows signed protocols and their meetings read-only (``meetings/admin/``: ``locks.py``).
"""

from pos_portal.final_records import Final, FinalQuerySet, FinalRecord, FinalRecordError

SIGNED_MESSAGE = "Протокол подписан: его и данные заседания изменить или удалить нельзя."


class SignedProtocolError(FinalRecordError):
    """Raised on an attempt to change or delete a record of a signed protocol. A ValidationError,
    so every view that shows a service's refusal shows this one too instead of failing."""

    default_message = SIGNED_MESSAGE


def signed(**kwargs) -> Final:
    """The declaration of a record that a signed protocol freezes."""
    return Final(message=SIGNED_MESSAGE, error=SignedProtocolError, **kwargs)


class SignatureLockedQuerySet(FinalQuerySet):
    def locked(self):
        """Rows that belong to a signed protocol."""
        return self.final()


class SignatureLocked(FinalRecord):
    """Base for every model that a signed protocol freezes (``FINAL = signed(...)``)."""

    objects = SignatureLockedQuerySet.as_manager()

    class Meta:
        abstract = True

    def is_locked(self) -> bool:
        """Whether this row, as stored, belongs to a signed protocol."""
        return self.is_final()
