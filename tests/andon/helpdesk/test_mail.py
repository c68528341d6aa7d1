"""Reading mail as the help desk needs it (no database): every message of the corpus, each one
malformed or awkward in its own way, read for what a ticket is made of."""

import datetime
import email.policy
import hashlib
import re
from email.message import EmailMessage
from pathlib import Path

import pytest

from tandem.andon.helpdesk import intake, mail

CORPUS = Path(__file__).parent / "corpus"
BROKEN = "The message's MIME structure is broken (a boundary is missing or wrong)."
LEFT_OUT_5 = "5 attachments left out (more than 20, or over 10 MB); the original message is kept for the help desk."
LEFT_OUT_1 = "1 attachment left out (more than 20, or over 10 MB); the original message is kept for the help desk."

# file: (sender address, sender name, subject, text, attachments (name, type, size), notes, automatic)
EXPECTED: dict[str, tuple[str, str, str, str, list[tuple[str, str, int]], list[str], bool]] = {
    "plain.eml": (
        "maria.lopez@example.net",
        "Maria Lopez",
        "Bus schedule for North Elementary",
        "Hello,\n\nWhen does the bus leave on Fridays?\n\nMaria",
        [],
        [],
        False,
    ),
    "multipart_no_boundary.eml": (
        "alex.kim@example.net",
        "Alex Kim",
        "Missing boundary",
        "The text of a part nobody can find.",
        [],
        [BROKEN],
        False,
    ),
    "multipart_wrong_boundary.eml": (
        "alex.kim@example.net",
        "Alex Kim",
        "Wrong boundary",
        "Text behind a boundary that was never declared.",
        [],
        [BROKEN],
        False,
    ),
    # The cut base64 is read as far as it goes.
    "multipart_truncated.eml": (
        "alex.kim@example.net",
        "Alex Kim",
        "Truncated upload",
        "The roster is attached.",
        [("roster.csv", "text/csv", 20)],
        [],
        False,
    ),
    "charset_unknown.eml": (
        "claire.martin@example.net",
        "Claire Martin",
        "Unknown charset",
        "Un café au lait, s’il vous plaît.",
        [],
        [],
        False,
    ),
    "charset_lying_ascii.eml": (
        "jose.pena@example.net",
        "Jose Pena",
        "Lying charset (ascii)",
        "José Peña, año 2026.",
        [],
        [],
        False,
    ),
    "charset_lying_utf8.eml": (
        "francois.roy@example.net",
        "Francois Roy",
        "Lying charset (utf-8)",
        "François a envoyé son résumé.",
        [],
        [],
        False,
    ),
    "windows1252_no_charset.eml": (
        "pat.lee@example.net",
        "Pat Lee",
        "Field trip fee",
        "We’re “happy” to pay €20 – thanks.",
        [],
        [],
        False,
    ),
    "encoded_words.eml": (
        "renee.dupre@example.net",
        "Renée Dupré",
        "Réunion des parents — mardi",
        "Bonjour.",
        [],
        [],
        False,
    ),
    # Read as far as it can be: the good word, the unknown charset's letter as a replacement
    # character, the unterminated word as it stands.
    "encoded_words_broken.eml": (
        "broken.words@example.net",
        "!!!notbase64",
        "Hello Worcaf\ufffd =?utf-8?Q?unterminated",
        "Body text survives.",
        [],
        [],
        False,
    ),
    "header_8bit.eml": (
        "jose.nunez@example.net",
        "José Núñez",
        "Inscripción del niño",
        "¿Cuándo empieza la inscripción?",
        [],
        [],
        False,
    ),
    "long_headers.eml": (
        "long.winded@example.net",
        "Long Winded",
        ("Please read " * 25)[:300],
        "Short body.",
        [],
        [],
        False,
    ),
    "base64_bad.eml": (
        "dana.fox@example.net",
        "Dana Fox",
        "Bad base64",
        "Hello there, help desk.",
        [("report.pdf", "application/pdf", 9)],
        [],
        False,
    ),
    "quoted_printable.eml": (
        "quinn.park@example.net",
        "Quinn Park",
        "Soft breaks",
        "This sentence is long enough that it was soft-broken across two lines, with café and 2 + 2 = 4.",
        [],
        [],
        False,
    ),
    "html_only_dangerous.eml": (
        "html.sender@example.net",
        "Html Sender",
        "Newsletter reply",
        "Hello **help desk** ,\n\nSee this link, that one and [the report](https://example.net/report).",
        [],
        [],
        False,
    ),
    # The forwarded message is one file, not the sender's own text or attachments.
    "forwarded_rfc822.eml": (
        "fran.staff@example.net",
        "Fran Staff",
        "Fwd: Broken projector",
        "See the message below.",
        [("projector.eml", "message/rfc822", 227)],
        [],
        False,
    ),
    "bounce_report.eml": (
        "mailer-daemon@mx.example.net",
        "Mail Delivery System",
        "Undelivered Mail Returned to Sender",
        "Your message could not be delivered to nobody@example.org.\n\n"
        "From: help@localhost\nTo: nobody@example.org\nSubject: [TD-999-abcdef] Re: Something",
        [],
        [],
        True,
    ),
    "auto_reply.eml": (
        "away.teacher@example.net",
        "Away Teacher",
        "Out of office: back on Monday",
        "I am away until Monday.",
        [],
        [],
        True,
    ),
    "attachments_25.eml": (
        "many.files@example.net",
        "Many Files",
        "All the worksheets",
        "Twenty-five worksheets attached.",
        [(f"sheet-{i:02d}.txt", "text/plain", 11 if i < 10 else 12) for i in range(1, 21)],
        [LEFT_OUT_5],
        False,
    ),
    "attachment_names_unsafe.eml": (
        "sly.names@example.net",
        "Sly Names",
        "Files",
        "Five files.",
        [
            ("_.._etc_passwd", "text/plain", 10),
            ("_bell_line__.txt", "application/octet-stream", 7),
            ("C:_Windows_win.ini", "application/octet-stream", 7),
            ("hidden", "application/octet-stream", 6),
            ("attachment", "application/octet-stream", 8),
        ],
        [],
        False,
    ),
    "no_from_reply_to.eml": (
        "sam.parent@example.net",
        "Sam Parent",
        "Lunch menu",
        "Is there a vegetarian option?",
        [],
        [],
        False,
    ),
    "no_message_id.eml": (
        "nora.id@example.net",
        "Nora Id",
        "No id here",
        "Sent without a Message-ID.",
        [],
        [],
        False,
    ),
    # NUL characters go from the text (no database keeps them); the attachment keeps its bytes.
    "nul_bytes.eml": (
        "nul.writer@example.net",
        "Nul Writer",
        "Null characters",
        "Beforethenulls, after.",
        [("blob.bin", "application/octet-stream", 4)],
        [],
        False,
    ),
    "empty_body.eml": ("empty.body@example.net", "Empty Body", "(no subject)", "", [], [], False),
    "line_endings_crlf.eml": (
        "line.endings@example.net",
        "Line Endings",
        "Line endings",
        "First line.\nSecond line.",
        [],
        [],
        False,
    ),
    "line_endings_lf.eml": (
        "line.endings@example.net",
        "Line Endings",
        "Line endings",
        "First line.\nSecond line.",
        [],
        [],
        False,
    ),
}
UNREADABLE = {"no_sender.eml": "The message names no sender address (From or Reply-To)."}


