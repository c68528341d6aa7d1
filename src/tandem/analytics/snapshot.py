"""Everything one place's dashboards show for one assessment, read from the stored cells in one
query and suppressed once: every table, chart, export and API response of the place is cut from
the same `Snapshot`, so a number hidden in one can never be worked out from another.
"""

from collections.abc import Hashable
from dataclasses import dataclass, field

from django.db.models import Sum

from tandem.achievement.groups import supported
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.cells import SUMS
from tandem.analytics.metrics import Summary, Totals
from tandem.analytics.models import LEVELS, ResultCell
from tandem.analytics.places import Place
from tandem.analytics.relations import relate_groups
from tandem.analytics.suppression import Policy, Table, protect
from tandem.orgs.models import GRADE_ORDER

ALL = "all"
ALL_STUDENTS = "1"  # the code of the all-students group
Cell = tuple[int, str, int]  # school year, grade ("all" for every grade), group id


@dataclass(frozen=True)
class Cohort:
    matched: int
    at_or_above: float | None  # percentage-point change among the matched students
    distance_from_met: float | None


@dataclass
class Snapshot:
    place: Place
    assessment: Assessment
    policy: Policy
    totals: dict[Cell, Totals]
    groups: list[StudentGroup]
    ranks: list[int]
    level_labels: dict[int, str]
    meeting: set[int]
    hidden: set[Cell] = field(default_factory=set)
    cohorts: dict[Cell, tuple[int, int, int, int, float, float]] = field(default_factory=dict)

    @property
    def years(self) -> list[int]:
        return sorted({y for y, _, _ in self.totals})

    @property
    def grades(self) -> list[str]:
        return sorted({g for _, g, _ in self.totals if g != ALL}, key=lambda g: GRADE_ORDER.get(g, 99))

    @property
    def all_students(self) -> StudentGroup:
        return next(g for g in self.groups if g.code == ALL_STUDENTS)

    def groups_with_data(self, year: int, grade: str = ALL) -> list[StudentGroup]:
        return [g for g in self.groups if (year, grade, g.pk) in self.totals]

    def tested(self, cell: Cell) -> int | None:
        t = self.totals.get(cell)
        return None if t is None else t.tested

    def is_hidden(self, cell: Cell) -> bool:
        return cell in self.hidden

    def summary(self, cell: Cell) -> Summary | None:
        """The cell's metrics; None when it has no results or is suppressed."""
        t = self.totals.get(cell)
        if t is None or cell in self.hidden:
            return None
        return t.summary(self.ranks)

    def level_hidden(self, cell: Cell) -> set[int]:
        """Levels of a shown cell whose count of students is too small to show, plus as many
        others as it takes so that none can be worked out from the cell's total."""
        t = self.totals.get(cell)
        if t is None or self.place.unsuppressed:
            return set()
        table = Table({**{r: t.levels.get(r, 0) for r in self.ranks}, "tested": t.tested}, count_cells=set(self.ranks))
        if sum(t.levels.values()) == t.tested:
            table.relate("tested", self.ranks)
        return {k for k in protect(table, self.policy) if k != "tested"}

    def at_or_above_hidden(self, cell: Cell) -> bool:
        """Whether % at or above standard would show fewer students than the count threshold."""
        t = self.totals.get(cell)
        if t is None or self.place.unsuppressed:
            return False
        below = t.tested - t.at_or_above
        return self.policy.too_small(t.at_or_above, group=False) or self.policy.too_small(below, group=False)

    def cohort(self, cell: Cell) -> Cohort | None:
        c = self.cohorts.get(cell)
        if c is None or cell in self.hidden:
            return None
        matched, before, now, n_distance, distance_before, distance_now = c
        if not matched or (not self.place.unsuppressed and self.policy.too_small(matched)):
            return None
        return Cohort(
            matched=matched,
            at_or_above=100 * (now - before) / matched,
            distance_from_met=(distance_now - distance_before) / n_distance if n_distance else None,
        )


def build(place: Place, assessment: Assessment, policy: Policy) -> Snapshot:
    groups = [g for g in StudentGroup.objects.all() if supported(g.rule)]
    levels = list(assessment.levels.order_by("rank"))
    snap = Snapshot(
        place=place,
        assessment=assessment,
        policy=policy,
        totals={},
        groups=groups,
        ranks=[lvl.rank for lvl in levels],
        level_labels={lvl.rank: lvl.label for lvl in levels},
        meeting={lvl.rank for lvl in levels if lvl.meets_standard},
    )
    if not place.school_ids:
        return snap
    rows = (
        ResultCell.objects.filter(school_id__in=place.school_ids, administration__assessment=assessment)
        .values("administration__school_year", "grade", "group_id")
        .annotate(**{f"s_{c}": Sum(c) for c in SUMS})
        .order_by()
    )
    for row in rows:
        cell = (row["administration__school_year"], row["grade"], row["group_id"])
        snap.totals[cell] = Totals(
            tested=row["s_tested"],
            scored=row["s_scored"],
            score_sum=row["s_score_sum"],
            score_squares=row["s_score_squares"],
            distance_count=row["s_distance_count"],
            distance_sum=row["s_distance_sum"],
            at_or_above=row["s_at_or_above"],
            levels={n: row[f"s_level_{n}"] for n in LEVELS if row[f"s_level_{n}"]},
        )
        snap.cohorts[cell] = (
            row["s_matched"],
            row["s_matched_at_or_above_before"],
            row["s_matched_at_or_above_now"],
            row["s_matched_distance_count"],
            row["s_matched_distance_before"],
            row["s_matched_distance_now"],
        )
    if not place.unsuppressed:
        for year in snap.years:
            snap.hidden |= _suppress_year(snap, year)
    return snap


def _suppress_year(snap: Snapshot, year: int) -> set[Cell]:
    """One suppression table for a year: every group at every grade and all grades together,
    related across groups (within each grade) and across grades (within each group)."""
    counts: dict[Hashable, int] = {(g, grade): t.tested for (y, grade, g), t in snap.totals.items() if y == year}
    table = Table(dict(counts))
    rules = {g.pk: g.rule for g in snap.groups}
    for grade in [ALL, *snap.grades]:
        at_grade = {g: n for (g, gr), n in counts.items() if gr == grade}
        relate_groups(table, rules, lambda g, grade=grade: (g, grade), at_grade)
    for g in rules:
        table.relate((g, ALL), [(g, grade) for grade in snap.grades])
    return {(year, grade, g) for g, grade in protect(table, snap.policy)}  # type: ignore[misc]
