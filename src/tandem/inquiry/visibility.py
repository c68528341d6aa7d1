"""Who sees a cycle and who may work on it, decided from the scope engine's reach.

- Everyone sees the cycles they own, belong to or coach.
- Individual cycles: only their owner, members and coach (or supervisor).
- Team, school, district and region cycles: also the leaders (the LEAD capability) whose reach
  covers every school the cycle works in; a cycle of one of the organization's teams, its members
  and the leaders of the team's region.
- Cycles of the whole organization: everyone on its staff.

Working on a cycle (steps, artifacts) is for its owner, members, coach and leaders; changing its
settings, closing it or starting the next one is for its owner and leaders.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.access.roles import Capability
from tandem.access.scope import ALL, Scope
from tandem.inquiry.models import Cycle
from tandem.orgs.models import District, Person, Region, School
from tandem.partnerships.models import PartnershipSchool

LEAD = Capability.LEAD
Level = Cycle.Level


def visible_cycles(scope: Scope) -> QuerySet[Cycle]:
    person = scope.person
    if person is None:
        return Cycle.objects.none()
    ids = Cycle.objects.filter(_own(person) | _led(scope)).values("pk")
    return Cycle.objects.filter(pk__in=ids)


def _own(person: Person) -> Q:
    return Q(owner=person) | Q(members=person) | Q(coach=person) | Q(team__members=person, level=Level.TEAM)


def _led(scope: Scope) -> Q:
    """Cycles (not individual ones) that the person's leader reach covers."""
    q = Q(level=Level.ORGANIZATION) if scope.is_staff_member() else Q(pk__in=[])
    reach = scope.school_ids(LEAD)
    if reach is ALL:
        return q | ~Q(level=Level.INDIVIDUAL)
    assert isinstance(reach, frozenset)
    if not reach:
        return q
    covered = (
        Q(school_id__in=reach)
        | Q(district__in=_whole(District.objects.all(), "schools", reach))
        | Q(region__in=_whole(Region.objects.all(), "districts__schools", reach))
        | Q(partnership__in=scope.partnerships(LEAD))
        | Q(team__region__in=_whole(Region.objects.all(), "districts__schools", reach))
    )
    return q | (covered & ~Q(level__in=[Level.INDIVIDUAL, Level.ORGANIZATION]))


def _whole(qs: QuerySet, path: str, reach: frozenset[int]) -> QuerySet:
    """The places all of whose schools are within reach (and that have at least one)."""
    outside = School.objects.exclude(pk__in=reach)
    if path == "schools":
        outside = outside.filter(district=OuterRef("pk"))
    else:
        outside = outside.filter(district__region=OuterRef("pk"))
    return qs.filter(**{f"{path}__in": reach}).exclude(Exists(outside)).distinct()


def leads(scope: Scope, cycle: Cycle) -> bool:
    """Whether the person is one of the cycle's leaders (not merely one of its team)."""
    if cycle.level == Level.INDIVIDUAL:
        return False
    if cycle.level == Level.ORGANIZATION:
        return scope.is_org_wide(LEAD)
    return Cycle.objects.filter(pk=cycle.pk).filter(_led(scope)).exists()


def is_on_team(person: Person, cycle: Cycle) -> bool:
    if person.pk in (cycle.owner_id, cycle.coach_id):
        return True
    if cycle.members.filter(pk=person.pk).exists():
        return True
    return bool(cycle.team_id and cycle.level == Level.TEAM and cycle.team.members.filter(pk=person.pk).exists())


def can_contribute(scope: Scope, cycle: Cycle) -> bool:
    assert scope.person is not None
    return is_on_team(scope.person, cycle) or leads(scope, cycle)


def contributable_cycles(scope: Scope) -> QuerySet[Cycle]:
    """The cycles `can_contribute` allows, found in one query (to offer them in a list)."""
    person = scope.person
    if person is None:
        return Cycle.objects.none()
    led = _led(scope) & ~Q(level__in=[Level.INDIVIDUAL, Level.ORGANIZATION])
    if scope.is_org_wide(LEAD):
        led |= Q(level=Level.ORGANIZATION)
    ids = Cycle.objects.filter(_own(person) | led).values("pk")
    return Cycle.objects.filter(pk__in=ids)


def can_manage(scope: Scope, cycle: Cycle) -> bool:
    assert scope.person is not None
    return scope.person.pk == cycle.owner_id or leads(scope, cycle)


def may_start(scope: Scope, cycle: Cycle) -> str | None:
    """Why the person may not start a cycle at this level and place (None when they may)."""
    level = cycle.level
    if level == Level.INDIVIDUAL:
        if cycle.school_id and not scope.covers_school(Capability.VIEW, cycle.school_id):
            return "You can start an individual cycle only at a school you work with."
        return None
    if level == Level.ORGANIZATION:
        return None if scope.is_org_wide(LEAD) else "Only the organization's leaders start its own cycles."
    if level == Level.TEAM and cycle.school_id:
        # Grade-level and instructional teams are led by the teachers of the school as well.
        if scope.covers_school(Capability.VIEW_STUDENTS, cycle.school_id):
            return None
        return "You can start a team cycle only at a school where you work with student data."
    if level == Level.TEAM and cycle.team_id:
        if scope.is_org_wide(LEAD) or cycle.team.members.filter(pk=scope.person.pk).exists():  # type: ignore[union-attr]
            return None
        return "You can start a cycle for a team only as one of its members."
    schools = schools_of(cycle)
    reach = scope.school_ids(LEAD)
    if schools and (reach is ALL or schools <= reach):  # type: ignore[operator]
        return None
    return "You can start a cycle here only where you lead every school it covers."


def schools_of(cycle: Cycle) -> set[int]:
    """The schools a cycle works in (empty for an organization's team or the whole organization)."""
    if cycle.school_id:
        return {cycle.school_id}
    if cycle.district_id:
        return set(School.objects.filter(district_id=cycle.district_id).values_list("pk", flat=True))
    if cycle.region_id:
        return set(School.objects.filter(district__region_id=cycle.region_id).values_list("pk", flat=True))
    if cycle.partnership_id:
        return set(
            PartnershipSchool.objects.filter(partnership_id=cycle.partnership_id).values_list("school_id", flat=True)
        )
    return set()
