"""The shapes of the learning API (see api.py).

Instants are answered in UTC with their offset; a session's `time_zone` says where it is held and
`local_date` the day it falls on there. Materials are answered by title, link and file name only:
their files are served by the session's web page, which checks access.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import AwareDatetime, Field

from tandem.learning.models import Attendance, Audience, Cadence, Session
from tandem.orgs.api import MAX_ID, Paging

# An id in a list of ids: a number no row could have is refused before any query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def choices(values: list[str]) -> str:
    return "^(" + "|".join(values) + ")$"


# -- out ----------------------------------------------------------------------------------------


class Ref(Schema):
    id: int
    name: str


class StructureItem(Schema):
    item: str = Field(max_length=200)
    minutes: int


class SessionTypeOut(Schema):
    id: int
    name: str
    purpose: str
    structure: list[StructureItem] = Field(description="The agenda template copied onto each new session")
    audience: str
    typical_minutes: int
    cadence: str
    built_in: bool
    archived: bool


class PriorityOut(Schema):
    id: int
    name: str
    description: str
    archived: bool


class SessionOut(Schema):
    id: int
    title: str
    session_type_id: int
    session_type: str
    priority_id: int | None
    priority: str | None
    priority_from_agenda: bool = Field(description="Whether the priority follows the published agenda's month")
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    local_date: datetime.date = Field(description="The day the session falls on in its time zone")
    minutes: int
    location: str
    status: str
    cancel_reason: str
    rhythm_id: int | None = Field(description="The rhythm it was generated from; null for a one-off or a convening")
    detached: bool = Field(description="Changed by hand: generating the rhythm again leaves it alone")


class MaterialOut(Schema):
    id: int
    title: str
    url: str
    file_name: str | None = Field(description="The attached file's name; fetch it on the session's web page")
    added_by_id: int | None
    added_at: datetime.datetime


class AttendanceOut(Schema):
    person_id: int
    person: str
    status: str


class TakeawayOut(Schema):
    id: int
    session_id: int
    author_id: int | None
    text: str
    created_at: datetime.datetime
    action_id: int | None = Field(description="The cycle-of-inquiry action it became")
    practice_id: int | None = Field(description="The practice-library draft it became")


class SessionDetailOut(SessionOut):
    facilitators: list[Ref]
    teams: list[Ref]
    guests: list[Ref]
    agenda: str
    notes: str
    materials: list[MaterialOut]
    attendance: list[AttendanceOut] = Field(
        description="Everyone's marks for the session's staff, facilitators and planners; otherwise the caller's own"
    )
    takeaways: list[TakeawayOut]
    may_plan: bool = Field(description="Whether the caller may change, move or cancel the session")
    may_keep_record: bool = Field(description="Whether the caller may take attendance and keep notes")


class SlotOut(Schema):
    id: int
    session_type_id: int
    session_type: str
    title: str
    weekday: int = Field(description="Monday is 0")
    starts_at: datetime.time = Field(description="Wall-clock time in the rhythm's time zone")
    minutes: int
    every_weeks: int
    week_offset: int
    location: str
    team_ids: list[int]
    facilitator_ids: list[int]


class DayOffOut(Schema):
    id: int
    name: str
    kind: str
    first_day: datetime.date
    last_day: datetime.date
    rhythm_id: int | None = Field(description="Null when it applies to every rhythm of the school year")
    session_type_id: int | None = Field(description="A convening's session type")
    starts_at: datetime.time | None
    minutes: int | None
    time_zone: str
    location: str


class RhythmOut(Schema):
    id: int
    name: str
    school_year: int
    region_id: int | None
    region: str | None
    time_zone: str
    starts_on: datetime.date
    ends_on: datetime.date
    generated_at: datetime.datetime | None
    may_plan: bool = Field(description="Whether the caller may generate its sessions")


class RhythmDetailOut(RhythmOut):
    slots: list[SlotOut]
    days_off: list[DayOffOut] = Field(description="Its own days off and those of every rhythm of its school year")


class GenerateOut(Schema):
    created: int
    moved: int
    cancelled: int
    restored: int
    kept: int


class MonthOut(Schema):
    month: datetime.date = Field(description="The first day of the month")
    priority_id: int | None
    priority: str | None
    focus: str


class ProposalOut(Schema):
    id: int
    author_id: int | None
    month: datetime.date | None
    priority_id: int | None
    title: str
    body: str
    status: str
    response: str
    created_at: datetime.datetime


class CommentOut(Schema):
    id: int
    author_id: int | None
    month: datetime.date | None
    body: str
    created_at: datetime.datetime


class AgendaOut(Schema):
    school_year: int
    label: str
    summary: str
    status: str
    published_at: datetime.datetime | None
    published_by_id: int | None
    updated_at: datetime.datetime
    months: list[MonthOut]
    proposals: list[ProposalOut]
    comments: list[CommentOut]
    may_publish: bool


class PublishedOut(AgendaOut):
    sessions_changed: int = Field(description="How many sessions publishing tied to a new priority")


# -- in -----------------------------------------------------------------------------------------


class ArchivedFilter(Paging):
    archived: bool | None = Field(None, description="Leave out for both")


class SessionTypeIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    purpose: str = Field("", max_length=10_000)
    structure: list[StructureItem] = Field([], max_length=50)
    audience: str = Field(Audience.TEAM, pattern=choices(Audience.values))
    typical_minutes: int = Field(60, ge=5, le=720)
    cadence: str = Field(Cadence.WEEKLY, pattern=choices(Cadence.values))
    archived: bool = False


class SessionTypePatch(Schema):
    """Only the fields given change."""

    name: str | None = Field(None, min_length=1, max_length=100)
    purpose: str | None = Field(None, max_length=10_000)
    structure: list[StructureItem] | None = Field(None, max_length=50)
    audience: str | None = Field(None, pattern=choices(Audience.values))
    typical_minutes: int | None = Field(None, ge=5, le=720)
    cadence: str | None = Field(None, pattern=choices(Cadence.values))
    archived: bool | None = None


class PriorityIn(Schema):
    name: str = Field(min_length=1, max_length=120)
    description: str = Field("", max_length=10_000)
    archived: bool = False


class PriorityPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=120)
    description: str | None = Field(None, max_length=10_000)
    archived: bool | None = None


class SessionFilters(Paging):
    from_: datetime.date | None = Field(None, alias="from", description="Sessions on or after this local date")
    to: datetime.date | None = Field(None, description="Sessions on or before this local date")
    type: int | None = Field(None, ge=1, le=MAX_ID, description="A session type's id")
    priority: int | None = Field(None, ge=1, le=MAX_ID, description="A priority's id")
    team: int | None = Field(None, ge=1, le=MAX_ID, description="An invited team's id")
    mine: bool = Field(False, description="Only the sessions the caller is invited to")
    status: str | None = Field(None, pattern=choices(Session.Status.values))


class SessionIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    session_type_id: int = Field(ge=1, le=MAX_ID)
    starts_at: AwareDatetime = Field(description="An ISO 8601 instant with its offset")
    ends_at: AwareDatetime
    time_zone: str = Field(max_length=64, description="Where it is held, e.g. America/Los_Angeles")
    location: str = Field("", max_length=200)
    priority_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Left out, the published agenda's priority for the month"
    )
    team_ids: list[Id] = []
    facilitator_ids: list[Id] = []
    guest_ids: list[Id] = []


class SessionPatch(Schema):
    """Only the fields given change. A generated session whose time changes is detached from its
    rhythm; one whose priority is set by hand no longer follows the agenda."""

    title: str | None = Field(None, min_length=1, max_length=200)
    session_type_id: int | None = Field(None, ge=1, le=MAX_ID)
    starts_at: AwareDatetime | None = None
    ends_at: AwareDatetime | None = None
    time_zone: str | None = Field(None, max_length=64)
    location: str | None = Field(None, max_length=200)
    priority_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="null: the session follows the agenda's priority for its month again"
    )
    team_ids: list[Id] | None = None
    facilitator_ids: list[Id] | None = None
    guest_ids: list[Id] | None = None


class CancelIn(Schema):
    reason: str = Field("", max_length=200, description="Invitees see it in their calendars")
    restore: bool = Field(False, description="Put a cancelled session back on")


class MarkIn(Schema):
    person_id: int = Field(ge=1, le=MAX_ID)
    status: str = Field(
        max_length=20, description=f"One of {', '.join(Attendance.Status.values)}; empty clears the mark"
    )


class AttendanceIn(Schema):
    marks: list[MarkIn] = Field(max_length=1000)


class TakeawayIn(Schema):
    text: str = Field(min_length=1, max_length=10_000)


class RhythmFilters(Paging):
    school_year: int | None = Field(None, ge=1990, le=2100)


class ProposalIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    body: str = Field("", max_length=10_000)
    month: datetime.date | None = Field(None, description="Any day of the month proposed for")
    priority_id: int | None = Field(None, ge=1, le=MAX_ID)


class CommentIn(Schema):
    body: str = Field(min_length=1, max_length=10_000)
    month: datetime.date | None = Field(None, description="Any day of the month commented on; empty for the whole")


class PublishIn(Schema):
    reopen: bool = Field(False, description="Make a published agenda a draft again")
