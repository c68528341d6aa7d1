from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from ninja import Query, Router, Schema
from pydantic import Field

from tandem.api.common import NO_NUL, READ_ERRORS, Page, page_of
from tandem.core.forms import MAX_ID

router = Router(tags=["organization"])


class RegionOut(Schema):
    id: int
    name: str
    time_zone: str


class DistrictOut(Schema):
    id: int
    name: str
    region_id: int
    cds_code: str | None
    nces_id: str | None
    city: str
    state: str


class DemographicsOut(Schema):
    school_year: int
    enrollment: int
    teachers: int | None
    pct_socioeconomically_disadvantaged: float
    pct_english_learners: float
    pct_students_with_disabilities: float
    race_ethnicity: dict[str, float]


class SchoolOut(Schema):
    id: int
    name: str
    district_id: int
    cds_code: str | None
    nces_id: str | None
    level: str
    lowest_grade: str
    highest_grade: str
    city: str


class SchoolDetailOut(SchoolOut):
    demographics: list[DemographicsOut]


class RoleOut(Schema):
    role: str
    scope_kind: str
    scope_id: int


class PersonOut(Schema):
    id: int
    full_name: str
    email: str
    title: str


class MeOut(PersonOut):
    roles: list[RoleOut]


class Paging(Schema):
    limit: int = Field(50, ge=1, le=500)
    offset: int = Field(0, ge=0, le=10_000_000)


class SchoolFilters(Paging):
    q: str | None = Field(None, pattern=NO_NUL, max_length=100)
    district_id: int | None = Field(None, ge=1, le=MAX_ID)
    region_id: int | None = Field(None, ge=1, le=MAX_ID)
    level: str | None = Field(None, pattern="^(elementary|middle|high|other)$")


def _role(r: Any) -> dict[str, Any]:
    return {"role": r.role, "scope_kind": r.scope_kind.value, "scope_id": r.scope_object.pk}


@router.get("/me", response={200: MeOut, **READ_ERRORS})
def me(request: HttpRequest) -> Any:
    person = request.user
    return {
        "id": person.pk,
        "full_name": person.full_name,
        "email": person.email,
        "title": person.title,
        "roles": [_role(r) for r in request.scope.roles],
    }


@router.get("/regions", response={200: Page[RegionOut], **READ_ERRORS})
def list_regions(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(request.scope.regions(), paging.limit, paging.offset, lambda o: o)


@router.get("/regions/{region_id}", response={200: RegionOut, **READ_ERRORS})
def get_region(request: HttpRequest, region_id: int) -> Any:
    return request.scope.get(request.scope.regions(), region_id)


@router.get("/districts", response={200: Page[DistrictOut], **READ_ERRORS})
def list_districts(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(request.scope.districts(), paging.limit, paging.offset, lambda o: o)


@router.get("/districts/{district_id}", response={200: DistrictOut, **READ_ERRORS})
def get_district(request: HttpRequest, district_id: int) -> Any:
    return request.scope.get(request.scope.districts(), district_id)


@router.get("/schools", response={200: Page[SchoolOut], **READ_ERRORS})
def list_schools(request: HttpRequest, filters: Query[SchoolFilters]) -> Any:
    qs = request.scope.schools()
    if filters.q:
        qs = qs.filter(Q(name__icontains=filters.q) | Q(cds_code__startswith=filters.q))
    if filters.district_id is not None:
        qs = qs.filter(district_id=filters.district_id)
    if filters.region_id is not None:
        qs = qs.filter(district__region_id=filters.region_id)
    if filters.level:
        qs = qs.filter(level=filters.level)
    return page_of(qs, filters.limit, filters.offset, lambda o: o)


@router.get("/schools/{school_id}", response={200: SchoolDetailOut, **READ_ERRORS})
def get_school(request: HttpRequest, school_id: int) -> Any:
    school = request.scope.get(request.scope.schools(), school_id)
    school.demographics_list = list(school.demographics.all())
    return {**SchoolOut.from_orm(school).dict(), "demographics": school.demographics_list}


@router.get("/people", response={200: Page[PersonOut], **READ_ERRORS})
def list_people(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(request.scope.people(), paging.limit, paging.offset, lambda o: o)


@router.get("/people/{person_id}", response={200: PersonOut, **READ_ERRORS})
def get_person(request: HttpRequest, person_id: int) -> Any:
    return request.scope.get(request.scope.people(), person_id)
