"""Optimistic locking of every edit form: a save made from a form opened on an older version of the record is
refused, and the person's typing is kept.

A model that is edited through a form inherits ``VersionedModel``: it gets a ``version``, 1 when created. The form
carries the version it was opened on (``communities.forms.versioned.VersionedFormMixin``, a hidden field); the save
calls ``bump_version(expected_version)`` first, inside the transaction that saves the changes. The conditional
UPDATE moves the row to the next version only if it is still at the one the form was opened on, and locks the row,
so that a concurrent save of the same version waits for this transaction and then matches no row. Otherwise it
raises ``VersionConflict`` (a ``ValidationError`` with the model's ``CONFLICT_MESSAGE``): the view answers 409 with
the message and the form as it was typed (``templates/partials/conflict.html``). A form that lost its version is a
conflict too. The meeting (with its protocol editor) uses the same mechanism.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F

EDIT_CONFLICT_MESSAGE = (
    "Эту запись уже изменил другой пользователь. Ваши изменения не сохранены: откройте сохранённую версию "
    "и внесите их снова (ваш текст остался в форме)."
)
CONFLICT_STATUS = 409


class VersionConflict(ValidationError):
    """The record was saved by someone else since the form was opened."""

    def __init__(self, message=EDIT_CONFLICT_MESSAGE):
        super().__init__(message, code="conflict")


class VersionedModel(models.Model):
    """A record edited through forms, with optimistic locking on ``version`` (see the module)."""

    #: What the person whose save is refused reads.
    CONFLICT_MESSAGE = EDIT_CONFLICT_MESSAGE

    version = models.PositiveIntegerField("версия", default=1, editable=False)

    class Meta:
        abstract = True

    def bump_version(self, expected_version: int | None):
        """Move the row to the next version if it is still at ``expected_version`` (the version the form was
        opened on; None when the form lost it), or raise ``VersionConflict``. Call it first inside the
        transaction that saves the changes (the row stays locked until it ends)."""
        if not transaction.get_connection().in_atomic_block:
            raise RuntimeError("bump_version must run inside the transaction that saves the changes.")
        updated = 0
        if expected_version is not None:
            rows = type(self)._default_manager.filter(pk=self.pk, version=expected_version)
            updated = rows.update(version=F("version") + 1)
        if updated != 1:
            raise VersionConflict(self.CONFLICT_MESSAGE)
        # A later save() writes every field: it must write the new version, not the old one.
        self.version = expected_version + 1
        return self
