"""Linear quantile regression, solved exactly, fast enough for a state's cohorts at 100 quantiles.

For weights w ≥ 0 the τ-th regression quantile is a β minimising Σ wᵢ ρ_τ(yᵢ − xᵢ'β), where
ρ_τ(r) = r (τ − 1{r < 0}). It is a linear programme, and its optimum is at a vertex: a β that fits
p observations exactly (the basis h). A vertex is optimal exactly when the other observations'
signs leave room for the basis ones: there are aₕ with (τ − 1) wᵢ ≤ aᵢ ≤ τ wᵢ and

    Σ_{i ∉ h} wᵢ ψ_τ(rᵢ) xᵢ + X_h' aₕ = 0,      ψ_τ(r) = τ − 1{r < 0}.

That condition is checked for every answer this module gives (`_certify`), over all the
observations; an answer that fails it is never returned. So the β are the LP optimum, and the
fitted quantiles are those of the simplex method (R's `rq(method = "br")`) wherever the optimum
is unique.

How it gets there fast, each step keeping the exact optimum:
1. Observations with the same x and y are one observation with their weights added (scores are
   whole numbers, so a cohort of 500,000 has far fewer distinct rows).
2. A Frisch–Newton interior point method (Mehrotra's predictor–corrector, as in Koenker's
   `rq.fit.fnb`) solves the dual  max y'a  s.t.  X'a = (1 − τ) X'w,  0 ≤ a ≤ w.  Its answer is
   within a tolerance of the optimum; the p observations it fits best, independent ones, give the
   vertex that is then certified.
3. Preprocessing after Portnoy and Koenker (1997): observations far above or below the fit are
   only needed through their sums, so the interior point method sees the few thousand nearest to
   the fit of the neighbouring quantile and the rest as two fixed sums. If the certified vertex
   finds one of the others on the wrong side, it joins those solved for and the fit is redone.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import scipy.linalg
import scipy.optimize
from numpy.typing import NDArray

Array = NDArray[np.float64]

# Below this many distinct observations the whole problem goes to the interior point method.
SMALL = 6000
# The share of the total weight nearest the guessed fit that the interior point method is given
# when the problem is larger, and the least number of observations it is given.
BAND_SHARE = 0.02
BAND_LEAST = 4000
PILOT_BAND_SHARE = 0.05
MAX_ROUNDS = 16
# The interior point method stops when the duality gap is this small relative to the objective:
# first loosely, which is enough to name the optimal basis nearly always (the certificate says
# whether it was), then tightly when it was not.
LOOSE = 1e-8
TIGHT = 1e-12


class SolverError(RuntimeError):
    """The optimum could not be certified: a bug or a design without full rank, never a guess."""


@dataclass(frozen=True)
class Problem:
    """A regression problem with duplicate rows merged: X (n × p), y, weights."""

    x: Array
    y: Array
    w: Array

    @classmethod
    def of(cls, x: Array, y: Array) -> tuple["Problem", NDArray[np.intp]]:
        """Merge equal rows of (x, y). Returns the problem and, for each input row, its row in it."""
        x = np.ascontiguousarray(x, dtype=np.float64)
        y = np.ascontiguousarray(y, dtype=np.float64)
        rows = np.column_stack([x, y])
        unique, inverse, counts = np.unique(rows, axis=0, return_inverse=True, return_counts=True)
        return cls(np.ascontiguousarray(unique[:, :-1]), unique[:, -1].copy(), counts.astype(np.float64)), inverse


def fit(problem: Problem, taus: Sequence[float]) -> Array:
    """β for each τ, as the rows of a (len(taus) × p) array."""
    x, y, w = problem.x, problem.y, problem.w
    n, p = x.shape
    if n < p or np.linalg.matrix_rank(x) < p:
        raise SolverError(f"The design has rank below its {p} columns: too few distinct students.")
    for tau in taus:
        if not 0 < tau < 1:
            raise ValueError(f"τ must lie strictly between 0 and 1, not {tau}.")
    betas = np.empty((len(taus), p))
    # From the quantile nearest the median outwards, each starting from its neighbour's fit: the
    # median is the one a subsample guesses well, and a neighbour's fit is close to the next one.
    order = sorted(range(len(taus)), key=lambda k: taus[k])
    if not order:
        return betas
    middle = min(range(len(order)), key=lambda i: abs(taus[order[i]] - 0.5))
    start = order[middle]
    betas[start] = _fit_one(x, y, w, float(taus[start]), None)
    for path in (order[middle + 1 :], order[:middle][::-1]):
        previous = betas[start]
        for k in path:
            previous = betas[k] = _fit_one(x, y, w, float(taus[k]), previous)
    return betas


def _fit_one(x: Array, y: Array, w: Array, tau: float, guess: Array | None) -> Array:
    n = len(y)
    # Where each observation is held: −1 below the fit (aᵢ = 0), +1 above it (aᵢ = wᵢ), 0 solved for.
    if n <= SMALL:
        side = np.zeros(n, dtype=np.int8)
        residuals = y.copy()
    else:
        if guess is None:
            # A subsample's fit is rougher than a neighbouring quantile's: a wider band.
            try:
                residuals = y - x @ _pilot(x, y, w, tau)
            except np.linalg.LinAlgError:
                residuals = y - x @ _simplex(x, y, w, tau, np.zeros(n, dtype=np.int8))
            side = _band(residuals, w, tau, share=PILOT_BAND_SHARE)
        else:
            residuals = y - x @ guess
            side = _band(residuals, w, tau)
    # How the observations solved for are solved: the interior point method loosely, then
    # tightly, then (where its answer names no optimal basis: a degenerate optimum, or one
    # numerically out of its reach) HiGHS's dual simplex, which ends on a vertex.
    methods = [LOOSE, TIGHT, None]
    method = 0
    share = BAND_SHARE
    for _ in range(MAX_ROUNDS):
        _cover_columns(x, residuals, side)
        try:
            if methods[method] is None:
                beta = _simplex(x, y, w, tau, side)
            else:
                beta = _interior_point(x, y, w, tau, side, methods[method])
        except np.linalg.LinAlgError:
            method = len(methods) - 1
            continue
        vertex, misplaced = _certify(x, y, w, tau, beta, side)
        if vertex is not None:
            return vertex
        residuals = y - x @ beta
        if misplaced.any():
            side[misplaced] = 0
            if misplaced.sum() > BAND_LEAST // 4:
                # The guess was far off: take a wider band around the latest fit as well.
                share *= 2
                side = np.where(_band(residuals, w, tau, share=share) == 0, 0, side).astype(np.int8)
        elif method < len(methods) - 1:
            method += 1
        else:
            # Nothing was held on the wrong side, and still no certificate: solve more of it.
            share *= 2
            side = np.where(_band(residuals, w, tau, share=share) == 0, 0, side).astype(np.int8)
            if not side.any():
                break
    # Last, the simplex method on the whole problem: slow, but it ends on a vertex.
    whole = np.zeros(n, dtype=np.int8)
    try:
        vertex, _ = _certify(x, y, w, tau, _simplex(x, y, w, tau, whole), whole)
    except np.linalg.LinAlgError as error:
        raise SolverError(f"No certified optimum for τ = {tau}: {error}.") from error
    if vertex is None:
        raise SolverError(f"No certified optimum for τ = {tau}.")
    return vertex


def _simplex(x: Array, y: Array, w: Array, tau: float, side: NDArray[np.int8]) -> Array:
    """β from HiGHS's dual simplex on the dual problem of the observations solved for (the
    others held at their side): p equality rows and one bounded column per observation."""
    free = side == 0
    held_above = np.where(side > 0, w, 0.0)
    rhs = x.T @ ((1 - tau) * w - held_above)
    found = scipy.optimize.linprog(
        -y[free], A_eq=x[free].T, b_eq=rhs, bounds=np.column_stack([np.zeros(int(free.sum())), w[free]]),
        method="highs-ds",
    )  # fmt: skip
    if found.status != 0:
        raise np.linalg.LinAlgError(f"the simplex method stopped: {found.message}")
    # The equality constraints' multipliers are the dual of the dual: the regression coefficients.
    return -np.asarray(found.eqlin.marginals)


def _cover_columns(x: Array, residuals: Array, side: NDArray[np.int8], each: int = 50) -> None:
    """Free, for any column that is zero on every observation solved for, the `each` held
    observations nearest the fit that are not: without them the reduced problem has no solution."""
    free = side == 0
    if free.all():
        return
    empty = ~np.any(x[free] != 0, axis=0)
    for j in np.flatnonzero(empty):
        candidates = np.flatnonzero((x[:, j] != 0) & ~free)
        nearest = candidates[np.argsort(np.abs(residuals[candidates]), kind="stable")[:each]]
        side[nearest] = 0


def _pilot(x: Array, y: Array, w: Array, tau: float) -> Array:
    """A first guess from an evenly spaced subsample (deterministic, so runs repeat exactly): a
    tenth of the observations, and at least SMALL."""
    size = max(SMALL, len(y) // 10)
    take = np.unique(np.linspace(0, len(y) - 1, size).astype(np.intp))
    xs, ws = x[take], w[take]
    return _frisch_newton(xs, y[take], ws, tau, (1 - tau) * (xs.T @ ws))


def _band(residuals: Array, w: Array, tau: float, share: float = BAND_SHARE) -> NDArray[np.int8]:
    """Sides for a guessed fit: 0 for the observations whose weighted rank among the residuals is
    within `share` of τ (at least BAND_LEAST of them), −1 below them and +1 above. Where every
    weight is 1 the ranks are found by selection, not a full sort; either way a band that proves
    too narrow is only widened by the certificate, never trusted."""
    n = len(residuals)
    # Nearly every weight 1 (few repeated rows): ranks by count are ranks by weight, near enough.
    if w.sum() < 1.02 * n:
        centre = int(tau * n)
        low = max(0, min(int((tau - share) * n), centre - BAND_LEAST // 2))
        high = min(n - 1, max(int((tau + share) * n), centre + BAND_LEAST // 2))
        lowest, highest = np.partition(residuals, [low, high])[[low, high]]
        side = np.zeros(n, dtype=np.int8)
        side[residuals < lowest] = -1
        side[residuals > highest] = 1
        return side
    order = np.argsort(residuals, kind="stable")
    cumulative = np.cumsum(w[order])
    total = cumulative[-1]
    centre = int(np.searchsorted(cumulative, tau * total))
    low = min(int(np.searchsorted(cumulative, (tau - share) * total)), centre - BAND_LEAST // 2)
    high = max(int(np.searchsorted(cumulative, (tau + share) * total, side="right")) + 1, centre + BAND_LEAST // 2)
    low, high = max(0, low), min(n, high)
    side = np.empty(n, dtype=np.int8)
    side[order[:low]] = -1
    side[order[low:high]] = 0
    side[order[high:]] = 1
    return side


def _interior_point(x: Array, y: Array, w: Array, tau: float, side: NDArray[np.int8], tolerance: float) -> Array:
    """β from Frisch–Newton on the observations solved for, the others held at their side."""
    free = side == 0
    held_above = np.where(side > 0, w, 0.0)
    rhs = x.T @ ((1 - tau) * w - held_above)
    return _frisch_newton(x[free], y[free], w[free], tau, rhs, tolerance)


def _frisch_newton(x: Array, y: Array, u: Array, tau: float, rhs: Array, tol: float = 1e-11) -> Array:
    """Mehrotra predictor–corrector for  min c'a  s.t.  X'a = rhs, 0 ≤ a ≤ u,  with c = −y.

    Dual variables: β̃ (p), z ≥ 0 for a ≥ 0, v ≥ 0 for a ≤ u; the regression coefficients are −β̃.
    """
    n = len(y)
    c = -y
    a = (1 - tau) * u
    s = u - a
    # Start from least squares (by the normal equations: the design has full rank, and an SVD of a
    # tall matrix at every τ costs more than the whole interior point method).
    beta = -scipy.linalg.cho_solve(scipy.linalg.cho_factor(x.T @ x, check_finite=False), x.T @ y, check_finite=False)
    r = c - x @ beta
    spread = max(float(np.mean(np.abs(r))), 1e-8)
    z = np.maximum(r, 0) + spread
    v = np.maximum(-r, 0) + spread
    scale = 1 + float(np.abs(c) @ u)
    feasible = 1e-9 * (1 + float(np.linalg.norm(rhs)))
    for _ in range(200):
        rp = rhs - x.T @ a
        rd = c - x @ beta - z + v
        gap = float(a @ z + s @ v)
        if gap < tol * scale and np.linalg.norm(rp) < feasible and np.linalg.norm(rd) < 1e-9 * scale:
            break
        if not (np.all(a > 0) and np.all(s > 0) and np.isfinite(gap)):
            raise np.linalg.LinAlgError("the interior point iterates left the interior")
        q = 1 / (z / a + v / s)
        normal = scipy.linalg.cho_factor((x * q[:, None]).T @ x, check_finite=False)
        # Predictor (affine scaling), then Mehrotra's corrector with the same factorisation.
        da, _, dz, dv = _direction(x, normal, q, rp, rd, a, s, z, v, -a * z, -s * v)
        ap = min(_step(a, da), _step(s, -da))
        ad = min(_step(z, dz), _step(v, dv))
        mu = gap / (2 * n)
        gap_aff = float((a + ap * da) @ (z + ad * dz) + (s - ap * da) @ (v + ad * dv))
        sigma = (gap_aff / gap) ** 3
        da, dbeta, dz, dv = _direction(
            x, normal, q, rp, rd, a, s, z, v, sigma * mu - a * z - da * dz, sigma * mu - s * v + da * dv
        )
        ap = 0.99995 * min(_step(a, da), _step(s, -da), 1 / 0.99995)
        ad = 0.99995 * min(_step(z, dz), _step(v, dv), 1 / 0.99995)
        a = a + ap * da
        # Kept as its own variable, not recomputed as u − a: where a nears its bound u the
        # difference would cancel to zero, and the next step would divide by it.
        s = s - ap * da
        beta = beta + ad * dbeta
        z = z + ad * dz
        v = v + ad * dv
    return -beta


def _direction(
    x: Array,
    normal: tuple[Array, bool],
    q: Array,
    rp: Array,
    rd: Array,
    a: Array,
    s: Array,
    z: Array,
    v: Array,
    r_az: Array,
    r_sv: Array,
) -> tuple[Array, Array, Array, Array]:
    """The Newton direction (da, dβ̃, dz, dv) for complementarity targets a∘z → r_az, s∘v → r_sv."""
    g = rd - r_az / a + r_sv / s
    dbeta = scipy.linalg.cho_solve(normal, rp + x.T @ (q * g), check_finite=False)
    da = q * (x @ dbeta - g)
    return da, dbeta, (r_az - z * da) / a, (r_sv + v * da) / s


def _step(value: Array, change: Array) -> float:
    """The largest step in [0, 1] along `change` that keeps `value` non-negative."""
    with np.errstate(divide="ignore", invalid="ignore"):
        ratios = np.where(change < 0, -value / change, np.inf)
    return float(min(1.0, ratios.min()))


def _certify(
    x: Array, y: Array, w: Array, tau: float, beta: Array, side: NDArray[np.int8]
) -> tuple[Array | None, NDArray[np.bool_]]:
    """The vertex next to `beta` if it is optimal for the whole problem, else None and the held
    observations that the vertex puts on the other side of the fit from where they were held."""
    n = len(y)
    residuals = y - x @ beta
    basis = _basis(x, np.abs(residuals), side == 0)
    nothing = np.zeros(n, dtype=bool)
    if basis is None:
        return None, nothing
    try:
        vertex = np.linalg.solve(x[basis], y[basis])
    except np.linalg.LinAlgError:
        return None, nothing
    residuals = y - x @ vertex
    zero = 1e-9 * (1 + float(np.max(np.abs(y))))
    misplaced = ((side < 0) & (residuals > zero)) | ((side > 0) & (residuals < -zero))
    if misplaced.any():
        return None, misplaced
    on_fit = np.abs(residuals) <= zero
    on_fit[basis] = True
    psi = np.where(residuals < 0, tau - 1, tau) * w
    psi[on_fit] = 0
    target = -(x.T @ psi)
    if _room(x[on_fit], w[on_fit], tau, target):
        return vertex, nothing
    return None, nothing


def _basis(x: Array, distance: Array, free: NDArray[np.bool_]) -> NDArray[np.intp] | None:
    """p linearly independent observations among those solved for, nearest the fit first."""
    p = x.shape[1]
    candidates = np.flatnonzero(free)
    nearest = candidates[np.argsort(distance[candidates], kind="stable")[: 4 * p]]
    chosen: list[int] = []
    q = np.zeros((p, 0))
    for i in nearest:
        row = x[i] - q @ (q.T @ x[i])
        norm = float(np.linalg.norm(row))
        # Nearly dependent rows would make the vertex a poorly conditioned solve; skip them.
        if norm > 1e-6 * (1 + float(np.linalg.norm(x[i]))):
            q = np.column_stack([q, row / norm])
            chosen.append(int(i))
            if len(chosen) == p:
                return np.array(chosen, dtype=np.intp)
    return None


def _room(x_fit: Array, w_fit: Array, tau: float, target: Array) -> bool:
    """Whether the observations on the fit can balance `target`: X' a = target with
    (τ − 1) wᵢ ≤ aᵢ ≤ τ wᵢ."""
    low, high = (tau - 1) * w_fit, tau * w_fit
    slack = 1e-8 * (1 + float(np.max(np.abs(target))))
    if len(w_fit) == x_fit.shape[1]:
        try:
            a = np.linalg.solve(x_fit.T, target)
        except np.linalg.LinAlgError:
            return False
        return bool(np.all(a >= low - slack * w_fit) and np.all(a <= high + slack * w_fit))
    # More observations on the fit than the basis (ties): a small feasibility problem.
    found = scipy.optimize.linprog(
        np.zeros(len(w_fit)), A_eq=x_fit.T, b_eq=target, bounds=list(zip(low, high, strict=True)), method="highs"
    )
    return bool(found.status == 0)
