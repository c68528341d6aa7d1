"""The help desk API: who sees which tickets (and never the help desk's notes), opening one,
refusals that say exactly what is wrong and change nothing, replies that go out threaded through
the real background worker, triage, merging, and the figures by category worked out by hand."""

import datetime
import json
from email.message import EmailMessage
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.andon.helpdesk import targets
from tandem.andon.helpdesk.intake import ingest
from tandem.andon.helpdesk.models import Category, Message, Ticket
from tandem.orgs.api import MAX_ID
from tandem.orgs.models import Person
from tests.world import World, build_world

TICKETS = "/api/v1/helpdesk/tickets"
NOT_FOUND = {"detail": "Not found."}


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _send(client: Client, method: str, url: str, body: dict[str, Any] | None = None) -> Any:
    return getattr(client, method)(url, json.dumps(body or {}), content_type="application/json")


def _errors(response: Any) -> list[tuple[list[Any], str]]:
    assert response.status_code == 422, response.content
    return [(e["loc"], e["msg"]) for e in response.json()["detail"]]


def _mail(sender: str, subject: str, body: str, message_id: str, attachment: bytes | None = None) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = "help@localhost"
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{message_id}>"
    msg["Date"] = "Mon, 16 Nov 2026 09:00:00 -0800"
    msg.set_content(body)
    if attachment is not None:
        msg.add_attachment(attachment, maintype="text", subtype="csv", filename="roster.csv")
    return msg.as_bytes()


def _by_email(sender: str, subject: str, body: str, message_id: str, attachment: bytes | None = None) -> Ticket:
    kept = ingest(_mail(sender, subject, body, message_id, attachment), "smtp")
    assert kept.message is not None, kept.error
    return kept.message.ticket


class Desk:
    def __init__(self, world: World) -> None:
        self.leader = world.people[Role.NATIONAL_LEADER]
        self.admin = world.people[Role.ORG_ADMIN]
        self.teacher = world.people[Role.TEACHER]
        self.principal = world.inside.principal
        self.desk = _client(self.leader)
        self.requester = _client(self.teacher)


@pytest.fixture
def desk(world: World) -> Desk:
    return Desk(world)


# -- who sees what --------------------------------------------------------------------------------


