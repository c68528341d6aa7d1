"""Counting the votes for rotating seats on planning teams: plurality and Scottish STV.

Pure Python (no Django, no database): ballots in, a `Result` out that can be published stage by
stage. A ballot is a sequence of candidate ids in order of preference, first preference first.

Ballots. `validate_ballot` checks one ballot and raises `InvalidBallotError` (a `ValueError`) with
a precise reason when it names someone who is not a candidate, names a candidate twice, or is a
bare string. The counts do not raise for a bad ballot: they set it aside as rejected (its position
in the input and the reason are in `Result.rejected`) and count the rest, as a returning officer
would. A ballot with no preference at all is blank: neither valid nor rejected, just counted in
`Result.blank`. Only valid ballots count towards the quota. Rejecting the whole ballot for a
repeated or unknown name is stricter than the Order, which keeps a paper whose first preference is
clear and stops it at the first unclear one; a ballot here is machine-made, so such a ballot is a
fault in whatever produced it, and counting half of it would hide the fault.

`plurality` counts first preferences only and elects the `seats` candidates with the most. Ties for
the last seat(s) are decided by lot (there is no earlier stage to look back to).

`scottish_stv` counts as Schedule 1 to the Scottish Local Government Elections Order 2007
(SSI 2007/42) does, rules 45 to 52:

- Rule 46, the quota: valid ballots divided by (seats + 1), fractions ignored, plus one.
- Rule 47: a candidate whose votes at the end of any stage equal or exceed the quota is elected.
- Rules 48 and 49, surpluses (the Weighted Inclusive Gregory Method): while vacancies remain, the
  largest untransferred surplus is transferred, one surplus per stage. Every paper the candidate
  holds goes on to its next preference for a continuing candidate (one neither elected nor
  excluded) with the value surplus × (the paper's value when received) / (the candidate's total),
  worked to five decimal places with any remainder ignored. Papers with no such preference are
  non-transferable. The elected candidate keeps exactly the quota.
- Rule 50, exclusion: when there is no surplus to transfer, the continuing candidate with the
  fewest votes is excluded and every paper they hold moves on at the value it had when received.
- Rule 52: when the continuing candidates are no more than the vacancies, they are all elected and
  nothing more is transferred (the Order says "equal to"; fewer only happens when there were fewer
  candidates than seats, and then the seats left over are reported in `Result.unfilled`).

All arithmetic is on integers counting hundred-thousandths of a vote, so truncation is exact and
no float ever touches a vote; `Decimal`s with five places are what the results report. What the
truncation loses is reported apart from the value of non-transferable papers: `Stage.exhausted`
plus `Stage.loss` is the Order's non-transferable total, and at every stage the candidates' votes
plus both add up to the valid ballots exactly.

Ties (rules 49(2)-(3) for surpluses and 51 for exclusions). When two or more candidates tie for
the largest surplus or the fewest votes, we look back to the most recent earlier stage at which
they had unequal votes and take the one who had more (surplus) or fewer (exclusion). With three or
more tied, that stage may leave several still level; the Order does not say what then, so we keep
only those and go on looking back from that stage. Candidates equal at every stage are decided by
lot. The lot is `tie_break`: a seed string (see `SeededLot`: the draw is a SHA-256 digest of the
seed, the stage and the sorted tied ids, so anyone given the seed can redo it) or any callable
taking the sorted tied ids and a context string and returning the one chosen. Publish the seed
before the count. Every tie, however decided, is recorded in the stage it decided (`Stage.ties`).

Order of election. Candidates elected at the same stage are listed by votes, most first; if equal,
in the order of `candidates` (that order is only for listing: the Order deems them elected at the
same stage, and which surplus goes first is decided separately by rule 49).
"""

import hashlib
import json
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

PLACES = 5
SCALE = 10**PLACES  # votes are counted in hundred-thousandths: rule 48(3) works to five places
DEFAULT_SEED = "tandem"

type TieBreaker = Callable[[tuple[str, ...], str], str]
type TieBreak = str | TieBreaker
type TieKind = Literal["surplus", "exclusion", "election"]
type StageKind = Literal["first preferences", "surplus", "exclusion"]


