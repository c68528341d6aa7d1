"""The demo network is believable, complete and the same on every run."""

import datetime

import pytest
from django.db import transaction
from django.db.models import Count, Q

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.demo import load
from tandem.orgs.models import District, Person, Region, School, SchoolDemographics
from tandem.partnerships.models import CostOfService, Partnership, SiteAssignment

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture
def demo(db: None) -> None:
    load.build(today=TODAY, with_results=False)


def test_shape_of_the_network(demo: None) -> None:
    assert Region.objects.count() == 2
    assert District.objects.count() == 3
    assert School.objects.count() >= 60
    active = Partnership.objects.filter(status="active")
    partner_schools = School.objects.filter(partnership_memberships__partnership__in=active).distinct()
    assert partner_schools.count() >= 12
    assert set(Partnership.objects.values_list("model", flat=True)) == set(Partnership.Model.values)
    assert len(set(Partnership.objects.values_list("phase", flat=True))) >= 4


def test_each_active_partner_school_has_one_or_two_partners(demo: None) -> None:
    today = TODAY
    counts = (
        School.objects.filter(partnership_memberships__partnership__status="active")
        .annotate(
            n=Count(
                "site_assignments",
                filter=Q(site_assignments__start_date__lte=today) & Q(site_assignments__end_date__isnull=True),
                distinct=True,
            )
        )
        .values_list("n", flat=True)
    )
    assert counts and all(1 <= n <= 2 for n in counts)


def test_three_years_of_funding_and_demographics(demo: None) -> None:
    assert sorted(set(CostOfService.objects.values_list("school_year", flat=True))) == [2025, 2026, 2027]
    assert SchoolDemographics.objects.values("school_year").distinct().count() == 3
    for cost in CostOfService.objects.all()[:5]:
        assert cost.funded() == cost.total_cost
        assert 30 <= cost.fee_share() <= 46


def test_every_demo_login_exists_with_its_role(demo: None) -> None:
    for email, role_label, _ in load.demo_logins():
        person = Person.objects.get(email=email)
        assert person.check_password(load.DEMO_PASSWORD)
        assert role_label in {r.get_role_display() for r in RoleAssignment.objects.filter(person=person)}
    coach = Person.objects.get(email="coach@example.org")
    assert SiteAssignment.objects.filter(person=coach).count() == 2
    assert RoleAssignment.objects.filter(role=Role.ORG_ADMIN).count() == 1


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


def test_four_years_of_results_for_every_student_and_published_results_for_every_group(db: None) -> None:
    from tandem.achievement.groups import supported
    from tandem.achievement.models import PublicResult, StudentGroup, StudentResult

    load.build(today=TODAY)
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


def test_cycles_of_inquiry_at_every_level_in_every_state(db: None) -> None:
    from tandem.access.scope import scope_for
    from tandem.inquiry import health, visibility
    from tandem.inquiry.models import Action, Cycle, Evidence

    load.build(today=TODAY)
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


def test_cycles_of_inquiry_without_results(demo: None) -> None:
    from tandem.inquiry.models import Cycle

    # No goals to link: the cycles follow a template that asks for none, and state problems in words.
    assert {c.level for c in Cycle.objects.all()} == set(Cycle.Level.values)
    chain = Cycle.objects.filter(level="school", status="completed").order_by("starts_on")
    assert [c.previous for c in chain] == [None, chain[0], chain[1]]
    assert not Cycle.objects.filter(problem__value__isnull=False).exists()
