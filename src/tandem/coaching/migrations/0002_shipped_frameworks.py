from typing import Any

from django.db import migrations

from tandem.coaching.install import install


def forwards(apps: Any, schema_editor: Any) -> None:
    install(apps)


def backwards(apps: Any, schema_editor: Any) -> None:
    apps.get_model("coaching", "Framework").objects.filter(built_in=True, versions__relationships=None).delete()


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_coaching")]

    operations = [migrations.RunPython(forwards, backwards)]
