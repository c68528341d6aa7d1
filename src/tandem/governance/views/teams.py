"""Planning teams: the list, setting one up, a team's page (seats and who holds them, terms,
elections, decisions) and what the organization's leaders and the seat holders do from it."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.roles import Role
from tandem.core.forms import apply_errors
from tandem.governance import actions, elections, seats
from tandem.governance.forms import AppointForm, ElectionForm, SeatForm, TeamForm
from tandem.governance.models import PlanningTeam, Seat, Term
from tandem.governance.views.common import change_on_page, form_page, me, one, refuse, scope_of, staff
from tandem.governance.views.decisions import decision_form, record
from tandem.governance.visibility import leads, records_for_team, visible_teams


def _team(request: HttpRequest, pk: int) -> PlanningTeam:
    return one(request, visible_teams(scope_of(request)), pk)


def _led(request: HttpRequest, pk: int) -> PlanningTeam:
    team = _team(request, pk)
    refuse(leads(scope_of(request)))
    return team


def eligibility(seat: Seat) -> str:
    if seat.kind == Seat.Kind.APPOINTED:
        return "Appointed by the organization's leaders"
    roles = [Role(r).label if r in Role.values else str(r) for r in seat.eligible_roles]
    where = ", placed at a school site" if seat.site_staff_only else ""
    return f"{', '.join(roles) or 'Nobody yet'}{where}"


@login_required
def team_list(request: HttpRequest) -> HttpResponse:
    scope = scope_of(request)
    today = timezone.localdate()
    rows = [
        {"team": t, "members": list(seats.members(t, today)), "seats": t.seats.filter(archived=False).count()}
        for t in visible_teams(scope)
    ]
    return render(request, "governance/teams.html", {"rows": rows, "leads": leads(scope)})


@login_required
def team_new(request: HttpRequest) -> HttpResponse:
    refuse(leads(scope_of(request)))
    form = TeamForm(request.POST or None)
    context = {"title": "Set up a planning team", "back": "governance:teams", "button": "Set it up"}

    def make(data: dict[str, Any]) -> PlanningTeam:
        return actions.do_save_team(me(request), PlanningTeam(**data))

    return form_page(request, form, make, "Planning team set up. Add its seats next.", context)


def _seat_rows(team: PlanningTeam) -> list[dict[str, Any]]:
    today = timezone.localdate()
    holding = {t.seat_id: t for t in seats.current_terms(today).filter(seat__team=team).select_related("person")}
    rows = []
    for seat in team.seats.all():
        starts, ends = seats.next_term(seat, today)
        rows.append(
            {
                "seat": seat,
                "eligibility": eligibility(seat),
                "term": holding.get(seat.pk),
                "next_starts": starts,
                "next_ends": ends,
                "next_term": seat.terms.filter(starts_on=starts).select_related("person").first(),
            }
        )
    return rows


def _election_initial(team: PlanningTeam) -> dict[str, Any]:
    today = timezone.localdate()
    elected = list(team.seats.filter(kind=Seat.Kind.ELECTED, archived=False))
    if not elected:
        return {}
    return {"term_starts": min(seats.next_term(s, today)[0] for s in elected)}


@login_required
def team_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = scope_of(request)
    team = _team(request, pk)
    forms = forms or {}
    leading = leads(scope)
    recording = records_for_team(scope, team)
    terms = Term.objects.filter(seat__team=team).select_related("seat", "person", "election").order_by("-starts_on")
    context = {
        "team": team,
        "seats": _seat_rows(team),
        "members": list(seats.members(team, timezone.localdate())),
        "terms": terms,
        "elections": [(e, elections.phase(e)) for e in team.elections.all()],
        "decisions": team.decisions.select_related("recorded_by")[:20],
        "leads": leading,
        "records": recording,
        "seat_form": (forms.get("seat") or SeatForm()) if leading else None,
        "appoint_form": (forms.get("appoint") or AppointForm(team=team, staff=staff())) if leading else None,
        "election_form": (forms.get("election") or ElectionForm(team=team, initial=_election_initial(team)))
        if leading
        else None,
        "decision_form": (forms.get("decision") or decision_form(scope)) if recording else None,
    }
    return render(request, "governance/team.html", context)


@login_required
@require_POST
def seat_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _led(request, pk)
    form = SeatForm(request.POST)
    return change_on_page(
        request,
        form,
        lambda data: actions.do_save_seat(me(request), Seat(team=team, **data)),
        "Seat added.",
        on=team,
        page=team_detail,
        name="seat",
    )


@login_required
@require_POST
def appoint(request: HttpRequest, pk: int) -> HttpResponse:
    team = _led(request, pk)
    form = AppointForm(request.POST, team=team, staff=staff())
    return change_on_page(
        request,
        form,
        lambda data: actions.do_appoint(me(request), data["seat"], data["person"], data["term_starts"]),
        "Appointed.",
        on=team,
        page=team_detail,
        name="appoint",
    )


@login_required
@require_POST
def election_new(request: HttpRequest, pk: int) -> HttpResponse:
    team = _led(request, pk)
    form = ElectionForm(request.POST, team=team)
    if form.is_valid():
        try:
            election = actions.do_open_election(
                me(request), team, list(form.cleaned_data["seats"]), form.cleaned_data["term_starts"]
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Election opened: nominations are open.")
            return redirect(election)
    response = team_detail(request, pk, {"election": form})
    response.status_code = 422
    return response


@login_required
@require_POST
def team_decision(request: HttpRequest, pk: int) -> HttpResponse:
    team = _team(request, pk)
    refuse(records_for_team(scope_of(request), team))
    return record(request, team_detail, team=team)
