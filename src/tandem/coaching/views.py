"""Coaching pages: the coaching a person does, receives or supervises; a relationship's page (the
coachee's page); logging sessions; goals, ratings and coaching cycles; session search and export;
frameworks; loaded staff costs.

Relationships are found through `visible_relationships`. Private notes appear on one page only:
the relationship's page, for their author, read with `my_notes(request.user)`."""

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST

from tandem.access.roles import Capability
from tandem.access.scope import ALL
from tandem.analytics import exports
from tandem.coaching import actions, dives
from tandem.coaching.forms import (
    CompetencyRows,
    CycleForm,
    GoalForm,
    GoalStatusForm,
    NoteForm,
    RatingForm,
    RelationshipForm,
    SessionForm,
    SessionSearch,
    StaffCostForm,
    VersionForm,
)
from tandem.coaching.models import CoacheeGoal, CoachingCycle, Framework, Rating, Relationship, Session, StaffCost
from tandem.coaching.visibility import can_coach, can_manage, is_coachee, my_notes, supervises, visible_relationships
from tandem.core import school_years
from tandem.core.forms import apply_errors, submit
from tandem.orgs.models import School

PAGE_SIZE = 50


def _relationships(request: HttpRequest) -> QuerySet[Relationship]:
    return visible_relationships(request.scope)  # type: ignore[attr-defined]


def _get(request: HttpRequest, pk: int) -> Relationship:
    return request.scope.get(  # type: ignore[attr-defined]
        _relationships(request).select_related("coach", "coachee", "team", "school", "framework__framework"), pk
    )


@login_required
def home(request: HttpRequest) -> HttpResponse:
    person = request.user
    rows = (
        _relationships(request)
        .select_related("coach", "coachee", "team", "school")
        .annotate(last_session=Max("sessions__held_on"), hours=Sum("sessions__minutes") / 60.0)
        .order_by("status", "school__name", "coachee__full_name", "pk")
    )
    status = request.GET.get("status", "active")
    if status in Relationship.Status.values:
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "coaching/home.html",
        {
            "page": page,
            "status": status,
            "coaching": Relationship.objects.filter(coach=person, status="active").count(),
            "coached": Relationship.objects.filter(Q(coachee=person) | Q(team__members=person)).distinct(),
            "supervises": request.scope.can(actions.SUPERVISE),  # type: ignore[attr-defined]
            "query": f"status={status}",
        },
    )


