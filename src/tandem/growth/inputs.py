"""What growth percentiles are computed from: a long file in the SGP package's layout, or the
results imported into Tandem; and the knots configuration. Every problem found is reported with
where it is (line and column, or the configuration's path), what was found and why it is wrong;
nothing is computed from input with errors."""

import itertools
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import polars as pl

from tandem.achievement.importers import values
from tandem.growth.sgp import GradeScale, Scores

REQUIRED = ("ID", "CONTENT_AREA", "YEAR", "GRADE", "SCALE_SCORE")
MAX_ERRORS = 50


class InputError(ValueError):
    """Input that growth percentiles cannot be computed from; `problems` lists each one."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = problems[:MAX_ERRORS]
        more = f"\n… and {len(problems) - MAX_ERRORS} more" if len(problems) > MAX_ERRORS else ""
        super().__init__("\n".join(shown) + more)


@dataclass
class LongFile:
    """The rows of one content area, with what is needed to write them back out."""

    scores: Scores
    year_labels: dict[int, str] = field(default_factory=dict)  # school year → as the file wrote it
    grade_labels: dict[str, str] = field(default_factory=dict)
    ignored_invalid: int = 0


def read_long(path: Path, content_area: str) -> LongFile:
    """The valid rows of `content_area` in a long CSV file (VALID_CASE, CONTENT_AREA, YEAR, ID,
    GRADE, SCALE_SCORE; other columns are ignored). INVALID_CASE rows are left out; two valid rows
    for one student, content area and year are an error."""
    try:
        frame = pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
    except (pl.exceptions.PolarsError, OSError) as error:
        raise InputError([f"{path}: cannot be read as CSV: {error}"]) from error
    frame = frame.rename({c: c.strip().upper() for c in frame.columns})
    missing = [c for c in REQUIRED if c not in frame.columns]
    if missing:
        raise InputError([f"{path}: line 1: missing column(s) {', '.join(missing)}; found {', '.join(frame.columns)}"])
    line = pl.int_range(2, frame.height + 2, eager=True)
    frame = frame.with_columns(line.alias("_line"))
    areas = frame["CONTENT_AREA"].str.strip_chars()
    frame = frame.filter(areas.str.to_uppercase() == content_area.strip().upper())
    if frame.height == 0:
        known = sorted(set(areas.drop_nulls().to_list()))[:10]
        raise InputError(
            [f"{path}: no rows for content area {content_area!r}; the file has {', '.join(known) or 'none'}"]
        )
    problems: list[str] = []
    invalid = 0
    if "VALID_CASE" in frame.columns:
        keep = []
        for number, text in zip(frame["_line"], frame["VALID_CASE"].fill_null(""), strict=True):
            try:
                keep.append(values.valid_case(text))
            except ValueError as error:
                problems.append(f"line {number}, VALID_CASE: {text!r}: {error}")
                keep.append(False)
        invalid = keep.count(False)
        frame = frame.filter(pl.Series(keep))
    years: list[int] = []
    grades: list[str] = []
    scores: list[float] = []
    year_labels: dict[int, str] = {}
    grade_labels: dict[str, str] = {}
    for number, sid, year_text, grade_text, score_text in frame.select(
        "_line", "ID", "YEAR", "GRADE", "SCALE_SCORE"
    ).iter_rows():
        sid = (sid or "").strip()
        if not sid:
            problems.append(f"line {number}, ID: empty: every row needs the student's id")
        try:
            year = values.school_year((year_text or "").strip())
            year_labels.setdefault(year, year_text.strip())
        except ValueError as error:
            problems.append(f"line {number}, YEAR: {year_text!r}: {error}")
            year = 0
        try:
            grade = values.grade(grade_text or "")
            grade_labels.setdefault(grade, grade_text.strip())
        except ValueError as error:
            problems.append(f"line {number}, GRADE: {grade_text!r}: {error}")
            grade = ""
        score = _number(score_text)
        if score is None:
            problems.append(f"line {number}, SCALE_SCORE: {score_text!r}: not a number (a valid case needs a score)")
        years.append(year)
        grades.append(grade)
        scores.append(score if score is not None else math.nan)
    if problems:
        raise InputError(problems)
    ids = [s.strip() for s in frame["ID"]]
    _refuse_duplicates(ids, years, frame["_line"].to_list(), content_area)
    return LongFile(_scores(ids, years, grades, scores), year_labels, grade_labels, invalid)


def _number(text: str | None) -> float | None:
    try:
        value = float((text or "").strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _refuse_duplicates(ids: list[str], years: list[int], lines: list[int], area: str) -> None:
    seen: dict[tuple[str, int], int] = {}
    problems = []
    for sid, year, number in zip(ids, years, lines, strict=True):
        first = seen.setdefault((sid, year), number)
        if first != number:
            problems.append(
                f"line {number}: student {sid} already has a valid {area} score for {year - 1}_{year} on line"
                f" {first}: one score per student, content area and year (mark the other INVALID_CASE)"
            )
    if problems:
        raise InputError(problems)


def _scores(ids: list[str], years: list[int], grades: list[str], scores: list[float]) -> Scores:
    distinct = sorted(set(ids))
    number = {sid: i for i, sid in enumerate(distinct)}
    return Scores(
        student=np.array([number[s] for s in ids], dtype=np.int64),
        year=np.array(years, dtype=np.int64),
        grade=np.array(grades, dtype=np.str_),
        score=np.array(scores, dtype=np.float64),
        ids=distinct,
    )


def scores_of(ids: list[str], years: list[int], grades: list[str], scores: list[float]) -> Scores:
    """Scores from parallel lists (imported results); duplicates must already be excluded."""
    return _scores(ids, years, grades, scores)


def read_config(path: Path, content_area: str) -> dict[str, GradeScale | dict[str, object]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise InputError([f"{path}: not a JSON file: {error}"]) from error
    return parse_config(data, content_area, str(path))


def parse_config(data: object, content_area: str, where: str = "config") -> dict[str, GradeScale | dict[str, object]]:
    """The knots, boundaries and lowest/highest obtainable scores given for `content_area`, by
    grade: a GradeScale where all three are given, else a dict of the parts that are (the rest
    comes from the data). Layout: {"READING": {"knots": {"3": [4 numbers]}, "boundaries":
    {"3": [low, high]}, "loss_hoss": {"3": [low, high]}}}."""
    if not isinstance(data, Mapping):
        raise InputError([f'{where}: the top level must be an object of content areas, like {{"READING": …}}'])
    matches = [k for k in data if str(k).strip().upper() == content_area.strip().upper()]
    if not matches:
        return {}
    area = data[matches[0]]
    here = f"{where}: {matches[0]}"
    if not isinstance(area, Mapping):
        raise InputError([f"{here}: must be an object with knots, boundaries and loss_hoss"])
    problems = [f"{here}: unknown key {k!r}; use knots, boundaries, loss_hoss" for k in area if k not in PARTS]
    parts: dict[str, dict[str, object]] = {}
    for part, size in PARTS.items():
        by_grade = area.get(part, {})
        if not isinstance(by_grade, Mapping):
            problems.append(f'{here}.{part}: must be an object of grades, like {{"3": […]}}')
            continue
        for grade_text, numbers in by_grade.items():
            at = f"{here}.{part}.{grade_text}"
            try:
                grade = values.grade(str(grade_text))
            except ValueError as error:
                problems.append(f"{at}: {error}")
                continue
            problem = _check_numbers(numbers, size, part)
            if problem:
                problems.append(f"{at}: {problem}")
                continue
            parts.setdefault(grade, {})[part] = tuple(float(n) for n in numbers)
    for grade, given in parts.items():
        knots, bounds = given.get("knots"), given.get("boundaries")
        if knots and bounds and not (bounds[0] < knots[0] and knots[-1] < bounds[1]):
            problems.append(
                f"{here}: grade {grade}: the knots {list(knots)} must lie inside the boundaries {list(bounds)}"
            )
    if problems:
        raise InputError(problems)
    result: dict[str, GradeScale | dict[str, object]] = {}
    for grade, given in parts.items():
        if len(given) == len(PARTS):
            result[grade] = GradeScale(given["knots"], given["boundaries"], given["loss_hoss"])  # type: ignore[arg-type]
        else:
            result[grade] = given
    return result


# Each part of a grade's configuration and how many numbers it has (None: one or more).
PARTS: dict[str, int | None] = {"knots": None, "boundaries": 2, "loss_hoss": 2}


def _check_numbers(numbers: object, size: int | None, part: str) -> str:
    if not isinstance(numbers, list) or not numbers:
        return f"must be a list of numbers, not {json.dumps(numbers)}"
    if any(isinstance(n, bool) or not isinstance(n, (int, float)) or not math.isfinite(n) for n in numbers):
        return f"must hold only numbers, not {json.dumps(numbers)}"
    if size is not None and len(numbers) != size:
        return f"must hold {size} numbers (low, high), not {len(numbers)}"
    if any(b <= a for a, b in itertools.pairwise(numbers)):
        return f"the {part.replace('_', '/')} must rise from one to the next: {numbers}"
    return ""
