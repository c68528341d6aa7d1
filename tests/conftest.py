import email
import email.policy
import os
import shutil
import socket
from collections.abc import Iterator

import pytest
from django.db import connection

from tests.world import World, build_world

# Under CI (or scripts/test) every service must be there: a missing one fails, it never skips.
REQUIRE_SERVICES = os.environ.get("CI") == "true" or os.environ.get("TANDEM_REQUIRE_SERVICES") == "1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


def pytest_report_header(config: pytest.Config) -> list[str]:
    from django.conf import settings

    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"tandem database: {engine}", f"tandem browser: {CHROMIUM if os.path.exists(CHROMIUM) else 'none'}"]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/browser/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(autouse=True)
def _private_data_dir(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    # Uploads and the shared cache go to a folder of the test run, never to the developer's ./var.
    base = tmp_path_factory.getbasetemp()
    settings.IMPORTS_DIR = base / "imports"  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = base / "files"  # type: ignore[attr-defined]
    settings.CACHES = {  # type: ignore[attr-defined]
        "default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": base / "cache"}
    }
    # Each test's database starts over (and reuses ids), so what an earlier test cached must go too.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings: object) -> None:
    # Argon2 is deliberately slow; tests sign in hundreds of times. Hashing itself is tested apart.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        raw = envelope.content  # type: ignore[attr-defined]
        self.messages.append(email.message_from_bytes(raw, policy=email.policy.default))  # type: ignore[arg-type]
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_inbox(settings: object) -> Iterator[_Inbox]:
    """A real SMTP server on 127.0.0.1; Tandem's mailer is pointed at it."""
    from aiosmtpd.controller import Controller

    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port},
        }
    }
    yield inbox
    controller.stop()


@pytest.fixture
def imap_mailbox() -> Iterator[object]:
    """A real IMAP server (Debian's Dovecot) with one mailbox; scripts/test installs it."""
    from tests import mailbox

    if not os.path.exists(mailbox.DOVECOT):
        message = f"Dovecot is not installed at {mailbox.DOVECOT}; scripts/test installs it (dovecot-imapd)."
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    import pathlib
    import tempfile

    # Not under pytest's own temporary folders: Dovecot's processes must be able to reach it.
    folder = pathlib.Path(tempfile.mkdtemp(prefix="tandem-imap."))
    found, process = mailbox.start(folder / "imap")
    yield found
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture(scope="session")
def browser_type_launch_args() -> dict[str, object]:
    if not os.path.exists(CHROMIUM):
        message = f"Debian's Chromium is not installed at {CHROMIUM}; scripts/test installs it."
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True, scope="session")
def _database_is_the_one_asked_for(django_db_setup: None, django_db_blocker: object) -> None:
    """When DATABASE_URL asks for PostgreSQL, the suite must really run on it."""
    wanted = os.environ.get("DATABASE_URL", "")
    if wanted.startswith(("postgres://", "postgresql://")):
        assert connection.vendor == "postgresql", f"asked for PostgreSQL, running on {connection.vendor}"
