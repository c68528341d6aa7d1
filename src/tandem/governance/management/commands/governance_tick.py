"""Open the elections that are due and count the closed ones now (the worker does it daily)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from tandem.governance import elections


class Command(BaseCommand):
    help = "Open the elections that are due and count those whose voting has closed."

    def handle(self, *args: Any, **options: Any) -> None:
        done = elections.tick()
        self.stdout.write(f"Elections opened: {done['opened']}; counted: {done['counted']}.")
        if done["failed"]:
            # The log has each failure's traceback; the exit status tells a scheduler.
            raise CommandError(f"{done['failed']} election(s) could not be opened or counted; see the log.")
