"""The staff feed's actions: posting each kind with tags that must be in reach and agree, who takes
part and who sees a restricted flag, a flag's lifecycle and who steers it, escalation to a cycle of
inquiry or a team, "me too" and accepted answers. Every refusal says exactly what is wrong and
writes nothing."""

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.scope import scope_for
from tandem.andon.feed import actions
from tandem.andon.feed.models import Escalation, MeToo, Notification, Post, Topic
from tandem.andon.feed.visibility import visible_posts
from tandem.inquiry import actions as inquiry_actions
from tandem.inquiry.models import Cycle, CycleLink, Template
from tandem.orgs.models import Person, Team, TeamMembership
from tandem.partnerships.models import PartnershipSchool
from tests.andon.feed.common import (
    NO_POST,
    NOT_STAFF,
    NOT_STAFF_MESSAGE,
    ORG_LEADERS,
    STAFF,
    Cast,
    counts,
    fresh,
    refused,
    topic,
)
from tests.world import World

Kind, Status = Post.Kind, Post.Status
TODAY = timezone.localdate()
NOW = timezone.now().replace(microsecond=0)


# -- posting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "status"), [("question", "open"), ("idea", "open"), ("flag", "raised")])
def test_each_kind_is_posted_tagged_and_audited(cast: Cast, kind: str, status: str) -> None:
    coaching = topic("Coaching")
    post = actions.do_post(
        cast.coach,
        kind,
        "  Schedules clash  ",
        "\nPD days clash with testing.\n",
        school=cast.world.inside.school,
        topics=[coaching],
        now=NOW,
    )
    post = Post.objects.get(pk=post.pk)
    assert (post.kind, post.status, post.author, post.title, post.body) == (
        kind,
        status,
        cast.coach,
        "Schedules clash",
        "PD days clash with testing.",
    )
    assert (post.school, post.partnership, post.region) == (cast.world.inside.school, None, cast.world.inside.region)
    assert list(post.topics.all()) == [coaching]
    assert (post.created_at, post.last_activity_at, post.owner, post.restricted) == (NOW, NOW, None, False)
    expected_due = NOW + datetime.timedelta(hours=24) if kind == "flag" else None
    assert post.acknowledge_due == expected_due
    entry = AuditEntry.objects.get(action="feed.post")
    assert (entry.actor, entry.object_id) == (cast.coach, str(post.pk))


def test_the_region_follows_from_the_school_or_the_partnership(cast: Cast) -> None:
    north = cast.world.inside
    by_partnership = actions.do_post(
        cast.coach, Kind.IDEA, "Shared PD", "Across the partnership.", partnership=north.partnership
    )
    assert (by_partnership.partnership, by_partnership.region) == (north.partnership, north.region)
    both = actions.do_post(
        cast.coach, Kind.IDEA, "One school", "Here.", school=north.school, partnership=north.partnership
    )
    assert both.region == north.region
    agreeing = actions.do_post(cast.coach, Kind.IDEA, "Said twice", "Here.", school=north.school, region=north.region)
    assert agreeing.region == north.region
    by_region = actions.do_post(cast.director, Kind.IDEA, "Region-wide", "All of North.", region=north.region)
    assert (by_region.school, by_region.region) == (None, north.region)
    untagged = actions.do_post(cast.coach, Kind.QUESTION, "Anyone?", "Anywhere.")
    assert (untagged.school, untagged.partnership, untagged.region) == (None, None, None)


def test_a_partnership_across_two_regions_gives_no_region_of_its_own(cast: Cast) -> None:
    north, south = cast.world.inside, cast.world.outside
    PartnershipSchool.objects.create(partnership=north.partnership, school=south.school, joined_on=TODAY)
    spread = actions.do_post(cast.leader, Kind.FLAG, "Both regions", "Everywhere.", partnership=north.partnership)
    assert spread.region is None
    # Either of its regions may be named; a school names its own.
    for region in (north.region, south.region):
        post = actions.do_post(
            cast.leader, Kind.FLAG, "Here", "This one.", partnership=north.partnership, region=region
        )
        assert post.region == region
    at_south = actions.do_post(
        cast.leader, Kind.FLAG, "South", "School.", partnership=north.partnership, school=south.school
    )
    assert at_south.region == south.region
    # A region the partnership does not reach contradicts it.
    east = type(north.region).objects.create(organization=cast.world.org, name="East region")
    with refused(
        {
            "region": "North partnership is in North region and South region, not East region; "
            "leave the region empty or correct it."
        }
    ):
        actions.do_post(cast.leader, Kind.FLAG, "East", "Wrong.", partnership=north.partnership, region=east)


