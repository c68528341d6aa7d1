"""The staff feed: questions, ideas and flags, where staff raise the alarm when the strategy is not
working as expected. A flag has an owner and a lifecycle, and can be escalated to a cycle of
inquiry or to a team (a working group or a planning team), linked both ways."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from tandem.orgs.models import Person, Region, School
from tandem.partnerships.models import Partnership


class Topic(models.Model):
    name = models.CharField(max_length=80, unique=True)
    # A flag on this topic should be acknowledged within so many hours (the default otherwise).
    acknowledge_hours = models.PositiveSmallIntegerField(null=True, blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Post(models.Model):
    class Kind(models.TextChoices):
        QUESTION = "question", "Question"
        IDEA = "idea", "Idea"
        FLAG = "flag", "Flag"

    class Status(models.TextChoices):
        # Questions and ideas stay "open"; only flags move through the others.
        OPEN = "open", "Open"
        RAISED = "raised", "Raised"
        ACKNOWLEDGED = "acknowledged", "Acknowledged"
        IN_PROGRESS = "in_progress", "In progress"
        RESOLVED = "resolved", "Resolved"
        ESCALATED = "escalated", "Escalated"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    title = models.CharField(max_length=200)
    body = models.TextField()
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="feed_posts")
    # Tags: where it happens and what it is about.
    partnership = models.ForeignKey(Partnership, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    topics = models.ManyToManyField(Topic, blank=True, related_name="posts")
    # A restricted flag is seen by its author, its owner and the organization's leaders only.
    restricted = models.BooleanField(default=False)
    status = models.CharField(max_length=12, choices=Status.choices)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="owned_flags")
    acknowledge_due = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolution = models.TextField(blank=True)
    accepted_answer = models.ForeignKey("Comment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    mentions = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)
    last_activity_at = models.DateTimeField()

    class Meta:
        ordering = ["-last_activity_at", "-pk"]
        indexes = [
            models.Index(fields=["kind", "status"]),
            models.Index(fields=["-last_activity_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("feed:post", args=[self.pk])

    @property
    def is_flag(self) -> bool:
        return self.kind == self.Kind.FLAG

    @property
    def is_closed(self) -> bool:
        return self.status in (self.Status.RESOLVED, self.Status.ESCALATED)


class Comment(models.Model):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    mentions = models.ManyToManyField(Person, blank=True, related_name="+")
    created_at = models.DateTimeField()
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.author} on {self.post}"


class MeToo(models.Model):
    """Someone else meets the same issue: how widespread it is."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="me_toos")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["post", "person"], name="feed_me_too_once")]

    def __str__(self) -> str:
        return f"{self.person} on {self.post}"


class Escalation(models.Model):
    """A flag handed to a cycle of inquiry or a team; the cycle records it started from the flag."""

    class To(models.TextChoices):
        CYCLE = "cycle", "Cycle of inquiry"
        WORKING_GROUP = "working_group", "Working group"
        PLANNING_TEAM = "planning_team", "Planning team"

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="escalations")
    to = models.CharField(max_length=20, choices=To.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    note = models.TextField(blank=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.post} to {self.get_to_display().lower()} {self.target}"


class Notification(models.Model):
    class Kind(models.TextChoices):
        MENTION = "mention", "mentioned you"
        REPLY = "reply", "replied"
        ANSWER = "answer", "accepted an answer"
        STATUS = "status", "changed the status"

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="feed_notifications")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="+")
    comment = models.ForeignKey(Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    actor = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=300)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"])]

    def __str__(self) -> str:
        return self.text


class DigestPreference(models.Model):
    """Whether a person gets the email digest of unread notifications, and when the next is due."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, related_name="feed_digest")
    email_digest = models.BooleanField(default=True)
    due_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"Digest for {self.person}"
