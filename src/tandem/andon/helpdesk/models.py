"""The help desk: one address where anyone sends any concern or request. Every message received is
kept as it came (RawMail) before it is read; a readable one becomes a ticket, or joins the ticket
it answers."""

import secrets

from django.db import models
from django.urls import reverse

from tandem.orgs.models import Person


def ticket_key() -> str:
    alphabet = "abcdefghijkmnpqrstuvwxyz23456789"
    return "".join(secrets.choice(alphabet) for _ in range(6))


class Category(models.Model):
    name = models.CharField(max_length=100, unique=True)
    first_response_hours = models.PositiveSmallIntegerField(default=8, help_text="Target for the first reply.")
    resolution_hours = models.PositiveSmallIntegerField(default=72, help_text="Target for resolving it.")
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "categories"

    def __str__(self) -> str:
        return self.name


class Ticket(models.Model):
    class Status(models.TextChoices):
        NEW = "new", "New"
        OPEN = "open", "Open"
        PENDING = "pending", "Waiting on the requester"
        RESOLVED = "resolved", "Resolved"
        CLOSED = "closed", "Closed"
        MERGED = "merged", "Merged"

    class Priority(models.TextChoices):
        LOW = "low", "Low"
        NORMAL = "normal", "Normal"
        HIGH = "high", "High"
        URGENT = "urgent", "Urgent"

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        WEB = "web", "Web form"
        API = "api", "API"

    # Shown in the subject of every reply, with the ticket's number: a reply by email finds its
    # ticket by both, so a number alone cannot be used to write into someone else's ticket.
    key = models.CharField(max_length=6, default=ticket_key, editable=False)
    subject = models.CharField(max_length=300)
    requester = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    requester_email = models.EmailField()
    requester_name = models.CharField(max_length=200, blank=True)
    # The sender matched no person in Tandem: accepted, and marked for the help desk.
    unknown_sender = models.BooleanField(default=False)
    # Someone who opened it for the requester (a colleague forwarding their email, say).
    opened_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="tickets")
    assignee = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="assigned_tickets"
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default=Priority.NORMAL)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)
    first_response_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    first_response_due = models.DateTimeField(null=True, blank=True)
    resolution_due = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "assignee"]), models.Index(fields=["requester_email"])]

    def __str__(self) -> str:
        return f"{self.reference}: {self.subject}"

    def get_absolute_url(self) -> str:
        return reverse("helpdesk:ticket", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"TD-{self.pk}"

    @property
    def tag(self) -> str:
        return f"[TD-{self.pk}-{self.key}]"

    @property
    def open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.OPEN, self.Status.PENDING)


class Message(models.Model):
    class Kind(models.TextChoices):
        INBOUND = "inbound", "Received"
        REPLY = "reply", "Reply sent"
        NOTE = "note", "Internal note"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    from_email = models.EmailField(blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    text = models.TextField(blank=True)
    # Sanitized before it was stored; shown only inside a sandboxed frame-less block.
    html = models.TextField(blank=True)
    # What the intake could not keep or read, said to the help desk beside the message.
    notes = models.TextField(blank=True)
    message_id = models.CharField(max_length=998, blank=True, db_index=True)
    in_reply_to = models.CharField(max_length=998, blank=True)
    references = models.TextField(blank=True)
    created_at = models.DateTimeField()
    # Replies go out from the background worker.
    sent_at = models.DateTimeField(null=True, blank=True)
    send_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["ticket", "created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.ticket.reference}"


class Attachment(models.Model):
    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=200)
    size = models.PositiveIntegerField()
    # Stored under a generated name, served only as a download through the ticket's page.
    file = models.FileField(upload_to="helpdesk/%Y/%m/")

    class Meta:
        ordering = ["message", "pk"]

    def __str__(self) -> str:
        return self.filename


class RawMail(models.Model):
    """A message as it arrived, kept before anything reads it: nothing received is ever lost, and
    a message delivered twice (same Message-ID, or same bytes) is recognised."""

    class Status(models.TextChoices):
        TICKETED = "ticketed", "Made or joined a ticket"
        IGNORED = "ignored", "Ignored (automatic or our own)"
        FAILED = "failed", "Could not be read: kept for a person"

    received_at = models.DateTimeField()
    source = models.CharField(max_length=20)
    # The Message-ID when there is one, else a digest of the bytes.
    dedup_key = models.CharField(max_length=998, unique=True)
    deliveries = models.PositiveIntegerField(default=1)
    size = models.PositiveIntegerField()
    file = models.FileField(upload_to="helpdesk/raw/%Y/%m/")
    status = models.CharField(max_length=10, choices=Status.choices)
    error = models.TextField(blank=True)
    sender = models.CharField(max_length=300, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    message = models.OneToOneField(Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="raw")

    class Meta:
        ordering = ["-received_at", "-pk"]
        verbose_name = "received message"

    def __str__(self) -> str:
        return f"{self.sender or 'unknown sender'}: {self.subject or '(no subject)'}"


# A requester's message, on the web or by email, opens these again.
REOPENED_BY_REQUESTER = (Ticket.Status.PENDING, Ticket.Status.RESOLVED, Ticket.Status.CLOSED)
