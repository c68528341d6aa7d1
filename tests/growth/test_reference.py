"""Tandem's growth percentiles against R's: the same cohort fitted with quantreg's rq (simplex,
method "br") and splines::bs, by tests/growth/reference_sgp.R."""

import csv
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from tandem.growth import sgp
from tandem.growth.simulate import progression_scores
from tests.conftest import REQUIRE_SERVICES

GRADES = ["3", "4", "5", "6"]
YEAR = 2025
SCRIPT = Path(__file__).with_name("reference_sgp.R")


def _rscript() -> str:
    found = shutil.which("Rscript")
    if found is None:
        message = "R is not installed (Debian's r-base-core and r-cran-quantreg); scripts/test installs it."
        if REQUIRE_SERVICES:
            pytest.fail(message)
        pytest.skip(message)
    return found


def _write_inputs(scores: sgp.Scores, result: sgp.Result, folder: Path) -> tuple[Path, Path]:
    cohort, scales_file = folder / "cohort.csv", folder / "scales.csv"
    history = {(int(s), int(y)): v for s, y, v in zip(scores.student, scores.year, scores.score, strict=True)}
    with cohort.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["ID", "SCORE", "PRIOR_1", "PRIOR_2", "PRIOR_3"])
        for student, grade, score in zip(result.student, result.grade, result.score, strict=True):
            if grade != GRADES[-1]:
                continue
            row: list[object] = [int(student), score]
            for back in (1, 2, 3):
                prior = history.get((int(student), YEAR - back))
                # A chain of consecutive years: nothing before a missing year counts.
                row.append("" if prior is None or row[-1] == "" else prior)
            writer.writerow(row)
    scales = sgp.scales_for(scores)
    with scales_file.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["COLUMN", "KNOT_1", "KNOT_2", "KNOT_3", "KNOT_4", "BOUNDARY_LOW", "BOUNDARY_HIGH", "LOSS", "HOSS"]
        )
        for column, grade in (("SCORE", "6"), ("PRIOR_1", "5"), ("PRIOR_2", "4"), ("PRIOR_3", "3")):
            s = scales[grade]
            writer.writerow([column, *s.knots, *s.boundaries, *s.loss_hoss])
    return cohort, scales_file


@pytest.mark.parametrize("seed", [11, 12])
def test_sgps_agree_with_r_quantreg(tmp_path: Path, seed: int) -> None:
    rscript = _rscript()
    scores = progression_scores(3000, GRADES, seed=seed)
    result = sgp.compute(scores, YEAR, progressions=[GRADES], min_cohort=1)
    assert all(f.fitted for f in result.fits) and len(result.fits) == 3
    cohort, scales_file = _write_inputs(scores, result, tmp_path)
    out = tmp_path / "r.csv"
    subprocess.run([rscript, str(SCRIPT), str(cohort), str(scales_file), str(out)], check=True, timeout=600)
    with out.open() as f:
        reference = {int(row["ID"]): row for row in csv.DictReader(f)}
    compared = 0
    for k, student in enumerate(result.student):
        if result.grade[k] != GRADES[-1]:
            assert not result.by_order[k].any()  # only the progression asked for is fitted
            continue
        r_row = reference[int(student)]
        for order in (1, 2, 3):
            theirs = r_row[f"SGP_ORDER_{order}"]
            ours = int(result.by_order[k, order - 1])
            # Both have an SGP of an order, or neither.
            assert (theirs != "") == (ours > 0), (student, order)
            if theirs:
                compared += 1
                difference = abs(int(theirs) - ours)
                assert difference <= 1, (student, order, theirs, ours)
    equal = sum(
        1
        for k, student in enumerate(result.student)
        for order in (1, 2, 3)
        if result.grade[k] == GRADES[-1]
        and reference[int(student)][f"SGP_ORDER_{order}"]
        and int(reference[int(student)][f"SGP_ORDER_{order}"]) == result.by_order[k, order - 1]
    )
    assert compared > 6000
    assert equal / compared >= 0.999, f"{equal} of {compared} equal"
    # Not a degenerate cohort where every SGP is the same.
    assert len(np.unique(result.sgp)) > 90
