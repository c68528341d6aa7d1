"""The calendar rules as plain functions: weekly expansion, parity, days off, daylight saving."""

import datetime
from zoneinfo import ZoneInfo

from tandem.learning import calendar
from tandem.learning.calendar import Closure, SlotRule

D = datetime.date
T = datetime.time
UTC = datetime.UTC
LA = "America/Los_Angeles"
NY = "America/New_York"

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _days(occurrences: list[calendar.Occurrence]) -> list[datetime.date]:
    return [o.day for o in occurrences]


def _by_day(occurrences: list[calendar.Occurrence]) -> dict[datetime.date, calendar.Occurrence]:
    return {o.day: o for o in occurrences}


# -- weekly expansion ---------------------------------------------------------------------------


def test_weekly_slots_expand_over_the_span_inclusive_and_in_time_order() -> None:
    tuesday = SlotRule(1, TUE, T(9, 0), 60)
    thursday = SlotRule(2, THU, T(15, 30), 45)
    # Tuesday 1 September 2026 to Thursday 17 September 2026, both ends included.
    found = calendar.expand([thursday, tuesday], D(2026, 9, 1), D(2026, 9, 17), LA)
    assert [(o.key, o.day) for o in found] == [
        (1, D(2026, 9, 1)),
        (2, D(2026, 9, 3)),
        (1, D(2026, 9, 8)),
        (2, D(2026, 9, 10)),
        (1, D(2026, 9, 15)),
        (2, D(2026, 9, 17)),
    ]
    # Pacific daylight time is UTC-7 in September.
    assert found[0].starts == utc(2026, 9, 1, 16, 0)
    assert found[0].ends == utc(2026, 9, 1, 17, 0)
    assert found[1].starts == utc(2026, 9, 3, 22, 30)
    assert found[1].ends == utc(2026, 9, 3, 23, 15)
    assert all(o.starts.tzinfo is UTC and o.ends.tzinfo is UTC for o in found)


def test_slots_at_the_same_instant_are_ordered_by_key() -> None:
    found = calendar.expand(
        [SlotRule(7, MON, T(10, 0), 30), SlotRule(3, MON, T(10, 0), 90)], D(2026, 9, 14), D(2026, 9, 14), LA
    )
    assert [o.key for o in found] == [3, 7]
    assert [o.ends - o.starts for o in found] == [datetime.timedelta(minutes=90), datetime.timedelta(minutes=30)]


def test_an_empty_or_inverted_span_has_no_occurrences() -> None:
    slot = SlotRule(1, TUE, T(9, 0), 60)
    assert calendar.expand([slot], D(2026, 9, 2), D(2026, 9, 7), LA) == []  # Wednesday to Monday
    assert calendar.expand([slot], D(2026, 9, 8), D(2026, 9, 1), LA) == []


# -- every other week, every fourth week --------------------------------------------------------


def test_every_other_week_counts_from_the_monday_of_the_first_week() -> None:
    # The span starts on Wednesday 12 August 2026; its first week is the one of Monday 10 August.
    first, last = D(2026, 8, 12), D(2026, 9, 30)
    thursday = SlotRule(1, THU, T(9, 0), 60, every_weeks=2)
    assert _days(calendar.expand([thursday], first, last, LA)) == [
        D(2026, 8, 13),
        D(2026, 8, 27),
        D(2026, 9, 10),
        D(2026, 9, 24),
    ]
    # Monday 10 August is week 0 but before the span, so the first Monday held is 24 August
    # (week 2), not 17 August.
    monday = SlotRule(2, MON, T(9, 0), 60, every_weeks=2)
    assert _days(calendar.expand([monday], first, last, LA)) == [D(2026, 8, 24), D(2026, 9, 7), D(2026, 9, 21)]
    # The other half of the weeks.
    odd = SlotRule(3, THU, T(9, 0), 60, every_weeks=2, week_offset=1)
    assert _days(calendar.expand([odd], first, last, LA)) == [
        D(2026, 8, 20),
        D(2026, 9, 3),
        D(2026, 9, 17),
    ]


