"""Every way mail reaches the help desk (the SMTP listener, `tandem helpdesk ingest`, the IMAP
poller) ends in `ingest`: keep the bytes, recognise a second delivery, read the message, and file
it on the ticket it answers or on a new one.

The bytes are committed before anything reads them, in their own transaction: a message that
cannot be read, or whose filing fails, stays as a RawMail marked failed for a person to look at,
and the intake carries on with the next one.
"""

import email.parser
import email.policy
import hashlib
import logging
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tandem.access import audit
from tandem.access.scope import scope_for
from tandem.andon.helpdesk import mail, targets
from tandem.andon.helpdesk.models import REOPENED_BY_REQUESTER, Attachment, Message, RawMail, Ticket
from tandem.andon.helpdesk.visibility import answers
from tandem.orgs.models import Person

logger = logging.getLogger(__name__)


def dedup_key(raw: bytes) -> str:
    """The Message-ID (what a second delivery repeats), else a digest of the bytes."""
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(raw)
        found = mail._ids(str(headers.get("Message-ID", "")))
    except Exception:
        found = []
    if found:
        return "id:" + found[0][:990]
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def _readable_header(raw: bytes, name: str) -> str:
    try:
        headers = email.parser.BytesHeaderParser(policy=email.policy.default).parsebytes(raw)
        return " ".join(str(headers.get(name, "")).split())
    except Exception:
        return ""


def _keep(raw: bytes, source: str) -> tuple[RawMail, bool]:
    """The RawMail for these bytes, and whether it is new (False: delivered before)."""
    key = dedup_key(raw)
    try:
        with transaction.atomic():
            existing = RawMail.objects.select_for_update().filter(dedup_key=key).first()
            if existing is not None:
                existing.deliveries += 1
                existing.save(update_fields=["deliveries"])
                return existing, False
            kept = RawMail(received_at=timezone.now(), source=source, dedup_key=key, size=len(raw), status="failed")
            kept.error = "Not read yet."
            kept.file.save(f"{uuid.uuid4().hex}.eml", ContentFile(raw), save=False)
            kept.save()
            return kept, True
    except IntegrityError:
        # The same message arriving at the same moment by another path: that one files it.
        existing = RawMail.objects.get(dedup_key=key)
        RawMail.objects.filter(pk=existing.pk).update(deliveries=existing.deliveries + 1)
        return existing, False


def ingest(raw: bytes, source: str) -> RawMail:
    kept, new = _keep(raw, source)
    if not new:
        return kept
    try:
        parsed = mail.parse(raw)
    except mail.Unreadable as e:
        kept.error = str(e)
        # What can be read of it, so that a person can tell what it was.
        kept.subject = _readable_header(raw, "Subject")[:300]
        kept.sender = (_readable_header(raw, "Sender") or _readable_header(raw, "Return-Path"))[:300]
        kept.save(update_fields=["error", "subject", "sender"])
        return kept
    kept.sender = f"{parsed.from_name} <{parsed.from_email}>".strip()[:300]
    kept.subject = parsed.subject[:300]
    try:
        with transaction.atomic():
            message = file_message(parsed, kept)
    except Exception as e:  # filing must never stop the intake: the message waits for a person
        logger.exception("Filing message %s failed", kept.pk)
        kept.error = f"Filing failed: {type(e).__name__}: {e}"[:2000]
        kept.save(update_fields=["error", "sender", "subject"])
        return kept
    kept.message = message
    kept.status = RawMail.Status.TICKETED if message else RawMail.Status.IGNORED
    if message:
        kept.error = ""
    elif parsed.from_email == settings.HELPDESK_ADDRESS.lower():
        kept.error = "The help desk's own mail, come back to it."
    else:
        kept.error = "An automatic message (auto-reply, bounce or list mail) that answers no ticket."
    kept.save(update_fields=["message", "status", "error", "sender", "subject"])
    return kept


@dataclass
class Requester:
    email: str
    name: str
    person: Person | None
    opened_by: Person | None


