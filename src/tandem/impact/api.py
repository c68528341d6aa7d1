"""Impact reports: create one, follow it, read its tables (suppressed for the reader)."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.achievement.models import Assessment
from tandem.analytics.api import TableOut, table_out
from tandem.analytics.dashboards import policy
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.impact import reports
from tandem.impact.models import ImpactReport
from tandem.impact.tables import caveat, tables
from tandem.orgs.api import Paging

router = Router(tags=["impact"])


class ReportOut(Schema):
    id: int
    title: str
    assessment: str
    baseline_year: int
    outcome_year: int
    school_ids: list[int]
    inclusion: str
    status: str
    percent: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ReportDetailOut(ReportOut):
    caveat: str
    unsuppressed: bool
    tables: dict[str, TableOut]


class ReportIn(Schema):
    title: str = Field(max_length=200)
    assessment: str = Field(max_length=60, description="The assessment's code, e.g. caaspp-ela")
    baseline_year: int = Field(ge=1990, le=2100)
    outcome_year: int = Field(ge=1990, le=2100)
    school_ids: list[int] = Field(min_length=1)
    inclusion: str = Field(max_length=2000, description="Which schools are included and why")


def _out(report: ImpactReport) -> dict[str, Any]:
    return {
        "id": report.pk,
        "title": report.title,
        "assessment": report.assessment.code,
        "baseline_year": report.baseline_year,
        "outcome_year": report.outcome_year,
        "school_ids": sorted(report.schools.values_list("pk", flat=True)),
        "inclusion": report.inclusion,
        "status": report.status,
        "percent": reports.progress_of(report)["percent"],
        "created_at": report.created_at,
        "finished_at": report.finished_at,
    }


@router.get("/impact/reports", response={200: Page[ReportOut], **READ_ERRORS})
def list_reports(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(reports.visible(request.scope), paging.limit, paging.offset, _out)


@router.get("/impact/reports/{report_id}", response={200: ReportDetailOut, **READ_ERRORS})
def get_report(request: HttpRequest, report_id: int) -> Any:
    report = request.scope.get(reports.visible(request.scope), report_id)
    open_view = reports.unsuppressed(request.scope, report)
    found = tables(report, policy(), open_view)
    return {
        **_out(report),
        "caveat": caveat(report),
        "unsuppressed": open_view,
        "tables": {k: table_out(t) for k, t in found.items()},
    }


@router.post("/impact/reports", response={202: ReportOut, **WRITE_ERRORS})
def create_report(request: HttpRequest, data: ReportIn) -> Any:
    """Compute an impact report in the background; follow it until its status is succeeded or failed."""
    assessment = Assessment.objects.filter(code=data.assessment).first()
    if assessment is None:
        raise ValidationError({"assessment": f"No assessment has the code {data.assessment!r}."})
    schools = list(request.scope.schools().filter(pk__in=data.school_ids))
    if len(schools) != len(set(data.school_ids)):
        # A school outside the reader's scope looks exactly like one that does not exist.
        raise ValidationError({"school_ids": "No school has one of these ids."})
    report = reports.do_create_report(
        request.user,
        title=data.title,
        assessment=assessment,
        baseline_year=data.baseline_year,
        outcome_year=data.outcome_year,
        schools=schools,
        inclusion=data.inclusion,
    )
    return Status(202, _out(report))
