"""The shapes of the help desk API (see api.py).

What the help desk alone sees of a ticket (its priority, category, assignee and targets) and of a
message (what the intake could not keep or read) is null for anyone else, as the ticket's page
leaves it out. Attachments are answered by name, type and size only: their files are served by
the ticket's web page, which checks access.
"""

import datetime

from ninja import Schema
from pydantic import Field

from tandem.andon.helpdesk.models import Message, Ticket
from tandem.api.common import NO_NUL
from tandem.orgs.api import MAX_ID, Paging

# The statuses the help desk gives a ticket (new and merged only happen to one).
GIVEN_STATUSES = [Ticket.Status.OPEN, Ticket.Status.PENDING, Ticket.Status.RESOLVED, Ticket.Status.CLOSED]


def choices(values: list[str]) -> str:
    return "^(" + "|".join(values) + ")$"


# -- out ----------------------------------------------------------------------------------------


class CategoryOut(Schema):
    id: int
    name: str
    first_response_hours: int = Field(description="Target for the first reply")
    resolution_hours: int = Field(description="Target for resolving it")
    archived: bool


class TicketOut(Schema):
    id: int
    reference: str = Field(description="TD- and the ticket's number")
    subject: str
    status: str = Field(description=f"One of {', '.join(Ticket.Status.values)}")
    channel: str = Field(description=f"How it came: {', '.join(Ticket.Channel.values)}")
    requester_id: int | None = Field(description="Null when the sender matched no person in Tandem")
    requester_email: str
    requester_name: str
    opened_by_id: int | None = Field(description="Someone who opened it for the requester")
    created_at: datetime.datetime
    updated_at: datetime.datetime
    merged_into_id: int | None = Field(description="The ticket the conversation continues on")
    # The help desk's alone.
    unknown_sender: bool | None = Field(description="The sender matched no person (help desk only)")
    priority: str | None = Field(description="Help desk only")
    category_id: int | None = Field(description="Help desk only")
    category: str | None = Field(description="Help desk only")
    assignee_id: int | None = Field(description="Help desk only")
    assignee: str | None = Field(description="Help desk only")
    first_response_at: datetime.datetime | None = Field(description="Help desk only")
    first_response_due: datetime.datetime | None = Field(description="Help desk only")
    resolved_at: datetime.datetime | None = Field(description="Help desk only")
    resolution_due: datetime.datetime | None = Field(description="Help desk only")


class AttachmentOut(Schema):
    id: int
    filename: str
    content_type: str
    size: int = Field(description="Bytes")
    url: str = Field(description="Download it on the ticket's web page")


class MessageOut(Schema):
    id: int
    ticket_id: int
    kind: str = Field(description=f"One of {', '.join(Message.Kind.values)}; notes are the help desk's alone")
    author_id: int | None
    from_email: str
    from_name: str
    subject: str
    text: str
    created_at: datetime.datetime
    sent_at: datetime.datetime | None = Field(description="When a reply went out; null while it waits")
    send_error: str = Field(description="Why a reply could not be sent")
    notes: str | None = Field(description="What the intake could not keep or read (help desk only)")
    attachments: list[AttachmentOut]


class TicketDetailOut(TicketOut):
    messages: list[MessageOut] = Field(description="Oldest first; internal notes for the help desk only")
    merged_ids: list[int] = Field(description="Tickets merged into this one")


class MetricsRowOut(Schema):
    category: str
    count: int = Field(description="Tickets (merged duplicates counted on the ticket they joined)")
    answered: int
    first_hours: float | None = Field(description="Median hours to the first reply")
    first_met: float | None = Field(description="Percent of first replies on target")
    resolved: int
    resolve_hours: float | None = Field(description="Median hours to resolution")
    resolve_met: float | None = Field(description="Percent resolved on target")


class MetricsOut(Schema):
    days: int
    since: datetime.datetime = Field(description="Tickets opened at or after this instant")
    rows: list[MetricsRowOut]
    note: str


# -- in -----------------------------------------------------------------------------------------


class TicketFilters(Paging):
    status: str | None = Field(
        None,
        pattern=choices(["open", *[s for s in Ticket.Status.values if s != Ticket.Status.OPEN]]),
        description="open: new, open and waiting on the requester; or one status. Left out, every ticket",
    )
    category: int | None = Field(None, ge=1, le=MAX_ID, description="A category's id (help desk only)")
    assignee: str | None = Field(
        None,
        pattern=r"^(me|none|[1-9][0-9]{0,18})$",
        description="me, none, or a person's id (help desk only)",
    )
    q: str | None = Field(
        None, pattern=NO_NUL, max_length=200, description="Words of the subject, the messages or the address; or TD-42"
    )


class CategoryFilters(Paging):
    archived: bool | None = Field(None, description="Leave out for both")


class MetricsFilters(Schema):
    days: int = Field(90, ge=1, le=3660, description="Tickets opened in the last so many days")


class TicketIn(Schema):
    subject: str = Field(min_length=1, max_length=300)
    text: str = Field(min_length=1, max_length=50_000)
    requester_id: int | None = Field(
        None, ge=1, le=MAX_ID, description="Open it for someone else (help desk only); left out, for the caller"
    )
    category_id: int | None = Field(None, ge=1, le=MAX_ID, description="Help desk only")


class ReplyIn(Schema):
    text: str = Field(min_length=1, max_length=50_000)
    status: str = Field(
        Ticket.Status.PENDING, pattern=choices(GIVEN_STATUSES), description="What the ticket is after the reply"
    )


class TextIn(Schema):
    text: str = Field(min_length=1, max_length=50_000)


class TicketPatch(Schema):
    """Only the fields given change; null empties a category or an assignee."""

    status: str | None = Field(None, pattern=choices(GIVEN_STATUSES))
    priority: str | None = Field(None, pattern=choices(Ticket.Priority.values))
    category_id: int | None = Field(None, ge=1, le=MAX_ID)
    assignee_id: int | None = Field(None, ge=1, le=MAX_ID, description="Someone on the help desk")


class MergeIn(Schema):
    into_id: int = Field(ge=1, le=MAX_ID, description="The ticket this one duplicates; it keeps the conversation")
