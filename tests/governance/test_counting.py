"""Tests of the vote counts against worked examples whose figures are given (and, where no
published example covers a rule, worked by hand in the test's docstring), and properties of many
random elections."""

import hashlib
import json
import random
from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction

import pytest

from tandem.governance.counting import (
    InvalidBallotError,
    Result,
    SeededLot,
    droop_quota,
    plurality,
    scottish_stv,
    validate_ballot,
)


def ballots(*groups: tuple[int, str]) -> list[list[str]]:
    """(3, "A>B") is three ballots ranking A first and B second; (1, "") is one blank ballot."""
    return [[name for name in ranking.split(">") if name] for count, ranking in groups for _ in range(count)]


def votes(result: Result, stage: int) -> dict[str, Decimal]:
    return result.rounds[stage - 1].votes


def D(text: str) -> Decimal:
    return Decimal(text)


FOOD = ["Oranges", "Pears", "Chocolate", "Strawberries", "Hamburgers"]
FOOD_BALLOTS = ballots(
    (4, "Oranges"),
    (2, "Pears>Oranges"),
    (8, "Chocolate>Strawberries"),
    (4, "Chocolate>Hamburgers"),
    (1, "Strawberries"),
    (1, "Hamburgers"),
)


def test_wikipedia_food_election() -> None:
    """English Wikipedia, "Single transferable vote", section "Example" (the food election for a
    party: 20 guests, 3 of 5 foods chosen, Droop quota 6). The article's rounds:

    1. First preferences Oranges 4, Pears 2, Chocolate 12, Strawberries 1, Hamburgers 1; Chocolate
       has more than the quota and is elected.
    2. Chocolate's surplus of 6 goes on at 6/12 = 0.5 a paper: 8 papers to Strawberries (+4) and
       4 to Hamburgers (+2), giving Strawberries 5, Hamburgers 3. Nobody reaches the quota.
    3. Pears, fewest, is excluded; both papers go to Oranges, who reaches 6, the quota exactly.
    4. Hamburgers, fewer than Strawberries, is excluded and Strawberries takes the last seat.

    Result: Chocolate, Oranges and Strawberries. Under rule 52 Strawberries is deemed elected as
    the only continuing candidate for the one vacancy; Hamburgers' 3 votes (1 first preference and
    4 half-value papers from Chocolate, none with a further preference) are non-transferable."""
    result = scottish_stv(FOOD_BALLOTS, FOOD, 3)

    assert result.quota == 6
    assert result.valid == 20
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")
    assert [stage.action for stage in result.rounds] == [
        "first preferences",
        "surplus of Chocolate (6.00000) transferred (transfer value 0.50000)",
        "Pears excluded",
        "Hamburgers excluded",
    ]
    assert votes(result, 1) == {"Oranges": 4, "Pears": 2, "Chocolate": 12, "Strawberries": 1, "Hamburgers": 1}
    assert votes(result, 2) == {"Oranges": 4, "Pears": 2, "Chocolate": 6, "Strawberries": 5, "Hamburgers": 3}
    assert result.rounds[1].transfer_value == D("0.5")
    assert result.rounds[1].changes == {
        "Oranges": 0,
        "Pears": 0,
        "Chocolate": -6,
        "Strawberries": 4,
        "Hamburgers": 2,
    }
    assert votes(result, 3) == {"Oranges": 6, "Pears": 0, "Chocolate": 6, "Strawberries": 5, "Hamburgers": 3}
    assert votes(result, 4) == {"Oranges": 6, "Pears": 0, "Chocolate": 6, "Strawberries": 5, "Hamburgers": 0}
    assert [stage.elected for stage in result.rounds] == [("Chocolate",), (), ("Oranges",), ("Strawberries",)]
    assert result.rounds[3].deemed_elected == ("Strawberries",)
    assert [stage.excluded for stage in result.rounds] == [(), (), ("Pears",), ("Hamburgers",)]
    assert [stage.exhausted for stage in result.rounds] == [0, 0, 0, 3]
    assert all(stage.loss == 0 and stage.total == 20 for stage in result.rounds)
    assert result.ties == ()
    assert result.unfilled == 0


