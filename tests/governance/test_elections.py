"""Elections: phases by the clock, nominations, who votes and how, the count (plurality and STV,
unfilled seats, ties by lot), `tick` run twice, cancelled elections, and the daily round run by
the real background worker."""

import datetime
import io
from dataclasses import dataclass

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.governance import actions, counting, elections, seats, tasks
from tandem.governance.models import Ballot, Election, Nomination, PlanningTeam, Seat, Term, Voter
from tandem.orgs.models import Person
from tandem.partnerships.models import SiteAssignment
from tests.governance.helpers import at, coach, days, elected_seat, leader, refused, state, team
from tests.world import World, build_world

D = datetime.date
OPENED = at(D(2026, 4, 1), 10)  # an election opened by hand, for terms from 1 July 2026


@dataclass
class Setting:
    world: World
    boss: Person
    team: PlanningTeam
    seat: Seat
    election: Election
    ana: Person
    ben: Person
    cara: Person
    dan: Person

    @property
    def voting(self) -> datetime.datetime:
        return self.election.voting_open + datetime.timedelta(hours=1)

    @property
    def after(self) -> datetime.datetime:
        return self.election.voting_close + datetime.timedelta(minutes=1)

    def stand(self, *people: Person) -> list[Nomination]:
        return [actions.do_nominate(p, self.election, p, now=OPENED) for p in people]


def _setting(world: World, *, seats_: int = 1) -> Setting:
    boss = leader(world)
    national = team(world)
    chosen = [
        elected_seat(world, national, f"Implementer seat {n}", D(2024, 7, 1), site_staff_only=True)
        for n in range(1, seats_ + 1)
    ]
    election = actions.do_open_election(boss, national, chosen, D(2026, 7, 1), now=OPENED)
    ana, ben, cara, dan = (coach(world, f"Coach {n}") for n in ("Ana", "Ben", "Cara", "Dan"))
    return Setting(world, boss, national, chosen[0], election, ana, ben, cara, dan)


@pytest.fixture
def s(world: World) -> Setting:
    return _setting(world)


def test_an_election_opened_by_hand_and_its_phases(s: Setting) -> None:
    e = s.election
    assert (e.term_starts, e.term_ends, e.method) == (D(2026, 7, 1), D(2028, 6, 30), "plurality")
    assert e.nominations_open == OPENED and not e.opened_automatically and len(e.lot_seed) == 32
    nominating = datetime.timedelta(days=settings.GOVERNANCE_NOMINATION_DAYS)
    voting = datetime.timedelta(days=settings.GOVERNANCE_VOTING_DAYS)
    assert e.nominations_close == e.voting_open == OPENED + nominating
    assert e.voting_close == OPENED + nominating + voting
    second = datetime.timedelta(seconds=1)
    assert [
        elections.phase(e, t)
        for t in (OPENED, e.nominations_close - second, e.voting_open, e.voting_close - second, e.voting_close)
    ] == ["nominating", "nominating", "voting", "voting", "awaiting count"]
    # A gap between the windows, as an election edited by hand might have.
    Election.objects.filter(pk=e.pk).update(voting_open=e.nominations_close + datetime.timedelta(days=2))
    e.refresh_from_db()
    assert elections.phase(e, e.nominations_close) == "between"
    refused(lambda: actions.do_nominate(s.ana, e, s.ana, now=e.nominations_close), "Nominations are closed.")
    assert [ev.text for ev in e.events.all()] == [
        "Opened by hand for Implementer seat 1; terms 1 Jul 2026 – 30 Jun 2028.",
        f"The seed for any tie decided by lot is {e.lot_seed}.",
    ]
    assert AuditEntry.objects.filter(action="governance.election.open", object_id=str(e.pk)).count() == 1


