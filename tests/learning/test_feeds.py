"""Private calendar feeds, end to end: the address is read without signing in, and the calendar it
returns is parsed back with the icalendar library and checked event by event."""

import datetime
import re
import zoneinfo

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.access.tokens import digest
from tandem.learning import actions, ical
from tandem.learning.models import Feed, Session, SessionType
from tandem.orgs.models import Person, Team, TeamMembership
from tests.world import World

UTC = datetime.UTC
LA = "America/Los_Angeles"
NY = "America/New_York"
BASE = "https://tandem.example.org"


@pytest.fixture(autouse=True)
def _base_url(settings) -> None:  # type: ignore[no-untyped-def]
    settings.TANDEM_BASE_URL = BASE


def _next_change(zone: str, after: datetime.date) -> datetime.date:
    """The first day after `after` whose noon has another UTC offset than the day before's."""
    tz = zoneinfo.ZoneInfo(zone)
    day = after
    while True:
        following = day + datetime.timedelta(days=1)
        noon = datetime.time(12)
        if (
            datetime.datetime.combine(following, noon, tz).utcoffset()
            != datetime.datetime.combine(day, noon, tz).utcoffset()
        ):
            return following
        day = following


def _at(day: datetime.date, hour: int, minute: int, zone: str) -> datetime.datetime:
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=zoneinfo.ZoneInfo(zone)).astimezone(UTC)


def _team(world: World, name: str, *members: Person) -> Team:
    team = Team.objects.create(organization=world.org, name=name, kind=Team.Kind.NATIONAL)
    for person in members:
        TeamMembership.objects.create(team=team, person=person)
    return team


class Sessions:
    """The coach is in team A, not in team B; the leader plans everything."""

    def __init__(self, world: World) -> None:
        self.leader = world.people[Role.NATIONAL_LEADER]
        self.coach = world.people[Role.COACH]
        self.teacher = world.people[Role.TEACHER]
        self.team_a = _team(world, "Team A", self.coach, self.teacher)
        self.team_b = _team(world, "Team B", world.people[Role.ANALYST])
        meeting = SessionType.objects.get(name="Team meeting")
        whole = SessionType.objects.get(name="Whole-group learning")
        now = timezone.now().replace(second=0, microsecond=0)  # calendars keep whole seconds
        # A Tuesday each side of the next daylight-saving change in Los Angeles, at 9:00 there.
        change = _next_change(LA, (now + datetime.timedelta(days=1)).date())
        self.tuesday_before = change - datetime.timedelta(days=(change.weekday() - 1) % 7 or 7)
        self.tuesday_after = self.tuesday_before + datetime.timedelta(weeks=1)
        assert self.tuesday_before < change <= self.tuesday_after

        def save(title: str, starts: datetime.datetime, minutes: int, team: Team | None, **more: object) -> Session:
            session = Session(
                title=title,
                session_type=more.pop("session_type", meeting),
                starts_at=starts,
                ends_at=starts + datetime.timedelta(minutes=minutes),
                time_zone=more.pop("time_zone", LA),
                location=more.pop("location", ""),
            )
            return actions.do_save_session(self.leader, session, teams=[team] if team else [], **more)  # type: ignore[arg-type]

        self.before = save("Before the change", _at(self.tuesday_before, 9, 0, LA), 60, self.team_a, location="Room 4")
        self.after = save("After the change", _at(self.tuesday_after, 9, 0, LA), 60, self.team_a)
        self.eastern = save("Eastern visit", _at(self.tuesday_after, 13, 30, NY), 90, self.team_a, time_zone=NY)
        self.cancelled = save("Called off", now + datetime.timedelta(days=10), 60, self.team_a)
        actions.do_cancel_session(self.leader, self.cancelled, "Facilitator is ill")
        self.cancelled.refresh_from_db()
        self.other_team = save("Team B only", now + datetime.timedelta(days=3), 60, self.team_b)
        self.everyone = save("Whole group", now + datetime.timedelta(days=4), 120, None, session_type=whole)
        # The window reaches back PAST_DAYS: a session that ended 89 days ago is in, 91 days ago is out.
        self.recent = save("Recent", now - datetime.timedelta(days=89, hours=1), 60, self.team_a)
        self.old = save("Old", now - datetime.timedelta(days=ical.PAST_DAYS + 1, hours=1), 60, self.team_a)
        self.guest_only = save("Guest seat", now + datetime.timedelta(days=5), 60, self.team_b, guests=[self.teacher])


@pytest.fixture
def sessions(world: World) -> Sessions:
    return Sessions(world)


