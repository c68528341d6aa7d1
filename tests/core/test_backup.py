"""`tandem backup` and `tandem restore`, on whichever database the run uses (SQLite's online backup
API, or pg_dump and one transaction on PostgreSQL): a round trip brings back every record and file
exactly as they were, and a damaged, foreign or hostile archive is refused before anything changes."""

import io
import json
import tarfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile

from tandem.access.roles import Role
from tandem.core import backup
from tandem.core.backup import BackupError
from tandem.orgs.models import Person, School
from tandem.practices import actions
from tandem.practices.models import Attachment, Practice
from tandem.practices.search import Filters, find
from tests.world import World, build_world, make_person

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def place(settings: object, tmp_path: Path) -> Path:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    settings.MEDIA_ROOT = tmp_path / "files"  # type: ignore[attr-defined]
    return tmp_path


@pytest.fixture
def world(place: Path) -> World:
    return build_world()


def state() -> dict[str, object]:
    """Every table's rows, by model, plus the uploaded files and what a search finds."""
    rows = {m._meta.label: sorted(m.objects.values_list("pk", flat=True)) for m in apps.get_models()}
    from django.conf import settings

    media = Path(settings.MEDIA_ROOT)
    files = {p.relative_to(media).as_posix(): p.read_bytes() for p in media.rglob("*") if p.is_file()}
    titles = sorted(Practice.objects.values_list("title", flat=True))
    return {"rows": rows, "files": files, "titles": titles}


def _practice(world: World) -> Practice:
    leader = world.people[Role.NATIONAL_LEADER]
    p = actions.do_save_practice(
        leader, Practice(title="Guided reading groups", summary="s", problem="p", how="h"), ["Reading"]
    )
    actions.do_add_attachment(leader, p, "Plan", file=SimpleUploadedFile("plan.txt", b"the plan"))
    return p


def _found(world: World, words: str) -> list[str]:
    from tandem.access.scope import scope_for

    return [p.title for p in find(scope_for(world.people[Role.NATIONAL_LEADER]), Filters(q=words))]


def test_a_round_trip_brings_back_every_record_and_file(world: World, place: Path) -> None:
    p = _practice(world)
    before = state()
    archive, manifest = backup.backup()
    assert archive.parent == place / "backups" and archive.name.endswith(".tar.gz")
    assert manifest.engine == backup.engine() and manifest.files == 1

    # Life goes on: a new person, a renamed practice, a school gone, a file removed and one added.
    make_person("new@example.org", "New Person")
    p.title = "Renamed"
    actions.do_save_practice(world.people[Role.NATIONAL_LEADER], p)
    School.objects.filter(pk=world.outside.other_school.pk).delete()
    attachment = Attachment.objects.get()
    actions.do_remove_attachment(world.people[Role.NATIONAL_LEADER], attachment)
    (place / "files" / "stray.txt").write_bytes(b"not in the backup")
    assert state() != before

    backup.restore(archive)
    assert state() == before
    assert not Person.objects.filter(email="new@example.org").exists()
    # The search table came back with the practices.
    assert _found(world, "guided") == ["Guided reading groups"] and _found(world, "renamed") == []


def test_check_reads_a_good_archive_and_changes_nothing(world: World) -> None:
    _practice(world)
    archive, _ = backup.backup()
    before = state()
    assert backup.check(archive).files == 1
    assert state() == before


