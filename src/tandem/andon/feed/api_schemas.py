"""The shapes of the staff feed API (see api.py).

People, places and topics are answered as references (id and name). An escalation to a cycle of
inquiry the caller cannot open is named by kind only, never by title, as the post's page does.
Text is checked by the actions (what is empty, too long or holds a NUL character); the shapes here
only cap what a request may carry.
"""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field

from tandem.andon.feed.actions import MOVES
from tandem.andon.feed.models import Escalation, Notification, Post
from tandem.andon.feed.search import OPEN_FLAGS
from tandem.api.common import NO_NUL, Ref, choices
from tandem.orgs.api import MAX_ID, Paging

# An id in a list of ids: a number no row could have is refused before any query.
Id = Annotated[int, Field(ge=1, le=MAX_ID)]
# The most a text field may carry; the actions hold titles, posts and comments to less.
TEXT_CAP = 50_000
# Where a flag's owner may move it by hand (escalating has its own operation).
MOVED_TO = sorted({status for targets in MOVES.values() for status in targets})


# -- out ----------------------------------------------------------------------------------------


class TopicOut(Schema):
    id: int
    name: str
    acknowledge_hours: int | None = Field(description="A flag on it should be acknowledged within so many hours")
    archived: bool


class PostOut(Schema):
    id: int
    kind: str = Field(description=f"One of {', '.join(Post.Kind.values)}")
    title: str
    body: str
    url: str = Field(description="The post's web page")
    author: Ref
    school: Ref | None
    partnership: Ref | None
    region: Ref | None = Field(description="Given, or that of the school or partnership")
    topics: list[Ref]
    restricted: bool = Field(description="A flag only its author, its owner and the organization's leaders see")
    status: str = Field(description=f"One of {', '.join(Post.Status.values)}; questions and ideas stay open")
    owner: Ref | None = Field(description="Who took the flag on")
    acknowledge_due: datetime.datetime | None = Field(description="When a flag should be acknowledged by")
    acknowledged_at: datetime.datetime | None
    late: bool = Field(description="A raised flag past its acknowledge time")
    resolved_at: datetime.datetime | None
    resolution: str = Field(description="What was done, for a resolved flag")
    accepted_answer_id: int | None = Field(description="The comment that answers a question")
    comment_count: int
    me_too: int = Field(description="How many others meet this too")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    last_activity_at: datetime.datetime


class CommentOut(Schema):
    id: int
    post_id: int
    author: Ref
    body: str
    mentions: list[Ref]
    accepted: bool = Field(description="The accepted answer to the question")
    created_at: datetime.datetime
    edited_at: datetime.datetime | None


class EscalationOut(Schema):
    id: int
    to: str = Field(description=f"One of {', '.join(Escalation.To.values)}")
    target_id: int | None = Field(description="The cycle or team; null for a cycle the caller cannot open")
    target: str = Field(description="Its name, or what it is when the caller cannot open it")
    url: str | None = Field(description="The cycle's web page, for a cycle the caller can open")
    note: str
    by: Ref
    created_at: datetime.datetime


class PostDetailOut(PostOut):
    comments: list[CommentOut] = Field(description="Oldest first")
    said_me_too: bool = Field(description="Whether the caller said “me too”")
    mentions: list[Ref] = Field(description="People the title and post mention")
    escalations: list[EscalationOut] = Field(description="Oldest first")


class MeTooOut(Schema):
    me_too: int
    said_me_too: bool


class BoardOut(Schema):
    unacknowledged: list[PostOut] = Field(description="Raised flags nobody has taken on, the most overdue first")
    late: int = Field(description="How many of them are past their acknowledge time")
    aging: list[PostOut] = Field(description="Flags acknowledged or in progress for too long, oldest first")


