"""Rosters from a OneRoster 1.2 CSV bundle (a folder or a ZIP of orgs.csv, users.csv, roles.csv,
classes.csv, enrollments.csv, demographics.csv, academicSessions.csv).

Schools and districts come from orgs.csv (matched by their identifier: CDS code, NCES id or
state number); students from users.csv (their identifier is the state student id, falling back
to the sourcedId); each student's school and grade for the school year from enrollments.csv and
classes.csv; yearly demographics from demographics.csv. OneRoster 1.1 bundles, whose users.csv
carries the role itself, are read too.
"""

import datetime
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.db import transaction

from tandem.achievement.codes import Gender, Race
from tandem.achievement.importers import values as parse
from tandem.achievement.importers.places import Places
from tandem.achievement.importers.reading import Row, Unreadable, read_rows
from tandem.achievement.importers.report import ImportFailed, Report
from tandem.achievement.models import Enrollment, Student, StudentYear

Progress = Callable[[int, float], None]

FILES = {
    "orgs.csv": (
        {"SOURCEDID", "STATUS", "DATELASTMODIFIED", "NAME", "TYPE", "IDENTIFIER", "PARENTSOURCEDID"},
        {"SOURCEDID", "NAME", "TYPE"},
    ),
    "users.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "ENABLEDUSER",
            "USERNAME",
            "USERIDS",
            "GIVENNAME",
            "FAMILYNAME",
            "MIDDLENAME",
            "IDENTIFIER",
            "EMAIL",
            "SMS",
            "PHONE",
            "AGENTSOURCEDIDS",
            "GRADES",
            "PASSWORD",
            "USERMASTERIDENTIFIER",
            "RESOURCESOURCEDIDS",
            "PREFERREDGIVENNAME",
            "PREFERREDMIDDLENAME",
            "PREFERREDFAMILYNAME",
            "PRIMARYORGSOURCEDID",
            "PRONOUNS",
            "ORGSOURCEDIDS",
            "ROLE",
        },
        {"SOURCEDID", "GIVENNAME", "FAMILYNAME"},
    ),
    "roles.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "USERSOURCEDID",
            "ROLETYPE",
            "ROLE",
            "BEGINDATE",
            "ENDDATE",
            "ORGSOURCEDID",
            "USERPROFILESOURCEDID",
        },
        {"USERSOURCEDID", "ROLE"},
    ),
    "classes.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "TITLE",
            "GRADES",
            "COURSESOURCEDID",
            "CLASSCODE",
            "CLASSTYPE",
            "LOCATION",
            "SCHOOLSOURCEDID",
            "TERMSOURCEDIDS",
            "SUBJECTS",
            "SUBJECTCODES",
            "PERIODS",
            "RESOURCES",
        },
        {"SOURCEDID", "SCHOOLSOURCEDID"},
    ),
    "enrollments.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "CLASSSOURCEDID",
            "SCHOOLSOURCEDID",
            "USERSOURCEDID",
            "ROLE",
            "PRIMARY",
            "BEGINDATE",
            "ENDDATE",
        },
        {"CLASSSOURCEDID", "SCHOOLSOURCEDID", "USERSOURCEDID", "ROLE"},
    ),
    "demographics.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "BIRTHDATE",
            "SEX",
            "AMERICANINDIANORALASKANATIVE",
            "ASIAN",
            "BLACKORAFRICANAMERICAN",
            "NATIVEHAWAIIANOROTHERPACIFICISLANDER",
            "WHITE",
            "DEMOGRAPHICRACETWOORMORERACES",
            "HISPANICORLATINOETHNICITY",
            "COUNTRYOFBIRTHCODE",
            "STATEOFBIRTHABBREVIATION",
            "CITYOFBIRTH",
            "PUBLICSCHOOLRESIDENCESTATUS",
        },
        {"SOURCEDID"},
    ),
    "academicSessions.csv": (
        {
            "SOURCEDID",
            "STATUS",
            "DATELASTMODIFIED",
            "TITLE",
            "TYPE",
            "STARTDATE",
            "ENDDATE",
            "PARENTSOURCEDID",
            "SCHOOLYEAR",
        },
        {"SOURCEDID", "TYPE", "SCHOOLYEAR"},
    ),
}
NEEDED = ("orgs.csv", "users.csv", "enrollments.csv", "classes.csv", "academicSessions.csv")
RACE_FLAGS = [
    ("AMERICANINDIANORALASKANATIVE", Race.AMERICAN_INDIAN),
    ("ASIAN", Race.ASIAN),
    ("BLACKORAFRICANAMERICAN", Race.AFRICAN_AMERICAN),
    ("NATIVEHAWAIIANOROTHERPACIFICISLANDER", Race.PACIFIC_ISLANDER),
    ("WHITE", Race.WHITE),
]
SEXES = {"male": Gender.MALE, "female": Gender.FEMALE, "other": Gender.NONBINARY, "unspecified": ""}