def test_a_break_does_not_shift_the_every_other_week_count() -> None:
    first, last = D(2026, 8, 12), D(2026, 9, 30)
    thursday = SlotRule(1, THU, T(9, 0), 60, every_weeks=2)
    # The week of 24 August is off: its Thursday (27 August, week 2) is not held, and the next one
    # is 10 September (week 4), not 3 September.
    week_off = Closure(D(2026, 8, 24), D(2026, 8, 28))
    assert _days(calendar.expand([thursday], first, last, LA, [week_off])) == [
        D(2026, 8, 13),
        D(2026, 9, 10),
        D(2026, 9, 24),
    ]
    # A break over the off week changes nothing at all.
    off_week = Closure(D(2026, 8, 17), D(2026, 8, 21))
    assert _days(calendar.expand([thursday], first, last, LA, [off_week])) == [
        D(2026, 8, 13),
        D(2026, 8, 27),
        D(2026, 9, 10),
        D(2026, 9, 24),
    ]


def test_every_fourth_week_with_an_offset_and_a_break() -> None:
    first, last = D(2026, 8, 12), D(2026, 12, 31)
    tuesday = SlotRule(1, TUE, T(13, 0), 90, every_weeks=4, week_offset=1)
    # Week 1 is the week of 17 August; then every 28 days.
    assert _days(calendar.expand([tuesday], first, last, LA)) == [
        D(2026, 8, 18),
        D(2026, 9, 15),
        D(2026, 10, 13),
        D(2026, 11, 10),
        D(2026, 12, 8),
    ]
    # A two-week break over 13 October: that one goes and the rest keep their weeks.
    autumn = Closure(D(2026, 10, 5), D(2026, 10, 16))
    assert _days(calendar.expand([tuesday], first, last, LA, [autumn])) == [
        D(2026, 8, 18),
        D(2026, 9, 15),
        D(2026, 11, 10),
        D(2026, 12, 8),
    ]
    offset_zero = SlotRule(2, TUE, T(13, 0), 90, every_weeks=4)
    assert _days(calendar.expand([offset_zero], first, last, LA)) == [
        D(2026, 9, 8),
        D(2026, 10, 6),
        D(2026, 11, 3),
        D(2026, 12, 1),
        D(2026, 12, 29),
    ]


# -- days off -----------------------------------------------------------------------------------


def test_holidays_and_multi_day_breaks_skip_every_session_they_cover() -> None:
    slots = [SlotRule(1, MON, T(9, 0), 60), SlotRule(2, WED, T(9, 0), 60), SlotRule(3, FRI, T(9, 0), 60)]
    labor_day = Closure(D(2026, 9, 7), D(2026, 9, 7))
    # Wednesday 16 to Monday 21 September: both ends are off.
    retreat = Closure(D(2026, 9, 16), D(2026, 9, 21))
    found = calendar.expand(slots, D(2026, 9, 7), D(2026, 9, 25), LA, [labor_day, retreat])
    assert [(o.key, o.day) for o in found] == [
        (2, D(2026, 9, 9)),
        (3, D(2026, 9, 11)),
        (1, D(2026, 9, 14)),
        (2, D(2026, 9, 23)),
        (3, D(2026, 9, 25)),
    ]
    assert Closure(D(2026, 9, 16), D(2026, 9, 21)).covers(D(2026, 9, 16))
    assert Closure(D(2026, 9, 16), D(2026, 9, 21)).covers(D(2026, 9, 21))
    assert not Closure(D(2026, 9, 16), D(2026, 9, 21)).covers(D(2026, 9, 22))
    assert not Closure(D(2026, 9, 16), D(2026, 9, 21)).covers(D(2026, 9, 15))


# -- daylight saving ----------------------------------------------------------------------------


