"""The practice library's pages: who reads what, writing and publishing a practice, "we tried this"
reports for a school within reach only, comments, research, attachments and cycles as evidence, the
outcomes of a cycle's goals shown suppressed, and hostile input answered with form errors or "not
found", never a server error."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.inquiry.actions import do_start_cycle
from tandem.inquiry.models import Cycle, CycleLink, Template
from tandem.orgs.models import Person
from tandem.practices.models import Attachment, Citation, Comment, Practice, Trial
from tests.practices.helpers import editor, practice, tried
from tests.world import World

pytestmark = pytest.mark.django_db


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_library_lists_and_searches_published_practices(world: World) -> None:
    practice(world, "Guided reading groups", tags=["Reading"])
    practice(world, "Math talks", tags=["Math"])
    practice(world, "Unfinished idea", publish=False)
    page = _client(world.people[Role.TEACHER]).get("/practices/", {"q": "reading"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Guided reading groups" in html and "Math talks" not in html and "Unfinished idea" not in html
    all_page = _client(world.people[Role.TEACHER]).get("/practices/").content.decode()
    assert "Math talks" in all_page and "Unfinished idea" not in all_page
    tagged = _client(world.people[Role.NETWORK_MEMBER]).get("/practices/", {"tag": "math"}).content.decode()
    assert "Math talks" in tagged and "Guided reading" not in tagged


def test_funders_and_strangers_find_no_library(world: World) -> None:
    p = practice(world, "Guided reading groups")
    funder = _client(world.people[Role.FUNDER])
    for url in ("/practices/", p.get_absolute_url(), f"/practices/{p.pk}/tried/", "/practices/new/"):
        assert funder.get(url).status_code == 404, url
    assert Client().get("/practices/").status_code == 302


def test_a_draft_answers_not_found_to_everyone_but_its_author_and_the_editors(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    draft = practice(world, "Our draft", author=principal, publish=False)
    assert _client(principal).get(draft.get_absolute_url()).status_code == 200
    assert _client(editor(world)).get(draft.get_absolute_url()).status_code == 200
    for role in (Role.TEACHER, Role.COACH, Role.NETWORK_MEMBER, Role.REGIONAL_DIRECTOR):
        assert _client(world.people[role]).get(draft.get_absolute_url()).status_code == 404, role
        assert _client(world.people[role]).get("/practices/999999/").status_code == 404


def test_a_principal_writes_a_draft_and_an_editor_publishes_it(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    c = _client(principal)
    response = c.post(
        "/practices/new/",
        {
            "title": "Data chats with students",
            "summary": "Students set goals from their own results.",
            "problem": "Students do not know where they stand.",
            "how": "Monthly five-minute conferences.",
            "evidence": "promising",
            "tags": "Student agency, goal setting, Student agency",
        },
    )
    p = Practice.objects.get(title="Data chats with students")
    assert response.status_code == 302 and response["Location"] == p.get_absolute_url()
    assert p.status == "draft" and p.author == principal
    assert sorted(p.tags.values_list("name", flat=True)) == ["Student agency", "goal setting"]
    # Only editors publish; the author's try is refused with a message and changes nothing.
    c.post(f"/practices/{p.pk}/publish/")
    p.refresh_from_db()
    assert p.status == "draft"
    _client(editor(world)).post(f"/practices/{p.pk}/publish/")
    p.refresh_from_db()
    assert p.status == "published" and p.published_at is not None
    assert AuditEntry.objects.filter(action="practice.publish", object_id=str(p.pk)).exists()


def test_publishing_is_refused_until_the_practice_is_written(world: World) -> None:
    p = practice(world, "Half written", how="", publish=False)
    response = _client(editor(world)).post(f"/practices/{p.pk}/publish/", follow=True)
    assert "Write how to do it before publishing." in response.content.decode()
    p.refresh_from_db()
    assert p.status == "draft"


def test_bad_practice_forms_say_what_is_wrong_and_save_nothing(world: World) -> None:
    c = _client(world.people[Role.PRINCIPAL])
    response = c.post("/practices/new/", {"title": "   ", "evidence": "tier 9", "tags": ",".join(["t"] * 3)})
    assert response.status_code == 422
    html = response.content.decode()
    assert "This field is required." in html and "Select a valid choice." in html
    too_many = c.post(
        "/practices/new/", {"title": "Tags galore", "evidence": "unrated", "tags": ",".join(f"t{i}" for i in range(13))}
    )
    assert too_many.status_code == 422 and "at most 12 tags" in too_many.content.decode()
    assert not Practice.objects.exists()


def test_only_the_author_and_editors_edit(world: World) -> None:
    p = practice(world, "Guided reading groups", author=world.people[Role.PRINCIPAL])
    assert _client(world.people[Role.TEACHER]).get(f"/practices/{p.pk}/edit/").status_code == 404
    r = _client(world.people[Role.TEACHER]).post(
        f"/practices/{p.pk}/edit/", {"title": "Hijacked", "evidence": "unrated"}
    )
    assert r.status_code == 404
    r = _client(world.people[Role.PRINCIPAL]).post(
        f"/practices/{p.pk}/edit/", {"title": "Guided reading, revised", "evidence": "moderate", "tags": ""}
    )
    assert r.status_code == 302
    p.refresh_from_db()
    assert p.title == "Guided reading, revised" and p.status == "published"


# -- we tried this --------------------------------------------------------------------------------------


def test_we_tried_this_is_filed_for_a_school_within_reach(world: World) -> None:
    p = practice(world, "Guided reading groups")
    member = world.people[Role.NETWORK_MEMBER]
    c = _client(member)
    form = c.get(f"/practices/{p.pk}/tried/")
    assert form.status_code == 200 and "North Elementary" in form.content.decode()
    group = StudentGroup.objects.get(code="31")
    response = c.post(
        f"/practices/{p.pk}/tried/",
        {
            "school": world.inside.school.pk,
            "school_year": 2026,
            "grades": ["2", "3"],
            "groups": [group.pk],
            "result": "improved",
            "story": "We ran it in second and third grade with our reading specialists.",
        },
    )
    assert response.status_code == 302
    trial = Trial.objects.get(practice=p)
    assert (trial.school, trial.reported_by, trial.grades, trial.kind) == (
        world.inside.school,
        member,
        "|2|3|",
        "report",
    )
    assert list(trial.groups.all()) == [group]
    page = c.get(p.get_absolute_url()).content.decode()
    assert "reading specialists" in page and "North Elementary" in page and "2–3" not in page and "2, 3" in page


def test_we_tried_this_for_a_school_out_of_reach_is_refused(world: World) -> None:
    p = practice(world, "Guided reading groups")
    c = _client(world.people[Role.NETWORK_MEMBER])
    response = c.post(
        f"/practices/{p.pk}/tried/",
        {"school": world.outside.school.pk, "school_year": 2026, "result": "improved", "story": "Pretend"},
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not Trial.objects.exists()


@pytest.mark.parametrize(
    "data, message",
    [
        ({"school": "", "school_year": 2026, "result": "improved", "story": "x"}, "This field is required."),
        ({"school_year": 1850, "result": "improved", "story": "x"}, "Select a valid choice"),
        ({"school_year": 2026, "result": "great", "story": "x"}, "Select a valid choice"),
        ({"school_year": 2026, "result": "improved", "story": "x", "grades": ["13"]}, "Select a valid choice"),
        ({"school_year": 2026, "result": "improved", "story": "x", "groups": ["99999999999999999999"]}, "valid"),
        ({"school_year": 2026, "result": "improved", "story": ""}, "This field is required."),
        ({"school_year": 2026, "result": "improved", "story": "x" * 20_001}, "at most 20000 characters"),
    ],
)
def test_bad_reports_are_refused_precisely(world: World, data: dict[str, object], message: str) -> None:
    p = practice(world, "Guided reading groups")
    response = _client(world.people[Role.PRINCIPAL]).post(
        f"/practices/{p.pk}/tried/", {"school": world.inside.school.pk, **data}
    )
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Trial.objects.exists()


def test_the_same_report_twice_is_refused(world: World) -> None:
    p = practice(world, "Guided reading groups")
    data = {"school": world.inside.school.pk, "school_year": 2026, "result": "improved", "story": "Once"}
    c = _client(world.people[Role.PRINCIPAL])
    assert c.post(f"/practices/{p.pk}/tried/", data).status_code == 302
    again = c.post(f"/practices/{p.pk}/tried/", data)
    assert again.status_code == 422 and "already reported this school and year" in again.content.decode()
    assert Trial.objects.count() == 1


def test_reports_on_drafts_are_not_taken(world: World) -> None:
    draft = practice(world, "Not yet", publish=False)
    data = {"school": world.inside.school.pk, "school_year": 2026, "result": "improved", "story": "x"}
    assert _client(world.people[Role.PRINCIPAL]).post(f"/practices/{draft.pk}/tried/", data).status_code == 404


def test_a_report_is_removed_by_its_reporter_not_by_others(world: World) -> None:
    p = practice(world, "Guided reading groups")
    trial = tried(world, p, world.inside.school, by=world.people[Role.PRINCIPAL])
    _client(world.people[Role.TEACHER]).post(f"/practices/{p.pk}/tried/{trial.pk}/remove/")
    assert Trial.objects.filter(pk=trial.pk).exists()
    _client(world.people[Role.PRINCIPAL]).post(f"/practices/{p.pk}/tried/{trial.pk}/remove/")
    assert not Trial.objects.filter(pk=trial.pk).exists()


# -- comments, research, attachments ------------------------------------------------------------------------


def test_comments_research_and_attachments(world: World, settings: object) -> None:
    p = practice(world, "Guided reading groups")
    teacher = _client(world.people[Role.TEACHER])
    assert teacher.post(f"/practices/{p.pk}/comments/", {"body": "We loved it."}).status_code == 302
    assert teacher.post(f"/practices/{p.pk}/comments/", {"body": "  "}).status_code == 422
    assert Comment.objects.count() == 1
    # Research and materials are the author's and editors'.
    assert teacher.post(f"/practices/{p.pk}/research/", {"reference": "X", "design": "other"}).status_code == 404
    ed = _client(editor(world))
    ed.post(
        f"/practices/{p.pk}/research/",
        {"reference": "Fountas & Pinnell (2017). Guided Reading.", "url": "https://example.org/gr", "design": "review"},
    )
    assert Citation.objects.get().design == "review"
    bad = ed.post(f"/practices/{p.pk}/research/", {"reference": "Y", "url": "javascript:alert(1)", "design": "other"})
    assert bad.status_code == 422 and Citation.objects.count() == 1
    upload = SimpleUploadedFile("plan.txt", b"lesson plan", content_type="text/plain")
    ed.post(f"/practices/{p.pk}/attachments/", {"title": "Lesson plan", "file": upload})
    attachment = Attachment.objects.get()
    download = teacher.get(f"/practices/{p.pk}/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"lesson plan"  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="practice.attachment.read", kind="read").exists()
    assert _client(world.people[Role.FUNDER]).get(f"/practices/{p.pk}/attachments/{attachment.pk}/").status_code == 404
    assert ed.post(f"/practices/{p.pk}/attachments/", {"title": "Nothing"}).status_code == 422


# -- cycles as evidence --------------------------------------------------------------------------------------


def _goal(world: World) -> Goal:
    return Goal.objects.create(
        title="More third graders reading at standard",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=world.inside.school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2025,
        baseline_value=Decimal("20"),
        target_value=Decimal("30"),
        target_date=datetime.date(2027, 6, 1),
        owner_school=world.inside.school,
    )


def test_a_cycle_behind_the_practice_shows_its_goals_to_readers_without_the_cycle(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    cycle = do_start_cycle(
        principal,
        {
            "title": "Leadership team reading cycle",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(is_default=True),
            "school": world.inside.school,
            "starts_on": datetime.date(2025, 9, 1),
            "ends_on": datetime.date(2025, 12, 1),
        },
        goals=[_goal(world)],
    )
    p = practice(world, "Guided reading groups", author=principal)
    _client(principal).post(f"/practices/{p.pk}/cycles/", {"cycle": cycle.pk})
    assert CycleLink.objects.filter(cycle=cycle, relation="led_to", object_id=p.pk).exists()
    own = _client(principal).get(p.get_absolute_url()).content.decode()
    assert "Leadership team reading cycle" in own and "More third graders reading at standard" in own
    # The network member of another school sees what it was and its outcomes, not the cycle.
    outsider = _client(world.people[Role.NETWORK_MEMBER]).get(p.get_absolute_url()).content.decode()
    assert "Leadership team reading cycle" not in outsider and cycle.get_absolute_url() not in outsider
    assert "School leadership team cycle at North Elementary" in outsider
    assert "More third graders reading at standard" in outsider
    assert "No results after the baseline year yet." in outsider
    # Unlinking is the author's; a stranger's try is "not found".
    assert (
        _client(world.people[Role.TEACHER]).post(f"/practices/{p.pk}/cycles/", {"unlink": cycle.pk}).status_code == 404
    )
    _client(principal).post(f"/practices/{p.pk}/cycles/", {"unlink": cycle.pk})
    assert not CycleLink.objects.filter(cycle=cycle, relation="led_to").exists()


def test_a_cycle_the_author_cannot_open_cannot_be_linked(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    cycle = do_start_cycle(
        leader,
        {
            "title": "Out of reach",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(is_default=True),
            "school": world.outside.school,
            "starts_on": datetime.date(2025, 9, 1),
            "ends_on": datetime.date(2025, 12, 1),
        },
    )
    p = practice(world, "Guided reading groups", author=world.people[Role.PRINCIPAL])
    response = _client(world.people[Role.PRINCIPAL]).post(f"/practices/{p.pk}/cycles/", {"cycle": cycle.pk})
    assert response.status_code == 422
    assert not CycleLink.objects.exists()


# -- schools like mine -----------------------------------------------------------------------------------------


def test_the_school_page_shows_practices_of_similar_schools_and_leaders_to_contact(world: World) -> None:
    from tandem.network.models import Cohort, Member

    p = practice(world, "Guided reading groups")
    tried(world, p, world.outside.school)  # South Elementary: the same profile as North Elementary
    cohort = Cohort.objects.create(name="Leadership network", school_year=2026)
    Member.objects.create(cohort=cohort, person=world.outside.principal, role="principal", school=world.outside.school)
    Member.objects.create(
        cohort=cohort, person=world.people[Role.NETWORK_MEMBER], role="principal", school=world.inside.school
    )
    page = _client(world.people[Role.NETWORK_MEMBER]).get(world.inside.school.get_absolute_url()).content.decode()
    assert "Schools like this one" in page
    assert p.get_absolute_url() in page and "South Elementary" in page
    assert "South Principal" in page and "principal.south@example.org" in page
    # A principal outside the network sees the practices, not the directory.
    principal_page = _client(world.people[Role.PRINCIPAL]).get(world.inside.school.get_absolute_url()).content.decode()
    assert p.get_absolute_url() in principal_page and "principal.south@example.org" not in principal_page
    # Funders are not shown the library.
    funder_page = _client(world.people[Role.FUNDER]).get(world.inside.school.get_absolute_url()).content.decode()
    assert "Schools like this one" not in funder_page


def test_home_shows_what_is_new_in_the_library_to_its_readers(world: World) -> None:
    practice(world, "Guided reading groups")
    practice(world, "Still a draft", publish=False)
    home = _client(world.people[Role.PRINCIPAL]).get("/").content.decode()
    assert "Lately in the practice library" in home and "Guided reading groups" in home
    assert "Still a draft" not in home
    assert f"{world.inside.school.get_absolute_url()}#like-mine" in home
    assert "Lately in the practice library" not in _client(world.people[Role.FUNDER]).get("/").content.decode()
