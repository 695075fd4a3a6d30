"""Read-only admin for everything a signed protocol freezes."""

from communities.admin.base import PortalModelForm

SIGNED_PARENT_MESSAGE = "Протокол этого заседания подписан: добавить или перенести сюда запись нельзя."


def is_signed(obj) -> bool:
    """Whether ``obj``, as stored, belongs to a signed protocol. Remembered on the instance, since
    the admin asks several times per page."""
    if obj is None or obj.pk is None:
        return False
    if not hasattr(obj, "_admin_is_signed"):
        obj._admin_is_signed = obj.is_locked()
    return obj._admin_is_signed


class SignatureLockedAdminMixin:
    """A ModelAdmin of a ``SignatureLocked`` model: a row of a signed protocol can be viewed, not
    changed (the admin then shows it read-only and refuses a POST with 403) nor deleted."""

    def has_change_permission(self, request, obj=None):
        return not is_signed(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not is_signed(obj) and super().has_delete_permission(request, obj)


class SignatureLockedInlineMixin(SignatureLockedAdminMixin):
    """The same for an inline, where ``obj`` is the parent: nothing is added under a signed one either."""

    def has_add_permission(self, request, obj=None):
        return not is_signed(obj) and super().has_add_permission(request, obj)


class UnsignedParentForm(PortalModelForm):
    """Refuses to put a row under a parent (meeting, question, decision) of a signed protocol, which
    the model would refuse with an exception."""

    def clean(self):
        cleaned_data = super().clean()
        field = self._meta.model.FINAL.parent
        parent = cleaned_data.get(field)
        if parent is not None and is_signed(parent):
            self.add_error(field if field in self.fields else None, SIGNED_PARENT_MESSAGE)
        return cleaned_data
