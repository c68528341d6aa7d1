"""Every change to partnerships goes through these functions: each checks the actor's reach, runs
in one transaction and writes an audit entry."""

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import scope_for
from tandem.orgs.models import District, Organization, Person, School
from tandem.partnerships.models import CostOfService, FundingSource, Partnership, PartnershipSchool, SiteAssignment

MANAGE = Capability.MANAGE_PARTNERSHIPS

PARTNERSHIP_FIELDS = (
    "name",
    "district",
    "model",
    "start_date",
    "planned_years",
    "end_date",
    "phase",
    "status",
    "goals",
    "notes",
)


def _require_manage(actor: Person, schools: Iterable[School], district: District | None = None) -> None:
    scope = scope_for(actor)
    ids = {s.pk for s in schools}
    if district is not None:
        ids |= set(district.schools.values_list("pk", flat=True))
    if not ids and not scope.is_org_wide(MANAGE):
        # A partnership with no schools yet can only be made by someone who reaches everywhere.
        scope.require(MANAGE, {-1})
    scope.require(MANAGE, ids)


@transaction.atomic
def do_create_partnership(
    actor: Person, *, organization: Organization, schools: Sequence[School] = (), **fields: Any
) -> Partnership:
    _require_manage(actor, schools, fields.get("district"))
    _require_district_or_school(fields.get("district"), schools)
    partnership = Partnership(organization=organization, **fields)
    partnership.full_clean()
    partnership.save()
    for school in schools:
        _add_school(partnership, school, partnership.start_date)
    entry = audit.record_creation(actor, "partnership.create", partnership)
    entry.changes["schools"] = [None, sorted(s.pk for s in schools)]
    entry.save(update_fields=["changes"])
    return partnership


def _require_district_or_school(district: District | None, schools: Sequence[School]) -> None:
    if district is None and not schools:
        raise ValidationError({"schools": "A partnership works with a district, at least one school, or both."})


def _add_school(partnership: Partnership, school: School, joined_on: datetime.date) -> PartnershipSchool:
    membership = PartnershipSchool(partnership=partnership, school=school, joined_on=joined_on)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def do_update_partnership(
    actor: Person, partnership: Partnership, *, schools: Sequence[School] | None = None, **fields: Any
) -> Partnership:
    current_schools = list(partnership.current_schools())
    district = fields.get("district", partnership.district)
    _require_manage(actor, current_schools + list(schools or []), district)
    _require_district_or_school(district, current_schools if schools is None else schools)
    before = audit.stored(partnership)
    for name, value in fields.items():
        if name not in PARTNERSHIP_FIELDS:
            raise ValueError(f"{name} is not an editable partnership field")
        setattr(partnership, name, value)
    partnership.full_clean()
    partnership.save()
    changes = audit.changed_fields(before, audit.snapshot(partnership))
    if schools is not None:
        wanted = {s.pk: s for s in schools}
        have = {s.pk for s in current_schools}
        today = timezone.localdate()
        # A school that leaves keeps its history (reach counts past years); its site staff leave
        # with it. A school that comes back resumes its membership.
        for pk in have - wanted.keys():
            partnership.memberships.filter(school_id=pk).update(left_on=today)
            ended = partnership.assignments.filter(school_id=pk).filter(
                Q(end_date__isnull=True) | Q(end_date__gt=today)
            )
            if ended.exists():
                changes.setdefault("ended_assignments", [None, []])[1].extend(ended.values_list("pk", flat=True))
                ended.update(end_date=today)
        for pk in wanted.keys() - have:
            if not partnership.memberships.filter(school_id=pk).update(left_on=None):
                _add_school(partnership, wanted[pk], today)
        if wanted.keys() != have:
            changes["schools"] = [sorted(have), sorted(wanted)]
    if changes:
        audit.record(actor, "partnership.update", partnership, changes)
    return partnership


@transaction.atomic
def do_assign_staff(
    actor: Person,
    partnership: Partnership,
    *,
    school: School,
    person: Person,
    role: str,
    days_per_week: Decimal,
    start_date: datetime.date,
    end_date: datetime.date | None = None,
) -> SiteAssignment:
    _require_manage(actor, [school])
    if not scope_for(person).is_staff_member():
        raise ValidationError({"person": f"{person} does not work for the organization: give them a staff role first."})
    assignment = SiteAssignment(
        partnership=partnership,
        school=school,
        person=person,
        role=role,
        days_per_week=days_per_week,
        start_date=start_date,
        end_date=end_date,
    )
    assignment.full_clean()
    assignment.save()
    audit.record_creation(actor, "site_assignment.create", assignment)
    return assignment


@transaction.atomic
def do_end_assignment(actor: Person, assignment: SiteAssignment, end_date: datetime.date) -> SiteAssignment:
    _require_manage(actor, [assignment.school])
    before = audit.stored(assignment)
    assignment.end_date = end_date
    assignment.full_clean()
    assignment.save()
    audit.record_update(actor, "site_assignment.end", assignment, before)
    return assignment


@dataclass(frozen=True)
class FundingLine:
    kind: str
    amount: Decimal
    funder_name: str = ""


@transaction.atomic
def do_record_cost(
    actor: Person,
    partnership: Partnership,
    *,
    school_year: int,
    total_cost: Decimal,
    sources: Sequence[FundingLine],
    notes: str = "",
) -> CostOfService:
    """Record (or replace) one school year's cost of service and who pays it."""
    _require_manage(actor, list(partnership.schools.all()), partnership.district)
    funded = sum((line.amount for line in sources), Decimal("0"))
    if funded > total_cost:
        raise ValidationError(
            {"sources": f"The funding sources add up to {funded:,.2f}, more than the total cost of {total_cost:,.2f}."}
        )
    cost = CostOfService.objects.filter(partnership=partnership, school_year=school_year).first()
    before = audit.snapshot(cost) if cost else None
    old_sources = [[s.kind, str(s.amount), s.funder_name] for s in cost.sources.all()] if cost else None
    cost = cost or CostOfService(partnership=partnership, school_year=school_year)
    cost.total_cost = total_cost
    cost.notes = notes
    cost.full_clean()
    cost.save()
    cost.sources.all().delete()
    for i, line in enumerate(sources):
        source = FundingSource(cost=cost, kind=line.kind, amount=line.amount, funder_name=line.funder_name)
        try:
            source.full_clean()
        except ValidationError as e:
            raise ValidationError({f"sources[{i}].{k}": v for k, v in e.message_dict.items()}) from e
        source.save()
    changes = audit.changed_fields(before or {}, audit.snapshot(cost))
    changes["sources"] = [old_sources, [[s.kind, str(s.amount), s.funder_name] for s in sources]]
    audit.record(actor, "cost_of_service.record", cost, changes)
    return cost
