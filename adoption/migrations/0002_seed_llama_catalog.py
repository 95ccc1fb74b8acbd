from django.db import migrations


def seed(apps, schema_editor):
    from adoption.catalog import seed_catalog

    seed_catalog(apps.get_model("adoption", "AIModel"))


class Migration(migrations.Migration):
    dependencies = [("adoption", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
