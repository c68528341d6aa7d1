"""Published school-, district- and state-level results by student group.

Two layouts:

* **generic** (comma, tab or pipe separated), one row per entity, year, assessment, grade and group:
  ENTITY_TYPE (school, district or state), ENTITY_ID (CDS code, NCES id or state number; the
  state's two-letter code for the state), ENTITY_NAME (optional), SCHOOL_YEAR (2024_2025 or 2025),
  ASSESSMENT (an assessment's code, e.g. caaspp-ela, or its content area), GRADE (3–12, or ALL),
  STUDENT_GROUP (a student group code, e.g. CDE's 1 for all students, 160 for English learners),
  STUDENTS_TESTED, MEAN_SCALE_SCORE, PCT_LEVEL_1 … PCT_LEVEL_5 (lowest level first; optional),
  PCT_MET_AND_ABOVE. An asterisk marks a cell the publisher suppressed.
* **caaspp**: California's CAASPP research files (caret- or comma-delimited), as CDE publishes
  them; Test ID 1 and 2 are read as CAASPP ELA and mathematics, grade 13 as all grades.
"""

from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction

from tandem.achievement.importers import values as parse
from tandem.achievement.importers.mapping import Mapping
from tandem.achievement.importers.places import Places
from tandem.achievement.importers.reading import Row, Unreadable, read_rows
from tandem.achievement.importers.report import ImportFailed, Report
from tandem.achievement.importers.staging import Stage, differs, execute, rows
from tandem.achievement.models import Assessment, StudentGroup

Progress = Callable[[int, float], None]
BATCH = 5000
STAGE_COLUMNS = [
    ("line", "int"),
    ("entity", "text"),
    ("entity_key", "text"),
    ("name", "text"),
    ("year", "int"),
    ("assessment_id", "int"),
    ("grade", "text"),
    ("group_id", "int"),
    ("tested", "int"),
    ("mean", "num"),
    ("l1", "num"),
    ("l2", "num"),
    ("l3", "num"),
    ("l4", "num"),
    ("l5", "num"),
    ("met", "num"),
]
VALUE_COLUMNS = [
    "students_tested",
    "mean_scale_score",
    "pct_level_1",
    "pct_level_2",
    "pct_level_3",
    "pct_level_4",
    "pct_level_5",
    "pct_met_and_above",
]
STAGE_VALUES = ["tested", "mean", "l1", "l2", "l3", "l4", "l5", "met"]

GENERIC_COLUMN_ORDER = [
    "ENTITY_TYPE",
    "ENTITY_ID",
    "ENTITY_NAME",
    "SCHOOL_YEAR",
    "ASSESSMENT",
    "GRADE",
    "STUDENT_GROUP",
    "STUDENTS_TESTED",
    "MEAN_SCALE_SCORE",
    "PCT_LEVEL_1",
    "PCT_LEVEL_2",
    "PCT_LEVEL_3",
    "PCT_LEVEL_4",
    "PCT_LEVEL_5",
    "PCT_MET_AND_ABOVE",
]
GENERIC_COLUMNS = set(GENERIC_COLUMN_ORDER)
GENERIC_REQUIRED = {
    "ENTITY_TYPE",
    "ENTITY_ID",
    "SCHOOL_YEAR",
    "ASSESSMENT",
    "GRADE",
    "STUDENT_GROUP",
    "STUDENTS_TESTED",
}

CAASPP_COLUMNS = {
    "COUNTY CODE",
    "DISTRICT CODE",
    "SCHOOL CODE",
    "FILLER",
    "TEST YEAR",
    "STUDENT GROUP ID",
    "DEMOGRAPHIC ID",
    "TEST TYPE",
    "TOTAL TESTED AT ENTITY LEVEL",
    "TOTAL TESTED WITH SCORES",
    "TOTAL TESTED AT REPORTING LEVEL",
    "TOTAL TESTED WITH SCORES AT REPORTING LEVEL",
    "GRADE",
    "TEST ID",
    "STUDENTS ENROLLED",
    "STUDENTS TESTED",
    "MEAN SCALE SCORE",
    "PERCENTAGE STANDARD EXCEEDED",
    "PERCENTAGE STANDARD MET",
    "PERCENTAGE STANDARD MET AND ABOVE",
    "PERCENTAGE STANDARD NEARLY MET",
    "PERCENTAGE STANDARD NOT MET",
    "STUDENTS WITH SCORES",
    "AREA 1 PERCENTAGE ABOVE STANDARD",
    "AREA 1 PERCENTAGE NEAR STANDARD",
    "AREA 1 PERCENTAGE BELOW STANDARD",
    "AREA 2 PERCENTAGE ABOVE STANDARD",
    "AREA 2 PERCENTAGE NEAR STANDARD",
    "AREA 2 PERCENTAGE BELOW STANDARD",
    "AREA 3 PERCENTAGE ABOVE STANDARD",
    "AREA 3 PERCENTAGE NEAR STANDARD",
    "AREA 3 PERCENTAGE BELOW STANDARD",
    "AREA 4 PERCENTAGE ABOVE STANDARD",
    "AREA 4 PERCENTAGE NEAR STANDARD",
    "AREA 4 PERCENTAGE BELOW STANDARD",
    "TYPE ID",
}
CAASPP_REQUIRED = {
    "COUNTY CODE",
    "DISTRICT CODE",
    "SCHOOL CODE",
    "TEST YEAR",
    "STUDENT GROUP ID",
    "GRADE",
    "TEST ID",
    "STUDENTS TESTED",
    "MEAN SCALE SCORE",
}
# CAASPP Test IDs of the Smarter Balanced summative tests.
CAASPP_TESTS = {"1": "caaspp-ela", "2": "caaspp-math"}