def corpus(name: str) -> bytes:
    return (CORPUS / name).read_bytes()


def test_every_corpus_file_is_expected_and_says_what_it_exercises() -> None:
    files = sorted(p.name for p in CORPUS.glob("*.eml"))
    assert files == sorted([*EXPECTED, *UNREADABLE])
    assert len(files) == 27
    for name in files:
        first = corpus(name).split(b"\n", 1)[0]
        assert first.startswith(b"X-Corpus-Note: ") and len(first) > 40, name
    # The line endings are what the names say.
    assert b"\r\n" not in corpus("line_endings_lf.eml")
    assert corpus("line_endings_crlf.eml").count(b"\n") == corpus("line_endings_crlf.eml").count(b"\r\n")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_message_is_read_for_what_the_help_desk_relies_on(name: str) -> None:
    found = mail.parse(corpus(name))
    read = (
        found.from_email,
        found.from_name,
        found.subject,
        found.text,
        [(a.filename, a.content_type, len(a.data)) for a in found.attachments],
        found.notes,
        found.automatic,
    )
    assert read == EXPECTED[name]
    # Whatever came in, what is kept is text a database takes: no NUL, no lone surrogate.
    for value in (found.subject, found.from_name, found.text, found.html, found.message_id):
        assert "\x00" not in value
        value.encode("utf-8")
    for attachment in found.attachments:
        assert not re.search(r"[\x00-\x1f/\\]", attachment.filename)
        assert not attachment.filename.startswith(".")


