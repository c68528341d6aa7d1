"""Vega-Lite specs for the charts on analytics pages, built from the same `DataTable` as the table beside them.

Every spec carries `table.records()` as its inline data, so a suppressed value is `None` and draws
no mark: the chart can never show a number the table hides. The specs are plain dicts (no Altair)
that `static/tandem/charts.js` draws as SVG; `templates/analytics/_chart.html` puts each in a
figure with its data table:

    Chart(id="met-by-group", caption=caption, spec=bar_chart(table, "group", "pct_met", caption), table=table)
"""

import json
from dataclasses import dataclass
from typing import Any

from tandem.analytics.tables import DataTable, Kind

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

Spec = dict[str, Any]

# d3-format patterns matching `format_value`, so a label, a tooltip and the table read alike.
FORMATS: dict[Kind, str] = {"count": ",.0f", "percent": ".1f", "score": ".1f", "points": "+.1f", "effect": "+.2f"}
# Axis ticks are round numbers: "~" drops the zeros that the value labels keep.
AXIS_FORMATS: dict[Kind, str] = {"count": ",~f", "percent": "~f", "score": "~f", "points": "~f", "effect": "~f"}

HEIGHT = 260
BAR_STEP = 28
LEGEND = {"orient": "bottom", "direction": "horizontal"}
# Levels run from lowest to highest: a diverging scheme (orange below, blue above) that also reads
# for people who do not tell red from green.
LEVEL_SCHEME = "blueorange"
GOAL_COLORS = ["#1f5fa8", "#5b6475"]


@dataclass(frozen=True)
class Chart:
    """What `analytics/_chart.html` draws. `id` names the spec's json_script element: unique on the page."""

    id: str
    caption: str
    spec: Spec
    table: DataTable


def bar_chart(
    table: DataTable, category: str, value: str, caption: str, *, percent: bool = True, color: str | None = None
) -> Spec:
    """Horizontal bars of `value` for each `category` in the table's row order, each labelled with its value.

    `percent` values run 0–100 on a fixed axis; otherwise the axis fits the values and labels follow
    the column's kind (a change in points reads "+4.5").
    """
    text = _text_expr(table, value, percent=percent)
    bar: dict[str, Any] = {"type": "bar"}
    if color:
        bar["color"] = color
    spec = _base(table, caption, height=_bars_height(table))
    spec["transform"] = [
        {"calculate": text, "as": "_text"},
        {"calculate": f"{_datum(category)} + ': ' + datum._text", "as": "_description"},
    ]
    spec["encoding"] = {
        # sort None keeps the table's order (all students first, then the groups).
        "y": {"field": _field(category), "type": "nominal", "title": None, "sort": None},
        "x": {"field": _field(value), "type": "quantitative", "title": _label(table, value)}
        | _axis(table, value, percent=percent),
        "tooltip": [_tooltip(table, category), {"field": "_text", "type": "nominal", "title": _label(table, value)}],
        "description": {"field": "_description", "type": "nominal"},
    }
    spec["layer"] = [
        {"mark": bar},
        # A label past the end of each bar: right of a positive bar, left of a negative one.
        _bar_label(f"isValid({_datum(value)}) && {_datum(value)} >= 0", "left", 4),
        _bar_label(f"isValid({_datum(value)}) && {_datum(value)} < 0", "right", -4),
    ]
    return spec


