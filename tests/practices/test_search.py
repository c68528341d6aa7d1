"""Searching the practice library, on whichever database the run uses (the suite runs on SQLite and
on PostgreSQL): ranking, the query language, filters, who finds what, and a search table that
follows every change."""

import io

import pytest
from django.core.management import call_command

from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.achievement.models import StudentGroup
from tandem.orgs.models import School, SchoolDemographics
from tandem.practices import actions, fulltext
from tandem.practices.models import Practice, Trial
from tandem.practices.search import MOST_TRIED, Filters, find
from tests.practices.helpers import editor, practice, tried
from tests.world import World

pytestmark = pytest.mark.django_db


def titles(world: World, role: str = Role.NATIONAL_LEADER, **filters: object) -> list[str]:
    return [p.title for p in find(scope_for(world.people[role]), Filters(**filters))]  # type: ignore[arg-type]


def search(world: World, q: str, role: str = Role.NATIONAL_LEADER) -> list[str]:
    return titles(world, role, q=q)


# -- ranking ----------------------------------------------------------------------------------------


def test_a_word_in_the_title_outranks_the_same_word_in_the_body(world: World) -> None:
    practice(world, "Weekly data meetings", how="Teachers bring running records to a coaching conversation.")
    practice(world, "Coaching conversations", how="A coach and a teacher meet after each observation.")
    practice(world, "Family reading nights", how="Families read with their children at school.")
    assert search(world, "coaching") == ["Coaching conversations", "Weekly data meetings"]


def test_the_summary_outranks_a_comment(world: World) -> None:
    a = practice(world, "Student-led conferences", summary="Students present their portfolio to families.")
    b = practice(world, "Morning circles", summary="A daily community meeting.")
    actions.do_comment(world.people[Role.PRINCIPAL], b, "We tied this to our portfolio work.")
    assert search(world, "portfolio") == [a.title, b.title]


def test_words_match_on_their_stems_and_every_word_is_needed(world: World) -> None:
    practice(world, "Peer observation", how="Teachers observed one another and coached each other.")
    practice(world, "Observation rounds", how="Leaders walk classrooms together.")
    assert search(world, "coaching observations") == ["Peer observation"]
    assert set(search(world, "observe")) == {"Peer observation", "Observation rounds"}


def test_phrases_or_and_exclusion(world: World) -> None:
    practice(world, "Guided reading groups", how="Small groups read a leveled text with the teacher.")
    practice(world, "Reading buddies", how="Older students read with younger ones in small groups.")
    practice(world, "Math talks", how="Number talks open every math lesson.")
    assert search(world, '"leveled text"') == ["Guided reading groups"]
    assert set(search(world, "text OR number")) == {"Guided reading groups", "Math talks"}
    assert search(world, "reading -buddies") == ["Guided reading groups"]
    assert search(world, 'groups -"leveled text"') == ["Reading buddies"]
    # Only exclusions: everything else, newest first.
    assert search(world, "-reading") == ["Math talks"]


def test_search_reaches_tags_research_schools_and_stories(world: World) -> None:
    a = practice(world, "Writing conferences", tags=["Writing", "Feedback"])
    b = practice(world, "Vocabulary walls")
    c = practice(world, "Exit tickets")
    actions.do_add_citation(editor(world), b, "Beck, I. (2013). Bringing words to life. Guilford.", finding="Robust")
    tried(world, c, world.outside.school, story="Our fifth graders wrote exit tickets in Tagalog too.")
    assert search(world, "feedback") == [a.title]
    assert search(world, "guilford") == [b.title]
    assert search(world, "tagalog") == [c.title]
    assert search(world, "south elementary") == [c.title]


@pytest.mark.parametrize(
    "nasty",
    [
        '"unclosed phrase',
        "NEAR(reading, 2)",
        "reading*",
        "title:reading",
        "^reading",
        "reading AND OR NOT",
        "(((",
        "\x00reading\x00",
        "reading; DROP TABLE practices_practice; --",
        "rea'ding",
        "-",
        '""',
        "OR reading",
        "reading OR",
    ],
)
def test_nasty_queries_are_read_as_words(world: World, nasty: str) -> None:
    practice(world, "Guided reading groups")
    practice(world, "Math talks")
    found = search(world, nasty)
    assert "Math talks" not in found or not fulltext.parse(nasty).required
    assert Practice.objects.count() == 2


def test_stop_words_and_empty_queries_filter_nothing(world: World) -> None:
    practice(world, "Guided reading groups")
    practice(world, "Math talks")
    assert set(search(world, "the of and")) == {"Guided reading groups", "Math talks"}
    assert set(search(world, "   ")) == {"Guided reading groups", "Math talks"}


def test_accents_and_case_do_not_matter(world: World) -> None:
    practice(world, "Círculos de lectura", how="Familias leen en español.")
    assert search(world, "CIRCULOS") == ["Círculos de lectura"]


def test_a_very_long_query_is_cut_not_refused(world: World) -> None:
    practice(world, "Guided reading groups")
    assert search(world, " ".join(["reading"] * 500)) == ["Guided reading groups"]


# -- the search table follows every change ------------------------------------------------------------