def test_wikipedia_food_election_as_a_table() -> None:
    """The same count as rows for publication: each stage's totals to five places."""
    assert scottish_stv(FOOD_BALLOTS, FOOD, 3).as_table() == [
        ["", "Stage 1", "Stage 2", "Stage 3", "Stage 4"],
        [
            "Action",
            "first preferences",
            "surplus of Chocolate (6.00000) transferred (transfer value 0.50000)",
            "Pears excluded",
            "Hamburgers excluded",
        ],
        ["Oranges", "4.00000", "4.00000", "6.00000", "6.00000"],
        ["Pears", "2.00000", "2.00000", "0.00000", "0.00000"],
        ["Chocolate", "12.00000", "6.00000", "6.00000", "6.00000"],
        ["Strawberries", "1.00000", "5.00000", "5.00000", "5.00000"],
        ["Hamburgers", "1.00000", "3.00000", "3.00000", "0.00000"],
        ["Non-transferable papers", "0.00000", "0.00000", "0.00000", "3.00000"],
        ["Lost to truncation", "0.00000", "0.00000", "0.00000", "0.00000"],
        ["Total", "20.00000", "20.00000", "20.00000", "20.00000"],
        ["Elected", "Chocolate", "", "Oranges", "Strawberries"],
        ["Excluded", "", "", "Pears", "Hamburgers"],
        ["Ties", "", "", "", ""],
    ]


def test_candidate_with_no_votes_is_excluded_first_and_changes_nothing() -> None:
    """The food election with a sixth food, Kale, that nobody ranked. Chocolate's surplus still goes
    first (rule 50 excludes only once no surplus is left), then Kale with 0 votes is excluded at a
    stage that moves nothing, and the count goes on as in the article."""
    result = scottish_stv(FOOD_BALLOTS, [*FOOD, "Kale"], 3)

    assert [stage.action for stage in result.rounds][1:] == [
        "surplus of Chocolate (6.00000) transferred (transfer value 0.50000)",
        "Kale excluded",
        "Pears excluded",
        "Hamburgers excluded",
    ]
    assert all(change == 0 for change in result.rounds[2].changes.values())
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")


def test_truncation_to_five_places_decides_an_exclusion() -> None:
    """Worked by hand. Two seats; ballots: 3 A>Y, 6 A, 3 Y>X, 3 X>Y, 1 Z>X. 16 valid, so the quota
    is 16 // 3 + 1 = 6.

    Stage 1: A 9 (elected, surplus 3), X 3, Y 3, Z 1.
    Stage 2: A's surplus: transfer value 3/9 = 0.333333… truncated to 0.33333. Y gets
    3 × 0.33333 = 0.99999 (Y 3.99999); the 6 papers with no next preference are worth
    6 × 0.33333 = 1.99998 and are non-transferable; 3 - 0.99999 - 1.99998 = 0.00003 is lost to
    truncation. A keeps the quota: 6 + 3 + 3.99999 + 1 + 1.99998 + 0.00003 = 16.
    Stage 3: Z, fewest, is excluded: X 4.
    Stage 4: Y (3.99999) has fewer votes than X (4.00000) and is excluded; Y's 3 Y>X papers take X
    to 7, elected; the 3 A>Y papers (0.99999) have no further preference.

    Elected: A and X. With exact thirds Y would have had 4 at stage 3, level with X, and rule
    51(2)(a) would have excluded X (3 against Y's 4 at stage 2), electing Y: the fifth decimal
    place decides the seat."""
    result = scottish_stv(ballots((3, "A>Y"), (6, "A"), (3, "Y>X"), (3, "X>Y"), (1, "Z>X")), list("AXYZ"), 2)

    assert result.quota == 6
    assert result.elected == ("A", "X")
    second = result.rounds[1]
    assert second.action == "surplus of A (3.00000) transferred (transfer value 0.33333)"
    assert second.transfer_value == D("0.33333")
    assert second.votes == {"A": 6, "X": 3, "Y": D("3.99999"), "Z": 1}
    assert (second.exhausted, second.loss, second.non_transferable) == (D("1.99998"), D("0.00003"), D("2.00001"))
    assert votes(result, 3) == {"A": 6, "X": 4, "Y": D("3.99999"), "Z": 0}
    assert result.rounds[3].excluded == ("Y",)
    assert result.rounds[3].ties == ()
    assert votes(result, 4) == {"A": 6, "X": 7, "Y": 0, "Z": 0}
    assert (result.rounds[3].exhausted, result.rounds[3].loss) == (D("2.99997"), D("0.00003"))
    assert all(stage.total == 16 for stage in result.rounds)
    # The exact arithmetic the truncation departs from: a tie, which the truncation turns into a gap.
    assert 3 + 3 * Fraction(3, 9) == 4


