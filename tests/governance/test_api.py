"""The governance API: a part of Tandem that does not exist for anyone off the staff, working groups
that answer exactly like missing ones to those outside them, operations a caller has no right to
that answer 404, refusals that say exactly what is wrong and write nothing, working groups and their
reviews, planning teams, seats and appointments, elections from nomination to count, the decisions
log — and secret ballots: nothing any endpoint answers links a voter to a ballot."""

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.andon.feed import actions as feed_actions
from tandem.api.urls import api
from tandem.core.forms import MAX_ID
from tandem.governance import actions, seats
from tandem.governance.models import Ballot, Election, Nomination, PlanningTeam, Seat, Term, WorkingGroup
from tandem.orgs.models import Person
from tests.governance import helpers
from tests.governance.helpers import state as counts
from tests.world import World

BASE = "/api/v1/governance"
GROUPS = f"{BASE}/groups"
TEAMS = f"{BASE}/teams"
ELECTIONS = f"{BASE}/elections"
DECISIONS = f"{BASE}/decisions"
NOT_FOUND = {"detail": "Not found."}
TOO_BIG = MAX_ID + 1
NOT_STAFF = (Role.PRINCIPAL, Role.TEACHER, Role.DISTRICT_LEADER, Role.FUNDER, Role.NETWORK_MEMBER)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps({} if body is None else body), content_type="application/json")


def _post(client: Client, url: str, body: Any = None) -> Any:
    return _send(client, "post", url, body)


def _errors(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def _missing(response: Any) -> None:
    assert (response.status_code, response.json()) == (404, NOT_FOUND), response.content


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.full_name if isinstance(obj, Person) else obj.name}


def _days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


def _ago(**delta: float) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


@dataclass
class Gov:
    """Who is who. The national planning team has an appointed seat the regional director holds
    this term, and elected seats for coaches. The working group is sponsored by the regional
    director with the coach as its member; the analyst is staff outside it."""

    world: World
    admin: Person
    leader: Person
    director: Person
    coach: Person
    colleague: Person  # another coach, in the North half
    far_coach: Person  # a coach in the South half
    analyst: Person
    principal: Person
    team: PlanningTeam
    appointed: Seat
    group: WorkingGroup

    def elected_seat(self, name: str = "Implementer seat A", **fields: Any) -> Seat:
        return helpers.elected_seat(self.world, self.team, name, datetime.date(2025, 1, 1), **fields)

    def election(self, *chosen: Seat, opened: datetime.datetime | None = None) -> Election:
        """Opened by hand at `opened` (now, left out) for the seats' next term from then."""
        opened = opened or timezone.now()
        starts, _ = seats.next_term(chosen[0], timezone.localdate(opened))
        return actions.do_open_election(self.leader, self.team, list(chosen), starts, now=opened)

    def voting(self, *chosen: Seat, nominees: tuple[Person, ...] = ()) -> tuple[Election, list[Nomination]]:
        """An election now in its voting days, with these people standing (self-nominated)."""
        opened = _ago(days=15)
        election = self.election(*chosen, opened=opened)
        at = opened + datetime.timedelta(hours=1)
        standing = [actions.do_nominate(p, election, p, f"{p.full_name} will listen.", now=at) for p in nominees]
        return election, standing


def _gov(world: World) -> Gov:
    p = world.people
    leader, director = p[Role.NATIONAL_LEADER], p[Role.REGIONAL_DIRECTOR]
    team = helpers.team(world)
    appointed = helpers.appointed_seat(world, team, "Regional seat", datetime.date(2020, 1, 1))
    starts, _ = seats.term_span(appointed, timezone.localdate())
    actions.do_appoint(leader, appointed, director, starts)
    group = actions.do_form_group(
        leader,
        {
            "name": "Coaching cadence",
            "misalignment": "The strategy says weekly coaching; schools see a coach monthly.",
            "purpose": "Find out why and propose a cadence.",
            "sponsor": director,
            "starts_on": _days(-30),
            "ends_on": _days(60),
        },
        goals=["Map the visits", "Propose a cadence"],
        members=[p[Role.COACH]],
    )
    return Gov(
        world=world,
        admin=p[Role.ORG_ADMIN],
        leader=leader,
        director=director,
        coach=p[Role.COACH],
        colleague=world.inside.partner,
        far_coach=world.outside.partner,
        analyst=p[Role.ANALYST],
        principal=world.inside.principal,
        team=team,
        appointed=appointed,
        group=group,
    )


@pytest.fixture
def gov(world: World) -> Gov:
    return _gov(world)


# -- who finds governance -------------------------------------------------------------------------


def test_governance_does_not_exist_for_anyone_off_the_staff(gov: Gov, world: World) -> None:
    seat = gov.elected_seat()
    election, (nomination,) = gov.voting(seat, nominees=(gov.coach,))
    decision = actions.do_record_decision(
        gov.leader,
        {"title": "Cadence", "decided_on": _days(0), "decision": "Weekly.", "rationale": "Because."},
        team=gov.team,
        follow_ups=[("Tell schools", None, None)],
    )
    follow_up = decision.follow_ups.get()
    g, t, e = gov.group.pk, gov.team.pk, election.pk
    ops: list[tuple[str, str, Any]] = [
        ("get", GROUPS, None),
        ("post", GROUPS, _group_body(gov)),
        ("get", f"{GROUPS}/{g}", None),
        ("post", f"{GROUPS}/{g}/members", {"person_id": gov.analyst.pk, "change": "join", "because": "x"}),
        ("post", f"{GROUPS}/{g}/support", {"kind": "advice", "text": "x"}),
        ("post", f"{GROUPS}/{g}/reviews", {"assessments": [], "outcome": "disband"}),
        ("get", TEAMS, None),
        ("post", TEAMS, {"name": "Mine"}),
        ("get", f"{TEAMS}/{t}", None),
        ("post", f"{TEAMS}/{t}/seats", {"name": "x", "kind": "appointed", "first_term_starts": "2027-01-01"}),
        (
            "post",
            f"{BASE}/seats/{gov.appointed.pk}/appoint",
            {"person_id": gov.analyst.pk, "term_starts": "2027-01-01"},
        ),
        ("get", ELECTIONS, None),
        ("post", f"{TEAMS}/{t}/elections", {"seat_ids": [seat.pk], "term_starts": "2027-01-01"}),
        ("get", f"{ELECTIONS}/{e}", None),
        ("post", f"{ELECTIONS}/{e}/nominations", {"nominee_id": gov.coach.pk}),
        ("post", f"{ELECTIONS}/{e}/nominations/{nomination.pk}/answer", {"accept": True}),
        ("post", f"{ELECTIONS}/{e}/vote", {"ranking": [nomination.pk]}),
        ("post", f"{ELECTIONS}/{e}/receipt", {"receipt": "ABCD"}),
        ("post", f"{ELECTIONS}/{e}/count", None),
        ("post", f"{ELECTIONS}/{e}/cancel", {"because": "x"}),
        ("get", DECISIONS, None),
        (
            "post",
            DECISIONS,
            {"team_id": t, "title": "x", "decided_on": "2026-01-01", "decision": "x", "rationale": "x"},
        ),
        ("get", f"{DECISIONS}/{decision.pk}", None),
        ("post", f"{DECISIONS}/{decision.pk}/follow-ups/{follow_up.pk}/done", {"done": True}),
    ]
    operations = {(m.upper(), url) for m, url, _ in ops}
    documented = {
        (method.upper(), path)
        for path, found in api.get_openapi_schema(path_prefix="/api/")["paths"].items()
        if path.startswith(BASE)
        for method in found
    }
    assert len(operations) == len(documented) == len(ops)
    # Someone who has left the staff finds nothing either.
    gone = gov.analyst
    RoleAssignment.objects.filter(person=gone).update(ends_on=_days(-1))
    before = counts()
    for person in [*(gov.world.people[r] for r in NOT_STAFF), gone]:
        client = _client(person)
        for method, url, body in ops:
            response = client.get(url) if method == "get" else _send(client, method, url, body)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (person, method, url)
    assert counts() == before


