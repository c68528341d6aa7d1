"""The scope engine on its own: what each role reaches."""

import datetime

import pytest
from django.http import Http404

from tandem.access.models import RoleAssignment
from tandem.access.roles import Capability, Role
from tandem.access.scope import ALL, scope_for
from tandem.orgs.models import School
from tests.world import World, make_person


def _fresh(world: World, role: Role):  # type: ignore[no-untyped-def]
    person = world.people[role]
    person._tandem_scope = None
    return scope_for(person)


def test_org_wide_roles_reach_every_school(world: World) -> None:
    for role in (Role.ORG_ADMIN, Role.NATIONAL_LEADER):
        scope = _fresh(world, role)
        assert scope.school_ids() is ALL
        assert set(scope.schools()) == set(School.objects.all())


def test_regional_director_reaches_the_schools_of_their_region_only(world: World) -> None:
    scope = _fresh(world, Role.REGIONAL_DIRECTOR)
    assert set(scope.schools()) == {world.inside.school, world.inside.other_school}
    assert list(scope.regions()) == [world.inside.region]
    assert scope.covers_school(Capability.MANAGE_PARTNERSHIPS, world.inside.school.pk)
    assert not scope.covers_school(Capability.MANAGE_PARTNERSHIPS, world.outside.school.pk)


def test_coach_reaches_their_school_its_district_and_region_but_not_its_neighbours(world: World) -> None:
    scope = _fresh(world, Role.COACH)
    assert list(scope.schools()) == [world.inside.school]
    assert list(scope.districts()) == [world.inside.district]
    assert list(scope.regions()) == [world.inside.region]
    assert list(scope.partnerships()) == [world.inside.partnership]
    assert world.inside.other_school not in scope.schools()


@pytest.mark.parametrize("role", [Role.FUNDER, Role.NETWORK_MEMBER])
def test_funders_and_network_members_never_reach_student_level_data(world: World, role: Role) -> None:
    scope = _fresh(world, role)
    assert scope.schools().exists()
    assert not scope.schools(Capability.VIEW_STUDENTS).exists()
    assert not scope.can(Capability.VIEW_STUDENTS)


def test_teacher_reaches_students_of_their_school_only(world: World) -> None:
    scope = _fresh(world, Role.TEACHER)
    assert list(scope.schools(Capability.VIEW_STUDENTS)) == [world.inside.school]


def test_out_of_scope_and_missing_raise_the_same_error(world: World) -> None:
    scope = _fresh(world, Role.PRINCIPAL)
    with pytest.raises(Http404) as out_of_scope:
        scope.get(scope.schools(), world.outside.school.pk)
    with pytest.raises(Http404) as missing:
        scope.get(scope.schools(), 999_999)
    assert str(out_of_scope.value) == str(missing.value)
    with pytest.raises(Http404):
        scope.get(scope.schools(), "not-a-number")


def test_ended_and_future_roles_give_nothing(world: World) -> None:
    today = datetime.date.today()
    person = make_person("former@example.org", "Former Coach")
    RoleAssignment.objects.create(
        person=person, role=Role.COACH, school=world.inside.school, ends_on=today - datetime.timedelta(days=1)
    )
    RoleAssignment.objects.create(
        person=person, role=Role.COACH, school=world.outside.school, starts_on=today + datetime.timedelta(days=1)
    )
    scope = scope_for(person)
    assert not scope.schools().exists()
    assert not scope.partnerships().exists()
    assert list(scope.people()) == [person]


def test_a_person_with_no_role_sees_only_themselves(world: World) -> None:
    person = make_person("new@example.org", "New Person")
    scope = scope_for(person)
    assert not scope.schools().exists()
    assert not scope.regions().exists()
    assert list(scope.people()) == [person]


def test_people_in_scope(world: World) -> None:
    coach = _fresh(world, Role.COACH)
    assert world.inside.principal in coach.people()
    assert world.outside.principal not in coach.people()
    # Staff see the organization's org-wide colleagues; a funder scoped to a region does not.
    assert world.people[Role.NATIONAL_LEADER] in coach.people()
    assert world.people[Role.NATIONAL_LEADER] not in _fresh(world, Role.FUNDER).people()


def test_inactive_person_reaches_nothing(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    leader.is_active = False
    leader.save()
    assert not scope_for(leader).schools().exists()
