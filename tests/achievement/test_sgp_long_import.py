"""Importing student results in the SGP long layout: what lands, what is refused and why, and
that a refused file changes nothing."""

from decimal import Decimal
from pathlib import Path

import pytest

from tandem.achievement.importers import sgp_long
from tandem.achievement.importers.mapping import Mapping
from tandem.achievement.models import Enrollment, Student, StudentResult, StudentYear
from tandem.orgs.models import District, School
from tests.achievement.sgp_files import COLUMNS, row, text, write
from tests.world import World


def _tables() -> dict[str, list[tuple[object, ...]]]:
    """Everything an import can touch, to prove a failed one touched nothing."""
    return {
        "students": list(Student.objects.order_by("pk").values_list()),
        "years": list(StudentYear.objects.order_by("pk").values_list()),
        "enrollments": list(Enrollment.objects.order_by("pk").values_list()),
        "results": list(StudentResult.objects.order_by("pk").values_list()),
        "schools": list(School.objects.order_by("pk").values_list()),
        "districts": list(District.objects.order_by("pk").values_list()),
    }


@pytest.fixture
def seeded(world: World, tmp_path: Path) -> World:
    """The test world with one clean import already in it."""
    rows = [
        row(),
        row(ID="1002", SCALE_SCORE="2300", ACHIEVEMENT_LEVEL=""),
        row(CONTENT_AREA="MATHEMATICS", SCALE_SCORE="2500", ACHIEVEMENT_LEVEL=""),
    ]
    report = sgp_long.import_file(write(tmp_path, text(rows), "seed.csv"))
    assert report.ok, report.lines()
    return world


def _refused(tmp_path: Path, content: str | bytes, expected: list[str], mapping: Mapping | None = None) -> None:
    before = _tables()
    report = sgp_long.import_file(write(tmp_path, content), mapping=mapping)
    assert [line for line in report.lines() if line.startswith("error")] == expected
    assert not report.ok
    assert _tables() == before