def test_a_group_out_of_reach_answers_exactly_like_one_that_does_not_exist(gov: Gov) -> None:
    hidden = actions.do_form_group(
        gov.leader,
        {
            "name": "South cadence",
            "misalignment": "M",
            "purpose": "P",
            "sponsor": gov.far_coach,
            "starts_on": _days(-1),
            "ends_on": _days(30),
        },
        goals=["G"],
        members=[gov.far_coach],
    )
    secret = actions.do_record_decision(
        gov.far_coach,
        {"title": "South only", "decided_on": _days(0), "decision": "D", "rationale": "R"},
        group=hidden,
        follow_ups=[("F", gov.analyst, None)],
    )
    before = counts()
    for person in (gov.coach, gov.director, gov.analyst):
        client = _client(person)
        for group_id in (hidden.pk, 987654, MAX_ID, TOO_BIG, 0, -1):
            for method, suffix, body in [
                ("get", "", None),
                ("post", "/members", {"person_id": gov.coach.pk, "change": "join", "because": "x"}),
                ("post", "/support", {"kind": "advice", "text": "x"}),
                ("post", "/reviews", {"assessments": [], "outcome": "disband", "learned": "x"}),
            ]:
                url = f"{GROUPS}/{group_id}{suffix}"
                _missing(client.get(url) if method == "get" else _post(client, url, body))
        for decision_id in (secret.pk, 987654, TOO_BIG, -1):
            _missing(client.get(f"{DECISIONS}/{decision_id}"))
        # Even the follow-up's owner does not reach it through a decision they cannot see.
        follow_up = secret.follow_ups.get()
        _missing(_post(client, f"{DECISIONS}/{secret.pk}/follow-ups/{follow_up.pk}/done", {"done": True}))
        assert [g["name"] for g in _ok(client.get(GROUPS))["items"]] == ["Coaching cadence"] * (person != gov.analyst)
        assert "South only" not in json.dumps(_ok(client.get(DECISIONS)))
        # A body naming it is refused exactly like a group that does not exist.
        for group_id in (hidden.pk, 987654):
            body = {"group_id": group_id, "title": "x", "decided_on": "2026-01-01", "decision": "x", "rationale": "x"}
            assert _errors(_post(client, DECISIONS, body)) == [(["body", "group_id"], "No working group has this id.")]
        for other in (987654, TOO_BIG, 0, -1):
            for url in (f"{TEAMS}/{other}", f"{ELECTIONS}/{other}"):
                _missing(client.get(url))
            _missing(_post(client, f"{ELECTIONS}/{other}/vote", {"ranking": [1]}))
            _missing(_post(client, f"{ELECTIONS}/{other}/receipt", {"receipt": "x"}))
            _missing(_post(client, f"{ELECTIONS}/{other}/nominations/1/answer", {"accept": True}))
    # An id that is no number at all is malformed, not missing.
    assert _errors(_client(gov.coach).get(f"{GROUPS}/abc")) == [
        (["path", "group_id"], "Input should be a valid integer, unable to parse string as an integer")
    ]
    assert _client(gov.coach).get(f"{GROUPS}/%00").status_code == 422
    assert counts() == before
    # The organization's leaders see every group.
    for person in (gov.leader, gov.admin):
        assert _ok(_client(person).get(f"{GROUPS}/{hidden.pk}"))["name"] == "South cadence"


# -- working groups -------------------------------------------------------------------------------


def _group_body(gov: Gov, **extra: Any) -> dict[str, Any]:
    return {
        "name": "Data days",
        "misalignment": "Data days are planned nationally; schools hold them on other days.",
        "purpose": "Align the calendar.",
        "sponsor_id": gov.director.pk,
        "starts_on": str(_days(0)),
        "ends_on": str(_days(90)),
        "goals": ["Collect the calendars", "  ", "Agree a rhythm"],
        "member_ids": [gov.coach.pk, gov.analyst.pk, gov.coach.pk],
        **extra,
    }


def test_a_leader_forms_a_group_from_flags_and_members_and_the_sponsor_see_it(gov: Gov, world: World) -> None:
    flag = feed_actions.do_post(gov.coach, "flag", "Data day clash", "Two data days.", school=world.inside.school)
    hidden = feed_actions.do_post(
        gov.far_coach, "flag", "Private clash", "Quietly.", school=world.outside.school, restricted=True
    )
    body = _group_body(gov, post_ids=[flag.pk, hidden.pk, flag.pk])
    made = _ok(_post(_client(gov.leader), GROUPS, body), 201)
    assert (made["name"], made["status"], made["round"], made["sponsor"], made["created_by"]) == (
        "Data days",
        "active",
        1,
        _ref(gov.director),
        _ref(gov.leader),
    )
    assert [(g["round"], g["text"], g["assessment"]) for g in made["goals"]] == [
        (1, "Collect the calendars", "open"),
        (1, "Agree a rhythm", "open"),
    ]
    assert made["members"] == sorted([_ref(gov.analyst), _ref(gov.coach)], key=lambda r: r["name"])
    assert made["member_count"] == 2
    assert [(m["person"], m["joined_because"], m["current"]) for m in made["memberships"]] == [
        (_ref(gov.coach), "Founding member", True),
        (_ref(gov.analyst), "Founding member", True),
    ]
    assert (made["support"], made["reviews"], made["may_steer"], made["may_record"]) == ([], [], True, True)
    group_id = made["id"]
    # The restricted flag is named by kind to anyone who cannot open it.
    seen_by_coach = _ok(_client(gov.coach).get(f"{GROUPS}/{group_id}"))
    assert seen_by_coach["links"] == [
        {"kind": "post", "id": flag.pk, "name": "Data day clash"},
        {"kind": "post", "id": None, "name": "a post in the staff feed you cannot open"},
    ]
    assert (seen_by_coach["may_steer"], seen_by_coach["may_record"]) == (False, True)
    assert _ok(_client(gov.leader).get(f"{GROUPS}/{group_id}"))["links"][1]["name"] == "Private clash"
    # The sponsor steers it; a former member keeps read access; staff outside it find nothing.
    director = _ok(_client(gov.director).get(f"{GROUPS}/{group_id}"))
    assert (director["may_steer"], director["may_record"]) == (True, True)
    _missing(_client(gov.far_coach).get(f"{GROUPS}/{group_id}"))
    # Listing, filtering.
    names = [g["name"] for g in _ok(_client(gov.coach).get(GROUPS))["items"]]
    assert sorted(names) == ["Coaching cadence", "Data days"]
    assert [g["name"] for g in _ok(_client(gov.coach).get(GROUPS, {"q": "calendar"}))["items"]] == ["Data days"]
    assert _ok(_client(gov.coach).get(GROUPS, {"status": "disbanded"}))["count"] == 0
    assert _ok(_client(gov.far_coach).get(GROUPS))["count"] == 0
    assert _errors(_client(gov.coach).get(GROUPS, {"status": "gone"}))[0][0] == ["query", "status"]


