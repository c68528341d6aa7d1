"""Backups of everything Tandem holds — the database and the uploaded files — in one archive, and
restoring one.

An archive is a gzipped tar of `manifest.json` (format, database engine, when, the applied
migrations, a SHA-256 of each part), the database (`database.sqlite3`, made with SQLite's online
backup API while Tandem keeps running; or `database.pgdump`, pg_dump's custom format) and `files/`
(the uploaded files).

Restoring checks the whole archive before it changes anything: the manifest, every checksum, that
the database is whole (SQLite's integrity check; pg_restore's listing), that it is a backup of the
same engine, and that it was not made by a newer Tandem. Then it replaces the database in one step
(SQLite's backup API onto the live file; on PostgreSQL one transaction that drops Tandem's tables and
loads the dump, so a failure leaves the database as it was), swaps the files folder in, brings the
schema up to date with `migrate`, and empties the cache of computed dashboards.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
FILES = "files"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says which and why."""


@dataclass
class Manifest:
    engine: str
    created_at: str
    migrations: list[str]
    checksums: dict[str, str]
    files: int

    def as_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, **self.__dict__}


def engine() -> str:
    return "postgresql" if connection.vendor == "postgresql" else "sqlite"


def _applied() -> list[str]:
    loader = MigrationLoader(connection)
    return sorted(f"{app}.{name}" for app, name in loader.applied_migrations)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_env() -> tuple[list[str], dict[str, str]]:
    """libpq options for pg_dump, pg_restore and psql, naming the database Django is connected to."""
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if s.get(key):
            args += [flag, str(s[key])]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str], what: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(argv, env=env, input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise BackupError(f"{argv[0]} is not installed: {what} needs PostgreSQL's client programs.") from None
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.decode(errors='replace').strip()}")
    return done.stdout


# -- making one -----------------------------------------------------------------------------------


def backup(output: Path | None = None) -> tuple[Path, Manifest]:
    """Write an archive of the database and the uploaded files; return where, and its manifest."""
    stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
    output = output or Path(settings.DATA_DIR) / "backups" / f"tandem-{stamp}.tar.gz"
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=output.parent) as tmp:
        work = Path(tmp)
        if engine() == "sqlite":
            name = SQLITE_FILE
            connection.ensure_connection()
            target = sqlite3.connect(work / name)
            try:
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            name = PG_FILE
            args, env = _pg_env()
            _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(work / name), *args], env, "pg_dump")
        media = Path(settings.MEDIA_ROOT)
        files = [p for p in media.rglob("*") if p.is_file()] if media.exists() else []
        manifest = Manifest(
            engine=engine(),
            created_at=timezone.now().isoformat(),
            migrations=_applied(),
            checksums={name: _sha256(work / name)},
            files=len(files),
        )
        for path in files:
            manifest.checksums[f"{FILES}/{path.relative_to(media).as_posix()}"] = _sha256(path)
        (work / MANIFEST).write_text(json.dumps(manifest.as_dict(), indent=2))
        partial = work / "archive.tar.gz"
        with tarfile.open(partial, "w:gz") as tar:
            tar.add(work / MANIFEST, MANIFEST)
            tar.add(work / name, name)
            for path in files:
                tar.add(path, f"{FILES}/{path.relative_to(media).as_posix()}")
        # Written whole or not at all: a backup cut short never sits under the final name.
        partial.replace(output)
    return output, manifest


# -- restoring one ----------------------------------------------------------------------------------


def _read_manifest(folder: Path) -> Manifest:
    try:
        raw = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError("This is not a Tandem backup: it has no manifest.json.") from None
    except (ValueError, UnicodeDecodeError) as e:
        raise BackupError(f"The backup's manifest.json cannot be read: {e}.") from None
    if not isinstance(raw, dict) or raw.get("format") != FORMAT:
        found = raw.get("format") if isinstance(raw, dict) else "?"
        raise BackupError(f"The backup's format is {found}; this Tandem reads format {FORMAT}.")
    try:
        return Manifest(
            engine=str(raw["engine"]),
            created_at=str(raw["created_at"]),
            migrations=[str(m) for m in raw["migrations"]],
            checksums={str(k): str(v) for k, v in raw["checksums"].items()},
            files=int(raw["files"]),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as e:
        raise BackupError(f"The backup's manifest.json is incomplete: {e!r}.") from None


def _unpack(archive: Path, into: Path) -> Manifest:
    if not archive.is_file():
        raise BackupError(f"No backup at {archive}.")
    try:
        with tarfile.open(archive, "r:gz") as tar:
            # The "data" filter refuses absolute paths, "..", links out of the folder and devices.
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError, EOFError) as e:
        raise BackupError(f"{archive.name} cannot be read as a backup archive: {e}.") from None
    manifest = _read_manifest(into)
    expected = SQLITE_FILE if manifest.engine == "sqlite" else PG_FILE
    if manifest.engine not in ("sqlite", "postgresql") or expected not in manifest.checksums:
        raise BackupError(f"The backup names an unknown database engine {manifest.engine!r}.")
    present = {p.relative_to(into).as_posix() for p in into.rglob("*") if p.is_file()} - {MANIFEST}
    missing = sorted(set(manifest.checksums) - present)
    extra = sorted(present - set(manifest.checksums))
    if missing or extra:
        raise BackupError(
            f"The backup's contents do not match its manifest: missing {missing[:3]}, unexpected {extra[:3]}."
        )
    for name, checksum in manifest.checksums.items():
        if _sha256(into / name) != checksum:
            raise BackupError(f"{name} in the backup is damaged: its checksum does not match the manifest.")
    return manifest


