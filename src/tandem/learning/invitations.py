"""Who a session is for: the people its reminders go to and whose calendars show it.

A session invites its facilitators, its guests, the members of its invited teams and of its invited
leadership network cohorts (a convening). A session for the whole organization that names no team
invites everyone on the organization's staff.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import STAFF_ROLES
from tandem.learning.models import Attendance, Audience, Session
from tandem.network.models import Member
from tandem.orgs.models import Person, TeamMembership


def staff(on: datetime.date | None = None) -> QuerySet[Person]:
    holders = RoleAssignment.objects.active(on or timezone.localdate()).filter(role__in=STAFF_ROLES)
    return Person.objects.filter(is_active=True, pk__in=holders.values("person"))


def everyone_invited(session: Session) -> bool:
    return session.session_type.audience == Audience.ORGANIZATION and not session.teams.exists()


def invitees(session: Session) -> QuerySet[Person]:
    # One small subquery per way of being invited: OR-ing joins over several many-to-many tables
    # multiplies their rows, and PostgreSQL can take minutes over the product.
    through = Session.facilitators.through.objects.filter(session=session).values("person")
    named = Q(pk__in=through) | Q(pk__in=Session.guests.through.objects.filter(session=session).values("person"))
    if everyone_invited(session):
        named |= Q(pk__in=staff().values("pk"))
    else:
        teams = Session.teams.through.objects.filter(session=session).values("team")
        named |= Q(pk__in=TeamMembership.objects.filter(team__in=teams).values("person"))
    cohorts = Session.cohorts.through.objects.filter(session=session).values("cohort")
    named |= Q(pk__in=Member.objects.filter(cohort__in=cohorts).values("person"))
    return Person.objects.filter(named, is_active=True)


def sessions_for(person: Person) -> QuerySet[Session]:
    """The sessions a person is invited to (or was marked at)."""
    teams = TeamMembership.objects.filter(person=person).values("team")
    mine = (
        Q(pk__in=Session.guests.through.objects.filter(person=person).values("session"))
        | Q(pk__in=Session.facilitators.through.objects.filter(person=person).values("session"))
        | Q(pk__in=Session.teams.through.objects.filter(team__in=teams).values("session"))
        | Q(pk__in=Attendance.objects.filter(person=person).values("session"))
        | Q(pk__in=Session.cohorts.through.objects.filter(cohort__members__person=person).values("session"))
    )
    if staff().filter(pk=person.pk).exists():
        with_teams = Session.teams.through.objects.values("session")
        mine |= Q(session_type__audience=Audience.ORGANIZATION) & ~Q(pk__in=with_teams)
    return Session.objects.filter(mine)
