"""The andon board: flags nobody has taken on yet (late ones first) and flags that have been open
too long, for the leaders who acknowledge them, on their home page and the board page."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, F, Q, QuerySet
from django.utils import timezone

from tandem.access.scope import Scope
from tandem.andon.feed.models import Post
from tandem.andon.feed.visibility import leads_all, led_regions, takes_part, visible_posts

Status = Post.Status
OPEN = [Status.ACKNOWLEDGED, Status.IN_PROGRESS]


@dataclass
class Board:
    unacknowledged: list[Post]
    late: int
    aging: list[Post]

    def __bool__(self) -> bool:
        return bool(self.unacknowledged or self.aging)


def led_flags(scope: Scope) -> QuerySet[Post]:
    """The flags this person leads: every flag for the organization's leaders, a region's for its
    regional director."""
    flags = visible_posts(scope).filter(kind=Post.Kind.FLAG)
    if leads_all(scope):
        return flags
    regions = led_regions(scope)
    return flags.filter(region__in=regions) if regions else flags.none()


def shows_board(scope: Scope) -> bool:
    return takes_part(scope) and (leads_all(scope) or bool(led_regions(scope)))


def board(scope: Scope, now: datetime.datetime | None = None, limit: int | None = None) -> Board:
    now = now or timezone.now()
    # Everything a row shows (on the page and in the API), read with the flags: no query per flag.
    flags = (
        led_flags(scope)
        .select_related("author", "owner", "school", "partnership", "region")
        .prefetch_related("topics")
        .annotate(n_me_too=Count("me_toos", distinct=True), n_comments=Count("comments", distinct=True))
    )
    raised = flags.filter(status=Status.RAISED).order_by("acknowledge_due", "pk")
    aging_since = now - datetime.timedelta(days=settings.FEED_AGING_DAYS)
    aging = flags.filter(status__in=OPEN, created_at__lt=aging_since).order_by("created_at", "pk")
    return Board(
        unacknowledged=list(raised[:limit] if limit else raised),
        late=raised.filter(acknowledge_due__lt=now).count(),
        aging=list(aging[:limit] if limit else aging),
    )


def is_late(post: Post, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return post.status == Status.RAISED and post.acknowledge_due is not None and post.acknowledge_due < now


def is_aging(post: Post, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return post.status in OPEN and post.created_at < now - datetime.timedelta(days=settings.FEED_AGING_DAYS)


def acknowledge_times(scope: Scope, since: datetime.datetime) -> dict[str, int]:
    """How many flags raised since then were acknowledged on time, late, or are still waiting."""
    flags = led_flags(scope).filter(created_at__gte=since)
    on_time = Q(acknowledged_at__isnull=False, acknowledged_at__lte=F("acknowledge_due"))
    return flags.aggregate(
        raised=Count("pk"),
        on_time=Count("pk", filter=on_time),
        waiting=Count("pk", filter=Q(acknowledged_at__isnull=True, status=Status.RAISED)),
    )