class InvalidBallotError(ValueError):
    """A ballot that cannot be counted; the message says why."""


@dataclass(frozen=True)
class RejectedBallot:
    index: int  # position of the ballot in the input, from 0
    reason: str


@dataclass(frozen=True)
class TieNote:
    """One tie and how it was decided."""

    stage: int  # the stage whose surplus or exclusion (or, for plurality, election) it decided
    kind: TieKind
    tied: tuple[str, ...]
    chosen: str  # transferred first, excluded, or (plurality) elected
    method: Literal["earlier stage", "lot"]
    stages_consulted: tuple[int, ...]  # the earlier stages at which the tied candidates differed
    explanation: str


@dataclass(frozen=True)
class Stage:
    """One stage of the count, with everything a results sheet shows for it."""

    number: int
    kind: StageKind
    action: str
    subject: str | None  # whose surplus was transferred or who was excluded
    votes: dict[str, Decimal]  # every candidate's votes at the end of the stage
    changes: dict[str, Decimal]  # what the stage added to (or took from) each candidate
    exhausted: Decimal  # value of non-transferable papers so far
    exhausted_change: Decimal
    loss: Decimal  # value lost to truncation so far (rule 48(3): remainders ignored)
    loss_change: Decimal
    elected: tuple[str, ...]  # elected at the end of this stage, in order of election
    deemed_elected: tuple[str, ...]  # those of `elected` filling the last vacancies (rule 52)
    excluded: tuple[str, ...]
    ties: tuple[TieNote, ...]
    surplus: Decimal | None = None
    transfer_value: Decimal | None = None  # for a paper of value one; see `scottish_stv`

    @property
    def non_transferable(self) -> Decimal:
        return self.exhausted + self.loss

    @property
    def total(self) -> Decimal:
        return sum(self.votes.values(), Decimal(0)) + self.non_transferable


@dataclass(frozen=True)
class Result:
    method: Literal["plurality", "scottish stv"]
    candidates: tuple[str, ...]
    seats: int
    quota: int | None  # None for plurality
    valid: int
    blank: int
    rejected: tuple[RejectedBallot, ...]
    elected: tuple[str, ...]  # in order of election
    rounds: tuple[Stage, ...]

    @property
    def invalid(self) -> int:
        return len(self.rejected)

    @property
    def unfilled(self) -> int:
        return self.seats - len(self.elected)

    @property
    def ties(self) -> tuple[TieNote, ...]:
        return tuple(note for stage in self.rounds for note in stage.ties)

    @property
    def exhausted(self) -> Decimal:
        return self.rounds[-1].exhausted if self.rounds else Decimal(0)

    def as_table(self) -> list[list[str]]:
        """Rows for publication: a header of stages, then the action, each candidate's votes at the
        end of each stage, the non-transferable papers and truncation loss, the total, and who
        was elected or excluded and any tie at each stage. Votes are shown to five places."""
        header = ["", *(f"Stage {stage.number}" for stage in self.rounds)]
        rows = [header, ["Action", *(stage.action for stage in self.rounds)]]
        for candidate in self.candidates:
            rows.append([candidate, *(_show(stage.votes[candidate]) for stage in self.rounds)])
        rows.append(["Non-transferable papers", *(_show(stage.exhausted) for stage in self.rounds)])
        rows.append(["Lost to truncation", *(_show(stage.loss) for stage in self.rounds)])
        rows.append(["Total", *(_show(stage.total) for stage in self.rounds)])
        rows.append(["Elected", *(", ".join(stage.elected) for stage in self.rounds)])
        rows.append(["Excluded", *(", ".join(stage.excluded) for stage in self.rounds)])
        rows.append(["Ties", *(" ".join(note.explanation for note in stage.ties) for stage in self.rounds)])
        return rows


