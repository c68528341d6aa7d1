"""The coaching data dives and the cost of coaching, checked against numbers worked out by hand.

The world (school year 2025–26, "2026"): one framework in two versions (A1 and B1 in both, C9 only
in v1), two coaches in the "in" half, five coachees (three teachers, a principal and a team), and
one relationship in the "out" half that the queryset under test leaves out.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import QuerySet

from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.analytics.tables import DataTable
from tandem.coaching import costs, dives
from tandem.coaching.models import (
    Competency,
    Domain,
    Framework,
    FrameworkVersion,
    Rating,
    Relationship,
    Session,
    StaffCost,
)
from tandem.coaching.visibility import visible_relationships
from tandem.orgs.models import Person, School, Team, TeamMembership
from tandem.partnerships.models import CostOfService, FundingSource, Partnership, PartnershipSchool
from tests.world import World, make_person

YEAR = 2026
LEVELS = ["Beginning", "Developing", "Proficient", "Leading"]
D = datetime.date
COACH = Rating.Source.COACH
SELF = Rating.Source.SELF


@dataclass
class Coaching:
    world: World
    framework: Framework
    rels: dict[str, Relationship]
    coach: Person
    coach2: Person

    @property
    def seen(self) -> QuerySet[Relationship]:
        """The queryset under test: everything but the "out" half's relationship."""
        return Relationship.objects.exclude(pk=self.rels["out"].pk)


def _version(framework: Framework, number: int, competencies: list[tuple[str, str]]) -> dict[str, Competency]:
    version = FrameworkVersion.objects.create(framework=framework, number=number, levels=LEVELS)
    domain = Domain.objects.create(version=version, position=1, name="Practice")
    return {
        code: Competency.objects.create(
            domain=domain, position=i, code=code, name=name, descriptors=["a", "b", "c", "d"]
        )
        for i, (code, name) in enumerate(competencies, start=1)
    }


