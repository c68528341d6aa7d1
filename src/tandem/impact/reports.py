"""Impact reports as people use them: created for schools the author can see, computed in the
background with progress, read only by people who can see every school in them."""

import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.tasks import task
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import Scope, scope_for
from tandem.achievement.models import Assessment
from tandem.core import progress
from tandem.impact.evaluate import evaluate
from tandem.impact.models import ImpactReport
from tandem.orgs.models import Person, School

logger = logging.getLogger(__name__)


def visible(scope: Scope) -> QuerySet[ImpactReport]:
    """Reports on schools the reader can all see: a report on any other school is not found."""
    if scope.is_org_wide(Capability.VIEW):
        reports = ImpactReport.objects.all()
    else:
        hidden = School.objects.exclude(pk__in=scope.schools(Capability.VIEW).values("pk"))
        reports = ImpactReport.objects.exclude(schools__in=hidden)
    return reports.select_related("assessment", "created_by")


def unsuppressed(scope: Scope, report: ImpactReport) -> bool:
    ids = list(report.schools.values_list("pk", flat=True))
    return bool(ids) and all(scope.covers_school(Capability.VIEW_STUDENTS, s) for s in ids)


@transaction.atomic
def do_create_report(
    actor: Person,
    *,
    title: str,
    assessment: Assessment,
    baseline_year: int,
    outcome_year: int,
    schools: list[School],
    inclusion: str,
) -> ImpactReport:
    scope = scope_for(actor)
    if any(not scope.covers_school(Capability.VIEW, s.pk) for s in schools):
        raise Http404("Not found.")
    errors: dict[str, str] = {}
    if not schools:
        errors["schools"] = "Choose at least one school."
    if outcome_year <= baseline_year:
        errors["outcome_year"] = "The outcome year must come after the baseline year."
    if not inclusion.strip():
        errors["inclusion"] = "Say which schools are included and why: the report prints it as a caveat."
    if not title.strip():
        errors["title"] = "Give the report a title."
    if errors:
        raise ValidationError(errors)
    report = ImpactReport.objects.create(
        title=title.strip(),
        assessment=assessment,
        baseline_year=baseline_year,
        outcome_year=outcome_year,
        inclusion=inclusion.strip(),
        created_by=actor,
    )
    report.schools.set(schools)
    audit.record_creation(actor, "impact.create", report)
    transaction.on_commit(lambda: compute_report.enqueue(report.pk))
    return report


@task
def compute_report(report_id: int) -> str:
    report = ImpactReport.objects.get(pk=report_id)
    if report.status == ImpactReport.Status.QUEUED:
        execute(report)
    return ImpactReport.objects.get(pk=report_id).status


def progress_of(report: ImpactReport) -> dict[str, Any]:
    done = report.status in (ImpactReport.Status.SUCCEEDED, ImpactReport.Status.FAILED)
    return progress.of_steps("impact", report.pk, report.status, done)


def execute(report: ImpactReport) -> ImpactReport:
    ImpactReport.objects.filter(pk=report.pk).update(status=ImpactReport.Status.RUNNING)

    def report_step(done: int, total: int, what: str) -> None:
        progress.publish("impact", report.pk, percent=int(done * 100 / total), step=what)
        ImpactReport.objects.filter(pk=report.pk).update(steps_done=done, steps_total=total, step=what[:100])

    schools = list(report.schools.select_related("district").order_by("name"))
    try:
        result = evaluate(schools, report.assessment, report.baseline_year, report.outcome_year, report_step)
    except Exception as error:
        logger.exception("impact report %s stopped", report.pk)
        ImpactReport.objects.filter(pk=report.pk).update(
            status=ImpactReport.Status.FAILED,
            error=f"stopped on a problem Tandem did not expect ({type(error).__name__})",
            finished_at=timezone.now(),
        )
    else:
        ImpactReport.objects.filter(pk=report.pk).update(
            status=ImpactReport.Status.SUCCEEDED, result=result, finished_at=timezone.now()
        )
    progress.clear("impact", report.pk)
    report.refresh_from_db()
    audit.record(report.created_by, "impact.finish", report, {"status": [None, report.status]})
    return report
