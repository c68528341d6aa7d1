"""Who sees the learning spaces and who plans them, decided from the scope engine's reach.

- The organization's staff see every session, the agenda (draft or published) and the reports:
  learning is how the organization works, and nothing here is student data.
- Anyone else (principals and teachers, network members, funders) sees only the sessions they are
  invited to — as a guest, a facilitator, a member of an invited team, or because their attendance
  was taken — and nothing of the agenda or the reports.
- Planning (session types, priorities, rhythms, days off, generating sessions, publishing the
  agenda) is for the organization's leaders; a regional director plans the rhythms of their region.
- A session's facilitators and planners keep its notes, materials and attendance.
"""

from django.db.models import QuerySet

from tandem.access.roles import Capability
from tandem.access.scope import ALL, Scope
from tandem.learning.invitations import sessions_for
from tandem.learning.models import Rhythm, Session
from tandem.orgs.models import Region, School

LEAD = Capability.LEAD


def is_staff(scope: Scope) -> bool:
    return scope.person is not None and scope.is_staff_member()


def visible_sessions(scope: Scope) -> QuerySet[Session]:
    person = scope.person
    if person is None:
        return Session.objects.none()
    if is_staff(scope):
        return Session.objects.all()
    return sessions_for(person)


def team_sessions(team_id: int) -> QuerySet[Session]:
    return Session.objects.filter(pk__in=Session.objects.filter(teams=team_id).values("pk"))


def plans_all(scope: Scope) -> bool:
    return scope.person is not None and scope.is_org_wide(LEAD)


def plans_region(scope: Scope, region: Region | None) -> bool:
    """Leaders of the organization plan every rhythm; a leader of every school in a region, its own."""
    if plans_all(scope):
        return True
    if region is None:
        return False
    reach = scope.school_ids(LEAD)
    if reach is ALL:
        return True
    assert isinstance(reach, frozenset)
    schools = set(School.objects.filter(district__region=region).values_list("pk", flat=True))
    return bool(schools) and schools <= reach and is_staff(scope)


def plans_any(scope: Scope) -> bool:
    """Whether the person plans some rhythm: the whole organization's, or a region's."""
    return plans_all(scope) or any(plans_region(scope, r) for r in scope.regions())


def plans_rhythm(scope: Scope, rhythm: Rhythm) -> bool:
    return plans_region(scope, rhythm.region)


def plans_session(scope: Scope, session: Session) -> bool:
    if plans_all(scope):
        return True
    rhythm = session.slot.rhythm if session.slot_id else session.day_off.rhythm if session.day_off_id else None
    return rhythm is not None and rhythm.region is not None and plans_region(scope, rhythm.region)


def keeps_record(scope: Scope, session: Session) -> bool:
    """Notes, materials and attendance: the facilitators and the session's planners."""
    assert scope.person is not None
    return session.facilitators.filter(pk=scope.person.pk).exists() or plans_session(scope, session)


def may_add_takeaway(scope: Scope, session: Session) -> bool:
    """Anyone who sees the session (its participants)."""
    return visible_sessions(scope).filter(pk=session.pk).exists()
