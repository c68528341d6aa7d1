"""Working groups: formed by the organization's leaders around a misalignment, with goals,
members and the ground-level input they came from; membership history with reasons; the
sponsor's support log; the review that assesses every goal, then disbands (recording what was
learned) or renews with a new round of goals and a new time box."""

import datetime
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.andon.feed.models import Post
from tandem.andon.helpdesk.models import Ticket
from tandem.governance import actions
from tandem.governance.models import Decision, GroupGoal, Link, Membership, Review, Support, WorkingGroup
from tandem.governance.visibility import is_member, records_for_group, steers_group, visible_groups
from tandem.orgs.models import Person
from tests.governance.helpers import at, coach, leader, refused
from tests.world import World

D = datetime.date
STARTS, ENDS = D(2026, 1, 5), D(2026, 6, 30)
GOALS = ["Agree what a coaching day is for", "Publish one schedule for all regions", "Check it with principals"]
NOT_LEADER = "Only the organization's leaders do this."
NOT_STAFF = "Working groups and planning teams are the organization's staff's."
NOT_SPONSOR = "Only the group's sponsor (or the organization's leaders) does this."
NOT_RECORDING = "Only the group's current members and sponsor record its decisions."


def _inputs(world: World) -> list[Any]:
    now = timezone.now()
    post = Post.objects.create(
        kind=Post.Kind.FLAG,
        title="Coaching days get cancelled for testing",
        body="Three schools this month.",
        author=world.people[Role.COACH],
        status=Post.Status.RAISED,
        created_at=now,
        last_activity_at=now,
    )
    ticket = Ticket.objects.create(
        subject="Which schedule is current?", requester_email="coach@example.org", created_at=now
    )
    return [post, ticket]


def _fields(world: World, **changes: Any) -> dict[str, Any]:
    return {
        "name": "Coaching schedule group",
        "misalignment": "Strategy says four coaching days a week; schools see two.",
        "purpose": "Bring the schedule and the strategy back together.",
        "sponsor": world.people[Role.REGIONAL_DIRECTOR],
        "starts_on": STARTS,
        "ends_on": ENDS,
        **changes,
    }


@dataclass
class Group:
    world: World
    group: WorkingGroup
    sponsor: Person
    ana: Person
    ben: Person
    south: Person  # a member from the other region
    outsider: Person

    def goals(self, round_: int = 1) -> list[GroupGoal]:
        return list(self.group.goals.filter(round=round_))


@pytest.fixture
def g(world: World) -> Group:
    ana, ben, outsider = coach(world, "Coach Ana"), coach(world, "Coach Ben"), coach(world, "Coach Out")
    south = world.outside.partner
    group = actions.do_form_group(
        leader(world),
        _fields(world),
        goals=GOALS,
        members=[ana, ben, south, ana],
        inputs=_inputs(world),
        now=at(STARTS, 9),
    )
    return Group(world, group, world.people[Role.REGIONAL_DIRECTOR], ana, ben, south, outsider)


def test_a_leader_forms_a_group_with_goals_members_and_its_inputs(g: Group) -> None:
    group = g.group
    assert (group.status, group.round, group.starts_on, group.ends_on) == ("active", 1, STARTS, ENDS)
    assert group.created_by == leader(g.world) and group.created_at == at(STARTS, 9) and group.sponsor == g.sponsor
    assert [(x.round, x.text, x.assessment) for x in group.goals.all()] == [(1, t, "open") for t in GOALS]
    assert [(m.person, m.joined_on, m.joined_because, m.left_on) for m in group.memberships.all()] == [
        (g.ana, STARTS, "Founding member", None),
        (g.ben, STARTS, "Founding member", None),
        (g.south, STARTS, "Founding member", None),
    ]
    links = Link.objects.filter(owner_type=ContentType.objects.get_for_model(WorkingGroup), owner_id=group.pk)
    assert {type(link.target).__name__ for link in links} == {"Post", "Ticket"}
    assert AuditEntry.objects.filter(action="governance.group.form", object_id=str(group.pk)).count() == 1


