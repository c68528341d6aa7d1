"""Who sees the leadership network and who runs it.

- The network's directory (cohorts and their members: name, role, school, email) is for the
  organization's staff and for the network's own members, present and past: it exists so that
  leaders can reach one another. Nothing in it is student data.
- The organization's leaders (leading across the whole organization) create cohorts, add and
  remove members and schedule convenings; a cohort's facilitators do so for their cohort.
- Convenings are learning sessions: who sees one is decided by the learning spaces' rules, which
  invite every member of the cohorts a convening names.
"""

from django.db.models import QuerySet

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.network.models import Cohort, Member


def is_member(scope: Scope) -> bool:
    return scope.person is not None and Member.objects.filter(person=scope.person).exists()


def sees_directory(scope: Scope) -> bool:
    if scope.person is None or not scope.person.is_active:
        return False
    return scope.is_staff_member() or is_member(scope)


def visible_cohorts(scope: Scope) -> QuerySet[Cohort]:
    return Cohort.objects.all() if sees_directory(scope) else Cohort.objects.none()


def visible_members(scope: Scope) -> QuerySet[Member]:
    return Member.objects.filter(cohort__in=visible_cohorts(scope))


def manages_network(scope: Scope) -> bool:
    return scope.person is not None and scope.is_staff_member() and scope.is_org_wide(Capability.LEAD)


def manages_cohort(scope: Scope, cohort: Cohort) -> bool:
    if manages_network(scope):
        return True
    return scope.person is not None and cohort.facilitators.filter(pk=scope.person.pk).exists()
