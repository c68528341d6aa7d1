from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify

from tandem.analytics import exports
from tandem.analytics.dashboards import policy
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate
from tandem.impact import reports
from tandem.impact.forms import ImpactReportForm
from tandem.impact.models import ImpactReport
from tandem.impact.tables import caveat, tables


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    found = reports.visible(request.scope)
    return render(request, "impact/reports.html", {"page": paginate(request, found)})


@login_required
def report_new(request: HttpRequest) -> HttpResponse:
    form = ImpactReportForm(request.scope, request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = reports.do_create_report(
                request.user,
                title=data["title"],
                assessment=data["assessment"],
                baseline_year=data["baseline_year"],
                outcome_year=data["outcome_year"],
                schools=list(data["schools"]),
                inclusion=data["inclusion"],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "The report is being computed; this page follows its progress.")
            return redirect("impact:report", pk=report.pk)
    return render(request, "impact/report_form.html", {"form": form})


def _report(request: HttpRequest, pk: int) -> ImpactReport:
    return request.scope.get(reports.visible(request.scope), pk)


def _tables(request: HttpRequest, report: ImpactReport):  # type: ignore[no-untyped-def]
    return tables(report, policy(), reports.unsuppressed(request.scope, report))


@login_required
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    found = _tables(request, report)
    kind, name = request.GET.get("export"), request.GET.get("table")
    if kind in ("csv", "xlsx") and name in found:
        stem = slugify(f"{report.title} {name}")
        table = found[name]
        return exports.csv_response(table, stem) if kind == "csv" else exports.xlsx_response(table, stem)
    context = {"report": report, "tables": found, "caveat": caveat(report), "progress": reports.progress_of(report)}
    return render(request, "impact/report.html", context)


@login_required
def report_progress(request: HttpRequest, pk: int) -> JsonResponse:
    return JsonResponse(reports.progress_of(_report(request, pk)))


@login_required
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    report = _report(request, pk)
    found = _tables(request, report)
    sections = [("Findings", [t for k, t in found.items() if k != "schools"])] if found else []
    if "schools" in found:
        sections.append(("Schools included", [found["schools"]]))
    subtitle = f"{report.assessment.name} · {report.years_label}"
    data = exports.pdf_report(report.title, subtitle, sections, [caveat(report)])
    return exports.pdf_response(data, slugify(report.title))