def check(archive: Path) -> Manifest:
    """Everything restore checks, without changing anything."""
    with tempfile.TemporaryDirectory() as tmp:
        return _checked(archive, Path(tmp))


def _checked(archive: Path, folder: Path) -> Manifest:
    manifest = _unpack(archive, folder)
    if manifest.engine != engine():
        raise BackupError(
            f"This is a backup of a {manifest.engine} database; Tandem is connected to {engine()}. "
            "Restore it into the same kind of database."
        )
    known = {f"{app}.{name}" for app, name in MigrationLoader(connection, ignore_no_migrations=True).disk_migrations}
    newer = sorted(set(manifest.migrations) - known)
    if newer:
        raise BackupError(f"The backup was made by a newer Tandem (migrations {', '.join(newer[:3])}); upgrade first.")
    if manifest.engine == "sqlite":
        db = sqlite3.connect(folder / SQLITE_FILE)
        try:
            result = db.execute("PRAGMA integrity_check").fetchone()[0]
            tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        except sqlite3.DatabaseError as e:
            raise BackupError(f"The backup's database cannot be opened: {e}.") from None
        finally:
            db.close()
        if result != "ok" or "django_migrations" not in tables:
            raise BackupError(f"The backup's database is not whole: {result}.")
    else:
        _run(["pg_restore", "--list", str(folder / PG_FILE)], dict(os.environ), "Reading the backup's dump")
    return manifest


def restore(archive: Path) -> Manifest:
    with tempfile.TemporaryDirectory(dir=Path(settings.DATA_DIR)) as tmp:
        folder = Path(tmp)
        manifest = _checked(archive, folder)
        if manifest.engine == "sqlite":
            _restore_sqlite(folder / SQLITE_FILE)
        else:
            _restore_postgresql(folder / PG_FILE)
        _swap_files(folder / FILES)
    connection.close()
    # A backup made before the latest migrations is brought up to date.
    call_command("migrate", interactive=False, verbosity=0)
    # Cached dashboards were computed from the data just replaced.
    cache.clear()
    return manifest


def _restore_sqlite(source_file: Path) -> None:
    connection.ensure_connection()
    if connection.in_atomic_block:
        raise BackupError("Restore cannot run inside a transaction.")
    source = sqlite3.connect(source_file)
    try:
        # One step (all pages at once) under the live database's write lock: readers see the old
        # database or the new one, never a mixture.
        source.backup(connection.connection)
    finally:
        source.close()


def _restore_postgresql(dump: Path) -> None:
    args, env = _pg_env()
    script = _run(
        ["pg_restore", "--no-owner", "--no-privileges", "--file", "-", str(dump)], env, "Reading the backup's dump"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT format('DROP TABLE IF EXISTS %I.%I CASCADE;', schemaname, tablename) FROM pg_tables "
            "WHERE schemaname = current_schema()"
        )
        drops = [r[0] for r in cursor.fetchall()]
        cursor.execute(
            "SELECT format('DROP SEQUENCE IF EXISTS %I.%I CASCADE;', sequence_schema, sequence_name) "
            "FROM information_schema.sequences WHERE sequence_schema = current_schema()"
        )
        drops += [r[0] for r in cursor.fetchall()]
    connection.close()
    # One transaction: the old tables are dropped and the dump loaded together, or nothing changes.
    # pg_restore's plain script resets search_path; the drops run before it.
    psql = ["psql", "--no-psqlrc", "--quiet", "--single-transaction", "--set", "ON_ERROR_STOP=1", *args, "--file", "-"]
    _run(psql, env, "Loading the backup into PostgreSQL", stdin="\n".join(drops).encode() + b"\n" + script)


def _swap_files(restored: Path) -> None:
    media = Path(settings.MEDIA_ROOT)
    media.parent.mkdir(parents=True, exist_ok=True)
    incoming = media.with_name(f"{media.name}.restoring")
    old = media.with_name(f"{media.name}.replaced-{datetime.datetime.now():%Y%m%d%H%M%S}")
    shutil.rmtree(incoming, ignore_errors=True)
    if restored.exists():
        shutil.copytree(restored, incoming)
    else:
        incoming.mkdir()
    if media.exists():
        media.rename(old)
    incoming.rename(media)
    shutil.rmtree(old, ignore_errors=True)