def test_a_requester_sees_only_their_own_tickets_and_never_the_notes(desk: Desk) -> None:
    mine = _by_email("Teacher <teacher@example.org>", "Roster is missing", "Period 3 is gone.", "t1@x", b"a,b\n1,2\n")
    theirs = _by_email("North Principal <principal.north@example.org>", "Bus schedule", "When?", "p1@x")
    _send(desk.desk, "post", f"{TICKETS}/{mine.pk}/notes", {"text": "SIS sync lagged overnight."})
    _send(desk.desk, "post", f"{TICKETS}/{mine.pk}/replies", {"text": "Restored it.", "status": "resolved"})

    listed = desk.requester.get(TICKETS).json()
    assert [t["id"] for t in listed["items"]] == [mine.pk] and listed["count"] == 1
    # What the help desk alone sees of a ticket is null for its requester.
    assert {listed["items"][0][k] for k in ("priority", "category_id", "assignee_id", "first_response_at")} == {None}
    assert {t["id"] for t in desk.desk.get(TICKETS).json()["items"]} == {mine.pk, theirs.pk}

    seen = desk.requester.get(f"{TICKETS}/{mine.pk}").json()
    assert [(m["kind"], m["text"]) for m in seen["messages"]] == [
        ("inbound", "Period 3 is gone."),
        ("reply", "Restored it."),
    ]
    assert seen["messages"][0]["notes"] is None
    (attached,) = seen["messages"][0]["attachments"]
    assert (attached["filename"], attached["size"], attached["content_type"]) == ("roster.csv", 8, "text/csv")
    assert attached["url"] == f"/helpdesk/{mine.pk}/attachments/{attached['id']}/"
    assert [m["kind"] for m in desk.desk.get(f"{TICKETS}/{mine.pk}").json()["messages"]] == [
        "inbound",
        "note",
        "reply",
    ]
    # Searching never finds a ticket by the words of a note the requester cannot read.
    assert desk.requester.get(TICKETS, {"q": "SIS sync"}).json()["count"] == 0
    assert desk.desk.get(TICKETS, {"q": "SIS sync"}).json()["count"] == 1
    assert desk.requester.get(TICKETS, {"q": mine.reference}).json()["count"] == 1
    assert desk.requester.get(TICKETS, {"q": theirs.reference}).json()["count"] == 0

    # Someone else's ticket answers exactly like one that does not exist.
    for url in (f"{TICKETS}/{theirs.pk}", f"{TICKETS}/987654", f"{TICKETS}/{MAX_ID}", f"{TICKETS}/{MAX_ID + 1}"):
        response = desk.requester.get(url)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), url
    refused = _send(desk.requester, "post", f"{TICKETS}/{theirs.pk}/messages", {"text": "Me too"})
    assert (refused.status_code, refused.json()) == (404, NOT_FOUND)
    # The help desk's operations, on the requester's own ticket too, do not exist for them.
    for method, url, body in [
        ("post", f"{TICKETS}/{mine.pk}/replies", {"text": "x"}),
        ("post", f"{TICKETS}/{mine.pk}/notes", {"text": "x"}),
        ("patch", f"{TICKETS}/{mine.pk}", {"priority": "urgent"}),
        ("post", f"{TICKETS}/{mine.pk}/merge", {"into_id": theirs.pk}),
        ("get", "/api/v1/helpdesk/metrics", None),
    ]:
        response = desk.requester.get(url) if method == "get" else _send(desk.requester, method, url, body)
        assert (response.status_code, response.json()) == (404, NOT_FOUND), url
    # And the help desk does not write as a ticket's requester.
    assert _send(desk.desk, "post", f"{TICKETS}/{mine.pk}/messages", {"text": "x"}).status_code == 404
    assert Message.objects.filter(text__in=["x", "Me too"]).count() == 0
    # Filtering by what only the help desk sees is refused, not quietly ignored.
    assert _errors(desk.requester.get(TICKETS, {"assignee": "none"})) == [
        (["query", "assignee"], "Only the help desk filters by assignee.")
    ]
    assert _errors(desk.requester.get(TICKETS, {"category": 1})) == [
        (["query", "category"], "Only the help desk filters by category.")
    ]


def test_the_requester_writes_on_their_ticket_and_it_opens_again(desk: Desk) -> None:
    mine = _by_email("Teacher <teacher@example.org>", "Login fails", "It says no.", "t2@x")
    _send(desk.desk, "post", f"{TICKETS}/{mine.pk}/replies", {"text": "Which browser?"})
    mine.refresh_from_db()
    assert mine.status == Ticket.Status.PENDING
    response = _send(desk.requester, "post", f"{TICKETS}/{mine.pk}/messages", {"text": "Firefox."})
    assert response.status_code == 201, response.content
    assert (response.json()["kind"], response.json()["author_id"]) == ("inbound", desk.teacher.pk)
    mine.refresh_from_db()
    assert mine.status == Ticket.Status.OPEN
    assert _errors(_send(desk.requester, "post", f"{TICKETS}/{mine.pk}/messages", {"text": "  "})) == [
        (["body", "text"], "Write your message.")
    ]


# -- opening a ticket -----------------------------------------------------------------------------


def test_anyone_opens_a_ticket_and_the_help_desk_opens_one_for_someone(desk: Desk) -> None:
    response = _send(desk.requester, "post", TICKETS, {"subject": " Projector ", "text": "Room 12's is dead."})
    assert response.status_code == 201, response.content
    opened = response.json()
    assert (opened["subject"], opened["status"], opened["channel"]) == ("Projector", "new", "api")
    assert (opened["requester_id"], opened["requester_email"], opened["opened_by_id"]) == (
        desk.teacher.pk,
        "teacher@example.org",
        None,
    )
    assert [(m["kind"], m["text"]) for m in opened["messages"]] == [("inbound", "Room 12's is dead.")]

    accounts = Category.objects.create(name="Accounts", first_response_hours=2, resolution_hours=24)
    body = {"subject": "Reset", "text": "For her", "requester_id": desk.teacher.pk, "category_id": accounts.pk}
    response = _send(desk.desk, "post", TICKETS, body)
    assert response.status_code == 201, response.content
    ticket = Ticket.objects.get(pk=response.json()["id"])
    assert (ticket.requester, ticket.opened_by, ticket.category, ticket.channel) == (
        desk.teacher,
        desk.leader,
        accounts,
        "api",
    )
    assert ticket.first_response_due == ticket.created_at + datetime.timedelta(hours=2)
    assert response.json()["category"] == "Accounts"
    # The requester finds it among their own.
    assert ticket.pk in [t["id"] for t in desk.requester.get(TICKETS).json()["items"]]


