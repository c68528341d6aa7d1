"""The learning API: who sees which sessions, scheduling one (and what a refusal leaves behind),
cancelling and restoring, attendance, takeaways, generating a rhythm, and writing and publishing
the school year's agenda."""

import datetime
import json
from typing import Any

from django.test import Client
from django.utils import timezone

from tandem.access.actions import do_issue_api_token
from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.core import school_years
from tandem.learning import actions
from tandem.learning.models import (
    Agenda,
    Attendance,
    DayOff,
    Priority,
    Rhythm,
    Session,
    SessionType,
    Slot,
    Takeaway,
)
from tandem.orgs.models import Person, Team, TeamMembership
from tests.world import World

D = datetime.date
UTC = datetime.UTC
LA = "America/Los_Angeles"
SESSIONS = "/api/v1/learning/sessions"
NOT_FOUND = {"detail": "Not found."}


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _errors(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def _leader(world: World) -> Person:
    return world.people[Role.NATIONAL_LEADER]


def _type(name: str = "Team meeting") -> SessionType:
    return SessionType.objects.get(name=name)


def _iso(moment: datetime.datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _next_year() -> int:
    """A school year wholly in the future, so that nothing in it has begun yet."""
    return school_years.current(timezone.localdate()) + 1


def _schedule(client: Client, starts: datetime.datetime, minutes: int = 60, **extra: Any) -> Any:
    body = {
        "title": "Reading the spring data",
        "session_type_id": _type().pk,
        "starts_at": _iso(starts),
        "ends_at": _iso(starts + datetime.timedelta(minutes=minutes)),
        "time_zone": LA,
        **extra,
    }
    return _send(client, "post", SESSIONS, body)


def _session(client: Client, starts: datetime.datetime, **extra: Any) -> dict[str, Any]:
    response = _schedule(client, starts, **extra)
    assert response.status_code == 201, response.content
    return response.json()


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [s["title"] for s in response.json()["items"]]


def _in_next_year(month: int, day: int, hour: int = 17) -> datetime.datetime:
    year = _next_year()
    return datetime.datetime(year - 1 if month >= 7 else year, month, day, hour, tzinfo=UTC)


# -- seeing sessions ------------------------------------------------------------------------------


def test_a_teacher_sees_only_the_sessions_they_are_invited_to(world: World) -> None:
    leader = _client(_leader(world))
    teacher = world.people[Role.TEACHER]
    team = Team.objects.create(organization=world.org, name="North literacy", kind=Team.Kind.OTHER)
    TeamMembership.objects.create(team=team, person=teacher)
    as_guest = _session(leader, _in_next_year(10, 6), title="As a guest", guest_ids=[teacher.pk])
    with_team = _session(leader, _in_next_year(10, 13), title="With the team", team_ids=[team.pk])
    elsewhere = _session(leader, _in_next_year(10, 20), title="Elsewhere", guest_ids=[world.outside.principal.pk])

    client = _client(teacher)
    assert _titles(client.get(SESSIONS)) == ["As a guest", "With the team"]
    assert client.get(f"{SESSIONS}/{as_guest['id']}").json()["guests"] == [{"id": teacher.pk, "name": "Teacher"}]
    assert client.get(f"{SESSIONS}/{with_team['id']}").json()["teams"] == [{"id": team.pk, "name": "North literacy"}]
    # A session outside reach answers exactly as one that does not exist.
    hidden = client.get(f"{SESSIONS}/{elsewhere['id']}")
    missing = client.get(f"{SESSIONS}/{elsewhere['id'] + 1000}")
    assert (hidden.status_code, hidden.json()) == (404, NOT_FOUND)
    assert (missing.status_code, missing.json()) == (404, NOT_FOUND)
    # Writing to it too: a takeaway on a session outside reach.
    refused = _send(client, "post", f"{SESSIONS}/{elsewhere['id']}/takeaways", {"text": "Sneaky"})
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    assert not Takeaway.objects.exists()

    # The staff see every session; `mine` narrows to their own invitations.
    coach = _client(world.people[Role.COACH])
    assert _titles(coach.get(SESSIONS)) == ["As a guest", "With the team", "Elsewhere"]
    assert _titles(coach.get(SESSIONS, {"mine": "true"})) == []
    assert _titles(client.get(SESSIONS, {"mine": "true"})) == ["As a guest", "With the team"]
    # The other filters.
    assert _titles(coach.get(SESSIONS, {"team": team.pk})) == ["With the team"]
    oct_13 = f"{_next_year() - 1}-10-13"
    assert _titles(coach.get(SESSIONS, {"from": oct_13})) == ["With the team", "Elsewhere"]
    assert _titles(coach.get(SESSIONS, {"from": oct_13, "to": oct_13})) == ["With the team"]
    assert _titles(coach.get(SESSIONS, {"type": _type("Data dive").pk})) == []
    assert _titles(coach.get(SESSIONS, {"status": "cancelled"})) == []


def test_session_types_priorities_rhythms_and_the_agenda_are_for_the_staff(world: World) -> None:
    actions.do_open_agenda(_leader(world), _next_year())
    urls = [
        "/api/v1/learning/session-types",
        "/api/v1/learning/priorities",
        "/api/v1/learning/rhythms",
        f"/api/v1/learning/agendas/{_next_year()}",
    ]
    for role in (Role.TEACHER, Role.PRINCIPAL, Role.FUNDER, Role.NETWORK_MEMBER, Role.DISTRICT_LEADER):
        client = _client(world.people[role])
        assert [client.get(url).status_code for url in urls] == [404] * 4, role
    analyst = _client(world.people[Role.ANALYST])
    assert [analyst.get(url).status_code for url in urls] == [200] * 4
    types = analyst.get(urls[0]).json()
    assert types["count"] == SessionType.objects.count() == 6
    meeting = next(t for t in types["items"] if t["name"] == "Team meeting")
    assert meeting["built_in"] and meeting["structure"][0] == _type().structure[0]
    # The agenda of a year nobody started answers 404 too.
    assert analyst.get(f"/api/v1/learning/agendas/{_next_year() + 1}").status_code == 404


def test_session_types_and_priorities_are_edited_by_leaders(world: World) -> None:
    leader = _client(_leader(world))
    url = "/api/v1/learning/session-types"
    bad = {"name": "Book club", "structure": [{"item": " ", "minutes": 10}, {"item": "Discuss", "minutes": 0}]}
    assert _errors(_send(leader, "post", url, bad)) == [
        (["body", "structure"], "Agenda item 1 needs a name."),
        (["body", "structure"], "Agenda item 2 (“Discuss”) needs whole minutes from 1 to 720."),
    ]
    assert _errors(_send(leader, "post", url, {"name": "Team meeting"})) == [
        (["body", "name"], "Session type with this Name already exists.")
    ]
    assert not SessionType.objects.filter(name="Book club").exists()

    good = {"name": "Book club", "audience": "organization", "structure": [{"item": "Discuss", "minutes": 45}]}
    response = _send(leader, "post", url, good)
    assert response.status_code == 201, response.content
    created = response.json()
    assert (created["audience"], created["built_in"], created["archived"]) == ("organization", False, False)
    response = _send(leader, "patch", f"{url}/{created['id']}", {"archived": True})
    assert response.json()["archived"] is True and response.json()["name"] == "Book club"
    assert _errors(_send(leader, "patch", f"{url}/{created['id']}", {"name": None})) == [
        (["body", "name"], "This field cannot be empty.")
    ]
    # An archived type schedules no new session.
    assert _errors(_schedule(leader, _in_next_year(9, 1), session_type_id=created["id"])) == [
        (["body", "session_type"], "“Book club” is archived; choose a session type in use.")
    ]

    response = _send(leader, "post", "/api/v1/learning/priorities", {"name": "Early literacy"})
    assert response.status_code == 201
    priority = response.json()
    response = _send(leader, "patch", f"/api/v1/learning/priorities/{priority['id']}", {"description": "K-3"})
    assert response.json() == {**priority, "description": "K-3"}

    # Staff who do not lead the organization get "not found", and nothing changes.
    coach = _client(world.people[Role.COACH])
    assert _send(coach, "post", url, {"name": "Coach's club"}).status_code == 404
    assert _send(coach, "patch", f"{url}/{created['id']}", {"archived": False}).status_code == 404
    assert _send(coach, "post", "/api/v1/learning/priorities", {"name": "Mine"}).status_code == 404
    assert SessionType.objects.get(pk=created["id"]).archived
    assert not Priority.objects.filter(name="Mine").exists()


# -- scheduling -----------------------------------------------------------------------------------


def test_scheduling_a_session(world: World) -> None:
    leader = _client(_leader(world))
    coach, teacher = world.people[Role.COACH], world.people[Role.TEACHER]
    # 18:30 on 1 September in Los Angeles is 01:30 on 2 September in UTC: the local date is the 1st.
    year = _next_year() - 1
    starts = datetime.datetime(year, 9, 2, 1, 30, tzinfo=UTC)
    body = _session(leader, starts, minutes=90, facilitator_ids=[coach.pk], guest_ids=[teacher.pk], location="Zoom")
    assert (body["local_date"], body["starts_at"][:16]) == (f"{year}-09-01", f"{year}-09-02T01:30")
    assert body["minutes"] == 90 and body["time_zone"] == LA and body["location"] == "Zoom"
    assert body["agenda"] == _type().agenda_text()
    assert body["facilitators"] == [{"id": coach.pk, "name": "Coach / partner"}]
    assert (body["status"], body["priority_id"], body["rhythm_id"], body["detached"]) == (
        "scheduled",
        None,
        None,
        False,
    )
    assert body["may_plan"] and body["may_keep_record"]
    assert body["attendance"] == [] and body["takeaways"] == [] and body["materials"] == []
    assert _client(coach).get(f"{SESSIONS}/{body['id']}").json()["may_plan"] is False


def test_a_refused_session_is_a_precise_422_and_changes_nothing(world: World) -> None:
    leader = _client(_leader(world))
    starts = _in_next_year(11, 3)
    before = (Session.objects.count(), AuditEntry.objects.count())

    assert _errors(_schedule(leader, starts, minutes=-30)) == [
        (["body", "ends_at"], "The session ends before it starts.")
    ]
    assert _errors(_schedule(leader, starts, minutes=13 * 60)) == [
        (["body", "ends_at"], "A session lasts at most 12 hours; make a convening day one session.")
    ]
    assert _errors(_schedule(leader, starts, time_zone="Mars/Olympus")) == [
        (
            ["body", "time_zone"],
            "“Mars/Olympus” is not a time zone Tandem knows; use a name like America/Los_Angeles or America/New_York.",
        )
    ]
    assert _errors(_schedule(leader, starts, guest_ids=[987654])) == [
        (["body", "guest_ids"], "No person has one of these ids.")
    ]
    assert _errors(_schedule(leader, starts, team_ids=[987654])) == [
        (["body", "team_ids"], "No team has one of these ids.")
    ]
    assert _errors(_schedule(leader, starts, session_type_id=987654)) == [
        (["body", "session_type_id"], "No session type has this id.")
    ]
    assert _errors(_schedule(leader, starts, priority_id=987654)) == [
        (["body", "priority_id"], "No priority has this id.")
    ]
    naive = _send(
        leader,
        "post",
        SESSIONS,
        {
            "title": "x",
            "session_type_id": _type().pk,
            "starts_at": "2030-01-01T09:00",
            "ends_at": "2030-01-01T10:00Z",
            "time_zone": LA,
        },
    )
    assert _errors(naive) == [(["body", "data", "starts_at"], "Input should have timezone info")]
    assert (Session.objects.count(), AuditEntry.objects.count()) == before

    # Those who do not plan the organization's sessions get "not found".
    for role in (Role.REGIONAL_DIRECTOR, Role.COACH, Role.TEACHER):
        response = _schedule(_client(world.people[role]), starts)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), role
    assert Session.objects.count() == before[0]


def test_changing_a_generated_session_detaches_it(world: World) -> None:
    leader = _client(_leader(world))
    plan = _Plan(world)
    _send(leader, "post", f"/api/v1/learning/rhythms/{plan.rhythm.pk}/generate")
    session = Session.objects.filter(slot=plan.monday).order_by("starts_at").first()
    assert session is not None and not session.detached
    url = f"{SESSIONS}/{session.pk}"

    # Any change by hand takes it out of the rhythm: regenerating would otherwise undo it.
    response = _send(leader, "patch", url, {"title": "Renamed"})
    assert response.status_code == 200 and response.json()["title"] == "Renamed"
    assert response.json()["detached"] is True and response.json()["rhythm_id"] == plan.rhythm.pk
    later = session.starts_at + datetime.timedelta(hours=1)
    response = _send(
        leader, "patch", url, {"starts_at": _iso(later), "ends_at": _iso(later + datetime.timedelta(hours=1))}
    )
    assert response.json()["detached"] is True
    assert Session.objects.get(pk=session.pk).starts_at == later
    priority = Priority.objects.create(name="Math")
    response = _send(leader, "patch", url, {"priority_id": priority.pk})
    assert (response.json()["priority"], response.json()["priority_from_agenda"]) == ("Math", False)
    assert _errors(_send(leader, "patch", url, {"ends_at": _iso(later)})) == [
        (["body", "ends_at"], "The session ends before it starts.")
    ]
    assert Session.objects.get(pk=session.pk).ends_at == later + datetime.timedelta(hours=1)

    # The region's director plans its rhythm's sessions; the coach sees them but does not.
    director = _client(world.people[Role.REGIONAL_DIRECTOR])
    assert _send(director, "patch", url, {"location": "Library"}).json()["location"] == "Library"
    assert _send(_client(world.people[Role.COACH]), "patch", url, {"location": "Gym"}).status_code == 404


# -- cancelling, attendance, takeaways ------------------------------------------------------------


def test_cancel_and_restore(world: World) -> None:
    leader = _client(_leader(world))
    session = _session(leader, _in_next_year(10, 6), guest_ids=[world.people[Role.TEACHER].pk])
    url = f"{SESSIONS}/{session['id']}/cancel"

    assert _errors(_send(leader, "post", url, {"reason": "  "})) == [
        (["body"], "Say why the session is cancelled: invitees see the reason in their calendars.")
    ]
    assert _errors(_send(leader, "post", url, {"restore": True})) == [(["body"], "The session is not cancelled.")]
    response = _send(leader, "post", url, {"reason": "Testing week"})
    assert response.status_code == 200, response.content
    cancelled = response.json()
    assert (cancelled["status"], cancelled["cancel_reason"], cancelled["detached"]) == (
        "cancelled",
        "Testing week",
        True,
    )
    assert _errors(_send(leader, "post", url, {"reason": "Again"})) == [(["body"], "The session is already cancelled.")]
    teacher = _client(world.people[Role.TEACHER])
    assert _titles(teacher.get(SESSIONS, {"status": "cancelled"})) == ["Reading the spring data"]

    response = _send(leader, "post", url, {"restore": True})
    assert (response.json()["status"], response.json()["cancel_reason"]) == ("scheduled", "")
    assert Session.objects.get(pk=session["id"]).sequence == 2

    # A one-off session is the organization leaders' to cancel: the region's director and the
    # invited teacher get "not found".
    for client in (_client(world.people[Role.REGIONAL_DIRECTOR]), teacher):
        assert _send(client, "post", url, {"reason": "No"}).status_code == 404
    assert Session.objects.get(pk=session["id"]).status == Session.Status.SCHEDULED


def test_attendance_marks(world: World) -> None:
    leader = _client(_leader(world))
    coach, teacher, principal = (world.people[r] for r in (Role.COACH, Role.TEACHER, Role.PRINCIPAL))
    began = timezone.now() - datetime.timedelta(hours=2)
    session = _session(leader, began, facilitator_ids=[coach.pk], guest_ids=[teacher.pk])
    url = f"{SESSIONS}/{session['id']}/attendance"
    facilitator = _client(coach)

    # The principal is not invited but the coach works at their school.
    marks = [{"person_id": teacher.pk, "status": "present"}, {"person_id": principal.pk, "status": "excused"}]
    response = _send(facilitator, "put", url, {"marks": marks})
    assert response.status_code == 200, response.content
    assert response.json()["attendance"] == [
        {"person_id": principal.pk, "person": "Principal", "status": "excused"},
        {"person_id": teacher.pk, "person": "Teacher", "status": "present"},
    ]
    # Someone invited sees their own mark only.
    assert _client(teacher).get(f"{SESSIONS}/{session['id']}").json()["attendance"] == [
        {"person_id": teacher.pk, "person": "Teacher", "status": "present"}
    ]

    # A bad mark refuses the whole request: the good mark before it is not kept either.
    bad = [{"person_id": principal.pk, "status": "present"}, {"person_id": teacher.pk, "status": "late"}]
    assert _errors(_send(facilitator, "put", url, {"marks": bad})) == [
        (["body"], "“late” is not an attendance mark; use absent, excused, present.")
    ]
    twice = [{"person_id": teacher.pk, "status": "absent"}, {"person_id": teacher.pk, "status": "present"}]
    assert _errors(_send(facilitator, "put", url, {"marks": twice})) == [
        (["body", "marks"], "Each person is marked once.")
    ]
    stranger = [{"person_id": world.outside.principal.pk, "status": "present"}]
    assert _errors(_send(facilitator, "put", url, {"marks": stranger})) == [
        (["body", "marks"], "No person has one of these ids.")
    ]
    assert dict(Attendance.objects.values_list("person_id", "status")) == {
        teacher.pk: "present",
        principal.pk: "excused",
    }

    # An empty mark clears it; people not named keep theirs.
    response = _send(facilitator, "put", url, {"marks": [{"person_id": principal.pk, "status": ""}]})
    assert [a["person_id"] for a in response.json()["attendance"]] == [teacher.pk]

    # Guests do not take attendance; nobody takes it until an hour before the session.
    assert _send(_client(teacher), "put", url, {"marks": marks}).status_code == 404
    later = _session(leader, timezone.now() + datetime.timedelta(days=2), facilitator_ids=[coach.pk])
    assert _errors(_send(facilitator, "put", f"{SESSIONS}/{later['id']}/attendance", {"marks": marks})) == [
        (["body"], "Attendance opens an hour before the session begins.")
    ]


def test_takeaways(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    session = _session(_client(_leader(world)), _in_next_year(10, 6), guest_ids=[teacher.pk])
    client = _client(teacher)
    url = f"{SESSIONS}/{session['id']}/takeaways"
    assert _errors(_send(client, "post", url, {"text": "   "})) == [(["body"], "Write the takeaway.")]
    response = _send(client, "post", url, {"text": "  Try choral reading on Mondays. "})
    assert response.status_code == 201, response.content
    takeaway = response.json()
    assert (takeaway["text"], takeaway["author_id"], takeaway["session_id"]) == (
        "Try choral reading on Mondays.",
        teacher.pk,
        session["id"],
    )
    assert client.get(f"{SESSIONS}/{session['id']}").json()["takeaways"] == [takeaway]
    # Someone not invited (and not on the staff) does not see the session to add to it.
    assert _send(_client(world.people[Role.PRINCIPAL]), "post", url, {"text": "Hi"}).status_code == 404


# -- rhythms --------------------------------------------------------------------------------------


class _Plan:
    """A four-week rhythm of the in half's region in the next school year: Mondays at 9:00, and
    every other Wednesday at 15:00; its second Monday is a holiday for every rhythm."""

    def __init__(self, world: World) -> None:
        leader = _leader(world)
        year = _next_year()
        first = D(year - 1, 9, 1)
        self.starts_on = first + datetime.timedelta(days=(7 - first.weekday()) % 7)  # a Monday
        self.rhythm = actions.do_save_rhythm(
            leader,
            Rhythm(
                name="North weekly",
                school_year=year,
                region=world.inside.region,
                time_zone=LA,
                starts_on=self.starts_on,
                ends_on=self.starts_on + datetime.timedelta(days=27),
            ),
        )
        self.monday = actions.do_save_slot(
            leader,
            Slot(rhythm=self.rhythm, session_type=_type(), weekday=0, starts_at=datetime.time(9), minutes=60),
        )
        self.wednesday = actions.do_save_slot(
            leader,
            Slot(
                rhythm=self.rhythm,
                session_type=_type("Data dive"),
                weekday=2,
                starts_at=datetime.time(15),
                minutes=90,
                every_weeks=2,
            ),
        )
        self.holiday = self.day_off(world, 1)

    def day_off(self, world: World, week: int) -> DayOff:
        day = self.starts_on + datetime.timedelta(weeks=week)
        return actions.do_save_day_off(
            _leader(world),
            DayOff(school_year=self.rhythm.school_year, name=f"Holiday {week}", first_day=day, last_day=day),
        )


def test_generate_answers_the_counts(world: World) -> None:
    plan = _Plan(world)
    director = _client(world.people[Role.REGIONAL_DIRECTOR])
    url = f"/api/v1/learning/rhythms/{plan.rhythm.pk}/generate"

    response = _send(director, "post", url)
    assert response.status_code == 200, response.content
    # Mondays of weeks 0, 2 and 3 (week 1 is a holiday); Wednesdays of weeks 0 and 2.
    assert response.json() == {"created": 5, "moved": 0, "cancelled": 0, "restored": 0, "kept": 0}
    assert _send(director, "post", url).json() == {"created": 0, "moved": 0, "cancelled": 0, "restored": 0, "kept": 5}

    # Week 2's Monday becomes a holiday, the Wednesdays move an hour later, and week 3's Monday was
    # cancelled by hand (so generating leaves it alone).
    plan.day_off(world, 2)
    plan.wednesday.starts_at = datetime.time(16)
    actions.do_save_slot(_leader(world), plan.wednesday)
    last_monday = Session.objects.filter(slot=plan.monday).order_by("starts_at").last()
    assert last_monday is not None
    actions.do_cancel_session(_leader(world), last_monday, "Snow day")
    assert _send(director, "post", url).json() == {"created": 0, "moved": 2, "cancelled": 1, "restored": 0, "kept": 2}
    assert Session.objects.filter(slot__rhythm=plan.rhythm, status="cancelled").count() == 2

    # Removing the holiday again puts its Monday back.
    actions.do_delete_day_off(_leader(world), DayOff.objects.get(name="Holiday 2"))
    assert _send(director, "post", url).json()["restored"] == 1

    detail = director.get(f"/api/v1/learning/rhythms/{plan.rhythm.pk}").json()
    assert detail["may_plan"] is True and detail["region"] == "North region"
    assert [(s["weekday"], s["starts_at"], s["every_weeks"]) for s in detail["slots"]] == [
        (0, "09:00:00", 1),
        (2, "16:00:00", 2),
    ]
    assert [(d["name"], d["rhythm_id"], d["kind"]) for d in detail["days_off"]] == [("Holiday 1", None, "holiday")]

    # A coach sees the rhythm but does not plan it; another region's director plans only their own.
    coach = _client(world.people[Role.COACH])
    assert coach.get(f"/api/v1/learning/rhythms/{plan.rhythm.pk}").json()["may_plan"] is False
    assert _send(coach, "post", url).status_code == 404
    south = Rhythm.objects.create(
        name="South weekly",
        school_year=plan.rhythm.school_year,
        region=world.outside.region,
        starts_on=plan.rhythm.starts_on,
        ends_on=plan.rhythm.ends_on,
    )
    response = _send(director, "post", f"/api/v1/learning/rhythms/{south.pk}/generate")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Rhythm.objects.get(pk=south.pk).generated_at is None


# -- the agenda -----------------------------------------------------------------------------------


def test_agenda_propose_comment_and_publish(world: World) -> None:
    leader_person = _leader(world)
    year = _next_year()
    agenda = actions.do_open_agenda(leader_person, year)
    base = f"/api/v1/learning/agendas/{year}"
    coach = _client(world.people[Role.COACH])
    leader = _client(leader_person)
    literacy, math, other = (Priority.objects.create(name=n) for n in ("Literacy", "Math", "Attendance"))

    response = coach.get(base)
    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["label"], body["may_publish"]) == ("draft", school_years.label(year), False)
    assert [m["month"] for m in body["months"]][:2] == [f"{year - 1}-07-01", f"{year - 1}-08-01"]
    assert len(body["months"]) == 12

    # Staff propose and comment; a month outside the year is refused by name.
    proposal = {"title": "A month on feedback", "month": f"{year + 1}-09-15", "priority_id": literacy.pk}
    assert _errors(_send(coach, "post", f"{base}/proposals", proposal)) == [
        (["body"], f"September {year + 1} is not in the {school_years.label(year)} school year.")
    ]
    response = _send(coach, "post", f"{base}/proposals", {**proposal, "month": f"{year - 1}-09-15"})
    assert response.status_code == 201, response.content
    assert (response.json()["month"], response.json()["status"]) == (f"{year - 1}-09-01", "open")
    response = _send(coach, "post", f"{base}/comments", {"body": "October is busy with testing."})
    assert response.status_code == 201 and response.json()["month"] is None
    body = coach.get(base).json()
    assert [p["title"] for p in body["proposals"]] == ["A month on feedback"]
    assert [c["body"] for c in body["comments"]] == ["October is busy with testing."]
    teacher = _client(world.people[Role.TEACHER])
    assert _send(teacher, "post", f"{base}/comments", {"body": "Me too"}).status_code == 404

    # Two sessions: one follows the agenda, one has its priority set by hand.
    october = _session(leader, _in_next_year(10, 6), title="October")
    march = _session(leader, _in_next_year(3, 2), title="March", priority_id=other.pk)

    # Only the organization's leaders publish; every month needs its priority first.
    assert _send(coach, "post", f"{base}/publish").status_code == 404
    months = list(agenda.months.all())
    for month in months:
        if month.month.month not in (3, 5):
            actions.do_save_month(leader_person, month, literacy if month.month.month < 12 else math, "")
    assert _errors(_send(leader, "post", f"{base}/publish")) == [
        (["body"], "Every month needs a priority before the agenda is published; missing: March, May.")
    ]
    assert Agenda.objects.get(pk=agenda.pk).status == "draft"
    for month in months:
        if month.month.month in (3, 5):
            actions.do_save_month(leader_person, month, math, "Fractions")

    response = _send(leader, "post", f"{base}/publish")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["published_by_id"], body["sessions_changed"]) == ("published", leader_person.pk, 1)
    assert {m["month"][5:7]: m["priority"] for m in body["months"]}["03"] == "Math"
    assert leader.get(f"{SESSIONS}/{october['id']}").json()["priority"] == "Literacy"
    assert leader.get(f"{SESSIONS}/{march['id']}").json()["priority"] == "Attendance"
    # A session scheduled afterwards takes its month's priority.
    assert _session(leader, _in_next_year(3, 9), title="Later")["priority"] == "Math"

    # Published: no more proposals until a leader reopens it.
    assert _errors(_send(coach, "post", f"{base}/proposals", {"title": "Late idea"})) == [
        (
            ["body"],
            "The agenda is published; items are proposed and comments written only while it is a draft (a leader can reopen it).",
        )
    ]
    assert _errors(_send(leader, "post", f"{base}/publish")) == [(["body"], "The agenda is already published.")]
    response = _send(leader, "post", f"{base}/publish", {"reopen": True})
    assert (response.json()["status"], response.json()["sessions_changed"]) == ("draft", 0)
    assert _send(coach, "post", f"{base}/proposals", {"title": "Late idea"}).status_code == 201


def test_an_api_token_reads_the_owners_sessions(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    _session(_client(_leader(world)), _in_next_year(10, 6), title="Mine", guest_ids=[teacher.pk])
    _session(_client(_leader(world)), _in_next_year(10, 7), title="Not mine")
    _, secret = do_issue_api_token(teacher, teacher, "calendar script")
    response = Client().get(SESSIONS, HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert _titles(response) == ["Mine"]
    assert Client().get(SESSIONS).status_code == 401
