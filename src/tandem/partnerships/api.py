import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Schema, Status
from pydantic import Field

from tandem.access.roles import Capability
from tandem.access.scope import ALL
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.orgs.api import Paging
from tandem.orgs.models import Organization
from tandem.partnerships import actions
from tandem.partnerships.models import FundingSource, Partnership, SiteAssignment
from tandem.partnerships.reach import reach_by_year, years_with_partnerships

router = Router(tags=["partnerships"])
MANAGE = Capability.MANAGE_PARTNERSHIPS


class PartnershipOut(Schema):
    id: int
    name: str
    district_id: int | None
    school_ids: list[int]
    model: str
    start_date: datetime.date
    planned_years: int
    end_date: datetime.date | None
    phase: str
    status: str
    goals: str
    notes: str


class PartnershipIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    district_id: int | None = None
    school_ids: list[int] = []
    model: str = Field(pattern="^(" + "|".join(Partnership.Model.values) + ")$")
    start_date: datetime.date
    planned_years: int = Field(ge=1, le=10)
    end_date: datetime.date | None = None
    phase: str = Field(Partnership.Phase.LAUNCH, pattern="^(" + "|".join(Partnership.Phase.values) + ")$")
    status: str = Field(Partnership.Status.ACTIVE, pattern="^(" + "|".join(Partnership.Status.values) + ")$")
    goals: str = ""
    notes: str = ""


class PartnershipPatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=200)
    school_ids: list[int] | None = None
    model: str | None = Field(None, pattern="^(" + "|".join(Partnership.Model.values) + ")$")
    start_date: datetime.date | None = None
    planned_years: int | None = Field(None, ge=1, le=10)
    end_date: datetime.date | None = None
    phase: str | None = Field(None, pattern="^(" + "|".join(Partnership.Phase.values) + ")$")
    status: str | None = Field(None, pattern="^(" + "|".join(Partnership.Status.values) + ")$")
    goals: str | None = None
    notes: str | None = None


class AssignmentIn(Schema):
    school_id: int
    person_id: int
    role: str = Field(SiteAssignment.Role.PARTNER, pattern="^(" + "|".join(SiteAssignment.Role.values) + ")$")
    days_per_week: Decimal = Field(ge=Decimal("0.5"), le=Decimal("5"), decimal_places=1)
    start_date: datetime.date
    end_date: datetime.date | None = None


class AssignmentOut(Schema):
    id: int
    school_id: int
    person_id: int
    role: str
    days_per_week: Decimal
    start_date: datetime.date
    end_date: datetime.date | None


class FundingLineIn(Schema):
    kind: str = Field(pattern="^(" + "|".join(FundingSource.Kind.values) + ")$")
    amount: Decimal = Field(gt=0, max_digits=12, decimal_places=2)
    funder_name: str = Field("", max_length=200)


class CostIn(Schema):
    total_cost: Decimal = Field(ge=0, max_digits=12, decimal_places=2)
    sources: list[FundingLineIn] = []
    notes: str = ""


class CostOut(Schema):
    school_year: int
    total_cost: Decimal
    funded: Decimal
    fee_share_percent: Decimal | None
    sources: list[FundingLineIn]


class ReachOut(Schema):
    school_year: int
    districts: int
    schools: int
    students: int
    teachers: int
    principals: int
    schools_without_data: int


class PartnershipFilters(Paging):
    status: str | None = Field(None, pattern="^(" + "|".join(Partnership.Status.values) + ")$")
    model: str | None = Field(None, pattern="^(" + "|".join(Partnership.Model.values) + ")$")


def _out(p: Partnership, visible: Any) -> dict[str, Any]:
    """A partnership as the caller may see it: only the schools in their reach are named."""
    return {
        "id": p.pk,
        **{
            f"{f}_id" if f == "district" else f: getattr(p, f"{f}_id" if f == "district" else f)
            for f in actions.PARTNERSHIP_FIELDS
        },
        "school_ids": sorted(
            m.school_id for m in p.memberships.all() if m.left_on is None and (visible is ALL or m.school_id in visible)
        ),
    }


def _cost_out(c: Any) -> dict[str, Any]:
    return {
        "school_year": c.school_year,
        "total_cost": c.total_cost,
        "funded": c.funded(),
        "fee_share_percent": c.fee_share(),
        "sources": [{"kind": s.kind, "amount": s.amount, "funder_name": s.funder_name} for s in c.sources.all()],
    }


