"""The month view and the list of sessions (with a CSV export), both filtered the same way and
both drawing only on the sessions the viewer may see."""

import csv
import datetime
import zoneinfo
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.analytics.exports import neutralised
from tandem.core import school_years
from tandem.learning import calendar
from tandem.learning.forms import CalendarFilter
from tandem.learning.invitations import sessions_for
from tandem.learning.models import Agenda, AgendaMonth, Session, known_zones
from tandem.learning.visibility import is_staff, plans_all, visible_sessions
from tandem.orgs.models import Region

PAGE_SIZE = 50


def viewer_zone(request: HttpRequest) -> str:
    """The zone a person most likely works in: their one region's, else the organization's."""
    regions = list(request.scope.regions()[:2])  # type: ignore[attr-defined]
    if len(regions) != 1:
        regions = list(Region.objects.filter(teams__members=request.user)[:1])
    zone = regions[0].time_zone if regions else settings.TIME_ZONE
    return zone if zone in known_zones() else settings.TIME_ZONE


def filtered(request: HttpRequest, form: CalendarFilter) -> QuerySet[Session]:
    sessions = visible_sessions(request.scope)  # type: ignore[attr-defined]
    if not form.is_valid():
        return sessions.none()
    data = form.cleaned_data
    if data["mine"]:
        sessions = sessions.filter(pk__in=sessions_for(request.user).values("pk"))  # type: ignore[arg-type]
    if data["session_type"]:
        sessions = sessions.filter(session_type=data["session_type"])
    if data["priority"]:
        sessions = sessions.filter(priority=data["priority"])
    if data["team"]:
        sessions = sessions.filter(teams=data["team"])
    if data.get("region"):
        sessions = sessions.filter(Q(slot__rhythm__region=data["region"]) | Q(day_off__rhythm__region=data["region"]))
    return sessions.select_related("session_type", "priority").distinct()


def _form(request: HttpRequest) -> CalendarFilter:
    data = request.GET.copy()
    data.setdefault("zone", viewer_zone(request))
    staff = is_staff(request.scope)  # type: ignore[attr-defined]
    # Those who see only the sessions they are invited to choose among those sessions' own types,
    # priorities and teams: the organization's full lists are the staff's.
    return CalendarFilter(data, sessions=None if staff else visible_sessions(request.scope))  # type: ignore[attr-defined]


@login_required
def month(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    sessions = filtered(request, form)
    zone_name = (form.cleaned_data.get("zone") if form.is_valid() else None) or settings.TIME_ZONE
    zone = zoneinfo.ZoneInfo(zone_name)
    today = timezone.now().astimezone(zone).date()
    first = (form.cleaned_data.get("month") if form.is_valid() else None) or today.replace(day=1)
    weeks = calendar.month_grid(first)
    since = datetime.datetime.combine(weeks[0][0], datetime.time(), zone)
    until = datetime.datetime.combine(weeks[-1][-1] + datetime.timedelta(days=1), datetime.time(), zone)
    by_day: dict[datetime.date, list[dict[str, Any]]] = defaultdict(list)
    for s in sessions.filter(starts_at__gte=since, starts_at__lt=until).order_by("starts_at", "pk"):
        start = s.starts_at.astimezone(zone)
        by_day[start.date()].append({"session": s, "start": start, "end": s.ends_at.astimezone(zone)})
    query = request.GET.copy()
    query.pop("month", None)
    staff = is_staff(request.scope)  # type: ignore[attr-defined]
    # The agenda is the staff's: others see the sessions they are invited to, not the plan.
    agenda_month = (
        AgendaMonth.objects.filter(month=first, agenda__status=Agenda.Status.PUBLISHED)
        .select_related("priority")
        .first()
        if staff
        else None
    )
    return render(
        request,
        "learning/month.html",
        {
            "form": form,
            "month": first,
            "weeks": [
                [
                    {"day": d, "sessions": by_day.get(d, []), "outside": d.month != first.month, "today": d == today}
                    for d in w
                ]
                for w in weeks
            ],
            "count": sum(len(by_day[d]) for w in weeks for d in w if d.month == first.month),
            "previous": (first - datetime.timedelta(days=1)).replace(day=1),
            "following": (first + datetime.timedelta(days=32)).replace(day=1),
            "this_month": today.replace(day=1),
            "query": query.urlencode(),
            "zone": zone_name,
            "agenda_month": agenda_month,
            "school_year": school_years.of_date(first),
            "staff": staff,
            "plans": plans_all(request.scope),  # type: ignore[attr-defined]
        },
    )


@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    form = _form(request)
    sessions = filtered(request, form)
    when = request.GET.get("when", "upcoming")
    now = timezone.now()
    if when == "past":
        sessions = sessions.filter(starts_at__lt=now).order_by("-starts_at", "-pk")
    elif when == "upcoming":
        sessions = sessions.filter(ends_at__gte=now).order_by("starts_at", "pk")
    else:
        sessions = sessions.order_by("starts_at", "pk")
    if request.GET.get("format") == "csv":
        return _csv(sessions)
    page = Paginator(sessions.prefetch_related("teams"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    filters = query.copy()
    filters.pop("when", None)
    return render(
        request,
        "learning/sessions.html",
        {
            "form": form,
            "page": page,
            "when": when,
            "query": query.urlencode(),
            "filters": filters.urlencode(),
            "plans": plans_all(request.scope),  # type: ignore[attr-defined]
            "staff": is_staff(request.scope),  # type: ignore[attr-defined]
        },
    )


def _csv(sessions: QuerySet[Session]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="learning-sessions.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Session", "Type", "Priority", "Date", "Starts", "Ends", "Time zone", "Minutes", "Status", "Teams"]
    )
    for s in sessions.prefetch_related("teams"):
        writer.writerow(
            neutralised(str(cell))
            for cell in [
                s.title,
                s.session_type.name,
                s.priority.name if s.priority else "",
                s.local_date.isoformat(),
                f"{s.local_start():%H:%M}",
                f"{s.local_end():%H:%M}",
                s.time_zone,
                s.minutes,
                s.get_status_display(),
                "; ".join(t.name for t in s.teams.all()),
            ]
        )
    return response
