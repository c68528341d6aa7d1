"""The shapes of the practice library API (see api.py).

People, schools and student groups are answered as references (id and name). A cycle of inquiry
behind a practice that the caller cannot open is answered by what it was (its level, place and
dates), never by its id or title, as the practice's page does. An attachment's file is answered by
the address of the practice's page that serves it, never by where it is stored. Text is checked by
the actions and the models (what is empty, too long, or not a choice); the shapes here only cap what
a request may carry, and refuse ids no row could have before any query.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tandem.api.common import NO_NUL, Ref, choices
from tandem.orgs.api import MAX_ID, Paging
from tandem.orgs.models import GRADES
from tandem.practices.models import Citation, Evidence, Practice, Trial
from tandem.practices.search import SORTS

# An id in a list of ids: a number no row could have is refused before any query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The most a text field may carry; the models hold titles and references to less.
TEXT_CAP = 50_000
# As the pages' forms: a comment or a report's story.
STORY_CAP = 20_000
# A tag's name is cut to 60 characters; anything much longer is no tag.
TagName = Annotated[str, Field(max_length=200)]
# The largest number a small positive column holds; the model says which school years make sense.
SMALL = 32_767


# -- out ----------------------------------------------------------------------------------------


class TagOut(Schema):
    name: str
    slug: str = Field(description="What the `tag` filter takes")


class TagCountOut(TagOut):
    practices: int = Field(description="How many of the practices the caller sees carry it")


class PracticeOut(Schema):
    id: int
    title: str
    summary: str
    evidence: str = Field(description=f"One of {', '.join(Evidence.values)} (ESSA's tiers)")
    status: str = Field(description=f"One of {', '.join(Practice.Status.values)}")
    url: str = Field(description="The practice's web page")
    tags: list[TagOut]
    n_schools: int = Field(description="How many schools tried it")
    updated_at: datetime.datetime
    relevance: float | None = Field(None, description="When searching words: how well it matches (higher is better)")


class TrialOut(Schema):
    id: int
    kind: str = Field(description=f"One of {', '.join(Trial.Kind.values)}: where it started, or “we tried this”")
    school: Ref
    school_year: int = Field(description="By its spring: 2026 for 2025–26")
    grades: list[str] = Field(description="In the order grades come in school")
    groups: list[Ref] = Field(description="The student groups it was meant for")
    result: str = Field(description=f"One of {', '.join(Trial.Result.values)}")
    story: str = Field(description="What they did and what happened")
    reported_by: Ref | None = Field(description="Null when that person was removed")
    created_at: datetime.datetime
    may_remove: bool = Field(description="Whether the caller may remove it (its reporter or the practice's editors)")


class CitationOut(Schema):
    id: int
    reference: str
    url: str
    design: str = Field(description=f"One of {', '.join(Citation.Design.values)}")
    finding: str
    added_at: datetime.datetime


class AttachmentOut(Schema):
    id: int
    title: str
    link: str | None = Field(description="A link to material elsewhere; null for a file")
    download_url: str | None = Field(
        description="Where a file is downloaded, with the caller's sign-in; null for a link"
    )
    added_at: datetime.datetime


class CommentOut(Schema):
    id: int
    author: Ref | None = Field(description="Null when that person was removed")
    body: str
    created_at: datetime.datetime


class OutcomeOut(Schema):
    goal: str = Field(description="The goal's title")
    metric: str = Field(description="What the goal measures")
    assessment: str
    group: str = Field(description="The student group's label")
    grade: str = Field(description="A grade, or all")
    start_year: int = Field(description="The goal's baseline year, by its spring")
    start: float | None = Field(description="Null when hidden (too few students) or no results")
    start_n: int | None = Field(description="Students tested")
    end_year: int | None = Field(description="The latest year with results")
    end: float | None
    end_n: int | None
    effect: float | None = Field(description="Hedges' g on scores, the Cox index on a percent at or above standard")
    note: str = Field(description="Why a number is missing")


class CycleOut(Schema):
    id: int | None = Field(description="Null when the caller cannot open the cycle")
    title: str | None = Field(description="Null when the caller cannot open the cycle")
    described: str = Field(description="What it was: its level, place and dates")
    outcomes: list[OutcomeOut] = Field(description="Its goals' outcomes, the same for every reader")


class PracticeDetailOut(PracticeOut):
    problem: str
    how: str = Field(description="How to do it")
    origin: str = Field(description="Where the draft came from, in words")
    author: Ref | None = Field(description="Null when that person was removed")
    contact: Ref | None = Field(description="Whom to ask about it; null: its author")
    published_at: datetime.datetime | None
    created_at: datetime.datetime
    trials: list[TrialOut] = Field(description="Where it was tried, the latest school year first")
    citations: list[CitationOut]
    attachments: list[AttachmentOut]
    comments: list[CommentOut] = Field(description="Oldest first")
    cycles: list[CycleOut] = Field(description="The cycles of inquiry that led to it, the earliest first")
    may_edit: bool = Field(description="Whether the caller changes it and its evidence (its author or an editor)")
    may_publish: bool = Field(description="Whether the caller publishes practices (the library's editors)")


class LikeMinePracticeOut(Schema):
    id: int
    title: str
    evidence: str
    schools: list[Ref] = Field(description="The similar schools that tried it, the most similar first")
    nearest: float = Field(description="The similarity (0–100) of the most similar school that tried it")


class ContactOut(Schema):
    person: Ref
    email: str
    role: str = Field(description="Their role in the network")
    title: str
    school: Ref | None
    cohort: Ref = Field(description="Their latest cohort")


class LikeMineOut(Schema):
    school: Ref
    year: int | None = Field(description="The school year of the demographics compared")
    peers: int = Field(description="How many similar schools the comparison engine chose")
    reason: str = Field(description="Why there are no similar schools, when there are none")
    practices: list[LikeMinePracticeOut] = Field(description="Tried at more similar schools first")
    more: int = Field(description="Practices beyond those answered; the library's `like_school` filter finds all")
    contacts: list[ContactOut] | None = Field(
        description="Network leaders at the similar schools; null for callers who do not see the network"
    )


# -- in -----------------------------------------------------------------------------------------


class PracticeFilters(Paging):
    q: str | None = Field(
        None, pattern=NO_NUL, max_length=300, description='Words, "a phrase", OR, and -word to leave out'
    )
    tag: list[Annotated[str, Field(pattern=NO_NUL, max_length=60)]] = Field(
        [], max_length=12, description="A tag's slug; repeated, every one is required"
    )
    evidence: list[Annotated[str, Field(pattern=choices(Evidence.values))]] = Field(
        [], max_length=5, description="Any of these strengths; repeatable"
    )
    school: int | None = Field(None, ge=1, le=MAX_ID, description="Tried at this school")
    like_school: int | None = Field(None, ge=1, le=MAX_ID, description="Tried at one of this school's similar schools")
    grade: str | None = Field(None, pattern=choices(GRADES), description="Tried in this grade")
    group: int | None = Field(None, ge=1, le=MAX_ID, description="Tried for this student group")
    result: str | None = Field(None, pattern=choices(Trial.Result.values), description="A trial with this result")
    status: str | None = Field(
        None, pattern=choices(Practice.Status.values), description="Drafts: the caller's own, or any for editors"
    )
    mine: bool = Field(False, description="Written by the caller")
    sort: str | None = Field(
        None,
        pattern=choices([value for value, _ in SORTS]),
        description="Left out: relevance when searching words, recently updated otherwise",
    )


class PracticeIn(Schema):
    title: str = Field(max_length=TEXT_CAP, description="Up to 200 characters")
    summary: str = Field("", max_length=TEXT_CAP, description="What the practice is and when to use it")
    problem: str = Field("", max_length=TEXT_CAP, description="The problem it addresses")
    how: str = Field("", max_length=TEXT_CAP, description="How to do it")
    evidence: str = Field(Evidence.UNRATED, max_length=20, description=f"One of {', '.join(Evidence.values)}")
    contact_id: int | None = Field(None, ge=1, le=MAX_ID, description="Whom to ask; left out, the author")
    tags: list[TagName] = Field([], max_length=50, description="Names; new ones are created (at most 12)")


class PracticePatch(Schema):
    """Only the fields given change; null empties the contact."""

    title: str | None = Field(None, max_length=TEXT_CAP)
    summary: str | None = Field(None, max_length=TEXT_CAP)
    problem: str | None = Field(None, max_length=TEXT_CAP)
    how: str | None = Field(None, max_length=TEXT_CAP)
    evidence: str | None = Field(None, max_length=20)
    contact_id: int | None = Field(None, ge=1, le=MAX_ID)
    tags: list[TagName] | None = Field(None, max_length=50, description="The whole list")


class TrialIn(Schema):
    school_id: int = Field(ge=1, le=MAX_ID, description="A school the caller works in or with")
    school_year: int = Field(ge=0, le=SMALL, description="By its spring: 2026 for 2025–26")
    grades: list[Annotated[str, Field(max_length=10)]] = Field([], max_length=20, description=f"Of {', '.join(GRADES)}")
    group_ids: list[Id] = Field([], max_length=100, description="The student groups it was meant for")
    result: str = Field(max_length=20, description=f"One of {', '.join(Trial.Result.values)}")
    story: str = Field(max_length=STORY_CAP, description="What you did and what happened")


class CommentIn(Schema):
    body: str = Field(max_length=STORY_CAP)


class CitationIn(Schema):
    reference: str = Field(max_length=TEXT_CAP, description="Authors, year, title, where published")
    url: str = Field("", max_length=500, description="A link to it")
    design: str = Field(Citation.Design.OTHER, max_length=20, description=f"One of {', '.join(Citation.Design.values)}")
    finding: str = Field("", max_length=TEXT_CAP, description="What it found, in a sentence or two")


class CycleLinkIn(Schema):
    cycle_id: int = Field(ge=1, le=MAX_ID, description="A cycle of inquiry the caller leads that led to the practice")
