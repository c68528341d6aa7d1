"""The practice library API: a library that does not exist for funders, drafts that answer exactly
like missing practices to all but their author and the editors, the same search as the library's
page, writing and publishing, "we tried this" reports for a school within reach only, refusals that
say exactly what is wrong and write nothing, comments and research, the cycles behind a practice
whose outcomes never name a cycle the reader cannot open, tags, and "schools like mine"."""

import datetime
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.core.forms import MAX_ID
from tandem.inquiry.actions import do_start_cycle
from tandem.inquiry.models import Cycle, CycleLink, Template
from tandem.inquiry.visibility import visible_cycles
from tandem.network.models import Cohort, Member
from tandem.orgs.models import Person
from tandem.practices import actions
from tandem.practices.models import Citation, Comment, Practice, Tag, Trial
from tandem.practices.search import Filters, find
from tests.practices.helpers import editor, practice, tried
from tests.world import World

pytestmark = pytest.mark.django_db

BASE = "/api/v1/practices"
TAGS = "/api/v1/practice-tags"
NOT_FOUND = {"detail": "Not found."}
TOO_BIG = MAX_ID + 1
# Everyone the library is open to: everyone signed in but the funders.
READERS = [r for r in Role if r != Role.FUNDER]


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


def _missing(response: Any) -> None:
    assert (response.status_code, response.json()) == (404, NOT_FOUND), response.content


def _ids(client: Client, query: dict[str, Any] | list[tuple[str, Any]]) -> list[int]:
    return [p["id"] for p in _ok(client.get(BASE, query))["items"]]


def _report(school_id: int, **extra: Any) -> dict[str, Any]:
    return {"school_id": school_id, "school_year": 2026, "result": "improved", "story": "We ran it.", **extra}


# -- who reads the library ------------------------------------------------------------------------


def test_funders_find_no_library_anywhere(world: World) -> None:
    p = practice(world, "Guided reading groups", tags=["Reading"])
    trial = tried(world, p, world.inside.school)
    comment = actions.do_comment(editor(world), p, "Good.")
    funder = _client(world.people[Role.FUNDER])
    for url in (BASE, f"{BASE}/{p.pk}", TAGS, f"/api/v1/schools/{world.inside.school.pk}/like-mine"):
        _missing(funder.get(url))
    _missing(_send(funder, "post", BASE, {"title": "Mine"}))
    _missing(_send(funder, "patch", f"{BASE}/{p.pk}", {"title": "Mine"}))
    _missing(_send(funder, "post", f"{BASE}/{p.pk}/trials", _report(world.inside.school.pk)))
    _missing(_send(funder, "post", f"{BASE}/{p.pk}/comments", {"body": "Hello"}))
    _missing(_send(funder, "delete", f"{BASE}/{p.pk}/trials/{trial.pk}"))
    _missing(_send(funder, "delete", f"{BASE}/{p.pk}/comments/{comment.pk}"))
    assert (Practice.objects.count(), Trial.objects.count(), Comment.objects.count()) == (1, 1, 1)
    assert Client().get(BASE).status_code == 401


@pytest.mark.parametrize("role", READERS)
def test_every_reader_finds_the_published_library(world: World, role: Role) -> None:
    p = practice(world, "Guided reading groups")
    assert _ids(_client(world.people[role]), {}) == [p.pk]
    assert _ok(_client(world.people[role]).get(f"{BASE}/{p.pk}"))["title"] == "Guided reading groups"