def _person(address: str) -> Person | None:
    return Person.objects.filter(email__iexact=address, is_active=True).first()


def requester_of(parsed: mail.Parsed) -> Requester:
    """The sender, or, when a member of staff forwards someone's email, the original sender (the
    staff member is recorded as having opened the ticket for them)."""
    sender = _person(parsed.from_email)
    if parsed.forwarded_from and sender is not None and scope_for(sender).is_staff_member():
        name, address = parsed.forwarded_from
        return Requester(address, name, _person(address), sender)
    return Requester(parsed.from_email, parsed.from_name, sender, None)


def find_ticket(parsed: mail.Parsed) -> Ticket | None:
    """The ticket a message answers: by the tag in its subject (number and key), else by the
    messages it replies to; a merged ticket leads to the one it was merged into."""
    ticket = None
    tag = mail.ticket_tag(parsed.subject)
    if tag is not None:
        ticket = Ticket.objects.filter(pk=tag[0], key=tag[1]).first()
    if ticket is None:
        ids = [i for i in [parsed.in_reply_to, *reversed(parsed.references)] if i]
        if ids:
            found = Message.objects.filter(message_id__in=ids).select_related("ticket").order_by("-pk").first()
            ticket = found.ticket if found else None
    seen = set()
    while ticket is not None and ticket.merged_into_id and ticket.pk not in seen:
        seen.add(ticket.pk)
        ticket = ticket.merged_into
    return ticket


def _may_write_on(ticket: Ticket, address: str) -> bool:
    """The requester, and the help desk answering from its own mailboxes."""
    if address == ticket.requester_email.lower():
        return True
    person = _person(address)
    return person is not None and answers(person)


def file_message(parsed: mail.Parsed, kept: RawMail) -> Message | None:
    if parsed.from_email == settings.HELPDESK_ADDRESS.lower():
        return None  # our own mail coming back round
    ticket = find_ticket(parsed)
    now = kept.received_at
    notes = list(parsed.notes)
    if ticket is not None and not _may_write_on(ticket, parsed.from_email):
        # Anyone who saw one message of the thread (copied in, forwarded a reply) could otherwise
        # write into the requester's conversation: a stranger's answer becomes a ticket of its own.
        notes.append(f"Sent in answer to {ticket.reference} by someone other than its requester.")
        ticket = None
    if ticket is None:
        if parsed.automatic:
            return None
        who = requester_of(parsed)
        ticket = Ticket(
            subject=mail.clean_subject(parsed.subject)[:300],
            requester=who.person,
            requester_email=who.email,
            requester_name=who.name or (who.person.full_name if who.person else ""),
            unknown_sender=who.person is None,
            opened_by=who.opened_by,
            created_at=now,
        )
        targets.set_due(ticket)
        ticket.save()
        audit.record_creation(None, "helpdesk.ticket.email", ticket)
    elif (
        ticket.status in REOPENED_BY_REQUESTER
        and not parsed.automatic
        and parsed.from_email == ticket.requester_email.lower()
    ):
        # The requester answers, or a resolved issue comes back: the ticket is open again.
        ticket.status = Ticket.Status.OPEN
        ticket.resolved_at = None
        ticket.save(update_fields=["status", "resolved_at", "updated_at"])
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.INBOUND,
        author=_person(parsed.from_email),
        from_email=parsed.from_email,
        from_name=parsed.from_name[:200],
        subject=parsed.subject[:300],
        text=parsed.text,
        html=parsed.html,
        notes="\n".join(notes),
        message_id=parsed.message_id,
        in_reply_to=parsed.in_reply_to,
        references=" ".join(parsed.references),
        created_at=now,
    )
    for part in parsed.attachments:
        attachment = Attachment(message=message, filename=part.filename, content_type=part.content_type[:200])
        attachment.size = len(part.data)
        attachment.file.save(f"{uuid.uuid4().hex}.bin", ContentFile(part.data), save=False)
        attachment.save()
    return message