@pytest.mark.parametrize(
    ("tag", "message"),
    [
        ("school", {"school": "No school matches the given query."}),
        ("partnership", {"partnership": "No partnership matches the given query."}),
        ("region", {"region": "No region matches the given query."}),
    ],
)
def test_a_place_out_of_the_authors_reach_is_refused_as_if_it_did_not_exist(
    cast: Cast, tag: str, message: dict[str, str]
) -> None:
    south = cast.world.outside
    place = {"school": south.school, "partnership": south.partnership, "region": south.region}[tag]
    for author in (cast.coach, cast.director, cast.analyst):
        with refused(message):
            actions.do_post(author, Kind.FLAG, "Over there", "Not mine to tag.", **{tag: place})
    # The organization's leaders reach it, and the coach working there too.
    assert actions.do_post(cast.leader, Kind.FLAG, "Over there", "Theirs.", **{tag: place}).region == south.region
    assert actions.do_post(cast.far_coach, Kind.FLAG, "Here", "Mine.", **{tag: place}).region == south.region


def test_tags_that_contradict_each_other_are_refused_naming_both(cast: Cast) -> None:
    north, south = cast.world.inside, cast.world.outside
    with refused(
        {"region": "North Elementary is in North region, not South region; leave the region empty or correct it."}
    ):
        actions.do_post(cast.leader, Kind.FLAG, "Mixed", "Up.", school=north.school, region=south.region)
    with refused(
        {"region": "North partnership is in North region, not South region; leave the region empty or correct it."}
    ):
        actions.do_post(cast.leader, Kind.FLAG, "Mixed", "Up.", partnership=north.partnership, region=south.region)
    with refused({"school": "North Middle is not one of the schools of the partnership North partnership."}):
        actions.do_post(
            cast.leader, Kind.FLAG, "Mixed", "Up.", school=north.other_school, partnership=north.partnership
        )


def test_only_a_flag_is_restricted_and_an_archived_topic_or_an_unknown_kind_is_refused(cast: Cast) -> None:
    for kind in (Kind.QUESTION, Kind.IDEA):
        with refused({"restricted": "Only a flag can be restricted; questions and ideas are for all staff."}):
            actions.do_post(cast.coach, kind, "Private", "Shh.", restricted=True)
    assert actions.do_post(cast.coach, Kind.FLAG, "Private", "Shh.", restricted=True).restricted
    old = Topic.objects.create(name="Old topic", archived=True)
    with refused({"topics": "That topic is archived; choose another."}):
        actions.do_post(cast.coach, Kind.IDEA, "Old", "News.", topics=[topic("Coaching"), old])
    with refused({"kind": "“poll” is not a kind of post; choose question, idea or flag."}):
        actions.do_post(cast.coach, "poll", "Vote", "Now.")


@pytest.mark.parametrize(
    ("title", "body", "message"),
    [
        ("", "Body", {"title": "Write the title."}),
        ("   \n\t ", "Body", {"title": "Write the title."}),
        ("x" * 201, "Body", {"title": "The title is 201 characters long; keep it to 200."}),
        ("Bus\x00es", "Body", {"title": "The title holds a NUL character; paste it as plain text."}),
        ("Buses", "", {"body": "Write the post."}),
        ("Buses", "late\x00", {"body": "The post holds a NUL character; paste it as plain text."}),
        ("Buses", "x" * 20001, {"body": "The post is 20001 characters long; keep it to 20000."}),
    ],
)
def test_text_the_database_cannot_hold_or_should_not_is_refused_precisely(
    cast: Cast, title: str, body: str, message: dict[str, str]
) -> None:
    for kind in Kind.values:
        with refused(message):
            actions.do_post(cast.coach, kind, title, body, school=cast.world.inside.school)


def test_the_title_is_measured_once_trimmed(cast: Cast) -> None:
    post = actions.do_post(cast.coach, Kind.IDEA, f"  {'x' * 200}  ", "Long but fine.")
    assert Post.objects.get(pk=post.pk).title == "x" * 200


# -- who takes part and who sees what ----------------------------------------------------------


