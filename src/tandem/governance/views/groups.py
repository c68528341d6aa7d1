"""Working groups: the list, forming one, a group's page (goals by round, members now and before,
the sponsor's support log, reviews, decisions) and the changes its sponsor and members make."""

from itertools import groupby
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core.forms import submit
from tandem.governance import actions
from tandem.governance.forms import GroupForm, MembershipForm, ReviewForm, SupportForm, lines
from tandem.governance.models import WorkingGroup
from tandem.governance.views.common import (
    change_on_page,
    form_page,
    group_state,
    links,
    me,
    one,
    page_of,
    refuse,
    scope_of,
    staff,
)
from tandem.governance.views.decisions import decision_form, record
from tandem.governance.visibility import leads, records_for_group, steers_group, visible_groups


def _group(request: HttpRequest, pk: int) -> WorkingGroup:
    return one(request, visible_groups(scope_of(request)).select_related("sponsor"), pk)


def _steered(request: HttpRequest, pk: int) -> WorkingGroup:
    """A group the reader steers (its sponsor, or a leader); to anyone else its forms are not there."""
    group = _group(request, pk)
    refuse(steers_group(scope_of(request), group))
    return group


@login_required
def group_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = timezone.localdate()
    found = visible_groups(scope).select_related("sponsor")
    page = page_of(request, found)
    rows = [{"group": g, "state": group_state(g, today)} for g in page.object_list]
    return render(request, "governance/groups.html", {"page": page, "rows": rows, "query": "", "leads": leads(scope)})


@login_required
def group_new(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    refuse(leads(scope))
    form = GroupForm(request.POST or None, scope=scope, staff=staff(), initial={"starts_on": timezone.localdate()})

    def make(data: dict[str, Any]) -> WorkingGroup:
        goals, members, inputs = lines(data["goals"]), list(data["members"]), list(data["flags"])
        return actions.do_form_group(me(request), form.fields_of_group(), goals=goals, members=members, inputs=inputs)

    context = {"title": "Form a working group", "back": "governance:groups", "button": "Form the group"}
    return form_page(request, form, make, "Working group formed.", context)


@login_required
def group_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = scope_of(request)
    group = _group(request, pk)
    today = timezone.localdate()
    forms = forms or {}
    memberships = list(group.memberships.select_related("person"))
    now = [m for m in memberships if m.joined_on <= today and (m.left_on is None or m.left_on > today)]
    steering = steers_group(scope, group) and group.status != WorkingGroup.Status.DISBANDED
    recording = records_for_group(scope, group)
    context = {
        "group": group,
        "state": group_state(group, today),
        "rounds": [(r, list(goals)) for r, goals in groupby(group.goals.all(), key=lambda g: g.round)],
        "members": now,
        "memberships": memberships,
        "support": group.support.select_related("by"),
        "reviews": group.reviews.select_related("by"),
        "decisions": group.decisions.select_related("recorded_by")[:20],
        "links": links(scope, group),
        "steers": steering,
        "records": recording,
        "membership_form": (forms.get("membership") or MembershipForm(staff=staff())) if steering else None,
        "support_form": (forms.get("support") or SupportForm()) if steering else None,
        "decision_form": (forms.get("decision") or decision_form(scope)) if recording else None,
    }
    return render(request, "governance/group.html", context)


@login_required
@require_POST
def group_membership(request: HttpRequest, pk: int) -> HttpResponse:
    group = _steered(request, pk)
    form = MembershipForm(request.POST, staff=staff())

    def change(data: dict[str, Any]) -> None:
        actions.do_change_membership(
            me(request), group, data["person"], joins=data["change"] == "join", because=data["because"], on=data["on"]
        )

    return change_on_page(request, form, change, "Membership changed.", on=group, page=group_detail, name="membership")


@login_required
@require_POST
def group_support(request: HttpRequest, pk: int) -> HttpResponse:
    group = _steered(request, pk)
    form = SupportForm(request.POST)
    return change_on_page(
        request,
        form,
        lambda data: actions.do_log_support(me(request), group, data["kind"], data["text"], data["happened_on"]),
        "Support logged.",
        on=group,
        page=group_detail,
        name="support",
    )


@login_required
def group_review(request: HttpRequest, pk: int) -> HttpResponse:
    group = _steered(request, pk)
    form = ReviewForm(request.POST or None, group=group)
    context = {"group": group, "form": form, "disbanded": group.status == WorkingGroup.Status.DISBANDED}
    if request.method != "POST":
        return render(request, "governance/review.html", context)

    def change(data: dict[str, Any]) -> None:
        actions.do_review(
            me(request),
            group,
            form.assessments(),
            data["outcome"],
            learned=data["learned"],
            new_goals=lines(data["new_goals"]),
            new_ends_on=data["new_ends_on"],
        )

    return submit(
        request,
        form,
        change,
        "Review recorded.",
        to=group.get_absolute_url(),
        again=lambda: render(request, "governance/review.html", context),
    )


@login_required
@require_POST
def group_decision(request: HttpRequest, pk: int) -> HttpResponse:
    group = _group(request, pk)
    refuse(records_for_group(scope_of(request), group))
    return record(request, group_detail, group=group)
