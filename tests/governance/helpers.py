"""What the governance tests share: local times, extra coaches, teams and seats made through the
actions, and `refused`, which checks a refusal's exact message and that nothing was written."""

import datetime
import zoneinfo
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model

from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.roles import Role
from tandem.governance import actions
from tandem.governance.models import (
    Ballot,
    Decision,
    Election,
    ElectionEvent,
    FollowUp,
    GroupGoal,
    Link,
    Membership,
    Nomination,
    PlanningTeam,
    Review,
    Seat,
    Support,
    Term,
    Voter,
    WorkingGroup,
)
from tandem.orgs.models import Person
from tandem.partnerships.models import SiteAssignment
from tests.world import World, make_person

TZ = zoneinfo.ZoneInfo(settings.TIME_ZONE)
LONG_AGO = datetime.date(2020, 1, 1)

WATCHED: list[type[Model]] = [
    Link,
    WorkingGroup,
    GroupGoal,
    Membership,
    Support,
    Review,
    PlanningTeam,
    Seat,
    Term,
    Election,
    Election.seats.through,
    Nomination,
    Voter,
    Ballot,
    ElectionEvent,
    Decision,
    FollowUp,
    AuditEntry,
]


def at(day: datetime.date, hour: int = 12, minute: int = 0) -> datetime.datetime:
    """That wall-clock time on that day where the organization is."""
    return datetime.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TZ)


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def leader(world: World) -> Person:
    return world.people[Role.NATIONAL_LEADER]


def coach(world: World, name: str, *, placed: bool = True, **assignment: Any) -> Person:
    """A coach at the inside school, placed there (a SiteAssignment) unless `placed` is False."""
    person = make_person(f"{name.lower().replace(' ', '.')}@example.org", name)
    RoleAssignment.objects.create(person=person, role=Role.COACH, school=world.inside.school)
    if placed:
        SiteAssignment.objects.create(
            partnership=world.inside.partnership,
            school=world.inside.school,
            person=person,
            days_per_week=Decimal("2"),
            start_date=assignment.get("start_date", LONG_AGO),
            end_date=assignment.get("end_date"),
        )
    return person


def team(world: World, name: str = "National planning team") -> PlanningTeam:
    return actions.do_save_team(leader(world), PlanningTeam(name=name, purpose="Strategy that answers to schools."))


def elected_seat(
    world: World,
    on: PlanningTeam,
    name: str,
    first: datetime.date,
    *,
    max_terms: int = 1,
    months: int = 24,
    site_staff_only: bool = False,
    roles: tuple[str, ...] = (Role.COACH,),
) -> Seat:
    seat = Seat(
        team=on,
        name=name,
        kind=Seat.Kind.ELECTED,
        eligible_roles=list(roles),
        site_staff_only=site_staff_only,
        term_months=months,
        first_term_starts=first,
        max_consecutive_terms=max_terms,
    )
    return actions.do_save_seat(leader(world), seat)


def appointed_seat(
    world: World, on: PlanningTeam, name: str, first: datetime.date, *, months: int = 12, max_terms: int = 1
) -> Seat:
    seat = Seat(
        team=on,
        name=name,
        kind=Seat.Kind.APPOINTED,
        term_months=months,
        first_term_starts=first,
        max_consecutive_terms=max_terms,
    )
    return actions.do_save_seat(leader(world), seat)


def state() -> dict[str, list[dict[str, Any]]]:
    """Every row of the governance tables and the audit log."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in WATCHED}


def refused(call: Callable[[], object], message: str | dict[str, str]) -> None:
    """`call` is refused with exactly `message` (a sentence, or one message per field) and the
    database is left as it was."""
    before = state()
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if isinstance(message, dict):
        assert hasattr(error, "error_dict"), f"expected field errors, got {error.messages}"
        assert error.message_dict == {field: [text] for field, text in message.items()}
    else:
        assert not hasattr(error, "error_dict"), f"expected a sentence, got {error.message_dict}"
        assert error.messages == [message]
    assert state() == before, "a refused action wrote something"