@login_required
def relationship_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    form = RelationshipForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            relationship = actions.do_start_relationship(
                request.user,  # type: ignore[arg-type]
                coach=data["coach"],
                coachee=data["coachee"],
                school=data["school"],
                framework=data["framework"],
                starts_on=data["starts_on"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Coaching of {relationship.coachee_label} started.")
            return redirect(relationship)
    return render(request, "coaching/relationship_form.html", {"form": form})


def _named(ratings: list[Rating], levels: list[str]) -> list[Rating]:
    for r in ratings:
        r.level_name = levels[r.level - 1] if 0 < r.level <= len(levels) else str(r.level)  # type: ignore[attr-defined]
    return ratings


def _latest_ratings(relationship: Relationship) -> list[dict[str, Any]]:
    """Per competency rated: the latest coach rating and the latest self rating."""
    latest: dict[int, dict[str, Any]] = {}
    ratings = list(relationship.ratings.select_related("competency").order_by("rated_on", "pk"))
    for r in _named(ratings, relationship.framework.levels):
        row = latest.setdefault(r.competency_id, {"competency": r.competency, "coach": None, "self": None})
        row[r.source] = r
    return sorted(latest.values(), key=lambda row: row["competency"].code)


@login_required
def relationship_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    relationship = _get(request, pk)
    person = request.user
    coach = can_coach(person, relationship)  # type: ignore[arg-type]
    coachee = is_coachee(person, relationship)  # type: ignore[arg-type]
    manager = can_manage(scope, relationship)
    sessions = relationship.sessions.select_related("cycle").prefetch_related("competencies")
    forms = forms or {}
    if coach:
        forms.setdefault("session", SessionForm(relationship=relationship, prefix="session"))
        forms.setdefault("note", NoteForm(prefix="note"))
    if coach or coachee:
        forms.setdefault("rating", RatingForm(relationship=relationship, prefix="rating"))
    if manager:
        forms.setdefault("goal", GoalForm(relationship=relationship, scope=scope, prefix="goal"))
        forms.setdefault("cycle", CycleForm(prefix="cycle"))
    levels = relationship.framework.levels
    return render(
        request,
        "coaching/relationship.html",
        {
            "relationship": relationship,
            "sessions": sessions[:100],
            "session_count": sessions.count(),
            "hours": (sessions.aggregate(m=Sum("minutes"))["m"] or 0) / 60,
            "goals": relationship.goals.select_related("competency", "student_goal", "inquiry_cycle"),
            "cycles": relationship.cycles.all(),
            "ratings": _latest_ratings(relationship),
            "history": _named(
                list(relationship.ratings.select_related("competency", "rater").order_by("-rated_on", "-pk")[:60]),
                levels,
            ),
            "levels": levels,
            "focus": relationship.focus.all(),
            # The author's own notes, and nobody else's, ever.
            "notes": my_notes(person).filter(relationship=relationship) if coach else None,  # type: ignore[arg-type]
            "is_coach": coach,
            "is_coachee": coachee,
            "can_manage": manager,
            "supervisor": supervises(scope, relationship),
            "forms": forms,
            "goal_statuses": CoacheeGoal.Status.choices,
        },
    )


def _submit(
    request: HttpRequest,
    relationship: Relationship,
    name: str,
    form: Any,
    change: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    """A change from one of the relationship page's forms; back to its section (#sessions,
    #notes, #goals ...) when it is made."""
    return submit(
        request,
        form,
        change,
        done,
        to=f"{relationship.get_absolute_url()}#{name}s",
        again=lambda: relationship_detail(request, relationship.pk, {name: form}),
    )


@login_required
@require_POST
def session_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    form = SessionForm(request.POST, relationship=relationship, prefix="session")

    def change(data: dict[str, Any]) -> object:
        return actions.do_log_session(
            request.user,  # type: ignore[arg-type]
            relationship,
            held_on=data["held_on"],
            minutes=data["minutes"],
            kind=data["kind"],
            shared_notes=data["shared_notes"],
            next_steps=data["next_steps"],
            evidence=data["evidence"],
            competencies=list(data["competencies"]),
            cycle=data["cycle"],
            private_note=data["private_note"],
        )

    return _submit(request, relationship, "session", form, change, "Session logged.")


@login_required
@require_POST
def note_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    form = NoteForm(request.POST, prefix="note")

    def change(data: dict[str, Any]) -> object:
        return actions.do_add_private_note(request.user, relationship, data["text"])  # type: ignore[arg-type]

    return _submit(request, relationship, "note", form, change, "Private note kept.")


@login_required
@require_POST
def note_delete(request: HttpRequest, pk: int, note_id: int) -> HttpResponse:
    relationship = _get(request, pk)
    note = request.scope.get(my_notes(request.user).filter(relationship=relationship), note_id)  # type: ignore[attr-defined]
    actions.do_delete_private_note(request.user, note)  # type: ignore[arg-type]
    messages.success(request, "Private note deleted.")
    return redirect(f"{relationship.get_absolute_url()}#notes")


@login_required
@require_POST
def goal_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    form = GoalForm(request.POST, relationship=relationship, scope=request.scope, prefix="goal")  # type: ignore[attr-defined]

    def change(data: dict[str, Any]) -> object:
        return actions.do_set_goal(request.user, relationship, None, dict(data))  # type: ignore[arg-type]

    return _submit(request, relationship, "goal", form, change, "Goal set.")


@login_required
@require_POST
def goal_status(request: HttpRequest, pk: int, goal_id: int) -> HttpResponse:
    relationship = _get(request, pk)
    goal = request.scope.get(relationship.goals.all(), goal_id)  # type: ignore[attr-defined]
    form = GoalStatusForm(request.POST)
    if form.is_valid():
        try:
            actions.do_set_goal(request.user, relationship, goal, {"status": form.cleaned_data["status"]})  # type: ignore[arg-type]
            messages.success(request, "Goal updated.")
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect(f"{relationship.get_absolute_url()}#goals")


@login_required
@require_POST
def rate(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    form = RatingForm(request.POST, relationship=relationship, prefix="rating")

    def change(data: dict[str, Any]) -> object:
        return actions.do_rate(
            request.user,  # type: ignore[arg-type]
            relationship,
            data["competency"],
            data["level"],
            data["rated_on"],
            data["evidence"],
        )

    return _submit(request, relationship, "rating", form, change, "Rating recorded.")


@login_required
@require_POST
def cycle_new(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    form = CycleForm(request.POST, prefix="cycle")

    def change(data: dict[str, Any]) -> object:
        return actions.do_start_coaching_cycle(request.user, relationship, data["title"], data["starts_on"])  # type: ignore[arg-type]

    return _submit(request, relationship, "cycle", form, change, "Coaching cycle started.")


@login_required
@require_POST
def cycle_advance(request: HttpRequest, pk: int, cycle_id: int) -> HttpResponse:
    relationship = _get(request, pk)
    cycle = request.scope.get(CoachingCycle.objects.filter(relationship=relationship), cycle_id)  # type: ignore[attr-defined]
    try:
        actions.do_advance_cycle(request.user, cycle)  # type: ignore[arg-type]
        messages.success(request, "Coaching cycle moved on.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(f"{relationship.get_absolute_url()}#cycles")


@login_required
@require_POST
def relationship_end(request: HttpRequest, pk: int) -> HttpResponse:
    relationship = _get(request, pk)
    try:
        actions.do_end_relationship(request.user, relationship, timezone.localdate())  # type: ignore[arg-type]
        messages.success(request, "Coaching ended.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(relationship)


def _sessions(request: HttpRequest) -> QuerySet[Session]:
    return Session.objects.filter(relationship__in=_relationships(request)).select_related(
        "relationship__coach", "relationship__coachee", "relationship__team", "relationship__school"
    )


@login_required
def sessions(request: HttpRequest) -> HttpResponse:
    """Search and export the shared parts of sessions in reach (never private notes)."""
    form = SessionSearch(request.GET or None)
    found = _sessions(request)
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if q:
        found = found.filter(Q(shared_notes__icontains=q) | Q(next_steps__icontains=q) | Q(evidence__icontains=q))
    if request.GET.get("format") == "csv":
        return _sessions_csv(found)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coaching/sessions.html", {"form": form, "page": page, "q": q, "query": f"q={q}"})


def _sessions_csv(found: QuerySet[Session]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="coaching-sessions.csv"'
    writer = csv.writer(response)
    writer.writerow(["Date", "Coach", "Coachee", "School", "Kind", "Minutes", "Shared notes", "Next steps", "Evidence"])
    for s in found.iterator():
        r = s.relationship
        writer.writerow(
            [
                s.held_on.isoformat(),
                r.coach,
                r.coachee_label,
                r.school or "",
                s.get_kind_display(),
                s.minutes,
                s.shared_notes,
                s.next_steps,
                s.evidence,
            ]
        )
    return response


@login_required
def notes(request: HttpRequest) -> HttpResponse:
    """The reader's own private notes, searchable: nobody else's are ever listed."""
    form = SessionSearch(request.GET or None)
    found = my_notes(request.user).select_related(  # type: ignore[arg-type]
        "relationship__coachee", "relationship__team", "session"
    )
    q = form.cleaned_data["q"].strip() if form.is_valid() else ""
    if q:
        found = found.filter(text__icontains=q)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coaching/notes.html", {"form": form, "page": page, "q": q, "query": f"q={q}"})


# -- frameworks and costs -----------------------------------------------------------------------


@login_required
def frameworks(request: HttpRequest) -> HttpResponse:
    found = Framework.objects.annotate(n_versions=Count("versions"))
    return render(
        request,
        "coaching/frameworks.html",
        {"frameworks": found, "can_edit": actions.can_edit_frameworks(request.scope)},  # type: ignore[attr-defined]
    )


@login_required
def framework_detail(request: HttpRequest, pk: int) -> HttpResponse:
    framework = request.scope.get(Framework.objects.all(), pk)  # type: ignore[attr-defined]
    versions = list(framework.versions.order_by("-number"))
    wanted = request.GET.get("version", "")
    version = next((v for v in versions if str(v.number) == wanted), versions[0] if versions else None)
    if version is None:
        raise Http404("This framework has no version yet.")
    domains = version.domains.prefetch_related("competencies")
    return render(
        request,
        "coaching/framework.html",
        {
            "framework": framework,
            "version": version,
            "versions": versions,
            "domains": domains,
            "can_edit": actions.can_edit_frameworks(request.scope),  # type: ignore[attr-defined]
        },
    )


@login_required
def framework_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Publish a new version of a framework from the current one's wording."""
    if not actions.can_edit_frameworks(request.scope):  # type: ignore[attr-defined]
        raise Http404("No framework matches the given query.")
    framework = request.scope.get(Framework.objects.all(), pk)  # type: ignore[attr-defined]
    current = framework.current()
    initial_rows = [
        {
            "domain": c.domain.name,
            "code": c.code,
            "name": c.name,
            "description": c.description,
            "descriptors": "\n".join(c.descriptors),
        }
        for d in current.domains.prefetch_related("competencies")
        for c in d.competencies.all()
    ]
    form = VersionForm(request.POST or None, initial={"levels": ", ".join(current.levels)})
    rows = CompetencyRows(request.POST or None, initial=initial_rows, prefix="rows")
    if request.method == "POST" and form.is_valid() and rows.is_valid():
        domains: dict[str, list[dict[str, Any]]] = {}
        for row in rows.forms:
            data = row.cleaned_data
            if not data or data.get("DELETE"):
                continue
            domains.setdefault(data["domain"].strip(), []).append(
                {
                    "code": data["code"],
                    "name": data["name"],
                    "description": data["description"],
                    "descriptors": [line for line in data["descriptors"].splitlines() if line.strip()],
                }
            )
        try:
            version = actions.do_publish_version(
                request.user,  # type: ignore[arg-type]
                framework,
                [level for level in form.cleaned_data["levels"].split(",")],
                [{"name": name, "competencies": comps} for name, comps in domains.items()],
                form.cleaned_data["note"],
            )
        except ValidationError as e:
            apply_errors(form, e, as_field=((("domains",), "__all__"),))
        else:
            messages.success(request, f"Version {version.number} published; earlier ratings keep their wording.")
            return redirect("coaching:framework", pk=framework.pk)
    return render(request, "coaching/framework_form.html", {"framework": framework, "form": form, "rows": rows})


@login_required
def costs(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    if not actions.can_set_costs(scope):
        raise Http404("Not found.")
    form = StaffCostForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_set_staff_cost(request.user, data["person"], data["school_year"], data["hourly_cost"])  # type: ignore[arg-type]
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Loaded cost of {data['person']} for {data['school_year']} saved.")
            return redirect("coaching:costs")
    found = StaffCost.objects.select_related("person").order_by("person__full_name", "-school_year")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "coaching/costs.html", {"form": form, "page": page})


class DiveFilter(forms.Form):
    school_year = forms.TypedChoiceField(coerce=int, choices=(), required=False, label="School year")
    framework = forms.ModelChoiceField(queryset=Framework.objects.all(), required=False, empty_label=None)
    school = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any school")
    region = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any region")
    weeks = forms.IntegerField(min_value=1, max_value=26, required=False, initial=3, label="Not coached in (weeks)")

    def __init__(self, *args: Any, scope: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["school_year"].choices = [(y, school_years.label(y)) for y in years]
        fields["school"].queryset = scope.schools()
        fields["region"].queryset = scope.regions()


@login_required
def dives_page(request: HttpRequest) -> HttpResponse:
    """Data dives on the coaching the reader coaches or supervises: competency levels and their
    movement, levels over time, coaching time, coverage and (with finance access) cost of service."""
    scope = request.scope  # type: ignore[attr-defined]
    today = timezone.localdate()
    current = school_years.current(today)
    form = DiveFilter(request.GET or None, scope=scope, years=[current, current - 1, current - 2], initial={})
    data = form.cleaned_data if form.is_valid() else {}
    year = data.get("school_year") or current
    framework = data.get("framework") or Framework.objects.filter(audience="teacher").first()
    person = request.user
    # Coaching the reader only receives is theirs to read, not to analyse.
    mine = _relationships(request).filter(Q(coach=person) | Q(school_id__in=_supervised(scope)))
    where = {
        "school_ids": [data["school"].pk] if data.get("school") else None,
        "region_id": data["region"].pk if data.get("region") else None,
    }
    found: list[dives.Dive] = []
    if framework is not None:
        found += [
            dives.competency_levels(mine, framework, year, **where),
            dives.level_movement(mine, framework, year, **where),
            dives.levels_over_time(mine, framework, **where),
        ]
    found += [dives.coaching_time(mine, year, by, **where) for by in ("kind", "school", "coach")]
    found.append(dives.coverage(mine, today, data.get("weeks") or 3, **where))
    if scope.can(Capability.VIEW_FINANCE):
        found.append(dives.cost_of_service(mine, year, **where))
    tables = {dive.table.title: dive.table for dive in found} | {t.title: t for d in found for t in d.more}
    named = {slugify(title): table for title, table in tables.items()}
    kind = request.GET.get("export")
    if kind:
        table = named.get(request.GET.get("table", ""))
        if table is None or kind not in ("csv", "xlsx"):
            raise Http404("No such table.")
        stem = f"coaching-{request.GET.get('table')}"
        return exports.csv_response(table, stem) if kind == "csv" else exports.xlsx_response(table, stem)
    return render(
        request,
        "coaching/dives.html",
        {"form": form, "dives": [(dive, slugify(dive.table.title)) for dive in found], "year": year},
    )


def _supervised(scope: Any) -> Any:
    reach = scope.school_ids(Capability.SUPERVISE_COACHING)
    if reach is ALL:
        return School.objects.values("pk")
    return list(reach)
