"""The head of learning reads the month view in Chromium (with the keyboard, in two time zones)
and co-develops the learning agenda with a coach before publishing it."""

import datetime
import os

import pytest
from playwright.sync_api import Page, expect

from tandem.access.roles import Role
from tandem.core import school_years
from tandem.learning import actions
from tandem.learning.models import DayOff, Priority, Rhythm, Session, SessionType, Slot
from tests.browser.signing_in import sign_in
from tests.world import World, build_world

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

YEAR = school_years.current()
PRIORITIES = ["Coaching for equity", "Data-driven instruction", "English learner success"]


@pytest.fixture
def live_world(transactional_db: None) -> World:
    world = build_world()
    leader = world.people[Role.NATIONAL_LEADER]
    first, last = school_years.span(YEAR)
    rhythm = actions.do_save_rhythm(
        leader,
        Rhythm(name="National week", school_year=YEAR, time_zone="America/New_York", starts_on=first, ends_on=last),
    )
    actions.do_save_slot(
        leader,
        Slot(
            rhythm=rhythm,
            session_type=SessionType.objects.get(name="Whole-group learning"),
            weekday=1,
            starts_at=datetime.time(9),
            minutes=120,
        ),
    )
    actions.do_save_slot(
        leader,
        Slot(
            rhythm=rhythm,
            session_type=SessionType.objects.get(name="Approach Essentials"),
            weekday=2,
            starts_at=datetime.time(13, 30),
            minutes=90,
        ),
    )
    actions.do_save_day_off(
        leader,
        DayOff(
            school_year=YEAR,
            name="Veterans Day",
            first_day=datetime.date(YEAR - 1, 11, 11),
            last_day=datetime.date(YEAR - 1, 11, 11),
        ),
    )
    actions.do_generate(leader, rhythm, now=datetime.datetime(YEAR - 1, 7, 1, tzinfo=datetime.UTC))
    for name in PRIORITIES:
        actions.do_save_priority(leader, Priority(name=name))
    return world


def _cell(page: Page, day: datetime.date) -> object:
    return page.locator(f"td:has(time[datetime='{day.isoformat()}'])")


def test_the_month_view_shows_the_rhythm_in_the_viewers_zone(
    page: Page, live_server: object, live_world: World
) -> None:
    base = str(live_server)
    sign_in(page, base, "national_leader@example.org")
    page.get_by_role("link", name="Learning", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Learning spaces")

    # Go to October with the keyboard: the month links are ordinary links.
    page.goto(f"{base}/learning/?month={YEAR - 1}-10")
    expect(page.get_by_role("heading", name=f"October {YEAR - 1}")).to_be_visible()
    page.get_by_role("link", name="November →").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=f"November {YEAR - 1}")).to_be_visible()

    # The organization's zone is Pacific: 9:00 in New York reads 6:00, before and after the change
    # of clocks on the first Sunday of November (both zones change on the same day).
    tuesdays = [d for d in (datetime.date(YEAR - 1, 11, n) for n in range(1, 31)) if d.weekday() == 1]
    for tuesday in tuesdays:
        expect(_cell(page, tuesday)).to_contain_text("6:00 AM Whole-group learning")
    # Veterans Day is a Wednesday off: no Approach Essentials that day, but the week after.
    veterans = datetime.date(YEAR - 1, 11, 11)
    expect(_cell(page, veterans)).not_to_contain_text("Approach Essentials")
    expect(_cell(page, veterans + datetime.timedelta(days=7))).to_contain_text("10:30 AM Approach Essentials")
    held = Session.objects.filter(local_date__year=YEAR - 1, local_date__month=11).count()
    expect(page.locator(".count")).to_contain_text(f"{held} sessions this month · times in America/Los_Angeles")

    # The same month in New York time.
    page.get_by_label("Show times in").select_option("America/New_York")
    page.get_by_role("button", name="Filter").click()
    expect(_cell(page, tuesdays[-1])).to_contain_text("9:00 AM Whole-group learning")
    expect(page.locator(".count")).to_contain_text("times in America/New_York")

    # A session opens from the grid, with its time where it is held.
    _cell(page, tuesdays[0]).get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Whole-group learning")
    expect(page.locator("dl.facts").first).to_contain_text("9:00 AM – 11:00 AM EST")


def test_staff_propose_and_the_leader_publishes_the_agenda(page: Page, live_server: object, live_world: World) -> None:
    base = str(live_server)
    label = school_years.label(YEAR)
    sign_in(page, base, "national_leader@example.org")
    page.goto(f"{base}/learning/agenda/")
    expect(page.get_by_text(f"There is no learning agenda for {label} yet.")).to_be_visible()
    page.get_by_role("button", name=f"Start the {label} draft").click()
    expect(page.get_by_text("Draft agenda started")).to_be_visible()

    # A coach proposes an item and comments on the draft.
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "coach@example.org")
    page.goto(f"{base}/learning/agenda/")
    page.locator("summary", has_text="Propose an item").click()
    page.locator("#proposals").get_by_label("Title").fill("Data dives on coaching competencies")
    page.locator("#proposals").get_by_label("Month").select_option(label=f"September {YEAR - 1}")
    page.get_by_role("button", name="Propose").click()
    expect(page.get_by_text("your proposal is on the draft")).to_be_visible()
    page.locator("#comment").get_by_label("Comment").fill("Early fall should stay on coaching.")
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_text("Early fall should stay on coaching.")).to_be_visible()
    expect(page.get_by_role("button", name="Publish the agenda")).to_have_count(0)

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, base, "national_leader@example.org")
    page.goto(f"{base}/learning/agenda/")
    # Publishing names the months still without a priority.
    page.get_by_role("button", name="Publish the agenda").click()
    expect(
        page.get_by_text("Every month needs a priority before the agenda is published; missing: July, August")
    ).to_be_visible()

    page.locator("#proposals summary", has_text="Answer").click()
    page.locator("#proposals").get_by_label("Status").select_option("accepted")
    page.locator("#proposals").get_by_label("Answer", exact=True).fill("Yes: the third week of September.")
    page.get_by_role("button", name="Save answer").click()
    expect(page.locator("#proposals")).to_contain_text("Accepted")

    months = ["July", "August", "September", "October", "November", "December"]
    months += ["January", "February", "March", "April", "May", "June"]
    for n, month in enumerate(months):
        row = page.locator("table.agenda-months tbody tr", has=page.get_by_role("button", name=f"Save {month}"))
        row.get_by_label("Priority").select_option(label=PRIORITIES[0] if n < 4 else PRIORITIES[1 + n % 2])
        row.get_by_role("button", name=f"Save {month}").click()
        expect(page.get_by_text(f"{month} {YEAR - 1 if n < 6 else YEAR} saved.")).to_be_visible()

    page.get_by_role("button", name="Publish the agenda").click()
    october = Session.objects.filter(local_date__year=YEAR - 1, local_date__month=10).count()
    expect(page.get_by_text("Agenda published.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(page.get_by_role("button", name="Propose")).to_have_count(0)
    assert (
        Session.objects.filter(local_date__year=YEAR - 1, local_date__month=10, priority__name=PRIORITIES[0]).count()
        == october
        > 0
    )

    # The month view carries the month's priority, and so does each session.
    page.goto(f"{base}/learning/?month={YEAR - 1}-10")
    expect(page.locator(".priority-banner")).to_contain_text(f"October: {PRIORITIES[0]}")
    page.locator("table.month a").first.click()
    expect(page.locator("dl.facts").first).to_contain_text(PRIORITIES[0])
