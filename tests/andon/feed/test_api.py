"""The staff feed API: a feed that does not exist for anyone off the staff, restricted flags that
answer exactly like posts that do not exist, raising and finding posts, refusals that say exactly
what is wrong and write nothing, the conversation, "me too", accepted answers, a flag's lifecycle
and escalation, the andon board, notifications and topics."""

import datetime
import json
from typing import Any

from django.test import Client
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.andon.feed import actions
from tandem.andon.feed.models import Comment, MeToo, Notification, Post, Topic
from tandem.inquiry import actions as inquiry_actions
from tandem.inquiry.models import Cycle, CycleLink, Template
from tandem.orgs.api import MAX_ID
from tandem.orgs.models import Person, Team
from tests.andon.feed.common import NOT_STAFF, Cast, ago, counts, topic
from tests.world import World

POSTS = "/api/v1/feed/posts"
BOARD = "/api/v1/feed/board"
NOTIFICATIONS = "/api/v1/feed/notifications"
TOPICS = "/api/v1/feed/topics"
NOT_FOUND = {"detail": "Not found."}
TOO_BIG = MAX_ID + 1
SAFETY = "Student safety and wellbeing"  # acknowledged within 4 hours
STRATEGY = "Partnership strategy"  # within 24 hours


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


def _raise(client: Client, **body: Any) -> Any:
    return _send(client, "post", POSTS, {"kind": "flag", "title": "Buses late", "body": "All week.", **body})


def _titles(client: Client, **query: Any) -> list[str]:
    return [p["title"] for p in _ok(client.get(POSTS, query))["items"]]


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": obj.full_name if isinstance(obj, Person) else obj.name}


def _cycle(half: Any, **extra: Any) -> Cycle:
    """A school cycle at the half's partner school, started by its principal."""
    fields = {
        "title": f"Getting to {half.school.name} on time",
        "level": Cycle.Level.SCHOOL,
        "template": Template.objects.get(is_default=True),
        "school": half.school,
        "starts_on": timezone.localdate(),
        "ends_on": timezone.localdate() + datetime.timedelta(weeks=8),
        **extra,
    }
    return inquiry_actions.do_start_cycle(half.principal, fields)


def _team(world: World, half: Any) -> Team:
    return Team.objects.create(
        organization=world.org, region=half.region, name=f"{half.region.name} working group", kind=Team.Kind.REGIONAL
    )


# -- who finds the feed ---------------------------------------------------------------------------


def test_the_feed_does_not_exist_for_anyone_off_the_staff(cast: Cast, world: World) -> None:
    flag = cast.flag()
    question = cast.question()
    comment = actions.do_comment(cast.leader, question, "Ask Dana.")
    team = _team(world, world.inside)
    ops: list[tuple[str, str, Any]] = [
        ("get", POSTS, None),
        ("post", POSTS, {"kind": "question", "title": "Hello", "body": "Anyone?"}),
        ("get", f"{POSTS}/{flag.pk}", None),
        ("patch", f"{POSTS}/{flag.pk}", {"title": "Mine now"}),
        ("post", f"{POSTS}/{flag.pk}/comments", {"body": "Same here"}),
        ("post", f"{POSTS}/{flag.pk}/me-too", None),
        ("delete", f"{POSTS}/{flag.pk}/me-too", None),
        ("post", f"{POSTS}/{question.pk}/answer", {"comment_id": comment.pk}),
        ("post", f"{POSTS}/{flag.pk}/acknowledge", {}),
        ("post", f"{POSTS}/{flag.pk}/status", {"status": "in_progress"}),
        ("post", f"{POSTS}/{flag.pk}/escalations", {"to": "working_group", "team_id": team.pk}),
        ("get", BOARD, None),
        ("get", NOTIFICATIONS, None),
        ("post", f"{NOTIFICATIONS}/read", {}),
        ("get", TOPICS, None),
    ]
    # Someone who has left the staff finds nothing either.
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    gone = world.people[Role.ANALYST]
    RoleAssignment.objects.filter(person=gone).update(ends_on=yesterday)
    before = counts()
    for person in [*(world.people[r] for r in NOT_STAFF), world.inside.principal, gone]:
        client = _client(person)
        for method, url, body in ops:
            response = client.get(url) if method == "get" else _send(client, method, url, body)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (person, method, url)
    assert counts() == before


def test_a_restricted_flag_answers_exactly_like_a_post_that_does_not_exist(cast: Cast, world: World) -> None:
    mention = f"@{cast.coach.email} did you see this?"
    far = _client(cast.far_coach)
    hidden = _ok(
        _raise(far, title="Safeguarding", body=mention, school_id=world.outside.school.pk, restricted=True), 201
    )
    assert (hidden["restricted"], hidden["region"]) == (True, _ref(world.outside.region))
    # The coach was mentioned but cannot open it, so was not told.
    assert not Notification.objects.filter(person=cast.coach).exists()
    missing = _ok(_raise(far, title="Soon gone"), 201)["id"]
    Post.objects.filter(pk=missing).delete()
    # A restricted flag in the director's own region is not theirs to see either.
    in_north = actions.do_post(
        cast.colleague, "flag", "In North", "Quietly.", school=world.inside.school, restricted=True
    )
    before = counts()

    for person in (cast.coach, cast.director, cast.analyst):
        client = _client(person)
        for post_id in (hidden["id"], in_north.pk, missing, 987654, MAX_ID, TOO_BIG, 0, -1):
            for method, suffix, body in [
                ("get", "", None),
                ("patch", "", {"title": "x"}),
                ("post", "/comments", {"body": "x"}),
                ("post", "/me-too", None),
                ("delete", "/me-too", None),
                ("post", "/answer", {"comment_id": None}),
                ("post", "/acknowledge", {}),
                ("post", "/status", {"status": "in_progress"}),
                ("post", "/escalations", {"to": "cycle", "cycle_id": 1}),
            ]:
                url = f"{POSTS}/{post_id}{suffix}"
                response = client.get(url) if method == "get" else _send(client, method, url, body)
                assert (response.status_code, response.json()) == (404, NOT_FOUND), (person, url, method)
        assert {"Safeguarding", "In North"} & set(_titles(client)) == set()
        assert _ok(client.get(POSTS, {"q": "Quietly"}))["count"] == 0
    # Its author finds theirs, and only theirs.
    assert _titles(_client(cast.colleague)) == ["In North"]
    # An id that is no number at all is malformed, not missing.
    assert _errors(_client(cast.coach).get(f"{POSTS}/abc")) == [
        (["path", "post_id"], "Input should be a valid integer, unable to parse string as an integer")
    ]
    assert _client(cast.coach).get(f"{POSTS}/%00").status_code == 422
    assert counts() == before

    # Its author and the organization's leaders see it; handed to someone, so does its owner.
    for person in (cast.far_coach, cast.leader, cast.admin):
        assert _ok(_client(person).get(f"{POSTS}/{hidden['id']}"))["title"] == "Safeguarding"
    _ok(_send(_client(cast.leader), "post", f"{POSTS}/{hidden['id']}/acknowledge", {"owner_id": cast.director.pk}))
    seen = _ok(_client(cast.director).get(f"{POSTS}/{hidden['id']}"))
    assert (seen["owner"], seen["status"]) == (_ref(cast.director), "acknowledged")
    assert _client(cast.coach).get(f"{POSTS}/{hidden['id']}").json() == NOT_FOUND


