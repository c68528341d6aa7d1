"""What a dashboard shows for a place: its tables and charts, built from one cached snapshot.

The page, its CSV/XLSX exports, the PDF report and the API all call `dashboard()`, so they show
the same suppressed numbers.
"""

from dataclasses import dataclass, field

from django.core.cache import cache

from tandem.achievement.models import Assessment
from tandem.analytics import caching, report_tables
from tandem.analytics.charts import Chart, bar_chart, levels_chart, trend_chart
from tandem.analytics.growth import growth_table
from tandem.analytics.models import ResultCell
from tandem.analytics.places import Place
from tandem.analytics.snapshot import ALL, Snapshot, build
from tandem.analytics.suppression import Policy
from tandem.analytics.tables import DataTable
from tandem.core import school_years
from tandem.orgs.models import Organization


def policy() -> Policy:
    return Policy.for_organization(Organization.objects.first())


def assessments_with_data(place: Place) -> list[Assessment]:
    if not place.school_ids:
        return []
    key = caching.cache_key("assessments", place)
    ids = cache.get(key)
    if ids is None:
        found = ResultCell.objects.filter(school_id__in=place.school_ids, grade=ALL)
        ids = sorted(set(found.values_list("administration__assessment_id", flat=True)))
        cache.set(key, ids, caching.SECONDS)
    return list(Assessment.objects.filter(pk__in=ids).order_by("subject", "name"))


def snapshot(place: Place, assessment: Assessment, rules: Policy) -> Snapshot:
    """The place's snapshot, cached until the cells are next rebuilt."""
    key = caching.cache_key(
        "snapshot", place, int(place.unsuppressed), assessment.pk, rules.groups_below, rules.counts_below
    )
    found = cache.get(key)
    if found is None:
        found = build(place, assessment, rules)
        cache.set(key, found, caching.SECONDS)
    return found


@dataclass
class Dashboard:
    place: Place
    assessment: Assessment | None
    assessments: list[Assessment]
    year: int | None
    grade: str
    snap: Snapshot | None = None
    tables: dict[str, DataTable] = field(default_factory=dict)
    charts: list[Chart] = field(default_factory=list)

    @property
    def years(self) -> list[int]:
        return self.snap.years if self.snap else []

    @property
    def grades(self) -> list[str]:
        return self.snap.grades if self.snap else []

    @property
    def year_label(self) -> str:
        return school_years.label(self.year) if self.year else ""


def dashboard(place: Place, assessment_code: str | None, year: int | None, grade: str | None) -> Dashboard:
    options = assessments_with_data(place)
    assessment = next((a for a in options if a.code == assessment_code), options[0] if options else None)
    board = Dashboard(place, assessment, options, None, ALL)
    if assessment is None:
        return board
    snap = board.snap = snapshot(place, assessment, policy())
    if not snap.years:
        return board
    board.year = year if year in snap.years else snap.years[-1]
    board.grade = grade if grade in snap.grades else ALL
    everyone = snap.all_students
    y, g = board.year, board.grade
    t = board.tables
    t["trend"] = report_tables.trend(snap, everyone, g)
    t["groups"] = report_tables.by_group(snap, y, g)
    t["levels"] = report_tables.levels(snap, y, g)
    t["grades"] = report_tables.by_grade(snap, y, everyone)
    growth = growth_table(place, assessment, y, g, policy())
    if growth is not None and growth.rows:
        t["growth"] = growth
    label = board.year_label
    board.charts = [
        Chart(
            "chart-trend",
            f"% at or above standard by year, all students, {_grade(g)}",
            trend_chart(t["trend"], "year", "at_or_above", None, "% at or above standard by year", y_title="%"),
            t["trend"],
        ),
        Chart(
            "chart-groups",
            f"% at or above standard by student group, {label}, {_grade(g)}",
            bar_chart(t["groups"], "group", "at_or_above", f"% at or above standard by student group, {label}"),
            t["groups"],
        ),
        Chart(
            "chart-levels",
            f"Performance levels by student group, {label}, {_grade(g)}",
            levels_chart(
                t["levels"],
                "group",
                f"Performance levels by student group, {label}",
                [(f"level_{r}", snap.level_labels[r]) for r in snap.ranks],
            ),
            t["levels"],
        ),
        Chart(
            "chart-grades",
            f"% at or above standard by grade, all students, {label}",
            bar_chart(t["grades"], "grade", "at_or_above", f"% at or above standard by grade, {label}"),
            t["grades"],
        ),
    ]
    if "growth" in t:
        board.charts.append(
            Chart(
                "chart-growth",
                f"Median student growth percentile by student group, {label}, {_grade(g)}",
                bar_chart(t["growth"], "group", "median", f"Median SGP by student group, {label}", percent=False),
                t["growth"],
            )
        )
    return board


def _grade(grade: str) -> str:
    return "all grades" if grade == ALL else f"grade {grade}"
