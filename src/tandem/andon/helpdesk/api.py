"""The help desk as JSON: the queue (and, for everyone else, their own requests), a ticket with its
conversation, opening one, answering, internal notes, the requester's messages, triage, merging,
the categories and the figures by category.

Tickets are found through `visible_tickets`: the help desk sees every ticket, anyone else the
tickets they asked for, so a ticket the caller may not see answers 404 exactly like one that does
not exist. Answering, notes, triage, merging and the figures are the help desk's alone and answer
404 to anyone else, as the learning API does for its planners; writing on a ticket as its requester
is the requester's alone. Every change goes through `actions`, which check every right again.
"""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Status
from ninja.errors import ValidationError as QueryError

from tandem.andon.helpdesk import actions, metrics
from tandem.andon.helpdesk.api_schemas import (
    CategoryFilters,
    CategoryOut,
    MergeIn,
    MessageOut,
    MetricsFilters,
    MetricsOut,
    ReplyIn,
    TextIn,
    TicketDetailOut,
    TicketFilters,
    TicketIn,
    TicketOut,
    TicketPatch,
)
from tandem.andon.helpdesk.models import Category, Message, Ticket
from tandem.andon.helpdesk.visibility import answers, is_requester, visible_messages, visible_tickets
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import named_errors as _named
from tandem.api.common import one_in_reach as _one
from tandem.orgs.api import MAX_ID
from tandem.orgs.models import Person

router = Router(tags=["helpdesk"])

OPEN = (Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING)


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _not_found() -> Http404:
    return Http404("Not found.")


def _desk(request: HttpRequest) -> Person:
    """The help desk's operations answer as if they did not exist to anyone else."""
    person = _person(request)
    if not answers(person):
        raise _not_found()
    return person


def _tickets(person: Person) -> QuerySet[Ticket]:
    return visible_tickets(person).select_related("category", "assignee")


def _ticket(request: HttpRequest, ticket_id: int) -> Ticket:
    return request.scope.get(_tickets(_person(request)), ticket_id)  # type: ignore[attr-defined]


def _query_error(field: str, message: str) -> QueryError:
    return QueryError([{"loc": ["query", field], "msg": message, "type": "value_error"}])


def _category(pk: int | None, keep: int | None = None) -> Category | None:
    """A category in use (or the one the ticket already has)."""
    found = _one(Category.objects.all(), pk, "category_id", "category")
    if found is not None and found.archived and found.pk != keep:
        raise ValidationError({"category_id": f"“{found.name}” is archived; choose a category in use."})
    return found


# -- out ------------------------------------------------------------------------------------------


def _ticket_out(ticket: Ticket, desk: bool) -> dict[str, Any]:
    # Field by field on purpose: a new column on Ticket is not answered until someone adds it here.
    out: dict[str, Any] = {
        "id": ticket.pk,
        "reference": ticket.reference,
        "subject": ticket.subject,
        "status": ticket.status,
        "channel": ticket.channel,
        "requester_id": ticket.requester_id,
        "requester_email": ticket.requester_email,
        "requester_name": ticket.requester_name,
        "opened_by_id": ticket.opened_by_id,
        "created_at": ticket.created_at,
        "updated_at": ticket.updated_at,
        "merged_into_id": ticket.merged_into_id,
        "unknown_sender": None,
        "priority": None,
        "category_id": None,
        "category": None,
        "assignee_id": None,
        "assignee": None,
        "first_response_at": None,
        "first_response_due": None,
        "resolved_at": None,
        "resolution_due": None,
    }
    if desk:
        out |= {
            "unknown_sender": ticket.unknown_sender,
            "priority": ticket.priority,
            "category_id": ticket.category_id,
            "category": ticket.category.name if ticket.category else None,
            "assignee_id": ticket.assignee_id,
            "assignee": ticket.assignee.full_name if ticket.assignee else None,
            "first_response_at": ticket.first_response_at,
            "first_response_due": ticket.first_response_due,
            "resolved_at": ticket.resolved_at,
            "resolution_due": ticket.resolution_due,
        }
    return out


def _message_out(message: Message, desk: bool) -> dict[str, Any]:
    return {
        "id": message.pk,
        "ticket_id": message.ticket_id,
        "kind": message.kind,
        "author_id": message.author_id,
        "from_email": message.from_email,
        "from_name": message.from_name,
        "subject": message.subject,
        "text": message.text,
        "created_at": message.created_at,
        "sent_at": message.sent_at,
        "send_error": message.send_error,
        "notes": message.notes if desk else None,
        "attachments": [
            {
                "id": a.pk,
                "filename": a.filename,
                "content_type": a.content_type,
                "size": a.size,
                # Never the file itself: the ticket's web page serves it, as a download, to its readers.
                "url": reverse("helpdesk:attachment", args=[message.ticket_id, a.pk]),
            }
            for a in message.attachments.all()
        ],
    }


