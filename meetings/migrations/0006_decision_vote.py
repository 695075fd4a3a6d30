"""How a decision was taken (``Decision.vote``).

The rows already stored had only the three numbers, typed by hand. Each gets «голосовали» («counted», as a column
default: adding a column updates no row, so the guards of signed protocols are not touched), which prints exactly
what it printed before: the numbers where they are stored, no vote line where none is. Then the unsigned decisions
without numbers become «без голосования», what they print today; a signed row is never updated. New decisions
default to «единогласно».
"""

from django.db import migrations, models

CHOICES = [("unanimous", "единогласно"), ("counted", "голосовали"), ("none", "без голосования")]


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
    ]
