"""The `tandem` command, run as a person would run it: in a fresh process, on a fresh data folder."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

TANDEM = [sys.executable, "-m", "tandem.cli"]


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["TANDEM_DATA_DIR"] = str(data_dir)
    return env


def _run(args: list[str], data_dir: Path, **kwargs: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        TANDEM + args, env=_env(data_dir), capture_output=True, text=True, timeout=600, check=False, **kwargs
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_demo_creates_the_database_once_and_prints_the_logins(tmp_path: Path) -> None:
    first = _run(["demo", "--no-serve"], tmp_path)
    assert first.returncode == 0, first.stderr
    assert "demo network loaded" in first.stdout
    assert "coach@example.org" in first.stdout and "tandem-demo" in first.stdout
    assert (tmp_path / "tandem.sqlite3").exists()
    second = _run(["demo", "--no-serve"], tmp_path)
    assert second.returncode == 0, second.stderr
    assert "kept from an earlier run" in second.stdout


def test_createuser_validates_and_creates(tmp_path: Path) -> None:
    assert _run(["migrate"], tmp_path).returncode == 0
    weak = _run(["createuser", "--email", "ops@example.org", "--name", "Ops", "--password", "123"], tmp_path)
    assert weak.returncode == 1
    assert "password: This password is too short" in weak.stderr
    no_password = _run(
        ["createuser", "--email", "ops@example.org", "--name", "Ops"], tmp_path, stdin=subprocess.DEVNULL
    )
    assert no_password.returncode == 2
    ok = _run(
        ["createuser", "--email", "Ops@Example.org", "--name", "Ops Lead", "--password", "a long enough passphrase"],
        tmp_path,
    )
    assert ok.returncode == 0, ok.stderr
    assert "Created ops@example.org" in ok.stdout
    again = _run(
        ["createuser", "--email", "ops@example.org", "--name", "Ops", "--password", "another passphrase!"], tmp_path
    )
    assert again.returncode == 1
    assert "email: Person with this Email already exists." in again.stderr
    bad_scope = _run(
        [
            "createuser",
            "--email",
            "x@example.org",
            "--name",
            "X",
            "--password",
            "a long enough passphrase",
            "--role",
            "coach",
            "--scope",
            "school:999",
        ],
        tmp_path,
    )
    assert bad_scope.returncode == 1
    assert "scope: No school with id '999'." in bad_scope.stderr


def test_manage_passes_through(tmp_path: Path) -> None:
    result = _run(["manage", "check"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_backup_and_restore_from_the_command_line(tmp_path: Path) -> None:
    """While the data folder is in use: back up, change, refuse without --yes, restore."""
    assert _run(["migrate"], tmp_path).returncode == 0
    password = ["--password", "a long enough passphrase"]
    assert _run(["createuser", "--email", "kept@example.org", "--name", "Kept", *password], tmp_path).returncode == 0
    archive = tmp_path / "nightly.tar.gz"
    made = _run(["backup", "--output", str(archive)], tmp_path)
    assert made.returncode == 0, made.stderr
    assert made.stdout.startswith(f"Backed up the sqlite database and 0 files to {archive}")
    assert _run(["createuser", "--email", "later@example.org", "--name", "Later", *password], tmp_path).returncode == 0

    def emails() -> str:
        shell = "from tandem.orgs.models import Person; print(sorted(Person.objects.values_list('email', flat=True)))"
        return _run(["manage", "shell", "--no-imports", "-c", shell], tmp_path).stdout.strip()

    assert emails() == "['kept@example.org', 'later@example.org']"
    asked = _run(["restore", str(archive)], tmp_path)
    assert asked.returncode == 2 and "run again with --yes" in asked.stderr
    assert emails() == "['kept@example.org', 'later@example.org']"
    checked = _run(["restore", "--check", str(archive)], tmp_path)
    assert checked.returncode == 0 and "is a whole sqlite backup" in checked.stdout
    done = _run(["restore", "--yes", str(archive)], tmp_path)
    assert done.returncode == 0, done.stderr
    assert emails() == "['kept@example.org']"
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(archive.read_bytes()[:100])
    refused = _run(["restore", "--yes", str(broken)], tmp_path)
    assert refused.returncode == 1 and refused.stderr.startswith("tandem restore: broken.tar.gz cannot be read")
    assert emails() == "['kept@example.org']"


@dataclass
class _Response:
    status: int
    headers: Message
    body: bytes


def _fetch_when_up(server: subprocess.Popen[str], url: str) -> _Response:
    """GET url, retrying until the server answers: the suites run side by side, and a loaded
    machine boots gunicorn's workers slowly, so both refusals and slow first answers are waited out."""
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=30) as response:
                return _Response(response.status, response.headers, response.read())
        except OSError:  # refused, reset, or timed out (TimeoutError is an OSError)
            if time.monotonic() > deadline or server.poll() is not None:
                pytest.fail(f"tandem serve did not answer {url}")
            time.sleep(0.2)


def test_serve_runs_a_production_server(tmp_path: Path) -> None:
    assert _run(["migrate"], tmp_path).returncode == 0
    port = _free_port()
    server = subprocess.Popen(
        [*TANDEM, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "2"],
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        health = _fetch_when_up(server, f"http://127.0.0.1:{port}/healthz")
        assert health.status == 200
        assert health.headers["Content-Security-Policy"].startswith("default-src 'self'")
        # The second worker may still be starting, so the sign-in page gets the same patience.
        assert b"Sign in to Tandem" in _fetch_when_up(server, f"http://127.0.0.1:{port}/login/").body
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=20)
    assert "gunicorn" in output.lower() or "Booting worker" in output
