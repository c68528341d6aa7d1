"""Student results written straight to the tables, for analytics tests on hand-computed data."""

from decimal import Decimal

from tandem.achievement.models import Administration, Assessment, Student, StudentResult, StudentYear
from tandem.analytics import cells
from tandem.orgs.models import School


def add(school: School, code: str, rows: list[tuple], refresh: bool = True) -> None:
    """rows: (student id, school year, grade, score, level, demographics dict)."""
    assessment = Assessment.objects.get(code=code)
    for sid, year, grade, score, level, demo in rows:
        student, _ = Student.objects.get_or_create(state_id=sid)
        admin, _ = Administration.objects.get_or_create(assessment=assessment, school_year=year)
        StudentYear.objects.update_or_create(student=student, school_year=year, defaults=demo)
        StudentResult.objects.create(
            administration=admin,
            student=student,
            school=school,
            grade=grade,
            scale_score=None if score is None else Decimal(score),
            level=level,
        )
    if refresh:
        cells.refresh()