@pytest.fixture
def coaching(world: World) -> Coaching:
    h, out = world.inside, world.outside
    coach, coach2 = world.people[Role.COACH], h.partner  # "Coach / partner", "North Partner"
    t1 = world.people[Role.TEACHER]
    t2 = make_person("t2@example.org", "Teacher Two")
    t3 = make_person("t3@example.org", "Teacher Three")
    t_out = make_person("tout@example.org", "South Teacher")
    team = Team.objects.create(organization=world.org, name="Grade 3 team", kind="other")
    TeamMembership.objects.create(team=team, person=t2)

    framework = Framework.objects.create(name="Dive framework", audience="teacher")
    v1 = _version(framework, 1, [("A1", "Old planning"), ("B1", "Old checking"), ("C9", "Retired")])
    v2 = _version(framework, 2, [("A1", "Planning"), ("B1", "Checking for understanding")])
    v2_version = v2["A1"].domain.version

    def rel(
        coach: Person, school: School, starts: datetime.date, version: FrameworkVersion = v2_version, **kw: Any
    ) -> Relationship:
        return Relationship.objects.create(coach=coach, school=school, framework=version, starts_on=starts, **kw)

    rels = {
        "r1": rel(coach, h.school, D(2025, 8, 15), v1["A1"].domain.version, coachee=t1),
        "r2": rel(coach, h.school, D(2025, 9, 1), coachee=t2),
        "r3": rel(coach, h.other_school, D(2025, 9, 1), coachee=t3),
        "r4": rel(coach2, h.school, D(2025, 8, 1), coachee=h.principal, status=Relationship.Status.ENDED),
        "r5": rel(coach, h.school, D(2025, 9, 1), team=team),
        # t1 again, with another coach at the other school: still one coachee.
        "r6": rel(coach2, h.other_school, D(2025, 9, 1), coachee=t1),
        # Active but not started by the coverage date: not due a session.
        "future": rel(coach, h.school, D(2026, 6, 1), coachee=t3),
        "out": rel(out.partner, out.school, D(2025, 9, 1), coachee=t_out),
    }

    def rate(r: str, competency: Competency, level: int, day: datetime.date, source: str = COACH) -> None:
        Rating.objects.create(relationship=rels[r], competency=competency, level=level, source=source, rated_on=day)

    # t1: A1 rises 1 → 2 → 3 (across versions) → 4 (in r6); a self rating of 4 never counts.
    rate("r1", v1["A1"], 1, D(2025, 9, 10))
    rate("r1", v1["A1"], 2, D(2026, 1, 10))
    rate("r1", v2["A1"], 3, D(2026, 3, 1))
    rate("r1", v2["A1"], 4, D(2026, 4, 1), SELF)
    rate("r6", v2["A1"], 4, D(2026, 5, 1))
    rate("r1", v1["C9"], 2, D(2025, 12, 1))
    # t2: A1 falls 3 → 2; B1 twice on one day, 2 then 4: the later entry is the latest.
    rate("r2", v2["A1"], 3, D(2025, 10, 1))
    rate("r2", v2["A1"], 2, D(2026, 2, 1))
    rate("r2", v2["B1"], 2, D(2026, 2, 1))
    rate("r2", v2["B1"], 4, D(2026, 2, 1))
    rate("r2", v2["B1"], 1, D(2026, 2, 2), SELF)
    # t3: one A1 rating this year, one the year before.
    rate("r3", v2["A1"], 2, D(2025, 11, 1))
    rate("r3", v2["A1"], 1, D(2025, 5, 1))
    # The principal stays at 4; the team has one rating.
    rate("r4", v2["A1"], 4, D(2025, 8, 20))
    rate("r4", v2["A1"], 4, D(2026, 1, 15))
    rate("r5", v2["A1"], 1, D(2026, 2, 10))
    # Outside the queryset: would change every number if it counted.
    rate("out", v2["A1"], 4, D(2026, 1, 1))
    rate("out", v2["B1"], 1, D(2026, 1, 1))

    def session(r: str, day: datetime.date, kind: str, minutes: int) -> None:
        Session.objects.create(relationship=rels[r], held_on=day, kind=kind, minutes=minutes)

    session("r1", D(2025, 9, 10), "observation", 60)
    session("r1", D(2025, 9, 10), "debrief", 30)
    session("r1", D(2026, 3, 1), "observation", 45)
    session("r2", D(2026, 2, 1), "co_planning", 50)
    session("r3", D(2025, 11, 1), "observation", 40)
    session("r3", D(2025, 6, 15), "debrief", 90)  # school year 2025
    session("r4", D(2026, 1, 15), "leadership_meeting", 120)
    session("r5", D(2026, 4, 10), "data_conversation", 25)  # exactly three weeks before 1 May
    session("out", D(2026, 1, 1), "observation", 600)

    StaffCost.objects.create(person=coach, school_year=YEAR, hourly_cost=Decimal("80.00"))
    StaffCost.objects.create(person=coach, school_year=YEAR - 1, hourly_cost=Decimal("60.00"))
    # coach2 has a cost for last year only: this year their hours go unpriced.
    StaffCost.objects.create(person=coach2, school_year=YEAR - 1, hourly_cost=Decimal("70.00"))
    StaffCost.objects.create(person=out.partner, school_year=YEAR, hourly_cost=Decimal("100.00"))

    # North Middle joins the North partnership this year; it had left another partnership last year.
    PartnershipSchool.objects.create(partnership=h.partnership, school=h.other_school, joined_on=D(2025, 8, 1))
    former = Partnership.objects.create(
        organization=world.org, name="Former partnership", model="network", start_date=D(2022, 8, 1), planned_years=3
    )
    PartnershipSchool.objects.create(
        partnership=former, school=h.other_school, joined_on=D(2022, 8, 1), left_on=D(2025, 6, 1)
    )
    CostOfService.objects.create(partnership=former, school_year=YEAR, total_cost=Decimal("5000"))
    # The North partnership's cost for 2026 (200,000, funded 80,000 in school fees) comes with the
    # world; add a foundation grant this year and a cost and funding in another year.
    this_year = CostOfService.objects.get(partnership=h.partnership, school_year=YEAR)
    FundingSource.objects.create(cost=this_year, kind="foundation", amount=Decimal("50000"))
    last_year = CostOfService.objects.create(partnership=h.partnership, school_year=YEAR - 1, total_cost=Decimal("1"))
    FundingSource.objects.create(cost=last_year, kind="foundation", amount=Decimal("999999"))
    return Coaching(world, framework, rels, coach, coach2)


def _by(table: DataTable, key: str) -> dict[str, dict[str, Any]]:
    return {row[key]: row for row in table.rows}


# --- Competency levels ----------------------------------------------------------------------------