def test_a_clean_file_lands_whole(world: World, tmp_path: Path) -> None:
    rows = [
        row(),
        row(CONTENT_AREA="MATHEMATICS", SCALE_SCORE="2430", ACHIEVEMENT_LEVEL=""),
        row(ID="1002", SCALE_SCORE="", ACHIEVEMENT_LEVEL=""),
    ]
    report = sgp_long.import_file(write(tmp_path, text(rows)))
    assert report.ok, report.lines()
    assert report.counts["results"] == {"created": 3, "updated": 0, "unchanged": 0}
    assert report.counts["students"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert report.counts["schools"] == {"created": 0, "matched": 1}
    ana = Student.objects.get(state_id="1001")
    assert (ana.first_name, ana.last_name) == ("Ana", "Diaz")
    year = ana.years.get(school_year=2025)
    assert (year.gender, year.race, year.fluency, year.disadvantaged, year.disability, year.gifted) == (
        "F",
        "hispanic",
        "EL",
        True,
        False,
        False,
    )
    ela = StudentResult.objects.get(student=ana, administration__assessment__code="caaspp-ela")
    assert (ela.scale_score, ela.level, ela.grade, ela.school, ela.valid) == (
        Decimal("2440"),
        3,
        "3",
        world.inside.school,
        True,
    )
    math = StudentResult.objects.get(student=ana, administration__assessment__code="caaspp-math")
    assert math.level == 2  # 2430 is Standard Nearly Met in grade 3 math (Met from 2436)
    untested = StudentResult.objects.get(student__state_id="1002")
    assert (untested.scale_score, untested.level) == (None, None)
    assert Enrollment.objects.get(student=ana).school == world.inside.school


def test_re_importing_the_same_file_changes_nothing(seeded: World, tmp_path: Path) -> None:
    before = _tables()
    rows = [
        row(),
        row(ID="1002", SCALE_SCORE="2300", ACHIEVEMENT_LEVEL=""),
        row(CONTENT_AREA="MATHEMATICS", SCALE_SCORE="2500", ACHIEVEMENT_LEVEL=""),
    ]
    report = sgp_long.import_file(write(tmp_path, text(rows), "seed.csv"))
    assert report.ok
    assert report.counts["results"] == {"created": 0, "updated": 0, "unchanged": 3}
    assert report.counts["student years"] == {"created": 0, "updated": 0, "unchanged": 2}
    assert _tables() == before


def test_a_corrected_file_updates_in_place_and_says_what_changed(seeded: World, tmp_path: Path) -> None:
    report = sgp_long.import_file(write(tmp_path, text([row(SCALE_SCORE="2495", ACHIEVEMENT_LEVEL="")])))
    assert report.ok
    assert report.counts["results"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert report.changes == ["row 2: student 1001, 2024_2025: scale score 2440 → 2495"]
    result = StudentResult.objects.get(student__state_id="1001", administration__assessment__code="caaspp-ela")
    assert (result.scale_score, result.level) == (Decimal("2495"), 4)
    assert StudentResult.objects.count() == 3


def test_level_that_disagrees_with_the_score_is_a_warning(world: World, tmp_path: Path) -> None:
    report = sgp_long.import_file(write(tmp_path, text([row(ACHIEVEMENT_LEVEL="Standard Exceeded")])))
    assert report.ok
    assert report.lines() == [
        "warning: results.csv, row 2, column ACHIEVEMENT_LEVEL: disagrees with the score 2440, which is Standard Met;"
        " the score's level was kept (value 'Standard Exceeded')"
    ]
    assert StudentResult.objects.get().level == 3


def test_bad_values_are_reported_with_row_column_value_and_reason(seeded: World, tmp_path: Path) -> None:
    rows = [
        row(YEAR="2025_2024"),
        row(ID="1003", GRADE="14"),
        row(ID="1004", SCALE_SCORE="9999"),
        row(ID="1005", CONTENT_AREA="SCIENCE"),
        row(ID="1006", ETHNICITY="Martian", GENDER="Gender: ?"),
        row(ID="", VALID_CASE="MAYBE"),
        row(ID="1007", GRADE="2"),
        row(ID="1008", SCALE_SCORE="abc"),
    ]
    _refused(
        tmp_path,
        text(rows),
        [
            "error: results.csv, row 2, column YEAR: the two years of a school year must follow each other, like 2024_2025 (value '2025_2024')",
            "error: results.csv, row 3, column GRADE: not a grade: use TK, K or 1–12 (value '14')",
            "error: results.csv, row 4, column SCALE_SCORE: score outside the scale (2114.00–2623.00) (value '9999')",
            "error: results.csv, row 5, column CONTENT_AREA: unknown content area; known: CST_ELA, CST_MATH, MATHEMATICS, READING (value 'SCIENCE')",
            "error: results.csv, row 6, column GENDER: unknown gender code: use Female, Male or Nonbinary (value 'Gender: ?')",
            "error: results.csv, row 6, column ETHNICITY: unknown ethnicity code (value 'Martian')",
            "error: results.csv, row 7, column VALID_CASE: expected VALID_CASE or INVALID_CASE (value 'MAYBE')",
            "error: results.csv, row 7, column ID: the student id is empty (value '')",
            "error: results.csv, row 8, column GRADE: CAASPP English Language Arts/Literacy is not given in grade 2 (value '2')",
            "error: results.csv, row 9, column SCALE_SCORE: not a number (value 'abc')",
        ],
    )


def test_duplicate_keys(world: World, tmp_path: Path) -> None:
    _refused(
        tmp_path,
        text([row(), row(SCALE_SCORE="2450", ACHIEVEMENT_LEVEL="")]),
        [
            "error: results.csv, row 3, column ID: duplicate key: student 1001, 2024_2025 is also on row 2 with different values (value '1001')"
        ],
    )


def test_exact_repeats_and_invalid_cases_beside_a_valid_row_are_set_aside(world: World, tmp_path: Path) -> None:
    rows = [row(), row(), row(VALID_CASE="INVALID_CASE", SCALE_SCORE="2200", ACHIEVEMENT_LEVEL="")]
    report = sgp_long.import_file(write(tmp_path, text(rows)))
    assert report.ok
    assert report.lines() == [
        "warning: results.csv, row 3: repeats row 2 (student 1001, 2024_2025); the repeat was ignored",
        "warning: results.csv, row 4, column VALID_CASE: student 1001, 2024_2025 has a valid row;"
        " the invalid case was set aside",
    ]
    result = StudentResult.objects.get()
    assert (result.valid, result.scale_score) == (True, Decimal("2440"))


def test_an_invalid_case_alone_is_kept_as_invalid(world: World, tmp_path: Path) -> None:
    report = sgp_long.import_file(write(tmp_path, text([row(VALID_CASE="INVALID_CASE")])))
    assert report.ok
    assert StudentResult.objects.get().valid is False


# -- nasty files ------------------------------------------------------------------------------------


def test_utf8_bom_and_crlf_are_fine(world: World, tmp_path: Path) -> None:
    content = "\ufeff" + text([row(LAST_NAME="Núñez")], newline="\r\n")
    report = sgp_long.import_file(write(tmp_path, content))
    assert report.ok, report.lines()
    assert Student.objects.get().last_name == "Núñez"


def test_latin1_file_is_refused_at_the_row_with_the_bad_byte(seeded: World, tmp_path: Path) -> None:
    content = text([row(ID="2001"), row(ID="2002", LAST_NAME="Núñez")]).encode("latin-1")
    _refused(
        tmp_path,
        content,
        [
            "error: results.csv, row 3: bad encoding: byte 0xFA at position 36 is not valid utf-8. It looks like Latin-1/Windows-1252: save the file as UTF-8, or give its encoding."
        ],
    )


def test_latin1_file_imports_with_its_encoding_named(world: World, tmp_path: Path) -> None:
    content = text([row(LAST_NAME="Núñez")]).encode("latin-1")
    report = sgp_long.import_file(write(tmp_path, content), mapping=Mapping(encoding="latin-1"))
    assert report.ok, report.lines()
    assert Student.objects.get().last_name == "Núñez"


def test_wrong_delimiter(seeded: World, tmp_path: Path) -> None:
    _refused(
        tmp_path,
        text([row()], delimiter=";"),
        [
            "error: results.csv, row 1: none of the expected columns were found with the delimiters ',', '\\t', '|';"
            f" expected columns such as CONTENT_AREA, GRADE, ID, SCALE_SCORE (value {';'.join(COLUMNS)[:120]!r})"
        ],
    )


def test_tab_and_pipe_files_are_read(world: World, tmp_path: Path) -> None:
    for delimiter in ("\t", "|"):
        report = sgp_long.import_file(write(tmp_path, text([row()], delimiter=delimiter)))
        assert report.ok, report.lines()
    assert StudentResult.objects.count() == 1


def test_missing_and_extra_columns(seeded: World, tmp_path: Path) -> None:
    columns = [c for c in COLUMNS if c not in ("SCALE_SCORE", "GRADE")] + ["FAVOURITE_COLOUR"]
    before = _tables()
    report = sgp_long.import_file(write(tmp_path, text([row()], columns=columns)))
    assert report.lines() == [
        "error: results.csv, row 1, column GRADE: missing column",
        "error: results.csv, row 1, column SCALE_SCORE: missing column",
        "warning: results.csv, row 1, column FAVOURITE_COLOUR: column not used by this format; it was ignored",
    ]
    assert _tables() == before


def test_optional_columns_can_be_left_out(world: World, tmp_path: Path) -> None:
    columns = ["VALID_CASE", "CONTENT_AREA", "YEAR", "ID", "GRADE", "SCALE_SCORE", "SCHOOL_NUMBER"]
    report = sgp_long.import_file(write(tmp_path, text([row()], columns=columns)))
    assert report.ok, report.lines()
    assert StudentYear.objects.get().fluency == ""


def test_blank_lines_are_skipped(world: World, tmp_path: Path) -> None:
    content = text([row()]) + "\n\n" + text([row(ID="1002")]).split("\n", 1)[1] + "\n"
    report = sgp_long.import_file(write(tmp_path, content))
    assert report.ok, report.lines()
    assert StudentResult.objects.count() == 2


def test_one_row_file(world: World, tmp_path: Path) -> None:
    assert sgp_long.import_file(write(tmp_path, text([row()]))).ok


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "error: results.csv: the file is empty (0 bytes)"),
        ("\n\n  \n", "error: results.csv: the file has no header row: it holds only blank lines"),
        (",".join(COLUMNS) + "\n", "error: results.csv: the file has a header but no data rows"),
    ],
    ids=["0-byte", "blank lines only", "header only"],
)
def test_empty_files(seeded: World, tmp_path: Path, content: str | bytes, expected: str) -> None:
    _refused(tmp_path, content, [expected])


