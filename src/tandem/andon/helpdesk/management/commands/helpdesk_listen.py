"""`tandem helpdesk listen`: a small SMTP listener, for development and tests."""

import signal
import threading
from typing import Any

from django.core.management.base import BaseCommand

from tandem.andon.helpdesk.listener import listener


class Command(BaseCommand):
    help = "Accept mail for the help desk over SMTP (for development and tests)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)

    def handle(self, *args: Any, **options: Any) -> None:
        controller = listener(options["host"], options["port"])
        controller.start()
        self.stdout.write(f"Help desk listening for mail on {options['host']}:{options['port']}. Ctrl+C stops.")
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        try:
            stop.wait()
        except KeyboardInterrupt:
            pass
        finally:
            controller.stop()