def test_levels_count_each_coachee_once_at_their_latest_coach_rating(coaching: Coaching) -> None:
    dive = dives.competency_levels(coaching.seen, coaching.framework, YEAR)
    rows = _by(dive.table, "competency")
    # Newest wording first in the newest version's order, then the retired code with its old name.
    assert list(rows) == ["A1 Planning", "B1 Checking for understanding", "C9 Retired"]
    # A1: t1 at 4 (r6 beats r1), t2 at 2, t3 at 2, the principal at 4, the team at 1.
    a1 = rows["A1 Planning"]
    assert a1["rated"] == 5
    assert [a1[f"level_{k}_n"] for k in range(1, 5)] == [1, 2, 0, 2]
    assert [a1[f"level_{k}"] for k in range(1, 5)] == [20.0, 40.0, 0.0, 40.0]
    # B1: two ratings on one day, the later entry wins; t2's self rating the next day does not count.
    b1 = rows["B1 Checking for understanding"]
    assert (b1["rated"], b1["level_4_n"], b1["level_4"], b1["level_2_n"]) == (1, 1, 100.0, 0)
    c9 = rows["C9 Retired"]
    assert (c9["rated"], c9["level_2_n"], c9["level_2"]) == (1, 1, 100.0)
    assert [c.label for c in dive.table.columns[2:6]] == [f"% {name}" for name in LEVELS]


def test_levels_chart_is_the_stacked_levels_chart_of_the_table(coaching: Coaching) -> None:
    dive = dives.competency_levels(coaching.seen, coaching.framework, YEAR)
    assert dive.chart is not None and dive.chart.table is dive.table
    spec = dive.chart.spec
    assert spec["data"]["values"] == dive.table.records()
    assert spec["encoding"]["color"]["scale"]["domain"] == LEVELS
    assert spec["encoding"]["x"]["title"] == "% of coachees rated"


def test_levels_in_a_year_without_ratings_are_empty(coaching: Coaching) -> None:
    dive = dives.competency_levels(coaching.seen, coaching.framework, 2020)
    assert [row["rated"] for row in dive.table.rows] == [0, 0]  # A1, B1; C9 is gone with its ratings
    assert dive.table.rows[0]["level_1"] is None


def test_levels_narrowed_to_a_school(coaching: Coaching) -> None:
    middle = coaching.world.inside.other_school
    a1 = dives.competency_levels(coaching.seen, coaching.framework, YEAR, school_ids=[middle.pk]).table.rows[0]
    # North Middle: t3 at 2 (r3) and t1 at 4 (r6 alone).
    assert (a1["rated"], a1["level_2_n"], a1["level_4_n"]) == (2, 1, 1)


def test_level_movement_from_first_to_latest(coaching: Coaching) -> None:
    dive = dives.level_movement(coaching.seen, coaching.framework, YEAR)
    rows = _by(dive.table, "competency")
    # A1: t1 up (1 → 4), t2 down (3 → 2), the principal stays (4 → 4); t3 and the team were rated once.
    assert {k: rows["A1 Planning"][k] for k in ("rated", "up", "same", "down", "pct_up")} == {
        "rated": 3,
        "up": 1,
        "same": 1,
        "down": 1,
        "pct_up": 33.3,
    }
    # B1: t2's two same-day ratings, 2 then 4: up.
    b1 = rows["B1 Checking for understanding"]
    assert (b1["rated"], b1["up"], b1["same"], b1["down"], b1["pct_up"]) == (1, 1, 0, 0, 100.0)
    # C9 is retired and its one rating shows no movement: no row.
    assert "C9 Retired" not in rows
    assert dive.chart is not None and dive.chart.spec["encoding"]["x"]["field"] == "pct_up"


def test_levels_over_time_by_year(coaching: Coaching) -> None:
    dive = dives.levels_over_time(coaching.seen, coaching.framework)
    # 2024–25: t3's one rating of 1. 2025–26: 13 coach ratings, 6 at 3 or 4.
    assert dive.table.rows == [
        {"period": "2024–25", "ratings": 1, "at_or_above": 0, "pct": 0.0},
        {"period": "2025–26", "ratings": 13, "at_or_above": 6, "pct": 46.2},
    ]
    assert dive.table.columns[3].label == "% at or above Proficient"
    assert dive.chart is not None and dive.chart.spec["encoding"]["x"]["field"] == "period"


def test_levels_over_time_by_school_year_quarter(coaching: Coaching) -> None:
    dive = dives.levels_over_time(coaching.seen, coaching.framework, by="quarter")
    assert [(r["period"], r["ratings"], r["at_or_above"], r["pct"]) for r in dive.table.rows] == [
        ("2024–25 Q4", 1, 0, 0.0),
        ("2025–26 Q1", 2, 1, 50.0),  # July–September
        ("2025–26 Q2", 3, 1, 33.3),
        ("2025–26 Q3", 7, 3, 42.9),
        ("2025–26 Q4", 1, 1, 100.0),
    ]


# --- Time ----------------------------------------------------------------------------------------


