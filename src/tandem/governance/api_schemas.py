"""The shapes of the governance API (see api.py).

People, teams, seats and groups are answered as references (id and name). An input a working group
or decision came from that the caller cannot open is named by kind only, never by title.

Secret ballots: an election answers how many have voted and who (turnout), never a ballot — no
ballot id, no order of casting, no time. Ballots are seen only as the counted totals of the result,
and by whoever holds a receipt, as that one ballot's ranking (candidates' names in order).

Text is checked by the actions (what is empty, too long or holds a NUL character); the shapes here
only cap what a request may carry.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tandem.api.common import NO_NUL, Ref, choices
from tandem.core.forms import MAX_ID
from tandem.governance.models import Election, GroupGoal, Review, Seat, Support, WorkingGroup
from tandem.orgs.api import Paging

# An id in a list of ids: a number no row could have is refused before any query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The most a text field may carry; the actions hold names, notes and reasons to less.
TEXT_CAP = 50_000
Text = Annotated[str, Field(max_length=TEXT_CAP)]
# A receipt is 29 characters; anything much longer is no receipt.
RECEIPT_CAP = 100
# The days a body may name: terms and time boxes are counted in months from them, so a day near the
# calendar's end would run past it.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)
Day = Annotated[datetime.date, Field(ge=FIRST_DAY, le=LAST_DAY)]
# The largest number a small positive column holds; the actions say what makes sense.
SMALL = 32_767
NOMINATION_STATES = ["pending", "accepted", "declined"]
MEMBERSHIP_CHANGES = ["join", "leave"]


# -- out ----------------------------------------------------------------------------------------


class LinkOut(Schema):
    kind: str = Field(description="What it is: post (a flag, question or idea), cycle or ticket")
    id: int | None = Field(description="Null when the caller cannot open it")
    name: str = Field(description="Its title, or what it is when the caller cannot open it")


class GoalOut(Schema):
    id: int
    round: int = Field(description="The group's round the goal belongs to (each renewal starts one)")
    text: str
    assessment: str = Field(description=f"One of {', '.join(GroupGoal.Assessment.values)}")
    assessment_note: str


class MembershipOut(Schema):
    id: int
    person: Ref
    joined_on: datetime.date
    joined_because: str
    left_on: datetime.date | None
    left_because: str
    current: bool = Field(description="A member today")


class SupportOut(Schema):
    id: int
    kind: str = Field(description=f"One of {', '.join(Support.Kind.values)}")
    text: str
    happened_on: datetime.date
    by: Ref


class ReviewOut(Schema):
    id: int
    round: int
    held_on: datetime.date
    outcome: str = Field(description=f"One of {', '.join(Review.Outcome.values)}")
    notes: str
    by: Ref


class GroupOut(Schema):
    id: int
    name: str
    misalignment: str = Field(description="Where strategy and practice have come apart")
    purpose: str
    sponsor: Ref
    starts_on: datetime.date
    ends_on: datetime.date = Field(description="The time box: when the group reviews its goals")
    status: str = Field(description=f"One of {', '.join(WorkingGroup.Status.values)}")
    round: int
    learned: str = Field(description="What the group learned, recorded when it disbanded")
    disbanded_on: datetime.date | None
    member_count: int = Field(description="Members today")
    created_by: Ref
    created_at: datetime.datetime


class GroupDetailOut(GroupOut):
    goals: list[GoalOut] = Field(description="Every round's, the first round first")
    members: list[Ref] = Field(description="Members today, by name")
    memberships: list[MembershipOut] = Field(description="Every stretch of membership, the earliest first")
    support: list[SupportOut] = Field(description="The sponsor's support, the latest first")
    reviews: list[ReviewOut] = Field(description="The earliest first")
    links: list[LinkOut] = Field(description="The ground-level input the group was formed from")
    may_steer: bool = Field(description="Whether the caller steers it (its sponsor or an organization's leader)")
    may_record: bool = Field(description="Whether the caller records its decisions")


class TermOut(Schema):
    id: int
    seat: Ref
    person: Ref
    starts_on: datetime.date
    ends_on: datetime.date
    ended_early_on: datetime.date | None = Field(description="The holder left the seat early: the term ended then")
    election_id: int | None = Field(description="The election that gave it; null for an appointment")
    current: bool = Field(description="The holder has the team's rights today")


class SeatOut(Schema):
    id: int
    team: Ref
    name: str
    kind: str = Field(description=f"One of {', '.join(Seat.Kind.values)}")
    eligible_roles: list[str] = Field(description="Who may stand for and vote for an elected seat")
    site_staff_only: bool = Field(description="Only people placed at a school site are eligible")
    term_months: int
    first_term_starts: datetime.date
    max_consecutive_terms: int = Field(description="How many terms in a row one person may hold it")
    archived: bool
    holder: Ref | None = Field(description="Who holds it today")
    next_term_starts: datetime.date | None = Field(description="Null when it would fall past the calendar's end")


class TeamOut(Schema):
    id: int
    name: str
    purpose: str
    archived: bool
    members: list[Ref] = Field(description="Who holds a seat today, and with it the team's rights")


class ElectionOut(Schema):
    id: int
    team: Ref
    seats: list[Ref]
    method: str = Field(description=f"One of {', '.join(Election.Method.values)}")
    status: str = Field(description=f"One of {', '.join(Election.Status.values)}")
    phase: str = Field(description="nominating, between, voting, awaiting count, counted or cancelled")
    term_starts: datetime.date
    term_ends: datetime.date
    nominations_open: datetime.datetime
    nominations_close: datetime.datetime
    voting_open: datetime.datetime
    voting_close: datetime.datetime
    opened_automatically: bool
    votes: int = Field(description="How many have voted")


class TeamDetailOut(TeamOut):
    seats: list[SeatOut]
    terms: list[TermOut] = Field(description="Every seat's terms, the latest first")
    elections: list[ElectionOut] = Field(description="The latest terms first")
    may_record: bool = Field(description="Whether the caller records the team's decisions today")


class NominationOut(Schema):
    id: int = Field(description="What a ballot ranks")
    election_id: int
    nominee: Ref
    nominated_by: Ref
    statement: str
    state: str = Field(description=f"One of {', '.join(NOMINATION_STATES)}")
    standing: bool = Field(description="Accepted: a candidate")


class EventOut(Schema):
    at: datetime.datetime
    text: str
    by: Ref | None


class ResultOut(Schema):
    method: str
    quota: int | None = Field(description="For a single transferable vote")
    valid: int
    blank: int
    rejected: int
    elected: list[int] = Field(description="The nominations elected, in order of election")
    elected_names: list[str]
    unfilled: int = Field(description="Seats left unfilled for want of candidates")
    table: list[list[str]] = Field(description="The results sheet: each stage's totals per candidate")
    ties: list[str] = Field(description="How each tie was decided")


class ElectionDetailOut(ElectionOut):
    candidates: list[NominationOut] = Field(description="The nominations accepted, by name")
    nominations: list[NominationOut] = Field(description="Every nomination, by name")
    voters: list[Ref] = Field(description="Who has voted, by name (never when, nor how)")
    voted: bool = Field(description="Whether the caller has voted")
    may_vote: bool = Field(description="Whether the caller may vote now")
    events: list[EventOut] = Field(description="The election's log, the earliest first; it never says who voted")
    result: ResultOut | None = Field(description="Once counted")
    terms: list[TermOut] = Field(description="The terms the count gave")


class VoteOut(Schema):
    election_id: int
    receipt: str = Field(description="Shown once and kept nowhere: check the ballot with it")


class ReceiptOut(Schema):
    found: bool = Field(description="A ballot with this receipt is in the ballot box")
    counted: bool = Field(description="The election is counted and the ballot was in the count")
    ranking: list[str] = Field(description="The ballot's candidates in order of preference, by name")


class FollowUpOut(Schema):
    id: int
    text: str
    owner: Ref | None
    due_on: datetime.date | None
    done_on: datetime.date | None


class DecisionOut(Schema):
    id: int
    team: Ref | None = Field(description="The planning team's decision, or")
    group: Ref | None = Field(description="the working group's")
    title: str
    decided_on: datetime.date
    decision: str
    rationale: str
    input_considered: str = Field(description="The ground-level input weighed, in words")
    recorded_by: Ref
    recorded_at: datetime.datetime
    follow_ups: list[FollowUpOut]


class DecisionDetailOut(DecisionOut):
    links: list[LinkOut] = Field(description="The ground-level input weighed")


# -- in -----------------------------------------------------------------------------------------


class Inputs(Schema):
    """Ground-level input, each among what the caller can open."""

    post_ids: list[Id] = Field([], max_length=50, description="Flags, questions or ideas in the staff feed")
    cycle_ids: list[Id] = Field([], max_length=50, description="Cycles of inquiry")
    ticket_ids: list[Id] = Field([], max_length=50, description="Help-desk tickets")


class GroupFilters(Paging):
    q: str | None = Field(
        None, pattern=NO_NUL, max_length=200, description="Words of the name, misalignment or purpose"
    )
    status: str | None = Field(None, pattern=choices(WorkingGroup.Status.values))


class GroupIn(Inputs):
    name: str = Field(max_length=TEXT_CAP, description="Up to 200 characters")
    misalignment: str = Field(max_length=TEXT_CAP)
    purpose: str = Field(max_length=TEXT_CAP)
    sponsor_id: int = Field(ge=1, le=MAX_ID, description="Someone on the staff, usually one of the leaders")
    starts_on: Day
    ends_on: Day = Field(description="The time box: after it starts")
    goals: list[Text] = Field(max_length=50, description="At least one")
    member_ids: list[Id] = Field(max_length=500, description="People on the staff")


class MembershipIn(Schema):
    person_id: int = Field(ge=1, le=MAX_ID)
    change: str = Field(pattern=choices(MEMBERSHIP_CHANGES))
    because: str = Field(max_length=TEXT_CAP, description="Why they join or leave; up to 300 characters")
    on: Day | None = Field(None, description="Left out, today")


class SupportIn(Schema):
    kind: str = Field(pattern=choices(Support.Kind.values))
    text: str = Field(max_length=TEXT_CAP)
    happened_on: Day | None = Field(None, description="Left out, today")


class AssessmentIn(Schema):
    goal_id: int = Field(ge=1, le=MAX_ID)
    assessment: str = Field(max_length=20, description="met, partly, not_met or dropped")
    note: str = Field("", max_length=TEXT_CAP)


class ReviewIn(Schema):
    assessments: list[AssessmentIn] = Field(max_length=200, description="Every goal of the current round")
    outcome: str = Field(max_length=20, description=f"One of {', '.join(Review.Outcome.values)}")
    learned: str = Field("", max_length=TEXT_CAP, description="What the group learned: needed to disband")
    new_goals: list[Text] = Field([], max_length=50, description="Needed to renew")
    new_ends_on: Day | None = Field(None, description="The renewed time box: needed to renew")


class TeamFilters(Paging):
    archived: bool = Field(False, description="true for the archived teams instead of those at work")


class TeamIn(Schema):
    name: str = Field(max_length=TEXT_CAP, description="Up to 200 characters")
    purpose: str = Field("", max_length=TEXT_CAP)


class SeatIn(Schema):
    name: str = Field(max_length=TEXT_CAP, description="Up to 120 characters")
    kind: str = Field(pattern=choices(Seat.Kind.values))
    eligible_roles: list[Annotated[str, Field(max_length=50)]] = Field(
        [], max_length=20, description="Roles eligible for an elected seat (e.g. coach)"
    )
    site_staff_only: bool = False
    term_months: int = Field(24, ge=0, le=SMALL, description="1 to 120")
    first_term_starts: Day
    max_consecutive_terms: int = Field(1, ge=0, le=SMALL)


class AppointIn(Schema):
    person_id: int = Field(ge=1, le=MAX_ID, description="Someone on the staff")
    term_starts: Day = Field(description="The first day of one of the seat's terms")


class ElectionFilters(Paging):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="A planning team's id")
    status: str | None = Field(None, pattern=choices(Election.Status.values))


class OpenElectionIn(Schema):
    seat_ids: list[Id] = Field(max_length=50, description="Elected seats of the team whose terms start then")
    term_starts: Day = Field(description="After today")


class NominateIn(Schema):
    nominee_id: int = Field(ge=1, le=MAX_ID, description="Oneself (accepted at once) or a colleague")
    statement: str = Field("", max_length=TEXT_CAP, description="Up to 5,000 characters")


class NominationAnswerIn(Schema):
    accept: bool
    statement: str = Field("", max_length=TEXT_CAP, description="On accepting; left empty, the nominator's")


class VoteIn(Schema):
    ranking: list[Id] = Field(
        max_length=100, description="Candidates' nomination ids in order of preference; one for plurality"
    )


class ReceiptIn(Schema):
    receipt: str = Field(max_length=RECEIPT_CAP, description="As the vote answered it")


class CancelIn(Schema):
    because: str = Field(max_length=TEXT_CAP, description="Up to 300 characters")


class DecisionFilters(Paging):
    team: int | None = Field(None, ge=1, le=MAX_ID, description="A planning team's id")
    group: int | None = Field(None, ge=1, le=MAX_ID, description="A working group's id")
    q: str | None = Field(None, pattern=NO_NUL, max_length=200, description="Words of the title, decision or rationale")
    since: Day | None = Field(None, description="Decided on or after")
    until: Day | None = Field(None, description="Decided on or before")
    open_follow_ups: bool | None = Field(None, description="true: with a follow-up not done; false: all done")


class FollowUpIn(Schema):
    text: str = Field(max_length=TEXT_CAP, description="Up to 300 characters")
    owner_id: int | None = Field(None, ge=1, le=MAX_ID, description="Someone the caller reaches")
    due_on: Day | None = None


class DecisionIn(Inputs):
    team_id: int | None = Field(None, ge=1, le=MAX_ID, description="A planning team's decision, or")
    group_id: int | None = Field(None, ge=1, le=MAX_ID, description="a working group's")
    title: str = Field(max_length=TEXT_CAP, description="Up to 200 characters")
    decided_on: Day = Field(description="Today or earlier")
    decision: str = Field(max_length=TEXT_CAP)
    rationale: str = Field(max_length=TEXT_CAP)
    input_considered: str = Field("", max_length=TEXT_CAP, description="The ground-level input weighed, in words")
    follow_ups: list[FollowUpIn] = Field([], max_length=50)


class DoneIn(Schema):
    done: bool = Field(True, description="false takes the mark back")
