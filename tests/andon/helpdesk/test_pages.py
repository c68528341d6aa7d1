"""The help desk's pages as its people use them: the queue and its filters, a requester's own
requests, answering, notes the requester never sees, assigning, merging by number, the web form,
attachments as downloads, and the received-mail log."""

import datetime

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.andon.helpdesk import actions
from tandem.andon.helpdesk.intake import ingest
from tandem.andon.helpdesk.models import Attachment, Category, Message, RawMail, Ticket
from tests.world import World


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def _mail(sender: str, subject: str, body: str, message_id: str) -> bytes:
    return (
        f"From: {sender}\r\nTo: help@localhost\r\nSubject: {subject}\r\nMessage-ID: <{message_id}>\r\n"
        f"Date: Mon, 16 Nov 2026 09:00:00 -0800\r\n\r\n{body}\r\n"
    ).encode()


@pytest.fixture
def asked(world: World) -> Ticket:
    """The teacher's request, by email."""
    kept = ingest(
        _mail("Teacher <teacher@example.org>", "Roster is missing my class", "Period 3 is gone.", "t1@x"), "smtp"
    )
    assert kept.message is not None
    return kept.message.ticket


def test_the_help_desk_sees_the_queue_and_a_requester_only_their_own(world: World, asked: Ticket) -> None:
    ingest(_mail("Parent <parent@home.example>", "Bus schedule", "When does the bus come?", "p1@x"), "smtp")
    leader = _client(world.people[Role.NATIONAL_LEADER]).get(reverse("helpdesk:tickets")).content.decode()
    assert "Roster is missing my class" in leader and "Bus schedule" in leader and "unknown sender" in leader
    teacher = _client(world.people[Role.TEACHER]).get(reverse("helpdesk:tickets")).content.decode()
    assert "Roster is missing my class" in teacher and "Bus schedule" not in teacher
    other = Ticket.objects.get(subject="Bus schedule")
    assert _client(world.people[Role.TEACHER]).get(other.get_absolute_url()).status_code == 404


def test_search_finds_a_ticket_by_number_or_by_its_words(world: World, asked: Ticket) -> None:
    leader = _client(world.people[Role.NATIONAL_LEADER])
    by_number = leader.get(reverse("helpdesk:tickets"), {"q": asked.reference, "status": ""})
    assert [t.pk for t in by_number.context["page"].object_list] == [asked.pk]
    by_words = leader.get(reverse("helpdesk:tickets"), {"q": "period 3", "status": ""})
    assert [t.pk for t in by_words.context["page"].object_list] == [asked.pk]
    nothing = leader.get(reverse("helpdesk:tickets"), {"q": "calendar", "status": ""})
    assert list(nothing.context["page"].object_list) == []


def test_a_reply_is_on_the_ticket_and_a_note_stays_with_the_help_desk(world: World, asked: Ticket) -> None:
    leader = _client(world.people[Role.NATIONAL_LEADER])
    url = reverse("helpdesk:ticket_reply", args=[asked.pk])
    assert leader.post(url, {"reply-text": "", "reply-status": "pending"}).status_code == 422
    assert leader.post(url, {"reply-text": "Restored it.", "reply-status": "resolved"}).status_code == 302
    leader.post(reverse("helpdesk:ticket_note", args=[asked.pk]), {"note-text": "District SIS sync lagged."})
    asked.refresh_from_db()
    assert (asked.status, asked.first_response_at is not None) == ("resolved", True)
    reply = asked.messages.get(kind=Message.Kind.REPLY)
    assert reply.subject == f"{asked.tag} Re: Roster is missing my class"
    assert reply.in_reply_to == "<t1@x>"
    teacher = _client(world.people[Role.TEACHER]).get(asked.get_absolute_url()).content.decode()
    assert "Restored it." in teacher and "District SIS sync lagged." not in teacher
    # A requester cannot answer as the help desk.
    teacher_reply = _client(world.people[Role.TEACHER]).post(url, {"reply-text": "x", "reply-status": "pending"})
    assert teacher_reply.status_code == 404


