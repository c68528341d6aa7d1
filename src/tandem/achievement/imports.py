"""Running imports: queue an uploaded file, run it in the background worker with visible
progress, keep its report. The CLI runs the same code in its own process."""

import hashlib
import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.tasks import task
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import scope_for
from tandem.achievement.importers import sgp_long
from tandem.achievement.importers.mapping import Mapping, MappingError
from tandem.achievement.importers.report import Report
from tandem.achievement.models import ImportRun
from tandem.achievement.signals import data_imported
from tandem.orgs.models import Person

Importer = Callable[..., Report]
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Format:
    kind: str
    name: str
    label: str
    run: Importer
    takes_assessment: bool = False


def _formats() -> dict[tuple[str, str], Format]:
    from tandem.achievement.importers import oneroster, public_results

    formats = [
        Format("results", "sgp-long", "Student results, SGP long layout (CSV)", sgp_long.import_file, True),
        Format("public", "generic", "Public results, Tandem's generic layout (CSV)", public_results.import_generic),
        Format("public", "caaspp", "Public results, CAASPP research file", public_results.import_caaspp),
        Format("roster", "oneroster", "Rosters, OneRoster 1.2 CSV bundle (ZIP)", oneroster.import_bundle),
    ]
    return {(f.kind, f.name): f for f in formats}


def formats() -> dict[tuple[str, str], Format]:
    return _formats()


def require_importer(actor: Person | None) -> None:
    """Importing touches every school in a file, so it needs organization-wide reach."""
    if actor is not None and not scope_for(actor).is_org_wide(Capability.IMPORT_DATA):
        raise Http404("Not found.")


def progress_key(run_id: int) -> str:
    return f"tandem:import-progress:{run_id}"


def progress_of(run: ImportRun) -> dict[str, Any]:
    live = cache.get(progress_key(run.pk)) or {}
    percent = 100 if run.status in (ImportRun.Status.SUCCEEDED, ImportRun.Status.FAILED) else live.get("percent", 0)
    return {"status": run.status, "rows": live.get("rows", run.rows_done), "percent": percent}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def store_upload(chunks: Any, name: str) -> Path:
    """Keep an uploaded file where the worker can read it."""
    folder = Path(settings.IMPORTS_DIR) / uuid.uuid4().hex
    folder.mkdir(parents=True)
    safe = Path(name).name or "upload"
    path = folder / safe
    with path.open("wb") as out:
        for chunk in chunks:
            out.write(chunk)
    return path


@transaction.atomic
def do_queue_import(
    actor: Person | None,
    *,
    kind: str,
    format: str,
    path: Path,
    file_name: str,
    mapping_path: Path | None = None,
    assessment: str = "",
) -> ImportRun:
    require_importer(actor)
    fmt = formats().get((kind, format))
    if fmt is None:
        raise ValidationError({"format": f"No {kind} import has the format {format!r}."})
    if mapping_path is not None:
        try:
            Mapping.load(mapping_path)
        except MappingError as e:
            raise ValidationError({"mapping": str(e)}) from e
    run = ImportRun.objects.create(
        kind=kind,
        format=format,
        file_name=file_name,
        file_path=str(path),
        sha256=_sha256(path) if path.is_file() else "",
        options={"mapping": str(mapping_path) if mapping_path else "", "assessment": assessment},
        created_by=actor,
    )
    audit.record_creation(actor, "import.queue", run)
    transaction.on_commit(lambda: run_import.enqueue(run.pk))
    return run


def execute(run: ImportRun, on_progress: Callable[[int, float], None] | None = None) -> Report:
    """Run a queued import in this process and record its outcome."""
    fmt = formats()[(run.kind, run.format)]
    ImportRun.objects.filter(pk=run.pk).update(status=ImportRun.Status.RUNNING, started_at=timezone.now())

    def progress(rows: int, fraction: float) -> None:
        cache.set(progress_key(run.pk), {"rows": rows, "percent": int(fraction * 100)}, timeout=24 * 3600)
        if on_progress:
            on_progress(rows, fraction)

    kwargs: dict[str, Any] = {"progress": progress, "file_name": run.file_name}
    if run.options.get("mapping"):
        kwargs["mapping"] = Mapping.load(Path(run.options["mapping"]))
    if fmt.takes_assessment and run.options.get("assessment"):
        kwargs["assessment"] = run.options["assessment"]
    try:
        report = fmt.run(Path(run.file_path), **kwargs)
    except Exception as e:
        logger.exception("import %s stopped", run.pk)
        report = Report(file=run.file_name)
        report.error(
            None,
            None,
            None,
            f"the import stopped on a problem Tandem did not expect ({type(e).__name__});"
            " nothing was changed. Please send this file to your Tandem administrator.",
        )
    if report.ok:
        data_imported.send(sender=ImportRun, kind=run.kind, school_ids=set(report.school_ids))
    details = report.to_json()
    run.status = ImportRun.Status.SUCCEEDED if report.ok else ImportRun.Status.FAILED
    run.rows_done = report.rows
    run.rows_total = report.rows
    run.counts = details["counts"]
    run.errors = details["errors"]
    run.warnings = details["warnings"]
    run.error_count = report.error_count
    run.warning_count = report.warning_count
    run.options = {**run.options, "changes": report.changes}
    run.finished_at = timezone.now()
    run.save()
    audit.record(run.created_by, "import.finish", run, {"status": [None, run.status], "counts": [None, run.counts]})
    cache.delete(progress_key(run.pk))
    return report


@task
def run_import(run_id: int) -> str:
    run = ImportRun.objects.get(pk=run_id)
    if run.status != ImportRun.Status.QUEUED:
        return run.status
    try:
        execute(run)
    finally:
        # The uploaded copy is not needed once it has been read, whatever happened.
        folder = Path(run.file_path).parent
        if folder.parent == Path(settings.IMPORTS_DIR):
            shutil.rmtree(folder, ignore_errors=True)
    return ImportRun.objects.get(pk=run_id).status


def report_of(run: ImportRun) -> Report:
    """The stored report, for the page and the CSV download."""
    from tandem.achievement.importers.report import Problem

    report = Report(
        file=run.file_name, rows=run.rows_done, error_count=run.error_count, warning_count=run.warning_count
    )
    report.errors = [Problem(**p) for p in run.errors]
    report.warnings = [Problem(**p) for p in run.warnings]
    report.counts = run.counts
    report.changes = run.options.get("changes", [])
    return report
