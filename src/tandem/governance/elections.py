"""An election's life: opened (automatically, ahead of a term's end, or by hand), nominations,
voting, the count, and the terms it gives. `tick` does what is due; the background worker runs it
every day, and `tandem governance tick` runs it by hand."""

import datetime
import logging
import secrets
from collections import defaultdict

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from tandem.governance import counting, seats
from tandem.governance.models import Ballot, Election, ElectionEvent, Nomination, PlanningTeam, Seat, Term
from tandem.orgs.models import Person

logger = logging.getLogger(__name__)


def log(election: Election, text: str, by: Person | None = None, at: datetime.datetime | None = None) -> None:
    ElectionEvent.objects.create(election=election, text=text[:500], by=by, at=at or timezone.now())


def phase(election: Election, now: datetime.datetime | None = None) -> str:
    """Where the election stands now: scheduled, nominating, between (nominations closed, voting not yet
    open), voting, awaiting the count, counted or cancelled."""
    now = now or timezone.now()
    if election.status in (Election.Status.COUNTED, Election.Status.CANCELLED):
        return election.status
    if now < election.nominations_open:
        return "scheduled"
    if now < election.nominations_close:
        return "nominating"
    if now < election.voting_open:
        return "between"
    if now < election.voting_close:
        return "voting"
    return "awaiting count"


def create(
    team: PlanningTeam,
    chosen: list[Seat],
    term_starts: datetime.date,
    now: datetime.datetime,
    *,
    by: Person | None = None,
    automatic: bool = False,
) -> Election:
    term_ends = seats.term_span(chosen[0], term_starts)[1]
    nominations_close = now + datetime.timedelta(days=settings.GOVERNANCE_NOMINATION_DAYS)
    voting_close = nominations_close + datetime.timedelta(days=settings.GOVERNANCE_VOTING_DAYS)
    election = Election.objects.create(
        team=team,
        method=Election.Method.PLURALITY if len(chosen) == 1 else Election.Method.STV,
        term_starts=term_starts,
        term_ends=term_ends,
        nominations_open=now,
        nominations_close=nominations_close,
        voting_open=nominations_close,
        voting_close=voting_close,
        opened_automatically=automatic,
        lot_seed=secrets.token_hex(16),
        created_at=now,
    )
    election.seats.set(chosen)
    names = ", ".join(s.name for s in chosen)
    how = "automatically, ahead of the terms' end" if automatic else "by hand"
    log(election, f"Opened {how} for {names}; terms {term_starts:%-d %b %Y} – {term_ends:%-d %b %Y}.", by, now)
    log(election, f"The seed for any tie decided by lot is {election.lot_seed}.", by, now)
    return election


type Pool = tuple[int, datetime.date, datetime.date, tuple[str, ...], bool]


def pool(seat: Seat, term_starts: datetime.date) -> Pool:
    """What seats elected together must share: the team, the term's dates and who is eligible (a
    single electorate and a single set of candidates fill them all)."""
    starts, ends = seats.term_span(seat, term_starts)
    return (seat.team_id, starts, ends, tuple(sorted(seat.eligible_roles)), seat.site_staff_only)


def lock_team(team: PlanningTeam) -> None:
    """Serialize the opening of the team's elections (the daily round against a leader opening one
    by hand, or two rounds at once): whoever comes second sees the first one's election."""
    PlanningTeam.objects.select_for_update().filter(pk=team.pk).first()


def has_election(seat: Seat, term_starts: datetime.date) -> bool:
    return (
        Election.objects.filter(seats=seat, term_starts=term_starts).exclude(status=Election.Status.CANCELLED).exists()
    )


def due(now: datetime.datetime) -> list[tuple[PlanningTeam, list[Seat], datetime.date]]:
    """Elected seats whose next term starts within the lead time and has no election yet, grouped
    by team and term (seats rotating together, with the same electorate, are filled by one
    election)."""
    today = timezone.localdate(now)
    horizon = today + datetime.timedelta(days=settings.GOVERNANCE_ELECTION_LEAD_DAYS)
    groups: dict[Pool, list[Seat]] = defaultdict(list)
    for seat in (
        Seat.objects.filter(kind=Seat.Kind.ELECTED, archived=False, team__archived=False)
        .select_related("team")
        .order_by("team_id", "name", "pk")
    ):
        starts, _ = seats.next_term(seat, today)
        if starts > horizon or has_election(seat, starts):
            continue
        groups[pool(seat, starts)].append(seat)
    return [(found[0].team, found, key[1]) for key, found in sorted(groups.items(), key=lambda g: g[0])]


