"""Schools leave and rejoin partnerships without rewriting history."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.partnerships import actions
from tandem.partnerships.models import Partnership, SiteAssignment
from tandem.partnerships.reach import reach_by_year
from tests.world import World


def test_a_school_that_leaves_keeps_its_history_and_its_staff_leave_with_it(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    p = world.inside.partnership
    actions.do_update_partnership(admin, p, schools=[world.inside.other_school])
    today = timezone.localdate()
    membership = p.memberships.get(school=world.inside.school)
    assert membership.left_on == today
    assert SiteAssignment.objects.get(school=world.inside.school).end_date == today
    assert list(p.current_schools()) == [world.inside.other_school]
    # Last year's reach still counts the school that has since left.
    last_year = reach_by_year(Partnership.objects.filter(pk=p.pk), [2025])[0]
    assert last_year.schools == 1
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.changes["schools"] == [[world.inside.school.pk], [world.inside.other_school.pk]]
    # Coming back resumes the same membership.
    actions.do_update_partnership(admin, p, schools=[world.inside.school, world.inside.other_school])
    assert p.memberships.get(school=world.inside.school).left_on is None


def test_a_partnership_cannot_be_left_with_neither_district_nor_school(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_update_partnership(world.people[Role.ORG_ADMIN], world.inside.partnership, schools=[])
    assert error.value.message_dict == {
        "schools": ["A partnership works with a district, at least one school, or both."]
    }
    assert world.inside.partnership.current_schools().count() == 1


def test_only_staff_can_be_placed_at_a_site(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_assign_staff(
            world.people[Role.ORG_ADMIN],
            world.inside.partnership,
            school=world.inside.school,
            person=world.people[Role.FUNDER],
            role="partner",
            days_per_week=Decimal("1"),
            start_date=datetime.date(2030, 1, 1),
        )
    assert "does not work for the organization" in error.value.message_dict["person"][0]


def test_dates_far_outside_a_partnership_life_are_refused(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_update_partnership(
            world.people[Role.ORG_ADMIN], world.inside.partnership, start_date=datetime.date(1, 8, 1)
        )
    assert error.value.message_dict["start_date"] == ["Give a start date from 1990 to 2100."]


def test_planned_end_of_a_leap_day_start(world: World) -> None:
    p = world.inside.partnership
    p.start_date = datetime.date(2024, 2, 29)
    p.planned_years = 3
    assert p.planned_end == datetime.date(2027, 2, 28)


def test_replacing_a_cost_keeps_the_old_sources_in_the_audit(world: World) -> None:
    actions.do_record_cost(
        world.people[Role.ORG_ADMIN],
        world.inside.partnership,
        school_year=2026,
        total_cost=Decimal("1000"),
        sources=[actions.FundingLine("foundation", Decimal("900"))],
    )
    entry = AuditEntry.objects.get(action="cost_of_service.record")
    assert entry.changes["sources"] == [[["school_fees", "80000.00", ""]], [["foundation", "900", ""]]]
