"""The decisions log: a list with filters, a decision's page (its rationale, the input weighed,
links and follow-ups), and the record-decision form of a team's or a group's page."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access.scope import Scope
from tandem.governance import actions
from tandem.governance.forms import DecisionFilter, DecisionForm
from tandem.governance.models import Decision, FollowUp, PlanningTeam, WorkingGroup
from tandem.governance.views.common import change_on_page, links, me, one, page_of, refuse, scope_of, staff
from tandem.governance.visibility import (
    records_for_group,
    records_for_team,
    visible_decisions,
    visible_groups,
    visible_teams,
)


def decision_form(scope: Scope, data: Any = None) -> DecisionForm:
    return DecisionForm(data, scope=scope, staff=staff())


def record(
    request: HttpRequest,
    page: Callable[..., HttpResponse],
    *,
    team: PlanningTeam | None = None,
    group: WorkingGroup | None = None,
) -> HttpResponse:
    """Record a team's or a group's decision from the form on its page (`page`)."""
    form = decision_form(scope_of(request), request.POST)

    def change(data: dict[str, Any]) -> None:
        actions.do_record_decision(
            me(request),
            form.fields_of_decision(),
            team=team,
            group=group,
            inputs=list(data["flags"]),
            follow_ups=form.follow_ups(),
        )

    return change_on_page(request, form, change, "Decision recorded.", on=team or group, page=page, name="decision")


def _found(scope: Scope, form: DecisionFilter) -> QuerySet[Decision]:
    found = visible_decisions(scope).select_related("team", "group", "recorded_by")
    if not form.is_bound:
        return found
    if not form.is_valid():
        return Decision.objects.none()
    data = form.cleaned_data
    if data["team"]:
        found = found.filter(team=data["team"])
    if data["group"]:
        found = found.filter(group=data["group"])
    for word in data["q"].split():
        found = found.filter(
            Q(title__icontains=word)
            | Q(decision__icontains=word)
            | Q(rationale__icontains=word)
            | Q(input_considered__icontains=word)
        )
    return found


@login_required
def decision_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    form = DecisionFilter(request.GET or None, teams=visible_teams(scope), groups=visible_groups(scope))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "governance/decisions.html",
        {"form": form, "page": page_of(request, _found(scope, form)), "query": query.urlencode()},
    )


def _may_mark(scope: Scope, follow_up: FollowUp) -> bool:
    decision = follow_up.decision
    return (
        follow_up.owner_id == (scope.person.pk if scope.person else None)
        or (decision.team is not None and records_for_team(scope, decision.team))
        or (decision.group is not None and records_for_group(scope, decision.group))
    )


@login_required
def decision_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = scope_of(request)
    decision = one(request, visible_decisions(scope).select_related("team", "group", "recorded_by"), pk)
    follow_ups = [
        {"f": f, "may_mark": _may_mark(scope, f)} for f in decision.follow_ups.select_related("owner", "decision")
    ]
    return render(
        request,
        "governance/decision.html",
        {"decision": decision, "links": links(scope, decision), "follow_ups": follow_ups},
    )


@login_required
@require_POST
def follow_up_done(request: HttpRequest, pk: int, follow_up_id: int) -> HttpResponse:
    scope = scope_of(request)
    decision = one(request, visible_decisions(scope), pk)
    follow_up = one(request, decision.follow_ups.all(), follow_up_id)
    refuse(_may_mark(scope, follow_up))
    done = request.POST.get("done") != "0"
    try:
        actions.do_follow_up_done(me(request), follow_up, done=done)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Follow-up marked done." if done else "Follow-up open again.")
    return redirect(decision)
