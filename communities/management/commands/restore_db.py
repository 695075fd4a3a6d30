"""``manage.py restore_db ARCHIVE``: restore a backup made by ``backup_db`` (see pos_portal/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pos_portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Восстановить резервную копию: проверить архив, восстановить базу данных (pg_restore или SQLite backup API) "
        "и файлы в MEDIA_ROOT. Остановите портал перед восстановлением в его рабочую базу."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="архив pos-backup-….tar")
        parser.add_argument(
            "--database-url",
            default=None,
            help="восстановить в эту базу (например, только что созданную), а не в базу портала",
        )
        parser.add_argument("--media-root", default=None, help="куда положить файлы (по умолчанию MEDIA_ROOT)")
        parser.add_argument("--noinput", "--no-input", action="store_false", dest="interactive")

    def handle(self, *args, archive, database_url, media_root, interactive, **options):
        if interactive:
            target = database_url or "рабочую базу портала"
            answer = input(f"Данные в {target} будут заменены данными копии {archive}. Продолжить? [да/нет] ")
            if answer.strip().lower() not in {"да", "yes", "y", "д"}:
                raise CommandError("Восстановление отменено.")
        try:
            result = restore(
                Path(archive), database_url=database_url, media_root=Path(media_root) if media_root else None
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Восстановлено: база {result.database}, файлов: {result.media_files}. "
            "Затем выполните manage.py migrate (если код новее копии) и запустите портал."
        )
