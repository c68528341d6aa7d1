"""Who a session is for: the people its reminders go to and whose calendars show it.

A session invites its facilitators, its guests and the members of its invited teams. A session
for the whole organization that names no team invites everyone on the organization's staff.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import STAFF_ROLES
from tandem.learning.models import Audience, Session
from tandem.orgs.models import Person


def staff(on: datetime.date | None = None) -> QuerySet[Person]:
    holders = RoleAssignment.objects.active(on or timezone.localdate()).filter(role__in=STAFF_ROLES)
    return Person.objects.filter(is_active=True, pk__in=holders.values("person"))


def everyone_invited(session: Session) -> bool:
    return session.session_type.audience == Audience.ORGANIZATION and not session.teams.exists()


def invitees(session: Session) -> QuerySet[Person]:
    named = Q(facilitated_sessions=session) | Q(guest_sessions=session)
    if everyone_invited(session):
        named |= Q(pk__in=staff().values("pk"))
    else:
        named |= Q(teams__learning_sessions=session)
    ids = Person.objects.filter(named).values("pk")
    return Person.objects.filter(pk__in=ids, is_active=True)


def sessions_for(person: Person) -> QuerySet[Session]:
    """The sessions a person is invited to (or was marked at)."""
    mine = Q(guests=person) | Q(facilitators=person) | Q(teams__members=person) | Q(attendance__person=person)
    if staff().filter(pk=person.pk).exists():
        mine |= Q(session_type__audience=Audience.ORGANIZATION, teams=None)
    return Session.objects.filter(pk__in=Session.objects.filter(mine).values("pk"))