def _rewrite(archive: Path, out: Path, change: object) -> Path:
    """A copy of the archive with its members passed through `change(name, bytes) -> bytes | None`."""
    with tarfile.open(archive, "r:gz") as src, tarfile.open(out, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            data = change(member.name, data)  # type: ignore[operator]
            if data is None:
                continue
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    return out


def _manifest_edit(edit: object) -> object:
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        raw = json.loads(data)
        edit(raw)  # type: ignore[operator]
        return json.dumps(raw).encode()

    return change


@pytest.mark.parametrize(
    "damage, message",
    [
        (lambda name, data: None if name == "manifest.json" else data, "it has no manifest.json"),
        (lambda name, data: b"{not json" if name == "manifest.json" else data, "manifest.json cannot be read"),
        (_manifest_edit(lambda m: m.update(format=7)), "The backup's format is 7; this Tandem reads format 1."),
        (_manifest_edit(lambda m: m.pop("checksums")), "manifest.json is incomplete"),
        (
            _manifest_edit(lambda m: m["migrations"].append("practices.9999_from_the_future")),
            "made by a newer Tandem (migrations practices.9999_from_the_future)",
        ),
        (lambda name, data: data + b"x" if name.startswith("files/") else data, "is damaged: its checksum"),
        (lambda name, data: data[: len(data) // 2] if name.startswith("database") else data, "is damaged"),
        (lambda name, data: None if name.startswith("files/") else data, "do not match its manifest: missing"),
    ],
)
def test_a_damaged_archive_is_refused_and_nothing_changes(
    world: World, place: Path, damage: object, message: str
) -> None:
    _practice(world)
    archive, _ = backup.backup()
    bad = _rewrite(archive, place / "bad.tar.gz", damage)
    before = state()
    with pytest.raises(BackupError, match=message.replace("(", r"\(").replace(")", r"\)")):
        backup.restore(bad)
    assert state() == before


def test_a_backup_of_the_other_engine_is_refused(world: World, place: Path) -> None:
    archive, _ = backup.backup()
    other = "postgresql" if backup.engine() == "sqlite" else "sqlite"

    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        raw = json.loads(data)
        ours, theirs = (
            ("database.sqlite3", "database.pgdump")
            if other == "postgresql"
            else ("database.pgdump", "database.sqlite3")
        )
        raw["engine"] = other
        raw["checksums"][theirs] = raw["checksums"].pop(ours)
        return json.dumps(raw).encode()

    def rename(name: str) -> str:
        return {"database.sqlite3": "database.pgdump", "database.pgdump": "database.sqlite3"}.get(name, name)

    edited = _rewrite(archive, place / "edited.tar.gz", change)
    foreign = place / "foreign.tar.gz"
    with tarfile.open(edited, "r:gz") as src, tarfile.open(foreign, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read()  # type: ignore[union-attr]
            info = tarfile.TarInfo(rename(member.name))
            info.size = len(data)
            dst.addfile(info, io.BytesIO(data))
    before = state()
    with pytest.raises(BackupError, match=f"This is a backup of a {other} database; Tandem is connected to"):
        backup.restore(foreign)
    assert state() == before


@pytest.mark.parametrize(
    "member, message",
    [
        ("../escaped.txt", "cannot be read as a backup archive"),
        # A leading slash is taken off: the file lands inside the unpacking folder, which has no manifest.
        ("/tmp/tandem-absolute.txt", "it has no manifest.json"),
    ],
)
def test_an_archive_writing_outside_its_folder_is_refused(world: World, place: Path, member: str, message: str) -> None:
    hostile = place / "hostile.tar.gz"
    with tarfile.open(hostile, "w:gz") as tar:
        info = tarfile.TarInfo(member)
        info.size = 4
        tar.addfile(info, io.BytesIO(b"evil"))
    before = state()
    with pytest.raises(BackupError, match=message):
        backup.restore(hostile)
    assert state() == before
    assert not (place.parent / "escaped.txt").exists() and not Path("/tmp/tandem-absolute.txt").exists()


def test_not_an_archive_and_no_file_are_refused(world: World, place: Path) -> None:
    (place / "notes.tar.gz").write_bytes(b"hello")
    with pytest.raises(BackupError, match=r"notes\.tar\.gz cannot be read as a backup archive"):
        backup.restore(place / "notes.tar.gz")
    with pytest.raises(BackupError, match="No backup at"):
        backup.restore(place / "missing.tar.gz")
