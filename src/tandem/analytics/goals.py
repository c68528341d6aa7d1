"""Where a goal stands, computed from the data: met, on track, off track or not enough data.

A goal is judged on the numbers everyone may see (suppressed), so its status never tells anyone
more about a small group than the dashboards do.
"""

from dataclasses import dataclass
from decimal import Decimal

from tandem.analytics.dashboards import policy, snapshot
from tandem.analytics.metrics import Summary, gap_points
from tandem.analytics.models import Goal, expected
from tandem.analytics.places import Place, partner_school_ids
from tandem.analytics.snapshot import Snapshot
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years

MET, ON_TRACK, OFF_TRACK, NO_DATA = "met", "on track", "off track", "not enough data"


@dataclass
class Progress:
    goal: Goal
    values: dict[int, float | None]  # by school year, from the baseline year on
    status: str
    latest_year: int | None
    latest: float | None
    explanation: str

    def table(self) -> DataTable:
        unit = "points" if self.goal.metric in ("gap", "distance") else "score"
        if self.goal.metric == "at_or_above":
            unit = "percent"
        columns = [
            Column("year", "School year", "year"),
            Column("actual", "Actual", unit),  # type: ignore[arg-type]
            Column("target", "Target", unit),  # type: ignore[arg-type]
        ]
        table = DataTable(f"{self.goal.title}: progress", columns)
        for year in range(self.goal.baseline_year, max(self.goal.target_year, max(self.values, default=0)) + 1):
            target = float(self.goal.baseline_value) if year == self.goal.baseline_year else expected(self.goal, year)
            table.rows.append(
                {
                    "year": school_years.label(year),
                    "actual": self.values.get(year),
                    "target": None if target is None else float(target),
                }
            )
        return table


def place_of(goal: Goal) -> Place:
    if goal.school_id:
        ids = frozenset([goal.school_id])
    elif goal.district_id:
        ids = frozenset(goal.district.schools.values_list("pk", flat=True))  # type: ignore[union-attr]
    elif goal.partnership_id:
        ids = frozenset(goal.partnership.memberships.values_list("school_id", flat=True))  # type: ignore[union-attr]
    else:
        ids = frozenset(partner_school_ids())
    return Place("goal", goal.pk, goal.scope_label(), ids, False)


def value_of(goal: Goal, snap: Snapshot, year: int) -> float | None:
    """The goal's metric in one year; None when there are no results or they are suppressed."""
    cell = (year, goal.grade, goal.group_id)
    s = snap.summary(cell)
    if goal.metric == goal.Metric.GAP:
        other = snap.summary((year, goal.grade, goal.comparison_group_id)) if goal.comparison_group_id else None
        if s is None or other is None or snap.at_or_above_hidden(cell):
            return None
        return gap_points(s, other)
    if s is None:
        return None
    return _metric(goal, s, hidden=snap.at_or_above_hidden(cell))


def _metric(goal: Goal, s: Summary, *, hidden: bool) -> float | None:
    if goal.metric == goal.Metric.AT_OR_ABOVE:
        return None if hidden else s.at_or_above
    if goal.metric == goal.Metric.MEAN:
        return s.mean
    return s.distance_from_met


def progress(goal: Goal) -> Progress:
    snap = snapshot(place_of(goal), goal.assessment, policy())
    values = {y: value_of(goal, snap, y) for y in snap.years if y >= goal.baseline_year}
    later = [y for y, v in values.items() if y > goal.baseline_year and v is not None]
    if not later:
        return Progress(goal, values, NO_DATA, None, None, "No results after the baseline year yet.")
    year = max(later)
    value = values[year]
    assert value is not None
    target = float(goal.target_value)
    reached = value >= target if goal.increasing else value <= target
    if reached:
        return Progress(goal, values, MET, year, value, f"{_fmt(value)} in {school_years.label(year)}: target met.")
    if year >= goal.target_year:
        return Progress(
            goal, values, OFF_TRACK, year, value, f"{_fmt(value)} in {school_years.label(year)}: target date passed."
        )
    due = expected(goal, year)
    if due is None:
        return Progress(goal, values, NO_DATA, year, value, "No interim target for this year.")
    ahead = value >= float(due) if goal.increasing else value <= float(due)
    status = ON_TRACK if ahead else OFF_TRACK
    return Progress(
        goal,
        values,
        status,
        year,
        value,
        f"{_fmt(value)} in {school_years.label(year)} against {_fmt(float(due))} expected by then.",
    )


def _fmt(value: float | Decimal) -> str:
    return f"{float(value):.1f}"
