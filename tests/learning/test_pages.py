"""The learning pages as people use them: scheduling a session (and the precise refusals), taking
attendance, turning a takeaway into a cycle action or a practice draft, materials, cancelling and
restoring, and the month view's filters."""

import datetime
import zoneinfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import AuditEntry
from tandem.access.roles import Role
from tandem.inquiry import actions as inquiry_actions
from tandem.inquiry.models import Cycle, CycleLink, Template
from tandem.learning import actions
from tandem.learning.models import Attendance, Session, SessionType
from tandem.practices.models import Practice
from tests.world import World

NY = zoneinfo.ZoneInfo("America/New_York")


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


@pytest.fixture
def held(world: World) -> Session:
    """A data dive held yesterday: the coach facilitates, the teacher is a guest."""
    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    session = actions.do_save_session(
        world.people[Role.NATIONAL_LEADER],
        Session(
            title="Data dive: fall benchmark",
            session_type=SessionType.objects.get(name="Data dive"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=90),
            time_zone="America/New_York",
        ),
        facilitators=[world.people[Role.COACH]],
        guests=[world.people[Role.TEACHER]],
    )
    return session


def test_a_leader_schedules_a_session_in_its_own_time_zone(world: World) -> None:
    leader = _client(world.people[Role.NATIONAL_LEADER])
    form = {
        "title": "Launch convening",
        "session_type": SessionType.objects.get(name="Network convening").pk,
        "day": "2027-03-15",
        "start": "09:00",
        "end": "08:00",
        "time_zone": "America/New_York",
    }
    response = leader.post(reverse("learning:session_new"), form)
    assert response.status_code == 200
    assert "The session ends before it starts" in response.content.decode()
    assert not Session.objects.exists()

    response = leader.post(reverse("learning:session_new"), {**form, "end": "15:00"})
    session = Session.objects.get()
    assert response["Location"] == session.get_absolute_url()
    # 9:00 in New York the day after clocks went forward is 13:00 UTC.
    assert session.starts_at == datetime.datetime(2027, 3, 15, 13, tzinfo=datetime.UTC)
    assert (session.local_date, session.minutes) == (datetime.date(2027, 3, 15), 360)
    assert session.agenda.startswith("Welcome and framing (30 min)")
    assert AuditEntry.objects.filter(action="learning.session", object_id=str(session.pk)).exists()


def test_people_who_do_not_plan_cannot_schedule(world: World) -> None:
    assert _client(world.people[Role.COACH]).get(reverse("learning:session_new")).status_code == 404


def test_a_facilitator_takes_attendance_and_a_guest_cannot(world: World, held: Session) -> None:
    coach, teacher = world.people[Role.COACH], world.people[Role.TEACHER]
    url = reverse("learning:session_attendance", args=[held.pk])
    response = _client(coach).post(url, {f"mark-{teacher.pk}": "present", f"mark-{coach.pk}": "excused"})
    assert response.status_code == 302
    marks = dict(Attendance.objects.filter(session=held).values_list("person__email", "status"))
    assert marks == {"teacher@example.org": "present", "coach@example.org": "excused"}
    # Clearing a mark removes it; an unknown mark changes nothing.
    _client(coach).post(url, {f"mark-{coach.pk}": ""})
    assert Attendance.objects.filter(session=held).count() == 1
    _client(coach).post(url, {f"mark-{teacher.pk}": "late"})
    assert Attendance.objects.get(session=held).status == "present"
    # The guest sees the session but keeps none of its record.
    assert _client(teacher).get(held.get_absolute_url()).status_code == 200
    assert _client(teacher).post(url, {f"mark-{teacher.pk}": "absent"}).status_code == 404


def test_attendance_waits_for_the_session(world: World, held: Session) -> None:
    later = held.starts_at + datetime.timedelta(days=3)
    held.starts_at, held.ends_at = later, later + datetime.timedelta(hours=1)
    held.save()
    coach = world.people[Role.COACH]
    response = _client(coach).post(
        reverse("learning:session_attendance", args=[held.pk]), {f"mark-{coach.pk}": "present"}, follow=True
    )
    assert "Attendance opens an hour before the session begins." in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_takeaway_becomes_an_action_in_the_coachs_cycle(world: World, held: Session) -> None:
    coach = world.people[Role.COACH]
    cycle = inquiry_actions.do_start_cycle(
        coach,
        {
            "title": "Small-group reading",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(is_default=True),
            "school": world.inside.school,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 1, 31),
        },
    )
    client = _client(coach)
    client.post(reverse("learning:takeaway_add", args=[held.pk]), {"text": "Regroup students every three weeks."})
    takeaway = held.takeaways.get()
    url = reverse("learning:takeaway_action", args=[held.pk, takeaway.pk])
    response = client.post(url, {f"a{takeaway.pk}-cycle": cycle.pk, f"a{takeaway.pk}-due_on": "2026-12-18"})
    assert response.status_code == 302
    takeaway.refresh_from_db()
    action = takeaway.action
    assert (action.cycle, action.title, action.owner, action.due_on) == (
        cycle,
        "Regroup students every three weeks.",
        coach,
        datetime.date(2026, 12, 18),
    )
    link = CycleLink.objects.get(cycle=cycle)
    assert (link.relation, link.target) == (CycleLink.Relation.STARTED_FROM, held)
    # Once is enough.
    again = client.post(url, {f"a{takeaway.pk}-cycle": cycle.pk})
    assert again.status_code == 422
    assert "already an action" in again.content.decode()
    assert cycle.actions.count() == 1


