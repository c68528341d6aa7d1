"""Reports for the head of learning: hours by priority, the share of cross-team sessions, and
attendance by team, for one school year, each a chart with its table and downloads."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.analytics import exports
from tandem.core import school_years
from tandem.learning import reports as builders
from tandem.learning.visibility import is_staff, visible_sessions


@login_required
def reports(request: HttpRequest) -> HttpResponse:
    if not is_staff(request.scope):  # type: ignore[attr-defined]
        raise Http404
    current = school_years.current()
    years = [current, current - 1, current - 2]
    asked = request.GET.get("year", "")
    year = int(asked) if asked.isdigit() and int(asked) in years else current
    sessions = visible_sessions(request.scope)  # type: ignore[attr-defined]
    export = request.GET.get("export")
    if export:
        build = builders.BUILDERS.get(request.GET.get("table", ""))
        if build is None or export not in ("csv", "xlsx"):
            raise Http404("No such report.")
        report = build(sessions, year, None)
        if export == "csv":
            return builders.csv_download(report, year)
        return exports.xlsx_response(report.table, f"learning-{report.key}-{year - 1}-{str(year)[-2:]}")
    return render(
        request,
        "learning/reports.html",
        {
            "reports": builders.all_reports(sessions, year),
            "year": year,
            "years": [(y, school_years.label(y)) for y in years],
            "label": school_years.label(year),
        },
    )
