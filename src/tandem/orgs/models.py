import itertools
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone

from tandem.core import school_years

GRADES = ["TK", "K"] + [str(g) for g in range(1, 13)]
GRADE_ORDER = {g: i for i, g in enumerate(GRADES)}

percent = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]


def default_growth_cuts() -> list[int]:
    return [20, 40, 60, 80]


class Organization(models.Model):
    name = models.CharField(max_length=200)
    short_name = models.CharField(max_length=40, blank=True)
    website = models.URLField(blank=True)
    # Small-n suppression (see tandem.analytics.suppression): the defaults follow common state
    # reporting practice; an organization bound by a stricter agreement raises them.
    suppress_groups_below = models.PositiveSmallIntegerField(
        default=11,
        validators=[MinValueValidator(2)],
        help_text="Results of a student group with fewer students tested than this are hidden.",
    )
    suppress_counts_below = models.PositiveSmallIntegerField(
        default=4,
        validators=[MinValueValidator(1)],
        help_text="A count of students (at one level, say) below this is hidden.",
    )
    # Similar schools (see tandem.analytics.similar): how many peers a school is compared with, and
    # weights that override the default weight of a demographic feature (missing ones keep theirs).
    similar_schools_count = models.PositiveSmallIntegerField(
        default=100,
        validators=[MinValueValidator(5), MaxValueValidator(500)],
        help_text="How many similar schools of the same type a school is compared with.",
    )
    similar_schools_weights = models.JSONField(
        default=dict,
        blank=True,
        help_text=(
            'Weights that override the defaults, e.g. {"pct_english_learners": 2, "enrollment": 0}. '
            "Features not listed keep their default weight."
        ),
    )
    growth_level_cuts = models.JSONField(
        default=default_growth_cuts,
        help_text=(
            "Four rising SGPs that start the growth levels low, typical, high and very high, e.g. [20, 40, 60, 80]."
        ),
    )
    coaching_cycle_steps = models.JSONField(
        default=list,
        blank=True,
        help_text="The steps of a coaching cycle, in order; empty for goal, learn, practice, review.",
    )

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # Imported here: the analytics engine imports this module.
        from tandem.analytics.similar import weight_errors

        errors: dict[str, list[str]] = {}
        weights = weight_errors(self.similar_schools_weights)
        if weights:
            errors["similar_schools_weights"] = weights
        cuts = self.growth_level_cuts
        if not (
            isinstance(cuts, list)
            and len(cuts) == 4
            and all(type(c) is int and 2 <= c <= 99 for c in cuts)
            and all(a < b for a, b in itertools.pairwise(cuts))
        ):
            errors["growth_level_cuts"] = [
                f"Give four rising whole SGPs from 2 to 99, like [20, 40, 60, 80]; not {cuts!r}."
            ]
        if errors:
            raise ValidationError(errors)


class Region(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="regions")
    name = models.CharField(max_length=120)
    time_zone = models.CharField(max_length=64, default="America/Los_Angeles")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="region_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:region", args=[self.pk])


class Team(models.Model):
    class Kind(models.TextChoices):
        NATIONAL = "national", "National"
        REGIONAL = "regional", "Regional"
        OTHER = "other", "Other"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="teams")
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=120)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    purpose = models.TextField(blank=True)
    members = models.ManyToManyField("Person", through="TeamMembership", related_name="teams")

    class Meta:
        ordering = ["kind", "name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.REGIONAL and self.region_id is None:
            raise ValidationError({"region": "A regional team belongs to a region."})
        if self.kind == self.Kind.NATIONAL and self.region_id is not None:
            raise ValidationError({"region": "A national team spans all regions; leave region empty."})


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE)
    person = models.ForeignKey("Person", on_delete=models.CASCADE)
    role = models.CharField(max_length=80, blank=True)
    joined_on = models.DateField(default=timezone.localdate)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["team", "person"], name="team_member_unique")]

    def __str__(self) -> str:
        return f"{self.person} in {self.team}"


class District(models.Model):
    # Districts met only in data files (for comparisons) belong to no region of the organization.
    region = models.ForeignKey(Region, null=True, blank=True, on_delete=models.PROTECT, related_name="districts")
    name = models.CharField(max_length=200)
    state_id = models.CharField(
        "state number",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="The number data files use for the district, where it is not its CDS code.",
    )
    # The first seven digits of a California CDS code: county (2) + district (5).
    cds_code = models.CharField(
        "CDS code",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "A district CDS code is 7 digits (county + district).")],
    )
    nces_id = models.CharField(
        "NCES district id",
        max_length=7,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{7}$", "An NCES district id is 7 digits.")],
    )
    city = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=2, default="CA")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:district", args=[self.pk])


