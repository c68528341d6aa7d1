"""The andon board: when a flag is due to be acknowledged, which flags wait (late ones first) and
which have been open too long, whose board holds which flags, and who has a board at all."""

import datetime
from typing import Any

import pytest
from django.utils import timezone

from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.andon.feed import actions
from tandem.andon.feed.board import acknowledge_times, board, is_aging, is_late, shows_board
from tandem.andon.feed.models import Post, Topic
from tandem.orgs.models import Team
from tests.andon.feed.common import Cast, topic
from tests.world import World

Kind, Status = Post.Kind, Post.Status
NOW = timezone.now().replace(microsecond=0)
SAFETY, STRATEGY, COACHING = "Student safety and wellbeing", "Partnership strategy", "Coaching"


def _at(hours_ago: float) -> datetime.datetime:
    return NOW - datetime.timedelta(hours=hours_ago)


def test_a_flag_is_due_by_its_topic_with_the_smallest_target_or_the_default(cast: Cast, settings: Any) -> None:
    settings.FEED_ACKNOWLEDGE_HOURS = 10
    due = actions.acknowledge_due
    assert due(NOW, []) == NOW + datetime.timedelta(hours=10)
    assert due(NOW, [topic(COACHING)]) == NOW + datetime.timedelta(hours=10)
    assert due(NOW, [topic(STRATEGY)]) == NOW + datetime.timedelta(hours=24)
    assert due(NOW, [topic(STRATEGY), topic(COACHING), topic(SAFETY)]) == NOW + datetime.timedelta(hours=4)
    at_once = Topic.objects.create(name="Fire", acknowledge_hours=0)
    assert due(NOW, [topic(SAFETY), at_once]) == NOW
    flag = actions.do_post(cast.coach, Kind.FLAG, "Stairs", "Unsafe.", topics=[topic(STRATEGY), topic(SAFETY)], now=NOW)
    assert Post.objects.get(pk=flag.pk).acknowledge_due == NOW + datetime.timedelta(hours=4)
    plain = actions.do_post(cast.coach, Kind.FLAG, "Paper", "Out of paper.", now=NOW)
    assert Post.objects.get(pk=plain.pk).acknowledge_due == NOW + datetime.timedelta(hours=10)


def _flag(cast: Cast, title: str, hours_ago: float, topics: list[str] = (), **kw: Any) -> Post:  # type: ignore[assignment]
    author = kw.pop("author", cast.coach)
    school = cast.world.outside.school if author.pk == cast.far_coach.pk else cast.world.inside.school
    return actions.do_post(
        author, Kind.FLAG, title, "Body.", school=school, topics=[topic(t) for t in topics], now=_at(hours_ago), **kw
    )