@pytest.mark.parametrize("name", sorted(UNREADABLE))
def test_only_a_message_without_any_sender_is_unreadable(name: str) -> None:
    with pytest.raises(mail.Unreadable) as raised:
        mail.parse(corpus(name))
    assert str(raised.value) == UNREADABLE[name]


def test_ids_dates_and_recipients_are_read() -> None:
    plain = mail.parse(corpus("plain.eml"))
    assert plain.message_id == "<plain-1@example.net>"
    assert (plain.in_reply_to, plain.references) == ("", [])
    assert plain.date == datetime.datetime(2026, 3, 2, 17, 15, tzinfo=datetime.UTC)
    assert (plain.to, plain.cc) == (["help@localhost"], [])
    assert plain.html == "" and plain.forwarded_from is None
    eight_bit = mail.parse(corpus("header_8bit.eml"))
    assert eight_bit.cc == ["ana.perez@example.net"]
    assert mail.parse(corpus("no_message_id.eml")).message_id == ""


def test_a_long_references_header_keeps_its_last_fifty_ids() -> None:
    # The last references are the nearest ancestors: they are the ones a thread is found by.
    found = mail.parse(corpus("long_headers.eml"))
    assert found.references == [f"<ref-{i:03d}@example.net>" for i in range(70, 120)]
    assert found.message_id == "<long-headers-1@example.net>"


def test_a_header_line_far_over_the_limit_is_cut_not_fatal() -> None:
    raw = corpus("plain.eml").replace(b"Subject: Bus schedule", b"Subject: " + b"word " * 2000 + b"Bus schedule")
    found = mail.parse(raw)
    assert found.subject == ("word " * 60)[:300]
    assert found.text == "Hello,\n\nWhen does the bus leave on Fridays?\n\nMaria"


def test_html_is_sanitized_and_turned_into_text() -> None:
    found = mail.parse(corpus("html_only_dangerous.eml"))
    html = found.html
    assert "<script" not in html and "alert" not in html
    assert not re.search(r"\son\w+\s*=", html)
    assert "javascript:" not in html.lower()
    for tag in ("<iframe", "<form", "<input", "<style", "<body", "<html"):
        assert tag not in html
    assert '<a href="https://example.net/report" rel="noopener noreferrer nofollow">the report</a>' in html
    assert '<a rel="noopener noreferrer nofollow">this link</a>' in html
    # A remote image (a tracking pixel) goes, and the text never mentions it.
    assert "<img" not in html and "tracker.example.com" not in html
    assert found.text == EXPECTED["html_only_dangerous.eml"][3]
    assert "tracker" not in found.text


def test_a_plain_text_part_wins_over_the_html_one() -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "a@example.net"
    msg["Subject"] = "Both"
    msg.set_content("The plain version.")
    msg.add_alternative("<p>The <b>HTML</b> version.<script>x()</script></p>", subtype="html")
    found = mail.parse(msg.as_bytes())
    assert found.text == "The plain version."
    assert found.html == "<p>The <b>HTML</b> version.</p>\n"


def test_a_forwarded_message_is_kept_whole_as_a_file() -> None:
    (attachment,) = mail.parse(corpus("forwarded_rfc822.eml")).attachments
    assert attachment.data == (
        b"From: Original Teacher <original.teacher@example.net>\nTo: fran.staff@example.net\n"
        b"Subject: Broken projector\nMessage-ID: <original-1@example.net>\n"
        b"Content-Type: text/plain; charset=utf-8\n\nThe projector in room 12 does not turn on."
    )


def test_attachments_keep_their_bytes() -> None:
    found = mail.parse(corpus("attachments_25.eml"))
    assert [a.data for a in found.attachments] == [f"Worksheet {i}".encode() for i in range(1, 21)]
    assert mail.parse(corpus("nul_bytes.eml")).attachments[0].data == b"\x00\x01\x02\x00"
    assert mail.parse(corpus("base64_bad.eml")).attachments[0].data == b"%PDF-1.4\n"
    assert mail.parse(corpus("multipart_truncated.eml")).attachments[0].data == b"name,grade\nAna,3\nBen"


def test_an_attachment_over_ten_megabytes_is_left_out_and_said_so() -> None:
    msg = EmailMessage(policy=email.policy.SMTP)
    msg["From"] = "Big Files <big.files@example.net>"
    msg["To"] = "help@localhost"
    msg["Subject"] = "Scans"
    msg.set_content("Two scans.")
    msg.add_attachment(b"a" * mail.MAX_ATTACHMENT_BYTES, maintype="application", subtype="pdf", filename="at-limit.pdf")
    msg.add_attachment(
        b"b" * (mail.MAX_ATTACHMENT_BYTES + 1), maintype="application", subtype="pdf", filename="over-limit.pdf"
    )
    found = mail.parse(msg.as_bytes())
    assert mail.MAX_ATTACHMENT_BYTES == 10 * 1024 * 1024
    assert [(a.filename, len(a.data)) for a in found.attachments] == [("at-limit.pdf", 10 * 1024 * 1024)]
    assert found.notes == [LEFT_OUT_1]
    assert found.text == "Two scans."