def test_a_tuesday_slot_keeps_its_wall_clock_time_across_both_changes_in_los_angeles() -> None:
    tuesday = SlotRule(1, TUE, T(9, 0), 60)
    found = _by_day(calendar.expand([tuesday], D(2026, 10, 20), D(2027, 3, 23), LA))
    # Fall back on Sunday 1 November 2026: PDT (UTC-7) before, PST (UTC-8) after.
    assert found[D(2026, 10, 27)].starts == utc(2026, 10, 27, 16, 0)
    assert found[D(2026, 11, 3)].starts == utc(2026, 11, 3, 17, 0)
    # Spring forward on Sunday 14 March 2027: PST before, PDT after.
    assert found[D(2027, 3, 9)].starts == utc(2027, 3, 9, 17, 0)
    assert found[D(2027, 3, 16)].starts == utc(2027, 3, 16, 16, 0)
    assert found[D(2027, 3, 16)].ends == utc(2027, 3, 16, 17, 0)
    # Every one of them is 9:00 where it is held.
    zone = ZoneInfo(LA)
    assert {o.starts.astimezone(zone).time() for o in found.values()} == {T(9, 0)}
    assert len(found) == 23


def test_a_time_in_the_spring_forward_gap_is_read_with_the_offset_before_it() -> None:
    sunday = SlotRule(1, SUN, T(2, 30), 60)
    (occ,) = calendar.expand([sunday], D(2027, 3, 14), D(2027, 3, 14), LA)
    # 2:30 PST would be 10:30 UTC, which is 3:30 PDT.
    assert occ.starts == utc(2027, 3, 14, 10, 30)
    assert occ.starts.astimezone(datetime.timezone(datetime.timedelta(hours=-7))).time() == T(3, 30)
    assert occ.ends == utc(2027, 3, 14, 11, 30)
    assert calendar.instant(D(2027, 3, 14), T(2, 30), LA) == utc(2027, 3, 14, 10, 30)


def test_an_ambiguous_time_in_the_fall_back_hour_is_its_first_occurrence() -> None:
    sunday = SlotRule(1, SUN, T(1, 30), 30)
    (occ,) = calendar.expand([sunday], D(2026, 11, 1), D(2026, 11, 1), LA)
    # The first 1:30 is still PDT (UTC-7); the second would be 09:30 UTC.
    assert occ.starts == utc(2026, 11, 1, 8, 30)
    assert occ.ends == utc(2026, 11, 1, 9, 0)
    assert calendar.instant(D(2026, 11, 1), T(1, 30), LA) == utc(2026, 11, 1, 8, 30)


def test_a_session_across_a_change_lasts_its_minutes_of_elapsed_time() -> None:
    zone = ZoneInfo(LA)
    # 0:30 PDT for two hours on the fall-back night ends at 1:30 PST (wall clock says one hour).
    (autumn,) = calendar.expand([SlotRule(1, SUN, T(0, 30), 120)], D(2026, 11, 1), D(2026, 11, 1), LA)
    assert autumn.starts == utc(2026, 11, 1, 7, 30)
    assert autumn.ends == utc(2026, 11, 1, 9, 30)
    assert autumn.ends - autumn.starts == datetime.timedelta(minutes=120)
    end = autumn.ends.astimezone(zone)
    assert (end.time(), end.tzname()) == (T(1, 30), "PST")
    # 1:00 PST for two hours on the spring-forward night ends at 4:00 PDT (wall clock says three).
    (spring,) = calendar.expand([SlotRule(2, SUN, T(1, 0), 120)], D(2027, 3, 14), D(2027, 3, 14), LA)
    assert spring.starts == utc(2027, 3, 14, 9, 0)
    assert spring.ends == utc(2027, 3, 14, 11, 0)
    end = spring.ends.astimezone(zone)
    assert (end.time(), end.tzname()) == (T(4, 0), "PDT")


