"""The head of learning's reports, checked against figures worked out by hand on a small year.

The 2025–26 school year, three teams (Alpha: Ana and Ben; Beta: Cy; Gamma: Dee and Eve):

    S1  10 Sep  Team meeting         60 min  Coaching   Alpha         Ana present, Ben absent
    S2  17 Sep  Data dive            90 min  Coaching   Alpha         Ana present, Ben excused
    S3   8 Oct  Team meeting        120 min  Data       Alpha, Beta   Ana present, Cy absent (Ben not marked)
    S4  15 Oct  Approach Essentials  30 min  —          Beta          Cy present
    S5  22 Oct  Team meeting         60 min  Coaching   Alpha         cancelled (a stale mark for Ana)
    S6   5 Nov  Team meeting         30 min  Data       Gamma         nobody marked
    S7  12 Aug  Team meeting         60 min  Coaching   Alpha         the next school year: Ana present

Cross-team: S2 (a type for several teams), S3 (two teams invited), S4 (a type for the organization).
"""

import csv
import datetime
import io
import zoneinfo
from dataclasses import dataclass

import pytest

from tandem.learning import reports
from tandem.learning.models import Attendance, Priority, Session, SessionType
from tandem.orgs.models import Person, Team, TeamMembership
from tests.world import World, make_person

YEAR = 2026  # July 2025 to June 2026
LA = zoneinfo.ZoneInfo("America/Los_Angeles")
AFTER = datetime.datetime(2026, 7, 15, tzinfo=datetime.UTC)  # the year is over
MIDWAY = datetime.datetime(2025, 10, 1, tzinfo=datetime.UTC)  # S1 and S2 held, the rest to come


@dataclass
class Year:
    teams: dict[str, Team]
    people: dict[str, Person]
    sessions: dict[str, Session]


def _session(
    name: str, day: datetime.date, minutes: int, type_name: str, priority: Priority | None, teams: list[Team]
) -> Session:
    starts = datetime.datetime.combine(day, datetime.time(10), tzinfo=LA)
    session = Session.objects.create(
        title=name,
        session_type=SessionType.objects.get(name=type_name),
        priority=priority,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        time_zone="America/Los_Angeles",
        local_date=day,
    )
    session.teams.set(teams)
    return session


@pytest.fixture
def year(world: World) -> Year:
    people = {n: make_person(f"{n.lower()}@example.org", n) for n in ("Ana", "Ben", "Cy", "Dee", "Eve", "Fay")}
    teams = {}
    for name, members in (("Alpha", ["Ana", "Ben"]), ("Beta", ["Cy"]), ("Gamma", ["Dee", "Eve"]), ("Idle", ["Fay"])):
        teams[name] = Team.objects.create(organization=world.org, name=f"{name} team", kind=Team.Kind.OTHER)
        TeamMembership.objects.bulk_create(TeamMembership(team=teams[name], person=people[m]) for m in members)
    coaching = Priority.objects.create(name="Coaching for equity")
    data = Priority.objects.create(name="Data-driven instruction")
    Priority.objects.create(name="Family partnership")  # in use, no session yet
    Priority.objects.create(name="Old priority", archived=True)
    D = datetime.date
    alpha, beta, gamma = teams["Alpha"], teams["Beta"], teams["Gamma"]
    s = {
        "S1": _session("S1", D(2025, 9, 10), 60, "Team meeting", coaching, [alpha]),
        "S2": _session("S2", D(2025, 9, 17), 90, "Data dive", coaching, [alpha]),
        "S3": _session("S3", D(2025, 10, 8), 120, "Team meeting", data, [alpha, beta]),
        "S4": _session("S4", D(2025, 10, 15), 30, "Approach Essentials", None, [beta]),
        "S5": _session("S5", D(2025, 10, 22), 60, "Team meeting", coaching, [alpha]),
        "S6": _session("S6", D(2025, 11, 5), 30, "Team meeting", data, [gamma]),
        "S7": _session("S7", D(2026, 8, 12), 60, "Team meeting", coaching, [alpha]),
    }
    Session.objects.filter(pk=s["S5"].pk).update(status=Session.Status.CANCELLED, cancel_reason="Snow day")
    marks = [
        ("S1", "Ana", "present"),
        ("S1", "Ben", "absent"),
        ("S2", "Ana", "present"),
        ("S2", "Ben", "excused"),
        ("S3", "Ana", "present"),
        ("S3", "Cy", "absent"),
        ("S4", "Cy", "present"),
        ("S5", "Ana", "present"),
        ("S7", "Ana", "present"),
    ]
    Attendance.objects.bulk_create(
        Attendance(session=s[session], person=people[person], status=status) for session, person, status in marks
    )
    return Year(teams, people, s)


def _rows(report: reports.Report) -> list[dict[str, object]]:
    return report.table.rows


