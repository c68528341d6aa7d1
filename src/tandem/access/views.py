"""The audit log for the organization's admins: who did what, and who read which student-level
records, when — with filters, and a CSV export of what the filters select (itself audited)."""

import csv
import datetime
import json
from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.core.lists import paginate, query_without_page

EXPORT_LIMIT = 1_000_000


class AuditFilter(forms.Form):
    who = forms.CharField(required=False, max_length=200, label="Who", help_text="Name or email.")
    kind = forms.ChoiceField(required=False, choices=[("", "Changes and reads"), *AuditEntry.Kind.choices])
    action = forms.CharField(required=False, max_length=80, help_text='e.g. "student" or "signin".')
    object_type = forms.CharField(
        required=False, max_length=80, label="Record type", help_text='e.g. "achievement.student".'
    )
    object_id = forms.CharField(required=False, max_length=64, label="Record id")
    since = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    until = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", "The end comes before the start.")
        return data

    def entries(self) -> QuerySet[AuditEntry]:
        found = AuditEntry.objects.select_related("actor")
        data = self.cleaned_data
        if data["who"]:
            found = found.filter(Q(actor__full_name__icontains=data["who"]) | Q(actor__email__icontains=data["who"]))
        if data["kind"]:
            found = found.filter(kind=data["kind"])
        if data["action"]:
            found = found.filter(action__icontains=data["action"])
        if data["object_type"]:
            found = found.filter(object_type__icontains=data["object_type"])
        if data["object_id"]:
            found = found.filter(object_id=data["object_id"])
        zone = timezone.get_current_timezone()
        if data["since"]:
            found = found.filter(at__gte=datetime.datetime.combine(data["since"], datetime.time(), zone))
        if data["until"]:
            end = datetime.datetime.combine(data["until"] + datetime.timedelta(days=1), datetime.time(), zone)
            found = found.filter(at__lt=end)
        return found.order_by("-at", "-id")


def _admin(request: HttpRequest) -> None:
    if not request.scope.has_role(Role.ORG_ADMIN):  # type: ignore[attr-defined]
        raise Http404("No page here.")


@login_required
def audit_log(request: HttpRequest) -> HttpResponse:
    _admin(request)
    # Always bound: every filter is optional, so no filters at all is a valid form selecting everything.
    form = AuditFilter(request.GET)
    if not form.is_valid():
        entries: QuerySet[AuditEntry] = AuditEntry.objects.none()
    else:
        entries = form.entries()
        if request.GET.get("format") == "csv":
            return _export(request, entries)
    page = paginate(request, entries, 50)
    context = {"form": form, "page": page, "query": query_without_page(request)}
    return render(request, "access/audit.html", context, status=200 if form.is_valid() else 422)


def _export(request: HttpRequest, entries: QuerySet[AuditEntry]) -> StreamingHttpResponse:
    audit.record(request.user, "audit.export", request.user, {"filters": [None, request.GET.urlencode()]})  # type: ignore[arg-type]

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows() -> Iterator[str]:
        yield writer.writerow(
            ["When (UTC)", "Who", "Email", "Kind", "Action", "Record type", "Record id", "Record", "Changes"]
        )
        for e in entries[:EXPORT_LIMIT].iterator(chunk_size=2000):
            who = e.actor
            yield writer.writerow(
                [
                    e.at.astimezone(datetime.UTC).isoformat(),
                    who.full_name if who else "",
                    who.email if who else "",
                    e.kind,
                    e.action,
                    e.object_type,
                    e.object_id,
                    e.object_repr,
                    audit_changes(e.changes),
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y-%m-%d}.csv"'
    return response


def audit_changes(changes: dict[str, Any]) -> str:
    return json.dumps(changes, ensure_ascii=False, sort_keys=True) if changes else ""