@pytest.mark.parametrize("role", sorted(NOT_STAFF))
def test_nobody_outside_the_staff_takes_part(world: World, cast: Cast, role: str) -> None:
    person = world.people[role]
    post = cast.question()
    assert not visible_posts(scope_for(person)).exists()
    with refused(NOT_STAFF_MESSAGE):
        actions.do_post(person, Kind.QUESTION, "Hello", "Can I post?", school=world.inside.school)
    with refused(NOT_STAFF_MESSAGE):
        actions.do_comment(person, post, "Me neither")
    with refused(NOT_STAFF_MESSAGE):
        actions.do_me_too(person, post)
    flag = cast.flag()
    with refused(NOT_STAFF_MESSAGE):
        actions.do_acknowledge(person, flag)
    with refused(NOT_STAFF_MESSAGE):
        actions.do_move_flag(person, flag, Status.IN_PROGRESS)


def test_staff_whose_role_ended_or_who_were_deactivated_no_longer_take_part(cast: Cast) -> None:
    post = cast.question()
    RoleAssignment.objects.filter(person=cast.analyst).update(ends_on=TODAY - datetime.timedelta(days=1))
    former = fresh(cast.analyst)
    assert not visible_posts(scope_for(former)).exists()
    with refused(NOT_STAFF_MESSAGE):
        actions.do_comment(former, post, "Still here?")
    Person.objects.filter(pk=cast.colleague.pk).update(is_active=False)
    with refused(NOT_STAFF_MESSAGE):
        actions.do_comment(fresh(cast.colleague), post, "Still here?")


def test_every_post_but_a_restricted_flag_is_seen_by_all_the_staff(world: World, cast: Cast) -> None:
    posts = {cast.question(), cast.flag(), cast.flag(cast.far_coach, title="South buses")}
    for role, person in world.people.items():
        assert set(visible_posts(scope_for(person))) == (posts if role in STAFF else set()), role


def test_a_restricted_flag_is_seen_by_its_author_its_owner_and_the_organizations_leaders(
    world: World, cast: Cast
) -> None:
    flag = cast.flag(restricted=True, title="A colleague's conduct")

    def seers() -> set[int]:
        people = [fresh(p) for p in (*world.people.values(), cast.colleague, cast.far_coach)]
        return {p.pk for p in people if visible_posts(scope_for(p)).filter(pk=flag.pk).exists()}

    leaders = {world.people[r].pk for r in ORG_LEADERS}
    assert seers() == leaders | {cast.coach.pk}
    # Not even the regional director of the flag's own region, who cannot act on it either.
    with refused(NO_POST):
        actions.do_acknowledge(cast.director, flag)
    with refused(NO_POST):
        actions.do_comment(cast.director, flag, "What happened?")
    with refused(NO_POST):
        actions.do_me_too(cast.colleague, flag)
    # Handed to the analyst, the analyst sees it; handed on, no longer.
    actions.do_acknowledge(cast.leader, flag, owner=cast.analyst)
    assert seers() == leaders | {cast.coach.pk, cast.analyst.pk}
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague)
    assert seers() == leaders | {cast.coach.pk, cast.colleague.pk}


# -- a flag's lifecycle ------------------------------------------------------------------------


def test_a_flag_is_acknowledged_moved_resolved_and_reopened(cast: Cast) -> None:
    t = [NOW + datetime.timedelta(hours=h) for h in range(6)]
    flag = actions.do_post(cast.coach, Kind.FLAG, "Buses late", "All week.", school=cast.world.inside.school, now=t[0])
    # A leader acknowledges it and hands it to a coach, who owns it from then on.
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague, now=t[1])
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.owner, flag.acknowledged_at, flag.last_activity_at) == (
        Status.ACKNOWLEDGED,
        cast.colleague,
        t[1],
        t[1],
    )
    actions.do_move_flag(cast.colleague, flag, Status.IN_PROGRESS, now=t[2])
    with refused({"resolution": "Write the resolution: what was done."}):
        actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, "  ")
    with refused({"resolution": "The resolution: what was done holds a NUL character; paste it as plain text."}):
        actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, "Moved\x00")
    actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, " New bus company. ", now=t[3])
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.resolution, flag.resolved_at, flag.is_closed) == (
        Status.RESOLVED,
        "New bus company.",
        t[3],
        True,
    )
    # It happens again: reopened, it is in progress and no longer resolved.
    actions.do_move_flag(cast.colleague, flag, Status.IN_PROGRESS, now=t[4])
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.resolved_at, flag.acknowledged_at, flag.last_activity_at) == (
        Status.IN_PROGRESS,
        None,
        t[1],
        t[4],
    )
    # Back to acknowledged, straight to resolved.
    actions.do_move_flag(cast.colleague, flag, Status.ACKNOWLEDGED)
    actions.do_move_flag(cast.leader, flag, Status.RESOLVED, "Done by the leader.")
    assert Post.objects.get(pk=flag.pk).status == Status.RESOLVED
    actions_seen = list(
        AuditEntry.objects.filter(object_id=str(flag.pk), object_type="feed.post")
        .values_list("action", flat=True)
        .order_by("at", "pk")
    )
    assert actions_seen == ["feed.post", "feed.flag.acknowledge"] + ["feed.flag.status"] * 5