def _schools(request: HttpRequest, ids: list[int], field: str = "school_ids") -> list[Any]:
    """Resolve ids within what the caller manages; an unknown id is a field error, not a 404."""
    found = {s.pk: s for s in request.scope.schools(MANAGE).filter(pk__in=ids)}
    missing = [i for i in ids if i not in found]
    if missing:
        raise ValidationError({field: f"No school with id {', '.join(map(str, missing))}."})
    return [found[i] for i in ids]


@router.get("/partnerships", response={200: Page[PartnershipOut], **READ_ERRORS})
def list_partnerships(request: HttpRequest, filters: Query[PartnershipFilters]) -> Any:
    qs = request.scope.partnerships().prefetch_related("memberships")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.model:
        qs = qs.filter(model=filters.model)
    visible = request.scope.school_ids()
    return page_of(qs, filters.limit, filters.offset, lambda p: _out(p, visible))


@router.get("/partnerships/{partnership_id}", response={200: PartnershipOut, **READ_ERRORS})
def get_partnership(request: HttpRequest, partnership_id: int) -> Any:
    return _out(request.scope.get(request.scope.partnerships(), partnership_id), request.scope.school_ids())


@router.post("/partnerships", response={201: PartnershipOut, **WRITE_ERRORS})
def create_partnership(request: HttpRequest, data: PartnershipIn) -> Any:
    scope = request.scope
    if not scope.can(MANAGE):
        raise Http404("Not found.")
    fields = data.dict(exclude={"school_ids", "district_id"})
    district = None
    if data.district_id is not None:
        district = scope.districts(MANAGE).filter(pk=data.district_id).first()
        if district is None:
            raise ValidationError({"district_id": f"No district with id {data.district_id}."})
    partnership = actions.do_create_partnership(
        request.user,
        organization=Organization.objects.get(),
        schools=_schools(request, data.school_ids),
        district=district,
        **fields,
    )
    return Status(201, _out(partnership, scope.school_ids()))


@router.patch("/partnerships/{partnership_id}", response={200: PartnershipOut, **WRITE_ERRORS})
def update_partnership(request: HttpRequest, partnership_id: int, data: PartnershipPatch) -> Any:
    partnership = request.scope.get(request.scope.partnerships(MANAGE), partnership_id)
    fields = data.dict(exclude_unset=True, exclude={"school_ids"})
    schools = _schools(request, data.school_ids) if data.school_ids is not None else None
    updated = actions.do_update_partnership(request.user, partnership, schools=schools, **fields)
    return _out(updated, request.scope.school_ids())


@router.post("/partnerships/{partnership_id}/assignments", response={201: AssignmentOut, **WRITE_ERRORS})
def assign_staff(request: HttpRequest, partnership_id: int, data: AssignmentIn) -> Any:
    scope = request.scope
    partnership = scope.get(scope.partnerships(MANAGE), partnership_id)
    (school,) = _schools(request, [data.school_id], "school_id")
    person = scope.people().filter(pk=data.person_id).first()
    if person is None:
        raise ValidationError({"person_id": f"No person with id {data.person_id}."})
    assignment = actions.do_assign_staff(
        request.user, partnership, school=school, person=person, **data.dict(exclude={"school_id", "person_id"})
    )
    return Status(201, assignment)


@router.get("/partnerships/{partnership_id}/costs", response={200: list[CostOut], **READ_ERRORS})
def list_costs(request: HttpRequest, partnership_id: int) -> Any:
    partnership = request.scope.get(request.scope.partnerships(Capability.VIEW_FINANCE), partnership_id)
    return [_cost_out(c) for c in partnership.costs.prefetch_related("sources")]


@router.put("/partnerships/{partnership_id}/costs/{school_year}", response={200: CostOut, **WRITE_ERRORS})
def record_cost(
    request: HttpRequest, partnership_id: int, data: CostIn, school_year: int = Path(..., ge=1990, le=2100)
) -> Any:
    partnership = request.scope.get(request.scope.partnerships(MANAGE), partnership_id)
    cost = actions.do_record_cost(
        request.user,
        partnership,
        school_year=school_year,
        total_cost=data.total_cost,
        notes=data.notes,
        sources=[actions.FundingLine(**line.dict()) for line in data.sources],
    )
    return _cost_out(cost)


@router.get("/reach", response={200: list[ReachOut], **READ_ERRORS})
def reach(request: HttpRequest) -> Any:
    partnerships = request.scope.partnerships()
    rows = reach_by_year(partnerships, years_with_partnerships(partnerships), request.scope.school_ids())
    return [r.__dict__ for r in rows]
