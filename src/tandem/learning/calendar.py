"""Calendar expansion: a template week, a span of days and the days off → the sessions' instants.

Plain functions over plain data, so the rules are tested without a database:

- A slot is a wall-clock time in the rhythm's zone: 9:00 on a Tuesday is 9:00 on every Tuesday,
  before and after a daylight-saving change (its UTC instant moves by an hour).
- A wall-clock time that does not exist (inside the spring-forward gap) is read with the offset
  before the gap, as RFC 5545 does: 2:30 on that Sunday becomes 3:30. A time that happens twice
  (the fall-back hour) is its first occurrence.
- A session lasts its minutes of elapsed time, even across a change.
- A slot every second or fourth week counts weeks from the Monday of the rhythm's first week;
  breaks do not shift the count, so "every other Thursday" keeps its Thursdays after a break.
- No regular session is held on a day off (holiday, break or convening day).
"""

import datetime
import zoneinfo
from collections.abc import Iterable
from dataclasses import dataclass

UTC = datetime.UTC


@dataclass(frozen=True)
class SlotRule:
    key: int
    weekday: int  # Monday is 0
    start: datetime.time
    minutes: int
    every_weeks: int = 1
    week_offset: int = 0


@dataclass(frozen=True)
class Closure:
    first: datetime.date
    last: datetime.date

    def covers(self, day: datetime.date) -> bool:
        return self.first <= day <= self.last


@dataclass(frozen=True)
class Occurrence:
    key: int
    day: datetime.date
    starts: datetime.datetime  # UTC
    ends: datetime.datetime  # UTC


def instant(day: datetime.date, start: datetime.time, zone: str) -> datetime.datetime:
    """The UTC instant of a wall-clock time on a day in a zone (gap and overlap as above)."""
    local = datetime.datetime.combine(day, start, tzinfo=zoneinfo.ZoneInfo(zone)).replace(fold=0)
    return local.astimezone(UTC)


def days(first: datetime.date, last: datetime.date) -> Iterable[datetime.date]:
    day = first
    while day <= last:
        yield day
        day += datetime.timedelta(days=1)


def expand(
    slots: Iterable[SlotRule],
    first: datetime.date,
    last: datetime.date,
    zone: str,
    closures: Iterable[Closure] = (),
) -> list[Occurrence]:
    """Every occurrence of the slots from `first` to `last` (inclusive), in time order."""
    slots = list(slots)
    closures = list(closures)
    week_zero = first - datetime.timedelta(days=first.weekday())
    found = []
    for day in days(first, last):
        if any(c.covers(day) for c in closures):
            continue
        week = (day - week_zero).days // 7
        for slot in slots:
            if slot.weekday != day.weekday() or (week - slot.week_offset) % slot.every_weeks:
                continue
            starts = instant(day, slot.start, zone)
            found.append(Occurrence(slot.key, day, starts, starts + datetime.timedelta(minutes=slot.minutes)))
    found.sort(key=lambda o: (o.starts, o.key))
    return found


def convening(
    key: int, first: datetime.date, last: datetime.date, start: datetime.time, minutes: int, zone: str
) -> list[Occurrence]:
    """A convening is held every weekday of its span (every day of a span of weekend days only)."""
    span = [d for d in days(first, last) if d.weekday() < 5] or list(days(first, last))
    return [
        Occurrence(key, d, instant(d, start, zone), instant(d, start, zone) + datetime.timedelta(minutes=minutes))
        for d in span
    ]


def month_grid(month: datetime.date) -> list[list[datetime.date]]:
    """The weeks (Monday first) that show a month, with the neighbouring months' days at the edges."""
    first = month.replace(day=1)
    start = first - datetime.timedelta(days=first.weekday())
    following = (first + datetime.timedelta(days=32)).replace(day=1)
    weeks = []
    day = start
    while day < following:
        weeks.append([day + datetime.timedelta(days=n) for n in range(7)])
        day += datetime.timedelta(days=7)
    return weeks


def school_months(school_year: int) -> list[datetime.date]:
    """The first days of the twelve months of a school year (July to June)."""
    return [datetime.date(school_year - 1, m, 1) for m in range(7, 13)] + [
        datetime.date(school_year, m, 1) for m in range(1, 7)
    ]
