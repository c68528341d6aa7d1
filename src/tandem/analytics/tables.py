"""The tables that every analytics page, chart, export and API response is built from.

A `DataTable` holds values after suppression: a hidden cell is `None` and its key is listed in
`hidden`, so a chart, a CSV file and the page beside it can never disagree about what is shown.
"""

from dataclasses import dataclass, field
from typing import Any, Literal

Kind = Literal["text", "count", "percent", "score", "points", "effect", "year"]


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"


@dataclass
class DataTable:
    title: str
    columns: list[Column]
    rows: list[dict[str, Any]] = field(default_factory=list)
    # (row index, column key) of every value hidden by small-n suppression.
    hidden: set[tuple[int, str]] = field(default_factory=set)
    note: str = ""

    def value(self, row: int, key: str) -> Any:
        return None if (row, key) in self.hidden else self.rows[row].get(key)

    def display(self, row: int, key: str) -> str:
        """The value as a page, CSV file or PDF shows it: suppressed cells read "*"."""
        if (row, key) in self.hidden:
            return "*"
        return format_value(self.rows[row].get(key), self.kind_of(key))

    def kind_of(self, key: str) -> Kind:
        return next((c.kind for c in self.columns if c.key == key), "text")

    def records(self) -> list[dict[str, Any]]:
        """Rows with hidden values blanked: what charts and the API receive."""
        return [{c.key: self.value(i, c.key) for c in self.columns} for i in range(len(self.rows))]


def format_value(value: Any, kind: Kind) -> str:
    if value is None:
        return "—"
    if kind == "count" or kind == "year":
        return str(value) if kind == "year" else f"{int(value):,}"
    if kind == "percent":
        return f"{value:.1f}%"
    if kind == "points":
        return f"{value:+.1f}"
    if kind == "score":
        return f"{value:.1f}"
    if kind == "effect":
        return f"{value:+.2f}"
    return str(value)
