"""What the home page shows of the practice library: what was published or reported lately."""

from typing import Any

from tandem.access.scope import Scope
from tandem.practices.models import Practice
from tandem.practices.visibility import reads_library, visible_practices

SHOWN = 5


def panels(scope: Scope) -> dict[str, Any]:
    if not reads_library(scope):
        return {}
    recent = (
        visible_practices(scope)
        .filter(status=Practice.Status.PUBLISHED)
        .order_by("-updated_at", "pk")
        .only("pk", "title", "evidence", "updated_at")[:SHOWN]
    )
    rows = list(recent)
    return {"library_news": rows} if rows else {}
