"""Reading an email as the help desk needs it: plain functions over bytes, no database.

Mail arrives in every state. Headers may be malformed, charsets unknown or lying, bodies HTML
only, attachments huge or many, the whole thing barely MIME. `parse` never raises for any of that:
it reads what it can with the standard library's email package (falling back, header by header and
part by part, to tolerant decoding) and says what it left out. It raises `Unreadable` only when
there is nothing to make a ticket from (no sender at all), so that the caller keeps the message for
a person to look at.

HTML is sanitized with nh3 (the ammonia sanitizer) before anyone sees it, and turned into text with
html2text when a message has no plain-text part.
"""

import datetime
import email
import email.policy
import email.utils
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage, Message

import html2text
import nh3

# What one message may bring: beyond these, attachments are left out (and said so).
MAX_ATTACHMENTS = 20
MAX_ATTACHMENT_BYTES = 10 << 20
MAX_TEXT_CHARS = 200_000

# Subject tags the help desk writes on its replies: "[TD-42-k3f9x2]" (number and ticket key).
TAG = re.compile(r"\[TD-(\d{1,12})-([a-z0-9]{6})\]", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(fwd?|fw|tr|wg|rv)\s*:", re.IGNORECASE)
# In text made from HTML, html2text writes the marker's leading dash escaped ("\---") and the
# "From:" in bold ("**From:**").
_FORWARD_MARKER = re.compile(
    r"^\\?-{2,}\s*(forwarded message|original message|message transféré|mensaje reenviado)\s*-{2,}\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_FROM_LINE = re.compile(r"^\s*\*{0,2}From:\*{0,2}\s*(.+)$", re.IGNORECASE | re.MULTILINE)
_NAMED_ADDRESS = re.compile(r'^\s*"?([^"<>]*?)"?\s*<([^<>\s@]+@[^<>\s@]+)>')


class Unreadable(Exception):
    """Nothing to make a ticket from; the raw message is kept for a person."""


@dataclass
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass
class Parsed:
    message_id: str
    in_reply_to: str
    references: list[str]
    from_email: str
    from_name: str
    to: list[str]
    cc: list[str]
    subject: str
    date: datetime.datetime | None
    text: str
    html: str
    attachments: list[Attachment] = field(default_factory=list)
    # Said to the help desk next to the message: what could not be kept or read.
    notes: list[str] = field(default_factory=list)
    # An auto-reply, a bounce or a list message: never answered automatically.
    automatic: bool = False
    # For a forwarded message: who wrote the original.
    forwarded_from: tuple[str, str] | None = None


def _header(msg: Message, name: str, limit: int = 2000) -> str:
    """A header as text, however broken its encoding (NUL characters dropped: no database keeps them)."""
    try:
        value = msg.get(name)
    except Exception:  # a malformed header the modern policy cannot parse
        value = None
        for key, raw in msg.raw_items():
            if key.lower() == name.lower():
                value = raw
                break
    if value is None:
        return ""
    text = str(value).replace("\x00", "")
    return " ".join(text.split())[:limit]


def _ids(text: str) -> list[str]:
    # An id with a control character in it, or longer than a header line may be (998), is garbage.
    return [i for i in re.findall(r"<[^<>\s\x00-\x1f\x7f]+>", text) if len(i) <= 990]


def _address(text: str) -> tuple[str, str]:
    name, address = email.utils.parseaddr(text)
    address = address.strip().lower()
    return (name.strip().strip('"'), address) if "@" in address else (name.strip(), "")


def _addresses(text: str) -> list[str]:
    return [a.lower() for _, a in email.utils.getaddresses([text]) if "@" in a]


def decode_bytes(data: bytes, charset: str | None) -> str:
    """Bytes in a declared charset that may be unknown or wrong: try it, then UTF-8, then
    Windows-1252 (what most mislabelled mail is), never failing."""
    for candidate in (charset, "utf-8"):
        if not candidate:
            continue
        try:
            return data.decode(candidate)
        except (LookupError, UnicodeDecodeError):
            continue
    return data.decode("cp1252", errors="replace")


def _part_text(part: Message) -> str:
    """A text part's text, with its lines ending in "\n" however they arrived, and no NUL characters."""
    try:
        payload = part.get_payload(decode=True)
    except Exception:
        payload = None
    if payload is None:
        raw = part.get_payload()
        text = raw if isinstance(raw, str) else ""
    else:
        text = decode_bytes(payload, part.get_content_charset())
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")


def _filename(part: Message) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:
        name = ""
    # No folders, no control characters: the name is only shown and offered on download.
    name = re.sub(r"[\x00-\x1f/\\]", "_", name).strip().strip(".")
    return name[:200] or "attachment"


# Images go: a remote one tells its sender that (and when) the help desk read the message.
_TAGS = set(nh3.ALLOWED_TAGS) - {"img"}


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=_TAGS, link_rel="noopener noreferrer nofollow")


def html_to_text(html: str) -> str:
    converter = html2text.HTML2Text()
    converter.ignore_images = True
    converter.body_width = 0
    return converter.handle(html).strip()


def parse(raw: bytes) -> Parsed:
    try:
        msg = email.message_from_bytes(raw, policy=email.policy.default)
    except Exception as e:  # the parser itself gave up: nothing sensible to read
        raise Unreadable(f"The message could not be read as email: {e}") from e
    from_name, from_email = _address(_header(msg, "From"))
    if not from_email:
        reply_name, reply_email = _address(_header(msg, "Reply-To"))
        from_name, from_email = from_name or reply_name, reply_email
    if not from_email:
        raise Unreadable("The message names no sender address (From or Reply-To).")
    date = None
    try:
        date = email.utils.parsedate_to_datetime(_header(msg, "Date")) if _header(msg, "Date") else None
    except (TypeError, ValueError, IndexError):
        date = None
    if date is not None and date.tzinfo is None:
        date = date.replace(tzinfo=datetime.UTC)
    found = Parsed(
        message_id=(_ids(_header(msg, "Message-ID")) or [""])[0],
        in_reply_to=(_ids(_header(msg, "In-Reply-To")) or [""])[0],
        # The last references are the message's nearest ancestors: never cut them off.
        references=_ids(_header(msg, "References", limit=100_000))[-50:],
        from_email=from_email,
        from_name=from_name,
        to=_addresses(_header(msg, "To")),
        cc=_addresses(_header(msg, "Cc")),
        subject=_header(msg, "Subject")[:300] or "(no subject)",
        date=date,
        text="",
        html="",
    )
    found.automatic = _automatic(msg)
    texts, htmls = _walk(msg, found)
    html = "\n".join(htmls)
    found.html = sanitize(html) if html else ""
    text = "\n\n".join(t for t in texts if t.strip())
    if not text.strip() and html:
        text = html_to_text(found.html)
    if len(text) > MAX_TEXT_CHARS:
        text = text[:MAX_TEXT_CHARS]
        found.notes.append("The message text was cut after 200,000 characters; the original is kept.")
    found.text = text.strip()
    found.forwarded_from = forwarded_sender(found.subject, found.text, found.from_email)
    return found


def _automatic(msg: Message) -> bool:
    auto = _header(msg, "Auto-Submitted").lower()
    return (
        (auto not in ("", "no"))
        or bool(_header(msg, "List-Id"))
        or _header(msg, "Precedence").lower() in ("bulk", "junk", "list", "auto_reply")
        or bool(_header(msg, "X-Autoreply") or _header(msg, "X-Autorespond"))
        or _header(msg, "Content-Type").lower().startswith("multipart/report")
    )


def _walk(msg: Message, found: Parsed) -> tuple[list[str], list[str]]:
    """The message's plain texts and HTML parts, in order; attachments into `found`."""
    texts: list[str] = []
    htmls: list[str] = []
    left_out = 0
    try:
        parts = list(_leaves(msg))
    except Exception:
        parts = [msg]
        found.notes.append("The message's structure is broken; only its first part was read.")
    for part in parts:
        if part.get_content_maintype() == "multipart":
            # Not multipart after all: its boundary is missing or wrong. Read it with the boundary
            # its body uses, else as text.
            found.notes.append("The message's MIME structure is broken (a boundary is missing or wrong).")
            recovered = _recovered(part)
            if recovered is None:
                texts.append(_part_text(part))
            else:
                more_texts, more_htmls = _walk(recovered, found)
                texts += more_texts
                htmls += more_htmls
            continue
        try:
            disposition = part.get_content_disposition()
        except Exception:
            disposition = None
        content_type = part.get_content_type()
        if (
            content_type == "message/rfc822"
            or (disposition == "attachment")
            or (disposition == "inline" and part.get_filename())
            or not content_type.startswith("text/")
        ):
            data = _attachment_bytes(part)
            if data is None:
                continue
            if len(found.attachments) >= MAX_ATTACHMENTS or len(data) > MAX_ATTACHMENT_BYTES:
                left_out += 1
                continue
            found.attachments.append(Attachment(_filename(part), content_type, data))
        elif content_type == "text/html":
            htmls.append(_part_text(part))
        else:
            texts.append(_part_text(part))
    if left_out:
        found.notes.append(
            f"{left_out} attachment{'s' if left_out > 1 else ''} left out (more than {MAX_ATTACHMENTS}, "
            f"or over {MAX_ATTACHMENT_BYTES >> 20} MB); the original message is kept for the help desk."
        )
    return texts, htmls


def _leaves(part: Message) -> Iterator[Message]:
    """The parts that hold content, in order. A forwarded message (message/rfc822) is one of them,
    kept whole as a file: its own parts are not the sender's text or attachments."""
    if part.get_content_type() == "message/rfc822" or not part.is_multipart():
        yield part
        return
    for inner in part.get_payload():
        yield from _leaves(inner)


_DELIMITER = re.compile(rb"^--([0-9A-Za-z'()+_,./:=?-]{1,70})[ \t]*\r?$", re.MULTILINE)


def _recovered(part: Message) -> Message | None:
    """A multipart part whose boundary is missing or wrong, read again with the boundary of the
    first delimiter line in its body."""
    try:
        body = part.get_payload(decode=True) or b""
    except Exception:
        return None
    line = _DELIMITER.search(body)
    if line is None:
        return None
    boundary = line[1].decode("ascii").removesuffix("--")
    head = f'Content-Type: {part.get_content_type()}; boundary="{boundary}"\r\n\r\n'.encode("ascii")
    again = email.message_from_bytes(head + body, policy=email.policy.default)
    return again if again.is_multipart() else None


def _attachment_bytes(part: Message) -> bytes | None:
    try:
        data = part.get_payload(decode=True)
    except Exception:
        data = None
    if data is None:
        inner = part.get_payload()
        if isinstance(inner, list) and inner and isinstance(inner[0], Message):
            try:
                return inner[0].as_bytes()  # a forwarded message kept as a file
            except Exception:
                return None
        if isinstance(inner, str):
            return inner.encode("utf-8", errors="replace")
        return None
    return data


def forwarded_sender(subject: str, text: str, sender: str) -> tuple[str, str] | None:
    """Who wrote a forwarded message: the first "From:" after a forwarding marker of a message
    whose subject says it is forwarded (and not the forwarder themself)."""
    if not _FORWARD_SUBJECT.match(subject):
        return None
    marker = _FORWARD_MARKER.search(text)
    if marker is None:
        return None
    line = _FROM_LINE.search(text, marker.end())
    if line is None:
        return None
    value = line.group(1).replace("[mailto:", "<").replace("]", ">")
    name, address = _address(value)
    named = _NAMED_ADDRESS.match(value)
    if not address and named:  # "Lee, Sam <sam.lee@example.net>": Outlook leaves the comma unquoted
        name, address = named[1].strip(), named[2].lower()
    if not address or address == sender:
        return None
    return name, address


def ticket_tag(subject: str) -> tuple[int, str] | None:
    match = TAG.search(subject)
    return (int(match[1]), match[2].lower()) if match else None


def clean_subject(subject: str) -> str:
    """The subject without reply and forward prefixes or the help desk's tag."""
    subject = TAG.sub("", subject)
    while True:
        stripped = re.sub(r"^\s*(re|aw|sv|fwd?|fw|tr|wg|rv)\s*:\s*", "", subject, flags=re.IGNORECASE)
        if stripped == subject:
            return subject.strip() or "(no subject)"
        subject = stripped


def new_message(subject: str, body: str, sender: str, to: str, message_id: str, refs: list[str]) -> EmailMessage:
    """A reply from the help desk, threaded onto the messages it answers."""
    msg = EmailMessage()
    msg["Subject"] = subject
    msg["From"] = sender
    msg["To"] = to
    msg["Message-ID"] = message_id
    msg["Date"] = email.utils.format_datetime(datetime.datetime.now(datetime.UTC))
    msg["Auto-Submitted"] = "no"
    if refs:
        msg["In-Reply-To"] = refs[-1]
        msg["References"] = " ".join(refs[-20:])
    msg.set_content(body)
    return msg