def trend_chart(table: DataTable, x: str, y: str, series: str | None, caption: str, *, y_title: str) -> Spec:
    """Lines with points over school years, one line per `series` value when given.

    A hidden value breaks its line: no point is drawn and the line does not bridge the gap.
    """
    where = f"{_datum(series)} + ', ' + " if series else ""
    spec = _base(table, caption, height=HEIGHT)
    spec["transform"] = [
        {"calculate": _text_expr(table, y), "as": "_text"},
        {"calculate": f"{where}{_datum(x)} + ': ' + datum._text", "as": "_description"},
    ]
    tooltip = [_tooltip(table, x), {"field": "_text", "type": "nominal", "title": y_title}]
    encoding: dict[str, Any] = {
        # Ordinal: school years are labels ("2023–24") spaced evenly, not points on a time scale.
        "x": {"field": _field(x), "type": "ordinal", "title": _label(table, x), "axis": {"labelAngle": 0}},
        "y": {"field": _field(y), "type": "quantitative", "title": y_title} | _axis(table, y),
        "tooltip": tooltip,
    }
    points: dict[str, Any] = {
        "mark": {"type": "point", "filled": True, "size": 60},
        "encoding": {"description": {"field": "_description", "type": "nominal"}},
    }
    if series:
        group = {"field": _field(series), "type": "nominal", "title": _label(table, series)}
        encoding["color"] = group | {"legend": LEGEND}
        tooltip.insert(0, _tooltip(table, series))
        # Shapes repeat the colours, so series can be told apart without seeing colour.
        points["encoding"]["shape"] = group | {"legend": LEGEND}
    spec["encoding"] = encoding
    # Screen readers get one label per point; a line's label would name only its first point.
    spec["layer"] = [{"mark": {"type": "line", "aria": False}}, points]
    return spec


def levels_chart(table: DataTable, category: str, caption: str, level_columns: list[tuple[str, str]]) -> Spec:
    """One bar per `category` split into the % of students at each level; `level_columns` run lowest first."""
    keys = [key for key, _ in level_columns]
    labels = [label for _, label in level_columns]
    spec = _base(table, caption, height=_bars_height(table))
    spec["transform"] = [
        {"fold": [_field(key) for key in keys], "as": ["_level_key", "_percent"]},
        {"calculate": f"indexof({json.dumps(keys)}, datum._level_key)", "as": "_level_order"},
        {"calculate": f"{json.dumps(labels)}[datum._level_order]", "as": "_level"},
        {"calculate": f"format(datum._percent, '{FORMATS['percent']}') + '%'", "as": "_text"},
        {"calculate": f"{_datum(category)} + ', ' + datum._level + ': ' + datum._text", "as": "_description"},
    ]
    spec["mark"] = {"type": "bar"}
    spec["encoding"] = {
        "y": {"field": _field(category), "type": "nominal", "title": None, "sort": None},
        # Stacked from zero, not normalised: a hidden level leaves its share blank instead of
        # stretching the others to 100%, which would show numbers the table does not.
        "x": {"field": "_percent", "type": "quantitative", "stack": "zero", "title": "% of students tested"}
        | _percent_axis(),
        "color": {
            "field": "_level",
            "type": "ordinal",
            "title": "Level",
            "scale": {"domain": labels, "scheme": LEVEL_SCHEME, "reverse": True},
            "legend": LEGEND,
        },
        "order": {"field": "_level_order", "type": "quantitative"},
        "tooltip": [
            _tooltip(table, category),
            {"field": "_level", "type": "nominal", "title": "Level"},
            {"field": "_text", "type": "nominal", "title": "Students"},
        ],
        "description": {"field": "_description", "type": "nominal"},
    }
    return spec


def goal_chart(table: DataTable, x: str, actual: str, target: str, caption: str, *, y_title: str | None = None) -> Spec:
    """The actual values as a solid line with dots and the targets as a dashed line with diamonds."""
    names = [_label(table, actual), _label(table, target)]
    spec = _base(table, caption, height=HEIGHT)
    spec["transform"] = [
        {"fold": [_field(actual), _field(target)], "as": ["_measure_key", "_value"]},
        {
            "calculate": f"{json.dumps(names)}[indexof({json.dumps([actual, target])}, datum._measure_key)]",
            "as": "_measure",
        },
        {"calculate": _text_expr(table, actual, value="datum._value"), "as": "_text"},
        {"calculate": f"{_datum(x)} + ', ' + datum._measure + ': ' + datum._text", "as": "_description"},
    ]
    # One legend: colour, dashes and shapes all name the same two lines.
    measure = {"field": "_measure", "type": "nominal", "title": None, "legend": LEGEND}
    spec["encoding"] = {
        "x": {"field": _field(x), "type": "ordinal", "title": _label(table, x), "axis": {"labelAngle": 0}},
        "y": {"field": "_value", "type": "quantitative", "title": y_title or names[0]} | _axis(table, actual),
        "color": measure | {"scale": {"domain": names, "range": GOAL_COLORS}},
        "tooltip": [
            _tooltip(table, x),
            {"field": "_measure", "type": "nominal", "title": "Line"},
            {"field": "_text", "type": "nominal", "title": "Value"},
        ],
    }
    spec["layer"] = [
        {
            "mark": {"type": "line", "aria": False},
            "encoding": {"strokeDash": measure | {"scale": {"domain": names, "range": [[1, 0], [6, 4]]}}},
        },
        {
            "mark": {"type": "point", "filled": True, "size": 60},
            "encoding": {
                "shape": measure | {"scale": {"domain": names, "range": ["circle", "diamond"]}},
                "description": {"field": "_description", "type": "nominal"},
            },
        },
    ]
    return spec


