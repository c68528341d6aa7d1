from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics import actions, exports, places
from tandem.analytics.charts import Chart, bar_chart, goal_chart, trend_chart
from tandem.analytics.comparison import compare
from tandem.analytics.dashboards import Dashboard, dashboard, policy
from tandem.analytics.forms import GoalForm
from tandem.analytics.goals import progress
from tandem.analytics.models import Goal
from tandem.analytics.report_tables import by_group, gap
from tandem.analytics.tables import Column, DataTable
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate
from tandem.inquiry.chart import outcome_chart
from tandem.inquiry.visibility import visible_cycles


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value else None
    except ValueError:
        return None


def _export(request: HttpRequest, tables: dict[str, DataTable], stem: str) -> HttpResponse | None:
    """`?export=csv|xlsx&table=NAME` on any analytics page downloads that table."""
    kind = request.GET.get("export")
    if not kind:
        return None
    table = tables.get(request.GET.get("table", ""))
    if table is None or kind not in ("csv", "xlsx"):
        raise Http404("No such table.")
    name = f"{stem}-{request.GET.get('table')}"
    return exports.csv_response(table, name) if kind == "csv" else exports.xlsx_response(table, name)


def _board(request: HttpRequest, place: places.Place) -> Dashboard:
    return dashboard(place, request.GET.get("assessment"), _int(request.GET.get("year")), request.GET.get("grade"))


def _render_board(request: HttpRequest, place: places.Place, extra: dict[str, Any]) -> HttpResponse:
    board = _board(request, place)
    stem = slugify(f"{place.label} {board.assessment.code if board.assessment else ''} {board.year or ''}")
    found = _export(request, board.tables, stem)
    if found:
        return found
    goals = [progress(g) for g in extra.pop("goals", Goal.objects.none()).select_related("assessment", "group")]
    return render(request, "analytics/dashboard.html", {"board": board, "place": place, "goals": goals, **extra})


@login_required
def network(request: HttpRequest) -> HttpResponse:
    place = places.network_place(request.scope)
    goals = Goal.objects.filter(school=None, district=None, partnership=None)
    return _render_board(request, place, {"goals": goals, "heading": "Network dashboard"})


@login_required
def district(request: HttpRequest, pk: int) -> HttpResponse:
    place, obj = places.district_place(request.scope, pk)
    return _render_board(request, place, {"district": obj, "goals": obj.goals.all(), "heading": obj.name})


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    place, obj = places.school_place(request.scope, pk)
    return _render_board(request, place, {"school": obj, "goals": obj.goals.all(), "heading": obj.name})


@login_required
def school_report(request: HttpRequest, pk: int) -> HttpResponse:
    """The printable PDF: the school dashboard's tables and its goals."""
    place, obj = places.school_place(request.scope, pk)
    board = _board(request, place)
    goal_tables = [progress(g).table() for g in obj.goals.select_related("assessment", "group")]
    sections = [("Results", list(board.tables.values()))] if board.tables else []
    if goal_tables:
        sections.append(("Goals", goal_tables))
    subtitle = f"{board.assessment.name if board.assessment else 'No results yet'} · {board.year_label}"
    data = exports.pdf_report(f"{obj.name}: school report", subtitle, sections, [_suppression_note(place)])
    return exports.pdf_response(data, slugify(f"{obj.name} report {board.year or ''}"))


def _suppression_note(place: places.Place) -> str:
    rules = policy()
    if place.unsuppressed:
        return "Shown unsuppressed for a reader with student-level access to this school. Do not share."
    return f"Groups under {rules.groups_below} students and counts under {rules.counts_below} are hidden (*)."


@login_required
def comparison(request: HttpRequest, pk: int) -> HttpResponse:
    place, obj = places.school_place(request.scope, pk)
    options = list(Assessment.objects.filter(public_results__school=obj).distinct().order_by("subject", "name"))
    chosen = next((a for a in options if a.code == request.GET.get("assessment")), options[0] if options else None)
    result = compare(obj, chosen, _int(request.GET.get("year")), policy()) if chosen else None
    charts: list[Chart] = []
    if result:
        found = _export(request, {"groups": result.groups, "peers": result.peer_table}, slugify(f"{obj.name} compared"))
        if found:
            return found
        caption = f"{obj.name}: % at or above standard by student group, beside the district, similar schools and state"
        charts.append(
            Chart("chart-compare", caption, bar_chart(result.groups, "group", "school", caption), result.groups)
        )
    return render(
        request,
        "analytics/comparison.html",
        {
            "school": obj,
            "place": place,
            "result": result,
            "assessments": options,
            "chosen": chosen,
            "charts": charts[:1],
        },
    )


