"""Coaching: competency frameworks (versioned, so old ratings keep their meaning), coaching
relationships, coaching cycles, sessions with shared notes, private notes that only their author
ever reads, coachee goals, ratings over time, and the loaded cost of staff time.

Private notes are their own table with no reverse relation from sessions or relationships, so no
template, serializer or export can reach them by walking from a session: they are read only by
`PrivateNote.objects.filter(author=...)`.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from tandem.analytics.models import Goal
from tandem.inquiry.models import Cycle
from tandem.orgs.models import Person, School, Team

# A coaching cycle's steps unless the organization names its own.
DEFAULT_CYCLE_STEPS = ["Set a goal", "Learn", "Practice", "Review"]


class Framework(models.Model):
    class Audience(models.TextChoices):
        TEACHER = "teacher", "Teachers"
        LEADER = "leader", "School leaders"

    name = models.CharField(max_length=120, unique=True)
    audience = models.CharField(max_length=20, choices=Audience.choices)
    description = models.TextField(blank=True)
    built_in = models.BooleanField(default=False)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def current(self) -> "FrameworkVersion":
        return self.versions.order_by("-number").first()  # type: ignore[return-value]


class FrameworkVersion(models.Model):
    """One wording of a framework. Editing a framework publishes a new version; ratings point at
    the competency of the version they were given against."""

    framework = models.ForeignKey(Framework, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    levels = models.JSONField(help_text="The level names, lowest first.")
    note = models.CharField(max_length=200, blank=True, help_text="What changed from the previous version.")
    published_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["framework", "-number"]
        constraints = [models.UniqueConstraint(fields=["framework", "number"], name="framework_version_unique")]

    def __str__(self) -> str:
        return f"{self.framework} v{self.number}"


class Domain(models.Model):
    version = models.ForeignKey(FrameworkVersion, on_delete=models.CASCADE, related_name="domains")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["version", "position"]

    def __str__(self) -> str:
        return self.name


class Competency(models.Model):
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="competencies")
    position = models.PositiveSmallIntegerField()
    # Stable across versions: the same competency reworded keeps its code.
    code = models.CharField(max_length=20)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    descriptors = models.JSONField(help_text="One descriptor per level, lowest first.")

    class Meta:
        ordering = ["domain__position", "position"]
        verbose_name_plural = "competencies"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class Relationship(models.Model):
    """A coach working with one person (a teacher or a leader) or with a team."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        ENDED = "ended", "Ended"

    coach = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="coaching")
    coachee = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="coached_by")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="coaching")
    # Where the coaching happens: it scopes who leads it, and costs are counted to the school.
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="coaching")
    framework = models.ForeignKey(FrameworkVersion, on_delete=models.PROTECT, related_name="relationships")
    focus = models.ManyToManyField(Competency, blank=True, related_name="+")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["status", "-starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(coachee__isnull=False, team__isnull=True) | Q(coachee__isnull=True, team__isnull=False)),
                name="coaching_one_coachee",
            )
        ]

    def __str__(self) -> str:
        return f"{self.coach} coaching {self.coachee_label}"

    def get_absolute_url(self) -> str:
        return reverse("coaching:relationship", args=[self.pk])

    @property
    def coachee_label(self) -> str:
        return str(self.coachee or self.team)


class CoachingCycle(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="cycles")
    title = models.CharField(max_length=200)
    steps = models.JSONField(help_text="The step names, in order, copied when the cycle starts.")
    step = models.PositiveSmallIntegerField(default=0, help_text="Index of the current step.")
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    # The coachee's own cycle of inquiry, when the coaching cycle is part of one.
    inquiry_cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["relationship", "-starts_on"]

    def __str__(self) -> str:
        return self.title

    @property
    def step_name(self) -> str:
        return self.steps[self.step] if self.status == self.Status.ACTIVE and self.step < len(self.steps) else "—"


class Session(models.Model):
    class Kind(models.TextChoices):
        OBSERVATION = "observation", "Observation"
        DEBRIEF = "debrief", "Debrief"
        CO_PLANNING = "co_planning", "Co-planning"
        MODELING = "modeling", "Modeling"
        CO_TEACHING = "co_teaching", "Co-teaching"
        DATA = "data_conversation", "Data conversation"
        LEADERSHIP = "leadership_meeting", "Leadership meeting"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="sessions")
    cycle = models.ForeignKey(CoachingCycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="sessions")
    held_on = models.DateField()
    minutes = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=30, choices=Kind.choices)
    # Shared: the coachee, the coach and their leaders read these.
    shared_notes = models.TextField(blank=True)
    next_steps = models.TextField(blank=True, help_text="What coach and coachee agreed to do next.")
    evidence = models.TextField(blank=True, help_text="What was seen or collected (student work, data, video).")
    competencies = models.ManyToManyField(Competency, blank=True, related_name="+")
    logged_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["relationship", "held_on"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on {self.held_on}"

    def clean(self) -> None:
        if self.minutes is not None and not 5 <= self.minutes <= 600:
            raise ValidationError({"minutes": "A session lasts from 5 minutes to 10 hours."})


class PrivateNote(models.Model):
    """A note only its author ever reads: not the coachee, not leaders, not org admins through
    any page, API response, export or search."""

    author = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="+")
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    text = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["author", "relationship"])]

    def __str__(self) -> str:
        # Never the text: audit entries and logs print this.
        return f"Private note {self.pk}"


class CoacheeGoal(models.Model):
    class Status(models.TextChoices):
        NOT_STARTED = "not_started", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        MET = "met", "Met"
        NOT_MET = "not_met", "Not met"
        DROPPED = "dropped", "Dropped"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="goals")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    competency = models.ForeignKey(Competency, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    student_goal = models.ForeignKey(Goal, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inquiry_cycle = models.ForeignKey(Cycle, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["relationship", "status", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title


class Rating(models.Model):
    class Source(models.TextChoices):
        COACH = "coach", "Coach rating"
        SELF = "self", "Self rating"

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="ratings")
    competency = models.ForeignKey(Competency, on_delete=models.PROTECT, related_name="ratings")
    level = models.PositiveSmallIntegerField(help_text="1 is the lowest level.")
    source = models.CharField(max_length=10, choices=Source.choices)
    rated_on = models.DateField()
    evidence = models.TextField(blank=True)
    rater = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["relationship", "competency", "rated_on", "pk"]
        indexes = [models.Index(fields=["competency", "rated_on"])]

    def __str__(self) -> str:
        return f"{self.competency.code}: {self.level} ({self.get_source_display().lower()})"


class StaffCost(models.Model):
    """What an hour of a staff member's time costs the organization in a school year: salary,
    benefits and overhead together (the loaded cost)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="costs")
    school_year = models.PositiveSmallIntegerField()
    hourly_cost = models.DecimalField(max_digits=8, decimal_places=2)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["person", "-school_year"]
        constraints = [models.UniqueConstraint(fields=["person", "school_year"], name="staff_cost_unique")]

    def __str__(self) -> str:
        return f"{self.person}, {self.school_year}: {self.hourly_cost}/h"
