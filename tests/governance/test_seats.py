"""Seats and terms: when terms fall, rotation across five years of elections run by `tick` day by
day, and the team's rights exactly on the days of a term (nothing runs at the boundary)."""

import datetime
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.governance import actions, elections, seats
from tandem.governance.models import Decision, Election, ElectionEvent, Nomination, Seat, Term
from tandem.governance.visibility import records_for_team, sits_on
from tandem.orgs.models import Person
from tests.governance.helpers import appointed_seat, at, coach, days, elected_seat, leader, refused, team
from tests.world import World

D = datetime.date


def _seat(first: D, months: int) -> Seat:
    return Seat(name="Seat", kind=Seat.Kind.ELECTED, first_term_starts=first, term_months=months)


def _walk(seat: Seat, count: int) -> list[tuple[D, D]]:
    """The first `count` terms, each found from the day after the one before."""
    terms = [seats.term_span(seat, seat.first_term_starts)]
    while len(terms) < count:
        terms.append(seats.next_term(seat, terms[-1][1]))
    return terms


def test_terms_of_a_staggered_seat() -> None:
    a, b = _seat(D(2024, 7, 1), 24), _seat(D(2025, 7, 1), 24)
    assert _walk(a, 3) == [
        (D(2024, 7, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), D(2028, 6, 30)),
        (D(2028, 7, 1), D(2030, 6, 30)),
    ]
    assert _walk(b, 3) == [
        (D(2025, 7, 1), D(2027, 6, 30)),
        (D(2027, 7, 1), D(2029, 6, 30)),
        (D(2029, 7, 1), D(2031, 6, 30)),
    ]
    # The term holding a day, on its first and last day and around them.
    assert seats.term_span(a, D(2026, 6, 30)) == (D(2024, 7, 1), D(2026, 6, 30))
    assert seats.term_span(a, D(2026, 7, 1)) == (D(2026, 7, 1), D(2028, 6, 30))
    assert seats.next_term(a, D(2026, 6, 30)) == (D(2026, 7, 1), D(2028, 6, 30))
    assert seats.next_term(a, D(2026, 7, 1)) == (D(2028, 7, 1), D(2030, 6, 30))
    # Before the seat's first term, that term is the next one.
    assert seats.next_term(b, D(2025, 1, 1)) == (D(2025, 7, 1), D(2027, 6, 30))


@pytest.mark.parametrize(
    ("first", "months"), [(D(2024, 2, 29), 12), (D(2025, 1, 31), 1), (D(2025, 8, 30), 6), (D(2024, 7, 1), 24)]
)
def test_terms_chain_without_gaps_from_any_first_day(first: D, months: int) -> None:
    """Every day from the first start belongs to exactly one term, and each term starts the day
    after the one before ends. (Terms counted from their own start drifted at month ends: from
    29 February a yearly term ended on 27 February 2028 and the next started on the 29th.)"""
    seat = _seat(first, months)
    terms = _walk(seat, 30)
    for (_, ends), (starts, _) in itertools.pairwise(terms):
        assert starts == ends + days(1)
    day = first
    while day <= terms[-1][1]:
        starts, ends = seats.term_span(seat, day)
        assert starts <= day <= ends
        day += days(1)
    if first == D(2024, 2, 29):
        assert terms[3] == (D(2027, 2, 28), D(2028, 2, 28)) and terms[4][0] == D(2028, 2, 29)


# -- five years of rotation ---------------------------------------------------------------------


@dataclass
class Script:
    """What people do in one election: nominations while nominating, ballots while voting, and
    the refusals expected (with their messages) along the way."""

    nominate: Callable[[Election, datetime.datetime], None]
    ballots: list[tuple[str, list[str]]]  # voter, ranking by candidates' names
    done: set[str] = field(default_factory=set)