def candidates(election: Election) -> list[Nomination]:
    return list(
        election.nominations.filter(accepted_at__isnull=False, declined_at__isnull=True)
        .select_related("nominee")
        .order_by("nominee__full_name", "pk")
    )


def count(election: Election, now: datetime.datetime, by: Person | None = None) -> Election:
    """Count the ballots and give the terms. The caller holds the election's row lock."""
    standing = candidates(election)
    ids = [str(n.pk) for n in standing]
    chosen_seats = list(election.seats.order_by("name", "pk"))
    ballots = [[str(i) for i in b.ranking] for b in Ballot.objects.filter(election=election).order_by("receipt_hash")]
    n_seats = len(chosen_seats)
    if election.method == Election.Method.PLURALITY:
        result = counting.plurality(ballots, ids, seats=n_seats, tie_break=election.lot_seed)
    else:
        result = counting.scottish_stv(ballots, ids, seats=n_seats, tie_break=election.lot_seed)
    names = {str(n.pk): n.nominee.full_name for n in standing}
    table = [[names.get(row[0], row[0]), *row[1:]] for row in result.as_table()]
    for row in table:
        if row[0] == "Action":
            # Each stage's action names its subject (whose surplus, who excluded) by id first.
            row[1:] = [
                cell.replace(stage.subject, names.get(stage.subject, stage.subject), 1) if stage.subject else cell
                for cell, stage in zip(row[1:], result.rounds, strict=True)
            ]
        if row[0] in ("Elected", "Excluded"):
            row[1:] = [", ".join(names.get(i, i) for i in cell.split(", ")) if cell else "" for cell in row[1:]]
    winners = [int(i) for i in result.elected]
    election.result = {
        "method": result.method,
        "quota": result.quota,
        "valid": result.valid,
        "blank": result.blank,
        "rejected": result.invalid,
        "elected": winners,
        "elected_names": [names[i] for i in result.elected],
        "unfilled": result.unfilled,
        "table": table,
        "ties": [note.explanation for note in result.ties],
    }
    election.status = Election.Status.COUNTED
    election.save(update_fields=["result", "status"])
    by_pk = {n.pk: n for n in standing}
    for seat, nomination_id in zip(chosen_seats, winners, strict=False):
        Term.objects.create(
            seat=seat,
            person=by_pk[nomination_id].nominee,
            starts_on=election.term_starts,
            ends_on=election.term_ends,
            election=election,
        )
    elected = ", ".join(names[i] for i in result.elected) or "nobody"
    log(election, f"Counted: {result.valid} valid ballots, {result.blank} blank; elected {elected}.", by, now)
    for note in result.ties:
        tied = ", ".join(names.get(i, i) for i in note.tied)
        log(
            election, f"Tie at stage {note.stage} between {tied}, decided by {note.method}: {note.explanation}", by, now
        )
    if result.unfilled:
        log(election, f"{result.unfilled} seat(s) left unfilled: too few candidates.", by, now)
    return election


def tick(now: datetime.datetime | None = None) -> dict[str, int]:
    """Open the elections that are due and count those whose voting has closed. Running it again
    (or twice at once) opens and counts nothing more. Each election is opened or counted in its
    own transaction; one that fails is logged and counted in `failed`, and does not stop the
    others (it is tried again at the next round)."""
    now = now or timezone.now()
    done = {"opened": 0, "counted": 0, "failed": 0}
    for team, found, starts in due(now):
        try:
            with transaction.atomic():
                lock_team(team)
                # Looked at again under the lock: another round (or a leader) may have opened it since.
                still = [seat for seat in found if not has_election(seat, starts)]
                if still:
                    create(team, still, starts, now, automatic=True)
                    done["opened"] += 1
        except Exception:
            logger.exception("Could not open the election of %s for terms from %s", team, starts)
            done["failed"] += 1
    closed = Election.objects.filter(status=Election.Status.OPEN, voting_close__lte=now).values_list("pk", flat=True)
    for pk in closed:
        try:
            with transaction.atomic():
                election = Election.objects.select_for_update().get(pk=pk)
                if election.status == Election.Status.OPEN:
                    count(election, now)
                    done["counted"] += 1
        except Exception:
            logger.exception("Could not count election %s", pk)
            done["failed"] += 1
    return done