def _read(folder: Path, name: str, report: Report) -> list[Row]:
    path = folder / name
    if not path.exists():
        if name in NEEDED:
            report.error(None, None, name, "the bundle has no such file")
        return []
    sub = Report(file=name)
    known, required = FILES[name]
    try:
        rows = list(read_rows(path, sub, known_columns=known, required_columns=required, delimiters=","))
    except Unreadable:
        rows = []
    for p in sub.errors:
        report.error(p.row, p.column, p.value, f"{name}: {p.reason}")
    for p in sub.warnings:
        report.warn(p.row, p.column, p.value, f"{name}: {p.reason}")
    report.rows += len(rows)
    return [r for r in rows if r.values.get("STATUS", "active").strip().lower() not in ("tobedeleted", "inactive")]


def _flag(text: str) -> bool:
    return text.strip().lower() == "true"


def import_bundle(path: Path, *, progress: Progress | None = None, file_name: str | None = None, **_: object) -> Report:
    report = Report(file=file_name or path.name)
    with tempfile.TemporaryDirectory() as tmp:
        folder = path
        if path.is_file():
            try:
                with zipfile.ZipFile(path) as z:
                    for member in z.namelist():
                        # Only the bundle's own CSV files, never paths that climb out of the folder.
                        if Path(member).name in FILES and not Path(member).is_absolute() and ".." not in member:
                            (Path(tmp) / Path(member).name).write_bytes(z.read(member))
            except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError) as e:
                reason = "not a ZIP file or a folder of OneRoster CSV files"
                if not isinstance(e, zipfile.BadZipFile):
                    reason = f"the ZIP file cannot be opened here ({e}); save it again with ordinary compression"
                report.error(None, None, None, reason)
                return report
            folder = Path(tmp)
        tables = {name: _read(folder, name, report) for name in FILES}
        if not report.ok:
            return report
        try:
            with transaction.atomic():
                _load(report, tables)
                if not report.ok:
                    raise ImportFailed(report)
        except ImportFailed:
            report.counts = {}
    if progress:
        progress(report.rows, 1.0)
    return report


def _school_year(report: Report, sessions: list[Row]) -> int | None:
    years = set()
    for row in sessions:
        if row.values.get("TYPE", "").strip() == "schoolYear":
            try:
                years.add(parse.school_year(row.values.get("SCHOOLYEAR", "")))
            except ValueError as e:
                report.error(row.line, "schoolYear", row.values.get("SCHOOLYEAR"), f"academicSessions.csv: {e}")
    if len(years) != 1:
        report.error(
            None,
            "schoolYear",
            ", ".join(map(str, sorted(years))) or None,
            "academicSessions.csv: a bundle holds exactly one school year (one session of type schoolYear)",
        )
        return None
    return years.pop()


