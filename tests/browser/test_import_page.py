"""An analyst uploads a results file in Chromium and watches the import finish."""

import os
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import Page, expect

from tests.achievement.sgp_files import row, text
from tests.world import PASSWORD, World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world()


def test_upload_follow_progress_and_read_the_report(
    page: Page, live_server: object, live_world: World, tmp_path
) -> None:  # type: ignore[no-untyped-def]
    base = str(live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill("org_admin@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Imports").click()
    expect(page.get_by_text("Nothing has been imported yet.")).to_be_visible()
    page.get_by_role("link", name="Import a file").click()
    good = tmp_path / "spring.csv"
    good.write_text(text([row(), row(ID="1002"), row(ID="1003", SCALE_SCORE="2300", ACHIEVEMENT_LEVEL="")]))
    page.get_by_label("What the file holds").select_option(label="Student results, SGP long layout (CSV)")
    page.locator("#id_file").set_input_files(str(good))
    page.get_by_role("button", name="Upload and import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("spring.csv")
    expect(page.get_by_label("Progress")).to_be_visible()
    # The background worker picks the file up; the page follows it without being reloaded by hand.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    changed = page.get_by_role("region", name="What changed")
    expect(changed).to_be_visible(timeout=15_000)
    expect(changed.get_by_role("row", name="Results")).to_contain_text("3 created, 0 updated, 0 unchanged")

    # A file with a bad row: nothing changes, and the report names the row.
    bad = tmp_path / "bad.csv"
    bad.write_text(text([row(ID="2001"), row(ID="2002", GRADE="99")]))
    page.goto(f"{base}/imports/new/")
    page.get_by_label("What the file holds").select_option(label="Student results, SGP long layout (CSV)")
    page.locator("#id_file").set_input_files(str(bad))
    page.get_by_role("button", name="Upload and import").click()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    problems = page.get_by_role("region", name="1 error: nothing was changed")
    expect(problems).to_be_visible(timeout=15_000)
    expect(problems.get_by_role("row").nth(1)).to_contain_text("3")
    expect(problems).to_contain_text("not a grade: use TK, K or 1–12")
    with page.expect_download() as download:
        problems.get_by_role("link", name="Download the report as CSV").click()
    assert "not a grade" in Path(download.value.path()).read_text(encoding="utf-8")
