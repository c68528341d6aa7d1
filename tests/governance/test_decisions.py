"""The decisions log: a planning team's decisions (its seat holders on the day, or the
organization's leaders) and a working group's (its current members and sponsor), with the
ground-level input they weighed, follow-ups marked done by their owner or the body, and exactly
one body each, down to the database."""

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.andon.feed.models import Post
from tandem.governance import actions
from tandem.governance.models import Decision, FollowUp, Link
from tandem.governance.visibility import visible_decisions
from tests.governance.helpers import appointed_seat, at, coach, leader, refused, team
from tests.world import World

D = datetime.date
DAY = D(2026, 3, 10)
NOT_TEAM = "Only the team's members on the day (or the organization's leaders) record its decisions."
NOT_GROUP = "Only the group's current members and sponsor record its decisions."
NOT_DONE = "Only the follow-up's owner or the decision's body marks it done."


def _fields(**changes: Any) -> dict[str, Any]:
    return {
        "title": "Testing weeks stay coaching-free",
        "decided_on": DAY,
        "decision": "No coaching visits in state testing weeks; the days move to the week after.",
        "rationale": "Three flags and a ticket say visits in testing weeks are cancelled anyway.",
        "input_considered": "Flags from North Elementary; the schedule ticket.",
        **changes,
    }


class Bodies:
    def __init__(self, world: World) -> None:
        self.world = world
        self.boss = leader(world)
        self.team = team(world)
        chair = appointed_seat(world, self.team, "Chair", D(2026, 1, 1), months=12)
        self.holder = world.people[Role.REGIONAL_DIRECTOR]
        actions.do_appoint(self.boss, chair, self.holder, D(2026, 1, 1))
        self.ana, self.ben, self.outsider = (coach(world, f"Coach {n}") for n in ("Ana", "Ben", "Out"))
        self.sponsor = world.people[Role.ANALYST]
        self.group = actions.do_form_group(
            self.boss,
            {
                "name": "Coaching schedule group",
                "misalignment": "Four days on paper, two in schools.",
                "purpose": "Line them up.",
                "sponsor": self.sponsor,
                "starts_on": D(2026, 1, 5),
                "ends_on": D(2026, 6, 30),
            },
            goals=["One schedule"],
            members=[self.ana, self.ben],
            now=at(D(2026, 1, 5)),
        )
        now = timezone.now()
        self.flag = Post.objects.create(
            kind=Post.Kind.FLAG,
            title="Visits cancelled in testing week",
            body="Again.",
            author=self.ana,
            status=Post.Status.RAISED,
            created_at=now,
            last_activity_at=now,
        )


@pytest.fixture
def b(world: World) -> Bodies:
    return Bodies(world)


def test_a_team_decision_with_its_inputs_and_follow_ups(b: Bodies) -> None:
    decision = actions.do_record_decision(
        b.holder,
        _fields(),
        team=b.team,
        inputs=[b.flag, b.flag],
        follow_ups=[
            ("Tell the schools", b.ana, D(2026, 3, 20)),
            ("Move the March visits", None, None),
        ],
        now=at(DAY, 16),
    )
    assert (decision.team, decision.group, decision.recorded_by, decision.recorded_at) == (
        b.team,
        None,
        b.holder,
        at(DAY, 16),
    )
    (link,) = Link.objects.filter(owner_type=ContentType.objects.get_for_model(Decision), owner_id=decision.pk)
    assert link.target == b.flag
    assert [(f.text, f.owner, f.due_on, f.done_on) for f in decision.follow_ups.order_by("pk")] == [
        ("Tell the schools", b.ana, D(2026, 3, 20), None),
        ("Move the March visits", None, None, None),
    ]
    # The organization's leaders record for the team too; a coach without a seat does not.
    assert actions.do_record_decision(b.boss, _fields(), team=b.team, now=at(DAY)).recorded_by == b.boss
    refused(lambda: actions.do_record_decision(b.ana, _fields(), team=b.team, now=at(DAY)), NOT_TEAM)
    refused(
        lambda: actions.do_record_decision(b.world.people[Role.TEACHER], _fields(), team=b.team, now=at(DAY)),
        "Working groups and planning teams are the organization's staff's.",
    )


def test_what_a_decision_says_is_checked(b: Bodies) -> None:
    def record(**changes: Any) -> Any:
        return lambda: actions.do_record_decision(b.holder, _fields(**changes), team=b.team, now=at(DAY))

    refused(record(title=" "), {"title": "Write the title."})
    refused(record(decision=""), {"decision": "Write the decision."})
    refused(record(rationale=""), {"rationale": "Write the rationale."})
    refused(record(title="x" * 201), {"title": "The title is 201 characters long; keep it to 200."})
    refused(
        record(decided_on=DAY + datetime.timedelta(days=1)),
        {"decided_on": "A decision is recorded once it is made: the date is today or earlier."},
    )
    refused(
        lambda: actions.do_record_decision(
            b.holder,
            _fields(),
            team=b.team,
            follow_ups=[("Tell the principal", b.world.people[Role.PRINCIPAL], None)],
            now=at(DAY),
        ),
        {"follow_ups": "Principal is not on the staff; a follow-up's owner is."},
    )
    refused(
        lambda: actions.do_record_decision(
            b.holder, _fields(), team=b.team, follow_ups=[(" ", b.ana, None)], now=at(DAY)
        ),
        {"follow_ups": "Write the follow-up."},
    )


