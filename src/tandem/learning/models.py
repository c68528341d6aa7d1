"""Learning spaces: session types, the weekly rhythm a school year's sessions are generated from,
the learning agenda that ties each month to a program priority, the sessions themselves, and the
private calendar feeds people subscribe to.

Times: a session is stored as an instant (UTC) together with the time zone it is held in; the
rhythm's slots are wall-clock times in the rhythm's zone, so 9:00 stays 9:00 across a
daylight-saving change (see tandem.learning.calendar).
"""

import datetime
import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse

from tandem.core import school_years
from tandem.inquiry.models import Action
from tandem.orgs.models import Person, Region, Team
from tandem.practices.models import Practice

MINUTES = [MinValueValidator(5), MaxValueValidator(12 * 60)]


@functools.cache
def known_zones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


def check_zone(name: str) -> None:
    # ZoneInfo also opens folders ("America") and odd paths; the list of zones is the safe test.
    if name not in known_zones():
        raise ValidationError(
            f"“{name}” is not a time zone Tandem knows; use a name like America/Los_Angeles or America/New_York."
        )


def default_zone() -> str:
    return settings.TIME_ZONE


class Audience(models.TextChoices):
    TEAM = "team", "One team"
    TEAMS = "teams", "Several teams"
    ORGANIZATION = "organization", "The whole organization"
    NETWORK = "network", "A leadership network"


class Cadence(models.TextChoices):
    WEEKLY = "weekly", "Weekly"
    BIWEEKLY = "biweekly", "Every other week"
    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    ANNUAL = "annual", "Once a year"
    AS_NEEDED = "as_needed", "As needed"


class SessionType(models.Model):
    name = models.CharField(max_length=100, unique=True)
    purpose = models.TextField(blank=True)
    # The agenda template: [{"item": "Connect", "minutes": 10}, ...], copied onto each new session.
    structure = models.JSONField(default=list, blank=True)
    audience = models.CharField(max_length=20, choices=Audience.choices, default=Audience.TEAM)
    typical_minutes = models.PositiveSmallIntegerField(default=60, validators=MINUTES)
    cadence = models.CharField(max_length=20, choices=Cadence.choices, default=Cadence.WEEKLY)
    built_in = models.BooleanField(default=False)
    archived = models.BooleanField(default=False, help_text="No new sessions or slots use an archived type.")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def cross_team(self) -> bool:
        return self.audience != Audience.TEAM

    def clean(self) -> None:
        errors = structure_errors(self.structure)
        if errors:
            raise ValidationError({"structure": errors})

    def agenda_text(self) -> str:
        return "\n".join(f"{row['item']} ({row['minutes']} min)" for row in self.structure)


def structure_errors(structure: object) -> list[str]:
    if not isinstance(structure, list):
        return ["The structure is a list of agenda items, each with an item and its minutes."]
    errors = []
    for n, row in enumerate(structure, start=1):
        if not (isinstance(row, dict) and isinstance(row.get("item"), str) and row["item"].strip()):
            errors.append(f"Agenda item {n} needs a name.")
        elif type(row.get("minutes")) is not int or not 1 <= row["minutes"] <= 720:
            errors.append(f"Agenda item {n} (“{row['item']}”) needs whole minutes from 1 to 720.")
    return errors


