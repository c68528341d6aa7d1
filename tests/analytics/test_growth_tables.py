"""Growth on the dashboards: SGPs summed by student group, suppressed by the one engine."""

from decimal import Decimal

import pytest

from tandem.achievement.models import Administration, Assessment, Student, StudentResult, StudentYear
from tandem.analytics import growth, places
from tandem.analytics.dashboards import dashboard
from tandem.analytics.suppression import Policy
from tandem.growth.models import GrowthRun, StudentGrowth
from tests.world import World


def _growth(world: World, sgps: list[tuple[int, str]]) -> None:
    """One stored SGP per (sgp, gender) for students at the inside school in 2025."""
    ela = Assessment.objects.get(code="caaspp-ela")
    admin, _ = Administration.objects.get_or_create(assessment=ela, school_year=2025)
    run = GrowthRun.objects.create(assessment=ela, school_year=2025, status="succeeded")
    for i, (sgp, gender) in enumerate(sgps):
        student = Student.objects.create(state_id=f"G{i}")
        StudentYear.objects.create(student=student, school_year=2025, gender=gender)
        result = StudentResult.objects.create(
            administration=admin, student=student, school=world.inside.school, grade="5", scale_score=Decimal(400)
        )
        StudentGrowth.objects.create(
            run=run, result=result, student=student, school=world.inside.school, administration=admin,
            grade="5", sgp=sgp, sgp_order=1, by_order=[sgp],
        )  # fmt: skip


def _place(world: World, unsuppressed: bool) -> places.Place:
    school = world.inside.school
    return places.Place("school", school.pk, school.name, frozenset([school.pk]), unsuppressed)


def _rows(table: object) -> dict[str, dict]:
    return {r["group"]: r for r in table.records()}  # type: ignore[attr-defined]


def test_median_mean_and_levels_by_group(world: World) -> None:
    # Girls: 10, 30, 50, 70, 90 twice each → median 50, mean 50, two in each level.
    # Boys: 12 at 55 → median 55, all "typical".
    _growth(world, [(v, "F") for v in (10, 30, 50, 70, 90) * 2] + [(55, "M")] * 12)
    ela = Assessment.objects.get(code="caaspp-ela")
    table = growth.growth_table(_place(world, True), ela, 2025, "all", Policy())
    rows = _rows(table)
    everyone = rows["All students"]
    assert everyone["students"] == 22
    assert everyone["median"] == 55.0
    assert everyone["mean"] == pytest.approx((500 + 12 * 55) / 22)
    girls = rows["Female"]
    assert (girls["students"], girls["median"], girls["mean"]) == (10, 50.0, 50.0)
    assert [girls[f"level_{k}"] for k in range(5)] == [20.0, 20.0, 20.0, 20.0, 20.0]
    assert rows["Male"]["level_2"] == 100.0
    assert "Typical (40–59)" in table.columns[6].label


def test_small_groups_are_hidden_and_cannot_be_worked_out(world: World) -> None:
    # 10 girls (under 11) and 12 boys: hiding the girls alone would leave them as all − boys.
    _growth(world, [(40, "F")] * 10 + [(60, "M")] * 12)
    ela = Assessment.objects.get(code="caaspp-ela")
    table = growth.growth_table(_place(world, False), ela, 2025, "all", Policy())
    rows = _rows(table)
    assert rows["Female"]["students"] is None and rows["Female"]["median"] is None
    assert rows["Male"]["students"] is None or rows["All students"]["students"] is None
    # Shown unsuppressed to a reader with student-level access.
    assert _rows(growth.growth_table(_place(world, True), ela, 2025, "all", Policy()))["Female"]["median"] == 40.0


def test_a_growth_level_of_few_students_is_hidden_with_another(world: World) -> None:
    _growth(world, [(10, "F")] * 2 + [(50, "F")] * 20)
    ela = Assessment.objects.get(code="caaspp-ela")
    row = _rows(growth.growth_table(_place(world, False), ela, 2025, "all", Policy()))["All students"]
    assert row["level_0"] is None
    assert sum(1 for k in range(5) if row[f"level_{k}"] is None) >= 2
    assert row["median"] == 50.0


def test_no_table_before_sgps_are_computed_and_the_dashboard_shows_it_after(world: World) -> None:
    ela = Assessment.objects.get(code="caaspp-ela")
    assert growth.growth_table(_place(world, True), ela, 2025, "all", Policy()) is None
    _growth(world, [(50, "F")] * 12)
    from tandem.analytics import cells

    cells.refresh()
    board = dashboard(_place(world, True), "caaspp-ela", 2025, None)
    assert "growth" in board.tables
    assert any(c.id == "chart-growth" for c in board.charts)
