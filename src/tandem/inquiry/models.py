"""Cycles of inquiry: a template's steps copied onto each cycle, the artifacts each step asks
for, and links to what a cycle started from or led to.

A cycle copies its template's steps when it starts, so editing a template later changes the
cycles started after the edit and never the meaning of a finished one.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.orgs.models import District, Person, Region, School, Team
from tandem.partnerships.models import Partnership


class ArtifactKind(models.TextChoices):
    PROBLEM = "problem", "Problem statement"
    QUESTIONS = "questions", "Inquiry questions"
    GOALS = "goals", "Measurable goals"
    ACTIONS = "actions", "Action plan"
    LOG = "log", "Implementation log"
    EVIDENCE = "evidence", "Evidence"
    REFLECTION = "reflection", "Reflection"


class Template(models.Model):
    name = models.CharField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    # Shipped with Tandem (ROCI, PDSA, Data Wise): editable, but never deleted.
    built_in = models.BooleanField(default=False)
    is_default = models.BooleanField(default=False, help_text="Offered first when a cycle starts.")
    archived = models.BooleanField(default=False, help_text="No new cycles start from an archived template.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_default", "name"]

    def __str__(self) -> str:
        return self.name


class TemplateStep(models.Model):
    template = models.ForeignKey(Template, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    # A group of steps, where the method has them (Data Wise: Prepare, Inquire, Act).
    phase = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    prompt = models.TextField(blank=True, help_text="The questions this step asks the team to answer.")
    requires = models.JSONField(default=list, blank=True, help_text="Artifacts that must exist to finish the step.")

    class Meta:
        ordering = ["template", "position"]
        constraints = [models.UniqueConstraint(fields=["template", "position"], name="template_step_position")]

    def __str__(self) -> str:
        return f"{self.template}: {self.position}. {self.name}"

    def clean(self) -> None:
        _check_kinds(self.requires)


def _check_kinds(kinds: object) -> None:
    known = set(ArtifactKind.values)
    if not isinstance(kinds, list) or not all(isinstance(k, str) and k in known for k in kinds):
        raise ValidationError(
            {"requires": f"Required artifacts must be a list drawn from: {', '.join(ArtifactKind.values)}."}
        )


class Cycle(models.Model):
    class Level(models.TextChoices):
        INDIVIDUAL = "individual", "Individual"
        TEAM = "team", "Grade-level or instructional team"
        SCHOOL = "school", "School leadership team"
        DISTRICT = "district", "District department"
        REGION = "region", "Region"
        ORGANIZATION = "organization", "Whole organization"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        COMPLETED = "completed", "Completed"
        CLOSED = "closed", "Closed early"

    title = models.CharField(max_length=200)
    level = models.CharField(max_length=20, choices=Level.choices)
    template = models.ForeignKey(Template, on_delete=models.PROTECT, related_name="cycles")
    owner = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="owned_cycles")
    # For an individual cycle: the coach or supervisor who follows it with its owner.
    coach = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="coached_cycles")
    members = models.ManyToManyField(Person, blank=True, related_name="cycles")
    # Where the cycle works: at most one of these (none for the whole organization).
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="cycles")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="cycles")
    partnership = models.ForeignKey(Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="cycles")
    team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="cycles")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.CASCADE, related_name="cycles")
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    finished_on = models.DateField(null=True, blank=True)
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_cycles")
    # What the previous cycle's reflection asked this one to change.
    carried_forward = models.TextField(blank=True)
    goals = models.ManyToManyField(Goal, blank=True, related_name="cycles")
    # Any step finished or artifact added: stalled cycles are those where nothing happens.
    last_activity_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "title", "pk"]
        indexes = [models.Index(fields=["status", "level"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("inquiry:cycle", args=[self.pk])

    @property
    def scope_object(self) -> object | None:
        return self.school or self.district or self.partnership or self.team or self.region

    def scope_label(self) -> str:
        found = self.scope_object
        return str(found) if found else "The whole organization" if self.level == self.Level.ORGANIZATION else "—"


class CycleStep(models.Model):
    """A template step as the cycle copied it, with when it started and finished."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    phase = models.CharField(max_length=60, blank=True)
    name = models.CharField(max_length=120)
    prompt = models.TextField(blank=True)
    requires = models.JSONField(default=list, blank=True)
    started_on = models.DateField(null=True, blank=True)
    finished_on = models.DateField(null=True, blank=True)
    finished_by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["cycle", "position"]
        constraints = [models.UniqueConstraint(fields=["cycle", "position"], name="cycle_step_position")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"

    def required_labels(self) -> list[str]:
        labels = dict(ArtifactKind.choices)
        return [labels[k] for k in self.requires if k in labels]


class ProblemStatement(models.Model):
    """The problem in words, with the data it rests on saved as it read that day. The saved
    number is suppressed for everyone (as on any dashboard read without student-level access),
    because the statement is shown to all who see the cycle."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="problem")
    statement = models.TextField()
    assessment = models.ForeignKey(Assessment, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    metric = models.CharField(max_length=20, choices=Goal.Metric.choices, blank=True)
    group = models.ForeignKey(StudentGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    grade = models.CharField(max_length=3, default="all")
    school_year = models.PositiveSmallIntegerField(null=True, blank=True)
    place_label = models.CharField(max_length=200, blank=True)
    value = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    tested = models.PositiveIntegerField(null=True, blank=True)
    suppressed = models.BooleanField(default=False)
    read_on = models.DateField(null=True, blank=True)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.statement[:80]


class Question(models.Model):
    class About(models.TextChoices):
        STUDENTS = "students", "Student learning"
        ADULTS = "adults", "Adult practice"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="questions")
    about = models.CharField(max_length=20, choices=About.choices)
    text = models.TextField()
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "about", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Action(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", "Not started"
        IN_PROGRESS = "in_progress", "In progress"
        DONE = "done", "Done"
        DROPPED = "dropped", "Dropped"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="cycle_actions")
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PLANNED)
    done_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "due_on", "pk"]
        indexes = [models.Index(fields=["owner", "status", "due_on"])]

    def __str__(self) -> str:
        return self.title

    @property
    def open(self) -> bool:
        return self.status in (self.Status.PLANNED, self.Status.IN_PROGRESS)


class LogEntry(models.Model):
    """What was done, when, by whom: the implementation log."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="log")
    action = models.ForeignKey(Action, null=True, blank=True, on_delete=models.SET_NULL, related_name="log")
    happened_on = models.DateField()
    note = models.TextField()
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "-happened_on", "-pk"]

    def __str__(self) -> str:
        return self.note[:80]


