"""Growth percentile runs: queue one, follow it, read what it fitted."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.achievement.imports import require_importer
from tandem.achievement.models import Assessment
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.growth import runs, sgp
from tandem.growth.models import GrowthRun
from tandem.orgs.api import Paging

router = Router(tags=["growth"])


class FitOut(Schema):
    progression: list[str]
    students: int
    fitted: bool
    reason: str
    seconds: float


class GrowthRunOut(Schema):
    id: int
    assessment: str
    school_year: int
    status: str
    percent: int
    step: str
    students: int
    with_sgp: int
    error: str
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class GrowthRunDetailOut(GrowthRunOut):
    options: dict[str, Any]
    fits: list[FitOut]


class GrowthRunIn(Schema):
    assessment: str = Field(max_length=60, description="The assessment's code, e.g. caaspp-ela")
    school_year: int = Field(ge=1990, le=2100, description="The year the school year ends: 2025 for 2024–25")
    progressions: list[list[str]] | None = Field(None, description="Prior grades then the current grade")
    max_order: int = Field(sgp.DEFAULT_MAX_ORDER, ge=1, le=10)
    min_cohort: int = Field(sgp.DEFAULT_MIN_COHORT, ge=1)
    config: dict[str, Any] | None = Field(None, description="knots, boundaries, loss_hoss by grade")


def _out(run: GrowthRun) -> dict[str, Any]:
    progress = runs.progress_of(run)
    return {
        "id": run.pk,
        "assessment": run.assessment.code,
        "school_year": run.school_year,
        "status": run.status,
        "percent": progress["percent"],
        "step": progress["step"] or run.step,
        "students": run.students,
        "with_sgp": run.with_sgp,
        "error": run.error,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _runs(request: HttpRequest) -> Any:
    require_importer(request.user)
    return GrowthRun.objects.select_related("assessment")


@router.get("/growth/runs", response={200: Page[GrowthRunOut], **READ_ERRORS})
def list_runs(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(_runs(request), paging.limit, paging.offset, _out)


@router.get("/growth/runs/{run_id}", response={200: GrowthRunDetailOut, **READ_ERRORS})
def get_run(request: HttpRequest, run_id: int) -> Any:
    run = request.scope.get(_runs(request), run_id)
    return {**_out(run), "options": run.options, "fits": run.fits}


@router.post("/growth/runs", response={202: GrowthRunOut, **WRITE_ERRORS})
def create_run(request: HttpRequest, data: GrowthRunIn) -> Any:
    """Queue SGPs for an assessment and year; follow the run until its status is succeeded or failed."""
    require_importer(request.user)
    assessment = Assessment.objects.filter(code=data.assessment).first()
    if assessment is None:
        raise ValidationError({"assessment": f"No assessment has the code {data.assessment!r}."})
    run = runs.do_queue_growth(
        request.user,
        assessment,
        data.school_year,
        progressions=data.progressions,
        max_order=data.max_order,
        min_cohort=data.min_cohort,
        config=data.config,
    )
    return Status(202, _out(run))