def test_line_endings_do_not_change_what_is_read() -> None:
    crlf, lf = mail.parse(corpus("line_endings_crlf.eml")), mail.parse(corpus("line_endings_lf.eml"))
    assert (crlf.subject, crlf.text, crlf.from_email) == (lf.subject, lf.text, lf.from_email)
    mixed = corpus("plain.eml").replace(b"Fridays?\r\n", b"Fridays?\n").replace(b"Hello,\r\n", b"Hello,\r")
    assert mail.parse(mixed).text == "Hello,\n\nWhen does the bus leave on Fridays?\n\nMaria"


def test_raw_latin1_header_bytes_become_replacement_characters_not_an_error() -> None:
    raw = "From: Renée Dupré <renee@example.net>\r\nSubject: Réunion à l'école\r\n\r\nBonjour\r\n".encode("latin-1")
    found = mail.parse(raw)
    assert (found.from_email, found.from_name) == ("renee@example.net", "Ren\ufffde Dupr\ufffd")
    assert found.subject == "R\ufffdunion \ufffd l'\ufffdcole"
    assert found.text == "Bonjour"


def test_nul_and_control_characters_in_headers_never_reach_what_is_kept() -> None:
    raw = b"From: Nul \x00Name <nul@example.net>\r\nSubject: caf\xc3\xa9 \x00 nul\r\nMessage-ID: <a\x00b@example.net>\r\n\r\nx\r\n"
    found = mail.parse(raw)
    assert (found.from_name, found.subject) == ("Nul Name", "café nul")
    assert found.message_id == "<ab@example.net>"
    # For recognising a second delivery, an id with a control character in it is no id: the
    # message is recognised by its bytes instead.
    assert intake.dedup_key(raw) == "sha256:" + hashlib.sha256(raw).hexdigest()
    assert intake.dedup_key(corpus("plain.eml")) == "id:<plain-1@example.net>"


def test_sender_falls_back_to_reply_to_and_from_without_address_is_unreadable() -> None:
    raw = b"From: The Principal's Office\r\nReply-To: office@example.org\r\nSubject: x\r\n\r\ny\r\n"
    # A From without an address names no one (its words are not kept as a name either).
    assert (mail.parse(raw).from_email, mail.parse(raw).from_name) == ("office@example.org", "")
    with pytest.raises(mail.Unreadable):
        mail.parse(b"From: The Principal's Office\r\nSubject: x\r\n\r\ny\r\n")
    with pytest.raises(mail.Unreadable):
        mail.parse(b"")


def test_automatic_mail_is_recognised_by_its_headers() -> None:
    base = b"From: a@example.net\r\nSubject: x\r\n"
    for header in (
        b"Auto-Submitted: auto-generated",
        b"Auto-Submitted: auto-replied",
        b"List-Id: <parents.example.net>",
        b"Precedence: bulk",
        b"Precedence: junk",
        b"X-Autoreply: yes",
        b"Content-Type: multipart/report; report-type=delivery-status; boundary=x",
    ):
        assert mail.parse(base + header + b"\r\n\r\nbody\r\n").automatic, header
    for header in (b"Auto-Submitted: no", b"Precedence: first-class", b"X-Mailer: Outlook"):
        assert not mail.parse(base + header + b"\r\n\r\nbody\r\n").automatic, header


def test_decode_bytes_tries_the_declared_charset_then_utf8_then_windows_1252() -> None:
    assert mail.decode_bytes("é".encode("utf-16"), "utf-16") == "é"
    assert mail.decode_bytes("é".encode(), "no-such-charset") == "é"
    assert mail.decode_bytes(b"\x93ok\x94", "utf-8") == "“ok”"
    assert mail.decode_bytes(b"\x81", None) == "\ufffd"


FORWARD = """Could you help this parent?

---------- Forwarded message ---------
From: Pat Parent <Pat.Parent@Example.net>
Date: Mon, 2 Mar 2026 at 08:00
Subject: Playground fence
To: <coach@example.org>

The fence is broken.
"""