# -- refusals -------------------------------------------------------------------------------------


def _state() -> tuple[Any, ...]:
    return (
        list(Ticket.objects.order_by("pk").values()),
        list(Message.objects.order_by("pk").values_list("pk", "ticket_id", "kind", "text")),
        AuditEntry.objects.count(),
    )


def test_refusals_say_exactly_what_is_wrong_and_change_nothing(desk: Desk) -> None:
    mine = _by_email("Teacher <teacher@example.org>", "Grades export", "It times out.", "t3@x")
    other = _by_email("Teacher <teacher@example.org>", "Grades export again", "Still.", "t4@x")
    archived = Category.objects.create(name="Old", archived=True)
    before = _state()
    too_big = MAX_ID + 1
    url = f"{TICKETS}/{mine.pk}"

    # Opening one.
    assert _errors(_send(desk.requester, "post", TICKETS, {"subject": "", "text": "x"})) == [
        (["body", "data", "subject"], "String should have at least 1 character")
    ]
    assert _errors(_send(desk.requester, "post", TICKETS, {"subject": "   ", "text": "x"})) == [
        (["body", "subject"], "This field cannot be empty.")
    ]
    assert _errors(_send(desk.requester, "post", TICKETS, {"subject": "S", "text": "\n "})) == [
        (["body", "text"], "This field cannot be empty.")
    ]
    assert _errors(_send(desk.requester, "post", TICKETS, {"subject": "S", "text": "x", "category_id": 1})) == [
        (["body", "category_id"], "Only the help desk chooses a category.")
    ]
    assert _errors(
        _send(desk.requester, "post", TICKETS, {"subject": "S", "text": "x", "requester_id": desk.principal.pk})
    ) == [(["body", "requester_id"], "Only the help desk opens a ticket for someone else.")]
    assert _errors(_send(desk.desk, "post", TICKETS, {"subject": "S", "text": "x", "category_id": 987654})) == [
        (["body", "category_id"], "No category has this id.")
    ]
    assert _errors(_send(desk.desk, "post", TICKETS, {"subject": "S", "text": "x", "category_id": archived.pk})) == [
        (["body", "category_id"], "“Old” is archived; choose a category in use.")
    ]
    assert _errors(_send(desk.desk, "post", TICKETS, {"subject": "S", "text": "x", "requester_id": too_big})) == [
        (["body", "data", "requester_id"], f"Input should be less than or equal to {MAX_ID}")
    ]
    assert _errors(_send(desk.desk, "post", TICKETS, {"subject": "S", "text": "x", "requester_id": 987654})) == [
        (["body", "requester_id"], "No person has this id.")
    ]

    # Triage.
    assert _errors(_send(desk.desk, "patch", url, {"status": "new"})) == [
        (["body", "data", "status"], "String should match pattern '^(open|pending|resolved|closed)$'")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"status": None})) == [
        (["body", "status"], "This field cannot be empty.")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"priority": "whenever"})) == [
        (["body", "data", "priority"], "String should match pattern '^(low|normal|high|urgent)$'")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"status": "resolved", "category_id": 987654})) == [
        (["body", "category_id"], "No category has this id.")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"category_id": too_big})) == [
        (["body", "data", "category_id"], f"Input should be less than or equal to {MAX_ID}")
    ]
    # The status would change first: the refusal of the assignee leaves it as it was.
    assert _errors(_send(desk.desk, "patch", url, {"status": "resolved", "assignee_id": desk.teacher.pk})) == [
        (["body", "assignee_id"], "Teacher is not on the help desk.")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"assignee_id": too_big})) == [
        (["body", "data", "assignee_id"], f"Input should be less than or equal to {MAX_ID}")
    ]
    assert _errors(_send(desk.desk, "patch", url, {"assignee_id": 987654})) == [
        (["body", "assignee_id"], "No person has this id.")
    ]

    # Answering and merging.
    assert _errors(_send(desk.desk, "post", f"{url}/replies", {"text": "Done", "status": "merged"})) == [
        (["body", "data", "status"], "String should match pattern '^(open|pending|resolved|closed)$'")
    ]
    assert _errors(_send(desk.desk, "post", f"{url}/replies", {"text": "  "})) == [
        (["body", "text"], "Write the reply.")
    ]
    assert _errors(_send(desk.desk, "post", f"{url}/notes", {"text": " "})) == [(["body", "text"], "Write the note.")]
    assert _errors(_send(desk.desk, "post", f"{url}/merge", {"into_id": mine.pk})) == [
        (["body"], "A ticket cannot be merged into itself.")
    ]
    assert _errors(_send(desk.desk, "post", f"{url}/merge", {"into_id": 987654})) == [
        (["body", "into_id"], "No ticket has this id.")
    ]
    assert _errors(_send(desk.desk, "post", f"{url}/merge", {"into_id": too_big})) == [
        (["body", "data", "into_id"], f"Input should be less than or equal to {MAX_ID}")
    ]

    # Filters.
    assert _errors(desk.desk.get(TICKETS, {"status": "lost"}))[0][0] == ["query", "status"]
    assert _errors(desk.desk.get(TICKETS, {"assignee": str(too_big)})) == [
        (["query", "assignee"], "No person has this id.")
    ]
    assert _errors(desk.desk.get(TICKETS, {"assignee": "someone"}))[0][0] == ["query", "assignee"]
    assert _errors(desk.desk.get(TICKETS, {"category": too_big}))[0][0] == ["query", "category"]
    assert _errors(desk.desk.get("/api/v1/helpdesk/metrics", {"days": 0}))[0][0] == ["query", "days"]

    assert _state() == before
    assert other.pk != mine.pk


