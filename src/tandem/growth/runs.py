"""SGPs on imported results: queue a run, compute it (in the worker, or the command line), and
replace the stored SGPs of that assessment and year in one transaction."""

import json
import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, FloatField
from django.db.models.functions import Cast
from django.tasks import task
from django.utils import timezone

from tandem.access import audit
from tandem.achievement.imports import require_importer
from tandem.achievement.models import Assessment, StudentResult
from tandem.core import progress, school_years
from tandem.growth import sgp
from tandem.growth.inputs import InputError, parse_config, scores_of
from tandem.growth.models import GrowthRun, StudentGrowth
from tandem.orgs.models import Person

logger = logging.getLogger(__name__)


class RunError(ValueError):
    pass


def _options(progressions: list[list[str]] | None, max_order: int, min_cohort: int, config: object) -> dict[str, Any]:
    problems = []
    if not 1 <= max_order <= 10:
        problems.append(f"The highest order must be between 1 and 10, not {max_order}.")
    if min_cohort < 1:
        problems.append(f"The smallest cohort must be at least 1 student, not {min_cohort}.")
    if config:
        try:
            parse_config({"area": config}, "area", "configuration")
        except InputError as error:
            problems.extend(error.problems)
    if problems:
        raise ValidationError(problems)
    return {"progressions": progressions, "max_order": max_order, "min_cohort": min_cohort, "config": config or {}}


@transaction.atomic
def do_queue_growth(
    actor: Person | None,
    assessment: Assessment,
    school_year: int,
    *,
    progressions: list[list[str]] | None = None,
    max_order: int = sgp.DEFAULT_MAX_ORDER,
    min_cohort: int = sgp.DEFAULT_MIN_COHORT,
    config: dict[str, Any] | None = None,
) -> GrowthRun:
    """Queue SGPs for an assessment and year. They are computed over every school's results, so
    this needs the same organization-wide reach as importing them."""
    require_importer(actor)
    run = GrowthRun.objects.create(
        assessment=assessment,
        school_year=school_year,
        options=_options(progressions, max_order, min_cohort, config),
        created_by=actor,
    )
    audit.record_creation(actor, "growth.queue", run)
    transaction.on_commit(lambda: compute_growth.enqueue(run.pk))
    return run


@task
def compute_growth(run_id: int) -> str:
    run = GrowthRun.objects.select_related("assessment").get(pk=run_id)
    if run.status == GrowthRun.Status.QUEUED:
        execute(run)
    return GrowthRun.objects.get(pk=run_id).status


def progress_of(run: GrowthRun) -> dict[str, Any]:
    done = run.status in (GrowthRun.Status.SUCCEEDED, GrowthRun.Status.FAILED)
    return progress.of_steps("growth", run.pk, run.status, done)


def execute(run: GrowthRun, on_progress: sgp.Progress | None = None) -> GrowthRun:
    """Compute the run in this process and store what it found."""
    GrowthRun.objects.filter(pk=run.pk).update(status=GrowthRun.Status.RUNNING, started_at=timezone.now())

    def report(done: int, total: int, what: str) -> None:
        progress.publish("growth", run.pk, percent=int(done * 100 / max(total, 1)), step=what)
        GrowthRun.objects.filter(pk=run.pk).update(steps_done=done, steps_total=total, step=what[:100])
        if on_progress:
            on_progress(done, total, what)

    try:
        _compute(run, report)
    except (RunError, InputError) as error:
        _fail(run, str(error))
    except Exception as error:
        logger.exception("growth run %s stopped", run.pk)
        _fail(run, f"stopped on a problem Tandem did not expect ({type(error).__name__}); the earlier SGPs are kept")
    progress.clear("growth", run.pk)
    run.refresh_from_db()
    audit.record(run.created_by, "growth.finish", run, {"status": [None, run.status]})
    return run


def _fail(run: GrowthRun, message: str) -> None:
    GrowthRun.objects.filter(pk=run.pk).update(
        status=GrowthRun.Status.FAILED, error=message, finished_at=timezone.now()
    )