def _cell(text: str) -> str | None:
    """A blank or suppressed ('*') cell is no value."""
    t = text.strip()
    return None if t in ("", "*", "**") else t


def _count(text: str) -> int | None:
    t = _cell(text)
    if t is None:
        return None
    digits = t.replace(",", "")
    if not digits.isdigit():
        raise ValueError("not a whole number of students")
    if len(digits) > 9:
        raise ValueError("more students than any school, district or state has")
    return int(digits)


def _percent(text: str) -> Decimal | None:
    t = _cell(text)
    if t is None:
        return None
    value = parse.score(t.rstrip("%"))
    if value is not None and not 0 <= value <= 100:
        raise ValueError("a percent is from 0 to 100")
    return value


def _mean(text: str) -> Decimal | None:
    t = _cell(text)
    return None if t is None else parse.score(t)


class _Parser:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.groups = dict(StudentGroup.objects.values_list("code", "pk"))
        self.assessments: dict[str, Assessment] = {}
        for a in Assessment.objects.all():
            self.assessments[a.code.upper()] = a
            if a.content_area:
                self.assessments.setdefault(a.content_area.upper(), a)
        self.entities: dict[tuple[str, str], tuple[str, int]] = {}
        self.skipped_tests: dict[str, int] = {}

    def value[T](self, row: Row, column: str, parser: Callable[[str], T], fallback: T) -> tuple[T, bool]:
        text = row.values.get(column, "")
        try:
            return parser(text), True
        except ValueError as e:
            self.report.error(row.line, column, text, str(e))
            return fallback, False

    def group(self, row: Row, column: str) -> int | None:
        code = row.values.get(column, "").strip()
        code = code.lstrip("0") or code
        pk = self.groups.get(code)
        if pk is None:
            self.report.error(row.line, column, row.values.get(column, ""), "unknown student group code")
        return pk

    def finish(
        self,
        row: Row,
        entity: str,
        key: str,
        name: str,
        year: int,
        assessment: Assessment,
        grade: str,
        group: int,
        numbers: list[Any],
    ) -> tuple[Any, ...]:
        self.entities.setdefault((entity, key), (name, row.line))
        return (row.line, entity, key, name, year, assessment.pk, grade, group, *numbers)


def _grade(text: str) -> str:
    t = text.strip().upper()
    if t in ("ALL", "13", "ALL GRADES"):
        return "all"
    return parse.grade(t)


def _generic_rows(parser: _Parser, source: Iterator[Row]) -> Iterator[tuple[Any, ...]]:
    report = parser.report
    for row in source:
        v = row.values
        ok = True
        entity = v.get("ENTITY_TYPE", "").strip().lower()
        if entity not in ("school", "district", "state"):
            report.error(row.line, "ENTITY_TYPE", v.get("ENTITY_TYPE"), "expected school, district or state")
            ok = False
        key = v.get("ENTITY_ID", "").strip()
        if not key or len(key) > 20:
            report.error(
                row.line, "ENTITY_ID", key[:60], "the entity id is empty" if not key else "longer than 20 characters"
            )
            ok = False
        year, good = parser.value(row, "SCHOOL_YEAR", parse.school_year, 0)
        ok &= good
        grade, good = parser.value(row, "GRADE", _grade, "")
        ok &= good
        assessment = parser.assessments.get(v.get("ASSESSMENT", "").strip().upper())
        if assessment is None:
            report.error(row.line, "ASSESSMENT", v.get("ASSESSMENT"), "unknown assessment")
            ok = False
        group = parser.group(row, "STUDENT_GROUP")
        numbers = []
        for column, fn in (
            [("STUDENTS_TESTED", _count), ("MEAN_SCALE_SCORE", _mean)]
            + [(f"PCT_LEVEL_{i}", _percent) for i in range(1, 6)]
            + [("PCT_MET_AND_ABOVE", _percent)]
        ):
            number, good = parser.value(row, column, fn, None)
            ok &= good
            numbers.append(number)
        if ok and group is not None and assessment is not None:
            yield parser.finish(
                row,
                entity,
                key.upper() if entity == "state" else key,
                v.get("ENTITY_NAME", "").strip(),
                year,
                assessment,
                grade,
                group,
                numbers,
            )


