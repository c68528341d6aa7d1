"""Files built to break an import: each gets a precise error (or is read correctly) and a failed
import leaves the database exactly as it was."""

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tandem.access.roles import Role
from tandem.achievement import imports
from tandem.achievement.importers import public_results, sgp_long
from tandem.achievement.importers.mapping import Mapping, MappingError
from tandem.achievement.models import Enrollment, ImportRun, PublicResult, StudentResult, StudentYear
from tandem.orgs.models import School
from tests.achievement.public_files import CAASPP, caaspp_row
from tests.achievement.sgp_files import row, text, write
from tests.world import World


def test_old_mac_line_ends_are_read(world: World, tmp_path: Path) -> None:
    report = sgp_long.import_file(write(tmp_path, text([row(), row(ID="1002")], newline="\r")))
    assert report.ok, report.lines()
    assert StudentResult.objects.count() == 2


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        (
            {"ID": "9" * 41},
            f"error: results.csv, row 2, column ID: longer than the 40 characters Tandem keeps (value '{'9' * 41}')",
        ),
        (
            {"LAST_NAME": "x" * 101},
            f"error: results.csv, row 2, column LAST_NAME: longer than the 100 characters Tandem keeps (value '{'x' * 60}')",
        ),
        (
            {"SCHOOL_NUMBER": "1" * 21},
            f"error: results.csv, row 2, column SCHOOL_NUMBER: longer than the 20 characters Tandem keeps (value '{'1' * 21}')",
        ),
        (
            {"LAST_NAME": "Di\x00az"},
            "error: results.csv, row 2, column LAST_NAME: the value holds a NUL character: the file may be damaged",
        ),
    ],
    ids=["long id", "long name", "long school number", "NUL"],
)
def test_values_the_tables_cannot_keep(world: World, tmp_path: Path, overrides: dict[str, str], expected: str) -> None:
    report = sgp_long.import_file(write(tmp_path, text([row(**overrides)])))
    assert [line for line in report.lines() if line.startswith("error")] == [expected]
    assert not StudentResult.objects.exists()
    assert School.objects.count() == 4


@pytest.mark.parametrize(
    ("toml", "message"),
    [
        ("encoding = 5", "the encoding is a name"),
        ('delimiter = "\\""', "not a quote or a line end"),
        ("[columns]\nID = 3", "[columns] maps each file column"),
        ("colour = 'blue'", "unknown keys colour"),
    ],
)
def test_odd_mapping_files_are_refused(tmp_path: Path, toml: str, message: str) -> None:
    path = tmp_path / "map.toml"
    path.write_text(toml)
    with pytest.raises(MappingError, match=re.escape(message)):
        Mapping.load(path)


def test_scores_are_kept_to_two_decimals_and_reimport_changes_nothing(world: World, tmp_path: Path) -> None:
    content = text([row(SCALE_SCORE="2440.125", ACHIEVEMENT_LEVEL="")])
    assert sgp_long.import_file(write(tmp_path, content)).ok
    assert StudentResult.objects.get().scale_score == Decimal("2440.13")
    again = sgp_long.import_file(write(tmp_path, content))
    assert again.counts["results"] == {"created": 0, "updated": 0, "unchanged": 1}


def test_valid_rows_that_differ_only_in_level_are_a_duplicate_key(world: World, tmp_path: Path) -> None:
    rows = [
        row(SCALE_SCORE="", ACHIEVEMENT_LEVEL="Standard Met"),
        row(SCALE_SCORE="", ACHIEVEMENT_LEVEL="Standard Not Met"),
    ]
    report = sgp_long.import_file(write(tmp_path, text(rows)))
    assert [line for line in report.lines() if line.startswith("error")] == [
        "error: results.csv, row 3, column ID: duplicate key: student 1001, 2024_2025 is also on row 2 with different values (value '1001')"
    ]


def test_rows_that_disagree_about_the_student_are_a_warning(world: World, tmp_path: Path) -> None:
    rows = [row(), row(CONTENT_AREA="MATHEMATICS", GENDER="Gender: Male", ACHIEVEMENT_LEVEL="")]
    report = sgp_long.import_file(write(tmp_path, text(rows)))
    assert report.ok
    assert report.lines() == [
        "warning: results.csv, row 3: student 1001, 2024_2025: this row and row 2 disagree on gender;"
        " the last value in alphabetical order was kept (value '1001')"
    ]