def test_only_the_organization_s_leaders_form_groups_and_what_they_give_is_checked(world: World) -> None:
    boss = leader(world)
    ana = coach(world, "Coach Ana")

    def form(actor: Person = boss, goals: list[str] = GOALS, members: list[Person] | None = None, **f: Any) -> Any:
        return lambda: actions.do_form_group(
            actor, _fields(world, **f), goals=goals, members=[ana] if members is None else members, now=at(STARTS)
        )

    refused(form(actor=ana), NOT_LEADER)
    # A regional director leads in their region, not the whole organization.
    refused(form(actor=world.people[Role.REGIONAL_DIRECTOR]), NOT_LEADER)
    refused(form(actor=world.people[Role.TEACHER]), NOT_STAFF)
    refused(form(name="  "), {"name": "Write the name."})
    refused(form(misalignment=""), {"misalignment": "Write the misalignment."})
    refused(form(ends_on=STARTS), {"ends_on": "The time box ends after it starts."})
    refused(
        form(sponsor=world.people[Role.PRINCIPAL]),
        {"sponsor": "Principal is not on the staff; a sponsor is someone on the staff."},
    )
    refused(form(goals=["", "  "]), {"goals": "Give the group at least one goal."})
    refused(form(members=[]), {"members": "A group needs members."})
    # The group is saved before its members are checked: the refusal takes it back.
    refused(form(members=[ana, world.people[Role.TEACHER]]), {"members": "Teacher is not on the staff."})
    assert not WorkingGroup.objects.exists()


def test_membership_history_keeps_every_stretch_with_its_reasons(g: Group) -> None:
    group, sponsor = g.group, g.sponsor
    carl = coach(g.world, "Coach Carl")
    actions.do_change_membership(
        sponsor, group, carl, joins=True, because="Runs the southern schedule", on=D(2026, 2, 1)
    )
    actions.do_change_membership(
        sponsor, group, g.ana, joins=False, because="On leave for the spring", on=D(2026, 2, 15)
    )
    refused(
        lambda: actions.do_change_membership(sponsor, group, g.ana, joins=True, because="Back", on=D(2026, 2, 10)),
        {"on": "Coach Ana left on 2026-02-15; they can rejoin from then."},
    )
    # A leader who is not the sponsor steers the group too.
    actions.do_change_membership(leader(g.world), group, g.ana, joins=True, because="Back", on=D(2026, 4, 1))
    ana = [(m.joined_on, m.joined_because, m.left_on, m.left_because) for m in group.memberships.filter(person=g.ana)]
    assert ana == [
        (STARTS, "Founding member", D(2026, 2, 15), "On leave for the spring"),
        (D(2026, 4, 1), "Back", None, ""),
    ]
    scope = scope_for(g.ana)
    assert [is_member(scope, group, d) for d in (D(2026, 2, 14), D(2026, 2, 15), D(2026, 3, 31), D(2026, 4, 1))] == [
        True,
        False,
        False,
        True,
    ]
    refused(
        lambda: actions.do_change_membership(sponsor, group, g.ana, joins=True, because="Again"),
        {"members": "Coach Ana is already a member."},
    )
    refused(
        lambda: actions.do_change_membership(sponsor, group, g.outsider, joins=False, because="Bye"),
        {"person": "Coach Out is not a member now."},
    )
    refused(
        lambda: actions.do_change_membership(sponsor, group, carl, joins=False, because="Bye", on=D(2026, 1, 31)),
        {"on": "Coach Carl joined on 2026-02-01; they cannot leave before that."},
    )
    refused(
        lambda: actions.do_change_membership(sponsor, group, carl, joins=False, because=" "),
        {"because": "Write the reason."},
    )
    refused(
        lambda: actions.do_change_membership(sponsor, group, g.world.people[Role.TEACHER], joins=True, because="Hi"),
        {"members": "Teacher is not on the staff."},
    )
    # Members do not change the membership; people outside the group do not even see it.
    refused(lambda: actions.do_change_membership(g.ben, group, carl, joins=False, because="No"), NOT_SPONSOR)
    refused(
        lambda: actions.do_change_membership(g.outsider, group, carl, joins=False, because="No"),
        "No working group matches the given query.",
    )
    assert AuditEntry.objects.filter(action="governance.group.leave").count() == 1
    assert AuditEntry.objects.filter(action="governance.group.join").count() == 2