# -- triage ---------------------------------------------------------------------------------------


def test_the_help_desk_triages_and_only_the_fields_given_change(desk: Desk) -> None:
    mine = _by_email("Teacher <teacher@example.org>", "Printer jam", "Tray 2.", "t5@x")
    accounts = Category.objects.create(name="Accounts", first_response_hours=1, resolution_hours=4)
    url = f"{TICKETS}/{mine.pk}"
    body = {"status": "open", "priority": "high", "category_id": accounts.pk, "assignee_id": desk.admin.pk}
    response = _send(desk.desk, "patch", url, body)
    assert response.status_code == 200, response.content
    changed = response.json()
    assert (changed["status"], changed["priority"], changed["category"], changed["assignee_id"]) == (
        "open",
        "high",
        "Accounts",
        desk.admin.pk,
    )
    mine.refresh_from_db()
    assert mine.resolution_due == mine.created_at + datetime.timedelta(hours=4)

    assert desk.desk.get(TICKETS, {"assignee": str(desk.admin.pk)}).json()["count"] == 1
    assert _client(desk.admin).get(TICKETS, {"assignee": "me"}).json()["count"] == 1
    assert desk.desk.get(TICKETS, {"assignee": "me"}).json()["count"] == 0
    assert desk.desk.get(TICKETS, {"assignee": "none"}).json()["count"] == 0
    assert desk.desk.get(TICKETS, {"category": accounts.pk, "status": "open"}).json()["count"] == 1

    # Null empties a field; a field left out stays as it is.
    response = _send(desk.desk, "patch", url, {"category_id": None, "status": "resolved"})
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert (mine.category, mine.assignee, mine.priority, mine.status) == (None, desk.admin, "high", "resolved")
    assert mine.resolved_at is not None
    assert mine.resolution_due == mine.created_at + datetime.timedelta(hours=72)
    assert desk.desk.get(TICKETS, {"status": "open"}).json()["count"] == 0
    assert desk.desk.get(TICKETS, {"status": "resolved"}).json()["count"] == 1
    _send(desk.desk, "patch", url, {"assignee_id": None})
    mine.refresh_from_db()
    assert (mine.assignee, mine.priority, mine.status) == (None, "high", "resolved")


