"""The speakers of a question become rows (``Speaker``): one or more, each a member or an outside person, in order.

A question had one member speaker (``speaker``), a free-text «докладчик не из ПОС» (``speaker_other``) and a free-text
ВЫСТУПИЛИ (``spoke``). The page and the PDF printed the member when both speakers were set, else the free text,
under «Докладчик:» and before СЛУШАЛИ, and ``spoke`` as written under ВЫСТУПИЛИ. Each question's rows now say the same:

- the member, else the free-text speaker, becomes the first докладчик (a free-text name keeps ``as_written``, so it
  prints exactly as typed); on an unsigned question with both, the free-text one is a second докладчик (it was lost
  from the page and the PDF, which is the finding being fixed). A signed protocol never printed it: its questions
  keep only the member, so every signed protocol prints what it printed when signed;
- each line of ``spoke`` «Фамилия И.О. – текст» becomes one who spoke («выступил(а)»), the name before the first « – »
  as written and the rest as what they said; a line without « – » continues the previous speaker's text (or is a
  name of its own), so the text under ВЫСТУПИЛИ reads as before.

``heard`` stays the question's СЛУШАЛИ. The rows are inserted with ``bulk_create`` before the new table has its
guards (``pos_portal.final_records`` installs them after ``migrate``). SQLite drops columns by making the table again,
which its triggers on other tables refuse while they exist: the guards are dropped first on SQLite, as in 0006.
Going back brings the three fields back empty: the speakers of a question do not fit into them.
"""

import django.core.validators
import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

from pos_portal.final_records import drop_guards


DASH = " – "


