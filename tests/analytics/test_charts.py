"""Chart specs carry exactly the table's shown values, name the right fields, and render in their figure."""

import json
from pathlib import Path
from typing import Any

import pytest
from django.template import Context, Template

from tandem.analytics.charts import SCHEMA, Chart, bar_chart, goal_chart, levels_chart, trend_chart
from tandem.analytics.tables import Column, DataTable
from tandem.analytics.templatetags.analytics_tags import HIDDEN_TITLE, display_rows

STATIC = Path(__file__).resolve().parents[2] / "src" / "tandem" / "static" / "tandem"
LEVELS = [("l1", "Not met"), ("l2", "Nearly met"), ("l3", "Met"), ("l4", "Exceeded")]


def groups() -> DataTable:
    return DataTable(
        "Met or exceeded standard by student group",
        [
            Column("group", "Student group"),
            Column("tested", "Students tested", "count"),
            Column("pct_met", "% met or exceeded", "percent"),
        ],
        [
            {"group": "All students", "tested": 412, "pct_met": 46.2},
            {"group": "English learners", "tested": 96, "pct_met": 18.8},
            {"group": "Foster youth", "tested": 7, "pct_met": 28.6},
        ],
        hidden={(2, "tested"), (2, "pct_met")},
    )


def trend() -> DataTable:
    return DataTable(
        "Mean scale score by grade",
        [Column("year", "School year", "year"), Column("grade", "Grade"), Column("score", "Mean scale score", "score")],
        [
            {"year": "2023–24", "grade": "Grade 3", "score": 2412.9},
            {"year": "2024–25", "grade": "Grade 3", "score": 2420.1},
            {"year": "2023–24", "grade": "Grade 4", "score": 2436.5},
            {"year": "2024–25", "grade": "Grade 4", "score": 2452.2},
        ],
        hidden={(2, "score")},
    )


def levels() -> DataTable:
    return DataTable(
        "Students at each level",
        [Column("group", "Student group"), *(Column(key, label, "percent") for key, label in LEVELS)],
        [
            {"group": "All students", "l1": 30.0, "l2": 24.0, "l3": 26.0, "l4": 20.0},
            {"group": "English learners", "l1": 55.0, "l2": 26.2, "l3": 15.0, "l4": 3.8},
        ],
        hidden={(1, "l3"), (1, "l4")},
    )


def goals() -> DataTable:
    return DataTable(
        "% met against the goal",
        [
            Column("year", "School year", "year"),
            Column("actual", "% met", "percent"),
            Column("target", "Goal", "percent"),
        ],
        [
            {"year": "2023–24", "actual": 43.0, "target": 45.0},
            {"year": "2024–25", "actual": None, "target": 50.0},
        ],
    )


def every_spec() -> list[tuple[DataTable, dict[str, Any]]]:
    g, t, lv, go = groups(), trend(), levels(), goals()
    return [
        (g, bar_chart(g, "group", "pct_met", "% met by group")),
        (g, bar_chart(g, "group", "tested", "Tested", percent=False, color="#1d6b3a")),
        (t, trend_chart(t, "year", "score", "grade", "Scores by grade", y_title="Mean scale score")),
        (t, trend_chart(t, "year", "score", None, "Scores", y_title="Mean scale score")),
        (lv, levels_chart(lv, "group", "Levels", LEVELS)),
        (go, goal_chart(go, "year", "actual", "target", "Goal")),
    ]


def encodings(spec: dict[str, Any]) -> list[dict[str, Any]]:
    return [spec.get("encoding", {}), *(layer.get("encoding", {}) for layer in spec.get("layer", []))]


@pytest.mark.parametrize(("table", "spec"), every_spec())
def test_every_spec_is_plain_vega_lite_v6_json_with_the_tables_values(table: DataTable, spec: dict[str, Any]) -> None:
    assert spec["$schema"] == SCHEMA
    assert spec["data"] == {"values": table.records()}
    assert json.loads(json.dumps(spec)) == spec
    # The figcaption is the title; the caption reaches screen readers as the description.
    assert "title" not in spec
    assert spec["description"]
    assert spec["width"] == "container"
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert isinstance(spec["height"], int) and spec["height"] > 0


@pytest.mark.parametrize(("table", "spec"), every_spec())
def test_hidden_values_reach_the_chart_as_none(table: DataTable, spec: dict[str, Any]) -> None:
    values = spec["data"]["values"]
    for row, key in table.hidden:
        assert values[row][key] is None
    assert "28.6" not in json.dumps(spec)
    assert "2436.5" not in json.dumps(spec)
    assert '"l3": 15.0' not in json.dumps(spec)