def _decide(actor: Person, group: WorkingGroup, on: D) -> Decision:
    fields = {"title": "One schedule", "decided_on": on, "decision": "Publish it.", "rationale": "Schools asked."}
    return actions.do_record_decision(actor, fields, group=group, now=at(on, 15))


def test_former_members_keep_read_access_but_do_not_decide(g: Group) -> None:
    group = g.group
    left = D(2026, 3, 1)
    actions.do_change_membership(g.sponsor, group, g.ben, joins=False, because="New role", on=left)
    ben = scope_for(g.ben)
    assert group in visible_groups(ben) and not records_for_group(ben, group, left)
    assert records_for_group(ben, group, left - datetime.timedelta(days=1))
    made = _decide(g.ben, group, left - datetime.timedelta(days=1))
    refused(lambda: _decide(g.ben, group, left), NOT_RECORDING)
    # Current members and the sponsor record; someone outside neither sees nor records.
    assert _decide(g.ana, group, left).group == group
    assert _decide(g.sponsor, group, left).recorded_by == g.sponsor
    outsider = scope_for(g.outsider)
    assert group not in visible_groups(outsider) and not records_for_group(outsider, group, left)
    refused(lambda: _decide(g.outsider, group, left), NOT_RECORDING)
    assert made in Decision.objects.filter(group=group)


def test_the_sponsor_s_support_log(g: Group) -> None:
    group = g.group
    for kind, text in (
        ("question", "What do principals say a coaching day is for?"),
        ("resource", "Two days of a scheduler's time."),
        ("advice", "Start with the schools that lose the most days."),
        ("decision", "Testing weeks stay coaching-free."),
    ):
        entry = actions.do_log_support(g.sponsor, group, kind, text, on=D(2026, 2, 3))
        assert (entry.by, entry.happened_on) == (g.sponsor, D(2026, 2, 3))
    assert [s.kind for s in group.support.all()] == ["decision", "advice", "resource", "question"]
    refused(
        lambda: actions.do_log_support(g.sponsor, group, "praise", "Well done."),
        {"kind": "“praise” is not a kind of support; choose question, resource, advice or decision."},
    )
    refused(lambda: actions.do_log_support(g.sponsor, group, "advice", ""), {"text": "Write the note."})
    refused(lambda: actions.do_log_support(g.ana, group, "advice", "Me too."), NOT_SPONSOR)
    assert steers_group(scope_for(g.sponsor), group) and not steers_group(scope_for(g.ana), group)
    assert Support.objects.count() == 4


def _assess(g: Group, round_: int = 1, skip: int | None = None) -> dict[int, tuple[str, str]]:
    values = ["met", "partly", "not_met", "dropped"]
    return {goal.pk: (values[i % 4], f"Note {i}") for i, goal in enumerate(g.goals(round_)) if i != skip}


def test_a_review_assesses_every_goal_of_the_round(g: Group) -> None:
    group = g.group
    refused(
        lambda: actions.do_review(g.sponsor, group, {}, "disband", learned="x", today=ENDS),
        {"assessments": f"Assess every goal of this round first: {'; '.join(GOALS)}."},
    )
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g, skip=1), "disband", learned="x", today=ENDS),
        {"assessments": f"Assess every goal of this round first: {GOALS[1]}."},
    )
    still_open = {**_assess(g), g.goals()[0].pk: ("open", "")}
    refused(
        lambda: actions.do_review(g.sponsor, group, still_open, "disband", learned="x", today=ENDS),
        {"assessments": "“open” is not an assessment; choose met, partly, not met or dropped."},
    )
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g), "pause", today=ENDS),
        {"outcome": "Choose to disband or to renew."},
    )
    refused(lambda: actions.do_review(g.ana, group, _assess(g), "disband", learned="x", today=ENDS), NOT_SPONSOR)