# -- raising and finding posts --------------------------------------------------------------------


def test_staff_raise_a_flag_tagged_with_places_and_topics_and_the_people_mentioned_are_told(
    cast: Cast, world: World
) -> None:
    coach = _client(cast.coach)
    body = {
        "title": "  Buses late again ",
        "body": "@national_leader the buses came at 9:40 all week.",
        "school_id": world.inside.school.pk,
        "topic_ids": [topic(STRATEGY).pk, topic(SAFETY).pk, topic(SAFETY).pk],
    }
    flag = _ok(_raise(coach, **body), 201)
    assert (flag["kind"], flag["title"], flag["status"], flag["restricted"]) == (
        "flag",
        "Buses late again",
        "raised",
        False,
    )
    assert (flag["author"], flag["school"], flag["region"], flag["partnership"]) == (
        _ref(cast.coach),
        _ref(world.inside.school),
        _ref(world.inside.region),
        None,
    )
    assert flag["topics"] == [_ref(topic(STRATEGY)), _ref(topic(SAFETY))]
    assert flag["mentions"] == [_ref(cast.leader)]
    assert (flag["owner"], flag["comments"], flag["escalations"], flag["me_too"], flag["said_me_too"]) == (
        None,
        [],
        [],
        0,
        False,
    )
    assert flag["url"] == f"/feed/{flag['id']}/"
    # The shortest target of its topics: safety's four hours.
    created = datetime.datetime.fromisoformat(flag["created_at"])
    assert datetime.datetime.fromisoformat(flag["acknowledge_due"]) == created + datetime.timedelta(hours=4)
    assert flag["late"] is False
    (told,) = _ok(_client(cast.leader).get(NOTIFICATIONS))["items"]
    assert (told["kind"], told["post_id"], told["actor"], told["read_at"]) == (
        "mention",
        flag["id"],
        _ref(cast.coach),
        None,
    )
    assert told["text"] == "Coach / partner mentioned you in the post “Buses late again”"

    # A question or an idea is simply open; the region follows a partnership too.
    partnership = world.inside.partnership
    question = _ok(_raise(coach, kind="question", title="Who?", partnership_id=partnership.pk), 201)
    assert (question["status"], question["acknowledge_due"], question["region"]) == (
        "open",
        None,
        _ref(world.inside.region),
    )
    # A leader tags any place; a region alone is a tag too.
    south = _ok(_raise(_client(cast.leader), kind="idea", title="Idea", region_id=world.outside.region.pk), 201)
    assert (south["region"], south["school"]) == (_ref(world.outside.region), None)


def test_refusals_on_raising_a_post_say_exactly_what_is_wrong_and_write_nothing(cast: Cast, world: World) -> None:
    coach, leader = _client(cast.coach), _client(cast.leader)
    archived = topic("Operations")
    Topic.objects.filter(pk=archived.pk).update(archived=True)
    north, south = world.inside, world.outside
    before = counts()

    def refused(client: Client, **body: Any) -> list[tuple[list[Any], str]]:
        return _errors(_raise(client, **body))

    assert refused(coach, kind="poll") == [
        (["body", "kind"], "“poll” is not a kind of post; choose question, idea or flag.")
    ]
    assert refused(coach, title="") == [(["body", "title"], "Write the title.")]
    assert refused(coach, title=" \n\t ") == [(["body", "title"], "Write the title.")]
    assert refused(coach, body="   ") == [(["body", "body"], "Write the post.")]
    assert refused(coach, title="x" * 201) == [(["body", "title"], "The title is 201 characters long; keep it to 200.")]
    assert refused(coach, body="x" * 20_001) == [
        (["body", "body"], "The post is 20001 characters long; keep it to 20000.")
    ]
    assert refused(coach, title="Bus\x00es") == [
        (["body", "title"], "The title holds a NUL character; paste it as plain text.")
    ]
    assert refused(coach, body="\x00") == [
        (["body", "body"], "The post holds a NUL character; paste it as plain text.")
    ]
    assert refused(coach, kind="question", restricted=True) == [
        (["body", "restricted"], "Only a flag can be restricted; questions and ideas are for all staff.")
    ]
    assert refused(coach, topic_ids=[archived.pk]) == [
        (["body", "topic_ids"], "That topic is archived; choose another.")
    ]
    assert refused(coach, topic_ids=[topic(SAFETY).pk, 987654]) == [
        (["body", "topic_ids"], "No topic has one of these ids.")
    ]
    # A place out of the caller's reach is refused exactly like one that does not exist.
    for field, out_of_reach in [
        ("school_id", south.school.pk),
        ("partnership_id", south.partnership.pk),
        ("region_id", south.region.pk),
    ]:
        noun = field.removesuffix("_id")
        for value in (out_of_reach, 987654):
            assert refused(coach, **{field: value}) == [(["body", field], f"No {noun} has this id.")], (field, value)
        assert refused(coach, **{field: TOO_BIG}) == [
            (["body", "data", field], f"Input should be less than or equal to {MAX_ID}")
        ]
        assert refused(coach, **{field: 0}) == [(["body", "data", field], "Input should be greater than or equal to 1")]
        assert refused(coach, **{field: "abc"}) == [
            (["body", "data", field], "Input should be a valid integer, unable to parse string as an integer")
        ]
    # Tags that disagree.
    assert refused(leader, school_id=north.school.pk, region_id=south.region.pk) == [
        (
            ["body", "region_id"],
            "North Elementary is in North region, not South region; leave the region empty or correct it.",
        )
    ]
    assert refused(leader, school_id=north.other_school.pk, partnership_id=north.partnership.pk) == [
        (["body", "school_id"], "North Middle is not one of the schools of the partnership North partnership.")
    ]
    # Malformed bodies.
    assert refused(coach, topic_ids=[TOO_BIG]) == [
        (["body", "data", "topic_ids", 0], f"Input should be less than or equal to {MAX_ID}")
    ]
    assert refused(coach, topic_ids="1") == [(["body", "data", "topic_ids"], "Input should be a valid list")]
    assert refused(coach, restricted="maybe") == [
        (["body", "data", "restricted"], "Input should be a valid boolean, unable to interpret input")
    ]
    assert refused(coach, title=42) == [(["body", "data", "title"], "Input should be a valid string")]
    assert refused(coach, title=None) == [(["body", "data", "title"], "Input should be a valid string")]
    assert _errors(_send(coach, "post", POSTS, {})) == [
        (["body", "data", name], "Field required") for name in ("kind", "title", "body")
    ]
    assert _errors(coach.post(POSTS, "", content_type="application/json")) == [(["body", "data"], "Field required")]
    assert coach.post(POSTS, "{not json", content_type="application/json").status_code == 400
    assert counts() == before


