"""Reports for the head of learning, for one school year: hours of learning by program priority,
the share of cross-team sessions month by month, and attendance by team.

Each builder takes `sessions`, the sessions the viewer may see (already scoped, e.g. by
`visibility.visible_sessions`), and returns a `Report`: a `DataTable` and the chart drawn from it.
Only sessions *held* count: in the school year, not cancelled, and begun before `now`, so a year
generated in advance does not count its future sessions (nor leave their attendance unmarked).
Each builder runs a handful of queries whatever the number of sessions: grouping and counting
happen in the database or over one values() list.

Learning data is about staff, not students: no small-n suppression applies (no hidden cells).
"""

import datetime
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.utils import timezone

from tandem.analytics.charts import Chart, bar_chart, trend_chart
from tandem.analytics.exports import csv_response
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.learning import calendar
from tandem.learning.models import Attendance, Audience, Priority, Session
from tandem.orgs.models import Team, TeamMembership

NO_PRIORITY = "No priority"
PRESENT, ABSENT, EXCUSED = Attendance.Status.PRESENT, Attendance.Status.ABSENT, Attendance.Status.EXCUSED


@dataclass(frozen=True)
class Report:
    """What the reports page shows for one report: `chart` is drawn from `table` (chart.table is table)."""

    key: str
    title: str
    table: DataTable
    chart: Chart


def held(sessions: QuerySet[Session], school_year: int, now: datetime.datetime | None = None) -> QuerySet[Session]:
    """The sessions of the queryset held in the school year: not cancelled and begun before `now`.

    Read through `pk__in`, so a queryset with joins (which can repeat a session) counts each once."""
    first, last = school_years.span(school_year)
    return Session.objects.filter(
        pk__in=sessions.values("pk"),
        local_date__range=(first, last),
        starts_at__lt=now or timezone.now(),
    ).exclude(status=Session.Status.CANCELLED)


