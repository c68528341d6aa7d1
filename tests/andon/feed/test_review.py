"""What a review of the staff feed found: an escalation's notification naming a cycle its reader
cannot open, the unread count and the escalation form naming what is out of reach, 500s on hostile
ids, queries per flag on the board and per cycle on a post's page, an edit dropping an archived
topic, notifications of changes that change nothing, mentions costing a query each, and a digest
that ran while a notification was being written."""

import datetime
import threading
from typing import Any

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.access.scope import scope_for
from tandem.andon.feed import actions
from tandem.andon.feed.models import DigestPreference, Escalation, Notification, Post, Topic
from tandem.andon.feed.tasks import send_digest
from tandem.inquiry import actions as inquiry_actions
from tandem.inquiry.models import Cycle, Template
from tandem.inquiry.visibility import can_contribute, contributable_cycles, visible_cycles
from tandem.orgs.models import Person, Team, TeamMembership
from tests.andon.feed.common import Cast, cast_of, refused, topic
from tests.world import World, build_world

Kind, Status = Post.Kind, Post.Status
TODAY = timezone.localdate()
HUGE = "99999999999999999999"


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _start(who: Person, **fields: Any) -> Cycle:
    return inquiry_actions.do_start_cycle(
        who,
        {
            "title": "Getting to school on time",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(name="Results-Oriented Cycle of Inquiry"),
            "starts_on": TODAY,
            "ends_on": TODAY + datetime.timedelta(weeks=8),
            **fields,
        },
    )


# -- what is out of reach stays unnamed ----------------------------------------------------------


def test_an_escalation_names_the_cycle_only_to_those_who_can_open_it(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_me_too(cast.admin, flag)
    south = _start(cast.leader, title="South buses contract", school=cast.world.outside.school)
    assert not visible_cycles(scope_for(cast.coach)).filter(pk=south.pk).exists()
    actions.do_escalate(cast.leader, flag, Escalation.To.CYCLE, south)
    told = {n.person: n.text for n in Notification.objects.filter(kind=Notification.Kind.STATUS)}
    assert told == {
        cast.coach: "National leader escalated it to a cycle of inquiry: “Buses late”",
        cast.admin: "National leader escalated it to cycle of inquiry “South buses contract”: “Buses late”",
    }


def test_the_unread_count_leaves_out_posts_the_reader_can_no_longer_open(cast: Cast) -> None:
    school = cast.world.inside.school
    flag = actions.do_post(cast.coach, Kind.FLAG, "Conduct", "@partner.north saw it too.", school=school)
    colleague = _client(cast.colleague)
    assert "Notifications (1 unread)" in colleague.get("/feed/").content.decode()
    actions.do_edit_post(cast.coach, flag, "Conduct", "@partner.north saw it too.", school=school, restricted=True)
    page = colleague.get("/feed/").content.decode()
    assert "unread" not in page
    assert colleague.get("/feed/notifications/").context["unread"] == 0


def test_a_flag_is_escalated_only_to_teams_within_reach(cast: Cast) -> None:
    org = cast.world.org
    Team.objects.create(
        organization=org, name="North planning", kind=Team.Kind.REGIONAL, region=cast.world.inside.region
    )
    Team.objects.create(
        organization=org, name="South planning", kind=Team.Kind.REGIONAL, region=cast.world.outside.region
    )
    mine = Team.objects.create(organization=org, name="Transport group", kind=Team.Kind.OTHER)
    Team.objects.create(organization=org, name="Safeguarding group", kind=Team.Kind.OTHER)
    TeamMembership.objects.create(team=mine, person=cast.coach)
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag, owner=cast.coach)
    offered = _client(cast.coach).get(flag.get_absolute_url()).context["escalate_form"].fields["team"].queryset
    assert sorted(t.name for t in offered) == ["North planning", "Transport group"]
    offered = _client(cast.leader).get(flag.get_absolute_url()).context["escalate_form"].fields["team"].queryset
    assert offered.count() == 4


