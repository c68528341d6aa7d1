"""Student results in the long layout that state growth tooling (the SGP package) reads: one row
per student, content area and year.

    VALID_CASE, CONTENT_AREA, YEAR, ID, LAST_NAME, FIRST_NAME, GRADE, SCALE_SCORE,
    ACHIEVEMENT_LEVEL, GENDER, ETHNICITY, FREE_REDUCED_LUNCH_STATUS, ELL_STATUS, IEP_STATUS,
    GIFTED_AND_TALENTED_PROGRAM_STATUS, SCHOOL_NUMBER, SCHOOL_NAME, EMH_LEVEL, DISTRICT_NUMBER,
    DISTRICT_NAME, SCHOOL_ENROLLMENT_STATUS, DISTRICT_ENROLLMENT_STATUS, STATE_ENROLLMENT_STATUS

Rows are validated as they stream in and written to a staging table; when the whole file is
clean it is merged in one transaction, otherwise nothing changes and the report says why.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from pathlib import Path
from typing import Any

import polars as pl
from django.db import transaction

from tandem.achievement.importers import values as parse
from tandem.achievement.importers.mapping import Mapping
from tandem.achievement.importers.places import Places
from tandem.achievement.importers.reading import Unreadable, read_ahead, read_frames
from tandem.achievement.importers.report import MAX_DETAILS, ImportFailed, Report
from tandem.achievement.importers.staging import (
    Stage,
    analyze,
    bulk_load,
    differs,
    execute,
    roomy_cache,
    rows,
)
from tandem.achievement.models import Administration, Assessment, CutTable

COLUMN_ORDER = [
    "VALID_CASE",
    "CONTENT_AREA",
    "YEAR",
    "ID",
    "LAST_NAME",
    "FIRST_NAME",
    "GRADE",
    "SCALE_SCORE",
    "ACHIEVEMENT_LEVEL",
    "GENDER",
    "ETHNICITY",
    "FREE_REDUCED_LUNCH_STATUS",
    "ELL_STATUS",
    "IEP_STATUS",
    "GIFTED_AND_TALENTED_PROGRAM_STATUS",
    "SCHOOL_NUMBER",
    "SCHOOL_NAME",
    "EMH_LEVEL",
    "DISTRICT_NUMBER",
    "DISTRICT_NAME",
    "SCHOOL_ENROLLMENT_STATUS",
    "DISTRICT_ENROLLMENT_STATUS",
    "STATE_ENROLLMENT_STATUS",
]
COLUMNS = set(COLUMN_ORDER)
# The tables a results import writes most of its rows to.
RESULT_TABLES = ["achievement_studentresult", "achievement_enrollment", "achievement_studentyear"]
REQUIRED = {"VALID_CASE", "CONTENT_AREA", "YEAR", "ID", "GRADE", "SCALE_SCORE", "SCHOOL_NUMBER"}

STAGE_COLUMNS = [
    ("line", "int"),
    ("sid", "text"),
    ("last", "text"),
    ("first", "text"),
    ("year", "int"),
    ("assessment_id", "int"),
    ("grade", "text"),
    ("score", "num"),
    ("level", "int"),
    ("valid", "bool"),
    ("gender", "text"),
    ("race", "text"),
    ("fluency", "text"),
    ("sed", "bool"),
    ("swd", "bool"),
    ("gifted", "bool"),
    ("school_key", "text"),
    ("full_year", "bool"),
]
# The longest values the tables keep; anything longer is an error in the file, not a truncation.
LIMITS = [
    ("ID", 40),
    ("LAST_NAME", 100),
    ("FIRST_NAME", 100),
    ("SCHOOL_NUMBER", 20),
    ("SCHOOL_NAME", 200),
    ("DISTRICT_NUMBER", 20),
    ("DISTRICT_NAME", 200),
]
EMH = {"elementary": "elementary", "e": "elementary", "middle": "middle", "m": "middle", "high": "high", "h": "high"}

Progress = Callable[[int, float], None]


@dataclass
class _AssessmentInfo:
    assessment: Assessment
    cuts: CutTable
    levels: dict[str, int]
    level_labels: dict[int, str]
    ranges: dict[str, tuple[Decimal, Decimal]]


def _load_assessments(only: str | None) -> dict[str, _AssessmentInfo]:
    qs = Assessment.objects.prefetch_related("levels", "grades", "cut_scores")
    if only:
        qs = qs.filter(code=only) | qs.filter(name__iexact=only)
    out: dict[str, _AssessmentInfo] = {}
    for a in qs:
        levels: dict[str, int] = {}
        for lvl in a.levels.all():
            levels[lvl.code.upper()] = lvl.rank
            levels[lvl.label.upper()] = lvl.rank
            levels[str(lvl.rank)] = lvl.rank
        info = _AssessmentInfo(
            assessment=a,
            cuts=CutTable(a),
            levels=levels,
            level_labels={lvl.rank: lvl.label for lvl in a.levels.all()},
            ranges={g.grade: (g.lowest_score, g.highest_score) for g in a.grades.all()},
        )
        out[(a.content_area or a.code).upper()] = info
        if only:
            out["*"] = info
    return out


_OUTCOME_KEYS = ["aid", "grade", "grade_raw", "year", "score_text", "score_raw", "given"]


class _FrameParser:
    """Validates a frame of file rows column by column and returns the rows to stage, reporting
    every problem a row-by-row reading would report, in the same order within a row.

    Most columns hold a handful of distinct values ('ELL: Yes', 'Gender: Female', a grade), so each
    column's distinct values are parsed once with the parsers in values.py; scores are checked
    against the scale and turned into levels once per distinct assessment, grade, year and score."""

    def __init__(self, report: Report, assessments: dict[str, _AssessmentInfo], mapping: Mapping) -> None:
        self.report = report
        self.assessments = assessments
        self.by_id = {info.assessment.pk: info for info in assessments.values()}
        self.values = mapping.values
        self.schools: dict[str, tuple[str, str, str, str, int]] = {}
        self.memo: dict[str, dict[str, tuple[object, str | None]]] = {}
        self.outcomes: pl.DataFrame | None = None

    def _raw(self, frame: pl.DataFrame, column: str) -> pl.Series:
        if column in frame.columns:
            return frame[column]
        return pl.repeat("", frame.height, dtype=pl.String, eager=True).alias(column)

    def _mapped(self, frame: pl.DataFrame, column: str) -> pl.Series:
        """The column's values as the mapping file translates them."""
        raw = self._raw(frame, column)
        table = self.values.get(column)
        if not table:
            return raw
        distinct = raw.unique()
        new = [table.get(v, table.get(v.strip(), v)) for v in distinct.to_list()]
        return raw.replace_strict(distinct, new, return_dtype=pl.String)

    def _parsed(
        self, text: pl.Series, column: str, parser: Callable[[str], Any], default: Any, dtype: pl.DataType
    ) -> tuple[pl.Series, pl.Series]:
        """Each value parsed, and the reason it could not be (null where it could)."""
        memo = self.memo.setdefault(column, {})
        distinct = text.unique().to_list()
        values, problems = [], []
        for t in distinct:
            hit = memo.get(t)
            if hit is None:
                try:
                    value = parser(t)
                    # Codes are str enums; Polars would make an Enum column of them.
                    hit = (value.value if isinstance(value, Enum) else value, None)
                except ValueError as e:
                    hit = (default, str(e))
                if len(memo) < 50_000:
                    memo[t] = hit
            values.append(hit[0])
            problems.append(hit[1])
        return (
            text.replace_strict(distinct, values, return_dtype=dtype),
            text.replace_strict(distinct, problems, return_dtype=pl.String),
        )

    def parse(self, frame: pl.DataFrame) -> pl.DataFrame | None:
        """The frame's rows ready to stage, or None when any of them has an error."""
        line = frame["line"]
        found: list[pl.DataFrame] = []

        def flag(seq: int, column: str, mask: pl.Series, value: pl.Series | str, reason: pl.Series | str) -> None:
            if not mask.any():
                return
            picked = {"line": line.filter(mask)}
            n = len(picked["line"])
            for name, v in (("value", value), ("reason", reason)):
                picked[name] = v.filter(mask) if isinstance(v, pl.Series) else pl.repeat(v, n, eager=True)
            found.append(
                pl.DataFrame(picked).select(
                    "line", pl.lit(seq).alias("seq"), pl.lit(column).alias("column"), "value", "reason"
                )
            )

        def parsed(
            seq: int, column: str, parser: Callable[[str], Any], default: Any, dtype: Any, when: pl.Series | None = None
        ) -> pl.Series:
            text = self._mapped(frame, column)
            values, problems = self._parsed(text, column, parser, default, dtype)
            bad = problems.is_not_null()
            flag(seq, column, bad if when is None else bad & when, text, problems)
            return values

        valid = parsed(10, "VALID_CASE", parse.valid_case, True, pl.Boolean)
        year = parsed(20, "YEAR", parse.school_year, 0, pl.Int64)
        grade = parsed(30, "GRADE", parse.grade, "", pl.String)
        score = parsed(40, "SCALE_SCORE", _float_score, None, pl.Float64)
        sid = self._mapped(frame, "ID").str.strip_chars()
        flag(50, "ID", sid == "", "", "the student id is empty")
        for i, (column, limit) in enumerate(LIMITS):
            if column not in frame.columns:
                continue
            raw = frame[column]
            long = (raw.str.len_chars() > limit) & (
                self._mapped(frame, column).str.strip_chars().str.len_chars() > limit
            )
            flag(60 + i, column, long, raw.str.slice(0, 60), f"longer than the {limit} characters Tandem keeps")

        # A row whose content area is unknown is checked no further.
        area = self._mapped(frame, "CONTENT_AREA").str.strip_chars()
        distinct = area.unique().to_list()
        ids = [self._info(a) for a in distinct]
        aid = area.replace_strict(distinct, [i.assessment.pk if i else None for i in ids], return_dtype=pl.Int64)
        known = aid.is_not_null()
        names = ", ".join(sorted(k for k in self.assessments if k != "*")) or "none yet"
        flag(70, "CONTENT_AREA", ~known, area, f"unknown content area; known: {names}")

        keyed = pl.DataFrame(
            {
                "aid": aid,
                "grade": grade,
                "grade_raw": frame["GRADE"],
                "year": year,
                "score_text": self._mapped(frame, "SCALE_SCORE"),
                "score_raw": frame["SCALE_SCORE"],
                "given": self._mapped(frame, "ACHIEVEMENT_LEVEL").str.strip_chars(),
            }
        )
        checked = keyed.join(
            self._outcomes(keyed.filter(known)), on=_OUTCOME_KEYS, how="left", nulls_equal=True, maintain_order="left"
        )
        for seq, column, value in (
            (80, "GRADE", "grade_raw"),
            (90, "SCALE_SCORE", "score_raw"),
            (100, "ACHIEVEMENT_LEVEL", "given"),
        ):
            problem = checked[f"error_{column}"]
            flag(seq, column, problem.is_not_null() & known, checked[value], problem)
        warning = checked["warning"]
        warned = warning.is_not_null() & known
        if warned.any():
            for row_line, given, reason in zip(
                line.filter(warned).to_list(),
                checked["given"].filter(warned).to_list(),
                warning.filter(warned).to_list(),
                strict=True,
            ):
                self.report.warn(row_line, "ACHIEVEMENT_LEVEL", given, reason)

        school_key = self._mapped(frame, "SCHOOL_NUMBER").str.strip_chars()
        flag(110, "SCHOOL_NUMBER", (school_key == "") & known, "", "the school number is empty")
        self._note_schools(frame, school_key, (school_key != "") & known)

        gender = parsed(120, "GENDER", parse.gender, "", pl.String, known)
        race = parsed(130, "ETHNICITY", parse.race, "", pl.String, known)
        fluency = parsed(140, "ELL_STATUS", parse.fluency, "", pl.String, known)
        sed = parsed(150, "FREE_REDUCED_LUNCH_STATUS", parse.yes_no, None, pl.Boolean, known)
        swd = parsed(160, "IEP_STATUS", parse.yes_no, None, pl.Boolean, known)
        gifted = parsed(170, "GIFTED_AND_TALENTED_PROGRAM_STATUS", parse.yes_no, None, pl.Boolean, known)
        full_year = parsed(180, "SCHOOL_ENROLLMENT_STATUS", parse.yes_no, None, pl.Boolean, known)

        if found:
            problems = pl.concat(found).sort("line", "seq")
            rows = problems.select("line", "column", "value", "reason").iter_rows()
            for i, (row_line, column, value, reason) in enumerate(rows):
                if len(self.report.errors) >= MAX_DETAILS:
                    # Beyond what the report shows, only the count matters.
                    self.report.error_count += problems.height - i
                    break
                self.report.error(row_line, column, value, reason)
            return None
        return pl.DataFrame(
            {
                "line": line,
                "sid": sid,
                "last": _blank_null(self._mapped(frame, "LAST_NAME").str.strip_chars()),
                "first": _blank_null(self._mapped(frame, "FIRST_NAME").str.strip_chars()),
                "year": year,
                "assessment_id": aid,
                "grade": grade,
                "score": score,
                "level": checked["level"],
                "valid": valid,
                "gender": _blank_null(gender),
                "race": _blank_null(race),
                "fluency": _blank_null(fluency),
                "sed": sed,
                "swd": swd,
                "gifted": gifted,
                "school_key": school_key,
                "full_year": full_year,
            }
        )

    def _info(self, area: str) -> _AssessmentInfo | None:
        return self.assessments.get("*") or self.assessments.get(area.upper())

    def _outcomes(self, keyed: pl.DataFrame) -> pl.DataFrame:
        """What the scale and the levels say of each distinct assessment, grade, year, score and
        given level; worked out once per combination for the whole file."""
        combos = keyed.unique()
        if self.outcomes is not None:
            combos = combos.join(self.outcomes, on=_OUTCOME_KEYS, how="anti", nulls_equal=True)
        columns: dict[str, list[object]] = {
            k: [] for k in ("level", "error_GRADE", "error_SCALE_SCORE", "error_ACHIEVEMENT_LEVEL", "warning")
        }
        for aid, grade, _, year, score_text, _, given in combos.iter_rows():
            for name, value in zip(
                columns, self._outcome(self.by_id[aid], grade, year, score_text, given), strict=True
            ):
                columns[name].append(value)
        new = combos.with_columns(
            pl.Series("level", columns.pop("level"), dtype=pl.Int64),
            *(pl.Series(name, values, dtype=pl.String) for name, values in columns.items()),
        )
        self.outcomes = new if self.outcomes is None else pl.concat([self.outcomes, new])
        return self.outcomes

    def _outcome(
        self, info: _AssessmentInfo, grade: str, year: int, score_text: str, given: str
    ) -> tuple[int | None, str | None, str | None, str | None, str | None]:
        """(level, grade error, score error, level error, level warning)."""
        level = grade_error = score_error = level_error = warning = None
        if grade and info.ranges and grade not in info.ranges:
            grade_error = f"{info.assessment} is not given in grade {grade}"
        try:
            score = parse.score(score_text)
        except ValueError:
            score = None
        if score is not None and grade:
            low, high = info.ranges.get(grade, (info.assessment.scale_min, info.assessment.scale_max))
            if not low <= score <= high:
                score_error = f"score outside the scale ({low}–{high})"
            else:
                level = info.cuts.level(grade, year, float(score))
        if given:
            given_rank = info.levels.get(given.upper())
            if given_rank is None:
                level_error = f"unknown level for {info.assessment}"
            elif level is None:
                level = given_rank
            elif given_rank != level:
                warning = (
                    f"disagrees with the score {_n(score)}, which is {info.level_labels[level]};"
                    " the score's level was kept"
                )
        return level, grade_error, score_error, level_error, warning

    def _note_schools(self, frame: pl.DataFrame, school_key: pl.Series, present: pl.Series) -> None:
        """Remember where each school number first appears, with what the file says of it."""
        details = pl.DataFrame(
            {
                "key": school_key,
                "name": self._mapped(frame, "SCHOOL_NAME").str.strip_chars(),
                "district": self._mapped(frame, "DISTRICT_NUMBER").str.strip_chars(),
                "district_name": self._mapped(frame, "DISTRICT_NAME").str.strip_chars(),
                "emh": self._mapped(frame, "EMH_LEVEL").str.strip_chars().str.to_lowercase(),
                "line": frame["line"],
            }
        ).filter(present)
        first = details.filter(~pl.col("key").is_in(list(self.schools))).unique(
            "key", keep="first", maintain_order=True
        )
        for key, *rest in first.iter_rows():
            self.schools[key] = tuple(rest)  # type: ignore[assignment]


