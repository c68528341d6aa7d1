"""The impact report's arithmetic on hand-computed data, its suppression, and the report as people
use it: created on the page, computed by the worker with progress, printed with its caveat."""

import io
import math
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from tandem.access.roles import Role
from tandem.achievement.models import Assessment, PublicResult, StudentGroup
from tandem.analytics.suppression import Policy
from tandem.impact import evaluate as ev
from tandem.impact.models import ImpactReport
from tandem.impact.tables import tables
from tests.analytics.results import add
from tests.world import World, build_world


def test_cox_index_and_hedges_correction_by_hand() -> None:
    treated, other = ev.Figures(n=100, at_or_above=60.0, mean=410.0), ev.Figures(n=300, at_or_above=50.0, mean=400.0)
    j = 1 - 3 / (4 * 400 - 9)
    cox = j * (math.log(0.6 / 0.4) - math.log(0.5 / 0.5)) / 1.65
    assert ev.effect_size("at_or_above", treated, other, None) == pytest.approx(cox)
    assert ev.effect_size("mean", treated, other, 40.0) == pytest.approx(j * 10 / 40)
    assert ev.effect_size("mean", treated, other, None) is None  # no SD, no g
    assert ev.effect_size("at_or_above", ev.Figures(n=5, at_or_above=100.0), other, None) is None


@pytest.mark.parametrize(
    ("effect", "verdict"),
    [
        (0.0, "satisfied"),
        (-0.05, "satisfied"),
        (0.051, "satisfied only with statistical adjustment"),
        (-0.25, "satisfied only with statistical adjustment"),
        (0.26, "not equivalent"),
        (None, "cannot be judged"),
    ],
)
def test_wwc_baseline_equivalence_thresholds(effect: float | None, verdict: str) -> None:
    assert ev.equivalence(effect) == verdict


def _published(world: World, entity: str, year: int, tested: int, mean: str, pct: str) -> None:
    where = {
        "district": {"district": world.inside.district, "entity_key": world.inside.district.cds_code},
        "state": {"state": "CA", "entity_key": "CA"},
    }[entity]
    PublicResult.objects.create(
        entity=entity,
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school_year=year,
        grade="all",
        group=StudentGroup.objects.get(code="1"),
        students_tested=tested,
        mean_scale_score=Decimal(mean),
        pct_met_and_above=Decimal(pct),
        **where,
    )


def _scores(world: World) -> None:
    """Twelve students each year at the inside school. 2024: scores 2400 ×6 and 2500 ×6 (mean 2450,
    half meeting standard at 2432 in grade 5); 2025: 2500 ×9 and 2400 ×3 (mean 2475, 75%)."""
    rows = []
    for i in range(12):
        rows.append((f"A{i}", 2024, "5", 2400 if i < 6 else 2500, 2 if i < 6 else 3, {"fluency": "EO"}))
        rows.append((f"A{i}", 2025, "5", 2500 if i < 9 else 2400, 3 if i < 9 else 2, {"fluency": "EO"}))
    add(world.inside.school, "caaspp-ela", rows)


def test_gains_against_the_district_worked_out_by_hand(world: World) -> None:
    _scores(world)
    _published(world, "district", 2024, 1000, "2440", "40")
    _published(world, "district", 2025, 1000, "2450", "45")
    result = ev.evaluate([world.inside.school], Assessment.objects.get(code="caaspp-ela"), 2024, 2025)
    rows = {(r["comparison"], r["metric"]): r for r in result["rows"]}
    pct = rows[("district", "at_or_above")]
    assert pct["treated"] == [pytest.approx(50.0), pytest.approx(75.0)]
    assert pct["other"] == [pytest.approx(40.0), pytest.approx(45.0)]
    assert pct["difference"] == pytest.approx(25.0 - 5.0)
    j = 1 - 3 / (4 * 1012 - 9)
    before = j * (math.log(0.5 / 0.5) - math.log(0.4 / 0.6)) / 1.65
    after = j * (math.log(0.75 / 0.25) - math.log(0.45 / 0.55)) / 1.65
    assert pct["baseline_effect"] == pytest.approx(before)
    assert pct["effect"] == pytest.approx(after - before)
    assert pct["equivalence"] == "satisfied only with statistical adjustment"
    mean = rows[("district", "mean")]
    sd = math.sqrt(12 * 50**2 / 11)  # the 2024 scores: six 50 below and six 50 above their mean
    assert mean["treated"] == [pytest.approx(2450), pytest.approx(2475)]
    assert mean["baseline_effect"] == pytest.approx(j * 10 / sd)
    assert mean["effect"] == pytest.approx(j * (2475 - 2450) / sd - j * 10 / sd)
    assert pct["n_treated"] == [12, 12] and pct["n_other"] == [1000, 1000]
    # No state figures were published: the comparison says nothing rather than something wrong.
    assert rows[("state", "at_or_above")]["difference"] is None