def test_later_surplus_carries_each_paper_at_its_own_value() -> None:
    """Worked by hand: the inclusive Gregory transfer of a surplus made partly of transferred
    papers, and an exclusion cascade. Three seats; ballots: 6 A>B>C, 3 A>C, 4 B>D, 3 C, 2 D>B,
    1 E>D. 19 valid, quota 19 // 4 + 1 = 5.

    Stage 1: A 9 (elected), B 4, C 3, D 2, E 1.
    Stage 2: A's surplus 4 of 9 → 0.44444 a paper. B 4 + 6 × 0.44444 = 6.66664 (elected, surplus
    1.66664), C 3 + 3 × 0.44444 = 4.33332; 4 - 9 × 0.44444 = 0.00004 lost.
    Stage 3: B's surplus 1.66664 of 6.66664. A paper of value 1 carries 1.66664 × 1 / 6.66664 =
    0.249997… → 0.24999; a paper received at 0.44444 carries 1.66664 × 0.44444 / 6.66664 =
    0.111109… → 0.11110 (rule 48(3)-(4)). D 2 + 4 × 0.24999 = 2.99996; C 4.33332 + 6 × 0.11110 =
    4.99992, short of the quota by 0.00008, which is exactly what was lost:
    1.66664 - 0.99996 - 0.66660 = 0.00008 (0.00012 in all).
    Stage 4: E excluded, D 3.99996. Stage 5: D excluded; its papers (2 D>B with B elected, 1 E>D,
    and 4 at 0.24999) have no further preference: 3.99996 non-transferable. C, the only continuing
    candidate for the one vacancy, is deemed elected (rule 52) with 4.99992."""
    result = scottish_stv(
        ballots((6, "A>B>C"), (3, "A>C"), (4, "B>D"), (3, "C"), (2, "D>B"), (1, "E>D")), list("ABCDE"), 3
    )

    assert result.quota == 5
    assert result.elected == ("A", "B", "C")
    assert [stage.action for stage in result.rounds] == [
        "first preferences",
        "surplus of A (4.00000) transferred (transfer value 0.44444)",
        "surplus of B (1.66664) transferred (transfer value 0.24999)",
        "E excluded",
        "D excluded",
    ]
    assert votes(result, 2) == {"A": 5, "B": D("6.66664"), "C": D("4.33332"), "D": 2, "E": 1}
    assert result.rounds[1].elected == ("B",)
    assert votes(result, 3) == {"A": 5, "B": 5, "C": D("4.99992"), "D": D("2.99996"), "E": 1}
    assert result.rounds[2].changes["C"] == 6 * D("0.11110")
    assert [stage.loss for stage in result.rounds] == [0, D("0.00004"), D("0.00012"), D("0.00012"), D("0.00012")]
    assert votes(result, 4)["D"] == D("3.99996")
    assert votes(result, 5) == {"A": 5, "B": 5, "C": D("4.99992"), "D": 0, "E": 0}
    assert result.rounds[4].exhausted == D("3.99996")
    assert result.rounds[4].deemed_elected == ("C",)
    assert all(stage.total == 19 for stage in result.rounds)


def test_exclusion_cascade_with_exhausted_papers_and_an_untransferred_surplus() -> None:
    """Worked by hand. Two seats; ballots: 5 A, 2 B>A, 2 B, 3 C, 2 D>E>C, 1 E. 15 valid, quota 6.

    Stage 1: A 5, B 4, C 3, D 2, E 1; nobody has the quota.
    Stage 2: E excluded; its one paper has no further preference (1 non-transferable).
    Stage 3: D excluded; both papers skip E (excluded) and go to C: C 5.
    Stage 4: B (4) excluded: 2 papers to A (7, elected), 2 non-transferable (3 in all). C is the
    only continuing candidate for the last vacancy and is deemed elected (rule 52); A's surplus of
    1 is never transferred (rule 52(2))."""
    result = scottish_stv(ballots((5, "A"), (2, "B>A"), (2, "B"), (3, "C"), (2, "D>E>C"), (1, "E")), list("ABCDE"), 2)

    assert result.quota == 6
    assert [stage.action for stage in result.rounds] == [
        "first preferences",
        "E excluded",
        "D excluded",
        "B excluded",
    ]
    assert [stage.exhausted for stage in result.rounds] == [0, 1, 1, 3]
    assert votes(result, 3) == {"A": 5, "B": 4, "C": 5, "D": 0, "E": 0}
    assert votes(result, 4) == {"A": 7, "B": 0, "C": 5, "D": 0, "E": 0}
    assert result.rounds[3].elected == ("A", "C")
    assert result.rounds[3].deemed_elected == ("C",)
    assert result.elected == ("A", "C")


