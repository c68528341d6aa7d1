"""Finding posts: words anywhere in a post or its comments, and filters by kind, status, topic and
place. The page and the API read the same filters through this one function."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from tandem.access.scope import Scope
from tandem.andon.feed.models import Comment, Post
from tandem.andon.feed.visibility import visible_posts

# A flag still needing someone: raised, acknowledged or in progress.
# The status filter's value for them ("open" is the status of every question and idea).
OPEN_FLAGS = "open_flags"
OPEN_FLAG = [Post.Status.RAISED, Post.Status.ACKNOWLEDGED, Post.Status.IN_PROGRESS]


@dataclass
class Filters:
    q: str = ""
    kind: str = ""
    status: str = ""  # a status, or OPEN_FLAGS for flags still needing someone
    topic: int | None = None
    school: int | None = None
    region: int | None = None
    partnership: int | None = None
    mine: bool = False
    unanswered: bool = False


def find(scope: Scope, f: Filters) -> QuerySet[Post]:
    posts = visible_posts(scope)
    if f.kind:
        posts = posts.filter(kind=f.kind)
    if f.status == OPEN_FLAGS:
        posts = posts.filter(kind=Post.Kind.FLAG, status__in=OPEN_FLAG)
    elif f.status:
        posts = posts.filter(status=f.status)
    if f.topic:
        posts = posts.filter(topics=f.topic)
    if f.school:
        posts = posts.filter(school=f.school)
    if f.region:
        posts = posts.filter(region=f.region)
    if f.partnership:
        posts = posts.filter(partnership=f.partnership)
    if f.mine and scope.person is not None:
        me = scope.person.pk
        posts = posts.filter(Q(author=me) | Q(owner=me) | Q(mentions=me) | Q(me_toos__person=me))
    if f.unanswered:
        posts = posts.filter(kind=Post.Kind.QUESTION, accepted_answer__isnull=True)
    # A NUL character is no part of any word (and PostgreSQL refuses it in a query).
    for word in f.q.replace("\x00", " ").split()[:8]:
        in_comments = Exists(Comment.objects.filter(post=OuterRef("pk"), body__icontains=word))
        posts = posts.filter(Q(title__icontains=word) | Q(body__icontains=word) | in_comments)
    # Each filter on a many-valued relation can repeat a post; the ids make the list unique.
    return (
        Post.objects.filter(pk__in=posts.values("pk"))
        .select_related("author", "owner", "school", "region", "partnership")
        .prefetch_related("topics")
        .annotate(n_comments=Count("comments", distinct=True), n_me_too=Count("me_toos", distinct=True))
        .order_by("-last_activity_at", "-pk")
    )
