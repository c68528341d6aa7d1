"""Achievement metrics for a set of results: what the dashboards, gap explorer and goals report.

Every function takes plain values (no queries), so each metric can be checked on small
hand-computed data and used for any scope: a school, a district, the network, a grade, a group.
"""

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Scored:
    """One student's result: the scale score, the performance level (its rank, 1 the lowest) and
    the scale score at which "standard met" begins for the student's grade and year."""

    score: float | None
    level: int | None
    met_cut: float | None = None


@dataclass(frozen=True)
class Summary:
    tested: int
    scored: int  # of those tested, students with a scale score (the mean and SD are theirs)
    at_or_above: float | None  # percent of those tested, at or above standard
    levels: dict[int, int]  # students at each level, by rank
    mean: float | None
    sd: float | None  # sample standard deviation (n − 1)
    distance_from_met: float | None  # mean of (score − the grade's "standard met" cut)

    def percent_at(self, rank: int) -> float | None:
        return 100 * self.levels.get(rank, 0) / self.tested if self.tested else None


def summarize(results: Iterable[Scored], meets_standard: Iterable[int], ranks: Sequence[int] = ()) -> Summary:
    """Students tested are those with a score or a level. `meets_standard` holds the ranks that
    count as at or above standard; `ranks` lists every level so that empty ones show as zero."""
    meeting = set(meets_standard)
    levels = dict.fromkeys(ranks, 0)
    scores: list[float] = []
    distances: list[float] = []
    tested = at_or_above = 0
    for r in results:
        if r.score is None and r.level is None:
            continue
        tested += 1
        if r.level is not None:
            levels[r.level] = levels.get(r.level, 0) + 1
            at_or_above += r.level in meeting
        if r.score is not None:
            scores.append(r.score)
            if r.met_cut is not None:
                distances.append(r.score - r.met_cut)
    return Summary(
        tested=tested,
        scored=len(scores),
        at_or_above=100 * at_or_above / tested if tested else None,
        levels=dict(sorted(levels.items())),
        mean=_mean(scores),
        sd=_sd(scores),
        distance_from_met=_mean(distances),
    )


def _mean(values: Sequence[float]) -> float | None:
    return math.fsum(values) / len(values) if values else None


def _sd(values: Sequence[float]) -> float | None:
    if len(values) < 2:
        return None
    mean = math.fsum(values) / len(values)
    return math.sqrt(math.fsum((v - mean) ** 2 for v in values) / (len(values) - 1))


def gap_points(a: Summary, b: Summary) -> float | None:
    """Percentage-point gap in at or above standard: group a minus group b."""
    if a.at_or_above is None or b.at_or_above is None:
        return None
    return a.at_or_above - b.at_or_above


def hedges_g(a: Summary, b: Summary) -> float | None:
    """Standardized mean difference, a minus b, with the small-sample correction
    J = 1 − 3 / (4(n_a + n_b) − 9) applied to Cohen's d on the pooled sample SD."""
    if a.mean is None or b.mean is None or a.sd is None or b.sd is None:
        return None
    na, nb = a.scored, b.scored
    pooled = math.sqrt(((na - 1) * a.sd**2 + (nb - 1) * b.sd**2) / (na + nb - 2))
    if pooled == 0:
        return None
    d = (a.mean - b.mean) / pooled
    return d * (1 - 3 / (4 * (na + nb) - 9))


def change(current: float | None, prior: float | None) -> float | None:
    """Change from the prior year; None when either year has no value (or is suppressed)."""
    if current is None or prior is None:
        return None
    return current - prior


@dataclass(frozen=True)
class CohortChange:
    matched: int  # students with a result in both years
    at_or_above: float | None  # percentage-point change among them
    distance_from_met: float | None  # change in mean distance from "standard met"


def cohort_change(
    prior: Mapping[int, Scored], current: Mapping[int, Scored], meets_standard: Iterable[int]
) -> CohortChange:
    """The same students a year later (so, usually, a grade up): results keyed by student."""
    both = [s for s in current if s in prior]
    meeting = set(meets_standard)
    before = summarize((prior[s] for s in both), meeting)
    after = summarize((current[s] for s in both), meeting)
    return CohortChange(
        matched=len(both),
        at_or_above=change(after.at_or_above, before.at_or_above),
        distance_from_met=change(after.distance_from_met, before.distance_from_met),
    )


@dataclass
class Totals:
    """Sums that add up across schools, grades and years, so a district or the whole network is
    summarized exactly from stored per-school cells (pooled mean and SD from sums and sums of
    squares) without reading every result again."""

    tested: int = 0
    scored: int = 0
    score_sum: float = 0.0
    score_squares: float = 0.0
    distance_count: int = 0
    distance_sum: float = 0.0
    at_or_above: int = 0
    levels: dict[int, int] = field(default_factory=dict)

    def add(self, other: "Totals") -> None:
        self.tested += other.tested
        self.scored += other.scored
        self.score_sum += other.score_sum
        self.score_squares += other.score_squares
        self.distance_count += other.distance_count
        self.distance_sum += other.distance_sum
        self.at_or_above += other.at_or_above
        for rank, n in other.levels.items():
            self.levels[rank] = self.levels.get(rank, 0) + n

    def summary(self, ranks: Sequence[int] = ()) -> Summary:
        mean = self.score_sum / self.scored if self.scored else None
        sd = None
        if self.scored >= 2 and mean is not None:
            # max(): rounding can leave a hair below zero when every score is equal.
            variance = max(0.0, (self.score_squares - self.scored * mean * mean) / (self.scored - 1))
            sd = math.sqrt(variance)
        levels = dict.fromkeys(ranks, 0) | self.levels
        return Summary(
            tested=self.tested,
            scored=self.scored,
            at_or_above=100 * self.at_or_above / self.tested if self.tested else None,
            levels=dict(sorted(levels.items())),
            mean=mean,
            sd=sd,
            distance_from_met=self.distance_sum / self.distance_count if self.distance_count else None,
        )