class Priority(models.Model):
    """A program priority that a month of the learning agenda is aligned to."""

    name = models.CharField(max_length=120, unique=True)
    description = models.TextField(blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.name


class Agenda(models.Model):
    """The school year's scope and sequence. Staff propose items and comment while it is a draft;
    a leader publishes it, which ties every session of each month to that month's priority."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    school_year = models.PositiveSmallIntegerField(unique=True)
    summary = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-school_year"]

    def __str__(self) -> str:
        return f"Learning agenda {school_years.label(self.school_year)}"

    def get_absolute_url(self) -> str:
        return reverse("learning:agenda", args=[self.school_year])

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED


class AgendaMonth(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="months")
    month = models.DateField(help_text="The first day of the month.")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.PROTECT, related_name="months")
    focus = models.TextField(blank=True, help_text="What this month's sessions work on.")

    class Meta:
        ordering = ["agenda", "month"]
        constraints = [models.UniqueConstraint(fields=["agenda", "month"], name="agenda_month_unique")]

    def __str__(self) -> str:
        return self.month.strftime("%B %Y")


class Proposal(models.Model):
    """An item a staff member proposes for the draft agenda."""

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="proposals")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    month = models.DateField(null=True, blank=True)
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.OPEN)
    response = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda", "status", "-created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    month = models.DateField(null=True, blank=True, help_text="The month commented on; empty for the whole agenda.")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agenda", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]


class Rhythm(models.Model):
    """A template week for a school year, in one time zone (a region's, or the organization's)."""

    name = models.CharField(max_length=120)
    school_year = models.PositiveSmallIntegerField()
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="rhythms")
    time_zone = models.CharField(max_length=64, default=default_zone, validators=[check_zone])
    starts_on = models.DateField(help_text="The first day sessions are generated for.")
    ends_on = models.DateField(help_text="The last day sessions are generated for.")
    generated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-school_year", "name"]
        constraints = [models.UniqueConstraint(fields=["school_year", "name"], name="rhythm_name_unique")]

    def __str__(self) -> str:
        return f"{self.name} ({school_years.label(self.school_year)})"

    def get_absolute_url(self) -> str:
        return reverse("learning:rhythm", args=[self.pk])

    def clean(self) -> None:
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": "The rhythm ends before it starts."})
            first, last = school_years.span(self.school_year)
            if self.starts_on < first or self.ends_on > last:
                raise ValidationError(
                    {"ends_on": f"A rhythm for {school_years.label(self.school_year)} runs between {first} and {last}."}
                )


class Slot(models.Model):
    """One recurring session of the template week."""

    rhythm = models.ForeignKey(Rhythm, on_delete=models.CASCADE, related_name="slots")
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="slots")
    title = models.CharField(max_length=200, blank=True, help_text="Empty to use the session type's name.")
    weekday = models.PositiveSmallIntegerField(
        choices=list(enumerate(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]))
    )
    starts_at = models.TimeField(help_text="Wall-clock time in the rhythm's time zone.")
    minutes = models.PositiveSmallIntegerField(validators=MINUTES)
    every_weeks = models.PositiveSmallIntegerField(
        default=1, choices=[(1, "Every week"), (2, "Every other week"), (4, "Every fourth week")]
    )
    # Which of the weeks counts when a slot is not weekly: 0 for the rhythm's first week.
    week_offset = models.PositiveSmallIntegerField(default=0)
    location = models.CharField(max_length=200, blank=True)
    teams = models.ManyToManyField(Team, blank=True, related_name="learning_slots")
    facilitators = models.ManyToManyField(Person, blank=True, related_name="learning_slots")

    class Meta:
        ordering = ["rhythm", "weekday", "starts_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.starts_at:%H:%M} {self.title or self.session_type}"

    def clean(self) -> None:
        if self.week_offset >= (self.every_weeks or 1):
            raise ValidationError({"week_offset": "The week offset must be smaller than the number of weeks."})


class DayOff(models.Model):
    """A holiday, a break, or a launch convening: regular sessions are not held on these days.
    A convening is itself held: one session a day across its span."""

    class Kind(models.TextChoices):
        HOLIDAY = "holiday", "Holiday"
        BREAK = "break", "Break"
        CONVENING = "convening", "Convening (replaces the week's sessions)"

    school_year = models.PositiveSmallIntegerField()
    # Empty: every rhythm of the school year.
    rhythm = models.ForeignKey(Rhythm, null=True, blank=True, on_delete=models.CASCADE, related_name="days_off")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)
    first_day = models.DateField()
    last_day = models.DateField()
    # A convening's own session.
    session_type = models.ForeignKey(SessionType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    starts_at = models.TimeField(null=True, blank=True)
    minutes = models.PositiveSmallIntegerField(null=True, blank=True, validators=MINUTES)
    time_zone = models.CharField(max_length=64, default=default_zone, validators=[check_zone])
    location = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["school_year", "first_day", "pk"]
        verbose_name = "day off or convening"
        verbose_name_plural = "days off and convenings"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                errors["last_day"] = "The last day is before the first."
            elif (self.last_day - self.first_day).days > 60:
                errors["last_day"] = "A break or convening spans at most 60 days."
            elif school_years.of_date(self.first_day) != self.school_year:
                errors["first_day"] = f"The first day is not in {school_years.label(self.school_year)}."
        if self.kind == self.Kind.CONVENING:
            for field, what in (("session_type", "session type"), ("starts_at", "start time"), ("minutes", "length")):
                if getattr(self, field) in (None, ""):
                    errors[field] = f"A convening needs a {what}."
        if errors:
            raise ValidationError(errors)


class Session(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", "Scheduled"
        CANCELLED = "cancelled", "Cancelled"

    title = models.CharField(max_length=200)
    session_type = models.ForeignKey(SessionType, on_delete=models.PROTECT, related_name="sessions")
    priority = models.ForeignKey(Priority, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    # True while the priority follows the published agenda's month; set by hand, it stays put.
    priority_from_agenda = models.BooleanField(default=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    time_zone = models.CharField(max_length=64, default=default_zone, validators=[check_zone])
    location = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SCHEDULED)
    cancel_reason = models.CharField(max_length=200, blank=True)
    # Generated from a rhythm's slot or a convening for the date `occurrence`, which regeneration keys
    # on; it stays when the session is moved by hand, while `local_date` follows the session.
    slot = models.ForeignKey(Slot, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    day_off = models.ForeignKey(DayOff, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    occurrence = models.DateField(null=True, blank=True)
    # The date it is held, where it is held.
    local_date = models.DateField()
    # Moved or edited by hand: regenerating the rhythm leaves it alone.
    detached = models.BooleanField(default=False)
    facilitators = models.ManyToManyField(Person, blank=True, related_name="facilitated_sessions")
    teams = models.ManyToManyField(Team, blank=True, related_name="learning_sessions")
    guests = models.ManyToManyField(Person, blank=True, related_name="guest_sessions")
    # A network convening invites the members of its leadership network cohorts.
    cohorts = models.ManyToManyField("network.Cohort", blank=True, related_name="convenings")
    agenda = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    # Raised on every change a subscriber's calendar should pick up (RFC 5545 SEQUENCE).
    sequence = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["starts_at"]), models.Index(fields=["local_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "occurrence"], condition=models.Q(slot__isnull=False), name="session_slot_date"
            ),
            models.UniqueConstraint(
                fields=["day_off", "occurrence"],
                condition=models.Q(day_off__isnull=False),
                name="session_convening_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}, {self.local_date:%-d %b %Y}"

    def get_absolute_url(self) -> str:
        return reverse("learning:session", args=[self.pk])

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)

    @property
    def cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    def local_start(self) -> datetime.datetime:
        return self.starts_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def local_end(self) -> datetime.datetime:
        return self.ends_at.astimezone(zoneinfo.ZoneInfo(self.time_zone))

    def clean(self) -> None:
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": "The session ends before it starts."})
        if self.starts_at and self.ends_at and self.ends_at - self.starts_at > datetime.timedelta(hours=12):
            raise ValidationError({"ends_at": "A session lasts at most 12 hours; make a convening day one session."})


class Material(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    file = models.FileField(upload_to="learning/%Y/%m/", blank=True)
    added_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["session", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", "Present"
        ABSENT = "absent", "Absent"
        EXCUSED = "excused", "Excused"

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="learning_attendance")
    status = models.CharField(max_length=20, choices=Status.choices)
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["session", "person__full_name"]
        constraints = [models.UniqueConstraint(fields=["session", "person"], name="attendance_unique")]

    def __str__(self) -> str:
        return f"{self.person}: {self.get_status_display()}"


class Takeaway(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="takeaways")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    # What it became: an action in a cycle of inquiry, or a draft in the practice library.
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="takeaways")
    practice = models.ForeignKey(Practice, null=True, blank=True, on_delete=models.SET_NULL, related_name="takeaways")

    class Meta:
        ordering = ["session", "created_at", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Feed(models.Model):
    """A private calendar address: a person's sessions, or a team's. Only a digest of its secret is
    kept; revoking it (or the owner leaving the team) stops it at once."""

    owner = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="calendar_feeds")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="calendar_feeds")
    token_digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["owner", "-created_at"]

    def __str__(self) -> str:
        return f"{self.team or self.owner} calendar"


class ReminderPreference(models.Model):
    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="learning_reminders")
    email_reminders = models.BooleanField(default=True)

    def __str__(self) -> str:
        return f"{self.person}: {'on' if self.email_reminders else 'off'}"


class ReminderSent(models.Model):
    """One reminder per person and session start: a moved session reminds again."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="reminders")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person", "starts_at"], name="reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.person} reminded of {self.session}"