class Evidence(models.Model):
    class Kind(models.TextChoices):
        DATA = "data", "Re-measured data"
        OBSERVATION = "observation", "Observation"
        DOCUMENT = "document", "Document"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="evidence")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    note = models.TextField(blank=True)
    collected_on = models.DateField()
    # Re-measured data: the value of the problem statement's measure, in its unit.
    value = models.DecimalField(max_digits=9, decimal_places=2, null=True, blank=True)
    attachment = models.FileField(upload_to="cycles/%Y/%m/", blank=True)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cycle", "collected_on", "pk"]
        verbose_name_plural = "evidence"

    def __str__(self) -> str:
        return self.title


class Reflection(models.Model):
    class Decision(models.TextChoices):
        ADOPT = "adopt", "Adopt: keep doing it as it is"
        ADAPT = "adapt", "Adapt: change it and try again"
        ABANDON = "abandon", "Abandon: stop and try something else"

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="reflection")
    worked = models.TextField(help_text="What worked, and what did not.")
    learned = models.TextField(help_text="What we learned about students and about our practice.")
    decision = models.CharField(max_length=20, choices=Decision.choices)
    adjustments = models.TextField(blank=True, help_text="What the next cycle changes; it starts with these.")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.cycle}: {self.get_decision_display()}"


class CycleLink(models.Model):
    """Something a cycle started from (a flag in the feed, a working group, a help-desk ticket) or
    led to (a practice in the library). Goals link through Cycle.goals. Both ends show the link."""

    class Relation(models.TextChoices):
        STARTED_FROM = "started_from", "Started from"
        LED_TO = "led_to", "Led to"

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="links")
    relation = models.CharField(max_length=20, choices=Relation.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "relation", "content_type", "object_id"], name="cycle_link_unique")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.cycle} {self.get_relation_display().lower()} {self.content_type.model} {self.object_id}"