def test_edits_comments_trials_and_deletions_reach_the_search(world: World) -> None:
    p = practice(world, "Data walls")
    assert search(world, "celebrate") == []
    p.how = "Celebrate growth on a wall."
    actions.do_save_practice(editor(world), p)
    assert search(world, "celebrate") == ["Data walls"]
    actions.do_comment(world.people[Role.COACH], p, "Our staff loved the gallery walk.")
    assert search(world, "gallery") == ["Data walls"]
    trial = tried(world, p, world.inside.school, story="Sticky notes on every chart.")
    assert search(world, "sticky") == ["Data walls"]
    actions.do_remove_trial(editor(world), trial)
    assert search(world, "sticky") == []
    actions.do_delete_practice(editor(world), p)
    assert search(world, "celebrate") == []


# -- filters ---------------------------------------------------------------------------------------------


def test_filters_by_tag_evidence_and_status(world: World) -> None:
    practice(world, "Writing conferences", tags=["Writing", "Feedback"], evidence="moderate")
    practice(world, "Peer feedback", tags=["Feedback"], evidence="promising")
    practice(world, "Draft only", tags=["Feedback"], publish=False)
    assert set(titles(world, tags=["feedback"])) == {"Writing conferences", "Peer feedback", "Draft only"}
    assert titles(world, tags=["feedback", "writing"]) == ["Writing conferences"]
    assert set(titles(world, evidence=["moderate", "strong"])) == {"Writing conferences"}
    assert titles(world, status="draft") == ["Draft only"]
    assert titles(world, q="conferences", tags=["feedback"]) == ["Writing conferences"]


def test_one_trial_must_meet_every_trial_condition(world: World) -> None:
    groups = ["31"]  # socioeconomically disadvantaged
    a = practice(world, "Sentence frames")
    b = practice(world, "Number talks")
    tried(world, a, world.inside.school, grades=["3", "4"], groups=groups)
    tried(world, b, world.inside.school, grades=["3"])
    tried(world, b, world.outside.school, grades=["7"], groups=groups, result=Trial.Result.MIXED)
    group = StudentGroup.objects.get(code=groups[0]).pk
    assert titles(world, grade="4") == ["Sentence frames"]
    assert set(titles(world, grade="3")) == {"Sentence frames", "Number talks"}
    assert titles(world, grade="3", group=group) == ["Sentence frames"]
    assert titles(world, school=world.outside.school.pk) == ["Number talks"]
    assert titles(world, school=world.outside.school.pk, grade="3") == []
    assert titles(world, result=Trial.Result.MIXED) == ["Number talks"]
    assert titles(world, sort=MOST_TRIED)[0] == "Number talks"


def test_schools_like_mine_are_the_comparison_engines_similar_schools(world: World) -> None:
    # A school like North Elementary (same level, same profile), and one of another level.
    twin = School.objects.create(
        district=world.outside.district, name="Twin Elementary", level="elementary", lowest_grade="K", highest_grade="5"
    )
    SchoolDemographics.objects.create(
        school=twin,
        school_year=2026,
        enrollment=410,
        pct_socioeconomically_disadvantaged=80,
        pct_english_learners=31,
        pct_students_with_disabilities=12,
    )
    a = practice(world, "Sentence frames")
    b = practice(world, "Number talks")
    tried(world, a, twin)
    tried(world, b, world.outside.other_school)
    mine = world.inside.school.pk
    # A school is not its own similar school.
    tried(world, b, world.inside.school)
    assert titles(world, like_school=mine) == ["Sentence frames"]
    assert titles(world, Role.PRINCIPAL, like_school=mine) == ["Sentence frames"]
    # A school out of the reader's reach is no school: nothing is like it.
    assert titles(world, Role.PRINCIPAL, like_school=world.outside.school.pk) == []


# -- who finds what ---------------------------------------------------------------------------------------


def test_drafts_are_found_only_by_their_author_and_the_editors(world: World) -> None:
    principal = world.people[Role.PRINCIPAL]
    practice(world, "Secret draft about reading", author=principal, publish=False)
    practice(world, "Published reading routine")
    assert set(search(world, "reading", Role.PRINCIPAL)) == {"Secret draft about reading", "Published reading routine"}
    assert set(search(world, "reading", Role.NATIONAL_LEADER)) == {
        "Secret draft about reading",
        "Published reading routine",
    }
    for role in (Role.TEACHER, Role.NETWORK_MEMBER, Role.COACH, Role.REGIONAL_DIRECTOR):
        assert search(world, "reading", role) == ["Published reading routine"], role
        assert search(world, "secret", role) == [], role


def test_funders_find_nothing(world: World) -> None:
    practice(world, "Published reading routine")
    assert search(world, "reading", Role.FUNDER) == []
    assert titles(world, Role.FUNDER) == []


def test_the_search_table_can_be_rebuilt_from_the_practices(world: World) -> None:
    practice(world, "Guided reading groups")
    fulltext.clear()
    assert search(world, "guided") == []
    out = io.StringIO()
    call_command("reindex_practices", stdout=out)
    assert out.getvalue() == "Practices indexed: 1.\n"
    assert search(world, "guided") == ["Guided reading groups"]