def test_bar_chart_has_one_bar_per_group_in_table_order_labelled_with_its_value() -> None:
    spec = bar_chart(groups(), "group", "pct_met", "% met by group", color="#1d6b3a")
    assert spec["description"] == "% met by group"
    y, x = spec["encoding"]["y"], spec["encoding"]["x"]
    assert (y["field"], y["type"], y["sort"]) == ("group", "nominal", None)
    assert (x["field"], x["type"], x["title"]) == ("pct_met", "quantitative", "% met or exceeded")
    assert x["scale"]["domain"] == [0, 100]
    bar, positive, negative = spec["layer"]
    assert bar["mark"] == {"type": "bar", "color": "#1d6b3a"}
    assert positive["mark"]["type"] == negative["mark"]["type"] == "text"
    assert positive["encoding"]["text"]["field"] == "_text"
    # Labels skip hidden values (isValid) and read like the table: 46.2%.
    assert 'isValid(datum["pct_met"])' in positive["transform"][0]["filter"]
    assert spec["transform"][0] == {"calculate": "format(datum[\"pct_met\"], '.1f') + '%'", "as": "_text"}
    assert [t["field"] for t in spec["encoding"]["tooltip"]] == ["group", "_text"]
    assert spec["encoding"]["description"]["field"] == "_description"


def test_a_bar_chart_of_counts_has_no_percent_axis() -> None:
    spec = bar_chart(groups(), "group", "tested", "Tested", percent=False)
    x = spec["encoding"]["x"]
    assert "scale" not in x
    assert x["axis"]["format"] == ",~f"
    assert spec["transform"][0]["calculate"] == "format(datum[\"tested\"], ',.0f')"
    assert "color" not in spec["layer"][0]["mark"]


def test_trend_chart_draws_one_line_per_series_over_ordinal_years() -> None:
    spec = trend_chart(trend(), "year", "score", "grade", "Scores by grade", y_title="Mean scale score")
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["x"]["type"]) == ("year", "ordinal")
    assert (enc["y"]["field"], enc["y"]["title"]) == ("score", "Mean scale score")
    assert enc["y"]["scale"] == {"zero": False}
    assert (enc["color"]["field"], enc["color"]["title"]) == ("grade", "Grade")
    line, points = spec["layer"]
    assert line["mark"] == {"type": "line", "aria": False}
    assert points["mark"]["type"] == "point"
    assert points["encoding"]["shape"]["field"] == "grade"
    assert [t["field"] for t in enc["tooltip"]] == ["grade", "year", "_text"]


def test_trend_chart_without_series_has_no_legend() -> None:
    spec = trend_chart(trend(), "year", "score", None, "Scores", y_title="Mean scale score")
    assert "color" not in spec["encoding"]
    assert "shape" not in spec["layer"][1]["encoding"]


def test_levels_chart_folds_the_level_columns_into_a_stack_from_lowest() -> None:
    spec = levels_chart(levels(), "group", "Levels", LEVELS)
    fold = spec["transform"][0]
    assert fold == {"fold": ["l1", "l2", "l3", "l4"], "as": ["_level_key", "_percent"]}
    enc = spec["encoding"]
    assert enc["y"]["field"] == "group"
    # Not normalised: a hidden level must not stretch the others to 100%.
    assert (enc["x"]["field"], enc["x"]["stack"]) == ("_percent", "zero")
    assert enc["x"]["scale"]["domain"] == [0, 100]
    assert enc["color"]["scale"]["domain"] == ["Not met", "Nearly met", "Met", "Exceeded"]
    assert enc["order"]["field"] == "_level_order"


def test_goal_chart_draws_actual_solid_and_target_dashed() -> None:
    spec = goal_chart(goals(), "year", "actual", "target", "Goal")
    assert spec["transform"][0] == {"fold": ["actual", "target"], "as": ["_measure_key", "_value"]}
    assert '["% met", "Goal"]' in spec["transform"][1]["calculate"]
    enc = spec["encoding"]
    assert (enc["x"]["field"], enc["y"]["field"], enc["y"]["title"]) == ("year", "_value", "% met")
    line, points = spec["layer"]
    assert line["encoding"]["strokeDash"]["scale"] == {"domain": ["% met", "Goal"], "range": [[1, 0], [6, 4]]}
    assert points["encoding"]["shape"]["scale"]["domain"] == ["% met", "Goal"]
    assert (
        goal_chart(goals(), "year", "actual", "target", "Goal", y_title="% of students")["encoding"]["y"]["title"]
        == "% of students"
    )


