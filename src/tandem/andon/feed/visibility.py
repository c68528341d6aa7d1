"""Who takes part in the staff feed and who sees and steers each post.

- The feed is the organization's staff's (org admins, national leaders, regional directors,
  coaches, analysts): anyone else finds nothing here, exactly as if it did not exist.
- Every post is visible to all staff, except a restricted flag: its author, its owner and the
  organization's leaders see it, and nobody else.
- Flags are acknowledged (owned) by leaders: the organization's leaders any flag, a regional
  director the flags of their region. The owner then moves it along; leaders can always step in.
"""

from django.db.models import Q, QuerySet

from tandem.access.roles import Capability, Role
from tandem.access.scope import Scope
from tandem.andon.feed.models import Notification, Post
from tandem.orgs.models import Person, Team

LEAD = Capability.LEAD


def takes_part(scope: Scope) -> bool:
    return scope.person is not None and scope.person.is_active and scope.is_staff_member()


def leads_all(scope: Scope) -> bool:
    return takes_part(scope) and scope.is_org_wide(LEAD)


def led_regions(scope: Scope) -> set[int]:
    return {r.region_id for r in scope.roles if r.role == Role.REGIONAL_DIRECTOR and r.region_id}


def visible_posts(scope: Scope) -> QuerySet[Post]:
    if not takes_part(scope):
        return Post.objects.none()
    if leads_all(scope):
        return Post.objects.all()
    assert scope.person is not None
    me = scope.person.pk
    return Post.objects.filter(Q(restricted=False) | Q(author=me) | Q(owner=me))


def visible_notifications(scope: Scope) -> QuerySet[Notification]:
    """The person's notifications about posts they can still open (a flag restricted or handed on
    since is left out, so nobody learns even that something happened there)."""
    if not takes_part(scope):
        return Notification.objects.none()
    return Notification.objects.filter(person=scope.person, post__in=visible_posts(scope).values("pk"))


def leads(scope: Scope, post: Post) -> bool:
    """Whether the person may acknowledge this flag, hand it to someone, or step in on it."""
    if leads_all(scope):
        return True
    return takes_part(scope) and post.region_id is not None and post.region_id in led_regions(scope)


def steers(scope: Scope, post: Post) -> bool:
    """Whether the person moves an acknowledged flag along: its owner, or a leader over it."""
    return leads(scope, post) or (takes_part(scope) and scope.person is not None and post.owner_id == scope.person.pk)


def may_accept_answer(scope: Scope, post: Post) -> bool:
    return scope.person is not None and (post.author_id == scope.person.pk or leads_all(scope))


def sees(person: Person, post: Post) -> bool:
    """Whether someone (to be notified, say) can open the post."""
    from tandem.access.scope import scope_for

    return visible_posts(scope_for(person)).filter(pk=post.pk).exists()


def reachable_teams(scope: Scope) -> QuerySet[Team]:
    """The teams a flag can be escalated to, as the inquiry and coaching APIs offer them: the
    person's own teams and those of the regions they see (all of them for org-wide staff)."""
    if scope.is_org_wide():
        return Team.objects.all()
    return Team.objects.filter(Q(members=scope.person) | Q(region__in=scope.regions())).distinct()


def staff_people() -> QuerySet[Person]:
    """Everyone who takes part in the feed today: to mention, or to hand a flag to."""
    from django.utils import timezone

    from tandem.access.models import RoleAssignment
    from tandem.access.roles import STAFF_ROLES

    holders = RoleAssignment.objects.active(timezone.localdate()).filter(role__in=STAFF_ROLES)
    return Person.objects.filter(is_active=True, pk__in=holders.values("person")).order_by("full_name")
