"""An election's page: its seats and windows, nominations and candidates, the secret ballot, the
receipt check, the published count and the election's log; and the leaders' count and cancel.

The receipt a vote answers is shown once, on the page that answers the vote: it is not stored, not
put in the session or a message, and that page is not to be cached."""

from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_POST

from tandem.core.forms import apply_errors
from tandem.governance import actions, ballots, elections, seats
from tandem.governance.forms import AnswerForm, BallotForm, CancelForm, NominateForm, ReceiptForm
from tandem.governance.models import Election, Voter
from tandem.governance.views.common import change_on_page, me, one, refuse, scope_of
from tandem.governance.visibility import leads, visible_teams
from tandem.orgs.models import Person

# Phases in which ballots exist to be checked.
BALLOTS_CAST = {"voting", "awaiting count", Election.Status.COUNTED}


def _election(request: HttpRequest, pk: int) -> Election:
    visible = Election.objects.filter(team__in=visible_teams(scope_of(request))).select_related("team")
    return one(request, visible, pk)


def _eligible(election: Election) -> QuerySet[Person]:
    """Who may stand for (and vote in) the election today: eligible for any of its seats."""
    today = timezone.localdate()
    ids: set[int] = set()
    for seat in election.seats.all():
        ids |= set(seats.eligible(seat, today).values_list("pk", flat=True))
    return Person.objects.filter(pk__in=ids).order_by("full_name")


def _result(election: Election) -> dict[str, Any] | None:
    if election.status != Election.Status.COUNTED or not election.result:
        return None
    table = election.result.get("table") or [[]]
    # The ties' explanations name the candidates by their nomination numbers (the lot is drawn on
    # them): say whose number is whose.
    standing = sorted(elections.candidates(election), key=lambda n: n.pk) if election.result.get("ties") else []
    numbers = [(n.pk, n.nominee.full_name) for n in standing]
    return {**election.result, "header": table[0], "rows": table[1:], "numbers": numbers}


def _ballot_form(election: Election, data: Any = None) -> BallotForm:
    return BallotForm(data, election=election, candidates=elections.candidates(election))


def _nominate_form(eligible: QuerySet[Person], person: Person, may_stand: bool) -> NominateForm:
    return NominateForm(eligible=eligible, initial={"nominee": person.pk} if may_stand else {})


@login_required
def election_detail(
    request: HttpRequest,
    pk: int,
    forms: dict[str, Any] | None = None,
    receipt: str | None = None,
    check: dict[str, Any] | None = None,
) -> HttpResponse:
    scope = scope_of(request)
    election = _election(request, pk)
    person = me(request)
    forms = forms or {}
    phase = elections.phase(election)
    eligible = _eligible(election)
    may_stand = eligible.filter(pk=person.pk).exists()
    voted = Voter.objects.filter(election=election, person=person).exists()
    nominations = list(election.nominations.select_related("nominee", "nominated_by"))
    mine = next((n for n in nominations if n.nominee_id == person.pk), None)
    nominating = phase == "nominating"
    leading = leads(scope)
    context = {
        "election": election,
        "seats": list(election.seats.order_by("name")),
        "phase": phase,
        "candidates": elections.candidates(election),
        "nominations": nominations,
        "mine": mine,
        "eligible": may_stand,
        # Someone who may stand and has not been nominated finds the form open.
        "stand_open": may_stand and mine is None,
        "voted": voted,
        "votes": Voter.objects.filter(election=election).count(),
        "result": _result(election),
        "events": election.events.select_related("by"),
        "leads": leading,
        "receipt": receipt,
        "check": check,
        "nominate_form": forms.get("nominate") or (_nominate_form(eligible, person, may_stand) if nominating else None),
        "answer_form": forms.get("answer")
        or (AnswerForm(initial={"statement": mine.statement}) if nominating and mine else None),
        "ballot_form": forms.get("ballot")
        or (_ballot_form(election) if phase == "voting" and may_stand and not voted else None),
        "receipt_form": forms.get("receipt") or (ReceiptForm() if phase in BALLOTS_CAST else None),
        "count_form": forms.get("count"),
        "cancel_form": forms.get("cancel") or (CancelForm() if leading and election.status == "open" else None),
    }
    return render(request, "governance/election.html", context)


def _private(response: HttpResponse) -> HttpResponse:
    """A page showing a receipt or a ballot's ranking: never kept by the browser or a proxy."""
    add_never_cache_headers(response)  # no-cache, no-store, must-revalidate, private
    return response


@login_required
@require_POST
def nominate(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    form = NominateForm(request.POST, eligible=_eligible(election))
    own = request.POST.get("nominee") == str(me(request).pk)
    return change_on_page(
        request,
        form,
        lambda data: actions.do_nominate(me(request), election, data["nominee"], data["statement"]),
        "You stand for election." if own else "Nominated: they are asked to accept or decline.",
        on=election,
        page=election_detail,
        name="nominate",
    )


@login_required
@require_POST
def nomination_answer(request: HttpRequest, pk: int, nomination_id: int) -> HttpResponse:
    election = _election(request, pk)
    nomination = one(request, election.nominations.select_related("election"), nomination_id)
    refuse(nomination.nominee_id == me(request).pk)
    form = AnswerForm(request.POST)
    accepted = request.POST.get("answer") == "accept"
    return change_on_page(
        request,
        form,
        lambda data: actions.do_answer_nomination(
            me(request), nomination, data["answer"] == "accept", data["statement"]
        ),
        "You stand for election." if accepted else "Nomination declined.",
        on=election,
        page=election_detail,
        name="answer",
    )


@login_required
@require_POST
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    form = _ballot_form(election, request.POST)
    if form.is_valid():
        try:
            receipt = actions.do_vote(me(request), election, form.ranking())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Your vote is cast.")
            return _private(election_detail(request, pk, receipt=receipt))
    response = election_detail(request, pk, {"ballot": form})
    response.status_code = 422
    return _private(response)


@login_required
@require_POST
def receipt_check(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    form = ReceiptForm(request.POST)
    if not form.is_valid():
        response = election_detail(request, pk, {"receipt": form})
        response.status_code = 422
        return _private(response)
    ballot = ballots.find(election, form.cleaned_data["receipt"])
    check: dict[str, Any] = {"found": ballot is not None, "counted": election.status == Election.Status.COUNTED}
    if ballot is not None:
        names = {n.pk: n.nominee.full_name for n in election.nominations.select_related("nominee")}
        check["ranking"] = [names.get(pk, "a candidate no longer standing") for pk in ballot.ranking]
    # The receipt is not shown again: the form comes back empty.
    return _private(election_detail(request, pk, {"receipt": ReceiptForm()}, check=check))


@login_required
@require_POST
def count(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    refuse(leads(scope_of(request)))
    form = django_forms.Form(request.POST)
    return change_on_page(
        request,
        form,
        lambda data: actions.do_count(me(request), election),
        "Counted: the result is published.",
        on=election,
        page=election_detail,
        name="count",
    )


@login_required
@require_POST
def cancel(request: HttpRequest, pk: int) -> HttpResponse:
    election = _election(request, pk)
    refuse(leads(scope_of(request)))
    form = CancelForm(request.POST)
    return change_on_page(
        request,
        form,
        lambda data: actions.do_cancel_election(me(request), election, data["because"]),
        "Election cancelled.",
        on=election,
        page=election_detail,
        name="cancel",
    )
