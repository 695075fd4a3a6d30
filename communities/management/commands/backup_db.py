"""``manage.py backup_db``: the database and the media files in one archive (see pos_portal/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from pos_portal.backup import BackupError, backup


class Command(BaseCommand):
    help = "Резервная копия: база данных (pg_dump или SQLite backup API) и файлы MEDIA_ROOT в одном архиве."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output-dir",
            default=settings.BACKUP_DIR,
            help="каталог архивов (по умолчанию BACKUP_DIR: %(default)s)",
        )
        parser.add_argument("--keep", type=int, default=None, help="оставить только столько последних архивов")

    def handle(self, *args, output_dir, keep, **options):
        if keep is not None and keep < 1:
            raise CommandError("--keep: не меньше 1.")
        try:
            result = backup(Path(output_dir), keep=keep)
        except BackupError as error:
            raise CommandError(str(error)) from None
        media = (
            "файлы в S3: их сохраняет версионирование бакета"
            if result.media_skipped
            else f"файлов: {result.media_files} ({filesizeformat(result.media_bytes)})"
        )
        self.stdout.write(f"{result.path}")
        self.stderr.write(f"Резервная копия готова: база {result.database}, {media}.")
