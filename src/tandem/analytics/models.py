from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q

from tandem.achievement.models import Administration, Assessment, StudentGroup
from tandem.core import school_years
from tandem.orgs.models import District, Person, School, Team
from tandem.partnerships.models import Partnership

# Performance levels counted per cell; no shipped assessment has more than five.
LEVELS = range(1, 7)


class ResultCell(models.Model):
    """Sums of one school's results for one administration, grade ("all" for every grade) and
    student group, rebuilt from student results after each import (see `cells.refresh`).

    Dashboards add cells up instead of reading every result: a district or the whole network is
    a sum of its schools' cells, and the pooled mean and SD follow exactly from the sums.
    """

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="+", db_index=False)
    administration = models.ForeignKey(Administration, on_delete=models.CASCADE, related_name="+")
    grade = models.CharField(max_length=3)
    group = models.ForeignKey(StudentGroup, on_delete=models.CASCADE, related_name="+")
    tested = models.PositiveIntegerField()
    scored = models.PositiveIntegerField()
    score_sum = models.FloatField()
    score_squares = models.FloatField()
    distance_count = models.PositiveIntegerField()
    distance_sum = models.FloatField()
    at_or_above = models.PositiveIntegerField()
    level_1 = models.PositiveIntegerField(default=0)
    level_2 = models.PositiveIntegerField(default=0)
    level_3 = models.PositiveIntegerField(default=0)
    level_4 = models.PositiveIntegerField(default=0)
    level_5 = models.PositiveIntegerField(default=0)
    level_6 = models.PositiveIntegerField(default=0)
    # Cohort change: the same students' results a year earlier, a grade lower.
    matched = models.PositiveIntegerField(default=0)
    matched_at_or_above_before = models.PositiveIntegerField(default=0)
    matched_at_or_above_now = models.PositiveIntegerField(default=0)
    matched_distance_count = models.PositiveIntegerField(default=0)
    matched_distance_before = models.FloatField(default=0)
    matched_distance_now = models.FloatField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "administration", "grade", "group"], name="result_cell_unique")
        ]

    def __str__(self) -> str:
        return f"{self.school_id}/{self.administration_id}/{self.grade}/{self.group_id}: {self.tested}"


class Goal(models.Model):
    """A measurable aim for a school, district, partnership or the whole network."""

    class Metric(models.TextChoices):
        AT_OR_ABOVE = "at_or_above", "% at or above standard"
        DISTANCE = "distance", "Average distance from standard met"
        MEAN = "mean", "Mean scale score"
        GAP = "gap", "Gap in % at or above standard (group − comparison group)"

    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    metric = models.CharField(max_length=20, choices=Metric.choices, default=Metric.AT_OR_ABOVE)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="+")
    # Scope: one school, a district, a partnership's schools, or (none set) every partner school.
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="goals")
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.CASCADE, related_name="goals")
    partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="scope_goals"
    )
    group = models.ForeignKey(StudentGroup, on_delete=models.PROTECT, related_name="+")
    comparison_group = models.ForeignKey(
        StudentGroup, null=True, blank=True, on_delete=models.PROTECT, related_name="+", help_text="For gap goals."
    )
    grade = models.CharField(max_length=3, default="all")
    baseline_year = models.PositiveSmallIntegerField()
    baseline_value = models.DecimalField(max_digits=7, decimal_places=2)
    target_value = models.DecimalField(max_digits=7, decimal_places=2)
    target_date = models.DateField(help_text="The results of the school year this date falls in are judged.")
    # Owner: exactly one of these.
    owner_partnership = models.ForeignKey(
        Partnership, null=True, blank=True, on_delete=models.CASCADE, related_name="owned_goals"
    )
    owner_school = models.ForeignKey(School, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    owner_team = models.ForeignKey(Team, null=True, blank=True, on_delete=models.CASCADE, related_name="goals")
    owner_person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.CASCADE, related_name="goals")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["target_date", "title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(owner_partnership__isnull=False, owner_school=None, owner_team=None, owner_person=None)
                    | Q(owner_partnership=None, owner_school__isnull=False, owner_team=None, owner_person=None)
                    | Q(owner_partnership=None, owner_school=None, owner_team__isnull=False, owner_person=None)
                    | Q(owner_partnership=None, owner_school=None, owner_team=None, owner_person__isnull=False)
                ),
                name="goal_has_one_owner",
            ),
            models.CheckConstraint(
                condition=~(Q(school__isnull=False) & (Q(district__isnull=False) | Q(partnership__isnull=False)))
                & ~(Q(district__isnull=False) & Q(partnership__isnull=False)),
                name="goal_has_one_scope",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def target_year(self) -> int:
        """The school year whose (spring) results the target is judged on: the one the date falls in."""
        return school_years.of_date(self.target_date)

    @property
    def owner(self) -> object:
        return self.owner_partnership or self.owner_school or self.owner_team or self.owner_person

    @property
    def increasing(self) -> bool:
        return self.target_value >= self.baseline_value

    def scope_label(self) -> str:
        if self.school_id:
            return str(self.school)
        if self.district_id:
            return str(self.district)
        if self.partnership_id:
            return str(self.partnership)
        return "All partner schools"


class InterimTarget(models.Model):
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="interim_targets")
    school_year = models.PositiveSmallIntegerField()
    value = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        ordering = ["school_year"]
        constraints = [models.UniqueConstraint(fields=["goal", "school_year"], name="interim_target_unique")]

    def __str__(self) -> str:
        return f"{self.goal}: {self.value} by {self.school_year}"


def expected(goal: Goal, year: int) -> Decimal | None:
    """Where the goal should stand in a school year: the interim target for that year, else the
    straight line from the baseline to the target."""
    for t in goal.interim_targets.all():
        if t.school_year == year:
            return t.value
    end = goal.target_year
    if year <= goal.baseline_year or end <= goal.baseline_year:
        return None
    share = Decimal(min(year, end) - goal.baseline_year) / Decimal(end - goal.baseline_year)
    return goal.baseline_value + (goal.target_value - goal.baseline_value) * share
