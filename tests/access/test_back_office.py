"""The back office follows the org admin role: it is granted and withdrawn with the role."""

from django.test import Client

from tandem.access.roles import Role
from tandem.orgs.actions import do_end_role
from tests.world import World


def test_org_admin_can_use_the_back_office(world: World) -> None:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/access/roleassignment/").status_code == 200
    assert client.get("/admin/orgs/school/").status_code == 200


def test_ending_the_org_admin_role_closes_the_back_office(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    other_admin = world.people[Role.NATIONAL_LEADER]
    from tandem.access.models import RoleAssignment

    RoleAssignment.objects.create(person=other_admin, role=Role.ORG_ADMIN, organization=world.org)
    do_end_role(other_admin, admin.roles.get())
    client = Client()
    client.force_login(admin)
    response = client.get("/admin/access/roleassignment/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_sign_in_ignores_the_case_of_the_email(world: World) -> None:
    world.people[Role.COACH].set_password("a long enough passphrase")
    world.people[Role.COACH].save()
    assert Client().login(username="  Coach@Example.ORG ", password="a long enough passphrase")


def test_back_office_changes_are_audited(world: World) -> None:
    from tandem.access.models import AuditEntry
    from tandem.orgs.models import Region

    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    response = client.post(
        "/admin/orgs/region/add/",
        {"organization": world.org.pk, "name": "East region", "time_zone": "America/New_York"},
    )
    assert response.status_code == 302
    region = Region.objects.get(name="East region")
    entry = AuditEntry.objects.get(action="back_office.add.region")
    assert (entry.actor, entry.object_id) == (world.people[Role.ORG_ADMIN], str(region.pk))
    assert entry.changes["name"] == [None, "East region"]
