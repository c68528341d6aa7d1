"""Growth percentiles written out as a CSV file, one row per student, in the SGP package's names."""

import csv
import math
from pathlib import Path
from typing import TextIO

import numpy as np

from tandem.growth.inputs import LongFile
from tandem.growth.sgp import Result


def header(result: Result) -> list[str]:
    orders = result.by_order.shape[1]
    return [
        "ID",
        "CONTENT_AREA",
        "YEAR",
        "GRADE",
        "SCALE_SCORE",
        "SGP",
        "SGP_ORDER",
        *(f"SGP_ORDER_{j}" for j in range(1, orders + 1)),
        *(f"PERCENTILE_CUT_{c}" for c in result.cuts),
    ]


def write(result: Result, source: LongFile, content_area: str, out: TextIO) -> int:
    """Every student with a score in the year, with or without an SGP; returns the rows written."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header(result))
    year = source.year_labels.get(result.year, str(result.year))
    ids = source.scores.ids
    order = np.lexsort((result.student, result.grade))
    for i in order:
        cuts = [_score(result.cuts[c][i]) for c in result.cuts]
        writer.writerow(
            [
                ids[result.student[i]],
                content_area,
                year,
                source.grade_labels.get(str(result.grade[i]), str(result.grade[i])),
                _score(result.score[i]),
                _sgp(result.sgp[i]),
                int(result.order[i]) or "",
                *(_sgp(v) for v in result.by_order[i]),
                *cuts,
            ]
        )
    return len(order)


def write_file(result: Result, source: LongFile, content_area: str, path: Path) -> int:
    with path.open("w", encoding="utf-8", newline="") as out:
        return write(result, source, content_area, out)


def _sgp(value: int) -> int | str:
    return int(value) if value else ""


def _score(value: float) -> str:
    if math.isnan(value):
        return ""
    return f"{value:.5f}".rstrip("0").rstrip(".")
