"""The shapes of the coaching API (see api.py).

No schema here has a field for a private note's text or for anything derived from notes (a count,
a flag): only `NoteOut`, answered to the note's author alone, carries one.
"""

import datetime
from decimal import Decimal

from ninja import Schema
from pydantic import Field

from tandem.coaching.models import CoacheeGoal, Relationship, Session
from tandem.orgs.api import MAX_ID, Paging


def choices(values: list[str]) -> str:
    return "^(" + "|".join(values) + ")$"


# -- out ----------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class VersionRef(Schema):
    id: int
    framework_id: int
    name: str = Field(description="The framework's name")
    number: int
    levels: list[str] = Field(description="The level names, lowest first; a rating's level 1 is the first")


class RelationshipOut(Schema):
    id: int
    coach: Ref
    coachee: Ref | None = Field(description="The person coached; null when a team is")
    team: Ref | None
    school: Ref | None
    framework: VersionRef
    status: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    created_at: datetime.datetime


class GoalOut(Schema):
    id: int
    relationship_id: int
    title: str
    description: str
    status: str
    competency_id: int | None
    student_goal_id: int | None
    inquiry_cycle_id: int | None
    due_on: datetime.date | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CoachingCycleOut(Schema):
    id: int
    relationship_id: int
    title: str
    steps: list[str]
    step: int = Field(description="Index of the current step in `steps`")
    current_step: str | None = Field(description="The current step's name; null once the cycle is completed")
    status: str
    starts_on: datetime.date
    ends_on: datetime.date | None
    inquiry_cycle_id: int | None


class RatingOut(Schema):
    id: int
    relationship_id: int
    competency_id: int
    competency_code: str
    level: int
    level_name: str
    source: str = Field(description="coach (the coach's rating) or self (the coachee's own)")
    rated_on: datetime.date
    evidence: str
    rater_id: int | None
    created_at: datetime.datetime


class RelationshipDetailOut(RelationshipOut):
    focus_ids: list[int]
    goals: list[GoalOut]
    cycles: list[CoachingCycleOut]
    latest_ratings: list[RatingOut] = Field(description="The latest rating of each competency from each source")
    may_manage: bool = Field(description="Whether the caller may set goals, start cycles and end the coaching")
    may_coach: bool = Field(description="Whether the caller is the coach (logs sessions and rates as coach)")
    may_self_rate: bool


class SessionOut(Schema):
    id: int
    relationship_id: int
    cycle_id: int | None
    held_on: datetime.date
    minutes: int
    kind: str
    shared_notes: str
    next_steps: str
    evidence: str
    competency_ids: list[int]
    logged_by_id: int | None
    created_at: datetime.datetime


class NoteOut(Schema):
    id: int
    relationship_id: int
    session_id: int | None
    text: str
    created_at: datetime.datetime


class CompetencyOut(Schema):
    id: int
    position: int
    code: str
    name: str
    description: str
    descriptors: list[str]


class DomainOut(Schema):
    id: int
    position: int
    name: str
    competencies: list[CompetencyOut]


class VersionOut(Schema):
    id: int
    number: int
    levels: list[str]
    note: str
    published_at: datetime.datetime
    domains: list[DomainOut]


class VersionSummaryOut(Schema):
    number: int
    note: str
    published_at: datetime.datetime


class FrameworkOut(Schema):
    id: int
    name: str
    audience: str
    description: str
    built_in: bool
    archived: bool
    current_number: int | None


class FrameworkDetailOut(FrameworkOut):
    versions: list[VersionSummaryOut] = Field(description="Every version, newest first")
    version: VersionOut = Field(description="The current version, or the one asked for with ?version=")


class StaffCostOut(Schema):
    id: int
    person_id: int
    person: str
    school_year: int
    hourly_cost: Decimal
    updated_by_id: int | None
    updated_at: datetime.datetime


# -- in -----------------------------------------------------------------------------------------


class RelationshipFilters(Paging):
    status: str | None = Field(None, pattern=choices(Relationship.Status.values))
    school_id: int | None = Field(None, ge=1, le=MAX_ID)
    coach_id: int | None = Field(None, ge=1, le=MAX_ID)