def test_the_board_lists_waiting_flags_late_first_and_flags_open_too_long(cast: Cast, settings: Any) -> None:
    settings.FEED_ACKNOWLEDGE_HOURS = 24
    settings.FEED_AGING_DAYS = 14
    day = 24
    late_long = _flag(cast, "Due 6 hours ago", 30)
    late_safety = _flag(cast, "Due an hour ago", 5, [SAFETY])
    waiting = _flag(cast, "Due in 23 hours", 1)
    aging = _flag(cast, "Open 20 days", 20 * day)
    actions.do_acknowledge(cast.leader, aging, now=_at(20 * day - 1))
    aging_in_progress = _flag(cast, "Open 15 days", 15 * day)
    actions.do_acknowledge(cast.leader, aging_in_progress)
    actions.do_move_flag(cast.leader, aging_in_progress, Status.IN_PROGRESS)
    fresh_open = _flag(cast, "Open 2 days", 2 * day)
    actions.do_acknowledge(cast.leader, fresh_open)
    old_resolved = _flag(cast, "Resolved", 30 * day)
    actions.do_acknowledge(cast.leader, old_resolved)
    actions.do_move_flag(cast.leader, old_resolved, Status.RESOLVED, "Done.")
    old_escalated = _flag(cast, "Escalated", 30 * day)
    team = Team.objects.create(organization=cast.world.org, name="Transport", kind=Team.Kind.OTHER)
    actions.do_escalate(cast.leader, old_escalated, "working_group", team)
    actions.do_post(cast.coach, Kind.QUESTION, "Not a flag", "Old question.", now=_at(30 * day))
    actions.do_me_too(cast.colleague, late_safety)

    b = board(scope_for(cast.leader), now=NOW)
    assert b.unacknowledged == [late_long, late_safety, waiting]
    assert b.late == 2
    assert b.aging == [aging, aging_in_progress]
    assert [p.n_me_too for p in b.unacknowledged] == [0, 1, 0]  # type: ignore[attr-defined]
    assert b
    assert [is_late(p, NOW) for p in (late_long, late_safety, waiting)] == [True, True, False]
    assert [is_aging(Post.objects.get(pk=p.pk), NOW) for p in (aging, aging_in_progress, fresh_open)] == [
        True,
        True,
        False,
    ]
    limited = board(scope_for(cast.leader), now=NOW, limit=1)
    assert (limited.unacknowledged, limited.late, limited.aging) == ([late_long], 2, [aging])
    # A day on, the waiting flag is late too, and the two-day-old one not yet aging.
    later = board(scope_for(cast.leader), now=NOW + datetime.timedelta(days=1))
    assert later.late == 3
    assert fresh_open not in later.aging
    # Acknowledged, a flag leaves the waiting list.
    actions.do_acknowledge(cast.leader, late_long)
    assert board(scope_for(cast.leader), now=NOW).unacknowledged == [late_safety, waiting]


def test_the_aging_threshold_is_read_from_the_settings(cast: Cast, settings: Any) -> None:
    flag = _flag(cast, "Open 3 days", 3 * 24)
    actions.do_acknowledge(cast.leader, flag)
    settings.FEED_AGING_DAYS = 14
    assert board(scope_for(cast.leader), now=NOW).aging == []
    settings.FEED_AGING_DAYS = 2
    assert board(scope_for(cast.leader), now=NOW).aging == [flag]


def test_a_regional_directors_board_holds_only_their_regions_flags(cast: Cast) -> None:
    north = _flag(cast, "North", 2)
    south = _flag(cast, "South", 3, author=cast.far_coach)
    untagged = actions.do_post(cast.coach, Kind.FLAG, "Nowhere", "No place.", now=_at(4))
    restricted = _flag(cast, "North, restricted", 5, restricted=True)
    assert board(scope_for(cast.director), now=NOW).unacknowledged == [north]
    assert board(scope_for(cast.leader), now=NOW).unacknowledged == [restricted, untagged, south, north]
    assert board(scope_for(cast.admin), now=NOW).unacknowledged == [restricted, untagged, south, north]
    # Someone without a board gets an empty one.
    empty = board(scope_for(cast.coach), now=NOW)
    assert (empty.unacknowledged, empty.late, empty.aging, bool(empty)) == ([], 0, [], False)


def test_who_has_a_board(world: World, cast: Cast) -> None:
    _flag(cast, "North", 2)
    has_board = {role for role, person in world.people.items() if shows_board(scope_for(person))}
    assert has_board == {Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR}
    assert not shows_board(scope_for(cast.colleague))
    assert not shows_board(scope_for(None))


@pytest.mark.parametrize("who", ["leader", "director"])
def test_acknowledge_times_count_on_time_late_and_waiting(cast: Cast, who: str) -> None:
    on_time = _flag(cast, "On time", 10)
    actions.do_acknowledge(cast.leader, on_time, now=_at(9))
    late = _flag(cast, "Late", 48)
    actions.do_acknowledge(cast.leader, late, now=_at(1))
    _flag(cast, "Waiting", 2)
    _flag(cast, "Before the window", 24 * 40)
    _flag(cast, "South", 3, author=cast.far_coach)
    person = getattr(cast, who)
    found = acknowledge_times(scope_for(person), since=_at(24 * 30))
    south = 1 if who == "leader" else 0
    assert found == {"raised": 3 + south, "on_time": 1, "waiting": 1 + south}
