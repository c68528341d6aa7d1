"""Ballot secrecy, looked for in the database itself: no column links a ballot to a voter or a
time; neither the ballots' ids nor their place on disk (SQLite's rowid, PostgreSQL's ctid) follow
the order votes came in; on PostgreSQL every ballot carries the last vote's transaction id (xmin);
the audit log and the election's log never hold a ranking or a receipt; a receipt finds its own
ballot and nothing else, and the database keeps only its hash."""

import datetime
import hashlib
import itertools
import json
from dataclasses import dataclass

import pytest
from django.db import connection

from tandem.access.models import AuditEntry
from tandem.governance import actions, ballots, elections
from tandem.governance.models import Ballot, Election, ElectionEvent, Nomination, Voter
from tandem.orgs.models import Person
from tests.governance.helpers import at, coach, elected_seat, leader, state, team
from tests.world import World, build_world

D = datetime.date
OPENED = at(D(2026, 4, 1), 10)
VOTERS = 30


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    # Each vote commits its own transaction, as in production: PostgreSQL's xmin then tells
    # transactions apart, which is what the test must show it cannot use.
    return build_world()


@dataclass
class Run:
    election: Election
    candidates: list[Nomination]
    voters: list[Person]
    rankings: list[list[int]]  # the i-th voter's ranking, by nomination id
    receipts: list[str]  # the i-th voter's receipt
    ids_after_each_vote: list[set[int]]

    def caster(self, ballot_receipt_hash: str) -> int:
        """Which voter (by casting position) a stored ballot came from: only the test knows, from
        the receipts it was handed."""
        return [ballots.receipt_hash(self.election, r) for r in self.receipts].index(ballot_receipt_hash)


def _rankings(candidates: list[Nomination]) -> list[list[int]]:
    """Thirty different rankings of four candidates (of the 64 there are), so every ballot can be
    told apart by what it says as well as by its receipt."""
    ids = [n.pk for n in candidates]
    every = [list(p) for k in (1, 2, 3, 4) for p in itertools.permutations(ids, k)]
    return every[::2][:VOTERS]


def _run(world: World, voters: list[Person], n: int) -> Run:
    national = team(world, f"Planning team {n}")
    seats = [elected_seat(world, national, f"Implementer seat {k}", D(2024, 7, 1)) for k in (1, 2)]
    election = actions.do_open_election(leader(world), national, seats, D(2026, 7, 1), now=OPENED)
    candidates = [actions.do_nominate(p, election, p, now=OPENED) for p in voters[:4]]
    rankings = _rankings(candidates)
    assert len({tuple(r) for r in rankings}) == VOTERS
    receipts: list[str] = []
    ids: list[set[int]] = []
    voting = election.voting_open + datetime.timedelta(hours=1)
    for i, (voter, ranking) in enumerate(zip(voters, rankings, strict=True)):
        receipts.append(actions.do_vote(voter, election, ranking, now=voting + datetime.timedelta(minutes=i)))
        ids.append(set(Ballot.objects.filter(election=election).values_list("id", flat=True)))
    return Run(election, candidates, voters, rankings, receipts, ids)


def _spearman(order: list[int]) -> float:
    """Rank correlation between casting position and stored position (1: the same order)."""
    n = len(order)
    return 1 - 6 * sum((stored - cast) ** 2 for stored, cast in enumerate(order)) / (n * (n * n - 1))


def _assert_unordered(order: list[int], what: str) -> None:
    """`order` lists, by stored position, each ballot's casting position."""
    assert sorted(order) == list(range(VOTERS)), what
    assert order != list(range(VOTERS)) and order != list(range(VOTERS))[::-1], f"{what} follows casting order"
    # A random order of 30 correlates beyond ±0.9 about once in a million runs.
    assert abs(_spearman(order)) < 0.9, f"{what} correlates with casting order: {order}"


def test_the_ballot_tables_have_nothing_that_links_a_ballot_to_a_voter(db: None) -> None:
    with connection.cursor() as cursor:
        ballot = {c.name for c in connection.introspection.get_table_description(cursor, "governance_ballot")}
        voter = {c.name for c in connection.introspection.get_table_description(cursor, "governance_voter")}
    assert ballot == {"id", "election_id", "ranking", "receipt_hash"}
    assert voter == {"id", "election_id", "person_id"}
    # Nothing else points at a ballot, and the ballot's id is not a sequence.
    from django.apps import apps

    pointing = [
        f"{model._meta.label}.{f.name}"
        for model in apps.get_models()
        for f in model._meta.get_fields()
        if f.concrete and f.is_relation and f.related_model is Ballot
    ]
    assert pointing == []
    assert Ballot._meta.pk is not None and Ballot._meta.pk.get_internal_type() == "BigIntegerField"