def _float_score(text: str) -> float | None:
    value = parse.score(text)
    return None if value is None else float(value)


def _blank_null(values: pl.Series) -> pl.Series:
    return values.replace("", None)


def import_file(
    path: Path,
    *,
    mapping: Mapping | None = None,
    assessment: str | None = None,
    window: str = "spring",
    progress: Progress | None = None,
    file_name: str | None = None,
) -> Report:
    """Import the file; on any error nothing is changed and the report says what to fix."""
    mapping = mapping or Mapping()
    report = Report(file=file_name or path.name)
    assessments = _load_assessments(assessment)
    if assessment and not assessments:
        report.error(None, None, assessment, "no assessment has this code or name")
        return report
    total_bytes = max(path.stat().st_size, 1)
    try:
        with roomy_cache(), transaction.atomic():
            stage = Stage("tandem_stage_results", STAGE_COLUMNS)
            parser = _FrameParser(report, assessments, mapping)
            frames = read_frames(
                path,
                report,
                known_columns=COLUMNS,
                required_columns=REQUIRED,
                delimiters=mapping.delimiter or ",\t|",
                encoding=mapping.encoding,
                rename=mapping.columns,
            )

            def checked() -> Iterator[tuple[int, int, pl.DataFrame | None]]:
                rows_read = 0
                for frame in frames:
                    rows_read += frame.height
                    yield rows_read, report.bytes_read, parser.parse(frame)

            try:
                for rows_read, bytes_read, staged in read_ahead(checked()):
                    report.rows = rows_read
                    if staged is not None and report.ok:
                        stage.insert_frame(staged)
                    if progress:
                        progress(rows_read, min(0.7, 0.7 * bytes_read / total_bytes))
            except Unreadable:
                pass
            if not report.ok:
                raise ImportFailed(report)
            stage.index("sid", "year")
            analyze(stage.name)
            if progress:
                progress(report.rows, 0.7)
            _check_duplicates(report)
            if not report.ok:
                raise ImportFailed(report)
            school_ids = _match_schools(report, parser.schools)
            report.school_ids = set(school_ids.values())
            with bulk_load(RESULT_TABLES, report.rows):
                _merge(report, school_ids, window, progress)
            stage.drop()
    except ImportFailed:
        report.counts = {}
    return report