def test_truncated_last_line(seeded: World, tmp_path: Path) -> None:
    content = text([row(ID="3001"), row(ID="3002")])
    _refused(
        tmp_path,
        content[: content.rindex("01100000000001")],
        ["error: results.csv, row 3: expected 23 fields, found 16 (the line may be cut short)"],
    )


def test_unterminated_quote(seeded: World, tmp_path: Path) -> None:
    content = text([row(ID="3001"), row(ID="3002", LAST_NAME='"Diaz')])
    _refused(
        tmp_path,
        content,
        ["error: results.csv, row 3: the file is malformed here: a quoted value opened here is never closed"],
    )


def test_one_bad_row_among_many_changes_nothing(seeded: World, tmp_path: Path) -> None:
    rows = [row(ID=str(5000 + i), SCALE_SCORE="2400", ACHIEVEMENT_LEVEL="") for i in range(12000)]
    rows[11000]["SCALE_SCORE"] = "-1"
    _refused(
        tmp_path,
        text(rows),
        ["error: results.csv, row 11002, column SCALE_SCORE: score outside the scale (2114.00–2623.00) (value '-1')"],
    )


def test_unknown_schools_and_districts_are_created(world: World, tmp_path: Path) -> None:
    report = sgp_long.import_file(
        write(
            tmp_path,
            text(
                [
                    row(
                        SCHOOL_NUMBER="0899",
                        SCHOOL_NAME="Lone Pine Middle",
                        EMH_LEVEL="Middle",
                        DISTRICT_NUMBER="0880",
                        DISTRICT_NAME="Mesa County 51",
                        GRADE="6",
                        SCALE_SCORE="2500",
                        ACHIEVEMENT_LEVEL="",
                    )
                ]
            ),
        )
    )
    assert report.ok, report.lines()
    school = School.objects.get(state_id="0899")
    assert (school.name, school.level, school.district.name, school.district.region) == (
        "Lone Pine Middle",
        "middle",
        "Mesa County 51",
        None,
    )
    assert report.counts["districts"] == {"created": 1}
    assert "new school created: Lone Pine Middle in Mesa County 51" in report.lines()[0]


def test_mapping_file_renames_columns_and_codes(world: World, tmp_path: Path) -> None:
    mapping_file = tmp_path / "map.toml"
    mapping_file.write_text(
        'delimiter = ";"\n[columns]\n"Student" = "ID"\n"Subject" = "CONTENT_AREA"\n'
        '[values.CONTENT_AREA]\n"ELA" = "READING"\n[values.ETHNICITY]\n"Latino" = "Hispanic"\n'
    )
    columns = ["VALID_CASE", "Subject", "YEAR", "Student", "GRADE", "SCALE_SCORE", "SCHOOL_NUMBER", "ETHNICITY"]
    data = row(ETHNICITY="Latino")
    data.update({"Subject": "ELA", "Student": "9001"})
    report = sgp_long.import_file(
        write(tmp_path, text([data], columns=columns, delimiter=";")), mapping=Mapping.load(mapping_file)
    )
    assert report.ok, report.lines()
    assert StudentYear.objects.get(student__state_id="9001").race == "hispanic"
