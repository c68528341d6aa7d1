"""The full-text search table (tandem.practices.fulltext): FTS5 on SQLite, tsvector on PostgreSQL."""

from typing import Any

from django.db import migrations

from tandem.practices import fulltext


def create(apps: Any, schema_editor: Any) -> None:
    fulltext.create_table(schema_editor)
    # Practices written before the library had search: their own words are enough until their
    # next change indexes the rest.
    Practice = apps.get_model("practices", "Practice")
    for practice in Practice.objects.using(schema_editor.connection.alias):
        fulltext.store(practice.pk, (practice.title, f"{practice.summary}\n{practice.problem}", practice.how, ""))


def drop(apps: Any, schema_editor: Any) -> None:
    fulltext.drop_table(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_library")]
    operations = [migrations.RunPython(create, drop)]
