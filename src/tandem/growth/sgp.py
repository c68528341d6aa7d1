"""Student growth percentiles (Betebenner's method, as the R package SGP computes them).

For one content area and school year, a student's SGP says where the student's score falls among
the scores of students who had the same earlier scores: 50 means half of academic peers scored
lower. For each grade progression (the grades of the j most recent prior years and the current
one, in consecutive years) the cohort is every student with exactly those grades and scores. The
current score is regressed on an intercept and a cubic B-spline basis of each prior score
(`splines.bs`, with that prior grade's knots and boundaries) at the 100 quantiles
τ = 0.005, 0.015, …, 0.995 (`quantreg.fit`, exact). A student's 100 predicted scores, bounded by
the grade's lowest and highest obtainable scores, rounded to 5 decimals and sorted, are the
scores of academic peers at each percentile; the SGP is how many are strictly below the student's
score, with 0 reported as 1 and 100 as 99. Every order j up to `max_order` is fitted; a student's
SGP is the one of the highest order the student has.

Grades are strings ("3", "11"); a student's grades in the years before are read from the data, so
retained or skipped students follow their own progression.
"""

import concurrent.futures
import multiprocessing
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray
from threadpoolctl import threadpool_limits

from tandem.growth import quantreg
from tandem.growth.splines import bs

TAUS = (np.arange(1, 101) - 0.5) / 100
DEFAULT_MAX_ORDER = 3
DEFAULT_MIN_COHORT = 100
DEFAULT_CUTS = (1, 35, 50, 65, 99)
DIGITS = 5


@dataclass(frozen=True)
class GradeScale:
    """What the spline of a grade's scores is built on, and the scores it can have."""

    knots: tuple[float, ...]
    boundaries: tuple[float, float]
    loss_hoss: tuple[float, float]  # lowest and highest obtainable scale scores


def default_scale(scores: NDArray[np.float64]) -> GradeScale:
    """Without a configuration: knots at the 20/40/60/80th percentiles of the grade's scores
    (R's default quantile, type 7) rounded to 3 decimals, boundaries at the range widened by 10%
    on each side, and the range as the lowest and highest obtainable scores."""
    low, high = float(np.min(scores)), float(np.max(scores))
    spread = high - low
    knots = tuple(round(float(q), 3) for q in np.quantile(scores, [0.2, 0.4, 0.6, 0.8], method="linear"))
    return GradeScale(knots, (low - 0.1 * spread, high + 0.1 * spread), (low, high))


@dataclass(frozen=True)
class Scores:
    """One content area's valid scores, one row per student and year (duplicates already refused)."""

    student: NDArray[np.int64]  # a dense student number; `ids` maps it back
    year: NDArray[np.int64]  # the school year as a number that grows by one a year
    grade: NDArray[np.str_]
    score: NDArray[np.float64]
    ids: Sequence[str]


@dataclass(frozen=True)
class Fit:
    """One quantile regression: a grade progression at one order."""

    progression: tuple[str, ...]  # prior grades, oldest first, then the current grade
    students: int
    fitted: bool
    reason: str = ""  # why not, when not fitted
    seconds: float = 0.0


@dataclass
class Result:
    """SGPs of one content area and year, one row per student with a current score."""

    year: int
    row: NDArray[np.intp]  # each student's row in the Scores given
    student: NDArray[np.int64]
    grade: NDArray[np.str_]
    score: NDArray[np.float64]
    # SGP of each order (0 where the order was not available), columns 1..max_order.
    by_order: NDArray[np.int16]
    sgp: NDArray[np.int16]  # the highest order's, 0 where none
    order: NDArray[np.int8]  # which order `sgp` came from, 0 where none
    cuts: dict[int, NDArray[np.float64]]  # percentile → score needed to be above it (NaN where none)
    fits: list[Fit] = field(default_factory=list)

    @property
    def with_sgp(self) -> int:
        return int(np.count_nonzero(self.sgp))


Progress = Callable[[int, int, str], None]
# Scales by grade as configured: whole, or only some of knots, boundaries and loss_hoss.
Configured = Mapping[str, "GradeScale | Mapping[str, object]"]


