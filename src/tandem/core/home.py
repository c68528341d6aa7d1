"""Each person's home page shows what they work on, assembled from their roles."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q

from tandem.access.roles import Capability, Role
from tandem.access.scope import Scope
from tandem.andon.feed import home as feed_home
from tandem.core import school_years
from tandem.inquiry import home as inquiry_home
from tandem.learning import home as learning_home
from tandem.orgs.models import School
from tandem.partnerships.models import Partnership, SiteAssignment
from tandem.partnerships.reach import reach_by_year
from tandem.practices import home as practices_home


@dataclass
class Home:
    greeting: str
    panels: list[str] = field(default_factory=list)
    context: dict[str, Any] = field(default_factory=dict)


def build_home(scope: Scope, today: datetime.date | None = None) -> Home:
    today = today or datetime.date.today()
    person = scope.person
    assert person is not None
    home = Home(greeting=f"Welcome, {person.get_short_name()}")
    ctx = home.context
    ctx["role_labels"] = sorted({r.get_role_display() for r in scope.roles})

    my_sites = (
        SiteAssignment.objects.filter(person=person, start_date__lte=today)
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(school__in=scope.schools())
        .select_related("school__district", "partnership")
    )
    if my_sites:
        home.panels.append("my_sites")
        ctx["my_sites"] = my_sites

    # The people who lead or work in schools see those schools first.
    school_roles = [
        r for r in scope.roles if r.school_id and r.role in (Role.PRINCIPAL, Role.TEACHER, Role.NETWORK_MEMBER)
    ]
    if school_roles:
        home.panels.append("my_schools")
        ctx["my_schools"] = School.objects.filter(pk__in=[r.school_id for r in school_roles]).select_related("district")

    if scope.has_role(Role.DISTRICT_LEADER):
        home.panels.append("district")
        district_ids = [r.district_id for r in scope.roles if r.role == Role.DISTRICT_LEADER]
        ctx["district_schools"] = (
            scope.schools()
            .filter(district_id__in=district_ids)
            .annotate(n_partners=Count("site_assignments", filter=_active_assignment(today), distinct=True))
            .select_related("district")
        )

    cycles = inquiry_home.panels(scope, today)
    ctx.update(cycles)
    home.panels.extend(name for name in ("my_cycles", "my_overdue_actions", "cycles_attention") if name in cycles)

    andon = feed_home.panels(scope)
    ctx.update(andon)
    home.panels.extend(andon)

    learning = learning_home.panels(scope)
    ctx.update(learning)
    home.panels.extend(learning)

    library = practices_home.panels(scope)
    ctx.update(library)
    home.panels.extend(library)

    partnerships = scope.partnerships().select_related("district")
    active = partnerships.filter(status=Partnership.Status.ACTIVE)
    home.panels.append("partnerships")
    ctx["partnerships"] = active[:10]
    ctx["partnership_count"] = active.count()

    if scope.has_role(Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR):
        home.panels.append("staffing")
        ctx["staffing_gaps"] = (
            scope.schools()
            .filter(
                partnership_memberships__left_on__isnull=True, partnership_memberships__partnership__status="active"
            )
            .annotate(n_partners=Count("site_assignments", filter=_active_assignment(today), distinct=True))
            .filter(Q(n_partners=0) | Q(n_partners__gt=2))
            .select_related("district")
            .distinct()
        )
        by_phase = active.values("phase").annotate(n=Count("id", distinct=True)).order_by("phase")
        labels = dict(Partnership.Phase.choices)
        ctx["by_phase"] = [(labels[row["phase"]], row["n"]) for row in by_phase]

    if scope.can(Capability.VIEW_FINANCE) or scope.is_org_wide():
        home.panels.append("reach")
        year = school_years.current(today)
        ctx["reach"] = reach_by_year(partnerships, [year], scope.school_ids())[0]
    return home


def _active_assignment(today: datetime.date) -> Q:
    return Q(site_assignments__start_date__lte=today) & (
        Q(site_assignments__end_date__isnull=True) | Q(site_assignments__end_date__gte=today)
    )
