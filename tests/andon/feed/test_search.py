"""Finding posts: every word somewhere in the post or its comments, filters by kind, status, topic
and place, the posts that concern me, unanswered questions; each post once, and only posts the
person may see."""

import datetime
from typing import Any

from django.utils import timezone

from tandem.access.scope import scope_for
from tandem.andon.feed import actions
from tandem.andon.feed.models import Post
from tandem.andon.feed.search import Filters, find
from tandem.orgs.models import Person
from tests.andon.feed.common import Cast, topic

Kind, Status = Post.Kind, Post.Status


def _titles(person: Person, **filters: object) -> list[str]:
    return [p.title for p in find(scope_for(person), Filters(**filters))]  # type: ignore[arg-type]


class Setting:
    """Five posts a few minutes apart (the latest first in a list), two comments, one accepted answer."""

    def __init__(self, cast: Cast) -> None:
        c = self.cast = cast
        north, south = cast.world.inside, cast.world.outside
        t = timezone.now()

        def post(minutes_ago: int, author: Person, kind: str, title: str, body: str, **tags: Any) -> Post:
            return actions.do_post(author, kind, title, body, now=t - datetime.timedelta(minutes=minutes_ago), **tags)

        operations, data = [topic("Operations")], [topic("Student data and tools")]
        self.buses = post(
            60, c.coach, Kind.FLAG, "Buses late", "All week at 9:40.", school=north.school, topics=operations
        )
        self.agenda = post(
            50,
            c.colleague,
            Kind.QUESTION,
            "Data day agenda?",
            "Who has it?",
            partnership=north.partnership,
            topics=data,
        )
        self.walking = post(
            40, c.far_coach, Kind.IDEA, "Walking school bus", "Parents walk groups in.", school=south.school
        )
        self.secret = post(
            30, c.coach, Kind.FLAG, "Conduct", "A bus driver shouted.", restricted=True, school=north.school
        )
        self.schedule = post(20, c.far_coach, Kind.QUESTION, "Schedules", "When is PD?", school=south.school)
        actions.do_comment(c.analyst, self.agenda, "The agenda covers attendance data.", now=self.agenda.created_at)
        answer = actions.do_comment(c.coach, self.schedule, "PD is on Fridays.", now=self.schedule.created_at)
        actions.do_accept_answer(c.far_coach, self.schedule, answer)


def test_words_are_found_in_titles_bodies_and_comments_each_post_once(cast: Cast) -> None:
    s = Setting(cast)
    assert _titles(cast.colleague, q="bus") == ["Walking school bus", "Buses late"]
    assert _titles(cast.leader, q="bus") == ["Conduct", "Walking school bus", "Buses late"]
    assert _titles(cast.colleague, q="ATTENDANCE") == ["Data day agenda?"]
    assert _titles(cast.colleague, q="agenda attendance") == ["Data day agenda?"]
    assert _titles(cast.colleague, q="agenda parents") == []
    # A word in several comments and the title still finds the post once.
    actions.do_comment(cast.leader, s.agenda, "Agenda attached.")
    actions.do_comment(cast.coach, s.agenda, "Agenda: thanks.")
    found = list(find(scope_for(cast.colleague), Filters(q="agenda")))
    assert found == [s.agenda]
    assert found[0].n_comments == 3  # type: ignore[attr-defined]
    # Pattern characters are matched as themselves, and NUL characters never reach the database.
    assert _titles(cast.colleague, q="%") == []
    assert _titles(cast.colleague, q="_") == []
    assert _titles(cast.colleague, q="bus\x00") == ["Walking school bus", "Buses late"]
    assert _titles(cast.colleague, q="\x00") == [p.title for p in find(scope_for(cast.colleague), Filters())]


def test_filters_narrow_by_kind_status_topic_and_place(cast: Cast) -> None:
    s = Setting(cast)
    north, south = cast.world.inside, cast.world.outside
    c = cast.colleague
    assert _titles(c, kind="flag") == ["Buses late"]
    assert _titles(c, kind="question") == ["Schedules", "Data day agenda?"]
    assert _titles(c, status="open_flags") == ["Buses late"]
    actions.do_acknowledge(cast.leader, s.buses)
    assert _titles(c, status="open_flags") == ["Buses late"]
    assert _titles(c, status="acknowledged") == ["Buses late"]
    actions.do_move_flag(cast.leader, s.buses, Status.RESOLVED, "Done.")
    assert _titles(c, status="open_flags") == []
    assert _titles(c, status="resolved") == ["Buses late"]
    assert _titles(c, topic=topic("Operations").pk) == ["Buses late"]
    assert _titles(c, school=north.school.pk) == ["Buses late"]
    assert _titles(c, school=south.school.pk) == ["Schedules", "Walking school bus"]
    assert _titles(c, partnership=north.partnership.pk) == ["Data day agenda?"]
    # Acknowledging and resolving the flag moved it up.
    assert _titles(c, region=north.region.pk) == ["Buses late", "Data day agenda?"]
    assert _titles(c, region=south.region.pk, kind="idea") == ["Walking school bus"]
    assert _titles(cast.leader, region=north.region.pk) == ["Buses late", "Conduct", "Data day agenda?"]


def test_unanswered_questions_are_those_without_an_accepted_answer(cast: Cast) -> None:
    Setting(cast)
    assert _titles(cast.colleague, unanswered=True) == ["Data day agenda?"]


def test_mine_is_what_i_wrote_own_was_mentioned_in_or_met_too_each_once(cast: Cast) -> None:
    s = Setting(cast)
    assert _titles(cast.coach, mine=True) == ["Conduct", "Buses late"]
    assert _titles(cast.analyst, mine=True) == []
    # Owner, mentioned and "me too" all at once: the post comes once.
    flag = actions.do_post(
        cast.far_coach, Kind.FLAG, "Heating, @analyst", "Cold rooms.", school=cast.world.outside.school
    )
    actions.do_acknowledge(cast.leader, flag, owner=cast.analyst)
    actions.do_me_too(cast.analyst, flag)
    actions.do_me_too(cast.analyst, s.agenda)
    found = list(find(scope_for(cast.analyst), Filters(mine=True)))
    assert found == [flag, s.agenda]
    assert found[0].n_me_too == 1  # type: ignore[attr-defined]
    # A restricted flag I was mentioned in but cannot open stays hidden.
    actions.do_post(cast.coach, Kind.FLAG, "Private, @partner.north", "Hush.", restricted=True)
    assert _titles(cast.colleague, mine=True) == ["Data day agenda?"]
    assert _titles(cast.colleague, q="private") == []


def test_nobody_outside_the_staff_finds_anything(cast: Cast) -> None:
    Setting(cast)
    assert _titles(cast.principal) == []
    assert _titles(cast.teacher, q="bus") == []