def test_staggered_seats_rotate_over_five_years_run_by_tick_day_by_day(world: World) -> None:
    lead = settings.GOVERNANCE_ELECTION_LEAD_DAYS
    nominating = settings.GOVERNANCE_NOMINATION_DAYS
    voting = settings.GOVERNANCE_VOTING_DAYS
    national = team(world)
    a1 = elected_seat(world, national, "Implementer seat A1", D(2024, 7, 1), max_terms=1)
    a2 = elected_seat(world, national, "Implementer seat A2", D(2024, 7, 1), max_terms=1)
    b = elected_seat(world, national, "Site seat B", D(2025, 7, 1), max_terms=2, site_staff_only=True)
    people = {name: coach(world, f"Coach {name}") for name in ("Ana", "Ben", "Cara", "Dan", "Eve", "Fay", "Gus")}
    # The A seats' first terms were filled before Tandem kept them.
    Term.objects.create(seat=a1, person=people["Ana"], starts_on=D(2024, 7, 1), ends_on=D(2026, 6, 30))
    Term.objects.create(seat=a2, person=people["Ben"], starts_on=D(2024, 7, 1), ends_on=D(2026, 6, 30))

    def self_nominate(*names: str) -> Callable[[Election, datetime.datetime], None]:
        def run(election: Election, now: datetime.datetime) -> None:
            for name in names:
                actions.do_nominate(people[name], election, people[name], "I will listen.", now=now)

        return run

    def first_b(election: Election, now: datetime.datetime) -> None:
        actions.do_nominate(people["Cara"], election, people["Cara"], now=now)
        # A colleague's nomination counts once accepted.
        nomination = actions.do_nominate(people["Ana"], election, people["Dan"], now=now)
        actions.do_answer_nomination(people["Dan"], nomination, accept=True, now=now + days(1))

    def first_a(election: Election, now: datetime.datetime) -> None:
        # Ana and Ben have held A1 and A2 for one term each: the seats rotate.
        refused(
            lambda: actions.do_nominate(people["Ana"], election, people["Ana"], now=now),
            {"nominee": "Coach Ana has held Implementer seat A1 for 1 term in a row; the seat rotates."},
        )
        refused(
            lambda: actions.do_nominate(people["Eve"], election, people["Ben"], now=now),
            {"nominee": "Coach Ben has held Implementer seat A2 for 1 term in a row; the seat rotates."},
        )
        self_nominate("Dan", "Eve", "Fay")(election, now)

    def second_a(election: Election, now: datetime.datetime) -> None:
        for name, seat_name in (("Dan", "A1"), ("Eve", "A2")):
            refused(
                lambda name=name: actions.do_nominate(people[name], election, people[name], now=now),
                {
                    "nominee": f"Coach {name} has held Implementer seat {seat_name} for 1 term in a row; the seat rotates."
                },
            )
        # After a term away, Ana and Ben may stand again.
        self_nominate("Ana", "Ben")(election, now)

    def third_b(election: Election, now: datetime.datetime) -> None:
        refused(
            lambda: actions.do_nominate(people["Cara"], election, people["Cara"], now=now),
            {"nominee": "Coach Cara has held Site seat B for 2 terms in a row; the seat rotates."},
        )
        self_nominate("Gus", "Dan")(election, now)

    everyone = list(people)
    scripts = {
        D(2025, 7, 1): Script(first_b, [(n, ["Cara"]) for n in everyone[:4]] + [(n, ["Dan"]) for n in everyone[4:]]),
        D(2026, 7, 1): Script(
            first_a,
            # Quota 7 // 3 + 1 = 3: Dan is elected with 4; his surplus of 1 takes Eve from 2 to 3.
            [(n, ["Dan", "Eve"]) for n in ("Ana", "Ben", "Cara", "Dan")]
            + [("Eve", ["Eve"]), ("Fay", ["Fay"]), ("Gus", ["Eve", "Fay"])],
        ),
        D(2027, 7, 1): Script(
            self_nominate("Cara", "Gus"), [(n, ["Cara"]) for n in everyone[:5]] + [("Fay", ["Gus"]), ("Gus", ["Gus"])]
        ),
        D(2028, 7, 1): Script(
            second_a, [(n, ["Ben", "Ana"]) for n in everyone[:5]] + [("Fay", ["Ana"]), ("Gus", ["Ana"])]
        ),
        D(2029, 7, 1): Script(third_b, [(n, ["Dan"]) for n in everyone[:4]] + [(n, ["Gus"]) for n in everyone[4:6]]),
    }

    ticks: dict[D, dict[str, int]] = {}
    day = D(2025, 1, 1)
    while day <= D(2029, 12, 31):
        done = elections.tick(at(day, 6))
        if any(done.values()):
            ticks[day] = done
        for election in Election.objects.filter(status=Election.Status.OPEN):
            script = scripts[election.term_starts]
            now = at(day, 9)
            phase = elections.phase(election, now)
            if phase == "nominating" and "nominated" not in script.done:
                script.nominate(election, now)
                # Nobody votes before voting opens.
                refused(lambda e=election, t=now: actions.do_vote(people["Gus"], e, [], now=t), "Voting is not open.")
                script.done.add("nominated")
            elif phase == "voting" and "voted" not in script.done:
                standing = {n.nominee.full_name: n.pk for n in elections.candidates(election)}
                for voter, ranking in script.ballots:
                    actions.do_vote(people[voter], election, [standing[f"Coach {n}"] for n in ranking], now=now)
                script.done.add("voted")
        day += days(1)

    # Each election opened on its own, the lead time before its terms, and was counted the day
    # voting closed; nothing else happened on any other day.
    expected: dict[D, dict[str, int]] = {}
    for starts in scripts:
        expected[starts - days(lead)] = {"opened": 1, "counted": 0, "failed": 0}
        expected[starts - days(lead) + days(nominating + voting)] = {"opened": 0, "counted": 1, "failed": 0}
    assert ticks == expected
    assert D(2025, 5, 17) in ticks and D(2025, 6, 7) in ticks  # with the defaults: 45, 14 and 7 days

    held = list(Election.objects.order_by("term_starts"))
    assert [e.term_starts for e in held] == list(scripts)
    assert all(e.opened_automatically and e.status == Election.Status.COUNTED for e in held)
    assert [e.method for e in held] == ["plurality", "stv", "plurality", "stv", "plurality"]
    assert [sorted(s.name for s in e.seats.all()) for e in held] == [
        ["Site seat B"],
        ["Implementer seat A1", "Implementer seat A2"],
        ["Site seat B"],
        ["Implementer seat A1", "Implementer seat A2"],
        ["Site seat B"],
    ]
    for election in held:
        assert election.created_at == at(election.term_starts - days(lead), 6)
        counted = election.events.get(text__startswith="Counted")
        assert counted.at == at(election.term_starts - days(lead) + days(nominating + voting), 6)
    assert [e.result["elected_names"] for e in held] == [
        ["Coach Cara"],
        ["Coach Dan", "Coach Eve"],
        ["Coach Cara"],
        ["Coach Ben", "Coach Ana"],
        ["Coach Dan"],
    ]

    # The terms chain without gaps; the STV winners take the seats in seat order.
    def terms(seat: Seat) -> list[tuple[str, D, D]]:
        return [(t.person.full_name, t.starts_on, t.ends_on) for t in seat.terms.order_by("starts_on")]

    assert terms(a1) == [
        ("Coach Ana", D(2024, 7, 1), D(2026, 6, 30)),
        ("Coach Dan", D(2026, 7, 1), D(2028, 6, 30)),
        ("Coach Ben", D(2028, 7, 1), D(2030, 6, 30)),
    ]
    assert terms(a2) == [
        ("Coach Ben", D(2024, 7, 1), D(2026, 6, 30)),
        ("Coach Eve", D(2026, 7, 1), D(2028, 6, 30)),
        ("Coach Ana", D(2028, 7, 1), D(2030, 6, 30)),
    ]
    assert terms(b) == [
        ("Coach Cara", D(2025, 7, 1), D(2027, 6, 30)),
        ("Coach Cara", D(2027, 7, 1), D(2029, 6, 30)),
        ("Coach Dan", D(2029, 7, 1), D(2031, 6, 30)),
    ]
    for seat in (a1, a2, b):
        chain = list(seat.terms.order_by("starts_on"))
        assert all(after.starts_on == before.ends_on + days(1) for before, after in itertools.pairwise(chain))
    # Who sits on the team changes on the terms' first days, and on no other.
    members = {day: {p.full_name for p in seats.members(national, day)} for day in (D(2026, 6, 30), D(2026, 7, 1))}
    assert members == {
        D(2026, 6, 30): {"Coach Ana", "Coach Ben", "Coach Cara"},
        D(2026, 7, 1): {"Coach Dan", "Coach Eve", "Coach Cara"},
    }
    assert {p.full_name for p in seats.members(national, D(2029, 6, 30))} == {"Coach Ben", "Coach Ana", "Coach Cara"}
    assert {p.full_name for p in seats.members(national, D(2029, 7, 1))} == {"Coach Ben", "Coach Ana", "Coach Dan"}
    assert seats.consecutive_terms(b, people["Cara"], D(2029, 7, 1)) == 2
    assert not Election.objects.filter(opened_automatically=False).exists()