def test_the_requester_writes_back_and_the_ticket_opens_again(world: World, asked: Ticket) -> None:
    actions.do_reply(world.people[Role.NATIONAL_LEADER], asked, "Fixed?", Ticket.Status.PENDING)
    teacher = _client(world.people[Role.TEACHER])
    response = teacher.post(reverse("helpdesk:ticket_message", args=[asked.pk]), {"message-text": "Still gone."})
    assert response.status_code == 302
    asked.refresh_from_db()
    assert asked.status == Ticket.Status.OPEN
    assert asked.messages.filter(kind=Message.Kind.INBOUND).count() == 2


def test_assigning_categorising_and_the_targets(world: World, asked: Ticket) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    urgent = Category.objects.create(name="Safeguarding", first_response_hours=1, resolution_hours=24)
    client = _client(leader)
    url = reverse("helpdesk:ticket_update", args=[asked.pk])
    coach = world.people[Role.COACH]
    refused = client.post(
        url, {"update-status": "open", "update-priority": "urgent", "update-category": "", "update-assignee": coach.pk}
    )
    assert refused.status_code == 422  # the coach is not on the help desk: not a choice
    done = client.post(
        url,
        {
            "update-status": "open",
            "update-priority": "urgent",
            "update-category": urgent.pk,
            "update-assignee": leader.pk,
        },
    )
    assert done.status_code == 302
    asked.refresh_from_db()
    assert (asked.priority, asked.category, asked.assignee) == ("urgent", urgent, leader)
    assert asked.first_response_due == asked.created_at + datetime.timedelta(hours=1)
    assert asked.resolution_due == asked.created_at + datetime.timedelta(hours=24)
    mine = client.get(reverse("helpdesk:tickets"), {"assignee": "me", "status": "open"})
    assert [t.pk for t in mine.context["page"].object_list] == [asked.pk]


def test_late_tickets_are_marked_and_filtered(world: World, asked: Ticket) -> None:
    Ticket.objects.filter(pk=asked.pk).update(first_response_due=timezone.now() - datetime.timedelta(hours=1))
    client = _client(world.people[Role.NATIONAL_LEADER])
    page = client.get(reverse("helpdesk:tickets"), {"overdue": "on", "status": "open"})
    assert [t.pk for t in page.context["page"].object_list] == [asked.pk]
    assert "first reply late" in page.content.decode()
    actions.do_reply(world.people[Role.NATIONAL_LEADER], asked, "On it.")
    again = client.get(reverse("helpdesk:tickets"), {"overdue": "on", "status": "open"})
    assert list(again.context["page"].object_list) == []


def test_merging_by_number(world: World, asked: Ticket) -> None:
    kept = ingest(_mail("Teacher <teacher@example.org>", "Class missing", "Still no period 3.", "t2@x"), "smtp")
    duplicate = kept.message.ticket  # type: ignore[union-attr]
    client = _client(world.people[Role.NATIONAL_LEADER])
    url = reverse("helpdesk:ticket_merge", args=[duplicate.pk])
    assert "There is no ticket TD-999999." in client.post(url, {"merge-into": "TD-999999"}).content.decode()
    assert "Give a ticket number" in client.post(url, {"merge-into": "the other one"}).content.decode()
    assert client.post(url, {"merge-into": asked.reference}).status_code == 302
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == ("merged", asked)
    assert asked.messages.count() == 2
    page = client.get(duplicate.get_absolute_url()).content.decode()
    assert "Merged into" in page and asked.reference in page


