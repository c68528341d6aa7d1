"""Mail reaching the help desk: over SMTP to the listener, piped to `tandem helpdesk ingest`, or
handed to `ingest`; kept before it is read, recognised when delivered twice, filed on the ticket it
answers or on a new one, and never lost when it cannot be read or filed."""

import email.policy
import hashlib
import io
import os
import re
import smtplib
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import OperationalError
from django_tasks_db.models import DBTaskResult

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.andon.helpdesk import actions, intake
from tandem.andon.helpdesk import listener as helpdesk_listener
from tandem.andon.helpdesk.listener import listener
from tandem.andon.helpdesk.models import Attachment, Message, RawMail, Ticket
from tests.andon.helpdesk.test_mail import CORPUS, EXPECTED, UNREADABLE
from tests.world import World, build_world

MARIA = "Maria Lopez <maria.lopez@example.net>"
AUTOMATIC = "An automatic message (auto-reply, bounce or list mail) that answers no ticket."
NO_SENDER = "The message names no sender address (From or Reply-To)."
TANDEM = Path(sys.executable).parent / "tandem"


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def mail_bytes(
    subject: str = "Bus schedule",
    body: str = "When does the bus leave?",
    *,
    sender: str = MARIA,
    message_id: str | None = "<m-1@example.net>",
    in_reply_to: str | None = None,
    references: str | None = None,
    headers: dict[str, str] | None = None,
) -> bytes:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = sender
    msg["To"] = "help@localhost"
    msg["Subject"] = subject
    if message_id:
        msg["Message-ID"] = message_id
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body)
    return msg.as_bytes()


def ticket_of(kept: RawMail) -> Ticket:
    kept.refresh_from_db()
    assert kept.status == RawMail.Status.TICKETED, kept.error
    assert kept.message is not None
    return Ticket.objects.get(pk=kept.message.ticket_id)


def kept_bytes(kept: RawMail) -> bytes:
    with kept.file.open("rb") as f:
        return f.read()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def send(port: int, raw: bytes) -> None:
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        assert smtp.sendmail("sender@example.net", ["help@localhost"], raw) == {}


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    # The listener files mail from its own thread, and the worker closes its connection after
    # each task: the test's data must really be committed.
    return build_world()


@pytest.fixture
def listening(transactional_db: None) -> Iterator[int]:
    port = _free_port()
    controller = listener("127.0.0.1", port)
    controller.start()
    yield port
    controller.stop()


# -- over SMTP ----------------------------------------------------------------------------------


def test_mail_over_smtp_becomes_a_ticket_and_a_second_delivery_is_recognised(
    committed_world: World, listening: int
) -> None:
    raw = corpus("plain.eml")
    send(listening, raw)
    send(listening, raw)
    kept = RawMail.objects.get()
    assert (kept.deliveries, kept.source, kept.size, kept.dedup_key) == (
        2,
        "smtp",
        len(raw),
        "id:<plain-1@example.net>",
    )
    assert kept_bytes(kept) == raw
    assert (kept.sender, kept.subject, kept.error) == (
        "Maria Lopez <maria.lopez@example.net>",
        "Bus schedule for North Elementary",
        "",
    )
    ticket = ticket_of(kept)
    assert Ticket.objects.count() == 1 and Message.objects.count() == 1
    assert (ticket.subject, ticket.requester, ticket.requester_email, ticket.requester_name) == (
        "Bus schedule for North Elementary",
        None,
        "maria.lopez@example.net",
        "Maria Lopez",
    )
    assert (ticket.unknown_sender, ticket.status, ticket.channel, ticket.opened_by) == (True, "new", "email", None)
    assert re.fullmatch(r"[a-km-z2-9]{6}", ticket.key)
    assert ticket.created_at == kept.received_at
    assert (ticket.first_response_due - ticket.created_at).total_seconds() == 8 * 3600
    assert (ticket.resolution_due - ticket.created_at).total_seconds() == 72 * 3600
    message = ticket.messages.get()
    assert (message.kind, message.text, message.message_id, message.from_email) == (
        "inbound",
        "Hello,\n\nWhen does the bus leave on Fridays?\n\nMaria",
        "<plain-1@example.net>",
        "maria.lopez@example.net",
    )
    entry = AuditEntry.objects.get(action="helpdesk.ticket.email")
    assert (entry.actor, entry.object_id) == (None, str(ticket.pk))


