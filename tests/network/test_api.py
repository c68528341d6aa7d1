"""The leadership network API: a network that does not exist for anyone neither on the staff nor in
it, cohorts and their members managed by the organization's leaders and a cohort's facilitators,
refusals that say exactly what is wrong and write nothing, convenings that invite the cohort's
members (on their calendars like every learning session), and the directory's search."""

import json
from typing import Any

import pytest
from django.test import Client

from tandem.access.roles import Role
from tandem.core.forms import MAX_ID
from tandem.learning.invitations import sessions_for
from tandem.learning.models import Session
from tandem.network.models import Cohort, Member
from tandem.orgs.models import Person
from tests.world import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1/network"
COHORTS = f"{BASE}/cohorts"
MEMBERS = f"{BASE}/members"
NOT_FOUND = {"detail": "Not found."}
TOO_BIG = MAX_ID + 1
STAFF = (Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST)
NOT_STAFF = (Role.PRINCIPAL, Role.TEACHER, Role.DISTRICT_LEADER, Role.FUNDER, Role.NETWORK_MEMBER)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: Any = None) -> Any:
    return getattr(client, method)(url, json.dumps({} if body is None else body), content_type="application/json")


def _errors(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def _ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.content
    return response.json()


def _missing(response: Any) -> None:
    assert (response.status_code, response.json()) == (404, NOT_FOUND), response.content


def _cohort(world: World, name: str = "Principals 2026", year: int = 2026) -> Cohort:
    """A cohort the world's coach facilitates, with the South half's principal as a member."""
    cohort = Cohort.objects.create(name=name, school_year=year)
    cohort.facilitators.set([world.people[Role.COACH]])
    Member.objects.create(cohort=cohort, person=world.outside.principal, role="principal", school=world.outside.school)
    return cohort


def _join(world: World, cohort: Cohort, person: Person, school: Any = None) -> Member:
    return Member.objects.create(cohort=cohort, person=person, role="principal", school=school or world.inside.school)


# -- who sees the network -------------------------------------------------------------------------


def test_the_network_does_not_exist_for_a_principal_outside_it(world: World) -> None:
    cohort = _cohort(world)
    member = cohort.members.get()
    principal = _client(world.people[Role.PRINCIPAL])
    for url in (COHORTS, f"{COHORTS}/{cohort.pk}", MEMBERS, f"{COHORTS}/{TOO_BIG}"):
        _missing(principal.get(url))
    _missing(_send(principal, "post", COHORTS, {"name": "Ours", "school_year": 2026}))
    _missing(_send(principal, "patch", f"{COHORTS}/{cohort.pk}", {"name": "Ours"}))
    _missing(_send(principal, "delete", f"{COHORTS}/{cohort.pk}/members/{member.pk}"))
    assert Client().get(COHORTS).status_code == 401
    # Once in the network, the principal sees all of it: every cohort, every member.
    _join(world, Cohort.objects.create(name="Another cohort", school_year=2026), world.people[Role.PRINCIPAL])
    assert {c["name"] for c in _ok(principal.get(COHORTS))["items"]} == {"Principals 2026", "Another cohort"}
    seen = _ok(principal.get(f"{COHORTS}/{cohort.pk}"))
    assert [m["person"]["name"] for m in seen["members"]] == ["South Principal"]
    assert seen["members"][0]["email"] == "principal.south@example.org"
    assert not seen["may_manage"] and not seen["may_schedule"]
    assert _ok(principal.get(MEMBERS))["count"] == 2


@pytest.mark.parametrize("role", NOT_STAFF)
def test_nobody_off_the_staff_and_outside_the_network_sees_it(world: World, role: Role) -> None:
    cohort = _cohort(world)
    client = _client(world.people[role])
    for url in (COHORTS, f"{COHORTS}/{cohort.pk}", MEMBERS):
        _missing(client.get(url))


@pytest.mark.parametrize("role", STAFF)
def test_the_staff_see_the_network(world: World, role: Role) -> None:
    cohort = _cohort(world)
    client = _client(world.people[role])
    assert [c["id"] for c in _ok(client.get(COHORTS))["items"]] == [cohort.pk]
    assert _ok(client.get(f"{COHORTS}/{cohort.pk}"))["member_count"] == 1
    assert _ok(client.get(MEMBERS))["count"] == 1


def test_a_funder_in_the_network_sees_it(world: World) -> None:
    cohort = _cohort(world)
    _join(world, cohort, world.people[Role.FUNDER])
    assert _ok(_client(world.people[Role.FUNDER]).get(MEMBERS))["count"] == 2


# -- cohorts and members ----------------------------------------------------------------------------


def test_leaders_start_cohorts_and_facilitators_change_theirs(world: World) -> None:
    leader, coach = _client(world.people[Role.NATIONAL_LEADER]), world.people[Role.COACH]
    created = _ok(
        _send(
            leader,
            "post",
            COHORTS,
            {"name": "  New   principals ", "school_year": 2027, "facilitator_ids": [coach.pk]},
        ),
        201,
    )
    assert (created["name"], created["school_year"], created["facilitators"]) == (
        "New principals",
        2027,
        [{"id": coach.pk, "name": coach.full_name}],
    )
    assert created["may_manage"] and created["may_schedule"]
    url = f"{COHORTS}/{created['id']}"
    # The facilitator changes the cohort; a member of the network who does not facilitate cannot.
    changed = _ok(_send(_client(coach), "patch", url, {"description": "First-year principals."}))
    assert changed["description"] == "First-year principals." and changed["name"] == "New principals"
    assert changed["may_manage"] and not changed["may_schedule"]
    _join(world, Cohort.objects.get(pk=created["id"]), world.people[Role.NETWORK_MEMBER])
    _missing(_send(_client(world.people[Role.NETWORK_MEMBER]), "patch", url, {"name": "Ours"}))
    # Only the organization's leaders start one.
    for role in (Role.COACH, Role.REGIONAL_DIRECTOR, Role.ANALYST):
        _missing(_send(_client(world.people[role]), "post", COHORTS, {"name": "Mine", "school_year": 2027}))
    assert Cohort.objects.count() == 1


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"name": " ", "school_year": 2027}, [(["body", "name"], "This field cannot be blank.")]),
        (
            {"name": "X", "school_year": 1850},
            [(["body", "school_year"], "Give a school year from 1990–91 to 2099–00.")],
        ),
        (
            {"name": "X", "school_year": 70_000},
            [(["body", "data", "school_year"], "Input should be less than or equal to 32767")],
        ),
        (
            {"name": "X\x00", "school_year": 2027},
            [(["body", "name"], "The name holds a NUL character; paste it as plain text.")],
        ),
        (
            {"name": "X" * 121, "school_year": 2027},
            [(["body", "name"], "Ensure this value has at most 120 characters (it has 121).")],
        ),
        (
            {"name": "Principals 2026", "school_year": 2026},
            [(["body", "name"], "There is already a cohort called “Principals 2026” in 2025–26.")],
        ),
        (
            {"name": "X", "school_year": 2027, "facilitator_ids": [987654]},
            [(["body", "facilitator_ids"], "No one on the staff has one of these ids.")],
        ),
        (
            {"name": "X", "school_year": 2027, "facilitator_ids": [TOO_BIG]},
            [(["body", "data", "facilitator_ids", 0], f"Input should be less than or equal to {MAX_ID}")],
        ),
    ],
)
def test_bad_cohorts_are_refused_precisely_and_write_nothing(
    world: World, body: dict[str, Any], errors: list[tuple[list[Any], str]]
) -> None:
    _cohort(world)
    assert _errors(_send(_client(world.people[Role.ORG_ADMIN]), "post", COHORTS, body)) == errors
    assert Cohort.objects.count() == 1


