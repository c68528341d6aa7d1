"""The data a cycle's problem statement rests on, read from the analytics snapshot of the place
the cycle works in, suppressed as for a reader without student-level access: the saved number
is shown to everyone who sees the cycle."""

from dataclasses import dataclass
from decimal import Decimal

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.dashboards import policy, snapshot
from tandem.analytics.goals import value_of
from tandem.analytics.models import Goal
from tandem.analytics.places import Place, partner_school_ids
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import schools_of


@dataclass(frozen=True)
class Reading:
    place_label: str
    school_year: int | None
    value: Decimal | None
    tested: int | None
    suppressed: bool


def place_of(cycle: Cycle) -> Place:
    schools = schools_of(cycle)
    if schools:
        return Place("goal", None, cycle.scope_label(), frozenset(schools), False)
    return Place("network", None, "All partner schools", frozenset(partner_school_ids()), False)


def read(
    cycle: Cycle, assessment: Assessment, metric: str, group: StudentGroup, grade: str, year: int | None
) -> Reading:
    """The metric for the group and grade in the school year (the latest with results when None)."""
    place = place_of(cycle)
    snap = snapshot(place, assessment, policy())
    if year is None:
        year = max(snap.years, default=None)
    if year is None:
        return Reading(place.label, None, None, None, False)
    # value_of reads a goal's measure: an unsaved goal names the same one.
    measure = Goal(metric=metric, grade=grade, group=group, assessment=assessment)
    value = value_of(measure, snap, year)
    cell = (year, grade, group.pk)
    totals = snap.totals.get(cell)
    hidden = cell in snap.hidden or (metric == Goal.Metric.AT_OR_ABOVE and snap.at_or_above_hidden(cell))
    return Reading(
        place_label=place.label,
        school_year=year,
        value=None if value is None else Decimal(f"{value:.2f}"),
        tested=None if totals is None or cell in snap.hidden else totals.tested,
        suppressed=bool(totals) and hidden,
    )
