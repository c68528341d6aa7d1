"""Impact reports: did a chosen set of schools gain more than their comparisons over chosen years."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.achievement.models import Assessment
from tandem.core import school_years
from tandem.orgs.models import School


class ImpactReport(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed"

    title = models.CharField(max_length=200)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="impact_reports")
    baseline_year = models.PositiveSmallIntegerField(help_text="The school year before the work began.")
    outcome_year = models.PositiveSmallIntegerField(help_text="The school year whose results are judged.")
    schools = models.ManyToManyField(School, related_name="impact_reports")
    # Which schools were included and why: printed as a caveat on every copy of the report.
    inclusion = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveSmallIntegerField(default=0)
    steps_total = models.PositiveSmallIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    # What the report found, as computed (before suppression, which depends on the reader).
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title

    @property
    def years_label(self) -> str:
        return f"{school_years.label(self.baseline_year)} to {school_years.label(self.outcome_year)}"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.SUCCEEDED, self.Status.FAILED):
            return 100
        return int(self.steps_done * 100 / self.steps_total) if self.steps_total else 0
