import datetime
from decimal import Decimal

import pytest

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.goals import MET, NO_DATA, OFF_TRACK, ON_TRACK, progress
from tandem.analytics.models import Goal, InterimTarget
from tandem.analytics.relations import group_relations
from tests.analytics import results
from tests.world import build_world


def _rows(year: int, grade: str, met: int, total: int) -> list[tuple]:
    cut = 2432 if grade == "3" else 2473
    return [
        (f"{year}-{i}", year, grade, str(cut + 10 if i < met else cut - 10), 3 if i < met else 2, {"race": "white"})
        for i in range(total)
    ]


@pytest.fixture
def school(db):
    world = build_world(2025)
    # 20 students each year: 8 at or above standard in 2023, 10 in 2024, 12 in 2025.
    results.add(
        world.inside.school, "caaspp-ela", _rows(2023, "3", 8, 20) + _rows(2024, "3", 10, 20) + _rows(2025, "3", 12, 20)
    )
    return world.inside.school


def _goal(school, target: str, year: int, **extra) -> Goal:
    return Goal.objects.create(
        title="More students at standard",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2023,
        baseline_value=Decimal("40"),
        target_value=Decimal(target),
        target_date=datetime.date(year, 6, 1),
        owner_school=school,
        **extra,
    )


def test_met_when_the_latest_value_reaches_the_target(school):
    p = progress(_goal(school, "55", 2026))
    assert (p.status, p.latest_year, p.latest) == (MET, 2025, 60.0)
    assert p.values == {2023: 40.0, 2024: 50.0, 2025: 60.0}


def test_on_track_against_the_straight_line(school):
    # 40 → 70 over 2023..2026: 2025 expects 60; the school has 60.
    assert progress(_goal(school, "70", 2026)).status == ON_TRACK
    # 40 → 80: 2025 expects 66.7; the school has 60.
    assert progress(_goal(school, "80", 2026)).status == OFF_TRACK


def test_an_interim_target_overrides_the_straight_line(school):
    goal = _goal(school, "80", 2026)
    InterimTarget.objects.create(goal=goal, school_year=2025, value=Decimal("58"))
    assert progress(goal).status == ON_TRACK


def test_a_missed_target_date_is_off_track(school):
    assert progress(_goal(school, "65", 2025)).status == OFF_TRACK


def test_no_results_after_the_baseline_is_not_enough_data(school):
    goal = _goal(school, "65", 2027)
    goal.baseline_year = 2025
    goal.save()
    assert progress(goal).status == NO_DATA


def test_progress_table_lists_actual_and_target_by_year(school):
    table = progress(_goal(school, "70", 2026)).table()
    assert [(r["year"], r["actual"], r["target"]) for r in table.rows] == [
        ("2022–23", 40.0, 40.0),
        ("2023–24", 50.0, 50.0),
        ("2024–25", 60.0, 60.0),
        ("2025–26", None, 70.0),
    ]


def test_a_wide_group_equals_its_only_narrower_group_when_the_data_says_so():
    rules = {
        "all": {},
        "fluent": {"fluency": ["EO", "IFEP", "RFEP", "FEP"]},
        "EO": {"fluency": ["EO"]},
        "EL": {"fluency": ["EL"]},
    }
    # Nobody is IFEP, RFEP or FEP: fluent = EO, which a reader could use to recover EO.
    found = group_relations(rules, {"all": 20, "fluent": 17, "EO": 17, "EL": 3})
    assert ("fluent", ["EO"]) in found
    assert ("all", ["EL", "EO"]) in found
    # With one RFEP student, fluent is no longer EO alone, and that sum is not declared.
    found = group_relations(rules, {"all": 21, "fluent": 18, "EO": 17, "EL": 3})
    assert ("fluent", ["EO"]) not in found