def compute(
    scores: Scores,
    year: int,
    *,
    scales: Configured | None = None,
    progressions: Iterable[Sequence[str]] | None = None,
    max_order: int = DEFAULT_MAX_ORDER,
    min_cohort: int = DEFAULT_MIN_COHORT,
    cuts: Sequence[int] = DEFAULT_CUTS,
    progress: Progress | None = None,
    workers: int = 1,
) -> Result:
    """SGPs for every student with a score in `year`. `scales` by grade overrides the defaults;
    `progressions` (prior grades then the current grade) limit which are fitted, else every
    progression found in the data is. With `workers` above 1, progressions are fitted in that
    many processes at once."""
    if max_order < 1:
        raise ValueError(f"The highest order must be at least 1, not {max_order}.")
    now = scores.year == year
    rows = np.flatnonzero(now)
    chains = _chains(scores, rows, year, max_order)
    all_scales = _scales(scores, scales)
    wanted = _wanted(chains, progressions, max_order)
    count = len(rows)
    by_order = np.zeros((count, max_order), dtype=np.int16)
    cut_values = {c: np.full(count, np.nan) for c in cuts}
    fits: list[Fit] = []
    jobs: list[tuple[tuple[str, ...], NDArray[np.intp]]] = []
    for key in sorted(wanted, key=lambda k: (len(k), k)):
        members = np.flatnonzero(_matches(chains, key))
        missing = [g for g in key if g not in all_scales]
        if len(members) < min_cohort:
            fits.append(Fit(key, len(members), False, f"{len(members)} students, fewer than {min_cohort}"))
        elif missing:
            fits.append(Fit(key, len(members), False, f"no scale for grade {', '.join(missing)}"))
        else:
            jobs.append((key, members))
    done = 0
    for key, members, (fit, sgps, cut_rows) in _run(jobs, chains, all_scales, cuts, workers):
        done += 1
        if progress:
            progress(done, len(jobs), "–".join(key))
        fits.append(fit)
        if sgps is None:
            continue
        by_order[members, len(key) - 2] = sgps
        for c, values in cut_rows.items():
            # The cuts reported are those of the highest order a student has.
            higher = by_order[members, len(key) - 1 :].any(axis=1) if len(key) - 1 < max_order else False
            cut_values[c][members] = np.where(higher, cut_values[c][members], values)
    fits.sort(key=lambda f: (len(f.progression), f.progression))
    has = by_order > 0
    highest = np.where(has.any(axis=1), max_order - np.argmax(has[:, ::-1], axis=1), 0).astype(np.int8)
    sgp = np.where(highest > 0, by_order[np.arange(count), np.maximum(highest, 1) - 1], 0).astype(np.int16)
    return Result(
        year,
        rows,
        scores.student[rows],
        scores.grade[rows],
        scores.score[rows],
        by_order,
        sgp,
        highest,
        cut_values,
        fits,
    )


@dataclass(frozen=True)
class _Chains:
    """For each current row: its grade and score, and those of up to max_order years before
    (grade "" where the student has no score that year, and for every earlier year)."""

    grades: NDArray[np.str_]  # (n, max_order + 1): column 0 the current year, column k k years before
    scores: NDArray[np.float64]


def _chains(scores: Scores, rows: NDArray[np.intp], year: int, max_order: int) -> _Chains:
    n = len(rows)
    grades = np.full((n, max_order + 1), "", dtype=scores.grade.dtype)
    values = np.full((n, max_order + 1), np.nan)
    grades[:, 0] = scores.grade[rows]
    values[:, 0] = scores.score[rows]
    # Rows sorted by (student, year) find a student's earlier year by binary search.
    key = scores.student * 10_000 + (scores.year - scores.year.min())
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    present = np.ones(n, dtype=bool)
    for back in range(1, max_order + 1):
        wanted = scores.student[rows] * 10_000 + (year - back - scores.year.min())
        at = np.searchsorted(sorted_key, wanted)
        at = np.minimum(at, len(sorted_key) - 1)
        found = present & (sorted_key[at] == wanted) & (year - back >= scores.year.min())
        grades[found, back] = scores.grade[order[at[found]]]
        values[found, back] = scores.score[order[at[found]]]
        present = found
    return _Chains(grades, values)


def _wanted(chains: _Chains, progressions: Iterable[Sequence[str]] | None, max_order: int) -> set[tuple[str, ...]]:
    if progressions is not None:
        wanted = set()
        for progression in progressions:
            grades = tuple(str(g) for g in progression)
            for order in range(1, min(len(grades) - 1, max_order) + 1):
                wanted.add(grades[-order - 1 :])
        return wanted
    found = set()
    for order in range(1, max_order + 1):
        has = chains.grades[:, order] != ""
        columns = chains.grades[has][:, order::-1]
        found |= {tuple(str(g) for g in row) for row in np.unique(columns, axis=0)} if len(columns) else set()
    return found


def _matches(chains: _Chains, key: tuple[str, ...]) -> NDArray[np.bool_]:
    order = len(key) - 1
    match = np.ones(len(chains.grades), dtype=bool)
    for back in range(order + 1):
        match &= chains.grades[:, back] == key[order - back]
    return match


def scales_for(
    scores: Scores, given: Mapping[str, "GradeScale | Mapping[str, object]"] | None = None
) -> dict[str, GradeScale]:
    """The scale of every grade that `compute` uses for these scores and configuration."""
    return _scales(scores, given)


# Below this many students in all, fitting in other processes costs more than it saves.
PARALLEL_FROM = 20_000
# What each worker process fits from: sent once, when the worker starts.
_SHARED: tuple[Any, ...] = ()


def _share(chains: "_Chains", scales: Mapping[str, GradeScale], cuts: Sequence[int]) -> None:
    global _SHARED
    _SHARED = (chains, dict(scales), tuple(cuts))


