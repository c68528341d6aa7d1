"""The leadership network: school and district leaders across partnerships who learn effective
practices from one another, in cohorts by school year.

Convenings are learning sessions (`learning.Session`) that invite a cohort, so they sit on the same
calendar, with the same agenda, materials, attendance, notes and takeaways as every other session.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from tandem.core import school_years
from tandem.orgs.models import District, Person, School


class Cohort(models.Model):
    name = models.CharField(max_length=120)
    school_year = models.PositiveSmallIntegerField(help_text="By its spring: 2027 for 2026–27.")
    description = models.TextField(blank=True)
    facilitators = models.ManyToManyField(Person, blank=True, related_name="facilitated_cohorts")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-school_year", "name"]
        constraints = [models.UniqueConstraint(fields=["name", "school_year"], name="cohort_name_year")]

    def __str__(self) -> str:
        return f"{self.name}, {school_years.label(self.school_year)}"

    def get_absolute_url(self) -> str:
        return reverse("network:cohort", args=[self.pk])

    @property
    def year_label(self) -> str:
        return school_years.label(self.school_year)

    def clean(self) -> None:
        first, last = school_years.EARLIEST.year + 1, school_years.LATEST.year
        if self.school_year is not None and not first <= self.school_year <= last:
            raise ValidationError(
                {"school_year": f"Give a school year from {school_years.label(first)} to {school_years.label(last)}."}
            )


class Member(models.Model):
    class Role(models.TextChoices):
        PRINCIPAL = "principal", "Principal"
        ASSISTANT_PRINCIPAL = "assistant_principal", "Assistant principal"
        TEACHER_LEADER = "teacher_leader", "Teacher leader"
        DISTRICT_LEADER = "district_leader", "District leader"
        OTHER = "other", "Other"

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="network_memberships")
    role = models.CharField(max_length=30, choices=Role.choices)
    title = models.CharField(max_length=120, blank=True, help_text='In their own words, e.g. "Director of Literacy".')
    # A school leader's school; a district leader's district (the school's district is implied).
    school = models.ForeignKey(School, null=True, blank=True, on_delete=models.PROTECT, related_name="network_members")
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="network_members"
    )
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["cohort", "person__full_name", "pk"]
        constraints = [models.UniqueConstraint(fields=["cohort", "person"], name="member_once_a_cohort")]

    def __str__(self) -> str:
        return f"{self.person} in {self.cohort}"

    def clean(self) -> None:
        if self.school_id is None and self.district_id is None:
            raise ValidationError({"school": "Give the member's school, or their district for a district leader."})
        if self.school_id and self.district_id and self.school.district_id != self.district_id:
            raise ValidationError({"district": f"{self.school} is not in {self.district}."})

    @property
    def place(self) -> School | District | None:
        return self.school or self.district