def _compute(run: GrowthRun, report: Callable[[int, int, str], None]) -> None:
    options = run.options
    loaded = _load(run.assessment)
    scores = loaded["scores"]
    if not (scores.year == run.school_year).any():
        raise RunError(f"No valid {run.assessment.name} scores for {school_years.label(run.school_year)}.")
    config = options.get("config") or {}
    scales = parse_config({"area": config}, "area", "configuration") if config else None
    result = sgp.compute(
        scores,
        run.school_year,
        scales=scales,
        progressions=options.get("progressions"),
        max_order=options.get("max_order", sgp.DEFAULT_MAX_ORDER),
        min_cohort=options.get("min_cohort", sgp.DEFAULT_MIN_COHORT),
        progress=report,
        # The background worker serves everyone: it fits on two processes at most.
        workers=options.get("workers", min(2, os.cpu_count() or 1)),
    )
    rows = loaded["rows"]
    with transaction.atomic():
        StudentGrowth.objects.filter(
            administration__assessment=run.assessment, administration__school_year=run.school_year
        ).delete()
        StudentGrowth.objects.bulk_create(
            (_row(run, rows[i], result, k) for k, i in enumerate(result.row)), batch_size=5000
        )
        GrowthRun.objects.filter(pk=run.pk).update(
            status=GrowthRun.Status.SUCCEEDED,
            finished_at=timezone.now(),
            students=len(result.row),
            with_sgp=result.with_sgp,
            fits=[
                {
                    "progression": list(f.progression),
                    "students": f.students,
                    "fitted": f.fitted,
                    "reason": f.reason,
                    "seconds": round(f.seconds, 2),
                }
                for f in result.fits
            ],
        )


def _row(run: GrowthRun, source: tuple[int, int, int, int], result: sgp.Result, k: int) -> StudentGrowth:
    result_id, student_id, school_id, administration_id = source
    by_order = [int(v) or None for v in result.by_order[k]]
    cuts = {str(c): round(float(v[k]), 5) for c, v in result.cuts.items() if not np.isnan(v[k])}
    return StudentGrowth(
        run=run,
        result_id=result_id,
        student_id=student_id,
        school_id=school_id,
        administration_id=administration_id,
        grade=str(result.grade[k]),
        sgp=int(result.sgp[k]) or None,
        sgp_order=int(result.order[k]) or None,
        by_order=by_order,
        cuts=cuts,
    )


def _load(assessment: Assessment) -> dict[str, Any]:
    """Every valid scored result of the assessment, all years; one per student and year."""
    found = (
        StudentResult.objects.filter(administration__assessment=assessment, valid=True, scale_score__isnull=False)
        .order_by()
        .annotate(year=F("administration__school_year"), score=Cast("scale_score", FloatField()))
        .values_list("pk", "student_id", "school_id", "administration_id", "year", "grade", "score")
    )
    rows: list[tuple[int, int, int, int]] = []
    ids: list[str] = []
    years: list[int] = []
    grades: list[str] = []
    scores: list[float] = []
    seen: dict[tuple[int, int], int] = {}
    twice: list[str] = []
    for pk, student, school, administration, year, grade, score in found.iterator(chunk_size=20000):
        if seen.setdefault((student, year), administration) != administration:
            twice.append(f"student {student} in {school_years.label(year)}")
            continue
        rows.append((pk, student, school, administration))
        ids.append(str(student))
        years.append(year)
        grades.append(grade)
        scores.append(score)
    if twice:
        raise RunError(
            f"{assessment.name} has more than one valid score in a year for {len(twice):,}"
            f" student{'s' if len(twice) != 1 else ''}"
            f" (first: {', '.join(twice[:3])}); SGPs compare one score a year. Mark the extra results"
            " invalid, or run growth on an assessment with one administration a year."
        )
    return {"rows": rows, "scores": scores_of(ids, years, grades, scores)}


def run_from_cli(
    *,
    assessment: str | None,
    year: str,
    progressions: list[list[str]] | None,
    max_order: int,
    min_cohort: int,
    config: Path | None,
    workers: int = 1,
    on_progress: sgp.Progress | None = None,
) -> GrowthRun:
    """`tandem growth sgp --assessment CODE --year Y`: run now, in this process, as the system."""
    from tandem.achievement.importers.values import school_year

    if not assessment:
        raise RunError("Give --input with a long file, or --assessment with the code of an imported assessment.")
    found = Assessment.objects.filter(code=assessment).first() or Assessment.objects.filter(name=assessment).first()
    if found is None:
        known = ", ".join(Assessment.objects.order_by("code").values_list("code", flat=True)[:20])
        raise RunError(f"--assessment {assessment!r}: no such assessment; known: {known or 'none'}")
    try:
        year_number = school_year(year)
    except ValueError as error:
        raise RunError(f"--year {year!r}: {error}") from error
    data: object = None
    if config is not None:
        try:
            whole = json.loads(config.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise RunError(f"{config}: not a JSON file: {error}") from error
        matches = (
            [v for k, v in whole.items() if str(k).upper() in (found.code.upper(), found.subject.upper())]
            if isinstance(whole, dict)
            else []
        )
        data = matches[0] if matches else None
    try:
        with transaction.atomic():
            run = GrowthRun.objects.create(
                assessment=found,
                school_year=year_number,
                options={**_options(progressions, max_order, min_cohort, data), "workers": workers},
            )
            audit.record_creation(None, "growth.queue", run)
    except ValidationError as error:
        raise RunError(" ".join(error.messages)) from error
    return execute(run, on_progress)
