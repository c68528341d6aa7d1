"""The cycles API: starting a cycle, walking it through its steps, the next cycle, who sees what,
and template editing."""

import datetime
import json
from typing import Any

from django.test import Client

from tandem.access.roles import Role
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.inquiry.actions import do_start_cycle
from tandem.inquiry.models import Cycle, Template
from tandem.orgs.models import Person, School
from tests.world import World

START = "2026-09-01"
END = "2027-01-29"


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _messages(response: Any) -> list[str]:
    return [e["msg"] for e in response.json()["detail"]]


def _goal(school: School) -> Goal:
    return Goal.objects.create(
        title=f"Reading at {school.name}",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2025,
        baseline_value=30,
        target_value=40,
        target_date=datetime.date(2028, 6, 1),
        owner_school=school,
    )


def _school_cycle(client: Client, school: School, **extra: Any) -> Any:
    body = {"title": "Grade 3 fluency", "level": "school", "school_id": school.pk, "starts_on": START, "ends_on": END}
    return _send(client, "post", "/api/v1/cycles", {**body, **extra})


def _cycle_at(world: World, side: str) -> Cycle:
    half = world.halves[side]
    return do_start_cycle(
        half.principal,
        {
            "title": f"Leadership cycle at {half.school.name}",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(is_default=True),
            "school": half.school,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 1, 29),
        },
    )


