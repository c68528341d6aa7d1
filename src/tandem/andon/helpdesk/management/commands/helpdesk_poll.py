"""`tandem helpdesk poll`: fetch unread mail from the help desk's IMAP mailbox (settings
HELPDESK_IMAP) once, or every N seconds with --every. A message is marked read only after it is
kept, so a failure midway loses nothing: it is fetched again next time (and recognised if kept)."""

import imaplib
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from tandem.andon.helpdesk.intake import ingest


def poll_once(config: dict[str, Any]) -> int:
    connect = imaplib.IMAP4_SSL if config["ssl"] else imaplib.IMAP4
    with connect(config["host"], config["port"]) as imap:
        imap.login(config["user"], config["password"])
        imap.select(config["folder"])
        _, found = imap.uid("SEARCH", None, "UNSEEN")
        count = 0
        for uid in (found[0] or b"").split():
            _, data = imap.uid("FETCH", uid, "(BODY.PEEK[])")
            raw = next((part[1] for part in data if isinstance(part, tuple)), None)
            if raw is None:
                continue
            ingest(raw, "imap")
            imap.uid("STORE", uid, "+FLAGS", "(\\Seen)")
            count += 1
        return count


class Command(BaseCommand):
    help = "Fetch unread mail from the help desk's IMAP mailbox."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--every", type=int, default=0, help="Keep polling, this many seconds apart.")

    def handle(self, *args: Any, **options: Any) -> None:
        config = settings.HELPDESK_IMAP
        if not config["host"]:
            raise CommandError("Set HELPDESK_IMAP_HOST (and _USER, _PASSWORD) to poll a mailbox.")
        while True:
            try:
                count = poll_once(config)
                self.stdout.write(f"{count} message{'s' if count != 1 else ''} fetched.")
            except (OSError, imaplib.IMAP4.error, DatabaseError) as e:
                if not options["every"]:
                    raise CommandError(f"The mailbox could not be read: {e}") from e
                self.stderr.write(f"The mailbox could not be read: {e}; trying again.")
            if not options["every"]:
                return
            time.sleep(options["every"])