def test_a_facilitator_must_be_on_the_staff(world: World) -> None:
    cohort = _cohort(world)
    leader = _client(world.people[Role.ORG_ADMIN])
    assert _errors(
        _send(leader, "patch", f"{COHORTS}/{cohort.pk}", {"facilitator_ids": [world.people[Role.PRINCIPAL].pk]})
    ) == [(["body", "facilitator_ids"], "No one on the staff has one of these ids.")]
    assert list(cohort.facilitators.all()) == [world.people[Role.COACH]]


def test_a_facilitator_adds_and_removes_members_within_reach(world: World) -> None:
    cohort = _cohort(world)
    coach = _client(world.people[Role.COACH])
    teacher = world.people[Role.TEACHER]
    url = f"{COHORTS}/{cohort.pk}/members"
    added = _ok(
        _send(
            coach,
            "post",
            url,
            {
                "person_id": teacher.pk,
                "role": "teacher_leader",
                "title": "Literacy lead",
                "school_id": world.inside.school.pk,
            },
        ),
        201,
    )
    assert (added["person"]["id"], added["role"], added["title"]) == (teacher.pk, "teacher_leader", "Literacy lead")
    assert added["school"]["name"] == "North Elementary" and added["district"]["name"] == "Northvale Unified"
    assert added["cohort"] == {"id": cohort.pk, "name": "Principals 2026, 2025–26"}
    # The teacher is now in the network and sees it.
    assert _ok(_client(teacher).get(f"{COHORTS}/{cohort.pk}"))["member_count"] == 2
    # Removing is the facilitator's too; to the member it is not there.
    _missing(_send(_client(teacher), "delete", f"{url}/{added['id']}"))
    assert _send(coach, "delete", f"{url}/{added['id']}").status_code == 204
    assert not Member.objects.filter(person=teacher).exists()
    _missing(_send(coach, "delete", f"{url}/{added['id']}"))


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"school_id": "out"}, [(["body", "school_id"], "No school has this id.")]),
        ({"person_id": "out"}, [(["body", "person_id"], "No person has this id.")]),
        ({"person_id": TOO_BIG}, [(["body", "data", "person_id"], f"Input should be less than or equal to {MAX_ID}")]),
        ({"role": "wizard"}, [(["body", "role"], "Value 'wizard' is not a valid choice.")]),
        ({"title": "a\x00b"}, [(["body", "title"], "The title holds a NUL character; paste it as plain text.")]),
        (
            {"school_id": None},
            [(["body", "school_id"], "Give the member's school, or their district for a district leader.")],
        ),
        ({"district_id": "out"}, [(["body", "district_id"], "No district has this id.")]),
    ],
)
def test_bad_members_are_refused_precisely_and_write_nothing(
    world: World, change: dict[str, Any], errors: list[tuple[list[Any], str]]
) -> None:
    cohort = _cohort(world)
    out = {
        "school_id": world.outside.school.pk,
        "person_id": world.outside.partner.pk,
        "district_id": world.outside.district.pk,
    }
    body = {"person_id": world.people[Role.TEACHER].pk, "role": "principal", "school_id": world.inside.school.pk}
    body |= {k: out[k] if v == "out" else v for k, v in change.items()}
    assert _errors(_send(_client(world.people[Role.COACH]), "post", f"{COHORTS}/{cohort.pk}/members", body)) == errors
    assert Member.objects.count() == 1


