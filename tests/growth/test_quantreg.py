"""The quantile regression solver: exact optima, checked against HiGHS's simplex on the same
linear programme and against answers worked out by hand."""

import numpy as np
import pytest
import scipy.optimize

from tandem.growth import quantreg


def _check_objective(x: np.ndarray, y: np.ndarray, beta: np.ndarray, tau: float) -> float:
    r = y - x @ beta
    return float(np.sum(r * (tau - (r < 0))))


def _lp_optimum(x: np.ndarray, y: np.ndarray, tau: float) -> float:
    """min τ 1'u + (1 − τ) 1'v  s.t.  Xβ + u − v = y,  u, v ≥ 0, by HiGHS."""
    n, p = x.shape
    c = np.concatenate([np.zeros(p), np.full(n, tau), np.full(n, 1 - tau)])
    a = np.hstack([x, np.eye(n), -np.eye(n)])
    bounds = [(None, None)] * p + [(0, None)] * (2 * n)
    found = scipy.optimize.linprog(c, A_eq=a, b_eq=y, bounds=bounds, method="highs")
    assert found.status == 0
    return float(found.fun)


def test_an_intercept_alone_gives_the_sample_quantile() -> None:
    y = np.array([1.0, 2, 3, 4, 10])
    problem, _ = quantreg.Problem.of(np.ones((5, 1)), y)
    betas = quantreg.fit(problem, [0.5, 0.1, 0.9])
    # The median of five values, and the lowest and highest (τn = 0.5 and 4.5 are not whole).
    np.testing.assert_allclose(betas[:, 0], [3, 1, 10])


def test_a_line_through_points_on_a_line_is_that_line() -> None:
    x = np.column_stack([np.ones(20), np.arange(20.0)])
    problem, _ = quantreg.Problem.of(x, 3 + 2 * np.arange(20.0))
    np.testing.assert_allclose(quantreg.fit(problem, [0.25, 0.5, 0.75]), [[3, 2]] * 3, atol=1e-9)


@pytest.mark.parametrize("seed", range(4))
def test_small_problems_reach_the_simplex_optimum(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 60
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.integers(0, 4, n)])
    # Whole-number responses with ties, as scale scores have.
    y = np.round(5 + 2 * x[:, 1] + x[:, 2] + rng.standard_t(3, n) * 2)
    taus = [0.05, 0.3, 0.5, 0.95]
    problem, _ = quantreg.Problem.of(x, y)
    for tau, beta in zip(taus, quantreg.fit(problem, taus), strict=True):
        assert _check_objective(x, y, beta, tau) == pytest.approx(_lp_optimum(x, y, tau), rel=1e-9, abs=1e-9)


def test_duplicate_rows_are_merged_with_their_weight() -> None:
    x = np.column_stack([np.ones(6), [1.0, 1, 1, 2, 2, 3]])
    y = np.array([5.0, 5, 5, 7, 8, 9])
    problem, which = quantreg.Problem.of(x, y)
    assert len(problem.y) == 4
    assert problem.w.tolist() == [3, 1, 1, 1]
    assert (problem.y[which] == y).all()


def test_large_problems_solved_by_parts_reach_the_optimum() -> None:
    """Above SMALL distinct rows only a band around the fit is solved for; the answer must still
    be the optimum of the whole problem."""
    rng = np.random.default_rng(5)
    n = quantreg.SMALL * 3
    x = np.column_stack([np.ones(n), rng.normal(size=n), rng.normal(size=n) ** 2])
    y = 1 + x[:, 1] + 0.5 * x[:, 2] + rng.normal(size=n) * (1 + 0.5 * np.abs(x[:, 1]))
    problem, _ = quantreg.Problem.of(x, y)
    taus = [0.005, 0.015, 0.5, 0.985, 0.995]
    betas = quantreg.fit(problem, taus)
    for tau, beta in zip(taus, betas, strict=True):
        found = _check_objective(x, y, beta, tau)
        # Optimality by perturbation: no small move of β lowers the objective.
        for direction in np.vstack([np.eye(3), -np.eye(3)]):
            assert _check_objective(x, y, beta + 1e-6 * direction, tau) >= found - 1e-9
        # The fitted quantile splits the sample as a quantile does.
        below = np.mean(y < x @ beta)
        assert abs(below - tau) < 3 / n + 0.002


def test_a_design_without_full_rank_is_refused() -> None:
    x = np.column_stack([np.ones(10), np.arange(10.0), 2 * np.arange(10.0)])
    problem, _ = quantreg.Problem.of(x, np.arange(10.0))
    with pytest.raises(quantreg.SolverError, match="rank"):
        quantreg.fit(problem, [0.5])


def test_fitting_in_several_processes_gives_the_same_sgps(monkeypatch: pytest.MonkeyPatch) -> None:
    from tandem.growth import sgp
    from tandem.growth.simulate import progression_scores

    scores = progression_scores(800, ["3", "4", "5"], seed=21)
    alone = sgp.compute(scores, 2024, min_cohort=50)
    monkeypatch.setattr(sgp, "PARALLEL_FROM", 0)
    together = sgp.compute(scores, 2024, min_cohort=50, workers=2)
    assert len(together.fits) == len(alone.fits) == 3
    assert (together.by_order == alone.by_order).all() and (together.sgp == alone.sgp).all()
    assert np.array_equal(together.cuts[50], alone.cuts[50], equal_nan=True)


def test_where_the_interior_point_method_fails_the_simplex_finishes_exactly(monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(8)
    n = 80
    x = np.column_stack([np.ones(n), rng.normal(size=n)])
    y = np.round(3 + x[:, 1] + rng.normal(size=n), 1)

    def broken(*args: object, **kwargs: object) -> np.ndarray:
        raise np.linalg.LinAlgError("the interior point iterates left the interior")

    monkeypatch.setattr(quantreg, "_interior_point", broken)
    problem, _ = quantreg.Problem.of(x, y)
    for tau, beta in zip([0.1, 0.5, 0.9], quantreg.fit(problem, [0.1, 0.5, 0.9]), strict=True):
        assert _check_objective(x, y, beta, tau) == pytest.approx(_lp_optimum(x, y, tau), rel=1e-9, abs=1e-9)