@login_required
def gaps(request: HttpRequest) -> HttpResponse:
    """Two groups side by side over the years, for a school, a district or the network."""
    where = request.GET.get("place", "network")
    place = places.place_named(request.scope, where)
    board = _board(request, place)
    groups = board.snap.groups if board.snap else []
    by_code = {g.code: g for g in groups}
    a = by_code.get(request.GET.get("a", "")) or by_code.get("31")
    b = by_code.get(request.GET.get("b", "")) or by_code.get("111")
    tables: dict[str, DataTable] = {}
    charts: list[Chart] = []
    if board.snap and board.snap.years and a and b:
        tables["gap"] = gap(board.snap, a, b, board.grade)
        tables["groups"] = by_group(board.snap, board.year or board.snap.years[-1], board.grade)
        found = _export(request, tables, slugify(f"{place.label} gap {a.label} {b.label}"))
        if found:
            return found
        charts.append(
            Chart(
                "chart-gap",
                f"{a.label} and {b.label}: % at or above standard by year",
                trend_chart(_long(tables["gap"], a, b), "year", "value", "group", "% at or above", y_title="%"),
                tables["gap"],
            )
        )
    return render(
        request,
        "analytics/gaps.html",
        {
            "board": board,
            "place": place,
            "where": where,
            "groups": groups,
            "a": a,
            "b": b,
            "charts": charts,
            "places": _place_choices(request),
            "tables": tables,
        },
    )


def _long(table: DataTable, a: StudentGroup, b: StudentGroup) -> DataTable:
    """The gap table reshaped as one row per group and year, for a two-line chart."""
    out = DataTable(
        table.title, [Column("year", "School year", "year"), Column("group", "Group"), Column("value", "%", "percent")]
    )
    for i in range(len(table.rows)):
        for key, group in (("a", a), ("b", b)):
            out.rows.append({"year": table.rows[i]["year"], "group": group.label, "value": table.value(i, key)})
    return out


def _place_choices(request: HttpRequest) -> list[tuple[str, str]]:
    scope = request.scope
    choices = [("network", "All partner schools")]
    choices += [(f"district-{d.pk}", d.name) for d in scope.districts().order_by("name")]
    partner = places.partner_school_ids()
    choices += [(f"school-{s.pk}", s.name) for s in scope.schools().filter(pk__in=partner).order_by("name")]
    return choices


# -- goals ------------------------------------------------------------------------------------


def _goals(request: HttpRequest):  # type: ignore[no-untyped-def]
    return actions.visible_goals(request.scope).select_related(
        "assessment", "group", "school", "district", "partnership"
    )


@login_required
def goal_list(request: HttpRequest) -> HttpResponse:
    page = paginate(request, _goals(request))
    rows = [progress(g) for g in page.object_list]
    return render(
        request, "analytics/goals.html", {"page": page, "rows": rows, "can_add": actions.can_set_goals(request.scope)}
    )


@login_required
def goal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    goal = request.scope.get(_goals(request), pk)
    p = progress(goal)
    table = p.table()
    found = _export(request, {"progress": table}, slugify(goal.title))
    if found:
        return found
    chart = Chart(
        "chart-goal",
        f"{goal.title}: actual and target",
        goal_chart(table, "year", "actual", "target", goal.title),
        table,
    )
    # The cycles of inquiry working on the goal, drawn on its outcome chart.
    cycles = visible_cycles(request.scope).filter(goals=goal)
    return render(
        request,
        "analytics/goal.html",
        {
            "goal": goal,
            "progress": p,
            "chart": chart,
            "can_edit": actions.can_edit_goal(request.user, goal),
            "cycles": outcome_chart(goal, cycles) if cycles.exists() else None,
        },
    )


@login_required
def goal_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    goal = request.scope.get(_goals(request), pk) if pk else None
    if not actions.can_set_goals(request.scope) or (goal and not actions.can_edit_goal(request.user, goal)):
        raise Http404("No goal matches the given query.")
    form = GoalForm(request.POST or None, instance=goal, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            if goal:
                saved = actions.do_update_goal(request.user, goal, form.goal_fields(), form.interim_targets())
            else:
                saved = actions.do_create_goal(request.user, form.goal_fields(), form.interim_targets())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Goal “{saved.title}” saved.")
            return redirect("analytics:goal", pk=saved.pk)
    return render(request, "analytics/goal_form.html", {"form": form, "goal": goal})


@login_required
def goal_delete(request: HttpRequest, pk: int) -> HttpResponse:
    goal = request.scope.get(_goals(request), pk)
    if request.method != "POST" or not actions.can_edit_goal(request.user, goal):
        raise Http404("No goal matches the given query.")
    actions.do_delete_goal(request.user, goal)
    messages.success(request, f"Goal “{goal.title}” deleted.")
    return redirect("analytics:goals")
