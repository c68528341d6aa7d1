"""Small-n suppression: hidden cells must not be recoverable by adding and subtracting shown ones.

Each table is checked by brute force, independently of the engine: every way of filling the
hidden cells with whole numbers that agrees with the shown cells and the relations is listed, and
a hidden cell is safe only if it can take more than one value."""

import itertools

from tandem.analytics.suppression import Policy, Table, _recoverable, protect, shown

POLICY = Policy(groups_below=5, counts_below=3)


def _values_each_hidden_cell_can_take(table: Table, hidden: set[object]) -> dict[object, set[int]]:
    cells = sorted(hidden, key=repr)
    top = max(table.counts.values())
    possible: dict[object, set[int]] = {c: set() for c in cells}
    for guess in itertools.product(range(top + 1), repeat=len(cells)):
        value = {**table.counts, **dict(zip(cells, guess, strict=True))}
        if all(value[r.total] == sum(value[p] for p in r.parts) for r in table.relations):
            for c, v in zip(cells, guess, strict=True):
                possible[c].add(v)
    return possible


def _recovered(table: Table, hidden: set[object]) -> set[object]:
    return {c for c, values in _values_each_hidden_cell_can_take(table, hidden).items() if len(values) == 1}


def _groups_by_grade() -> Table:
    """Students tested by fluency and grade, with totals both ways."""
    counts = {
        ("EL", 3): 3, ("EL", 4): 9, ("EL", "all"): 12,
        ("fluent", 3): 8, ("fluent", 4): 6, ("fluent", "all"): 14,
        ("all", 3): 11, ("all", 4): 15, ("all", "all"): 26,
    }  # fmt: skip
    table = Table(counts)
    for group in ("EL", "fluent", "all"):
        table.relate((group, "all"), [(group, 3), (group, 4)])
    for grade in (3, 4, "all"):
        table.relate(("all", grade), [("EL", grade), ("fluent", grade)])
    return table


def test_hiding_only_the_small_cell_leaks_it_by_subtraction() -> None:
    table = _groups_by_grade()
    naive = {k for k, v in table.counts.items() if POLICY.too_small(v)}
    assert naive == {("EL", 3)}
    # 11 students in grade 3, 8 of them fluent: the hidden 3 is right there.
    assert _recovered(table, naive) == {("EL", 3)}
    assert _recoverable(table, naive) == {("EL", 3)}


def test_complementary_suppression_leaves_nothing_recoverable() -> None:
    table = _groups_by_grade()
    hidden = protect(table, POLICY)
    assert ("EL", 3) in hidden
    assert _recovered(table, hidden) == set()
    # The smallest cells that do the job: grade 4 EL and grade 3 fluent, then grade 4 fluent.
    assert hidden == {("EL", 3), ("EL", 4), ("fluent", 3), ("fluent", 4)}


def test_relations_that_each_hide_two_can_still_give_a_cell_away() -> None:
    # all = A + B, A = C + D, B = C + E: each relation hides two of {A, B, C}, yet
    # C = (all − D − E) / 2, and then A and B follow. Only a check of the whole system sees it.
    table = Table({"all": 16, "A": 8, "B": 8, "C": 2, "D": 6, "E": 6})
    table.relate("all", ["A", "B"])
    table.relate("A", ["C", "D"])
    table.relate("B", ["C", "E"])
    assert _recovered(table, {"A", "B", "C"}) == {"A", "B", "C"}
    assert _recoverable(table, {"A", "B", "C"}) == {"A", "B", "C"}
    hidden = protect(table, POLICY)
    assert "C" in hidden
    assert _recovered(table, hidden) == set()


def test_overlapping_groups_are_protected_too() -> None:
    # Fluency: all = EL + RFEP + IFEP + EO, and fluent = RFEP + IFEP + EO.
    table = Table({"all": 20, "EL": 2, "RFEP": 4, "IFEP": 5, "EO": 9, "fluent": 18})
    table.relate("all", ["EL", "RFEP", "IFEP", "EO"])
    table.relate("fluent", ["RFEP", "IFEP", "EO"])
    table.relate("all", ["EL", "fluent"])
    hidden = protect(table, POLICY)
    assert {"EL", "RFEP"} <= hidden
    assert _recovered(table, hidden) == set()


def test_level_counts_use_the_smaller_threshold() -> None:
    table = Table({"tested": 14, 1: 2, 2: 5, 3: 4, 4: 3}, count_cells={1, 2, 3, 4})
    table.relate("tested", [1, 2, 3, 4])
    hidden = protect(table, POLICY)
    # 2 is under 3; its complement is the smallest other level, 3 students at level 4.
    assert hidden == {1, 4}
    assert _recovered(table, hidden) == set()
    assert shown(table.counts, hidden) == {"tested": 14, 1: None, 2: 5, 3: 4, 4: None}


def test_nothing_small_hides_nothing() -> None:
    assert protect(Table({"all": 30, "EL": 12, "fluent": 18}), POLICY) == set()


def test_thresholds_zero_and_year_over_year_change() -> None:
    policy = Policy()
    assert (policy.groups_below, policy.counts_below) == (11, 4)
    assert policy.too_small(10) and not policy.too_small(11)
    assert not policy.too_small(0)  # nobody to protect
    assert policy.too_small(3, group=False) and not policy.too_small(4, group=False)
    assert policy.change_hidden(40, 9)
    assert policy.change_hidden(9, 40)
    assert policy.change_hidden(40, None)
    assert not policy.change_hidden(40, 11)


def test_an_organization_sets_its_own_thresholds() -> None:
    from tandem.orgs.models import Organization

    org = Organization(name="Tandem Partners", suppress_groups_below=20, suppress_counts_below=10)
    policy = Policy.for_organization(org)
    assert (policy.groups_below, policy.counts_below) == (20, 10)
    assert Policy.for_organization(None) == Policy()
