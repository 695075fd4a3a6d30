"""``flush`` that knows the final records: their triggers refuse the DELETE (SQLite) or TRUNCATE (PostgreSQL) that
empties the database, so they are dropped first and installed again afterwards (pytest-django flushes after every
transactional test). Dropping a trigger needs the tables' owner: under the portal's own role flush still fails."""

from django.core.management.commands.flush import Command as FlushCommand

from pos_portal import final_records


class Command(FlushCommand):
    def handle(self, **options):
        database = options["database"]
        final_records.drop_guards(database)
        try:
            super().handle(**options)
        finally:
            final_records.install_guards(database)
