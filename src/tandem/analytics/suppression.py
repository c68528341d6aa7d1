"""Small-n suppression: the one place that decides which numbers about few students are hidden.

Every page, API response, export and chart that shows aggregates asks this engine. A table is a
set of counted cells (a group's students tested, or the students of a group at one level) and the
additive relations between them (a total is the sum of its parts: all students = EL + RFEP +
IFEP + EO + TBD; a group's tested = the sum over its levels; a school's grade 3–5 total = grade 3
+ grade 4 + grade 5).

1. Primary suppression hides a cell whose count is from 1 to the threshold minus one.
2. Complementary suppression hides further cells until no hidden count can be worked out from
   the shown ones by adding and subtracting: first so that no relation has exactly one hidden
   member, then by checking the whole system of relations exactly (a hidden cell is recoverable
   when its unit vector lies in the span of the relations restricted to the hidden cells).
   The cells hidden to protect others are the smallest ones that do the job.

People with student-level access to every school in a table see it unsuppressed; `protect` is
not called for them.
"""

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from tandem.orgs.models import Organization

Key = Hashable


@dataclass(frozen=True)
class Policy:
    groups_below: int = 11  # a group with fewer students tested shows no results
    counts_below: int = 4  # a count of students (at a level, say) under this is hidden

    @classmethod
    def for_organization(cls, organization: Organization | None) -> "Policy":
        if organization is None:
            return cls()
        return cls(groups_below=organization.suppress_groups_below, counts_below=organization.suppress_counts_below)

    def too_small(self, count: int | None, *, group: bool = True) -> bool:
        """Whether a count this size is hidden on its own. Zero reveals nobody and is shown."""
        if count is None:
            return False
        return 0 < count < (self.groups_below if group else self.counts_below)

    def change_hidden(self, current: int | None, prior: int | None) -> bool:
        """A year-over-year change is hidden when either year's group is too small to show."""
        return current is None or prior is None or self.too_small(current) or self.too_small(prior)


@dataclass(frozen=True)
class Relation:
    total: Key
    parts: tuple[Key, ...]

    def members(self) -> tuple[Key, ...]:
        return (self.total, *self.parts)


@dataclass
class Table:
    counts: dict[Key, int]
    relations: list[Relation] = field(default_factory=list)
    # Cells whose threshold is the smaller one for counts (students at a level), not for groups.
    count_cells: set[Key] = field(default_factory=set)

    def relate(self, total: Key, parts: Iterable[Key]) -> None:
        """Record that `total` is the sum of `parts`; cells missing from the table are skipped."""
        present = tuple(p for p in parts if p in self.counts)
        if total in self.counts and present:
            self.relations.append(Relation(total, present))


def protect(table: Table, policy: Policy) -> set[Key]:
    """The cells to hide: primary, then complementary until nothing hidden can be recovered."""
    hidden = {k for k, v in table.counts.items() if policy.too_small(v, group=k not in table.count_cells)}
    if not hidden:
        return hidden
    while True:
        _no_lone_hidden(table, hidden)
        exposed = _recoverable(table, hidden)
        if not exposed:
            return hidden
        if not _hide_one_more(table, hidden, exposed):
            # Every cell around the exposed ones is hidden already; hiding more cannot help.
            return hidden


def _preference(table: Table, relation: Relation, k: Key) -> tuple[bool, bool, int, str]:
    """Which cell to hide next, lowest first: parts before totals, smallest non-zero count first
    (hiding a zero protects nothing, since a zero count is shown as a zero elsewhere too)."""
    return (k == relation.total, table.counts[k] == 0, table.counts[k], repr(k))


def _candidates(table: Table, relation: Relation, hidden: set[Key]) -> list[Key]:
    """Shown members of a relation, best first."""
    shown = [k for k in relation.members() if k not in hidden]
    return sorted(shown, key=lambda k: _preference(table, relation, k))


def _no_lone_hidden(table: Table, hidden: set[Key]) -> None:
    changed = True
    while changed:
        changed = False
        for relation in table.relations:
            members = relation.members()
            if sum(k in hidden for k in members) == 1:
                options = _candidates(table, relation, hidden)
                if options:
                    hidden.add(options[0])
                    changed = True


def _hide_one_more(table: Table, hidden: set[Key], exposed: set[Key]) -> bool:
    best: tuple[tuple[bool, bool, int, str], Key] | None = None
    for relation in table.relations:
        if not set(relation.members()) & exposed:
            continue
        options = _candidates(table, relation, hidden)
        if options:
            k = options[0]
            rank = _preference(table, relation, k)
            if best is None or rank < best[0]:
                best = (rank, k)
    if best is None:
        return False
    hidden.add(best[1])
    return True


def _recoverable(table: Table, hidden: set[Key]) -> set[Key]:
    """Hidden cells whose value follows from the shown cells through the relations.

    Restricted to the hidden cells, each relation is a row of a linear system whose right-hand
    side is known. A hidden cell is recoverable exactly when its unit vector lies in the row
    space; in reduced row-echelon form that means the row with the cell's pivot has no other
    non-zero entry (so one exact elimination answers for every cell at once).
    """
    order = sorted(hidden, key=repr)
    index = {k: i for i, k in enumerate(order)}
    rows: list[dict[int, Number]] = []
    for relation in table.relations:
        row: dict[int, Number] = {}
        for k in relation.parts:
            if k in index:
                row[index[k]] = row.get(index[k], 0) + 1
        if relation.total in index:
            row[index[relation.total]] = row.get(index[relation.total], 0) - 1
        row = {j: v for j, v in row.items() if v}
        if row:
            rows.append(row)
    return {order[pivot] for pivot, row in _reduced(rows, len(order)) if len(row) == 1}


# Exact numbers: relations have whole coefficients, and elimination keeps them whole until it
# divides by a pivot other than ±1.
Number = int | Fraction


def _reduced(rows: list[dict[int, Number]], width: int) -> list[tuple[int, dict[int, Number]]]:
    """The non-zero rows of the exact reduced row-echelon form, each with its pivot column.
    Rows are sparse (column → non-zero value): a relation touches few of the hidden cells, and
    elimination only ever visits the entries that are there."""
    m = [dict(r) for r in rows if r]
    out: list[tuple[int, dict[int, Number]]] = []
    for col in range(width):
        at = next((i for i, r in enumerate(m) if col in r), None)
        if at is None:
            continue
        pivot = m.pop(at)
        lead = pivot[col]
        if lead == -1:
            pivot = {j: -v for j, v in pivot.items()}
        elif lead != 1:
            pivot = {j: Fraction(v) / lead for j, v in pivot.items()}
        for other in (*m, *(r for _, r in out)):
            factor = other.get(col)
            if factor:
                for j, v in pivot.items():
                    value = other.get(j, 0) - factor * v
                    if value:
                        other[j] = value
                    else:
                        del other[j]
        out.append((col, pivot))
    return out


def shown(values: Mapping[Key, object], hidden: set[Key]) -> dict[Key, object | None]:
    """The values with hidden cells replaced by None (pages print None as a suppressed mark)."""
    return {k: (None if k in hidden else v) for k, v in values.items()}
