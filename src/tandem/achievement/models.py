"""Assessments with their scales and cut scores, students with their yearly demographics and
enrollments, student results, public aggregate results, and the record of every import."""

import bisect
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from tandem.achievement.codes import AssessmentKind, Fluency, Gender, Race, Subject, Window
from tandem.core import school_years
from tandem.orgs.models import GRADES, District, School

GRADE_CHOICES = [(g, g) for g in GRADES]


class Assessment(models.Model):
    code = models.SlugField(max_length=60, unique=True, help_text="A short stable name, e.g. caaspp-ela.")
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=AssessmentKind.choices)
    subject = models.CharField(max_length=20, choices=Subject.choices)
    # The CONTENT_AREA value that names this assessment in long-format files (e.g. READING).
    content_area = models.CharField(max_length=60, blank=True)
    scale_min = models.DecimalField(max_digits=8, decimal_places=2)
    scale_max = models.DecimalField(max_digits=8, decimal_places=2)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.scale_min is not None and self.scale_max is not None and self.scale_min >= self.scale_max:
            raise ValidationError({"scale_max": "The top of the scale must be above its bottom."})


class PerformanceLevel(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(help_text="1 is the lowest level.")
    code = models.CharField(max_length=40)
    label = models.CharField(max_length=100)
    meets_standard = models.BooleanField(help_text="Counts as at or above standard.")

    class Meta:
        ordering = ["assessment", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rank"], name="level_rank_unique"),
            models.UniqueConstraint(fields=["assessment", "code"], name="level_code_unique"),
        ]

    def __str__(self) -> str:
        return self.label


class AssessmentGrade(models.Model):
    """A grade the assessment is given in, with that grade's obtainable scores."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="grades")
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    lowest_score = models.DecimalField(max_digits=8, decimal_places=2)
    highest_score = models.DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        ordering = ["assessment", "id"]
        constraints = [models.UniqueConstraint(fields=["assessment", "grade"], name="assessment_grade_unique")]

    def __str__(self) -> str:
        return f"{self.assessment} grade {self.grade}"


class CutScore(models.Model):
    """The lowest scale score of a performance level in one grade, from a school year on."""

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="cut_scores")
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    level = models.ForeignKey(PerformanceLevel, on_delete=models.CASCADE, related_name="cut_scores")
    min_score = models.DecimalField(max_digits=8, decimal_places=2)
    # 0 means from the first year on; a later year replaces the grade's cuts from that year.
    from_school_year = models.PositiveSmallIntegerField(default=0, help_text="0: every year.")

    class Meta:
        ordering = ["assessment", "grade", "level__rank"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "grade", "level", "from_school_year"], name="cut_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.level} from {self.min_score} (grade {self.grade})"


class CutTable:
    """Derives performance levels from scale scores for one assessment, all grades, all years."""

    def __init__(self, assessment: Assessment) -> None:
        levels = list(assessment.levels.all())
        self.ranks = {lvl.pk: lvl.rank for lvl in levels}
        self.meeting = {lvl.rank for lvl in levels if lvl.meets_standard}
        rows = assessment.cut_scores.order_by("grade", "from_school_year", "min_score")
        self._cuts: dict[tuple[str, int], list[tuple[Decimal, int]]] = {}
        for cut in rows:
            self._cuts.setdefault((cut.grade, cut.from_school_year), []).append(
                (cut.min_score, self.ranks[cut.level_id])
            )
        self._years: dict[str, list[int]] = {}
        for grade, year in self._cuts:
            self._years.setdefault(grade, []).append(year)
        for years in self._years.values():
            years.sort()
        self._prepared: dict[tuple[str, int], tuple[list[float], list[int]]] = {}

    def level(self, grade: str, year: int, score: float) -> int | None:
        key = (grade, year)
        table = self._prepared.get(key)
        if table is None:
            cuts = self._table(grade, year)
            table = self._prepared[key] = ([float(c[0]) for c in cuts], [c[1] for c in cuts])
        mins, ranks = table
        if not mins:
            return None
        i = bisect.bisect_right(mins, score)
        return ranks[i - 1] if i else min(ranks)

    def met_cut(self, grade: str, year: int) -> Decimal | None:
        """The lowest scale score that is "standard met" for this grade and year."""
        cuts = [score for score, rank in self._table(grade, year) if rank in self.meeting]
        return min(cuts) if cuts else None

    def _table(self, grade: str, year: int) -> list[tuple[Decimal, int]]:
        years = [y for y in self._years.get(grade, []) if y <= year]
        return self._cuts[(grade, years[-1])] if years else []


class Administration(models.Model):
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="administrations")
    school_year = models.PositiveSmallIntegerField()
    window = models.CharField(max_length=10, choices=Window.choices, default=Window.SPRING)
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["assessment", "school_year", "window"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "school_year", "window"], name="administration_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessment} {self.get_window_display()} {school_years.label(self.school_year)}"


class Student(models.Model):
    # Unique through Meta.constraints: on PostgreSQL a unique=True field also gets a second,
    # pattern-matching index that nothing uses and every import would have to update.
    state_id = models.CharField(max_length=40)
    local_id = models.CharField(max_length=40, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    first_name = models.CharField(max_length=100, blank=True)
    birth_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "state_id"]
        constraints = [models.UniqueConstraint(fields=["state_id"], name="student_state_id_unique")]

    def __str__(self) -> str:
        name = f"{self.first_name} {self.last_name}".strip()
        return name or self.state_id


class StudentYear(models.Model):
    """A student's demographics as recorded for one school year: they can change year to year."""

    # The unique (student, school_year) index serves lookups by student: a second index would only
    # slow imports down. The same holds for the other foreign keys below marked db_index=False.
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="years", db_index=False)
    school_year = models.PositiveSmallIntegerField()
    gender = models.CharField(max_length=1, choices=Gender.choices, blank=True)
    race = models.CharField(max_length=20, choices=Race.choices, blank=True)
    fluency = models.CharField(max_length=4, choices=Fluency.choices, blank=True)
    months_in_us_schools = models.PositiveSmallIntegerField(null=True, blank=True)
    disadvantaged = models.BooleanField(null=True)
    disability = models.BooleanField(null=True)
    gifted = models.BooleanField(null=True)
    homeless = models.BooleanField(null=True)
    foster = models.BooleanField(null=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["student", "school_year"], name="student_year_unique")]

    def __str__(self) -> str:
        return f"{self.student} {school_years.label(self.school_year)}"


