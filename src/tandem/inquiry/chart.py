"""A goal's measure over time with the cycles of inquiry that worked on it drawn on the same axis,
like an improvement run chart annotated with its PDSA cycles: each cycle's span as a band, each
finished step as a tick, and the data a cycle re-measured as points.

The yearly values come from the goal's progress (suppressed as on every dashboard); the cycles'
own re-measured values are those their teams recorded as evidence. Both tables are returned for
the page to show beside the chart.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from tandem.achievement.codes import Window
from tandem.analytics.charts import GOAL_COLORS, HEIGHT, LEGEND, SCHEMA, Chart
from tandem.analytics.goals import progress
from tandem.analytics.models import Goal, expected
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.inquiry.models import Cycle, Evidence

CYCLE_COLOR = "#8a5a00"
MEASURE_COLOR = "#2e7d32"


@dataclass
class Annotated:
    chart: Chart
    cycles: DataTable


def spring_dates(goal: Goal) -> dict[int, datetime.date]:
    """When each school year's results were measured: the spring window's end where it is known
    (other years fall back to April 30)."""
    windows = goal.assessment.administrations.filter(window=Window.SPRING, ends_on__isnull=False)
    return dict(windows.values_list("school_year", "ends_on"))


def outcome_chart(goal: Goal, cycles: QuerySet[Cycle]) -> Annotated:
    found = progress(goal)
    unit = "percent" if goal.metric == Goal.Metric.AT_OR_ABOVE else "score"
    if goal.metric in (Goal.Metric.GAP, Goal.Metric.DISTANCE):
        unit = "points"
    values = DataTable(
        f"{goal.title}: measured and target",
        [
            Column("year", "School year", "year"),
            Column("measured_on", "Measured on"),
            Column("actual", "Actual", unit),  # type: ignore[arg-type]
            Column("target", "Target", unit),  # type: ignore[arg-type]
        ],
    )
    last = max([goal.target_year, *found.values], default=goal.target_year)
    measured = spring_dates(goal)
    for year in range(goal.baseline_year, last + 1):
        target = float(goal.baseline_value) if year == goal.baseline_year else expected(goal, year)
        values.rows.append(
            {
                "year": school_years.label(year),
                "measured_on": measured.get(year, datetime.date(year, 4, 30)).isoformat(),
                "actual": found.values.get(year),
                "target": None if target is None else float(target),
            }
        )

    cycle_list = list(cycles.select_related("problem").prefetch_related("steps").order_by("starts_on", "pk"))
    # Every cycle's re-measured values in one query.
    remeasured: dict[int, list[Evidence]] = {}
    data = Evidence.objects.filter(cycle__in=[c.pk for c in cycle_list], kind=Evidence.Kind.DATA, value__isnull=False)
    for e in data.order_by("collected_on", "pk"):
        remeasured.setdefault(e.cycle_id, []).append(e)
    spans = DataTable(
        "Cycles of inquiry on this goal",
        [
            Column("label", "On the chart"),
            Column("cycle", "Cycle"),
            Column("starts_on", "Started"),
            Column("ends_on", "Ended or ends"),
            Column("status", "Status"),
            Column("steps", "Steps finished"),
        ],
    )
    span_data, step_data, measure_data = [], [], []
    for number, c in enumerate(cycle_list, start=1):
        # Bands are labelled with a short name: whole titles would overlap on a narrow band.
        label = f"Cycle {number}"
        end = c.finished_on or c.ends_on
        finished = [s for s in c.steps.all() if s.finished_on]
        spans.rows.append(
            {
                "label": label,
                "cycle": c.title,
                "starts_on": c.starts_on.isoformat(),
                "ends_on": end.isoformat(),
                "status": c.get_status_display(),
                "steps": "; ".join(f"{s.name} {s.finished_on:%b %-d}" for s in finished) or "none yet",
            }
        )
        span_data.append(
            {"label": label, "cycle": f"{label}: {c.title}", "start": c.starts_on.isoformat(), "end": end.isoformat()}
        )
        step_data.extend(
            {"cycle": c.title, "step": s.name, "date": s.finished_on.isoformat()}  # type: ignore[union-attr]
            for s in finished
        )
        problem = getattr(c, "problem", None)
        if problem is not None and problem.metric == goal.metric:
            for e in remeasured.get(c.pk, []):
                measure_data.append(
                    {"cycle": c.title, "title": e.title, "date": e.collected_on.isoformat(), "value": float(e.value)}
                )
    caption = f"{goal.title}: {goal.get_metric_display()} with the cycles of inquiry on it"
    spec = _spec(values, span_data, step_data, measure_data, caption, goal.get_metric_display())
    return Annotated(Chart(f"chart-cycles-{goal.pk}", caption, spec, values), spans)


def _spec(
    values: DataTable,
    spans: list[dict[str, Any]],
    steps: list[dict[str, Any]],
    measures: list[dict[str, Any]],
    caption: str,
    y_title: str,
) -> dict[str, Any]:
    unit = values.kind_of("actual")
    y_axis: dict[str, Any] = {"title": y_title}
    if unit == "percent":
        # From zero but not to 100%: a run chart is read for change, which a full scale flattens.
        y_axis |= {"scale": {"zero": True}, "axis": {"labelExpr": "datum.label + '%'"}}
    else:
        y_axis |= {"scale": {"zero": False}}
    x = {"field": "date", "type": "temporal", "title": None, "axis": {"format": "%b %Y", "labelAngle": 0}}
    records = [
        {"date": r["measured_on"], "series": label, "value": r[key], "year": r["year"]}
        for r in values.records()
        for key, label in (("actual", "Actual"), ("target", "Target"))
        if r[key] is not None
    ]
    series = {"field": "series", "type": "nominal", "title": None, "legend": LEGEND}
    layers: list[dict[str, Any]] = [
        {
            # The cycles first, so the lines and points draw over their bands.
            "data": {"values": spans},
            "mark": {"type": "rect", "opacity": 0.12, "color": CYCLE_COLOR, "aria": False},
            "encoding": {"x": x | {"field": "start"}, "x2": {"field": "end"}},
        },
        {
            "data": {"values": spans},
            "mark": {"type": "text", "align": "left", "baseline": "top", "dx": 3, "dy": 3, "color": CYCLE_COLOR},
            "encoding": {
                "x": x | {"field": "start"},
                "y": {"value": 0},
                "text": {"field": "label"},
                "description": {"field": "cycle"},
                "tooltip": [{"field": "cycle", "title": "Cycle"}],
            },
        },
        {
            "data": {"values": steps},
            "mark": {"type": "rule", "color": CYCLE_COLOR, "strokeDash": [2, 2], "opacity": 0.7},
            "encoding": {
                "x": x,
                "tooltip": [
                    {"field": "cycle", "title": "Cycle"},
                    {"field": "step", "title": "Step finished"},
                    {"field": "date", "type": "temporal", "title": "On", "format": "%b %-d, %Y"},
                ],
                "description": {"field": "step"},
            },
        },
        {
            "data": {"values": records},
            "mark": {"type": "line", "aria": False},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"} | y_axis,
                "color": series | {"scale": {"domain": ["Actual", "Target"], "range": GOAL_COLORS}},
                "strokeDash": series | {"scale": {"domain": ["Actual", "Target"], "range": [[1, 0], [6, 4]]}},
            },
        },
        {
            "data": {"values": records},
            "mark": {"type": "point", "filled": True, "size": 60},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative"},
                "color": series | {"scale": {"domain": ["Actual", "Target"], "range": GOAL_COLORS}},
                "shape": series | {"scale": {"domain": ["Actual", "Target"], "range": ["circle", "diamond"]}},
                "tooltip": [
                    {"field": "year", "title": "School year"},
                    {"field": "series", "title": "Line"},
                    {"field": "value", "type": "quantitative", "title": "Value", "format": ".1f"},
                ],
                "description": {"field": "year"},
            },
        },
    ]
    if measures:
        layers.append(
            {
                "data": {"values": measures},
                "mark": {"type": "point", "shape": "triangle-up", "filled": True, "size": 70, "color": MEASURE_COLOR},
                "encoding": {
                    "x": x,
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "cycle", "title": "Cycle"},
                        {"field": "title", "title": "Re-measured"},
                        {"field": "value", "type": "quantitative", "title": "Value", "format": ".1f"},
                    ],
                    "description": {"field": "title"},
                },
            }
        )
    return {
        "$schema": SCHEMA,
        "description": caption,
        "width": "container",
        "height": HEIGHT,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"font": "system-ui, sans-serif", "view": {"stroke": None}},
        "layer": layers,
    }