@pytest.mark.parametrize(
    ("path", "target", "message"),
    [
        ([], Status.IN_PROGRESS, "A flag that is raised cannot be marked “in progress”."),
        ([], Status.RESOLVED, "A flag that is raised cannot be marked “resolved”."),
        ([], Status.ESCALATED, "A flag that is raised cannot be marked “escalated”."),
        (["ack"], Status.ACKNOWLEDGED, "A flag that is acknowledged cannot be marked “acknowledged”."),
        (["ack"], Status.RAISED, "A flag that is acknowledged cannot be marked “raised”."),
        (["ack"], "done", "A flag that is acknowledged cannot be marked “done”."),
        (["ack", Status.IN_PROGRESS], Status.IN_PROGRESS, "A flag that is in progress cannot be marked “in progress”."),
        (["ack", Status.RESOLVED], Status.RESOLVED, "A flag that is resolved cannot be marked “resolved”."),
        (["ack", Status.RESOLVED], Status.ACKNOWLEDGED, "A flag that is resolved cannot be marked “acknowledged”."),
        (["team"], Status.IN_PROGRESS, "A flag that is escalated cannot be marked “in progress”."),
        (["team"], Status.ESCALATED, "A flag that is escalated cannot be marked “escalated”."),
    ],
)
def test_an_illegal_move_is_refused_naming_both_statuses(
    cast: Cast, path: list[str], target: str, message: str
) -> None:
    flag = cast.flag()
    for step in path:
        if step == "ack":
            actions.do_acknowledge(cast.leader, flag)
        elif step == "team":
            team = Team.objects.create(organization=cast.world.org, name="Transport group", kind=Team.Kind.OTHER)
            actions.do_escalate(cast.leader, flag, Escalation.To.WORKING_GROUP, team)
        else:
            actions.do_move_flag(cast.leader, flag, step, "Done.")
    with refused({"status": message}):
        actions.do_move_flag(cast.leader, flag, target, "Done.")


def test_only_a_leader_over_the_flag_acknowledges_it(cast: Cast) -> None:
    north_flag = cast.flag()
    south_flag = cast.flag(cast.far_coach, title="South buses")
    untagged = actions.do_post(cast.coach, Kind.FLAG, "Anywhere", "No place.")
    for person in (cast.coach, cast.colleague, cast.analyst):
        with refused("Only a leader over this flag acknowledges it."):
            actions.do_acknowledge(person, north_flag)
    # The regional director leads the flags of their own region only.
    for flag in (south_flag, untagged):
        with refused("Only a leader over this flag acknowledges it."):
            actions.do_acknowledge(cast.director, flag)
    actions.do_acknowledge(cast.director, north_flag)
    assert Post.objects.get(pk=north_flag.pk).owner == cast.director
    # The organization's leaders lead every flag.
    actions.do_acknowledge(cast.admin, south_flag, owner=cast.far_coach)
    actions.do_acknowledge(cast.leader, untagged)
    assert Post.objects.filter(status=Status.ACKNOWLEDGED).count() == 3
    question = cast.question()
    with refused("Only a flag has an owner and a status."):
        actions.do_acknowledge(cast.leader, question)
    with refused("Only a flag has an owner and a status."):
        actions.do_move_flag(cast.leader, question, Status.RESOLVED, "Done.")


def test_a_flag_is_handed_only_to_the_staff_and_rehanded_without_being_acknowledged_again(cast: Cast) -> None:
    flag = cast.flag()
    for person in (cast.principal, cast.teacher):
        with refused({"owner": f"{person} is not on the staff; choose someone who can take the flag on."}):
            actions.do_acknowledge(cast.leader, flag, owner=person)
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague, now=NOW)
    actions.do_move_flag(cast.colleague, flag, Status.IN_PROGRESS)
    actions.do_acknowledge(cast.director, flag, owner=cast.analyst, now=NOW + datetime.timedelta(days=1))
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.owner, flag.acknowledged_at) == (Status.IN_PROGRESS, cast.analyst, NOW)
    # The former owner no longer steers it; the new one does.
    with refused("Only the flag's owner (or a leader over it) moves it along."):
        actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, "Done.")
    actions.do_move_flag(cast.analyst, flag, Status.RESOLVED, "Done.")
    with refused("This flag is resolved; reopen it first."):
        actions.do_acknowledge(cast.leader, flag)