def never(tied: tuple[str, ...], context: str) -> str:
    raise AssertionError(f"no lot should be drawn, but one was for {tied} ({context})")


def test_exclusion_tie_is_broken_at_the_most_recent_stage_where_they_differed() -> None:
    """Worked by hand, rule 51(2)(a). One seat; ballots: 5 A, 3 P, 2 Q>A, 1 R>Q>P. 11 valid,
    quota 6. Stage 1: A 5, P 3, Q 2, R 1. Stage 2: R excluded, Q 3. Now P and Q are tied on 3 for
    the fewest votes; at stage 2 they were equal too, at stage 1 Q had 2 to P's 3, so Q is
    excluded (stage 3): A 7, elected, and R's paper goes on to P (4). No lot is drawn."""
    result = scottish_stv(ballots((5, "A"), (3, "P"), (2, "Q>A"), (1, "R>Q>P")), list("APQR"), 1, tie_break=never)

    assert result.elected == ("A",)
    assert result.rounds[2].action == "Q excluded"
    assert votes(result, 3) == {"A": 7, "P": 4, "Q": 0, "R": 0}
    (note,) = result.ties
    assert (note.stage, note.kind, note.tied, note.chosen) == (3, "exclusion", ("P", "Q"), "Q")
    assert (note.method, note.stages_consulted) == ("earlier stage", (1,))
    assert note.explanation == (
        "P and Q tied on 3.00000 for the fewest votes; at stage 1 they had P 3.00000, Q 2.00000, "
        "so Q is excluded (rule 51(2)(a))."
    )


def test_equal_surpluses_and_then_an_exclusion_tie_are_broken_by_earlier_stages() -> None:
    """Worked by hand, rules 49(2) and 51(2)(a). Four seats; ballots: 4 A>B>D, 6 A>C>E, 4 B>D,
    3 C>E, 2 D, 2 E. 21 valid, quota 21 // 5 + 1 = 5.

    Stage 1: A 10 (elected, surplus 5), B 4, C 3, D 2, E 2.
    Stage 2: A's surplus at 5/10 = 0.5: B 4 + 2 = 6, C 3 + 3 = 6, both elected with surplus 1.
    Stage 3: the surpluses are equal; at stage 1 B had 4 to C's 3, so B's goes first (rule 49(2)).
    Papers of value 1 carry 1 × 1 / 6 → 0.16666, those of value 0.5 carry 1 × 0.5 / 6 → 0.08333:
    D 2 + 4 × 0.16666 + 4 × 0.08333 = 2.99996.
    Stage 4: C's surplus the same way to E: 2 + 3 × 0.16666 + 6 × 0.08333 = 2.99996.
    Stage 5: D and E tied on 2.99996; at stage 4 they were equal too, at stage 3 E had 2 to D's
    2.99996, so E is excluded (rule 51(2)(a)); its papers go nowhere (2.99996 non-transferable)
    and D, alone for the last seat, is deemed elected. 0.00008 is lost to truncation in all."""
    result = scottish_stv(
        ballots((4, "A>B>D"), (6, "A>C>E"), (4, "B>D"), (3, "C>E"), (2, "D"), (2, "E")),
        list("ABCDE"),
        4,
        tie_break=never,
    )

    assert result.quota == 5
    assert result.elected == ("A", "B", "C", "D")
    assert [stage.action for stage in result.rounds] == [
        "first preferences",
        "surplus of A (5.00000) transferred (transfer value 0.50000)",
        "surplus of B (1.00000) transferred (transfer value 0.16666)",
        "surplus of C (1.00000) transferred (transfer value 0.16666)",
        "E excluded",
    ]
    assert votes(result, 2) == {"A": 5, "B": 6, "C": 6, "D": 2, "E": 2}
    assert votes(result, 4) == {"A": 5, "B": 5, "C": 5, "D": D("2.99996"), "E": D("2.99996")}
    surplus, exclusion = result.ties
    assert (surplus.stage, surplus.kind, surplus.chosen, surplus.stages_consulted) == (3, "surplus", "B", (1,))
    assert surplus.explanation == (
        "B and C tied on 6.00000 for the largest surplus; at stage 1 they had B 4.00000, C 3.00000, "
        "so B has its surplus transferred first (rule 49(2))."
    )
    assert (exclusion.stage, exclusion.kind, exclusion.chosen, exclusion.stages_consulted) == (
        5,
        "exclusion",
        "E",
        (3,),
    )
    assert (result.rounds[4].exhausted, result.rounds[4].loss) == (D("2.99996"), D("0.00008"))
    assert result.rounds[4].deemed_elected == ("D",)


