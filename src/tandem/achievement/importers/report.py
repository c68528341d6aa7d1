"""What an import found: errors (which stop it: nothing is changed) and warnings (which do not),
each with the file, row, column, value and reason, plus the counts of what changed."""

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any

# Keep the report readable and the database row small; the totals still count everything.
MAX_DETAILS = 1000


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def describe(self, file: str) -> str:
        where = [file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column:
            where.append(f"column {self.column}")
        value = f" (value {self.value!r})" if self.value is not None else ""
        return f"{', '.join(where)}: {self.reason}{value}"


@dataclass
class Report:
    file: str
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    error_count: int = 0
    warning_count: int = 0
    rows: int = 0
    bytes_read: int = 0
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    changes: list[str] = field(default_factory=list)
    # Schools whose student data the import wrote: their analytics are rebuilt afterwards.
    school_ids: set[int] = field(default_factory=set)

    def error(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_DETAILS:
            self.errors.append(Problem(row, column, value, reason))

    def warn(self, row: int | None, column: str | None, value: str | None, reason: str) -> None:
        self.warning_count += 1
        if len(self.warnings) < MAX_DETAILS:
            self.warnings.append(Problem(row, column, value, reason))

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def lines(self) -> list[str]:
        out = [f"error: {p.describe(self.file)}" for p in self.errors]
        if self.error_count > len(self.errors):
            out.append(f"error: … and {self.error_count - len(self.errors)} more errors")
        out += [f"warning: {p.describe(self.file)}" for p in self.warnings]
        if self.warning_count > len(self.warnings):
            out.append(f"warning: … and {self.warning_count - len(self.warnings)} more warnings")
        return out

    def summary(self) -> str:
        if not self.ok:
            return f"{self.file}: {self.error_count} error(s); nothing was changed."
        parts = [f"{table}: " + ", ".join(f"{n} {what}" for what, n in c.items()) for table, c in self.counts.items()]
        return f"{self.file}: {self.rows} rows imported. " + "; ".join(parts)

    def as_csv(self) -> str:
        """The problems as a CSV file a person can open next to their data."""
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["severity", "file", "row", "column", "value", "reason"])
        for severity, problems in (("error", self.errors), ("warning", self.warnings)):
            for p in problems:
                writer.writerow([severity, self.file, p.row or "", p.column or "", _inert(p.value or ""), p.reason])
        return out.getvalue()

    def to_json(self) -> dict[str, Any]:
        return {
            "errors": [asdict(p) for p in self.errors],
            "warnings": [asdict(p) for p in self.warnings],
            "error_count": self.error_count,
            "warning_count": self.warning_count,
            "counts": self.counts,
            "changes": self.changes,
            "rows": self.rows,
        }


class ImportFailed(Exception):
    """Raised inside the import transaction so that it rolls back; carries the report."""

    def __init__(self, report: Report) -> None:
        super().__init__(report.summary())
        self.report = report


def _inert(value: str) -> str:
    """A value from someone's file, made safe to open in a spreadsheet (no formulas)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value