class NotificationOut(Schema):
    id: int
    kind: str = Field(description=f"One of {', '.join(Notification.Kind.values)}")
    text: str
    post_id: int
    comment_id: int | None
    actor: Ref
    created_at: datetime.datetime
    read_at: datetime.datetime | None


class MarkedOut(Schema):
    marked: int = Field(description="Notifications marked read now (those read already are not counted)")


# -- in -----------------------------------------------------------------------------------------


class PostFilters(Paging):
    q: str | None = Field(None, pattern=NO_NUL, max_length=200, description="Words of the post or its comments")
    kind: str | None = Field(None, pattern=choices(Post.Kind.values))
    status: str | None = Field(
        None,
        pattern=choices([*Post.Status.values, OPEN_FLAGS]),
        description=f"{OPEN_FLAGS}: flags still needing someone (raised, acknowledged, in progress); or one status",
    )
    topic: int | None = Field(None, ge=1, le=MAX_ID, description="A topic's id")
    school: int | None = Field(None, ge=1, le=MAX_ID, description="A school's id")
    region: int | None = Field(None, ge=1, le=MAX_ID, description="A region's id")
    partnership: int | None = Field(None, ge=1, le=MAX_ID, description="A partnership's id")
    mine: bool = Field(False, description="Raised, owned, mentioning the caller or with the caller's “me too”")
    unanswered: bool = Field(False, description="Questions without an accepted answer")


class PostIn(Schema):
    kind: str = Field(max_length=20, description=f"One of {', '.join(Post.Kind.values)}")
    title: str = Field(max_length=TEXT_CAP, description="Up to 200 characters")
    body: str = Field(max_length=TEXT_CAP, description="Up to 20,000 characters; mention people with @")
    school_id: int | None = Field(None, ge=1, le=MAX_ID, description="A school the caller sees")
    partnership_id: int | None = Field(None, ge=1, le=MAX_ID, description="A partnership the caller sees")
    region_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Left out, that of the school or partnership; given, it must agree"
    )
    topic_ids: list[Id] = Field([], max_length=50, description="Topics in use")
    restricted: bool = Field(False, description="Flags only")


class PostPatch(Schema):
    """Only the fields given change; null empties a school, partnership or region."""

    title: str | None = Field(None, max_length=TEXT_CAP)
    body: str | None = Field(None, max_length=TEXT_CAP)
    school_id: int | None = Field(None, ge=1, le=MAX_ID)
    partnership_id: int | None = Field(None, ge=1, le=MAX_ID)
    region_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Left out when the school or partnership changes, it follows them"
    )
    topic_ids: list[Id] | None = Field(None, max_length=50, description="The whole list; an archived one stays")
    restricted: bool | None = None


class CommentIn(Schema):
    body: str = Field(max_length=TEXT_CAP, description="Up to 20,000 characters; mention people with @")


class AnswerIn(Schema):
    comment_id: int | None = Field(
        ge=1, le=MAX_ID, description="A comment on the question; null takes the accepted answer back"
    )


class AcknowledgeIn(Schema):
    owner_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Someone on the staff to hand the flag to; left out, the caller"
    )


class StatusIn(Schema):
    status: str = Field(pattern=choices(MOVED_TO))
    resolution: str = Field("", max_length=TEXT_CAP, description="What was done: needed to resolve it")


class EscalateIn(Schema):
    to: str = Field(pattern=choices(Escalation.To.values))
    cycle_id: int | None = Field(None, ge=1, le=MAX_ID, description="An active cycle the caller works on")
    team_id: int | None = Field(None, ge=1, le=MAX_ID, description="For a working group or a planning team")
    note: str = Field("", max_length=5_000)


class NotificationFilters(Paging):
    unread: bool | None = Field(None, description="Left out, all of them, unread first")


class ReadIn(Schema):
    ids: list[Id] | None = Field(None, max_length=500, description="The caller's notifications; left out, all")


class TopicFilters(Paging):
    archived: bool = Field(False, description="true for the archived topics instead of those in use")