def test_a_takeaway_cannot_go_to_a_cycle_out_of_reach(world: World, held: Session) -> None:
    teacher = world.people[Role.TEACHER]
    takeaway = actions.do_add_takeaway(teacher, held, "Use exit tickets.")
    stranger = inquiry_actions.do_start_cycle(
        world.people[Role.ORG_ADMIN],
        {
            "title": "Elsewhere",
            "level": Cycle.Level.SCHOOL,
            "template": Template.objects.get(is_default=True),
            "school": world.outside.school,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 1, 31),
        },
    )
    response = _client(teacher).post(
        reverse("learning:takeaway_action", args=[held.pk, takeaway.pk]), {f"a{takeaway.pk}-cycle": stranger.pk}
    )
    assert response.status_code == 422
    assert "Select a valid choice" in response.content.decode()
    assert not stranger.actions.exists()


def test_a_takeaway_becomes_a_practice_draft_its_author_sees(world: World, held: Session) -> None:
    coach = world.people[Role.COACH]
    takeaway = actions.do_add_takeaway(coach, held, "Start each dive with predictions.")
    url = reverse("learning:takeaway_practice", args=[held.pk, takeaway.pk])
    assert _client(coach).post(url, {f"p{takeaway.pk}-title": "Predict, then look"}).status_code == 302
    practice = Practice.objects.get()
    assert (practice.title, practice.status, practice.author) == ("Predict, then look", "draft", coach)
    assert practice.origin == f"A takeaway from a learning session on {held.local_date:%-d %b %Y}"
    page = _client(coach).get(practice.get_absolute_url())
    assert page.status_code == 200 and "Start each dive with predictions." in page.content.decode()
    # A draft is its author's (and the leaders'): another member of staff finds nothing.
    assert _client(world.people[Role.ANALYST]).get(practice.get_absolute_url()).status_code == 404
    assert _client(world.people[Role.NATIONAL_LEADER]).get(practice.get_absolute_url()).status_code == 200


def test_materials_are_links_or_files_read_through_the_session(world: World, held: Session) -> None:
    coach = _client(world.people[Role.COACH])
    url = reverse("learning:material_add", args=[held.pk])
    empty = coach.post(url, {"title": "Slides"})
    assert empty.status_code == 422 and "Give a link or choose a file." in empty.content.decode()
    coach.post(url, {"title": "Protocol", "file": SimpleUploadedFile("protocol.txt", b"Notice, wonder")})
    material = held.materials.get()
    download = _client(world.people[Role.TEACHER]).get(reverse("learning:material_file", args=[held.pk, material.pk]))
    assert b"".join(download.streaming_content) == b"Notice, wonder"  # type: ignore[attr-defined]
    # Someone not invited (a principal is not staff) cannot read it.
    outsider = _client(world.people[Role.PRINCIPAL])
    assert outsider.get(reverse("learning:material_file", args=[held.pk, material.pk])).status_code == 404


def test_a_cancelled_session_says_why_and_can_be_restored(world: World, held: Session) -> None:
    leader = _client(world.people[Role.NATIONAL_LEADER])
    url = reverse("learning:session_cancel", args=[held.pk])
    assert leader.post(url, {"reason": ""}).status_code == 422
    leader.post(url, {"reason": "Snow day"})
    held.refresh_from_db()
    assert (held.status, held.cancel_reason, held.sequence, held.detached) == ("cancelled", "Snow day", 1, True)
    leader.post(url, {"restore": "1"})
    held.refresh_from_db()
    assert (held.status, held.cancel_reason, held.sequence) == ("scheduled", "", 2)


def test_the_month_view_filters_and_refuses_a_bad_month(world: World, held: Session) -> None:
    month = held.local_date.strftime("%Y-%m")
    other = actions.do_save_session(
        world.people[Role.NATIONAL_LEADER],
        Session(
            title="Team meeting, national",
            session_type=SessionType.objects.get(name="Team meeting"),
            starts_at=held.starts_at + datetime.timedelta(hours=3),
            ends_at=held.starts_at + datetime.timedelta(hours=4),
            time_zone="America/New_York",
        ),
    )
    coach = _client(world.people[Role.COACH])
    everything = coach.get(reverse("learning:calendar"), {"month": month}).content.decode()
    assert held.title in everything and other.title in everything
    mine = coach.get(reverse("learning:calendar"), {"month": month, "mine": "on"}).content.decode()
    assert held.title in mine and other.title not in mine
    # The teacher (not staff) sees only the session they are invited to.
    teacher = _client(world.people[Role.TEACHER]).get(reverse("learning:calendar"), {"month": month}).content.decode()
    assert held.title in teacher and other.title not in teacher
    bad = coach.get(reverse("learning:calendar"), {"month": "2026-13"}).content.decode()
    assert "“2026-13” is not a month; use the form 2026-10." in bad


def test_the_session_list_exports_what_it_shows(world: World, held: Session) -> None:
    response = _client(world.people[Role.COACH]).get(reverse("learning:sessions"), {"when": "past", "format": "csv"})
    lines = response.content.decode().splitlines()
    start = held.starts_at.astimezone(NY)
    assert lines[0] == "Session,Type,Priority,Date,Starts,Ends,Time zone,Minutes,Status,Teams"
    assert lines[1:] == [
        f"Data dive: fall benchmark,Data dive,,{start.date().isoformat()},{start:%H:%M},"
        f"{start + datetime.timedelta(minutes=90):%H:%M},America/New_York,90,Scheduled,"
    ]