def test_refusals_on_forming_a_group_say_exactly_what_is_wrong_and_write_nothing(gov: Gov, world: World) -> None:
    leader = _client(gov.leader)
    before = counts()

    def refused(**extra: Any) -> list[tuple[list[Any], str]]:
        return _errors(_post(leader, GROUPS, _group_body(gov, **extra)))

    assert refused(name="") == [(["body", "name"], "Write the name.")]
    assert refused(name="Data\x00days") == [
        (["body", "name"], "The name holds a NUL character; paste it as plain text.")
    ]
    assert refused(purpose="x" * 20_001) == [
        (["body", "purpose"], "The purpose is 20001 characters long; keep it to 20000.")
    ]
    assert refused(ends_on=str(_days(0))) == [(["body", "ends_on"], "The time box ends after it starts.")]
    assert refused(goals=[" "]) == [(["body", "goals"], "Give the group at least one goal.")]
    assert refused(member_ids=[]) == [(["body", "member_ids"], "A group needs members.")]
    assert refused(member_ids=[gov.principal.pk]) == [(["body", "member_ids"], "North Principal is not on the staff.")]
    assert refused(sponsor_id=gov.principal.pk) == [
        (
            ["body", "sponsor_id"],
            "North Principal is not on the staff; a sponsor is someone on the staff.",
        )
    ]
    assert refused(sponsor_id=987654) == [(["body", "sponsor_id"], "No person has this id.")]
    assert refused(member_ids=[gov.coach.pk, 987654]) == [(["body", "member_ids"], "No person has one of these ids.")]
    assert refused(post_ids=[987654]) == [(["body", "post_ids"], "No post has one of these ids.")]
    assert refused(cycle_ids=[987654]) == [(["body", "cycle_ids"], "No cycle has one of these ids.")]
    assert refused(ticket_ids=[987654]) == [(["body", "ticket_ids"], "No ticket has one of these ids.")]
    assert refused(sponsor_id=TOO_BIG) == [
        (["body", "data", "sponsor_id"], f"Input should be less than or equal to {MAX_ID}")
    ]
    assert refused(member_ids=["abc"]) == [
        (["body", "data", "member_ids", 0], "Input should be a valid integer, unable to parse string as an integer")
    ]
    assert refused(starts_on="yesterday")[0][0] == ["body", "data", "starts_on"]
    assert refused(goals="one")[0] == (["body", "data", "goals"], "Input should be a valid list")
    # Only the organization's leaders form groups: to anyone else there is no such thing.
    for person in (gov.director, gov.coach, gov.analyst):
        _missing(_post(_client(person), GROUPS, _group_body(gov)))
    assert counts() == before


def test_the_sponsor_changes_membership_logs_support_and_reviews_the_group(gov: Gov) -> None:
    director = _client(gov.director)
    url = f"{GROUPS}/{gov.group.pk}"
    # Members and staff outside do not steer it.
    for person in (gov.coach, gov.analyst, gov.far_coach):
        client = _client(person)
        _missing(_post(client, f"{url}/members", {"person_id": gov.analyst.pk, "change": "join", "because": "x"}))
        _missing(_post(client, f"{url}/support", {"kind": "advice", "text": "x"}))
        _missing(_post(client, f"{url}/reviews", {"assessments": [], "outcome": "disband", "learned": "x"}))
    joined = _ok(_post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "join", "because": "Data"}))
    assert [m["name"] for m in joined["members"]] == ["Analyst", "Coach / partner"]
    # The analyst now sees it.
    assert _ok(_client(gov.analyst).get(url))["name"] == "Coaching cadence"
    before = counts()
    assert _errors(
        _post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "join", "because": "Again"})
    ) == [(["body", "person_id"], "Analyst is already a member.")]
    assert _errors(
        _post(director, f"{url}/members", {"person_id": gov.far_coach.pk, "change": "leave", "because": "x"})
    ) == [(["body", "person_id"], "No person has this id.")]
    assert _errors(
        _post(director, f"{url}/members", {"person_id": gov.director.pk, "change": "leave", "because": "x"})
    ) == [(["body", "person_id"], "Regional director is not a member now.")]
    assert _errors(
        _post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "leave", "because": " "})
    ) == [(["body", "because"], "Write the reason.")]
    assert _errors(_post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "quit", "because": "x"}))[
        0
    ][0] == [
        "body",
        "data",
        "change",
    ]
    assert counts() == before
    left = _ok(
        _post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "leave", "because": "Moved on"})
    )
    history = [(m["person"]["name"], m["left_because"], m["current"]) for m in left["memberships"]]
    assert history == [("Coach / partner", "", True), ("Analyst", "Moved on", False)]
    # A former member keeps read access.
    assert _ok(_client(gov.analyst).get(url))["may_record"] is False

    logged = _ok(_post(director, f"{url}/support", {"kind": "resource", "text": "Two release days."}), 201)
    assert (logged["kind"], logged["text"], logged["by"], logged["happened_on"]) == (
        "resource",
        "Two release days.",
        _ref(gov.director),
        str(_days(0)),
    )
    assert _errors(_post(director, f"{url}/support", {"kind": "gift", "text": "x"}))[0][0] == ["body", "data", "kind"]
    assert _errors(_post(director, f"{url}/support", {"kind": "advice", "text": "\x00"})) == [
        (["body", "text"], "The note holds a NUL character; paste it as plain text.")
    ]

    goals = list(gov.group.goals.order_by("pk"))
    before = counts()
    assess = [{"goal_id": g.pk, "assessment": "met", "note": "Done"} for g in goals]
    assert _errors(
        _post(director, f"{url}/reviews", {"assessments": assess[:1], "outcome": "disband", "learned": "x"})
    ) == [(["body", "assessments"], "Assess every goal of this round first: Propose a cadence.")]
    assert _errors(_post(director, f"{url}/reviews", {"assessments": [*assess, assess[0]], "outcome": "disband"})) == [
        (["body", "assessments"], "Assess each goal once.")
    ]
    other_goal = {"goal_id": 987654, "assessment": "met"}
    assert _errors(_post(director, f"{url}/reviews", {"assessments": [*assess, other_goal], "outcome": "disband"})) == [
        (["body", "assessments"], "No goal of this round has one of these ids.")
    ]
    open_again = [{**a, "assessment": "open"} for a in assess]
    assert _errors(_post(director, f"{url}/reviews", {"assessments": open_again, "outcome": "disband"})) == [
        (["body", "assessments"], "“open” is not an assessment; choose met, partly, not met or dropped.")
    ]
    assert _errors(_post(director, f"{url}/reviews", {"assessments": assess, "outcome": "pause"})) == [
        (["body", "outcome"], "Choose to disband or to renew.")
    ]
    assert _errors(_post(director, f"{url}/reviews", {"assessments": assess, "outcome": "renew"})) == [
        (["body", "new_goals"], "A renewed group sets new goals.")
    ]
    assert _errors(
        _post(director, f"{url}/reviews", {"assessments": assess, "outcome": "renew", "new_goals": ["More"]})
    ) == [(["body", "new_ends_on"], "Give the renewed group a time box that ends after today.")]
    assert _errors(_post(director, f"{url}/reviews", {"assessments": assess, "outcome": "disband"})) == [
        (["body", "learned"], "Write what the group learned.")
    ]
    assert counts() == before
    renewed = _ok(
        _post(
            director,
            f"{url}/reviews",
            {"assessments": assess, "outcome": "renew", "new_goals": ["Pilot it"], "new_ends_on": str(_days(120))},
        ),
        201,
    )
    assert (renewed["round"], renewed["status"], renewed["ends_on"]) == (2, "active", str(_days(120)))
    assert [(g["round"], g["text"], g["assessment"], g["assessment_note"]) for g in renewed["goals"]] == [
        (1, "Map the visits", "met", "Done"),
        (1, "Propose a cadence", "met", "Done"),
        (2, "Pilot it", "open", ""),
    ]
    assert [(r["round"], r["outcome"], r["by"]) for r in renewed["reviews"]] == [(1, "renew", _ref(gov.director))]
    new_goal = gov.group.goals.get(round=2)
    # Round one's goals are not this round's.
    assert _errors(
        _post(director, f"{url}/reviews", {"assessments": assess, "outcome": "disband", "learned": "x"})
    ) == [(["body", "assessments"], "No goal of this round has one of these ids.")]
    disbanded = _ok(
        _post(
            _client(gov.leader),
            f"{url}/reviews",
            {
                "assessments": [{"goal_id": new_goal.pk, "assessment": "partly"}],
                "outcome": "disband",
                "learned": "Ask first.",
            },
        ),
        201,
    )
    assert (disbanded["status"], disbanded["learned"], disbanded["disbanded_on"], disbanded["members"]) == (
        "disbanded",
        "Ask first.",
        str(_days(0)),
        [],
    )
    assert (disbanded["may_steer"], disbanded["may_record"]) == (True, False)
    # A disbanded group is read only.
    before = counts()
    assert _errors(_post(director, f"{url}/support", {"kind": "advice", "text": "x"})) == [
        (["body"], "This group has disbanded.")
    ]
    assert _errors(
        _post(director, f"{url}/members", {"person_id": gov.analyst.pk, "change": "join", "because": "x"})
    ) == [(["body"], "This group has disbanded.")]
    assert counts() == before
    # Its former member still reads it.
    assert _ok(_client(gov.coach).get(url))["status"] == "disbanded"


