"""The shapes of the leadership network API (see api.py).

People, schools, districts and cohorts are answered as references (id and name); a member also by
email, as the directory exists so that leaders can reach one another. Convenings are learning
sessions, answered by their id in the learning API. Text is checked by the actions and the models
(what is empty, too long, or not a choice); the shapes here only cap what a request may carry, and
refuse ids no row could have before any query.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tandem.api.common import NO_NUL, Ref, choices
from tandem.learning.models import Session
from tandem.network.models import Member
from tandem.orgs.api import MAX_ID, Paging

# An id in a list of ids: a number no row could have is refused before any query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The most a text field may carry; the models hold names and titles to less.
TEXT_CAP = 50_000
# The largest number a small positive column holds; the model says which school years make sense.
SMALL = 32_767
# The days a convening may be held on: its end is counted in minutes from its start, so a day near
# the calendar's end would run past it.
FIRST_DAY = datetime.date(1900, 1, 1)
LAST_DAY = datetime.date(2999, 12, 31)


# -- out ----------------------------------------------------------------------------------------


class CohortOut(Schema):
    id: int
    name: str
    school_year: int = Field(description="By its spring: 2027 for 2026–27")
    description: str
    facilitators: list[Ref] = Field(description="Members of the organization's staff who lead its convenings")
    member_count: int
    url: str = Field(description="The cohort's web page")


class MemberOut(Schema):
    id: int
    cohort: Ref
    person: Ref
    email: str
    role: str = Field(description=f"One of {', '.join(Member.Role.values)}")
    title: str = Field(description="In their own words")
    school: Ref | None = Field(description="A school leader's school")
    district: Ref | None = Field(description="A district leader's district, or the school's")
    joined_at: datetime.datetime


class ConveningOut(Schema):
    id: int = Field(description="The learning session's id")
    title: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    time_zone: str
    location: str
    status: str = Field(description=f"One of {', '.join(Session.Status.values)}")


class CohortDetailOut(CohortOut):
    members: list[MemberOut] = Field(description="By name")
    convenings: list[ConveningOut] = Field(description="The earliest first")
    may_manage: bool = Field(description="Whether the caller changes the cohort and its members")
    may_schedule: bool = Field(description="Whether the caller schedules its convenings")


# -- in -----------------------------------------------------------------------------------------


class CohortFilters(Paging):
    school_year: int | None = Field(None, ge=0, le=SMALL, description="By its spring")


class CohortIn(Schema):
    name: str = Field(max_length=TEXT_CAP, description="Up to 120 characters")
    school_year: int = Field(ge=0, le=SMALL, description="By its spring: 2027 for 2026–27")
    description: str = Field("", max_length=TEXT_CAP)
    facilitator_ids: list[Id] = Field([], max_length=100, description="Members of the organization's staff")


class CohortPatch(Schema):
    """Only the fields given change."""

    name: str | None = Field(None, max_length=TEXT_CAP)
    school_year: int | None = Field(None, ge=0, le=SMALL)
    description: str | None = Field(None, max_length=TEXT_CAP)
    facilitator_ids: list[Id] | None = Field(None, max_length=100, description="The whole list")


class MemberIn(Schema):
    person_id: int = Field(ge=1, le=MAX_ID, description="Someone the caller reaches who signs in to Tandem")
    role: str = Field(max_length=30, description=f"One of {', '.join(Member.Role.values)}")
    title: str = Field("", max_length=TEXT_CAP, description="In their own words; up to 120 characters")
    school_id: int | None = Field(None, ge=1, le=MAX_ID, description="A school leader's school, within reach")
    district_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="A district leader's district; left out, the school's"
    )


class ConveningIn(Schema):
    title: str = Field("", max_length=200, description="Left empty, “<cohort> convening”")
    day: datetime.date = Field(ge=FIRST_DAY, le=LAST_DAY)
    start: datetime.time = Field(description="Local time where it is held")
    minutes: int = Field(ge=0, le=SMALL, description="15 minutes to 12 hours")
    location: str = Field("", max_length=200)
    time_zone: str = Field("America/Los_Angeles", max_length=64, description="Where it is held")


class MemberFilters(Paging):
    q: str | None = Field(
        None, pattern=NO_NUL, max_length=200, description="Words of a name, title, school or district"
    )
    cohort: int | None = Field(None, ge=1, le=MAX_ID, description="A cohort's id")
    role: str | None = Field(None, pattern=choices(Member.Role.values))