def _run(
    jobs: list[tuple[tuple[str, ...], NDArray[np.intp]]],
    chains: "_Chains",
    scales: Mapping[str, GradeScale],
    cuts: Sequence[int],
    workers: int,
) -> Iterator[tuple[tuple[str, ...], NDArray[np.intp], "_Fitted"]]:
    """Each job's fit, in the order they finish; larger cohorts start first."""
    if workers <= 1 or len(jobs) <= 1 or sum(len(m) for _, m in jobs) < PARALLEL_FROM:
        for key, members in jobs:
            yield key, members, _fit(chains, members, key, scales, cuts)
        return
    largest_first = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]) * len(jobs[i][0]))
    # Spawned, not forked: the calling process may be a web or task worker with threads of its own.
    context = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(
        min(workers, len(jobs)), mp_context=context, initializer=_share, initargs=(chains, scales, cuts)
    ) as pool:
        futures = {pool.submit(_fit_shared, jobs[i][0], jobs[i][1]): i for i in largest_first}
        for future in concurrent.futures.as_completed(futures):
            key, members = jobs[futures[future]]
            yield key, members, future.result()


def _fit_shared(key: tuple[str, ...], members: NDArray[np.intp]) -> "_Fitted":
    chains, scales, cuts = _SHARED
    # One BLAS thread per worker: the workers already use the cores, and more threads than cores
    # slow every one of them down.
    with threadpool_limits(limits=1):
        return _fit(chains, members, key, scales, cuts)


def _scales(scores: Scores, given: Configured | None) -> dict[str, GradeScale]:
    """A scale for every grade in the data: as configured, the parts not configured from the
    grade's scores across all years (`default_scale`)."""
    given = given or {}
    scales: dict[str, GradeScale] = {}
    for grade in sorted(set(map(str, np.unique(scores.grade))) | set(given)):
        configured = given.get(grade)
        if isinstance(configured, GradeScale):
            scales[grade] = configured
            continue
        found = scores.score[scores.grade == grade]
        if not len(found):
            continue
        scale = default_scale(found)
        if configured:
            scale = GradeScale(
                tuple(configured.get("knots", scale.knots)),  # type: ignore[arg-type]
                tuple(configured.get("boundaries", scale.boundaries)),  # type: ignore[arg-type]
                tuple(configured.get("loss_hoss", scale.loss_hoss)),  # type: ignore[arg-type]
            )
        scales[grade] = scale
    return scales


_Fitted = tuple[Fit, NDArray[np.int16] | None, dict[int, NDArray[np.float64]]]


def _fit(
    chains: _Chains,
    members: NDArray[np.intp],
    key: tuple[str, ...],
    scales: Mapping[str, GradeScale],
    cuts: Sequence[int],
) -> _Fitted:
    start = time.perf_counter()
    order = len(key) - 1
    current = scales[key[-1]]
    y = chains.scores[members, 0]
    # Prior scores, oldest first, as R's formula lists them; students with the same prior scores
    # have the same predictions, so the basis and predictions are computed once per distinct set.
    priors = chains.scores[members][:, order:0:-1]
    distinct, which = np.unique(priors, axis=0, return_inverse=True)
    design = _design(distinct, key[:-1], scales)
    problem, _ = quantreg.Problem.of(design[which], y)
    try:
        betas = quantreg.fit(problem, TAUS)
    except quantreg.SolverError as error:
        return Fit(key, len(members), False, str(error), time.perf_counter() - start), None, {}
    low, high = current.loss_hoss
    predicted = np.sort(np.round(np.clip(design @ betas.T, low, high), DIGITS), axis=1)
    below = np.sum(predicted[which] < y[:, None], axis=1)
    sgps = np.clip(below, 1, 99).astype(np.int16)
    cut_rows = {c: predicted[which, c] for c in cuts if 0 <= c < len(TAUS)}
    return Fit(key, len(members), True, seconds=time.perf_counter() - start), sgps, cut_rows


def _design(
    priors: NDArray[np.float64], grades: Sequence[str], scales: Mapping[str, GradeScale]
) -> NDArray[np.float64]:
    columns = [np.ones((len(priors), 1))]
    for j, grade in enumerate(grades):
        scale = scales[grade]
        columns.append(bs(priors[:, j], scale.knots, scale.boundaries))
    return np.hstack(columns)


def design(
    scores: Scores, year: int, progression: Sequence[str], scales: Mapping[str, GradeScale] | None = None
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """The regression `compute` fits for one grade progression at its full order: the design
    matrix (intercept, then each prior's basis, oldest first) and the current scores."""
    key = tuple(str(g) for g in progression)
    order = len(key) - 1
    rows = np.flatnonzero(scores.year == year)
    chains = _chains(scores, rows, year, order)
    members = np.flatnonzero(_matches(chains, key))
    priors = chains.scores[members][:, order:0:-1]
    return _design(priors, key[:-1], scales or _scales(scores, None)), chains.scores[members, 0]