# -- planning teams, seats and terms --------------------------------------------------------------


def test_leaders_set_up_teams_and_seats_and_appoint_and_staff_see_who_holds_them(gov: Gov) -> None:
    leader = _client(gov.leader)
    made = _ok(_post(leader, TEAMS, {"name": "  Western planning team ", "purpose": "The west."}), 201)
    assert (made["name"], made["purpose"], made["archived"], made["seats"], made["members"]) == (
        "Western planning team",
        "The west.",
        False,
        [],
        [],
    )
    team_url = f"{TEAMS}/{made['id']}"
    seat = _ok(
        _post(
            leader,
            f"{team_url}/seats",
            {"name": "Chair", "kind": "appointed", "term_months": 12, "first_term_starts": "2026-01-01"},
        ),
        201,
    )
    assert (seat["kind"], seat["holder"], seat["next_term_starts"], seat["team"]["name"]) == (
        "appointed",
        None,
        "2027-01-01",
        "Western planning team",
    )
    elected = _ok(
        _post(
            leader,
            f"{team_url}/seats",
            {
                "name": "Coach seat",
                "kind": "elected",
                "eligible_roles": ["coach"],
                "site_staff_only": True,
                "first_term_starts": "2025-07-01",
            },
        ),
        201,
    )
    assert (elected["eligible_roles"], elected["site_staff_only"], elected["term_months"]) == (["coach"], True, 24)
    term = _ok(
        _post(leader, f"{BASE}/seats/{seat['id']}/appoint", {"person_id": gov.analyst.pk, "term_starts": "2026-01-01"}),
        201,
    )
    assert (term["person"], term["starts_on"], term["ends_on"], term["current"], term["election_id"]) == (
        _ref(gov.analyst),
        "2026-01-01",
        "2026-12-31",
        True,
        None,
    )
    # Any staff member sees the team, who holds its seats today and every term.
    shown = _ok(_client(gov.coach).get(team_url))
    assert shown["members"] == [_ref(gov.analyst)]
    assert [(s["name"], s["holder"]) for s in shown["seats"]] == [("Chair", _ref(gov.analyst)), ("Coach seat", None)]
    assert [(t["seat"]["name"], t["person"]["name"]) for t in shown["terms"]] == [("Chair", "Analyst")]
    assert shown["may_record"] is False
    assert _ok(_client(gov.analyst).get(team_url))["may_record"] is True
    names = [t["name"] for t in _ok(_client(gov.coach).get(TEAMS))["items"]]
    assert names == ["National planning team", "Western planning team"]
    assert _ok(_client(gov.coach).get(TEAMS, {"archived": True}))["count"] == 0
    national = _ok(_client(gov.coach).get(f"{TEAMS}/{gov.team.pk}"))
    assert national["members"] == [_ref(gov.director)]

    before = counts()
    assert _errors(_post(leader, TEAMS, {"name": "Western planning team"})) == [
        (["body", "name"], "Planning team with this Name already exists.")
    ]
    assert _errors(_post(leader, TEAMS, {"name": " "})) == [(["body", "name"], "Write the name.")]
    assert _errors(_post(leader, TEAMS, {"name": "East", "purpose": "a\x00b"})) == [
        (["body", "purpose"], "The purpose holds a NUL character; paste it as plain text.")
    ]

    def seat_refused(**body: Any) -> list[tuple[list[Any], str]]:
        return _errors(
            _post(
                leader,
                f"{team_url}/seats",
                {
                    "name": "S",
                    "kind": "elected",
                    "eligible_roles": ["coach"],
                    "first_term_starts": "2026-01-01",
                    **body,
                },
            )
        )

    assert seat_refused(eligible_roles=[]) == [
        (["body", "eligible_roles"], "An elected seat names the roles eligible for it (e.g. coach).")
    ]
    assert seat_refused(eligible_roles=["wizard", "coach\x00"]) == [
        (["body", "eligible_roles"], "Not roles: wizard, coach\x00.")
    ]
    assert seat_refused(term_months=0) == [(["body", "term_months"], "A term lasts 1 to 120 months.")]
    assert seat_refused(term_months=121) == [(["body", "term_months"], "A term lasts 1 to 120 months.")]
    assert seat_refused(term_months=10**9)[0][0] == ["body", "data", "term_months"]
    assert seat_refused(max_consecutive_terms=0) == [(["body", "max_consecutive_terms"], "At least one term.")]
    assert seat_refused(name="Chair") == [(["body"], "Seat with this Team and Name already exists.")]
    assert seat_refused(kind="drafted")[0][0] == ["body", "data", "kind"]
    # Terms are counted in months from the days given: a day near the calendar's end is refused.
    assert seat_refused(first_term_starts="9999-01-01") == [
        (["body", "data", "first_term_starts"], "Input should be less than or equal to 2999-12-31")
    ]

    def appoint_refused(seat_id: int, **body: Any) -> list[tuple[list[Any], str]]:
        return _errors(
            _post(
                leader,
                f"{BASE}/seats/{seat_id}/appoint",
                {"person_id": gov.coach.pk, "term_starts": "2027-01-01", **body},
            )
        )

    assert appoint_refused(seat["id"], term_starts="2027-02-01") == [
        (["body", "term_starts"], "Chair's terms start on 1 January 2027, not 1 February 2027.")
    ]
    assert appoint_refused(seat["id"], term_starts="2026-01-01", person_id=gov.director.pk) == [
        (["body", "term_starts"], "That term is filled already.")
    ]
    assert appoint_refused(seat["id"], person_id=gov.principal.pk) == [
        (["body", "person_id"], "North Principal is not on the staff.")
    ]
    assert appoint_refused(seat["id"], person_id=gov.analyst.pk) == [
        (["body", "person_id"], "Analyst has held Chair for 1 term in a row; the seat rotates.")
    ]
    assert appoint_refused(seat["id"], person_id=987654) == [(["body", "person_id"], "No person has this id.")]
    assert appoint_refused(elected["id"], term_starts="2027-07-01") == [
        (["body"], "An elected seat is filled by its election.")
    ]
    assert appoint_refused(seat["id"], term_starts="2027-13-01")[0][0] == ["body", "data", "term_starts"]
    assert appoint_refused(seat["id"], term_starts="9999-12-01") == [
        (["body", "data", "term_starts"], "Input should be less than or equal to 2999-12-31")
    ]
    _missing(_post(leader, f"{BASE}/seats/{TOO_BIG}/appoint", {"person_id": gov.coach.pk, "term_starts": "2027-01-01"}))
    # Only the organization's leaders set up teams, seats and appointments.
    for person in (gov.director, gov.coach, gov.analyst):
        client = _client(person)
        _missing(_post(client, TEAMS, {"name": "Mine"}))
        _missing(
            _post(client, f"{team_url}/seats", {"name": "S", "kind": "appointed", "first_term_starts": "2026-01-01"})
        )
        _missing(
            _post(
                client, f"{BASE}/seats/{seat['id']}/appoint", {"person_id": gov.coach.pk, "term_starts": "2027-01-01"}
            )
        )
    assert counts() == before
    # A seat whose next term would fall past the calendar's end (set up some other way) is still shown.
    Seat.objects.filter(pk=elected["id"]).update(first_term_starts=datetime.date(9999, 1, 1), term_months=120)
    far = next(s for s in _ok(_client(gov.coach).get(team_url))["seats"] if s["id"] == elected["id"])
    assert (far["first_term_starts"], far["next_term_starts"]) == ("9999-01-01", None)
    # The admin appoints too.
    _ok(
        _post(
            _client(gov.admin),
            f"{BASE}/seats/{seat['id']}/appoint",
            {"person_id": gov.coach.pk, "term_starts": "2027-01-01"},
        ),
        201,
    )