def test_the_same_rhythm_in_new_york_is_three_hours_earlier_than_in_los_angeles() -> None:
    slots = [SlotRule(1, TUE, T(9, 0), 60), SlotRule(2, SUN, T(1, 30), 60)]
    first, last = D(2026, 10, 1), D(2027, 4, 30)
    west = calendar.expand(slots, first, last, LA)
    east = calendar.expand(slots, first, last, NY)
    assert len(west) == len(east) == 30 + 30  # Tuesdays and Sundays
    assert [(o.key, o.day) for o in west] == [(o.key, o.day) for o in east]
    assert {w.starts - e.starts for w, e in zip(west, east, strict=True)} == {datetime.timedelta(hours=3)}
    assert {w.ends - e.ends for w, e in zip(west, east, strict=True)} == {datetime.timedelta(hours=3)}
    by_day = _by_day([o for o in east if o.key == 1])
    assert by_day[D(2026, 10, 27)].starts == utc(2026, 10, 27, 13, 0)  # EDT, UTC-4
    assert by_day[D(2026, 11, 3)].starts == utc(2026, 11, 3, 14, 0)  # EST, UTC-5


def test_london_changes_on_its_own_dates() -> None:
    tuesday = SlotRule(1, TUE, T(9, 0), 60)
    london = _by_day(calendar.expand([tuesday], D(2026, 10, 20), D(2027, 4, 6), "Europe/London"))
    # British summer time ends on Sunday 25 October 2026 and starts on Sunday 28 March 2027.
    assert london[D(2026, 10, 20)].starts == utc(2026, 10, 20, 8, 0)
    assert london[D(2026, 10, 27)].starts == utc(2026, 10, 27, 9, 0)
    assert london[D(2027, 3, 23)].starts == utc(2027, 3, 23, 9, 0)
    assert london[D(2027, 3, 30)].starts == utc(2027, 3, 30, 8, 0)
    # In the week between the two clock changes London is 7 hours ahead of Los Angeles, not 8.
    west = _by_day(calendar.expand([tuesday], D(2026, 10, 20), D(2026, 11, 3), LA))
    assert west[D(2026, 10, 20)].starts - london[D(2026, 10, 20)].starts == datetime.timedelta(hours=8)
    assert west[D(2026, 10, 27)].starts - london[D(2026, 10, 27)].starts == datetime.timedelta(hours=7)
    assert west[D(2026, 11, 3)].starts - london[D(2026, 11, 3)].starts == datetime.timedelta(hours=8)


def test_sydney_saves_daylight_from_october_to_april() -> None:
    tuesday = SlotRule(1, TUE, T(9, 0), 60)
    sydney = _by_day(calendar.expand([tuesday], D(2026, 9, 29), D(2027, 4, 6), "Australia/Sydney"))
    # AEST (UTC+10) until Sunday 4 October 2026, AEDT (UTC+11) until Sunday 4 April 2027: the local
    # day is a day ahead of the UTC one.
    assert sydney[D(2026, 9, 29)].starts == utc(2026, 9, 28, 23, 0)
    assert sydney[D(2026, 10, 6)].starts == utc(2026, 10, 5, 22, 0)
    assert sydney[D(2027, 3, 30)].starts == utc(2027, 3, 29, 22, 0)
    assert sydney[D(2027, 4, 6)].starts == utc(2027, 4, 5, 23, 0)
    # The gap there: 2:30 on Sunday 4 October 2026 becomes 3:30 AEDT (16:30 UTC the day before).
    assert calendar.instant(D(2026, 10, 4), T(2, 30), "Australia/Sydney") == utc(2026, 10, 3, 16, 30)
    # The repeated hour: 2:30 on Sunday 4 April 2027 is the first one, still AEDT.
    assert calendar.instant(D(2027, 4, 4), T(2, 30), "Australia/Sydney") == utc(2027, 4, 3, 15, 30)


# -- convenings ---------------------------------------------------------------------------------


