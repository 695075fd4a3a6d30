from django.db import migrations

METHODISTS_GROUP = "Методисты ИОЦ"  # pos_portal.roles.METHODISTS_GROUP at the time of writing


def create_group(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.get_or_create(name=METHODISTS_GROUP)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=METHODISTS_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("communities", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