# -- elections ------------------------------------------------------------------------------------


def test_a_leader_opens_an_election_and_staff_nominate_and_nominees_answer(gov: Gov) -> None:
    seat, other = gov.elected_seat(), gov.elected_seat("Implementer seat B", site_staff_only=True)
    leader = _client(gov.leader)
    starts = str(seats.next_term(seat, timezone.localdate())[0])
    opened = _ok(_post(leader, f"{TEAMS}/{gov.team.pk}/elections", {"seat_ids": [seat.pk], "term_starts": starts}), 201)
    assert (opened["phase"], opened["status"], opened["method"], opened["votes"], opened["voters"]) == (
        "nominating",
        "open",
        "plurality",
        0,
        [],
    )
    assert (opened["seats"], opened["term_starts"], opened["result"], opened["may_vote"]) == (
        [_ref(seat)],
        starts,
        None,
        False,
    )
    assert opened["events"][0]["text"].startswith("Opened by hand for Implementer seat A")
    url = f"{ELECTIONS}/{opened['id']}"

    before = counts()
    team_url = f"{TEAMS}/{gov.team.pk}/elections"
    assert _errors(_post(leader, team_url, {"seat_ids": [seat.pk], "term_starts": starts})) == [
        (["body", "seat_ids"], "Implementer seat A already has an election for that term.")
    ]
    assert _errors(_post(leader, team_url, {"seat_ids": [gov.appointed.pk], "term_starts": starts})) == [
        (["body", "seat_ids"], "Regional seat is not an elected seat of National planning team.")
    ]
    assert _errors(_post(leader, team_url, {"seat_ids": [], "term_starts": starts})) == [
        (["body", "seat_ids"], "Choose the seats to elect.")
    ]
    assert _errors(_post(leader, team_url, {"seat_ids": [987654], "term_starts": starts})) == [
        (["body", "seat_ids"], "No seat of this team has one of these ids.")
    ]
    assert _errors(_post(leader, team_url, {"seat_ids": [other.pk], "term_starts": "2025-01-01"})) == [
        (["body", "term_starts"], "Elect for a term that has not started yet.")
    ]
    assert _errors(_post(leader, team_url, {"seat_ids": [other.pk], "term_starts": "2027-02-01"})) == [
        (["body", "term_starts"], "Implementer seat B's terms start on 1 January 2027, not 1 February 2027.")
    ]
    for person in (gov.director, gov.coach, gov.analyst):
        _missing(_post(_client(person), team_url, {"seat_ids": [other.pk], "term_starts": starts}))
    assert counts() == before

    # A coach nominates themselves (standing at once) and a colleague (who answers).
    coach = _client(gov.coach)
    mine = _ok(_post(coach, f"{url}/nominations", {"nominee_id": gov.coach.pk, "statement": "I listen."}), 201)
    assert (mine["nominee"], mine["state"], mine["standing"], mine["statement"]) == (
        _ref(gov.coach),
        "accepted",
        True,
        "I listen.",
    )
    theirs = _ok(_post(coach, f"{url}/nominations", {"nominee_id": gov.far_coach.pk}), 201)
    assert (theirs["nominated_by"], theirs["state"], theirs["standing"]) == (_ref(gov.coach), "pending", False)
    # The nominee is in another region, out of the coach's reach, but eligible for the seat.
    before = counts()
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": gov.coach.pk})) == [
        (["body", "nominee_id"], "Coach / partner is nominated already.")
    ]
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": gov.analyst.pk})) == [
        (
            ["body", "nominee_id"],
            "Analyst is not eligible for Implementer seat A: it is for people holding Coach / partner.",
        )
    ]
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": 987654})) == [
        (["body", "nominee_id"], "No person has this id.")
    ]
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": "me"}))[0][0] == ["body", "data", "nominee_id"]
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": gov.colleague.pk, "statement": "\x00"})) == [
        (["body", "statement"], "The statement holds a NUL character; paste it as plain text.")
    ]
    # A nomination is answered through its own election only.
    elsewhere = gov.election(other)
    _missing(
        _post(_client(gov.far_coach), f"{ELECTIONS}/{elsewhere.pk}/nominations/{theirs['id']}/answer", {"accept": True})
    )
    before = counts()
    # Only the nominee answers.
    for person in (gov.coach, gov.leader, gov.admin, gov.analyst):
        _missing(_post(_client(person), f"{url}/nominations/{theirs['id']}/answer", {"accept": True}))
    assert counts() == before
    far = _client(gov.far_coach)
    answered = _ok(_post(far, f"{url}/nominations/{theirs['id']}/answer", {"accept": True, "statement": "Happy to."}))
    assert (answered["state"], answered["standing"], answered["statement"]) == ("accepted", True, "Happy to.")
    declined = _ok(_post(far, f"{url}/nominations/{theirs['id']}/answer", {"accept": False}))
    assert (declined["state"], declined["standing"]) == ("declined", False)
    shown = _ok(_client(gov.analyst).get(url))
    assert [c["nominee"]["name"] for c in shown["candidates"]] == ["Coach / partner"]
    assert [(n["nominee"]["name"], n["state"]) for n in shown["nominations"]] == [
        ("Coach / partner", "accepted"),
        ("South Partner", "declined"),
    ]
    assert [e["text"] for e in shown["events"]][-4:] == [
        "Coach / partner nominated themselves.",
        "Coach / partner nominated South Partner.",
        "South Partner accepted the nomination.",
        "South Partner declined the nomination.",
    ]
    # Voting has not opened.
    assert _errors(_post(coach, f"{url}/vote", {"ranking": [mine["id"]]})) == [(["body"], "Voting is not open.")]
    # Listing and filters.
    listed = _ok(_client(gov.analyst).get(ELECTIONS))
    # The same term for both seats: the later election first.
    assert [(e["id"], e["phase"]) for e in listed["items"]] == [
        (elsewhere.pk, "nominating"),
        (opened["id"], "nominating"),
    ]
    assert _ok(_client(gov.analyst).get(ELECTIONS, {"team": gov.team.pk, "status": "open"}))["count"] == 2
    Election.objects.filter(pk=elsewhere.pk).update(status=Election.Status.CANCELLED)
    assert _ok(_client(gov.analyst).get(ELECTIONS, {"status": "cancelled"}))["items"][0]["id"] == elsewhere.pk
    assert _ok(_client(gov.analyst).get(ELECTIONS, {"status": "counted"}))["count"] == 0
    assert _ok(_client(gov.analyst).get(ELECTIONS, {"team": 987654}))["count"] == 0
    assert _errors(_client(gov.analyst).get(ELECTIONS, {"team": TOO_BIG}))[0][0] == ["query", "team"]

    # Once nominations close, nobody nominates or answers any more.
    Election.objects.filter(pk=opened["id"]).update(
        nominations_close=_ago(minutes=1), voting_open=_ago(minutes=1), voting_close=_ago(days=-7)
    )
    assert _errors(_post(coach, f"{url}/nominations", {"nominee_id": gov.colleague.pk})) == [
        (["body"], "Nominations are closed.")
    ]
    assert _errors(_post(far, f"{url}/nominations/{theirs['id']}/answer", {"accept": True})) == [
        (["body"], "Nominations are closed.")
    ]