def test_keys_with_dots_are_escaped_in_fields_but_not_in_expressions() -> None:
    table = DataTable("t", [Column("a.b", "Group"), Column("c.d", "Value", "percent")], [{"a.b": "x", "c.d": 1.0}])
    spec = bar_chart(table, "a.b", "c.d", "cap")
    assert spec["encoding"]["y"]["field"] == "a\\.b"
    assert spec["transform"][1]["calculate"] == "datum[\"a.b\"] + ': ' + datum._text"


def test_display_rows_shows_cells_as_the_table_writes_them() -> None:
    rows = display_rows(groups())
    assert [c.text for c in rows[0]] == ["All students", "412", "46.2%"]
    assert [(c.text, c.hidden) for c in rows[2]] == [("Foster youth", False), ("*", True), ("*", True)]
    assert [c.numeric for c in rows[0]] == [False, True, True]


def test_chart_include_renders_figure_spec_and_table() -> None:
    table = groups()
    chart = Chart(
        id="met-by-group",
        caption="% met by group",
        spec=bar_chart(table, "group", "pct_met", "% met by group"),
        table=table,
    )
    html = Template('{% include "analytics/_chart.html" %}').render(Context({"chart": chart}))
    assert '<figure class="chart" data-spec="met-by-group">' in html
    assert "<figcaption>% met by group</figcaption>" in html
    assert '<div class="chart-canvas" role="img" aria-label="% met by group"></div>' in html
    start = html.index('<script id="met-by-group" type="application/json">') + len(
        '<script id="met-by-group" type="application/json">'
    )
    assert json.loads(html[start : html.index("</script>", start)]) == chart.spec
    assert "<caption>Met or exceeded standard by student group</caption>" in html
    assert '<th scope="col" class="num">% met or exceeded</th>' in html
    assert '<tr><th scope="row">All students</th><td class="num">412</td><td class="num">46.2%</td></tr>' in html
    assert html.count(f'<td class="suppressed num" title="{HIDDEN_TITLE}">*</td>') == 2
    assert HIDDEN_TITLE == "Hidden: fewer students than the reporting threshold"


def test_chart_scripts_go_in_the_head_of_the_base_page_deferred_and_in_order() -> None:
    page = Template(
        '{% extends "base.html" %}{% block scripts %}{% include "analytics/_chart_scripts.html" %}{% endblock %}'
    ).render(Context({}))
    head = page[: page.index("</head>")]
    sources = [part.split('"')[0] for part in head.split('<script src="')[1:]]
    assert sources == [
        "/static/tandem/vendor/vega.min.js",
        "/static/tandem/vendor/vega-lite.min.js",
        "/static/tandem/vendor/vega-embed.min.js",
        "/static/tandem/charts.js",
    ]
    assert head.count("defer></script>") == 4
    assert '<link rel="stylesheet" href="/static/tandem/vendor/vega-tooltip.css">' in head


@pytest.mark.parametrize(
    ("name", "package", "version", "smallest"),
    [
        ("vega.min.js", "vega", "6.4.0", 400_000),
        ("vega-lite.min.js", "vega-lite", "6.5.0", 200_000),
        ("vega-embed.min.js", "vega-embed", "7.3.0", 40_000),
    ],
)
def test_vendored_builds_are_there_with_their_licenses(name: str, package: str, version: str, smallest: int) -> None:
    build = STATIC / "vendor" / name
    assert build.stat().st_size > smallest
    text = build.read_text(encoding="utf-8")
    assert text.startswith("!function(")  # the UMD build, which sets a global for charts.js
    assert version in text
    assert "Redistribution and use in source and binary forms" in (STATIC / "vendor" / f"LICENSE-{package}").read_text()
    assert f"{package} {version}" in (STATIC / "vendor" / "README.md").read_text()


def test_charts_js_stays_within_the_csp() -> None:
    script = (STATIC / "charts.js").read_text(encoding="utf-8")
    # Expressions interpreted, not compiled with eval; no <style> injected by vega-embed or its tooltips.
    for option in (
        'renderer: "svg"',
        "actions: false",
        "ast: true",
        "defaultStyle: false",
        "disableDefaultStyle: true",
    ):
        assert option in script
    assert "#vg-tooltip-element" in (STATIC / "vendor" / "vega-tooltip.css").read_text(encoding="utf-8")