def _caaspp_rows(parser: _Parser, source: Iterator[Row]) -> Iterator[tuple[Any, ...]]:
    report = parser.report
    for row in source:
        v = row.values
        ok = True
        test_id = v.get("TEST ID", "").strip().lstrip("0")
        code = CAASPP_TESTS.get(test_id)
        if code is None or v.get("TEST TYPE", "B").strip().upper() not in ("B", ""):
            # Full research files also hold the alternate and science tests, which are not tracked.
            label = f"{v.get('TEST TYPE', '').strip() or '?'}/{test_id}"
            parser.skipped_tests[label] = parser.skipped_tests.get(label, 0) + 1
            continue
        county, district, school = (v.get(c, "").strip() for c in ("COUNTY CODE", "DISTRICT CODE", "SCHOOL CODE"))
        if not (county.isdigit() and district.isdigit() and school.isdigit()):
            report.error(
                row.line, "COUNTY CODE", f"{county}-{district}-{school}", "county, district and school codes are digits"
            )
            continue
        county, district, school = county.zfill(2), district.zfill(5), school.zfill(7)
        if int(school):
            entity, key = "school", county + district + school
        elif int(district):
            entity, key = "district", county + district
        elif int(county):
            # County totals have no place in Tandem's comparisons (schools, districts, the state).
            parser.skipped_tests["county totals"] = parser.skipped_tests.get("county totals", 0) + 1
            continue
        else:
            entity, key = "state", "CA"
        year, good = parser.value(row, "TEST YEAR", parse.school_year, 0)
        ok &= good
        grade, good = parser.value(row, "GRADE", _grade, "")
        ok &= good
        group_column = "STUDENT GROUP ID" if "STUDENT GROUP ID" in v else "DEMOGRAPHIC ID"
        group = parser.group(row, group_column)
        numbers = []
        tested, good = parser.value(row, "STUDENTS TESTED", _count, None)
        ok &= good
        mean, good = parser.value(row, "MEAN SCALE SCORE", _mean, None)
        ok &= good
        numbers = [tested, mean]
        for column in (
            "PERCENTAGE STANDARD NOT MET",
            "PERCENTAGE STANDARD NEARLY MET",
            "PERCENTAGE STANDARD MET",
            "PERCENTAGE STANDARD EXCEEDED",
        ):
            number, good = parser.value(row, column, _percent, None)
            ok &= good
            numbers.append(number)
        numbers.append(None)
        met, good = parser.value(row, "PERCENTAGE STANDARD MET AND ABOVE", _percent, None)
        ok &= good
        numbers.append(met)
        assessment = parser.assessments.get(code.upper())
        if ok and group is not None and assessment is not None:
            yield parser.finish(row, entity, key, "", year, assessment, grade, group, numbers)


def _run(
    path: Path,
    report: Report,
    rows_of: Callable[[_Parser, Iterator[Row]], Iterator[tuple[Any, ...]]],
    columns: set[str],
    required: set[str],
    delimiters: str,
    mapping: Mapping,
    progress: Progress | None,
) -> Report:
    total = max(path.stat().st_size, 1)
    try:
        with transaction.atomic():
            stage = Stage("tandem_stage_public", STAGE_COLUMNS)
            parser = _Parser(report)
            batch: list[tuple[Any, ...]] = []
            source = read_rows(
                path,
                report,
                known_columns=columns,
                required_columns=required,
                delimiters=mapping.delimiter or delimiters,
                encoding=mapping.encoding,
                rename=mapping.columns,
            )
            try:
                for staged in rows_of(parser, _counted(source, report)):
                    if report.ok:
                        batch.append(staged)
                    if len(batch) >= BATCH:
                        stage.insert(batch)
                        batch.clear()
                        if progress:
                            progress(report.rows, 0.7 * report.bytes_read / total)
            except Unreadable:
                pass
            for label, n in sorted(parser.skipped_tests.items()):
                if label == "county totals":
                    report.warn(None, "COUNTY CODE", None, f"{n} rows of county totals were skipped")
                else:
                    report.warn(None, "TEST ID", label, f"{n} rows of a test Tandem does not track were skipped")
            if not report.ok:
                raise ImportFailed(report)
            stage.insert(batch)
            _check_duplicates(report)
            if not report.ok:
                raise ImportFailed(report)
            _merge(report, parser)
            stage.drop()
            if progress:
                progress(report.rows, 1.0)
    except ImportFailed:
        report.counts = {}
    return report


