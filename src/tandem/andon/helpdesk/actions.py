"""Every change to a ticket goes through these functions: each checks the actor's right to make it,
runs in one transaction and writes an audit entry. Replies are queued for the background worker,
which sends them; the reply is on the ticket at once either way.

Who may do what (visibility.py decides who sees what):
- the help desk (the HELP_DESK capability) answers, notes, assigns, categorises, merges;
- a requester sees their own tickets and writes on them (a web reply counts as an inbound message).
"""

import datetime
import email.utils
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access import audit
from tandem.andon.helpdesk import targets
from tandem.andon.helpdesk.models import REOPENED_BY_REQUESTER, Category, Message, Ticket
from tandem.andon.helpdesk.tasks import send_reply
from tandem.andon.helpdesk.visibility import answers, is_requester
from tandem.orgs.models import Person


class _Unchanged:
    """A field `do_update` leaves as it is."""


UNCHANGED = _Unchanged()


def _refuse(message: str) -> None:
    raise ValidationError(message)


def _desk(actor: Person) -> None:
    if not answers(actor):
        _refuse("Only the help desk does this.")


def new_message_id() -> str:
    host = urlsplit(settings.TANDEM_BASE_URL).hostname or "tandem"
    return email.utils.make_msgid(idstring="helpdesk", domain=host)


@transaction.atomic
def do_open_ticket(
    actor: Person,
    subject: str,
    text: str,
    *,
    requester: Person | None = None,
    category: Category | None = None,
    channel: str = Ticket.Channel.WEB,
    now: datetime.datetime | None = None,
) -> Ticket:
    """A ticket from the web form or the API: for the actor, or (the help desk) for someone else
    and with a category."""
    if not subject.strip() or not text.strip():
        raise ValidationError({"subject" if not subject.strip() else "text": "This field cannot be empty."})
    if (requester is not None and requester != actor) or category is not None:
        _desk(actor)
    who = requester or actor
    ticket = Ticket(
        # One line: the subject goes into every reply's Subject header.
        subject=" ".join(subject.split())[:300],
        requester=who,
        requester_email=who.email,
        requester_name=who.full_name,
        opened_by=actor if who != actor else None,
        channel=channel,
        category=category,
        created_at=now or timezone.now(),
    )
    targets.set_due(ticket)
    ticket.save()
    Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INBOUND,
        author=actor,
        from_email=who.email,
        from_name=who.full_name,
        subject=ticket.subject,
        text=text.strip(),
        created_at=ticket.created_at,
    )
    audit.record_creation(actor, "helpdesk.ticket.open", ticket)
    return ticket


def _thread(ticket: Ticket) -> list[str]:
    return [m for m in ticket.messages.exclude(message_id="").values_list("message_id", flat=True)]


@transaction.atomic
def do_reply(actor: Person, ticket: Ticket, text: str, status: str = Ticket.Status.PENDING) -> Message:
    """The help desk answers by email: the reply is threaded onto the ticket's messages and carries
    the ticket's tag in its subject, so the requester's answer finds its way back."""
    _desk(actor)
    if not text.strip():
        raise ValidationError({"text": "Write the reply."})
    if ticket.status == Ticket.Status.MERGED:
        _refuse(f"This ticket was merged into {ticket.merged_into.reference}; reply there.")  # type: ignore[union-attr]
    now = timezone.now()
    refs = _thread(ticket)
    reply = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.REPLY,
        author=actor,
        from_email=settings.HELPDESK_ADDRESS,
        from_name=actor.full_name,
        subject=f"{ticket.tag} Re: {ticket.subject}"[:300],
        text=text.strip(),
        message_id=new_message_id(),
        in_reply_to=refs[-1] if refs else "",
        references=" ".join(refs[-20:]),
        created_at=now,
    )
    before = audit.stored(ticket)
    if ticket.first_response_at is None:
        ticket.first_response_at = now
    _set_status(ticket, status, now)
    ticket.save()
    audit.record_creation(actor, "helpdesk.reply", reply)
    audit.record_update(actor, "helpdesk.ticket", ticket, before)
    transaction.on_commit(lambda: send_reply.enqueue(reply.pk))
    return reply


def _set_status(ticket: Ticket, status: str, now: datetime.datetime) -> None:
    if status not in (Ticket.Status.OPEN, Ticket.Status.PENDING, Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        raise ValidationError({"status": f"“{status}” is not a status a ticket can be given."})
    ticket.status = status
    if status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED):
        ticket.resolved_at = ticket.resolved_at or now
    else:
        ticket.resolved_at = None


