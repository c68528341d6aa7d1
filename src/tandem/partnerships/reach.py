"""Reach: how many districts, schools, students, teachers and principals the partnerships served,
school year by school year."""

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tandem.core import school_years
from tandem.orgs.models import SchoolDemographics
from tandem.partnerships.models import Partnership, PartnershipSchool


@dataclass(frozen=True)
class ReachRow:
    school_year: int
    districts: int
    schools: int
    students: int
    teachers: int
    principals: int
    # Served schools with no published demographics that year: their students are not counted.
    schools_without_data: int

    @property
    def label(self) -> str:
        return school_years.label(self.school_year)


def served_school_ids(partnerships: QuerySet[Partnership], year: int, within: Any = None) -> tuple[set[int], set[int]]:
    """School and district ids served in a school year by these partnerships; `within` limits the
    schools to those a person may see (None or ALL: every school)."""
    first, last = school_years.span(year)
    active = [p for p in partnerships if p.active_in(year)]
    memberships = PartnershipSchool.objects.filter(partnership__in=[p.pk for p in active], joined_on__lte=last).exclude(
        left_on__lt=first
    )
    if isinstance(within, frozenset):
        memberships = memberships.filter(school_id__in=within)
    schools: set[int] = set()
    districts = {p.district_id for p in active if p.district_id}
    for school_id, district_id in memberships.values_list("school_id", "school__district_id"):
        schools.add(school_id)
        districts.add(district_id)
    return schools, districts


def reach_by_year(partnerships: QuerySet[Partnership], years: list[int], within: Any = None) -> list[ReachRow]:
    partnerships = partnerships.only("pk", "district_id", "start_date", "end_date", "status")
    rows = []
    for year in years:
        schools, districts = served_school_ids(partnerships, year, within)
        demo = SchoolDemographics.objects.filter(school_id__in=schools, school_year=year)
        students = teachers = 0
        with_data = 0
        for enrollment, n_teachers in demo.values_list("enrollment", "teachers"):
            students += enrollment
            teachers += n_teachers or 0
            with_data += 1
        rows.append(
            ReachRow(
                school_year=year,
                districts=len(districts),
                schools=len(schools),
                students=students,
                teachers=teachers,
                principals=len(schools),
                schools_without_data=len(schools) - with_data,
            )
        )
    return rows


def years_with_partnerships(partnerships: QuerySet[Partnership]) -> list[int]:
    starts = [p.start_date for p in partnerships.only("start_date")]
    if not starts:
        return []
    first = school_years.of_date(min(starts))
    return list(range(first, school_years.current() + 1))
