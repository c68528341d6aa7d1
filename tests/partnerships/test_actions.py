"""Changes to partnerships: checked, atomic, audited."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.partnerships import actions
from tandem.partnerships.models import CostOfService, Partnership, SiteAssignment
from tests.world import World


def _create(world: World, role: Role = Role.REGIONAL_DIRECTOR, **overrides: object) -> Partnership:
    fields: dict[str, object] = {
        "name": "North middle grades",
        "model": Partnership.Model.TARGETED,
        "start_date": datetime.date(2026, 8, 1),
        "planned_years": 3,
        "schools": [world.inside.other_school],
    }
    fields.update(overrides)
    return actions.do_create_partnership(world.people[role], organization=world.org, **fields)


def test_create_writes_an_audit_entry_with_the_fields(world: World) -> None:
    partnership = _create(world)
    entry = AuditEntry.objects.get(action="partnership.create")
    assert entry.actor == world.people[Role.REGIONAL_DIRECTOR]
    assert entry.object_id == str(partnership.pk)
    assert entry.changes["name"] == [None, "North middle grades"]
    assert list(partnership.schools.all()) == [world.inside.other_school]


def test_update_records_only_changed_fields(world: World) -> None:
    partnership = world.inside.partnership
    actions.do_update_partnership(
        world.people[Role.ORG_ADMIN], partnership, phase=Partnership.Phase.SUSTAINING, name=partnership.name
    )
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.changes == {"phase": ["launch", "sustaining"]}


def test_update_that_changes_nothing_writes_no_entry(world: World) -> None:
    partnership = world.inside.partnership
    actions.do_update_partnership(world.people[Role.ORG_ADMIN], partnership, name=partnership.name)
    assert not AuditEntry.objects.filter(action="partnership.update").exists()


def test_regional_director_cannot_create_in_another_region(world: World) -> None:
    with pytest.raises(Http404):
        _create(world, schools=[world.outside.other_school])
    assert not Partnership.objects.filter(name="North middle grades").exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.parametrize("role", [Role.COACH, Role.PRINCIPAL, Role.FUNDER, Role.DISTRICT_LEADER])
def test_roles_without_management_cannot_create(world: World, role: Role) -> None:
    with pytest.raises(Http404):
        _create(world, role=role)


def test_invalid_partnership_saves_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        _create(
            world,
            status=Partnership.Status.COMPLETED,
            end_date=datetime.date(2025, 1, 1),
        )
    assert "end_date" in error.value.message_dict
    assert Partnership.objects.count() == 2
    assert not AuditEntry.objects.exists()


def test_school_outside_the_partnership_district_is_refused_and_nothing_is_saved(world: World) -> None:
    # The org admin reaches both districts; the school still has to be in the partnership's district.
    with pytest.raises(ValidationError) as error:
        _create(world, role=Role.ORG_ADMIN, district=world.inside.district, schools=[world.outside.other_school])
    assert "is not in Northvale Unified" in str(error.value)
    assert not Partnership.objects.filter(name="North middle grades").exists()


def test_assign_staff_checks_the_school_belongs_to_the_partnership(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_assign_staff(
            world.people[Role.ORG_ADMIN],
            world.inside.partnership,
            school=world.inside.other_school,
            person=world.people[Role.COACH],
            role="partner",
            days_per_week=Decimal("2"),
            start_date=datetime.date(2026, 9, 1),
        )
    assert error.value.message_dict["school"] == ["North Middle is not one of this partnership's schools."]


def test_assign_staff_refuses_overlapping_assignment(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_assign_staff(
            world.people[Role.ORG_ADMIN],
            world.inside.partnership,
            school=world.inside.school,
            person=world.people[Role.COACH],
            role="partner",
            days_per_week=Decimal("2"),
            start_date=datetime.date(2030, 9, 1),
        )
    assert "already assigned" in error.value.message_dict["person"][0]
    assert SiteAssignment.objects.count() == 1


def test_record_cost_replaces_the_year_and_computes_fee_share(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    lines = [
        actions.FundingLine("district_fees", Decimal("40000")),
        actions.FundingLine("foundation", Decimal("50000"), "Community Foundation"),
    ]
    actions.do_record_cost(
        admin, world.inside.partnership, school_year=2027, total_cost=Decimal("100000"), sources=lines
    )
    cost = actions.do_record_cost(
        admin, world.inside.partnership, school_year=2027, total_cost=Decimal("120000"), sources=lines
    )
    assert CostOfService.objects.filter(partnership=world.inside.partnership, school_year=2027).count() == 1
    assert cost.funded() == Decimal("90000")
    assert cost.fee_share() == Decimal("33.3")
    assert AuditEntry.objects.filter(action="cost_of_service.record").count() == 2


def test_funding_over_the_total_cost_is_refused_and_the_old_figures_stay(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_record_cost(
            world.people[Role.ORG_ADMIN],
            world.inside.partnership,
            school_year=2026,
            total_cost=Decimal("1000"),
            sources=[actions.FundingLine("foundation", Decimal("1500"))],
        )
    assert "more than the total cost" in error.value.message_dict["sources"][0]
    cost = CostOfService.objects.get(partnership=world.inside.partnership, school_year=2026)
    assert cost.total_cost == Decimal("200000")
    assert cost.sources.count() == 1


def test_a_bad_funding_line_rolls_back_the_whole_cost(world: World) -> None:
    with pytest.raises(ValidationError) as error:
        actions.do_record_cost(
            world.people[Role.ORG_ADMIN],
            world.inside.partnership,
            school_year=2026,
            total_cost=Decimal("5000"),
            sources=[actions.FundingLine("foundation", Decimal("100")), actions.FundingLine("lottery", Decimal("5"))],
        )
    assert "sources[1].kind" in error.value.message_dict
    cost = CostOfService.objects.get(partnership=world.inside.partnership, school_year=2026)
    assert cost.total_cost == Decimal("200000")
    assert [s.kind for s in cost.sources.all()] == ["school_fees"]