def test_seats_unlike_in_who_may_stand_get_elections_of_their_own(world: World) -> None:
    """Seats of a team starting the same day share an election only when the same people may stand
    and vote for them, and their terms end together."""
    national = team(world)
    elected_seat(world, national, "Coach seat 1", D(2025, 7, 1))
    elected_seat(world, national, "Coach seat 2", D(2025, 7, 1))
    elected_seat(world, national, "Principal seat", D(2025, 7, 1), roles=(Role.PRINCIPAL,))
    elected_seat(world, national, "Short coach seat", D(2025, 7, 1), months=12)
    other = team(world, "Western planning team")
    elected_seat(world, other, "Coach seat", D(2025, 7, 1))
    assert elections.tick(at(D(2025, 5, 17), 6)) == {"opened": 4, "counted": 0, "failed": 0}
    opened = {
        (e.team.name, tuple(s.name for s in e.seats.order_by("name")), e.method, e.term_ends)
        for e in Election.objects.all()
    }
    assert opened == {
        ("National planning team", ("Coach seat 1", "Coach seat 2"), "stv", D(2027, 6, 30)),
        ("National planning team", ("Principal seat",), "plurality", D(2027, 6, 30)),
        ("National planning team", ("Short coach seat",), "plurality", D(2026, 6, 30)),
        ("Western planning team", ("Coach seat",), "plurality", D(2027, 6, 30)),
    }