def _minutes(starts: datetime.datetime, ends: datetime.datetime) -> int:
    return int((ends - starts).total_seconds() // 60)


def _hours(minutes: int) -> float:
    """Hours with one decimal, as the tables show them."""
    return round(minutes / 60, 1)


def _percent(part: int, whole: int) -> float | None:
    return round(part * 100 / whole, 1) if whole else None


def _as_of(school_year: int, now: datetime.datetime | None) -> str:
    day = timezone.localdate(now) if now else timezone.localdate()
    last = school_years.span(school_year)[1]
    return "" if day > last else f" Sessions held up to {day:%-d %B %Y}."


# -- hours of learning by program priority ------------------------------------------------------


def hours_by_priority(sessions: QuerySet[Session], school_year: int, now: datetime.datetime | None = None) -> Report:
    """For each priority (and the sessions with none): sessions held, their hours, and the
    person-hours attended (each session's length × the people marked present). Most person-hours
    first; priorities in use with no session held yet are listed at the end."""
    rows = (
        held(sessions, school_year, now)
        .values("pk", "priority_id", "priority__name", "starts_at", "ends_at")
        .annotate(present=Count("attendance", filter=Q(attendance__status=PRESENT)))
        .order_by()
    )
    found: dict[int | None, list[int]] = {}  # priority → [sessions, minutes, person-minutes]
    names: dict[int | None, str] = {None: NO_PRIORITY}
    for r in rows:
        minutes = _minutes(r["starts_at"], r["ends_at"])
        totals = found.setdefault(r["priority_id"], [0, 0, 0])
        totals[0] += 1
        totals[1] += minutes
        totals[2] += minutes * r["present"]
        if r["priority_id"] is not None:
            names[r["priority_id"]] = r["priority__name"]
    for pk, name in Priority.objects.filter(archived=False).values_list("pk", "name"):
        names.setdefault(pk, name)
        found.setdefault(pk, [0, 0, 0])
    order = sorted(found, key=lambda pk: (pk is None, -found[pk][2], -found[pk][1], names[pk]))
    words = school_years.label(school_year)
    table = DataTable(
        f"Hours of learning by program priority, {words}",
        [
            Column("priority", "Priority"),
            Column("sessions", "Sessions held", "count"),
            Column("session_hours", "Session hours", "score"),
            Column("person_hours", "Person-hours attended", "score"),
        ],
        rows=[
            {
                "priority": names[pk],
                "sessions": found[pk][0],
                "session_hours": _hours(found[pk][1]),
                "person_hours": _hours(found[pk][2]),
            }
            for pk in order
        ],
        note="Person-hours: each session's length × the people marked present. Cancelled sessions do not count."
        + _as_of(school_year, now),
    )
    caption = f"Person-hours of learning by program priority, {words}"
    spec = bar_chart(table, "priority", "person_hours", caption, percent=False)
    return Report("hours", table.title, table, Chart("chart-learning-hours", caption, spec, table))


# -- cross-team sessions over time --------------------------------------------------------------


def is_cross_team(audience: str, teams: int) -> bool:
    """A session is cross-team when its type is for more than one team, or it invites two or more."""
    return audience != Audience.TEAM or teams >= 2


def cross_team_share(sessions: QuerySet[Session], school_year: int, now: datetime.datetime | None = None) -> Report:
    """Month by month: sessions held, the cross-team ones among them and their share. The months
    run from July to the current month (the whole year once it is over)."""
    rows = (
        held(sessions, school_year, now)
        .values("pk", "local_date", "session_type__audience")
        .annotate(teams=Count("teams", distinct=True))
        .order_by()
    )
    total: Counter[datetime.date] = Counter()
    cross: Counter[datetime.date] = Counter()
    for r in rows:
        month = r["local_date"].replace(day=1)
        total[month] += 1
        cross[month] += is_cross_team(r["session_type__audience"], r["teams"])
    today = timezone.localdate(now) if now else timezone.localdate()
    months = [m for m in calendar.school_months(school_year) if m <= today]
    words = school_years.label(school_year)
    table = DataTable(
        f"Cross-team sessions by month, {words}",
        [
            Column("month", "Month"),
            Column("sessions", "Sessions held", "count"),
            Column("cross_team", "Cross-team sessions", "count"),
            Column("pct_cross_team", "% cross-team", "percent"),
        ],
        rows=[
            {
                "month": f"{m:%b %Y}",
                "sessions": total[m],
                "cross_team": cross[m],
                "pct_cross_team": _percent(cross[m], total[m]),
            }
            for m in months
        ],
        note="Cross-team: a session whose type is for several teams, the organization or a network, or that "
        "invites two or more teams. Cancelled sessions do not count." + _as_of(school_year, now),
    )
    caption = f"% of sessions that are cross-team, by month, {words}"
    spec = trend_chart(table, "month", "pct_cross_team", None, caption, y_title="% cross-team")
    # Months are labels ("Sep 2026"): keep the table's order rather than the alphabet's.
    spec["encoding"]["x"]["sort"] = None
    return Report("cross-team", table.title, table, Chart("chart-learning-cross-team", caption, spec, table))


# -- attendance by team -------------------------------------------------------------------------


def attendance_by_team(sessions: QuerySet[Session], school_year: int, now: datetime.datetime | None = None) -> Report:
    """For each team invited to a session held: invitations (each such session × each of the
    team's current members), how many were marked present, absent or excused and how many not at
    all, and the attendance rate (present ÷ marked)."""
    held_sessions = held(sessions, school_year, now)
    invited: dict[int, list[int]] = defaultdict(list)  # team → sessions
    for session_id, team_id in Session.teams.through.objects.filter(session__in=held_sessions).values_list(
        "session_id", "team_id"
    ):
        invited[team_id].append(session_id)
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, person_id in TeamMembership.objects.filter(team_id__in=invited).values_list("team_id", "person_id"):
        members[team_id].append(person_id)
    marks = {
        (session_id, person_id): status
        for session_id, person_id, status in Attendance.objects.filter(session__in=held_sessions).values_list(
            "session_id", "person_id", "status"
        )
    }
    names = dict(Team.objects.filter(pk__in=invited).values_list("pk", "name"))
    rows = []
    for team_id in sorted(invited, key=lambda pk: (names[pk], pk)):
        counts: Counter[str] = Counter()
        for session_id in invited[team_id]:
            for person_id in members[team_id]:
                counts[marks.get((session_id, person_id), "")] += 1
        marked = counts[PRESENT] + counts[ABSENT] + counts[EXCUSED]
        rows.append(
            {
                "team": names[team_id],
                "invitations": marked + counts[""],
                "present": counts[PRESENT],
                "absent": counts[ABSENT],
                "excused": counts[EXCUSED],
                "unmarked": counts[""],
                "rate": _percent(counts[PRESENT], marked),
            }
        )
    words = school_years.label(school_year)
    table = DataTable(
        f"Attendance by team, {words}",
        [
            Column("team", "Team"),
            Column("invitations", "Invitations", "count"),
            Column("present", "Present", "count"),
            Column("absent", "Absent", "count"),
            Column("excused", "Excused", "count"),
            Column("unmarked", "Not marked", "count"),
            Column("rate", "Attendance rate", "percent"),
        ],
        rows=rows,
        note="Invitations: each session held that invited the team × each of the team's current members. "
        "Attendance rate: present ÷ marked (present, absent or excused)." + _as_of(school_year, now),
    )
    caption = f"Attendance rate by team, {words}"
    spec = bar_chart(table, "team", "rate", caption)
    return Report("attendance", table.title, table, Chart("chart-learning-attendance", caption, spec, table))


# -- all of them, and their downloads -------------------------------------------------------------

Builder = Callable[[QuerySet[Session], int, datetime.datetime | None], Report]
BUILDERS: dict[str, Builder] = {
    "hours": hours_by_priority,
    "cross-team": cross_team_share,
    "attendance": attendance_by_team,
}


def all_reports(sessions: QuerySet[Session], school_year: int, now: datetime.datetime | None = None) -> list[Report]:
    return [build(sessions, school_year, now) for build in BUILDERS.values()]


def csv_download(report: Report, school_year: int) -> HttpResponse:
    """The report's table as a CSV download, written by the analytics exports (formula-safe, "*"
    for any hidden cell, Excel-readable UTF-8)."""
    # "2025-26": the label's en dash would not survive the file name.
    return csv_response(report.table, f"learning-{report.key}-{school_year - 1}-{str(school_year)[-2:]}.csv")
