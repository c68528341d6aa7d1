"""SGPs on imported results: queued on the page, computed by the background worker with progress,
stored per student, replaced by a later run, kept when a run fails; and from the command line."""

from decimal import Decimal

import numpy as np
import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.achievement.models import Administration, Assessment, Student, StudentResult
from tandem.cli import main
from tandem.growth.models import GrowthRun, StudentGrowth
from tandem.growth.simulate import progression_scores
from tests.world import World, build_world


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    return build_world()


def _results(world: World, students: int = 300) -> dict[str, int]:
    """ELA results for students in grades 3, 4, 5 in 2023–2025, at the inside elementary school.
    Returns the student ids by state id."""
    scores = progression_scores(students, ["3", "4", "5"], first_year=2023, seed=9)
    ela = Assessment.objects.get(code="caaspp-ela")
    admins = {y: Administration.objects.get_or_create(assessment=ela, school_year=y)[0] for y in (2023, 2024, 2025)}
    made = Student.objects.bulk_create(Student(state_id=scores.ids[i]) for i in range(len(scores.ids)))
    pk = {s.state_id: s.pk for s in made}
    StudentResult.objects.bulk_create(
        StudentResult(
            administration=admins[int(year)],
            student_id=pk[scores.ids[student]],
            school=world.inside.school,
            grade=str(grade),
            scale_score=Decimal(int(score)),
        )
        for student, year, grade, score in zip(scores.student, scores.year, scores.grade, scores.score, strict=True)
    )
    return pk


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_the_page_queues_a_run_the_worker_computes_and_stores_it(committed_world: World) -> None:
    _results(committed_world)
    client = Client()
    client.force_login(committed_world.people[Role.ORG_ADMIN])
    response = client.post(
        reverse("growth:run_new"),
        {"assessment": "caaspp-ela", "school_year": 2025, "max_order": 2, "min_cohort": 50},
    )
    run = GrowthRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("growth:run", args=[run.pk])
    page = client.get(response["Location"])
    assert b'<progress id="growth-progress"' in page.content
    assert client.get(reverse("growth:run_progress", args=[run.pk])).json()["status"] == "queued"
    _work()
    run.refresh_from_db()
    assert run.status == "succeeded", run.error
    assert client.get(reverse("growth:run_progress", args=[run.pk])).json()["percent"] == 100
    # 2025 has grade 3 (no prior), 4 (order 1) and 5 (orders 1 and 2) students.
    assert {tuple(f["progression"]) for f in run.fits} == {("4", "5"), ("3", "4", "5"), ("3", "4")}
    stored = StudentGrowth.objects.filter(run=run)
    assert stored.count() == run.students == StudentResult.objects.filter(administration__school_year=2025).count()
    assert stored.filter(grade="3", sgp__isnull=False).count() == 0
    fifth = stored.filter(grade="5", sgp_order=2)
    assert fifth.exists() and all(g.sgp == g.by_order[1] for g in fifth)
    assert run.with_sgp == stored.filter(sgp__isnull=False).count()
    values = np.array(stored.filter(sgp__isnull=False).values_list("sgp", flat=True))
    assert values.min() >= 1 and values.max() <= 99 and 40 <= np.median(values) <= 60
    page = client.get(reverse("growth:run", args=[run.pk]))
    assert b"3 \xe2\x86\x92 4 \xe2\x86\x92 5" in page.content and b"<progress" not in page.content


def test_a_new_run_replaces_the_stored_sgps_and_a_failed_one_keeps_them(committed_world: World) -> None:
    _results(committed_world)
    assert main(["growth", "sgp", "--assessment", "caaspp-ela", "--year", "2024_2025", "--min-cohort", "50"]) == 0
    first = GrowthRun.objects.get()
    assert first.status == "succeeded" and StudentGrowth.objects.filter(run=first).exists()
    assert main(["growth", "sgp", "--assessment", "caaspp-ela", "--year", "2025", "--max-order", "1",
                 "--min-cohort", "50"]) == 0  # fmt: skip
    second = GrowthRun.objects.latest("pk")
    assert not StudentGrowth.objects.filter(run=first).exists()
    assert StudentGrowth.objects.filter(run=second).count() == second.students
    assert not StudentGrowth.objects.filter(sgp_order=2).exists()
    # A second spring administration makes two scores in a year: the run fails, nothing changes.
    ela = Assessment.objects.get(code="caaspp-ela")
    winter = Administration.objects.create(assessment=ela, school_year=2025, window="winter")
    result = StudentResult.objects.filter(administration__school_year=2025).first()
    StudentResult.objects.create(
        administration=winter, student=result.student, school=result.school, grade=result.grade, scale_score=400
    )
    assert main(["growth", "sgp", "--assessment", "caaspp-ela", "--year", "2025", "--min-cohort", "50"]) == 1
    third = GrowthRun.objects.latest("pk")
    assert third.status == "failed" and "more than one valid score in a year" in third.error
    assert StudentGrowth.objects.filter(run=second).count() == second.students


def test_the_command_line_names_what_is_wrong(committed_world: World, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["growth", "sgp", "--assessment", "no-such-test", "--year", "2025"]) == 1
    assert "--assessment 'no-such-test': no such assessment" in capsys.readouterr().err
    assert main(["growth", "sgp", "--assessment", "caaspp-ela", "--year", "2025"]) == 1
    assert GrowthRun.objects.get().error == "No valid CAASPP English Language Arts/Literacy scores for 2024–25."
    assert main(["growth", "sgp", "--assessment", "caaspp-ela", "--year", "2025", "--max-order", "0"]) == 1
    assert "highest order must be between 1 and 10" in capsys.readouterr().err