@dataclass(frozen=True)
class SeededLot:
    """The default lot: reproducible by anyone who knows the seed.

    For the tied ids sorted (Python's code-point order) as `ordered`, and a context naming the stage
    and what is being decided (e.g. "exclusion at stage 3"), the payload is the JSON text
    `{"context":…,"seed":…,"tied":ordered}` (keys sorted, no spaces, non-ASCII kept) in UTF-8;
    the chosen candidate is `ordered[int(sha256(payload), 16) % len(ordered)]`. The context is part
    of the payload so that two ties between the same candidates at different stages are separate
    draws rather than one draw repeated."""

    seed: str

    def payload(self, tied: Sequence[str], context: str) -> str:
        content = {"context": context, "seed": self.seed, "tied": sorted(tied)}
        return json.dumps(content, ensure_ascii=False, separators=(",", ":"), sort_keys=True)

    def digest(self, tied: Sequence[str], context: str) -> str:
        return hashlib.sha256(self.payload(tied, context).encode()).hexdigest()

    def __call__(self, tied: tuple[str, ...], context: str) -> str:
        ordered = sorted(tied)
        return ordered[int(self.digest(ordered, context), 16) % len(ordered)]

    def explain(self, tied: Sequence[str], context: str) -> str:
        ordered = sorted(tied)
        digest = self.digest(ordered, context)
        index = int(digest, 16) % len(ordered)
        return f"sha256({self.payload(ordered, context)}) = {digest}; that number mod {len(ordered)} = {index}"


def droop_quota(valid: int, seats: int) -> int:
    """Rule 46: valid ballots divided by one more than the seats, ignoring fractions, plus one."""
    return valid // (seats + 1) + 1


def validate_ballot(ballot: Sequence[str], candidates: Collection[str]) -> tuple[str, ...]:
    """The ballot's preferences as a tuple, or `InvalidBallotError` saying precisely what is wrong.
    An empty ballot is returned as () for the caller to count as blank."""
    if isinstance(ballot, str | bytes):
        # A string is a sequence too, and "AB" would otherwise read as preferences "A", "B".
        raise InvalidBallotError(f"a ballot is a sequence of candidate ids, not the string {ballot!r}")
    try:
        preferences = tuple(ballot)
    except TypeError:
        raise InvalidBallotError(f"a ballot is a sequence of candidate ids, not {ballot!r}") from None
    seen: dict[str, int] = {}
    for position, candidate in enumerate(preferences, start=1):
        if not isinstance(candidate, str) or candidate not in candidates:
            raise InvalidBallotError(f"preference {position} is {candidate!r}, who is not a candidate")
        if candidate in seen:
            raise InvalidBallotError(f"{candidate!r} is named twice, at preferences {seen[candidate]} and {position}")
        seen[candidate] = position
    return preferences


def plurality(
    ballots: Iterable[Sequence[str]],
    candidates: Sequence[str],
    seats: int = 1,
    tie_break: TieBreak = DEFAULT_SEED,
) -> Result:
    """First preferences only; the `seats` candidates with the most are elected (all of them when
    there are no more candidates than seats). Candidates tied for the last seat(s) are drawn by lot
    one seat at a time, each draw recorded."""
    names = _check_candidates(candidates, seats)
    lot = _as_lot(tie_break)
    valid, blank, rejected = _sort_ballots(ballots, names)
    counts = dict.fromkeys(names, 0)
    for preferences in valid:
        counts[preferences[0]] += 1
    position = {name: index for index, name in enumerate(names)}
    ranked = sorted(names, key=lambda name: (-counts[name], position[name]))
    winners = min(seats, len(names))
    ties: list[TieNote] = []
    elected = ranked[:winners]
    if 0 < winners < len(ranked) and counts[ranked[winners - 1]] == counts[ranked[winners]]:
        level = counts[ranked[winners - 1]]
        elected = [name for name in ranked if counts[name] > level]
        hopefuls = [name for name in ranked if counts[name] == level]
        draws = winners - len(elected)
        for draw in range(1, draws + 1):
            context = f"election at stage 1, draw {draw} of {draws}"
            chosen, how = _draw(lot, hopefuls, context)
            ties.append(
                TieNote(
                    stage=1,
                    kind="election",
                    tied=tuple(hopefuls),
                    chosen=chosen,
                    method="lot",
                    stages_consulted=(),
                    explanation=f"{_names(hopefuls)} tied on {level} for the last seat(s); "
                    f"{chosen} elected by lot ({how}).",
                )
            )
            elected.append(chosen)
            hopefuls.remove(chosen)
    votes = {name: _units(counts[name] * SCALE) for name in names}
    stage = Stage(
        number=1,
        kind="first preferences",
        action="first preferences",
        subject=None,
        votes=votes,
        changes=dict(votes),
        exhausted=_units(0),
        exhausted_change=_units(0),
        loss=_units(0),
        loss_change=_units(0),
        elected=tuple(elected),
        deemed_elected=(),
        excluded=(),
        ties=tuple(ties),
    )
    return Result("plurality", names, seats, None, len(valid), blank, tuple(rejected), tuple(elected), (stage,))