@transaction.atomic
def do_note(actor: Person, ticket: Ticket, text: str) -> Message:
    """An internal note: the help desk's alone, never sent."""
    _desk(actor)
    if not text.strip():
        raise ValidationError({"text": "Write the note."})
    note = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.NOTE,
        author=actor,
        from_email=actor.email,
        from_name=actor.full_name,
        text=text.strip(),
        created_at=timezone.now(),
    )
    audit.record_creation(actor, "helpdesk.note", note)
    return note


@transaction.atomic
def do_requester_message(actor: Person, ticket: Ticket, text: str) -> Message:
    """The requester writes on their ticket from the web; it opens again if it was waiting on them,
    resolved or closed (as when they answer by email)."""
    if not is_requester(actor, ticket):
        _refuse("Only the ticket's requester writes on it here.")
    if not text.strip():
        raise ValidationError({"text": "Write your message."})
    if ticket.status == Ticket.Status.MERGED:
        _refuse(f"This ticket was merged into {ticket.merged_into.reference}; write there.")  # type: ignore[union-attr]
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INBOUND,
        author=actor,
        from_email=actor.email,
        from_name=actor.full_name,
        text=text.strip(),
        created_at=timezone.now(),
    )
    if ticket.status in REOPENED_BY_REQUESTER:
        ticket.status, ticket.resolved_at = Ticket.Status.OPEN, None
        ticket.save(update_fields=["status", "resolved_at", "updated_at"])
    audit.record_creation(actor, "helpdesk.message", message)
    return message


@transaction.atomic
def do_update(
    actor: Person,
    ticket: Ticket,
    *,
    status: str | None = None,
    priority: str | None = None,
    category: "Category | _Unchanged | None" = UNCHANGED,
    assignee: "Person | _Unchanged | None" = UNCHANGED,
) -> Ticket:
    """Change a ticket's status, priority, category (which resets its targets) or assignee.
    UNCHANGED leaves a field as it is; None empties it."""
    _desk(actor)
    if ticket.status == Ticket.Status.MERGED:
        _refuse(f"This ticket was merged into {ticket.merged_into.reference}.")  # type: ignore[union-attr]
    before = audit.stored(ticket)
    if status is not None and status != ticket.status:
        _set_status(ticket, status, timezone.now())
    if priority is not None:
        if priority not in Ticket.Priority.values:
            raise ValidationError(
                {"priority": f"“{priority}” is not a priority; use {', '.join(Ticket.Priority.values)}."}
            )
        ticket.priority = priority
    if not isinstance(category, _Unchanged):
        ticket.category = category
        targets.set_due(ticket)
    if not isinstance(assignee, _Unchanged):
        if assignee is not None and not answers(assignee):
            raise ValidationError({"assignee": f"{assignee} is not on the help desk."})
        ticket.assignee = assignee
    ticket.save()
    audit.record_update(actor, "helpdesk.ticket", ticket, before)
    return ticket


@transaction.atomic
def do_merge(actor: Person, duplicate: Ticket, into: Ticket) -> Ticket:
    """A duplicate's messages move onto the ticket it duplicates; the duplicate stays, marked
    merged, and mail answering it finds the surviving ticket."""
    _desk(actor)
    if duplicate.pk == into.pk:
        _refuse("A ticket cannot be merged into itself.")
    if Ticket.Status.MERGED in (duplicate.status, into.status):
        _refuse("Merge into, and from, tickets that are not merged already.")
    same_person = duplicate.requester_email.lower() == into.requester_email.lower() and (
        None in (duplicate.requester_id, into.requester_id) or duplicate.requester_id == into.requester_id
    )
    if not same_person:
        # Each requester reads the whole conversation of their ticket: merging two people's
        # tickets would show one of them the other's messages.
        _refuse(
            f"{duplicate.reference} was asked by {duplicate.requester_email} and {into.reference} by "
            f"{into.requester_email}: only one person's tickets are merged."
        )
    moved = duplicate.messages.update(ticket=into)
    before = audit.stored(duplicate)
    before_into = audit.stored(into)
    duplicate.status, duplicate.merged_into = Ticket.Status.MERGED, into
    duplicate.save()
    Ticket.objects.filter(merged_into=duplicate).update(merged_into=into)
    answered = [t.first_response_at for t in (duplicate, into) if t.first_response_at]
    into.first_response_at = min(answered) if answered else None
    if duplicate.created_at < into.created_at:
        # The earlier request sets when the help desk first heard of it.
        into.created_at = duplicate.created_at
        targets.set_due(into)
    if into.status in (Ticket.Status.RESOLVED, Ticket.Status.CLOSED) and moved:
        into.status, into.resolved_at = Ticket.Status.OPEN, None
    into.save()
    audit.record_update(actor, "helpdesk.merge", duplicate, before)
    audit.record_update(actor, "helpdesk.merge.into", into, before_into)
    return into