def test_opening_by_hand_is_checked(s: Setting) -> None:
    boss, national = s.boss, s.team
    b = elected_seat(s.world, national, "Site seat B", D(2025, 7, 1))
    chair = Seat.objects.create(team=national, name="Chair", kind=Seat.Kind.APPOINTED, first_term_starts=D(2024, 7, 1))
    principals = elected_seat(s.world, national, "Principal seat", D(2024, 7, 1), roles=(Role.PRINCIPAL,))
    refused(
        lambda: actions.do_open_election(s.ana, national, [b], D(2027, 7, 1), now=OPENED),
        "Only the organization's leaders do this.",
    )
    refused(
        lambda: actions.do_open_election(boss, national, [], D(2027, 7, 1), now=OPENED),
        {"seats": "Choose the seats to elect."},
    )
    refused(
        lambda: actions.do_open_election(boss, national, [chair], D(2026, 7, 1), now=OPENED),
        {"seats": f"Chair is not an elected seat of {national}."},
    )
    refused(
        lambda: actions.do_open_election(boss, national, [b], D(2026, 7, 1), now=OPENED),
        {"term_starts": "Site seat B's terms start on 1 July 2025, not 1 July 2026."},
    )
    refused(
        lambda: actions.do_open_election(boss, national, [s.seat], D(2026, 7, 1), now=OPENED),
        {"seats": "Implementer seat 1 already has an election for that term."},
    )
    refused(
        lambda: actions.do_open_election(boss, national, [b], D(2025, 7, 1), now=OPENED),
        {"term_starts": "Elect for a term that has not started yet."},
    )
    refused(
        lambda: actions.do_open_election(boss, national, [s.seat, principals], D(2028, 7, 1), now=OPENED),
        {
            "seats": "Implementer seat 1 and Principal seat cannot be elected together: seats elected together "
            "have the same terms and the same people eligible."
        },
    )


def test_nominations(s: Setting) -> None:
    e = s.election
    # Oneself: accepted at once, a candidate.
    own = actions.do_nominate(s.ana, e, s.ana, "I will listen to the schools.", now=OPENED)
    assert own.accepted_at == OPENED and own.standing and own.nominated_by == s.ana
    # A colleague: not a candidate until they accept.
    ben = actions.do_nominate(s.ana, e, s.ben, now=OPENED)
    assert ben.accepted_at is None and not ben.standing
    assert [n.nominee for n in elections.candidates(e)] == [s.ana]
    refused(
        lambda: actions.do_answer_nomination(s.ana, ben, accept=True, now=OPENED),
        "Only the person nominated accepts or declines.",
    )
    actions.do_answer_nomination(s.ben, ben, accept=True, statement="Two schools' worth of notes.", now=OPENED)
    ben.refresh_from_db()
    assert ben.standing and ben.statement == "Two schools' worth of notes."
    # Declined: not a candidate.
    cara = actions.do_nominate(s.ana, e, s.cara, now=OPENED)
    actions.do_answer_nomination(s.cara, cara, accept=False, now=OPENED)
    cara.refresh_from_db()
    assert cara.declined_at == OPENED and not cara.standing
    assert [n.nominee for n in elections.candidates(e)] == [s.ana, s.ben]
    refused(lambda: actions.do_nominate(s.dan, e, s.ana, now=OPENED), {"nominee": "Coach Ana is nominated already."})
    assert [ev.text for ev in e.events.all()][2:] == [
        "Coach Ana nominated themselves.",
        "Coach Ana nominated Coach Ben.",
        "Coach Ben accepted the nomination.",
        "Coach Ana nominated Coach Cara.",
        "Coach Cara declined the nomination.",
    ]
    # After the window, nothing more.
    late = e.nominations_close
    refused(lambda: actions.do_nominate(s.dan, e, s.dan, now=late), "Nominations are closed.")
    refused(lambda: actions.do_answer_nomination(s.cara, cara, accept=True, now=late), "Nominations are closed.")


def test_ineligible_nominees_are_refused_with_the_reason(s: Setting) -> None:
    e, w = s.election, s.world
    refused(
        lambda: actions.do_nominate(s.ana, e, w.people[Role.PRINCIPAL], now=OPENED),
        {
            "nominee": "Principal is not eligible for Implementer seat 1: it is for people holding Coach / partner "
            "placed at a school site."
        },
    )
    # A coach who is not placed at a school site (world.inside.partner holds the coach role only).
    refused(
        lambda: actions.do_nominate(s.ana, e, w.inside.partner, now=OPENED),
        {
            "nominee": "North Partner is not eligible for Implementer seat 1: it is for people placed at a school "
            "site, and North Partner is not placed at one on 1 April 2026."
        },
    )
    # A placement that has ended, or not begun yet, does not count.
    gone = coach(w, "Coach Gone", end_date=D(2026, 3, 31))
    later = coach(w, "Coach Later", start_date=D(2026, 4, 2))
    for person in (gone, later):
        refused(
            lambda person=person: actions.do_nominate(person, e, person, now=OPENED),
            {
                "nominee": f"{person} is not eligible for Implementer seat 1: it is for people placed at a school "
                "site, and "
                f"{person} is not placed at one on 1 April 2026."
            },
        )
    # Only the organization's staff take part at all.
    refused(
        lambda: actions.do_nominate(w.people[Role.TEACHER], e, s.ana, now=OPENED),
        "Working groups and planning teams are the organization's staff's.",
    )
    assert SiteAssignment.objects.filter(person=w.people[Role.COACH]).exists()
    assert actions.do_nominate(w.people[Role.COACH], e, w.people[Role.COACH], now=OPENED).standing


