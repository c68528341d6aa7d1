"""Practices for tests, written and published through the actions as a person would."""

from tandem.access.roles import Role
from tandem.achievement.models import StudentGroup
from tandem.orgs.models import Person, School
from tandem.practices import actions
from tandem.practices.models import Practice, Trial
from tests.world import World


def editor(world: World) -> Person:
    return world.people[Role.NATIONAL_LEADER]


def practice(
    world: World,
    title: str,
    *,
    summary: str = "A routine a school can adopt.",
    problem: str = "Too few students meet the standard.",
    how: str = "Meet weekly and look at student work together.",
    tags: list[str] | None = None,
    evidence: str = "unrated",
    author: Person | None = None,
    publish: bool = True,
) -> Practice:
    p = Practice(title=title, summary=summary, problem=problem, how=how, evidence=evidence)
    p = actions.do_save_practice(author or editor(world), p, tags or [])
    if publish:
        actions.do_publish(editor(world), p)
    return p


def tried(
    world: World,
    p: Practice,
    school: School,
    *,
    year: int = 2026,
    grades: list[str] | None = None,
    groups: list[str] | None = None,
    result: str = Trial.Result.IMPROVED,
    story: str = "",
    by: Person | None = None,
) -> Trial:
    chosen = list(StudentGroup.objects.filter(code__in=groups or []))
    return actions.do_add_trial(
        by or editor(world), p, school, year, grades or [], chosen, result, story, kind=Trial.Kind.REPORT
    )
