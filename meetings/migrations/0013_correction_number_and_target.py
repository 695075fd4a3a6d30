"""Corrections of a signed protocol get a number within the protocol (1, 2, … in the order they were made) and a
target: the question or the decision they correct, with the decision's new wording.

Corrections are append-only (database triggers): to number the rows already stored, the guards are dropped first;
``pos_portal.final_records`` installs them again after ``migrate``.
"""

import django.db.models.deletion
from django.db import migrations, models

from pos_portal.final_records import drop_guards


def drop_all_guards(apps, schema_editor):
    drop_guards(schema_editor.connection.alias)


def number_corrections(apps, schema_editor):
    ProtocolCorrection = apps.get_model("meetings", "ProtocolCorrection")
    numbers: dict[int, int] = {}
    for correction in ProtocolCorrection.objects.order_by("protocol_id", "created_at", "pk"):
        numbers[correction.protocol_id] = numbers.get(correction.protocol_id, 0) + 1
        ProtocolCorrection.objects.filter(pk=correction.pk).update(number=numbers[correction.protocol_id])


class Migration(migrations.Migration):

    dependencies = [
        ('communities', '0014_dates_in_portal_range'),
        ('meetings', '0012_calendar_feeds_receipts'),
    ]

    operations = [
        migrations.RunPython(drop_all_guards, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            name='protocolcorrection',
            options={'ordering': ['protocol', 'number'], 'verbose_name': 'исправление протокола', 'verbose_name_plural': 'исправления протоколов'},
        ),
        migrations.AddField(
            model_name='protocolcorrection',
            name='agenda_item',
            field=models.ForeignKey(blank=True, help_text='Какой вопрос исправляется (для решения — его вопрос, заполняется само).', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='meetings.agendaitem', verbose_name='вопрос повестки'),
        ),
        migrations.AddField(
            model_name='protocolcorrection',
            name='decision',
            field=models.ForeignKey(blank=True, help_text='Пункт решения, который получает новую редакцию.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='corrections', to='meetings.decision', verbose_name='решение'),
        ),
        migrations.AddField(
            model_name='protocolcorrection',
            name='new_text',
            field=models.TextField(blank=True, help_text='Текст пункта решения, как его читать после исправления.', verbose_name='новая редакция решения'),
        ),
        migrations.AddField(
            model_name='protocolcorrection',
            name='number',
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name='№ исправления'),
        ),
        migrations.RunPython(number_corrections, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='protocolcorrection',
            name='number',
            field=models.PositiveIntegerField(editable=False, verbose_name='№ исправления'),
        ),
        migrations.AddConstraint(
            model_name='protocolcorrection',
            constraint=models.UniqueConstraint(fields=('protocol', 'number'), name='correction_number_unique_per_protocol'),
        ),
        migrations.AddConstraint(
            model_name='protocolcorrection',
            constraint=models.CheckConstraint(condition=models.Q(('decision__isnull', True), models.Q(('new_text', ''), _negated=True), _connector='OR'), name='correction_of_decision_has_new_text'),
        ),
        # Going back, the guards go first (SQLite rebuilds the table to drop the columns).
        migrations.RunPython(migrations.RunPython.noop, drop_all_guards),
    ]
