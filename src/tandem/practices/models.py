"""The practice library: effective practices written up with their evidence.

A practice starts as a draft (from a session's takeaway, say) that only its author and the
organization's leaders see; publishing it puts it in the library. Its evidence is of three kinds:
where it was tried (and "we tried this" reports from other schools), the cycles of inquiry that led
to it (`inquiry.CycleLink`, relation "led to") with their goals' outcomes, and research citations.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from tandem.achievement.models import StudentGroup
from tandem.core import school_years
from tandem.orgs.models import GRADE_ORDER, GRADES, Person, School


class Evidence(models.TextChoices):
    """ESSA's four tiers, the labels school and district leaders already use for evidence."""

    UNRATED = "unrated", "Not yet rated"
    RATIONALE = "rationale", "Demonstrates a rationale (tier 4)"
    PROMISING = "promising", "Promising evidence (tier 3)"
    MODERATE = "moderate", "Moderate evidence (tier 2)"
    STRONG = "strong", "Strong evidence (tier 1)"


class Tag(models.Model):
    name = models.CharField(max_length=60, unique=True)
    slug = models.SlugField(max_length=60, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: object, **kwargs: object) -> None:
        self.slug = self.slug or slugify(self.name)[:60]
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class Practice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    summary = models.TextField(blank=True, help_text="What the practice is and when to use it.")
    problem = models.TextField(blank=True, help_text="The problem of practice or of student learning it addresses.")
    how = models.TextField(
        "how to do it", blank=True, help_text="The steps, roles and routines, as a school would follow them."
    )
    evidence = models.CharField(
        "strength of evidence", max_length=20, choices=Evidence.choices, default=Evidence.UNRATED
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="practices")
    contact = models.ForeignKey(
        Person,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Whom to ask about it; the author when left empty.",
    )
    tags = models.ManyToManyField(Tag, blank=True, related_name="practices")
    # Where the draft came from, in words any reader may see ("A takeaway from a learning session on 3 Oct 2026").
    origin = models.CharField(max_length=300, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("practices:practice", args=[self.pk])

    @property
    def published(self) -> bool:
        return self.status == self.Status.PUBLISHED


def grades_text(grades: list[str]) -> str:
    """Grades as stored on a trial: "|3|4|5|", so that "tried in grade 4" is a plain text match on
    either database (SQLite has no JSON containment), in the order grades come in school."""
    unknown = [g for g in grades if g not in GRADE_ORDER]
    if unknown:
        raise ValidationError({"grades": f"Unknown grade {unknown[0]!r}: use {', '.join(GRADES)}."})
    ordered = sorted(set(grades), key=GRADE_ORDER.__getitem__)
    return f"|{'|'.join(ordered)}|" if ordered else ""


class Trial(models.Model):
    """A school where the practice was tried: where it started (entered with the practice) or a
    "we tried this" report from another school."""

    class Kind(models.TextChoices):
        ORIGIN = "origin", "Where it started"
        REPORT = "report", "We tried this"

    class Result(models.TextChoices):
        IMPROVED = "improved", "It worked: results improved"
        MIXED = "mixed", "Mixed results"
        NO_CHANGE = "no_change", "No change"
        TOO_EARLY = "too_early", "Too early to tell"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="trials")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.REPORT)
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="practice_trials")
    school_year = models.PositiveSmallIntegerField(
        help_text="The school year it was tried, by its spring: 2026 for 2025–26."
    )
    grades = models.CharField(max_length=60, blank=True, help_text='Set through grades_text: "|3|4|5|".')
    groups = models.ManyToManyField(StudentGroup, blank=True, related_name="+", verbose_name="student groups")
    result = models.CharField(max_length=20, choices=Result.choices, default=Result.TOO_EARLY)
    story = models.TextField("what we did and what happened", blank=True)
    reported_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "-created_at", "pk"]
        indexes = [models.Index(fields=["school", "practice"])]

    def __str__(self) -> str:
        return f"{self.practice} at {self.school}, {school_years.label(self.school_year)}"

    def clean(self) -> None:
        self.grades = grades_text(self.grade_list)
        first, last = school_years.EARLIEST.year + 1, school_years.LATEST.year
        if self.school_year is not None and not first <= self.school_year <= last:
            raise ValidationError(
                {"school_year": f"Give a school year from {school_years.label(first)} to {school_years.label(last)}."}
            )

    @property
    def year_label(self) -> str:
        return school_years.label(self.school_year)

    @property
    def grade_list(self) -> list[str]:
        return [g for g in self.grades.split("|") if g]

    @property
    def grades_label(self) -> str:
        grades = self.grade_list
        if not grades:
            return "—"
        if len(grades) > 2 and GRADE_ORDER[grades[-1]] - GRADE_ORDER[grades[0]] == len(grades) - 1:
            return f"{grades[0]}–{grades[-1]}"
        return ", ".join(grades)


class Citation(models.Model):
    class Design(models.TextChoices):
        EXPERIMENTAL = "experimental", "Randomized controlled trial"
        QUASI = "quasi", "Quasi-experimental study"
        CORRELATIONAL = "correlational", "Correlational study with controls"
        REVIEW = "review", "Review or meta-analysis"
        QUALITATIVE = "qualitative", "Case study or qualitative research"
        OTHER = "other", "Other"

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="citations")
    reference = models.TextField(help_text="The full reference: authors, year, title, where published.")
    url = models.URLField("link", blank=True, max_length=500)
    design = models.CharField(max_length=20, choices=Design.choices, default=Design.OTHER)
    finding = models.TextField(blank=True, help_text="What it found, in a sentence or two.")
    added_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "added_at", "pk"]

    def __str__(self) -> str:
        return self.reference[:80]


class Attachment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="attachments")
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True, max_length=500)
    # Served only through the practice's page (`practices:attachment`), never from a public folder.
    file = models.FileField(upload_to="practices/%Y/%m/", blank=True)
    added_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "added_at", "pk"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["practice", "created_at", "pk"]

    def __str__(self) -> str:
        return self.body[:80]
