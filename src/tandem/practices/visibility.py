"""Who reads and who writes the practice library, decided from the scope engine's roles and reach.

- Everyone who works in or with the schools reads the published library: the organization's staff,
  principals, teachers, district leaders and network members. Funders do not (they see aggregate
  results and impact reports only). Nothing in the library is student-level data: the outcomes of
  the cycles behind a practice are shown through the suppression engine, like every aggregate.
- A draft is seen by its author and by the library's editors: the organization's leaders (leading
  across the whole organization), who also publish, unpublish and edit any practice.
- Any reader drafts practices, comments, and files "we tried this" for a school within their reach.
"""

from django.db.models import Q, QuerySet

from tandem.access.roles import Capability, Role
from tandem.access.scope import Scope
from tandem.practices.models import Practice, Trial


def reads_library(scope: Scope) -> bool:
    if scope.person is None or not scope.person.is_active:
        return False
    return bool(scope.role_names() - {Role.FUNDER.value})


def edits_library(scope: Scope) -> bool:
    return reads_library(scope) and scope.is_org_wide(Capability.LEAD)


def visible_practices(scope: Scope) -> QuerySet[Practice]:
    if not reads_library(scope):
        return Practice.objects.none()
    if edits_library(scope):
        return Practice.objects.all()
    return Practice.objects.filter(Q(status=Practice.Status.PUBLISHED) | Q(author=scope.person))


def may_edit(scope: Scope, practice: Practice) -> bool:
    """Its author and the library's editors change a practice and its evidence."""
    assert scope.person is not None
    return edits_library(scope) or (reads_library(scope) and practice.author_id == scope.person.pk)


def may_report(scope: Scope, school_id: int) -> bool:
    """A "we tried this" report speaks for a school: its reporter must reach that school."""
    return reads_library(scope) and scope.covers_school(Capability.VIEW, school_id)


def may_remove_trial(scope: Scope, trial: Trial) -> bool:
    assert scope.person is not None
    return trial.reported_by_id == scope.person.pk or may_edit(scope, trial.practice)
