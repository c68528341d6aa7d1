"""Rebuild the practice library's search table (after practices were loaded outside the actions)."""

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from tandem.practices.search import rebuild


class Command(BaseCommand):
    help = "Rebuild the practice library's full-text search table from the practices."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            n = rebuild()
        self.stdout.write(f"Practices indexed: {n}.")