# -- hostile input -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "\x00", "1\x00", HUGE, "-1", "1.5", "²", "١", "9" * 5000])
def test_hostile_values_never_answer_500(cast: Cast, value: str) -> None:
    flag = cast.flag()
    question = cast.question()
    actions.do_comment(cast.colleague, question, "Maria runs it.")
    coach, leader = _client(cast.coach), _client(cast.leader)
    for client in (coach, leader):
        for name in ("page", "topic", "school", "region", "kind", "status", "q", "mine"):
            assert client.get("/feed/", {name: value}).status_code < 500, name
        assert client.get("/feed/notifications/", {"page": value}).status_code < 500
        assert client.get("/feed/new/", {"kind": value}).status_code < 500
        for name in ("flag", "goal"):
            assert client.get("/cycles/new/", {name: value}).status_code in (200, 404), name
        assert client.post("/cycles/new/", {"flag": value, "title": value}).status_code in (200, 404)
        assert client.post(f"/feed/{flag.pk}/escalate/", {"to": "cycle", "cycle": value}).status_code < 500
        assert client.post(f"/feed/{flag.pk}/escalate/", {"to": "working_group", "team": value}).status_code < 500
        assert client.post(f"/feed/{flag.pk}/acknowledge/", {"owner": value}).status_code < 500
        assert client.post(f"/feed/{flag.pk}/status/", {"status": value, "resolution": value}).status_code < 500
        assert client.post(f"/feed/{flag.pk}/comment/", {"body": value}).status_code < 500
        assert client.post(f"/feed/{flag.pk}/me-too/", {"on": value}).status_code < 500
        assert client.post(f"/feed/{question.pk}/answer/", {"comment": value}).status_code < 500
        assert client.post("/feed/notifications/", {"email_digest": value}).status_code < 500
    before = Post.objects.count()
    new = {"kind": "flag", "title": "Buses", "body": "Late.", "topics": [value]}
    assert coach.post("/feed/new/", new).status_code == 422
    assert (
        coach.post(f"/feed/{flag.pk}/edit/", {"title": "Buses", "body": "Late.", "topics": [value]}).status_code == 422
    )
    assert Post.objects.count() == before


def test_a_topic_id_past_what_a_database_holds_is_an_unknown_choice(cast: Cast) -> None:
    response = _client(cast.coach).post("/feed/new/", {"kind": "flag", "title": "B", "body": "L.", "topics": [HUGE]})
    assert response.status_code == 422
    assert response.context["form"].errors["topics"] == [
        f"Select a valid choice. {HUGE} is not one of the available choices."
    ]


# -- queries -------------------------------------------------------------------------------------


def _flags(cast: Cast, n: int) -> None:
    north = cast.world.inside
    for i in range(n):
        flag = actions.do_post(
            cast.coach,
            Kind.FLAG,
            f"Flag {i}",
            "Late again.",
            school=north.school,
            partnership=north.partnership,
            topics=[topic("Coaching"), topic("Operations")],
            now=timezone.now() - datetime.timedelta(days=20),
        )
        if i % 2:
            actions.do_acknowledge(cast.leader, flag, owner=cast.director)
        actions.do_comment(cast.colleague, flag, "Same here.")
        actions.do_me_too(cast.colleague, flag)


@pytest.mark.parametrize("url", ["/feed/board/", "/api/v1/feed/board", "/feed/", "/", "/api/v1/feed/posts"])
def test_the_board_feed_and_home_cost_the_same_queries_for_30_flags_as_for_2(cast: Cast, url: str) -> None:
    leader = _client(cast.leader)
    _flags(cast, 2)
    with CaptureQueriesContext(connection) as few:
        assert leader.get(url).status_code == 200
    _flags(cast, 30)
    with CaptureQueriesContext(connection) as many:
        assert leader.get(url).status_code == 200
    assert len(many) == len(few)


def test_a_posts_page_costs_the_same_queries_however_many_cycles_are_active(cast: Cast) -> None:
    flag = cast.flag()
    north = cast.world.inside.school

    def queries(person: Person) -> int:
        with CaptureQueriesContext(connection) as done:
            assert _client(person).get(flag.get_absolute_url()).status_code == 200
        return len(done)

    _start(cast.director, school=north)
    before = {p: queries(p) for p in (cast.colleague, cast.leader, cast.director)}
    for i in range(15):
        _start(cast.director, title=f"Cycle {i}", school=north)
    assert {p: queries(p) for p in (cast.colleague, cast.leader, cast.director)} == before
    offered = _client(cast.leader).get(flag.get_absolute_url()).context["escalate_form"].fields["cycle"].queryset
    assert offered.count() == 16


def test_the_cycles_offered_are_exactly_those_a_person_may_work_on(world: World) -> None:
    cast = cast_of(world)
    north, south = world.inside, world.outside
    team = Team.objects.create(organization=world.org, name="Grade 3", kind=Team.Kind.OTHER, region=north.region)
    TeamMembership.objects.create(team=team, person=cast.colleague)
    cycles = [
        _start(cast.director, school=north.school),
        _start(cast.leader, school=south.school),
        _start(cast.leader, level=Cycle.Level.DISTRICT, district=north.district),
        _start(cast.leader, level=Cycle.Level.REGION, region=south.region),
        _start(cast.leader, level=Cycle.Level.ORGANIZATION),
        _start(cast.coach, level=Cycle.Level.INDIVIDUAL, school=north.school),
        _start(cast.leader, level=Cycle.Level.TEAM, team=team),
    ]
    cycles[1].members.add(cast.colleague)
    cycles[5].coach = cast.director
    cycles[5].save()
    people = [*world.people.values(), cast.colleague, cast.far_coach, cast.principal]
    for person in people:
        scope = scope_for(person)
        expected = {c.pk for c in cycles if can_contribute(scope, c)}
        assert set(contributable_cycles(scope).values_list("pk", flat=True)) == expected, person