# -- replies go out -------------------------------------------------------------------------------


@pytest.fixture
def committed_world(transactional_db: None) -> World:
    # The worker closes its database connection after each task: the data must be committed.
    return build_world()


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def test_a_reply_sets_the_first_response_once_and_goes_out_threaded(committed_world: World, smtp_inbox: Any) -> None:
    d = Desk(committed_world)
    mine = _by_email("Teacher <teacher@example.org>", "Roster is missing", "Period 3 is gone.", "t1@school.example")
    url = f"{TICKETS}/{mine.pk}/replies"

    first = _send(d.desk, "post", url, {"text": "Looking into it.", "status": "open"})
    assert first.status_code == 201, first.content
    mine.refresh_from_db()
    answered = mine.first_response_at
    assert answered is not None and mine.status == "open"
    assert first.json()["sent_at"] is None and smtp_inbox.messages == []  # nothing is sent from the request
    _work()
    (sent,) = smtp_inbox.messages
    reply = Message.objects.get(pk=first.json()["id"])
    assert mine.tag in sent["Subject"] and sent["Subject"] == f"{mine.tag} Re: Roster is missing"
    assert sent["To"] == "teacher@example.org"
    assert sent["Message-ID"] == reply.message_id
    assert sent["In-Reply-To"] == "<t1@school.example>"
    assert sent["References"] == "<t1@school.example>"
    assert reply.sent_at is not None

    second = _send(d.desk, "post", url, {"text": "Restored it.", "status": "resolved"})
    assert second.status_code == 201, second.content
    mine.refresh_from_db()
    assert mine.first_response_at == answered and mine.status == "resolved"
    _work()
    assert len(smtp_inbox.messages) == 2
    again = smtp_inbox.messages[1]
    assert again["In-Reply-To"] == reply.message_id
    assert again["References"].split() == ["<t1@school.example>", reply.message_id]
    detail = d.desk.get(f"{TICKETS}/{mine.pk}").json()
    assert [m["sent_at"] is not None for m in detail["messages"] if m["kind"] == "reply"] == [True, True]


# -- merging --------------------------------------------------------------------------------------


def test_merging_moves_the_messages_onto_the_ticket_it_duplicates(desk: Desk) -> None:
    original = _by_email("Teacher <teacher@example.org>", "Wifi down", "Room 4.", "t6@x")
    duplicate = _by_email("Teacher <teacher@example.org>", "No wifi", "Still nothing in room 4.", "t7@x")
    _send(desk.desk, "post", f"{TICKETS}/{duplicate.pk}/notes", {"text": "Same outage."})
    moved = set(duplicate.messages.values_list("pk", flat=True))

    response = _send(desk.desk, "post", f"{TICKETS}/{duplicate.pk}/merge", {"into_id": original.pk})
    assert response.status_code == 200, response.content
    survivor = response.json()
    assert survivor["id"] == original.pk and survivor["merged_ids"] == [duplicate.pk]
    assert moved <= {m["id"] for m in survivor["messages"]}
    assert [m["text"] for m in survivor["messages"]] == ["Room 4.", "Still nothing in room 4.", "Same outage."]
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into_id, duplicate.messages.count()) == ("merged", original.pk, 0)

    # The requester follows it there, and never sees the note.
    left = desk.requester.get(f"{TICKETS}/{duplicate.pk}").json()
    assert (left["status"], left["merged_into_id"], left["messages"]) == ("merged", original.pk, [])
    assert [m["kind"] for m in desk.requester.get(f"{TICKETS}/{original.pk}").json()["messages"]] == [
        "inbound",
        "inbound",
    ]
    # A merged ticket is answered, changed and merged no more.
    assert _errors(_send(desk.desk, "post", f"{TICKETS}/{duplicate.pk}/replies", {"text": "Hi"})) == [
        (["body"], f"This ticket was merged into {original.reference}; reply there.")
    ]
    assert _errors(_send(desk.desk, "patch", f"{TICKETS}/{duplicate.pk}", {"priority": "low"})) == [
        (["body"], f"This ticket was merged into {original.reference}.")
    ]
    assert _errors(_send(desk.desk, "post", f"{TICKETS}/{duplicate.pk}/merge", {"into_id": original.pk})) == [
        (["body"], "Merge into, and from, tickets that are not merged already.")
    ]
    assert _errors(_send(desk.requester, "post", f"{TICKETS}/{duplicate.pk}/messages", {"text": "Hi"})) == [
        (["body"], f"This ticket was merged into {original.reference}; write there.")
    ]


