"""Imports as people run them: uploaded on a page or through the API and run by the background
worker with visible progress, or run from the command line; each leaves its report."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.achievement.models import ImportRun, StudentResult
from tests.achievement.sgp_files import row, text
from tests.world import World, build_world


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    return build_world()


def _admin(world: World) -> Client:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    return client


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_upload_page_queues_the_file_and_the_worker_imports_it(committed_world: World) -> None:
    client = _admin(committed_world)
    upload = SimpleUploadedFile("spring.csv", text([row(), row(ID="1002")]).encode())
    response = client.post(reverse("achievement:import_new"), {"format": "results:sgp-long", "file": upload})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("achievement:import", args=[run.pk])
    page = client.get(response["Location"])
    assert b'<progress id="import-progress"' in page.content
    assert client.get(reverse("achievement:import_progress", args=[run.pk])).json() == {
        "status": "queued",
        "rows": 0,
        "percent": 0,
    }
    _work()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert run.counts["results"] == {"created": 2, "updated": 0, "unchanged": 0}
    assert StudentResult.objects.count() == 2
    assert client.get(reverse("achievement:import_progress", args=[run.pk])).json()["percent"] == 100
    page = client.get(reverse("achievement:import", args=[run.pk]))
    assert b"What changed" in page.content and b"<progress" not in page.content
    # The uploaded copy is removed once it has been imported.
    assert not Path(run.file_path).exists()


def test_a_failed_upload_shows_and_downloads_its_report(committed_world: World) -> None:
    client = _admin(committed_world)
    upload = SimpleUploadedFile("spring.csv", text([row(), row(ID="1002", GRADE="99")]).encode())
    client.post(reverse("achievement:import_new"), {"format": "results:sgp-long", "file": upload})
    _work()
    run = ImportRun.objects.get()
    assert (run.status, run.error_count) == ("failed", 1)
    page = client.get(reverse("achievement:import", args=[run.pk]))
    assert b"1 error: nothing was changed" in page.content
    csv_text = client.get(reverse("achievement:import_report", args=[run.pk])).content.decode()
    assert csv_text.splitlines() == [
        "severity,file,row,column,value,reason",
        'error,spring.csv,3,GRADE,99,"not a grade: use TK, K or 1–12"',
    ]
    assert StudentResult.objects.count() == 0


def test_upload_form_errors(world: World) -> None:
    client = _admin(world)
    response = client.post(reverse("achievement:import_new"), {"format": "results:excel"})
    errors = response.context["form"].errors
    assert errors["format"] == ["Select a valid choice. results:excel is not one of the available choices."]
    assert errors["file"] == ["This field is required."]
    bad_mapping = SimpleUploadedFile("map.toml", b"columns = [1, 2")
    response = client.post(
        reverse("achievement:import_new"),
        {"format": "results:sgp-long", "file": SimpleUploadedFile("a.csv", b"x"), "mapping": bad_mapping},
    )
    assert "not a valid TOML mapping file" in response.context["form"].errors["mapping"][0]
    assert not ImportRun.objects.exists()


def test_api_upload_and_follow(committed_world: World) -> None:
    client = _admin(committed_world)
    response = client.post(
        "/api/v1/imports",
        {"kind": "results", "format": "sgp-long", "file": SimpleUploadedFile("a.csv", text([row()]).encode())},
    )
    assert response.status_code == 202
    run_id = response.json()["id"]
    assert response.json()["status"] == "queued"
    _work()
    body = client.get(f"/api/v1/imports/{run_id}").json()
    assert (body["status"], body["percent"], body["counts"]["results"]["created"]) == ("succeeded", 100, 1)
    bad = client.post(
        "/api/v1/imports", {"kind": "results", "format": "excel", "file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert bad.status_code == 422
    assert bad.json()["detail"][0]["loc"] == ["body", "format"]


def test_command_line_import_prints_progress_report_and_exit_status(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["TANDEM_DATA_DIR"] = str(tmp_path / "data")
    tandem = [sys.executable, "-m", "tandem.cli"]
    assert subprocess.run([*tandem, "migrate"], env=env, capture_output=True, check=False).returncode == 0
    good = tmp_path / "good.csv"
    good.write_text(text([row(), row(ID="1002")]))
    first = subprocess.run(
        [*tandem, "import", "results", str(good)], env=env, capture_output=True, text=True, check=False
    )
    assert first.returncode == 0, first.stderr
    assert "results: 2 created, 0 updated, 0 unchanged" in first.stdout
    assert "100% (2 rows)" in first.stderr
    again = subprocess.run(
        [*tandem, "import", "results", str(good)], env=env, capture_output=True, text=True, check=False
    )
    assert "results: 0 created, 0 updated, 2 unchanged" in again.stdout
    bad = tmp_path / "bad.csv"
    bad.write_text(text([row(SCALE_SCORE="x")]))
    report = tmp_path / "report.csv"
    failed = subprocess.run(
        [*tandem, "import", "results", str(bad), "--errors-csv", str(report)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert failed.returncode == 1
    assert "error: bad.csv, row 2, column SCALE_SCORE: not a number (value 'x')" in failed.stderr
    assert "bad.csv: 1 error(s); nothing was changed." in failed.stdout
    assert report.read_text().splitlines()[1] == "error,bad.csv,2,SCALE_SCORE,x,not a number"
    unknown = subprocess.run(
        [*tandem, "import", "public", str(good), "--format", "xlsx"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert unknown.returncode == 2
    assert "unknown format 'xlsx'; use one of: generic, caaspp" in unknown.stderr