def _base(table: DataTable, caption: str, *, height: int) -> Spec:
    # No title: the figure's figcaption is the title, and `description` labels the drawing for screen readers.
    return {
        "$schema": SCHEMA,
        "description": caption,
        "data": {"values": table.records()},
        "width": "container",
        "height": height,
        "autosize": {"type": "fit-x", "contains": "padding"},
        "config": {"font": "system-ui, sans-serif", "view": {"stroke": None}},
    }


def _bar_label(test: str, align: str, dx: int) -> Spec:
    return {
        "transform": [{"filter": test}],
        # The bar already carries this value in its label; the text would be read twice.
        "mark": {"type": "text", "align": align, "baseline": "middle", "dx": dx, "aria": False},
        "encoding": {"text": {"field": "_text", "type": "nominal"}},
    }


def _bars_height(table: DataTable) -> int:
    # A fixed height per bar: a {"step": n} height makes Vega-Lite warn in the console under fit-x.
    return BAR_STEP * max(len(table.rows), 1)


def _field(key: str) -> str:
    # Vega-Lite reads "." and "[" in a field name as a path into nested data; table keys are flat.
    return key.replace("\\", "\\\\").replace(".", "\\.").replace("[", "\\[").replace("]", "\\]")


def _datum(key: str) -> str:
    # A Vega expression for the value of a column, whatever characters its key holds.
    return f"datum[{json.dumps(key)}]"


def _label(table: DataTable, key: str) -> str:
    return next((c.label for c in table.columns if c.key == key), key)


def _text_expr(table: DataTable, key: str, *, percent: bool | None = None, value: str | None = None) -> str:
    """A Vega expression writing the value as the table does ("46.2%", "+4.5", "1,204")."""
    kind: Kind = "percent" if percent or (percent is None and table.kind_of(key) == "percent") else table.kind_of(key)
    value = value or _datum(key)
    if kind not in FORMATS:
        return f"'' + {value}"
    text = f"format({value}, '{FORMATS[kind]}')"
    return f"{text} + '%'" if kind == "percent" else text


def _axis(table: DataTable, key: str, *, percent: bool | None = None) -> dict[str, Any]:
    kind = table.kind_of(key)
    if percent or (percent is None and kind == "percent"):
        return _percent_axis()
    spec: dict[str, Any] = {"axis": {"tickCount": 5}}
    if kind in AXIS_FORMATS:
        spec["axis"]["format"] = AXIS_FORMATS[kind]
    if kind == "score":
        # Scale scores sit far from zero; an axis from zero would flatten every change between years.
        spec["scale"] = {"zero": False}
    return spec


def _percent_axis() -> dict[str, Any]:
    # Percentages arrive as 0–100 and the domain is fixed, so 40% looks the same on every chart.
    return {"scale": {"domain": [0, 100]}, "axis": {"values": [0, 25, 50, 75, 100], "labelExpr": "datum.label + '%'"}}


def _tooltip(table: DataTable, key: str) -> dict[str, Any]:
    return {
        "field": _field(key),
        "type": "ordinal" if table.kind_of(key) == "year" else "nominal",
        "title": _label(table, key),
    }
