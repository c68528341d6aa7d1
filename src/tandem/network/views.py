"""The leadership network's pages: the directory of its members with their cohorts, upcoming and past
convenings, and a cohort's page with its members and convenings. Anyone who is neither on the staff
nor in the network finds nothing here."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.scope import Scope
from tandem.core import school_years
from tandem.core.forms import IdsField, apply_errors, submit
from tandem.learning.models import Session
from tandem.learning.visibility import visible_sessions
from tandem.network import actions
from tandem.network.forms import CohortForm, ConveningForm, DirectoryFilter, MemberForm
from tandem.network.models import Cohort, Member
from tandem.network.visibility import manages_cohort, manages_network, sees_directory, visible_cohorts, visible_members
from tandem.orgs.models import Person

PAGE_SIZE = 50


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _scope(request: HttpRequest) -> Scope:
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not sees_directory(scope):
        raise Http404("No page here.")
    return scope


def _convenings(scope: Scope, cohorts: QuerySet[Cohort]) -> QuerySet[Session]:
    sessions = Session.objects.filter(cohorts__in=cohorts).distinct()
    return sessions.filter(pk__in=visible_sessions(scope).values("pk")).select_related("session_type")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    cohorts = visible_cohorts(scope).annotate(n=Count("members"))
    form = DirectoryFilter(request.GET or None, cohorts=cohorts)
    members = visible_members(scope).select_related("person", "school__district", "district", "cohort")
    if form.is_valid():
        data = form.cleaned_data
        if data["cohort"]:
            members = members.filter(cohort=data["cohort"])
        if data["role"]:
            members = members.filter(role=data["role"])
        for word in data["q"].replace("\x00", " ").split()[:6]:
            members = members.filter(
                Q(person__full_name__icontains=word)
                | Q(title__icontains=word)
                | Q(school__name__icontains=word)
                | Q(district__name__icontains=word)
                | Q(school__district__name__icontains=word)
            )
    page = Paginator(members.order_by("-cohort__school_year", "person__full_name", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    convenings = _convenings(scope, visible_cohorts(scope))
    return render(
        request,
        "network/home.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "cohorts": cohorts,
            "upcoming": convenings.filter(ends_at__gte=now, status=Session.Status.SCHEDULED).order_by("starts_at")[:6],
            "past": convenings.filter(ends_at__lt=now).order_by("-starts_at")[:6],
            "manages": manages_network(scope),
        },
    )


def _cohort(request: HttpRequest, pk: int) -> Cohort:
    scope = _scope(request)
    return scope.get(visible_cohorts(scope).prefetch_related("facilitators"), pk)


def _cohort_page(request: HttpRequest, cohort: Cohort, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = _scope(request)
    forms = forms or {}
    now = timezone.now()
    convenings = _convenings(scope, Cohort.objects.filter(pk=cohort.pk)).annotate(
        present=Count("attendance", filter=Q(attendance__status="present"))
    )
    manages = manages_cohort(scope, cohort)
    return render(
        request,
        "network/cohort.html",
        {
            "cohort": cohort,
            "members": cohort.members.select_related("person", "school__district", "district"),
            "upcoming": convenings.filter(ends_at__gte=now).order_by("starts_at"),
            "past": convenings.filter(ends_at__lt=now).order_by("-starts_at"),
            "manages": manages,
            "schedules": manages_network(scope),
            "member_form": forms.get("member") or MemberForm(scope=scope),
            "convening_form": forms.get("convening") or ConveningForm(),
        },
        status=422 if forms else 200,
    )


@login_required
def cohort(request: HttpRequest, pk: int) -> HttpResponse:
    return _cohort_page(request, _cohort(request, pk))


@login_required
def cohort_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = _scope(request)
    if pk is None:
        if not manages_network(scope):
            raise Http404("No page here.")
        instance = Cohort()
    else:
        instance = _cohort(request, pk)
        if not manages_cohort(scope, instance):
            raise Http404("No page here.")
    form = CohortForm(request.POST or None, instance=instance)
    # Facilitators are chosen by id: an id no row could have must be an unknown choice, not a query
    # the database refuses (a server error on SQLite and PostgreSQL alike).
    chosen = form.fields["facilitators"]
    form.fields["facilitators"] = IdsField(
        queryset=chosen.queryset,  # type: ignore[attr-defined]
        required=False,
        label=chosen.label,
        help_text=chosen.help_text,
    )
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_cohort(
                _me(request), form.save(commit=False), list(form.cleaned_data["facilitators"])
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Cohort saved.")
            return redirect(saved)
    status = 422 if request.method == "POST" else 200
    return render(request, "network/cohort_form.html", {"form": form, "cohort": instance}, status=status)


@login_required
@require_POST
def member_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    found = _cohort(request, pk)
    if not manages_cohort(scope, found):
        raise Http404("No page here.")
    form = MemberForm(request.POST, scope=scope)
    return submit(
        request,
        form,
        lambda d: actions.do_add_member(
            _me(request), found, d["person"], d["role"], d["school"], d["district"], d["title"]
        ),
        "Member saved.",
        to=f"{found.get_absolute_url()}#members",
        again=lambda: _cohort_page(request, found, {"member": form}),
    )


@login_required
@require_POST
def member_remove(request: HttpRequest, pk: int, member_id: int) -> HttpResponse:
    scope = _scope(request)
    found = _cohort(request, pk)
    member: Member = scope.get(found.members.all(), member_id)
    try:
        actions.do_remove_member(_me(request), member)
    except ValidationError as e:
        raise Http404("No member matches the given query.") from e
    messages.success(request, f"{member.person} is no longer in {found}.")
    return redirect(f"{found.get_absolute_url()}#members")


@login_required
@require_POST
def convening_add(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    found = _cohort(request, pk)
    if not manages_network(scope):
        raise Http404("No page here.")
    form = ConveningForm(request.POST)

    def schedule(d: dict[str, Any]) -> object:
        # A session is held between Tandem's first and last dates. A day outside them is refused by
        # name, beside the day (its end, counted from its start in its own time zone, could otherwise
        # run past the calendar: a server error).
        first, last = school_years.EARLIEST, school_years.LATEST
        if not first <= d["day"] <= last:
            raise ValidationError({"day": f"Give a date from {first.year} to {last.year}."})
        try:
            return actions.do_schedule_convening(
                _me(request), found, d["title"], d["day"], d["start"], d["minutes"], d["location"], d["time_zone"]
            )
        except ValidationError as e:
            if not hasattr(e, "error_dict"):
                raise
            # The session's start and end are the form's day (and time), as the API names them too.
            named = {"starts_at": "day", "ends_at": "day"}
            raise ValidationError({named.get(k, k): v for k, v in e.error_dict.items()}) from None

    return submit(
        request,
        form,
        schedule,
        "Convening scheduled: its members are invited, and it is on their calendars.",
        to=f"{found.get_absolute_url()}#convenings",
        again=lambda: _cohort_page(request, found, {"convening": form}),
    )