# -- rights on the days of a term ----------------------------------------------------------------


def _decide(actor: Person, on: datetime.datetime, national: object) -> Decision:
    fields = {"title": "Coaching days", "decided_on": on.date(), "decision": "Four days a week.", "rationale": "Asked."}
    return actions.do_record_decision(actor, fields, team=national, now=on)  # type: ignore[arg-type]


REFUSED_TEAM = "Only the team's members on the day (or the organization's leaders) record its decisions."


def test_the_team_s_rights_hold_exactly_on_the_days_of_the_term(world: World) -> None:
    national = team(world)
    chair = appointed_seat(world, national, "Chair", D(2026, 1, 1), months=12)
    holder = world.people[Role.REGIONAL_DIRECTOR]  # on the staff, not one of the organization's leaders
    term = actions.do_appoint(leader(world), chair, holder, D(2026, 1, 1))
    assert (term.starts_on, term.ends_on) == (D(2026, 1, 1), D(2026, 12, 31))
    scope = scope_for(holder)
    expected = {D(2025, 12, 31): False, D(2026, 1, 1): True, D(2026, 12, 31): True, D(2027, 1, 1): False}
    for day, holds in expected.items():
        assert seats.holds_seat(holder, national, day) is holds
        assert sits_on(scope, national, day) is holds
        assert records_for_team(scope, national, day) is holds
        assert (holder in seats.members(national, day)) is holds
        # Recording a decision is judged on the local day of `now`: just after midnight and just
        # before the next (the latter already the next day in UTC).
        for now in (at(day, 0, 5), at(day, 23, 55)):
            if holds:
                decision = _decide(holder, now, national)
                assert decision.recorded_at == now and decision.team == national
            else:
                refused(lambda now=now: _decide(holder, now, national), REFUSED_TEAM)
    assert Decision.objects.filter(recorded_by=holder).count() == 4
    # The organization's leaders record for the team any day; a coach with no seat never does.
    assert _decide(leader(world), at(D(2027, 1, 1)), national).recorded_by == leader(world)
    assert records_for_team(scope_for(leader(world)), national, D(2030, 1, 1))
    refused(lambda: _decide(world.people[Role.COACH], at(D(2026, 6, 1)), national), REFUSED_TEAM)
    # No task, no tick: the rights follow the dates alone.
    from django_tasks_db.models import DBTaskResult

    assert not DBTaskResult.objects.exists() and not Election.objects.exists()


