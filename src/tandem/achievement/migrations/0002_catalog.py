from django.db import migrations


def load_catalog(apps, schema_editor):  # type: ignore[no-untyped-def]
    from tandem.achievement import catalog

    catalog.load(apps)


class Migration(migrations.Migration):
    dependencies = [("achievement", "0001_initial")]
    operations = [migrations.RunPython(load_catalog, migrations.RunPython.noop)]
