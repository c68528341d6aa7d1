"""The cubic B-spline basis of R's `splines::bs()`, as student growth percentiles use it.

`bs(x, knots=k, Boundary.knots=b)` with the defaults degree 3 and intercept FALSE: the B-splines
of order 4 on the knot sequence (b0 ×4, k..., b1 ×4), without the first one, so four interior
knots give 7 columns. A value outside the boundary knots is extrapolated the way R 4 does it: by
the cubic Taylor polynomial of each basis function at a pivot a quarter of the way from the
boundary knot to the nearest knot inside. Growth percentiles must match R's to the fifth decimal,
so this follows R's definition, not another library's extrapolation.
"""

import math
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray
from scipy.interpolate import BSpline

DEGREE = 3
ORDER = DEGREE + 1
# Where R's bs() puts the pivot of its extrapolation: this share of the way into the outer interval.
PIVOT_SHARE = 0.25


def knot_sequence(knots: Sequence[float], boundaries: Sequence[float]) -> NDArray[np.float64]:
    low, high = sorted(boundaries)
    return np.array([low] * ORDER + sorted(knots) + [high] * ORDER, dtype=np.float64)


def bs(x: NDArray[np.float64], knots: Sequence[float], boundaries: Sequence[float]) -> NDArray[np.float64]:
    """The basis, one row per value of `x`: len(knots) + 3 columns."""
    x = np.asarray(x, dtype=np.float64)
    t = knot_sequence(knots, boundaries)
    width = len(t) - ORDER
    low, high = t[0], t[-1]
    basis = np.zeros((len(x), width))
    inside = (x >= low) & (x <= high)
    if inside.any():
        basis[inside] = _design(t, x[inside])
    for outside, pivot in (
        (x < low, (1 - PIVOT_SHARE) * low + PIVOT_SHARE * t[ORDER]),
        (x > high, (1 - PIVOT_SHARE) * high + PIVOT_SHARE * t[-ORDER - 1]),
    ):
        if outside.any():
            basis[outside] = _taylor(t, pivot, x[outside] - pivot)
    return basis[:, 1:]


def _design(t: NDArray[np.float64], x: NDArray[np.float64]) -> NDArray[np.float64]:
    # A value at the right boundary knot belongs to the last interval, as in R's splineDesign.
    return BSpline.design_matrix(x, t, DEGREE, extrapolate=False).toarray()


def _taylor(t: NDArray[np.float64], pivot: float, offset: NDArray[np.float64]) -> NDArray[np.float64]:
    """Σ_k f⁽ᵏ⁾(pivot) offsetᵏ / k! for every basis function f."""
    width = len(t) - ORDER
    derivatives = np.empty((ORDER, width))
    identity = np.eye(width)
    for k in range(ORDER):
        spline = BSpline(t, identity, DEGREE, extrapolate=False)
        derivatives[k] = (spline.derivative(k) if k else spline)(pivot) / math.factorial(k)
    powers = np.vander(offset, ORDER, increasing=True)
    return powers @ derivatives
