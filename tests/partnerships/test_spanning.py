"""A partnership that spans two regions: seeing one of its schools shows the partnership, but its
money and its editing need reach over all of it, and only the schools in reach are named."""

import datetime
import json

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.partnerships.models import CostOfService, Partnership, PartnershipSchool
from tests.world import World


@pytest.fixture
def spanning(world: World) -> Partnership:
    p = Partnership.objects.create(
        organization=world.org,
        name="Two-region network",
        model="network",
        start_date=datetime.date(2025, 8, 1),
        planned_years=3,
    )
    for school in (world.inside.other_school, world.outside.other_school):
        PartnershipSchool.objects.create(partnership=p, school=school, joined_on=p.start_date)
    CostOfService.objects.create(partnership=p, school_year=2026, total_cost=100)
    return p


def _client(world: World, role: Role) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


@pytest.mark.parametrize("role", [Role.REGIONAL_DIRECTOR, Role.FUNDER])
def test_money_is_hidden_without_reach_over_every_school(world: World, spanning: Partnership, role: Role) -> None:
    client = _client(world, role)
    page = client.get(reverse("partnerships:detail", args=[spanning.pk]))
    assert page.status_code == 200
    assert b"Cost of service" not in page.content
    assert client.get(f"/api/v1/partnerships/{spanning.pk}/costs").status_code == 404


def test_editing_needs_reach_over_every_school(world: World, spanning: Partnership) -> None:
    client = _client(world, Role.REGIONAL_DIRECTOR)
    assert b">Edit<" not in client.get(reverse("partnerships:detail", args=[spanning.pk])).content
    assert client.get(reverse("partnerships:edit", args=[spanning.pk])).status_code == 404
    response = client.patch(
        f"/api/v1/partnerships/{spanning.pk}", json.dumps({"notes": "x"}), content_type="application/json"
    )
    assert response.status_code == 404
    assert _client(world, Role.ORG_ADMIN).get(f"/api/v1/partnerships/{spanning.pk}/costs").status_code == 200


def test_only_schools_in_reach_are_named(world: World, spanning: Partnership) -> None:
    body = _client(world, Role.REGIONAL_DIRECTOR).get(f"/api/v1/partnerships/{spanning.pk}").json()
    assert body["school_ids"] == [world.inside.other_school.pk]
    page = _client(world, Role.REGIONAL_DIRECTOR).get(reverse("partnerships:detail", args=[spanning.pk]))
    assert b"North Middle" in page.content and b"South Middle" not in page.content


def test_reach_counts_only_schools_in_reach(world: World, spanning: Partnership) -> None:
    rows = _client(world, Role.PRINCIPAL).get("/api/v1/reach").json()
    this_year = next(r for r in rows if r["school_year"] == 2026)
    assert (this_year["schools"], this_year["students"]) == (1, 400)
    rows = _client(world, Role.ORG_ADMIN).get("/api/v1/reach").json()
    assert next(r for r in rows if r["school_year"] == 2026)["schools"] == 4
