"""A large results import merges with the foreign keys checked once and the reading indexes built
once, at the end. Whatever happens, the tables keep their constraints and indexes, and the rows
that land are those a small import would write."""

from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from tandem.achievement.importers import sgp_long, staging
from tandem.achievement.models import Enrollment, StudentResult, StudentYear
from tests.achievement.sgp_files import row, text, write
from tests.world import World


def _schema() -> dict[str, dict[str, tuple[Any, ...]]]:
    """Each table's constraints and indexes: columns, unique, primary, foreign key, index."""
    with connection.cursor() as cursor:
        return {
            table: {
                name: (tuple(c["columns"]), c["unique"], c["primary_key"], c["foreign_key"], c["index"])
                for name, c in connection.introspection.get_constraints(cursor, table).items()
            }
            for table in sgp_long.RESULT_TABLES
        }


def _rows() -> list[dict[str, str]]:
    return [
        row(),
        row(CONTENT_AREA="MATHEMATICS", SCALE_SCORE="2430", ACHIEVEMENT_LEVEL=""),
        row(ID="1002", FIRST_NAME="Ben", SCALE_SCORE="2300", ACHIEVEMENT_LEVEL=""),
        row(ID="1003", FIRST_NAME="Cy", GRADE="4", SCALE_SCORE="", ACHIEVEMENT_LEVEL=""),
    ]


def _landed() -> list[tuple[object, ...]]:
    return sorted(
        StudentResult.objects.values_list(
            "student__state_id", "administration__assessment__code", "school__state_id", "grade", "scale_score", "level"
        )
    )


@pytest.fixture
def small_is_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(staging, "BULK_ROWS", 1)


def _watch_the_merge(monkeypatch: pytest.MonkeyPatch, seen: list[dict[str, dict[str, tuple[Any, ...]]]]) -> None:
    """Record the schema half way through the merge."""
    original = sgp_long._warn_conflicting_demographics

    def watched(*args: Any, **kwargs: Any) -> None:
        seen.append(_schema())
        original(*args, **kwargs)

    monkeypatch.setattr(sgp_long, "_warn_conflicting_demographics", watched)


def test_a_large_import_lands_what_a_small_one_does_and_keeps_the_schema(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    small = sgp_long.import_file(write(tmp_path, text(_rows()), "small.csv"))
    assert small.ok, small.lines()
    expected, expected_counts = _landed(), small.counts
    StudentResult.objects.all().delete()
    Enrollment.objects.all().delete()
    StudentYear.objects.all().delete()
    before = _schema()

    monkeypatch.setattr(staging, "BULK_ROWS", 1)
    seen: list[dict[str, dict[str, tuple[Any, ...]]]] = []
    _watch_the_merge(monkeypatch, seen)
    large = sgp_long.import_file(write(tmp_path, text(_rows()), "large.csv"))
    assert large.ok, large.lines()
    assert _landed() == expected
    assert large.counts["results"] == expected_counts["results"] == {"created": 4, "updated": 0, "unchanged": 0}
    assert _schema() == before

    # The merge really ran without the reading indexes (and, on PostgreSQL, without foreign keys).
    during = seen[0]["achievement_studentresult"]
    assert not any(index and not unique for _, unique, _, _, index in during.values())
    if connection.vendor == "postgresql":
        assert not [name for name, (_, _, _, fk, _) in during.items() if fk]
    assert any(index and not unique for _, unique, _, _, index in before["achievement_studentresult"].values())


def test_a_large_corrected_file_updates_in_place(
    world: World, tmp_path: Path, small_is_large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sgp_long.import_file(write(tmp_path, text(_rows()), "first.csv")).ok
    before = _schema()
    corrected = _rows()
    corrected[2]["SCALE_SCORE"] = "2350"
    report = sgp_long.import_file(write(tmp_path, text(corrected), "second.csv"))
    assert report.ok, report.lines()
    assert report.counts["results"] == {"created": 0, "updated": 1, "unchanged": 3}
    assert report.changes == ["row 4: student 1002, 2024_2025: scale score 2300 → 2350"]
    assert _schema() == before


def test_a_large_import_that_fails_half_way_leaves_tables_and_schema_as_they_were(
    world: World, tmp_path: Path, small_is_large: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert sgp_long.import_file(write(tmp_path, text(_rows()[:1]), "first.csv")).ok
    before, landed = _schema(), _landed()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(sgp_long, "_warn_conflicting_demographics", broken)
    with pytest.raises(RuntimeError):
        sgp_long.import_file(write(tmp_path, text(_rows()), "second.csv"))
    assert _schema() == before
    assert _landed() == landed