def test_a_group_decision_by_its_current_members_and_sponsor(b: Bodies) -> None:
    for person in (b.ana, b.sponsor):
        made = actions.do_record_decision(person, _fields(), group=b.group, inputs=[b.flag], now=at(DAY))
        assert made.group == b.group and made.team is None
    actions.do_change_membership(b.boss, b.group, b.ben, joins=False, because="New role", on=DAY)
    refused(lambda: actions.do_record_decision(b.ben, _fields(), group=b.group, now=at(DAY)), NOT_GROUP)
    refused(lambda: actions.do_record_decision(b.outsider, _fields(), group=b.group, now=at(DAY)), NOT_GROUP)
    # A seat on a planning team gives nothing in a working group.
    refused(lambda: actions.do_record_decision(b.holder, _fields(), group=b.group, now=at(DAY)), NOT_GROUP)
    # Who sees which decisions: team decisions, all the staff; group decisions, who sees the group.
    team_decision = actions.do_record_decision(b.holder, _fields(), team=b.team, now=at(DAY))
    group_decisions = set(Decision.objects.filter(group=b.group))
    assert set(visible_decisions(scope_for(b.outsider))) == {team_decision}
    assert set(visible_decisions(scope_for(b.ben))) == {team_decision, *group_decisions}
    assert not visible_decisions(scope_for(b.world.people[Role.TEACHER])).exists()


def test_a_decision_has_exactly_one_body(b: Bodies) -> None:
    refused(
        lambda: actions.do_record_decision(b.boss, _fields(), team=b.team, group=b.group, now=at(DAY)),
        "A decision is a planning team's or a working group's.",
    )
    refused(
        lambda: actions.do_record_decision(b.boss, _fields(), now=at(DAY)),
        "A decision is a planning team's or a working group's.",
    )
    # The database holds to it as well.
    values = {**_fields(), "recorded_by": b.boss, "recorded_at": at(DAY)}
    for bodies in ({}, {"team": b.team, "group": b.group}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Decision.objects.create(**values, **bodies)
    assert not Decision.objects.exists()
    assert Decision.objects.create(**values, team=b.team).pk
    assert Decision.objects.create(**values, group=b.group).pk


def test_follow_ups_are_marked_done_by_their_owner_or_the_body(b: Bodies) -> None:
    team_decision = actions.do_record_decision(
        b.holder,
        _fields(),
        team=b.team,
        follow_ups=[("Tell the schools", b.ana, None), ("Move the visits", None, None)],
        now=at(DAY),
    )
    tell, move = team_decision.follow_ups.order_by("text").reverse()
    assert (tell.text, move.text) == ("Tell the schools", "Move the visits")
    # The owner, though not on the team.
    actions.do_follow_up_done(b.ana, tell, now=at(D(2026, 3, 12)))
    tell.refresh_from_db()
    assert tell.done_on == D(2026, 3, 12)
    actions.do_follow_up_done(b.ana, tell, done=False, now=at(D(2026, 3, 13)))
    tell.refresh_from_db()
    assert tell.done_on is None
    # Someone else on the staff, not the owner and not on the team: refused.
    refused(lambda: actions.do_follow_up_done(b.ben, move, now=at(D(2026, 3, 12))), NOT_DONE)
    refused(lambda: actions.do_follow_up_done(b.ana, move, now=at(D(2026, 3, 12))), NOT_DONE)
    # The team: its seat holder during the term, not after it; its leaders any day.
    refused(lambda: actions.do_follow_up_done(b.holder, move, now=at(D(2027, 1, 1))), NOT_DONE)
    actions.do_follow_up_done(b.holder, move, now=at(D(2026, 12, 31)))
    move.refresh_from_db()
    assert move.done_on == D(2026, 12, 31)
    actions.do_follow_up_done(b.boss, move, done=False, now=at(D(2027, 1, 1)))
    # A group's follow-up: its current members and sponsor.
    group_decision = actions.do_record_decision(
        b.ana, _fields(), group=b.group, follow_ups=[("Draft the schedule", None, None)], now=at(DAY)
    )
    (draft,) = group_decision.follow_ups.all()
    # Someone who cannot see the group finds no such decision at all.
    refused(lambda: actions.do_follow_up_done(b.outsider, draft, now=at(DAY)), "No decision matches the given query.")
    actions.do_follow_up_done(b.ben, draft, now=at(DAY))
    actions.do_follow_up_done(b.sponsor, draft, done=False, now=at(DAY))
    actions.do_change_membership(b.boss, b.group, b.ben, joins=False, because="New role", on=D(2026, 3, 11))
    refused(lambda: actions.do_follow_up_done(b.ben, draft, now=at(D(2026, 3, 11))), NOT_DONE)
    assert FollowUp.objects.filter(done_on__isnull=False).count() == 0
