"""The help desk's actions on a ticket: who may take them, what they refuse (and then change
nothing), and the times and targets they set."""

import datetime
import functools

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.andon.helpdesk import actions, intake
from tandem.andon.helpdesk.models import Category, Message, Ticket
from tandem.andon.helpdesk.visibility import answers
from tests.andon.helpdesk.test_intake import mail_bytes, ticket_of
from tests.world import World

T0 = datetime.datetime(2026, 3, 2, 17, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ticket(world: World) -> Ticket:
    return ticket_of(intake.ingest(mail_bytes(), "test"))


def test_only_the_help_desk_answers_notes_updates_and_merges(
    world: World,
    ticket: Ticket,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    assert answers(world.people[Role.ORG_ADMIN]) and answers(world.people[Role.NATIONAL_LEADER])
    other = ticket_of(intake.ingest(mail_bytes("Other", message_id="<m-2@example.net>"), "test"))
    entries = AuditEntry.objects.count()
    for role in (Role.COACH, Role.REGIONAL_DIRECTOR, Role.PRINCIPAL, Role.TEACHER, Role.ANALYST):
        person = world.people[role]
        assert not answers(person), role
        for act, args in (
            (actions.do_reply, (ticket, "Hello")),
            (actions.do_note, (ticket, "A note")),
            (functools.partial(actions.do_update, priority="high"), (ticket,)),
            (actions.do_merge, (other, ticket)),
        ):
            with (
                django_capture_on_commit_callbacks(execute=True) as callbacks,
                pytest.raises(ValidationError) as refused,
            ):
                act(person, *args)
            assert refused.value.messages == ["Only the help desk does this."]
            assert callbacks == []
    ticket.refresh_from_db()
    assert (ticket.status, ticket.priority, ticket.messages.count()) == ("new", "normal", 1)
    assert (AuditEntry.objects.count(), DBTaskResult.objects.count()) == (entries, 0)
    # Someone who leaves stops answering.
    leader = world.people[Role.NATIONAL_LEADER]
    leader.is_active = False
    leader.save()
    assert not answers(leader)
    with pytest.raises(ValidationError):
        actions.do_reply(leader, ticket, "Hello")


def test_a_reply_is_queued_for_the_worker_once_it_is_committed(
    world: World,
    ticket: Ticket,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    desk = world.people[Role.ORG_ADMIN]
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        reply = actions.do_reply(desk, ticket, "  On its way.  ")
    assert len(callbacks) == 1
    task = DBTaskResult.objects.get()
    assert (task.status, task.task_path) == ("READY", "tandem.andon.helpdesk.tasks.send_reply")
    assert task.args_kwargs == {"args": [reply.pk], "kwargs": {}}
    assert (reply.kind, reply.text, reply.author, reply.from_email) == ("reply", "On its way.", desk, "help@localhost")
    assert reply.subject == f"{ticket.tag} Re: Bus schedule"
    assert (reply.in_reply_to, reply.references) == ("<m-1@example.net>", "<m-1@example.net>")
    assert reply.sent_at is None
    assert {"helpdesk.reply", "helpdesk.ticket"} <= set(AuditEntry.objects.values_list("action", flat=True))


def test_a_refused_reply_leaves_nothing_behind(
    world: World,
    ticket: Ticket,
    django_capture_on_commit_callbacks,  # type: ignore[no-untyped-def]
) -> None:
    desk = world.people[Role.NATIONAL_LEADER]
    entries = AuditEntry.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(ValidationError) as empty:
            actions.do_reply(desk, ticket, "  \n ")
        # The reply is written before the status is checked: the transaction takes it back.
        with pytest.raises(ValidationError) as bad_status:
            actions.do_reply(desk, ticket, "Hello", status="merged")
        with pytest.raises(ValidationError) as new_again:
            actions.do_reply(desk, ticket, "Hello", status="new")
    assert empty.value.message_dict == {"text": ["Write the reply."]}
    assert bad_status.value.message_dict == {"status": ["“merged” is not a status a ticket can be given."]}
    assert new_again.value.message_dict == {"status": ["“new” is not a status a ticket can be given."]}
    assert callbacks == []
    assert Message.objects.filter(kind=Message.Kind.REPLY).count() == 0
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == ("new", None)
    assert AuditEntry.objects.count() == entries
    with pytest.raises(ValidationError) as empty_note:
        actions.do_note(desk, ticket, " ")
    assert empty_note.value.message_dict == {"text": ["Write the note."]}


def test_the_first_response_is_the_first_reply_not_a_note_nor_a_later_reply(
    world: World, ticket: Ticket, monkeypatch: pytest.MonkeyPatch
) -> None:
    desk = world.people[Role.ORG_ADMIN]
    # The clock moves on from when the ticket came in.
    start = ticket.created_at
    now = [start + datetime.timedelta(minutes=5)]
    monkeypatch.setattr(timezone, "now", lambda: now[0])
    actions.do_note(desk, ticket, "Checking with transport.")
    ticket.refresh_from_db()
    assert ticket.first_response_at is None
    now[0] = start + datetime.timedelta(hours=1)
    first = actions.do_reply(desk, ticket, "Looking into it.", status=Ticket.Status.OPEN)
    now[0] = start + datetime.timedelta(hours=3)
    second = actions.do_reply(desk, ticket, "It leaves at 3:15.", status=Ticket.Status.RESOLVED)
    ticket.refresh_from_db()
    assert (first.created_at, second.created_at) == (
        start + datetime.timedelta(hours=1),
        start + datetime.timedelta(hours=3),
    )
    assert ticket.first_response_at == start + datetime.timedelta(hours=1)
    assert (ticket.status, ticket.resolved_at) == ("resolved", start + datetime.timedelta(hours=3))
    # The second reply threads onto the first.
    assert second.in_reply_to == first.message_id
    assert second.references == f"<m-1@example.net> {first.message_id}"


def test_update_says_what_is_wrong_and_changes_nothing(world: World, ticket: Ticket) -> None:
    desk = world.people[Role.NATIONAL_LEADER]
    coach = world.people[Role.COACH]
    cases = [
        ({"priority": "sky-high"}, {"priority": ["“sky-high” is not a priority; use low, normal, high, urgent."]}),
        ({"status": "merged"}, {"status": ["“merged” is not a status a ticket can be given."]}),
        ({"status": "new-ish"}, {"status": ["“new-ish” is not a status a ticket can be given."]}),
        ({"assignee": coach}, {"assignee": ["Coach / partner is not on the help desk."]}),
        # The valid change before the invalid one is not kept either.
        ({"priority": "high", "assignee": coach}, {"assignee": ["Coach / partner is not on the help desk."]}),
    ]
    for change, errors in cases:
        with pytest.raises(ValidationError) as refused:
            actions.do_update(desk, ticket, **change)
        assert refused.value.message_dict == errors
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.priority, ticket.assignee) == ("new", "normal", None)
    assert not AuditEntry.objects.filter(action="helpdesk.ticket").exists()

    admin = world.people[Role.ORG_ADMIN]
    actions.do_update(desk, ticket, status="resolved", priority="urgent", assignee=admin)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.priority, ticket.assignee) == ("resolved", "urgent", admin)
    assert ticket.resolved_at is not None
    changes = AuditEntry.objects.get(action="helpdesk.ticket").changes
    assert (changes["status"], changes["priority"]) == (["new", "resolved"], ["normal", "urgent"])
    actions.do_update(desk, ticket, status="open", assignee=None)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.status, ticket.resolved_at, ticket.assignee, ticket.priority) == ("open", None, None, "urgent")

    other = ticket_of(intake.ingest(mail_bytes("Again", message_id="<m-2@example.net>"), "test"))
    actions.do_merge(desk, other, ticket)
    with pytest.raises(ValidationError) as merged:
        actions.do_update(desk, other, priority="low")
    assert merged.value.messages == [f"This ticket was merged into TD-{ticket.pk}."]


