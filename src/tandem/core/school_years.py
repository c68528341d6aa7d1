"""School years are stored as the calendar year in which they end (2025 means 2024–25), the way
California's public files label them."""

import datetime


def label(year: int) -> str:
    return f"{year - 1}–{str(year)[-2:]}"


def current(today: datetime.date | None = None) -> int:
    """The school year a date falls in; a new year starts on July 1."""
    today = today or datetime.date.today()
    return today.year + 1 if today.month >= 7 else today.year


def span(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year - 1, 7, 1), datetime.date(year, 6, 30)


def of_date(day: datetime.date) -> int:
    return current(day)


# The span of dates Tandem accepts for partnerships, roles and assignments.
EARLIEST = datetime.date(1990, 1, 1)
LATEST = datetime.date(2100, 12, 31)


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
