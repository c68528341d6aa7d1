"""The coaching API: starting coaching, logging sessions, goals, ratings, cycles, frameworks and
staff costs; above all, that a private note is read by its author and appears in no other answer."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from tandem.access.roles import Role
from tandem.coaching.actions import do_start_relationship
from tandem.coaching.models import Framework, PrivateNote, Rating, Relationship
from tandem.orgs.models import Person
from tests.world import World

SECRET = "SECRET-c0ach-only: she seemed exhausted; ask about the home situation"
SECOND_SECRET = "SECRET-2: thinking of recommending a different grade level"
SUPERVISORS = [Role.REGIONAL_DIRECTOR, Role.NATIONAL_LEADER, Role.ORG_ADMIN]
BASE = "/api/v1/coaching"


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _teaching() -> Framework:
    return Framework.objects.get(name="Teaching practice")


def _competency_ids(relationship: dict[str, Any]) -> list[int]:
    framework = Framework.objects.get(pk=relationship["framework"]["framework_id"])
    version = framework.versions.get(number=relationship["framework"]["number"])
    return [c.pk for d in version.domains.all() for c in d.competencies.all()]


def _start(world: World) -> dict[str, Any]:
    """The world's coach starts coaching the world's teacher at the in-half school."""
    response = _send(
        _client(world.people[Role.COACH]),
        "post",
        f"{BASE}/relationships",
        {
            "coach_id": world.people[Role.COACH].pk,
            "coachee_id": world.people[Role.TEACHER].pk,
            "school_id": world.inside.school.pk,
            "framework_id": _teaching().pk,
            "starts_on": "2026-09-01",
        },
    )
    assert response.status_code == 201, response.content
    return response.json()


def _coached(world: World) -> tuple[dict[str, Any], dict[str, Any]]:
    """A relationship with a session logged (with a private note), a goal, a coach rating and a
    coaching cycle: every kind of thing the reading endpoints answer."""
    relationship = _start(world)
    coach = _client(world.people[Role.COACH])
    url = f"{BASE}/relationships/{relationship['id']}"
    competency = _competency_ids(relationship)[0]
    cycle = _send(coach, "post", f"{url}/cycles", {"title": "Questioning", "starts_on": "2026-09-15"})
    assert cycle.status_code == 201, cycle.content
    response = _send(
        coach,
        "post",
        f"{url}/sessions",
        {
            "held_on": "2026-10-01",
            "minutes": 45,
            "kind": "observation",
            "shared_notes": "Strong launch; wait time was short.",
            "next_steps": "Try three seconds of wait time.",
            "evidence": "Tally of questions asked.",
            "competency_ids": [competency],
            "cycle_id": cycle.json()["id"],
            "private_note": SECRET,
        },
    )
    assert response.status_code == 201, response.content
    assert SECRET.encode() not in response.content
    assert set(response.json()) == {
        "id",
        "relationship_id",
        "cycle_id",
        "held_on",
        "minutes",
        "kind",
        "shared_notes",
        "next_steps",
        "evidence",
        "competency_ids",
        "logged_by_id",
        "created_at",
    }
    session = response.json()
    note = _send(coach, "post", f"{url}/notes", {"text": SECOND_SECRET, "session_id": session["id"]})
    assert note.status_code == 201, note.content
    goal = _send(coach, "post", f"{url}/goals", {"title": "Use wait time", "competency_id": competency})
    assert goal.status_code == 201, goal.content
    rating = _send(coach, "post", f"{url}/ratings", {"competency_id": competency, "level": 2, "rated_on": "2026-10-01"})
    assert rating.status_code == 201, rating.content
    return relationship, session


def _reading_urls(relationship: dict[str, Any], session: dict[str, Any]) -> list[str]:
    url = f"{BASE}/relationships/{relationship['id']}"
    return [
        f"{BASE}/relationships",
        f"{BASE}/relationships?status=active",
        url,
        f"{url}/sessions",
        f"{BASE}/sessions/{session['id']}",
        f"{url}/goals",
        f"{url}/ratings",
        f"{BASE}/notes",
        f"{BASE}/notes?relationship_id={relationship['id']}",
    ]


@pytest.mark.parametrize("role", [Role.TEACHER, *SUPERVISORS])
def test_no_one_but_the_coach_reads_a_private_note(world: World, role: Role) -> None:
    relationship, session = _coached(world)
    client = _client(world.people[role])
    for url in _reading_urls(relationship, session):
        response = client.get(url)
        assert response.status_code == 200, (url, response.content)
        assert SECRET.encode() not in response.content, url
        assert SECOND_SECRET.encode() not in response.content, url
        assert b"SECRET" not in response.content, url
        assert b"private" not in response.content.lower(), url
    # They see the relationship itself, with what is shared.
    detail = client.get(f"{BASE}/relationships/{relationship['id']}").json()
    assert detail["coachee"]["id"] == world.people[Role.TEACHER].pk
    assert [g["title"] for g in detail["goals"]] == ["Use wait time"]
    assert detail["cycles"][0]["current_step"] == "Set a goal"
    sessions = client.get(f"{BASE}/relationships/{relationship['id']}/sessions").json()
    assert sessions["items"][0]["shared_notes"] == "Strong launch; wait time was short."
    assert client.get(f"{BASE}/notes").json()["count"] == 0


def test_only_the_coach_reads_and_deletes_their_notes(world: World) -> None:
    relationship, session = _coached(world)
    coach = _client(world.people[Role.COACH])
    # Even the coach's own reading of sessions and the relationship carries no note.
    for url in _reading_urls(relationship, session)[:-2]:
        assert b"SECRET" not in coach.get(url).content, url
    notes = coach.get(f"{BASE}/notes").json()
    assert notes["count"] == 2
    assert {n["text"] for n in notes["items"]} == {SECRET, SECOND_SECRET}
    assert {n["session_id"] for n in notes["items"]} == {session["id"]}
    filtered = coach.get(f"{BASE}/notes?relationship_id={relationship['id'] + 1000}").json()
    assert filtered["count"] == 0

    note_id = notes["items"][0]["id"]
    for role in [Role.TEACHER, Role.PRINCIPAL, Role.FUNDER, *SUPERVISORS]:
        response = _client(world.people[role]).delete(f"{BASE}/notes/{note_id}")
        assert response.status_code == 404, role
        assert response.json() == {"detail": "Not found."}
        assert SECRET.encode() not in response.content
    assert PrivateNote.objects.filter(pk=note_id).exists()
    assert coach.delete(f"{BASE}/notes/{note_id}").status_code == 204
    assert coach.delete(f"{BASE}/notes/{note_id}").status_code == 404
    assert coach.get(f"{BASE}/notes").json()["count"] == 1


def test_only_the_coach_writes_notes_and_logs_sessions(world: World) -> None:
    relationship, _ = _coached(world)
    url = f"{BASE}/relationships/{relationship['id']}"
    session = {"held_on": "2026-10-02", "minutes": 30, "kind": "debrief", "private_note": "Not theirs"}
    for role in [Role.TEACHER, *SUPERVISORS]:
        client = _client(world.people[role])
        assert _send(client, "post", f"{url}/notes", {"text": "Not theirs"}).status_code == 404, role
        assert _send(client, "post", f"{url}/sessions", session).status_code == 404, role
    assert not PrivateNote.objects.filter(text="Not theirs").exists()


@pytest.mark.parametrize("role", [Role.FUNDER, Role.PRINCIPAL])
def test_neither_party_nor_supervisor_gets_404(world: World, role: Role) -> None:
    relationship, session = _coached(world)
    client = _client(world.people[role])
    url = f"{BASE}/relationships/{relationship['id']}"
    for path in [url, f"{url}/sessions", f"{BASE}/sessions/{session['id']}", f"{url}/goals", f"{url}/ratings"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json() == {"detail": "Not found."}
    goal_id = _client(world.people[Role.COACH]).get(f"{url}/goals").json()[0]["id"]
    assert _send(client, "patch", f"{BASE}/goals/{goal_id}", {"status": "met"}).status_code == 404
    assert client.get(f"{BASE}/relationships").json()["count"] == 0


@pytest.mark.parametrize("role", list(Role))
def test_relationship_in_the_other_half(world: World, role: Role) -> None:
    half = world.outside
    outside = do_start_relationship(
        half.partner,
        coach=half.partner,
        coachee=half.principal,
        school=half.school,
        framework=_teaching(),
        starts_on=datetime.date(2026, 9, 1),
    )
    response = _client(world.people[role]).get(f"{BASE}/relationships/{outside.pk}")
    assert response.status_code == (200 if role in (Role.ORG_ADMIN, Role.NATIONAL_LEADER) else 404)


def test_self_rating_and_coach_rating(world: World) -> None:
    relationship = _start(world)
    url = f"{BASE}/relationships/{relationship['id']}"
    competency = _competency_ids(relationship)[1]
    body = {"competency_id": competency, "level": 3, "rated_on": "2026-10-01", "evidence": "My lesson video."}
    mine = _send(_client(world.people[Role.TEACHER]), "post", f"{url}/ratings", body)
    assert mine.status_code == 201, mine.content
    assert mine.json()["source"] == "self"
    assert mine.json()["level_name"] == "Proficient"
    theirs = _send(_client(world.people[Role.COACH]), "post", f"{url}/ratings", {**body, "level": 2})
    assert theirs.json()["source"] == "coach"
    later = _send(
        _client(world.people[Role.COACH]), "post", f"{url}/ratings", {**body, "level": 3, "rated_on": "2026-11-01"}
    )
    assert later.status_code == 201
    # A supervisor sees the ratings but gives none.
    director = _client(world.people[Role.REGIONAL_DIRECTOR])
    assert _send(director, "post", f"{url}/ratings", body).status_code == 404
    assert [r["level"] for r in director.get(f"{url}/ratings").json()] == [3, 2, 3]
    latest = {(r["competency_id"], r["source"]): r["level"] for r in director.get(url).json()["latest_ratings"]}
    assert latest == {(competency, "coach"): 3, (competency, "self"): 3}
    # Out of the framework's levels, and a competency of another framework: field errors.
    too_high = _send(_client(world.people[Role.COACH]), "post", f"{url}/ratings", {**body, "level": 5})
    assert too_high.status_code == 422
    assert too_high.json()["detail"][0]["loc"] == ["body", "level"]
    leader = Framework.objects.get(name="School leaders as change agents").current()
    other = leader.domains.first().competencies.first()
    wrong = _send(_client(world.people[Role.COACH]), "post", f"{url}/ratings", {**body, "competency_id": other.pk})
    assert wrong.status_code == 422
    assert Rating.objects.count() == 3


def test_coachee_changes_a_goal_status_but_not_its_title(world: World) -> None:
    relationship = _start(world)
    url = f"{BASE}/relationships/{relationship['id']}"
    teacher = _client(world.people[Role.TEACHER])
    # Setting goals is for the coach and supervisors.
    assert _send(teacher, "post", f"{url}/goals", {"title": "Mine"}).status_code == 404
    goal = _send(_client(world.people[Role.COACH]), "post", f"{url}/goals", {"title": "Use wait time"}).json()

    status = _send(teacher, "patch", f"{BASE}/goals/{goal['id']}", {"status": "in_progress"})
    assert status.status_code == 200, status.content
    assert status.json()["status"] == "in_progress"
    # The coachee reaches the goal, so changing another field is a 422 naming it (not a 404).
    title = _send(teacher, "patch", f"{BASE}/goals/{goal['id']}", {"title": "Something easier", "status": "met"})
    assert title.status_code == 422
    assert title.json()["detail"] == [
        {"loc": ["body", "title"], "msg": "Coachees change the status of their goals only.", "type": "value_error"}
    ]
    kept = teacher.get(f"{url}/goals").json()[0]
    assert (kept["title"], kept["status"]) == ("Use wait time", "in_progress")
    director = _client(world.people[Role.REGIONAL_DIRECTOR])
    renamed = _send(director, "patch", f"{BASE}/goals/{goal['id']}", {"title": "Wait time, every lesson"})
    assert renamed.status_code == 200
    assert renamed.json()["title"] == "Wait time, every lesson"


def test_starting_coaching_checks_who_and_what(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    body = {
        "coach_id": world.people[Role.COACH].pk,
        "coachee_id": teacher.pk,
        "school_id": world.inside.school.pk,
        "framework_id": _teaching().pk,
        "starts_on": "2026-09-01",
    }
    # Neither a supervisor nor the coach named: the operation does not exist for them.
    assert _send(_client(world.people[Role.PRINCIPAL]), "post", f"{BASE}/relationships", body).status_code == 404
    # Nor for someone without a coach role naming themselves as the coach.
    for role in [Role.FUNDER, Role.TEACHER, Role.NETWORK_MEMBER]:
        itself = {**body, "coach_id": world.people[role].pk, "coachee_id": world.inside.principal.pk}
        assert _send(_client(world.people[role]), "post", f"{BASE}/relationships", itself).status_code == 404, role
    assert not Relationship.objects.exists()
    director = _client(world.people[Role.REGIONAL_DIRECTOR])
    outside = _send(director, "post", f"{BASE}/relationships", {**body, "coachee_id": world.outside.principal.pk})
    assert outside.status_code == 422
    assert outside.json()["detail"] == [
        {"loc": ["body", "coachee_id"], "msg": "No person has this id.", "type": "value_error"}
    ]
    missing = _send(director, "post", f"{BASE}/relationships", {**body, "school_id": world.outside.school.pk})
    assert missing.json()["detail"][0]["loc"] == ["body", "school_id"]
    paired = _send(director, "post", f"{BASE}/relationships", body)
    assert paired.status_code == 201, paired.content
    assert paired.json()["framework"]["number"] == 1
    assert paired.json()["may_manage"] and not paired.json()["may_coach"]
    ended = _send(director, "post", f"{BASE}/relationships/{paired.json()['id']}/end", {"ends_on": "2026-11-01"})
    assert ended.json()["status"] == "ended"
    listed = _client(world.people[Role.COACH]).get(f"{BASE}/relationships?status=ended").json()
    assert [r["id"] for r in listed["items"]] == [paired.json()["id"]]


def test_a_session_answers_field_errors(world: World) -> None:
    relationship = _start(world)
    coach = _client(world.people[Role.COACH])
    url = f"{BASE}/relationships/{relationship['id']}/sessions"
    body = {"held_on": "2026-10-01", "minutes": 45, "kind": "observation", "private_note": SECRET}
    future = _send(coach, "post", url, {**body, "held_on": "2030-01-01"})
    assert future.status_code == 422
    assert future.json()["detail"][0]["loc"] == ["body", "held_on"]
    unknown = _send(coach, "post", url, {**body, "cycle_id": 999_999})
    assert unknown.json()["detail"][0]["loc"] == ["body", "cycle_id"]
    # Nothing was kept, the note included: the session and its note are one transaction.
    assert not PrivateNote.objects.exists()
    assert SECRET.encode() not in future.content + unknown.content


def test_a_coaching_cycle_walks_its_steps(world: World) -> None:
    relationship = _start(world)
    coach = _client(world.people[Role.COACH])
    cycle = _send(coach, "post", f"{BASE}/relationships/{relationship['id']}/cycles", {"title": "Questioning"}).json()
    assert cycle["steps"] == ["Set a goal", "Learn", "Practice", "Review"]
    teacher = _client(world.people[Role.TEACHER])
    assert _send(teacher, "post", f"{BASE}/cycles/{cycle['id']}/advance").status_code == 404
    for expected in ["Learn", "Practice", "Review", None]:
        cycle = _send(coach, "post", f"{BASE}/cycles/{cycle['id']}/advance").json()
        assert cycle["current_step"] == expected
    assert cycle["status"] == "completed"
    again = _send(coach, "post", f"{BASE}/cycles/{cycle['id']}/advance")
    assert again.status_code == 422


def test_frameworks_keep_their_old_versions(world: World) -> None:
    relationship = _start(world)
    framework = _teaching()
    teacher = _client(world.people[Role.TEACHER])
    listed = teacher.get(f"{BASE}/frameworks").json()
    assert {f["name"] for f in listed} >= {"Teaching practice", "School leaders as change agents"}
    current = teacher.get(f"{BASE}/frameworks/{framework.pk}").json()
    assert current["version"]["number"] == 1
    assert len(current["version"]["domains"][0]["competencies"][0]["descriptors"]) == 4
    body = {
        "levels": ["Not yet", "Sometimes", "Always"],
        "domains": [
            {"name": "Talk", "competencies": [{"code": "X1", "name": "Wait time", "descriptors": ["a", "b", "c"]}]}
        ],
        "note": "Shorter",
    }
    for role in [Role.REGIONAL_DIRECTOR, Role.COACH, Role.TEACHER]:
        assert (
            _send(_client(world.people[role]), "post", f"{BASE}/frameworks/{framework.pk}/versions", body).status_code
            == 404
        )
    admin = _client(world.people[Role.ORG_ADMIN])
    published = _send(admin, "post", f"{BASE}/frameworks/{framework.pk}/versions", body)
    assert published.status_code == 201, published.content
    assert published.json()["version"]["number"] == 2
    assert [v["number"] for v in published.json()["versions"]] == [2, 1]
    old = teacher.get(f"{BASE}/frameworks/{framework.pk}?version=1").json()
    assert old["version"]["levels"] == ["Beginning", "Developing", "Proficient", "Leading"]
    assert teacher.get(f"{BASE}/frameworks/{framework.pk}?version=9").status_code == 404
    # The relationship started on version 1 keeps it.
    assert Relationship.objects.get(pk=relationship["id"]).framework.number == 1
    bad = _send(admin, "post", f"{BASE}/frameworks/{framework.pk}/versions", {**body, "levels": ["a", "b"]})
    assert bad.status_code == 422


def test_staff_costs_are_for_finance_managers(world: World) -> None:
    coach = world.people[Role.COACH]
    admin = _client(world.people[Role.ORG_ADMIN])
    saved = _send(admin, "put", f"{BASE}/staff-costs/{coach.pk}/2026", {"hourly_cost": "85.50"})
    assert saved.status_code == 200, saved.content
    assert saved.json()["hourly_cost"] == "85.50"
    assert _send(admin, "put", f"{BASE}/staff-costs/{coach.pk}/2026", {"hourly_cost": "90.00"}).status_code == 200
    assert admin.get(f"{BASE}/staff-costs").json()["count"] == 1
    assert _send(admin, "put", f"{BASE}/staff-costs/{coach.pk}/2026", {"hourly_cost": "0"}).status_code == 422
    for role in [Role.REGIONAL_DIRECTOR, Role.FUNDER, Role.COACH]:
        client = _client(world.people[role])
        assert client.get(f"{BASE}/staff-costs").status_code == 404
        assert _send(client, "put", f"{BASE}/staff-costs/{coach.pk}/2026", {"hourly_cost": "1.00"}).status_code == 404
