"""A small SMTP listener for development and tests (a real mail server pipes to `tandem helpdesk
ingest` or is polled over IMAP in production). Each message it accepts goes through `ingest`, run
off the event loop because the database calls are synchronous."""

import asyncio
import logging
from typing import Any

from aiosmtpd.controller import Controller

from tandem.andon.helpdesk.intake import ingest

logger = logging.getLogger(__name__)


class Handler:
    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        raw = envelope.original_content or envelope.content
        data = raw if isinstance(raw, bytes) else raw.encode("utf-8", errors="surrogateescape")
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(None, _ingest_and_close, data)
        except Exception:
            # Not kept (the database or the disk is away): a temporary failure, so that the sending
            # server tries again later rather than bouncing the message.
            logger.exception("A message for the help desk could not be kept")
            return "451 The help desk could not keep the message; try again later"
        return "250 Message accepted for the help desk"


def _ingest_and_close(data: bytes) -> None:
    from django.db import connection

    try:
        ingest(data, "smtp")
    finally:
        # The executor's thread keeps no connection between messages.
        connection.close()


def listener(host: str, port: int) -> Controller:
    # Messages as large as the intake keeps (attachments are limited later, when read).
    return Controller(Handler(), hostname=host, port=port, data_size_limit=50 << 20, decode_data=False)
