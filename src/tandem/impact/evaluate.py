"""The impact question, answered from stored data: from the baseline year to the outcome year, did
the chosen schools gain more than their districts, their matched similar schools and the state;
and did their English learners grow faster than their fluent English speakers?

The chosen schools' figures come from their students' results (the result cells: every student
tested, with the scale-score spread), their comparisons' from the results the state publishes
(`PublicResult`, the same source for all three, all grades, all students). Gains are outcome minus
baseline; the impact estimate is the chosen schools' gain minus the comparison's (a difference in
differences), and its effect size is the outcome-year effect size minus the baseline one, as the
What Works Clearinghouse adjusts for baseline differences:

- mean scale score and distance from "standard met": Hedges' g, the difference over the chosen
  schools' student-level SD (the published files carry no SD), times the small-sample correction
  J = 1 − 3 / (4N − 9);
- % at or above standard: the Cox index, (logit p₁ − logit p₂) / 1.65, times the same correction.

Baseline equivalence is the baseline effect size judged by the Clearinghouse's thresholds: |g| ≤
0.05 satisfied; 0.05 < |g| ≤ 0.25 satisfied only with statistical adjustment (the difference in
differences above is one); above 0.25 not equivalent, and the comparison cannot support a claim.
"""

import math
import statistics
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import FloatField, Sum
from django.db.models.functions import Cast

from tandem.achievement.models import Assessment, CutTable, PublicResult, StudentGroup, StudentYear
from tandem.analytics.metrics import Totals
from tandem.analytics.models import ResultCell
from tandem.analytics.similar import peer_ids, similar_schools
from tandem.core import school_years
from tandem.growth.models import StudentGrowth
from tandem.orgs.models import School

ALL_STUDENTS, ENGLISH_LEARNERS, FLUENT = "1", "160", "6"
ALL_GRADES = "all"
EQUIVALENT, ADJUST = 0.05, 0.25


@dataclass
class Figures:
    """One group's results in one year: students tested, mean scale score, its SD (None for
    published figures), average distance from "standard met", % at or above standard."""

    n: int = 0
    mean: float | None = None
    sd: float | None = None
    distance: float | None = None
    at_or_above: float | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "n": self.n,
            "mean": self.mean,
            "sd": self.sd,
            "distance": self.distance,
            "at_or_above": self.at_or_above,
        }


METRICS = [
    ("at_or_above", "% at or above standard"),
    ("mean", "Mean scale score"),
    ("distance", "Average distance from standard met"),
]


def equivalence(effect: float | None) -> str:
    if effect is None:
        return "cannot be judged"
    size = abs(effect)
    if size <= EQUIVALENT:
        return "satisfied"
    if size <= ADJUST:
        return "satisfied only with statistical adjustment"
    return "not equivalent"


def correction(n: int) -> float:
    """Hedges' small-sample correction J for a comparison of N students in all."""
    return 1 - 3 / (4 * n - 9) if n > 3 else 1.0


def effect_size(metric: str, treated: Figures, other: Figures, sd: float | None) -> float | None:
    """Treated minus other, standardized: Hedges' g for scores, the Cox index for a percent."""
    a, b = getattr(treated, metric), getattr(other, metric)
    if a is None or b is None or not treated.n or not other.n:
        return None
    j = correction(treated.n + other.n)
    if metric == "at_or_above":
        p, q = a / 100, b / 100
        if not (0 < p < 1 and 0 < q < 1):
            return None
        return j * (math.log(p / (1 - p)) - math.log(q / (1 - q))) / 1.65
    if not sd:
        return None
    return j * (a - b) / sd


