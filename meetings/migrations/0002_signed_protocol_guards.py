from django.db import migrations

from meetings.db_guards import statements


def install(apps, schema_editor):
    create, _ = statements(schema_editor.connection.vendor)
    for sql in create:
        schema_editor.execute(sql)


def remove(apps, schema_editor):
    _, drop = statements(schema_editor.connection.vendor)
    for sql in drop:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
