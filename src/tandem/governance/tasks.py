"""The daily round of elections, run by the background worker: open the elections that are due
and count those whose voting has closed. Each run queues the next one for the following day;
`tandem worker` makes sure one is queued when it starts."""

import datetime

from django.db import transaction
from django.tasks import task
from django.utils import timezone

from tandem.governance import elections

EVERY = datetime.timedelta(days=1)


@task
def daily_tick() -> dict[str, int]:
    try:
        return elections.tick()
    finally:
        # Queued even when the round fails: one bad election must not stop the rounds after it.
        daily_tick.using(run_after=timezone.now() + EVERY).enqueue()


def ensure_daily() -> None:
    """Queue the daily round unless one is waiting already."""
    from django_tasks_db.models import DBTaskResult

    path = f"{daily_tick.func.__module__}.{daily_tick.func.__qualname__}"
    with transaction.atomic():
        if not DBTaskResult.objects.filter(task_path=path, status="READY").exists():
            daily_tick.enqueue()
