"""Demo builds that need a database of their own: the same seed builds the same world, and the
demo with results holds four years of results, growth, an impact report and the cycles of inquiry
that rest on them (one build for all of it: it takes the better part of a minute)."""

import datetime

from django.db import transaction

from tandem.demo import load
from tandem.orgs.models import Person, School
from tandem.partnerships.models import CostOfService

TODAY = datetime.date(2026, 11, 22)


def test_the_same_seed_builds_the_same_world(db: None) -> None:
    def fingerprint() -> list[tuple[object, ...]]:
        return [
            *School.objects.order_by("cds_code").values_list("name", "cds_code"),
            *Person.objects.order_by("email").values_list("email", "full_name"),
            *CostOfService.objects.order_by("partnership__name", "school_year").values_list("total_cost"),
        ]

    with transaction.atomic():
        load.build(today=TODAY, with_results=False)
        first = fingerprint()
        transaction.set_rollback(True)
    assert not School.objects.exists()
    load.build(today=TODAY, with_results=False)
    assert fingerprint() == first


def _four_years_of_results_for_every_student_and_published_results_for_every_group() -> None:
    from tandem.achievement.groups import supported
    from tandem.achievement.models import PublicResult, StudentGroup, StudentResult

    years = sorted(set(StudentResult.objects.values_list("administration__school_year", flat=True)))
    assert years == [2023, 2024, 2025, 2026]
    assert set(StudentResult.objects.values_list("administration__assessment__code", flat=True)) == {
        "caaspp-ela",
        "caaspp-math",
    }
    tested_schools = set(StudentResult.objects.values_list("school_id", flat=True))
    assert tested_schools == set(School.objects.values_list("pk", flat=True))
    for entity in ("school", "district", "state"):
        assert PublicResult.objects.filter(entity=entity).exists()
    groups = {g.code for g in StudentGroup.objects.all() if supported(g.rule)}
    published = set(PublicResult.objects.filter(entity="state").values_list("group__code", flat=True))
    assert published == groups

    # The story of the seeds: partner schools gain more than the others over the four years.
    def gain(partner: bool) -> float:
        rows = PublicResult.objects.filter(
            entity="school",
            grade="all",
            group__code="1",
            assessment__code="caaspp-ela",
            school__partnership_memberships__isnull=not partner,
        )
        by_year = {y: [float(r.mean_scale_score) for r in rows.filter(school_year=y)] for y in (2023, 2026)}
        return sum(by_year[2026]) / len(by_year[2026]) - sum(by_year[2023]) / len(by_year[2023])

    assert gain(True) > gain(False) + 10

    # Growth percentiles for the last tested year, and the impact report on the partner schools.
    from tandem.growth.models import GrowthRun, StudentGrowth
    from tandem.impact.models import ImpactReport

    runs = GrowthRun.objects.all()
    assert {r.assessment.code for r in runs} == {"caaspp-ela", "caaspp-math"}
    assert all(r.status == "succeeded" and r.with_sgp > 5000 for r in runs)
    assert StudentGrowth.objects.filter(sgp__isnull=False).count() == sum(r.with_sgp for r in runs)
    report = ImpactReport.objects.get()
    assert report.status == "succeeded" and report.schools.count() == 16
    against = {(r["comparison"], r["metric"]): r for r in report.result["rows"]}
    # The partner schools outgained their districts and their similar schools.
    assert against[("district", "at_or_above")]["difference"] > 0
    assert against[("similar", "distance")]["difference"] > 0
    assert report.result["growth"]["all"]["median"] > 50


def _cycles_of_inquiry_at_every_level_in_every_state() -> None:
    from tandem.access.scope import scope_for
    from tandem.inquiry import health, visibility
    from tandem.inquiry.models import Action, Cycle, Evidence

    cycles = list(Cycle.objects.all())
    assert {c.level for c in cycles} == set(Cycle.Level.values)
    assert {c.status for c in cycles} == set(Cycle.Status.values)
    states = {health.health(c, TODAY).label for c in cycles}
    assert {health.ON_TRACK, health.STALLED, health.OVERDUE} <= states
    for login in ("coach", "teacher"):
        person = Person.objects.get(email=f"{login}@example.org")
        assert health.overdue_actions(Action.objects.filter(owner=person), TODAY).exists(), login

    # The leadership team's chain at Cesar Chavez Elementary: three completed cycles, each from the last.
    principal = Person.objects.get(email="principal@example.org")
    chavez = School.objects.get(name="Cesar Chavez Elementary")
    completed = Cycle.objects.filter(school=chavez, level="school", status="completed").order_by("starts_on")
    assert len(completed) == 3
    assert [c.previous for c in completed] == [None, completed[0], completed[1]]
    values = []
    for cycle in completed:
        assert cycle.owner == principal and cycle.template.name == "Results-Oriented Cycle of Inquiry"
        assert cycle.problem.assessment.code == "caaspp-ela" and cycle.problem.value is not None
        assert {q.about for q in cycle.questions.all()} == {"students", "adults"}
        assert cycle.actions.exists() and cycle.log.exists() and cycle.goals.filter(school=chavez).exists()
        values.append(cycle.evidence.get(kind=Evidence.Kind.DATA).value)
        assert cycle.reflection.decision in ("adopt", "adapt")
        assert not cycle.steps.filter(finished_on__isnull=True).exists()
        assert cycle.finished_on <= cycle.ends_on < TODAY
    assert values == sorted(values) and values[0] < values[-1]
    assert completed[1].carried_forward == completed[0].reflection.adjustments

    teacher = Person.objects.get(email="teacher@example.org")
    assert visibility.visible_cycles(scope_for(teacher)).filter(level="team", school=chavez, owner=teacher).exists()
    assert not visibility.visible_cycles(scope_for(Person.objects.get(email="funder@example.org"))).exists()


def test_the_demo_with_results(db: None) -> None:
    load.build(today=TODAY)
    _four_years_of_results_for_every_student_and_published_results_for_every_group()
    _cycles_of_inquiry_at_every_level_in_every_state()