def test_voting_answers_a_receipt_once_and_refuses_every_other_ballot(gov: Gov, world: World) -> None:
    seat = gov.elected_seat()
    election, (mine, theirs) = gov.voting(seat, nominees=(gov.coach, gov.colleague))
    declined = Nomination.objects.create(
        election=election,
        nominee=gov.far_coach,
        nominated_by=gov.coach,
        created_at=_ago(days=15),
        declined_at=_ago(days=14),
    )
    url = f"{ELECTIONS}/{election.pk}"
    coach = _client(gov.coach)
    shown = _ok(coach.get(url))
    assert (shown["phase"], shown["may_vote"], shown["voted"]) == ("voting", True, False)
    assert [c["id"] for c in shown["candidates"]] == [mine.pk, theirs.pk]
    before = counts()

    def refused(ranking: Any) -> list[tuple[list[Any], str]]:
        return _errors(_post(coach, f"{url}/vote", {"ranking": ranking}))

    assert refused([]) == [(["body", "ranking"], "Choose at least one candidate.")]
    assert refused([mine.pk, mine.pk]) == [(["body", "ranking"], "Each candidate can be ranked once.")]
    assert refused([declined.pk]) == [(["body", "ranking"], "That is not a candidate in this election.")]
    assert refused([987654]) == [(["body", "ranking"], "That is not a candidate in this election.")]
    assert refused([mine.pk, theirs.pk]) == [
        (["body", "ranking"], "This election elects one seat by plurality: choose one candidate.")
    ]
    assert refused([TOO_BIG]) == [(["body", "data", "ranking", 0], f"Input should be less than or equal to {MAX_ID}")]
    assert refused([0]) == [(["body", "data", "ranking", 0], "Input should be greater than or equal to 1")]
    assert refused(["first"]) == [
        (["body", "data", "ranking", 0], "Input should be a valid integer, unable to parse string as an integer")
    ]
    assert refused(["1\x00"])[0][0] == ["body", "data", "ranking", 0]
    assert refused(str(mine.pk)) == [(["body", "data", "ranking"], "Input should be a valid list")]
    assert refused(None) == [(["body", "data", "ranking"], "Input should be a valid list")]
    assert refused(list(range(1, 102)))[0] == (
        ["body", "data", "ranking"],
        "List should have at most 100 items after validation, not 101",
    )
    assert _errors(_post(coach, f"{url}/vote", {}))[0] == (["body", "data", "ranking"], "Field required")
    # Someone not eligible for the seats has no ballot: to them there is no such thing.
    for person in (gov.analyst, gov.director, gov.leader, gov.admin):
        _missing(_post(_client(person), f"{url}/vote", {"ranking": [mine.pk]}))
        assert _ok(_client(person).get(url))["may_vote"] is False
    assert counts() == before

    response = _post(coach, f"{url}/vote", {"ranking": [theirs.pk]})
    # Neither a receipt nor a ranking is kept by a browser or a proxy.
    assert "no-store" in response["Cache-Control"]
    cast = _ok(response, 201)
    assert set(cast) == {"election_id", "receipt"}
    assert cast["election_id"] == election.pk
    receipt = cast["receipt"]
    assert len(receipt) == 29 and receipt.count("-") == 5
    assert _errors(_post(coach, f"{url}/vote", {"ranking": [mine.pk]})) == [
        (["body"], "You have voted in this election already.")
    ]
    after = _ok(coach.get(url))
    assert (after["votes"], after["voted"], after["may_vote"], after["voters"]) == (1, True, False, [_ref(gov.coach)])
    # Only the number of votes goes into the log, never who.
    assert not any("Coach / partner voted" in e["text"] for e in after["events"])

    # The receipt, and only it, finds the ballot; anyone on the staff may check one.
    check = f"{url}/receipt"
    for person in (gov.coach, gov.analyst):
        assert _ok(_post(_client(person), check, {"receipt": receipt})) == {
            "found": True,
            "counted": False,
            "ranking": ["North Partner"],
        }
    assert _ok(_post(coach, check, {"receipt": f"  {receipt.lower()} "}))["found"] is True
    assert "no-store" in _post(coach, check, {"receipt": receipt})["Cache-Control"]
    for wrong in ("", "ABCD", receipt[:-1] + ("0" if receipt[-1] != "0" else "1"), "\x00" * 50, "' OR 1=1 --"):
        assert _ok(_post(coach, check, {"receipt": wrong})) == {"found": False, "counted": False, "ranking": []}
    assert _errors(_post(coach, check, {"receipt": "A" * 10_000})) == [
        (["body", "data", "receipt"], "String should have at most 100 characters")
    ]
    assert _errors(_post(coach, check, {"receipt": 12345})) == [
        (["body", "data", "receipt"], "Input should be a valid string")
    ]
    # The same receipt finds nothing in another election.
    other, _ = gov.voting(gov.elected_seat("Implementer seat B"), nominees=(gov.far_coach,))
    assert _ok(_post(coach, f"{ELECTIONS}/{other.pk}/receipt", {"receipt": receipt}))["found"] is False

    # After the voting days, nobody votes any more.
    colleague = _client(gov.colleague)
    Election.objects.filter(pk=election.pk).update(voting_close=_ago(minutes=1))
    before = counts()
    assert _errors(_post(colleague, f"{url}/vote", {"ranking": [mine.pk]})) == [(["body"], "Voting is not open.")]
    assert counts() == before


def test_a_leader_counts_an_election_after_voting_and_the_terms_follow(gov: Gov) -> None:
    seat = gov.elected_seat()
    election, (mine, theirs) = gov.voting(seat, nominees=(gov.coach, gov.colleague))
    url = f"{ELECTIONS}/{election.pk}"
    receipts = {}
    for person, choice in [(gov.coach, theirs), (gov.colleague, theirs), (gov.far_coach, mine)]:
        receipts[person.pk] = _ok(_post(_client(person), f"{url}/vote", {"ranking": [choice.pk]}), 201)["receipt"]
    leader = _client(gov.leader)
    before = counts()
    assert _errors(_post(leader, f"{url}/count")) == [(["body"], "Voting has not closed yet.")]
    for person in (gov.director, gov.coach, gov.analyst):
        _missing(_post(_client(person), f"{url}/count"))
        _missing(_post(_client(person), f"{url}/cancel", {"because": "x"}))
    assert counts() == before
    Election.objects.filter(pk=election.pk).update(voting_close=_ago(minutes=1))
    shown = _ok(_client(gov.analyst).get(url))
    assert (shown["phase"], shown["result"]) == ("awaiting count", None)
    counted = _ok(_post(leader, f"{url}/count"))
    assert (counted["status"], counted["phase"], counted["votes"]) == ("counted", "counted", 3)
    result = counted["result"]
    assert (result["method"], result["valid"], result["blank"], result["rejected"], result["unfilled"]) == (
        "plurality",
        3,
        0,
        0,
        0,
    )
    assert (result["elected"], result["elected_names"]) == ([theirs.pk], ["North Partner"])
    assert result["table"][2:4] == [["Coach / partner", "1.00000"], ["North Partner", "2.00000"]]
    assert [(t["person"], t["starts_on"], t["election_id"]) for t in counted["terms"]] == [
        (_ref(gov.colleague), str(election.term_starts), election.pk)
    ]
    assert counted["events"][-1]["text"] == "Counted: 3 valid ballots, 0 blank; elected North Partner."
    # Each voter finds their own ballot counted, as cast.
    for person_pk, receipt in receipts.items():
        found = _ok(_post(_client(gov.admin), f"{url}/receipt", {"receipt": receipt}))
        wanted = ["Coach / partner"] if person_pk == gov.far_coach.pk else ["North Partner"]
        assert found == {"found": True, "counted": True, "ranking": wanted}
    # The team shows the term to come.
    team = _ok(_client(gov.coach).get(f"{TEAMS}/{gov.team.pk}"))
    first = team["terms"][0]
    assert (first["seat"]["name"], first["person"]["name"], first["current"]) == (
        "Implementer seat A",
        "North Partner",
        False,
    )
    assert [(e["id"], e["status"]) for e in team["elections"]] == [(election.pk, "counted")]
    before = counts()
    assert _errors(_post(leader, f"{url}/count")) == [(["body"], "This election is counted already.")]
    assert _errors(_post(leader, f"{url}/cancel", {"because": "Oops"})) == [
        (["body"], "Only an open election is cancelled.")
    ]
    assert counts() == before


