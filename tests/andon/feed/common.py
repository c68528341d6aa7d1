"""What the feed's tests share: the world's people by the part they play in the feed, a quick way to
raise a flag, and counts of every row a feed action can write, so that a refusal is shown to leave
nothing behind."""

import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django_tasks_db.models import DBTaskResult

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.andon.feed import actions
from tandem.andon.feed.models import Comment, DigestPreference, Escalation, MeToo, Notification, Post, Topic
from tandem.inquiry.models import Cycle, CycleLink
from tandem.orgs.models import Person
from tests.world import World

STAFF = {Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST}
NOT_STAFF = {Role.PRINCIPAL, Role.TEACHER, Role.DISTRICT_LEADER, Role.FUNDER, Role.NETWORK_MEMBER}
ORG_LEADERS = {Role.ORG_ADMIN, Role.NATIONAL_LEADER}
NO_POST = "No post matches the given query."
NOT_STAFF_MESSAGE = "The staff feed is for the organization's staff."

ROWS = (
    Post,
    Post.topics.through,
    Post.mentions.through,
    Comment,
    Comment.mentions.through,
    MeToo,
    Escalation,
    Notification,
    DigestPreference,
    AuditEntry,
    Cycle,
    CycleLink,
    DBTaskResult,
)


def counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in ROWS}


def messages(error: ValidationError) -> dict[str, list[str]] | list[str]:
    return error.message_dict if hasattr(error, "error_dict") else error.messages


@contextmanager
def refused(expected: str | dict[str, str]) -> Iterator[None]:
    """The block is refused with exactly this message (per field for a dict), and writes nothing."""
    before = counts()
    with pytest.raises(ValidationError) as caught:
        yield
    wanted: Any = {k: [v] for k, v in expected.items()} if isinstance(expected, dict) else [expected]
    assert messages(caught.value) == wanted
    assert counts() == before


def topic(name: str) -> Topic:
    return Topic.objects.get(name=name)


@dataclass
class Cast:
    """Who is who: the "in" half is North, the "out" half South."""

    world: World
    admin: Person
    leader: Person
    director: Person  # regional director of North
    coach: Person  # coach at North Elementary, placed there
    colleague: Person  # another coach at North Elementary
    far_coach: Person  # a coach at South Elementary
    analyst: Person  # analyst of North (staff, leads nothing)
    principal: Person
    teacher: Person

    def flag(self, author: Person | None = None, title: str = "Buses late", **tags: Any) -> Post:
        author = author or self.coach
        if not tags.get("school") and not tags.get("partnership") and not tags.get("region"):
            home = self.world.outside if author.pk == self.far_coach.pk else self.world.inside
            tags["school"] = home.school
        return actions.do_post(author, Post.Kind.FLAG, title, "The buses came at 9:40 all week.", **tags)

    def question(self, author: Person | None = None, title: str = "Who runs the data day?", **kw: Any) -> Post:
        return actions.do_post(author or self.coach, Post.Kind.QUESTION, title, "Looking for the agenda.", **kw)


def cast_of(world: World) -> Cast:
    p = world.people
    return Cast(
        world=world,
        admin=p[Role.ORG_ADMIN],
        leader=p[Role.NATIONAL_LEADER],
        director=p[Role.REGIONAL_DIRECTOR],
        coach=p[Role.COACH],
        colleague=world.inside.partner,
        far_coach=world.outside.partner,
        analyst=p[Role.ANALYST],
        principal=world.inside.principal,
        teacher=p[Role.TEACHER],
    )


def fresh(person: Person) -> Person:
    """The person read again: scope_for caches what a Person instance may do."""
    return Person.objects.get(pk=person.pk)


def ago(**delta: float) -> datetime.datetime:
    from django.utils import timezone

    return timezone.now() - datetime.timedelta(**delta)