# -- categories and figures -----------------------------------------------------------------------


def test_categories_are_listed_for_everyone(desk: Desk) -> None:
    Category.objects.create(name="Accounts", first_response_hours=2, resolution_hours=24)
    Category.objects.create(name="Old", archived=True)
    listed = desk.requester.get("/api/v1/helpdesk/categories").json()
    assert [(c["name"], c["first_response_hours"], c["archived"]) for c in listed["items"]] == [
        ("Accounts", 2, False),
        ("Old", 8, True),
    ]
    in_use = desk.requester.get("/api/v1/helpdesk/categories", {"archived": "false"}).json()
    assert [c["name"] for c in in_use["items"]] == ["Accounts"]


def _ticket(category: Category | None, days_ago: float, first: float | None, resolved: float | None, **kw: Any) -> None:
    """A ticket opened `days_ago`, first answered and resolved so many hours after it was opened."""
    created = timezone.now() - datetime.timedelta(days=days_ago)
    ticket = Ticket(subject="Figures", requester_email="someone@example.org", category=category, created_at=created)
    targets.set_due(ticket)
    if first is not None:
        ticket.first_response_at = created + datetime.timedelta(hours=first)
    if resolved is not None:
        ticket.resolved_at = created + datetime.timedelta(hours=resolved)
    for name, value in kw.items():
        setattr(ticket, name, value)
    ticket.save()


def test_the_figures_by_category_match_a_count_by_hand(desk: Desk) -> None:
    accounts = Category.objects.create(name="Accounts", first_response_hours=8, resolution_hours=72)
    # Accounts: first replies after 2 h (on target), 10 h (late) and 4 h (on target); resolved
    # after 30 h (on target) and 100 h (late); the third is still open.
    _ticket(accounts, 10, first=2, resolved=30)
    _ticket(accounts, 9, first=10, resolved=100)
    _ticket(accounts, 8, first=4, resolved=None)
    # A merged duplicate counts on the ticket it joined; a ticket from last year is outside 90 days.
    _ticket(accounts, 9, first=1, resolved=1, status=Ticket.Status.MERGED)
    _ticket(accounts, 200, first=1, resolved=None)
    # No category, not answered yet.
    _ticket(None, 5, first=None, resolved=None)

    response = desk.desk.get("/api/v1/helpdesk/metrics")
    assert response.status_code == 200, response.content
    figures = response.json()
    assert figures["days"] == 90
    assert figures["rows"] == [
        {
            "category": "Accounts",
            "count": 3,
            "answered": 3,
            "first_hours": 4.0,  # the median of 2, 10 and 4
            "first_met": pytest.approx(200 / 3),
            "resolved": 2,
            "resolve_hours": 65.0,  # the median of 30 and 100
            "resolve_met": 50.0,
        },
        {
            "category": "No category",
            "count": 1,
            "answered": 0,
            "first_hours": None,
            "first_met": None,
            "resolved": 0,
            "resolve_hours": None,
            "resolve_met": None,
        },
    ]
    last_week = desk.desk.get("/api/v1/helpdesk/metrics", {"days": 7}).json()
    assert [(r["category"], r["count"]) for r in last_week["rows"]] == [("No category", 1)]
    year = desk.desk.get("/api/v1/helpdesk/metrics", {"days": 365}).json()
    assert [(r["category"], r["count"], r["answered"]) for r in year["rows"]] == [
        ("Accounts", 4, 4),
        ("No category", 1, 0),
    ]
