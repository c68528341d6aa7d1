"""Growth on the dashboards: students' growth percentiles (SGPs, from `tandem.growth`) summed up by
student group for a place and year: how many students have one, the median and mean SGP, and the
share at each growth level (cuts configurable per organization, 20/40/60/80 by default).

Suppressed by the same engine as achievement: a group with fewer students with an SGP than the
organization's threshold shows nothing, and complementary suppression keeps it from being worked
out from all students and the other groups; a growth level of fewer than the count threshold
is hidden, and another with it, so that it cannot be worked out from the group's total.
"""

import statistics
from collections.abc import Sequence

from django.core.cache import cache

from tandem.achievement.groups import CHOICES, FLAGS, matches, supported
from tandem.achievement.models import Assessment, StudentGroup, StudentYear
from tandem.analytics import caching
from tandem.analytics.places import Place
from tandem.analytics.relations import relate_groups
from tandem.analytics.snapshot import ALL
from tandem.analytics.suppression import Policy, Table, protect
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.growth.models import GrowthRun, StudentGrowth
from tandem.orgs.models import Organization

LEVEL_NAMES = ("Very low", "Low", "Typical", "High", "Very high")
DEFAULT_CUTS = (20, 40, 60, 80)


def level_cuts() -> tuple[int, ...]:
    organization = Organization.objects.first()
    return tuple(organization.growth_level_cuts) if organization else DEFAULT_CUTS


def level_of(sgp: int, cuts: Sequence[int]) -> int:
    """0 for the lowest level: an SGP below the first cut."""
    return sum(1 for c in cuts if sgp >= c)


def level_labels(cuts: Sequence[int]) -> list[str]:
    bounds = [1, *cuts, 100]
    return [f"{LEVEL_NAMES[i]} ({bounds[i]}–{bounds[i + 1] - 1})" for i in range(len(cuts) + 1)]


def latest_run(assessment: Assessment, year: int) -> GrowthRun | None:
    return (
        GrowthRun.objects.filter(assessment=assessment, school_year=year, status=GrowthRun.Status.SUCCEEDED)
        .order_by("-finished_at", "-pk")
        .first()
    )


def growth_table(place: Place, assessment: Assessment, year: int, grade: str, policy: Policy) -> DataTable | None:
    """SGPs by student group, or None where no SGPs have been computed for the year."""
    run = latest_run(assessment, year)
    if run is None or not place.school_ids:
        return None
    cuts = level_cuts()
    cut_text = "-".join(map(str, cuts))
    rules = (policy.groups_below, policy.counts_below)
    key = caching.cache_key(
        "growth", place, int(place.unsuppressed), assessment.pk, year, grade, run.pk, cut_text, *rules
    )
    found = cache.get(key)
    if found is None:
        found = _build(place, assessment, year, grade, policy, cuts)
        cache.set(key, found, caching.SECONDS)
    return found


def _build(
    place: Place, assessment: Assessment, year: int, grade: str, policy: Policy, cuts: Sequence[int]
) -> DataTable:
    rows = StudentGrowth.objects.filter(
        school_id__in=place.school_ids,
        administration__assessment=assessment,
        administration__school_year=year,
        sgp__isnull=False,
    )
    if grade != ALL:
        rows = rows.filter(grade=grade)
    sgps = dict(rows.values_list("student_id", "sgp"))
    fields = ["student_id", *CHOICES, "months_in_us_schools", *FLAGS]
    profiles = {
        row["student_id"]: row
        for row in StudentYear.objects.filter(student_id__in=list(sgps), school_year=year).values(*fields)
    }
    groups = [g for g in StudentGroup.objects.order_by("category", "label") if supported(g.rule)]
    by_group: dict[int, list[int]] = {}
    for g in groups:
        if g.rule:
            members = [sgp for sid, sgp in sgps.items() if sid in profiles and matches(g.rule, profiles[sid])]
        else:
            members = list(sgps.values())
        if members:
            by_group[g.pk] = members
    labels = level_labels(cuts)
    columns = [
        Column("group", "Student group"),
        Column("students", "Students with an SGP", "count"),
        Column("median", "Median SGP", "score"),
        Column("mean", "Mean SGP", "score"),
        *(Column(f"level_{i}", f"% {label}", "percent") for i, label in enumerate(labels)),
    ]
    where = "all grades" if grade == ALL else f"grade {grade}"
    table = DataTable(
        f"Growth (student growth percentiles) by student group, {school_years.label(year)}, {where}",
        columns,
        note="An SGP of 50 is typical growth: half of students with the same earlier scores scored lower."
        + ("" if place.unsuppressed else f" * Hidden: fewer than {policy.groups_below} students with an SGP."),
    )
    hidden_groups = set() if place.unsuppressed else _hidden_groups(groups, by_group, policy)
    for g in groups:
        values = by_group.get(g.pk)
        if not values:
            continue
        i = len(table.rows)
        counts = [0] * (len(cuts) + 1)
        for v in values:
            counts[level_of(v, cuts)] += 1
        table.rows.append(
            {
                "group": g.label,
                "students": len(values),
                "median": float(statistics.median(values)),
                "mean": statistics.fmean(values),
                **{f"level_{k}": 100 * n / len(values) for k, n in enumerate(counts)},
            }
        )
        if g.pk in hidden_groups:
            table.hidden |= {(i, c.key) for c in columns if c.key != "group"}
        elif not place.unsuppressed:
            table.hidden |= {(i, f"level_{k}") for k in _hidden_levels(counts, policy)}
    return table


def _hidden_groups(groups: list[StudentGroup], by_group: dict[int, list[int]], policy: Policy) -> set[int]:
    counts = {pk: len(values) for pk, values in by_group.items()}
    table = Table(dict(counts))
    relate_groups(table, {g.pk: g.rule for g in groups if g.pk in counts}, lambda pk: pk, counts)
    return {k for k in protect(table, policy)}  # type: ignore[misc]


def _hidden_levels(counts: list[int], policy: Policy) -> set[int]:
    table = Table({("level", k): n for k, n in enumerate(counts)} | {"all": sum(counts)})
    table.count_cells = {("level", k) for k in range(len(counts))}
    table.relate("all", [("level", k) for k in range(len(counts))])
    return {k[1] for k in protect(table, policy) if isinstance(k, tuple)}
