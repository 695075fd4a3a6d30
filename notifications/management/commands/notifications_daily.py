"""``manage.py notifications_daily [--weekly | --no-weekly] [--date YYYY-MM-DD]``: the day's letters (deadlines in
NOTIFY_DEADLINE_DAYS days, overdue assignments, late protocols, the daily digests; on Mondays the methodists' weekly
digest and the letters to leaders at risk). Run once a day by pos-notifications.timer (docs/deployment.md); a second
run on the same day writes nothing twice. The letters are queued: a worker (or, with the immediate backend, this
process) sends them."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from notifications.daily import run


class Command(BaseCommand):
    help = "Ежедневные письма ПОС-портала (сроки и просрочки поручений, просроченные протоколы, сводки)."

    def add_arguments(self, parser):
        weekly = parser.add_mutually_exclusive_group()
        weekly.add_argument("--weekly", action="store_true", help="отправить и еженедельную сводку (не только в пн)")
        weekly.add_argument("--no-weekly", action="store_true", help="без еженедельной сводки")
        parser.add_argument("--date", help="день, за который работать (ГГГГ-ММ-ДД; по умолчанию сегодня)")

    def handle(self, *args, weekly=False, no_weekly=False, date=None, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError:
            raise CommandError(f"Неверная дата «{date}»: укажите её в виде 2025-10-06.") from None
        done = run(today, weekly_digest=True if weekly else False if no_weekly else None)
        self.stdout.write("Писем поставлено в очередь: " + ", ".join(f"{name} — {n}" for name, n in done.items()))
