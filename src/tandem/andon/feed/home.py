"""What the home page shows of the staff feed: the andon board for the leaders who acknowledge
flags, and for everyone on the staff the flags they own that are still open."""

from typing import Any

from django.utils import timezone

from tandem.access.scope import Scope
from tandem.andon.feed import board
from tandem.andon.feed.models import Post
from tandem.andon.feed.visibility import takes_part

SHOWN = 6


def panels(scope: Scope) -> dict[str, Any]:
    if not takes_part(scope):
        return {}
    assert scope.person is not None
    found: dict[str, Any] = {}
    now = timezone.now()
    if board.shows_board(scope):
        shown = board.board(scope, now)
        if shown:
            found["andon_board"] = {
                "unacknowledged": shown.unacknowledged[:SHOWN],
                "unacknowledged_count": len(shown.unacknowledged),
                "late": shown.late,
                "aging": shown.aging[:SHOWN],
                "aging_count": len(shown.aging),
                "now": now,
            }
    owned = Post.objects.filter(owner=scope.person, kind=Post.Kind.FLAG, status__in=board.OPEN).order_by("created_at")
    rows = list(owned[:SHOWN])
    if rows:
        found["my_flags"] = rows
    return found
