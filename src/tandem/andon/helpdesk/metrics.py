"""The help desk's figures by category: volume, first-response and resolution times, and how many
met their targets. Medians, because one ticket left open over a holiday should not speak for all."""

import statistics
from collections import defaultdict
from typing import Any

from django.db.models import QuerySet

from tandem.analytics.tables import Column, DataTable
from tandem.andon.helpdesk.models import Ticket

NONE = "No category"


def _hours(seconds: list[float]) -> float | None:
    return round(statistics.median(seconds) / 3600, 1) if seconds else None


def _share(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def by_category(tickets: QuerySet[Ticket]) -> DataTable:
    rows: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"count": 0, "first": [], "first_met": 0, "resolve": [], "resolve_met": 0}
    )
    fields = (
        "category__name",
        "created_at",
        "first_response_at",
        "first_response_due",
        "resolved_at",
        "resolution_due",
    )
    for name, created, first, first_due, resolved, resolve_due in tickets.exclude(
        status=Ticket.Status.MERGED
    ).values_list(*fields):
        row = rows[name or NONE]
        row["count"] += 1
        if first is not None:
            row["first"].append((first - created).total_seconds())
            row["first_met"] += first_due is None or first <= first_due
        if resolved is not None:
            row["resolve"].append((resolved - created).total_seconds())
            row["resolve_met"] += resolve_due is None or resolved <= resolve_due
    table = DataTable(
        "Tickets by category",
        [
            Column("category", "Category"),
            Column("count", "Tickets", "count"),
            Column("answered", "Answered", "count"),
            Column("first_hours", "Median first response (hours)", "score"),
            Column("first_met", "First response on target", "percent"),
            Column("resolved", "Resolved", "count"),
            Column("resolve_hours", "Median resolution (hours)", "score"),
            Column("resolve_met", "Resolved on target", "percent"),
        ],
        note="Merged duplicates are counted once, on the ticket they were merged into.",
    )
    for name in sorted(rows, key=lambda n: (n == NONE, n)):
        row = rows[name]
        table.rows.append(
            {
                "category": name,
                "count": row["count"],
                "answered": len(row["first"]),
                "first_hours": _hours(row["first"]),
                "first_met": _share(row["first_met"], len(row["first"])),
                "resolved": len(row["resolve"]),
                "resolve_hours": _hours(row["resolve"]),
                "resolve_met": _share(row["resolve_met"], len(row["resolve"])),
            }
        )
    return table
