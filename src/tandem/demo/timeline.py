"""What the demo's ten-week stories (the help desk, the staff feed) share: the moment a story says
something happened, its audit entries dated to that moment, and when each of a story's steps
happened. The actions they go through stamp the real time; the stories set it back."""

import datetime
import random
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db.models import Max
from django.utils import timezone

from tandem.access.models import AuditEntry

# A step of a story: what happens, how many hours after the story began, and its own details.
Step = tuple[str, float, *tuple[str, ...]]


def moment(day: datetime.date, at: str) -> datetime.datetime:
    """`at` (a local time, "14:20") on `day`, in the organization's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(at)))


@contextmanager
def dated(at: datetime.datetime) -> Iterator[None]:
    """Date the audit entries written inside at `at`."""
    first = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    yield
    AuditEntry.objects.filter(pk__gt=first).update(at=at)


def step_times(
    start: datetime.datetime, steps: Iterable[Step], end: datetime.datetime, rng: random.Random
) -> Iterator[tuple[datetime.datetime, Step]]:
    """Each step (its second item: hours after `start`) with when it happened, a few minutes either
    way and never at the same moment as the step before; the steps due at `end` or later have not
    happened yet."""
    last = start
    for step in steps:
        at = start + datetime.timedelta(hours=step[1], minutes=rng.randint(0, 8))
        at = max(at, last + datetime.timedelta(minutes=3))
        last = at
        if at >= end:
            return
        yield at, step
