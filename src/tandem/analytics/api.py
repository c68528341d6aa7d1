"""Every dashboard table, comparison and goal as JSON. Values hidden by small-n suppression are
null and listed in `hidden`, exactly as the pages print "*"."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema

from tandem.achievement.groups import supported
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics import actions, places
from tandem.analytics.comparison import compare
from tandem.analytics.dashboards import Dashboard, dashboard, policy
from tandem.analytics.goals import Progress, progress
from tandem.analytics.report_tables import gap
from tandem.analytics.tables import DataTable
from tandem.api.common import READ_ERRORS, Page, page_of
from tandem.orgs.api import Paging

router = Router(tags=["analytics"])


class ColumnOut(Schema):
    key: str
    label: str
    kind: str


class TableOut(Schema):
    title: str
    columns: list[ColumnOut]
    rows: list[dict[str, Any]]
    hidden: list[tuple[int, str]]
    note: str


class DashboardOut(Schema):
    place: str
    schools: int
    unsuppressed: bool
    assessment: str | None
    assessments: list[str]
    year: int | None
    years: list[int]
    grade: str
    tables: dict[str, TableOut]


class BoardQuery(Schema):
    assessment: str | None = None
    year: int | None = None
    grade: str | None = None


class PeerOut(Schema):
    school_id: int
    name: str
    similarity: float
    distance: float


class ComparisonOut(Schema):
    school_id: int
    assessment: str
    year: int | None
    method: str
    peers: list[PeerOut]
    groups: TableOut
    peer_table: TableOut


class CompareQuery(Schema):
    assessment: str | None = None
    year: int | None = None


class GapQuery(Schema):
    place: str = "network"
    assessment: str | None = None
    a: str = "31"
    b: str = "111"
    grade: str | None = None


class GoalOut(Schema):
    id: int
    title: str
    metric: str
    assessment: str
    place: str
    group: str
    comparison_group: str | None
    grade: str
    baseline_year: int
    baseline_value: float
    target_value: float
    target_date: str
    status: str
    explanation: str
    latest_year: int | None
    latest: float | None
    progress: TableOut


def table_out(table: DataTable) -> dict[str, Any]:
    return {
        "title": table.title,
        "columns": [{"key": c.key, "label": c.label, "kind": c.kind} for c in table.columns],
        "rows": table.records(),
        "hidden": sorted(table.hidden),
        "note": table.note,
    }


def _board_out(board: Dashboard) -> dict[str, Any]:
    return {
        "place": board.place.label,
        "schools": len(board.place.school_ids),
        "unsuppressed": board.place.unsuppressed,
        "assessment": board.assessment.code if board.assessment else None,
        "assessments": [a.code for a in board.assessments],
        "year": board.year,
        "years": board.years,
        "grade": board.grade,
        "tables": {k: table_out(t) for k, t in board.tables.items()},
    }


@router.get("/analytics/network", response={200: DashboardOut, **READ_ERRORS})
def network_dashboard(request: HttpRequest, q: Query[BoardQuery]) -> Any:
    """All partner schools in the caller's reach."""
    return _board_out(dashboard(places.network_place(request.scope), q.assessment, q.year, q.grade))


@router.get("/analytics/districts/{district_id}", response={200: DashboardOut, **READ_ERRORS})
def district_dashboard(request: HttpRequest, district_id: int, q: Query[BoardQuery]) -> Any:
    place = places.district_place(request.scope, district_id)[0]
    return _board_out(dashboard(place, q.assessment, q.year, q.grade))


@router.get("/analytics/schools/{school_id}", response={200: DashboardOut, **READ_ERRORS})
def school_dashboard(request: HttpRequest, school_id: int, q: Query[BoardQuery]) -> Any:
    place = places.school_place(request.scope, school_id)[0]
    return _board_out(dashboard(place, q.assessment, q.year, q.grade))


@router.get("/analytics/schools/{school_id}/comparison", response={200: ComparisonOut, **READ_ERRORS})
def school_comparison(request: HttpRequest, school_id: int, q: Query[CompareQuery]) -> Any:
    """The school beside its district, similar schools and the state, from published results."""
    school = places.school_place(request.scope, school_id)[1]
    options = Assessment.objects.filter(public_results__school=school).distinct().order_by("subject", "name")
    chosen = next((a for a in options if a.code == q.assessment), options.first())
    if chosen is None:
        chosen = Assessment.objects.order_by("subject", "name").first()
    result = compare(school, chosen, q.year, policy())  # type: ignore[arg-type]
    return {
        "school_id": school.pk,
        "assessment": result.assessment.code,
        "year": result.year,
        "method": result.peers.method or result.peers.reason,
        "peers": [
            {"school_id": p.school.pk, "name": p.school.name, "similarity": p.similarity, "distance": p.distance}
            for p in result.peers.peers
        ],
        "groups": table_out(result.groups),
        "peer_table": table_out(result.peer_table),
    }


@router.get("/analytics/gaps", response={200: TableOut, **READ_ERRORS})
def gaps(request: HttpRequest, q: Query[GapQuery]) -> Any:
    """Group `a` against group `b` (student group codes) over the years. `place`: network,
    district-ID or school-ID."""
    board = dashboard(places.place_named(request.scope, q.place), q.assessment, None, q.grade)
    by_code = {g.code: g for g in StudentGroup.objects.filter(code__in=[q.a, q.b]) if supported(g.rule)}
    if q.a not in by_code or q.b not in by_code:
        raise Http404("No such student group.")
    if board.snap is None:
        # A place without results yet answers an empty table, as the page shows an empty state.
        return table_out(DataTable(f"{by_code[q.a].label} vs {by_code[q.b].label}: no results yet", []))
    return table_out(gap(board.snap, by_code[q.a], by_code[q.b], board.grade))


def _goal_out(p: Progress) -> dict[str, Any]:
    g = p.goal
    return {
        "id": g.pk,
        "title": g.title,
        "metric": g.metric,
        "assessment": g.assessment.code,
        "place": g.scope_label(),
        "group": g.group.code,
        "comparison_group": g.comparison_group.code if g.comparison_group else None,
        "grade": g.grade,
        "baseline_year": g.baseline_year,
        "baseline_value": float(g.baseline_value),
        "target_value": float(g.target_value),
        "target_date": g.target_date.isoformat(),
        "status": p.status,
        "explanation": p.explanation,
        "latest_year": p.latest_year,
        "latest": p.latest,
        "progress": table_out(p.table()),
    }


def _goals(request: HttpRequest) -> Any:
    return actions.visible_goals(request.scope).select_related(
        "assessment", "group", "comparison_group", "school", "district", "partnership"
    )


@router.get("/goals", response={200: Page[GoalOut], **READ_ERRORS})
def list_goals(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(_goals(request), paging.limit, paging.offset, lambda g: _goal_out(progress(g)))


@router.get("/goals/{goal_id}", response={200: GoalOut, **READ_ERRORS})
def get_goal(request: HttpRequest, goal_id: int) -> Any:
    return _goal_out(progress(request.scope.get(_goals(request), goal_id)))