def test_who_votes_how_and_when(s: Setting) -> None:
    e, w = s.election, s.world
    ana, ben = s.stand(s.ana, s.ben)
    declined = actions.do_nominate(s.ana, e, s.cara, now=OPENED)
    actions.do_answer_nomination(s.cara, declined, accept=False, now=OPENED)
    other = _setting_elsewhere(s)
    refused(lambda: actions.do_vote(s.dan, e, [ana.pk], now=OPENED), "Voting is not open.")
    refused(lambda: actions.do_vote(s.dan, e, [ana.pk], now=e.voting_close), "Voting is not open.")
    refused(
        lambda: actions.do_vote(w.people[Role.TEACHER], e, [ana.pk], now=s.voting),
        "Working groups and planning teams are the organization's staff's.",
    )
    refused(
        lambda: actions.do_vote(w.people[Role.ANALYST], e, [ana.pk], now=s.voting),
        "Analyst is not among the people eligible for these seats.",
    )
    refused(
        lambda: actions.do_vote(w.inside.partner, e, [ana.pk], now=s.voting),
        "North Partner is not among the people eligible for these seats.",
    )
    refused(lambda: actions.do_vote(s.dan, e, [], now=s.voting), {"ranking": "Choose at least one candidate."})
    refused(
        lambda: actions.do_vote(s.dan, e, [ana.pk, ana.pk], now=s.voting),
        {"ranking": "Each candidate can be ranked once."},
    )
    for stranger in (declined.pk, other.pk, 10**9, str(ana.pk), True, [ana.pk], None):
        refused(
            lambda stranger=stranger: actions.do_vote(s.dan, e, [stranger], now=s.voting),
            {"ranking": "That is not a candidate in this election."},
        )
    refused(
        lambda: actions.do_vote(s.dan, e, [ana.pk, ben.pk], now=s.voting),
        {"ranking": "This election elects one seat by plurality: choose one candidate."},
    )
    receipt = actions.do_vote(s.dan, e, [ana.pk], now=s.voting)
    assert len(receipt) == 29 and Voter.objects.filter(election=e, person=s.dan).exists()
    refused(lambda: actions.do_vote(s.dan, e, [ben.pk], now=s.voting), "You have voted in this election already.")
    # Candidates vote too.
    actions.do_vote(s.ana, e, [ana.pk], now=e.voting_close - datetime.timedelta(seconds=1))
    assert Ballot.objects.filter(election=e).count() == 2


def _setting_elsewhere(s: Setting) -> Nomination:
    """A nomination in another team's election."""
    west = team(s.world, "Western planning team")
    seat = elected_seat(s.world, west, "Coach seat", D(2024, 7, 1))
    election = actions.do_open_election(s.boss, west, [seat], D(2026, 7, 1), now=OPENED)
    return actions.do_nominate(s.dan, election, s.dan, now=OPENED)


def test_plurality_count_gives_the_term(s: Setting) -> None:
    e = s.election
    ana, ben = s.stand(s.ana, s.ben)
    for voter, choice in ((s.ana, ana), (s.ben, ben), (s.cara, ana), (s.dan, ana)):
        actions.do_vote(voter, e, [choice.pk], now=s.voting)
    refused(lambda: actions.do_count(s.boss, e, now=s.voting), "Voting has not closed yet.")
    refused(lambda: actions.do_count(s.ana, e, now=s.after), "Only the organization's leaders do this.")
    actions.do_count(s.boss, e, now=s.after)
    e.refresh_from_db()
    assert e.status == Election.Status.COUNTED and elections.phase(e, s.after) == "counted"
    assert (e.result["method"], e.result["valid"], e.result["elected"], e.result["elected_names"]) == (
        "plurality",
        4,
        [ana.pk],
        ["Coach Ana"],
    )
    assert e.result["unfilled"] == 0 and e.result["ties"] == []
    term = Term.objects.get()
    assert (term.seat, term.person, term.starts_on, term.ends_on, term.election) == (
        s.seat,
        s.ana,
        D(2026, 7, 1),
        D(2028, 6, 30),
        e,
    )
    assert e.events.filter(text="Counted: 4 valid ballots, 0 blank; elected Coach Ana.").exists()
    refused(lambda: actions.do_count(s.boss, e, now=s.after), "This election is counted already.")
    assert elections.tick(s.after + days(1)) == {"opened": 0, "counted": 0, "failed": 0}
    assert Term.objects.count() == 1


