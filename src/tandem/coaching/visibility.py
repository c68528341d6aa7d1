"""Who sees coaching and who may change it, from the scope engine's reach.

- A coach sees the relationships they coach; a coachee (or a member of a coached team) sees their
  own: its sessions' shared notes, goals and ratings.
- Supervisors (the SUPERVISE_COACHING capability: org admins, national leaders, regional
  directors) see the coaching in the schools they reach: activity, goals and ratings.
- Private notes are read by their author alone, through `my_notes`, and by nothing else.
"""

from django.db.models import Q, QuerySet

from tandem.access.roles import Capability
from tandem.access.scope import ALL, Scope
from tandem.coaching.models import PrivateNote, Relationship
from tandem.orgs.models import Person

SUPERVISE = Capability.SUPERVISE_COACHING


def visible_relationships(scope: Scope) -> QuerySet[Relationship]:
    person = scope.person
    if person is None:
        return Relationship.objects.none()
    reach = scope.school_ids(SUPERVISE)
    if reach is ALL:
        return Relationship.objects.all()
    assert isinstance(reach, frozenset)
    q = Q(coach=person) | Q(coachee=person) | Q(team__members=person)
    if reach:
        q |= Q(school_id__in=reach)
    return Relationship.objects.filter(pk__in=Relationship.objects.filter(q).values("pk"))


def supervises(scope: Scope, relationship: Relationship) -> bool:
    if relationship.school_id is None:
        return scope.is_org_wide(SUPERVISE)
    return scope.covers_school(SUPERVISE, relationship.school_id)


def is_coachee(person: Person, relationship: Relationship) -> bool:
    if relationship.coachee_id is not None:
        return relationship.coachee_id == person.pk
    return bool(relationship.team_id and relationship.team.members.filter(pk=person.pk).exists())  # type: ignore[union-attr]


def can_coach(person: Person, relationship: Relationship) -> bool:
    """Log sessions, keep private notes, rate: the coach of the relationship."""
    return relationship.coach_id == person.pk


def can_manage(scope: Scope, relationship: Relationship) -> bool:
    """Set goals, start coaching cycles, change or end the relationship: its coach or a supervisor."""
    assert scope.person is not None
    return can_coach(scope.person, relationship) or supervises(scope, relationship)


def my_notes(person: Person) -> QuerySet[PrivateNote]:
    """The only way private notes are read."""
    return PrivateNote.objects.filter(author=person)
