"""Private coach notes never leave their author: not through any page, export, search or the
audit log, for anyone — the coachee, supervisors, the org admin."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.coaching import actions
from tandem.coaching.models import Framework, PrivateNote, Relationship, Session
from tandem.orgs.models import Person
from tests.world import World

SECRET = "Worried she feels judged; go slower next time"
SHARED = "Tried turn-and-talk in the reading block"
TODAY = datetime.date(2026, 11, 20)


@pytest.fixture
def coached(world: World) -> Relationship:
    coach = world.people[Role.COACH]
    relationship = actions.do_start_relationship(
        coach,
        coach=coach,
        coachee=world.people[Role.TEACHER],
        school=world.inside.school,
        framework=Framework.objects.get(name="Teaching practice"),
        starts_on=datetime.date(2026, 9, 1),
    )
    actions.do_log_session(
        coach,
        relationship,
        held_on=TODAY,
        minutes=45,
        kind=Session.Kind.DEBRIEF,
        shared_notes=SHARED,
        next_steps="Plan the next turn-and-talk together",
        private_note=SECRET,
        today=TODAY,
    )
    actions.do_add_private_note(coach, relationship, SECRET + " (again)")
    return relationship


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _pages(relationship: Relationship) -> list[str]:
    return [
        reverse("coaching:home"),
        reverse("coaching:relationship", args=[relationship.pk]),
        reverse("coaching:sessions"),
        reverse("coaching:sessions") + "?q=judged",
        reverse("coaching:sessions") + "?q=turn&format=csv",
        reverse("coaching:notes"),
        reverse("coaching:notes") + "?q=judged",
        reverse("coaching:dives"),
        reverse("home"),
    ]


def _body(response: object) -> bytes:
    if hasattr(response, "streaming_content"):
        return b"".join(response.streaming_content)  # type: ignore[attr-defined]
    return response.content  # type: ignore[attr-defined]


@pytest.mark.parametrize("role", [Role.TEACHER, Role.REGIONAL_DIRECTOR, Role.NATIONAL_LEADER, Role.ORG_ADMIN])
def test_no_page_export_or_search_shows_another_persons_private_note(
    world: World, coached: Relationship, role: Role
) -> None:
    client = _client(world.people[role])
    seen_shared = False
    for url in _pages(coached):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        body = _body(response)
        # The query itself may be echoed ("judged"); the rest of the note must never show.
        assert b"go slower" not in body, url
        seen_shared |= SHARED.encode() in body
    # They do read the shared parts.
    assert seen_shared


def test_the_author_reads_and_searches_their_own_notes(world: World, coached: Relationship) -> None:
    client = _client(world.people[Role.COACH])
    page = client.get(reverse("coaching:relationship", args=[coached.pk])).content.decode()
    assert SECRET in page and "Only you read these." in page
    found = client.get(reverse("coaching:notes"), {"q": "judged"}).content.decode()
    assert found.count("go slower next time") == 2
    # Searching shared sessions never reaches private notes, even for their author.
    assert "go slower" not in client.get(reverse("coaching:sessions"), {"q": "judged"}).content.decode()


def test_the_audit_log_records_that_a_note_exists_never_its_text(world: World, coached: Relationship) -> None:
    entries = AuditEntry.objects.filter(action="coaching.private_note")
    assert entries.count() == 2
    for entry in entries:
        assert "go slower" not in str(entry.changes) and "go slower" not in entry.object_repr


def test_only_the_author_deletes_a_note_and_others_get_not_found(world: World, coached: Relationship) -> None:
    note = PrivateNote.objects.filter(author=world.people[Role.COACH]).first()
    assert note is not None
    url = reverse("coaching:note_delete", args=[coached.pk, note.pk])
    assert _client(world.people[Role.ORG_ADMIN]).post(url).status_code == 404
    assert PrivateNote.objects.filter(pk=note.pk).exists()
    with pytest.raises(ValidationError, match=re.escape("Only the author of a private note can delete it.")):
        actions.do_delete_private_note(world.people[Role.ORG_ADMIN], note)
    assert _client(world.people[Role.COACH]).post(url).status_code == 302
    assert not PrivateNote.objects.filter(pk=note.pk).exists()


def test_only_the_coach_keeps_private_notes(world: World, coached: Relationship) -> None:
    for role in (Role.TEACHER, Role.REGIONAL_DIRECTOR):
        with pytest.raises(ValidationError, match=re.escape("Only the coach of this relationship can do this.")):
            actions.do_add_private_note(world.people[role], coached, "Mine")
    response = _client(world.people[Role.REGIONAL_DIRECTOR]).post(
        reverse("coaching:note_new", args=[coached.pk]), {"note-text": "Mine"}
    )
    assert response.status_code == 422
    assert not PrivateNote.objects.filter(text="Mine").exists()


def test_the_coachee_page_shows_shared_parts_goals_and_ratings(world: World, coached: Relationship) -> None:
    coach, teacher = world.people[Role.COACH], world.people[Role.TEACHER]
    competency = coached.framework.domains.first().competencies.first()  # type: ignore[union-attr]
    actions.do_rate(coach, coached, competency, 2, TODAY, "Seen in two lessons")
    actions.do_rate(teacher, coached, competency, 3, TODAY)
    actions.do_set_goal(coach, coached, None, {"title": "Every student talks about the text", "competency": competency})
    page = _client(teacher).get(reverse("coaching:relationship", args=[coached.pk])).content.decode()
    assert SHARED in page and "Plan the next turn-and-talk together" in page
    assert "Every student talks about the text" in page
    assert "2. Developing" in page and "3. Proficient" in page
    assert "My private notes" not in page and "go slower" not in page
    # A principal at the school who is not a supervisor sees no teacher's coaching.
    assert _client(world.inside.principal).get(reverse("coaching:relationship", args=[coached.pk])).status_code == 404
    assert (
        _client(world.people[Role.FUNDER]).get(reverse("coaching:relationship", args=[coached.pk])).status_code == 404
    )


def test_nobody_outside_the_staff_becomes_a_coach(world: World) -> None:
    for role in (Role.TEACHER, Role.FUNDER, Role.NETWORK_MEMBER):
        person = world.people[role]
        with pytest.raises(ValidationError) as raised:
            actions.do_start_relationship(
                person,
                coach=person,
                coachee=world.inside.principal,
                school=world.inside.school,
                framework=Framework.objects.get(name="School leaders as change agents"),
                starts_on=datetime.date(2026, 9, 1),
            )
        assert raised.value.message_dict == {"coach": ["The coach must be one of the organization's staff."]}
    assert not Relationship.objects.exists()
