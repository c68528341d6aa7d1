"""The help desk's mailbox poller against a real IMAP server (Dovecot): unread mail becomes
tickets and is marked read; mail already read is left alone; a second poll fetches nothing; the
same message delivered to the mailbox twice makes one ticket."""

import imaplib

from django.core.management import call_command

from tandem.andon.helpdesk.management.commands.helpdesk_poll import poll_once
from tandem.andon.helpdesk.models import RawMail, Ticket
from tests.mailbox import Mailbox
from tests.world import World


def _deliver(box: Mailbox, raw: bytes, flags: str | None = None) -> None:
    with imaplib.IMAP4(box.host, box.port) as imap:
        imap.login(box.user, box.password)
        imap.append("INBOX", flags, None, raw)


def _mail(subject: str, message_id: str) -> bytes:
    return (
        f"From: Ana Ruiz <ana@school.example>\r\nTo: help@localhost\r\nSubject: {subject}\r\n"
        f"Message-ID: <{message_id}>\r\n\r\nPlease help with {subject.lower()}.\r\n"
    ).encode()


def _unseen(box: Mailbox) -> int:
    with imaplib.IMAP4(box.host, box.port) as imap:
        imap.login(box.user, box.password)
        imap.select("INBOX")
        _, found = imap.uid("SEARCH", None, "UNSEEN")
        return len((found[0] or b"").split())


def test_unread_mail_becomes_tickets_and_is_marked_read(world: World, imap_mailbox: Mailbox) -> None:
    _deliver(imap_mailbox, _mail("Printer", "p1@school.example"))
    _deliver(imap_mailbox, _mail("Badge", "b1@school.example"))
    _deliver(imap_mailbox, _mail("Old news", "o1@school.example"), flags="(\\Seen)")
    _deliver(imap_mailbox, _mail("Printer", "p1@school.example"))  # the same message, delivered again
    assert _unseen(imap_mailbox) == 3

    assert poll_once(imap_mailbox.config()) == 3
    assert sorted(Ticket.objects.values_list("subject", flat=True)) == ["Badge", "Printer"]
    assert RawMail.objects.get(dedup_key="id:<p1@school.example>").deliveries == 2
    assert set(RawMail.objects.values_list("source", flat=True)) == {"imap"}
    assert _unseen(imap_mailbox) == 0
    assert poll_once(imap_mailbox.config()) == 0


def test_the_poll_command_says_what_it_fetched_and_why_it_could_not(
    world: World, imap_mailbox: Mailbox, settings: object, capsys: object
) -> None:
    _deliver(imap_mailbox, _mail("Printer", "p2@school.example"))
    settings.HELPDESK_IMAP = imap_mailbox.config()  # type: ignore[attr-defined]
    call_command("helpdesk_poll")
    assert capsys.readouterr().out == "1 message fetched.\n"  # type: ignore[attr-defined]
    settings.HELPDESK_IMAP = {**imap_mailbox.config(), "password": "wrong"}  # type: ignore[attr-defined]
    try:
        call_command("helpdesk_poll")
    except Exception as e:  # CommandError
        assert "The mailbox could not be read" in str(e)
    else:
        raise AssertionError("a wrong password should stop the poll")