def test_stv_count_gives_the_terms_in_seat_order(world: World) -> None:
    s = _setting(world, seats_=2)
    e = s.election
    assert e.method == "stv" and e.seats.count() == 2
    more = [coach(world, f"Coach {n}") for n in ("Eve", "Fay", "Gus", "Hal", "Ivy")]
    ana, ben, cara = s.stand(s.ana, s.ben, s.cara)
    # 9 valid ballots, quota 9 // 3 + 1 = 4. First preferences: Cara 6, Ben 2, Ana 1. Cara is
    # elected and her surplus of 2 goes on to Ana (6 papers at 2/6), who then has 3 to Ben's 2;
    # Ben is excluded and Ana, the one continuing candidate, fills the last seat. Plurality would
    # have elected Cara and Ben.
    voters = [s.ana, s.ben, s.cara, s.dan, *more]
    rankings = [[ana], [ben], [cara, ana], [cara, ana], [cara, ana], [cara, ana], [cara, ana], [cara, ana], [ben]]
    for voter, ranking in zip(voters, rankings, strict=True):
        actions.do_vote(voter, e, [n.pk for n in ranking], now=s.voting)
    assert elections.tick(s.after) == {"opened": 0, "counted": 1, "failed": 0}
    e.refresh_from_db()
    assert e.result["quota"] == 4 and e.result["valid"] == 9
    assert e.result["elected_names"] == ["Coach Cara", "Coach Ana"]
    ids = [str(n.pk) for n in (ana, ben, cara)]
    ballots = [[str(n.pk) for n in r] for r in rankings]
    assert list(counting.plurality(ballots, ids, seats=2).elected) == [str(cara.pk), str(ben.pk)]
    # Terms for the elected in order of election, seat by seat in the seats' order.
    by_seat = [(t.seat.name, t.person.full_name, t.starts_on, t.ends_on) for t in Term.objects.order_by("seat__name")]
    assert by_seat == [
        ("Implementer seat 1", "Coach Cara", D(2026, 7, 1), D(2028, 6, 30)),
        ("Implementer seat 2", "Coach Ana", D(2026, 7, 1), D(2028, 6, 30)),
    ]
    # The published table names the candidates and shows each stage.
    table = e.result["table"]
    assert table[0] == ["", "Stage 1", "Stage 2", "Stage 3"]
    assert ["Coach Cara", "6.00000", "4.00000", "4.00000"] in table


@pytest.mark.parametrize(("standing", "filled"), [(0, 0), (1, 1)])
def test_seats_stay_unfilled_when_too_few_stand(world: World, standing: int, filled: int) -> None:
    s = _setting(world, seats_=2)
    nominations = s.stand(*[s.ana][:standing])
    for voter in (s.ben, s.cara):
        if nominations:
            actions.do_vote(voter, s.election, [nominations[0].pk], now=s.voting)
    actions.do_count(s.boss, s.election, now=s.after)
    s.election.refresh_from_db()
    assert s.election.result["unfilled"] == 2 - filled
    assert Term.objects.count() == filled
    if filled:
        assert Term.objects.get().seat.name == "Implementer seat 1"
    names = "Coach Ana" if filled else "nobody"
    texts = [ev.text for ev in s.election.events.all()]
    assert f"Counted: {2 if filled else 0} valid ballots, 0 blank; elected {names}." in texts
    assert f"{2 - filled} seat(s) left unfilled: too few candidates." in texts