class School(models.Model):
    class Level(models.TextChoices):
        ELEMENTARY = "elementary", "Elementary"
        MIDDLE = "middle", "Middle"
        HIGH = "high", "High"
        OTHER = "other", "Other"

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    state_id = models.CharField(
        "state number",
        max_length=20,
        unique=True,
        null=True,
        blank=True,
        help_text="The number data files use for the school, where it is not its CDS code.",
    )
    cds_code = models.CharField(
        "CDS code",
        max_length=14,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{14}$", "A CDS code is 14 digits: county (2), district (5), school (7).")],
    )
    nces_id = models.CharField(
        "NCES school id",
        max_length=12,
        unique=True,
        null=True,
        blank=True,
        validators=[RegexValidator(r"^\d{12}$", "An NCES school id is 12 digits.")],
    )
    level = models.CharField(max_length=20, choices=Level.choices)
    lowest_grade = models.CharField(max_length=2, choices=[(g, g) for g in GRADES])
    highest_grade = models.CharField(max_length=2, choices=[(g, g) for g in GRADES])
    city = models.CharField(max_length=120, blank=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("orgs:school", args=[self.pk])

    def clean(self) -> None:
        errors = {}
        grades = self.lowest_grade in GRADE_ORDER and self.highest_grade in GRADE_ORDER
        if grades and GRADE_ORDER[self.lowest_grade] > GRADE_ORDER[self.highest_grade]:
            errors["highest_grade"] = "The highest grade cannot be below the lowest grade."
        district_code = self.district.cds_code if self.district_id else None
        if self.cds_code and district_code and not self.cds_code.startswith(district_code):
            errors["cds_code"] = f"A school's CDS code starts with its district's code ({self.district.cds_code})."
        if errors:
            raise ValidationError(errors)

    @property
    def grades_served(self) -> str:
        return f"{self.lowest_grade}–{self.highest_grade}"


class SchoolDemographics(models.Model):
    """One school year's enrollment profile, as published by the state."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="demographics")
    school_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    enrollment = models.PositiveIntegerField()
    teachers = models.PositiveIntegerField(null=True, blank=True, help_text="Teachers on staff (headcount).")
    pct_socioeconomically_disadvantaged = models.DecimalField(max_digits=5, decimal_places=1, validators=percent)
    pct_english_learners = models.DecimalField(max_digits=5, decimal_places=1, validators=percent)
    pct_students_with_disabilities = models.DecimalField(max_digits=5, decimal_places=1, validators=percent)
    # Shares of enrollment by race/ethnicity, keyed by the state's reporting categories.
    race_ethnicity = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["school", "-school_year"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year"], name="demographics_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.school} {school_years.label(self.school_year)}"

    def clean(self) -> None:
        shares = self.race_ethnicity or {}
        if not isinstance(shares, dict):
            raise ValidationError({"race_ethnicity": "Give the shares as a mapping of group to percent."})
        for group, share in shares.items():
            if not isinstance(share, (int, float)) or not 0 <= share <= 100:
                raise ValidationError({"race_ethnicity": f"The share for {group!r} must be a percent from 0 to 100."})
        if shares and not 99 <= sum(shares.values()) <= 101:
            raise ValidationError(
                {"race_ethnicity": f"The race/ethnicity shares add up to {sum(shares.values()):.1f}%, not 100%."}
            )

    @property
    def year_label(self) -> str:
        return school_years.label(self.school_year)


class PersonManager(BaseUserManager["Person"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "Person":
        if not email:
            raise ValueError("A person needs an email address to sign in.")
        person = self.model(email=self.normalize_email(email).lower(), **fields)
        person.set_password(password)
        person.save(using=self._db)
        return person

    def get_by_natural_key(self, username: str | None) -> "Person":
        # People type their email with whatever capitals they like; addresses are stored lower-case.
        return self.get(email__iexact=(username or "").strip())


class Person(AbstractBaseUser):
    """Anyone who signs in: staff, school and district leaders, teachers, funders."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150)
    title = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    bio = models.TextField(blank=True)
    is_active = models.BooleanField(default=True)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = PersonManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = "person"
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("orgs:person", args=[self.pk])

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    # The back office (Django admin) is for people who hold an active org admin role: access comes
    # and goes with the role, never from a flag that could outlive it.
    @property
    def is_staff(self) -> bool:
        from tandem.access.roles import Role
        from tandem.access.scope import scope_for

        return self.is_active and self.is_authenticated and scope_for(self).has_role(Role.ORG_ADMIN)

    @property
    def is_superuser(self) -> bool:
        return self.is_staff

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return self.is_staff

    def has_perms(self, perm_list: object, obj: object = None) -> bool:
        return self.is_staff

    def has_module_perms(self, app_label: str) -> bool:
        return self.is_staff