def scottish_stv(
    ballots: Iterable[Sequence[str]],
    candidates: Sequence[str],
    seats: int,
    tie_break: TieBreak = DEFAULT_SEED,
) -> Result:
    """Single transferable vote as SSI 2007/42, Schedule 1, rules 45-52 count it (see the module
    documentation). A stage's `transfer_value` is the value a paper of value one carries on
    (surplus / total, truncated); a paper received at value v carries surplus × v / total,
    truncated, which can be a hundred-thousandth more than the stage's transfer value × v."""
    names = _check_candidates(candidates, seats)
    valid, blank, rejected = _sort_ballots(ballots, names)
    count = _ScottishCount(names, seats, len(valid), _as_lot(tie_break))
    count.run(valid)
    return Result(
        "scottish stv",
        names,
        seats,
        count.quota,
        len(valid),
        blank,
        tuple(rejected),
        tuple(count.elected),
        tuple(count.stages),
    )


@dataclass
class _Paper:
    preferences: tuple[str, ...]
    position: int  # index in `preferences` of the candidate now holding the paper
    value: int  # in hundred-thousandths of a vote


@dataclass(frozen=True)
class _Snapshot:
    votes: dict[str, int]
    exhausted: int
    loss: int


class _ScottishCount:
    def __init__(self, names: tuple[str, ...], seats: int, valid: int, lot: TieBreaker) -> None:
        self.names = names
        self.position = {name: index for index, name in enumerate(names)}
        self.seats = seats
        self.lot = lot
        self.quota = droop_quota(valid, seats)
        self.quota_units = self.quota * SCALE
        self.votes = dict.fromkeys(names, 0)
        self.papers: dict[str, list[_Paper]] = {name: [] for name in names}
        self.continuing = list(names)  # kept in ballot order so that listings are stable
        self.elected: list[str] = []
        self.excluded: list[str] = []
        self.surpluses: list[str] = []  # elected, surplus not yet transferred
        self.exhausted = 0
        self.loss = 0
        self.history: list[dict[str, int]] = []  # votes at the end of each stage, for rules 49 and 51
        self.stages: list[Stage] = []
        self.finished = False

    @property
    def vacancies(self) -> int:
        return self.seats - len(self.elected)

    def run(self, ballots: list[tuple[str, ...]]) -> None:
        before = self._snapshot()
        for preferences in ballots:
            self.papers[preferences[0]].append(_Paper(preferences, 0, SCALE))
            self.votes[preferences[0]] += SCALE
        self._close_stage("first preferences", "first preferences", None, before, ())
        while not self.finished:
            if self.surpluses:
                self._transfer_surplus()
            else:
                self._exclude()

    def _transfer_surplus(self) -> None:
        number = len(self.stages) + 1
        largest = max(self.votes[name] for name in self.surpluses)
        tied = [name for name in self.surpluses if self.votes[name] == largest]
        giver, note = self._break_tie(tied, "surplus", number)
        before = self._snapshot()
        self.surpluses.remove(giver)
        total = self.votes[giver]
        surplus = total - self.quota_units
        papers, self.papers[giver] = self.papers[giver], []
        continuing = frozenset(self.continuing)
        carried = 0
        for paper in papers:
            # Rule 48(3): surplus × value when received / total, to five places, remainder ignored.
            paper.value = surplus * paper.value // total
            carried += paper.value
            self._pass_on(paper, continuing)
        self.votes[giver] = self.quota_units
        # The papers carry (or, non-transferable, set aside) `carried`; the rest of the surplus is
        # what the truncation ignored.
        self.loss += surplus - carried
        value = _units(surplus * SCALE // total)
        action = f"surplus of {giver} ({_show(_units(surplus))}) transferred (transfer value {_show(value)})"
        self._close_stage("surplus", action, giver, before, (note,) if note else (), _units(surplus), value)

    def _exclude(self) -> None:
        number = len(self.stages) + 1
        fewest = min(self.votes[name] for name in self.continuing)
        tied = [name for name in self.continuing if self.votes[name] == fewest]
        loser, note = self._break_tie(tied, "exclusion", number)
        before = self._snapshot()
        self.continuing.remove(loser)
        self.excluded.append(loser)
        papers, self.papers[loser] = self.papers[loser], []
        continuing = frozenset(self.continuing)
        for paper in papers:
            self._pass_on(paper, continuing)  # rule 50(4): at the value it had when received
        self.votes[loser] = 0
        self._close_stage("exclusion", f"{loser} excluded", loser, before, (note,) if note else ())

    def _pass_on(self, paper: _Paper, continuing: frozenset[str]) -> None:
        """Give the paper to its next available preference (article 2: preferences for elected or
        excluded candidates are skipped), or set it aside as non-transferable."""
        for position in range(paper.position + 1, len(paper.preferences)):
            candidate = paper.preferences[position]
            if candidate in continuing:
                paper.position = position
                self.papers[candidate].append(paper)
                self.votes[candidate] += paper.value
                return
        self.exhausted += paper.value

    def _close_stage(
        self,
        kind: StageKind,
        action: str,
        subject: str | None,
        before: _Snapshot,
        ties: tuple[TieNote, ...],
        surplus: Decimal | None = None,
        transfer_value: Decimal | None = None,
    ) -> None:
        elected: list[str] = []
        deemed: list[str] = []
        # Rule 47. No more candidates than vacancies can reach the quota at once: seats + 1 quotas
        # would need more votes than there are valid ballots, and truncation only ever lowers totals.
        for name in self._by_votes(name for name in self.continuing if self.votes[name] >= self.quota_units):
            elected.append(name)
            if self.votes[name] > self.quota_units:
                self.surpluses.append(name)
        self._elect(elected)
        if self.vacancies == 0:
            self.finished = True
        elif len(self.continuing) <= self.vacancies:
            # Rule 52: the continuing candidates fill the last vacancies and nothing more moves.
            deemed = self._by_votes(self.continuing)
            self._elect(deemed)
            self.finished = True
        self.history.append(dict(self.votes))
        self.stages.append(
            Stage(
                number=len(self.stages) + 1,
                kind=kind,
                action=action,
                subject=subject,
                votes={name: _units(self.votes[name]) for name in self.names},
                changes={name: _units(self.votes[name] - before.votes[name]) for name in self.names},
                exhausted=_units(self.exhausted),
                exhausted_change=_units(self.exhausted - before.exhausted),
                loss=_units(self.loss),
                loss_change=_units(self.loss - before.loss),
                elected=tuple(elected + deemed),
                deemed_elected=tuple(deemed),
                excluded=(subject,) if kind == "exclusion" and subject else (),
                ties=ties,
                surplus=surplus,
                transfer_value=transfer_value,
            )
        )

    def _elect(self, names: list[str]) -> None:
        for name in names:
            self.continuing.remove(name)
            self.elected.append(name)

    def _by_votes(self, names: Iterable[str]) -> list[str]:
        return sorted(names, key=lambda name: (-self.votes[name], self.position[name]))

    def _break_tie(self, tied: list[str], kind: TieKind, stage: int) -> tuple[str, TieNote | None]:
        """Rules 49(2)-(3) and 51: the most recent earlier stage at which the tied candidates had
        unequal votes decides (more votes transfers first, fewer is excluded); equal throughout,
        the lot decides. Several left level at that stage: look further back among just those."""
        if len(tied) == 1:
            return tied[0], None
        group = sorted(tied, key=self.position.__getitem__)
        consulted: list[int] = []
        steps: list[str] = []
        for index in range(len(self.history) - 1, -1, -1):
            earlier = self.history[index]
            if len({earlier[name] for name in group}) == 1:
                continue
            values = [earlier[name] for name in group]
            target = max(values) if kind == "surplus" else min(values)
            shown = ", ".join(f"{name} {_show(_units(earlier[name]))}" for name in group)
            group = [name for name in group if earlier[name] == target]
            consulted.append(index + 1)
            steps.append(f"at stage {index + 1} they had {shown}")
            if len(group) == 1:
                break
        level = _show(_units(self.votes[tied[0]]))
        what = "the largest surplus" if kind == "surplus" else "the fewest votes"
        outcome = "has its surplus transferred first" if kind == "surplus" else "is excluded"
        rule = "rule 49(2)" if kind == "surplus" else "rule 51(2)(a)"
        lot_rule = "rule 49(3)" if kind == "surplus" else "rule 51(2)(b)"
        everyone = tuple(sorted(tied, key=self.position.__getitem__))
        start = f"{_names(everyone)} tied on {level} for {what}"
        if len(group) == 1:
            chosen = group[0]
            explanation = f"{start}; {'; '.join(steps)}, so {chosen} {outcome} ({rule})."
            return chosen, TieNote(stage, kind, everyone, chosen, "earlier stage", tuple(consulted), explanation)
        chosen, how = _draw(self.lot, group, f"{kind} at stage {stage}")
        looked = f"; {'; '.join(steps)}, leaving {_names(group)} level" if steps else ""
        explanation = f"{start}{looked}; equal at every earlier stage, so decided by lot ({lot_rule}): {how}; "
        explanation += f"{chosen} {outcome}."
        return chosen, TieNote(stage, kind, everyone, chosen, "lot", tuple(consulted), explanation)

    def _snapshot(self) -> _Snapshot:
        return _Snapshot(dict(self.votes), self.exhausted, self.loss)


def _check_candidates(candidates: Sequence[str], seats: int) -> tuple[str, ...]:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise ValueError(f"seats must be a whole number of at least 1, not {seats!r}")
    if isinstance(candidates, str):
        raise ValueError("candidates must be a sequence of candidate ids, not a string")
    names = tuple(candidates)
    for name in names:
        if not isinstance(name, str) or not name:
            raise ValueError(f"a candidate id must be a non-empty string, not {name!r}")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"candidates named more than once: {', '.join(repeated)}")
    return names


