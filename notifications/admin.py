"""The outbox in the Department's admin: what was sent to whom, what failed and why; «Отправить снова» gives
failed letters new attempts. Read-only otherwise: a letter is written by the portal, never by hand."""

from django.contrib import admin, messages
from django.db import transaction

from communities.admin.base import PortalModelAdmin, ReadOnlyAdminMixin
from communities.admin.counts import counted
from notifications.models import Outbox
from notifications.outbox import enqueue


@admin.register(Outbox)
class OutboxAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ["created_at", "kind", "recipient", "address", "status", "attempts", "sent_at"]
    list_filter = ["status", "kind", "delivery"]
    search_fields = ["recipient__username", "recipient__email", "address", "event_key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    actions = ["send_again"]

    @admin.action(description="Отправить снова (не отправленные)", permissions=["view"])
    def send_again(self, request, queryset):
        pks = list(queryset.filter(status=Outbox.Status.FAILED).values_list("pk", flat=True))
        with transaction.atomic():
            Outbox.objects.filter(pk__in=pks, status=Outbox.Status.FAILED).update(
                status=Outbox.Status.PENDING, attempts=0, claimed_at=None, next_attempt_at=None
            )
            for pk in pks:
                transaction.on_commit(lambda pk=pk: enqueue(pk))
        self.message_user(request, f"Поставлено в очередь снова: {counted(self.opts, len(pks))}.", messages.SUCCESS)