def test_staff_find_posts_by_words_kind_status_topic_place_and_their_own(cast: Cast, world: World) -> None:
    north, south = world.inside, world.outside
    question = cast.question(title="Who runs the data day?")
    actions.do_comment(cast.leader, question, "The analysts; ask about dashboards.")
    idea = actions.do_post(
        cast.analyst, "idea", "Shared calendar", "One calendar for all.", partnership=north.partnership
    )
    north_flag = cast.flag(title="Buses late", topics=[topic(SAFETY)])
    south_flag = cast.flag(cast.far_coach, title="No substitutes")
    resolved = cast.flag(cast.colleague, title="Printer out")
    actions.do_acknowledge(cast.leader, resolved)
    actions.do_move_flag(cast.leader, resolved, "resolved", "New toner.")
    cast.flag(cast.far_coach, title="Restricted matter", restricted=True)
    actions.do_me_too(cast.coach, south_flag)
    coach = _client(cast.coach)

    everything = _ok(coach.get(POSTS))
    assert everything["count"] == 5 and (everything["limit"], everything["offset"]) == (50, 0)
    # The latest activity first: the resolved flag moved last.
    assert [p["title"] for p in everything["items"]] == [
        "Printer out",
        "No substitutes",
        "Buses late",
        "Shared calendar",
        "Who runs the data day?",
    ]
    listed = {p["title"]: p for p in everything["items"]}
    assert (listed["Who runs the data day?"]["comment_count"], listed["No substitutes"]["me_too"]) == (1, 1)
    assert _titles(coach, q="dashboards") == ["Who runs the data day?"]  # in a comment
    assert _titles(coach, q="  CALENDAR  one ") == ["Shared calendar"]
    assert _titles(coach, q="calendar buses") == []
    # A NUL character is no part of any word: refused by name, like every list's search.
    assert coach.get(POSTS, {"q": "calen\x00dar"}).json()["detail"][0]["loc"] == ["query", "q"]
    assert _titles(coach, kind="question") == ["Who runs the data day?"]
    assert _titles(coach, kind="flag", status="open_flags") == ["No substitutes", "Buses late"]
    assert _titles(coach, status="resolved") == ["Printer out"]
    assert _titles(coach, topic=topic(SAFETY).pk) == ["Buses late"]
    assert _titles(coach, school=north.school.pk) == ["Printer out", "Buses late"]
    # Posts are the staff's whatever their place: the coach finds the South flag by its region.
    assert _titles(coach, region=south.region.pk) == ["No substitutes"]
    assert _titles(coach, partnership=north.partnership.pk) == ["Shared calendar"]
    assert _titles(coach, mine="true") == ["No substitutes", "Buses late", "Who runs the data day?"]
    assert _titles(coach, unanswered="true") == ["Who runs the data day?"]
    assert _titles(coach, school=987654) == [] and _titles(coach, topic=MAX_ID) == []
    # The leader also finds the restricted flag.
    assert _ok(_client(cast.leader).get(POSTS))["count"] == 6
    assert _titles(_client(cast.leader), q="restricted") == ["Restricted matter"]

    # Pages.
    pages = [_ok(coach.get(POSTS, {"limit": 2, "offset": offset})) for offset in (0, 2, 4, 6)]
    assert [p["count"] for p in pages] == [5, 5, 5, 5]
    assert [[i["title"] for i in p["items"]] for p in pages] == [
        ["Printer out", "No substitutes"],
        ["Buses late", "Shared calendar"],
        ["Who runs the data day?"],
        [],
    ]
    assert (pages[1]["limit"], pages[1]["offset"]) == (2, 2)
    # A comment brings a post back to the top.
    actions.do_comment(cast.analyst, idea, "Yes please.")
    assert _titles(coach, limit=1) == ["Shared calendar"]
    assert north_flag.pk in {p["id"] for p in _ok(coach.get(POSTS))["items"]}