def test_thirty_votes_leave_no_trace_of_their_order(committed_world: World) -> None:
    world = committed_world
    voters = [coach(world, f"Voter {i:02d}") for i in range(VOTERS)]
    orders: list[list[int]] = []
    for n in (1, 2, 3):
        run = _run(world, voters, n)
        election = run.election
        stored = list(Ballot.objects.filter(election=election).order_by("id"))
        assert len(stored) == VOTERS == Voter.objects.filter(election=election).count()
        # Each ballot says what its voter ranked, and nothing else about them.
        for ballot in stored:
            assert ballot.ranking == run.rankings[run.caster(ballot.receipt_hash)]
        # Every vote stores all the ballots again with new ids: no id survives a later vote.
        for before, after in itertools.pairwise(run.ids_after_each_vote):
            assert not before & after
        by_id = [run.caster(b.receipt_hash) for b in stored]
        _assert_unordered(by_id, f"run {n}: ballots by id")
        orders.append(by_id)

        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # The id is not SQLite's rowid (only INTEGER PRIMARY KEY is); rows are kept in
                # rowid order, which must not follow the votes either.
                cursor.execute(
                    "SELECT rowid, receipt_hash FROM governance_ballot WHERE election_id = %s ORDER BY rowid",
                    [election.pk],
                )
                _assert_unordered([run.caster(h) for _, h in cursor.fetchall()], f"run {n}: rowid")
            else:
                assert connection.vendor == "postgresql"
                cursor.execute(
                    "SELECT xmin::text, ctid::text, receipt_hash FROM governance_ballot WHERE election_id = %s",
                    [election.pk],
                )
                rows = cursor.fetchall()
                cursor.execute(
                    "SELECT xmin::text, person_id FROM governance_voter WHERE election_id = %s", [election.pk]
                )
                voter_xmin = {person: xmin for xmin, person in cursor.fetchall()}
                # Each vote was its own transaction...
                assert len(set(voter_xmin.values())) == VOTERS
                # ...yet every ballot was written by the last one.
                assert {xmin for xmin, _, _ in rows} == {voter_xmin[voters[-1].pk]}

                # And their place in the table does not follow the votes.
                def place(ctid: str) -> tuple[int, int]:
                    page, item = ctid.strip("()").split(",")
                    return int(page), int(item)

                by_ctid = [run.caster(h) for _, _, h in sorted(rows, key=lambda row: place(row[1]))]
                _assert_unordered(by_ctid, f"run {n}: ctid")

        # Receipts: each finds its own ballot; the database holds only their hashes.
        for i in (0, VOTERS // 2, VOTERS - 1):
            found = ballots.find(election, run.receipts[i])
            assert found is not None and found.ranking == run.rankings[i]
            digest = hashlib.sha256(f"{election.pk}:{run.receipts[i].replace('-', '')}".encode()).hexdigest()
            assert found.receipt_hash == digest
        dumped = json.dumps(state(), default=str)
        assert not [r for r in run.receipts if r in dumped or r.replace("-", "") in dumped]

    # Three runs, votes cast in the same order each time: three different stored orders.
    assert len({tuple(o) for o in orders}) == 3

    # The count reads them all; neither log holds a ranking, a receipt or its hash, or a ballot id.
    for election in Election.objects.all():
        elections.count(election, election.voting_close)
    hashes = set(Ballot.objects.values_list("receipt_hash", flat=True))
    ids = {str(i) for i in Ballot.objects.values_list("id", flat=True)}
    logs = json.dumps(
        [list(AuditEntry.objects.values()), list(ElectionEvent.objects.values())], default=str, ensure_ascii=False
    )
    assert "ranking" not in logs
    assert not [h for h in hashes if h in logs] and not [i for i in ids if i in logs]
    votes = AuditEntry.objects.filter(action="governance.vote")
    assert votes.count() == 3 * VOTERS and all(entry.changes == {} for entry in votes)
    assert {entry.object_type for entry in votes} == {"governance.election"}
    # The election's log does not even record that someone voted: opening, seed, four
    # nominations and the count, nothing written while voting was open.
    for election in Election.objects.all():
        assert election.events.count() == 7
        assert not election.events.filter(at__gte=election.voting_open, at__lt=election.voting_close).exists()
    published = json.dumps([e.result for e in Election.objects.all()])
    assert not [h for h in hashes if h in published]


def test_a_receipt_finds_its_ballot_and_a_wrong_one_finds_nothing(world: World) -> None:
    voters = [coach(world, f"Voter {i:02d}") for i in range(6)]
    national = team(world)
    seat = elected_seat(world, national, "Implementer seat", D(2024, 7, 1))
    election = actions.do_open_election(leader(world), national, [seat], D(2026, 7, 1), now=OPENED)
    ana, ben = (actions.do_nominate(p, election, p, now=OPENED) for p in voters[:2])
    voting = election.voting_open + datetime.timedelta(hours=1)
    choices = [ana, ben, ben, ana, ben, ana]
    receipts = [actions.do_vote(v, election, [c.pk], now=voting) for v, c in zip(voters, choices, strict=True)]
    assert len(set(receipts)) == 6
    for receipt, choice in zip(receipts, choices, strict=True):
        found = ballots.find(election, receipt)
        assert found is not None and found.ranking == [choice.pk]
        # Typed again by hand: lower case and spaces around it.
        assert ballots.find(election, f"  {receipt.lower()} ") == found
    wrong = ballots.new_receipt()
    assert ballots.find(election, wrong) is None
    assert ballots.find(election, receipts[0][:-1] + ("0" if receipts[0][-1] != "0" else "1")) is None
    assert ballots.find(election, "") is None and ballots.find(election, "x" * 1000) is None
    # A receipt belongs to its election: the same text finds nothing in another one.
    west = team(world, "Western planning team")
    other = actions.do_open_election(
        leader(world), west, [elected_seat(world, west, "Coach seat", D(2024, 7, 1))], D(2026, 7, 1), now=OPENED
    )
    assert ballots.find(other, receipts[0]) is None
    # Only the hashes are stored.
    stored = list(Ballot.objects.filter(election=election).values_list("receipt_hash", flat=True))
    assert sorted(stored) == sorted(ballots.receipt_hash(election, r) for r in receipts)
    assert all(len(h) == 64 for h in stored)
    dumped = json.dumps(state(), default=str)
    assert not [r for r in receipts if r in dumped]