def test_principal_walks_a_school_cycle_through_roci_and_starts_the_next(world: World) -> None:
    principal = world.inside.principal
    client = _client(principal)
    goal = _goal(world.inside.school)

    response = _school_cycle(client, world.inside.school)
    assert response.status_code == 201, response.content
    cycle = response.json()
    url = f"/api/v1/cycles/{cycle['id']}"
    assert cycle["owner_id"] == principal.pk
    assert cycle["template"] == "Results-Oriented Cycle of Inquiry"
    assert [s["name"] for s in cycle["steps"]] == ["Set Goals", "Plan", "Act", "Assess", "Reflect & Adjust"]
    assert cycle["steps"][0]["started_on"] == START
    assert cycle["steps"][0]["missing"] == ["Problem statement", "Measurable goals"]
    assert cycle["current_step"] == {"position": 1, "name": "Set Goals"}
    assert cycle["health"]["label"] == "on track"
    assert cycle["may_manage"] and cycle["may_contribute"]

    refused = _send(client, "post", f"{url}/steps/finish")
    assert refused.status_code == 422
    assert refused.json() == {
        "detail": [
            {
                "loc": ["body"],
                "msg": "Set Goals needs Problem statement, Measurable goals before it can be finished.",
                "type": "value_error",
            }
        ]
    }

    problem = {"statement": "Too few third graders read fluently.", "assessment": "caaspp-ela"}
    response = _send(client, "put", f"{url}/problem", {**problem, "metric": "at_or_above", "group": "1"})
    assert response.status_code == 200, response.content
    assert response.json()["problem"]["statement"] == problem["statement"]
    assert response.json()["problem"]["assessment"] == "caaspp-ela"
    assert response.json()["steps"][0]["missing"] == ["Measurable goals"]
    assert _messages(_send(client, "post", f"{url}/steps/finish")) == [
        "Set Goals needs Measurable goals before it can be finished."
    ]
    assert _send(client, "put", f"{url}/goals", {"goal_ids": [goal.pk]}).json()["goal_ids"] == [goal.pk]

    response = _send(client, "post", f"{url}/steps/finish")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["steps"][0]["finished_on"] is not None and body["steps"][0]["finished_by_id"] == principal.pk
    assert body["steps"][1]["started_on"] is not None
    assert body["current_step"] == {"position": 2, "name": "Plan"}
    assert body["steps"][1]["missing"] == ["Inquiry questions", "Action plan"]

    question = {"about": "students", "text": "Which decoding skills are missing?"}
    assert _send(client, "post", f"{url}/questions", question).status_code == 201
    response = _send(client, "post", f"{url}/actions", {"title": "Daily fluency block", "owner_id": principal.pk})
    assert response.status_code == 201
    (action,) = response.json()["actions"]
    assert action["status"] == "planned" and action["owner_id"] == principal.pk
    assert _send(client, "post", f"{url}/steps/finish").json()["current_step"]["name"] == "Act"

    assert _messages(_send(client, "post", f"{url}/steps/finish")) == [
        "Act needs Implementation log before it can be finished."
    ]
    log = {"happened_on": "2026-10-01", "note": "Started the block in two classes.", "action_id": action["id"]}
    response = _send(client, "post", f"{url}/log", log)
    assert response.status_code == 201
    assert response.json()["log"][0]["action_id"] == action["id"]
    response = _send(client, "patch", f"{url}/actions/{action['id']}", {"status": "in_progress"})
    assert response.json()["actions"][0]["status"] == "in_progress"
    assert _send(client, "post", f"{url}/steps/finish").json()["current_step"]["name"] == "Assess"

    document = {"kind": "document", "title": "Running records", "collected_on": "2026-11-01"}
    refused = _send(client, "post", f"{url}/evidence", document)
    assert refused.status_code == 422
    assert refused.json()["detail"] == [
        {
            "loc": ["body", "kind"],
            "msg": "Documents are uploaded on the cycle's web page; the API adds data and observations.",
            "type": "value_error",
        }
    ]
    data = {"kind": "data", "title": "Fluency re-measured", "collected_on": "2026-11-01"}
    assert _messages(_send(client, "post", f"{url}/evidence", data)) == ["Re-measured data needs the value measured."]
    response = _send(client, "post", f"{url}/evidence", {**data, "value": "42.5"})
    assert response.status_code == 201
    assert response.json()["evidence"][0] | {"id": 0, "created_at": ""} == {
        "id": 0,
        "kind": "data",
        "title": "Fluency re-measured",
        "note": "",
        "collected_on": "2026-11-01",
        "value": 42.5,
        "attachment_name": None,
        "author_id": principal.pk,
        "created_at": "",
    }
    assert _send(client, "post", f"{url}/steps/finish").json()["current_step"]["name"] == "Reflect & Adjust"

    reflection = {
        "worked": "The block.",
        "learned": "Decoding, not vocabulary.",
        "decision": "adapt",
        "adjustments": "Add a phonics warm-up.",
    }
    assert _send(client, "put", f"{url}/reflection", reflection).json()["reflection"]["decision"] == "adapt"
    done = _send(client, "post", f"{url}/steps/finish").json()
    assert done["status"] == "completed" and done["current_step"] is None
    assert done["health"]["label"] == "completed"
    assert all(s["missing"] == [] for s in done["steps"])
    assert _messages(_send(client, "post", f"{url}/questions", question)) == [
        "This cycle is finished; start the next cycle to go on."
    ]

    response = _send(client, "post", f"{url}/next")
    assert response.status_code == 201, response.content
    following = response.json()
    assert following["title"] == "Grade 3 fluency (cycle 2)"
    assert following["previous_id"] == cycle["id"]
    assert following["carried_forward"] == "Add a phonics warm-up."
    assert following["problem"]["statement"] == problem["statement"]
    assert following["goal_ids"] == [goal.pk]
    assert [a["title"] for a in following["actions"]] == ["Daily fluency block"]
    assert following["current_step"] == {"position": 1, "name": "Set Goals"}
    assert client.get(url).json()["next_ids"] == [following["id"]]
    assert _messages(_send(client, "post", f"{url}/next")) == ["The next cycle has already started from this one."]
    assert _messages(_send(client, "post", f"{url}/steps/reopen")) == [
        "The next cycle has started from this one; it can no longer be reopened."
    ]


def test_steps_reopen_and_a_cycle_closes_and_reopens(world: World) -> None:
    client = _client(world.inside.principal)
    cycle = _cycle_at(world, "in")
    url = f"/api/v1/cycles/{cycle.pk}"
    assert _messages(_send(client, "post", f"{url}/steps/reopen")) == ["No step of this cycle is finished yet."]
    _send(client, "put", f"{url}/problem", {"statement": "Attendance dips in winter."})
    _send(client, "put", f"{url}/goals", {"goal_ids": [_goal(world.inside.school).pk]})
    assert _send(client, "post", f"{url}/steps/finish").json()["current_step"]["position"] == 2
    body = _send(client, "post", f"{url}/steps/reopen").json()
    assert body["current_step"]["position"] == 1
    assert body["steps"][0]["finished_on"] is None and body["steps"][1]["started_on"] is None

    closed = _send(client, "post", f"{url}/close").json()
    assert closed["status"] == "closed" and closed["health"]["label"] == "closed"
    assert _messages(_send(client, "post", f"{url}/close")) == ["Only an active cycle can be closed."]
    assert _send(client, "post", f"{url}/reopen").json()["status"] == "active"
    assert _messages(_send(client, "post", f"{url}/reopen")) == ["Only a closed cycle can be reopened."]


