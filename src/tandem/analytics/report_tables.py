"""The tables of the dashboards and the gap explorer, cut from one suppressed `Snapshot`.

Each builder returns a `DataTable`; a value hidden by suppression is in `hidden` (pages print
"*"), a value that does not exist (no prior year) is None.
"""

from typing import Any

from tandem.achievement.models import StudentGroup
from tandem.analytics.metrics import change, gap_points, hedges_g
from tandem.analytics.snapshot import ALL, Cell, Snapshot
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years

METRIC_COLUMNS = [
    Column("tested", "Students tested", "count"),
    Column("at_or_above", "% at or above standard", "percent"),
    Column("change", "Change from prior year (pts)", "points"),
    Column("mean", "Mean scale score", "score"),
    Column("sd", "SD", "score"),
    Column("distance", "Average distance from Standard Met", "points"),
]
# The values a suppressed group hides (its name and category stay visible).
METRIC_KEYS = [c.key for c in METRIC_COLUMNS]


def _metrics(snap: Snapshot, cell: Cell, prior: Cell | None) -> tuple[dict[str, Any], set[str]]:
    """One row's metrics and the keys to hide in it."""
    t = snap.totals.get(cell)
    if t is None:
        return dict.fromkeys(METRIC_KEYS), set()
    if snap.is_hidden(cell):
        return {"tested": t.tested, **dict.fromkeys(METRIC_KEYS[1:])}, set(METRIC_KEYS)
    s = snap.summary(cell)
    assert s is not None
    row: dict[str, Any] = {
        "tested": s.tested,
        "at_or_above": s.at_or_above,
        "mean": s.mean,
        "sd": s.sd,
        "distance": s.distance_from_met,
        "change": None,
    }
    hidden: set[str] = set()
    if snap.at_or_above_hidden(cell):
        hidden |= {"at_or_above", "change"}
    if prior is not None and prior in snap.totals:
        before = snap.summary(prior)
        prior_n = snap.tested(prior)
        if before is not None and not snap.at_or_above_hidden(prior):
            row["change"] = change(s.at_or_above, before.at_or_above)
        elif prior_n:
            hidden.add("change")
        if not snap.place.unsuppressed and snap.policy.change_hidden(s.tested, prior_n):
            hidden.add("change")
    return row, hidden


def _table(title: str, first: list[Column], rows: list[tuple[dict[str, Any], set[str]]], note: str) -> DataTable:
    table = DataTable(title, [*first, *METRIC_COLUMNS], note=note)
    for i, (row, hidden) in enumerate(rows):
        table.rows.append(row)
        table.hidden |= {(i, k) for k in hidden}
    return table


def _note(snap: Snapshot) -> str:
    if snap.place.unsuppressed:
        return "Shown unsuppressed: you have student-level access to every school here."
    return (
        f"* Hidden: groups of fewer than {snap.policy.groups_below} students, counts under "
        f"{snap.policy.counts_below}, and any value that would let a hidden one be worked out."
    )


def trend(snap: Snapshot, group: StudentGroup, grade: str = ALL) -> DataTable:
    rows = []
    for year in snap.years:
        cell = (year, grade, group.pk)
        if cell not in snap.totals:
            continue
        metrics, hidden = _metrics(snap, cell, (year - 1, grade, group.pk))
        rows.append(({"year": school_years.label(year), **metrics}, hidden))
    title = f"{snap.assessment.name}: {group.label}, {_grade_label(grade)}, by year"
    return _table(title, [Column("year", "School year", "year")], rows, _note(snap))


def by_group(snap: Snapshot, year: int, grade: str = ALL) -> DataTable:
    rows = []
    for g in snap.groups_with_data(year, grade):
        metrics, hidden = _metrics(snap, (year, grade, g.pk), (year - 1, grade, g.pk))
        rows.append(({"group": g.label, "category": g.category, **metrics}, hidden))
    title = f"{snap.assessment.name}, {school_years.label(year)}: {_grade_label(grade)}, by student group"
    first = [Column("group", "Student group"), Column("category", "Category")]
    return _table(title, first, rows, _note(snap))