def drop_sqlite_guards(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        drop_guards(schema_editor.connection.alias)


def spoke_rows(spoke: str) -> list[dict]:
    rows = []
    for line in (line.strip() for line in spoke.splitlines()):
        if not line:
            continue
        head, dash, tail = line.partition(DASH)
        if dash and head.strip() and len(head.strip()) <= 300:
            rows.append({"full_name": head.strip(), "text": tail.strip()})
        elif rows:
            rows[-1]["text"] = f"{rows[-1]['text']}\n{line}".strip()
        else:
            rows.append({"full_name": line[:300], "text": line[300:]})
    return rows


def speakers_from_fields(apps, schema_editor):
    AgendaItem = apps.get_model("meetings", "AgendaItem")
    Speaker = apps.get_model("meetings", "Speaker")
    signed = set(AgendaItem.objects.filter(meeting__protocol__signed_at__isnull=False).values_list("pk", flat=True))
    rows = []
    for item in AgendaItem.objects.order_by("pk").iterator():
        people = []
        if item.speaker_id:
            people.append({"teacher_id": item.speaker_id, "part": "report"})
        other = item.speaker_other.strip()
        if other and (not item.speaker_id or item.pk not in signed):
            people.append({"full_name": other, "as_written": True, "part": "report"})
        people += [{**row, "as_written": True, "part": "spoke"} for row in spoke_rows(item.spoke)]
        rows += [Speaker(agenda_item_id=item.pk, order=order, **person) for order, person in enumerate(people, 1)]
    Speaker.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("communities", "0010_form_submission"),
        ("meetings", "0006_decision_vote"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(drop_sqlite_guards, migrations.RunPython.noop),
        migrations.CreateModel(
            name="HistoricalSpeaker",
            fields=[
                ("id", models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name="ID")),
                (
                    "history_community_id",
                    models.BigIntegerField(db_index=True, editable=False, null=True, verbose_name="ПОС"),
                ),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="№"
                    ),
                ),
                (
                    "part",
                    models.CharField(
                        choices=[("report", "докладчик (СЛУШАЛИ)"), ("spoke", "выступил(а) (ВЫСТУПИЛИ)")],
                        default="report",
                        max_length=10,
                        verbose_name="кто",
                    ),
                ),
                (
                    "full_name",
                    models.CharField(
                        blank=True,
                        help_text="Фамилия Имя Отчество приглашённого.",
                        max_length=300,
                        verbose_name="ФИО (не из ПОС)",
                    ),
                ),
                ("position", models.CharField(blank=True, max_length=300, verbose_name="должность (не из ПОС)")),
                ("organization", models.CharField(blank=True, max_length=300, verbose_name="организация (не из ПОС)")),
                ("as_written", models.BooleanField(default=False, editable=False, verbose_name="имя как записано")),
                (
                    "text",
                    models.TextField(blank=True, help_text="Что сказал(а): для ВЫСТУПИЛИ.", verbose_name="выступление"),
                ),
                ("history_id", models.BigAutoField(editable=False, primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1),
                ),
                (
                    "agenda_item",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="meetings.agendaitem",
                        verbose_name="вопрос",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "teacher",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communities.teacher",
                        verbose_name="член ПОС",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical выступающий",
                "verbose_name_plural": "historical выступающие",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="Speaker",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "order",
                    models.PositiveSmallIntegerField(
                        default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name="№"
                    ),
                ),
                (
                    "part",
                    models.CharField(
                        choices=[("report", "докладчик (СЛУШАЛИ)"), ("spoke", "выступил(а) (ВЫСТУПИЛИ)")],
                        default="report",
                        max_length=10,
                        verbose_name="кто",
                    ),
                ),
                (
                    "full_name",
                    models.CharField(
                        blank=True,
                        help_text="Фамилия Имя Отчество приглашённого.",
                        max_length=300,
                        verbose_name="ФИО (не из ПОС)",
                    ),
                ),
                ("position", models.CharField(blank=True, max_length=300, verbose_name="должность (не из ПОС)")),
                ("organization", models.CharField(blank=True, max_length=300, verbose_name="организация (не из ПОС)")),
                ("as_written", models.BooleanField(default=False, editable=False, verbose_name="имя как записано")),
                (
                    "text",
                    models.TextField(blank=True, help_text="Что сказал(а): для ВЫСТУПИЛИ.", verbose_name="выступление"),
                ),
                (
                    "agenda_item",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="speakers",
                        to="meetings.agendaitem",
                        verbose_name="вопрос",
                    ),
                ),
                (
                    "teacher",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="speeches",
                        to="communities.teacher",
                        verbose_name="член ПОС",
                    ),
                ),
            ],
            options={
                "verbose_name": "выступающий",
                "verbose_name_plural": "выступающие",
                "ordering": ["agenda_item", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("agenda_item", "order"),
                        name="speaker_unique_order",
                        violation_error_message="Выступающий с таким номером у вопроса уже есть.",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("teacher__isnull", False), ("full_name", "")),
                            models.Q(("teacher__isnull", True), models.Q(("full_name", ""), _negated=True)),
                            _connector="OR",
                        ),
                        name="speaker_member_or_outside",
                        violation_error_message="Выберите члена ПОС или впишите ФИО не из ПОС — одно из двух.",
                    ),
                    models.CheckConstraint(condition=models.Q(("order__gte", 1)), name="speaker_order_positive"),
                ],
            },
        ),
        migrations.RunPython(speakers_from_fields, migrations.RunPython.noop),
        migrations.RemoveField(
            model_name="agendaitem",
            name="speaker",
        ),
        migrations.RemoveField(
            model_name="agendaitem",
            name="speaker_other",
        ),
        migrations.RemoveField(
            model_name="agendaitem",
            name="spoke",
        ),
        migrations.RemoveField(
            model_name="historicalagendaitem",
            name="speaker",
        ),
        migrations.RemoveField(
            model_name="historicalagendaitem",
            name="speaker_other",
        ),
        migrations.RemoveField(
            model_name="historicalagendaitem",
            name="spoke",
        ),
        migrations.AlterField(
            model_name="agendaitem",
            name="heard",
            field=models.TextField(blank=True, help_text="Краткое содержание доклада.", verbose_name="СЛУШАЛИ"),
        ),
        migrations.AlterField(
            model_name="historicalagendaitem",
            name="heard",
            field=models.TextField(blank=True, help_text="Краткое содержание доклада.", verbose_name="СЛУШАЛИ"),
        ),
        migrations.RunPython(migrations.RunPython.noop, drop_sqlite_guards),  # first when migrating back
    ]
