"""Working groups, planning teams, their seats and elections, and the decisions log as JSON.

Governance is the organization's staff's: to anyone else every operation answers 404, exactly as if
it did not exist. Working groups (and their decisions) are found through `visible_groups`, so a
group the caller may not see answers 404 exactly like one that does not exist. An operation the
caller has no right to answers 404 too, as the pages offer no such thing: the organization's
leaders form groups, set up teams and seats, appoint, and open, count or cancel elections; a
group's sponsor (or a leader) changes its membership, logs support and reviews it; only a nominee
answers a nomination; only someone eligible for an election's seats votes in it; a team's decisions
are recorded by whoever holds one of its seats on the day (or a leader), a group's by its current
members and sponsor. People and inputs named in a body are looked up among those the caller reaches,
so one out of reach is refused exactly like an id that does not exist. Every change goes through
`actions`, which check every right again.

Secret ballots: nothing here answers a ballot's id, the order ballots were cast in or when. An
election answers how many have voted and who (by name), its log, and once counted the result's
totals; a receipt holder can see their own ballot's ranking, and nobody else's.
"""

import datetime
from collections.abc import Callable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Model, Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from ninja import Query, Router, Status

from tandem.access.scope import Scope
from tandem.andon.feed.models import Post
from tandem.andon.feed.visibility import visible_posts
from tandem.andon.helpdesk.models import Ticket
from tandem.andon.helpdesk.visibility import visible_tickets
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import named_errors as _named
from tandem.api.common import one_in_reach as _one
from tandem.governance import actions, ballots, elections, seats
from tandem.governance.api_schemas import (
    AppointIn,
    CancelIn,
    DecisionDetailOut,
    DecisionFilters,
    DecisionIn,
    DecisionOut,
    DoneIn,
    ElectionDetailOut,
    ElectionFilters,
    ElectionOut,
    FollowUpOut,
    GroupDetailOut,
    GroupFilters,
    GroupIn,
    GroupOut,
    Inputs,
    MembershipIn,
    NominateIn,
    NominationAnswerIn,
    NominationOut,
    OpenElectionIn,
    ReceiptIn,
    ReceiptOut,
    ReviewIn,
    SeatIn,
    SeatOut,
    SupportIn,
    SupportOut,
    TeamDetailOut,
    TeamFilters,
    TeamIn,
    TeamOut,
    TermOut,
    VoteIn,
    VoteOut,
)
from tandem.governance.models import (
    Decision,
    Election,
    FollowUp,
    Link,
    Membership,
    Nomination,
    PlanningTeam,
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
    visible_decisions,
    visible_groups,
    visible_teams,
)
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import Person

router = Router(tags=["governance"])

# The names a body gives what the actions call a sponsor, members, a nominee...
BODY_NAMES = {
    "sponsor": "sponsor_id",
    "members": "member_ids",
    "person": "person_id",
    "nominee": "nominee_id",
    "seats": "seat_ids",
    "seat": "__all__",
    "team": "team_id",
    "group": "group_id",
}
# A ballot may rank someone who no longer stands (a nomination removed since).
NO_LONGER_STANDING = "a candidate no longer standing"
# What a link to something the caller cannot open is called instead of its title.
UNSEEN = {
    "post": "a post in the staff feed you cannot open",
    "cycle": "a cycle of inquiry you cannot open",
    "ticket": "a help-desk ticket you cannot open",
}


def _not_found() -> Http404:
    return Http404("Not found.")


def _member(request: HttpRequest) -> Scope:
    """Someone on the staff; to anyone else governance does not exist."""
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not takes_part(scope):
        raise _not_found()
    return scope


def _leader(request: HttpRequest) -> Scope:
    scope = _member(request)
    if not leads(scope):
        raise _not_found()
    return scope


def _me(scope: Scope) -> Person:
    assert scope.person is not None
    return scope.person


def _group(request: HttpRequest, group_id: int) -> tuple[Scope, WorkingGroup]:
    scope = _member(request)
    return scope, scope.get(visible_groups(scope), group_id)


def _steered(request: HttpRequest, group_id: int) -> tuple[Scope, WorkingGroup]:
    scope, group = _group(request, group_id)
    if not steers_group(scope, group):
        raise _not_found()
    return scope, group