def test_the_whole_corpus_over_smtp_is_kept_and_the_listener_carries_on(listening: int) -> None:
    names = sorted(p.name for p in CORPUS.glob("*.eml"))
    for name in names:
        send(listening, corpus(name))
    assert RawMail.objects.count() == len(names) == 27
    ignored = {"auto_reply.eml", "bounce_report.eml"}
    for name, kept in zip(names, RawMail.objects.order_by("pk"), strict=True):
        sent = corpus(name)
        # smtplib ends the data with CRLF; the bare-LF message did not have one.
        assert kept_bytes(kept) == (sent + b"\r\n" if name == "line_endings_lf.eml" else sent), name
        assert (kept.source, kept.deliveries, kept.size) == ("smtp", 1, len(kept_bytes(kept))), name
        if name in UNREADABLE:
            assert (kept.status, kept.error, kept.message) == ("failed", UNREADABLE[name], None)
        elif name in ignored:
            assert (kept.status, kept.error, kept.message) == ("ignored", AUTOMATIC, None), name
        else:
            assert (kept.status, kept.error) == ("ticketed", ""), name
            from_email, from_name, subject, text, attachments, notes, _ = EXPECTED[name]
            message = kept.message
            assert (message.from_email, message.from_name, message.subject, message.text) == (
                from_email,
                from_name,
                subject,
                text,
            ), name
            assert message.notes == "\n".join(notes), name
            stored = [(a.filename, a.content_type, a.size) for a in message.attachments.all()]
            assert stored == attachments, name
    assert Ticket.objects.count() == 24
    assert Attachment.objects.count() == 29
    # Still listening, and still filing.
    send(listening, corpus("plain.eml").replace(b"<plain-1@", b"<plain-2@"))
    assert Ticket.objects.count() == 25


def test_a_line_longer_than_smtp_allows_is_refused_and_the_listener_carries_on(listening: int) -> None:
    too_long = corpus("plain.eml").replace(b"Subject: Bus", b"Subject: " + b"x" * 1000 + b" Bus")
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listening, too_long)
    assert refused.value.smtp_code == 500
    assert RawMail.objects.count() == 0
    send(listening, corpus("plain.eml"))
    assert RawMail.objects.get().status == "ticketed"


