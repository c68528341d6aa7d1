from typing import Any

from django.db import migrations

from tandem.learning import shipped


def install(apps: Any, schema_editor: Any) -> None:
    shipped.install(apps.get_model("learning", "SessionType"))


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("learning", "SessionType").objects.filter(built_in=True, sessions=None, slots=None).delete()


class Migration(migrations.Migration):
    dependencies = [("learning", "0001_learning")]

    operations = [migrations.RunPython(install, remove)]
