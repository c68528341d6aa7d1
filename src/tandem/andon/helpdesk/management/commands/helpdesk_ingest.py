"""`tandem helpdesk ingest`: one raw message on standard input, as a mail server's pipe delivers it."""

import sys
from typing import Any

from django.core.management.base import BaseCommand

from tandem.andon.helpdesk.intake import ingest
from tandem.andon.helpdesk.models import RawMail


class Command(BaseCommand):
    help = "Read one raw email message from standard input into the help desk."

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read()
        if not raw.strip():
            self.stderr.write("No message on standard input.")
            raise SystemExit(2)
        try:
            kept = ingest(raw, "stdin")
        except Exception as e:
            # The message could not even be kept (database or disk away): exit 75, "try again
            # later", so the mail server queues it instead of bouncing it to its sender.
            self.stderr.write(f"The help desk could not keep the message now ({type(e).__name__}: {e}); try again.")
            raise SystemExit(75) from e
        if kept.status == RawMail.Status.TICKETED and kept.message is not None:
            ticket = kept.message.ticket
            note = " (delivered before)" if kept.deliveries > 1 else ""
            self.stdout.write(f"{ticket.reference}: {ticket.subject}{note}")
        elif kept.status == RawMail.Status.IGNORED:
            self.stdout.write(f"Ignored: {kept.error}")
        else:
            # Kept for a person, and the pipe still succeeds: the mail server must not bounce it.
            self.stdout.write(f"Kept for the help desk to read (received message {kept.pk}): {kept.error}")