def test_hours_by_kind(coaching: Coaching) -> None:
    table = dives.coaching_time(coaching.seen, YEAR, "kind").table
    assert table.rows == [
        {"group": "Observation", "sessions": 3, "hours": 2.4},  # 60 + 45 + 40 minutes
        {"group": "Leadership meeting", "sessions": 1, "hours": 2.0},
        {"group": "Co-planning", "sessions": 1, "hours": 0.8},
        {"group": "Debrief", "sessions": 1, "hours": 0.5},  # last year's debrief does not count
        {"group": "Data conversation", "sessions": 1, "hours": 0.4},
    ]
    assert table.display(0, "hours") == "2.4"


def test_hours_by_school_and_by_coach(coaching: Coaching) -> None:
    schools = dives.coaching_time(coaching.seen, YEAR, "school").table
    assert schools.rows == [
        {"group": "North Elementary", "sessions": 6, "hours": 5.5},  # 135 + 50 + 120 + 25 minutes
        {"group": "North Middle", "sessions": 1, "hours": 0.7},
    ]
    coaches = dives.coaching_time(coaching.seen, YEAR, "coach").table
    assert coaches.rows == [
        {"group": "Coach / partner", "sessions": 6, "hours": 4.2},  # 250 minutes
        {"group": "North Partner", "sessions": 1, "hours": 2.0},
    ]
    every_year = dives.coaching_time(coaching.seen, None, "school").table
    assert every_year.rows[1] == {"group": "North Middle", "sessions": 2, "hours": 2.2}


def test_hours_by_region(coaching: Coaching) -> None:
    everything = Relationship.objects.all()
    south = dives.coaching_time(everything, YEAR, "school", region_id=coaching.world.outside.region.pk).table
    assert south.rows == [{"group": "South Elementary", "sessions": 1, "hours": 10.0}]
    north = dives.coaching_time(everything, YEAR, "school", region_id=coaching.world.inside.region.pk).table
    assert [r["group"] for r in north.rows] == ["North Elementary", "North Middle"]


# --- Coverage ------------------------------------------------------------------------------------


def test_coverage_lists_active_coaching_without_a_recent_session(coaching: Coaching) -> None:
    dive = dives.coverage(coaching.seen, D(2026, 5, 1))
    assert dive.chart is None
    assert [(r["coach"], r["coachee"], r["school"], r["last_session"], r["days_since"]) for r in dive.table.rows] == [
        ("North Partner", "Teacher", "North Middle", None, None),  # r6: no session yet
        ("Coach / partner", "Teacher Three", "North Middle", "2025-11-01", 181),
        ("Coach / partner", "Teacher Two", "North Elementary", "2026-02-01", 89),
        ("Coach / partner", "Teacher", "North Elementary", "2026-03-01", 61),
    ]
    # Left out: the team (a session exactly three weeks ago), the ended relationship, the one not
    # started yet, and the "out" half.


def test_coverage_with_a_longer_window_and_an_empty_one(coaching: Coaching) -> None:
    eight_weeks = dives.coverage(coaching.seen, D(2026, 5, 1), weeks=9)
    assert [r["days_since"] for r in eight_weeks.table.rows] == [None, 181, 89]
    assert dives.coverage(Relationship.objects.none(), D(2026, 5, 1)).table.rows == []


# --- Cost ----------------------------------------------------------------------------------------


def test_cost_per_school_prices_hours_at_the_coachs_cost_for_the_year(coaching: Coaching) -> None:
    report = costs.cost_report(coaching.seen, YEAR)
    elementary, middle = report.schools
    # North Elementary: the coach's 210 minutes at 80.00 = 280.00; the partner's 120 minutes unpriced.
    assert (elementary.school, elementary.minutes, elementary.cost, elementary.unpriced_minutes) == (
        "North Elementary",
        330,
        Decimal("280.00"),
        120,
    )
    # North Middle: 40 minutes at 80.00.
    assert (middle.school, middle.minutes, middle.cost, middle.unpriced_minutes) == (
        "North Middle",
        40,
        Decimal("53.33"),
        0,
    )
    assert report.total_cost == Decimal("333.33")
    assert [(m.coach, m.minutes) for m in report.missing] == [("North Partner", 120)]


def test_cost_per_partnership_against_cost_of_service_and_funding(coaching: Coaching) -> None:
    report = costs.cost_report(coaching.seen, YEAR)
    # Only the North partnership: North Middle left the former one before this year, and the
    # South partnership has no coaching in the queryset.
    (north,) = report.partnerships
    assert north.partnership == "North partnership"
    assert north.school_ids == sorted([coaching.world.inside.school.pk, coaching.world.inside.other_school.pk])
    assert (north.minutes, north.unpriced_minutes, north.coaching_cost) == (370, 120, Decimal("333.33"))
    assert (north.total_cost, north.funded, north.gap) == (Decimal("200000"), Decimal("130000"), Decimal("70000"))
    assert north.coaching_share == 0.2


