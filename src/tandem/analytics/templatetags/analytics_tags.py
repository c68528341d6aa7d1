"""Template helpers for analytics tables: `{% for row in table|display_rows %}` yields the cells as shown."""

from dataclasses import dataclass

from django import template

from tandem.analytics.tables import DataTable

register = template.Library()

HIDDEN_TITLE = "Hidden: fewer students than the reporting threshold"


@dataclass(frozen=True)
class Cell:
    text: str
    hidden: bool
    numeric: bool


@register.filter
def display_rows(table: DataTable) -> list[list[Cell]]:
    """Every row's cells as `DataTable.display` writes them, so the page reads exactly like the CSV export."""
    return [
        [
            Cell(table.display(i, c.key), (i, c.key) in table.hidden, c.kind not in ("text", "year"))
            for c in table.columns
        ]
        for i in range(len(table.rows))
    ]


@register.simple_tag
def hidden_title() -> str:
    return HIDDEN_TITLE
