"""Student growth percentiles computed on imported results: each run, and each student's SGP."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tandem.achievement.models import Administration, Assessment, Student, StudentResult
from tandem.core import school_years
from tandem.orgs.models import School


class GrowthRun(models.Model):
    """One computation of SGPs for an assessment and school year. The latest run that succeeded
    holds the SGPs shown everywhere; running again replaces them in one step."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Done"
        FAILED = "failed", "Failed: the earlier SGPs are kept"

    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="growth_runs")
    school_year = models.PositiveSmallIntegerField()
    # progressions (lists of grades), max_order, min_cohort, config (knots etc. by grade).
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    steps_done = models.PositiveIntegerField(default=0)
    steps_total = models.PositiveIntegerField(default=0)
    step = models.CharField(max_length=100, blank=True)
    # One entry per grade progression and order: progression, students, fitted, reason, seconds.
    fits = models.JSONField(default=list, blank=True)
    students = models.PositiveIntegerField(default=0)
    with_sgp = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"SGP {self.assessment} {school_years.label(self.school_year)} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status in (self.Status.SUCCEEDED, self.Status.FAILED):
            return 100
        return int(self.steps_done * 100 / self.steps_total) if self.steps_total else 0

    @property
    def year_label(self) -> str:
        return school_years.label(self.school_year)

    @property
    def summary(self) -> str:
        label = f"{self.assessment.name}, {school_years.label(self.school_year)}"
        if self.status == self.Status.SUCCEEDED:
            fitted = sum(1 for f in self.fits if f["fitted"])
            return (
                f"{label}: {self.with_sgp:,} of {self.students:,} students have an SGP"
                f" ({fitted} of {len(self.fits)} grade progressions fitted)."
            )
        if self.status == self.Status.FAILED:
            return f"{label}: failed: {self.error}"
        return f"{label}: {self.get_status_display().lower()}, {self.percent}%."


class StudentGrowth(models.Model):
    """A student's SGP on one result. The school, administration and grade are the result's,
    kept here so that growth is summed by school, grade and year without a join."""

    run = models.ForeignKey(GrowthRun, on_delete=models.CASCADE, related_name="rows")
    result = models.OneToOneField(StudentResult, on_delete=models.CASCADE, related_name="growth")
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="growth", db_index=False)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="student_growth", db_index=False)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="growth")
    grade = models.CharField(max_length=2)
    sgp = models.PositiveSmallIntegerField(null=True, blank=True)  # 1–99; null where no order could be fitted
    sgp_order = models.PositiveSmallIntegerField(null=True, blank=True)
    by_order = models.JSONField(default=list, blank=True)  # the SGP of each order, null where none
    cuts = models.JSONField(default=dict, blank=True)  # percentile → score needed to be above it

    class Meta:
        indexes = [models.Index(fields=["school", "administration", "grade"])]

    def __str__(self) -> str:
        return f"{self.student} {self.administration}: SGP {self.sgp}"