def test_only_the_owner_or_a_leader_moves_a_flag_along(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.director, flag, owner=cast.colleague)
    # Not its author, nor other staff.
    for person in (cast.coach, cast.analyst, cast.far_coach):
        with refused("Only the flag's owner (or a leader over it) moves it along."):
            actions.do_move_flag(person, flag, Status.IN_PROGRESS)
    actions.do_move_flag(cast.colleague, flag, Status.IN_PROGRESS)
    actions.do_move_flag(cast.director, flag, Status.ACKNOWLEDGED)
    actions.do_move_flag(cast.leader, flag, Status.IN_PROGRESS)
    assert Post.objects.get(pk=flag.pk).status == Status.IN_PROGRESS


# -- escalation --------------------------------------------------------------------------------


def _cycle_fields(world: World, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Getting to school on time",
        "level": Cycle.Level.SCHOOL,
        "template": Template.objects.get(name="Results-Oriented Cycle of Inquiry"),
        "starts_on": TODAY,
        "ends_on": TODAY + datetime.timedelta(weeks=8),
        "school": world.inside.school,
        **extra,
    }


def _start(world: World, who: Person, **extra: Any) -> Cycle:
    return inquiry_actions.do_start_cycle(who, _cycle_fields(world, **extra))


def _started_from(cycle: Cycle) -> list[Any]:
    return [link.target for link in CycleLink.objects.filter(cycle=cycle, relation=CycleLink.Relation.STARTED_FROM)]


def test_a_flag_escalated_to_a_cycle_is_linked_both_ways_and_later_resolved(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague)
    cycle = _start(cast.world, cast.colleague)
    escalation = actions.do_escalate(cast.colleague, flag, Escalation.To.CYCLE, cycle, note=" Needs a plan. ", now=NOW)
    escalation = Escalation.objects.get(pk=escalation.pk)
    assert (
        escalation.post,
        escalation.to,
        escalation.target,
        escalation.note,
        escalation.by,
        escalation.created_at,
    ) == (
        flag,
        "cycle",
        cycle,
        "Needs a plan.",
        cast.colleague,
        NOW,
    )
    assert _started_from(cycle) == [flag]
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.owner, flag.is_closed) == (Status.ESCALATED, cast.colleague, True)
    with refused("This flag is already escalated there."):
        actions.do_escalate(cast.leader, flag, Escalation.To.CYCLE, cycle)
    # The cycle dealt with it.
    actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, "The cycle's new schedule worked.")
    assert Post.objects.get(pk=flag.pk).status == Status.RESOLVED
    another = _start(cast.world, cast.colleague)
    with refused("This flag is resolved; reopen it to escalate it."):
        actions.do_escalate(cast.colleague, flag, Escalation.To.CYCLE, another)


def test_a_raised_flag_escalated_by_a_leader_is_theirs_and_acknowledged(cast: Cast) -> None:
    flag = cast.flag()
    team = Team.objects.create(organization=cast.world.org, name="Transport group", kind=Team.Kind.OTHER)
    actions.do_escalate(cast.leader, flag, Escalation.To.WORKING_GROUP, team, now=NOW)
    flag = Post.objects.get(pk=flag.pk)
    assert (flag.status, flag.owner, flag.acknowledged_at) == (Status.ESCALATED, cast.leader, NOW)
    assert Escalation.objects.get().target == team


