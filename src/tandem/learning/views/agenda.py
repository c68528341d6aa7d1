"""The learning agenda: the school year's scope and sequence, month by month. Staff propose items
and comment while it is a draft; leaders set each month's priority, answer proposals and publish."""

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from tandem.core import school_years
from tandem.core.forms import submit
from tandem.learning import actions
from tandem.learning.forms import AgendaMonthForm, CommentForm, ProposalForm, ResponseForm
from tandem.learning.models import Agenda, AgendaMonth, Session
from tandem.learning.visibility import is_staff, plans_all


def _staff_only(request: HttpRequest) -> None:
    if not is_staff(request.scope):  # type: ignore[attr-defined]
        raise Http404


def _year(year: int) -> int:
    if not school_years.EARLIEST.year < year <= school_years.LATEST.year:
        raise Http404
    return year


@login_required
def agenda_home(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    return redirect("learning:agenda", school_years.current())


def _month_figures(year: int) -> dict[datetime.date, dict[str, Any]]:
    """Sessions held in each month of the year and their hours."""
    figures: dict[datetime.date, dict[str, Any]] = defaultdict(lambda: {"count": 0, "hours": 0.0})
    held = Session.objects.filter(local_date__range=school_years.span(year), status=Session.Status.SCHEDULED)
    for day, starts, ends in held.values_list("local_date", "starts_at", "ends_at"):
        month = figures[day.replace(day=1)]
        month["count"] += 1
        month["hours"] += (ends - starts).total_seconds() / 3600
    return figures


@login_required
def agenda(request: HttpRequest, year: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    _staff_only(request)
    _year(year)
    found = Agenda.objects.filter(school_year=year).select_related("published_by").first()
    plans = plans_all(request.scope)  # type: ignore[attr-defined]
    context: dict[str, Any] = {"year": year, "label": school_years.label(year), "agenda": found, "plans": plans}
    context["years"] = [y for y in (year - 1, year + 1) if Agenda.objects.filter(school_year=y).exists() or plans]
    if found is None:
        return render(request, "learning/agenda.html", context)
    forms = forms or {}
    figures = _month_figures(year)
    months = list(found.months.select_related("priority"))
    comments = list(found.comments.select_related("author"))
    context.update(
        months=[
            {
                "month": m,
                "figures": figures.get(m.month, {"count": 0, "hours": 0}),
                "form": forms.get(f"month-{m.pk}")
                or AgendaMonthForm(initial={"priority": m.priority, "focus": m.focus}, prefix=f"m{m.pk}"),
                "comments": [c for c in comments if c.month == m.month],
            }
            for m in months
        ],
        missing=[m for m in months if m.priority_id is None],
        proposals=found.proposals.select_related("author", "priority"),
        general_comments=[c for c in comments if c.month is None],
        proposal_form=forms.get("proposal") or ProposalForm(agenda=found, prefix="proposal"),
        comment_form=forms.get("comment") or CommentForm(agenda=found, prefix="comment"),
        response_form=ResponseForm(),
    )
    return render(request, "learning/agenda.html", context)


def _agenda(request: HttpRequest, year: int, plan: bool = False) -> Agenda:
    _staff_only(request)
    if plan and not plans_all(request.scope):  # type: ignore[attr-defined]
        raise Http404
    return get_object_or_404(Agenda, school_year=_year(year))


def _submit(
    request: HttpRequest, found: Agenda, name: str, form: Any, change: Callable[[dict[str, Any]], object], done: str
) -> HttpResponse:
    return submit(
        request,
        form,
        change,
        done,
        to=f"{found.get_absolute_url()}#{ {'proposal': 'proposals'}.get(name, name.split('-')[0]) }",
        again=lambda: agenda(request, found.school_year, {name: form}),
    )


@login_required
@require_POST
def agenda_open(request: HttpRequest, year: int) -> HttpResponse:
    _staff_only(request)
    try:
        actions.do_open_agenda(request.user, _year(year))  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request, "Draft agenda started: set each month's priority, and invite staff to propose and comment."
        )
    return redirect("learning:agenda", year)


@login_required
@require_POST
def agenda_month(request: HttpRequest, year: int, month_id: int) -> HttpResponse:
    found = _agenda(request, year, plan=True)
    month = get_object_or_404(AgendaMonth, pk=month_id, agenda=found)
    form = AgendaMonthForm(request.POST, prefix=f"m{month.pk}")
    return _submit(
        request,
        found,
        f"month-{month.pk}",
        form,
        lambda d: actions.do_save_month(request.user, month, d["priority"], d["focus"]),  # type: ignore[arg-type]
        f"{month} saved.",
    )


@login_required
@require_POST
def proposal_add(request: HttpRequest, year: int) -> HttpResponse:
    found = _agenda(request, year)
    return _submit(
        request,
        found,
        "proposal",
        ProposalForm(request.POST, agenda=found, prefix="proposal"),
        lambda d: actions.do_propose(request.user, found, d["title"], d["body"], d["month"], d["priority"]),  # type: ignore[arg-type]
        "Thank you: your proposal is on the draft for the leaders to consider.",
    )


@login_required
@require_POST
def proposal_respond(request: HttpRequest, year: int, proposal_id: int) -> HttpResponse:
    found = _agenda(request, year, plan=True)
    proposal = get_object_or_404(found.proposals, pk=proposal_id)
    form = ResponseForm(request.POST)
    if form.is_valid():
        try:
            actions.do_respond(request.user, proposal, form.cleaned_data["status"], form.cleaned_data["response"])  # type: ignore[arg-type]
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, f"Answer to “{proposal.title}” saved.")
    else:
        messages.error(request, "Choose open, accepted or declined.")
    return redirect(f"{found.get_absolute_url()}#proposals")


@login_required
@require_POST
def comment_add(request: HttpRequest, year: int) -> HttpResponse:
    found = _agenda(request, year)
    return _submit(
        request,
        found,
        "comment",
        CommentForm(request.POST, agenda=found, prefix="comment"),
        lambda d: actions.do_comment(request.user, found, d["body"], d["month"]),  # type: ignore[arg-type]
        "Comment added.",
    )


@login_required
@require_POST
def agenda_publish(request: HttpRequest, year: int) -> HttpResponse:
    found = _agenda(request, year, plan=True)
    reopen = request.POST.get("reopen") == "1"
    try:
        changed = actions.do_publish(request.user, found, reopen=reopen)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(
            request,
            "The agenda is a draft again: staff can propose and comment."
            if reopen
            else f"Agenda published. {changed} sessions now carry their month's priority.",
        )
    return redirect(found)