def test_cost_dive_tables_and_missing_cost_note(coaching: Coaching) -> None:
    dive = dives.cost_of_service(coaching.seen, YEAR)
    assert dive.table.rows == [
        {"school": "North Elementary", "hours": 5.5, "cost": 280, "unpriced_hours": 2.0},
        {"school": "North Middle", "hours": 0.7, "cost": 53, "unpriced_hours": 0.0},
    ]
    note = "No hourly cost entered for 2025–26 for: North Partner (2.0 h). Their hours are counted, without cost."
    assert note in dive.table.note
    (partnerships,) = dive.more
    assert partnerships.rows == [
        {
            "partnership": "North partnership",
            "hours": 6.2,
            "coaching_cost": 333,
            "total_cost": 200000,
            "coaching_share": 0.2,
            "funded": 130000,
            "gap": 70000,
            "unpriced_hours": 2.0,
        }
    ]
    assert note in partnerships.note
    assert partnerships.display(0, "gap") == "70,000"
    assert dive.chart is not None and dive.chart.spec["encoding"]["x"]["field"] == "cost"


def test_cost_without_missing_costs_has_no_missing_note(coaching: Coaching) -> None:
    StaffCost.objects.create(person=coaching.coach2, school_year=YEAR, hourly_cost=Decimal("90.00"))
    dive = dives.cost_of_service(coaching.seen, YEAR)
    # The partner's 120 minutes at 90.00 = 180.00 more at North Elementary.
    assert dive.table.rows[0]["cost"] == 460
    assert "No hourly cost" not in dive.table.note
    assert dive.more[0].rows[0]["coaching_cost"] == 513


def test_a_partnership_without_a_cost_of_service_shows_dashes(coaching: Coaching) -> None:
    CostOfService.objects.filter(partnership=coaching.world.inside.partnership, school_year=YEAR).delete()
    (north,) = costs.cost_report(coaching.seen, YEAR).partnerships
    assert (north.total_cost, north.funded, north.gap, north.coaching_share) == (None, None, None, None)
    table = dives.cost_of_service(coaching.seen, YEAR).more[0]
    assert table.display(0, "total_cost") == "—"


# --- Scope ---------------------------------------------------------------------------------------


def test_a_relationship_outside_the_queryset_never_counts(coaching: Coaching) -> None:
    everything = Relationship.objects.all()
    # With it, its ratings, hours and cost show; the queryset under test leaves them out.
    with_out = dives.competency_levels(everything, coaching.framework, YEAR).table.rows[0]
    assert with_out["rated"] == 6
    assert "South Elementary" in _by(dives.coaching_time(everything, YEAR, "school").table, "group")
    assert "South partnership" in [p.partnership for p in costs.cost_report(everything, YEAR).partnerships]

    seen = coaching.seen
    assert dives.competency_levels(seen, coaching.framework, YEAR).table.rows[0]["rated"] == 5
    assert dives.level_movement(seen, coaching.framework, YEAR).table.rows[1]["rated"] == 1
    assert sum(r["ratings"] for r in dives.levels_over_time(seen, coaching.framework).table.rows) == 14
    assert "South Elementary" not in _by(dives.coaching_time(seen, YEAR, "school").table, "group")
    assert "South Teacher" not in [r["coachee"] for r in dives.coverage(seen, D(2026, 5, 1)).table.rows]
    assert [s.school for s in costs.cost_report(seen, YEAR).schools] == ["North Elementary", "North Middle"]


def test_dives_take_a_scoped_queryset(coaching: Coaching) -> None:
    director = coaching.world.people[Role.REGIONAL_DIRECTOR]
    visible = visible_relationships(scope_for(director))
    schools = dives.coaching_time(visible, YEAR, "school").table
    assert [r["group"] for r in schools.rows] == ["North Elementary", "North Middle"]


def test_each_dive_runs_a_few_queries(coaching: Coaching, django_assert_max_num_queries: object) -> None:
    seen, framework = coaching.seen, coaching.framework
    calls = [
        lambda: dives.competency_levels(seen, framework, YEAR),
        lambda: dives.level_movement(seen, framework, YEAR),
        lambda: dives.levels_over_time(seen, framework, by="quarter"),
        lambda: dives.coaching_time(seen, YEAR, "coach"),
        lambda: dives.coverage(seen, D(2026, 5, 1)),
        lambda: dives.cost_of_service(seen, YEAR),
    ]
    for call in calls:
        with django_assert_max_num_queries(4):  # type: ignore[operator]
            call()