def test_targets_come_from_the_category_else_the_settings(world: World, settings: object) -> None:
    settings.HELPDESK_FIRST_RESPONSE_HOURS = 4  # type: ignore[attr-defined]
    settings.HELPDESK_RESOLUTION_HOURS = 48  # type: ignore[attr-defined]
    desk = world.people[Role.NATIONAL_LEADER]
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    created = ticket.created_at
    assert (ticket.first_response_due, ticket.resolution_due) == (
        created + datetime.timedelta(hours=4),
        created + datetime.timedelta(hours=48),
    )
    transport = Category.objects.create(name="Transport", first_response_hours=2, resolution_hours=24)
    actions.do_update(desk, ticket, category=transport)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.category, ticket.first_response_due, ticket.resolution_due) == (
        transport,
        created + datetime.timedelta(hours=2),
        created + datetime.timedelta(hours=24),
    )
    actions.do_update(desk, ticket, category=None)
    ticket = Ticket.objects.get(pk=ticket.pk)
    assert (ticket.category, ticket.first_response_due, ticket.resolution_due) == (
        None,
        created + datetime.timedelta(hours=4),
        created + datetime.timedelta(hours=48),
    )
    # Leaving the category unchanged leaves the targets alone.
    actions.do_update(desk, ticket, priority="high")
    assert Ticket.objects.get(pk=ticket.pk).first_response_due == created + datetime.timedelta(hours=4)

    principal = world.inside.principal
    opened = actions.do_open_ticket(
        desk, "Laptop", "  The screen is broken.  ", requester=principal, category=transport, now=T0
    )
    assert (opened.first_response_due, opened.resolution_due) == (
        T0 + datetime.timedelta(hours=2),
        T0 + datetime.timedelta(hours=24),
    )
    assert (opened.requester, opened.requester_email, opened.opened_by, opened.channel) == (
        principal,
        "principal.north@example.org",
        desk,
        "web",
    )
    message = opened.messages.get()
    assert (message.author, message.from_email, message.text) == (desk, principal.email, "The screen is broken.")


def test_opening_a_ticket_says_what_is_missing_and_who_may_open_for_others(world: World) -> None:
    principal = world.inside.principal
    with pytest.raises(ValidationError) as no_subject:
        actions.do_open_ticket(principal, "  ", "text")
    assert no_subject.value.message_dict == {"subject": ["This field cannot be empty."]}
    with pytest.raises(ValidationError) as no_text:
        actions.do_open_ticket(principal, "Subject", "\n")
    assert no_text.value.message_dict == {"text": ["This field cannot be empty."]}
    with pytest.raises(ValidationError) as for_someone:
        actions.do_open_ticket(principal, "Subject", "text", requester=world.people[Role.TEACHER])
    assert for_someone.value.messages == ["Only the help desk does this."]
    assert Ticket.objects.count() == 0
    own = actions.do_open_ticket(principal, "Projector", "Room 12.")
    assert (own.requester, own.opened_by, own.unknown_sender, own.status) == (principal, None, False, "new")