def _check_duplicates(report: Report) -> None:
    """One result per student, content area and year. Valid rows that repeat each other exactly
    and invalid cases beside a valid row are set aside with a warning; valid rows that disagree
    are an error."""
    # Everything a row would store: two valid rows are repeats only if all of it is the same.
    parts = [
        "grade",
        "CAST(score AS TEXT)",
        "CAST(level AS TEXT)",
        "school_key",
        "last",
        "first",
        "gender",
        "race",
        "fluency",
        "CAST(sed AS TEXT)",
        "CAST(swd AS TEXT)",
        "CAST(gifted AS TEXT)",
        "CAST(full_year AS TEXT)",
    ]
    signature = " || '|' || ".join(f"COALESCE({p}, '')" for p in parts)
    # The signature is built only for keys that occur more than once.
    groups = rows(
        f"SELECT x.sid, x.year, COUNT(*), SUM(CASE WHEN x.valid THEN 1 ELSE 0 END),"
        f" MIN(CASE WHEN x.valid THEN x.line END), MAX(CASE WHEN x.valid THEN x.line END), MIN(x.line), MAX(x.line),"
        f" COUNT(DISTINCT CASE WHEN x.valid THEN {signature} END)"
        f" FROM tandem_stage_results x JOIN (SELECT sid, assessment_id, year FROM tandem_stage_results"
        f" GROUP BY sid, assessment_id, year HAVING COUNT(*) > 1) d"
        f" ON d.sid = x.sid AND d.assessment_id = x.assessment_id AND d.year = x.year"
        f" GROUP BY x.sid, x.assessment_id, x.year ORDER BY MIN(x.line)"
    )
    for sid, year, n, n_valid, first_valid, last_valid, first, last, valid_variants in groups:
        where = f"student {sid}, {year - 1}_{year}"
        if n_valid > 1 and valid_variants > 1:
            more = f" ({n_valid} valid rows in all)" if n_valid > 2 else ""
            report.error(
                last_valid,
                "ID",
                sid,
                f"duplicate key: {where} is also on row {first_valid} with different values{more}",
            )
            continue
        if n_valid > 1:
            report.warn(last_valid, None, None, f"repeats row {first_valid} ({where}); the repeat was ignored")
        if n_valid and n > n_valid:
            report.warn(last, "VALID_CASE", None, f"{where} has a valid row; the invalid case was set aside")
        if not n_valid:
            report.warn(
                last, "VALID_CASE", None, f"{where} has only invalid cases; the first, on row {first}, was kept"
            )
    if groups and report.ok:
        # Keep one row per key: the first valid one, else the first.
        execute(
            "DELETE FROM tandem_stage_results WHERE line NOT IN ("
            " SELECT keep FROM (SELECT COALESCE(MIN(CASE WHEN valid THEN line END), MIN(line)) AS keep"
            " FROM tandem_stage_results GROUP BY sid, assessment_id, year) AS kept)"
        )


