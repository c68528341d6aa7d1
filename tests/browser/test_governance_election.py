"""A leader has set up a planning team with an elected seat for coaches and opened its election;
a coach stands through the election page, then votes with a colleague, each shown a receipt once;
after voting closes the leader counts, the page publishes the count stage by stage and who was
elected, and the coach's receipt says the ballot was counted — in Chromium."""

import datetime
import os
from dataclasses import dataclass

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.governance import actions, seats
from tandem.governance.models import Election, PlanningTeam, Seat, Term
from tandem.orgs.models import Person
from tests.browser.signing_in import sign_in
from tests.world import World, build_world, make_person

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

STATEMENT = "I coach in three schools and will bring their teachers' voice to the team."


@dataclass
class Story:
    world: World
    election: Election
    colleague: Person


@pytest.fixture
def live_world(transactional_db: None) -> Story:
    world = build_world()
    leader = world.people[Role.NATIONAL_LEADER]
    # A colleague, also a coach, who votes too (and stands, so the ballot offers a choice).
    colleague = make_person("second.coach@example.org", "Robin Second-Coach")
    RoleAssignment.objects.create(person=colleague, role=Role.COACH, school=world.inside.school)
    team = actions.do_save_team(leader, PlanningTeam(name="National planning team", purpose="Sets the strategy."))
    today = timezone.localdate()
    seat = actions.do_save_seat(
        leader,
        Seat(
            team=team,
            name="Implementer seat",
            kind="elected",
            eligible_roles=[Role.COACH],
            term_months=24,
            first_term_starts=today - datetime.timedelta(days=400),
        ),
    )
    # Opened a day ago: nominations are open.
    opened = timezone.now() - datetime.timedelta(days=1)
    election = actions.do_open_election(leader, team, [seat], seats.next_term(seat, today)[0], now=opened)
    return Story(world, election, colleague)


def _move_to_voting(election: Election) -> None:
    now = timezone.now()
    Election.objects.filter(pk=election.pk).update(
        nominations_close=now - datetime.timedelta(hours=2),
        voting_open=now - datetime.timedelta(hours=1),
        voting_close=now + datetime.timedelta(days=5),
    )


def _close_voting(election: Election) -> None:
    Election.objects.filter(pk=election.pk).update(voting_close=timezone.now() - datetime.timedelta(minutes=1))


def _vote_for(page: Page, base: str, email: str, election: Election, candidate: str) -> str:
    sign_in(page, base, email)
    page.goto(f"{base}{election.get_absolute_url()}")
    expect(page.locator("#phase")).to_contain_text("Voting open")
    page.get_by_role("radio", name=candidate).check()
    page.get_by_role("button", name="Cast my vote").click()
    expect(page.locator(".messages")).to_contain_text("Your vote is cast.")
    receipt = page.locator("#receipt .receipt-code").inner_text().strip()
    assert len(receipt) == 29
    # Shown once: the page again no longer has it.
    page.goto(f"{base}{election.get_absolute_url()}")
    expect(page.locator("#ballot")).to_contain_text("You have voted.")
    assert receipt not in page.content()
    page.context.clear_cookies()
    return receipt


def test_a_coach_stands_the_staff_vote_and_the_leader_counts(
    page: Page, live_server: object, live_world: Story
) -> None:
    base = str(live_server)
    world, election = live_world.world, live_world.election
    coach = world.people[Role.COACH]

    # The coach finds the open election from the governance overview and stands.
    sign_in(page, base, "coach@example.org")
    page.get_by_role("link", name="Governance", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Governance")
    elections = page.locator("section[aria-labelledby='elections-h']")
    expect(elections).to_contain_text("Nominations open until")
    elections.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Election for National planning team")
    expect(page.get_by_label("Nominee")).to_have_value(str(coach.pk))
    page.get_by_label("Statement").fill(STATEMENT)
    page.get_by_role("button", name="Nominate").click()
    expect(page.locator(".messages")).to_contain_text("You stand for election.")
    candidates = page.locator("section[aria-labelledby='candidates-h']")
    expect(candidates).to_contain_text(coach.full_name)
    expect(candidates).to_contain_text(STATEMENT)
    expect(page.locator("section[aria-labelledby='log-h']")).to_contain_text(f"{coach} nominated themselves.")
    page.context.clear_cookies()
    actions.do_nominate(live_world.colleague, election, live_world.colleague, "Me too.")

    # Time moves on: voting opens. Both vote for the coach, each through the page.
    _move_to_voting(election)
    receipt = _vote_for(page, base, "coach@example.org", election, coach.full_name)
    _vote_for(page, base, "second.coach@example.org", election, coach.full_name)

    # Voting closes; the leader counts now.
    _close_voting(election)
    sign_in(page, base, "national_leader@example.org")
    page.goto(f"{base}{election.get_absolute_url()}")
    expect(page.locator("#phase")).to_contain_text("awaiting the count")
    page.get_by_role("button", name="Count now").click()
    expect(page.locator(".messages")).to_contain_text("Counted: the result is published.")
    expect(page.locator("#phase")).to_contain_text("Counted")
    expect(page.locator("#elected")).to_contain_text(f"Elected: {coach.full_name}")
    table = page.locator("#count-table")
    expect(table.get_by_role("columnheader", name="Stage 1")).to_be_visible()
    # Each candidate's votes at stage 1, then who was elected at it.
    expect(table.get_by_role("row", name=f"{coach.full_name} 2.00000", exact=True)).to_be_visible()
    expect(table.get_by_role("row", name="Robin Second-Coach 0.00000", exact=True)).to_be_visible()
    expect(table.get_by_role("row", name=f"Elected {coach.full_name}", exact=True)).to_be_visible()
    page.context.clear_cookies()

    # The coach checks the receipt: the ballot was counted, as cast.
    sign_in(page, base, "coach@example.org")
    page.goto(f"{base}{election.get_absolute_url()}")
    page.get_by_label("Your receipt").fill(receipt)
    page.get_by_role("button", name="Check").click()
    check = page.locator("#receipt-check")
    expect(check).to_contain_text("Your ballot was counted, as cast")
    expect(check.get_by_role("listitem")).to_have_text(coach.full_name)

    term = Term.objects.get(election=election)
    assert term.person == coach and term.starts_on == election.term_starts
