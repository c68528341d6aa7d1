"""Where a cycle stands: on track, stalled (nothing has happened for a while), overdue (past its
end and not finished), completed or closed; and which of its actions are overdue."""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from tandem.inquiry.models import Action, Cycle

# Three weeks without a finished step or a new artifact: about one missed meeting cycle of a team.
STALL_DAYS = 21

ON_TRACK, STALLED, OVERDUE, COMPLETED, CLOSED = "on track", "stalled", "overdue", "completed", "closed"
ORDER = [OVERDUE, STALLED, ON_TRACK, COMPLETED, CLOSED]


@dataclass(frozen=True)
class Health:
    label: str
    reason: str

    @property
    def needs_attention(self) -> bool:
        return self.label in (OVERDUE, STALLED)


def health(cycle: Cycle, today: datetime.date | None = None) -> Health:
    today = today or timezone.localdate()
    if cycle.status == Cycle.Status.COMPLETED:
        return Health(COMPLETED, f"Finished on {cycle.finished_on:%b %-d, %Y}." if cycle.finished_on else "Finished.")
    if cycle.status == Cycle.Status.CLOSED:
        return Health(CLOSED, "Closed before its last step.")
    if cycle.ends_on < today:
        return Health(OVERDUE, f"Planned to end on {cycle.ends_on:%b %-d, %Y}; not finished yet.")
    quiet = (today - timezone.localdate(cycle.last_activity_at)).days
    if quiet >= STALL_DAYS:
        return Health(STALLED, f"Nothing has happened for {quiet} days.")
    return Health(ON_TRACK, "Moving.")


def stalled_or_overdue(cycles: QuerySet[Cycle], today: datetime.date | None = None) -> QuerySet[Cycle]:
    """The active cycles among these that need attention, as one query."""
    today = today or timezone.localdate()
    # The same line `health` draws: last active STALL_DAYS or more local days before today.
    quiet_since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(days=STALL_DAYS - 1), datetime.time.min)
    )
    return cycles.filter(status=Cycle.Status.ACTIVE).filter(Q(ends_on__lt=today) | Q(last_activity_at__lt=quiet_since))


def overdue_actions(actions: QuerySet[Action], today: datetime.date | None = None) -> QuerySet[Action]:
    today = today or timezone.localdate()
    return actions.filter(
        status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS], due_on__lt=today, cycle__status="active"
    )


def with_overdue_counts(cycles: QuerySet[Cycle], today: datetime.date | None = None) -> QuerySet[Cycle]:
    today = today or timezone.localdate()
    # Only an active cycle's actions can be late: a finished cycle's open ones were carried over or let go.
    late = Q(
        status=Cycle.Status.ACTIVE,
        actions__status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS],
        actions__due_on__lt=today,
    )
    return cycles.annotate(overdue_actions=Count("actions", filter=late, distinct=True))