def _team(request: HttpRequest, team_id: int) -> tuple[Scope, PlanningTeam]:
    scope = _member(request)
    return scope, scope.get(visible_teams(scope), team_id)


def _elections(scope: Scope) -> QuerySet[Election]:
    return Election.objects.filter(team__in=visible_teams(scope))


def _election(request: HttpRequest, election_id: int) -> tuple[Scope, Election]:
    scope = _member(request)
    return scope, scope.get(_elections(scope), election_id)


def _decision(request: HttpRequest, decision_id: int) -> tuple[Scope, Decision]:
    scope = _member(request)
    return scope, scope.get(visible_decisions(scope), decision_id)


def _all_in_reach[M: Model](qs: QuerySet[M], ids: list[int], field: str, noun: str) -> list[M]:
    """The objects a body lists by id, once each in the order given; an id outside reach is a field
    error worded exactly as for an id that does not exist."""
    found = {o.pk: o for o in qs.filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({field: f"No {noun} has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _inputs(scope: Scope, data: Inputs) -> list[Model]:
    return [
        *_all_in_reach(visible_posts(scope), data.post_ids, "post_ids", "post"),
        *_all_in_reach(visible_cycles(scope), data.cycle_ids, "cycle_ids", "cycle"),
        *_all_in_reach(visible_tickets(_me(scope)), data.ticket_ids, "ticket_ids", "ticket"),
    ]


def _today() -> datetime.date:
    return timezone.localdate()


# -- out ------------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": obj.full_name if isinstance(obj, Person) else obj.name}


def _links(scope: Scope, owner: Model) -> list[dict[str, Any]]:
    """What the group or decision came from; something the caller cannot open is named by kind."""
    reach: dict[type[Model], Callable[[], QuerySet[Any]]] = {
        Post: lambda: visible_posts(scope),
        Cycle: lambda: visible_cycles(scope),
        Ticket: lambda: visible_tickets(_me(scope)),
    }
    rows = Link.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
    out = []
    for link in rows.select_related("content_type").order_by("pk"):
        kind = link.content_type.model
        target = link.target
        seen = target is not None and type(target) in reach and reach[type(target)]().filter(pk=target.pk).exists()
        if seen:
            out.append({"kind": kind, "id": target.pk, "name": str(target)})
        else:
            out.append({"kind": kind, "id": None, "name": UNSEEN.get(kind, f"a {kind} you cannot open")})
    return out


def _group_out(group: WorkingGroup) -> dict[str, Any]:
    # Field by field on purpose: a new column is not answered until someone adds it here.
    count = getattr(group, "n_members", None)
    return {
        "id": group.pk,
        "name": group.name,
        "misalignment": group.misalignment,
        "purpose": group.purpose,
        "sponsor": _ref(group.sponsor),
        "starts_on": group.starts_on,
        "ends_on": group.ends_on,
        "status": group.status,
        "round": group.round,
        "learned": group.learned,
        "disbanded_on": group.disbanded_on,
        "member_count": _current(group.memberships.all()).count() if count is None else count,
        "created_by": _ref(group.created_by),
        "created_at": group.created_at,
    }


def _current(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    today = _today()
    return memberships.filter(joined_on__lte=today).filter(Q(left_on__isnull=True) | Q(left_on__gt=today))


def _is_current(membership: Membership, today: datetime.date) -> bool:
    return membership.joined_on <= today and (membership.left_on is None or membership.left_on > today)


def _membership_out(membership: Membership) -> dict[str, Any]:
    return {
        "id": membership.pk,
        "person": _ref(membership.person),
        "joined_on": membership.joined_on,
        "joined_because": membership.joined_because,
        "left_on": membership.left_on,
        "left_because": membership.left_because,
        "current": _is_current(membership, _today()),
    }


def _support_out(entry: Support) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "kind": entry.kind,
        "text": entry.text,
        "happened_on": entry.happened_on,
        "by": _ref(entry.by),
    }


def _group_detail(scope: Scope, group_id: int) -> dict[str, Any]:
    """The group as it is now. Read by id: the caller was already allowed to reach it."""
    group = WorkingGroup.objects.select_related("sponsor", "created_by").get(pk=group_id)
    memberships = list(group.memberships.select_related("person"))
    today = _today()
    members = sorted({m.person for m in memberships if _is_current(m, today)}, key=lambda p: (p.full_name, p.pk))
    return {
        **_group_out(group),
        "goals": [
            {
                "id": g.pk,
                "round": g.round,
                "text": g.text,
                "assessment": g.assessment,
                "assessment_note": g.assessment_note,
            }
            for g in group.goals.all()
        ],
        "members": [_ref(p) for p in members],
        "memberships": [_membership_out(m) for m in memberships],
        "support": [_support_out(s) for s in group.support.select_related("by")],
        "reviews": [
            {
                "id": r.pk,
                "round": r.round,
                "held_on": r.held_on,
                "outcome": r.outcome,
                "notes": r.notes,
                "by": _ref(r.by),
            }
            for r in group.reviews.select_related("by")
        ],
        "links": _links(scope, group),
        "may_steer": steers_group(scope, group),
        "may_record": records_for_group(scope, group),
    }


def _term_out(term: Term) -> dict[str, Any]:
    today = _today()
    ended = term.ended_early_on
    return {
        "id": term.pk,
        "seat": _ref(term.seat),
        "person": _ref(term.person),
        "starts_on": term.starts_on,
        "ends_on": term.ends_on,
        "ended_early_on": ended,
        "election_id": term.election_id,
        "current": term.starts_on <= today <= term.ends_on and (ended is None or ended > today),
    }


def _seat_out(seat: Seat) -> dict[str, Any]:
    today = _today()
    holding = seats.current_terms(today).filter(seat=seat).select_related("person").first()
    return {
        "id": seat.pk,
        "team": _ref(seat.team),
        "name": seat.name,
        "kind": seat.kind,
        "eligible_roles": list(seat.eligible_roles),
        "site_staff_only": seat.site_staff_only,
        "term_months": seat.term_months,
        "first_term_starts": seat.first_term_starts,
        "max_consecutive_terms": seat.max_consecutive_terms,
        "archived": seat.archived,
        "holder": _ref(holding.person) if holding else None,
        "next_term_starts": _next_term_starts(seat, today),
    }


def _next_term_starts(seat: Seat, today: datetime.date) -> datetime.date | None:
    try:
        return seats.next_term(seat, today)[0]
    except (ValueError, OverflowError):  # a seat whose terms run past the calendar's end
        return None


def _team_out(team: PlanningTeam) -> dict[str, Any]:
    return {
        "id": team.pk,
        "name": team.name,
        "purpose": team.purpose,
        "archived": team.archived,
        "members": [_ref(p) for p in seats.members(team, _today())],
    }


def _team_detail(scope: Scope, team_id: int) -> dict[str, Any]:
    team = PlanningTeam.objects.get(pk=team_id)
    terms = Term.objects.filter(seat__team=team).select_related("seat", "person").order_by("-starts_on", "seat__name")
    found = team.elections.select_related("team").prefetch_related("seats").annotate(n_votes=Count("voters"))
    return {
        **_team_out(team),
        "seats": [_seat_out(s) for s in team.seats.select_related("team")],
        "terms": [_term_out(t) for t in terms],
        "elections": [_election_out(e) for e in found],
        "may_record": records_for_team(scope, team),
    }


def _election_out(election: Election) -> dict[str, Any]:
    votes = getattr(election, "n_votes", None)
    return {
        "id": election.pk,
        "team": _ref(election.team),
        "seats": [_ref(s) for s in election.seats.all()],
        "method": election.method,
        "status": election.status,
        "phase": elections.phase(election),
        "term_starts": election.term_starts,
        "term_ends": election.term_ends,
        "nominations_open": election.nominations_open,
        "nominations_close": election.nominations_close,
        "voting_open": election.voting_open,
        "voting_close": election.voting_close,
        "opened_automatically": election.opened_automatically,
        "votes": election.voters.count() if votes is None else votes,
    }


def _nomination_out(nomination: Nomination) -> dict[str, Any]:
    if nomination.declined_at is not None:
        state = "declined"
    elif nomination.accepted_at is not None:
        state = "accepted"
    else:
        state = "pending"
    return {
        "id": nomination.pk,
        "election_id": nomination.election_id,
        "nominee": _ref(nomination.nominee),
        "nominated_by": _ref(nomination.nominated_by),
        "statement": nomination.statement,
        "state": state,
        "standing": nomination.standing,
    }


def _result_out(result: dict[str, Any] | None) -> dict[str, Any] | None:
    """The published count: totals per candidate and stage, never a ballot."""
    if result is None:
        return None
    names = ("method", "quota", "valid", "blank", "rejected", "elected", "elected_names", "unfilled", "table", "ties")
    return {name: result.get(name) for name in names}


def _in_electorate(election: Election, person: Person) -> bool:
    """Eligible, today, for one of the election's seats: who may vote in it."""
    today = _today()
    return any(seats.eligible(seat, today).filter(pk=person.pk).exists() for seat in election.seats.all())


def _election_detail(scope: Scope, election_id: int) -> dict[str, Any]:
    """The election as it is now. Who voted is answered by name, in alphabetical order — never
    in the order of voting, and never beside a ballot."""
    me = _me(scope)
    election = Election.objects.select_related("team").prefetch_related("seats").get(pk=election_id)
    nominations = election.nominations.select_related("nominee", "nominated_by").order_by("nominee__full_name", "pk")
    voters = Person.objects.filter(pk__in=Voter.objects.filter(election=election).values("person"))
    voted = Voter.objects.filter(election=election, person=me).exists()
    phase = elections.phase(election)
    terms = election.terms.select_related("seat", "person").order_by("seat__name", "pk")
    return {
        **_election_out(election),
        "candidates": [_nomination_out(n) for n in nominations if n.standing],
        "nominations": [_nomination_out(n) for n in nominations],
        "voters": [_ref(p) for p in voters.order_by("full_name", "pk")],
        "voted": voted,
        "may_vote": phase == "voting" and not voted and _in_electorate(election, me),
        "events": [{"at": e.at, "text": e.text, "by": _ref(e.by)} for e in election.events.select_related("by")],
        "result": _result_out(election.result) if election.status == Election.Status.COUNTED else None,
        "terms": [_term_out(t) for t in terms],
    }


def _follow_up_out(follow_up: FollowUp) -> dict[str, Any]:
    return {
        "id": follow_up.pk,
        "text": follow_up.text,
        "owner": _ref(follow_up.owner),
        "due_on": follow_up.due_on,
        "done_on": follow_up.done_on,
    }


def _follow_ups() -> Prefetch:
    """A decision's follow-ups by due date, those without one last (on every database)."""
    ordered = FollowUp.objects.select_related("owner").order_by(F("due_on").asc(nulls_last=True), "pk")
    return Prefetch("follow_ups", queryset=ordered)


def _decision_out(decision: Decision) -> dict[str, Any]:
    return {
        "id": decision.pk,
        "team": _ref(decision.team),
        "group": _ref(decision.group),
        "title": decision.title,
        "decided_on": decision.decided_on,
        "decision": decision.decision,
        "rationale": decision.rationale,
        "input_considered": decision.input_considered,
        "recorded_by": _ref(decision.recorded_by),
        "recorded_at": decision.recorded_at,
        "follow_ups": [_follow_up_out(f) for f in decision.follow_ups.all()],
    }


def _decision_detail(scope: Scope, decision_id: int) -> dict[str, Any]:
    decision = (
        Decision.objects.select_related("team", "group", "recorded_by")
        .prefetch_related(_follow_ups())
        .get(pk=decision_id)
    )
    return {**_decision_out(decision), "links": _links(scope, decision)}


# -- working groups -------------------------------------------------------------------------------


@router.get("/governance/groups", response={200: Page[GroupOut], **READ_ERRORS})
def list_groups(request: HttpRequest, filters: Query[GroupFilters]) -> Any:
    """The working groups the caller sees (the organization's leaders all of them; others those they
    sponsor or are or were members of), the latest first."""
    scope = _member(request)
    qs = visible_groups(scope).select_related("sponsor", "created_by")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.q:
        qs = qs.filter(
            Q(name__icontains=filters.q) | Q(misalignment__icontains=filters.q) | Q(purpose__icontains=filters.q)
        )
    today = _today()
    now = Q(memberships__joined_on__lte=today) & (
        Q(memberships__left_on__isnull=True) | Q(memberships__left_on__gt=today)
    )
    qs = qs.annotate(n_members=Count("memberships", filter=now, distinct=True)).order_by("-starts_on", "name", "pk")
    return page_of(qs, filters.limit, filters.offset, _group_out)


@router.post("/governance/groups", response={201: GroupDetailOut, **WRITE_ERRORS})
def form_group(request: HttpRequest, data: GroupIn) -> Any:
    """Form a working group around a misalignment, with goals, members, a sponsor and a time box,
    optionally from flags, cycles or tickets (the organization's leaders)."""
    scope = _leader(request)
    sponsor = _one(scope.people(), data.sponsor_id, "sponsor_id", "person")
    members = _all_in_reach(scope.people(), data.member_ids, "member_ids", "person")
    inputs = _inputs(scope, data)
    fields = {
        "name": data.name,
        "misalignment": data.misalignment,
        "purpose": data.purpose,
        "sponsor": sponsor,
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
    }
    with _named(**BODY_NAMES):
        group = actions.do_form_group(_me(scope), fields, goals=data.goals, members=members, inputs=inputs)
    return Status(201, _group_detail(scope, group.pk))


@router.get("/governance/groups/{group_id}", response={200: GroupDetailOut, **READ_ERRORS})
def get_group(request: HttpRequest, group_id: int) -> Any:
    """A working group with its goals (every round's), members today, the history of its
    membership, the sponsor's support, its reviews and the input it came from."""
    scope, group = _group(request, group_id)
    return _group_detail(scope, group.pk)


@router.post("/governance/groups/{group_id}/members", response={200: GroupDetailOut, **WRITE_ERRORS})
def change_membership(request: HttpRequest, group_id: int, data: MembershipIn) -> Any:
    """Someone joins or leaves the group, and why (its sponsor, or an organization's leader)."""
    scope, group = _steered(request, group_id)
    reach = Q(pk__in=scope.people().values("pk")) | Q(pk__in=group.memberships.values("person"))
    person = _one(Person.objects.filter(reach), data.person_id, "person_id", "person")
    assert person is not None
    with _named(**(BODY_NAMES | {"members": "person_id"})):
        actions.do_change_membership(
            _me(scope), group, person, joins=data.change == "join", because=data.because, on=data.on
        )
    return _group_detail(scope, group.pk)


@router.post("/governance/groups/{group_id}/support", response={201: SupportOut, **WRITE_ERRORS})
def log_support(request: HttpRequest, group_id: int, data: SupportIn) -> Any:
    """Log the sponsor's support: a question asked, a resource given, advice, a decision made (its
    sponsor, or an organization's leader)."""
    scope, group = _steered(request, group_id)
    entry = actions.do_log_support(_me(scope), group, data.kind, data.text, data.happened_on)
    return Status(201, _support_out(entry))


@router.post("/governance/groups/{group_id}/reviews", response={201: GroupDetailOut, **WRITE_ERRORS})
def review_group(request: HttpRequest, group_id: int, data: ReviewIn) -> Any:
    """Assess every goal of the current round, then disband (saying what was learned) or renew with
    new goals and a new time box (its sponsor, or an organization's leader)."""
    scope, group = _steered(request, group_id)
    current = set(group.goals.filter(round=group.round).values_list("pk", flat=True))
    given = [a.goal_id for a in data.assessments]
    if len(set(given)) != len(given):
        raise ValidationError({"assessments": "Assess each goal once."})
    if any(i not in current for i in given):
        raise ValidationError({"assessments": "No goal of this round has one of these ids."})
    assessments = {a.goal_id: (a.assessment, a.note) for a in data.assessments}
    actions.do_review(
        _me(scope),
        group,
        assessments,
        data.outcome,
        learned=data.learned,
        new_goals=data.new_goals,
        new_ends_on=data.new_ends_on,
    )
    return Status(201, _group_detail(scope, group.pk))


# -- planning teams, seats and terms --------------------------------------------------------------


@router.get("/governance/teams", response={200: Page[TeamOut], **READ_ERRORS})
def list_teams(request: HttpRequest, filters: Query[TeamFilters]) -> Any:
    """The planning teams at work (or with `archived=true` those archived), by name, each with who
    holds its seats today."""
    scope = _member(request)
    qs = visible_teams(scope).filter(archived=filters.archived).order_by("name", "pk")
    return page_of(qs, filters.limit, filters.offset, _team_out)


@router.post("/governance/teams", response={201: TeamDetailOut, **WRITE_ERRORS})
def create_team(request: HttpRequest, data: TeamIn) -> Any:
    """Set up a planning team (the organization's leaders); then give it seats."""
    scope = _leader(request)
    if "\x00" in data.purpose:
        raise ValidationError({"purpose": "The purpose holds a NUL character; paste it as plain text."})
    team = actions.do_save_team(_me(scope), PlanningTeam(name=data.name, purpose=data.purpose.strip()))
    return Status(201, _team_detail(scope, team.pk))


@router.get("/governance/teams/{team_id}", response={200: TeamDetailOut, **READ_ERRORS})
def get_team(request: HttpRequest, team_id: int) -> Any:
    """A planning team with its seats, who holds each today, every term and its elections."""
    scope, team = _team(request, team_id)
    return _team_detail(scope, team.pk)


@router.post("/governance/teams/{team_id}/seats", response={201: SeatOut, **WRITE_ERRORS})
def create_seat(request: HttpRequest, team_id: int, data: SeatIn) -> Any:
    """Give the team an appointed seat, or an elected one reserved for the roles named (the
    organization's leaders)."""
    scope, team = _team(request, team_id)
    if not leads(scope):
        raise _not_found()
    seat = Seat(team=team, **data.dict())
    seat = actions.do_save_seat(_me(scope), seat)
    return Status(201, _seat_out(seat))


@router.post("/governance/seats/{seat_id}/appoint", response={201: TermOut, **WRITE_ERRORS})
def appoint(request: HttpRequest, seat_id: int, data: AppointIn) -> Any:
    """Fill an appointed seat for the term that starts on the day given (the organization's
    leaders)."""
    scope = _leader(request)
    seat = scope.get(Seat.objects.filter(team__in=visible_teams(scope)).select_related("team"), seat_id)
    person = _one(scope.people(), data.person_id, "person_id", "person")
    assert person is not None
    with _named(**BODY_NAMES):
        term = actions.do_appoint(_me(scope), seat, person, data.term_starts)
    return Status(201, _term_out(term))


# -- elections ------------------------------------------------------------------------------------


@router.get("/governance/elections", response={200: Page[ElectionOut], **READ_ERRORS})
def list_elections(request: HttpRequest, filters: Query[ElectionFilters]) -> Any:
    """Elections for the planning teams' seats, the latest terms first."""
    scope = _member(request)
    qs = _elections(scope).select_related("team").prefetch_related("seats")
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.status:
        qs = qs.filter(status=filters.status)
    qs = qs.annotate(n_votes=Count("voters")).order_by("-term_starts", "-pk")
    return page_of(qs, filters.limit, filters.offset, _election_out)


@router.post("/governance/teams/{team_id}/elections", response={201: ElectionDetailOut, **WRITE_ERRORS})
def open_election(request: HttpRequest, team_id: int, data: OpenElectionIn) -> Any:
    """Open an election by hand for elected seats of the team whose terms start on the day given;
    nominations open now, then voting (the organization's leaders)."""
    scope, team = _team(request, team_id)
    if not leads(scope):
        raise _not_found()
    chosen = _all_in_reach(Seat.objects.filter(team=team), data.seat_ids, "seat_ids", "seat of this team")
    with _named(**BODY_NAMES):
        election = actions.do_open_election(_me(scope), team, chosen, data.term_starts)
    return Status(201, _election_detail(scope, election.pk))


@router.get("/governance/elections/{election_id}", response={200: ElectionDetailOut, **READ_ERRORS})
def get_election(request: HttpRequest, election_id: int) -> Any:
    """An election: where it stands, its windows, nominations and candidates, how many have voted
    and who (by name, never how or when), its log and, once counted, the result."""
    scope, election = _election(request, election_id)
    return _election_detail(scope, election.pk)


@router.post("/governance/elections/{election_id}/nominations", response={201: NominationOut, **WRITE_ERRORS})
def nominate(request: HttpRequest, election_id: int, data: NominateIn) -> Any:
    """Nominate oneself (accepted at once) or a colleague eligible for the seats, who then accepts
    or declines, while nominations are open."""
    scope, election = _election(request, election_id)
    today = _today()
    reach = Q(pk__in=scope.people().values("pk"))
    for seat in election.seats.all():
        reach |= Q(pk__in=seats.eligible(seat, today).values("pk"))
    nominee = _one(Person.objects.filter(reach), data.nominee_id, "nominee_id", "person")
    assert nominee is not None
    with _named(**BODY_NAMES):
        nomination = actions.do_nominate(_me(scope), election, nominee, data.statement)
    return Status(201, _nomination_out(nomination))


@router.post(
    "/governance/elections/{election_id}/nominations/{nomination_id}/answer",
    response={200: NominationOut, **WRITE_ERRORS},
)
def answer_nomination(request: HttpRequest, election_id: int, nomination_id: int, data: NominationAnswerIn) -> Any:
    """Accept (optionally with a statement) or decline a nomination, while nominations are open
    (the nominee alone)."""
    scope, election = _election(request, election_id)
    nomination = scope.get(election.nominations.select_related("election"), nomination_id)
    if nomination.nominee_id != _me(scope).pk:
        raise _not_found()
    nomination = actions.do_answer_nomination(_me(scope), nomination, data.accept, data.statement)
    return _nomination_out(nomination)


@router.post("/governance/elections/{election_id}/vote", response={201: VoteOut, **WRITE_ERRORS})
def vote(request: HttpRequest, election_id: int, data: VoteIn, response: HttpResponse) -> Any:
    """Cast a secret ballot: candidates' nomination ids in order of preference (one for plurality),
    once, while voting is open (those eligible for the seats). Answers the receipt, shown once:
    with it, and only with it, the ballot can be checked."""
    scope, election = _election(request, election_id)
    if not _in_electorate(election, _me(scope)):
        raise _not_found()
    receipt = actions.do_vote(_me(scope), election, list(data.ranking))
    add_never_cache_headers(response)  # the receipt is shown once: no browser or proxy keeps it
    return Status(201, {"election_id": election.pk, "receipt": receipt})


@router.post("/governance/elections/{election_id}/receipt", response={200: ReceiptOut, **WRITE_ERRORS})
def check_receipt(request: HttpRequest, election_id: int, data: ReceiptIn, response: HttpResponse) -> Any:
    """Check a ballot with its receipt: whether it is in the ballot box, whether it was counted, and
    its ranking by candidates' names. Nothing says whose it is."""
    _, election = _election(request, election_id)
    add_never_cache_headers(response)  # a ballot's ranking: no browser or proxy keeps it
    ballot = ballots.find(election, data.receipt)
    if ballot is None:
        return {"found": False, "counted": False, "ranking": []}
    names = dict(Nomination.objects.filter(election=election).values_list("pk", "nominee__full_name"))
    return {
        "found": True,
        "counted": election.status == Election.Status.COUNTED,
        "ranking": [names.get(int(i), NO_LONGER_STANDING) for i in ballot.ranking],
    }


@router.post("/governance/elections/{election_id}/count", response={200: ElectionDetailOut, **WRITE_ERRORS})
def count(request: HttpRequest, election_id: int) -> Any:
    """Count an election whose voting has closed and give the terms (the organization's leaders;
    the background worker counts them the day after voting closes)."""
    scope, election = _election(request, election_id)
    if not leads(scope):
        raise _not_found()
    actions.do_count(_me(scope), election)
    return _election_detail(scope, election.pk)


@router.post("/governance/elections/{election_id}/cancel", response={200: ElectionDetailOut, **WRITE_ERRORS})
def cancel(request: HttpRequest, election_id: int, data: CancelIn) -> Any:
    """Cancel an open election, saying why (the organization's leaders); its seats can then be
    elected again."""
    scope, election = _election(request, election_id)
    if not leads(scope):
        raise _not_found()
    actions.do_cancel_election(_me(scope), election, data.because)
    return _election_detail(scope, election.pk)


# -- decisions ------------------------------------------------------------------------------------


@router.get("/governance/decisions", response={200: Page[DecisionOut], **READ_ERRORS})
def list_decisions(request: HttpRequest, filters: Query[DecisionFilters]) -> Any:
    """The decisions log: planning teams' decisions and those of the working groups the caller
    sees, the latest first; by team or group, words, dates, and open follow-ups."""
    scope = _member(request)
    qs = visible_decisions(scope).select_related("team", "group", "recorded_by").prefetch_related(_follow_ups())
    if filters.team is not None:
        qs = qs.filter(team=filters.team)
    if filters.group is not None:
        qs = qs.filter(group=filters.group)
    if filters.q:
        words = Q(title__icontains=filters.q) | Q(decision__icontains=filters.q) | Q(rationale__icontains=filters.q)
        qs = qs.filter(words)
    if filters.since is not None:
        qs = qs.filter(decided_on__gte=filters.since)
    if filters.until is not None:
        qs = qs.filter(decided_on__lte=filters.until)
    if filters.open_follow_ups is not None:
        open_ones = FollowUp.objects.filter(done_on__isnull=True).values("decision")
        qs = qs.filter(pk__in=open_ones) if filters.open_follow_ups else qs.exclude(pk__in=open_ones)
    qs = qs.order_by("-decided_on", "-pk")
    return page_of(qs, filters.limit, filters.offset, _decision_out)


@router.post("/governance/decisions", response={201: DecisionDetailOut, **WRITE_ERRORS})
def record_decision(request: HttpRequest, data: DecisionIn) -> Any:
    """Record a planning team's decision (whoever holds one of its seats today, or a leader) or a
    working group's (its current members and sponsor), with its rationale, the input weighed and
    follow-ups."""
    scope = _member(request)
    team = _one(visible_teams(scope), data.team_id, "team_id", "planning team")
    group = _one(visible_groups(scope), data.group_id, "group_id", "working group")
    if (team is None) == (group is None):
        raise ValidationError("A decision is a planning team's or a working group's: give team_id or group_id.")
    if (team is not None and not records_for_team(scope, team)) or (
        group is not None and not records_for_group(scope, group)
    ):
        raise _not_found()
    follow_ups = [(f.text, _one(scope.people(), f.owner_id, "follow_ups", "person"), f.due_on) for f in data.follow_ups]
    fields = {
        "title": data.title,
        "decided_on": data.decided_on,
        "decision": data.decision,
        "rationale": data.rationale,
        "input_considered": data.input_considered,
    }
    inputs = _inputs(scope, data)
    with _named(**BODY_NAMES):
        decision = actions.do_record_decision(
            _me(scope), fields, team=team, group=group, inputs=inputs, follow_ups=follow_ups
        )
    return Status(201, _decision_detail(scope, decision.pk))


@router.get("/governance/decisions/{decision_id}", response={200: DecisionDetailOut, **READ_ERRORS})
def get_decision(request: HttpRequest, decision_id: int) -> Any:
    """A decision with its rationale, the input weighed and its follow-ups."""
    scope, decision = _decision(request, decision_id)
    return _decision_detail(scope, decision.pk)


@router.post(
    "/governance/decisions/{decision_id}/follow-ups/{follow_up_id}/done",
    response={200: FollowUpOut, **WRITE_ERRORS},
)
def follow_up_done(request: HttpRequest, decision_id: int, follow_up_id: int, data: DoneIn) -> Any:
    """Mark a follow-up done, or with `done: false` not done (its owner, or whoever records the
    decision's body's decisions)."""
    scope, decision = _decision(request, decision_id)
    follow_up = scope.get(decision.follow_ups.select_related("owner"), follow_up_id)
    allowed = (
        follow_up.owner_id == _me(scope).pk
        or (decision.team is not None and records_for_team(scope, decision.team))
        or (decision.group is not None and records_for_group(scope, decision.group))
    )
    if not allowed:
        raise _not_found()
    follow_up = actions.do_follow_up_done(_me(scope), follow_up, data.done)
    return _follow_up_out(follow_up)
