import math

import pytest

from tandem.achievement.models import StudentGroup
from tandem.analytics import cells
from tandem.analytics.metrics import Scored, summarize
from tandem.analytics.models import ResultCell
from tests.analytics import results
from tests.world import build_world

HISPANIC_F_SED = {"race": "hispanic", "gender": "F", "disadvantaged": True, "fluency": "EO"}
WHITE_M = {"race": "white", "gender": "M", "disadvantaged": False, "fluency": "EO"}
EL_NEW = {"race": "hispanic", "gender": "M", "disadvantaged": True, "fluency": "EL", "months_in_us_schools": 6}
EL_ASIAN = {"race": "asian", "gender": "F", "disadvantaged": True, "fluency": "EL", "months_in_us_schools": 30}

# Grade 3 ELA: Standard Met from 2432; grade 4: from 2473.
ROWS = [
    ("A", 2024, "3", "2400", 2, HISPANIC_F_SED),
    ("B", 2024, "3", "2450", 3, WHITE_M),
    ("C", 2024, "3", "2500", 4, EL_NEW),
    ("A", 2025, "4", "2480", 3, HISPANIC_F_SED),
    ("B", 2025, "4", "2460", 2, WHITE_M),
    ("D", 2025, "4", "2600", 4, EL_ASIAN),
    ("E", 2025, "3", None, None, WHITE_M),  # not tested: counts nowhere
]


@pytest.fixture
def school(db):
    world = build_world(2025)
    results.add(world.inside.school, "caaspp-ela", ROWS)
    return world.inside.school


def cell(school, year, grade, code):
    return ResultCell.objects.get(
        school=school, administration__school_year=year, grade=grade, group=StudentGroup.objects.get(code=code)
    )


def test_all_students_cell_matches_the_metrics_on_the_same_results(school):
    c = cell(school, 2025, "4", "1")
    expected = summarize([Scored(2480, 3, 2473), Scored(2460, 2, 2473), Scored(2600, 4, 2473)], {3, 4}, [1, 2, 3, 4])
    assert (c.tested, c.scored, c.at_or_above) == (3, 3, 2)
    assert (c.level_1, c.level_2, c.level_3, c.level_4) == (0, 1, 1, 1)
    assert c.score_sum == 2480 + 2460 + 2600
    assert c.distance_count == 3 and c.distance_sum == pytest.approx(7 - 13 + 127)
    mean = c.score_sum / c.scored
    sd = math.sqrt((c.score_squares - c.scored * mean**2) / (c.scored - 1))
    assert mean == pytest.approx(expected.mean) and sd == pytest.approx(expected.sd)


def test_cohort_sums_follow_the_same_students_a_grade_up(school):
    c = cell(school, 2025, "4", "1")
    # A and B were tested in grade 3 in 2024; D is new. Before: B met; now: A met.
    assert c.matched == 2
    assert (c.matched_at_or_above_before, c.matched_at_or_above_now) == (1, 1)
    assert c.matched_distance_count == 2
    assert c.matched_distance_before == pytest.approx((2400 - 2432) + (2450 - 2432))
    assert c.matched_distance_now == pytest.approx((2480 - 2473) + (2460 - 2473))


def test_groups_follow_their_rules(school):
    assert cell(school, 2025, "4", "160").tested == 1  # English learners: D
    assert cell(school, 2024, "3", "120").tested == 1  # EL under 12 months: C
    assert not ResultCell.objects.filter(administration__school_year=2025, grade="4", group__code="120").exists()
    assert cell(school, 2025, "4", "31").tested == 2  # disadvantaged: A, D
    assert cell(school, 2025, "4", "EL-SED").tested == 1


def test_all_grades_cells_add_up_the_grades(school):
    both = cell(school, 2024, "all", "1")
    assert (both.tested, both.at_or_above) == (3, 2)
    assert both.score_sum == 2400 + 2450 + 2500


def test_refresh_replaces_only_the_schools_asked_for(school):
    world_school_cells = ResultCell.objects.filter(school=school).count()
    ResultCell.objects.filter(school=school).update(tested=999)
    assert cells.refresh([school.pk + 1000]) == 0
    assert ResultCell.objects.filter(school=school, tested=999).count() == world_school_cells
    cells.refresh([school.pk])
    assert not ResultCell.objects.filter(tested=999).exists()
    assert ResultCell.objects.filter(school=school).count() == world_school_cells
