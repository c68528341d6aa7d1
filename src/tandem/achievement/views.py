from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render

from tandem.achievement import imports
from tandem.achievement.forms import ImportForm
from tandem.achievement.models import ImportRun
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate


def _runs(request: HttpRequest):  # type: ignore[no-untyped-def]
    imports.require_importer(request.user)
    return ImportRun.objects.select_related("created_by")


@login_required
def import_list(request: HttpRequest) -> HttpResponse:
    return render(request, "achievement/imports.html", {"page": paginate(request, _runs(request))})


@login_required
def import_new(request: HttpRequest) -> HttpResponse:
    imports.require_importer(request.user)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        kind, fmt = form.cleaned_data["format"].split(":")
        upload = form.cleaned_data["file"]
        path = imports.store_upload(upload.chunks(), upload.name)
        mapping = form.cleaned_data["mapping"]
        mapping_path = imports.store_upload(mapping.chunks(), mapping.name) if mapping else None
        assessment = form.cleaned_data["assessment"]
        try:
            run = imports.do_queue_import(
                request.user,
                kind=kind,
                format=fmt,
                path=path,
                file_name=upload.name,
                mapping_path=mapping_path,
                assessment=assessment.code if assessment else "",
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"{upload.name} is queued; this page follows its progress.")
            return redirect("achievement:import", pk=run.pk)
    return render(request, "achievement/import_form.html", {"form": form})


@login_required
def import_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = request.scope.get(_runs(request), pk)
    return render(
        request,
        "achievement/import.html",
        {"run": run, "report": imports.report_of(run), "progress": imports.progress_of(run)},
    )


@login_required
def import_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = request.scope.get(_runs(request), pk)
    return JsonResponse(imports.progress_of(run))


@login_required
def import_report_csv(request: HttpRequest, pk: int) -> HttpResponse:
    run = request.scope.get(_runs(request), pk)
    response = HttpResponse(imports.report_of(run).as_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-report.csv"'
    return response
