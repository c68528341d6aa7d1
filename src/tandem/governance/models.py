"""Working groups, planning teams with appointed and elected seats, their elections (secret
ballots) and the decisions log.

A working group is formed around a named misalignment between strategy and practice, for a time
box; its review assesses each goal and either disbands it (recording what was learned) or renews
it with new goals. A planning team's seats are held for terms; an elected seat's holder is chosen
by the implementers eligible for it, and holds the team's rights exactly for the term's dates.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from tandem.orgs.models import Person


class Link(models.Model):
    """Ground-level input an object came from: a flag or post in the feed, a help-desk ticket, a
    cycle of inquiry. `owner` is the working group or decision that names it."""

    owner_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    owner_id = models.PositiveBigIntegerField()
    owner = GenericForeignKey("owner_type", "owner_id")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id", "content_type", "object_id"], name="governance_link_once"
            )
        ]
        indexes = [models.Index(fields=["content_type", "object_id"]), models.Index(fields=["owner_type", "owner_id"])]

    def __str__(self) -> str:
        return f"{self.content_type.model} {self.object_id}"


class WorkingGroup(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        REVIEW = "review", "Due for review"
        DISBANDED = "disbanded", "Disbanded"

    name = models.CharField(max_length=200)
    misalignment = models.TextField(help_text="Where strategy and practice have come apart.")
    purpose = models.TextField()
    sponsor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="sponsored_groups")
    starts_on = models.DateField()
    ends_on = models.DateField(help_text="The time box: when the group reviews its goals.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    # Each renewal starts a new round of goals.
    round = models.PositiveSmallIntegerField(default=1)
    learned = models.TextField(blank=True, help_text="What the group learned, recorded when it disbands.")
    disbanded_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-starts_on", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:group", args=[self.pk])


class GroupGoal(models.Model):
    class Assessment(models.TextChoices):
        OPEN = "open", "Not assessed yet"
        MET = "met", "Met"
        PARTLY = "partly", "Partly met"
        NOT_MET = "not_met", "Not met"
        DROPPED = "dropped", "Dropped"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="goals")
    round = models.PositiveSmallIntegerField()
    text = models.TextField()
    assessment = models.CharField(max_length=10, choices=Assessment.choices, default=Assessment.OPEN)
    assessment_note = models.TextField(blank=True)

    class Meta:
        ordering = ["round", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


class Membership(models.Model):
    """One stretch of someone's membership: joined (and why), left (and why). Someone who leaves
    and comes back has two rows; former members keep read access."""

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="group_memberships")
    joined_on = models.DateField()
    joined_because = models.CharField(max_length=300, blank=True)
    left_on = models.DateField(null=True, blank=True)
    left_because = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["joined_on", "pk"]

    def __str__(self) -> str:
        return f"{self.person} in {self.group}"


class Support(models.Model):
    """The sponsor's support, logged: leaders ask questions, furnish resources, advise and step in
    on tricky decisions, then get out of the way."""

    class Kind(models.TextChoices):
        QUESTION = "question", "Question asked"
        RESOURCE = "resource", "Resource given"
        ADVICE = "advice", "Advice"
        DECISION = "decision", "Decision made"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="support")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    text = models.TextField()
    happened_on = models.DateField()
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-happened_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.text[:60]}"


class Review(models.Model):
    class Outcome(models.TextChoices):
        DISBAND = "disband", "Disband"
        RENEW = "renew", "Renew with new goals"

    group = models.ForeignKey(WorkingGroup, on_delete=models.CASCADE, related_name="reviews")
    round = models.PositiveSmallIntegerField()
    held_on = models.DateField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    notes = models.TextField(blank=True)
    by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["held_on", "pk"]

    def __str__(self) -> str:
        return f"{self.group} review {self.round}: {self.get_outcome_display()}"


class PlanningTeam(models.Model):
    name = models.CharField(max_length=200, unique=True)
    purpose = models.TextField(blank=True)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("governance:team", args=[self.pk])


class Seat(models.Model):
    """A seat on a planning team. An elected seat is reserved for implementers: people holding one
    of `eligible_roles` (and, when `site_staff_only`, placed at a school site on the day). Its terms
    run `term_months` from `first_term_starts`; seats whose first terms start at different dates
    rotate in a staggered way."""

    class Kind(models.TextChoices):
        APPOINTED = "appointed", "Appointed"
        ELECTED = "elected", "Elected"

    team = models.ForeignKey(PlanningTeam, on_delete=models.CASCADE, related_name="seats")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    eligible_roles = models.JSONField(default=list, blank=True)
    site_staff_only = models.BooleanField(default=False)
    term_months = models.PositiveSmallIntegerField(default=24)
    first_term_starts = models.DateField()
    # Rotation: how many terms in a row one person may hold the seat.
    max_consecutive_terms = models.PositiveSmallIntegerField(default=1)
    archived = models.BooleanField(default=False)

    class Meta:
        ordering = ["team", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["team", "name"], name="governance_seat_name")]

    def __str__(self) -> str:
        return f"{self.team}: {self.name}"


class Term(models.Model):
    seat = models.ForeignKey(Seat, on_delete=models.CASCADE, related_name="terms")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="seat_terms")
    starts_on = models.DateField()
    ends_on = models.DateField()
    election = models.ForeignKey("Election", null=True, blank=True, on_delete=models.SET_NULL, related_name="terms")
    # Someone who leaves the seat early: the term ends that day.
    ended_early_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["seat", "starts_on"]
        constraints = [models.UniqueConstraint(fields=["seat", "starts_on"], name="governance_term_once")]

    def __str__(self) -> str:
        return f"{self.person} on {self.seat}, {self.starts_on}–{self.ends_on}"


class Election(models.Model):
    """An election for one or more elected seats of a team whose terms start on the same day."""

    class Method(models.TextChoices):
        PLURALITY = "plurality", "Plurality (one seat)"
        STV = "stv", "Single transferable vote (Scottish STV)"

    class Status(models.TextChoices):
        # Open: nominating or voting, as the windows say (elections.phase).
        OPEN = "open", "Open"
        COUNTED = "counted", "Counted"
        CANCELLED = "cancelled", "Cancelled"

    team = models.ForeignKey(PlanningTeam, on_delete=models.CASCADE, related_name="elections")
    seats = models.ManyToManyField(Seat, related_name="elections")
    method = models.CharField(max_length=10, choices=Method.choices)
    term_starts = models.DateField()
    term_ends = models.DateField()
    nominations_open = models.DateTimeField()
    nominations_close = models.DateTimeField()
    voting_open = models.DateTimeField()
    voting_close = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.OPEN)
    opened_automatically = models.BooleanField(default=False)
    # The published count: quota, rounds, ties and who was elected (see counting.Result).
    result = models.JSONField(null=True, blank=True)
    # The seed of any lot the count needs, fixed when voting opens so nobody can choose it after.
    lot_seed = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-term_starts", "-pk"]

    def __str__(self) -> str:
        return f"{self.team} election for terms from {self.term_starts:%B %Y}"

    def get_absolute_url(self) -> str:
        return reverse("governance:election", args=[self.pk])


class Nomination(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="nominations")
    nominee = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="nominations")
    nominated_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["nominee__full_name"]
        constraints = [models.UniqueConstraint(fields=["election", "nominee"], name="governance_nominated_once")]

    def __str__(self) -> str:
        return f"{self.nominee} for {self.election}"

    @property
    def standing(self) -> bool:
        return self.accepted_at is not None and self.declined_at is None


class Voter(models.Model):
    """That someone voted — never what. Nothing here or on a ballot links the two: the ballot has
    no voter, no time, and ballots are re-stored in a fresh random order with each vote."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="voters")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "person"], name="governance_votes_once")]

    def __str__(self) -> str:
        return f"{self.person} voted in {self.election}"


