"""`tandem growth sgp` on a long file: what it writes, and the errors it gives for bad input."""

import csv
import json
from pathlib import Path

import numpy as np
import pytest

from tandem.cli import main
from tandem.growth import sgp
from tandem.growth.simulate import progression_scores

HEADER = "VALID_CASE,CONTENT_AREA,YEAR,ID,GRADE,SCALE_SCORE\n"


def _long_file(path: Path, students: int = 400) -> sgp.Scores:
    scores = progression_scores(students, ["3", "4", "5"], seed=4)
    with path.open("w") as out:
        out.write(HEADER)
        for student, year, grade, score in zip(scores.student, scores.year, scores.grade, scores.score, strict=True):
            out.write(f"VALID_CASE,READING,{year - 1}_{year},{scores.ids[student]},{grade},{score:.0f}\n")
        # Rows that must not count: another content area, and an invalid case.
        out.write("VALID_CASE,MATHEMATICS,2023_2024,S0000001,5,400\n")
        out.write(f"INVALID_CASE,READING,2023_2024,{scores.ids[0]},5,999\n")
    return scores


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open() as f:
        return list(csv.DictReader(f))


def test_writes_every_student_with_sgps_of_each_order(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source, out = tmp_path / "long.csv", tmp_path / "sgp.csv"
    scores = _long_file(source)
    code = main(
        ["growth", "sgp", "--input", str(source), "--content-area", "READING", "--year", "2023_2024",
         "--max-order", "2", "--min-cohort", "50", "--output", str(out)]
    )  # fmt: skip
    assert code == 0
    rows = _rows(out)
    assert list(rows[0])[:9] == [
        "ID", "CONTENT_AREA", "YEAR", "GRADE", "SCALE_SCORE", "SGP", "SGP_ORDER", "SGP_ORDER_1", "SGP_ORDER_2",
    ]  # fmt: skip
    assert "PERCENTILE_CUT_50" in rows[0]
    # Everyone with a 2023_2024 score is listed, once.
    assert len(rows) == int(np.sum(scores.year == 2024)) == len({r["ID"] for r in rows})
    assert all(r["YEAR"] == "2023_2024" and r["CONTENT_AREA"] == "READING" for r in rows)
    grade5 = [r for r in rows if r["GRADE"] == "5"]
    with_two = [r for r in grade5 if r["SGP_ORDER_2"]]
    assert with_two and all(r["SGP"] == r["SGP_ORDER_2"] and r["SGP_ORDER"] == "2" for r in with_two)
    only_one = [r for r in grade5 if r["SGP_ORDER_1"] and not r["SGP_ORDER_2"]]
    assert only_one and all(r["SGP"] == r["SGP_ORDER_1"] and r["SGP_ORDER"] == "1" for r in only_one)
    assert all(1 <= int(r["SGP"]) <= 99 for r in grade5 if r["SGP"])
    # Grade 3 is the first tested grade: no prior score, no SGP.
    assert all(r["SGP"] == "" for r in rows if r["GRADE"] == "3")
    # The invalid case's score 999 is not anyone's score.
    assert "999" not in {r["SCALE_SCORE"] for r in rows}
    said = capsys.readouterr().out
    assert "grades 4–5: " in said and "fitted" in said


def test_only_the_progressions_asked_for(tmp_path: Path) -> None:
    source, out = tmp_path / "long.csv", tmp_path / "sgp.csv"
    _long_file(source)
    code = main(
        ["growth", "sgp", "--input", str(source), "--content-area", "reading", "--year", "2024",
         "--grade-progression", "3,4", "--min-cohort", "50", "--output", str(out)]
    )  # fmt: skip
    assert code == 0
    rows = _rows(out)
    assert {r["GRADE"] for r in rows if r["SGP"]} == {"4"}


def test_a_configuration_sets_the_knots(tmp_path: Path) -> None:
    source, config = tmp_path / "long.csv", tmp_path / "knots.json"
    _long_file(source)
    config.write_text(json.dumps({"READING": {"knots": {"3": [250, 300, 350, 400]}, "loss_hoss": {"4": [150, 600]}}}))
    out, plain = tmp_path / "sgp.csv", tmp_path / "plain.csv"
    args = ["growth", "sgp", "--input", str(source), "--content-area", "READING", "--year", "2023_2024",
            "--min-cohort", "50"]  # fmt: skip
    assert main([*args, "--config", str(config), "--output", str(out)]) == 0
    assert main([*args, "--output", str(plain)]) == 0
    configured = {r["ID"]: r["SGP_ORDER_1"] for r in _rows(out) if r["GRADE"] == "4"}
    default = {r["ID"]: r["SGP_ORDER_1"] for r in _rows(plain) if r["GRADE"] == "4"}
    assert configured.keys() == default.keys() and sum(1 for v in configured.values() if v) > 300
    # Other knots for the grade 3 prior give other fits, so some SGPs move.
    assert configured != default


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("ID,YEAR,GRADE\n1,2024,3\n", "missing column(s) CONTENT_AREA, SCALE_SCORE"),
        (HEADER + "VALID_CASE,READING,2024_2025,S1,4,abc\n", "line 2, SCALE_SCORE: 'abc': not a number"),
        (HEADER + "VALID_CASE,READING,2024_2026,S1,4,300\n", "line 2, YEAR: '2024_2026': the two years"),
        (HEADER + "VALID_CASE,READING,2024_2025,S1,14,300\n", "line 2, GRADE: '14': not a grade"),
        (HEADER + "MAYBE,READING,2024_2025,S1,4,300\n", "line 2, VALID_CASE: 'MAYBE'"),
        (
            HEADER + "VALID_CASE,READING,2024_2025,S1,4,300\nVALID_CASE,READING,2024_2025,S1,4,310\n",
            "line 3: student S1 already has a valid READING score for 2024_2025 on line 2",
        ),
        (HEADER + "VALID_CASE,MATH,2024_2025,S1,4,300\n", "no rows for content area 'READING'; the file has MATH"),
    ],
)
def test_bad_files_are_refused_with_where_and_why(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str
) -> None:
    source, out = tmp_path / "long.csv", tmp_path / "sgp.csv"
    source.write_text(content)
    args = ["growth", "sgp", "--input", str(source), "--content-area", "READING", "--year", "2024_2025",
            "--output", str(out)]  # fmt: skip
    assert main(args) == 1
    assert message in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"READING": {"knots": {"3": [300, 250, 350, 400]}}}, "READING.knots.3: the knots must rise"),
        ({"READING": {"boundaries": {"3": [100]}}}, "READING.boundaries.3: must hold 2 numbers"),
        ({"READING": {"loss_hoss": {"3": ["low", 600]}}}, "READING.loss_hoss.3: must hold only numbers"),
        ({"READING": {"knots": {"3": [250, 300, 350, 700]}, "boundaries": {"3": [100, 650]}}}, "must lie inside"),
        ({"READING": {"knotz": {}}}, "unknown key 'knotz'"),
        ({"READING": {"knots": {"grade three": [1, 2, 3, 4]}}}, "READING.knots.grade three: not a grade"),
    ],
)
def test_bad_configurations_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], config: object, message: str
) -> None:
    source, path = tmp_path / "long.csv", tmp_path / "knots.json"
    _long_file(source, students=60)
    path.write_text(json.dumps(config))
    args = ["growth", "sgp", "--input", str(source), "--content-area", "READING", "--year", "2024_2025",
            "--config", str(path), "--output", str(tmp_path / "sgp.csv")]  # fmt: skip
    assert main(args) == 1
    assert message in capsys.readouterr().err


def test_a_bad_progression_or_year_is_a_usage_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = tmp_path / "long.csv"
    _long_file(source, students=60)
    base = ["growth", "sgp", "--input", str(source), "--content-area", "READING", "--output", str(tmp_path / "o.csv")]
    assert main([*base, "--year", "2024_2025", "--grade-progression", "4"]) == 2
    assert "at least a prior grade and the current grade" in capsys.readouterr().err
    assert main([*base, "--year", "next year"]) == 2
    assert "--year 'next year'" in capsys.readouterr().err