def _match_schools(report: Report, seen: dict[str, tuple[str, str, str, str, int]]) -> dict[str, int]:
    """Match each school number in the file to a school (by state number, CDS code or NCES id),
    creating schools and districts that Tandem does not know yet."""
    places = Places()
    places.preload(list(seen), [v[1] for v in seen.values()])
    ids: dict[str, int] = {}
    for key, (name, district_key, district_name, emh, line) in seen.items():
        school, created = places.school(key, name, district_key, district_name, EMH.get(emh, "other"))
        if created:
            report.warn(line, "SCHOOL_NUMBER", key, f"new school created: {school.name} in {school.district.name}")
        ids[key] = school.pk
    report.counts["schools"] = {"created": places.schools_created, "matched": len(ids) - places.schools_created}
    report.counts["districts"] = {"created": places.districts_created}
    return ids


def _merge(report: Report, school_ids: dict[str, int], window: str, progress: Progress | None) -> None:
    map_stage = Stage("tandem_stage_schools", [("school_key", "text"), ("school_id", "int")])
    map_stage.insert(list(school_ids.items()))
    analyze(map_stage.name)
    s = "tandem_stage_results"

    # Students: names from the file where it has them.
    execute("DROP TABLE IF EXISTS tandem_stage_students")
    execute(
        f"CREATE TEMPORARY TABLE tandem_stage_students AS SELECT sid, MAX(last) AS last, MAX(first) AS first"
        f" FROM {s} GROUP BY sid"
    )
    analyze("tandem_stage_students")
    t = "achievement_student"
    keep_last, keep_first = "COALESCE(x.last, t.last_name)", "COALESCE(x.first, t.first_name)"
    name_changed = f"({differs('t.last_name', keep_last)} OR {differs('t.first_name', keep_first)})"
    report.counts["students"] = _counts(
        f"FROM tandem_stage_students x LEFT JOIN {t} t ON t.state_id = x.sid", name_changed
    )
    new_last = f"COALESCE(NULLIF(excluded.last_name, ''), {t}.last_name)"
    new_first = f"COALESCE(NULLIF(excluded.first_name, ''), {t}.first_name)"
    _upsert(
        report.counts["students"],
        f"INSERT INTO {t} (state_id, local_id, last_name, first_name) SELECT sid, '', COALESCE(last, ''),"
        f" COALESCE(first, '') FROM tandem_stage_students WHERE true ORDER BY sid",
        f"ON CONFLICT (state_id) DO UPDATE SET last_name = {new_last}, first_name = {new_first}"
        f" WHERE {differs(f'{t}.last_name', new_last)} OR {differs(f'{t}.first_name', new_first)}",
    )
    if progress:
        progress(report.rows, 0.78)

    # Yearly demographics: one row per student and year; the file's value wins where it gives one.
    execute("DROP TABLE IF EXISTS tandem_stage_years")
    # MIN and MAX differ exactly when a column holds two values: far cheaper than COUNT(DISTINCT).
    # (PostgreSQL has no MIN of booleans, so flags are compared as 0 and 1.)
    disagree = ", ".join(
        f"CASE WHEN MIN({_as_number(c)}) <> MAX({_as_number(c)}) THEN 1 ELSE 0 END AS differ_{c}" for c in DEMOGRAPHICS
    )
    execute(
        # Grouped by the file's student id first, so that each student is looked up once a year.
        f"CREATE TEMPORARY TABLE tandem_stage_years AS SELECT st.id AS student_id, g.* FROM (SELECT x.sid, x.year,"
        f" MIN(x.line) AS first_line, MAX(x.line) AS last_line,"
        f" MAX(x.gender) AS gender, MAX(x.race) AS race, MAX(x.fluency) AS fluency,"
        f" MAX({_as_number('sed')}) AS sed, MAX({_as_number('swd')}) AS swd, MAX({_as_number('gifted')}) AS gifted,"
        f" {disagree} FROM {s} x GROUP BY x.sid, x.year) g JOIN achievement_student st ON st.state_id = g.sid"
    )
    analyze("tandem_stage_years")
    _warn_conflicting_demographics(report)
    y = "achievement_studentyear"
    text_cols = ("gender", "race", "fluency")
    flag_cols = (("disadvantaged", "sed"), ("disability", "swd"), ("gifted", "gifted"))
    new_flag = lambda col, src: f"CASE WHEN x.{src} IS NULL THEN t.{col} ELSE x.{src} = 1 END"  # noqa: E731
    year_changed = " OR ".join(
        [differs(f"t.{c}", f"COALESCE(x.{c}, t.{c})") for c in text_cols]
        + [differs(f"t.{c}", new_flag(c, src)) for c, src in flag_cols]
    )
    report.counts["student years"] = _counts(
        f"FROM tandem_stage_years x LEFT JOIN {y} t ON t.student_id = x.student_id AND t.school_year = x.year",
        f"({year_changed})",
    )
    _upsert(
        report.counts["student years"],
        f"INSERT INTO {y} (student_id, school_year, gender, race, fluency, disadvantaged, disability, gifted)"
        f" SELECT student_id, year, COALESCE(gender, ''), COALESCE(race, ''), COALESCE(fluency, ''),"
        f" CASE WHEN sed IS NULL THEN NULL ELSE sed = 1 END, CASE WHEN swd IS NULL THEN NULL ELSE swd = 1 END,"
        f" CASE WHEN gifted IS NULL THEN NULL ELSE gifted = 1 END FROM tandem_stage_years WHERE true"
        " ORDER BY student_id, year",
        "ON CONFLICT (student_id, school_year) DO UPDATE SET"
        + ", ".join(f" {c} = COALESCE(NULLIF(excluded.{c}, ''), {y}.{c})" for c in text_cols)
        + ", "
        + ", ".join(f" {c} = COALESCE(excluded.{c}, {y}.{c})" for c, _ in flag_cols),
    )
    if progress:
        progress(report.rows, 0.84)

    # Enrollments: the school and grade each student was tested at, that year.
    e = "achievement_enrollment"
    execute("DROP TABLE IF EXISTS tandem_stage_enrollments")
    execute(
        f"CREATE TEMPORARY TABLE tandem_stage_enrollments AS SELECT st.id AS student_id, g.school_id, g.year,"
        f" g.grade, g.full_year FROM (SELECT x.sid, m.school_id, x.year, MAX(x.grade) AS grade,"
        f" MIN(CASE WHEN x.full_year THEN 1 WHEN NOT x.full_year THEN 0 END) AS full_year FROM {s} x"
        f" JOIN tandem_stage_schools m ON m.school_key = x.school_key GROUP BY x.sid, m.school_id, x.year) g"
        f" JOIN achievement_student st ON st.state_id = g.sid"
    )
    analyze("tandem_stage_enrollments")
    report.counts["enrollments"] = _counts(
        f"FROM tandem_stage_enrollments x LEFT JOIN {e} t ON t.student_id = x.student_id"
        f" AND t.school_id = x.school_id AND t.school_year = x.year",
        f"({differs('t.grade', 'x.grade')} OR {differs('t.full_year', 'COALESCE(x.full_year = 1, t.full_year)')})",
    )
    existed = _upsert(
        report.counts["enrollments"],
        f"INSERT INTO {e} (student_id, school_id, school_year, grade, full_year) SELECT student_id, school_id, year,"
        f" grade, COALESCE(full_year, 1) = 1 FROM tandem_stage_enrollments WHERE true"
        f" ORDER BY student_id, school_id, year",
        "ON CONFLICT (student_id, school_id, school_year) DO NOTHING",
    )
    # A file that does not say whether a student was enrolled all year leaves what Tandem knew.
    if existed:
        execute(
            f"UPDATE {e} SET grade = x.grade, full_year = COALESCE(x.full_year = 1, {e}.full_year)"
            f" FROM tandem_stage_enrollments x WHERE x.student_id = {e}.student_id AND x.school_id = {e}.school_id"
            f" AND x.year = {e}.school_year AND ({differs(f'{e}.grade', 'x.grade')}"
            f" OR {differs(f'{e}.full_year', f'COALESCE(x.full_year = 1, {e}.full_year)')})"
        )
    if progress:
        progress(report.rows, 0.9)

    # Administrations, then the results themselves.
    admin_stage = Stage(
        "tandem_stage_admins", [("assessment_id", "int"), ("year", "int"), ("administration_id", "int")]
    )
    pairs = rows(f"SELECT DISTINCT assessment_id, year FROM {s}")
    admin_rows = []
    for assessment_id, year in pairs:
        admin, _ = Administration.objects.get_or_create(assessment_id=assessment_id, school_year=year, window=window)
        admin_rows.append((assessment_id, year, admin.pk))
    admin_stage.insert(admin_rows)
    analyze(admin_stage.name)
    r = "achievement_studentresult"
    source = (
        f"FROM {s} x JOIN achievement_student st ON st.state_id = x.sid"
        f" JOIN tandem_stage_admins a ON a.assessment_id = x.assessment_id AND a.year = x.year"
        f" JOIN tandem_stage_schools m ON m.school_key = x.school_key"
    )
    result_changed = " OR ".join(
        [
            differs("t.school_id", "m.school_id"),
            differs("t.grade", "x.grade"),
            differs("t.scale_score", "x.score"),
            differs("t.level", "x.level"),
            differs("t.valid", "x.valid"),
        ]
    )
    report.counts["results"] = _counts(
        f"{source} LEFT JOIN {r} t ON t.administration_id = a.administration_id AND t.student_id = st.id",
        f"({result_changed})",
    )
    if report.counts["results"]["updated"]:
        report.changes = _result_changes(source, r)
    _upsert(
        report.counts["results"],
        f"INSERT INTO {r} (administration_id, student_id, school_id, grade, scale_score, level, valid)"
        f" SELECT a.administration_id, st.id, m.school_id, x.grade, x.score, x.level, x.valid {source} WHERE true"
        " ORDER BY st.id, a.administration_id",
        f"ON CONFLICT (student_id, administration_id) DO UPDATE SET school_id = excluded.school_id,"
        f" grade = excluded.grade, scale_score = excluded.scale_score, level = excluded.level, valid = excluded.valid"
        f" WHERE {differs(f'{r}.school_id', 'excluded.school_id')} OR {differs(f'{r}.grade', 'excluded.grade')}"
        f" OR {differs(f'{r}.scale_score', 'excluded.scale_score')} OR {differs(f'{r}.level', 'excluded.level')}"
        f" OR {differs(f'{r}.valid', 'excluded.valid')}",
    )
    for name in ("tandem_stage_students", "tandem_stage_years", "tandem_stage_enrollments"):
        execute(f"DROP TABLE IF EXISTS {name}")
    admin_stage.drop()
    map_stage.drop()
    if progress:
        progress(report.rows, 1.0)