def test_filters_that_mean_nothing_are_refused_by_name(cast: Cast) -> None:
    coach = _client(cast.coach)
    for query, field, message in [
        ({"kind": "poll"}, "kind", "String should match pattern '^(question|idea|flag)$'"),
        ({"kind": ""}, "kind", "String should match pattern '^(question|idea|flag)$'"),
        (
            {"status": "closed"},
            "status",
            "String should match pattern '^(open|raised|acknowledged|in_progress|resolved|escalated|open_flags)$'",
        ),
        ({"topic": "safety"}, "topic", "Input should be a valid integer, unable to parse string as an integer"),
        ({"school": str(TOO_BIG)}, "school", f"Input should be less than or equal to {MAX_ID}"),
        ({"region": "0"}, "region", "Input should be greater than or equal to 1"),
        ({"partnership": "-3"}, "partnership", "Input should be greater than or equal to 1"),
        ({"mine": "maybe"}, "mine", "Input should be a valid boolean, unable to interpret input"),
        ({"unanswered": "2"}, "unanswered", "Input should be a valid boolean, unable to interpret input"),
        ({"q": "x" * 201}, "q", "String should have at most 200 characters"),
        ({"limit": "0"}, "limit", "Input should be greater than or equal to 1"),
        ({"limit": "501"}, "limit", "Input should be less than or equal to 500"),
        ({"offset": "-1"}, "offset", "Input should be greater than or equal to 0"),
    ]:
        assert _errors(coach.get(POSTS, query)) == [(["query", field], message)], query


# -- editing --------------------------------------------------------------------------------------


def test_the_author_edits_their_post_and_only_the_fields_given_change(cast: Cast, world: World) -> None:
    north = world.inside
    flag = cast.flag(title="Buses late", topics=[topic("Coaching")])
    url = f"{POSTS}/{flag.pk}"
    coach = _client(cast.coach)

    edited = _ok(_send(coach, "patch", url, {"title": " Buses later "}))
    assert (edited["title"], edited["body"], edited["school"], edited["region"], edited["topics"]) == (
        "Buses later",
        "The buses came at 9:40 all week.",
        _ref(north.school),
        _ref(north.region),
        [_ref(topic("Coaching"))],
    )
    assert edited["edited_at"] is not None and edited["restricted"] is False
    # The region follows a school or partnership that changes, unless it is given.
    edited = _ok(_send(coach, "patch", url, {"school_id": None}))
    assert (edited["school"], edited["region"]) == (None, None)
    edited = _ok(_send(coach, "patch", url, {"region_id": north.region.pk}))
    assert (edited["school"], edited["region"]) == (None, _ref(north.region))
    edited = _ok(_send(coach, "patch", url, {"partnership_id": north.partnership.pk, "topic_ids": []}))
    assert (edited["partnership"], edited["region"], edited["topics"]) == (
        _ref(north.partnership),
        _ref(north.region),
        [],
    )
    # Mentioning someone new tells them, once.
    for _ in range(2):
        _ok(_send(coach, "patch", url, {"body": "@analyst can you pull the tardies?"}))
    assert Notification.objects.filter(person=cast.analyst, kind="mention").count() == 1
    edited = _ok(_send(coach, "patch", url, {"restricted": True}))
    assert edited["restricted"] is True and edited["mentions"] == [_ref(cast.analyst)]
    assert _client(cast.analyst).get(url).status_code == 404

    # An archived topic stays on the post it is on.
    question = cast.question(topics=[topic("Coaching")])
    Topic.objects.filter(name="Coaching").update(archived=True)
    kept = _ok(_send(coach, "patch", f"{POSTS}/{question.pk}", {"title": "Still about coaching"}))
    assert kept["topics"] == [_ref(topic("Coaching"))]


def test_edits_are_the_authors_alone_and_refused_precisely(cast: Cast, world: World) -> None:
    question = cast.question()
    url = f"{POSTS}/{question.pk}"
    before = counts()
    # Others see the post but it is not theirs to edit: as on its page, there is nothing to edit.
    for person in (cast.leader, cast.admin, cast.director, cast.analyst, cast.colleague):
        response = _send(_client(person), "patch", url, {"title": "Mine"})
        assert (response.status_code, response.json()) == (404, NOT_FOUND), person
    coach = _client(cast.coach)
    for body, loc, message in [
        ({"title": None}, ["body", "title"], "This field cannot be empty."),
        ({"topic_ids": None}, ["body", "topic_ids"], "This field cannot be empty."),
        ({"restricted": None}, ["body", "restricted"], "This field cannot be empty."),
        ({"title": "  "}, ["body", "title"], "Write the title."),
        ({"body": ""}, ["body", "body"], "Write the post."),
        ({"body": "a\x00"}, ["body", "body"], "The post holds a NUL character; paste it as plain text."),
        (
            {"restricted": True},
            ["body", "restricted"],
            "Only a flag can be restricted; questions and ideas are for all staff.",
        ),
        ({"school_id": world.outside.school.pk}, ["body", "school_id"], "No school has this id."),
        ({"region_id": world.outside.region.pk}, ["body", "region_id"], "No region has this id."),
        ({"topic_ids": [987654]}, ["body", "topic_ids"], "No topic has one of these ids."),
        ({"school_id": TOO_BIG}, ["body", "data", "school_id"], f"Input should be less than or equal to {MAX_ID}"),
        (
            {"school_id": "North"},
            ["body", "data", "school_id"],
            "Input should be a valid integer, unable to parse string as an integer",
        ),
    ]:
        assert _errors(_send(coach, "patch", url, body)) == [(loc, message)], body
    Topic.objects.filter(name="Operations").update(archived=True)
    assert _errors(_send(coach, "patch", url, {"topic_ids": [topic("Operations").pk]})) == [
        (["body", "topic_ids"], "That topic is archived; choose another.")
    ]
    assert counts() == before
    # An empty patch changes nothing but is an edit all the same.
    assert _ok(_send(coach, "patch", url, {}))["title"] == question.title


def test_a_post_keeping_an_archived_topic_can_take_a_new_one(cast: Cast) -> None:
    question = cast.question(topics=[topic("Coaching")])
    Topic.objects.filter(name="Coaching").update(archived=True)
    body = {"topic_ids": [topic("Coaching").pk, topic(SAFETY).pk]}
    edited = _ok(_send(_client(cast.coach), "patch", f"{POSTS}/{question.pk}", body))
    assert edited["topics"] == [_ref(topic("Coaching")), _ref(topic(SAFETY))]


# -- the conversation -----------------------------------------------------------------------------


