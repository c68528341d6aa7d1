"""A coach logs a coaching session in Chromium, with a private note; the teacher sees the
session on their coaching page with its shared parts only."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from tandem.access.roles import Role
from tandem.coaching import actions
from tandem.coaching.models import Framework
from tests.browser.signing_in import sign_in
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world(2026)
    coach = world.people[Role.COACH]
    actions.do_start_relationship(
        coach,
        coach=coach,
        coachee=world.people[Role.TEACHER],
        school=world.inside.school,
        framework=Framework.objects.get(name="Teaching practice"),
        starts_on=datetime.date.today() - datetime.timedelta(days=30),
    )
    return world


def test_a_coach_logs_a_session_and_the_teacher_sees_the_shared_parts(
    page: Page, live_server: object, live_world: World
) -> None:
    base = str(live_server)
    sign_in(page, base, "coach@example.org")
    page.get_by_role("link", name="Coaching", exact=True).click()
    page.get_by_role("link", name="Teacher").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Teacher")

    page.locator("summary", has_text="Log a session").click()
    form = page.locator("#sessions form")
    form.get_by_label("Kind").select_option(label="Debrief")
    form.get_by_label("Minutes").fill("40")
    form.get_by_label("Shared notes").fill("We looked at exit tickets: 18 of 24 students explained the main idea.")
    form.get_by_label("Next steps").fill("Try partner talk before the exit ticket on Thursday.")
    form.get_by_label("Private note").fill("She seemed tired; check in about the new schedule first.")
    form.get_by_role("button", name="Log the session").click()
    expect(page.get_by_text("Session logged.")).to_be_visible()
    expect(page.locator("#notes")).to_contain_text("check in about the new schedule")
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, base, "teacher@example.org")
    page.get_by_role("link", name="Coaching", exact=True).click()
    page.locator("section", has_text="The coaching I receive").get_by_role("link").click()
    session = page.locator("article.session").first
    expect(session).to_contain_text("Debrief")
    expect(session).to_contain_text("18 of 24 students explained the main idea")
    expect(session).to_contain_text("Try partner talk before the exit ticket on Thursday.")
    expect(page.get_by_text("check in about the new schedule")).to_have_count(0)
    expect(page.locator("#notes")).to_have_count(0)
    expect(page.get_by_role("button", name="Log the session")).to_have_count(0)