def test_a_leader_cancels_an_open_election_saying_why(gov: Gov) -> None:
    seat = gov.elected_seat()
    election = gov.election(seat)
    url = f"{ELECTIONS}/{election.pk}"
    admin = _client(gov.admin)
    before = counts()
    assert _errors(_post(admin, f"{url}/cancel", {"because": "  "})) == [(["body", "because"], "Write the reason.")]
    assert _errors(_post(admin, f"{url}/cancel", {"because": "x" * 301})) == [
        (["body", "because"], "The reason is 301 characters long; keep it to 300.")
    ]
    assert _errors(_post(admin, f"{url}/cancel", {})) == [(["body", "data", "because"], "Field required")]
    assert counts() == before
    cancelled = _ok(_post(admin, f"{url}/cancel", {"because": "The seat is being redrawn."}))
    assert (cancelled["status"], cancelled["phase"], cancelled["events"][-1]["text"]) == (
        "cancelled",
        "cancelled",
        "Cancelled: The seat is being redrawn.",
    )
    assert _errors(_post(admin, f"{url}/count")) == [(["body"], "This election was cancelled; it is not counted.")]
    # The seat can be elected again.
    _ok(
        _post(
            admin, f"{TEAMS}/{gov.team.pk}/elections", {"seat_ids": [seat.pk], "term_starts": str(election.term_starts)}
        ),
        201,
    )


# -- decisions ------------------------------------------------------------------------------------


def _decision_body(**extra: Any) -> dict[str, Any]:
    return {
        "title": "Weekly coaching",
        "decided_on": str(_days(0)),
        "decision": "Coaches visit each school weekly.",
        "rationale": "The flags said monthly was too thin.",
        **extra,
    }


def test_seat_holders_and_group_members_record_decisions_and_staff_find_them(gov: Gov, world: World) -> None:
    flag = feed_actions.do_post(gov.coach, "flag", "Monthly is too thin", "Yes.", school=world.inside.school)
    director = _client(gov.director)
    team_made = _ok(
        _post(
            director,
            DECISIONS,
            _decision_body(
                team_id=gov.team.pk,
                input_considered="Twelve flags.",
                post_ids=[flag.pk],
                follow_ups=[
                    {"text": "Tell the schools", "owner_id": gov.analyst.pk, "due_on": str(_days(7))},
                    {"text": "Review in spring"},
                ],
            ),
        ),
        201,
    )
    assert (team_made["team"], team_made["group"], team_made["recorded_by"], team_made["input_considered"]) == (
        _ref(gov.team),
        None,
        _ref(gov.director),
        "Twelve flags.",
    )
    assert team_made["links"] == [{"kind": "post", "id": flag.pk, "name": "Monthly is too thin"}]
    assert [(f["text"], f["owner"], f["due_on"], f["done_on"]) for f in team_made["follow_ups"]] == [
        ("Tell the schools", _ref(gov.analyst), str(_days(7)), None),
        ("Review in spring", None, None, None),
    ]
    group_made = _ok(
        _post(
            _client(gov.coach),
            DECISIONS,
            _decision_body(
                group_id=gov.group.pk,
                title="Map first",
                decided_on=str(_days(-3)),
                decision="Map the visits before choosing.",
                rationale="We lack data.",
            ),
        ),
        201,
    )
    assert (group_made["group"], group_made["team"]) == (_ref(gov.group), None)

    before = counts()
    # Someone on the staff holding no seat today does not record the team's decisions; staff outside
    # a group do not see it.
    for person in (gov.coach, gov.analyst, gov.far_coach):
        _missing(_post(_client(person), DECISIONS, _decision_body(team_id=gov.team.pk)))
    for person in (gov.analyst, gov.far_coach):
        assert _errors(_post(_client(person), DECISIONS, _decision_body(group_id=gov.group.pk))) == [
            (["body", "group_id"], "No working group has this id.")
        ]
    assert _errors(_post(director, DECISIONS, _decision_body())) == [
        (["body"], "A decision is a planning team's or a working group's: give team_id or group_id.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, group_id=gov.group.pk))) == [
        (["body"], "A decision is a planning team's or a working group's: give team_id or group_id.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=987654))) == [
        (["body", "team_id"], "No planning team has this id.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, decided_on=str(_days(1))))) == [
        (["body", "decided_on"], "A decision is recorded once it is made: the date is today or earlier.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, rationale="\x00"))) == [
        (["body", "rationale"], "The rationale holds a NUL character; paste it as plain text.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, title="x" * 201))) == [
        (["body", "title"], "The title is 201 characters long; keep it to 200.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, follow_ups=[{"text": " "}]))) == [
        (["body", "follow_ups"], "Write the follow-up.")
    ]
    assert _errors(
        _post(director, DECISIONS, _decision_body(team_id=gov.team.pk, follow_ups=[{"text": "x", "owner_id": 987654}]))
    ) == [(["body", "follow_ups"], "No person has this id.")]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, cycle_ids=[987654]))) == [
        (["body", "cycle_ids"], "No cycle has one of these ids.")
    ]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=TOO_BIG)))[0][0] == ["body", "data", "team_id"]
    assert _errors(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk, decided_on="soon")))[0][0] == [
        "body",
        "data",
        "decided_on",
    ]
    assert counts() == before
    # The seat holder's rights end with their term.
    Term.objects.filter(seat=gov.appointed, person=gov.director).update(ended_early_on=_days(0))
    before = counts()
    _missing(_post(director, DECISIONS, _decision_body(team_id=gov.team.pk)))
    assert counts() == before

    # Finding decisions.
    analyst = _client(gov.analyst)

    def titles(client: Client, **query: Any) -> list[str]:
        return [d["title"] for d in _ok(client.get(DECISIONS, query))["items"]]

    assert titles(analyst) == ["Weekly coaching"]
    coach = _client(gov.coach)
    assert titles(coach) == ["Weekly coaching", "Map first"]
    assert titles(coach, team=gov.team.pk) == ["Weekly coaching"]
    assert titles(coach, group=gov.group.pk) == ["Map first"]
    assert titles(coach, q="MONTHLY") == ["Weekly coaching"]
    assert titles(coach, since=str(_days(-1))) == ["Weekly coaching"]
    assert titles(coach, until=str(_days(-1))) == ["Map first"]
    assert titles(coach, open_follow_ups=True) == ["Weekly coaching"]
    assert titles(coach, open_follow_ups=False) == ["Map first"]
    assert titles(analyst, group=gov.group.pk) == []
    assert _errors(coach.get(DECISIONS, {"since": "last week"}))[0][0] == ["query", "since"]
    detail = _ok(analyst.get(f"{DECISIONS}/{team_made['id']}"))
    assert (detail["title"], detail["links"]) == ("Weekly coaching", team_made["links"])
    _missing(analyst.get(f"{DECISIONS}/{group_made['id']}"))

    # A follow-up is marked done by its owner or whoever records the body's decisions.
    tell, spring = (f["id"] for f in team_made["follow_ups"])
    base = f"{DECISIONS}/{team_made['id']}/follow-ups"
    for person in (gov.coach, gov.director):  # the director's term has ended
        _missing(_post(_client(person), f"{base}/{tell}/done", {"done": True}))
    _missing(_post(analyst, f"{base}/{spring}/done", {"done": True}))
    _missing(_post(analyst, f"{DECISIONS}/{group_made['id']}/follow-ups/{tell}/done", {"done": True}))
    _missing(_post(analyst, f"{base}/{TOO_BIG}/done", {"done": True}))
    done = _ok(_post(analyst, f"{base}/{tell}/done", {"done": True}))
    assert (done["id"], done["done_on"]) == (tell, str(_days(0)))
    assert _ok(_post(analyst, f"{base}/{tell}/done", {"done": False}))["done_on"] is None
    assert _ok(_post(_client(gov.leader), f"{base}/{spring}/done"))["done_on"] == str(_days(0))
    assert _errors(_post(analyst, f"{base}/{tell}/done", {"done": "sometimes"}))[0][0] == ["body", "data", "done"]


