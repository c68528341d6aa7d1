"""A practice's evidence from its cycles of inquiry: for each cycle that led to the practice, each of
its goals' outcomes from the goal's baseline year to its latest results, with the number of
students and an effect size.

The numbers come from the analytics snapshot through the suppression engine, the same for every
reader (network members and principals of other schools included): a group too small to show is
"hidden", never a number. A reader who may not open the cycle sees what it was (its level, place and
dates), not its title or page.
"""

import math
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType

from tandem.access.scope import Scope
from tandem.analytics.dashboards import policy, snapshot
from tandem.analytics.goals import place_of, value_of
from tandem.analytics.models import Goal
from tandem.analytics.snapshot import Snapshot
from tandem.core import school_years
from tandem.impact.evaluate import Figures, effect_size
from tandem.inquiry.models import Cycle, CycleLink
from tandem.inquiry.visibility import visible_cycles
from tandem.practices.models import Practice

# Goals measured in points of a gap have no effect size of their own.
EFFECT_METRICS = {Goal.Metric.AT_OR_ABOVE: "at_or_above", Goal.Metric.MEAN: "mean", Goal.Metric.DISTANCE: "distance"}


@dataclass
class Outcome:
    goal: Goal
    start_year: int
    start: float | None  # None: hidden (too few students) or no results
    start_n: int | None
    end_year: int | None
    end: float | None
    end_n: int | None
    effect: float | None  # Hedges' g on scores, the Cox index on a percent (as in the impact report)
    note: str

    @property
    def years(self) -> str:
        end = school_years.label(self.end_year) if self.end_year else "—"
        return f"{school_years.label(self.start_year)} → {end}"


@dataclass
class CycleEvidence:
    cycle: Cycle
    opens: bool  # whether the reader may open the cycle's page
    outcomes: list[Outcome]

    @property
    def described(self) -> str:
        c = self.cycle
        return f"{c.get_level_display()} cycle at {c.scope_label()}, {c.starts_on:%b %Y}–{c.ends_on:%b %Y}"


def cycles_behind(practice: Practice) -> list[Cycle]:
    links = CycleLink.objects.filter(
        content_type=ContentType.objects.get_for_model(Practice),
        object_id=practice.pk,
        relation=CycleLink.Relation.LED_TO,
    )
    found = Cycle.objects.filter(pk__in=links.values("cycle")).prefetch_related("goals__assessment", "goals__group")
    return list(found.select_related("school", "district", "partnership", "team", "region").order_by("starts_on"))


def from_cycles(scope: Scope, practice: Practice) -> list[CycleEvidence]:
    cycles = cycles_behind(practice)
    opens = set(visible_cycles(scope).filter(pk__in=[c.pk for c in cycles]).values_list("pk", flat=True))
    return [CycleEvidence(c, c.pk in opens, [outcome(g) for g in c.goals.all()]) for c in cycles]


def outcome(goal: Goal) -> Outcome:
    snap = snapshot(place_of(goal), goal.assessment, policy())
    later = [y for y in snap.years if y > goal.baseline_year]
    end_year = max(later) if later else None
    start, start_n = _value(goal, snap, goal.baseline_year)
    end, end_n = _value(goal, snap, end_year) if end_year else (None, None)
    effect = _effect(goal, snap, end_year) if end_year else None
    if end_year is None:
        note = "No results after the baseline year yet."
    elif start is None or end is None:
        note = "Hidden: too few students to show."
    elif effect is None:
        note = "No effect size for this measure." if goal.metric == Goal.Metric.GAP else ""
    else:
        note = ""
    return Outcome(goal, goal.baseline_year, start, start_n, end_year, end, end_n, effect, note)


def _value(goal: Goal, snap: Snapshot, year: int) -> tuple[float | None, int | None]:
    cell = (year, goal.grade, goal.group_id)
    value = value_of(goal, snap, year)
    return value, (snap.tested(cell) if value is not None else None)


def _effect(goal: Goal, snap: Snapshot, end_year: int) -> float | None:
    metric = EFFECT_METRICS.get(goal.metric)  # type: ignore[call-overload]
    before = snap.summary((goal.baseline_year, goal.grade, goal.group_id))
    after = snap.summary((end_year, goal.grade, goal.group_id))
    if metric is None or before is None or after is None:
        return None
    if metric == "at_or_above" and (
        snap.at_or_above_hidden((goal.baseline_year, goal.grade, goal.group_id))
        or snap.at_or_above_hidden((end_year, goal.grade, goal.group_id))
    ):
        return None
    sd = _pooled_sd(before.scored, before.sd, after.scored, after.sd)
    a = Figures(n=after.tested, mean=after.mean, distance=after.distance_from_met, at_or_above=after.at_or_above)
    b = Figures(n=before.tested, mean=before.mean, distance=before.distance_from_met, at_or_above=before.at_or_above)
    return effect_size(metric, a, b, sd)


def _pooled_sd(n1: int, s1: float | None, n2: int, s2: float | None) -> float | None:
    if s1 is None or s2 is None or n1 + n2 <= 2:
        return None
    return math.sqrt(((n1 - 1) * s1**2 + (n2 - 1) * s2**2) / (n1 + n2 - 2))
