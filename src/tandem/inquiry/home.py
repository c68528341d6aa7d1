"""What the home page shows of cycles of inquiry: a person's own active cycles, their overdue
actions, and for leaders the cycles in their reach that are stalled or overdue (the portfolio's
"needs attention" filter)."""

import datetime
from typing import Any

from django.db.models import Q

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.inquiry.health import health, overdue_actions, stalled_or_overdue
from tandem.inquiry.models import Action, Cycle
from tandem.inquiry.visibility import visible_cycles

SHOWN = 8


def panels(scope: Scope, today: datetime.date) -> dict[str, Any]:
    person = scope.person
    assert person is not None
    found: dict[str, Any] = {}
    mine = (
        visible_cycles(scope)
        .filter(Q(owner=person) | Q(members=person) | Q(coach=person), status=Cycle.Status.ACTIVE)
        .select_related("school", "district", "team", "region", "partnership")
        .order_by("ends_on", "pk")
        .distinct()
    )
    rows = [{"cycle": c, "health": health(c, today)} for c in mine[:SHOWN]]
    if rows:
        found["my_cycles"] = rows
        found["my_cycle_count"] = mine.count()
    late = overdue_actions(Action.objects.filter(owner=person), today).select_related("cycle").order_by("due_on")
    if late.exists():
        found["my_overdue_actions"] = list(late[:SHOWN])
        found["my_overdue_action_count"] = late.count()
    if scope.can(Capability.LEAD):
        led = stalled_or_overdue(visible_cycles(scope).exclude(level=Cycle.Level.INDIVIDUAL), today)
        led = led.select_related("owner", "school", "district", "region", "team").order_by("ends_on")
        attention = list(led[:SHOWN])
        if attention:
            found["cycles_attention"] = [{"cycle": c, "health": health(c, today)} for c in attention]
            found["cycles_attention_count"] = led.count()
    return found