def test_forwarded_sender_reads_the_original_sender_of_a_forward() -> None:
    assert mail.forwarded_sender("Fwd: Playground fence", FORWARD, "coach@example.org") == (
        "Pat Parent",
        "pat.parent@example.net",
    )
    assert mail.forwarded_sender("FW: x", FORWARD.replace("\n", "\r\n"), "c@x.org") == (
        "Pat Parent",
        "pat.parent@example.net",
    )
    outlook = "FYI\n\n-----Original Message-----\nFrom: Lee, Sam [mailto:sam.lee@example.net]\nSent: Monday\n"
    assert mail.forwarded_sender("TR: Bus", outlook, "c@x.org") == ("Lee, Sam", "sam.lee@example.net")
    outlook_new = "\n-----Original Message-----\nFrom: Lee, Sam <Sam.Lee@example.net>\n"
    assert mail.forwarded_sender("FW: Bus", outlook_new, "c@x.org") == ("Lee, Sam", "sam.lee@example.net")
    bold = "Hi\n\n---------- Forwarded message ---------\n**From:** Ana <ana@example.net>\n"
    assert mail.forwarded_sender("Fwd: x", bold, "c@x.org") == ("Ana", "ana@example.net")
    # Not a forward by its subject; no marker; no address; the forwarder themself: no one.
    assert mail.forwarded_sender("Re: Playground fence", FORWARD, "coach@example.org") is None
    assert mail.forwarded_sender("Fwd: x", "From: Pat Parent <pat.parent@example.net>", "c@x.org") is None
    assert mail.forwarded_sender("Fwd: x", FORWARD.replace("<Pat.Parent@Example.net>", ""), "c@x.org") is None
    assert mail.forwarded_sender("Fwd: x", FORWARD, "pat.parent@example.net") is None
    # An HTML-only forward, read from the text made of its HTML.
    html = "<p>FYI</p><div>-----Original Message-----<br><b>From:</b> Lee, Sam &lt;sam.lee@example.net&gt;<br></div>"
    raw = f"From: coach@example.org\r\nSubject: FW: Bus\r\nContent-Type: text/html\r\n\r\n{html}".encode()
    assert mail.parse(raw).forwarded_from == ("Lee, Sam", "sam.lee@example.net")
    # The forward is read when the whole message is parsed.
    raw = f"From: coach@example.org\r\nSubject: Fwd: Playground fence\r\n\r\n{FORWARD}".encode()
    assert mail.parse(raw).forwarded_from == ("Pat Parent", "pat.parent@example.net")


def test_ticket_tag_finds_number_and_key() -> None:
    assert mail.ticket_tag("Re: [TD-42-k3f9x2] Bus") == (42, "k3f9x2")
    assert mail.ticket_tag("[td-7-ABCDEF]") == (7, "abcdef")
    assert mail.ticket_tag("[TD-1-abcdef] and [TD-2-ghijkm]") == (1, "abcdef")
    assert mail.ticket_tag("[TD-42-k3f9x]") is None
    assert mail.ticket_tag("[TD-42-k3f9x2x]") is None
    assert mail.ticket_tag("TD-42-k3f9x2") is None
    assert mail.ticket_tag("[TD-1234567890123-abcdef]") is None
    assert mail.ticket_tag("[TD-x-abcdef]") is None


def test_clean_subject_drops_prefixes_and_the_tag() -> None:
    assert mail.clean_subject("Re: RE: Fwd: [TD-4-abcdef] Re: Bus") == "Bus"
    assert mail.clean_subject("AW: SV: Fw: TR: WG: RV: Hallo") == "Hallo"
    assert mail.clean_subject("Reunion: Re: fine") == "Reunion: Re: fine"
    assert mail.clean_subject("Re:") == "(no subject)"
    assert mail.clean_subject("  [TD-4-abcdef]  ") == "(no subject)"
    assert mail.clean_subject("Bus [TD-4-abcdef] schedule") == "Bus  schedule"


def test_new_message_threads_a_reply() -> None:
    msg = mail.new_message(
        "[TD-1-abcdef] Re: Bus", "At 3:15.", "help@localhost", "a@example.net", "<r@x>", ["<1@x>", "<2@x>"]
    )
    assert (msg["In-Reply-To"], msg["References"], msg["Message-ID"]) == ("<2@x>", "<1@x> <2@x>", "<r@x>")
    assert msg["Auto-Submitted"] == "no"
    assert msg.get_content() == "At 3:15.\n"
    assert "In-Reply-To" not in mail.new_message("s", "b", "h@x", "a@x", "<r@x>", [])