def _detail(person: Person, ticket_id: int) -> dict[str, Any]:
    """The ticket as it is now. Read by id: the caller was already allowed to reach it."""
    ticket = Ticket.objects.select_related("category", "assignee").get(pk=ticket_id)
    desk = answers(person)
    conversation = visible_messages(person, ticket).prefetch_related("attachments")
    merged = visible_tickets(person).filter(merged_into=ticket).order_by("pk").values_list("pk", flat=True)
    return {
        **_ticket_out(ticket, desk),
        "messages": [_message_out(m, desk) for m in conversation],
        "merged_ids": list(merged),
    }


# -- tickets --------------------------------------------------------------------------------------


@router.get("/helpdesk/tickets", response={200: Page[TicketOut], **READ_ERRORS})
def list_tickets(request: HttpRequest, filters: Query[TicketFilters]) -> Any:
    """The tickets the caller sees, newest first: every ticket for the help desk, the caller's own
    requests for anyone else. Filtering by category or assignee is the help desk's."""
    person = _person(request)
    desk = answers(person)
    qs = _tickets(person)
    if filters.status == "open":
        qs = qs.filter(status__in=OPEN)
    elif filters.status:
        qs = qs.filter(status=filters.status)
    if filters.category is not None:
        if not desk:
            raise _query_error("category", "Only the help desk filters by category.")
        qs = qs.filter(category_id=filters.category)
    if filters.assignee is not None:
        if not desk:
            raise _query_error("assignee", "Only the help desk filters by assignee.")
        if filters.assignee == "me":
            qs = qs.filter(assignee=person)
        elif filters.assignee == "none":
            qs = qs.filter(assignee=None)
        elif int(filters.assignee) > MAX_ID:
            raise _query_error("assignee", "No person has this id.")
        else:
            qs = qs.filter(assignee_id=int(filters.assignee))
    if filters.q and filters.q.strip():
        q = filters.q.strip()
        # Only the messages the caller may read: a requester's search never finds words of a note.
        said = Message.objects.filter(text__icontains=q)
        if not desk:
            said = said.exclude(kind=Message.Kind.NOTE)
        match = Q(subject__icontains=q) | Q(requester_email__icontains=q) | Q(pk__in=said.values("ticket_id"))
        number = q.upper().removeprefix("TD-")
        if number.isdecimal() and len(number) < 12:
            match |= Q(pk=int(number))
        qs = qs.filter(match)
    qs = qs.order_by("-created_at", "-pk")
    return page_of(qs, filters.limit, filters.offset, lambda t: _ticket_out(t, desk))


@router.get("/helpdesk/tickets/{ticket_id}", response={200: TicketDetailOut, **READ_ERRORS})
def get_ticket(request: HttpRequest, ticket_id: int) -> Any:
    """A ticket with its conversation, oldest first: internal notes only for the help desk, and
    attachments by name and size (download them on the ticket's web page)."""
    return _detail(_person(request), _ticket(request, ticket_id).pk)


@router.post("/helpdesk/tickets", response={201: TicketDetailOut, **WRITE_ERRORS})
def open_ticket(request: HttpRequest, data: TicketIn) -> Any:
    """Ask the help desk for something. The help desk may open a ticket for someone else and
    choose its category; the help desk's replies reach the requester by email."""
    person = _person(request)
    if not answers(person):
        refused = {}
        if data.requester_id not in (None, person.pk):
            refused["requester_id"] = "Only the help desk opens a ticket for someone else."
        if data.category_id is not None:
            refused["category_id"] = "Only the help desk chooses a category."
        if refused:
            raise ValidationError(refused)
    requester = _one(Person.objects.filter(is_active=True), data.requester_id, "requester_id", "person")
    category = _category(data.category_id)
    ticket = actions.do_open_ticket(
        person,
        data.subject,
        data.text,
        requester=requester,
        category=category,
        channel=Ticket.Channel.API,
    )
    return Status(201, _detail(person, ticket.pk))


