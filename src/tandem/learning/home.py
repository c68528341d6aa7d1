"""What the home page shows of the learning spaces: the person's next sessions."""

from typing import Any

from django.utils import timezone

from tandem.access.scope import Scope
from tandem.learning.invitations import sessions_for
from tandem.learning.models import Session

SHOWN = 5


def panels(scope: Scope) -> dict[str, Any]:
    assert scope.person is not None
    upcoming = (
        sessions_for(scope.person)
        .filter(ends_at__gte=timezone.now(), status=Session.Status.SCHEDULED)
        .select_related("session_type")
        .order_by("starts_at", "pk")[:SHOWN]
    )
    rows = list(upcoming)
    return {"my_sessions": rows} if rows else {}