def test_comments_me_too_and_an_accepted_answer(cast: Cast) -> None:
    question = cast.question(title="Who runs the data day?")
    url = f"{POSTS}/{question.pk}"
    leader, analyst, coach = _client(cast.leader), _client(cast.analyst), _client(cast.coach)

    said = _ok(_send(leader, "post", f"{url}/comments", {"body": "  Ask @analyst about it. "}), 201)
    assert (said["post_id"], said["author"], said["body"], said["accepted"], said["edited_at"]) == (
        question.pk,
        _ref(cast.leader),
        "Ask @analyst about it.",
        False,
        None,
    )
    assert said["mentions"] == [_ref(cast.analyst)]
    answer = _ok(_send(analyst, "post", f"{url}/comments", {"body": "I run it: Thursday 9:00."}), 201)
    # The asker heard of both replies; the analyst of the mention only.
    assert [n["kind"] for n in _ok(coach.get(NOTIFICATIONS))["items"]] == ["reply", "reply"]
    assert [n["kind"] for n in _ok(analyst.get(NOTIFICATIONS))["items"]] == ["mention"]

    # "Me too": once each, never on one's own post, taken back at will.
    assert _ok(_send(analyst, "post", f"{url}/me-too")) == {"me_too": 1, "said_me_too": True}
    assert _ok(_send(analyst, "post", f"{url}/me-too")) == {"me_too": 1, "said_me_too": True}
    assert _ok(_send(leader, "post", f"{url}/me-too")) == {"me_too": 2, "said_me_too": True}
    assert _errors(_send(coach, "post", f"{url}/me-too")) == [
        (["body"], "You raised this yourself; others say “me too”.")
    ]
    assert _ok(_send(coach, "delete", f"{url}/me-too")) == {"me_too": 2, "said_me_too": False}
    assert _ok(_send(leader, "delete", f"{url}/me-too")) == {"me_too": 1, "said_me_too": False}
    assert _ok(_send(leader, "delete", f"{url}/me-too")) == {"me_too": 1, "said_me_too": False}
    assert (_ok(analyst.get(url))["said_me_too"], _ok(leader.get(url))["said_me_too"]) == (True, False)
    assert _titles(analyst, mine="true") == ["Who runs the data day?"]

    # The asker accepts the answer; its author is told.
    accepted = _ok(_send(coach, "post", f"{url}/answer", {"comment_id": answer["id"]}))
    assert accepted["accepted_answer_id"] == answer["id"]
    assert [(c["body"], c["accepted"]) for c in accepted["comments"]] == [
        ("Ask @analyst about it.", False),
        ("I run it: Thursday 9:00.", True),
    ]
    assert accepted["me_too"] == 1
    assert [n["kind"] for n in _ok(analyst.get(NOTIFICATIONS))["items"]] == ["answer", "mention"]
    assert _titles(coach, unanswered="true") == []
    # An organization's leader may choose another, and the asker take it back.
    assert _ok(_send(leader, "post", f"{url}/answer", {"comment_id": said["id"]}))["accepted_answer_id"] == said["id"]
    assert _ok(_send(coach, "post", f"{url}/answer", {"comment_id": None}))["accepted_answer_id"] is None
    assert _titles(coach, unanswered="true") == ["Who runs the data day?"]


def test_refusals_in_the_conversation(cast: Cast, world: World) -> None:
    question = cast.question()
    other = cast.question(cast.analyst, title="Another question")
    elsewhere = actions.do_comment(cast.leader, other, "Not an answer to the first.")
    secret = cast.flag(cast.far_coach, title="Secret", restricted=True)
    hidden = actions.do_comment(cast.far_coach, secret, "Only we see this.")
    mine = actions.do_comment(cast.analyst, question, "Try Thursday.")
    flag = cast.flag()
    url = f"{POSTS}/{question.pk}"
    coach = _client(cast.coach)
    # The latest post's id is no comment's: an id of another kind.
    latest = Post.objects.latest("pk").pk
    assert not Comment.objects.filter(pk=latest).exists()
    before = counts()

    for body, loc, message in [
        ({"body": ""}, ["body", "body"], "Write the comment."),
        ({"body": " \n "}, ["body", "body"], "Write the comment."),
        ({"body": "x" * 20_001}, ["body", "body"], "The comment is 20001 characters long; keep it to 20000."),
        ({"body": "\x00"}, ["body", "body"], "The comment holds a NUL character; paste it as plain text."),
        ({}, ["body", "data", "body"], "Field required"),
        ({"body": ["x"]}, ["body", "data", "body"], "Input should be a valid string"),
    ]:
        assert _errors(_send(coach, "post", f"{url}/comments", body)) == [(loc, message)], body

    for comment_id, loc, message in [
        (elsewhere.pk, ["body", "comment_id"], "That comment answers another post."),
        # A comment on a post the asker cannot open is no comment at all.
        (hidden.pk, ["body", "comment_id"], "No comment has this id."),
        (latest, ["body", "comment_id"], "No comment has this id."),
        (TOO_BIG, ["body", "data", "comment_id"], f"Input should be less than or equal to {MAX_ID}"),
        (
            "first",
            ["body", "data", "comment_id"],
            "Input should be a valid integer, unable to parse string as an integer",
        ),
    ]:
        assert _errors(_send(coach, "post", f"{url}/answer", {"comment_id": comment_id})) == [(loc, message)]
    assert _errors(_send(coach, "post", f"{url}/answer", {})) == [(["body", "data", "comment_id"], "Field required")]
    # Only a question has an answer; only the asker or an organization's leader chooses it.
    assert _errors(_send(coach, "post", f"{POSTS}/{flag.pk}/answer", {"comment_id": None})) == [
        (["body"], "Only a question has an accepted answer.")
    ]
    for person in (cast.analyst, cast.director, cast.colleague):
        response = _send(_client(person), "post", f"{url}/answer", {"comment_id": mine.pk})
        assert (response.status_code, response.json()) == (404, NOT_FOUND), person
    assert counts() == before
    assert MeToo.objects.count() == 0


# -- a flag's lifecycle ---------------------------------------------------------------------------