def test_hours_by_priority(year: Year) -> None:
    report = reports.hours_by_priority(Session.objects.all(), YEAR, now=AFTER)
    # Most person-hours first; a priority with no session yet after them; no priority at the end.
    # The cancelled session (S5), the next year's (S7) and the archived priority do not count.
    assert _rows(report) == [
        {"priority": "Coaching for equity", "sessions": 2, "session_hours": 2.5, "person_hours": 2.5},
        {"priority": "Data-driven instruction", "sessions": 2, "session_hours": 2.5, "person_hours": 2.0},
        {"priority": "Family partnership", "sessions": 0, "session_hours": 0.0, "person_hours": 0.0},
        {"priority": "No priority", "sessions": 1, "session_hours": 0.5, "person_hours": 0.5},
    ]
    assert report.table.title == "Hours of learning by program priority, 2025–26"
    assert report.chart.table is report.table
    assert report.chart.spec["data"]["values"] == report.table.records()


def test_cross_team_share_by_month(year: Year) -> None:
    report = reports.cross_team_share(Session.objects.all(), YEAR, now=AFTER)
    rows = {r["month"]: r for r in _rows(report)}
    assert [r["month"] for r in _rows(report)][::11] == ["Jul 2025", "Jun 2026"] and len(rows) == 12
    # September: S1 is one team's meeting, S2 a data dive (a type for several teams).
    assert rows["Sep 2025"] == {"month": "Sep 2025", "sessions": 2, "cross_team": 1, "pct_cross_team": 50.0}
    # October: S3 invites two teams, S4 is for the organization; S5 was cancelled.
    assert rows["Oct 2025"] == {"month": "Oct 2025", "sessions": 2, "cross_team": 2, "pct_cross_team": 100.0}
    assert rows["Nov 2025"] == {"month": "Nov 2025", "sessions": 1, "cross_team": 0, "pct_cross_team": 0.0}
    # A month without sessions has no share: the line breaks there instead of dropping to zero.
    assert rows["Dec 2025"] == {"month": "Dec 2025", "sessions": 0, "cross_team": 0, "pct_cross_team": None}
    spec = report.chart.spec
    assert spec["encoding"]["x"]["sort"] is None  # months in the table's order, not the alphabet's
    assert spec["data"]["values"] == report.table.records()


def test_attendance_by_team(year: Year) -> None:
    report = reports.attendance_by_team(Session.objects.all(), YEAR, now=AFTER)
    assert _rows(report) == [
        # S1, S2 and S3 × Ana and Ben: Ben was not marked at S3.
        {
            "team": "Alpha team",
            "invitations": 6,
            "present": 3,
            "absent": 1,
            "excused": 1,
            "unmarked": 1,
            "rate": 60.0,
        },
        # S3 and S4 × Cy.
        {"team": "Beta team", "invitations": 2, "present": 1, "absent": 1, "excused": 0, "unmarked": 0, "rate": 50.0},
        # S6 × Dee and Eve, nobody marked: no rate rather than 0%.
        {"team": "Gamma team", "invitations": 2, "present": 0, "absent": 0, "excused": 0, "unmarked": 2, "rate": None},
    ]
    # The Idle team was invited to nothing and is not listed.
    assert report.chart.spec["data"]["values"] == report.table.records()


def test_only_sessions_already_begun_count(year: Year) -> None:
    hours = reports.hours_by_priority(Session.objects.all(), YEAR, now=MIDWAY)
    assert [(r["priority"], r["sessions"]) for r in _rows(hours)] == [
        ("Coaching for equity", 2),
        ("Data-driven instruction", 0),
        ("Family partnership", 0),
    ]
    months = reports.cross_team_share(Session.objects.all(), YEAR, now=MIDWAY)
    assert [r["month"] for r in _rows(months)] == ["Jul 2025", "Aug 2025", "Sep 2025"]
    assert "Sessions held up to 30 September 2025" in months.table.note
    teams = reports.attendance_by_team(Session.objects.all(), YEAR, now=MIDWAY)
    assert [(r["team"], r["invitations"]) for r in _rows(teams)] == [("Alpha team", 4)]


def test_only_the_sessions_given_count_and_each_once(year: Year) -> None:
    # A queryset with a join (sessions inviting the Beta team) counts each session once.
    beta = Session.objects.filter(teams=year.teams["Beta"])
    assert [(r["priority"], r["sessions"]) for r in _rows(reports.hours_by_priority(beta, YEAR, now=AFTER))] == [
        ("Data-driven instruction", 1),
        ("Coaching for equity", 0),
        ("Family partnership", 0),
        ("No priority", 1),
    ]
    teams = _rows(reports.attendance_by_team(beta, YEAR, now=AFTER))
    assert [(r["team"], r["invitations"], r["present"]) for r in teams] == [("Alpha team", 2, 1), ("Beta team", 2, 1)]


def test_each_report_runs_a_few_queries(year: Year, django_assert_max_num_queries: object) -> None:
    for build in reports.BUILDERS.values():
        with django_assert_max_num_queries(4):  # type: ignore[operator]
            build(Session.objects.all(), YEAR, AFTER)


def test_csv_download(year: Year) -> None:
    report = reports.attendance_by_team(Session.objects.all(), YEAR, now=AFTER)
    response = reports.csv_download(report, YEAR)
    assert response["Content-Disposition"] == 'attachment; filename="learning-attendance-2025-26.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "Team",
        "Invitations",
        "Present",
        "Absent",
        "Excused",
        "Not marked",
        "Attendance rate (%)",
    ]
    assert rows[1] == ["Alpha team", "6", "3", "1", "1", "1", "60.0"]
    assert rows[3] == ["Gamma team", "2", "0", "0", "0", "2", ""]
