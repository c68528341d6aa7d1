"""The places analytics reports on (a school, a district, a partnership, the whole network), resolved
through the viewer's scope: a place outside it is not found, and the schools of a district or of
the network are only those the viewer may see."""

from dataclasses import dataclass
from typing import Literal

from django.db.models import Q
from django.utils import timezone

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.orgs.models import District, School
from tandem.partnerships.models import Partnership, PartnershipSchool

Kind = Literal["school", "district", "partnership", "network", "goal"]


@dataclass(frozen=True)
class Place:
    kind: Kind
    pk: int | None
    label: str
    school_ids: frozenset[int]
    # Student-level access to every school here: small groups are shown unsuppressed.
    unsuppressed: bool

    @property
    def slug(self) -> str:
        return self.kind if self.pk is None else f"{self.kind}-{self.pk}"


def _unsuppressed(scope: Scope, school_ids: frozenset[int]) -> bool:
    return bool(school_ids) and all(scope.covers_school(Capability.VIEW_STUDENTS, s) for s in school_ids)


def _visible(scope: Scope, school_ids: set[int]) -> frozenset[int]:
    return frozenset(s for s in school_ids if scope.covers_school(Capability.VIEW, s))


def school_place(scope: Scope, pk: object) -> tuple[Place, School]:
    school = scope.get(scope.schools().select_related("district"), pk)
    ids = frozenset([school.pk])
    return Place("school", school.pk, school.name, ids, _unsuppressed(scope, ids)), school


def district_place(scope: Scope, pk: object) -> tuple[Place, District]:
    district = scope.get(scope.districts(), pk)
    ids = _visible(scope, set(district.schools.values_list("pk", flat=True)))
    return Place("district", district.pk, district.name, ids, _unsuppressed(scope, ids)), district


def partnership_place(scope: Scope, pk: object) -> tuple[Place, Partnership]:
    partnership = scope.get(scope.partnerships(), pk)
    ids = _visible(scope, set(partnership.memberships.values_list("school_id", flat=True)))
    return Place("partnership", partnership.pk, partnership.name, ids, _unsuppressed(scope, ids)), partnership


def partner_school_ids() -> set[int]:
    """Schools in a partnership today: the network the dashboards report on."""
    today = timezone.localdate()
    current = PartnershipSchool.objects.filter(Q(left_on__isnull=True) | Q(left_on__gte=today))
    return set(current.values_list("school_id", flat=True))


def place_named(scope: Scope, name: str) -> Place:
    """A place from its slug as forms and the API give it: "network", "district-ID" or "school-ID"."""
    kind, _, pk = name.partition("-")
    if kind == "school":
        return school_place(scope, pk)[0]
    if kind == "district":
        return district_place(scope, pk)[0]
    return network_place(scope)


def network_place(scope: Scope) -> Place:
    ids = _visible(scope, partner_school_ids())
    return Place("network", None, "All partner schools", ids, _unsuppressed(scope, ids))
