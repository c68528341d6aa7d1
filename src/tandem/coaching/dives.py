"""The coaching data dives: each returns a `Dive`, a chart and the table it is drawn from.

Every function takes `relationships`, the relationships the caller may see (already scoped, e.g.
by `visibility.visible_relationships`), and narrows them with the optional filters `school_ids` and
`region_id`. Sessions, ratings and costs are always read through `relationship__in=relationships`,
never by walking from a relationship, so nothing outside the queryset can count, and each dive runs
a handful of queries whatever the amount of data: grouping, counting and "latest rating" all
happen in the database.

Coaching data is about staff, not students: no small-n suppression applies (tables have no hidden
cells). Private notes are never read here.
"""

import datetime
from collections.abc import Collection
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

from django.db.models import Count, Exists, F, Max, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import ExtractQuarter, ExtractYear

from tandem.analytics.charts import Chart, Spec, bar_chart, levels_chart, trend_chart
from tandem.analytics.tables import Column, DataTable
from tandem.coaching import costs
from tandem.coaching.models import Competency, Framework, Rating, Relationship, Session
from tandem.core import school_years

# "At or above the third level": Proficient in the shipped frameworks (Beginning, Developing, Proficient, Leading).
PROFICIENT_LEVEL = 3
NO_SCHOOL = costs.NO_SCHOOL


@dataclass(frozen=True)
class Dive:
    """What a dive page shows: `chart` is drawn from `table` (chart.table is table); `more` are
    further tables shown below it. `chart` is None where a table says it all (coverage)."""

    title: str
    table: DataTable
    chart: Chart | None = None
    more: tuple[DataTable, ...] = ()