def test_a_leader_acknowledges_a_flag_and_its_owner_moves_it_along(cast: Cast, world: World) -> None:
    flag = cast.flag(title="Buses late")
    url = f"{POSTS}/{flag.pk}"
    director, colleague = _client(cast.director), _client(cast.colleague)
    actions.do_me_too(cast.analyst, flag)

    handed = _ok(_send(director, "post", f"{url}/acknowledge", {"owner_id": cast.colleague.pk}))
    assert (handed["status"], handed["owner"], handed["late"]) == ("acknowledged", _ref(cast.colleague), False)
    assert handed["acknowledged_at"] is not None
    # The author, the new owner and those who said "me too" hear of it.
    told = Notification.objects.filter(kind="status").order_by("person__full_name")
    assert [(n.person, n.text) for n in told] == [
        (cast.analyst, "Regional director handed it to North Partner: “Buses late”"),
        (cast.coach, "Regional director handed it to North Partner: “Buses late”"),
        (cast.colleague, "Regional director handed it to North Partner: “Buses late”"),
    ]

    assert _ok(_send(colleague, "post", f"{url}/status", {"status": "in_progress"}))["status"] == "in_progress"
    assert _errors(_send(colleague, "post", f"{url}/status", {"status": "resolved"})) == [
        (["body", "resolution"], "Write the resolution: what was done.")
    ]
    done = _ok(_send(colleague, "post", f"{url}/status", {"status": "resolved", "resolution": " Moved the bell. "}))
    assert (done["status"], done["resolution"]) == ("resolved", "Moved the bell.")
    assert done["resolved_at"] is not None
    assert _errors(_send(colleague, "post", f"{url}/status", {"status": "acknowledged"})) == [
        (["body", "status"], "A flag that is resolved cannot be marked “acknowledged”.")
    ]
    assert _errors(_send(director, "post", f"{url}/acknowledge", {})) == [
        (["body"], "This flag is resolved; reopen it first.")
    ]
    # A leader over it steps in: back in progress, and taken on by the leader themself.
    reopened = _ok(_send(director, "post", f"{url}/status", {"status": "in_progress"}))
    assert (reopened["status"], reopened["resolved_at"]) == ("in_progress", None)
    taken = _ok(_send(director, "post", f"{url}/acknowledge", {}))
    assert (taken["status"], taken["owner"]) == ("in_progress", _ref(cast.director))
    # The former owner steers it no more.
    response = _send(colleague, "post", f"{url}/status", {"status": "resolved", "resolution": "x"})
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_only_a_leader_over_a_flag_acknowledges_it_and_only_its_owner_or_leaders_move_it(
    cast: Cast, world: World
) -> None:
    north = cast.flag(title="North flag")
    south = cast.flag(cast.far_coach, title="South flag")
    question = cast.question()
    director, leader = _client(cast.director), _client(cast.leader)
    before = counts()

    # The regional director of North does not lead the South flag: it is no flag of theirs to
    # acknowledge, though they read it.
    assert _ok(director.get(f"{POSTS}/{south.pk}"))["title"] == "South flag"
    for person, post in [
        (cast.director, south),
        (cast.coach, north),
        (cast.analyst, north),
        (cast.colleague, north),
        (cast.far_coach, south),
    ]:
        for suffix, body in [("acknowledge", {}), ("status", {"status": "in_progress"})]:
            response = _send(_client(person), "post", f"{POSTS}/{post.pk}/{suffix}", body)
            assert (response.status_code, response.json()) == (404, NOT_FOUND), (person, post, suffix)

    url = f"{POSTS}/{north.pk}/acknowledge"
    for owner_id, loc, message in [
        (
            cast.teacher.pk,
            ["body", "owner_id"],
            "Teacher is not on the staff; choose someone who can take the flag on.",
        ),
        # Someone the director does not reach is refused exactly like nobody.
        (cast.far_coach.pk, ["body", "owner_id"], "No person has this id."),
        (987654, ["body", "owner_id"], "No person has this id."),
        (TOO_BIG, ["body", "data", "owner_id"], f"Input should be less than or equal to {MAX_ID}"),
        ("me", ["body", "data", "owner_id"], "Input should be a valid integer, unable to parse string as an integer"),
    ]:
        assert _errors(_send(director, "post", url, {"owner_id": owner_id})) == [(loc, message)], owner_id
    assert _errors(_send(leader, "post", f"{POSTS}/{question.pk}/acknowledge", {})) == [
        (["body"], "Only a flag has an owner and a status.")
    ]
    assert _errors(_send(leader, "post", f"{POSTS}/{question.pk}/status", {"status": "resolved"})) == [
        (["body"], "Only a flag has an owner and a status.")
    ]
    for status, loc, message in [
        ("in_progress", ["body", "status"], "A flag that is raised cannot be marked “in progress”."),
        ("raised", ["body", "data", "status"], "String should match pattern '^(acknowledged|in_progress|resolved)$'"),
        (
            "escalated",
            ["body", "data", "status"],
            "String should match pattern '^(acknowledged|in_progress|resolved)$'",
        ),
        (None, ["body", "data", "status"], "Input should be a valid string"),
    ]:
        assert _errors(_send(leader, "post", f"{POSTS}/{north.pk}/status", {"status": status})) == [(loc, message)]
    assert _errors(_send(leader, "post", f"{POSTS}/{north.pk}/status", {})) == [
        (["body", "data", "status"], "Field required")
    ]
    assert counts() == before
    # The organization's leaders lead every flag.
    assert _ok(_send(leader, "post", f"{POSTS}/{south.pk}/acknowledge", {}))["owner"] == _ref(cast.leader)


