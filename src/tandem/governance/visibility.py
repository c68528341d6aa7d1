"""Who sees and does what in working groups, planning teams, elections and the decisions log.

- Planning teams, their seats, elections and decisions are open to all the organization's staff:
  strategy decisions are meant to answer to the ground level.
- A working group (and its decisions) is seen by the organization's leaders, its sponsor and its
  members — former members included, who keep read access.
- The organization's leaders (org-wide LEAD) form groups, set up planning teams and seats, appoint,
  and open or count elections by hand. A group's sponsor steers it (goals, membership, review,
  support log). Whoever holds a seat of a team on the day — and only on the days of the term —
  records the team's decisions; current members and the sponsor record a group's.
"""

import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.governance import seats
from tandem.governance.models import Decision, Membership, PlanningTeam, WorkingGroup


def takes_part(scope: Scope) -> bool:
    return scope.person is not None and scope.person.is_active and scope.is_staff_member()


def leads(scope: Scope) -> bool:
    return takes_part(scope) and scope.is_org_wide(Capability.LEAD)


def visible_groups(scope: Scope) -> QuerySet[WorkingGroup]:
    if not takes_part(scope):
        return WorkingGroup.objects.none()
    if leads(scope):
        return WorkingGroup.objects.all()
    assert scope.person is not None
    me = scope.person.pk
    mine = Membership.objects.filter(person=me).values("group")
    return WorkingGroup.objects.filter(Q(sponsor=me) | Q(pk__in=mine))


def is_member(scope: Scope, group: WorkingGroup, on: datetime.date | None = None) -> bool:
    on = on or timezone.localdate()
    if scope.person is None:
        return False
    return (
        group.memberships.filter(person=scope.person, joined_on__lte=on)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=on))
        .exists()
    )


def steers_group(scope: Scope, group: WorkingGroup) -> bool:
    return leads(scope) or (takes_part(scope) and scope.person is not None and group.sponsor_id == scope.person.pk)


def visible_teams(scope: Scope) -> QuerySet[PlanningTeam]:
    return PlanningTeam.objects.all() if takes_part(scope) else PlanningTeam.objects.none()


def sits_on(scope: Scope, team: PlanningTeam, on: datetime.date | None = None) -> bool:
    return (
        scope.person is not None
        and takes_part(scope)
        and seats.holds_seat(scope.person, team, on or timezone.localdate())
    )


def records_for_team(scope: Scope, team: PlanningTeam, on: datetime.date | None = None) -> bool:
    """Whether the person records the team's decisions on that day (today when not given): the
    organization's leaders always, a seat holder on the days of their term only."""
    return leads(scope) or sits_on(scope, team, on)


def records_for_group(scope: Scope, group: WorkingGroup, on: datetime.date | None = None) -> bool:
    return group.status != WorkingGroup.Status.DISBANDED and (steers_group(scope, group) or is_member(scope, group, on))


def visible_decisions(scope: Scope) -> QuerySet[Decision]:
    if not takes_part(scope):
        return Decision.objects.none()
    return Decision.objects.filter(Q(team__isnull=False) | Q(group__in=visible_groups(scope)))