def test_mentions_cost_two_queries_however_many_handles_a_post_holds(cast: Cast) -> None:
    handles = " ".join(f"@nobody{i}" for i in range(300))
    with CaptureQueriesContext(connection) as few:
        actions.do_post(cast.coach, Kind.IDEA, "One", "@partner.north")
    with CaptureQueriesContext(connection) as many:
        post = actions.do_post(cast.coach, Kind.IDEA, "Many", f"{handles} @partner.north @national_leader")
    assert len(many) <= len(few) + 3
    assert set(post.mentions.all()) == {cast.colleague, cast.leader}


# -- an edit keeps what was chosen ---------------------------------------------------------------


def test_editing_a_post_keeps_a_topic_archived_since(cast: Cast) -> None:
    old = Topic.objects.create(name="Bus contract")
    flag = cast.flag(topics=[old])
    Topic.objects.filter(pk=old.pk).update(archived=True)
    coach = _client(cast.coach)
    form = coach.get(f"/feed/{flag.pk}/edit/").context["form"]
    assert old in form.fields["topics"].queryset
    assert form["topics"].value() == [old.pk]
    data = {"title": "Buses later", "body": "Still.", "school": cast.world.inside.school.pk, "topics": [old.pk]}
    assert coach.post(f"/feed/{flag.pk}/edit/", data).status_code == 302
    assert list(Post.objects.get(pk=flag.pk).topics.all()) == [old]
    # A new post cannot choose it.
    response = coach.post("/feed/new/", {"kind": "idea", "title": "I", "body": "B", "topics": [old.pk]})
    assert response.status_code == 422


# -- a change that changes nothing tells nobody ---------------------------------------------------


def test_acknowledging_a_flag_one_owns_already_is_refused(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag)
    with refused({"owner": "National leader owns this flag already."}):
        actions.do_acknowledge(cast.leader, flag)
    # Handed on, it is the new owner's; handing it to them again is refused just the same.
    actions.do_acknowledge(cast.admin, flag, owner=cast.coach)
    with refused({"owner": "Coach / partner owns this flag already."}):
        actions.do_acknowledge(cast.admin, flag, owner=cast.coach)


def test_accepting_the_accepted_answer_again_tells_nobody_again(cast: Cast) -> None:
    question = cast.question()
    answer = actions.do_comment(cast.colleague, question, "Maria runs it.")
    actions.do_accept_answer(cast.coach, question, answer)
    actions.do_accept_answer(cast.coach, question, answer)
    assert Notification.objects.filter(kind=Notification.Kind.ANSWER).count() == 1
    actions.do_accept_answer(cast.coach, question, None)
    actions.do_accept_answer(cast.coach, question, answer)
    assert Notification.objects.filter(kind=Notification.Kind.ANSWER).count() == 2


def test_the_home_board_says_when_an_old_flag_was_raised_not_that_it_was_acknowledged_then(cast: Cast) -> None:
    raised = timezone.now() - datetime.timedelta(days=30)
    flag = actions.do_post(cast.coach, Kind.FLAG, "Old one", "Still.", school=cast.world.inside.school, now=raised)
    actions.do_acknowledge(cast.leader, flag)
    page = _client(cast.leader).get("/").content.decode()
    day = timezone.localtime(raised).strftime("%-d %b")
    assert f"acknowledged, raised {day}" in page
    assert f"acknowledged since {day}" not in page


# -- the digest and a notification written meanwhile ----------------------------------------------


@pytest.fixture
def committed(transactional_db: None, settings: Any) -> Cast:
    settings.TANDEM_BASE_URL = "https://tandem.example.org"
    return cast_of(build_world())


def test_a_digest_due_while_a_notification_is_written_waits_for_it(
    committed: Cast, smtp_inbox: Any, settings: Any
) -> None:
    if not connection.features.has_select_for_update:
        pytest.skip("SQLite runs one writing transaction at a time: nothing runs meanwhile")
    settings.FEED_DIGEST_HOURS = 4
    c = committed
    question = c.question()
    actions.do_comment(c.colleague, question, "Maria runs it.")
    due = DigestPreference.objects.get(person=c.coach).due_at
    assert due is not None
    written, go_on, sent = threading.Event(), threading.Event(), []

    def reply() -> None:
        try:
            with transaction.atomic():
                actions.do_comment(c.analyst, question, "And Pat.")
                written.set()
                go_on.wait(10)
        finally:
            connection.close()

    def digest() -> None:
        try:
            sent.append(send_digest.call(c.coach.pk, due.astimezone(datetime.UTC).isoformat()))
        finally:
            connection.close()

    replying = threading.Thread(target=reply)
    replying.start()
    assert written.wait(10)
    # The digest's time comes while the second reply is not committed yet.
    digesting = threading.Thread(target=digest)
    digesting.start()
    digesting.join(1)
    go_on.set()
    replying.join(10)
    digesting.join(10)
    assert sent == [2]
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "Staff feed: 2 unread notifications"