def test_a_file_without_enrollment_status_keeps_the_one_known(world: World, tmp_path: Path) -> None:
    assert sgp_long.import_file(write(tmp_path, text([row(SCHOOL_ENROLLMENT_STATUS="Enrolled School: No")]))).ok
    columns = ["VALID_CASE", "CONTENT_AREA", "YEAR", "ID", "GRADE", "SCALE_SCORE", "SCHOOL_NUMBER"]
    math = row(CONTENT_AREA="MATHEMATICS", SCALE_SCORE="2450")
    assert sgp_long.import_file(write(tmp_path, text([math], columns=columns), "math.csv")).ok
    assert Enrollment.objects.get().full_year is False
    assert StudentYear.objects.get().fluency == "EL"


def test_public_counts_must_be_whole_numbers_of_a_sane_size(world: World, tmp_path: Path) -> None:
    head = "ENTITY_TYPE,ENTITY_ID,SCHOOL_YEAR,ASSESSMENT,GRADE,STUDENT_GROUP,STUDENTS_TESTED,MEAN_SCALE_SCORE\n"
    content = (
        head
        + "state,CA,2025,caaspp-ela,3,1,1e30,2400\nstate,CA,2025,caaspp-ela,4,1,2.7,2400\nstate,CA,2025,caaspp-ela,5,1,10,123456789\n"
    )
    report = public_results.import_generic(write(tmp_path, content))
    assert [line for line in report.lines() if line.startswith("error")] == [
        "error: results.csv, row 2, column STUDENTS_TESTED: not a whole number of students (value '1e30')",
        "error: results.csv, row 3, column STUDENTS_TESTED: not a whole number of students (value '2.7')",
        "error: results.csv, row 4, column MEAN_SCALE_SCORE: the number is too large (value '123456789')",
    ]
    assert not PublicResult.objects.exists()


def test_caaspp_county_totals_are_skipped_not_taken_for_the_state(world: World, tmp_path: Path) -> None:
    content = CAASPP + caaspp_row(
        "01", "00000", "0000000", "1", "13", "1", "9000", "2450", ("25", "25", "50", "25", "25")
    )
    content += caaspp_row("00", "00000", "0000000", "1", "13", "1", "400000", "2470", ("25", "25", "50", "25", "25"))
    report = public_results.import_caaspp(write(tmp_path, content))
    assert report.ok, report.lines()
    assert list(PublicResult.objects.values_list("entity", "students_tested")) == [("state", 400000)]
    assert "warning: results.csv, column COUNTY CODE: 1 rows of county totals were skipped" in report.lines()


def test_a_failure_in_the_merge_leaves_nothing_and_ends_the_run(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    # Half way through the merge: the students are in, their years are not.
    monkeypatch.setattr(sgp_long, "_warn_conflicting_demographics", broken)
    path = write(tmp_path, text([row(SCHOOL_NUMBER="0899", SCHOOL_NAME="New School")]))
    run = ImportRun.objects.create(kind="results", format="sgp-long", file_name="results.csv", file_path=str(path))
    report = imports.execute(run)
    run.refresh_from_db()
    assert run.status == "failed"
    assert report.lines() == [
        "error: results.csv: the import stopped on a problem Tandem did not expect (RuntimeError); nothing was changed."
        " Please send this file to your Tandem administrator."
    ]
    assert not School.objects.filter(state_id="0899").exists()
    assert not StudentResult.objects.exists()


def test_the_api_reads_the_mapping_file(world: World) -> None:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    mapping = SimpleUploadedFile("map.toml", b'[columns]\n"Student" = "ID"\n')
    response = client.post(
        "/api/v1/imports",
        {"kind": "results", "format": "sgp-long", "file": SimpleUploadedFile("a.csv", b"x"), "mapping": mapping},
    )
    assert response.status_code == 202
    assert ImportRun.objects.get().options["mapping"].endswith("map.toml")
