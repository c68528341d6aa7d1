from django.db import migrations

from tandem.andon.feed import shipped


def add(apps, schema_editor):  # type: ignore[no-untyped-def]
    shipped.install(apps.get_model("feed", "Topic"))


def remove(apps, schema_editor):  # type: ignore[no-untyped-def]
    names = [name for name, _ in shipped.TOPICS]
    apps.get_model("feed", "Topic").objects.filter(name__in=names, posts__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("feed", "0001_feed")]
    operations = [migrations.RunPython(add, remove)]
