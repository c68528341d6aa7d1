"""An org admin adds a person; the background worker emails them a link to choose a password."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.roles import Role
from tandem.orgs.models import Person
from tests.world import World, build_world


def _admin(world: World) -> Client:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    return client


def _invite(client: Client, world: World, **overrides: str):  # type: ignore[no-untyped-def]
    data = {
        "full_name": "Rosa Delgado",
        "email": "Rosa.Delgado@Example.org",
        "title": "Principal",
        "role": "principal",
        "scope": f"school:{world.inside.other_school.pk}",
    }
    data.update(overrides)
    return client.post(reverse("orgs:person_invite"), data)


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    # The worker closes its database connection after each task, as it must in production; that
    # is only safe when the test's data is really committed.
    return build_world()


def test_invitation_goes_out_through_the_worker_and_the_link_sets_a_password(
    committed_world: World,
    smtp_inbox,  # type: ignore[no-untyped-def]
) -> None:
    world = committed_world
    response = _invite(_admin(world), world)
    person = Person.objects.get(email="rosa.delgado@example.org")
    assert response.status_code == 302 and response["Location"] == person.get_absolute_url()
    assert not person.has_usable_password()
    assert RoleAssignment.objects.get(person=person).school == world.inside.other_school
    assert {"person.create", "role.grant"} <= set(AuditEntry.objects.values_list("action", flat=True))
    # Nothing is sent from the request: the email waits for the worker.
    assert smtp_inbox.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    (message,) = smtp_inbox.messages
    assert message["To"] == "rosa.delgado@example.org"
    assert message["Subject"] == "You are invited to Tandem"
    body = message.get_content()
    assert "Org admin has added you to Tandem" in body
    link = re.search(r"http://127\.0\.0\.1:8000(/password/set/\S+/)", body)
    assert link is not None
    client = Client()
    page = client.get(link.group(1), follow=True)
    assert b"Choose your password" in page.content
    done = client.post(
        page.redirect_chain[-1][0], {"new_password1": "a river of ideas 42", "new_password2": "a river of ideas 42"}
    )
    assert done.status_code == 302
    assert Client().login(username="rosa.delgado@example.org", password="a river of ideas 42")
    # The link works once.
    assert b"This link no longer works" in Client().get(link.group(1), follow=True).content


def test_bad_invitations_say_what_is_wrong_and_change_nothing(
    world: World,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    client = _admin(world)
    people = Person.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        duplicate = _invite(client, world, email="COACH@example.org")
        wrong_scope = _invite(client, world, role="principal", scope=f"region:{world.inside.region.pk}")
        unknown = _invite(client, world, scope="school:999999", role="bogus", email="not-an-email")
    assert duplicate.context["form"].errors == {"email": ["Person with this Email already exists."]}
    assert wrong_scope.context["form"].errors == {"scope": ["A Principal is scoped to: school."]}
    errors = unknown.context["form"].errors
    assert errors["email"] == ["Enter a valid email address."]
    assert errors["role"] == ["Select a valid choice. bogus is not one of the available choices."]
    assert errors["scope"] == ["Select a valid choice. school:999999 is not one of the available choices."]
    assert Person.objects.count() == people
    assert not DBTaskResult.objects.exists()
    assert not AuditEntry.objects.exists()


def test_ending_a_role_takes_the_reach_away(world: World) -> None:
    principal = world.inside.principal
    role = principal.roles.get()
    response = _admin(world).post(reverse("orgs:role_end", args=[principal.pk, role.pk]))
    assert response.status_code == 302
    client = Client()
    client.force_login(principal)
    assert client.get(reverse("orgs:school", args=[world.inside.school.pk])).status_code == 404
    assert AuditEntry.objects.get(action="role.end").changes["ends_on"][0] is None


def test_people_edit_their_own_profile(world: World) -> None:
    client = Client()
    coach = world.people[Role.COACH]
    client.force_login(coach)
    response = client.post(reverse("orgs:profile"), {"full_name": "", "title": "Partner", "phone": "", "bio": ""})
    assert response.context["form"].errors == {"full_name": ["This field is required."]}
    response = client.post(
        reverse("orgs:profile"), {"full_name": "Coach Carter", "title": "Lead partner", "phone": "", "bio": "Hi"}
    )
    assert response.status_code == 302
    coach.refresh_from_db()
    assert (coach.full_name, coach.title) == ("Coach Carter", "Lead partner")
    changes = AuditEntry.objects.get(action="person.update_profile").changes
    assert changes == {
        "full_name": ["Coach / partner", "Coach Carter"],
        "title": ["", "Lead partner"],
        "bio": ["", "Hi"],
    }
