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