class Ballot(models.Model):
    # A random id, not a sequence: ids must not say in which order ballots came.
    id = models.BigIntegerField(primary_key=True)
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    # Nomination ids in order of preference.
    ranking = models.JSONField()
    # SHA-256 of the voter's receipt: the voter can find their ballot; nobody else can.
    receipt_hash = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"Ballot {self.receipt_hash[:8]}"


class ElectionEvent(models.Model):
    """The election's own log: opened, nominations, acceptances, voting opened, the number of
    votes, counted, terms given. It never names who voted when."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField()
    text = models.CharField(max_length=500)
    by = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


class Decision(models.Model):
    team = models.ForeignKey(PlanningTeam, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    group = models.ForeignKey(WorkingGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="decisions")
    title = models.CharField(max_length=200)
    decided_on = models.DateField()
    decision = models.TextField()
    rationale = models.TextField()
    input_considered = models.TextField(blank=True, help_text="The ground-level input weighed, in words.")
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField()

    class Meta:
        ordering = ["-decided_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(team__isnull=False, group__isnull=True)
                | models.Q(team__isnull=True, group__isnull=False),
                name="governance_decision_has_one_body",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:decision", args=[self.pk])


class FollowUp(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(max_length=300)
    owner = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    due_on = models.DateField(null=True, blank=True)
    done_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.text