def test_a_flag_is_escalated_to_a_cycle_or_a_team_and_linked_both_ways(cast: Cast, world: World) -> None:
    cycle = _cycle(world.inside)
    team = _team(world, world.inside)
    flag = cast.flag(title="Chronic absence")
    url = f"{POSTS}/{flag.pk}"
    director = _client(cast.director)

    escalated = _ok(
        _send(director, "post", f"{url}/escalations", {"to": "cycle", "cycle_id": cycle.pk, "note": " Needs a plan "}),
        201,
    )
    assert (escalated["status"], escalated["owner"]) == ("escalated", _ref(cast.director))
    (row,) = escalated["escalations"]
    assert (row["to"], row["target_id"], row["target"], row["url"], row["note"], row["by"]) == (
        "cycle",
        cycle.pk,
        cycle.title,
        f"/cycles/{cycle.pk}/",
        "Needs a plan",
        _ref(cast.director),
    )
    assert [link.target for link in CycleLink.objects.filter(cycle=cycle, relation="started_from")] == [flag]
    # The coach leads at the school and opens the cycle; the analyst reads only that there is one.
    assert _ok(_client(cast.coach).get(url))["escalations"][0]["url"] == row["url"]
    unseen = _ok(_client(cast.analyst).get(url))["escalations"][0]
    assert (unseen["target_id"], unseen["target"], unseen["url"]) == (None, "a cycle of inquiry you cannot open", None)

    assert _errors(_send(director, "post", f"{url}/escalations", {"to": "cycle", "cycle_id": cycle.pk})) == [
        (["body"], "This flag is already escalated there.")
    ]
    to_team = _ok(_send(director, "post", f"{url}/escalations", {"to": "planning_team", "team_id": team.pk}), 201)
    assert [(e["to"], e["target_id"], e["target"], e["url"]) for e in to_team["escalations"]] == [
        ("cycle", cycle.pk, cycle.title, f"/cycles/{cycle.pk}/"),
        ("planning_team", team.pk, "North region working group", None),
    ]
    # When the cycle has dealt with it, the flag is resolved.
    done = {"status": "resolved", "resolution": "The cycle's plan works."}
    assert _ok(_send(director, "post", f"{url}/status", done))["status"] == "resolved"
    assert _errors(_send(director, "post", f"{url}/escalations", {"to": "working_group", "team_id": team.pk})) == [
        (["body"], "This flag is resolved; reopen it to escalate it.")
    ]


def test_refusals_on_escalating_a_flag(cast: Cast, world: World) -> None:
    north, south = world.inside, world.outside
    cycle = _cycle(north)
    closed = _cycle(north, title="Last year's cycle")
    Cycle.objects.filter(pk=closed.pk).update(status=Cycle.Status.CLOSED)
    far_cycle = _cycle(south)
    team, far_team = _team(world, north), _team(world, south)
    flag = cast.flag()
    url = f"{POSTS}/{flag.pk}/escalations"
    director = _client(cast.director)
    # A person's id is no cycle's: an id of another kind.
    assert not Cycle.objects.filter(pk=cast.teacher.pk).exists()
    before = counts()

    for body, loc, message in [
        (
            {"to": "committee", "team_id": team.pk},
            ["body", "data", "to"],
            "String should match pattern '^(cycle|working_group|planning_team)$'",
        ),
        ({"to": "cycle"}, ["body", "cycle_id"], "Choose the cycle of inquiry."),
        ({"to": "working_group"}, ["body", "team_id"], "Choose the team."),
        (
            {"to": "cycle", "cycle_id": cycle.pk, "team_id": team.pk},
            ["body", "team_id"],
            "A cycle of inquiry is chosen by cycle_id; leave team_id out.",
        ),
        (
            {"to": "planning_team", "team_id": team.pk, "cycle_id": cycle.pk},
            ["body", "cycle_id"],
            "A planning team is chosen by team_id; leave cycle_id out.",
        ),
        ({"to": "cycle", "cycle_id": far_cycle.pk}, ["body", "cycle_id"], "No cycle has this id."),
        ({"to": "cycle", "cycle_id": cast.teacher.pk}, ["body", "cycle_id"], "No cycle has this id."),
        (
            {"to": "cycle", "cycle_id": closed.pk},
            ["body", "cycle_id"],
            "Escalate to an active cycle you work on, or start a new one.",
        ),
        (
            {"to": "cycle", "cycle_id": TOO_BIG},
            ["body", "data", "cycle_id"],
            f"Input should be less than or equal to {MAX_ID}",
        ),
        ({"to": "working_group", "team_id": far_team.pk}, ["body", "team_id"], "No team has this id."),
        (
            {"to": "working_group", "team_id": "North"},
            ["body", "data", "team_id"],
            "Input should be a valid integer, unable to parse string as an integer",
        ),
        (
            {"to": "working_group", "team_id": team.pk, "note": "a\x00b"},
            ["body", "note"],
            "The note holds a NUL character; paste it as plain text.",
        ),
        (
            {"to": "working_group", "team_id": team.pk, "note": "x" * 5_001},
            ["body", "data", "note"],
            "String should have at most 5000 characters",
        ),
        ({"team_id": team.pk}, ["body", "data", "to"], "Field required"),
    ]:
        assert _errors(_send(director, "post", url, body)) == [(loc, message)], body
    # Escalating is for the flag's owner or a leader over it.
    for person in (cast.coach, cast.analyst, cast.colleague):
        response = _send(_client(person), "post", url, {"to": "working_group", "team_id": team.pk})
        assert (response.status_code, response.json()) == (404, NOT_FOUND), person
    assert counts() == before
    # The organization's leaders reach every team and every cycle but individual ones.
    leader = _client(cast.leader)
    _ok(_send(leader, "post", url, {"to": "working_group", "team_id": far_team.pk}), 201)
    assert _ok(_send(leader, "post", url, {"to": "cycle", "cycle_id": far_cycle.pk}), 201)["status"] == "escalated"


# -- the andon board ------------------------------------------------------------------------------


