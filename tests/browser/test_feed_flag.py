"""A coach raises a flag in the staff feed; a leader sees it on the andon board, acknowledges it and
escalates it to a new cycle of inquiry, and each end links to the other — in Chromium."""

import os

import pytest
from playwright.sync_api import Page, expect

from tandem.andon.feed.models import Escalation, Post
from tandem.inquiry.models import Cycle, CycleLink
from tests.browser.signing_in import sign_in
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

TITLE = "Grade 3 teachers are pulled from PLCs for testing"


@pytest.fixture
def live_world(transactional_db: None) -> World:
    return build_world()


def test_a_flag_is_raised_acknowledged_and_escalated_to_a_cycle(
    page: Page, live_server: object, live_world: World
) -> None:
    base = str(live_server)
    school = live_world.inside.school

    sign_in(page, base, "coach@example.org")
    page.get_by_role("link", name="Feed", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff feed")
    page.get_by_role("link", name="Raise a flag").click()
    expect(page.get_by_role("radio", name="Flag")).to_be_checked()
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Say more").fill(
        "Third-grade teachers at our school have missed three planning meetings for test prep; "
        "@national_leader can we protect the PLC block?"
    )
    page.get_by_label("School").select_option(label=str(school))
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator("#flag-status")).to_contain_text("Raised")
    # The mention is a link to the leader's page.
    expect(page.locator(".post-body a.mention")).to_have_text("@National leader")
    page.context.clear_cookies()

    # The leader finds it on the andon board of their home page, and takes it on.
    sign_in(page, base, "national_leader@example.org")
    board = page.locator("section[aria-labelledby='andon-board']")
    expect(board).to_contain_text("Flags not acknowledged (1)")
    board.get_by_role("link", name=TITLE).click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".messages")).to_contain_text("Flag acknowledged.")
    expect(page.locator("#flag-status")).to_contain_text("Acknowledged")

    # Escalate it to a new cycle of inquiry, started from the flag.
    page.get_by_role("link", name="Start a new cycle of inquiry from this flag").click()
    expect(page.get_by_label("Title")).to_have_value(TITLE)
    page.get_by_label("Title").fill("Protecting grade 3 PLC time")
    page.get_by_role("button", name="Start the cycle").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protecting grade 3 PLC time")
    started_from = page.locator("section[aria-labelledby='links-h']")
    expect(started_from).to_contain_text("Started from")
    started_from.get_by_role("link", name=f"Flag “{TITLE}”").click()

    expect(page.locator("#flag-status")).to_contain_text("Escalated")
    escalated = page.locator("section[aria-labelledby='escalations-h']")
    expect(escalated).to_contain_text("Cycle of inquiry")
    escalated.get_by_role("link", name="Protecting grade 3 PLC time").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Protecting grade 3 PLC time")

    flag = Post.objects.get(title=TITLE)
    cycle = Cycle.objects.get(title="Protecting grade 3 PLC time")
    assert flag.status == Post.Status.ESCALATED and flag.owner is not None
    assert Escalation.objects.filter(post=flag, object_id=cycle.pk).exists()
    assert CycleLink.objects.filter(cycle=cycle, relation="started_from", object_id=flag.pk).exists()