def _counted(source: Iterator[Row], report: Report) -> Iterator[Row]:
    for row in source:
        report.rows += 1
        yield row


def _check_duplicates(report: Report) -> None:
    found = rows(
        "SELECT entity, entity_key, assessment_id, year, grade, group_id, COUNT(*), MIN(line), MAX(line)"
        " FROM tandem_stage_public GROUP BY entity, entity_key, assessment_id, year, grade, group_id"
        " HAVING COUNT(*) > 1 ORDER BY MIN(line)"
    )
    for entity, key, _a, year, grade, _g, n, first, last in found:
        report.error(
            last,
            None,
            None,
            f"duplicate key: {entity} {key}, {year - 1}_{year}, grade {grade}, same"
            f" assessment and student group as row {first}" + (f" ({n} rows in all)" if n > 2 else ""),
        )


def _merge(report: Report, parser: _Parser) -> None:
    places = Places()
    places.preload(
        [k for (e, k) in parser.entities if e == "school"], [k for (e, k) in parser.entities if e == "district"]
    )
    mapping = Stage(
        "tandem_stage_entities",
        [("entity", "text"), ("entity_key", "text"), ("school_id", "int"), ("district_id", "int"), ("state", "text")],
    )
    links = []
    for (entity, key), (name, line) in parser.entities.items():
        if entity == "school":
            school, created = places.school(key, name)
            links.append((entity, key, school.pk, None, ""))
            if created:
                report.warn(line, None, key, f"new school created: {school.name}")
        elif entity == "district":
            district, created = places.district(key, name)
            links.append((entity, key, None, district.pk, ""))
            if created:
                report.warn(line, None, key, f"new district created: {district.name}")
        else:
            links.append((entity, key, None, None, key[:2]))
    mapping.insert(links)
    report.counts["schools"] = {"created": places.schools_created}
    report.counts["districts"] = {"created": places.districts_created}
    t = "achievement_publicresult"
    join = (
        "FROM tandem_stage_public x JOIN tandem_stage_entities m ON m.entity = x.entity AND m.entity_key = x.entity_key"
    )
    changed = " OR ".join(differs(f"t.{col}", f"x.{src}") for col, src in zip(VALUE_COLUMNS, STAGE_VALUES, strict=True))
    created, updated, total = rows(
        f"SELECT SUM(CASE WHEN t.id IS NULL THEN 1 ELSE 0 END), SUM(CASE WHEN t.id IS NOT NULL AND ({changed})"
        f" THEN 1 ELSE 0 END), COUNT(*) {join} LEFT JOIN {t} t ON t.entity = x.entity AND t.entity_key = x.entity_key"
        f" AND t.assessment_id = x.assessment_id AND t.school_year = x.year AND t.grade = x.grade"
        f" AND t.group_id = x.group_id"
    )[0]
    created, updated, total = int(created or 0), int(updated or 0), int(total or 0)
    report.counts["public results"] = {"created": created, "updated": updated, "unchanged": total - created - updated}
    execute(
        f"INSERT INTO {t} (entity, entity_key, school_id, district_id, state, assessment_id, school_year, grade,"
        f" group_id, {', '.join(VALUE_COLUMNS)}) SELECT x.entity, x.entity_key, m.school_id, m.district_id, m.state,"
        f" x.assessment_id, x.year, x.grade, x.group_id, {', '.join('x.' + c for c in STAGE_VALUES)} {join} WHERE true"
        f" ON CONFLICT (entity, entity_key, assessment_id, school_year, grade, group_id) DO UPDATE SET "
        + ", ".join(f"{c} = excluded.{c}" for c in VALUE_COLUMNS)
        + " WHERE "
        + " OR ".join(differs(f"{t}.{c}", f"excluded.{c}") for c in VALUE_COLUMNS)
    )
    mapping.drop()


def import_generic(
    path: Path, *, mapping: Mapping | None = None, progress: Progress | None = None, file_name: str | None = None
) -> Report:
    report = Report(file=file_name or path.name)
    return _run(path, report, _generic_rows, GENERIC_COLUMNS, GENERIC_REQUIRED, ",\t|", mapping or Mapping(), progress)


def import_caaspp(
    path: Path, *, mapping: Mapping | None = None, progress: Progress | None = None, file_name: str | None = None
) -> Report:
    report = Report(file=file_name or path.name)
    return _run(path, report, _caaspp_rows, CAASPP_COLUMNS, CAASPP_REQUIRED, "^,", mapping or Mapping(), progress)