def test_people_outside_a_leadership_cycle_get_404(world: World) -> None:
    cycle = _cycle_at(world, "in")
    url = f"/api/v1/cycles/{cycle.pk}"
    for role in (Role.TEACHER, Role.FUNDER, Role.NETWORK_MEMBER, Role.ANALYST):
        client = _client(world.people[role])
        assert client.get(url).status_code == 404, role
        assert client.get(url).json() == {"detail": "Not found."}
        assert _send(client, "post", f"{url}/steps/finish").status_code == 404, role
        assert _send(client, "put", f"{url}/problem", {"statement": "x"}).status_code == 404, role
        assert client.get("/api/v1/cycles").json()["count"] == 0, role
    assert _client(world.people[Role.PRINCIPAL]).get(url).status_code == 200


def test_a_member_works_on_a_cycle_but_only_its_owner_and_leaders_change_it(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    cycle = _cycle_at(world, "in")
    url = f"/api/v1/cycles/{cycle.pk}"
    principal = _client(world.inside.principal)
    response = _send(principal, "patch", url, {"member_ids": [teacher.pk], "title": "Fluency"})
    assert response.status_code == 200, response.content
    assert response.json()["member_ids"] == [teacher.pk] and response.json()["title"] == "Fluency"

    client = _client(teacher)
    body = client.get(url).json()
    assert body["may_contribute"] and not body["may_manage"]
    assert _send(client, "post", f"{url}/questions", {"about": "adults", "text": "How do we model?"}).status_code == 201
    # Changing the cycle needs more than seeing it: that answers as if the operation were not there.
    assert _send(client, "patch", url, {"title": "Mine now"}).status_code == 404
    assert _send(client, "post", f"{url}/close").status_code == 404
    assert _send(client, "post", f"{url}/next").status_code == 404
    assert Cycle.objects.get(pk=cycle.pk).title == "Fluency"


def test_a_teacher_starts_a_grade_level_team_cycle_at_their_school(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    client = _client(teacher)
    body = {
        "title": "Grade 2 number sense",
        "level": "team",
        "school_id": world.inside.school.pk,
        "starts_on": START,
        "ends_on": END,
        "member_ids": [world.inside.principal.pk],
    }
    response = _send(client, "post", "/api/v1/cycles", body)
    assert response.status_code == 201, response.content
    cycle = response.json()
    assert cycle["level"] == "team" and cycle["owner_id"] == teacher.pk
    assert cycle["school_id"] == world.inside.school.pk and cycle["place"] == "North Elementary"
    # A school cycle is for the school's leaders; the teacher is told why.
    assert _messages(_send(client, "post", "/api/v1/cycles", {**body, "level": "school"})) == [
        "You can start a cycle here only where you lead every school it covers."
    ]

    listed = _client(world.people[Role.DISTRICT_LEADER]).get("/api/v1/cycles?level=team").json()
    assert [c["id"] for c in listed["items"]] == [cycle["id"]]
    assert _client(world.people[Role.FUNDER]).get(f"/api/v1/cycles/{cycle['id']}").status_code == 404


def test_cycles_of_the_other_half_answer_404_to_everyone_placed_in_this_one(world: World) -> None:
    cycle = _cycle_at(world, "out")
    url = f"/api/v1/cycles/{cycle.pk}"
    for role in Role:
        client = _client(world.people[role])
        expected = 200 if role in (Role.ORG_ADMIN, Role.NATIONAL_LEADER) else 404
        assert client.get(url).status_code == expected, role
        assert _send(client, "put", f"{url}/problem", {"statement": "Absences."}).status_code == expected, role
        assert client.get("/api/v1/cycles").json()["count"] == (1 if expected == 200 else 0), role
    assert _client(world.outside.principal).get(url).status_code == 200


def test_list_filters(world: World) -> None:
    _cycle_at(world, "in")
    _cycle_at(world, "out")
    client = _client(world.people[Role.ORG_ADMIN])
    assert client.get("/api/v1/cycles").json()["count"] == 2
    only = client.get(f"/api/v1/cycles?school_id={world.outside.school.pk}").json()
    assert [c["school_id"] for c in only["items"]] == [world.outside.school.pk]
    assert client.get("/api/v1/cycles?status=completed").json()["count"] == 0
    assert client.get("/api/v1/cycles?level=school&status=active").json()["count"] == 2
    assert client.get("/api/v1/cycles?level=galaxy").status_code == 422


def test_ids_out_of_reach_in_the_body_read_like_missing_ones(world: World) -> None:
    client = _client(world.inside.principal)
    outside = _school_cycle(client, world.outside.school)
    missing = _school_cycle(client, School(pk=2**40))
    assert outside.status_code == missing.status_code == 422
    assert outside.json() == missing.json()
    assert outside.json()["detail"] == [
        {"loc": ["body", "school_id"], "msg": "No school has this id.", "type": "value_error"}
    ]

    stranger = _school_cycle(client, world.inside.school, member_ids=[world.outside.principal.pk])
    nobody = _school_cycle(client, world.inside.school, member_ids=[2**40])
    assert stranger.json() == nobody.json()
    assert _messages(stranger) == ["No person has one of these ids."]

    far_goal = _goal(world.outside.school)
    assert _messages(_school_cycle(client, world.inside.school, goal_ids=[far_goal.pk])) == [
        "No goal has one of these ids."
    ]
    assert Cycle.objects.count() == 0


def test_templates_are_read_by_everyone_and_edited_by_the_organizations_leaders(world: World) -> None:
    templates = _client(world.people[Role.FUNDER]).get("/api/v1/cycle-templates").json()
    assert templates[0]["name"] == "Results-Oriented Cycle of Inquiry"
    assert {t["name"] for t in templates} >= {"Plan-Do-Study-Act", "Data Wise"}
    roci = templates[0]
    assert roci["is_default"] and roci["built_in"]
    assert roci["steps"][0]["requires"] == ["problem", "goals"]

    body = {
        "name": "Short cycle",
        "description": "Two steps.",
        "steps": [{"name": "Plan", "requires": ["problem", "actions"]}, {"name": "Review", "requires": ["reflection"]}],
    }
    principal = _client(world.people[Role.PRINCIPAL])
    assert _send(principal, "post", "/api/v1/cycle-templates", body).status_code == 404
    assert _send(principal, "put", f"/api/v1/cycle-templates/{roci['id']}", body).status_code == 404
    assert _send(principal, "put", "/api/v1/cycle-templates/999999", body).status_code == 404
    assert principal.get(f"/api/v1/cycle-templates/{roci['id']}").status_code == 200

    admin = _client(world.people[Role.ORG_ADMIN])
    response = _send(admin, "post", "/api/v1/cycle-templates", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert [s["name"] for s in created["steps"]] == ["Plan", "Review"] and not created["built_in"]
    assert _messages(_send(admin, "post", "/api/v1/cycle-templates", body)) == [
        "Template with this Name already exists."
    ]

    edited = {**body, "name": "Short cycle", "is_default": True, "steps": [{"name": "Only step", "phase": "All"}]}
    response = _send(admin, "put", f"/api/v1/cycle-templates/{created['id']}", edited)
    assert response.status_code == 200, response.content
    assert response.json()["steps"] == [
        {"position": 1, "phase": "All", "name": "Only step", "prompt": "", "requires": []}
    ]
    assert response.json()["is_default"]
    assert not Template.objects.get(pk=roci["id"]).is_default

    wrong = {**body, "steps": [{"name": "Plan", "requires": ["homework"]}]}
    assert _messages(_send(admin, "put", f"/api/v1/cycle-templates/{created['id']}", wrong)) == [
        "Step 1: required artifacts must be drawn from problem, questions, goals, actions, log, evidence, reflection."
    ]
    assert _send(admin, "put", f"/api/v1/cycle-templates/{created['id']}", {**body, "steps": []}).status_code == 422

    # A cycle started now uses the new default and copies its one step.
    started = _school_cycle(_client(world.inside.principal), world.inside.school).json()
    assert started["template_id"] == created["id"] and len(started["steps"]) == 1
