"""The outcomes of the cycles behind a practice: each goal's value and number of students from its
baseline year to its latest results, an effect size computed by hand here, and small groups hidden
by the suppression engine for every reader."""

import datetime
import math
from decimal import Decimal

import pytest

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.practices.evidence import outcome
from tests.analytics import results
from tests.world import build_world

pytestmark = pytest.mark.django_db
CUT = 2432  # grade 3 "standard met" on CAASPP ELA


def _rows(year: int, met: int, total: int, race: str = "white") -> list[tuple]:
    return [
        (f"{year}-{race}-{i}", year, "3", str(CUT + 10 if i < met else CUT - 10), 3 if i < met else 2, {"race": race})
        for i in range(total)
    ]


def _goal(school: object, metric: str, group: str = "1") -> Goal:
    return Goal.objects.create(
        title="Third graders at standard",
        metric=metric,
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=school,
        group=StudentGroup.objects.get(code=group),
        baseline_year=2024,
        baseline_value=Decimal("40"),
        target_value=Decimal("70"),
        target_date=datetime.date(2027, 6, 1),
        owner_school=school,
    )


def test_percent_at_standard_with_the_cox_index() -> None:
    world = build_world(2025)
    school = world.inside.school
    # 8 of 20 at standard in 2024, 14 of 20 in 2025; 5 Asian students (a group too small to show).
    results.add(school, "caaspp-ela", _rows(2024, 8, 20) + _rows(2025, 14, 20) + _rows(2025, 3, 5, "asian"))
    o = outcome(_goal(school, Goal.Metric.AT_OR_ABOVE))
    # All students: 2024 8/20 = 40%; 2025 (14 + 3)/25 = 68%.
    assert (o.start_year, o.start, o.start_n) == (2024, 40.0, 20)
    assert (o.end_year, o.end, o.end_n) == (2025, 68.0, 25)
    j = 1 - 3 / (4 * 45 - 9)
    cox = j * (math.log(0.68 / 0.32) - math.log(0.40 / 0.60)) / 1.65
    assert o.effect == pytest.approx(cox)
    assert o.note == ""


def test_mean_scale_score_with_hedges_g() -> None:
    world = build_world(2025)
    school = world.inside.school
    results.add(school, "caaspp-ela", _rows(2024, 8, 20) + _rows(2025, 14, 20))
    o = outcome(_goal(school, Goal.Metric.MEAN))
    before = [CUT + 10] * 8 + [CUT - 10] * 12
    after = [CUT + 10] * 14 + [CUT - 10] * 6
    assert o.start == pytest.approx(sum(before) / 20) and o.end == pytest.approx(sum(after) / 20)

    def var(xs: list[int]) -> float:
        m = sum(xs) / len(xs)
        return sum((x - m) ** 2 for x in xs) / (len(xs) - 1)

    pooled = math.sqrt((19 * var(before) + 19 * var(after)) / 38)
    j = 1 - 3 / (4 * 40 - 9)
    assert o.effect == pytest.approx(j * (sum(after) / 20 - sum(before) / 20) / pooled)


def test_a_small_group_is_hidden_for_everyone() -> None:
    world = build_world(2025)
    school = world.inside.school
    results.add(school, "caaspp-ela", _rows(2024, 8, 20) + _rows(2024, 2, 5, "asian") + _rows(2025, 3, 5, "asian"))
    o = outcome(_goal(school, Goal.Metric.AT_OR_ABOVE, group="76"))  # Asian students: 5 a year
    assert (o.start, o.start_n, o.end, o.end_n, o.effect) == (None, None, None, None, None)
    assert o.note == "Hidden: too few students to show."