def _sort_ballots(
    ballots: Iterable[Sequence[str]], names: tuple[str, ...]
) -> tuple[list[tuple[str, ...]], int, list[RejectedBallot]]:
    known = frozenset(names)
    valid: list[tuple[str, ...]] = []
    blank = 0
    rejected: list[RejectedBallot] = []
    for index, ballot in enumerate(ballots):
        try:
            preferences = validate_ballot(ballot, known)
        except InvalidBallotError as error:
            rejected.append(RejectedBallot(index, str(error)))
            continue
        if preferences:
            valid.append(preferences)
        else:
            blank += 1
    return valid, blank, rejected


def _as_lot(tie_break: TieBreak) -> TieBreaker:
    if isinstance(tie_break, str):
        return SeededLot(tie_break)
    if callable(tie_break):
        return tie_break
    raise TypeError(f"tie_break must be a seed string or a callable, not {tie_break!r}")


def _draw(lot: TieBreaker, tied: Sequence[str], context: str) -> tuple[str, str]:
    """The candidate the lot chose among `tied`, and how, in words for the record."""
    ordered = tuple(sorted(tied))
    chosen = lot(ordered, context)
    if chosen not in ordered:
        raise ValueError(f"tie_break chose {chosen!r}, who is not one of the tied candidates {list(ordered)}")
    if isinstance(lot, SeededLot):
        how = f"seed {lot.seed!r}: {lot.explain(ordered, context)}, which is {chosen}"
    else:
        how = f"tie_break {lot!r} chose {chosen} from {list(ordered)} for {context!r}"
    return chosen, how


def _units(units: int) -> Decimal:
    return Decimal(units).scaleb(-PLACES)


def _show(value: Decimal) -> str:
    return f"{value:.{PLACES}f}"


def _names(names: Sequence[str]) -> str:
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
