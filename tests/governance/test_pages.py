"""The governance pages: what each reader sees and may do, changes made through the forms, the
secret ballot's receipt shown once, and hostile input answered with form errors (422) or "not
found", never a server error."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.andon.feed.actions import do_post
from tandem.governance import actions, seats
from tandem.governance.models import (
    Ballot,
    Decision,
    Election,
    FollowUp,
    GroupGoal,
    Link,
    Membership,
    Nomination,
    PlanningTeam,
    Seat,
    Support,
    Term,
    Voter,
    WorkingGroup,
)
from tests.world import World

TODAY = timezone.localdate


@dataclass
class Gov:
    world: World
    leader: object
    coach: object
    analyst: object
    director: object
    group: WorkingGroup
    team: PlanningTeam
    appointed: Seat
    elected: Seat
    election: Election


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def _form_group(
    leader: object, name: str, starts_in: int, ends_in: int, members: list[object], goals: list[str] | None = None
) -> WorkingGroup:
    """A group the leader forms and sponsors, its time box counted in days from today."""
    fields = {
        "name": name,
        "misalignment": "The strategy says coaches spend half their time in classrooms; they do not.",
        "purpose": "Find out why and fix the schedule.",
        "sponsor": leader,
        "starts_on": TODAY() + datetime.timedelta(days=starts_in),
        "ends_on": TODAY() + datetime.timedelta(days=ends_in),
    }
    return actions.do_form_group(leader, fields, goals=goals or ["G"], members=members)  # type: ignore[arg-type]


def _seat(leader: object, team: PlanningTeam, name: str, first_term_starts: datetime.date, **fields: object) -> Seat:
    """An appointed seat with one-year terms, unless `fields` say otherwise."""
    fields = {"kind": "appointed", "term_months": 12, **fields}
    seat = Seat(team=team, name=name, first_term_starts=first_term_starts, **fields)
    return actions.do_save_seat(leader, seat)  # type: ignore[arg-type]


@pytest.fixture
def gov(world: World) -> Gov:
    """A working group sponsored by the national leader with the coach and the analyst as members;
    a planning team whose appointed seat the regional director holds this term, and whose elected
    seat for coaches has an election open for nominations."""
    leader = world.people[Role.NATIONAL_LEADER]
    coach = world.people[Role.COACH]
    analyst = world.people[Role.ANALYST]
    director = world.people[Role.REGIONAL_DIRECTOR]
    today = TODAY()
    group = _form_group(
        leader, "Coaching load", -30, 60, [coach, analyst], goals=["Measure classroom time", "Propose a schedule"]
    )
    team = actions.do_save_team(leader, PlanningTeam(name="National planning team", purpose="Sets the strategy."))
    appointed = _seat(leader, team, "Leadership seat", today - datetime.timedelta(days=100))
    actions.do_appoint(leader, appointed, director, appointed.first_term_starts)
    began = today - datetime.timedelta(days=200)
    elected = _seat(leader, team, "Implementer seat", began, kind="elected", eligible_roles=["coach"], term_months=24)
    starts, _ = seats.next_term(elected, today)
    election = actions.do_open_election(leader, team, [elected], starts)
    return Gov(world, leader, coach, analyst, director, group, team, appointed, elected, election)


def _open_voting(election: Election, days_left: int = 3) -> None:
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        nominations_open=now - datetime.timedelta(days=10),
        nominations_close=now - datetime.timedelta(days=1),
        voting_open=now - datetime.timedelta(days=1),
        voting_close=now + datetime.timedelta(days=days_left),
    )


def _close_voting(election: Election) -> None:
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        voting_open=now - datetime.timedelta(days=2), voting_close=now - datetime.timedelta(minutes=1)
    )


def test_smoke_every_page_renders(gov: Gov) -> None:
    client = _client(gov.leader)
    decision = actions.do_record_decision(
        gov.leader,
        {"title": "Protect coaching time", "decided_on": TODAY(), "decision": "Yes", "rationale": "Because"},
        team=gov.team,
        follow_ups=[("Tell the schools", gov.coach, None)],
    )
    for url in [
        reverse("governance:overview"),
        reverse("governance:groups"),
        reverse("governance:group_new"),
        reverse("governance:group", args=[gov.group.pk]),
        reverse("governance:group_review", args=[gov.group.pk]),
        reverse("governance:teams"),
        reverse("governance:team_new"),
        reverse("governance:team", args=[gov.team.pk]),
        reverse("governance:election", args=[gov.election.pk]),
        reverse("governance:decisions"),
        reverse("governance:decision", args=[decision.pk]),
    ]:
        assert client.get(url).status_code == 200, url


# -- reach ---------------------------------------------------------------------------------------

NOT_STAFF = [Role.PRINCIPAL, Role.TEACHER, Role.DISTRICT_LEADER, Role.FUNDER, Role.NETWORK_MEMBER]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_nobody_off_the_staff_finds_anything(gov: Gov, role: Role) -> None:
    client = _client(gov.world.people[role])
    decision = actions.do_record_decision(
        gov.leader,
        {"title": "T", "decided_on": TODAY(), "decision": "D", "rationale": "R"},
        team=gov.team,
    )
    pages = [
        reverse("governance:overview"),
        reverse("governance:groups"),
        reverse("governance:group", args=[gov.group.pk]),
        reverse("governance:teams"),
        reverse("governance:team", args=[gov.team.pk]),
        reverse("governance:election", args=[gov.election.pk]),
        reverse("governance:decisions"),
        reverse("governance:decision", args=[decision.pk]),
    ]
    for url in pages:
        assert client.get(url).status_code == 404, url
    posts = [
        reverse("governance:nominate", args=[gov.election.pk]),
        reverse("governance:vote", args=[gov.election.pk]),
        reverse("governance:receipt", args=[gov.election.pk]),
        reverse("governance:team_decision", args=[gov.team.pk]),
        reverse("governance:group_decision", args=[gov.group.pk]),
    ]
    for url in posts:
        assert client.post(url, {"nominee": gov.world.people[role].pk}).status_code == 404, url
    # Nor is it offered in the navigation.
    assert b">Governance</a>" not in client.get(reverse("home")).content


def test_the_staff_are_offered_governance(gov: Gov) -> None:
    assert b">Governance</a>" in _client(gov.coach).get(reverse("home")).content


def test_a_group_is_seen_by_its_sponsor_members_and_leaders_only(gov: Gov) -> None:
    url = reverse("governance:group", args=[gov.group.pk])
    assert _client(gov.director).get(url).status_code == 404
    assert _client(gov.coach).get(url).status_code == 200
    assert _client(gov.world.people[Role.ORG_ADMIN]).get(url).status_code == 200
    assert b"Coaching load" not in _client(gov.director).get(reverse("governance:groups")).content


def test_a_former_member_still_reads_the_group_but_no_longer_records(gov: Gov) -> None:
    actions.do_change_membership(gov.leader, gov.group, gov.coach, joins=False, because="Moved region")
    client = _client(gov.coach)
    page = client.get(reverse("governance:group", args=[gov.group.pk]))
    assert page.status_code == 200
    assert b"Moved region" in page.content
    assert page.context["decision_form"] is None
    data = {"title": "T", "decided_on": TODAY().isoformat(), "decision": "D", "rationale": "R"}
    assert client.post(reverse("governance:group_decision", args=[gov.group.pk]), data).status_code == 404
    # A member now records one.
    done = _client(gov.analyst).post(reverse("governance:group_decision", args=[gov.group.pk]), data)
    assert done.status_code == 302
    assert Decision.objects.get(group=gov.group).recorded_by == gov.analyst


def test_members_do_not_steer_the_group(gov: Gov) -> None:
    client = _client(gov.coach)
    page = client.get(reverse("governance:group", args=[gov.group.pk]))
    assert page.context["membership_form"] is None and page.context["support_form"] is None
    pk = gov.group.pk
    assert client.post(reverse("governance:group_support", args=[pk]), {"kind": "advice"}).status_code == 404
    assert client.post(reverse("governance:group_membership", args=[pk]), {}).status_code == 404
    assert client.get(reverse("governance:group_review", args=[pk])).status_code == 404
    assert client.get(reverse("governance:group_new")).status_code == 404


# -- the overview --------------------------------------------------------------------------------


def test_the_overview_says_when_there_is_nothing(world: World) -> None:
    page = _client(world.people[Role.COACH]).get(reverse("governance:overview"))
    assert page.status_code == 200
    text = page.content.decode()
    for empty in (
        "No active working groups that you take part in.",
        "No group is due for review.",
        "No group has disbanded yet.",
        "No planning teams yet.",
        "No election is open.",
        "No decisions recorded yet.",
    ):
        assert empty in text


def test_the_overview_sorts_groups_by_state_and_shows_the_phase(gov: Gov) -> None:
    due = _form_group(gov.leader, "Data cadence", -90, -1, [gov.coach])
    gone = _form_group(gov.leader, "Old group", -90, -10, [gov.coach])
    goal = gone.goals.get()
    actions.do_review(gov.leader, gone, {goal.pk: ("met", "")}, "disband", learned="Enough")
    page = _client(gov.leader).get(reverse("governance:overview"))
    assert [g.pk for g in page.context["active"]] == [gov.group.pk]
    assert [g.pk for g in page.context["review"]] == [due.pk]
    assert [g.pk for g in page.context["disbanded"]] == [gone.pk]
    assert page.context["elections"] == [(gov.election, "nominating")]
    assert b"Nominations open until" in page.content


# -- working groups ------------------------------------------------------------------------------


def _group_data(world: World, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Family engagement",
        "misalignment": "We say families are partners; meetings are at 10am.",
        "purpose": "Move the meetings and ask families.",
        "sponsor": world.people[Role.NATIONAL_LEADER].pk,
        "starts_on": TODAY().isoformat(),
        "ends_on": (TODAY() + datetime.timedelta(days=90)).isoformat(),
        "goals": "Survey families\n\n  Move two meetings  \n",
        "members": [world.people[Role.COACH].pk, world.people[Role.ANALYST].pk],
    }
    data.update(changes)
    return data


def test_a_leader_forms_a_group_from_a_flag(gov: Gov) -> None:
    flag = do_post(gov.coach, "flag", "Meetings at 10am", "Families cannot come.")
    response = _client(gov.leader).post(reverse("governance:group_new"), _group_data(gov.world, flags=[flag.pk]))
    assert response.status_code == 302
    group = WorkingGroup.objects.get(name="Family engagement")
    assert [g.text for g in group.goals.all()] == ["Survey families", "Move two meetings"]
    assert set(group.memberships.values_list("person", flat=True)) == {gov.coach.pk, gov.analyst.pk}
    assert Link.objects.filter(owner_id=group.pk, object_id=flag.pk).exists()
    page = _client(gov.coach).get(response["Location"])
    assert "Flag “Meetings at 10am”" in page.content.decode()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"members": ["99999999999999999999999"]}, "members"),
        ({"members": ["abc"]}, "members"),
        ({"sponsor": "99999999999999999999999"}, "sponsor"),
        ({"sponsor": "1e3"}, "sponsor"),
        ({"flags": ["-1", "18446744073709551616"]}, "flags"),
        ({"name": "Bad\x00name"}, "name"),
        ({"goals": "A goal\x00"}, "goals"),
        ({"ends_on": "2026-02-30"}, "ends_on"),
        ({"name": "x" * 201}, "name"),
    ],
)
def test_forming_a_group_refuses_hostile_input(gov: Gov, changes: dict[str, object], field: str) -> None:
    response = _client(gov.leader).post(reverse("governance:group_new"), _group_data(gov.world, **changes))
    assert response.status_code == 422
    assert response.context["form"].errors[field]
    assert not WorkingGroup.objects.filter(name="Family engagement").exists()


def test_the_actions_refusals_come_back_beside_the_fields(gov: Gov) -> None:
    data = _group_data(gov.world, ends_on=TODAY().isoformat())
    response = _client(gov.leader).post(reverse("governance:group_new"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert "The time box ends after it starts." in errors["ends_on"]


def test_the_sponsor_changes_membership_with_reasons(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:group_membership", args=[gov.group.pk])
    director = gov.director
    joined = client.post(url, {"change": "join", "person": director.pk, "because": "Knows the schedules"})
    assert joined.status_code == 302
    left = client.post(url, {"change": "leave", "person": gov.analyst.pk, "because": "Too busy this term"})
    assert left.status_code == 302
    page = client.get(reverse("governance:group", args=[gov.group.pk]))
    text = page.content.decode()
    assert "Knows the schedules" in text and "Too busy this term" in text
    assert {m.person_id for m in page.context["members"]} == {gov.coach.pk, director.pk}
    # Leaving twice, joining twice: the action's words, beside the form, as 422.
    again = client.post(url, {"change": "leave", "person": gov.analyst.pk, "because": "Again"})
    assert again.status_code == 422
    assert "is not a member now" in again.content.decode()
    twice = client.post(url, {"change": "join", "person": director.pk, "because": "Again"})
    assert twice.status_code == 422
    assert "is already a member" in twice.content.decode()
    hostile = client.post(url, {"change": "join", "person": "9" * 30, "because": "x\x00"})
    assert hostile.status_code == 422
    assert set(hostile.context["membership_form"].errors) == {"person", "because"}


def test_the_sponsor_logs_support(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:group_support", args=[gov.group.pk])
    assert client.post(url, {"kind": "resource", "text": "Two release days"}).status_code == 302
    assert Support.objects.get().text == "Two release days"
    assert b"Two release days" in client.get(reverse("governance:group", args=[gov.group.pk])).content
    bad = client.post(url, {"kind": "bribe", "text": "\x00"})
    assert bad.status_code == 422
    assert set(bad.context["support_form"].errors) == {"kind", "text"}


def _review_data(group: WorkingGroup, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {f"goal_{g.pk}": "met" for g in group.goals.filter(round=group.round)}
    data.update(changes)
    return data


def test_a_review_disbands_the_group_with_what_was_learned(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:group_review", args=[gov.group.pk])
    form = client.get(url).context["form"]
    assert [f for f in form.fields if f.startswith("goal_")] == [
        f"goal_{g.pk}{suffix}" for g in gov.group.goals.all() for suffix in ("", "_note")
    ]
    first, second = gov.group.goals.all()
    missing = client.post(url, {f"goal_{first.pk}": "met", "outcome": "disband", "learned": "A lot"})
    assert missing.status_code == 422
    assert missing.context["form"].errors[f"goal_{second.pk}"]
    no_lesson = client.post(url, _review_data(gov.group, outcome="disband"))
    assert no_lesson.status_code == 422
    assert "Write the what the group learned." in no_lesson.content.decode() or no_lesson.context["form"].errors
    data = _review_data(gov.group, outcome="disband", learned="Schedules are set by districts.")
    data[f"goal_{second.pk}"] = "partly"
    data[f"goal_{second.pk}_note"] = "Two of five schools"
    assert client.post(url, data).status_code == 302
    gov.group.refresh_from_db()
    assert gov.group.status == WorkingGroup.Status.DISBANDED
    assert GroupGoal.objects.get(pk=second.pk).assessment_note == "Two of five schools"
    page = client.get(reverse("governance:group", args=[gov.group.pk]))
    assert b"Schedules are set by districts." in page.content
    assert page.context["support_form"] is None
    # The review page of a disbanded group says so, and takes nothing.
    assert b"This group disbanded on" in client.get(url).content
    assert client.post(url, data).status_code == 422


def test_a_review_renews_the_group_with_new_goals(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:group_review", args=[gov.group.pk])
    new_ends = (TODAY() + datetime.timedelta(days=120)).isoformat()
    no_goals = client.post(url, _review_data(gov.group, outcome="renew", new_ends_on=new_ends))
    assert no_goals.status_code == 422
    assert no_goals.context["form"].errors["new_goals"] == ["A renewed group sets new goals."]
    done = client.post(
        url, _review_data(gov.group, outcome="renew", new_goals="Pilot it\nReport", new_ends_on=new_ends)
    )
    assert done.status_code == 302
    page = client.get(reverse("governance:group", args=[gov.group.pk]))
    assert [r for r, _ in page.context["rounds"]] == [1, 2]
    assert [g.text for g in page.context["rounds"][1][1]] == ["Pilot it", "Report"]


def test_hostile_review_input_is_refused(gov: Gov) -> None:
    url = reverse("governance:group_review", args=[gov.group.pk])
    data = _review_data(gov.group, outcome="neither", new_ends_on="tomorrow", learned="\x00")
    data[f"goal_{gov.group.goals.first().pk}"] = "open"
    response = _client(gov.leader).post(url, data)
    assert response.status_code == 422
    assert {"outcome", "new_ends_on", "learned", f"goal_{gov.group.goals.first().pk}"} <= set(
        response.context["form"].errors
    )


# -- planning teams ------------------------------------------------------------------------------


def test_the_team_page_shows_seats_holders_and_next_terms(gov: Gov) -> None:
    page = _client(gov.coach).get(reverse("governance:team", args=[gov.team.pk]))
    rows = {r["seat"].name: r for r in page.context["seats"]}
    held = rows["Leadership seat"]
    assert held["term"].person == gov.director
    assert held["eligibility"] == "Appointed by the organization's leaders"
    assert held["next_starts"] == seats.next_term(gov.appointed, TODAY())[0]
    assert rows["Implementer seat"]["term"] is None
    assert rows["Implementer seat"]["eligibility"] == Role.COACH.label
    assert page.context["members"] == [gov.director]
    # Only leaders get the leaders' forms.
    assert page.context["seat_form"] is None and page.context["election_form"] is None
    assert b"Vacant" in page.content


def test_a_leader_adds_a_seat_and_appoints(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:seat_new", args=[gov.team.pk])
    seat = {"name": "Coach seat B", "kind": "elected", "term_months": 24, "first_term_starts": "2026-01-01"}
    refused = client.post(url, {**seat, "max_consecutive_terms": 1})
    assert refused.status_code == 422
    assert refused.context["seat_form"].errors["eligible_roles"]
    hostile = client.post(url, {**seat, "eligible_roles": ["emperor"], "term_months": "9" * 40})
    assert hostile.status_code == 422
    assert set(hostile.context["seat_form"].errors) >= {"eligible_roles", "term_months"}
    assert client.post(url, {**seat, "eligible_roles": ["coach"], "max_consecutive_terms": 2}).status_code == 302
    assert Seat.objects.get(name="Coach seat B").eligible_roles == ["coach"]

    appoint = reverse("governance:appoint", args=[gov.team.pk])
    starts = gov.appointed.first_term_starts
    taken = client.post(appoint, {"seat": gov.appointed.pk, "person": gov.coach.pk, "term_starts": starts})
    assert taken.status_code == 422
    assert "That term is filled already." in taken.content.decode()
    wrong_day = starts + datetime.timedelta(days=1)
    off = client.post(appoint, {"seat": gov.appointed.pk, "person": gov.coach.pk, "term_starts": wrong_day})
    assert off.status_code == 422
    assert "terms start on" in off.context["appoint_form"].errors["term_starts"][0]
    # An elected seat is not offered for appointment.
    elected = client.post(appoint, {"seat": gov.elected.pk, "person": gov.coach.pk, "term_starts": starts})
    assert elected.status_code == 422 and elected.context["appoint_form"].errors["seat"]
    next_starts = seats.next_term(gov.appointed, TODAY())[0]
    done = client.post(appoint, {"seat": gov.appointed.pk, "person": gov.coach.pk, "term_starts": next_starts})
    assert done.status_code == 302
    assert Term.objects.get(seat=gov.appointed, starts_on=next_starts).person == gov.coach


def test_only_leaders_set_teams_up(gov: Gov) -> None:
    coach = _client(gov.coach)
    assert coach.get(reverse("governance:team_new")).status_code == 404
    for name in ("seat_new", "appoint", "election_new"):
        assert coach.post(reverse(f"governance:{name}", args=[gov.team.pk]), {}).status_code == 404
    leader = _client(gov.leader)
    assert leader.post(reverse("governance:team_new"), {"name": "National planning team"}).status_code == 422
    assert leader.post(reverse("governance:team_new"), {"name": "Regional team"}).status_code == 302
    assert PlanningTeam.objects.filter(name="Regional team").exists()


def test_a_leader_opens_an_election_by_hand(gov: Gov) -> None:
    client = _client(gov.leader)
    url = reverse("governance:election_new", args=[gov.team.pk])
    starts = seats.next_term(gov.elected, TODAY())[0]
    twice = client.post(url, {"seats": [gov.elected.pk], "term_starts": starts})
    assert twice.status_code == 422
    assert "already has an election for that term" in twice.content.decode()
    hostile = client.post(url, {"seats": ["1; DROP TABLE", "9" * 25], "term_starts": starts})
    assert hostile.status_code == 422 and hostile.context["election_form"].errors["seats"]
    actions.do_cancel_election(gov.leader, gov.election, "Wrong dates")
    opened = client.post(url, {"seats": [gov.elected.pk], "term_starts": starts})
    assert opened.status_code == 302
    assert Election.objects.filter(status="open", term_starts=starts).count() == 1


def test_a_seat_holder_records_team_decisions_only_during_their_term(gov: Gov) -> None:
    url = reverse("governance:team_decision", args=[gov.team.pk])
    data = {"title": "Protect coaching", "decided_on": TODAY().isoformat(), "decision": "D", "rationale": "R"}
    director = _client(gov.director)
    assert director.get(reverse("governance:team", args=[gov.team.pk])).context["decision_form"] is not None
    assert director.post(url, data).status_code == 302
    assert Decision.objects.get(team=gov.team).recorded_by == gov.director
    # A coach holds no seat: the form is not there for them.
    assert _client(gov.coach).post(url, data).status_code == 404
    # A term that has not started yet gives no rights...
    later = _seat(gov.leader, gov.team, "Next seat", TODAY() + datetime.timedelta(days=1))
    actions.do_appoint(gov.leader, later, gov.coach, later.first_term_starts)
    assert _client(gov.coach).post(url, data).status_code == 404
    # ...and the director's term, ended today, gives none any more.
    actions.do_end_term_early(gov.leader, Term.objects.get(person=gov.director), TODAY(), "Stepped down")
    assert director.post(url, {**data, "title": "After"}).status_code == 404
    assert not Decision.objects.filter(title="After").exists()


# -- elections -----------------------------------------------------------------------------------


def _another_coach(gov: Gov, name: str = "Second Coach") -> object:
    from tandem.access.models import RoleAssignment
    from tests.world import make_person

    person = make_person(f"{name.lower().replace(' ', '.')}@example.org", name)
    RoleAssignment.objects.create(person=person, role=Role.COACH, school=gov.world.inside.school)
    return person


def test_nominations_through_the_page(gov: Gov) -> None:
    election_url = reverse("governance:election", args=[gov.election.pk])
    coach = _client(gov.coach)
    page = coach.get(election_url)
    assert page.context["nominate_form"].initial == {"nominee": gov.coach.pk}
    nominate = reverse("governance:nominate", args=[gov.election.pk])
    assert coach.post(nominate, {"nominee": gov.coach.pk, "statement": "I will listen."}).status_code == 302
    assert b"I will listen." in coach.get(election_url).content
    # The leader nominates a colleague, who accepts with a statement.
    other = _another_coach(gov)
    assert _client(gov.leader).post(nominate, {"nominee": other.pk}).status_code == 302
    nomination = Nomination.objects.get(nominee=other)
    assert not nomination.standing
    answer = reverse("governance:nomination_answer", args=[gov.election.pk, nomination.pk])
    # Nobody but the nominee answers.
    assert coach.post(answer, {"answer": "accept"}).status_code == 404
    theirs = _client(other)
    assert theirs.get(election_url).context["answer_form"] is not None
    assert theirs.post(answer, {"answer": "maybe"}).status_code == 422
    assert theirs.post(answer, {"answer": "accept", "statement": "Ready to serve."}).status_code == 302
    nomination.refresh_from_db()
    assert nomination.standing and nomination.statement == "Ready to serve."
    # Someone not eligible (the analyst is no coach) is not offered, and refused.
    refused = coach.post(nominate, {"nominee": gov.analyst.pk})
    assert refused.status_code == 422 and refused.context["nominate_form"].errors["nominee"]
    again = coach.post(nominate, {"nominee": gov.coach.pk})
    assert again.status_code == 422
    assert "is nominated already" in again.content.decode()
    hostile = coach.post(nominate, {"nominee": "9" * 40, "statement": "\x00"})
    assert hostile.status_code == 422
    assert set(hostile.context["nominate_form"].errors) == {"nominee", "statement"}
    log = [e.text for e in coach.get(election_url).context["events"]]
    assert any("nominated themselves" in t for t in log)


def _standing(gov: Gov, *people: object) -> list[Nomination]:
    return [actions.do_nominate(p, gov.election, p, f"{p} stands") for p in people]  # type: ignore[arg-type]


def test_a_vote_shows_its_receipt_once_and_the_receipt_checks_it(gov: Gov) -> None:
    other = _another_coach(gov)
    mine, _ = _standing(gov, gov.coach, other)
    _open_voting(gov.election)
    client = _client(gov.coach)
    url = reverse("governance:election", args=[gov.election.pk])
    assert client.get(url).context["ballot_form"] is not None
    voted = client.post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    assert voted.status_code == 200
    receipt = voted.context["receipt"]
    assert receipt and receipt in voted.content.decode()
    assert "no-store" in voted["Cache-Control"]
    # Kept nowhere: not in the session, not in a message, not on the page again.
    assert receipt not in str(dict(client.session.items()))
    assert receipt not in str(client.cookies)
    again = client.get(url)
    assert receipt not in again.content.decode()
    assert again.context["ballot_form"] is None and again.context["voted"]
    assert b"You have voted." in again.content
    # Voting twice is refused.
    twice = client.post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    assert twice.status_code == 422
    assert "You have voted in this election already." in twice.content.decode()
    assert Ballot.objects.count() == 1 and Voter.objects.count() == 1
    # The receipt finds the ballot, in the box until the count.
    check = client.post(reverse("governance:receipt", args=[gov.election.pk]), {"receipt": receipt.lower()})
    assert check.status_code == 200
    assert check.context["check"] == {"found": True, "counted": False, "ranking": [gov.coach.full_name]}
    assert receipt not in check.content.decode()
    unknown = client.post(reverse("governance:receipt", args=[gov.election.pk]), {"receipt": "0000-0000"})
    assert unknown.context["check"] == {"found": False, "counted": False}
    assert b"No ballot of this election matches that receipt." in unknown.content


def test_hostile_ballots_and_receipts_are_refused(gov: Gov) -> None:
    _standing(gov, gov.coach)
    _open_voting(gov.election)
    client = _client(gov.coach)
    vote = reverse("governance:vote", args=[gov.election.pk])
    for ranking in ("abc", "9" * 40, "-1", "1\x00", ""):
        response = client.post(vote, {"ranking": ranking})
        assert response.status_code == 422, ranking
        assert response.context["ballot_form"].errors["ranking"]
    assert not Voter.objects.exists()
    receipt = reverse("governance:receipt", args=[gov.election.pk])
    for text in ("X" * 10_000, "ABCD\x00EF", ""):
        response = client.post(receipt, {"receipt": text})
        assert response.status_code == 422
        assert response.context["receipt_form"].errors["receipt"]
    # Ids out of any range in the address are simply not found.
    assert client.get(reverse("governance:election", args=[10**30])).status_code == 404
    assert client.post(reverse("governance:vote", args=[10**30]), {"ranking": "1"}).status_code == 404


def test_someone_not_eligible_is_told_and_refused(gov: Gov) -> None:
    mine = _standing(gov, gov.coach)[0]
    _open_voting(gov.election)
    analyst = _client(gov.analyst)
    page = analyst.get(reverse("governance:election", args=[gov.election.pk]))
    assert page.context["ballot_form"] is None
    assert b"You are not among the people eligible to vote" in page.content
    refused = analyst.post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    assert refused.status_code == 422
    assert "is not among the people eligible for these seats" in refused.content.decode()


def _stv(gov: Gov) -> Election:
    """An election for two elected seats at once, by STV, open for voting."""
    began = gov.elected.first_term_starts
    second = _seat(gov.leader, gov.team, "Seat B", began, kind="elected", eligible_roles=["coach"], term_months=24)
    actions.do_cancel_election(gov.leader, gov.election, "Two seats together")
    election = actions.do_open_election(gov.leader, gov.team, [gov.elected, second], gov.election.term_starts)
    assert election.method == Election.Method.STV
    return election


def test_an_stv_ballot_ranks_with_blanks_and_refuses_a_rank_given_twice(gov: Gov) -> None:
    election = _stv(gov)
    gov.election = election
    b, c = _another_coach(gov, "Bea Coach"), _another_coach(gov, "Cal Coach")
    a_n, b_n, c_n = _standing(gov, gov.coach, b, c)
    _open_voting(election)
    client = _client(gov.coach)
    vote = reverse("governance:vote", args=[election.pk])
    page = client.get(reverse("governance:election", args=[election.pk]))
    fields = page.context["ballot_form"].fields
    assert [c[0] for c in fields[f"rank_{a_n.pk}"].choices] == ["", "1", "2", "3"]
    twice = client.post(vote, {f"rank_{a_n.pk}": "1", f"rank_{b_n.pk}": "1", f"rank_{c_n.pk}": "2"})
    assert twice.status_code == 422
    names = sorted([gov.coach.full_name, "Bea Coach"])
    assert f"You gave rank 1 to {names[0]} and {names[1]}: give each rank to one candidate only." in (
        twice.context["ballot_form"].non_field_errors()
    )
    hostile = client.post(vote, {f"rank_{a_n.pk}": "4", f"rank_{b_n.pk}": "x", f"rank_{c_n.pk}": "9" * 30})
    assert hostile.status_code == 422
    assert set(hostile.context["ballot_form"].errors) == {f"rank_{a_n.pk}", f"rank_{b_n.pk}", f"rank_{c_n.pk}"}
    empty = client.post(vote, {})
    assert empty.status_code == 422
    assert "Choose at least one candidate." in empty.content.decode()
    assert not Voter.objects.exists()
    # C first, A third, B left blank: the ballot is C then A.
    done = client.post(vote, {f"rank_{a_n.pk}": "3", f"rank_{b_n.pk}": "", f"rank_{c_n.pk}": "1"})
    assert done.status_code == 200
    assert Ballot.objects.get().ranking == [c_n.pk, a_n.pk]
    check = client.post(reverse("governance:receipt", args=[election.pk]), {"receipt": done.context["receipt"]})
    assert check.context["check"]["ranking"] == ["Cal Coach", gov.coach.full_name]


def test_leaders_count_after_voting_closes_and_the_result_is_published(gov: Gov) -> None:
    other = _another_coach(gov)
    mine, _ = _standing(gov, gov.coach, other)
    _open_voting(gov.election)
    receipt = _client(gov.coach).post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    receipt = receipt.context["receipt"]
    _client(other).post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    leader = _client(gov.leader)
    count = reverse("governance:count", args=[gov.election.pk])
    early = leader.post(count)
    assert early.status_code == 422
    assert "Voting has not closed yet." in early.content.decode()
    assert _client(gov.coach).post(count).status_code == 404
    _close_voting(gov.election)
    page = leader.get(reverse("governance:election", args=[gov.election.pk]))
    assert b"Count now" in page.content
    assert leader.post(count).status_code == 302
    page = _client(gov.coach).get(reverse("governance:election", args=[gov.election.pk]))
    result = page.context["result"]
    assert result["elected_names"] == [gov.coach.full_name]
    assert result["header"][0] == "" and result["header"][1] == "Stage 1"
    assert [gov.coach.full_name, "2.00000"] in [row[:2] for row in result["rows"]]
    assert b"count-table" in page.content
    assert Term.objects.get(election=gov.election).person == gov.coach
    check = _client(gov.analyst).post(reverse("governance:receipt", args=[gov.election.pk]), {"receipt": receipt})
    assert check.context["check"] == {"found": True, "counted": True, "ranking": [gov.coach.full_name]}
    assert b"Your ballot was counted, as cast" in check.content
    counted_twice = leader.post(count)
    assert counted_twice.status_code == 422


def test_leaders_cancel_an_election_with_a_reason(gov: Gov) -> None:
    url = reverse("governance:cancel", args=[gov.election.pk])
    assert _client(gov.coach).post(url, {"because": "No"}).status_code == 404
    leader = _client(gov.leader)
    refused = leader.post(url, {"because": "\x00"})
    assert refused.status_code == 422
    assert leader.post(url, {"because": "Dates clash with testing"}).status_code == 302
    page = leader.get(reverse("governance:election", args=[gov.election.pk]))
    assert page.context["phase"] == "cancelled"
    assert b"Cancelled: Dates clash with testing" in page.content
    assert leader.post(url, {"because": "Again"}).status_code == 422


# -- decisions -----------------------------------------------------------------------------------


def test_the_decisions_log_filters_and_keeps_groups_to_their_readers(gov: Gov) -> None:
    actions.do_record_decision(
        gov.leader,
        {"title": "Protect coaching time", "decided_on": TODAY(), "decision": "Yes", "rationale": "Because"},
        team=gov.team,
    )
    actions.do_record_decision(
        gov.leader,
        {"title": "Survey the coaches", "decided_on": TODAY(), "decision": "Yes", "rationale": "Data first"},
        group=gov.group,
    )
    url = reverse("governance:decisions")
    coach = _client(gov.coach)
    assert len(coach.get(url).context["page"].object_list) == 2
    titles = [d.title for d in _client(gov.director).get(url).context["page"].object_list]
    assert titles == ["Protect coaching time"]
    by_team = coach.get(url, {"team": gov.team.pk}).context["page"].object_list
    assert [d.title for d in by_team] == ["Protect coaching time"]
    by_text = coach.get(url, {"q": "data"}).context["page"].object_list
    assert [d.title for d in by_text] == ["Survey the coaches"]
    for hostile in ({"team": "9" * 40}, {"group": "abc"}, {"q": "x" * 500}, {"q": "\x00"}, {"page": "-9"}):
        response = coach.get(url, hostile)
        assert response.status_code == 200, hostile
    assert list(coach.get(url, {"group": "abc"}).context["page"].object_list) == []
    # The director cannot filter by a group out of reach (it is not among the choices).
    assert _client(gov.director).get(url, {"group": gov.group.pk}).context["form"].errors["group"]


def test_a_decision_page_and_its_follow_ups(gov: Gov) -> None:
    flag = do_post(gov.coach, "flag", "Coaches pulled for testing", "Again.")
    restricted = do_post(gov.leader, "flag", "Sensitive", "Hush.", restricted=True)
    data = {
        "title": "Protect coaching time",
        "decided_on": TODAY().isoformat(),
        "decision": "Coaching blocks are protected.",
        "rationale": "Coaching moves results.",
        "input_considered": "Three flags from the field.",
        "flags": [flag.pk, restricted.pk],
        "follow_up_1": "Tell the principals",
        "follow_up_1_owner": gov.coach.pk,
        "follow_up_1_due": (TODAY() + datetime.timedelta(days=7)).isoformat(),
        "follow_up_2": "Check in a month",
    }
    leader = _client(gov.leader)
    assert leader.post(reverse("governance:team_decision", args=[gov.team.pk]), data).status_code == 302
    decision = Decision.objects.get()
    assert [f.text for f in decision.follow_ups.all()] == ["Check in a month", "Tell the principals"] or [
        f.text for f in decision.follow_ups.all()
    ] == ["Tell the principals", "Check in a month"]
    page = _client(gov.analyst).get(reverse("governance:decision", args=[decision.pk]))
    text = page.content.decode()
    assert "Coaching moves results." in text and "Three flags from the field." in text
    assert "Flag “Coaches pulled for testing”" in text
    # A restricted flag the reader cannot open is named by its kind only.
    assert "Sensitive" not in text and "a flag you cannot open" in text
    # The owner marks theirs done; the analyst (no owner, no seat) may not.
    told = FollowUp.objects.get(text="Tell the principals")
    done_url = reverse("governance:follow_up_done", args=[decision.pk, told.pk])
    assert _client(gov.analyst).post(done_url).status_code == 404
    assert _client(gov.coach).post(done_url).status_code == 302
    told.refresh_from_db()
    assert told.done_on == TODAY()
    other = FollowUp.objects.get(text="Check in a month")
    # The director, holding a seat on the team, marks any of its follow-ups.
    assert (
        _client(gov.director).post(reverse("governance:follow_up_done", args=[decision.pk, other.pk])).status_code
        == 302
    )
    assert _client(gov.coach).post(reverse("governance:follow_up_done", args=[decision.pk, 10**25])).status_code == 404


def test_hostile_decision_forms_are_refused(gov: Gov) -> None:
    url = reverse("governance:team_decision", args=[gov.team.pk])
    leader = _client(gov.leader)
    future = (TODAY() + datetime.timedelta(days=3)).isoformat()
    data = {
        "title": "T\x00",
        "decided_on": future,
        "decision": "D",
        "rationale": "R",
        "flags": ["9" * 30],
        "follow_up_1_owner": "abc",
        "follow_up_2_owner": gov.coach.pk,
    }
    response = leader.post(url, data)
    assert response.status_code == 422
    errors = response.context["decision_form"].errors
    assert {"title", "flags", "follow_up_1_owner", "follow_up_2"} <= set(errors)
    later = leader.post(url, {"title": "T", "decided_on": future, "decision": "D", "rationale": "R"})
    assert later.status_code == 422
    assert later.context["decision_form"].errors["decided_on"]
    assert not Decision.objects.exists()


def test_membership_history_survives_leaving_and_coming_back(gov: Gov) -> None:
    actions.do_change_membership(gov.leader, gov.group, gov.coach, joins=False, because="Leave")
    actions.do_change_membership(gov.leader, gov.group, gov.coach, joins=True, because="Back")
    page = _client(gov.coach).get(reverse("governance:group", args=[gov.group.pk]))
    assert Membership.objects.filter(person=gov.coach).count() == 2
    assert page.context["records"]


def test_a_tie_decided_by_lot_says_whose_number_is_whose(gov: Gov) -> None:
    other = _another_coach(gov, "Bea Coach")
    mine, theirs = _standing(gov, gov.coach, other)
    _open_voting(gov.election)
    _client(gov.coach).post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": mine.pk})
    _client(other).post(reverse("governance:vote", args=[gov.election.pk]), {"ranking": theirs.pk})
    _close_voting(gov.election)
    assert _client(gov.leader).post(reverse("governance:count", args=[gov.election.pk])).status_code == 302
    page = _client(gov.analyst).get(reverse("governance:election", args=[gov.election.pk]))
    assert page.context["result"]["ties"]
    legend = f"{mine.pk} is {gov.coach.full_name}; {theirs.pk} is Bea Coach"
    assert legend in page.content.decode()