@router.post("/helpdesk/tickets/{ticket_id}/replies", response={201: MessageOut, **WRITE_ERRORS})
def reply(request: HttpRequest, ticket_id: int, data: ReplyIn) -> Any:
    """Answer the requester by email (the help desk). The reply is on the ticket at once and goes
    out from the background worker, threaded onto the conversation; the first one sets the
    ticket's first response."""
    person = _desk(request)
    ticket = _ticket(request, ticket_id)
    return Status(201, _message_out(actions.do_reply(person, ticket, data.text, data.status), desk=True))


@router.post("/helpdesk/tickets/{ticket_id}/notes", response={201: MessageOut, **WRITE_ERRORS})
def add_note(request: HttpRequest, ticket_id: int, data: TextIn) -> Any:
    """An internal note, never sent and never shown to the requester (the help desk)."""
    person = _desk(request)
    ticket = _ticket(request, ticket_id)
    return Status(201, _message_out(actions.do_note(person, ticket, data.text), desk=True))


@router.post("/helpdesk/tickets/{ticket_id}/messages", response={201: MessageOut, **WRITE_ERRORS})
def write(request: HttpRequest, ticket_id: int, data: TextIn) -> Any:
    """Write to the help desk on your own ticket (its requester); a ticket waiting on you or
    resolved opens again."""
    person = _person(request)
    ticket = _ticket(request, ticket_id)
    if not is_requester(person, ticket):
        raise _not_found()
    message = actions.do_requester_message(person, ticket, data.text)
    return Status(201, _message_out(message, desk=answers(person)))


@router.patch("/helpdesk/tickets/{ticket_id}", response={200: TicketDetailOut, **WRITE_ERRORS})
def update_ticket(request: HttpRequest, ticket_id: int, data: TicketPatch) -> Any:
    """Change a ticket's status, priority, category (which resets its targets) or assignee (the
    help desk). Only the fields given change; null empties a category or an assignee."""
    person = _desk(request)
    ticket = _ticket(request, ticket_id)
    given = data.dict(exclude_unset=True)
    for name in ("status", "priority"):
        if name in given and given[name] is None:
            raise ValidationError({name: "This field cannot be empty."})
    category: Any = actions.UNCHANGED
    if "category_id" in given:
        category = _category(given["category_id"], keep=ticket.category_id)
    assignee: Any = actions.UNCHANGED
    if "assignee_id" in given:
        assignee = _one(Person.objects.all(), given["assignee_id"], "assignee_id", "person")
    with _named(category="category_id", assignee="assignee_id"):
        actions.do_update(
            person,
            ticket,
            status=given.get("status"),
            priority=given.get("priority"),
            category=category,
            assignee=assignee,
        )
    return _detail(person, ticket.pk)


@router.post("/helpdesk/tickets/{ticket_id}/merge", response={200: TicketDetailOut, **WRITE_ERRORS})
def merge(request: HttpRequest, ticket_id: int, data: MergeIn) -> Any:
    """Merge a duplicate into the ticket it duplicates (the help desk): its messages move there,
    it stays marked merged, and mail answering it finds the surviving ticket, which is answered."""
    person = _desk(request)
    duplicate = _ticket(request, ticket_id)
    into = _one(visible_tickets(person), data.into_id, "into_id", "ticket")
    assert into is not None
    actions.do_merge(person, duplicate, into)
    return _detail(person, into.pk)


# -- categories and figures -----------------------------------------------------------------------


def _category_out(category: Category) -> dict[str, Any]:
    return {
        "id": category.pk,
        "name": category.name,
        "first_response_hours": category.first_response_hours,
        "resolution_hours": category.resolution_hours,
        "archived": category.archived,
    }


@router.get("/helpdesk/categories", response={200: Page[CategoryOut], **READ_ERRORS})
def list_categories(request: HttpRequest, filters: Query[CategoryFilters]) -> Any:
    """What tickets are sorted by, with their first-response and resolution targets."""
    qs = Category.objects.all()
    if filters.archived is not None:
        qs = qs.filter(archived=filters.archived)
    return page_of(qs, filters.limit, filters.offset, _category_out)


@router.get("/helpdesk/metrics", response={200: MetricsOut, **READ_ERRORS})
def get_metrics(request: HttpRequest, filters: Query[MetricsFilters]) -> Any:
    """Tickets opened in the last `days`, by category: how many, how many answered and resolved,
    the median hours to each and the share on target (the help desk). Merged duplicates count once,
    on the ticket they joined."""
    _desk(request)
    since = timezone.now() - datetime.timedelta(days=filters.days)
    table = metrics.by_category(Ticket.objects.filter(created_at__gte=since))
    return {"days": filters.days, "since": since, "rows": table.records(), "note": table.note}