def narrow(
    relationships: QuerySet[Relationship],
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> QuerySet[Relationship]:
    """The relationships within the filters: a filter left None does not narrow."""
    if school_ids is not None:
        relationships = relationships.filter(school_id__in=school_ids)
    if region_id is not None:
        relationships = relationships.filter(school__district__region_id=region_id)
    return relationships


def _in_year(field: str, school_year: int | None) -> Q:
    if school_year is None:
        return Q()
    return Q(**{f"{field}__range": school_years.span(school_year)})


def _year_words(school_year: int | None) -> str:
    return school_years.label(school_year) if school_year else "all years"


# --- Competencies -----------------------------------------------------------------------------


def _coach_ratings(
    relationships: QuerySet[Relationship], framework: Framework, school_year: int | None
) -> QuerySet[Rating]:
    """Coach ratings (never self ratings) against any version of the framework."""
    return Rating.objects.filter(
        _in_year("rated_on", school_year),
        relationship__in=relationships,
        source=Rating.Source.COACH,
        competency__domain__version__framework=framework,
    )


def _same_coachee_and_code() -> Q:
    # A coachee is a person or a team; one person coached in two relationships is still one coachee.
    # NULL never equals NULL, so a person's ratings never match a team's.
    return (
        Q(relationship__coachee_id=OuterRef("relationship__coachee_id"))
        | Q(relationship__team_id=OuterRef("relationship__team_id"))
    ) & Q(competency__code=OuterRef("competency__code"))


def _latest(ratings: QuerySet[Rating]) -> QuerySet[Rating]:
    """Each coachee's latest rating per competency code: no later one exists (same day: the later entry wins)."""
    later = ratings.filter(_same_coachee_and_code()).filter(
        Q(rated_on__gt=OuterRef("rated_on")) | Q(rated_on=OuterRef("rated_on"), pk__gt=OuterRef("pk"))
    )
    return ratings.filter(~Exists(later))


def _competencies(framework: Framework, with_data: Collection[str]) -> list[tuple[str, str]]:
    """(code, "code name") of the rows to show, competencies matched across versions by code: the
    newest version's, in its wording and order, then codes only older versions have, where they
    have data (a retired competency with ratings this year still shows)."""
    found: dict[str, str] = {}
    newest: int | None = None
    rows = (
        Competency.objects.filter(domain__version__framework=framework)
        .order_by("-domain__version__number", "domain__position", "position")
        .values_list("code", "name", "domain__version__number")
    )
    for code, name, number in rows:
        newest = number if newest is None else newest
        if code not in found and (number == newest or code in with_data):
            found[code] = f"{code} {name}"
    return list(found.items())


def _level_names(framework: Framework, top: int) -> list[str]:
    """Names of levels 1..top from the newest version; a level it lacks is "Level n"."""
    version = framework.current()
    names = list(version.levels) if version else []
    return [names[i] if i < len(names) else f"Level {i + 1}" for i in range(max(top, len(names)))]


def competency_levels(
    relationships: QuerySet[Relationship],
    framework: Framework,
    school_year: int | None,
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Per competency: coachees by their latest coach rating in the year, % and count at each level."""
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    counts: dict[str, dict[int, int]] = {}
    latest = _latest(_coach_ratings(relationships, framework, school_year))
    for code, level, n in (
        latest.values("competency__code", "level").annotate(n=Count("pk")).values_list("competency__code", "level", "n")
    ):
        counts.setdefault(code, {})[level] = n
    top = max((level for by_level in counts.values() for level in by_level), default=0)
    names = _level_names(framework, top)
    levels = range(1, len(names) + 1)
    columns = [Column("competency", "Competency"), Column("rated", "Coachees rated", "count")]
    columns += [Column(f"level_{k}", f"% {names[k - 1]}", "percent") for k in levels]
    columns += [Column(f"level_{k}_n", names[k - 1], "count") for k in levels]
    words = _year_words(school_year)
    table = DataTable(
        f"{framework.name}: coachees by latest coach rating, {words}",
        columns,
        note="Each coachee counts once per competency, at their latest coach rating; self ratings are not counted.",
    )
    for code, label in _competencies(framework, counts):
        by_level = counts.get(code, {})
        rated = sum(by_level.values())
        row: dict[str, Any] = {"competency": label, "rated": rated}
        for k in levels:
            row[f"level_{k}_n"] = by_level.get(k, 0)
            row[f"level_{k}"] = _percent(by_level.get(k, 0), rated)
        table.rows.append(row)
    caption = f"Coachees by latest coach rating, {framework.name}, {words}"
    spec = levels_chart(table, "competency", caption, [(f"level_{k}", names[k - 1]) for k in levels])
    _about_coachees(spec)
    return Dive(caption, table, Chart("chart-competency-levels", caption, spec, table))


def level_movement(
    relationships: QuerySet[Relationship],
    framework: Framework,
    school_year: int | None,
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Per competency: coachees whose latest coach rating in the year is above, at or below their first.

    Only coachees rated at least twice on the competency that year count: with one rating there is
    no movement to speak of.
    """
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    ratings = _coach_ratings(relationships, framework, school_year)
    same = _same_coachee_and_code()
    earlier = ratings.filter(same).filter(
        Q(rated_on__lt=OuterRef("rated_on")) | Q(rated_on=OuterRef("rated_on"), pk__lt=OuterRef("pk"))
    )
    first_level = ratings.filter(same).order_by("rated_on", "pk").values("level")[:1]
    moved = (
        _latest(ratings)
        .filter(Exists(earlier))
        .annotate(first_level=Subquery(first_level))
        .values("competency__code")
        .annotate(
            up=Count("pk", filter=Q(level__gt=F("first_level"))),
            same=Count("pk", filter=Q(level=F("first_level"))),
            down=Count("pk", filter=Q(level__lt=F("first_level"))),
        )
        .order_by()
    )
    found = {r["competency__code"]: r for r in moved}
    words = _year_words(school_year)
    table = DataTable(
        f"{framework.name}: movement from first to latest coach rating, {words}",
        [
            Column("competency", "Competency"),
            Column("rated", "Coachees rated twice or more", "count"),
            Column("up", "Moved up", "count"),
            Column("same", "Stayed", "count"),
            Column("down", "Moved down", "count"),
            Column("pct_up", "% moved up", "percent"),
        ],
        note="Coachees with at least two coach ratings on the competency in the year; self ratings are not counted.",
    )
    for code, label in _competencies(framework, found):
        r = found.get(code, {})
        up, same_n, down = r.get("up", 0), r.get("same", 0), r.get("down", 0)
        rated = up + same_n + down
        table.rows.append(
            {
                "competency": label,
                "rated": rated,
                "up": up,
                "same": same_n,
                "down": down,
                "pct_up": _percent(up, rated),
            }
        )
    caption = f"% of coachees whose coach rating moved up, {framework.name}, {words}"
    spec = bar_chart(table, "competency", "pct_up", caption)
    return Dive(caption, table, Chart("chart-level-movement", caption, spec, table))


def levels_over_time(
    relationships: QuerySet[Relationship],
    framework: Framework,
    *,
    by: Literal["year", "quarter"] = "year",
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Per school year (or school-year quarter, Q1 = July–September): the share of all coach ratings
    given at or above the third level."""
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    # Grouped by calendar year and quarter in the database (portable across SQLite and PostgreSQL);
    # folding four quarters into a school year is then a few rows of arithmetic.
    grouped = (
        _coach_ratings(relationships, framework, None)
        .annotate(y=ExtractYear("rated_on"), q=ExtractQuarter("rated_on"))
        .values("y", "q")
        .annotate(n=Count("pk"), at_or_above=Count("pk", filter=Q(level__gte=PROFICIENT_LEVEL)))
        .order_by()
    )
    periods: dict[tuple[int, int], list[int]] = {}
    for r in grouped:
        # July–December belongs to the school year ending the next calendar year.
        year = r["y"] + 1 if r["q"] >= 3 else r["y"]
        quarter = r["q"] - 2 if r["q"] >= 3 else r["q"] + 2
        key = (year, quarter if by == "quarter" else 0)
        totals = periods.setdefault(key, [0, 0])
        totals[0] += r["n"]
        totals[1] += r["at_or_above"]
    names = _level_names(framework, PROFICIENT_LEVEL)
    proficient = names[PROFICIENT_LEVEL - 1]
    table = DataTable(
        f"{framework.name}: coach ratings at or above {proficient}",
        [
            Column("period", "School year" if by == "year" else "Quarter"),
            Column("ratings", "Coach ratings", "count"),
            Column("at_or_above", f"At or above {proficient}", "count"),
            Column("pct", f"% at or above {proficient}", "percent"),
        ],
        note="Every coach rating given in the period counts (a coachee rated twice counts twice); self ratings do not.",
    )
    for (year, quarter), (n, at_or_above) in sorted(periods.items()):
        label = school_years.label(year) + (f" Q{quarter}" if quarter else "")
        table.rows.append({"period": label, "ratings": n, "at_or_above": at_or_above, "pct": _percent(at_or_above, n)})
    caption = f"% of coach ratings at or above {proficient}, {framework.name}"
    spec = trend_chart(table, "period", "pct", None, caption, y_title="%")
    return Dive(caption, table, Chart("chart-levels-over-time", caption, spec, table))


# --- Time -------------------------------------------------------------------------------------

By = Literal["kind", "school", "coach"]
# What each grouping groups sessions by: (id field, label field).
_BY_FIELDS: dict[str, tuple[str, str]] = {
    "kind": ("kind", "kind"),
    "school": ("relationship__school_id", "relationship__school__name"),
    "coach": ("relationship__coach_id", "relationship__coach__full_name"),
}
_BY_WORDS = {"kind": "kind of session", "school": "school", "coach": "coach"}


def coaching_time(
    relationships: QuerySet[Relationship],
    school_year: int | None,
    by: By,
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Hours of coaching sessions by kind, school or coach, most hours first."""
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    key, label = _BY_FIELDS[by]
    grouped = (
        Session.objects.filter(_in_year("held_on", school_year), relationship__in=relationships)
        .values(key, label)
        .annotate(sessions=Count("pk"), minutes=Sum("minutes"))
        .order_by()
    )
    found: list[tuple[int, str, int]] = []
    for r in grouped:
        if by == "kind":
            name = Session.Kind(r["kind"]).label if r["kind"] in Session.Kind.values else r["kind"]
        else:
            name = r[label] or NO_SCHOOL
        found.append((r["minutes"] or 0, name, r["sessions"]))
    # Most minutes first (hours are rounded, minutes are exact); names break ties.
    found.sort(key=lambda f: (-f[0], f[1]))
    words = _year_words(school_year)
    table = DataTable(
        f"Coaching hours by {_BY_WORDS[by]}, {words}",
        [
            Column("group", {"kind": "Kind of session", "school": "School", "coach": "Coach"}[by]),
            Column("sessions", "Sessions", "count"),
            Column("hours", "Hours", "score"),
        ],
        rows=[{"group": name, "sessions": n, "hours": costs.hours(minutes)} for minutes, name, n in found],
    )
    caption = table.title
    spec = bar_chart(table, "group", "hours", caption, percent=False)
    return Dive(caption, table, Chart(f"chart-hours-by-{by}", caption, spec, table))


# --- Coverage ---------------------------------------------------------------------------------


def coverage(
    relationships: QuerySet[Relationship],
    today: datetime.date,
    weeks: int = 3,
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Active relationships with no session in the last `weeks` weeks (or none yet), longest gap first.

    A relationship that has not started by `today` is not due a session yet and is left out.
    """
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    cutoff = today - datetime.timedelta(weeks=weeks)
    found = (
        Relationship.objects.filter(pk__in=relationships.values("pk"), status=Relationship.Status.ACTIVE)
        .filter(starts_on__lte=today)
        .annotate(last=Max("sessions__held_on"))
        .filter(Q(last__isnull=True) | Q(last__lt=cutoff))
        .values("pk", "coach__full_name", "coachee__full_name", "team__name", "school__name", "starts_on", "last")
        .order_by()
    )
    rows = []
    for r in found:
        last = r["last"]
        rows.append(
            {
                "coach": r["coach__full_name"],
                "coachee": r["coachee__full_name"] or r["team__name"],
                "school": r["school__name"] or NO_SCHOOL,
                "started": r["starts_on"].isoformat(),
                "last_session": last.isoformat() if last else None,
                "days_since": (today - last).days if last else None,
                "relationship_id": r["pk"],
            }
        )
    # Never met first (the widest gap of all), then the longest gap; names break ties.
    rows.sort(key=lambda row: (row["days_since"] is not None, -(row["days_since"] or 0), row["coach"], row["coachee"]))
    title = f"Active coaching with no session in the last {weeks} weeks"
    table = DataTable(
        title,
        [
            Column("coach", "Coach"),
            Column("coachee", "Coachee"),
            Column("school", "School"),
            Column("started", "Started"),
            Column("last_session", "Last session"),
            Column("days_since", "Days since", "count"),
        ],
        rows=rows,
        note=f"As of {today.isoformat()}. A dash under Last session: no session logged yet.",
    )
    return Dive(title, table)


# --- Cost -------------------------------------------------------------------------------------


def cost_of_service(
    relationships: QuerySet[Relationship],
    school_year: int,
    *,
    school_ids: Collection[int] | None = None,
    region_id: int | None = None,
) -> Dive:
    """Coaching cost per school (chart and table), and per partnership beside its cost of service
    and funding (the table in `more`)."""
    relationships = narrow(relationships, school_ids=school_ids, region_id=region_id)
    report = costs.cost_report(relationships, school_year)
    words = school_years.label(school_year)
    missing = report.missing_note()
    schools = DataTable(
        f"Coaching cost by school, {words}",
        [
            Column("school", "School"),
            Column("hours", "Hours", "score"),
            Column("cost", "Coaching cost ($)", "count"),
            Column("unpriced_hours", "Hours without a cost", "score"),
        ],
        rows=[
            {"school": s.school, "hours": s.hours, "cost": _dollars(s.cost), "unpriced_hours": s.unpriced_hours}
            for s in report.schools
        ],
        note=" ".join(filter(None, ["Session hours × each coach's loaded hourly cost for the year.", missing])),
    )
    partnerships = DataTable(
        f"Coaching cost by partnership, {words}",
        [
            Column("partnership", "Partnership"),
            Column("hours", "Hours", "score"),
            Column("coaching_cost", "Coaching cost ($)", "count"),
            Column("total_cost", "Cost of service ($)", "count"),
            Column("coaching_share", "Coaching % of cost of service", "percent"),
            Column("funded", "Funding ($)", "count"),
            Column("gap", "Gap: cost of service − funding ($)", "count"),
            Column("unpriced_hours", "Hours without a cost", "score"),
        ],
        rows=[
            {
                "partnership": p.partnership,
                "hours": p.hours,
                "coaching_cost": _dollars(p.coaching_cost),
                "total_cost": _dollars(p.total_cost),
                "coaching_share": p.coaching_share,
                "funded": _dollars(p.funded),
                "gap": _dollars(p.gap),
                "unpriced_hours": costs.hours(p.unpriced_minutes),
            }
            for p in report.partnerships
        ],
        note=" ".join(
            filter(
                None,
                [
                    "The coaching you can see in each partnership's schools that were members that year. "
                    "A dash: no cost of service entered for the year.",
                    missing,
                ],
            )
        ),
    )
    caption = f"Coaching cost by school, {words}"
    spec = bar_chart(schools, "school", "cost", caption, percent=False)
    return Dive(caption, schools, Chart("chart-cost-by-school", caption, spec, schools), (partnerships,))


# --- Helpers ----------------------------------------------------------------------------------


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _dollars(amount: Decimal | None) -> int | None:
    # Tables have no money kind: whole dollars in a count column read "12,345". Floats/ints, not
    # Decimals, so the chart's inline JSON holds numbers.
    return None if amount is None else int(amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def _about_coachees(spec: Spec) -> None:
    # levels_chart speaks of students tested; these bars count coachees.
    spec["encoding"]["x"]["title"] = "% of coachees rated"
    for tip in spec["encoding"]["tooltip"]:
        if tip.get("title") == "Students":
            tip["title"] = "Coachees"