def evaluate(
    schools: list[School],
    assessment: Assessment,
    baseline: int,
    outcome: int,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """Everything the report shows, before suppression (which depends on who reads it)."""
    steps = ["the chosen schools", "their districts", "similar schools", "the state", "English learners", "growth"]

    def step(k: int) -> None:
        if progress:
            progress(k, len(steps), steps[k] if k < len(steps) else "done")

    ids = [s.pk for s in schools]
    cuts = CutTable(assessment)
    step(0)
    treated = {y: _cells(ids, assessment, y, ALL_STUDENTS) for y in (baseline, outcome)}
    step(1)
    district_ids = sorted({s.district_id for s in schools})
    districts = {y: _published(assessment, y, cuts, district_id__in=district_ids) for y in (baseline, outcome)}
    step(2)
    peers = _similar(schools, baseline)
    similar = {y: _published(assessment, y, cuts, school_id__in=peers) for y in (baseline, outcome)}
    step(3)
    states = sorted({s.district.state for s in schools if s.district.state})
    state = {y: _published(assessment, y, cuts, entity="state", state__in=states) for y in (baseline, outcome)}
    peers_note = (
        f"{len(peers)} schools of the same type, nearest in demographics in {school_years.label(baseline)},"
        " not among those chosen"
    )
    comparisons = {
        "district": ("Their districts", districts, f"{len(district_ids)} district(s), the chosen schools included"),
        "similar": ("Matched similar schools", similar, peers_note),
        "state": ("The state", state, ", ".join(states) or "no state"),
    }
    sd = treated[baseline].sd
    span = (baseline, outcome)
    rows = [
        _row(key, label, who, metric, metric_label, treated, figures, *span, sd)
        for key, (label, figures, who) in comparisons.items()
        for metric, metric_label in METRICS
    ]
    step(4)
    learners = {y: _cells(ids, assessment, y, ENGLISH_LEARNERS) for y in (baseline, outcome)}
    fluent = {y: _cells(ids, assessment, y, FLUENT) for y in (baseline, outcome)}
    learner_rows = []
    for metric, metric_label in METRICS:
        pooled_sd = _pooled_sd(learners[baseline], fluent[baseline])
        learner_rows.append(
            _row(
                "fluent",
                "Fluent English speakers",
                "in the same schools",
                metric,
                metric_label,
                learners,
                fluent,
                baseline,
                outcome,
                pooled_sd,
            )
        )
    step(5)
    growth = _growth(ids, assessment, outcome)
    step(len(steps))
    return {
        "schools": [{"id": s.pk, "name": s.name, "district": s.district.name} for s in schools],
        "baseline": baseline,
        "outcome": outcome,
        "treated": {str(y): f.as_dict() for y, f in treated.items()},
        "rows": rows,
        "learners": learner_rows,
        "growth": growth,
        "similar_count": len(peers),
    }


def _row(
    key: str,
    label: str,
    who: str,
    metric: str,
    metric_label: str,
    treated: dict[int, Figures],
    other: dict[int, Figures],
    baseline: int,
    outcome: int,
    sd: float | None,
) -> dict[str, Any]:
    t0, t1 = getattr(treated[baseline], metric), getattr(treated[outcome], metric)
    c0, c1 = getattr(other[baseline], metric), getattr(other[outcome], metric)
    t_gain = None if t0 is None or t1 is None else t1 - t0
    c_gain = None if c0 is None or c1 is None else c1 - c0
    before = effect_size(metric, treated[baseline], other[baseline], sd)
    after = effect_size(metric, treated[outcome], other[outcome], sd)
    return {
        "comparison": key,
        "comparison_label": label,
        "who": who,
        "metric": metric,
        "metric_label": metric_label,
        "n_treated": [treated[baseline].n, treated[outcome].n],
        "n_other": [other[baseline].n, other[outcome].n],
        "treated": [t0, t1],
        "other": [c0, c1],
        "treated_gain": t_gain,
        "other_gain": c_gain,
        "difference": None if t_gain is None or c_gain is None else t_gain - c_gain,
        "baseline_effect": before,
        "effect": None if before is None or after is None else after - before,
        "equivalence": equivalence(before),
    }


def _cells(school_ids: list[int], assessment: Assessment, year: int, group_code: str) -> Figures:
    found = ResultCell.objects.filter(
        school_id__in=school_ids,
        administration__assessment=assessment,
        administration__school_year=year,
        grade=ALL_GRADES,
        group__code=group_code,
    ).aggregate(
        tested=Sum("tested"),
        scored=Sum("scored"),
        score_sum=Sum("score_sum"),
        score_squares=Sum("score_squares"),
        distance_count=Sum("distance_count"),
        distance_sum=Sum("distance_sum"),
        at_or_above=Sum("at_or_above"),
    )
    totals = Totals(**{k: v or 0 for k, v in found.items()})
    summary = totals.summary()
    return Figures(totals.tested, summary.mean, summary.sd, summary.distance_from_met, summary.at_or_above)


def _published(assessment: Assessment, year: int, cuts: CutTable, **where: Any) -> Figures:
    """Published figures pooled over the entities `where` picks, weighted by students tested. An
    entity's all-grades row is used where it was published; otherwise its grades are pooled."""
    rows = (
        PublicResult.objects.filter(
            assessment=assessment, school_year=year, group__code=ALL_STUDENTS, students_tested__gt=0, **where
        )
        .annotate(mean=Cast("mean_scale_score", FloatField()), pct=Cast("pct_met_and_above", FloatField()))
        .values_list("entity", "entity_key", "grade", "students_tested", "mean", "pct")
    )
    by_entity: dict[tuple[str, str], dict[str, tuple[int, float | None, float | None]]] = {}
    for entity, key, grade, tested, mean, pct in rows:
        by_entity.setdefault((entity, key), {})[grade] = (tested, mean, pct)
    n, mean_sum, mean_n, pct_sum, pct_n, distance_sum, distance_n = 0, 0.0, 0, 0.0, 0, 0.0, 0
    for grades in by_entity.values():
        parts = [grades[ALL_GRADES]] if ALL_GRADES in grades else [v for g, v in grades.items() if g != ALL_GRADES]
        for tested, mean, pct in parts:
            n += tested
            if mean is not None:
                mean_sum, mean_n = mean_sum + tested * mean, mean_n + tested
            if pct is not None:
                pct_sum, pct_n = pct_sum + tested * pct, pct_n + tested
        # Distance from "standard met" is a grade's mean less that grade's cut, weighted by students.
        for grade, (tested, mean, _) in grades.items():
            cut = None if grade == ALL_GRADES or mean is None else cuts.met_cut(grade, year)
            if cut is not None:
                distance_sum, distance_n = distance_sum + tested * (mean - float(cut)), distance_n + tested
    return Figures(
        n,
        mean_sum / mean_n if mean_n else None,
        None,
        distance_sum / distance_n if distance_n else None,
        pct_sum / pct_n if pct_n else None,
    )


def _similar(schools: list[School], year: int) -> list[int]:
    """Every chosen school's similar schools, pooled, leaving out the chosen ones: matched on the
    baseline year's demographics, or the earliest published after it where there are none."""
    chosen = {s.pk for s in schools}
    found: set[int] = set()
    for school in schools:
        peers = similar_schools(school, year=year)
        if not peers.peers:
            later = school.demographics.filter(school_year__gt=year).order_by("school_year").first()
            peers = similar_schools(school, year=later.school_year) if later else peers
        found |= set(peer_ids(peers))
    return sorted(found - chosen)


def _pooled_sd(a: Figures, b: Figures) -> float | None:
    if a.sd is None or b.sd is None or a.n + b.n <= 2:
        return None
    return math.sqrt(((a.n - 1) * a.sd**2 + (b.n - 1) * b.sd**2) / (a.n + b.n - 2))


def _growth(school_ids: list[int], assessment: Assessment, year: int) -> dict[str, Any]:
    """Median and mean SGP of all students, English learners and fluent speakers, and Hedges' g
    of English learners' SGPs against fluent speakers'."""
    rows = StudentGrowth.objects.filter(
        school_id__in=school_ids,
        administration__assessment=assessment,
        administration__school_year=year,
        sgp__isnull=False,
    )
    sgps = dict(rows.values_list("student_id", "sgp"))
    if not sgps:
        return {}
    fluency = dict(
        StudentYear.objects.filter(student_id__in=list(sgps), school_year=year).values_list("student_id", "fluency")
    )
    rules = {g.code: g.rule for g in StudentGroup.objects.filter(code__in=[ENGLISH_LEARNERS, FLUENT])}
    learners = [v for s, v in sgps.items() if fluency.get(s) in rules.get(ENGLISH_LEARNERS, {}).get("fluency", [])]
    fluent = [v for s, v in sgps.items() if fluency.get(s) in rules.get(FLUENT, {}).get("fluency", [])]
    return {
        "all": _sgp_summary(sgps.values()),
        "learners": _sgp_summary(learners),
        "fluent": _sgp_summary(fluent),
        "effect": _hedges(learners, fluent),
    }


def _sgp_summary(values: Iterable[int]) -> dict[str, Any]:
    found = list(values)
    if not found:
        return {"n": 0, "median": None, "mean": None}
    return {"n": len(found), "median": float(statistics.median(found)), "mean": statistics.fmean(found)}


def _hedges(a: list[int], b: list[int]) -> float | None:
    if len(a) < 2 or len(b) < 2:
        return None
    pooled = math.sqrt(
        ((len(a) - 1) * statistics.variance(a) + (len(b) - 1) * statistics.variance(b)) / (len(a) + len(b) - 2)
    )
    if pooled == 0:
        return None
    return correction(len(a) + len(b)) * (statistics.fmean(a) - statistics.fmean(b)) / pooled
