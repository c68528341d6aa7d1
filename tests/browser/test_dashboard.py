"""The school dashboard in Chromium: charts are drawn as SVG with labelled marks, each chart's
table holds the same numbers, and the exports download and open."""

import csv
import io
import os

import openpyxl
import pytest
from playwright.sync_api import Page, expect

from tests.analytics import results
from tests.browser.signing_in import sign_in
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Grade 4 ELA: Standard Met from 2473. Twelve Hispanic students, eight White, three of them EL.
SCORES = [
    2380,
    2420,
    2440,
    2460,
    2475,
    2480,
    2490,
    2500,
    2510,
    2530,
    2560,
    2600,
    2400,
    2450,
    2470,
    2485,
    2495,
    2520,
    2540,
    2580,
]


def _demo(i: int) -> dict[str, object]:
    race = "hispanic" if i < 12 else "white"
    return {"race": race, "gender": "F" if i % 2 else "M", "fluency": "EL" if i < 3 else "EO", "disadvantaged": i < 14}


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world(2025)
    rows = []
    for i, score in enumerate(SCORES):
        rows.append((f"S{i}", 2024, "3", str(score - 40), 3 if score - 40 >= 2432 else 2, _demo(i)))
        rows.append((f"S{i}", 2025, "4", str(score), 3 if score >= 2473 else 2, _demo(i)))
    results.add(world.inside.school, "caaspp-ela", rows)
    return world


def test_school_dashboard_charts_tables_and_exports(page: Page, live_server: object, live_world: World) -> None:
    base = str(live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    # A funder sees the region's schools but no student records: small groups are suppressed.
    sign_in(page, base, "funder@example.org")
    page.goto(f"{base}/analytics/schools/{live_world.inside.school.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("North Elementary")

    groups = page.locator("figure.chart[data-spec='chart-groups']")
    # The chart is drawn: SVG bars, each labelled with its group and value.
    mark = groups.locator("svg [aria-label='All students: 65.0%']")
    expect(mark).to_have_count(1)
    # The table beside it holds the same number for the same group.
    row = groups.locator("tr", has=page.get_by_role("rowheader", name="All students", exact=True))
    expect(row.get_by_role("cell").nth(2)).to_have_text("65.0%")
    # English learners (3 students) are hidden in the table and drawn as no bar.
    learners = groups.locator("tr", has=page.get_by_role("rowheader", name="English learners", exact=True))
    expect(learners.get_by_role("cell").nth(1)).to_have_text("*")
    expect(groups.locator("svg [aria-label^='English learners:']")).to_have_count(0)
    for spec in ("chart-trend", "chart-levels", "chart-grades"):
        expect(page.locator(f"figure.chart[data-spec='{spec}'] svg [aria-label]").first).to_be_attached()

    with page.expect_download() as download:
        page.locator("section", has=groups).get_by_role("link", name="CSV").click()
    text = download.value.path().read_text(encoding="utf-8-sig")
    exported = {r[0]: r for r in csv.reader(io.StringIO(text))}
    assert exported["All students"][2:4] == ["20", "65.0"]
    assert exported["English learners"][2:] == ["*"] * 6

    with page.expect_download() as download:
        page.locator("section", has=groups).get_by_role("link", name="Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes())).active
    values = {r[0]: r for r in sheet.iter_rows(values_only=True) if r and r[0]}
    assert values["All students"][2] == 20 and values["All students"][3] == pytest.approx(65.0)
    assert values["English learners"][3] == "*"
    assert not [e for e in errors if "Content Security Policy" in e or "chart" in e.lower()], errors
