"""Email reminders go out through the real background worker to a real SMTP server: once per
invitee and session start, never to people who turned them off, never for a cancelled session,
and a moved session's stale reminder sends nothing."""

import datetime
import zoneinfo

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.access.roles import Role
from tandem.learning import actions
from tandem.learning.models import ReminderSent, Session, SessionType
from tandem.learning.tasks import send_reminders
from tandem.orgs.models import Team, TeamMembership
from tests.world import World, build_world

NY = "America/New_York"
BASE = "https://tandem.example.org"
TITLE = "Fractions data dive"


@pytest.fixture
def committed_world(transactional_db: None, settings) -> World:  # type: ignore[no-untyped-def]
    # The worker closes its database connection after each task: the data must be committed.
    settings.TANDEM_BASE_URL = BASE
    return build_world()


class Setting:
    def __init__(self, world: World) -> None:
        self.leader = world.people[Role.NATIONAL_LEADER]
        self.coach = world.people[Role.COACH]
        self.teacher = world.people[Role.TEACHER]
        self.guest = world.inside.principal
        self.outsider = world.people[Role.ANALYST]
        self.team = Team.objects.create(organization=world.org, name="Math team", kind=Team.Kind.NATIONAL)
        for person in (self.coach, self.teacher):
            TeamMembership.objects.create(team=self.team, person=person)
        self.now = timezone.now().replace(second=0, microsecond=0)

    def schedule(self, hours: float) -> Session:
        starts = self.now + datetime.timedelta(hours=hours)
        session = Session(
            title=TITLE,
            session_type=SessionType.objects.get(name="Team meeting"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(minutes=60),
            time_zone=NY,
            location="Room 12",
        )
        return actions.do_save_session(self.leader, session, teams=[self.team], guests=[self.guest])

    @property
    def invitees(self) -> set[str]:
        return {self.coach.email, self.teacher.email, self.guest.email}


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _subject(starts: datetime.datetime) -> str:
    local = starts.astimezone(zoneinfo.ZoneInfo(NY))
    assert local.tzname() in ("EST", "EDT")
    hour = local.hour % 12 or 12
    noon = "AM" if local.hour < 12 else "PM"
    return f"Reminder: {TITLE}, {local:%a} {local.day} {local:%b}, {hour}:{local.minute:02d} {noon} {local.tzname()}"


def _tasks(session: Session) -> dict[str, DBTaskResult]:
    """The session's reminder tasks by the start they were queued for."""
    found = {}
    for task in DBTaskResult.objects.filter(task_path="tandem.learning.tasks.send_reminders"):
        pk, starts = task.args_kwargs["args"]
        if pk == session.pk:
            found[starts] = task
    return found


def test_each_invitee_gets_one_reminder_at_the_local_time(committed_world: World, smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    s = Setting(committed_world)
    assert settings.LEARNING_REMINDER_HOURS == 24
    session = s.schedule(hours=2)
    (task,) = _tasks(session).values()
    assert task.status == "READY"
    assert smtp_inbox.messages == []  # nothing is sent from the request

    _work()

    task.refresh_from_db()
    assert (task.status, task.return_value) == ("SUCCESSFUL", 3)
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(s.invitees)
    assert s.outsider.email not in {m["To"] for m in smtp_inbox.messages}
    for message in smtp_inbox.messages:
        assert message["Subject"] == _subject(session.starts_at)
        assert TITLE in message["Subject"]
        body = message.get_content()
        assert f"{BASE}/learning/sessions/{session.pk}/" in body
        assert "Room 12" in body
    assert ReminderSent.objects.filter(session=session, starts_at=session.starts_at).count() == 3

    # Again: nothing is due, nothing is sent.
    _work()
    assert len(smtp_inbox.messages) == 3
    # A change that keeps the time queues a reminder too; it finds everyone already reminded.
    session.location = "Room 14"
    actions.do_save_session(s.leader, session)
    send_reminders.enqueue(session.pk, session.starts_at.isoformat())
    _work()
    assert len(smtp_inbox.messages) == 3
    assert [t.return_value for t in DBTaskResult.objects.order_by("enqueued_at")][-2:] == [0, 0]
    assert ReminderSent.objects.count() == 3


def test_nobody_who_turned_reminders_off_is_reminded(committed_world: World, smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    s = Setting(committed_world)
    actions.do_set_reminders(s.teacher, False)
    actions.do_set_reminders(s.coach, True)  # on, explicitly
    s.schedule(hours=2)
    _work()
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted([s.coach.email, s.guest.email])
    assert not ReminderSent.objects.filter(person=s.teacher).exists()


def test_a_cancelled_session_sends_no_reminder(committed_world: World, smtp_inbox) -> None:  # type: ignore[no-untyped-def]
    s = Setting(committed_world)
    session = s.schedule(hours=2)
    actions.do_cancel_session(s.leader, session, "Snow")
    _work()
    assert smtp_inbox.messages == []
    (task,) = _tasks(session).values()
    assert (task.status, task.return_value) == ("SUCCESSFUL", 0)
    assert not ReminderSent.objects.exists()


def test_a_moved_session_is_reminded_at_its_new_time_and_the_stale_task_sends_nothing(
    committed_world: World,
    smtp_inbox,  # type: ignore[no-untyped-def]
) -> None:
    s = Setting(committed_world)
    session = s.schedule(hours=2)
    old_start = session.starts_at
    session.starts_at += datetime.timedelta(hours=1)
    session.ends_at += datetime.timedelta(hours=1)
    actions.do_save_session(s.leader, session)
    tasks = _tasks(session)
    assert set(tasks) == {old_start.isoformat(), session.starts_at.isoformat()}

    _work()

    for task in tasks.values():
        task.refresh_from_db()
    assert tasks[old_start.isoformat()].return_value == 0
    assert tasks[session.starts_at.isoformat()].return_value == 3
    assert sorted(m["To"] for m in smtp_inbox.messages) == sorted(s.invitees)
    assert {m["Subject"] for m in smtp_inbox.messages} == {_subject(session.starts_at)}
    assert _subject(session.starts_at) != _subject(old_start)

    # Moved again after the reminders went out: everyone is reminded of the new time.
    session.starts_at += datetime.timedelta(hours=2)
    session.ends_at += datetime.timedelta(hours=2)
    actions.do_save_session(s.leader, session)
    _work()
    assert len(smtp_inbox.messages) == 6
    assert sorted(m["To"] for m in smtp_inbox.messages[3:]) == sorted(s.invitees)
    assert {m["Subject"] for m in smtp_inbox.messages[3:]} == {_subject(session.starts_at)}
    assert ReminderSent.objects.filter(session=session).count() == 6


def test_a_session_moved_beyond_the_lead_time_waits_and_its_old_reminder_sends_nothing(
    committed_world: World,
    smtp_inbox,  # type: ignore[no-untyped-def]
) -> None:
    s = Setting(committed_world)
    session = s.schedule(hours=2)
    session.starts_at += datetime.timedelta(days=3)
    session.ends_at += datetime.timedelta(days=3)
    actions.do_save_session(s.leader, session)
    _work()
    assert smtp_inbox.messages == []
    waiting = _tasks(session)[session.starts_at.isoformat()]
    assert waiting.status == "READY"
    assert waiting.run_after == session.starts_at - datetime.timedelta(hours=24)