LOT_BALLOTS = ballots((3, "A"), (2, "B>C"), (2, "C>B"))


def test_a_tie_at_every_stage_is_decided_by_a_reproducible_lot() -> None:
    """Worked by hand, rule 51(2)(b). One seat; ballots: 3 A, 2 B>C, 2 C>B. 7 valid, quota 4.
    B and C are tied on 2 at the only stage there has been, so the lot excludes one of them and the
    other, with the excluded one's 2 papers, reaches 4 and is elected: the lot decides the seat.
    The same seed always draws the same; some seeds draw B and others C; and the draw is the one
    `SeededLot` documents, so anyone can redo it from the published seed."""
    first = scottish_stv(LOT_BALLOTS, list("ABC"), 1, tie_break="planning team 2031")
    again = scottish_stv(list(reversed(LOT_BALLOTS)), list("ABC"), 1, tie_break="planning team 2031")
    assert first == again

    (note,) = first.ties
    assert (note.stage, note.kind, note.tied, note.method, note.stages_consulted) == (
        2,
        "exclusion",
        ("B", "C"),
        "lot",
        (),
    )
    payload = json.dumps(
        {"context": "exclusion at stage 2", "seed": "planning team 2031", "tied": ["B", "C"]}, separators=(",", ":")
    )
    digest = hashlib.sha256(payload.encode()).hexdigest()
    assert note.chosen == ["B", "C"][int(digest, 16) % 2]
    assert digest in note.explanation
    assert payload in note.explanation
    assert first.elected == ({"B": "C", "C": "B"}[note.chosen],)

    winners = {scottish_stv(LOT_BALLOTS, list("ABC"), 1, tie_break=f"seed {n}").elected for n in range(20)}
    assert winners == {("B",), ("C",)}


def test_a_tie_break_callable_is_asked_with_the_sorted_tied_ids_and_must_choose_one_of_them() -> None:
    asked: list[tuple[tuple[str, ...], str]] = []

    def last(tied: tuple[str, ...], context: str) -> str:
        asked.append((tied, context))
        return tied[-1]

    result = scottish_stv(LOT_BALLOTS, ["C", "B", "A"], 1, tie_break=last)
    assert asked == [(("B", "C"), "exclusion at stage 2")]
    assert result.rounds[1].excluded == ("C",)
    assert result.elected == ("B",)

    with pytest.raises(ValueError, match="tie_break chose 'A', who is not one of the tied candidates"):
        scottish_stv(LOT_BALLOTS, list("ABC"), 1, tie_break=lambda tied, context: "A")
    with pytest.raises(TypeError, match="tie_break must be a seed string or a callable"):
        scottish_stv(LOT_BALLOTS, list("ABC"), 1, tie_break=7)  # type: ignore[arg-type]


def test_seeded_lot_documents_its_draw() -> None:
    lot = SeededLot("x")
    assert (
        lot.payload(["b", "a"], "exclusion at stage 4")
        == '{"context":"exclusion at stage 4","seed":"x","tied":["a","b"]}'
    )
    assert lot(("a", "b"), "exclusion at stage 4") == lot(("a", "b"), "exclusion at stage 4")


def test_one_seat_reduces_to_instant_runoff() -> None:
    """Hand-counted instant runoff. One seat; ballots: 8 Ana, 5 Ben>Cai, 4 Cai>Ben, 3 Dee>Cai>Ben.
    20 valid; quota 20 // 2 + 1 = 11, a majority. Round 1: Ana 8, Ben 5, Cai 4, Dee 3. Round 2:
    Dee eliminated, Cai 7. Round 3: Ben eliminated, Cai 12: a majority, Cai wins. Plurality on the
    same ballots elects Ana, who has the most first preferences."""
    papers = ballots((8, "Ana"), (5, "Ben>Cai"), (4, "Cai>Ben"), (3, "Dee>Cai>Ben"))
    candidates = ["Ana", "Ben", "Cai", "Dee"]
    result = scottish_stv(papers, candidates, 1)

    assert result.quota == 11
    assert [stage.action for stage in result.rounds] == ["first preferences", "Dee excluded", "Ben excluded"]
    assert votes(result, 2) == {"Ana": 8, "Ben": 5, "Cai": 7, "Dee": 0}
    assert votes(result, 3) == {"Ana": 8, "Ben": 0, "Cai": 12, "Dee": 0}
    assert result.elected == ("Cai",)
    assert plurality(papers, candidates).elected == ("Ana",)


