from typing import Any

from django.db import migrations

from tandem.inquiry import shipped


def install(apps: Any, schema_editor: Any) -> None:
    shipped.install(apps.get_model("inquiry", "Template"), apps.get_model("inquiry", "TemplateStep"))


def remove(apps: Any, schema_editor: Any) -> None:
    apps.get_model("inquiry", "Template").objects.filter(built_in=True, cycles=None).delete()


class Migration(migrations.Migration):
    dependencies = [("inquiry", "0001_cycles")]

    operations = [migrations.RunPython(install, remove)]