def test_a_term_ended_early_ends_the_rights_that_day(world: World) -> None:
    national = team(world)
    chair = appointed_seat(world, national, "Chair", D(2026, 1, 1), months=12)
    holder = world.people[Role.REGIONAL_DIRECTOR]
    term = actions.do_appoint(leader(world), chair, holder, D(2026, 1, 1))
    refused(
        lambda: actions.do_end_term_early(world.people[Role.COACH], term, D(2026, 3, 15), "Stepped down"),
        "Only the organization's leaders do this.",
    )
    refused(
        lambda: actions.do_end_term_early(leader(world), term, D(2027, 1, 1), "Stepped down"),
        {"on": "Choose a day within the term (2026-01-01 – 2026-12-31)."},
    )
    refused(
        lambda: actions.do_end_term_early(leader(world), term, D(2026, 3, 15), "  "),
        {"because": "Write the reason."},
    )
    actions.do_end_term_early(leader(world), term, D(2026, 3, 15), "Took a district role")
    term.refresh_from_db()
    assert term.ended_early_on == D(2026, 3, 15) and term.ends_on == D(2026, 12, 31)
    assert seats.holds_seat(holder, national, D(2026, 3, 14))
    assert not seats.holds_seat(holder, national, D(2026, 3, 15))
    assert not seats.holds_seat(holder, national, D(2026, 6, 1))
    assert _decide(holder, at(D(2026, 3, 14), 23, 55), national)
    refused(lambda: _decide(holder, at(D(2026, 3, 15), 0, 5), national), REFUSED_TEAM)
    # The reason is kept with the change.
    entry = AuditEntry.objects.get(action="governance.term.end")
    assert entry.changes == {"ended_early_on": [None, "2026-03-15"], "because": "Took a district role"}
    # Ending it again would move the day rights ended: refused.
    refused(
        lambda: actions.do_end_term_early(leader(world), term, D(2026, 5, 1), "Again"),
        {"on": "This term already ended early, on 15 March 2026."},
    )


def test_appointments(world: World) -> None:
    boss = leader(world)
    national = team(world)
    chair = appointed_seat(world, national, "Chair", D(2026, 1, 1), months=12, max_terms=1)
    elected = elected_seat(world, national, "Implementer seat", D(2026, 1, 1))
    director = world.people[Role.REGIONAL_DIRECTOR]
    refused(
        lambda: actions.do_appoint(world.people[Role.COACH], chair, director, D(2026, 1, 1)),
        "Only the organization's leaders do this.",
    )
    refused(
        lambda: actions.do_appoint(boss, elected, director, D(2026, 1, 1)),
        {"seat": "An elected seat is filled by its election."},
    )
    refused(
        lambda: actions.do_appoint(boss, chair, director, D(2026, 2, 1)),
        {"term_starts": "Chair's terms start on 1 January 2026, not 1 February 2026."},
    )
    refused(
        lambda: actions.do_appoint(boss, chair, world.people[Role.TEACHER], D(2026, 1, 1)),
        {"person": "Teacher is not on the staff."},
    )
    actions.do_appoint(boss, chair, director, D(2026, 1, 1))
    refused(
        lambda: actions.do_appoint(boss, chair, world.people[Role.ANALYST], D(2026, 1, 1)),
        {"term_starts": "That term is filled already."},
    )
    refused(
        lambda: actions.do_appoint(boss, chair, director, D(2027, 1, 1)),
        {"person": "Regional director has held Chair for 1 term in a row; the seat rotates."},
    )
    second = actions.do_appoint(boss, chair, world.people[Role.ANALYST], D(2027, 1, 1))
    assert (second.starts_on, second.ends_on) == (D(2027, 1, 1), D(2027, 12, 31))
    # After a term away the director may be appointed again.
    assert actions.do_appoint(boss, chair, director, D(2028, 1, 1)).person == director


def test_seat_settings_are_checked(world: World) -> None:
    national = team(world)
    boss = leader(world)

    def save(**fields: object) -> Seat:
        values: dict[str, object] = {
            "team": national,
            "name": "Implementer seat",
            "kind": Seat.Kind.ELECTED,
            "eligible_roles": [Role.COACH],
            "first_term_starts": D(2026, 7, 1),
        }
        return actions.do_save_seat(boss, Seat(**{**values, **fields}))

    refused(
        lambda: save(eligible_roles=[]),
        {"eligible_roles": "An elected seat names the roles eligible for it (e.g. coach)."},
    )
    refused(lambda: save(eligible_roles=["coach", "wizard"]), {"eligible_roles": "Not roles: wizard."})
    refused(lambda: save(term_months=0), {"term_months": "A term lasts 1 to 120 months."})
    refused(lambda: save(max_consecutive_terms=0), {"max_consecutive_terms": "At least one term."})
    refused(lambda: save(name=" "), {"name": "Write the name."})
    refused(
        lambda: actions.do_save_seat(world.people[Role.COACH], Seat(team=national, name="X")),
        "Only the organization's leaders do this.",
    )
    seat = save()
    assert seat.pk and AuditEntry.objects.filter(action="governance.seat", object_id=str(seat.pk)).exists()
    assert Nomination.objects.count() == ElectionEvent.objects.count() == 0