def test_fewer_candidates_than_seats() -> None:
    """Three seats, two candidates: both are elected at the first stage (A by reaching the quota of
    3 // 4 + 1 = 1, B, with no votes, as the only continuing candidate, rule 52) and one seat is
    left unfilled."""
    result = scottish_stv(ballots((3, "A>B")), ["A", "B"], 3)

    assert result.elected == ("A", "B")
    assert result.unfilled == 1
    assert len(result.rounds) == 1
    assert result.rounds[0].deemed_elected == ("B",)
    assert scottish_stv([], [], 2).unfilled == 2
    assert plurality(ballots((3, "A")), ["A", "B"], 3).elected == ("A", "B")


def test_no_valid_ballots_still_fills_the_seats_by_lot() -> None:
    """Quota 0 // 3 + 1 = 1 and everybody has 0: the lot excludes one of the three and the other
    two are deemed elected."""
    result = scottish_stv(ballots((2, "")), list("ABC"), 2)

    assert (result.quota, result.valid, result.blank) == (1, 0, 2)
    assert len(result.elected) == 2
    (note,) = result.ties
    assert (note.kind, note.tied, note.method) == ("exclusion", ("A", "B", "C"), "lot")
    assert note.chosen not in result.elected


def test_blank_and_invalid_ballots_are_set_aside_and_reported() -> None:
    """The food election with a blank ballot and four bad ones added: the quota is still worked on
    the 20 valid ballots (6) and the count is the article's."""
    bad: list[Sequence[str]] = [[], ["Chocolate", "Pears", "Chocolate"], ["Kale"], "Oranges", ["Pears", 5]]  # type: ignore[list-item]
    result = scottish_stv([*FOOD_BALLOTS[:10], *bad, *FOOD_BALLOTS[10:]], FOOD, 3)

    assert (result.valid, result.blank, result.invalid, result.quota) == (20, 1, 4, 6)
    assert [(rejected.index, rejected.reason) for rejected in result.rejected] == [
        (11, "'Chocolate' is named twice, at preferences 1 and 3"),
        (12, "preference 1 is 'Kale', who is not a candidate"),
        (13, "a ballot is a sequence of candidate ids, not the string 'Oranges'"),
        (14, "preference 2 is 5, who is not a candidate"),
    ]
    assert result.elected == ("Chocolate", "Oranges", "Strawberries")


def test_validate_ballot() -> None:
    assert validate_ballot(["A", "B"], {"A", "B", "C"}) == ("A", "B")
    assert validate_ballot((), {"A"}) == ()
    with pytest.raises(InvalidBallotError, match=r"^'B' is named twice, at preferences 2 and 4$"):
        validate_ballot(["A", "B", "C", "B"], {"A", "B", "C"})
    with pytest.raises(InvalidBallotError, match=r"^preference 3 is 'D', who is not a candidate$"):
        validate_ballot(["A", "B", "D"], {"A", "B", "C"})
    with pytest.raises(InvalidBallotError, match=r"^a ballot is a sequence of candidate ids, not 3$"):
        validate_ballot(3, {"A"})  # type: ignore[arg-type]
    assert issubclass(InvalidBallotError, ValueError)


def test_bad_arguments() -> None:
    with pytest.raises(ValueError, match="seats must be a whole number of at least 1, not 0"):
        scottish_stv([], ["A", "B"], 0)
    with pytest.raises(ValueError, match="candidates named more than once: A"):
        plurality([], ["A", "B", "A"])
    with pytest.raises(ValueError, match="a candidate id must be a non-empty string"):
        plurality([], ["A", ""])


def test_plurality_counts_first_preferences_only() -> None:
    """Two seats; first preferences A 5, B 3, C 2; C is everybody's second choice but that does
    not count."""
    result = plurality(ballots((5, "A>C"), (3, "B>C"), (2, "C>A")), list("ABC"), 2)

    assert result.elected == ("A", "B")
    assert result.quota is None
    assert result.rounds[0].votes == {"A": 5, "B": 3, "C": 2}
    assert result.ties == ()