# -- convenings ---------------------------------------------------------------------------------------


def test_a_convening_invites_the_cohorts_members(world: World) -> None:
    cohort = _cohort(world)
    member = world.people[Role.NETWORK_MEMBER]
    _join(world, cohort, member)
    body = {
        "title": "Fall convening",
        "day": "2026-10-15",
        "start": "09:00",
        "minutes": 360,
        "location": "North Elementary library",
        "time_zone": "America/Los_Angeles",
    }
    # Only the organization's leaders schedule; the facilitator and members find no such operation.
    for role in (Role.COACH, Role.NETWORK_MEMBER):
        _missing(_send(_client(world.people[role]), "post", f"{COHORTS}/{cohort.pk}/convenings", body))
    scheduled = _ok(
        _send(_client(world.people[Role.NATIONAL_LEADER]), "post", f"{COHORTS}/{cohort.pk}/convenings", body), 201
    )
    session = Session.objects.get()
    assert scheduled == {
        "id": session.pk,
        "title": "Fall convening",
        "starts_at": "2026-10-15T16:00:00Z",
        "ends_at": "2026-10-15T22:00:00Z",
        "time_zone": "America/Los_Angeles",
        "location": "North Elementary library",
        "status": "scheduled",
    }
    assert list(session.cohorts.all()) == [cohort]
    assert list(session.facilitators.all()) == [world.people[Role.COACH]]
    # The members are invited: it is on their calendars, and on the cohort's page.
    assert session in sessions_for(member) and session in sessions_for(world.outside.principal)
    assert session not in sessions_for(world.people[Role.PRINCIPAL])
    seen = _ok(_client(member).get(f"{COHORTS}/{cohort.pk}"))["convenings"]
    assert [c["id"] for c in seen] == [session.pk]


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"minutes": 10}, [(["body", "minutes"], "A convening day lasts from 15 minutes to 12 hours.")]),
        ({"time_zone": "Mars/Olympus"}, [(["body", "time_zone"], "Unknown time zone 'Mars/Olympus'.")]),
        ({"time_zone": "../../etc/passwd"}, [(["body", "time_zone"], "Unknown time zone '../../etc/passwd'.")]),
        (
            {"time_zone": "UTC\x00"},
            [(["body", "time_zone"], "The time zone holds a NUL character; paste it as plain text.")],
        ),
        ({"day": "9999-12-31"}, [(["body", "data", "day"], "Input should be less than or equal to 2999-12-31")]),
        ({"day": "1900-01-01", "time_zone": "Asia/Tokyo"}, [(["body", "day"], "Give a date from 1990 to 2100.")]),
        (
            {"start": "25:00"},
            [
                (
                    ["body", "data", "start"],
                    "Input should be in a valid time format, hour value is outside expected range of 0-23",
                )
            ],
        ),
        ({"location": "x" * 201}, [(["body", "data", "location"], "String should have at most 200 characters")]),
    ],
)
def test_bad_convenings_are_refused_precisely_and_write_nothing(
    world: World, change: dict[str, Any], errors: list[tuple[list[Any], str]]
) -> None:
    cohort = _cohort(world)
    body = {"day": "2026-10-15", "start": "09:00", "minutes": 360, **change}
    response = _send(_client(world.people[Role.ORG_ADMIN]), "post", f"{COHORTS}/{cohort.pk}/convenings", body)
    assert _errors(response) == errors
    assert not Session.objects.exists()