def test_a_draft_answers_exactly_like_a_missing_practice(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    draft = practice(world, "Our draft", author=principal, publish=False)
    assert _ok(_client(principal).get(f"{BASE}/{draft.pk}"))["status"] == "draft"
    assert _ok(_client(editor(world)).get(f"{BASE}/{draft.pk}"))["status"] == "draft"
    assert _ids(_client(principal), {"status": "draft"}) == [draft.pk]
    for role in (Role.TEACHER, Role.COACH, Role.NETWORK_MEMBER, Role.REGIONAL_DIRECTOR, Role.DISTRICT_LEADER):
        client = _client(world.people[role])
        assert _ids(client, {}) == [] and _ids(client, {"status": "draft"}) == []
        for practice_id in (draft.pk, 987654, MAX_ID, TOO_BIG, 0, -1):
            _missing(client.get(f"{BASE}/{practice_id}"))
        _missing(_send(client, "post", f"{BASE}/{draft.pk}/comments", {"body": "Seen it"}))
        _missing(_send(client, "post", f"{BASE}/{draft.pk}/trials", _report(world.inside.school.pk)))
    assert not Comment.objects.exists() and not Trial.objects.exists()


# -- search -------------------------------------------------------------------------------------------


def test_the_api_finds_what_the_library_search_finds(world: World) -> None:
    el = StudentGroup.objects.get(code="160")  # English learners
    reading = practice(
        world, "Guided reading groups", tags=["Reading", "Small groups"], evidence="promising", how="Leveled texts."
    )
    talks = practice(world, "Math talks", tags=["Math"], evidence="strong", summary="Number talks open every lesson.")
    buddies = practice(world, "Reading buddies", tags=["Reading"], how="Older students read with younger ones.")
    own_draft = practice(world, "Reading nights draft", tags=["Reading"], author=world.people[Role.PRINCIPAL])
    actions.do_publish(editor(world), own_draft, unpublish=True)
    tried(world, reading, world.inside.school, grades=["2", "3"], groups=["160"], result="improved")
    tried(world, talks, world.outside.school, grades=["3"], result="mixed")
    tried(world, buddies, world.outside.other_school, grades=["7"], result="improved")
    principal = world.people[Role.PRINCIPAL]
    scope = scope_for(principal)
    client = _client(principal)
    cases: list[tuple[list[tuple[str, Any]], Filters]] = [
        ([], Filters()),
        ([("q", "reading")], Filters(q="reading")),
        ([("q", "reading -buddies")], Filters(q="reading -buddies")),
        ([("tag", "reading")], Filters(tags=["reading"])),
        ([("tag", "reading"), ("tag", "small-groups")], Filters(tags=["reading", "small-groups"])),
        ([("evidence", "strong"), ("evidence", "promising")], Filters(evidence=["strong", "promising"])),
        ([("school", world.outside.school.pk)], Filters(school=world.outside.school.pk)),
        ([("like_school", world.inside.school.pk)], Filters(like_school=world.inside.school.pk)),
        ([("grade", "3")], Filters(grade="3")),
        ([("grade", "3"), ("result", "improved")], Filters(grade="3", result="improved")),
        ([("group", el.pk)], Filters(group=el.pk)),
        ([("status", "draft")], Filters(status="draft")),
        ([("mine", "true")], Filters(mine=True)),
        ([("sort", "title")], Filters(sort="title")),
        ([("sort", "most_tried"), ("tag", "reading")], Filters(sort="most_tried", tags=["reading"])),
    ]
    for query, filters in cases:
        expected = [p.pk for p in find(scope, filters)]
        assert _ids(client, query) == expected, query
    # The cases above mean something: each filter narrows the library.
    assert _ids(client, [("tag", "reading")]) == [p.pk for p in find(scope, Filters(tags=["reading"]))]
    assert set(_ids(client, [("grade", "3")])) == {reading.pk, talks.pk}
    assert _ids(client, [("like_school", world.inside.school.pk)]) == [talks.pk]
    assert _ids(client, [("status", "draft")]) == [own_draft.pk]
    assert own_draft.pk not in _ids(_client(world.people[Role.TEACHER]), [("tag", "reading")])


def test_a_search_for_words_answers_relevance_and_paging(world: World) -> None:
    practice(
        world, "Coaching conversations", how="A coach and a teacher meet after each observation.", tags=["Coaching"]
    )
    practice(world, "Weekly data meetings", how="Teachers bring running records to a coaching conversation.")
    practice(world, "Family reading nights", how="Families read with their children at school.")
    client = _client(world.people[Role.TEACHER])
    found = _ok(client.get(BASE, {"q": "coaching"}))
    assert found["count"] == 2
    assert [p["title"] for p in found["items"]] == ["Coaching conversations", "Weekly data meetings"]
    first, second = found["items"]
    assert first["relevance"] > second["relevance"]
    assert first["tags"] == [{"name": "Coaching", "slug": "coaching"}]
    assert set(first) == {
        "id",
        "title",
        "summary",
        "evidence",
        "status",
        "url",
        "tags",
        "n_schools",
        "updated_at",
        "relevance",
    }
    assert all(p["relevance"] is None for p in _ok(client.get(BASE))["items"])
    page = _ok(client.get(BASE, {"q": "coaching", "limit": 1, "offset": 1}))
    assert (page["count"], [p["title"] for p in page["items"]]) == (2, ["Weekly data meetings"])


@pytest.mark.parametrize(
    "query, loc",
    [
        ({"q": "reading\x00"}, ["query", "q"]),
        ({"q": "x" * 301}, ["query", "q"]),
        ({"school": TOO_BIG}, ["query", "school"]),
        ({"like_school": TOO_BIG}, ["query", "like_school"]),
        ({"group": 0}, ["query", "group"]),
        ({"grade": "13"}, ["query", "grade"]),
        ({"result": "great"}, ["query", "result"]),
        ({"evidence": "tier 9"}, ["query", "filters", "evidence", 0]),
        ({"tag": "reading\x00"}, ["query", "filters", "tag", 0]),
        ({"status": "archived"}, ["query", "status"]),
        ({"sort": "random"}, ["query", "sort"]),
        ({"limit": 0}, ["query", "limit"]),
    ],
)
def test_bad_searches_are_refused_precisely(world: World, query: dict[str, Any], loc: list[Any]) -> None:
    response = _client(world.people[Role.TEACHER]).get(BASE, query)
    assert response.status_code == 422, response.content
    assert [e["loc"] for e in response.json()["detail"]] == [loc]


def test_tags_count_the_practices_the_caller_sees(world: World) -> None:
    practice(world, "Guided reading groups", tags=["Reading"])
    practice(world, "Reading buddies", tags=["Reading", "Peers"])
    practice(world, "Secret draft", tags=["Reading", "Hidden"], author=world.people[Role.PRINCIPAL], publish=False)
    teacher = _ok(_client(world.people[Role.TEACHER]).get(TAGS))
    assert teacher["items"] == [
        {"name": "Reading", "slug": "reading", "practices": 2},
        {"name": "Peers", "slug": "peers", "practices": 1},
    ]
    leader = _ok(_client(editor(world)).get(TAGS))
    assert leader["items"][0] == {"name": "Reading", "slug": "reading", "practices": 3}
    assert {t["slug"] for t in leader["items"]} == {"reading", "peers", "hidden"}


# -- writing and publishing -----------------------------------------------------------------------


def test_a_principal_writes_a_draft_and_an_editor_publishes_it(world: World) -> None:
    principal, teacher = world.people[Role.PRINCIPAL], world.people[Role.TEACHER]
    mine = _client(principal)
    created = _ok(
        _send(
            mine,
            "post",
            BASE,
            {
                "title": "  Data chats with students ",
                "summary": "Students set goals from their own results.",
                "evidence": "promising",
                "contact_id": teacher.pk,
                "tags": ["Student agency", "goal setting", "student AGENCY"],
            },
        ),
        201,
    )
    p = Practice.objects.get()
    assert created["id"] == p.pk and created["title"] == "Data chats with students"
    assert (created["status"], created["author"], created["contact"]) == (
        "draft",
        {"id": principal.pk, "name": principal.full_name},
        {"id": teacher.pk, "name": teacher.full_name},
    )
    assert sorted(t["slug"] for t in created["tags"]) == ["goal-setting", "student-agency"]
    assert created["may_edit"] and not created["may_publish"]
    # Nobody else changes it; the author does, field by field.
    _missing(_send(_client(teacher), "patch", f"{BASE}/{p.pk}", {"title": "Hijacked"}))
    changed = _ok(_send(mine, "patch", f"{BASE}/{p.pk}", {"problem": "Students do not know where they stand."}))
    assert changed["title"] == "Data chats with students" and changed["problem"].startswith("Students do not")
    assert _ok(_send(mine, "patch", f"{BASE}/{p.pk}", {"contact_id": None}))["contact"] is None
    # Only the editors publish: to the author the operation is not there.
    _missing(_send(mine, "post", f"{BASE}/{p.pk}/publish"))
    ed = _client(editor(world))
    assert _errors(_send(ed, "post", f"{BASE}/{p.pk}/publish")) == [(["body"], "Write how to do it before publishing.")]
    _ok(_send(mine, "patch", f"{BASE}/{p.pk}", {"how": "Monthly five-minute conferences.", "tags": ["Agency"]}))
    published = _ok(_send(ed, "post", f"{BASE}/{p.pk}/publish"))
    assert published["status"] == "published" and published["published_at"] is not None
    assert [t["name"] for t in published["tags"]] == ["Agency"]
    assert _ids(_client(teacher), {}) == [p.pk]
    assert _errors(_send(ed, "post", f"{BASE}/{p.pk}/publish")) == [(["body"], "This practice is already published.")]
    # A published practice is deleted by the editors only.
    assert _errors(_send(mine, "delete", f"{BASE}/{p.pk}")) == [
        (["body"], "A published practice is removed by the library's editors; ask them, or edit it.")
    ]
    assert _ok(_send(ed, "post", f"{BASE}/{p.pk}/unpublish"))["status"] == "draft"
    _missing(_client(teacher).get(f"{BASE}/{p.pk}"))
    assert _send(mine, "delete", f"{BASE}/{p.pk}").status_code == 204
    assert not Practice.objects.exists()


@pytest.mark.parametrize(
    "body, errors",
    [
        ({"title": "   "}, [(["body", "title"], "Give the practice a title.")]),
        ({}, [(["body", "data", "title"], "Field required")]),
        ({"title": "x" * 201}, [(["body", "title"], "Ensure this value has at most 200 characters (it has 201).")]),
        ({"title": "Tier", "evidence": "tier 9"}, [(["body", "evidence"], "Value 'tier 9' is not a valid choice.")]),
        ({"title": "Nul\x00"}, [(["body", "title"], "The title holds a NUL character; paste it as plain text.")]),
        (
            {"title": "Ok", "how": "a\x00b"},
            [(["body", "how"], "The how to do it holds a NUL character; paste it as plain text.")],
        ),
        (
            {"title": "Ok", "tags": ["a\x00"]},
            [(["body", "tags"], "The tag list holds a NUL character; paste it as plain text.")],
        ),
        (
            {"title": "Tags galore", "tags": [f"t{i}" for i in range(13)]},
            [(["body", "tags"], "A practice takes at most 12 tags; 13 were given.")],
        ),
        ({"title": "Ok", "contact_id": 987654}, [(["body", "contact_id"], "No person has this id.")]),
        (
            {"title": "Ok", "contact_id": TOO_BIG},
            [(["body", "data", "contact_id"], f"Input should be less than or equal to {MAX_ID}")],
        ),
    ],
)
def test_bad_practices_are_refused_precisely_and_write_nothing(
    world: World, body: dict[str, Any], errors: list[tuple[list[Any], str]]
) -> None:
    assert _errors(_send(_client(world.people[Role.PRINCIPAL]), "post", BASE, body)) == errors
    assert not Practice.objects.exists() and not Tag.objects.exists()


def test_a_contact_out_of_reach_is_refused_like_a_missing_one(world: World) -> None:
    p = practice(world, "Guided reading groups", author=world.people[Role.PRINCIPAL])
    mine = _client(world.people[Role.PRINCIPAL])
    for contact in (world.outside.principal.pk, 987654):
        assert _errors(_send(mine, "patch", f"{BASE}/{p.pk}", {"contact_id": contact})) == [
            (["body", "contact_id"], "No person has this id.")
        ]
    assert _errors(_send(mine, "patch", f"{BASE}/{p.pk}", {"title": None})) == [
        (["body", "title"], "This field cannot be empty.")
    ]
    p.refresh_from_db()
    assert p.contact is None and p.title == "Guided reading groups"


# -- we tried this --------------------------------------------------------------------------------------


def test_we_tried_this_is_filed_for_a_school_within_reach(world: World) -> None:
    p = practice(world, "Guided reading groups")
    member = world.people[Role.NETWORK_MEMBER]
    group = StudentGroup.objects.get(code="31")
    body = _report(world.inside.school.pk, grades=["3", "K", "2"], group_ids=[group.pk], story="  Second grade first. ")
    trial = _ok(_send(_client(member), "post", f"{BASE}/{p.pk}/trials", body), 201)
    stored = Trial.objects.get()
    assert trial == {
        "id": stored.pk,
        "kind": "report",
        "school": {"id": world.inside.school.pk, "name": "North Elementary"},
        "school_year": 2026,
        "grades": ["K", "2", "3"],
        "groups": [{"id": group.pk, "name": group.label}],
        "result": "improved",
        "story": "Second grade first.",
        "reported_by": {"id": member.pk, "name": member.full_name},
        "created_at": trial["created_at"],
        "may_remove": True,
    }
    detail = _ok(_client(world.people[Role.TEACHER]).get(f"{BASE}/{p.pk}"))
    assert detail["n_schools"] == 1 and detail["trials"][0]["id"] == stored.pk
    assert detail["trials"][0]["may_remove"] is False


def test_we_tried_this_for_a_school_out_of_reach_is_refused_like_a_missing_school(world: World) -> None:
    p = practice(world, "Guided reading groups")
    member = _client(world.people[Role.NETWORK_MEMBER])
    for school_id in (world.outside.school.pk, world.inside.other_school.pk, 987654):
        assert _errors(_send(member, "post", f"{BASE}/{p.pk}/trials", _report(school_id))) == [
            (["body", "school_id"], "No school has this id.")
        ]
    assert not Trial.objects.exists()


@pytest.mark.parametrize(
    "change, errors",
    [
        (
            {"grades": ["13"]},
            [(["body", "grades"], "Unknown grade '13': use TK, K, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12.")],
        ),
        (
            {"result": "great"},
            [
                (
                    ["body", "result"],
                    "Choose a result: It worked: results improved, Mixed results, No change, Too early to tell.",
                )
            ],
        ),
        ({"story": None}, [(["body", "data", "story"], "Field required")]),
        ({"story": "   "}, [(["body", "story"], "Write what you did and what happened.")]),
        ({"story": "a\x00b"}, [(["body", "story"], "The story holds a NUL character; paste it as plain text.")]),
        ({"story": "x" * 20_001}, [(["body", "data", "story"], "String should have at most 20000 characters")]),
        ({"school_year": 1850}, [(["body", "school_year"], "Give a school year from 1990–91 to 2099–00.")]),
        ({"school_id": TOO_BIG}, [(["body", "data", "school_id"], f"Input should be less than or equal to {MAX_ID}")]),
        (
            {"group_ids": [TOO_BIG]},
            [(["body", "data", "group_ids", 0], f"Input should be less than or equal to {MAX_ID}")],
        ),
        ({"group_ids": [987654]}, [(["body", "group_ids"], "No student group has one of these ids.")]),
    ],
)
def test_bad_reports_are_refused_precisely_and_write_nothing(
    world: World, change: dict[str, Any], errors: list[tuple[list[Any], str]]
) -> None:
    p = practice(world, "Guided reading groups")
    body = {k: v for k, v in {**_report(world.inside.school.pk), **change}.items() if v is not None}
    assert _errors(_send(_client(world.people[Role.PRINCIPAL]), "post", f"{BASE}/{p.pk}/trials", body)) == errors
    assert not Trial.objects.exists()


def test_the_same_report_twice_is_refused(world: World) -> None:
    p = practice(world, "Guided reading groups")
    principal = _client(world.people[Role.PRINCIPAL])
    _ok(_send(principal, "post", f"{BASE}/{p.pk}/trials", _report(world.inside.school.pk)), 201)
    assert _errors(_send(principal, "post", f"{BASE}/{p.pk}/trials", _report(world.inside.school.pk))) == [
        (["body", "school_id"], "You have already reported this school and year; remove that report to file it again.")
    ]
    assert Trial.objects.count() == 1


def test_a_report_is_removed_by_its_reporter_and_the_editors_only(world: World) -> None:
    p = practice(world, "Guided reading groups")
    trial = tried(world, p, world.inside.school, by=world.people[Role.PRINCIPAL])
    other = tried(world, p, world.inside.school, year=2025, by=world.people[Role.PRINCIPAL])
    url = f"{BASE}/{p.pk}/trials"
    for role in (Role.TEACHER, Role.NETWORK_MEMBER, Role.REGIONAL_DIRECTOR):
        _missing(_send(_client(world.people[role]), "delete", f"{url}/{trial.pk}"))
    _missing(_send(_client(world.people[Role.PRINCIPAL]), "delete", f"{url}/{TOO_BIG}"))
    assert _send(_client(world.people[Role.PRINCIPAL]), "delete", f"{url}/{trial.pk}").status_code == 204
    assert _send(_client(editor(world)), "delete", f"{url}/{other.pk}").status_code == 204
    assert not Trial.objects.exists()


# -- comments, research, attachments --------------------------------------------------------------


def test_comments_are_removed_by_their_author_and_the_editors(world: World) -> None:
    p = practice(world, "Guided reading groups")
    teacher, coach = _client(world.people[Role.TEACHER]), _client(world.people[Role.COACH])
    comment = _ok(_send(teacher, "post", f"{BASE}/{p.pk}/comments", {"body": " We loved it. "}), 201)
    assert comment["body"] == "We loved it."
    assert _errors(_send(teacher, "post", f"{BASE}/{p.pk}/comments", {"body": "  "})) == [
        (["body", "body"], "Write the comment.")
    ]
    assert _errors(_send(teacher, "post", f"{BASE}/{p.pk}/comments", {"body": "\x00"})) == [
        (["body", "body"], "The comment holds a NUL character; paste it as plain text.")
    ]
    _missing(_send(coach, "delete", f"{BASE}/{p.pk}/comments/{comment['id']}"))
    # A comment is removed through its own practice only.
    other = practice(world, "Math talks")
    _missing(_send(teacher, "delete", f"{BASE}/{other.pk}/comments/{comment['id']}"))
    assert _send(teacher, "delete", f"{BASE}/{p.pk}/comments/{comment['id']}").status_code == 204
    again = _ok(_send(coach, "post", f"{BASE}/{p.pk}/comments", {"body": "Us too."}), 201)
    assert _send(_client(editor(world)), "delete", f"{BASE}/{p.pk}/comments/{again['id']}").status_code == 204
    assert not Comment.objects.exists()


def test_research_is_the_authors_and_editors(world: World) -> None:
    p = practice(world, "Guided reading groups", author=world.people[Role.PRINCIPAL])
    url = f"{BASE}/{p.pk}/citations"
    body = {
        "reference": "Fountas & Pinnell (2017). Guided Reading.",
        "url": "https://example.org/gr",
        "design": "review",
    }
    _missing(_send(_client(world.people[Role.TEACHER]), "post", url, body))
    author = _client(world.people[Role.PRINCIPAL])
    cited = _ok(_send(author, "post", url, body), 201)
    assert (cited["design"], cited["url"]) == ("review", "https://example.org/gr")
    assert _errors(_send(author, "post", url, {**body, "url": "javascript:alert(1)"})) == [
        (["body", "url"], "Enter a valid URL.")
    ]
    assert _errors(_send(author, "post", url, {**body, "design": "anecdote"})) == [
        (["body", "design"], "Value 'anecdote' is not a valid choice.")
    ]
    assert _errors(_send(author, "post", url, {"reference": " "})) == [
        (["body", "reference"], "This field cannot be blank.")
    ]
    _missing(_send(_client(world.people[Role.TEACHER]), "delete", f"{url}/{cited['id']}"))
    assert _send(author, "delete", f"{url}/{cited['id']}").status_code == 204
    assert not Citation.objects.exists()


def test_attachments_are_answered_by_their_download_page_never_their_storage(world: World) -> None:
    p = practice(world, "Guided reading groups")
    upload = SimpleUploadedFile("plan.txt", b"lesson plan", content_type="text/plain")
    attached = actions.do_add_attachment(editor(world), p, "Lesson plan", file=upload)
    actions.do_add_attachment(editor(world), p, "Video", url="https://example.org/video")
    response = _client(world.people[Role.TEACHER]).get(f"{BASE}/{p.pk}")
    found = _ok(response)["attachments"]
    assert [(a["title"], a["link"], a["download_url"]) for a in found] == [
        ("Lesson plan", None, f"/practices/{p.pk}/attachments/{attached.pk}/"),
        ("Video", "https://example.org/video", None),
    ]
    assert attached.file.name not in response.content.decode()
    assert "practices/20" not in response.content.decode()


# -- the cycles behind a practice -----------------------------------------------------------------


def _cycle(world: World, title: str, school: Any, owner: Person) -> Cycle:
    goal = Goal.objects.create(
        title=f"More third graders reading at standard at {school.name}",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2025,
        baseline_value=Decimal("20"),
        target_value=Decimal("30"),
        target_date=datetime.date(2027, 6, 1),
        owner_school=school,
    )
    fields = {
        "title": title,
        "level": Cycle.Level.SCHOOL,
        "template": Template.objects.get(is_default=True),
        "school": school,
        "starts_on": datetime.date(2025, 9, 1),
        "ends_on": datetime.date(2025, 12, 1),
    }
    return do_start_cycle(owner, fields, goals=[goal])


def test_cycle_outcomes_never_name_a_cycle_the_reader_cannot_open(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    cycle = _cycle(world, "Leadership team reading cycle", world.inside.school, principal)
    p = practice(world, "Guided reading groups", author=principal)
    linked = _ok(_send(_client(principal), "post", f"{BASE}/{p.pk}/cycles", {"cycle_id": cycle.pk}), 201)
    assert CycleLink.objects.filter(cycle=cycle, relation="led_to", object_id=p.pk).exists()
    own = linked["cycles"]
    assert [(c["id"], c["title"]) for c in own] == [(cycle.pk, "Leadership team reading cycle")]
    outcome = own[0]["outcomes"][0]
    assert outcome["goal"] == "More third graders reading at standard at North Elementary"
    assert (outcome["metric"], outcome["group"], outcome["start_year"], outcome["end_year"]) == (
        "% at or above standard",
        "All students",
        2025,
        None,
    )
    assert outcome["note"] == "No results after the baseline year yet."
    # Readers who cannot open the cycle see what it was and its outcomes, never its id or title.
    described = "School leadership team cycle at North Elementary, Sep 2025–Dec 2025"
    blind = []
    for role in READERS:
        person = world.people[role]
        response = _client(person).get(f"{BASE}/{p.pk}")
        seen = _ok(response)["cycles"]
        assert seen[0]["described"] == described and seen[0]["outcomes"] == own[0]["outcomes"]
        if visible_cycles(scope_for(person)).filter(pk=cycle.pk).exists():
            assert (seen[0]["id"], seen[0]["title"]) == (cycle.pk, cycle.title)
        else:
            blind.append(role)
            assert seen[0]["id"] is None and seen[0]["title"] is None
            assert "Leadership team reading cycle" not in response.content.decode()
            assert cycle.get_absolute_url() not in response.content.decode()
    assert Role.NETWORK_MEMBER in blind
    # Unlinking is the author's (or an editor's); to anyone else it is not there.
    _missing(_send(_client(world.people[Role.TEACHER]), "delete", f"{BASE}/{p.pk}/cycles/{cycle.pk}"))
    _missing(_send(_client(principal), "delete", f"{BASE}/{p.pk}/cycles/{TOO_BIG}"))
    assert _send(_client(principal), "delete", f"{BASE}/{p.pk}/cycles/{cycle.pk}").status_code == 204
    assert not CycleLink.objects.filter(relation="led_to").exists()
    _missing(_send(_client(principal), "delete", f"{BASE}/{p.pk}/cycles/{cycle.pk}"))


def test_a_cycle_the_author_cannot_open_is_refused_like_a_missing_one(world: World) -> None:
    outside = _cycle(world, "Out of reach", world.outside.school, world.outside.principal)
    p = practice(world, "Guided reading groups", author=world.people[Role.PRINCIPAL])
    author = _client(world.people[Role.PRINCIPAL])
    for cycle_id in (outside.pk, 987654):
        assert _errors(_send(author, "post", f"{BASE}/{p.pk}/cycles", {"cycle_id": cycle_id})) == [
            (["body", "cycle_id"], "No cycle has this id.")
        ]
    assert _errors(_send(author, "post", f"{BASE}/{p.pk}/cycles", {"cycle_id": TOO_BIG})) == [
        (["body", "data", "cycle_id"], f"Input should be less than or equal to {MAX_ID}")
    ]
    # A reader who does not edit the practice finds no such operation.
    _missing(_send(_client(world.people[Role.TEACHER]), "post", f"{BASE}/{p.pk}/cycles", {"cycle_id": outside.pk}))
    assert not CycleLink.objects.exists()


# -- schools like mine ----------------------------------------------------------------------------------


def test_schools_like_mine_with_contacts_for_network_readers_only(world: World) -> None:
    p = practice(world, "Guided reading groups", evidence="moderate")
    tried(world, p, world.outside.school)  # South Elementary: the same profile as North Elementary
    practice(world, "Unpublished", publish=False)
    cohort = Cohort.objects.create(name="Leadership network", school_year=2026)
    Member.objects.create(cohort=cohort, person=world.outside.principal, role="principal", school=world.outside.school)
    Member.objects.create(
        cohort=cohort, person=world.people[Role.NETWORK_MEMBER], role="principal", school=world.inside.school
    )
    url = f"/api/v1/schools/{world.inside.school.pk}/like-mine"
    found = _ok(_client(world.people[Role.NETWORK_MEMBER]).get(url))
    assert found["school"] == {"id": world.inside.school.pk, "name": "North Elementary"}
    assert found["peers"] >= 1 and found["year"] == 2026
    assert found["practices"] == [
        {
            "id": p.pk,
            "title": "Guided reading groups",
            "evidence": "moderate",
            "schools": [{"id": world.outside.school.pk, "name": "South Elementary"}],
            "nearest": found["practices"][0]["nearest"],
        }
    ]
    assert [(c["person"]["name"], c["email"], c["school"]["name"]) for c in found["contacts"]] == [
        ("South Principal", "principal.south@example.org", "South Elementary")
    ]
    # A principal outside the network sees the practices, not the directory.
    principal = _ok(_client(world.people[Role.PRINCIPAL]).get(url))
    assert [x["id"] for x in principal["practices"]] == [p.pk] and principal["contacts"] is None
    # A school out of reach answers like a missing one.
    for school_id in (world.outside.school.pk, 987654, TOO_BIG):
        _missing(_client(world.people[Role.PRINCIPAL]).get(f"/api/v1/schools/{school_id}/like-mine"))
    _missing(_client(world.people[Role.FUNDER]).get(url))