def _read(token: str) -> icalendar.Calendar:
    response = Client().get(reverse("learning:feed", args=[token]))
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def _events(cal: icalendar.Calendar) -> dict[str, icalendar.Event]:
    events = {}
    for ev in cal.walk("VEVENT"):
        uid = str(ev["UID"])
        assert uid not in events, f"{uid} twice"
        events[uid] = ev
    return events


def _uid(session: Session) -> str:
    return f"learning-session-{session.pk}@tandem.example.org"


def _status(token: str) -> int:
    return Client().get(reverse("learning:feed", args=[token])).status_code


def _check_times(ev: icalendar.Event, session: Session) -> None:
    start, end = ev.decoded("DTSTART"), ev.decoded("DTEND")
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start == session.starts_at
    assert end == session.ends_at
    assert ev["DTSTART"].params["TZID"] == session.time_zone
    assert ev["DTEND"].params["TZID"] == session.time_zone


def test_a_person_feed_holds_the_sessions_they_are_invited_to(sessions: Sessions) -> None:
    s = sessions
    feed, token = actions.do_create_feed(s.coach)
    assert feed.token_digest == digest(token) and token not in feed.token_digest
    cal = _read(token)
    assert str(cal["X-WR-CALNAME"]) == f"{s.coach} — learning sessions"
    events = _events(cal)
    expected = [s.before, s.after, s.eastern, s.cancelled, s.everyone, s.recent]
    assert set(events) == {_uid(x) for x in expected}
    # Not hers: team B's meeting and a seat another person is a guest at; too old: the old one.
    for absent in (s.other_team, s.guest_only, s.old):
        assert _uid(absent) not in events

    for session in expected:
        ev = events[_uid(session)]
        assert str(ev["SUMMARY"]) == session.title
        _check_times(ev, session)
        assert str(ev["URL"]) == f"{BASE}/learning/sessions/{session.pk}/"

    # 9:00 on both sides of the change, an hour apart in UTC.
    before, after = events[_uid(s.before)].decoded("DTSTART"), events[_uid(s.after)].decoded("DTSTART")
    assert (before.hour, before.minute) == (after.hour, after.minute) == (9, 0)
    assert before.utcoffset() != after.utcoffset()
    assert abs(before.utcoffset() - after.utcoffset()) == datetime.timedelta(hours=1)
    assert after.astimezone(UTC) - before.astimezone(UTC) == datetime.timedelta(weeks=1) + (
        before.utcoffset() - after.utcoffset()
    )
    eastern = events[_uid(s.eastern)].decoded("DTSTART")
    assert (eastern.hour, eastern.minute) == (13, 30)
    assert str(events[_uid(s.before)]["LOCATION"]) == "Room 4"

    for session in (s.before, s.after, s.everyone):
        assert str(events[_uid(session)]["STATUS"]) == "CONFIRMED"
        assert int(events[_uid(session)]["SEQUENCE"]) == 0
    off = events[_uid(s.cancelled)]
    assert str(off["STATUS"]) == "CANCELLED"
    assert s.cancelled.sequence == 1
    assert int(off["SEQUENCE"]) == 1
    assert "Cancelled: Facilitator is ill" in str(off["DESCRIPTION"])

    zones = {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")}
    assert zones == {LA, NY}
    feed.refresh_from_db()
    assert feed.last_used_at is not None


def test_an_organization_wide_session_is_in_staff_feeds_only(sessions: Sessions) -> None:
    s = sessions
    _, token = actions.do_create_feed(s.teacher)
    events = _events(_read(token))
    # The teacher is not on the organization's staff: team A's sessions and her guest seat only.
    assert set(events) == {_uid(x) for x in (s.before, s.after, s.eastern, s.cancelled, s.recent, s.guest_only)}


def test_a_moved_session_shows_its_new_time_and_a_higher_sequence(sessions: Sessions) -> None:
    s = sessions
    _, token = actions.do_create_feed(s.coach)
    s.after.starts_at += datetime.timedelta(hours=2)
    s.after.ends_at += datetime.timedelta(hours=2)
    actions.do_save_session(s.leader, s.after)
    ev = _events(_read(token))[_uid(s.after)]
    s.after.refresh_from_db()
    _check_times(ev, s.after)
    assert ev.decoded("DTSTART").hour == 11
    assert int(ev["SEQUENCE"]) == 1


def test_a_team_feed_holds_that_teams_sessions(sessions: Sessions) -> None:
    s = sessions
    feed, token = actions.do_create_feed(s.coach, s.team_a)
    assert feed.team == s.team_a
    cal = _read(token)
    assert str(cal["X-WR-CALNAME"]) == "Team A — learning sessions"
    events = _events(cal)
    assert set(events) == {_uid(x) for x in (s.before, s.after, s.eastern, s.cancelled, s.recent)}
    for session in (s.before, s.after, s.eastern):
        _check_times(events[_uid(session)], session)
    assert {str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")} == {LA, NY}


def test_a_feed_of_only_one_zone_carries_only_that_zone(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    team = _team(world, "Solo", leader)
    starts = timezone.now().replace(second=0, microsecond=0) + datetime.timedelta(days=2)
    actions.do_save_session(
        leader,
        Session(
            title="Solo",
            session_type=SessionType.objects.get(name="Team meeting"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            time_zone="Europe/London",
        ),
        teams=[team],
    )
    _, token = actions.do_create_feed(leader, team)
    cal = _read(token)
    assert [str(tz["TZID"]) for tz in cal.walk("VTIMEZONE")] == ["Europe/London"]
    (ev,) = cal.walk("VEVENT")
    assert ev.decoded("DTSTART") == starts
    assert ev["DTSTART"].params["TZID"] == "Europe/London"


def test_a_revoked_unknown_or_orphaned_address_answers_404(sessions: Sessions) -> None:
    s = sessions
    feed, token = actions.do_create_feed(s.coach)
    assert _status(token) == 200
    assert _status(ical.new_token()) == 404
    assert _status(token[:-1]) == 404
    actions.do_revoke_feed(s.coach, feed)
    assert _status(token) == 404

    _, teacher_token = actions.do_create_feed(s.teacher)
    assert _status(teacher_token) == 200
    s.teacher.is_active = False
    s.teacher.save()
    assert _status(teacher_token) == 404


def test_a_team_feed_stops_when_its_owner_leaves_the_team_unless_they_lead_the_organization(
    sessions: Sessions,
) -> None:
    s = sessions
    _, token = actions.do_create_feed(s.coach, s.team_a)
    assert _status(token) == 200
    TeamMembership.objects.filter(team=s.team_a, person=s.coach).delete()
    assert _status(token) == 404
    # Her own feed goes on.
    _, own = actions.do_create_feed(s.coach)
    assert _status(own) == 200

    # A leader of the organization keeps a team's feed without being in the team.
    TeamMembership.objects.create(team=s.team_b, person=s.leader)
    _, leader_token = actions.do_create_feed(s.leader, s.team_b)
    TeamMembership.objects.filter(team=s.team_b, person=s.leader).delete()
    assert _status(leader_token) == 200
    assert set(_events(_read(leader_token))) == {_uid(s.other_team), _uid(s.guest_only)}


def test_the_feeds_page_shows_a_new_address_once(sessions: Sessions) -> None:
    s = sessions
    client = Client()
    client.force_login(s.coach)
    response = client.post(reverse("learning:feed_create"), {"team": ""})
    assert response.status_code == 302 and response["Location"] == reverse("learning:feeds")
    page = client.get(reverse("learning:feeds")).content.decode()
    found = re.findall(re.escape(BASE) + r"/learning/feed/([A-Za-z0-9_-]+)\.ics", page)
    assert len(set(found)) == 1
    token = found[0]
    feed = Feed.objects.get(owner=s.coach)
    assert (feed.team, feed.token_digest) == (None, digest(token))
    assert _status(token) == 200

    again = client.get(reverse("learning:feeds")).content.decode()
    assert token not in again
    assert "/learning/feed/" not in again
    assert "My sessions" in again  # the address is still listed, without its secret

    # A team's address, made from the page.
    client.post(reverse("learning:feed_create"), {"team": str(s.team_a.pk)})
    page = client.get(reverse("learning:feeds")).content.decode()
    (team_token,) = set(re.findall(re.escape(BASE) + r"/learning/feed/([A-Za-z0-9_-]+)\.ics", page))
    assert Feed.objects.get(token_digest=digest(team_token)).team == s.team_a
    # Not a team she is in: nothing is made.
    assert client.post(reverse("learning:feed_create"), {"team": str(s.team_b.pk)}).status_code == 404
    assert Feed.objects.filter(owner=s.coach).count() == 2


def test_only_the_owner_revokes_a_feed(sessions: Sessions) -> None:
    s = sessions
    feed, token = actions.do_create_feed(s.teacher)
    client = Client()
    client.force_login(s.coach)
    assert client.post(reverse("learning:feed_revoke", args=[feed.pk])).status_code == 404
    feed.refresh_from_db()
    assert feed.revoked_at is None
    assert _status(token) == 200

    owner = Client()
    owner.force_login(s.teacher)
    assert owner.post(reverse("learning:feed_revoke", args=[feed.pk])).status_code == 302
    feed.refresh_from_db()
    assert feed.revoked_at is not None
    assert _status(token) == 404
