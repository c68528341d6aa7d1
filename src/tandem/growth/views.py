from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from tandem.achievement.imports import require_importer
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate
from tandem.growth import runs
from tandem.growth.forms import GrowthRunForm
from tandem.growth.models import GrowthRun


def _runs(request: HttpRequest):  # type: ignore[no-untyped-def]
    require_importer(request.user)
    return GrowthRun.objects.select_related("assessment", "created_by")


@login_required
def run_list(request: HttpRequest) -> HttpResponse:
    return render(request, "growth/runs.html", {"page": paginate(request, _runs(request))})


@login_required
def run_new(request: HttpRequest) -> HttpResponse:
    require_importer(request.user)
    form = GrowthRunForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            run = runs.do_queue_growth(
                request.user,
                data["assessment"],
                data["school_year"],
                max_order=data["max_order"],
                min_cohort=data["min_cohort"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Growth percentiles are queued; this page follows their progress.")
            return redirect("growth:run", pk=run.pk)
    return render(request, "growth/run_form.html", {"form": form})


@login_required
def run_detail(request: HttpRequest, pk: int) -> HttpResponse:
    run = get_object_or_404(_runs(request), pk=pk)
    return render(request, "growth/run.html", {"run": run, "progress": runs.progress_of(run)})


@login_required
def run_progress(request: HttpRequest, pk: int) -> JsonResponse:
    run = get_object_or_404(_runs(request), pk=pk)
    return JsonResponse(runs.progress_of(run))