def test_disbanding_records_what_was_learned_and_closes_the_memberships(g: Group) -> None:
    group = g.group
    actions.do_change_membership(g.sponsor, group, g.ben, joins=False, because="New role", on=D(2026, 3, 1))
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g), "disband", learned=" ", today=ENDS),
        {"learned": "Write what the group learned."},
    )
    review = actions.do_review(
        g.sponsor, group, _assess(g), "disband", learned="Testing weeks were the whole story.", today=ENDS
    )
    group.refresh_from_db()
    assert (review.round, review.held_on, review.outcome, review.by) == (1, ENDS, "disband", g.sponsor)
    assert (group.status, group.disbanded_on, group.learned) == (
        "disbanded",
        ENDS,
        "Testing weeks were the whole story.",
    )
    assert [(x.assessment, x.assessment_note) for x in g.goals()] == [
        ("met", "Note 0"),
        ("partly", "Note 1"),
        ("not_met", "Note 2"),
    ]
    assert [(m.person.full_name, m.left_on, m.left_because) for m in group.memberships.all()] == [
        ("Coach Ana", ENDS, "The group disbanded"),
        ("Coach Ben", D(2026, 3, 1), "New role"),
        ("South Partner", ENDS, "The group disbanded"),
    ]
    # Everyone who was in it still reads it; nobody records for it or steers it any more.
    for person in (g.ana, g.ben, g.south, g.sponsor):
        assert group in visible_groups(scope_for(person))
    for person in (g.ana, g.sponsor, leader(g.world)):
        refused(lambda person=person: _decide(person, group, ENDS), NOT_RECORDING)
    refused(
        lambda: actions.do_change_membership(g.sponsor, group, g.ana, joins=True, because="Back"),
        "This group has disbanded.",
    )
    refused(lambda: actions.do_log_support(g.sponsor, group, "advice", "Late."), "This group has disbanded.")
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g), "renew", new_goals=["x"], today=ENDS),
        "This group has disbanded.",
    )


def test_renewing_adds_a_round_of_goals_and_a_new_time_box(g: Group) -> None:
    group = g.group
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g), "renew", new_goals=[" "], today=ENDS),
        {"new_goals": "A renewed group sets new goals."},
    )
    refused(
        lambda: actions.do_review(
            g.sponsor, group, _assess(g), "renew", new_goals=["Pilot it"], new_ends_on=ENDS, today=ENDS
        ),
        {"new_ends_on": "Give the renewed group a time box that ends after today."},
    )
    new_ends = D(2026, 12, 18)
    actions.do_review(
        g.sponsor,
        group,
        _assess(g),
        "renew",
        new_goals=["Pilot the schedule in six schools", "Report back to the planning team"],
        new_ends_on=new_ends,
        today=ENDS,
    )
    group.refresh_from_db()
    assert (group.status, group.round, group.ends_on, group.starts_on) == ("active", 2, new_ends, STARTS)
    assert [x.text for x in g.goals(2)] == ["Pilot the schedule in six schools", "Report back to the planning team"]
    assert all(x.assessment != "open" for x in g.goals(1)) and all(x.assessment == "open" for x in g.goals(2))
    assert group.memberships.filter(left_on__isnull=True).count() == 3
    # The next review asks for this round's goals only.
    refused(
        lambda: actions.do_review(g.sponsor, group, _assess(g, 1), "disband", learned="x", today=new_ends),
        {
            "assessments": "Assess every goal of this round first: Pilot the schedule in six schools; Report back to "
            "the planning team."
        },
    )
    actions.do_review(g.sponsor, group, _assess(g, 2), "disband", learned="Piloting first works.", today=new_ends)
    assert [(r.round, r.outcome) for r in Review.objects.filter(group=group)] == [(1, "renew"), (2, "disband")]
    assert Membership.objects.filter(group=group, left_on=new_ends).count() == 3
