"""Signing in through the real login page in Chromium, each person's home shows their own work."""

import os

import pytest
from playwright.sync_api import Page, expect

from tandem.access.roles import Role
from tests.world import PASSWORD, World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world()


def _sign_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login/?next=/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")


def test_coach_home(page: Page, live_server: object, live_world: World) -> None:
    base = str(live_server)
    _sign_in(page, base, "coach@example.org")
    sites = page.get_by_role("region", name="My school sites")
    expect(sites).to_contain_text("North Elementary")
    expect(sites).to_contain_text("North partnership")
    expect(page.get_by_role("region", name="Active partnerships (1)")).to_be_visible()
    # Coaches do not manage staffing and see nothing of the other region.
    expect(page.get_by_role("region", name="Site staffing to look at")).to_have_count(0)
    expect(page.locator("main")).not_to_contain_text("South")
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Home")).to_have_attribute("aria-current", "page")
    # Keyboard: the skip link is the first stop and moves focus to the content.
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    nav.get_by_role("link", name="Schools").click()
    expect(page.get_by_role("table")).to_contain_text("North Elementary")
    expect(page.get_by_role("table")).not_to_contain_text("South Elementary")


def test_district_leader_home(page: Page, live_server: object, live_world: World) -> None:
    base = str(live_server)
    _sign_in(page, base, "district_leader@example.org")
    district = page.get_by_role("region", name="Schools in my district")
    expect(district).to_contain_text("North Elementary")
    expect(district).to_contain_text("North Middle")
    expect(district).not_to_contain_text("South")
    expect(page.get_by_role("region", name="My school sites")).to_have_count(0)
    expect(page.get_by_role("region", name="Site staffing to look at")).to_have_count(0)
    expect(page.get_by_role("link", name="Back office")).to_have_count(0)
    # The other district's school answers like a page that does not exist.
    response = page.goto(f"{base}/schools/{live_world.outside.school.pk}/")
    assert response is not None and response.status == 404


def test_a_wrong_password_is_reported_and_nobody_is_signed_in(
    page: Page, live_server: object, live_world: World
) -> None:
    base = str(live_server)
    page.goto(f"{base}/login/")
    page.get_by_label("Email").fill(live_world.people[Role.COACH].email)
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Please enter a correct email and password")
    page.goto(f"{base}/")
    expect(page).to_have_url(f"{base}/login/?next=/")