class RelationshipIn(Schema):
    coach_id: int = Field(ge=1, le=MAX_ID)
    coachee_id: int | None = Field(None, ge=1, le=MAX_ID, description="Give a coachee or a team, not both")
    team_id: int | None = Field(None, ge=1, le=MAX_ID)
    school_id: int | None = Field(None, ge=1, le=MAX_ID, description="Where the coaching happens")
    framework_id: int = Field(ge=1, le=MAX_ID, description="Its current version is used")
    starts_on: datetime.date
    focus_ids: list[int] = Field([], description="Competencies of the framework's current version")


class EndIn(Schema):
    ends_on: datetime.date | None = Field(None, description="Today when left out")


class SessionIn(Schema):
    held_on: datetime.date
    minutes: int = Field(ge=5, le=600)
    kind: str = Field(pattern=choices(Session.Kind.values))
    shared_notes: str = Field("", max_length=20_000)
    next_steps: str = Field("", max_length=20_000)
    evidence: str = Field("", max_length=20_000)
    competency_ids: list[int] = []
    cycle_id: int | None = Field(None, ge=1, le=MAX_ID)
    private_note: str = Field(
        "",
        max_length=20_000,
        description="Kept for the coach alone (read it at /coaching/notes); never part of any answer",
    )


class NoteFilters(Paging):
    relationship_id: int | None = Field(None, ge=1, le=MAX_ID)


class NoteIn(Schema):
    text: str = Field(min_length=1, max_length=20_000)
    session_id: int | None = Field(None, ge=1, le=MAX_ID)


class GoalIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    description: str = Field("", max_length=10_000)
    status: str = Field(CoacheeGoal.Status.NOT_STARTED, pattern=choices(CoacheeGoal.Status.values))
    competency_id: int | None = Field(None, ge=1, le=MAX_ID)
    student_goal_id: int | None = Field(None, ge=1, le=MAX_ID)
    inquiry_cycle_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: datetime.date | None = None


class GoalPatch(Schema):
    """Only the fields given change; a coachee may give `status` alone."""

    title: str | None = Field(None, min_length=1, max_length=300)
    description: str | None = Field(None, max_length=10_000)
    status: str | None = Field(None, pattern=choices(CoacheeGoal.Status.values))
    competency_id: int | None = Field(None, ge=1, le=MAX_ID, description="null removes the link")
    student_goal_id: int | None = Field(None, ge=1, le=MAX_ID, description="null removes the link")
    inquiry_cycle_id: int | None = Field(None, ge=1, le=MAX_ID, description="null removes the link")
    due_on: datetime.date | None = None


class RatingIn(Schema):
    competency_id: int = Field(ge=1, le=MAX_ID)
    level: int = Field(ge=1, le=20, description="1 is the lowest level of the relationship's framework")
    rated_on: datetime.date | None = Field(None, description="Today when left out")
    evidence: str = Field("", max_length=10_000)


class CycleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    starts_on: datetime.date | None = Field(None, description="Today when left out")
    inquiry_cycle_id: int | None = Field(None, ge=1, le=MAX_ID)


class FrameworkQuery(Schema):
    version: int | None = Field(None, ge=1, le=32767, description="A version's number; the current one when left out")


class CompetencyIn(Schema):
    # Lengths as the columns have them: the action writes these rows without full_clean.
    code: str = Field(min_length=1, max_length=20)
    name: str = Field(min_length=1, max_length=200)
    description: str = Field("", max_length=5000)
    descriptors: list[str] = Field(description="One per level, lowest first")


class DomainIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    competencies: list[CompetencyIn] = Field(min_length=1)


class VersionIn(Schema):
    levels: list[str] = Field(min_length=2, max_length=20)
    domains: list[DomainIn] = Field(min_length=1)
    note: str = Field("", max_length=200, description="What changed from the previous version")


class StaffCostFilters(Paging):
    school_year: int | None = Field(None, ge=1990, le=2100)
    person_id: int | None = Field(None, ge=1, le=MAX_ID)


class StaffCostIn(Schema):
    hourly_cost: Decimal = Field(max_digits=8, decimal_places=2)
