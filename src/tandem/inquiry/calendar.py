"""When a new cycle runs by default: from the end of the last benchmark window to the start of
the next one, so that each cycle is judged on fresh interim data."""

import datetime

from tandem.achievement.codes import AssessmentKind
from tandem.achievement.models import Administration

# Without benchmark dates on file: about the six to eight weeks teams usually give a cycle.
DEFAULT_WEEKS = 8


def default_span(today: datetime.date) -> tuple[datetime.date, datetime.date]:
    windows = Administration.objects.filter(
        assessment__kind=AssessmentKind.INTERIM, starts_on__isnull=False, ends_on__isnull=False
    )
    following = windows.filter(starts_on__gt=today).order_by("starts_on").first()
    if following is None:
        return today, today + datetime.timedelta(weeks=DEFAULT_WEEKS)
    last = windows.filter(ends_on__lte=today).order_by("-ends_on").first()
    starts = today if last is None else max(today, last.ends_on + datetime.timedelta(days=1))
    ends = following.starts_on - datetime.timedelta(days=1)
    if ends <= starts:
        return today, today + datetime.timedelta(weeks=DEFAULT_WEEKS)
    return starts, ends