def test_the_web_form_opens_a_ticket_and_the_desk_opens_one_for_a_colleague(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    empty = _client(teacher).post(reverse("helpdesk:ticket_new"), {"subject": "", "text": ""})
    assert empty.status_code == 200 and not Ticket.objects.exists()
    _client(teacher).post(reverse("helpdesk:ticket_new"), {"subject": "Login", "text": "Locked out."})
    mine = Ticket.objects.get()
    assert (mine.requester, mine.channel, mine.opened_by) == (teacher, "web", None)
    # Only the help desk chooses a requester: the teacher's form has no such field.
    assert "requester" not in _client(teacher).get(reverse("helpdesk:ticket_new")).context["form"].fields
    leader = world.people[Role.NATIONAL_LEADER]
    _client(leader).post(
        reverse("helpdesk:ticket_new"), {"subject": "Badge", "text": "Needs a new badge.", "requester": teacher.pk}
    )
    theirs = Ticket.objects.get(subject="Badge")
    assert (theirs.requester, theirs.opened_by) == (teacher, leader)


def test_attachments_are_downloads_read_through_the_ticket(world: World, asked: Ticket) -> None:
    message = asked.messages.get()
    attached = Attachment(message=message, filename="schedule.html", content_type="text/html", size=25)
    attached.file.save("x.bin", ContentFile(b"<script>alert(1)</script>"), save=True)
    url = reverse("helpdesk:attachment", args=[asked.pk, attached.pk])
    response = _client(world.people[Role.TEACHER]).get(url)
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"  # type: ignore[attr-defined]
    assert AuditEntry.objects.filter(action="helpdesk.attachment.read", object_id=str(attached.pk)).exists()
    assert _client(world.people[Role.COACH]).get(url).status_code == 404


def test_unreadable_mail_waits_in_the_received_log(world: World) -> None:
    kept = ingest(b"no headers at all, just words", "smtp")
    assert kept.status == RawMail.Status.FAILED
    client = _client(world.people[Role.NATIONAL_LEADER])
    page = client.get(reverse("helpdesk:received")).content.decode()
    assert "The message names no sender address" in page
    raw = client.get(reverse("helpdesk:received_raw", args=[kept.pk]))
    assert b"".join(raw.streaming_content) == b"no headers at all, just words"  # type: ignore[attr-defined]
    assert _client(world.people[Role.TEACHER]).get(reverse("helpdesk:received")).status_code == 404


def test_metrics_by_category(world: World, asked: Ticket) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    data = Category.objects.create(name="Data", first_response_hours=2, resolution_hours=10)
    actions.do_update(leader, asked, category=data)
    start = asked.created_at
    Ticket.objects.filter(pk=asked.pk).update(
        first_response_at=start + datetime.timedelta(hours=1), resolved_at=start + datetime.timedelta(hours=12)
    )
    response = _client(leader).get(reverse("helpdesk:metrics"), {"days": "3650"})
    (row,) = response.context["table"].rows
    assert row == {
        "category": "Data",
        "count": 1,
        "answered": 1,
        "first_hours": 1.0,
        "first_met": 100.0,
        "resolved": 1,
        "resolve_hours": 12.0,
        "resolve_met": 0.0,
    }


def test_two_peoples_tickets_are_never_merged(world: World, asked: Ticket) -> None:
    kept = ingest(_mail("Parent <parent@home.example>", "Private", "My child's IEP question.", "p2@x"), "smtp")
    theirs = kept.message.ticket  # type: ignore[union-attr]
    response = _client(world.people[Role.NATIONAL_LEADER]).post(
        reverse("helpdesk:ticket_merge", args=[theirs.pk]), {"merge-into": asked.reference}
    )
    assert response.status_code == 422
    assert "only one person&#x27;s tickets are merged" in response.content.decode()
    assert asked.messages.count() == 1 and theirs.messages.count() == 1


def test_a_requester_cannot_find_tickets_by_the_words_of_internal_notes(world: World, asked: Ticket) -> None:
    actions.do_note(world.people[Role.NATIONAL_LEADER], asked, "Escalate to the district data office.")
    teacher = _client(world.people[Role.TEACHER])
    found = teacher.get(reverse("helpdesk:tickets"), {"q": "district data office", "status": ""})
    assert list(found.context["page"].object_list) == []
    leader = _client(world.people[Role.NATIONAL_LEADER])
    found = leader.get(reverse("helpdesk:tickets"), {"q": "district data office", "status": ""})
    assert [t.pk for t in found.context["page"].object_list] == [asked.pk]


def test_an_answer_by_email_opens_a_closed_ticket_again(world: World, asked: Ticket) -> None:
    actions.do_update(world.people[Role.NATIONAL_LEADER], asked, status=Ticket.Status.CLOSED)
    ingest(_mail("Teacher <teacher@example.org>", f"Re: {asked.tag} Roster", "It broke again.", "t3@x"), "smtp")
    asked.refresh_from_db()
    assert (asked.status, asked.resolved_at, asked.messages.count()) == (Ticket.Status.OPEN, None, 2)


def test_only_the_help_desk_files_a_ticket_under_a_category(world: World) -> None:
    vip = Category.objects.create(name="Urgent")
    with pytest.raises(actions.ValidationError, match="Only the help desk"):
        actions.do_open_ticket(world.people[Role.TEACHER], "Help", "Now", category=vip)
    assert not Ticket.objects.exists()


def test_an_unreadable_message_keeps_what_can_be_read_of_it(world: World) -> None:
    kept = ingest(b"Subject: Scanned document from MFP-2F\r\nSender: scanner@school.example\r\n\r\n%PDF", "smtp")
    assert (kept.status, kept.subject, kept.sender) == (
        RawMail.Status.FAILED,
        "Scanned document from MFP-2F",
        "scanner@school.example",
    )


def test_a_ticket_resolved_without_a_reply_is_not_late(world: World, asked: Ticket) -> None:
    Ticket.objects.filter(pk=asked.pk).update(first_response_due=timezone.now() - datetime.timedelta(hours=1))
    actions.do_update(world.people[Role.NATIONAL_LEADER], asked, status=Ticket.Status.RESOLVED)
    page = _client(world.people[Role.NATIONAL_LEADER]).get(reverse("helpdesk:tickets"), {"overdue": "on", "status": ""})
    assert list(page.context["page"].object_list) == []


def test_a_stranger_answering_a_thread_gets_a_ticket_of_their_own(world: World, asked: Ticket) -> None:
    actions.do_update(world.people[Role.NATIONAL_LEADER], asked, status=Ticket.Status.RESOLVED)
    spoof = (
        b'From: "Help Desk" <evil@attacker.example>\r\nSubject: Re: Roster\r\nMessage-ID: <e1@x>\r\n'
        b"References: <t1@x>\r\n\r\nClick http://evil\r\n"
    )
    kept = ingest(spoof, "smtp")
    asked.refresh_from_db()
    assert (asked.status, asked.messages.count()) == (Ticket.Status.RESOLVED, 1)
    theirs = kept.message.ticket  # type: ignore[union-attr]
    assert (theirs.requester_email, theirs.unknown_sender) == ("evil@attacker.example", True)
    assert kept.message.notes == f"Sent in answer to {asked.reference} by someone other than its requester."  # type: ignore[union-attr]
    teacher = _client(world.people[Role.TEACHER]).get(asked.get_absolute_url()).content.decode()
    assert "Click http://evil" not in teacher
    # The same with the ticket's own tag in the subject.
    ingest(spoof.replace(b"Re: Roster", f"Re: {asked.tag}".encode()).replace(b"<e1@x>", b"<e2@x>"), "smtp")
    assert asked.messages.count() == 1


@pytest.mark.parametrize(("url", "params"), [("helpdesk:tickets", {"q": "²"}), ("helpdesk:metrics", {"days": "²"})])
def test_odd_digits_are_no_server_error(world: World, url: str, params: dict[str, str]) -> None:
    assert _client(world.people[Role.NATIONAL_LEADER]).get(reverse(url), params).status_code == 200


def test_merging_into_a_number_written_in_odd_digits_is_refused(world: World, asked: Ticket) -> None:
    response = _client(world.people[Role.NATIONAL_LEADER]).post(
        reverse("helpdesk:ticket_merge", args=[asked.pk]), {"merge-into": "²"}
    )
    assert response.status_code == 422 and "Give a ticket number" in response.content.decode()


def test_a_subject_is_one_line(world: World) -> None:
    ticket = actions.do_open_ticket(world.people[Role.TEACHER], "Hi\r\nBcc: x@evil.example", "Text")
    assert ticket.subject == "Hi Bcc: x@evil.example"


def test_requesters_do_not_filter_by_the_help_desks_working_notes(world: World, asked: Ticket) -> None:
    safeguarding = Category.objects.create(name="Safeguarding")
    actions.do_update(world.people[Role.NATIONAL_LEADER], asked, category=safeguarding)
    page = _client(world.people[Role.TEACHER]).get(reverse("helpdesk:tickets"), {"category": safeguarding.pk})
    assert set(page.context["form"].fields) == {"q", "status"}
    assert "Safeguarding" not in page.content.decode()


def test_merging_keeps_the_first_response(world: World, asked: Ticket) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    kept = ingest(_mail("Teacher <teacher@example.org>", "Class missing", "Again.", "t9@x"), "smtp")
    duplicate = kept.message.ticket  # type: ignore[union-attr]
    actions.do_reply(leader, duplicate, "Looking.")
    duplicate.refresh_from_db()
    into = actions.do_merge(leader, duplicate, asked)
    assert into.first_response_at == duplicate.first_response_at is not None
