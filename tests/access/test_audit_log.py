"""The audit log page: the organization's admins alone read it; its filters select what they say;
its CSV export holds exactly what the filters select and is itself logged; bad filters are refused
precisely."""

import csv
import datetime
import io

import pytest
from django.test import Client
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tests.world import World

pytestmark = pytest.mark.django_db


def _client(world: World, role: str) -> Client:
    client = Client()
    client.force_login(world.people[role])
    return client


@pytest.fixture
def entries(world: World) -> list[AuditEntry]:
    AuditEntry.objects.all().delete()
    teacher, coach = world.people[Role.TEACHER], world.people[Role.COACH]
    old = timezone.now() - datetime.timedelta(days=40)
    return [
        AuditEntry.objects.create(
            actor=teacher,
            kind="read",
            action="student.read",
            object_type="achievement.student",
            object_id="7",
            object_repr="Student 7",
        ),
        AuditEntry.objects.create(
            actor=coach,
            kind="change",
            action="cycle.save",
            object_type="inquiry.cycle",
            object_id="3",
            object_repr="Reading cycle",
            changes={"title": ["A", "B"]},
        ),
        AuditEntry.objects.create(
            actor=coach,
            at=old,
            kind="read",
            action="student.read",
            object_type="achievement.student",
            object_id="9",
            object_repr="Student 9",
        ),
    ]


def _rows(response: object) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode()  # type: ignore[attr-defined]
    return list(csv.reader(io.StringIO(body)))


def test_only_org_admins_read_the_audit_log(world: World, entries: list[AuditEntry]) -> None:
    assert _client(world, Role.ORG_ADMIN).get("/audit/").status_code == 200
    for role in set(Role) - {Role.ORG_ADMIN}:
        assert _client(world, role).get("/audit/").status_code == 404, role
        assert _client(world, role).get("/audit/?format=csv").status_code == 404, role
    assert Client().get("/audit/").status_code == 302


def test_filters_select_what_they_say(world: World, entries: list[AuditEntry]) -> None:
    admin = _client(world, Role.ORG_ADMIN)

    def shown(**params: str) -> set[str]:
        page = admin.get("/audit/", params).content.decode()
        return {name for name in ("Student 7", "Reading cycle", "Student 9") if name in page}

    assert shown() == {"Student 7", "Reading cycle", "Student 9"}
    assert shown(kind="read") == {"Student 7", "Student 9"}
    assert shown(who="coach@") == {"Reading cycle", "Student 9"}
    assert shown(action="student", object_id="9") == {"Student 9"}
    today = timezone.localdate().isoformat()
    assert shown(since=today) == {"Student 7", "Reading cycle"}
    assert shown(until=(timezone.localdate() - datetime.timedelta(days=30)).isoformat()) == {"Student 9"}


@pytest.mark.parametrize(
    "params, message",
    [
        ({"since": "2026-05-02", "until": "2026-05-01"}, "The end comes before the start."),
        ({"since": "not a date"}, "Enter a valid date."),
        ({"who": "a\x00b"}, "Null characters are not allowed."),
        ({"kind": "delete"}, "Select a valid choice."),
    ],
)
def test_bad_filters_are_refused_precisely(world: World, entries: list[AuditEntry], params: dict, message: str) -> None:
    response = _client(world, Role.ORG_ADMIN).get("/audit/", params)
    assert response.status_code == 422 and message in response.content.decode()


def test_the_export_holds_what_the_filters_select_and_is_logged(world: World, entries: list[AuditEntry]) -> None:
    admin = world.people[Role.ORG_ADMIN]
    response = _client(world, Role.ORG_ADMIN).get("/audit/", {"kind": "read", "format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    rows = _rows(response)
    assert rows[0][:5] == ["When (UTC)", "Who", "Email", "Kind", "Action"]
    assert [(r[2], r[7]) for r in rows[1:]] == [
        ("teacher@example.org", "Student 7"),
        ("coach@example.org", "Student 9"),
    ]
    logged = AuditEntry.objects.get(action="audit.export")
    assert logged.actor == admin and "kind=read" in logged.changes["filters"][1]
