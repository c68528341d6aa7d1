import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, QuerySet, Sum
from django.urls import reverse

from tandem.core import school_years
from tandem.orgs.models import District, Organization, Person, School


class Partnership(models.Model):
    class Model(models.TextChoices):
        INTENSIVE = "intensive", "Intensive (about 3.5 days a week on site)"
        TARGETED = "targeted", "Targeted (1.5–2 days a week)"
        NETWORK = "network", "Network"

    class Phase(models.TextChoices):
        EXPLORING = "exploring", "Exploring"
        LAUNCH = "launch", "Launch"
        DEEPENING = "deepening", "Deepening"
        SUSTAINING = "sustaining", "Sustaining"
        TRANSITION = "transition", "Transition"

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        COMPLETED = "completed", "Completed"
        ENDED_EARLY = "ended_early", "Ended early"

    # Seeds: school partnerships usually last 3–5 years, district partnerships 5–7.
    PLANNED_YEARS = {"school": (3, 5), "district": (5, 7)}

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="partnerships")
    name = models.CharField(max_length=200)
    district = models.ForeignKey(
        District,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partnerships",
        help_text="Set for a partnership with the district office; leave empty for school-only work.",
    )
    schools = models.ManyToManyField(School, through="PartnershipSchool", related_name="partnerships", blank=True)
    model = models.CharField(max_length=20, choices=Model.choices)
    start_date = models.DateField()
    planned_years = models.PositiveSmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    end_date = models.DateField(null=True, blank=True, help_text="When the partnership actually ended.")
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.LAUNCH)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    goals = models.TextField(blank=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="partnership_ends_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partnerships:detail", args=[self.pk])

    @property
    def kind(self) -> str:
        return "district" if self.district_id else "school"

    @property
    def planned_end(self) -> datetime.date:
        return school_years.add_years(self.start_date, self.planned_years)

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.start_date and not school_years.EARLIEST <= self.start_date <= school_years.LATEST:
            errors["start_date"] = f"Give a start date from {school_years.EARLIEST.year} to {school_years.LATEST.year}."
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        if self.status in (self.Status.COMPLETED, self.Status.ENDED_EARLY) and not self.end_date:
            errors["end_date"] = "A completed or ended partnership needs its end date."
        if errors:
            raise ValidationError(errors)

    def current_schools(self) -> QuerySet[School]:
        """The schools in the partnership now (not those that left)."""
        return School.objects.filter(
            partnership_memberships__partnership=self, partnership_memberships__left_on__isnull=True
        )

    def planned_length_note(self) -> str:
        low, high = self.PLANNED_YEARS[self.kind]
        if self.planned_years and not low <= self.planned_years <= high:
            return f"{self.kind.title()} partnerships usually run {low}–{high} years."
        return ""

    def active_in(self, year: int) -> bool:
        first, last = school_years.span(year)
        if self.status == self.Status.PROPOSED or self.start_date > last:
            return False
        return self.end_date is None or self.end_date >= first


class PartnershipSchool(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="memberships")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="partnership_memberships")
    joined_on = models.DateField()
    left_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school__name"]
        constraints = [
            models.UniqueConstraint(fields=["partnership", "school"], name="partnership_school_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.school} in {self.partnership}"

    def clean(self) -> None:
        p = self.partnership
        if p.district_id and self.school_id and self.school.district_id != p.district_id:
            raise ValidationError({"school": f"{self.school} is not in {p.district}, this partnership's district."})
        if self.left_on and self.joined_on and self.left_on < self.joined_on:
            raise ValidationError({"left_on": "A school cannot leave before it joined."})


class SiteAssignment(models.Model):
    """A staff member placed at a partner school (seeds: normally one or two per school)."""

    class Role(models.TextChoices):
        LEAD_PARTNER = "lead_partner", "Lead partner"
        PARTNER = "partner", "Partner"
        DISTRICT_PARTNER = "district_partner", "District partner"
        SPECIALIST = "specialist", "Content specialist"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="assignments")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="site_assignments")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="site_assignments")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PARTNER)
    days_per_week = models.DecimalField(
        max_digits=3,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("5"))],
    )
    start_date = models.DateField()
    end_date = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["school__name", "start_date"]

    def __str__(self) -> str:
        return f"{self.person} at {self.school}"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = "The end date cannot be before the start date."
        member = PartnershipSchool.objects.filter(partnership_id=self.partnership_id, school_id=self.school_id)
        if self.partnership_id and self.school_id and not member.exists():
            errors["school"] = f"{self.school} is not one of this partnership's schools."
        if self.person_id and self.start_date:
            overlapping = SiteAssignment.objects.filter(
                person_id=self.person_id, school_id=self.school_id, start_date__lte=self.end_date or datetime.date.max
            ).filter(Q(end_date__isnull=True) | Q(end_date__gte=self.start_date))
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            if overlapping.exists():
                errors["person"] = f"{self.person} is already assigned to this school for part of these dates."
        if errors:
            raise ValidationError(errors)

    def active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day and (self.end_date is None or self.end_date >= day)


class CostOfService(models.Model):
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="costs")
    school_year = models.PositiveSmallIntegerField(validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    total_cost = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0"))])
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["partnership", "school_year"]
        verbose_name_plural = "costs of service"
        constraints = [
            models.UniqueConstraint(fields=["partnership", "school_year"], name="cost_one_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.partnership} {school_years.label(self.school_year)}"

    @property
    def year_label(self) -> str:
        return school_years.label(self.school_year)

    def funded(self) -> Decimal:
        return self.sources.aggregate(total=Sum("amount"))["total"] or Decimal("0")

    def fees(self) -> Decimal:
        return self.sources.filter(kind__in=FundingSource.FEE_KINDS).aggregate(total=Sum("amount"))["total"] or Decimal(
            "0"
        )

    def fee_share(self) -> Decimal | None:
        """Share of the cost paid by the schools and districts served, in percent."""
        if not self.total_cost:
            return None
        return (self.fees() * 100 / self.total_cost).quantize(Decimal("0.1"))


class FundingSource(models.Model):
    class Kind(models.TextChoices):
        SCHOOL_FEES = "school_fees", "School fees"
        DISTRICT_FEES = "district_fees", "District fees"
        FOUNDATION = "foundation", "Foundation"
        CORPORATE = "corporate", "Corporate"
        INDIVIDUAL = "individual", "Individual gifts"
        PUBLIC_GRANT = "public_grant", "Public grant"
        OTHER = "other", "Other"

    FEE_KINDS = (Kind.SCHOOL_FEES, Kind.DISTRICT_FEES)

    cost = models.ForeignKey(CostOfService, on_delete=models.CASCADE, related_name="sources")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    funder_name = models.CharField(max_length=200, blank=True)
    amount = models.DecimalField(max_digits=12, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))])

    class Meta:
        ordering = ["cost", "kind"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount}"