# -- the directory -----------------------------------------------------------------------------------


def test_the_directory_is_found_by_words_cohort_and_role(world: World) -> None:
    old = _cohort(world, "Principals 2025", 2025)
    new = Cohort.objects.create(name="District leaders", school_year=2026)
    _join(world, new, world.people[Role.PRINCIPAL])
    Member.objects.create(
        cohort=new,
        person=world.people[Role.DISTRICT_LEADER],
        role="district_leader",
        title="Director of Literacy",
        district=world.inside.district,
    )
    client = _client(world.people[Role.PRINCIPAL])

    def names(**query: Any) -> list[str]:
        return [m["person"]["name"] for m in _ok(client.get(MEMBERS, query))["items"]]

    # The latest school year first, then by name.
    assert names() == ["District leader", "Principal", "South Principal"]
    assert names(cohort=old.pk) == ["South Principal"]
    assert names(role="district_leader") == ["District leader"]
    assert names(q="literacy") == ["District leader"]
    assert names(q="south elementary") == ["South Principal"]
    assert names(q="northvale") == ["District leader"]
    assert names(cohort=987654) == []
    for query, loc in (
        ({"q": "a\x00"}, ["query", "q"]),
        ({"cohort": TOO_BIG}, ["query", "cohort"]),
        ({"role": "wizard"}, ["query", "role"]),
    ):
        assert [loc for loc, _ in _errors(client.get(MEMBERS, query))] == [loc]
    page = _ok(client.get(MEMBERS, {"limit": 1, "offset": 1}))
    assert (page["count"], [m["person"]["name"] for m in page["items"]]) == (3, ["Principal"])
    assert [c["name"] for c in _ok(client.get(COHORTS, {"school_year": 2025}))["items"]] == ["Principals 2025"]
