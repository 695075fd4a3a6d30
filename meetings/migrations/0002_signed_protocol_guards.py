from django.db import migrations

# The signed-protocol triggers were installed here once. They are now generated from the models' FINAL
# declarations (pos_portal.final_records) and installed after every migrate (post_migrate), for all apps.


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
