"""``manage.py notifications_retry [--stale-seconds N]``: send again what is due: letters whose task was lost (the
queue was down), failed letters whose next attempt has come (the immediate backend cannot defer them), and letters
taken by a worker that died more than NOTIFICATIONS_CLAIM_SECONDS (or N) seconds ago. Safe to run at any time: a
letter already sent is never sent again. pos-notifications.timer runs it with the daily job."""

from django.core.management.base import BaseCommand

from notifications.outbox import retry


class Command(BaseCommand):
    help = "Повторить отправку писем, которые ждут в очереди дольше положенного."

    def add_arguments(self, parser):
        parser.add_argument(
            "--stale-seconds",
            type=int,
            default=None,
            help="считать брошенным письмо, взятое воркером больше N секунд назад (по умолчанию "
            "NOTIFICATIONS_CLAIM_SECONDS)",
        )

    def handle(self, *args, stale_seconds=None, **options):
        self.stdout.write(f"Писем поставлено в очередь снова: {retry(stale_seconds=stale_seconds)}")
