"""The B-spline basis against numbers R's splines::bs printed for the same call:
bs(x, knots = c(280, 330, 370, 420), Boundary.knots = c(150, 600))."""

import numpy as np

from tandem.growth.splines import bs

KNOTS = [280, 330, 370, 420]
BOUNDS = [150, 600]

# Rows for x = 150, 275, 350, 600, 100 (extrapolated below), 650 (extrapolated above).
R_BS = np.array(
    [
        [0, 0, 0, 0, 0, 0, 0],
        [0.102495792522913, 0.5180524010652217, 0.3793949106449107, 0, 0, 0, 0],
        [0, 0.0101010101010101, 0.4898989898989899, 0.4917695473251029, 0.00823045267489712, 0, 0],
        [0, 0, 0, 0, 0, 0, 1],
        [-2.045810223818113, 0.4155625950497747, -0.0242812742812743, 0, 0, 0, 0],
        [0, 0, 0, -0.0111826802648059, 0.222243615175772, -1.29730922023333, 2.08624828532236],
    ]
)


def test_basis_matches_r_inside_at_the_boundaries_and_outside() -> None:
    basis = bs(np.array([150, 275, 350, 600, 100, 650.0]), KNOTS, BOUNDS)
    assert basis.shape == (6, 7)
    np.testing.assert_allclose(basis, R_BS, atol=1e-12)


def test_basis_with_the_dropped_column_sums_to_one_minus_it_inside() -> None:
    x = np.linspace(150, 600, 91)
    basis = bs(x, KNOTS, BOUNDS)
    # The full basis is a partition of unity; bs() leaves out the first function, which is
    # (1 − (x − 150)/130)³ on the first interval and 0 after it.
    first = np.where(x < 280, (1 - (x - 150) / 130) ** 3, 0.0)
    np.testing.assert_allclose(basis.sum(axis=1) + first, 1.0, atol=1e-12)
    assert (basis >= -1e-15).all()