class Enrollment(models.Model):
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="enrollments", db_index=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="enrollments", db_index=False)
    school_year = models.PositiveSmallIntegerField()
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    # Enrolled for the full academic year, as accountability rules count it.
    full_year = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "school", "school_year"], name="enrollment_unique"),
        ]
        indexes = [models.Index(fields=["school", "school_year", "grade"])]

    def __str__(self) -> str:
        return f"{self.student} at {self.school} {school_years.label(self.school_year)}"


class StudentResult(models.Model):
    administration = models.ForeignKey(Administration, on_delete=models.PROTECT, related_name="results", db_index=False)
    # The unique (student, administration) index serves lookups by student.
    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="results", db_index=False)
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="results", db_index=False)
    grade = models.CharField(max_length=2, choices=GRADE_CHOICES)
    scale_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    level = models.PositiveSmallIntegerField(null=True, blank=True, help_text="Performance level rank.")
    valid = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["student", "administration"], name="result_unique"),
        ]
        indexes = [models.Index(fields=["school", "administration", "grade"])]

    def __str__(self) -> str:
        return f"{self.student} {self.administration}: {self.scale_score}"


class StudentGroup(models.Model):
    """A group results are reported for. `code` is the state's id where it has one (CDE's list
    for California); `rule` says how to find its students in Tandem's own data."""

    code = models.CharField(max_length=20, unique=True)
    label = models.CharField(max_length=150)
    category = models.CharField(max_length=60)
    # e.g. {"race": ["hispanic"]}, {"fluency": ["EL"], "disadvantaged": true}; {} means all students.
    rule = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["category", "label"]

    def __str__(self) -> str:
        return self.label


class PublicResult(models.Model):
    """A published aggregate: a school's, district's or the state's results for one student group."""

    class Entity(models.TextChoices):
        SCHOOL = "school", "School"
        DISTRICT = "district", "District"
        STATE = "state", "State"

    entity = models.CharField(max_length=10, choices=Entity.choices)
    # Indexed below, leading the indexes that one school's or district's results are looked up by.
    school = models.ForeignKey(
        School, null=True, blank=True, on_delete=models.CASCADE, related_name="public_results", db_index=False
    )
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.CASCADE, related_name="public_results", db_index=False
    )
    state = models.CharField(max_length=2, blank=True)
    assessment = models.ForeignKey(Assessment, on_delete=models.PROTECT, related_name="public_results")
    school_year = models.PositiveSmallIntegerField()
    # "all" for all grades together.
    grade = models.CharField(max_length=3)
    group = models.ForeignKey(StudentGroup, on_delete=models.PROTECT, related_name="public_results")
    students_tested = models.PositiveIntegerField(null=True, blank=True)
    mean_scale_score = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    # Percent of tested students in each level (level 1 is the lowest); null where the publisher
    # suppressed the cell or the assessment has fewer levels.
    pct_level_1 = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pct_level_2 = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pct_level_3 = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pct_level_4 = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pct_level_5 = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pct_met_and_above = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    # The natural key of the entity: the CDS code (or NCES id) of the school or district, or "CA".
    entity_key = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["entity", "entity_key", "assessment", "school_year", "grade", "group"],
                name="public_result_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(entity="school", school__isnull=False)
                    | Q(entity="district", district__isnull=False)
                    | Q(entity="state", state__gt="")
                ),
                name="public_result_has_entity",
            ),
        ]
        indexes = [
            models.Index(fields=["assessment", "school_year", "group", "grade"]),
            # A comparison page asks for one school's (or district's) results by assessment, year and
            # grade, and for a hundred similar schools' at once.
            models.Index(fields=["school", "assessment", "school_year", "grade"], name="public_result_school"),
            models.Index(fields=["district", "assessment", "school_year", "grade"], name="public_result_district"),
        ]

    def __str__(self) -> str:
        return f"{self.entity_key} {self.assessment} {self.school_year} {self.group}"


class ImportRun(models.Model):
    """One import of one file: what it was, how far it got, and what it found."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Imported"
        FAILED = "failed", "Failed: nothing was changed"

    kind = models.CharField(max_length=30)
    format = models.CharField(max_length=30)
    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    options = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    rows_done = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True)
    errors = models.JSONField(default=list, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error_count = models.PositiveIntegerField(default=0)
    warning_count = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.SUCCEEDED:
            return 100
        if not self.rows_total:
            return 0
        return min(99, int(self.rows_done * 100 / self.rows_total))