def test_plurality_tie_for_the_last_seat_is_decided_by_lot() -> None:
    """One seat; A 3, B 3, C 1. A and B tie for the seat; the lot decides, the same way for the
    same seed, differently for some other seeds. A tie between candidates who are all elected
    (two seats here) needs no lot."""
    papers = ballots((3, "A"), (3, "B"), (1, "C"))
    result = plurality(papers, list("ABC"), tie_break="spring")

    (note,) = result.ties
    assert (note.kind, note.tied, note.method, note.chosen) == ("election", ("A", "B"), "lot", result.elected[0])
    assert plurality(list(reversed(papers)), list("ABC"), tie_break="spring") == plurality(
        papers, list("ABC"), tie_break="spring"
    )
    assert {plurality(papers, list("ABC"), tie_break=f"seed {n}").elected for n in range(20)} == {("A",), ("B",)}
    assert plurality(papers, list("ABC"), 2).elected == ("A", "B")
    assert plurality(papers, list("ABC"), 2).ties == ()


def test_plurality_draws_each_of_several_tied_seats() -> None:
    """Three seats; A 5, then B, C and D tied on 2 for the last two: two draws, recorded in order."""
    result = plurality(ballots((5, "A"), (2, "B"), (2, "C"), (2, "D")), list("ABCD"), 3)

    assert result.elected[0] == "A"
    first, second = result.ties
    assert first.tied == ("B", "C", "D")
    assert second.tied == tuple(name for name in "BCD" if name != first.chosen)
    assert result.elected[1:] == (first.chosen, second.chosen)


# Properties, over random elections drawn with fixed seeds (so a failure can be replayed).


def random_election(rng: random.Random) -> tuple[list[list[str]], list[str], int]:
    candidates = [f"c{index}" for index in range(rng.randint(1, 7))]
    seats = rng.randint(1, 4)
    # Skewed popularity makes surpluses, exclusions and ties all common.
    weights = [rng.choice([1, 1, 2, 5, 12]) for _ in candidates]
    papers = []
    for _ in range(rng.randint(0, 60)):
        length = rng.choice([0, 1, 1, 2, 3, len(candidates)])
        ranking: list[str] = []
        while len(ranking) < min(length, len(candidates)):
            pick = rng.choices(candidates, weights)[0]
            if pick not in ranking:
                ranking.append(pick)
        papers.append(ranking)
    return papers, candidates, seats


ELECTIONS = [random_election(random.Random(seed)) for seed in range(300)]


@pytest.mark.parametrize("chunk", range(3))
def test_votes_are_conserved_up_to_the_truncation_loss(chunk: int) -> None:
    for papers, candidates, seats in ELECTIONS[chunk::3]:
        result = scottish_stv(papers, candidates, seats)
        surplus_stages = 0
        for stage in result.rounds:
            surplus_stages += stage.kind == "surplus"
            held = sum(stage.votes.values(), Decimal(0)) + stage.exhausted
            assert held + stage.loss == result.valid
            assert held <= result.valid
            # Each surplus transfer truncates at most valid papers, each by under 0.00001.
            assert result.valid - held <= surplus_stages * result.valid * Decimal("0.00001")
            assert stage.loss >= 0 and stage.exhausted >= 0
            assert all(value >= 0 for value in stage.votes.values())


@pytest.mark.parametrize("chunk", range(3))
def test_exactly_the_available_seats_are_filled(chunk: int) -> None:
    for papers, candidates, seats in ELECTIONS[chunk::3]:
        for result in (scottish_stv(papers, candidates, seats), plurality(papers, candidates, seats)):
            assert len(result.elected) == len(set(result.elected)) == min(seats, len(candidates))
            assert result.unfilled == seats - min(seats, len(candidates))
            assert set(result.elected) <= set(candidates)
        stv = scottish_stv(papers, candidates, seats)
        excluded = [name for stage in stv.rounds for name in stage.excluded]
        assert not set(excluded) & set(stv.elected)
        assert [name for stage in stv.rounds for name in stage.elected] == list(stv.elected)
        assert stv.quota is not None
        for stage in stv.rounds:
            assert all(stage.votes[name] >= stv.quota for name in set(stage.elected) - set(stage.deemed_elected))
            if stage.kind == "surplus":
                assert stage.subject is not None and stage.votes[stage.subject] == stv.quota
            if stage.kind == "exclusion":
                assert stage.subject is not None and stage.votes[stage.subject] == 0


@pytest.mark.parametrize("chunk", range(3))
def test_the_order_of_the_ballots_does_not_matter(chunk: int) -> None:
    shuffler = random.Random(chunk)
    for papers, candidates, seats in ELECTIONS[chunk::3]:
        shuffled = list(papers)
        shuffler.shuffle(shuffled)
        for count in (scottish_stv, plurality):
            one, other = count(papers, candidates, seats), count(shuffled, candidates, seats)
            assert one.elected == other.elected
            assert one.as_table() == other.as_table()