DEMOGRAPHICS = ["gender", "race", "fluency", "sed", "swd", "gifted"]


def _as_number(column: str) -> str:
    return (
        f"CASE WHEN x.{column} THEN 1 WHEN NOT x.{column} THEN 0 END"
        if column in ("sed", "swd", "gifted")
        else f"x.{column}"
    )


def _warn_conflicting_demographics(report: Report, limit: int = 100) -> None:
    """One student's rows for one year (say ELA and math) should agree on who the student is."""
    differ = [f"differ_{c}" for c in DEMOGRAPHICS]
    found = rows(
        f"SELECT sid, year, first_line, last_line, {', '.join(differ)} FROM tandem_stage_years"
        f" WHERE {' + '.join(differ)} > 0 ORDER BY first_line LIMIT {limit}"
    )
    for sid, year, first, last, *differs_in in found:
        columns = ", ".join(c for c, d in zip(DEMOGRAPHICS, differs_in, strict=True) if d)
        report.warn(
            last,
            None,
            sid,
            f"student {sid}, {year - 1}_{year}: this row and row {first} disagree on {columns};"
            " the last value in alphabetical order was kept",
        )


def _upsert(counts: dict[str, int], insert: str, on_conflict: str) -> bool:
    """Run the insert, with its conflict clause only when some of the rows exist already: a plain
    insert is much cheaper on PostgreSQL, and the first load of a year creates every row.
    Each insert is ordered by the table's unique key, so that its index grows at one end instead
    of at random places. Returns whether any rows existed."""
    existed = bool(counts["updated"] or counts["unchanged"])
    execute(f"{insert} {on_conflict}" if existed else insert)
    return existed


