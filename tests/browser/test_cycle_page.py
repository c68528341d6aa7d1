"""A grade-level team lead (a teacher) walks a cycle of inquiry through all five steps of the
Results-Oriented Cycle of Inquiry in Chromium, and the goal's outcome chart shows the cycle."""

import datetime
import os
from decimal import Decimal

import pytest
from playwright.sync_api import Page, expect

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.inquiry.models import Cycle
from tests.analytics import results
from tests.browser.signing_in import sign_in
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world(2025)
    rows = []
    for i in range(20):
        race = {"race": "hispanic" if i < 12 else "white"}
        rows.append((f"S{i}", 2024, "3", str(2380 + 6 * i), 3 if 2380 + 6 * i >= 2432 else 2, race))
        rows.append((f"S{i}", 2025, "4", str(2430 + 6 * i), 3 if 2430 + 6 * i >= 2473 else 2, race))
    results.add(world.inside.school, "caaspp-ela", rows)
    Goal.objects.create(
        title="More third and fourth graders meeting standard in reading",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=world.inside.school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2024,
        baseline_value=Decimal("35"),
        target_value=Decimal("60"),
        target_date=datetime.date(2027, 6, 1),
        owner_school=world.inside.school,
    )
    return world


def _open(page: Page, summary: str) -> None:
    page.locator("summary", has_text=summary).click()


def _finish(page: Page, step: str, message: str) -> None:
    page.get_by_role("button", name=f"Finish {step}").click()
    expect(page.get_by_text(message)).to_be_visible()


def test_a_team_lead_walks_a_cycle_through_its_five_steps(page: Page, live_server: object, live_world: World) -> None:
    base = str(live_server)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    sign_in(page, base, "teacher@example.org")
    page.get_by_role("link", name="Cycles", exact=True).click()
    expect(page.get_by_text("No cycles here yet.")).to_be_visible()
    page.get_by_role("link", name="Start a cycle").first.click()

    page.get_by_label("Title").fill("Grade 3 team: reading fluency")
    page.get_by_label("Level").select_option(label="Grade-level or instructional team")
    page.get_by_label("School").select_option(label="North Elementary")
    page.get_by_label("Goals").select_option(label="More third and fourth graders meeting standard in reading")
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade 3 team: reading fluency")
    expect(page.locator("li.step-current")).to_contain_text("Set Goals")

    # Set Goals: the gate names what is missing until the problem statement exists.
    page.get_by_role("button", name="Finish Set Goals").click()
    expect(page.get_by_text("Set Goals needs Problem statement before it can be finished.")).to_be_visible()
    _open(page, "Write the problem statement")
    problem = page.locator("#problem form")
    problem.get_by_label("Statement").fill("Too few of our third graders read at grade level by winter.")
    problem.get_by_label("Assessment").select_option(label="CAASPP English Language Arts/Literacy")
    problem.get_by_label("Metric").select_option(label="% at or above standard")
    problem.get_by_label("Group").select_option(label="All students")
    page.get_by_role("button", name="Save the problem statement").click()
    expect(page.locator("#problem .data-note")).to_contain_text("% at or above standard")
    _finish(page, "Set Goals", "Set Goals finished.")

    # Plan: a question and an action.
    _open(page, "Add a question")
    question = page.locator("#question form")
    question.get_by_label("About").select_option(label="Student learning")
    question.get_by_label("Text").fill("Which words slow our readers down?")
    page.get_by_role("button", name="Add the question").click()
    _open(page, "Add an action")
    page.locator("#action form").get_by_label("Title").fill("Ten minutes of paired reading every day")
    page.get_by_role("button", name="Add the action").click()
    _finish(page, "Plan", "Plan finished.")

    # Act: the implementation log.
    _open(page, "Log what happened")
    page.locator("#log form").get_by_label("Note").fill("Paired reading started in all three classrooms.")
    page.get_by_role("button", name="Add to the log").click()
    _finish(page, "Act", "Act finished.")

    # Assess: re-measured data.
    _open(page, "Add evidence")
    evidence = page.locator("#evidence form")
    evidence.get_by_label("Kind").select_option(label="Re-measured data")
    evidence.get_by_label("Title").fill("Winter fluency check")
    evidence.get_by_label("Value").fill("52")
    page.get_by_role("button", name="Add the evidence").click()
    _finish(page, "Assess", "Assess finished.")

    # Reflect & Adjust: the reflection, then the cycle is complete.
    _open(page, "Reflect")
    reflection = page.locator("#reflection form").first
    reflection.get_by_label("Worked").fill("Daily practice; students liked reading with a partner.")
    reflection.get_by_label("Learned").fill("Fluency rises when practice is short and daily.")
    reflection.get_by_label("Adapt: change it and try again").check()
    reflection.get_by_label("Adjustments").fill("Add decodable texts for the students still below benchmark.")
    page.get_by_role("button", name="Save the reflection").click()
    _finish(page, "Reflect & Adjust", "Reflect & Adjust finished: the cycle is complete.")
    cycle = Cycle.objects.get(title="Grade 3 team: reading fluency")
    assert cycle.status == Cycle.Status.COMPLETED
    assert list(cycle.steps.filter(finished_on__isnull=False).values_list("name", flat=True)) == [
        "Set Goals",
        "Plan",
        "Act",
        "Assess",
        "Reflect & Adjust",
    ]

    # The outcome chart: the goal's yearly values, the cycle's band and a tick for each step.
    goal = cycle.goals.get()
    figure = page.locator(f"figure.chart[data-spec='chart-cycles-{goal.pk}']")
    expect(figure.locator("svg")).to_have_count(1)
    for step in ("Set Goals", "Plan", "Act", "Assess", "Reflect & Adjust"):
        expect(figure.locator(f"svg [aria-label='{step}']")).to_have_count(1)
    expect(figure.locator("svg [aria-label='Cycle 1: Grade 3 team: reading fluency']")).to_have_count(1)
    expect(figure.locator("svg [aria-label='Winter fluency check']")).to_have_count(1)
    cycles_table = page.locator("#chart-" + str(goal.pk) + " table").last
    expect(cycles_table).to_contain_text("Grade 3 team: reading fluency")
    expect(cycles_table).to_contain_text("Reflect & Adjust")
    assert not errors, errors

    # The next cycle starts from the reflection's adjustments.
    _open(page, "Start the next cycle")
    page.get_by_role("button", name="Start the next cycle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Grade 3 team: reading fluency (cycle 2)")
    expect(page.get_by_text("Add decodable texts for the students still below benchmark.")).to_be_visible()
