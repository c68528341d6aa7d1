"""The main navigation. Modules add their entries here; each entry names the capability a person
needs for it to show, so nobody is offered a page that would answer "not found"."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest
from django.urls import reverse

from tandem.access.roles import Capability, Role
from tandem.access.scope import Scope
from tandem.network.visibility import sees_directory
from tandem.practices.visibility import reads_library


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    capability: Capability = Capability.VIEW
    # The first path segment that marks this entry as the current section.
    section: str = ""
    # Shown only to people whose capability reaches the whole organization.
    org_wide: bool = False
    # Shown only to the organization's staff (the staff feed).
    staff: bool = False
    # Shown only to people this says yes for (a module's own rule, e.g. the practice library's readers).
    shows: Callable[[Scope], bool] | None = None


NAV = [
    NavItem("Home", "home", section=""),
    NavItem("Dashboards", "analytics:network", section="analytics"),
    NavItem("Impact", "impact:reports", section="impact"),
    NavItem("Cycles", "inquiry:cycles", section="cycles"),
    NavItem("Coaching", "coaching:home", section="coaching"),
    NavItem("Learning", "learning:calendar", section="learning"),
    NavItem("Feed", "feed:feed", section="feed", staff=True),
    NavItem("Governance", "governance:overview", section="governance", staff=True),
    NavItem("Practices", "practices:practices", section="practices", shows=reads_library),
    NavItem("Network", "network:home", section="network", shows=sees_directory),
    NavItem("Help desk", "helpdesk:tickets", section="helpdesk"),
    NavItem("Partnerships", "partnerships:list", section="partnerships"),
    NavItem("Reach", "partnerships:reach", section="reach"),
    NavItem("Schools", "orgs:schools", section="schools"),
    NavItem("Districts", "orgs:districts", section="districts"),
    NavItem("Regions", "orgs:regions", section="regions"),
    NavItem("People", "orgs:people", section="people"),
    NavItem("Imports", "achievement:imports", Capability.IMPORT_DATA, section="imports", org_wide=True),
    NavItem("Growth", "growth:runs", Capability.IMPORT_DATA, section="growth", org_wide=True),
    NavItem("Audit", "access:audit", section="audit", shows=lambda scope: scope.has_role(Role.ORG_ADMIN)),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    scope = request.scope  # type: ignore[attr-defined]
    first_segment = request.path.strip("/").split("/")[0]
    items = [
        {"label": i.label, "url": reverse(i.url_name), "current": first_segment == i.section}
        for i in NAV
        if (scope.is_org_wide(i.capability) if i.org_wide else scope.can(i.capability))
        and (scope.is_staff_member() or not i.staff)
        and (i.shows is None or i.shows(scope))
    ]
    return {"nav_items": items}