# -- secret ballots -------------------------------------------------------------------------------


def _walk(node: Any) -> Iterator[Any]:
    yield node
    if isinstance(node, dict):
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def _keys(node: Any) -> set[str]:
    return {key for found in _walk(node) if isinstance(found, dict) for key in found}


def _every_get(client: Client, ids: dict[str, list[int]]) -> dict[str, Any]:
    """Every governance GET operation, with every id of each kind in its path, answered."""
    answers: dict[str, Any] = {}
    for path, operations in api.get_openapi_schema(path_prefix="/api/")["paths"].items():
        if not path.startswith(BASE) or "get" not in operations:
            continue
        urls = [path]
        for name, values in ids.items():
            urls = [u.replace(f"{{{name}}}", str(v)) for u in urls for v in values] if f"{{{name}}}" in path else urls
        for url in urls:
            assert "{" not in url, url
            answers[url] = _ok(client.get(url, {"limit": 500}))
    return answers


def test_no_answer_links_a_voter_to_a_ballot(gov: Gov, world: World) -> None:
    # Two seats rotating together: a single transferable vote among four candidates.
    first, second = gov.elected_seat(), gov.elected_seat("Implementer seat B")
    extra = [helpers.coach(world, f"Coach {n:02d}") for n in (1, 2, 3)]
    candidates = (gov.coach, gov.colleague, gov.far_coach, extra[0])
    election, standing = gov.voting(first, second, nominees=candidates)
    declined = actions.do_nominate(gov.coach, election, extra[1], now=election.nominations_open)
    actions.do_answer_nomination(extra[1], declined, accept=False, now=election.nominations_open)
    a, b, c, d = (n.pk for n in standing)
    # Voters cast in an order that is not their names' order; every ranking is three long, so no
    # ranking could be mistaken for the two names elected.
    votes = [
        (extra[2], [d, a, b]),
        (gov.far_coach, [c, d, a]),
        (gov.coach, [a, b, c]),
        (extra[1], [b, a, d]),
        (gov.colleague, [a, c, b]),
        (extra[0], [d, c, a]),
    ]
    url = f"{ELECTIONS}/{election.pk}"
    receipts = {}
    for voter, ranking in votes:
        answer = _ok(_post(_client(voter), f"{url}/vote", {"ranking": ranking}), 201)
        assert set(answer) == {"election_id", "receipt"}
        receipts[voter.pk] = answer["receipt"]
    voters = [v for v, _ in votes]
    only_voted = extra[2]  # neither nominated nor nominating: nothing but a vote could name them
    admin = _client(gov.admin)
    # Turnout, by name, whatever the order of voting.
    shown = _ok(admin.get(url))
    assert shown["votes"] == 6
    assert shown["voters"] == [_ref(v) for v in sorted(voters, key=lambda p: p.full_name)]
    snapshots = [shown]
    Election.objects.filter(pk=election.pk).update(voting_close=_ago(minutes=1))
    counted = _ok(_post(admin, f"{url}/count"))
    assert counted["result"]["method"] == "scottish stv" and len(counted["result"]["elected"]) == 2
    snapshots.append(counted)
    # A decision and a group, so that every GET answers something.
    decision = actions.do_record_decision(
        gov.leader,
        {"title": "Turnout", "decided_on": _days(0), "decision": "Publish it.", "rationale": "Openness."},
        team=gov.team,
        follow_ups=[("Publish", extra[2], None)],
    )
    ids = {
        "group_id": [gov.group.pk],
        "team_id": [gov.team.pk],
        "election_id": list(Election.objects.values_list("pk", flat=True)),
        "decision_id": [decision.pk],
    }
    ballots = list(Ballot.objects.filter(election=election))
    assert len(ballots) == 6
    rankings = [b.ranking for b in ballots]
    names = {n.pk: n.nominee.full_name for n in Nomination.objects.filter(election=election).select_related("nominee")}
    name_rankings = [[names[i] for i in r] for r in rankings]
    hidden = [str(b.pk) for b in ballots] + [b.receipt_hash for b in ballots] + list(receipts.values())

    for caller in (admin, _client(gov.coach)):
        answers = _every_get(caller, ids)
        assert {f"{ELECTIONS}/{election.pk}", GROUPS, TEAMS, ELECTIONS, DECISIONS} <= answers.keys()
        for url_, answer in [*answers.items(), *((f"snapshot {i}", s) for i, s in enumerate(snapshots))]:
            dumped = json.dumps(answer, ensure_ascii=False)
            # No ballot's id, receipt or hash, and no word for a ballot, in any answer.
            for secret in hidden:
                assert secret not in dumped, (url_, secret)
            assert not _keys(answer) & {
                "ballot",
                "ballots",
                "ballot_id",
                "receipt",
                "receipt_hash",
                "ranking",
                "cast_at",
            }, url_
            # No ranking, by nomination ids or candidates' names, anywhere.
            for node in _walk(answer):
                if isinstance(node, list) and node:
                    assert node not in rankings and node not in name_rankings, (url_, node)
            for ranking in rankings:
                assert json.dumps(ranking) not in dumped
            # The election answers who voted only as names in alphabetical order, beside no time.
            for node in _walk(answer):
                if isinstance(node, dict) and "voters" in node:
                    assert [v["name"] for v in node["voters"]] == sorted(v.full_name for v in voters)
                    assert all(set(v) == {"id", "name"} for v in node["voters"])
            # The log never says who voted.
            for node in _walk(answer):
                if isinstance(node, dict) and set(node) == {"at", "text", "by"}:
                    assert "voted" not in node["text"] and only_voted.full_name not in node["text"], node

    # A receipt answers its own ballot's ranking, by candidates' names, and nobody beside it.
    for voter, ranking in votes:
        check = _ok(_post(admin, f"{url}/receipt", {"receipt": receipts[voter.pk]}))
        assert check == {"found": True, "counted": True, "ranking": [names[i] for i in ranking]}
        dumped = json.dumps(check)
        for person in voters:
            assert str(person.email) not in dumped
        assert not _keys(check) - {"found", "counted", "ranking"}
