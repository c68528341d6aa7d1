"""Each metric on small data computed by hand."""

import math

import pytest

from tandem.analytics.metrics import Scored, change, cohort_change, gap_points, hedges_g, summarize

MEETS = {3, 4}


def test_summary_of_four_students_and_two_that_do_not_count() -> None:
    results = [
        Scored(2400, 1, 2432),
        Scored(2450, 2, 2432),
        Scored(2500, 3, 2432),
        Scored(2550, 4, 2432),
        Scored(None, None, 2432),  # not tested
    ]
    s = summarize(results, MEETS, ranks=[1, 2, 3, 4])
    assert s.tested == 4
    assert s.scored == 4
    assert s.at_or_above == 50.0
    assert s.levels == {1: 1, 2: 1, 3: 1, 4: 1}
    assert s.mean == 2475.0
    # Deviations −75, −25, 25, 75: squares sum to 12,500, over n − 1 = 3.
    assert s.sd == pytest.approx(math.sqrt(12500 / 3))
    # Scores minus the 2432 cut: −32, 18, 68, 118.
    assert s.distance_from_met == pytest.approx(43.0)
    assert s.percent_at(4) == 25.0


def test_a_level_without_a_score_counts_as_tested_but_not_in_the_mean() -> None:
    s = summarize([Scored(None, 3), Scored(2400, 1, 2432)], MEETS, ranks=[1, 2, 3, 4])
    assert (s.tested, s.scored, s.at_or_above, s.mean, s.sd) == (2, 1, 50.0, 2400.0, None)
    assert s.levels == {1: 1, 2: 0, 3: 1, 4: 0}


def test_nobody_tested_gives_no_numbers_rather_than_zeros() -> None:
    s = summarize([], MEETS, ranks=[1, 2])
    assert (s.tested, s.at_or_above, s.mean, s.sd, s.distance_from_met) == (0, None, None, None, None)
    assert s.percent_at(1) is None


def test_gap_in_points_and_hedges_g_with_the_small_sample_correction() -> None:
    a = summarize([Scored(10, 3), Scored(12, 4), Scored(14, 3), Scored(9, 1)], MEETS)
    b = summarize([Scored(6, 1), Scored(8, 3), Scored(10, 2), Scored(7, 2)], MEETS)
    assert gap_points(a, b) == 50.0  # 75% against 25%
    # a: mean 11.25, SD² = 14.75 / 3; b: mean 7.75, SD² = 8.75 / 3; pooled SD² = (14.75 + 8.75) / 6.
    d = 3.5 / math.sqrt(23.5 / 6)
    assert hedges_g(a, b) == pytest.approx(d * (1 - 3 / (4 * 8 - 9)))
    assert hedges_g(b, a) == pytest.approx(-hedges_g(a, b))


def test_hedges_g_needs_two_scores_a_side_and_some_spread() -> None:
    one = summarize([Scored(10, 3)], MEETS)
    two = summarize([Scored(10, 3), Scored(12, 3)], MEETS)
    flat = summarize([Scored(10, 3), Scored(10, 3)], MEETS)
    assert hedges_g(one, two) is None
    assert hedges_g(flat, flat) is None


def test_change_from_the_prior_year_needs_both_years() -> None:
    assert change(55.0, 48.5) == 6.5
    assert change(None, 48.5) is None
    assert change(55.0, None) is None


def test_cohort_change_follows_only_the_students_tested_both_years() -> None:
    prior = {1: Scored(2400, 2, 2432), 2: Scored(2500, 3, 2432), 3: Scored(2300, 1, 2432)}
    current = {1: Scored(2520, 3, 2502), 2: Scored(2560, 3, 2502), 4: Scored(2600, 4, 2502)}
    c = cohort_change(prior, current, MEETS)
    assert c.matched == 2
    assert c.at_or_above == 50.0  # 1 of 2 met before, 2 of 2 after
    # Distance before: (−32 + 68) / 2 = 18; after: (18 + 58) / 2 = 38.
    assert c.distance_from_met == pytest.approx(20.0)