def _load(report: Report, t: dict[str, list[Row]]) -> None:
    year = _school_year(report, t["academicSessions.csv"])
    places = Places()
    orgs = {r.values["SOURCEDID"]: r for r in t["orgs.csv"]}
    schools = {}
    for sid, row in orgs.items():
        if row.values.get("TYPE", "").strip().lower() != "school":
            continue
        parent = orgs.get(row.values.get("PARENTSOURCEDID", ""))
        district_key = (parent.values.get("IDENTIFIER", "") or parent.values["SOURCEDID"]) if parent else ""
        key = row.values.get("IDENTIFIER", "").strip() or sid
        schools[sid], _ = places.school(
            key, row.values["NAME"].strip(), district_key, parent.values["NAME"].strip() if parent else ""
        )
    student_ids = {r.values["USERSOURCEDID"] for r in t["roles.csv"] if r.values.get("ROLE", "").strip() == "student"}
    users = {
        r.values["SOURCEDID"]: r
        for r in t["users.csv"]
        if r.values["SOURCEDID"] in student_ids or r.values.get("ROLE", "").strip() == "student"
    }
    classes = {r.values["SOURCEDID"]: r for r in t["classes.csv"]}
    placement: dict[str, tuple[int, str]] = {}
    for row in t["enrollments.csv"]:
        v = row.values
        if v.get("ROLE", "").strip() != "student" or v["USERSOURCEDID"] not in users:
            continue
        school = schools.get(v["SCHOOLSOURCEDID"])
        if school is None:
            report.error(
                row.line, "schoolSourcedId", v["SCHOOLSOURCEDID"], "enrollments.csv: no such school in orgs.csv"
            )
            continue
        klass = classes.get(v["CLASSSOURCEDID"])
        if klass is None:
            report.error(
                row.line, "classSourcedId", v["CLASSSOURCEDID"], "enrollments.csv: no such class in classes.csv"
            )
            continue
        grades = (users[v["USERSOURCEDID"]].values.get("GRADES", "") or klass.values.get("GRADES", "")).split(",")
        try:
            grade = parse.grade(grades[0])
        except ValueError as e:
            report.error(row.line, "grades", grades[0], f"enrollments.csv: {e}")
            continue
        placement.setdefault(v["USERSOURCEDID"], (school.pk, grade))
    if not report.ok or year is None:
        return
    demographics = {r.values["SOURCEDID"]: r for r in t["demographics.csv"]}
    seen_ids: dict[str, int] = {}
    for user in users.values():
        state_id = _state_id(user)
        if len(state_id) > 40:
            report.error(user.line, "identifier", state_id[:60], "users.csv: longer than 40 characters")
        elif state_id in seen_ids:
            report.error(
                user.line, "identifier", state_id, f"users.csv: the same student id as row {seen_ids[state_id]}"
            )
        seen_ids.setdefault(state_id, user.line)
    if not report.ok:
        return
    counts = {"students": [0, 0, 0], "enrollments": [0, 0, 0], "student years": [0, 0, 0]}
    existing = {s.state_id: s for s in Student.objects.filter(state_id__in=[_state_id(u) for u in users.values()])}
    for source_id, user in users.items():
        v = user.values
        state_id = _state_id(user)
        first, last = v.get("GIVENNAME", "").strip(), v.get("FAMILYNAME", "").strip()
        demo = demographics.get(source_id)
        birth = None
        if demo and demo.values.get("BIRTHDATE", "").strip():
            try:
                birth = datetime.date.fromisoformat(demo.values["BIRTHDATE"].strip())
            except ValueError:
                report.error(
                    demo.line, "birthDate", demo.values["BIRTHDATE"], "demographics.csv: not a date (YYYY-MM-DD)"
                )
                continue
        student = existing.get(state_id)
        if student is None:
            student = Student.objects.create(
                state_id=state_id, first_name=first, last_name=last, birth_date=birth, local_id=source_id
            )
            counts["students"][0] += 1
        elif (student.first_name, student.last_name, student.birth_date) != (first, last, birth or student.birth_date):
            student.first_name, student.last_name, student.birth_date = first, last, birth or student.birth_date
            student.save()
            counts["students"][1] += 1
        else:
            counts["students"][2] += 1
        if source_id in placement:
            school_id, grade = placement[source_id]
            _upsert(
                counts["enrollments"],
                Enrollment,
                {"student": student, "school_id": school_id, "school_year": year},
                {"grade": grade},
            )
        if demo:
            values = _demographics(demo, report)
            _upsert(counts["student years"], StudentYear, {"student": student, "school_year": year}, values)
    report.counts = {k: {"created": c, "updated": u, "unchanged": n} for k, (c, u, n) in counts.items()}
    report.counts["schools"] = {"created": places.schools_created, "matched": len(schools) - places.schools_created}


def _state_id(user: Row) -> str:
    return user.values.get("IDENTIFIER", "").strip() or user.values["SOURCEDID"].strip()


def _demographics(row: Row, report: Report) -> dict[str, str]:
    v = row.values
    if _flag(v.get("HISPANICORLATINOETHNICITY", "")):
        race = Race.HISPANIC
    elif _flag(v.get("DEMOGRAPHICRACETWOORMORERACES", "")):
        race = Race.TWO_OR_MORE
    else:
        flagged = [race for column, race in RACE_FLAGS if _flag(v.get(column, ""))]
        race = flagged[0] if len(flagged) == 1 else (Race.TWO_OR_MORE if flagged else "")
    sex = v.get("SEX", "").strip().lower()
    if sex and sex not in SEXES:
        report.warn(row.line, "sex", v.get("SEX"), "demographics.csv: not a OneRoster sex code; left as it was")
    # What the file leaves blank or unknown does not erase what Tandem already knows.
    values = {"gender": SEXES.get(sex, ""), "race": race}
    return {k: val for k, val in values.items() if val}


def _upsert(count: list[int], model: type, key: dict[str, object], values: dict[str, object]) -> None:
    obj = model.objects.filter(**key).first()
    if obj is None:
        model.objects.create(**key, **values)
        count[0] += 1
    elif any(getattr(obj, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(obj, k, v)
        obj.save()
        count[1] += 1
    else:
        count[2] += 1
