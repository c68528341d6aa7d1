"""Directory lists: filters, counts within reach, and hostile query values."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.orgs.actions import do_create_person, do_end_role
from tests.world import World


def _client(world: World, role: Role) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def test_partner_school_filter(world: World) -> None:
    client = _client(world, Role.ORG_ADMIN)
    names = lambda params: [s.name for s in client.get(reverse("orgs:schools"), params).context["page"]]  # noqa: E731
    assert names({"partner": "yes"}) == ["North Elementary", "South Elementary"]
    assert names({"partner": "no"}) == ["North Middle", "South Middle"]
    assert client.get(reverse("orgs:schools"), {"partner": "maybe"}).context["form"].errors["partner"]


def test_counts_on_lists_stay_within_reach(world: World) -> None:
    page = _client(world, Role.PRINCIPAL).get(reverse("orgs:districts"))
    (district,) = page.context["page"]
    assert district.n_schools == 1


@pytest.mark.parametrize(
    "query",
    [{"offset": str(10**20)}, {"district_id": str(10**23)}, {"region_id": "-1"}, {"limit": "abc"}],
)
def test_hostile_api_queries_are_refused_cleanly(world: World, query: dict[str, str]) -> None:
    assert _client(world, Role.ORG_ADMIN).get("/api/v1/schools", query).status_code == 422


def test_huge_ids_in_paths_answer_not_found(world: World) -> None:
    client = _client(world, Role.ORG_ADMIN)
    assert client.get(f"/api/v1/schools/{10**25}").status_code == 404
    assert client.get(f"/schools/{10**25}/").status_code == 404


def test_an_invited_person_can_ask_for_a_new_link(world: World) -> None:
    do_create_person(world.people[Role.ORG_ADMIN], email="late@example.org", full_name="Late Reader", password=None)
    Client().post(reverse("password_reset"), {"email": "LATE@example.org"})
    (message,) = mail.outbox
    assert message.to == ["late@example.org"]
    assert "/password/set/" in message.body


def test_ending_roles(world: World) -> None:
    import datetime

    admin = world.people[Role.ORG_ADMIN]
    role = world.inside.principal.roles.get()
    do_end_role(admin, role)
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        do_end_role(admin, role)
    future = RoleAssignment.objects.create(
        person=world.inside.principal,
        role=Role.TEACHER,
        school=world.inside.school,
        starts_on=datetime.date.today() + datetime.timedelta(days=30),
    )
    assert do_end_role(admin, future) is None
    assert not RoleAssignment.objects.filter(pk=future.pk).exists()