def test_a_tie_is_decided_by_lot_from_the_published_seed(s: Setting) -> None:
    e = s.election
    ana, ben = s.stand(s.ana, s.ben)
    actions.do_vote(s.cara, e, [ana.pk], now=s.voting)
    actions.do_vote(s.dan, e, [ben.pk], now=s.voting)
    actions.do_count(s.boss, e, now=s.after)
    e.refresh_from_db()
    (tie,) = e.result["ties"]
    ids = sorted([str(ana.pk), str(ben.pk)])
    # The seed was published when the election opened; anyone can redo the draw from it.
    assert e.events.filter(text=f"The seed for any tie decided by lot is {e.lot_seed}.").exists()
    redo = counting.plurality([[str(ana.pk)], [str(ben.pk)]], ids, 1, e.lot_seed)
    assert redo.ties[0].explanation == tie and [int(i) for i in redo.elected] == e.result["elected"]
    drawn = counting.SeededLot(e.lot_seed)(tuple(ids), "election at stage 1, draw 1 of 1")
    assert e.result["elected"] == [int(drawn)] and f"seed '{e.lot_seed}'" in tie
    holder = Term.objects.get(election=e).person
    assert holder == (s.ana if drawn == str(ana.pk) else s.ben)
    # The tie is in the election's log, by name, with the draw.
    logged = e.events.get(text__startswith="Tie at stage 1")
    assert logged.text == f"Tie at stage 1 between Coach Ana, Coach Ben, decided by lot: {tie}"[:500]
    # It is the seed that decides: some other seed draws the other candidate.
    other = next(
        f"other seed {n}"
        for n in range(100)
        if counting.SeededLot(f"other seed {n}")(tuple(ids), "election at stage 1, draw 1 of 1") != drawn
    )
    assert list(counting.plurality([[str(ana.pk)], [str(ben.pk)]], ids, 1, other).elected) != [drawn]


def test_tick_is_idempotent(world: World) -> None:
    national = team(world)
    elected_seat(world, national, "Implementer seat", D(2024, 7, 1))
    day = at(D(2026, 5, 17), 6)
    assert elections.tick(day - days(1)) == {"opened": 0, "counted": 0, "failed": 0}
    assert elections.tick(day) == {"opened": 1, "counted": 0, "failed": 0}
    before = state()
    assert elections.tick(day) == {"opened": 0, "counted": 0, "failed": 0}
    assert elections.tick(day + days(1)) == {"opened": 0, "counted": 0, "failed": 0}
    assert state() == before
    election = Election.objects.get()
    assert election.opened_automatically and election.events.first().text.startswith(  # type: ignore[union-attr]
        "Opened automatically, ahead of the terms' end for Implementer seat"
    )
    closing = election.voting_close
    assert elections.tick(closing - datetime.timedelta(seconds=1))["counted"] == 0
    assert elections.tick(closing) == {"opened": 0, "counted": 1, "failed": 0}
    after = state()
    assert elections.tick(closing) == {"opened": 0, "counted": 0, "failed": 0}
    assert state() == after


