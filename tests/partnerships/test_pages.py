"""Partnership pages: forms report bad input beside the field and save nothing."""

from django.test import Client
from django.urls import reverse

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.partnerships.models import CostOfService, Partnership, SiteAssignment
from tests.world import World


def _client(world: World, role: Role = Role.REGIONAL_DIRECTOR) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


def _errors(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    form = response.context["form"]
    return {k: list(v) for k, v in form.errors.items()}


def test_create_partnership_from_the_form(world: World) -> None:
    response = _client(world).post(
        reverse("partnerships:create"),
        {
            "name": "North middle grades",
            "schools": [world.inside.other_school.pk],
            "model": "targeted",
            "start_date": "2026-08-01",
            "planned_years": "3",
            "phase": "launch",
            "status": "active",
        },
    )
    partnership = Partnership.objects.get(name="North middle grades")
    assert response.status_code == 302
    assert response["Location"] == partnership.get_absolute_url()
    assert AuditEntry.objects.filter(action="partnership.create", object_id=str(partnership.pk)).exists()


def test_bad_partnership_form_shows_each_problem_beside_its_field(world: World) -> None:
    response = _client(world).post(
        reverse("partnerships:create"),
        {
            "name": "",
            "schools": [world.outside.school.pk],
            "model": "weekly",
            "start_date": "2026-02-30",
            "planned_years": "12",
            "phase": "launch",
            "status": "active",
        },
    )
    assert response.status_code == 200
    errors = _errors(response)
    assert errors["name"] == ["This field is required."]
    # A school outside the director's region is not offered, and posting it is refused.
    assert errors["schools"] == [
        f"Select a valid choice. {world.outside.school.pk} is not one of the available choices."
    ]
    assert errors["model"] == ["Select a valid choice. weekly is not one of the available choices."]
    assert errors["start_date"] == ["Enter a valid date."]
    assert errors["planned_years"] == ["Ensure this value is less than or equal to 10."]
    assert Partnership.objects.count() == 2
    assert not AuditEntry.objects.exists()
    assert b'class="error"' in response.content


def test_partnership_needs_a_district_or_a_school(world: World) -> None:
    response = _client(world).post(
        reverse("partnerships:create"),
        {
            "name": "Nothing",
            "model": "targeted",
            "start_date": "2026-08-01",
            "planned_years": "3",
            "phase": "launch",
            "status": "active",
        },
    )
    assert response.context["form"].non_field_errors() == ["Choose the district, at least one school, or both."]
    assert not Partnership.objects.filter(name="Nothing").exists()


def test_edit_a_partnership(world: World) -> None:
    p = world.inside.partnership
    response = _client(world).post(
        reverse("partnerships:edit", args=[p.pk]),
        {
            "name": p.name,
            "schools": [world.inside.school.pk, world.inside.other_school.pk],
            "model": p.model,
            "start_date": p.start_date.isoformat(),
            "planned_years": "5",
            "phase": "deepening",
            "status": "active",
        },
    )
    assert response.status_code == 302
    p.refresh_from_db()
    assert (p.planned_years, p.phase) == (5, "deepening")
    assert set(p.schools.all()) == {world.inside.school, world.inside.other_school}
    entry = AuditEntry.objects.get(action="partnership.update")
    assert entry.changes["planned_years"] == [4, 5]
    assert entry.changes["schools"] == [
        [world.inside.school.pk],
        sorted([world.inside.school.pk, world.inside.other_school.pk]),
    ]


def test_assignment_form_errors(world: World) -> None:
    p = world.inside.partnership
    response = _client(world).post(
        reverse("partnerships:assign", args=[p.pk]),
        {
            "school": world.inside.school.pk,
            "person": world.people[Role.COACH].pk,
            "role": "partner",
            "days_per_week": "7",
            "start_date": "2026-09-01",
            "end_date": "2026-08-01",
        },
    )
    errors = _errors(response)
    assert errors["days_per_week"] == ["Ensure this value is less than or equal to 5."]
    assert SiteAssignment.objects.count() == 1


def test_assignment_end_before_start_is_reported_on_the_end_date(world: World) -> None:
    p = world.inside.partnership
    response = _client(world).post(
        reverse("partnerships:assign", args=[p.pk]),
        {
            "school": world.inside.school.pk,
            "person": world.inside.principal.pk,
            "role": "partner",
            "days_per_week": "2",
            "start_date": "2026-09-01",
            "end_date": "2026-08-01",
        },
    )
    assert _errors(response)["end_date"] == ["The end date cannot be before the start date."]
    assert SiteAssignment.objects.count() == 1


def test_cost_form_line_errors_and_totals(world: World) -> None:
    p = world.inside.partnership
    data = {
        "school_year": "2027",
        "total_cost": "1000",
        "sources-TOTAL_FORMS": "2",
        "sources-INITIAL_FORMS": "0",
        "sources-0-kind": "foundation",
        "sources-0-amount": "",
        "sources-1-kind": "",
        "sources-1-amount": "50",
    }
    response = _client(world).post(reverse("partnerships:cost", args=[p.pk]), data)
    lines = response.context["lines"]
    assert lines.errors[0] == {"amount": ["Give the amount from this source."]}
    assert lines.errors[1] == {"kind": ["Say where this money comes from."]}
    data.update({"sources-0-amount": "800", "sources-1-kind": "corporate", "sources-1-amount": "300"})
    response = _client(world).post(reverse("partnerships:cost", args=[p.pk]), data)
    assert "more than the total cost" in response.context["form"].non_field_errors()[0]
    assert not CostOfService.objects.filter(school_year=2027).exists()
    data["sources-1-amount"] = "200"
    response = _client(world).post(reverse("partnerships:cost", args=[p.pk]), data)
    assert response.status_code == 302
    assert CostOfService.objects.get(school_year=2027).fee_share() == 0


def test_detail_hides_costs_from_roles_without_finance(world: World) -> None:
    url = reverse("partnerships:detail", args=[world.inside.partnership.pk])
    assert b"Cost of service" in _client(world, Role.FUNDER).get(url).content
    assert b"Cost of service" not in _client(world, Role.COACH).get(url).content
    assert b"Record cost of service" not in _client(world, Role.FUNDER).get(url).content


def test_list_filters_and_reach(world: World) -> None:
    client = _client(world, Role.ORG_ADMIN)
    response = client.get(reverse("partnerships:list"), {"q": "north"})
    assert [p.name for p in response.context["page"]] == ["North partnership"]
    response = client.get(reverse("partnerships:list"), {"status": "bogus"})
    assert "status" in response.context["form"].errors
    rows = client.get(reverse("partnerships:reach")).context["rows"]
    this_year = next(r for r in rows if r.school_year == 2026)
    assert (this_year.schools, this_year.students, this_year.teachers, this_year.districts) == (2, 800, 40, 2)


def test_end_a_site_assignment_from_the_partnership_page(world: World) -> None:
    from django.utils import timezone

    assignment = SiteAssignment.objects.get()
    page = _client(world).get(reverse("partnerships:detail", args=[world.inside.partnership.pk]))
    assert b"End today" in page.content
    response = _client(world).post(
        reverse("partnerships:assignment_end", args=[world.inside.partnership.pk, assignment.pk])
    )
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.end_date == timezone.localdate()
    assert AuditEntry.objects.get(action="site_assignment.end").changes["end_date"][0] is None
    page = _client(world).get(reverse("partnerships:detail", args=[world.inside.partnership.pk]))
    assert b"End today" not in page.content