def test_a_majority_of_first_preferences_wins_one_seat() -> None:
    rng = random.Random(2007)
    for _ in range(200):
        papers, candidates, _ = random_election(rng)
        favourite = rng.choice(candidates)
        valid = [ranking for ranking in papers if ranking]
        others = [ranking for ranking in valid if ranking[0] != favourite]
        # Give the favourite one more first preference than everybody else put together.
        backing = [
            [favourite, *rng.sample([c for c in candidates if c != favourite], rng.randint(0, len(candidates) - 1))]
        ]
        papers = others + backing * (len(others) + 1)
        result = scottish_stv(papers, candidates, 1)
        assert result.elected == (favourite,)
        assert result.rounds[0].elected == (favourite,)
        assert plurality(papers, candidates).elected == (favourite,)


def instant_runoff(papers: list[list[str]], candidates: list[str]) -> str | None:
    """A plain instant runoff, written independently: eliminate the fewest until one is left.
    None when an elimination would need a tie broken."""
    standing = list(candidates)
    while len(standing) > 1:
        tally = Counter({name: 0 for name in standing})
        for ranking in papers:
            top = next((name for name in ranking if name in standing), None)
            if top is not None:
                tally[top] += 1
        fewest = min(tally.values())
        losers = [name for name in standing if tally[name] == fewest]
        if len(losers) > 1:
            return None
        standing.remove(losers[0])
    return standing[0] if standing else None


def test_one_seat_agrees_with_an_independent_instant_runoff() -> None:
    compared = 0
    for papers, candidates, _ in ELECTIONS:
        expected = instant_runoff(papers, candidates)
        if expected is None:
            continue
        result = scottish_stv(papers, candidates, 1)
        assert result.elected == (expected,)
        compared += 1
    assert compared > 100


def test_quota() -> None:
    """Rule 46: valid ballots divided by one more than the seats, fractions ignored, plus one."""
    assert droop_quota(5000, 4) == 1001
    assert droop_quota(20, 3) == 6
    assert droop_quota(16, 2) == 6
    assert droop_quota(19, 3) == 5
    assert droop_quota(0, 1) == 1


def test_a_three_way_tie_narrowed_at_one_stage_is_settled_further_back() -> None:
    """Worked by hand, rule 51(2)(a) with three tied. One seat; ballots: 5 A, 4 R, 3 P>R, 2 Q>A,
    1 S>Q>A, 1 T>P, 1 T>Q. 17 valid, quota 9.

    Stage 1: A 5, P 3, Q 2, R 4, S 1, T 2. Stage 2: S excluded, Q 3. Stage 3: T excluded, P 4,
    Q 4. Stage 4: P, Q and R tied on 4. At stage 2 they had P 3, Q 3, R 4: R had more, but P and
    Q are still level, so we look further back among those two: at stage 1 Q had 2 to P's 3, so Q
    is excluded; A 8 and T>Q is non-transferable. Stage 5: P and R tied on 4; equal at stages 4
    and 3, at stage 2 P had 3 to R's 4, so P is excluded (R 7). Stage 6: R excluded; A, the only
    continuing candidate, is deemed elected with 8, under the quota."""
    papers = ballots((5, "A"), (4, "R"), (3, "P>R"), (2, "Q>A"), (1, "S>Q>A"), (1, "T>P"), (1, "T>Q"))
    result = scottish_stv(papers, list("APQRST"), 1, tie_break=never)

    assert [stage.action for stage in result.rounds][1:] == [
        "S excluded",
        "T excluded",
        "Q excluded",
        "P excluded",
        "R excluded",
    ]
    three, two = result.ties
    assert (three.stage, three.tied, three.chosen, three.stages_consulted) == (4, ("P", "Q", "R"), "Q", (2, 1))
    assert three.explanation == (
        "P, Q and R tied on 4.00000 for the fewest votes; at stage 2 they had P 3.00000, Q 3.00000, R 4.00000; "
        "at stage 1 they had P 3.00000, Q 2.00000, so Q is excluded (rule 51(2)(a))."
    )
    assert (two.stage, two.tied, two.chosen, two.stages_consulted) == (5, ("P", "R"), "P", (2,))
    assert votes(result, 5) == {"A": 8, "P": 0, "Q": 0, "R": 7, "S": 0, "T": 0}
    assert result.elected == ("A",)
    assert result.rounds[5].deemed_elected == ("A",)
    assert result.rounds[5].exhausted == 9