def test_a_round_working_from_a_stale_list_opens_nothing_twice(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two rounds at once (the worker's and `tandem governance tick`), or a leader opening the
    election by hand meanwhile: the second looks again under the team's lock."""
    national = team(world)
    seat = elected_seat(world, national, "Implementer seat", D(2024, 7, 1))
    now = at(D(2026, 5, 17), 6)
    stale = elections.due(now)
    assert [(t, [x.pk for x in f], d) for t, f, d in stale] == [(national, [seat.pk], D(2026, 7, 1))]
    actions.do_open_election(leader(world), national, [seat], D(2026, 7, 1), now=now)
    monkeypatch.setattr(elections, "due", lambda now: stale)
    assert elections.tick(now) == {"opened": 0, "counted": 0, "failed": 0}
    assert Election.objects.count() == 1


def test_a_failing_count_does_not_stop_the_others(world: World) -> None:
    s = _setting(world)
    west = team(world, "Western planning team")
    other = actions.do_open_election(
        s.boss, west, [elected_seat(world, west, "Coach seat", D(2024, 7, 1))], D(2026, 7, 1), now=OPENED
    )
    (ana,) = s.stand(s.ana)
    # A term already there for the seat (entered by hand, say) makes the first count fail.
    Term.objects.create(seat=s.seat, person=s.ben, starts_on=D(2026, 7, 1), ends_on=D(2028, 6, 30))
    actions.do_vote(s.cara, s.election, [ana.pk], now=s.voting)
    assert elections.tick(s.after) == {"opened": 0, "counted": 1, "failed": 1}
    s.election.refresh_from_db()
    other.refresh_from_db()
    assert s.election.status == Election.Status.OPEN and other.status == Election.Status.COUNTED
    out = io.StringIO()
    with pytest.raises(Exception, match=r"1 election\(s\) could not be opened or counted; see the log\."):
        call_command("governance_tick", stdout=out)


def test_cancelled_elections(s: Setting) -> None:
    e = s.election
    (ana,) = s.stand(s.ana)
    refused(lambda: actions.do_cancel_election(s.ana, e, "Wrong seat"), "Only the organization's leaders do this.")
    refused(lambda: actions.do_cancel_election(s.boss, e, " "), {"because": "Write the reason."})
    actions.do_cancel_election(s.boss, e, "The seat is being redrawn")
    e.refresh_from_db()
    assert e.status == Election.Status.CANCELLED and elections.phase(e, OPENED) == "cancelled"
    assert e.events.last().text == "Cancelled: The seat is being redrawn"  # type: ignore[union-attr]
    assert AuditEntry.objects.get(action="governance.election.cancel").changes == {
        "because": "The seat is being redrawn"
    }
    refused(lambda: actions.do_nominate(s.ben, e, s.ben, now=OPENED), "Nominations are closed.")
    refused(lambda: actions.do_vote(s.ben, e, [ana.pk], now=s.voting), "Voting is not open.")
    refused(lambda: actions.do_count(s.boss, e, now=s.after), "This election was cancelled; it is not counted.")
    refused(lambda: actions.do_cancel_election(s.boss, e, "Again"), "Only an open election is cancelled.")
    # Not counted by the round; once the term is within the lead time again, the round opens a
    # fresh election for it, with a fresh seed.
    assert elections.tick(s.after) == {"opened": 0, "counted": 0, "failed": 0}
    assert elections.tick(at(D(2026, 5, 17), 6)) == {"opened": 1, "counted": 0, "failed": 0}
    fresh = Election.objects.exclude(pk=e.pk).get()
    assert fresh.term_starts == D(2026, 7, 1) and fresh.lot_seed != e.lot_seed and fresh.opened_automatically
    e.refresh_from_db()
    assert e.status == Election.Status.CANCELLED and not Term.objects.exists()


# -- the daily round, in the background worker ---------------------------------------------------


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _queued() -> list[DBTaskResult]:
    return list(DBTaskResult.objects.filter(task_path="tandem.governance.tasks.daily_tick").order_by("enqueued_at"))


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    return build_world()


def test_the_worker_runs_the_daily_round_which_queues_the_next(committed_world: World) -> None:
    world = committed_world
    national = team(world)
    # A seat whose next term starts within the lead time of today, whatever today is.
    starts = timezone.localdate() + days(settings.GOVERNANCE_ELECTION_LEAD_DAYS - 1)
    elected_seat(world, national, "Implementer seat", starts)
    tasks.ensure_daily()
    tasks.ensure_daily()
    (first,) = _queued()
    assert first.status == "READY"
    started = timezone.now()
    _work()
    first.refresh_from_db()
    assert first.status == "SUCCESSFUL", first.traceback
    assert first.return_value == {"opened": 1, "counted": 0, "failed": 0}
    election = Election.objects.get()
    assert election.opened_automatically and election.term_starts == starts
    # The next round is queued for a day later, and the worker leaves it until then.
    (_, following) = _queued()
    assert following.status == "READY"
    assert started + datetime.timedelta(days=1) <= following.run_after <= timezone.now() + datetime.timedelta(days=1)
    _work()
    following.refresh_from_db()
    assert following.status == "READY" and len(_queued()) == 2
    # ensure_daily sees the one waiting and queues nothing more.
    tasks.ensure_daily()
    assert len(_queued()) == 2


def test_a_failing_round_still_queues_the_next(committed_world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(now: object = None) -> dict[str, int]:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(elections, "tick", broken)
    tasks.ensure_daily()
    _work()
    first, following = _queued()
    assert first.status == "FAILED" and "the database went away" in first.traceback
    assert following.status == "READY" and following.run_after > timezone.now()


def test_the_command_runs_the_round(world: World) -> None:
    national = team(world)
    elected_seat(world, national, "Implementer seat", timezone.localdate() + days(10))
    out = io.StringIO()
    call_command("governance_tick", stdout=out)
    assert out.getvalue() == "Elections opened: 1; counted: 0.\n"
    out = io.StringIO()
    call_command("governance_tick", stdout=out)
    assert out.getvalue() == "Elections opened: 0; counted: 0.\n"
    assert Seat.objects.count() == 1 and seats.next_term(Seat.objects.get(), timezone.localdate())
