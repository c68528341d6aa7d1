"""What coaching costs: session hours priced at each coach's loaded hourly cost for the school year,
added up per school and per partnership, beside the partnership's cost of service and its funding.

Pure functions over a queryset of relationships the caller may see: the data dive (dives.py), the
API and the exports all call `cost_report`, so they agree to the cent. Four queries whatever the
amount of data.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q, QuerySet, Sum

from tandem.coaching.models import Relationship, Session, StaffCost
from tandem.core import school_years
from tandem.partnerships.models import CostOfService, PartnershipSchool

CENT = Decimal("0.01")
NO_SCHOOL = "No school"


def money(amount: Decimal) -> Decimal:
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def hours(minutes: int) -> float:
    """Hours with one decimal, as tables show them."""
    return round(minutes / 60, 1)


@dataclass(frozen=True)
class MissingCost:
    """A coach whose hours in the year have no hourly cost to price them with."""

    coach_id: int
    coach: str
    minutes: int

    @property
    def hours(self) -> float:
        return hours(self.minutes)


@dataclass
class SchoolCost:
    school_id: int | None  # None: coaching recorded without a school
    school: str
    minutes: int = 0
    # Minutes of coaches with no StaffCost for the year: in `minutes`, not priced in `cost`.
    unpriced_minutes: int = 0
    cost: Decimal = Decimal("0.00")

    @property
    def hours(self) -> float:
        return hours(self.minutes)

    @property
    def unpriced_hours(self) -> float:
        return hours(self.unpriced_minutes)


@dataclass
class PartnershipCost:
    partnership_id: int
    partnership: str
    # The partnership's schools (members that year) that have coaching in the caller's relationships.
    school_ids: list[int] = field(default_factory=list)
    minutes: int = 0
    unpriced_minutes: int = 0
    coaching_cost: Decimal = Decimal("0.00")
    # From the partnership's CostOfService for the year; None when none was entered.
    total_cost: Decimal | None = None
    funded: Decimal | None = None

    @property
    def hours(self) -> float:
        return hours(self.minutes)

    @property
    def gap(self) -> Decimal | None:
        """The cost of service not covered by funding (negative: funded beyond the cost)."""
        if self.total_cost is None:
            return None
        return self.total_cost - (self.funded or Decimal("0"))

    @property
    def coaching_share(self) -> float | None:
        """Coaching's part of the cost of service, in percent."""
        if not self.total_cost:
            return None
        return round(float(self.coaching_cost * 100 / self.total_cost), 1)


@dataclass
class CostReport:
    school_year: int
    schools: list[SchoolCost]
    partnerships: list[PartnershipCost]
    missing: list[MissingCost]

    @property
    def total_cost(self) -> Decimal:
        return sum((s.cost for s in self.schools), Decimal("0.00"))

    def missing_note(self) -> str:
        """What tables print when some hours could not be priced ("" when all could)."""
        if not self.missing:
            return ""
        who = "; ".join(f"{m.coach} ({m.hours:.1f} h)" for m in self.missing)
        return (
            f"No hourly cost entered for {school_years.label(self.school_year)} for: {who}. "
            "Their hours are counted, without cost."
        )


def cost_report(relationships: QuerySet[Relationship], school_year: int) -> CostReport:
    """Session hours × each coach's loaded hourly cost, per school and per partnership, for one school year."""
    first, last = school_years.span(school_year)
    # 1. Minutes per (school, coach): the only level at which a price applies.
    sessions = (
        Session.objects.filter(relationship__in=relationships, held_on__range=(first, last))
        .values(
            "relationship__school_id",
            "relationship__school__name",
            "relationship__coach_id",
            "relationship__coach__full_name",
        )
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    rows = list(sessions)
    coach_ids = {r["relationship__coach_id"] for r in rows}
    # 2. Hourly costs of those coaches for the year (unique per person and year).
    rates = dict(
        StaffCost.objects.filter(person_id__in=coach_ids, school_year=school_year).values_list(
            "person_id", "hourly_cost"
        )
    )

    by_school: dict[int | None, SchoolCost] = {}
    unpriced: dict[int, int] = defaultdict(int)
    names: dict[int, str] = {}
    for r in rows:
        school_id = r["relationship__school_id"]
        school = by_school.get(school_id)
        if school is None:
            school = by_school[school_id] = SchoolCost(school_id, r["relationship__school__name"] or NO_SCHOOL)
        minutes, coach_id = r["minutes"] or 0, r["relationship__coach_id"]
        names[coach_id] = r["relationship__coach__full_name"]
        school.minutes += minutes
        rate = rates.get(coach_id)
        if rate is None:
            school.unpriced_minutes += minutes
            unpriced[coach_id] += minutes
        else:
            school.cost += Decimal(minutes) * rate / 60
    for school in by_school.values():
        school.cost = money(school.cost)
    # Costliest first; "No school" (id None) sorts by its cost like any other row.
    schools = sorted(by_school.values(), key=lambda s: (-s.cost, -s.minutes, s.school))

    missing = sorted((MissingCost(pk, names[pk], m) for pk, m in unpriced.items()), key=lambda m: (m.coach, m.coach_id))

    return CostReport(school_year, schools, _partnerships(by_school, school_year), missing)


def _partnerships(by_school: dict[int | None, SchoolCost], school_year: int) -> list[PartnershipCost]:
    school_ids = [pk for pk in by_school if pk is not None]
    if not school_ids:
        return []
    first, last = school_years.span(school_year)
    # 3. Memberships that overlap the school year: a school counts to the partnerships it was in that year.
    memberships = (
        PartnershipSchool.objects.filter(school_id__in=school_ids, joined_on__lte=last)
        .filter(Q(left_on__isnull=True) | Q(left_on__gte=first))
        .values_list("partnership_id", "partnership__name", "school_id")
        .order_by("partnership__name", "partnership_id", "school_id")
    )
    found: dict[int, PartnershipCost] = {}
    for partnership_id, name, school_id in memberships:
        p = found.get(partnership_id)
        if p is None:
            p = found[partnership_id] = PartnershipCost(partnership_id, name)
        school = by_school[school_id]
        p.school_ids.append(school_id)
        p.minutes += school.minutes
        p.unpriced_minutes += school.unpriced_minutes
        p.coaching_cost += school.cost
    # 4. Cost of service and its funding, summed in the database (one CostOfService per partnership and year).
    services = (
        CostOfService.objects.filter(partnership_id__in=found, school_year=school_year)
        .annotate(funded=Sum("sources__amount"))
        .values_list("partnership_id", "total_cost", "funded")
    )
    for partnership_id, total_cost, funded in services:
        found[partnership_id].total_cost = total_cost
        found[partnership_id].funded = funded or Decimal("0.00")
    return list(found.values())