def test_a_convening_is_held_on_the_weekdays_of_its_span() -> None:
    # Thursday 6 to Tuesday 11 August 2026, over a weekend.
    found = calendar.convening(9, D(2026, 8, 6), D(2026, 8, 11), T(8, 30), 360, LA)
    assert [o.day for o in found] == [D(2026, 8, 6), D(2026, 8, 7), D(2026, 8, 10), D(2026, 8, 11)]
    assert {o.key for o in found} == {9}
    assert found[0].starts == utc(2026, 8, 6, 15, 30)
    assert found[0].ends == utc(2026, 8, 6, 21, 30)
    # Across the fall-back weekend the wall-clock time holds: Friday PDT, Monday PST.
    autumn = calendar.convening(1, D(2026, 10, 30), D(2026, 11, 2), T(9, 0), 60, LA)
    assert [(o.day, o.starts) for o in autumn] == [
        (D(2026, 10, 30), utc(2026, 10, 30, 16, 0)),
        (D(2026, 11, 2), utc(2026, 11, 2, 17, 0)),
    ]


def test_a_convening_on_weekend_days_only_is_held_each_of_them() -> None:
    (saturday,) = calendar.convening(4, D(2026, 8, 8), D(2026, 8, 8), T(10, 0), 240, LA)
    assert (saturday.day, saturday.starts, saturday.ends) == (
        D(2026, 8, 8),
        utc(2026, 8, 8, 17, 0),
        utc(2026, 8, 8, 21, 0),
    )
    weekend = calendar.convening(4, D(2026, 8, 8), D(2026, 8, 9), T(10, 0), 240, LA)
    assert [(o.day, o.starts) for o in weekend] == [
        (D(2026, 8, 8), utc(2026, 8, 8, 17, 0)),
        (D(2026, 8, 9), utc(2026, 8, 9, 17, 0)),
    ]


# -- months -------------------------------------------------------------------------------------


def _check_grid(month: datetime.date, weeks: list[list[datetime.date]]) -> None:
    flat = [d for week in weeks for d in week]
    assert all(len(week) == 7 and week[0].weekday() == MON for week in weeks)
    assert flat == [flat[0] + datetime.timedelta(days=n) for n in range(len(flat))]
    in_month = [d for d in flat if (d.year, d.month) == (month.year, month.month)]
    assert in_month[0].day == 1
    assert in_month == [in_month[0] + datetime.timedelta(days=n) for n in range(len(in_month))]
    # No week is wholly outside the month.
    assert all(any(d.month == month.month for d in week) for week in weeks)


def test_month_grid_starts_on_monday_and_covers_the_month() -> None:
    august = calendar.month_grid(D(2026, 8, 1))  # begins on a Saturday, ends on a Monday
    assert len(august) == 6
    assert august[0][0] == D(2026, 7, 27)
    assert august[0][5] == D(2026, 8, 1)
    assert august[-1] == [D(2026, 8, 31) + datetime.timedelta(days=n) for n in range(7)]
    _check_grid(D(2026, 8, 1), august)
    assert len([d for week in august for d in week if d.month == 8]) == 31

    february = calendar.month_grid(D(2027, 2, 14))  # a Monday-to-Sunday February, any day of it
    assert len(february) == 4
    assert february[0][0] == D(2027, 2, 1) and february[-1][-1] == D(2027, 2, 28)
    _check_grid(D(2027, 2, 1), february)

    december = calendar.month_grid(D(2026, 12, 1))
    assert [week[0] for week in december] == [
        D(2026, 11, 30),
        D(2026, 12, 7),
        D(2026, 12, 14),
        D(2026, 12, 21),
        D(2026, 12, 28),
    ]
    assert december[-1][-1] == D(2027, 1, 3)
    _check_grid(D(2026, 12, 1), december)


def test_school_months_run_from_july_to_june() -> None:
    months = calendar.school_months(2027)
    assert months == [
        D(2026, 7, 1),
        D(2026, 8, 1),
        D(2026, 9, 1),
        D(2026, 10, 1),
        D(2026, 11, 1),
        D(2026, 12, 1),
        D(2027, 1, 1),
        D(2027, 2, 1),
        D(2027, 3, 1),
        D(2027, 4, 1),
        D(2027, 5, 1),
        D(2027, 6, 1),
    ]
