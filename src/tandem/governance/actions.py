"""Every change to working groups, planning teams, elections and decisions goes through these
functions: each checks the actor's right (visibility.py), runs in one transaction and writes an
audit entry. A vote's audit entry says that the person voted, never how."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Role
from tandem.access.scope import Scope, scope_for
from tandem.governance import ballots, elections, seats
from tandem.governance.models import (
    Decision,
    Election,
    FollowUp,
    GroupGoal,
    Link,
    Membership,
    Nomination,
    PlanningTeam,
    Review,
    Seat,
    Support,
    Term,
    Voter,
    WorkingGroup,
)
from tandem.governance.visibility import (
    leads,
    records_for_group,
    records_for_team,
    steers_group,
    takes_part,
    visible_groups,
)
from tandem.orgs.models import Person


def _refuse(message: str | dict[str, str]) -> None:
    raise ValidationError(message)


def _text(value: str, field: str, what: str, limit: int = 20_000, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        _refuse({field: f"Write the {what}."})
    if len(value) > limit:
        _refuse({field: f"The {what} is {len(value)} characters long; keep it to {limit}."})
    if "\x00" in value:
        _refuse({field: f"The {what} holds a NUL character; paste it as plain text."})
    return value


def _staff(actor: Person) -> Scope:
    scope = scope_for(actor)
    if not takes_part(scope):
        _refuse("Working groups and planning teams are the organization's staff's.")
    return scope


def _leader(actor: Person) -> Scope:
    scope = _staff(actor)
    if not leads(scope):
        _refuse("Only the organization's leaders do this.")
    return scope


def _plausible(day: datetime.date, field: str) -> None:
    # Terms are counted forward from these dates for years; a date far outside the organization's
    # life would make that arithmetic leave the calendar.
    if not datetime.date(1990, 1, 1) <= day <= datetime.date(2200, 12, 31):
        _refuse({field: f"{day:%Y-%m-%d} is not a plausible date for a term; use one between 1990 and 2200."})


def _is_staff(person: Person) -> bool:
    return takes_part(scope_for(person))


# -- working groups ----------------------------------------------------------------------------


@transaction.atomic
def do_form_group(
    actor: Person,
    fields: dict[str, Any],
    *,
    goals: list[str],
    members: list[Person],
    inputs: list[Model] | None = None,
    now: datetime.datetime | None = None,
) -> WorkingGroup:
    """A leader forms a group around a misalignment, with goals, members from several teams and
    regions, a sponsor and a time box, optionally from flags, tickets or cycles (`inputs`, found by
    the caller through the actor's reach)."""
    _leader(actor)
    now = now or timezone.now()
    group = WorkingGroup(created_by=actor, created_at=now, **fields)
    group.name = _text(group.name, "name", "name", 200)
    group.misalignment = _text(group.misalignment, "misalignment", "misalignment")
    group.purpose = _text(group.purpose, "purpose", "purpose")
    if group.ends_on <= group.starts_on:
        _refuse({"ends_on": "The time box ends after it starts."})
    if not _is_staff(group.sponsor):
        _refuse({"sponsor": f"{group.sponsor} is not on the staff; a sponsor is someone on the staff."})
    texts = [_text(g, "goals", "goal", 2000) for g in goals if g.strip()]
    if not texts:
        _refuse({"goals": "Give the group at least one goal."})
    if not members:
        _refuse({"members": "A group needs members."})
    group.full_clean(exclude=["created_by"])
    group.save()
    GroupGoal.objects.bulk_create([GroupGoal(group=group, round=1, text=t) for t in texts])
    for person in dict.fromkeys(members):
        _join(group, person, group.starts_on, "Founding member")
    for target in inputs or []:
        _link(group, target)
    audit.record_creation(actor, "governance.group.form", group)
    return group


def _link(owner: Model, target: Model) -> None:
    from django.contrib.contenttypes.models import ContentType

    Link.objects.get_or_create(
        owner_type=ContentType.objects.get_for_model(owner),
        owner_id=owner.pk,
        content_type=ContentType.objects.get_for_model(target),
        object_id=target.pk,
    )


def _join(group: WorkingGroup, person: Person, on: datetime.date, because: str) -> Membership:
    if not _is_staff(person):
        _refuse({"members": f"{person} is not on the staff."})
    if group.memberships.filter(person=person, left_on__isnull=True).exists():
        _refuse({"members": f"{person} is already a member."})
    last = group.memberships.filter(person=person, left_on__isnull=False).order_by("-left_on").first()
    if last is not None and last.left_on is not None and on < last.left_on:
        # A second stretch, not a rewrite of the first: the history keeps both.
        _refuse({"on": f"{person} left on {last.left_on}; they can rejoin from then."})
    return Membership.objects.create(group=group, person=person, joined_on=on, joined_because=because[:300])


def _group(actor: Person, group: WorkingGroup) -> Scope:
    scope = _staff(actor)
    if not visible_groups(scope).filter(pk=group.pk).exists():
        _refuse("No working group matches the given query.")
    if not steers_group(scope, group):
        _refuse("Only the group's sponsor (or the organization's leaders) does this.")
    if group.status == WorkingGroup.Status.DISBANDED:
        _refuse("This group has disbanded.")
    return scope


@transaction.atomic
def do_change_membership(
    actor: Person,
    group: WorkingGroup,
    person: Person,
    *,
    joins: bool,
    because: str,
    on: datetime.date | None = None,
) -> Membership:
    _group(actor, group)
    on = on or timezone.localdate()
    because = _text(because, "because", "reason", 300)
    if joins:
        membership = _join(group, person, on, because)
        audit.record_creation(actor, "governance.group.join", membership)
        return membership
    membership = group.memberships.filter(person=person, left_on__isnull=True).first()
    if membership is None:
        _refuse({"person": f"{person} is not a member now."})
    assert membership is not None
    if on < membership.joined_on:
        _refuse({"on": f"{person} joined on {membership.joined_on}; they cannot leave before that."})
    before = audit.snapshot(membership)
    membership.left_on, membership.left_because = on, because
    membership.save()
    audit.record_update(actor, "governance.group.leave", membership, before)
    return membership


@transaction.atomic
def do_log_support(
    actor: Person, group: WorkingGroup, kind: str, text: str, on: datetime.date | None = None
) -> Support:
    _group(actor, group)
    if kind not in Support.Kind.values:
        _refuse({"kind": f"“{kind}” is not a kind of support; choose question, resource, advice or decision."})
    entry = Support.objects.create(
        group=group, kind=kind, text=_text(text, "text", "note"), happened_on=on or timezone.localdate(), by=actor
    )
    audit.record_creation(actor, "governance.group.support", entry)
    return entry


@transaction.atomic
def do_review(
    actor: Person,
    group: WorkingGroup,
    assessments: dict[int, tuple[str, str]],
    outcome: str,
    *,
    learned: str = "",
    new_goals: list[str] | None = None,
    new_ends_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> Review:
    """Assess each goal of the current round, then disband (recording what was learned) or renew
    with new goals and a new time box. Membership is adjusted with do_change_membership."""
    _group(actor, group)
    today = today or timezone.localdate()
    current = list(group.goals.filter(round=group.round))
    missing = [g.text[:60] for g in current if g.pk not in assessments]
    if missing:
        _refuse({"assessments": f"Assess every goal of this round first: {'; '.join(missing)}."})
    for goal in current:
        value, note = assessments[goal.pk]
        if value not in GroupGoal.Assessment.values or value == GroupGoal.Assessment.OPEN:
            _refuse({"assessments": f"“{value}” is not an assessment; choose met, partly, not met or dropped."})
        goal.assessment, goal.assessment_note = value, _text(note, "assessments", "note", 2000, required=False)
        goal.save()
    if outcome not in Review.Outcome.values:
        _refuse({"outcome": "Choose to disband or to renew."})
    before = audit.snapshot(group)
    review = Review.objects.create(group=group, round=group.round, held_on=today, outcome=outcome, by=actor)
    if outcome == Review.Outcome.DISBAND:
        if not (learned or "").strip():
            _refuse({"learned": "Write what the group learned."})
        group.learned = _text(learned, "learned", "account of what the group learned")
        group.status = WorkingGroup.Status.DISBANDED
        group.disbanded_on = today
        group.memberships.filter(left_on__isnull=True).update(left_on=today, left_because="The group disbanded")
    else:
        texts = [_text(g, "new_goals", "goal", 2000) for g in (new_goals or []) if g.strip()]
        if not texts:
            _refuse({"new_goals": "A renewed group sets new goals."})
        if new_ends_on is None or new_ends_on <= today:
            _refuse({"new_ends_on": "Give the renewed group a time box that ends after today."})
        group.round += 1
        group.ends_on = new_ends_on  # type: ignore[assignment]
        group.status = WorkingGroup.Status.ACTIVE
        GroupGoal.objects.bulk_create([GroupGoal(group=group, round=group.round, text=t) for t in texts])
    group.save()
    audit.record_update(actor, "governance.group.review", group, before)
    return review


# -- planning teams and seats ------------------------------------------------------------------


def _save[M: Model](actor: Person, obj: M, action: str) -> M:
    """Validate and save a new or changed object, with its audit entry."""
    before = audit.stored(obj) if obj.pk else None
    obj.full_clean()
    obj.save()
    if before is None:
        audit.record_creation(actor, action, obj)
    else:
        audit.record_update(actor, action, obj, before)
    return obj


@transaction.atomic
def do_save_team(actor: Person, team: PlanningTeam) -> PlanningTeam:
    _leader(actor)
    team.name = _text(team.name, "name", "name", 200)
    team.purpose = _text(team.purpose, "purpose", "purpose", required=False)
    return _save(actor, team, "governance.team")


@transaction.atomic
def do_save_seat(actor: Person, seat: Seat) -> Seat:
    _leader(actor)
    seat.name = _text(seat.name, "name", "name", 120)
    unknown = [r for r in seat.eligible_roles if r not in Role.values]
    if unknown:
        _refuse({"eligible_roles": f"Not roles: {', '.join(map(str, unknown))}."})
    if seat.kind == Seat.Kind.ELECTED and not seat.eligible_roles:
        _refuse({"eligible_roles": "An elected seat names the roles eligible for it (e.g. coach)."})
    if not 1 <= seat.term_months <= 120:
        _refuse({"term_months": "A term lasts 1 to 120 months."})
    if seat.max_consecutive_terms < 1:
        _refuse({"max_consecutive_terms": "At least one term."})
    _plausible(seat.first_term_starts, "first_term_starts")
    return _save(actor, seat, "governance.seat")


@transaction.atomic
def do_appoint(actor: Person, seat: Seat, person: Person, term_starts: datetime.date) -> Term:
    """Fill an appointed seat for the term that starts then."""
    _leader(actor)
    _plausible(term_starts, "term_starts")
    if seat.kind != Seat.Kind.APPOINTED:
        _refuse({"seat": "An elected seat is filled by its election."})
    starts, ends = seats.term_span(seat, term_starts)
    if starts != term_starts:
        _refuse({"term_starts": f"{seat.name}'s terms start on {starts:%-d %B %Y}, not {term_starts:%-d %B %Y}."})
    if not _is_staff(person):
        _refuse({"person": f"{person} is not on the staff."})
    reason = seats.may_serve(seat, person, starts, timezone.localdate())
    if reason:
        _refuse({"person": reason})
    if seat.terms.filter(starts_on=starts).exists():
        _refuse({"term_starts": "That term is filled already."})
    term = Term.objects.create(seat=seat, person=person, starts_on=starts, ends_on=ends)
    audit.record_creation(actor, "governance.appoint", term)
    return term


@transaction.atomic
def do_end_term_early(actor: Person, term: Term, on: datetime.date, because: str) -> Term:
    """The holder steps down (or is removed): their rights end that day."""
    _leader(actor)
    if term.ended_early_on is not None:
        # Moving the day would hand back (or take away) rights for days already past.
        _refuse({"on": f"This term already ended early, on {term.ended_early_on:%-d %B %Y}."})
    if not term.starts_on <= on <= term.ends_on:
        _refuse({"on": f"Choose a day within the term ({term.starts_on} – {term.ends_on})."})
    because = _text(because, "because", "reason", 300)
    before = audit.snapshot(term)
    term.ended_early_on = on
    term.save()
    changes = audit.changed_fields(before, audit.snapshot(term))
    audit.record(actor, "governance.term.end", term, {**changes, "because": because})
    return term


# -- elections ---------------------------------------------------------------------------------


@transaction.atomic
def do_open_election(
    actor: Person,
    team: PlanningTeam,
    chosen: list[Seat],
    term_starts: datetime.date,
    now: datetime.datetime | None = None,
) -> Election:
    _leader(actor)
    now = now or timezone.now()
    _plausible(term_starts, "term_starts")
    if not chosen:
        _refuse({"seats": "Choose the seats to elect."})
    elections.lock_team(team)
    for seat in chosen:
        if seat.team_id != team.pk or seat.kind != Seat.Kind.ELECTED or seat.archived:
            _refuse({"seats": f"{seat.name} is not an elected seat of {team}."})
        starts, _ = seats.term_span(seat, term_starts)
        if starts != term_starts:
            _refuse({"term_starts": f"{seat.name}'s terms start on {starts:%-d %B %Y}, not {term_starts:%-d %B %Y}."})
        if elections.has_election(seat, term_starts):
            _refuse({"seats": f"{seat.name} already has an election for that term."})
        if elections.pool(seat, term_starts) != elections.pool(chosen[0], term_starts):
            _refuse(
                {
                    "seats": f"{chosen[0].name} and {seat.name} cannot be elected together: seats elected "
                    "together have the same terms and the same people eligible."
                }
            )
    if term_starts <= timezone.localdate(now):
        _refuse({"term_starts": "Elect for a term that has not started yet."})
    election = elections.create(team, chosen, term_starts, now, by=actor)
    audit.record_creation(actor, "governance.election.open", election)
    return election


def _locked(election: Election) -> Election:
    return Election.objects.select_for_update().get(pk=election.pk)


def _electorate_reason(election: Election, person: Person, today: datetime.date) -> str | None:
    for seat in election.seats.all():
        if seats.eligible(seat, today).filter(pk=person.pk).exists():
            return None
    return f"{person} is not among the people eligible for these seats."


@transaction.atomic
def do_nominate(
    actor: Person, election: Election, nominee: Person, statement: str = "", now: datetime.datetime | None = None
) -> Nomination:
    """Nominate oneself (accepted at once) or a colleague (who then accepts or declines)."""
    _staff(actor)
    now = now or timezone.now()
    election = _locked(election)
    if elections.phase(election, now) != "nominating":
        _refuse("Nominations are closed.")
    today = timezone.localdate(now)
    # Whoever is elected may be given any of the election's seats, so a candidate must be able to
    # hold each of them: someone who has held one for as many terms in a row as it allows cannot
    # stand again by way of its twin.
    for seat in election.seats.order_by("name", "pk"):
        reason = seats.may_serve(seat, nominee, election.term_starts, today)
        if reason:
            _refuse({"nominee": reason})
    if election.nominations.filter(nominee=nominee).exists():
        _refuse({"nominee": f"{nominee} is nominated already."})
    own = nominee.pk == actor.pk
    nomination = Nomination.objects.create(
        election=election,
        nominee=nominee,
        nominated_by=actor,
        statement=_text(statement, "statement", "statement", 5000, required=False),
        accepted_at=now if own else None,
        created_at=now,
    )
    who = f"{nominee} nominated themselves" if own else f"{actor} nominated {nominee}"
    elections.log(election, f"{who}.", actor, now)
    audit.record_creation(actor, "governance.nominate", nomination)
    return nomination


@transaction.atomic
def do_answer_nomination(
    actor: Person, nomination: Nomination, accept: bool, statement: str = "", now: datetime.datetime | None = None
) -> Nomination:
    _staff(actor)
    now = now or timezone.now()
    if nomination.nominee_id != actor.pk:
        _refuse("Only the person nominated accepts or declines.")
    if elections.phase(_locked(nomination.election), now) != "nominating":
        _refuse("Nominations are closed.")
    before = audit.snapshot(nomination)
    if accept:
        nomination.accepted_at, nomination.declined_at = now, None
        nomination.statement = _text(statement or nomination.statement, "statement", "statement", 5000, required=False)
    else:
        nomination.declined_at = now
    nomination.save()
    elections.log(nomination.election, f"{actor} {'accepted' if accept else 'declined'} the nomination.", actor, now)
    audit.record_update(actor, "governance.nomination.answer", nomination, before)
    return nomination


@transaction.atomic
def do_vote(actor: Person, election: Election, ranking: list[int], now: datetime.datetime | None = None) -> str:
    """Cast the actor's ballot: nomination ids in order of preference (exactly one for plurality).
    Answers the receipt, which is shown once and kept nowhere."""
    _staff(actor)
    now = now or timezone.now()
    election = _locked(election)
    if elections.phase(election, now) != "voting":
        _refuse("Voting is not open.")
    reason = _electorate_reason(election, actor, timezone.localdate(now))
    if reason:
        _refuse(reason)
    if Voter.objects.filter(election=election, person=actor).exists():
        _refuse("You have voted in this election already.")
    standing = {n.pk for n in elections.candidates(election)}
    if not ranking:
        _refuse({"ranking": "Choose at least one candidate."})
    if not isinstance(ranking, list | tuple) or any(type(r) is not int for r in ranking):
        # Nomination ids only: a True would pass for id 1 and then be rejected by the count.
        _refuse({"ranking": "That is not a candidate in this election."})
    if len(set(ranking)) != len(ranking):
        _refuse({"ranking": "Each candidate can be ranked once."})
    unknown = [r for r in ranking if r not in standing]
    if unknown:
        _refuse({"ranking": "That is not a candidate in this election."})
    if election.method == Election.Method.PLURALITY and len(ranking) != 1:
        _refuse({"ranking": "This election elects one seat by plurality: choose one candidate."})
    Voter.objects.create(election=election, person=actor)
    receipt = ballots.new_receipt()
    ballots.store(election, list(ranking), receipt)
    # The log counts votes; it does not say who voted when, nor how.
    audit.record(actor, "governance.vote", election)
    return receipt


@transaction.atomic
def do_count(actor: Person, election: Election, now: datetime.datetime | None = None) -> Election:
    _leader(actor)
    now = now or timezone.now()
    election = _locked(election)
    if election.status == Election.Status.CANCELLED:
        _refuse("This election was cancelled; it is not counted.")
    if election.status != Election.Status.OPEN:
        _refuse("This election is counted already.")
    if elections.phase(election, now) != "awaiting count":
        _refuse("Voting has not closed yet.")
    elections.count(election, now, by=actor)
    audit.record(actor, "governance.election.count", election)
    return election


@transaction.atomic
def do_cancel_election(actor: Person, election: Election, because: str) -> Election:
    _leader(actor)
    election = _locked(election)
    if election.status != Election.Status.OPEN:
        _refuse("Only an open election is cancelled.")
    because = _text(because, "because", "reason", 300)
    election.status = Election.Status.CANCELLED
    election.save(update_fields=["status"])
    elections.log(election, f"Cancelled: {because}", actor)
    audit.record(actor, "governance.election.cancel", election, {"because": because})
    return election


# -- decisions ---------------------------------------------------------------------------------


@transaction.atomic
def do_record_decision(
    actor: Person,
    fields: dict[str, Any],
    *,
    team: PlanningTeam | None = None,
    group: WorkingGroup | None = None,
    inputs: list[Model] | None = None,
    follow_ups: list[tuple[str, Person | None, datetime.date | None]] | None = None,
    now: datetime.datetime | None = None,
) -> Decision:
    """A planning team's decision (recorded by a seat holder on the day, or a leader) or a working
    group's (a current member or its sponsor), with its rationale, the ground-level input weighed
    (links found by the caller through the actor's reach) and follow-ups."""
    scope = _staff(actor)
    now = now or timezone.now()
    today = timezone.localdate(now)
    if (team is None) == (group is None):
        _refuse("A decision is a planning team's or a working group's.")
    if team is not None and not records_for_team(scope, team, today):
        _refuse("Only the team's members on the day (or the organization's leaders) record its decisions.")
    if group is not None and (
        not visible_groups(scope).filter(pk=group.pk).exists() or not records_for_group(scope, group, today)
    ):
        _refuse("Only the group's current members and sponsor record its decisions.")
    decision = Decision(team=team, group=group, recorded_by=actor, recorded_at=now, **fields)
    decision.title = _text(decision.title, "title", "title", 200)
    decision.decision = _text(decision.decision, "decision", "decision")
    decision.rationale = _text(decision.rationale, "rationale", "rationale")
    decision.input_considered = _text(decision.input_considered, "input_considered", "input", required=False)
    if decision.decided_on > today:
        _refuse({"decided_on": "A decision is recorded once it is made: the date is today or earlier."})
    decision.full_clean(exclude=["recorded_by"])
    decision.save()
    for target in inputs or []:
        _link(decision, target)
    for text, owner, due_on in follow_ups or []:
        if owner is not None and not _is_staff(owner):
            # They could neither see the decision nor mark the follow-up done.
            _refuse({"follow_ups": f"{owner} is not on the staff; a follow-up's owner is."})
        FollowUp.objects.create(
            decision=decision, text=_text(text, "follow_ups", "follow-up", 300), owner=owner, due_on=due_on
        )
    audit.record_creation(actor, "governance.decision", decision)
    return decision


@transaction.atomic
def do_follow_up_done(
    actor: Person, follow_up: FollowUp, done: bool = True, now: datetime.datetime | None = None
) -> FollowUp:
    """Mark a follow-up done (or not done after all): its owner, or whoever records the decision's
    body's decisions that day."""
    scope = _staff(actor)
    today = timezone.localdate(now or timezone.now())
    decision = follow_up.decision
    if decision.group is not None and not visible_groups(scope).filter(pk=decision.group_id).exists():
        _refuse("No decision matches the given query.")
    allowed = (
        follow_up.owner_id == actor.pk
        or (decision.team is not None and records_for_team(scope, decision.team, today))
        or (decision.group is not None and records_for_group(scope, decision.group, today))
    )
    if not allowed:
        _refuse("Only the follow-up's owner or the decision's body marks it done.")
    before = audit.snapshot(follow_up)
    follow_up.done_on = today if done else None
    follow_up.save()
    audit.record_update(actor, "governance.follow_up", follow_up, before)
    return follow_up
