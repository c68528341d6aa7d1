"""Every page of the demo network answers for the org admin, with the demo's own data."""

import datetime
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.models import RoleAssignment
from tandem.achievement.models import ImportRun
from tandem.demo import load
from tandem.orgs.models import District, Organization, Person, Region, School
from tandem.partnerships.models import Partnership
from tests.access.test_permission_matrix import NOT_PAGES, PAGES, goal, growth_run, impact_report
from tests.world import World


@dataclass
class _DemoHalf:
    school: School


@pytest.fixture
def admin_client(db: None) -> Client:
    load.build(today=datetime.date(2026, 11, 22), with_results=False)
    client = Client()
    client.force_login(Person.objects.get(email="admin@example.org"))
    return client


def _kwargs(name: str) -> dict[str, object] | None:
    principal = Person.objects.get(email="principal@example.org")
    by_name = {
        "orgs:region": {"pk": Region.objects.first().pk},
        "orgs:district": {"pk": District.objects.first().pk},
        "orgs:school": {"pk": School.objects.first().pk},
        "orgs:person": {"pk": principal.pk},
        "orgs:role_grant": {"pk": principal.pk},
        "orgs:role_end": {"pk": principal.pk, "role_id": RoleAssignment.objects.filter(person=principal).first().pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "expired"},
    }
    if name in ("analytics:district",):
        return {"pk": District.objects.first().pk}
    if name in ("analytics:school", "analytics:comparison", "analytics:school_report"):
        return {"pk": School.objects.first().pk}
    if name in ("analytics:goal", "analytics:goal_edit"):
        return goal(World(Organization.objects.first(), {"in": _DemoHalf(School.objects.first())}), "in")
    if name in ("impact:report", "impact:report_progress", "impact:report_pdf"):
        return impact_report(World(Organization.objects.first(), {"in": _DemoHalf(School.objects.first())}), "in")
    if name in ("growth:run", "growth:run_progress"):
        return growth_run(World(Organization.objects.first(), {}), "in")
    if name in ("achievement:import", "achievement:import_progress", "achievement:import_report"):
        run, _ = ImportRun.objects.get_or_create(
            file_name="demo.csv", defaults={"kind": "results", "format": "sgp-long"}
        )
        return {"pk": run.pk}
    if name.startswith("partnerships:") and name not in (
        "partnerships:list",
        "partnerships:create",
        "partnerships:reach",
    ):
        return {"pk": Partnership.objects.first().pk}
    return by_name.get(name)


@pytest.mark.parametrize(
    "name", sorted(set(PAGES) - NOT_PAGES - {"orgs:role_end", "partnerships:assignment_end", "analytics:goal_delete"})
)
def test_every_page_answers_for_the_admin(admin_client: Client, name: str) -> None:
    response = admin_client.get(reverse(name, kwargs=_kwargs(name)))
    assert response.status_code == PAGES[name].ok, name


def test_lists_paginate_the_demo_people(admin_client: Client) -> None:
    first = admin_client.get(reverse("orgs:people"))
    assert first.context["page"].paginator.num_pages > 1
    assert b'rel="next"' in first.content
    last = admin_client.get(reverse("orgs:people"), {"page": "999"})
    assert last.context["page"].number == first.context["page"].paginator.num_pages
