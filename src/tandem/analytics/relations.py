"""Which student groups add up to others, worked out from their rules and counts.

Suppression must know every sum a reader could use: all students = male + female when nobody's
gender is unknown; fluent = IFEP + RFEP + EO always; EL = EL under 12 months + EL 12 months or
more when every EL's time in U.S. schools is known. A relation that depends on the data is only
declared when the counts show it holds (then a reader can use it); one that follows from the rules
alone is always declared.
"""

import functools
import json
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

from tandem.achievement.groups import CHOICES, FLAGS
from tandem.analytics.suppression import Table

Rule = Mapping[str, Any]
MONTHS = ("months_in_us_schools_below", "months_in_us_schools_from")


def group_relations(rules: Mapping[Hashable, Rule], counts: Mapping[Hashable, int]) -> list[tuple[Hashable, list]]:
    """(total, parts) pairs among the groups keyed as in `rules` that hold for these counts (a
    group missing from `counts` has no students)."""
    frozen = tuple(sorted(((g, json.dumps(r, sort_keys=True)) for g, r in rules.items()), key=repr))
    return [
        (total, list(parts))
        for total, parts, always in _candidates(frozen)
        if total in counts and (always or _adds_up(total, parts, counts))
    ]


def relate_groups(table: Table, rules: Mapping[Hashable, Rule], key_of: Any, counts: Mapping[Hashable, int]) -> None:
    """Add the group relations to a suppression table whose cells are `key_of(group)`."""
    for total, parts in group_relations(rules, counts):
        table.relate(key_of(total), [key_of(p) for p in parts])


@functools.lru_cache(maxsize=32)
def _candidates(frozen: tuple[tuple[Hashable, str], ...]) -> list[tuple[Hashable, tuple, bool]]:
    """Every sum the rules allow: (total, parts, whether it holds whatever the data)."""
    rules = {g: json.loads(r) for g, r in frozen}
    found: list[tuple[Hashable, tuple, bool]] = []
    for total, base in rules.items():
        for key in (*CHOICES, *FLAGS, "months"):
            options = {g: r for g, r in rules.items() if _extends(r, base, key)}
            found.extend(_relations_for(total, key, options))
    return found


def _extends(rule: Rule, base: Rule, key: str) -> bool:
    """`rule` is `base` plus one condition on `key` (months: the below/from pair)."""
    extra = set(rule) - set(base)
    if any(rule.get(k) != v for k, v in base.items()):
        return False
    if key == "months":
        return len(extra) == 1 and next(iter(extra)) in MONTHS
    return extra == {key}


def _relations_for(total: Hashable, key: str, options: Mapping[Hashable, Rule]) -> list[tuple[Hashable, tuple, bool]]:
    out: list[tuple[Hashable, tuple, bool]] = []
    if key == "months":
        below = {r["months_in_us_schools_below"]: g for g, r in options.items() if MONTHS[0] in r}
        for g, r in options.items():
            if MONTHS[1] in r and r[MONTHS[1]] in below:
                out.append((total, (below[r[MONTHS[1]]], g), False))
        return out
    values = {g: _values(r[key]) for g, r in options.items()}
    # A group whose values are split by narrower groups: always their sum when they cover all of
    # its values (fluent = IFEP + RFEP + EO + FEP), and when the data has none of the rest.
    for whole, whole_values in values.items():
        if len(whole_values) < 2:
            continue
        narrower = {g: v for g, v in values.items() if g != whole and v < whole_values}
        parts = _disjoint_family(narrower)
        if parts:
            covered = frozenset().union(*(narrower[g] for g in parts))
            out.append((whole, tuple(parts), covered == whole_values))
    # Data-given sums: disjoint groups that together hold every student of the total.
    family = _disjoint_family(values)
    if len(family) >= 2:
        out.append((total, tuple(family), False))
    return out


def _values(value: Any) -> frozenset:
    return frozenset(value) if isinstance(value, list | tuple) else frozenset([value])


def _disjoint_family(values: Mapping[Hashable, frozenset]) -> list:
    """Narrowest groups first, so the family has as many members as it can."""
    chosen: list = []
    covered: set = set()
    for g, v in sorted(values.items(), key=lambda item: (len(item[1]), repr(item[0]))):
        if not v & covered:
            chosen.append(g)
            covered |= v
    return chosen


def _adds_up(total: Hashable, parts: Sequence[Hashable], counts: Mapping[Hashable, int]) -> bool:
    return sum(counts.get(p, 0) for p in parts) == counts.get(total, 0)
