"""A network member finds, from their school's page, a practice a similar school tried; reads its
evidence; finds it again by searching the library; and files a "we tried this" report for their own
school — in Chromium."""

import os

import pytest
from playwright.sync_api import Page, expect

from tandem.access.roles import Role
from tandem.network.models import Cohort, Member
from tandem.practices.models import Trial
from tests.browser.signing_in import sign_in
from tests.practices.helpers import practice, tried
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TITLE = "Sentence frames in every content block"


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world()
    p = practice(
        world,
        TITLE,
        summary="Teachers post and model sentence frames so English learners talk about content in full sentences.",
        how="Each block opens with two frames on the board; partners use them before sharing out.",
        tags=["English learners"],
        evidence="promising",
    )
    # South Elementary has the same public profile as North Elementary: one of its similar schools.
    tried(world, p, world.outside.school, grades=["3", "4", "5"], story="Our ELs doubled their talk time.")
    cohort = Cohort.objects.create(name="Leadership Development Network", school_year=2026)
    Member.objects.create(cohort=cohort, person=world.outside.principal, role="principal", school=world.outside.school)
    Member.objects.create(
        cohort=cohort, person=world.people[Role.NETWORK_MEMBER], role="principal", school=world.inside.school
    )
    return world


def test_a_practice_is_found_from_the_school_page_and_we_tried_this_is_filed(
    page: Page, live_server: object, live_world: World
) -> None:
    base = str(live_server)
    school = live_world.inside.school
    sign_in(page, base, "network_member@example.org")

    # From the school's page: what schools like it tried, and whom to ask.
    page.get_by_role("link", name="Schools", exact=True).click()
    page.get_by_role("link", name=school.name).click()
    like_mine = page.locator("#like-mine")
    expect(like_mine).to_contain_text("Schools like this one")
    expect(like_mine).to_contain_text("South Elementary")
    expect(like_mine.get_by_role("link", name="principal.south@example.org")).to_be_visible()
    like_mine.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("#tried")).to_contain_text("Our ELs doubled their talk time.")

    # The library finds it by a word of its text, on its stem.
    page.get_by_role("link", name="Practices", exact=True).click()
    page.get_by_label("Search").fill("frame English")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=TITLE).click()

    # We tried this, at our school.
    page.get_by_role("link", name="We tried this").click()
    expect(page.locator("#id_school")).to_have_value(str(school.pk))
    page.get_by_label("School year").select_option(label="2025–26")
    page.get_by_label("2", exact=True).check()
    page.get_by_label("3", exact=True).check()
    page.get_by_label("Mixed results").check()
    page.get_by_label("What you did and what happened").fill(
        "We started in grades 2 and 3; talk went up, but frames felt scripted at first."
    )
    page.get_by_role("button", name="File the report").click()
    expect(page.locator(".messages")).to_contain_text("your report is on the practice")
    tried_section = page.locator("#tried")
    expect(tried_section).to_contain_text("North Elementary")
    expect(tried_section).to_contain_text("frames felt scripted at first")
    expect(page.locator("dl.facts")).to_contain_text("2 schools")

    report = Trial.objects.get(school=school)
    assert (report.kind, report.result, report.grades, report.school_year) == ("report", "mixed", "|2|3|", 2026)
    assert report.reported_by == live_world.people[Role.NETWORK_MEMBER]