def test_a_cycle_the_escalator_cannot_work_on_is_refused(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.coach)
    # Seen by all staff but worked on by the organization's leaders only.
    whole = _start(cast.world, cast.leader, level=Cycle.Level.ORGANIZATION, school=None)
    with refused({"cycle": "Escalate to an active cycle you work on, or start a new one."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.CYCLE, whole)
    # Out of sight altogether.
    south = _start(cast.world, cast.leader, school=cast.world.outside.school)
    with refused({"cycle": "No cycle matches the given query."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.CYCLE, south)
    # Finished.
    closed = _start(cast.world, cast.coach)
    inquiry_actions.do_close_cycle(cast.coach, closed)
    with refused({"cycle": "Escalate to an active cycle you work on, or start a new one."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.CYCLE, closed)
    # Not a cycle at all.
    team = Team.objects.create(organization=cast.world.org, name="Transport group", kind=Team.Kind.OTHER)
    with refused({"cycle": "No cycle matches the given query."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.CYCLE, team)
    # Nor may someone who does not steer the flag escalate it, even to a cycle of their own.
    mine = _start(cast.world, cast.colleague)
    with refused("Only the flag's owner (or a leader over it) escalates it."):
        actions.do_escalate(cast.colleague, flag, Escalation.To.CYCLE, mine)
    question = cast.question()
    with refused("Only a flag has an owner and a status."):
        actions.do_escalate(cast.leader, question, Escalation.To.CYCLE, whole)


def test_a_flag_escalated_to_a_new_cycle_starts_it_and_links_it_in_one_step(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague)
    escalation = actions.do_escalate_to_new_cycle(cast.colleague, flag, _cycle_fields(cast.world), members=[cast.coach])
    cycle = Cycle.objects.get()
    assert (escalation.target, cycle.owner, list(cycle.members.all())) == (cycle, cast.colleague, [cast.coach])
    assert _started_from(cycle) == [flag]
    assert Post.objects.get(pk=flag.pk).status == Status.ESCALATED


def test_a_new_cycle_and_its_escalation_stand_or_fall_together(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.coach)
    # The cycle fails: no escalation either.
    with refused("Only the organization's leaders start its own cycles."):
        actions.do_escalate_to_new_cycle(
            cast.coach, flag, _cycle_fields(cast.world, level=Cycle.Level.ORGANIZATION, school=None)
        )
    with refused({"ends_on": "The cycle must end after it starts."}):
        actions.do_escalate_to_new_cycle(
            cast.coach, flag, _cycle_fields(cast.world, ends_on=TODAY - datetime.timedelta(days=1))
        )
    # The cycle would start, but the escalation fails: the cycle goes too. (An individual cycle for
    # someone else is one the coach cannot work on.)
    with refused({"cycle": "No cycle matches the given query."}):
        actions.do_escalate_to_new_cycle(
            cast.coach, flag, _cycle_fields(cast.world, level=Cycle.Level.INDIVIDUAL, owner=cast.colleague)
        )
    # Someone who does not steer the flag starts nothing.
    with refused("Only the flag's owner (or a leader over it) escalates it."):
        actions.do_escalate_to_new_cycle(cast.colleague, flag, _cycle_fields(cast.world))
    actions.do_move_flag(cast.coach, flag, Status.RESOLVED, "Done.")
    with refused("This flag is resolved; reopen it to escalate it."):
        actions.do_escalate_to_new_cycle(cast.coach, flag, _cycle_fields(cast.world))
    assert Post.objects.get(pk=flag.pk).status == Status.RESOLVED


def test_a_flag_escalated_to_a_team_records_which_kind_of_team(cast: Cast) -> None:
    north = cast.world.inside
    group = Team.objects.create(organization=cast.world.org, name="Transport group", kind=Team.Kind.OTHER)
    planners = Team.objects.create(
        organization=cast.world.org, name="North planning", kind=Team.Kind.REGIONAL, region=north.region
    )
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.coach)
    # The coach meets the teams of their region and their own teams, no others.
    with refused({"team": "No team matches the given query."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.WORKING_GROUP, group)
    TeamMembership.objects.create(team=group, person=cast.coach)
    actions.do_escalate(cast.coach, flag, Escalation.To.WORKING_GROUP, group, note="For the transport contract.")
    actions.do_escalate(cast.coach, flag, Escalation.To.PLANNING_TEAM, planners)
    assert list(Escalation.objects.values_list("to", "object_id", "note")) == [
        ("working_group", group.pk, "For the transport contract."),
        ("planning_team", planners.pk, ""),
    ]
    assert {e.content_type for e in Escalation.objects.all()} == {ContentType.objects.get_for_model(Team)}
    south = Team.objects.create(
        organization=cast.world.org, name="South planning", kind=Team.Kind.REGIONAL, region=cast.world.outside.region
    )
    with refused({"team": "No team matches the given query."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.PLANNING_TEAM, south)
    actions.do_escalate(cast.leader, flag, Escalation.To.PLANNING_TEAM, south)
    cycle = _start(cast.world, cast.coach)
    with refused({"team": "No team matches the given query."}):
        actions.do_escalate(cast.coach, flag, Escalation.To.PLANNING_TEAM, cycle)
    with refused(
        {"to": "“committee” is not where a flag goes; choose a cycle of inquiry, a working group or a planning team."}
    ):
        actions.do_escalate(cast.coach, flag, "committee", group)
    with refused({"note": "The note holds a NUL character; paste it as plain text."}):
        actions.do_escalate(cast.leader, flag, Escalation.To.CYCLE, cycle, note="Bad\x00")
    assert Post.objects.get(pk=flag.pk).status == Status.ESCALATED


# -- me too and accepted answers ---------------------------------------------------------------


def test_me_too_counts_others_once_and_can_be_taken_back(cast: Cast) -> None:
    flag = cast.flag()
    with refused("You raised this yourself; others say “me too”."):
        actions.do_me_too(cast.coach, flag)
    assert actions.do_me_too(cast.colleague, flag) == 1
    assert actions.do_me_too(cast.colleague, flag) == 1
    assert actions.do_me_too(cast.far_coach, flag) == 2
    assert AuditEntry.objects.filter(action="feed.me_too").count() == 2
    assert actions.do_me_too(cast.colleague, flag, on=False) == 1
    assert actions.do_me_too(cast.colleague, flag, on=False) == 1
    assert actions.do_me_too(cast.coach, flag, on=False) == 1
    assert list(MeToo.objects.values_list("person", flat=True)) == [cast.far_coach.pk]
    assert AuditEntry.objects.filter(action="feed.me_too.withdraw").count() == 1
    # Questions and ideas are met by others too.
    assert actions.do_me_too(cast.colleague, cast.question()) == 1


def test_only_the_asker_or_an_organization_leader_accepts_an_answer(cast: Cast) -> None:
    question = cast.question()
    answer = actions.do_comment(cast.colleague, question, "Maria runs it.")
    other = actions.do_comment(cast.leader, question, "Ask Maria.")
    for person in (cast.colleague, cast.analyst, cast.director):
        with refused("Only the person who asked (or a leader) accepts an answer."):
            actions.do_accept_answer(person, question, answer)
    actions.do_accept_answer(cast.coach, question, answer)
    assert Post.objects.get(pk=question.pk).accepted_answer == answer
    actions.do_accept_answer(cast.leader, question, other)
    assert Post.objects.get(pk=question.pk).accepted_answer == other
    actions.do_accept_answer(cast.coach, question, None)
    assert Post.objects.get(pk=question.pk).accepted_answer is None
    elsewhere = actions.do_comment(cast.colleague, cast.question(title="Another"), "Not this one.")
    with refused({"comment": "That comment answers another post."}):
        actions.do_accept_answer(cast.coach, question, elsewhere)
    idea = actions.do_post(cast.coach, Kind.IDEA, "Walking bus", "Parents walk groups in.")
    idea_comment = actions.do_comment(cast.colleague, idea, "Love it.")
    with refused("Only a question has an accepted answer."):
        actions.do_accept_answer(cast.coach, idea, idea_comment)
    flag = cast.flag()
    with refused("Only a question has an accepted answer."):
        actions.do_accept_answer(cast.coach, flag, None)


# -- comments and edits ------------------------------------------------------------------------


def test_a_comment_is_trimmed_checked_and_moves_the_post_up(cast: Cast) -> None:
    question = actions.do_post(
        cast.coach, Kind.QUESTION, "Agenda?", "For Friday.", now=NOW - datetime.timedelta(days=1)
    )
    comment = actions.do_comment(cast.colleague, question, "  Here it is.  ", now=NOW)
    assert comment.body == "Here it is."
    assert Post.objects.get(pk=question.pk).last_activity_at == NOW
    with refused({"body": "Write the comment."}):
        actions.do_comment(cast.colleague, question, " \n ")
    with refused({"body": "The comment holds a NUL character; paste it as plain text."}):
        actions.do_comment(cast.colleague, question, "Nu\x00l")
    with refused({"body": "The comment is 20001 characters long; keep it to 20000."}):
        actions.do_comment(cast.colleague, question, "x" * 20001)


def test_only_the_author_edits_and_the_edit_is_checked_like_a_post(cast: Cast) -> None:
    idea = actions.do_post(cast.coach, Kind.IDEA, "Walking bus", "Parents walk.", school=cast.world.inside.school)
    with refused("Only the post's author edits it."):
        actions.do_edit_post(cast.leader, idea, "Taken over", "Mine now.")
    with refused({"title": "Write the title."}):
        actions.do_edit_post(cast.coach, idea, "", "Parents walk.")
    with refused({"school": "No school matches the given query."}):
        actions.do_edit_post(cast.coach, idea, "Walking bus", "Parents walk.", school=cast.world.outside.school)
    with refused({"restricted": "Only a flag can be restricted; questions and ideas are for all staff."}):
        actions.do_edit_post(cast.coach, idea, "Walking bus", "Parents walk.", restricted=True)
    edited = actions.do_edit_post(
        cast.coach, idea, "Walking school bus", "Parents walk groups.", partnership=cast.world.inside.partnership
    )
    edited = Post.objects.get(pk=edited.pk)
    assert (edited.title, edited.school, edited.partnership, edited.region) == (
        "Walking school bus",
        None,
        cast.world.inside.partnership,
        cast.world.inside.region,
    )
    assert edited.edited_at is not None


def test_an_edit_keeps_a_topic_archived_since_but_adds_no_archived_one(cast: Cast) -> None:
    coaching, spaces = topic("Coaching"), topic("Learning spaces")
    idea = actions.do_post(cast.coach, Kind.IDEA, "Walking bus", "Parents walk.", topics=[coaching])
    Topic.objects.filter(pk=coaching.pk).update(archived=True)
    coaching.refresh_from_db()
    # Keeping it, and adding a live topic beside it, are fine.
    actions.do_edit_post(cast.coach, idea, "Walking bus", "Parents walk.", topics=[coaching])
    actions.do_edit_post(cast.coach, idea, "Walking bus", "Parents walk.", topics=[coaching, spaces])
    assert set(Post.objects.get(pk=idea.pk).topics.all()) == {coaching, spaces}
    # Adding an archived topic is not.
    other = actions.do_post(cast.coach, Kind.IDEA, "Other", "Idea.", topics=[spaces])
    with refused({"topics": "That topic is archived; choose another."}):
        actions.do_edit_post(cast.coach, other, "Other", "Idea.", topics=[spaces, coaching])


def test_an_edited_flag_still_waiting_is_due_by_its_new_topics(cast: Cast, settings: Any) -> None:
    settings.FEED_ACKNOWLEDGE_HOURS = 24
    flag = actions.do_post(cast.coach, Kind.FLAG, "Hallway", "Unsafe stairs.", now=NOW)
    assert flag.acknowledge_due == NOW + datetime.timedelta(hours=24)
    actions.do_edit_post(cast.coach, flag, "Hallway", "Unsafe stairs.", topics=[topic("Student safety and wellbeing")])
    assert Post.objects.get(pk=flag.pk).acknowledge_due == NOW + datetime.timedelta(hours=4)
    # Once acknowledged, what was due is history and stays as it was.
    actions.do_acknowledge(cast.leader, flag)
    actions.do_edit_post(cast.coach, flag, "Hallway", "Unsafe stairs.", topics=[])
    assert Post.objects.get(pk=flag.pk).acknowledge_due == NOW + datetime.timedelta(hours=4)


def test_counts_helper_sees_every_row_an_action_writes(cast: Cast) -> None:
    # The refusal checks above are only as good as what counts() counts.
    before = counts()
    flag = cast.flag(title=f"@{cast.leader.email}")
    actions.do_comment(cast.leader, flag, f"@{cast.colleague.email} look")
    after = counts()
    changed = {k for k in before if before[k] != after[k]}
    assert {
        "feed.Post",
        "feed.Comment",
        "feed.Notification",
        "access.AuditEntry",
        "django_tasks_database.DBTaskResult",
        "feed.DigestPreference",
        "feed.Post_mentions",
        "feed.Comment_mentions",
    } <= changed
    assert Notification.objects.count() == 3


def test_an_out_of_date_copy_of_a_post_neither_undoes_nor_skips_what_others_did(cast: Cast) -> None:
    flag = cast.flag()
    authors_copy = Post.objects.get(pk=flag.pk)
    owners_copy = Post.objects.get(pk=flag.pk)
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague)
    # The author edits from a copy read before the flag was acknowledged: it stays acknowledged.
    actions.do_edit_post(cast.coach, authors_copy, "Buses very late", "Still.", school=cast.world.inside.school)
    stored = Post.objects.get(pk=flag.pk)
    assert (stored.title, stored.status, stored.owner) == ("Buses very late", Status.ACKNOWLEDGED, cast.colleague)
    # The owner moves it from a copy that still says "raised": the move is judged by what is stored.
    actions.do_move_flag(cast.colleague, owners_copy, Status.IN_PROGRESS)
    stored = Post.objects.get(pk=flag.pk)
    assert (stored.title, stored.status) == ("Buses very late", Status.IN_PROGRESS)
    # And a stale copy cannot resolve twice or reopen what is already open.
    stale = Post.objects.get(pk=flag.pk)
    actions.do_move_flag(cast.colleague, flag, Status.RESOLVED, "Done.")
    with refused({"status": "A flag that is resolved cannot be marked “resolved”."}):
        actions.do_move_flag(cast.leader, stale, Status.RESOLVED, "Done twice.")