def test_a_message_that_cannot_be_kept_is_refused_for_now_so_the_sender_tries_again(
    listening: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    def away(raw: bytes, source: str) -> None:
        raise OperationalError("the database is away")

    monkeypatch.setattr(helpdesk_listener, "ingest", away)
    with pytest.raises(smtplib.SMTPDataError) as refused:
        send(listening, corpus("plain.eml"))
    # 4xx: a temporary failure, retried by the sending server; a 5xx would bounce the message.
    assert refused.value.smtp_code == 451
    monkeypatch.undo()
    send(listening, corpus("plain.eml"))
    assert RawMail.objects.get().status == "ticketed"


# -- `tandem helpdesk ingest` -------------------------------------------------------------------


class _Stdin:
    def __init__(self, data: bytes) -> None:
        self.buffer = io.BytesIO(data)


def _ingest_command(monkeypatch: pytest.MonkeyPatch, raw: bytes) -> str:
    monkeypatch.setattr(sys, "stdin", _Stdin(raw))
    out = io.StringIO()
    call_command("helpdesk_ingest", stdout=out)
    return out.getvalue()


def test_the_ingest_command_reads_one_message_from_standard_input(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _ingest_command(monkeypatch, corpus("plain.eml"))
    ticket = Ticket.objects.get()
    assert first == f"TD-{ticket.pk}: Bus schedule for North Elementary\n"
    again = _ingest_command(monkeypatch, corpus("plain.eml"))
    assert again == f"TD-{ticket.pk}: Bus schedule for North Elementary (delivered before)\n"
    unreadable = _ingest_command(monkeypatch, corpus("no_sender.eml"))
    failed = RawMail.objects.get(status="failed")
    assert unreadable == f"Kept for the help desk to read (received message {failed.pk}): {NO_SENDER}\n"
    assert _ingest_command(monkeypatch, corpus("auto_reply.eml")) == f"Ignored: {AUTOMATIC}\n"
    assert RawMail.objects.filter(source="stdin").count() == 3
    with pytest.raises(SystemExit) as stopped:
        _ingest_command(monkeypatch, b"  \r\n")
    assert stopped.value.code == 2
    assert "No message on standard input." in capsys.readouterr().err
    assert RawMail.objects.count() == 3


def test_the_ingest_command_asks_the_mail_server_to_try_again_when_it_cannot_keep_the_message(
    db: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # The database is away: exit 75 (EX_TEMPFAIL) makes a mail server queue the message, not bounce it.
    from django.db import OperationalError

    def away(raw: bytes, source: str) -> None:
        raise OperationalError("database is locked")

    monkeypatch.setattr("tandem.andon.helpdesk.management.commands.helpdesk_ingest.ingest", away)
    with pytest.raises(SystemExit) as stopped:
        _ingest_command(monkeypatch, corpus("plain.eml"))
    assert stopped.value.code == 75
    assert (
        "could not keep the message now (OperationalError: database is locked); try again." in capsys.readouterr().err
    )


def _tandem(args: list[str], env: dict[str, str], stdin: bytes = b"") -> subprocess.CompletedProcess[str]:
    done = subprocess.run([str(TANDEM), *args], input=stdin, env=env, capture_output=True, timeout=120, check=False)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode(), done.stderr.decode())


def test_tandem_helpdesk_ingest_runs_as_a_process_on_its_own_data_folder(tmp_path: Path) -> None:
    # A fresh process on a fresh data folder, as a mail server's pipe runs it.
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DJANGO_SETTINGS_MODULE"}}
    env["TANDEM_DATA_DIR"] = str(tmp_path)
    migrated = _tandem(["migrate"], env)
    assert migrated.returncode == 0, migrated.stderr
    first = _tandem(["helpdesk", "ingest"], env, corpus("plain.eml"))
    assert (first.returncode, first.stdout, first.stderr) == (0, "TD-1: Bus schedule for North Elementary\n", "")
    again = _tandem(["helpdesk", "ingest"], env, corpus("plain.eml"))
    assert again.stdout == "TD-1: Bus schedule for North Elementary (delivered before)\n"
    unreadable = _tandem(["helpdesk", "ingest"], env, corpus("no_sender.eml"))
    assert (unreadable.returncode, unreadable.stdout) == (
        0,
        f"Kept for the help desk to read (received message 2): {NO_SENDER}\n",
    )
    empty = _tandem(["helpdesk", "ingest"], env, b"")
    assert (empty.returncode, empty.stdout, empty.stderr) == (2, "", "No message on standard input.\n")
    with sqlite3.connect(tmp_path / "tandem.sqlite3") as db:
        rows = db.execute("SELECT source, deliveries, status, size, file FROM helpdesk_rawmail ORDER BY id").fetchall()
        tickets = db.execute("SELECT id, subject, requester_email FROM helpdesk_ticket").fetchall()
    assert [row[:4] for row in rows] == [
        ("stdin", 2, "ticketed", len(corpus("plain.eml"))),
        ("stdin", 1, "failed", len(corpus("no_sender.eml"))),
    ]
    assert (tmp_path / "files" / rows[0][4]).read_bytes() == corpus("plain.eml")
    assert tickets == [(1, "Bus schedule for North Elementary", "maria.lopez@example.net")]


# -- threading ----------------------------------------------------------------------------------


def test_a_reply_carrying_the_tag_joins_the_ticket(world: World) -> None:
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    reply = intake.ingest(
        mail_bytes(f"Re: {ticket.tag} Bus schedule", "Thanks", message_id="<m-2@example.net>"), "test"
    )
    assert ticket_of(reply) == ticket
    upper = ticket.tag.upper()
    shouted = intake.ingest(mail_bytes(f"AW: {upper}", "Danke", message_id="<m-3@example.net>"), "test")
    assert ticket_of(shouted) == ticket
    assert Ticket.objects.count() == 1
    assert list(ticket.messages.values_list("text", flat=True)) == ["When does the bus leave?", "Thanks", "Danke"]


def test_a_reply_found_by_in_reply_to_or_references_joins_the_ticket(world: World) -> None:
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    by_in_reply_to = intake.ingest(
        mail_bytes("Re: Bus schedule", "one", message_id="<m-2@example.net>", in_reply_to="<m-1@example.net>"), "test"
    )
    assert ticket_of(by_in_reply_to) == ticket
    by_references = intake.ingest(
        mail_bytes(
            "Different subject",
            "two",
            message_id="<m-3@example.net>",
            references="<elsewhere@example.com> <m-2@example.net> <unknown@example.com>",
        ),
        "test",
    )
    assert ticket_of(by_references) == ticket
    unrelated = intake.ingest(
        mail_bytes("Re: Bus schedule", "three", message_id="<m-4@example.net>", in_reply_to="<never@example.net>"),
        "test",
    )
    assert ticket_of(unrelated) != ticket
    assert ticket.messages.count() == 3 and Ticket.objects.count() == 2


def test_a_forged_tag_makes_a_new_ticket(world: World) -> None:
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    wrong_key = "abcdef" if ticket.key != "abcdef" else "ghijkm"
    forged = intake.ingest(
        mail_bytes(f"Re: [TD-{ticket.pk}-{wrong_key}] Bus schedule", "let me in", message_id="<x-1@evil.example>"),
        "test",
    )
    wrong_number = intake.ingest(
        mail_bytes(f"Re: [TD-{ticket.pk + 1}-{ticket.key}] Bus", "me too", message_id="<x-2@evil.example>"), "test"
    )
    assert ticket_of(forged) != ticket and ticket_of(wrong_number) != ticket
    assert ticket_of(forged).subject == "Bus schedule"
    assert ticket.messages.count() == 1 and Ticket.objects.count() == 3


def test_an_answer_from_the_requester_reopens_a_ticket_waiting_on_them(world: World) -> None:
    desk = world.people[Role.NATIONAL_LEADER]
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    reply = actions.do_reply(desk, ticket, "Which bus?")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    # An out-of-office answering the reply joins the ticket but leaves it waiting.
    away = intake.ingest(
        mail_bytes(
            "Automatic reply: Bus schedule",
            "I am away.",
            message_id="<away-1@example.net>",
            in_reply_to=reply.message_id,
            headers={"Auto-Submitted": "auto-replied"},
        ),
        "test",
    )
    assert ticket_of(away) == ticket
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    answer = intake.ingest(
        mail_bytes(f"Re: {ticket.tag} Re: Bus schedule", "The 7:40 one.", message_id="<m-2@example.net>"), "test"
    )
    assert ticket_of(answer) == ticket
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    actions.do_update(desk, ticket, status=Ticket.Status.RESOLVED)
    ticket.refresh_from_db()
    assert ticket.resolved_at is not None
    back = intake.ingest(mail_bytes(f"Re: {ticket.tag} Bus", "Still no bus.", message_id="<m-3@example.net>"), "test")
    assert ticket_of(back) == ticket
    ticket.refresh_from_db()
    assert (ticket.status, ticket.resolved_at) == (Ticket.Status.OPEN, None)
    assert list(ticket.messages.values_list("kind", flat=True)) == ["inbound", "reply", "inbound", "inbound", "inbound"]


def test_the_help_desk_replies_through_the_worker_and_the_answer_comes_back(
    committed_world: World,
    listening: int,
    smtp_inbox,  # type: ignore[no-untyped-def]
) -> None:
    desk = committed_world.people[Role.NATIONAL_LEADER]
    # A comma in a name must not turn the sender into two addresses.
    desk.full_name = "Lee, Pat"
    desk.save()
    send(listening, corpus("plain.eml"))
    ticket = Ticket.objects.get()
    reply = actions.do_reply(desk, ticket, "The bus leaves at 3:15.")
    assert smtp_inbox.messages == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
    (sent,) = smtp_inbox.messages
    assert sent["To"] == "maria.lopez@example.net"
    assert sent["Subject"] == f"[TD-{ticket.pk}-{ticket.key}] Re: Bus schedule for North Elementary"
    assert sent["Message-ID"] == reply.message_id
    assert re.fullmatch(r"<\S+helpdesk@127\.0\.0\.1>", reply.message_id)
    assert (sent["In-Reply-To"], sent["References"]) == ("<plain-1@example.net>", "<plain-1@example.net>")
    (sender,) = sent["From"].addresses
    assert (sender.display_name, sender.addr_spec) == ("Lee, Pat via the help desk", "help@localhost")
    assert (sent["Reply-To"], sent["Auto-Submitted"]) == ("help@localhost", "no")
    assert sent.get_content() == "The bus leaves at 3:15.\r\n"
    reply.refresh_from_db()
    assert reply.sent_at is not None and reply.send_error == ""
    ticket.refresh_from_db()
    assert (ticket.status, ticket.first_response_at) == (Ticket.Status.PENDING, reply.created_at)

    # The requester answers the reply as a mail program would.
    answer = EmailMessage(policy=email.policy.SMTP)
    answer["From"] = MARIA
    answer["To"] = sent["Reply-To"]
    answer["Subject"] = f"Re: {sent['Subject']}"
    answer["Message-ID"] = "<answer-1@example.net>"
    answer["In-Reply-To"] = sent["Message-ID"]
    answer["References"] = f"{sent['References']} {sent['Message-ID']}"
    answer.set_content("Thank you!")
    send(listening, answer.as_bytes())
    assert Ticket.objects.count() == 1
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert list(ticket.messages.values_list("kind", "text")) == [
        ("inbound", "Hello,\n\nWhen does the bus leave on Fridays?\n\nMaria"),
        ("reply", "The bus leaves at 3:15."),
        ("inbound", "Thank you!"),
    ]

    # The next reply answers the answer, and carries the whole thread.
    second = actions.do_reply(desk, ticket, "You are welcome.", status=Ticket.Status.RESOLVED)
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert smtp_inbox.messages[1]["In-Reply-To"] == "<answer-1@example.net>"
    assert smtp_inbox.messages[1]["References"] == f"<plain-1@example.net> {reply.message_id} <answer-1@example.net>"
    assert smtp_inbox.messages[1]["Message-ID"] == second.message_id
    ticket.refresh_from_db()
    assert ticket.first_response_at == reply.created_at
    assert ticket.status == Ticket.Status.RESOLVED


# -- merging ------------------------------------------------------------------------------------


def test_merged_tickets_keep_one_thread_and_mail_to_the_duplicate_finds_the_survivor(world: World) -> None:
    desk = world.people[Role.NATIONAL_LEADER]
    first = ticket_of(intake.ingest(mail_bytes("Bus schedule", "When?", message_id="<a-1@example.net>"), "test"))
    duplicate = ticket_of(intake.ingest(mail_bytes("Bus again", "Hello?", message_id="<b-1@example.net>"), "test"))
    created = first.created_at
    assert actions.do_merge(desk, duplicate, first) == first
    duplicate.refresh_from_db()
    first.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Ticket.Status.MERGED, first)
    assert duplicate.messages.count() == 0
    assert list(first.messages.values_list("message_id", flat=True)) == ["<a-1@example.net>", "<b-1@example.net>"]
    assert first.created_at == created  # the survivor was the earlier one
    assert AuditEntry.objects.get(action="helpdesk.merge").changes["status"] == ["new", "merged"]
    by_thread = intake.ingest(
        mail_bytes("Re: Bus again", "Any news?", message_id="<b-2@example.net>", in_reply_to="<b-1@example.net>"),
        "test",
    )
    by_tag = intake.ingest(
        mail_bytes(f"Re: {duplicate.tag} Bus again", "Hello??", message_id="<b-3@example.net>"), "test"
    )
    assert ticket_of(by_thread) == first and ticket_of(by_tag) == first
    assert Ticket.objects.count() == 2
    assert first.messages.count() == 4
    # Nothing more happens on the duplicate.
    with pytest.raises(ValidationError) as refused:
        actions.do_reply(desk, duplicate, "Hi")
    assert refused.value.messages == [f"This ticket was merged into TD-{first.pk}; reply there."]
    with pytest.raises(ValidationError) as refused:
        actions.do_merge(desk, duplicate, first)
    assert refused.value.messages == ["Merge into, and from, tickets that are not merged already."]
    with pytest.raises(ValidationError) as refused:
        actions.do_merge(desk, first, first)
    assert refused.value.messages == ["A ticket cannot be merged into itself."]


def test_merging_an_earlier_ticket_moves_the_targets_and_follows_a_chain(world: World) -> None:
    desk = world.people[Role.NATIONAL_LEADER]
    earliest = ticket_of(intake.ingest(mail_bytes("One", message_id="<c-1@example.net>"), "test"))
    middle = ticket_of(intake.ingest(mail_bytes("Two", message_id="<c-2@example.net>"), "test"))
    latest = ticket_of(intake.ingest(mail_bytes("Three", message_id="<c-3@example.net>"), "test"))
    actions.do_update(desk, latest, status=Ticket.Status.RESOLVED)
    actions.do_merge(desk, earliest, middle)
    actions.do_merge(desk, middle, latest)
    earliest.refresh_from_db()
    latest.refresh_from_db()
    assert earliest.merged_into == latest  # a chain is flattened onto the survivor
    assert latest.created_at == earliest.created_at
    assert (latest.first_response_due - earliest.created_at).total_seconds() == 8 * 3600
    # Messages moved onto a resolved ticket open it again.
    assert (latest.status, latest.resolved_at) == (Ticket.Status.OPEN, None)
    assert latest.messages.count() == 3
    later = intake.ingest(mail_bytes(f"Re: {earliest.tag}", "x", message_id="<c-4@example.net>"), "test")
    assert ticket_of(later) == latest


# -- who asked ----------------------------------------------------------------------------------

FORWARD = """Could you help this parent?

---------- Forwarded message ---------
From: Pat Parent <Pat.Parent@Example.net>
Date: Mon, 2 Mar 2026 at 08:00
Subject: Playground fence is broken
To: <{to}>

The fence by the playground is broken.
"""


def test_a_staff_member_forwarding_someones_email_opens_the_ticket_for_them(world: World) -> None:
    coach = world.people[Role.COACH]
    assert scope_for(coach).is_staff_member()
    raw = mail_bytes(
        "Fwd: Playground fence is broken",
        FORWARD.format(to=coach.email),
        sender=f"Coach <{coach.email}>",
        message_id="<fwd-1@example.org>",
    )
    ticket = ticket_of(intake.ingest(raw, "test"))
    assert (ticket.requester, ticket.requester_email, ticket.requester_name) == (
        None,
        "pat.parent@example.net",
        "Pat Parent",
    )
    assert (ticket.opened_by, ticket.unknown_sender, ticket.subject) == (coach, True, "Playground fence is broken")
    message = ticket.messages.get()
    assert (message.author, message.from_email) == (coach, "coach@example.org")
    # A known person's forwarded email makes them the requester.
    principal = world.inside.principal
    known = mail_bytes(
        "Fwd: Staff meeting",
        FORWARD.format(to=coach.email).replace("Pat Parent <Pat.Parent@Example.net>", "PRINCIPAL.north@example.org"),
        sender=coach.email,
        message_id="<fwd-2@example.org>",
    )
    ticket = ticket_of(intake.ingest(known, "test"))
    assert (ticket.requester, ticket.requester_name, ticket.unknown_sender, ticket.opened_by) == (
        principal,
        "North Principal",
        False,
        coach,
    )


def test_a_forward_from_anyone_else_stays_their_own_request(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    assert not scope_for(teacher).is_staff_member()
    raw = mail_bytes(
        "Fwd: Playground fence is broken",
        FORWARD.format(to=teacher.email),
        sender=f"A Teacher <{teacher.email}>",
        message_id="<fwd-3@example.org>",
    )
    ticket = ticket_of(intake.ingest(raw, "test"))
    assert (ticket.requester, ticket.requester_email, ticket.requester_name, ticket.opened_by) == (
        teacher,
        "teacher@example.org",
        "A Teacher",
        None,
    )
    stranger = mail_bytes(
        "Fwd: Playground fence is broken",
        FORWARD.format(to="someone@example.com"),
        sender="someone@example.com",
        message_id="<fwd-4@example.com>",
    )
    ticket = ticket_of(intake.ingest(stranger, "test"))
    assert (ticket.requester, ticket.requester_email, ticket.opened_by, ticket.unknown_sender) == (
        None,
        "someone@example.com",
        None,
        True,
    )


def test_senders_are_matched_to_people_whatever_the_case_and_unknown_ones_are_accepted(world: World) -> None:
    principal = world.inside.principal
    known = ticket_of(intake.ingest(mail_bytes(sender="PRINCIPAL.North@Example.ORG", message_id="<p-1@x>"), "test"))
    assert (known.requester, known.requester_email, known.requester_name, known.unknown_sender) == (
        principal,
        "principal.north@example.org",
        "North Principal",
        False,
    )
    assert known.messages.get().author == principal
    stranger = ticket_of(intake.ingest(mail_bytes(sender="stranger@example.com", message_id="<s-1@x>"), "test"))
    assert (stranger.requester, stranger.requester_email, stranger.requester_name, stranger.unknown_sender) == (
        None,
        "stranger@example.com",
        "",
        True,
    )
    principal.is_active = False
    principal.save()
    gone = ticket_of(intake.ingest(mail_bytes(sender=principal.email, message_id="<p-2@x>"), "test"))
    assert (gone.requester, gone.unknown_sender) == (None, True)


# -- what is not a request ----------------------------------------------------------------------


def test_our_own_mail_coming_back_is_ignored_even_with_a_tag(world: World, settings: object) -> None:
    ticket = ticket_of(intake.ingest(mail_bytes(), "test"))
    settings.HELPDESK_ADDRESS = "help@localhost"  # type: ignore[attr-defined]
    echo = intake.ingest(
        mail_bytes(f"{ticket.tag} Re: Bus schedule", "Our reply", sender="Desk <HELP@localhost>", message_id="<e@x>"),
        "test",
    )
    echo.refresh_from_db()
    assert (echo.status, echo.error, echo.message) == ("ignored", "The help desk's own mail, come back to it.", None)
    assert ticket.messages.count() == 1 and Ticket.objects.count() == 1


def test_an_auto_reply_answering_no_ticket_is_ignored_but_kept(db: None) -> None:
    for name in ("auto_reply.eml", "bounce_report.eml"):
        kept = intake.ingest(corpus(name), "test")
        kept.refresh_from_db()
        assert (kept.status, kept.error, kept.message) == ("ignored", AUTOMATIC, None)
        assert kept_bytes(kept) == corpus(name)
    assert RawMail.objects.get(dedup_key="id:<auto-reply-1@example.net>").sender == (
        "Away Teacher <away.teacher@example.net>"
    )
    assert Ticket.objects.count() == 0


# -- attachments, failures, second deliveries ---------------------------------------------------


def test_attachments_are_stored_under_generated_names_with_their_size(db: None) -> None:
    message = ticket_of(intake.ingest(corpus("attachments_25.eml"), "test")).messages.get()
    stored = list(message.attachments.all())
    assert [(a.filename, a.size) for a in stored] == [
        (f"sheet-{i:02d}.txt", 11 if i < 10 else 12) for i in range(1, 21)
    ]
    assert stored[19].file.read() == b"Worksheet 20"
    assert message.notes == (
        "5 attachments left out (more than 20, or over 10 MB); the original message is kept for the help desk."
    )
    unsafe = ticket_of(intake.ingest(corpus("attachment_names_unsafe.eml"), "test")).messages.get()
    files = list(unsafe.attachments.all())
    assert [a.filename for a in files] == [
        "_.._etc_passwd",
        "_bell_line__.txt",
        "C:_Windows_win.ini",
        "hidden",
        "attachment",
    ]
    for attachment in [*stored, *files]:
        # What the sender named a file never reaches the path it is stored under.
        assert re.fullmatch(r"helpdesk/\d{4}/\d{2}/[0-9a-f]{32}\.bin", attachment.file.name)
    assert files[0].file.read() == b"root:x:0:0"
    assert Attachment.objects.count() == 25


def test_a_filing_error_keeps_the_message_for_a_person(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise RuntimeError("database on fire")

    monkeypatch.setattr(intake, "file_message", fail)
    kept = intake.ingest(corpus("plain.eml"), "test")
    kept.refresh_from_db()
    assert (kept.status, kept.error, kept.message) == ("failed", "Filing failed: RuntimeError: database on fire", None)
    assert (kept.sender, kept.subject) == ("Maria Lopez <maria.lopez@example.net>", "Bus schedule for North Elementary")
    assert kept_bytes(kept) == corpus("plain.eml")
    assert Ticket.objects.count() == 0 and Message.objects.count() == 0
    # A second delivery is recognised; it does not file the message again.
    monkeypatch.undo()
    again = intake.ingest(corpus("plain.eml"), "test")
    again.refresh_from_db()
    assert (again.pk, again.deliveries, again.status) == (kept.pk, 2, "failed")
    assert Ticket.objects.count() == 0


def test_a_failure_midway_through_filing_leaves_no_half_ticket(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(self: Attachment, *args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Attachment, "save", full)
    kept = intake.ingest(corpus("attachments_25.eml"), "test")
    kept.refresh_from_db()
    assert (kept.status, kept.error) == ("failed", "Filing failed: OSError: disk full")
    assert (Ticket.objects.count(), Message.objects.count(), AuditEntry.objects.count()) == (0, 0, 0)


def test_an_unreadable_message_is_kept_as_failed(db: None) -> None:
    kept = intake.ingest(corpus("no_sender.eml"), "test")
    kept.refresh_from_db()
    assert (kept.status, kept.error, kept.sender, kept.message) == ("failed", NO_SENDER, "", None)
    assert kept.dedup_key == "id:<no-sender-1@example.net>"
    assert kept_bytes(kept) == corpus("no_sender.eml")


def test_a_message_without_id_is_recognised_by_its_bytes(db: None) -> None:
    raw = corpus("no_message_id.eml")
    first = intake.ingest(raw, "test")
    second = intake.ingest(raw, "test")
    assert first.pk == second.pk
    first.refresh_from_db()
    assert (first.deliveries, first.dedup_key) == (2, "sha256:" + hashlib.sha256(raw).hexdigest())
    # The same message by another route (one more Received line) is other bytes: another ticket.
    relayed = intake.ingest(b"Received: from relay.example.net; Mon, 2 Mar 2026 09:16:00 -0800\r\n" + raw, "test")
    assert relayed.pk != first.pk and Ticket.objects.count() == 2
    # With a Message-ID, the id recognises it whatever the route added.
    plain = intake.ingest(corpus("plain.eml"), "test")
    plain_relayed = intake.ingest(b"Received: from relay.example.net\r\n" + corpus("plain.eml"), "test")
    assert plain_relayed.pk == plain.pk
    assert RawMail.objects.get(pk=plain.pk).deliveries == 2


def test_an_id_longer_than_any_header_line_may_be_is_no_id(db: None) -> None:
    # RFC 5322 allows 998 characters a line: a longer Message-ID can only be garbage, and no
    # column keeps it.
    long_id = "<" + "x" * 1500 + "@example.net>"
    raw = mail_bytes(message_id=None, headers={"Message-ID": long_id, "In-Reply-To": long_id})
    kept = intake.ingest(raw, "pipe")
    message = ticket_of(kept).messages.get()
    assert (message.message_id, message.in_reply_to) == ("", "")
    assert kept.dedup_key == "sha256:" + hashlib.sha256(raw).hexdigest()