def test_a_small_school_is_shown_only_to_readers_with_student_access(world: World) -> None:
    _scores(world)
    _published(world, "district", 2024, 1000, "2440", "40")
    _published(world, "district", 2025, 1000, "2450", "45")
    report = ImpactReport.objects.create(
        title="Small", assessment=Assessment.objects.get(code="caaspp-ela"), baseline_year=2024, outcome_year=2025,
        inclusion="The one school", status="succeeded",
    )  # fmt: skip
    report.schools.set([world.inside.school])
    report.result = ev.evaluate([world.inside.school], report.assessment, 2024, 2025)
    report.save()
    hidden = tables(report, Policy(groups_below=20), unsuppressed=False)["gains"]
    assert hidden.records()[0]["treated_gain"] is None and hidden.display(0, "difference") == "*"
    assert hidden.records()[0]["comparison"] == "Their districts"
    shown = tables(report, Policy(groups_below=20), unsuppressed=True)["gains"]
    assert shown.records()[0]["treated_gain"] == pytest.approx(25.0)


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    return build_world()


def test_the_page_creates_the_report_the_worker_computes_it_and_the_pdf_carries_the_caveat(
    committed_world: World,
) -> None:
    _scores(committed_world)
    _published(committed_world, "district", 2024, 1000, "2440", "40")
    _published(committed_world, "district", 2025, 1000, "2450", "45")
    client = Client()
    client.force_login(committed_world.people[Role.ORG_ADMIN])
    form = {
        "title": "Year two",
        "assessment": Assessment.objects.get(code="caaspp-ela").pk,
        "baseline_year": 2024,
        "outcome_year": 2025,
        "schools": [committed_world.inside.school.pk],
        "inclusion": "Only schools that fully implemented the model",
    }
    bad = client.post(reverse("impact:report_new"), {**form, "outcome_year": 2024})
    assert bad.status_code == 200 and b"must come after the baseline year" in bad.content
    assert not ImpactReport.objects.exists()
    response = client.post(reverse("impact:report_new"), form)
    report = ImpactReport.objects.get()
    assert response["Location"] == reverse("impact:report", args=[report.pk])
    assert b'<progress id="impact-progress"' in client.get(response["Location"]).content
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    report.refresh_from_db()
    assert report.status == "succeeded", report.error
    page = client.get(reverse("impact:report", args=[report.pk])).content.decode()
    assert "Only schools that fully implemented the model." in page and "+20.0" in page
    pdf = client.get(reverse("impact:report_pdf", args=[report.pk]))
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages).split())
    assert "Only schools that fully implemented the model" in text and "Their districts" in text
    api = client.get(f"/api/v1/impact/reports/{report.pk}").json()
    assert api["tables"]["gains"]["rows"][0]["difference"] == pytest.approx(20.0)
    # The principal of another school cannot see a report about this one: not found.
    other = Client()
    other.force_login(committed_world.outside.principal)
    assert other.get(reverse("impact:report", args=[report.pk])).status_code == 404
    assert other.get(f"/api/v1/impact/reports/{report.pk}").status_code == 404
