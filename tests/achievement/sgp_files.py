"""Builders for SGP long-layout files used by the tests."""

from pathlib import Path

from tandem.achievement.importers.sgp_long import COLUMN_ORDER

COLUMNS = COLUMN_ORDER


def row(**overrides: str) -> dict[str, str]:
    base = {
        "VALID_CASE": "VALID_CASE",
        "CONTENT_AREA": "READING",
        "YEAR": "2024_2025",
        "ID": "1001",
        "LAST_NAME": "Diaz",
        "FIRST_NAME": "Ana",
        "GRADE": "3",
        "SCALE_SCORE": "2440",
        "ACHIEVEMENT_LEVEL": "Standard Met",
        "GENDER": "Gender: Female",
        "ETHNICITY": "Hispanic",
        "FREE_REDUCED_LUNCH_STATUS": "Free Reduced Lunch: Yes",
        "ELL_STATUS": "ELL: Yes",
        "IEP_STATUS": "IEP: No",
        "GIFTED_AND_TALENTED_PROGRAM_STATUS": "Gifted and Talented Program: No",
        "SCHOOL_NUMBER": "01100000000001",
        "SCHOOL_NAME": "North Elementary",
        "EMH_LEVEL": "Elementary",
        "DISTRICT_NUMBER": "0110000",
        "DISTRICT_NAME": "Northvale Unified",
        "SCHOOL_ENROLLMENT_STATUS": "Enrolled School: Yes",
        "DISTRICT_ENROLLMENT_STATUS": "Enrolled District: Yes",
        "STATE_ENROLLMENT_STATUS": "Enrolled State: Yes",
    }
    base.update(overrides)
    return base


def text(rows: list[dict[str, str]], columns: list[str] = COLUMNS, delimiter: str = ",", newline: str = "\n") -> str:
    lines = [delimiter.join(columns)] + [delimiter.join(r.get(c, "") for c in columns) for r in rows]
    return newline.join(lines) + newline


def write(tmp: Path, content: str | bytes, name: str = "results.csv") -> Path:
    path = tmp / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path
