"""The outbox in the Department's admin: read-only; failed letters are given new attempts."""

from django.core import mail
from django.urls import reverse

from meetings.services import protocol_sign
from notifications.models import Outbox


def test_the_department_reads_the_outbox_and_sends_failed_letters_again(
    admin_client, draft_protocol, leader, member, with_addresses, committed
):
    protocol_sign(protocol=draft_protocol, user=leader.user)
    row = Outbox.objects.get()
    Outbox.objects.filter(pk=row.pk).update(status=Outbox.Status.FAILED, attempts=5, last_error="SMTP: 554")
    changelist = reverse("admin:notifications_outbox_changelist")

    page = admin_client.get(changelist).content.decode()
    assert "Не отправлено" in page and "1 письмо" in page
    assert admin_client.get(reverse("admin:notifications_outbox_change", args=[row.pk])).status_code == 200
    assert admin_client.get(reverse("admin:notifications_outbox_add")).status_code == 403

    with committed():
        response = admin_client.post(changelist, {"action": "send_again", "_selected_action": [row.pk]}, follow=True)

    assert "Поставлено в очередь снова: 1 письмо." in response.content.decode()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Outbox.Status.SENT, 1)
    assert [letter.to for letter in mail.outbox] == [["kuznetsov@example.org"]]