def test_the_board_shows_each_leader_the_flags_they_lead(cast: Cast, world: World) -> None:
    late = actions.do_post(cast.coach, "flag", "Late", "x", school=world.inside.school, now=ago(hours=30))
    fresh_flag = cast.flag(title="Fresh")
    south = cast.flag(cast.far_coach, title="South")
    hidden = actions.do_post(cast.colleague, "flag", "Hidden", "x", school=world.inside.school, restricted=True)
    aged = actions.do_post(cast.coach, "flag", "Aged", "x", school=world.inside.school, now=ago(days=20))
    actions.do_acknowledge(cast.director, aged)
    cast.question()

    board = _ok(_client(cast.director).get(BOARD))
    assert [p["title"] for p in board["unacknowledged"]] == ["Late", "Fresh"]
    assert [p["late"] for p in board["unacknowledged"]] == [True, False]
    assert board["late"] == 1
    assert [(p["title"], p["status"], p["owner"]) for p in board["aging"]] == [
        ("Aged", "acknowledged", _ref(cast.director))
    ]
    board = _ok(_client(cast.leader).get(BOARD))
    assert [p["title"] for p in board["unacknowledged"]] == ["Late", "Fresh", "South", "Hidden"]
    assert (board["late"], [p["title"] for p in board["aging"]]) == (1, ["Aged"])
    assert _ok(_client(cast.admin).get(BOARD))["unacknowledged"][3]["restricted"] is True
    # Those who acknowledge nothing have no board.
    for person in (cast.coach, cast.analyst, cast.colleague):
        response = _client(person).get(BOARD)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), person
    assert {late.pk, fresh_flag.pk, south.pk, hidden.pk} == {p.pk for p in Post.objects.filter(status="raised")}


# -- notifications and topics ---------------------------------------------------------------------


def test_notifications_unread_first_marked_read_by_id_or_all(cast: Cast, world: World) -> None:
    flag = cast.flag(title="Buses late")
    actions.do_comment(cast.leader, flag, "Looking.")
    actions.do_comment(cast.analyst, flag, "Same at North Middle.")
    actions.do_acknowledge(cast.director, flag)
    actions.do_post(cast.director, "idea", "Ask @analyst", "@analyst pull the tardies?")
    coach = _client(cast.coach)

    found = _ok(coach.get(NOTIFICATIONS))
    assert [(n["kind"], n["actor"]["name"]) for n in found["items"]] == [
        ("status", "Regional director"),
        ("reply", "Analyst"),
        ("reply", "National leader"),
    ]
    assert found["items"][0]["text"] == "Regional director acknowledged it: “Buses late”"
    newest, middle, oldest = (n["id"] for n in found["items"])
    assert _ok(_send(coach, "post", f"{NOTIFICATIONS}/read", {"ids": [middle, middle]})) == {"marked": 1}
    assert _ok(_send(coach, "post", f"{NOTIFICATIONS}/read", {"ids": [middle]})) == {"marked": 0}
    assert [n["id"] for n in _ok(coach.get(NOTIFICATIONS))["items"]] == [newest, oldest, middle]
    assert [n["id"] for n in _ok(coach.get(NOTIFICATIONS, {"unread": "true"}))["items"]] == [newest, oldest]
    read = _ok(coach.get(NOTIFICATIONS, {"unread": "false"}))["items"]
    assert [n["id"] for n in read] == [middle] and read[0]["read_at"] is not None
    page = _ok(coach.get(NOTIFICATIONS, {"limit": 1, "offset": 1}))
    assert (page["count"], [n["id"] for n in page["items"]]) == (3, [oldest])

    # Someone else's notification is no notification of the caller's.
    theirs = Notification.objects.get(person=cast.analyst).pk
    before = counts()
    for ids, loc, message in [
        ([newest, theirs], ["body", "ids"], "No notification of yours has one of these ids."),
        ([987654], ["body", "ids"], "No notification of yours has one of these ids."),
        ([TOO_BIG], ["body", "data", "ids", 0], f"Input should be less than or equal to {MAX_ID}"),
        ([0], ["body", "data", "ids", 0], "Input should be greater than or equal to 1"),
        (str(newest), ["body", "data", "ids"], "Input should be a valid list"),
    ]:
        assert _errors(_send(coach, "post", f"{NOTIFICATIONS}/read", {"ids": ids})) == [(loc, message)], ids
    assert _errors(coach.get(NOTIFICATIONS, {"unread": "yes please"})) == [
        (["query", "unread"], "Input should be a valid boolean, unable to interpret input")
    ]
    assert counts() == before
    assert _ok(_send(coach, "post", f"{NOTIFICATIONS}/read", {"ids": []})) == {"marked": 0}
    assert _ok(_send(coach, "post", f"{NOTIFICATIONS}/read")) == {"marked": 2}
    assert _ok(coach.get(NOTIFICATIONS, {"unread": "true"}))["count"] == 0
    assert Notification.objects.get(pk=theirs).read_at is None


def test_a_notification_on_a_post_the_caller_can_no_longer_open_is_gone(cast: Cast) -> None:
    secret = cast.flag(cast.far_coach, title="Secret", restricted=True)
    actions.do_acknowledge(cast.leader, secret, owner=cast.coach)
    coach = _client(cast.coach)
    (told,) = _ok(coach.get(NOTIFICATIONS))["items"]
    assert (told["post_id"], told["text"]) == (secret.pk, "National leader handed it to Coach / partner: “Secret”")
    actions.do_acknowledge(cast.leader, secret, owner=cast.director)
    assert _ok(coach.get(NOTIFICATIONS))["count"] == 0
    assert _errors(_send(coach, "post", f"{NOTIFICATIONS}/read", {"ids": [told["id"]]})) == [
        (["body", "ids"], "No notification of yours has one of these ids.")
    ]


def test_topics_in_use_and_archived(cast: Cast) -> None:
    Topic.objects.filter(name="Operations").update(archived=True)
    analyst = _client(cast.analyst)
    in_use = _ok(analyst.get(TOPICS))
    assert in_use["count"] == 6
    assert [(t["name"], t["acknowledge_hours"], t["archived"]) for t in in_use["items"][:2]] == [
        ("Coaching", None, False),
        ("Learning spaces", None, False),
    ]
    assert {t["name"]: t["acknowledge_hours"] for t in in_use["items"]}[SAFETY] == 4
    archived = _ok(analyst.get(TOPICS, {"archived": "true"}))
    assert [(t["name"], t["archived"]) for t in archived["items"]] == [("Operations", True)]
    assert _ok(analyst.get(TOPICS, {"archived": "false", "limit": 2, "offset": 5}))["items"][0]["name"] == SAFETY
    assert _errors(analyst.get(TOPICS, {"archived": "sometimes"})) == [
        (["query", "archived"], "Input should be a valid boolean, unable to interpret input")
    ]