def _counts(source: str, changed: str) -> dict[str, int]:
    created, updated, total = rows(
        f"SELECT SUM(CASE WHEN t.id IS NULL THEN 1 ELSE 0 END),"
        f" SUM(CASE WHEN t.id IS NOT NULL AND {changed} THEN 1 ELSE 0 END), COUNT(*) {source}"
    )[0]
    created, updated, total = int(created or 0), int(updated or 0), int(total or 0)
    return {"created": created, "updated": updated, "unchanged": total - created - updated}


def _result_changes(source: str, table: str, limit: int = 50) -> list[str]:
    """The first few changed results, said in words, for the report of a corrected file."""
    found = rows(
        f"SELECT x.line, x.sid, x.year, t.scale_score, x.score, t.grade, x.grade {source}"
        f" JOIN {table} t ON t.administration_id = a.administration_id AND t.student_id = st.id"
        f" WHERE {differs('t.scale_score', 'x.score')} OR {differs('t.grade', 'x.grade')}"
        f" OR {differs('t.valid', 'x.valid')} OR {differs('t.school_id', 'm.school_id')} ORDER BY x.line LIMIT {limit}"
    )
    out = []
    for line, sid, year, old_score, new_score, old_grade, new_grade in found:
        bits = []
        if old_score != new_score:
            bits.append(f"scale score {_n(old_score)} → {_n(new_score)}")
        if old_grade != new_grade:
            bits.append(f"grade {old_grade} → {new_grade}")
        out.append(
            f"row {line}: student {sid}, {year - 1}_{year}: " + (", ".join(bits) or "school or validity changed")
        )
    return out


def _n(value: object) -> str:
    if value is None:
        return "blank"
    d = Decimal(str(value))
    return str(d.quantize(Decimal(1))) if d == d.to_integral_value() else str(d.normalize())
