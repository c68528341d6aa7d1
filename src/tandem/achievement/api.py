import datetime
from typing import Any

from django.http import HttpRequest
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile
from pydantic import Field

from tandem.achievement import imports
from tandem.achievement.models import ImportRun
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.orgs.api import Paging

router = Router(tags=["imports"])


class ProblemOut(Schema):
    row: int | None
    column: str | None
    value: str | None
    reason: str


class ImportOut(Schema):
    id: int
    kind: str
    format: str
    file_name: str
    status: str
    percent: int
    rows: int
    error_count: int
    warning_count: int
    created_at: datetime.datetime
    finished_at: datetime.datetime | None


class ImportDetailOut(ImportOut):
    counts: dict[str, dict[str, int]]
    errors: list[ProblemOut]
    warnings: list[ProblemOut]
    changes: list[str]


class ImportIn(Schema):
    kind: str = Field(pattern="^(results|public|roster)$")
    format: str = Field(max_length=30)
    assessment: str = Field("", max_length=60)


def _out(run: ImportRun) -> dict[str, Any]:
    progress = imports.progress_of(run)
    return {
        "id": run.pk,
        "kind": run.kind,
        "format": run.format,
        "file_name": run.file_name,
        "status": run.status,
        "percent": progress["percent"],
        "rows": progress["rows"],
        "error_count": run.error_count,
        "warning_count": run.warning_count,
        "created_at": run.created_at,
        "finished_at": run.finished_at,
    }


def _detail(run: ImportRun) -> dict[str, Any]:
    return {
        **_out(run),
        "counts": run.counts,
        "errors": run.errors,
        "warnings": run.warnings,
        "changes": run.options.get("changes", []),
    }


def _runs(request: HttpRequest) -> Any:
    imports.require_importer(request.user)
    return ImportRun.objects.all()


@router.get("/imports", response={200: Page[ImportOut], **READ_ERRORS})
def list_imports(request: HttpRequest, paging: Query[Paging]) -> Any:
    return page_of(_runs(request), paging.limit, paging.offset, _out)


@router.get("/imports/{import_id}", response={200: ImportDetailOut, **READ_ERRORS})
def get_import(request: HttpRequest, import_id: int) -> Any:
    return _detail(request.scope.get(_runs(request), import_id))


@router.post("/imports", response={202: ImportOut, **WRITE_ERRORS})
def create_import(
    request: HttpRequest,
    data: Form[ImportIn],
    file: File[UploadedFile],
    mapping: File[UploadedFile | None] = None,
) -> Any:
    """Queue a file for import; follow it at /imports/{id} until its status is succeeded or failed."""
    imports.require_importer(request.user)
    path = imports.store_upload(file.chunks(), file.name or "upload")
    mapping_path = imports.store_upload(mapping.chunks(), mapping.name or "mapping.toml") if mapping else None
    run = imports.do_queue_import(
        request.user,
        kind=data.kind,
        format=data.format,
        path=path,
        file_name=file.name or "upload",
        mapping_path=mapping_path,
        assessment=data.assessment,
    )
    return Status(202, _out(run))