def by_grade(snap: Snapshot, year: int, group: StudentGroup) -> DataTable:
    rows = []
    for grade in [*snap.grades, ALL]:
        cell = (year, grade, group.pk)
        if cell not in snap.totals:
            continue
        metrics, hidden = _metrics(snap, cell, (year - 1, grade, group.pk))
        cohort = snap.cohort(cell) if grade != ALL else None
        extra = {
            "cohort_matched": cohort.matched if cohort else None,
            "cohort_change": cohort.at_or_above if cohort else None,
            "cohort_distance": cohort.distance_from_met if cohort else None,
        }
        if snap.is_hidden(cell) or "at_or_above" in hidden:
            hidden = hidden | {"cohort_change"}
        rows.append(({"grade": _grade_label(grade), **metrics, **extra}, hidden))
    title = f"{snap.assessment.name}, {school_years.label(year)}: {group.label}, by grade"
    table = _table(title, [Column("grade", "Grade")], rows, _note(snap))
    table.columns += [
        Column("cohort_matched", "Same students a year earlier", "count"),
        Column("cohort_change", "Cohort change (pts)", "points"),
        Column("cohort_distance", "Cohort change in distance from Met", "points"),
    ]
    return table


def levels(snap: Snapshot, year: int, grade: str = ALL) -> DataTable:
    """Percent of each group's tested students at each performance level."""
    columns = [Column("group", "Student group"), Column("tested", "Students tested", "count")]
    columns += [Column(f"level_{r}", f"% {snap.level_labels[r]}", "percent") for r in snap.ranks]
    table = DataTable(
        f"{snap.assessment.name}, {school_years.label(year)}: performance levels by group, {_grade_label(grade)}",
        columns,
        note=_note(snap),
    )
    for g in snap.groups_with_data(year, grade):
        cell = (year, grade, g.pk)
        s = snap.summary(cell)
        i = len(table.rows)
        row: dict[str, Any] = {"group": g.label, "tested": snap.tested(cell)}
        for r in snap.ranks:
            row[f"level_{r}"] = s.percent_at(r) if s else None
        table.rows.append(row)
        if s is None:
            table.hidden |= {(i, f"level_{r}") for r in snap.ranks}
        else:
            table.hidden |= {(i, f"level_{r}") for r in snap.level_hidden(cell)}
    return table


def gap(snap: Snapshot, a: StudentGroup, b: StudentGroup, grade: str = ALL) -> DataTable:
    """Group a against group b, year by year: points, Hedges' g and the change in the gap."""
    columns = [
        Column("year", "School year", "year"),
        Column("a_tested", f"{a.label}: tested", "count"),
        Column("a", f"{a.label}: % at or above", "percent"),
        Column("b_tested", f"{b.label}: tested", "count"),
        Column("b", f"{b.label}: % at or above", "percent"),
        Column("gap", "Gap (pts)", "points"),
        Column("g", "Effect size (Hedges' g)", "effect"),
        Column("gap_change", "Gap change from prior year (pts)", "points"),
    ]
    title = f"{snap.assessment.name}: {a.label} vs {b.label}, {_grade_label(grade)}"
    table = DataTable(title, columns, note=_note(snap))
    previous: float | None = None
    for year in snap.years:
        ca, cb = (year, grade, a.pk), (year, grade, b.pk)
        if ca not in snap.totals and cb not in snap.totals:
            continue
        sa, sb = snap.summary(ca), snap.summary(cb)
        hide_a = sa is None or snap.at_or_above_hidden(ca)
        hide_b = sb is None or snap.at_or_above_hidden(cb)
        points = None if hide_a or hide_b else gap_points(sa, sb)  # type: ignore[arg-type]
        i = len(table.rows)
        table.rows.append(
            {
                "year": school_years.label(year),
                "a_tested": snap.tested(ca),
                "a": sa.at_or_above if sa else None,
                "b_tested": snap.tested(cb),
                "b": sb.at_or_above if sb else None,
                "gap": points,
                "g": hedges_g(sa, sb) if sa and sb else None,
                "gap_change": change(points, previous),
            }
        )
        hidden = {k for k, h, c in (("a", hide_a, ca), ("b", hide_b, cb)) if h and snap.tested(c)}
        if hidden:
            hidden |= {"gap", "g", "gap_change"}
        table.hidden |= {(i, k) for k in hidden}
        previous = points
    return table


def _grade_label(grade: str) -> str:
    return "all grades" if grade == ALL else f"grade {grade}"
