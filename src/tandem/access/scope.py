"""The one place that answers "what may this person see or change".

Every page, API endpoint and export asks a `Scope`; an object outside it is reported exactly like
one that does not exist (`Http404`), so nobody can learn that a school or student exists by
probing ids.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from tandem.access.models import RoleAssignment
from tandem.access.roles import CAPABILITIES, STAFF_ROLES, Capability, Role
from tandem.orgs.models import District, Person, Region, School
from tandem.partnerships.models import Partnership, PartnershipSchool


class _All:
    """Marks an org-wide reach: every school, district and region."""

    def __repr__(self) -> str:
        return "ALL"


ALL = _All()
SchoolSet = frozenset[int] | _All


@dataclass
class Scope:
    person: Person | None
    roles: list[RoleAssignment] = field(default_factory=list)
    _schools: dict[Capability, SchoolSet] = field(default_factory=dict)
    _districts: frozenset[int] = frozenset()
    _regions: frozenset[int] = frozenset()
    _partnerships: frozenset[int] = frozenset()

    # -- questions about capabilities ---------------------------------------------------------
    def role_names(self) -> set[str]:
        return {r.role for r in self.roles}

    def has_role(self, *roles: Role) -> bool:
        return bool(self.role_names() & {r.value for r in roles})

    def can(self, capability: Capability) -> bool:
        """Whether the person holds this capability anywhere at all (e.g. to show a menu entry)."""
        return any(capability in CAPABILITIES[r.role] for r in self.roles)

    def is_org_wide(self, capability: Capability = Capability.VIEW) -> bool:
        return self._schools.get(capability) is ALL

    def is_staff_member(self) -> bool:
        return bool(self.role_names() & STAFF_ROLES)

    # -- querysets ----------------------------------------------------------------------------
    def school_ids(self, capability: Capability = Capability.VIEW) -> SchoolSet:
        return self._schools.get(capability, frozenset())

    def schools(self, capability: Capability = Capability.VIEW) -> QuerySet[School]:
        return _filter_ids(School.objects.all(), self.school_ids(capability))

    def districts(self, capability: Capability = Capability.VIEW) -> QuerySet[District]:
        if self.is_org_wide(capability):
            return District.objects.all()
        if capability != Capability.VIEW:
            return District.objects.filter(schools__in=self.schools(capability)).distinct()
        return District.objects.filter(pk__in=self._districts)

    def regions(self) -> QuerySet[Region]:
        if self.is_org_wide():
            return Region.objects.all()
        return Region.objects.filter(pk__in=self._regions)

    def partnerships(self, capability: Capability = Capability.VIEW) -> QuerySet[Partnership]:
        """To see a partnership, reaching one of its schools is enough. To see its money or change
        it, the capability must reach all of it: every school, and the district it works with."""
        if self.is_org_wide(capability):
            return Partnership.objects.all()
        reach = self.school_ids(capability)
        assert isinstance(reach, frozenset)
        if capability == Capability.VIEW:
            q = (
                Q(memberships__school_id__in=reach)
                | Q(pk__in=self._partnerships)
                | Q(district_id__in=self._districts_with_own_scope())
            )
            return Partnership.objects.filter(q).distinct()
        if not reach:
            return Partnership.objects.none()
        outside = PartnershipSchool.objects.filter(partnership=OuterRef("pk")).exclude(school_id__in=reach)
        inside = PartnershipSchool.objects.filter(partnership=OuterRef("pk"), school_id__in=reach)
        whole_districts = District.objects.exclude(
            Exists(School.objects.filter(district=OuterRef("pk")).exclude(pk__in=reach))
        ).filter(schools__in=reach)
        return (
            Partnership.objects.exclude(Exists(outside))
            .filter(Exists(inside) | Q(district__in=whole_districts))
            .exclude(Q(district__isnull=False) & ~Q(district__in=whole_districts))
        )

    def school_filter(self, field: str, capability: Capability = Capability.VIEW) -> Q:
        """A condition limiting a related school field to the schools in reach (for counts)."""
        reach = self.school_ids(capability)
        return Q() if reach is ALL else Q(**{f"{field}__in": reach})

    def _districts_with_own_scope(self) -> set[int]:
        return {r.district_id for r in self.roles if r.district_id}

    def people(self) -> QuerySet[Person]:
        if self.person is None:
            return Person.objects.none()
        if self.is_org_wide():
            return Person.objects.all()
        schools = self.school_ids()
        assert isinstance(schools, frozenset)
        q = (
            Q(pk=self.person.pk)
            | Q(roles__school_id__in=schools)
            | Q(roles__district_id__in=self._districts)
            | Q(roles__region_id__in=self._regions)
            | Q(roles__partnership_id__in=self.partnerships().values("pk"))
            | Q(site_assignments__school_id__in=schools)
        )
        if self.is_staff_member():
            # Colleagues with an org-wide role (national team, org admins) are everyone's colleagues.
            q |= Q(roles__organization__isnull=False)
        return Person.objects.filter(q).distinct()

    def sees_scope_of(self, assignment: RoleAssignment) -> bool:
        if self.is_org_wide() or assignment.organization_id:
            return True
        if assignment.school_id:
            return self.covers_school(Capability.VIEW, assignment.school_id)
        if assignment.district_id:
            return assignment.district_id in self._districts
        if assignment.region_id:
            return assignment.region_id in self._regions
        return self.partnerships().filter(pk=assignment.partnership_id).exists()

    # -- single objects -------------------------------------------------------------------------
    def get[M: Model](self, queryset: QuerySet[M], pk: Any) -> M:
        """Fetch one object from a scoped queryset; missing and out of scope both raise Http404."""
        try:
            return queryset.get(pk=pk)
        except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError):
            raise Http404(f"No {queryset.model._meta.verbose_name} matches the given query.") from None

    def require(self, capability: Capability, school_ids: Iterable[int]) -> None:
        """Raise Http404 unless the capability reaches every one of these schools."""
        reach = self.school_ids(capability)
        if reach is ALL:
            return
        assert isinstance(reach, frozenset)
        if not set(school_ids) <= reach:
            raise Http404("Not found.")

    def covers_school(self, capability: Capability, school_id: int) -> bool:
        reach = self.school_ids(capability)
        return reach is ALL or (isinstance(reach, frozenset) and school_id in reach)


def _filter_ids[M: Model](qs: QuerySet[M], ids: SchoolSet) -> QuerySet[M]:
    if ids is ALL:
        return qs
    assert isinstance(ids, frozenset)
    return qs.filter(pk__in=ids)


def scope_for(person: Person | None) -> Scope:
    """Resolve a person's active roles to sets of schools per capability (a few queries, once)."""
    if person is None or not person.is_authenticated or not person.is_active:
        return Scope(person=None)
    cached = getattr(person, "_tandem_scope", None)
    if cached is not None:
        return cached
    roles = list(RoleAssignment.objects.active().filter(person=person).select_related("partnership"))
    reach: dict[Capability, SchoolSet] = {}
    districts: set[int] = set()
    regions: set[int] = set()
    partnerships: set[int] = set()
    for assignment in roles:
        schools, d, r = _resolve(assignment)
        districts |= d
        regions |= r
        if assignment.partnership_id:
            partnerships.add(assignment.partnership_id)
        for capability in CAPABILITIES[assignment.role]:
            current = reach.get(capability, frozenset())
            if current is ALL or schools is ALL:
                reach[capability] = ALL
            else:
                assert isinstance(current, frozenset) and isinstance(schools, frozenset)
                reach[capability] = current | schools
    view = reach.get(Capability.VIEW, frozenset())
    if isinstance(view, frozenset) and view:
        rows = School.objects.filter(pk__in=view).values_list("district_id", "district__region_id")
        for district_id, region_id in rows:
            districts.add(district_id)
            regions.add(region_id)
    if districts:
        regions |= set(District.objects.filter(pk__in=districts).values_list("region_id", flat=True))
    person._tandem_scope = scope = Scope(  # type: ignore[attr-defined]
        person=person,
        roles=roles,
        _schools=reach,
        _districts=frozenset(districts),
        _regions=frozenset(regions),
        _partnerships=frozenset(partnerships),
    )
    return scope


def _resolve(a: RoleAssignment) -> tuple[SchoolSet, set[int], set[int]]:
    """The schools a single role assignment reaches, plus districts and regions it names itself."""
    if a.organization_id:
        return ALL, set(), set()
    if a.region_id:
        ids = frozenset(School.objects.filter(district__region_id=a.region_id).values_list("pk", flat=True))
        return ids, set(), {a.region_id}
    if a.district_id:
        ids = frozenset(School.objects.filter(district_id=a.district_id).values_list("pk", flat=True))
        return ids, {a.district_id}, set()
    if a.school_id:
        return frozenset({a.school_id}), set(), set()
    assert a.partnership is not None
    ids = frozenset(a.partnership.memberships.values_list("school_id", flat=True))
    return ids, {a.partnership.district_id} if a.partnership.district_id else set(), set()
