"""The governance overview: working groups by state, planning teams, open elections with their
phase and the recent decisions, each as far as the reader may see."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.governance import elections, seats
from tandem.governance.models import Election, WorkingGroup
from tandem.governance.views.common import group_state, scope_of
from tandem.governance.visibility import leads, visible_decisions, visible_groups, visible_teams

# How many disbanded groups and recent decisions the overview lists (the lists have the rest).
RECENT = 10


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = timezone.localdate()
    groups: dict[str, list[WorkingGroup]] = {s: [] for s in WorkingGroup.Status.values}
    found = visible_groups(scope).select_related("sponsor")
    for g in found.exclude(status=WorkingGroup.Status.DISBANDED).order_by("ends_on", "name"):
        groups[group_state(g, today)].append(g)
    disbanded = found.filter(status=WorkingGroup.Status.DISBANDED).order_by("-disbanded_on", "name")
    teams = visible_teams(scope).filter(archived=False)
    open_elections = Election.objects.filter(team__in=teams, status=Election.Status.OPEN).select_related("team")
    context = {
        "active": groups[WorkingGroup.Status.ACTIVE],
        "review": groups[WorkingGroup.Status.REVIEW],
        "disbanded": list(disbanded[:RECENT]),
        "more_disbanded": max(disbanded.count() - RECENT, 0),
        "teams": [(t, list(seats.members(t, today))) for t in teams],
        "elections": [(e, elections.phase(e)) for e in open_elections.order_by("voting_close", "pk")],
        "decisions": visible_decisions(scope).select_related("team", "group")[:RECENT],
        "leads": leads(scope),
    }
    return render(request, "governance/overview.html", context)
