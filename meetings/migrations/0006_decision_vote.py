"""How a decision was taken (``Decision.vote``).

The rows already stored had only the three numbers, typed by hand. Each gets «голосовали» («counted», as a column
default: adding a column updates no row, so the guards of signed protocols are not touched), which prints exactly
what it printed before: the numbers where they are stored, no vote line where none is. Then the unsigned decisions
without numbers become «без голосования», what they print today; a signed row is never updated. New decisions
default to «единогласно».

SQLite adds a NOT NULL column by making the table again (a new table, the rows copied, renamed), which its triggers
on other tables that name this one refuse while they exist: the guards are dropped first on SQLite, in the
migration's transaction, and ``pos_portal.final_records`` installs them again after ``migrate``. PostgreSQL adds
the column in place, under its guards.
"""

from django.db import migrations, models

from pos_portal.final_records import drop_guards

CHOICES = [("unanimous", "единогласно"), ("counted", "голосовали"), ("none", "без голосования")]


def drop_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_guards(schema_editor.connection.alias)


def unsigned_without_numbers_have_no_vote(apps, schema_editor):
    Decision = apps.get_model("meetings", "Decision")
    Decision.objects.filter(votes_for=None, votes_against=None, votes_abstained=None).exclude(
        agenda_item__meeting__protocol__signed_at__isnull=False
    ).update(vote="none")


class Migration(migrations.Migration):
    dependencies = [
        ("meetings", "0005_audit_trail"),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_guards, migrations.RunPython.noop),
        migrations.AddField(
            model_name="decision",
            name="vote",
            field=models.CharField(choices=CHOICES, default="counted", max_length=10, verbose_name="голосование"),
        ),
        migrations.AddField(
            model_name="historicaldecision",
            name="vote",
            field=models.CharField(choices=CHOICES, default="counted", max_length=10, verbose_name="голосование"),
        ),
        migrations.RunPython(unsigned_without_numbers_have_no_vote, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="decision",
            name="vote",
            field=models.CharField(choices=CHOICES, default="unanimous", max_length=10, verbose_name="голосование"),
        ),
        migrations.AlterField(
            model_name="historicaldecision",
            name="vote",
            field=models.CharField(choices=CHOICES, default="unanimous", max_length=10, verbose_name="голосование"),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_guards),  # first when migrating back
    ]
