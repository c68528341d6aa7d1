"""The edges of the learning spaces: who can be marked or take a takeaway further, what people
outside the staff see of the plan, priorities that must survive edits, convenings removed or
regrown, reminders for a session given in another offset, and input at the ends of the calendar."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.core import school_years
from tandem.learning import actions
from tandem.learning.models import Agenda, DayOff, Priority, Rhythm, Session, SessionType, Slot
from tandem.learning.tasks import queue_reminders, send_reminders
from tests.world import World

UTC = datetime.UTC
D = datetime.date


def _client(person: object) -> Client:
    client = Client()
    client.force_login(person)  # type: ignore[arg-type]
    return client


def _held(world: World, **invite: Any) -> Session:
    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    return actions.do_save_session(
        world.people[Role.NATIONAL_LEADER],
        Session(
            title="Data dive",
            session_type=SessionType.objects.get(name="Data dive"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            time_zone="America/New_York",
        ),
        **invite,
    )


def test_a_facilitator_cannot_open_a_session_to_a_stranger_by_marking_them(world: World) -> None:
    coach = world.people[Role.COACH]
    session = _held(world, facilitators=[coach])
    stranger = world.outside.principal
    response = _client(coach).post(
        reverse("learning:session_attendance", args=[session.pk]), {f"mark-{stranger.pk}": "present"}, follow=True
    )
    assert "South Principal cannot be marked: not invited, and not among the people you work with." in (
        response.content.decode()
    )
    assert not session.attendance.exists()
    assert _client(stranger).get(session.get_absolute_url()).status_code == 404
    # A huge id in the form is no one, not a server error.
    huge = _client(coach).post(reverse("learning:session_attendance", args=[session.pk]), {"mark-9" * 30: "present"})
    assert huge.status_code == 302


def test_only_a_takeaways_author_takes_it_further(world: World) -> None:
    coach, analyst = world.people[Role.COACH], world.people[Role.ANALYST]
    session = _held(world, facilitators=[coach])
    takeaway = actions.do_add_takeaway(coach, session, "Predict first.")
    with pytest.raises(ValidationError, match="Only the takeaway's author"):
        actions.do_takeaway_to_practice(analyst, takeaway, "Mine now")
    page = _client(analyst).get(session.get_absolute_url()).content.decode()
    assert "Draft it as a practice" not in page
    actions.do_takeaway_to_practice(coach, takeaway, "Predict, then look")
    assert takeaway.practice.author == coach


def test_a_practice_names_only_the_sessions_its_reader_may_see(world: World) -> None:
    coach, leader = world.people[Role.COACH], world.people[Role.NATIONAL_LEADER]
    session = _held(world, facilitators=[coach])
    takeaway = actions.do_add_takeaway(coach, session, "Predict first.")
    actions.do_takeaway_to_practice(coach, takeaway, "Predict, then look")
    practice = takeaway.practice
    practice.status = "published"
    practice.save()
    teacher = _client(world.people[Role.TEACHER]).get(practice.get_absolute_url()).content.decode()
    assert "Predict, then look" in teacher and session.title not in teacher
    assert session.title in _client(leader).get(practice.get_absolute_url()).content.decode()


def test_people_outside_the_staff_see_their_sessions_not_the_plan(world: World) -> None:
    leader, teacher = world.people[Role.NATIONAL_LEADER], world.people[Role.TEACHER]
    session = _held(world, guests=[teacher])
    actions.do_save_session(
        leader,
        Session(
            title="Staff only",
            session_type=SessionType.objects.get(name="Approach Essentials"),
            starts_at=session.starts_at,
            ends_at=session.ends_at,
            time_zone="America/New_York",
        ),
    )
    year = school_years.of_date(session.local_date)
    agenda = actions.do_open_agenda(leader, year)
    secret = actions.do_save_priority(leader, Priority(name="Secret priority"))
    for month in agenda.months.all():
        actions.do_save_month(leader, month, secret, "Focus nobody outside the staff reads")
    actions.do_publish(leader, agenda)
    page = _client(teacher).get(reverse("learning:calendar"), {"month": f"{session.local_date:%Y-%m}"})
    text = page.content.decode()
    assert "Data dive" in text and "Staff only" not in text
    assert "Focus nobody outside the staff reads" not in text
    types = [t.name for t in page.context["form"].fields["session_type"].queryset]
    assert types == ["Data dive"]
    assert "region" not in page.context["form"].fields
    staff = _client(world.people[Role.COACH]).get(
        reverse("learning:calendar"), {"month": f"{session.local_date:%Y-%m}"}
    )
    assert "Focus nobody outside the staff reads" in staff.content.decode()


def test_editing_a_session_keeps_the_agendas_priority_and_a_draft_agenda_takes_none_away(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    session = _held(world)
    year = school_years.of_date(session.local_date)
    agenda = actions.do_open_agenda(leader, year)
    equity = actions.do_save_priority(leader, Priority(name="Equity"))
    for month in agenda.months.all():
        actions.do_save_month(leader, month, equity, "")
    actions.do_publish(leader, agenda)
    session.refresh_from_db()
    assert (session.priority, session.priority_from_agenda) == (equity, True)

    local = session.local_start()
    form = {
        "title": "Data dive, renamed",
        "session_type": session.session_type_id,
        "day": local.date().isoformat(),
        "start": f"{local:%H:%M}",
        "end": f"{session.local_end():%H:%M}",
        "time_zone": session.time_zone,
        "priority": "",
    }
    assert _client(leader).post(reverse("learning:session_edit", args=[session.pk]), form).status_code == 302
    session.refresh_from_db()
    assert (session.title, session.priority, session.priority_from_agenda) == ("Data dive, renamed", equity, True)

    actions.do_publish(leader, Agenda.objects.get(), reopen=True)
    session.location = "Library"
    actions.do_save_session(leader, session)
    session.refresh_from_db()
    assert session.priority == equity


def _rhythm(world: World) -> tuple[Rhythm, DayOff]:
    leader = world.people[Role.NATIONAL_LEADER]
    rhythm = actions.do_save_rhythm(
        leader,
        Rhythm(
            name="Week",
            school_year=2027,
            time_zone="America/Los_Angeles",
            starts_on=D(2026, 8, 17),
            ends_on=D(2026, 9, 30),
        ),
    )
    actions.do_save_slot(
        leader,
        Slot(
            rhythm=rhythm,
            session_type=SessionType.objects.get(name="Team meeting"),
            weekday=3,
            starts_at=datetime.time(10),
            minutes=60,
        ),
    )
    convening = actions.do_save_day_off(
        leader,
        DayOff(
            school_year=2027,
            name="Launch",
            kind=DayOff.Kind.CONVENING,
            first_day=D(2026, 8, 17),
            last_day=D(2026, 8, 21),
            session_type=SessionType.objects.get(name="Network convening"),
            starts_at=datetime.time(9),
            minutes=360,
        ),
    )
    return rhythm, convening


BEFORE = datetime.datetime(2026, 8, 1, tzinfo=UTC)


def test_a_convening_regrown_comes_back_and_one_changed_by_hand_stays(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    rhythm, convening = _rhythm(world)
    actions.do_generate(leader, rhythm, now=BEFORE)
    days = {s.local_date: s for s in Session.objects.filter(day_off=convening)}
    assert sorted(days) == [D(2026, 8, n) for n in range(17, 22)]
    convening.last_day = D(2026, 8, 19)
    actions.do_save_day_off(leader, convening)
    outcome = actions.do_generate(leader, rhythm, now=BEFORE)
    assert outcome.cancelled == 2
    # The Thursday of the launch week is a regular day again.
    assert Session.objects.filter(slot__rhythm=rhythm, local_date=D(2026, 8, 20), status="scheduled").exists()
    convening.last_day = D(2026, 8, 21)
    actions.do_save_day_off(leader, convening)
    outcome = actions.do_generate(leader, rhythm, now=BEFORE)
    assert outcome.restored == 2
    assert Session.objects.filter(day_off=convening, status="scheduled").count() == 5
    assert Session.objects.get(slot__rhythm=rhythm, local_date=D(2026, 8, 20)).status == "cancelled"

    # A convening day cancelled by hand and brought back stays whatever the span does.
    friday = Session.objects.get(day_off=convening, local_date=D(2026, 8, 21))
    actions.do_cancel_session(leader, friday, "Smaller group", restore=False)
    actions.do_cancel_session(leader, friday, "", restore=True)
    convening.last_day = D(2026, 8, 20)
    actions.do_save_day_off(leader, convening)
    actions.do_generate(leader, rhythm, now=BEFORE)
    friday.refresh_from_db()
    assert friday.status == "scheduled"


def test_removing_a_convening_cancels_its_sessions_and_brings_back_the_week(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    rhythm, convening = _rhythm(world)
    actions.do_generate(leader, rhythm, now=BEFORE)
    ids = list(Session.objects.filter(day_off=convening).values_list("pk", flat=True))
    assert actions.do_delete_day_off(leader, convening, now=BEFORE) == 5
    assert set(Session.objects.filter(pk__in=ids).values_list("status", flat=True)) == {"cancelled"}
    actions.do_generate(leader, rhythm, now=BEFORE)
    assert Session.objects.get(slot__rhythm=rhythm, local_date=D(2026, 8, 20)).status == "scheduled"


def test_a_slots_new_title_place_and_teams_reach_its_future_sessions(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    rhythm, _ = _rhythm(world)
    actions.do_generate(leader, rhythm, now=BEFORE)
    slot = rhythm.slots.get()
    slot.title, slot.location = "Math team meeting", "Room 4"
    team = world.org.teams.create(name="Math team", kind="national")
    actions.do_save_slot(leader, slot, teams=[team])
    outcome = actions.do_generate(leader, rhythm, now=datetime.datetime(2026, 9, 1, tzinfo=UTC))
    later = Session.objects.filter(slot=slot, starts_at__gte=datetime.datetime(2026, 9, 1, tzinfo=UTC))
    assert outcome.updated == later.count() == 4
    assert {(s.title, s.location, tuple(s.teams.all())) for s in later} == {("Math team meeting", "Room 4", (team,))}
    earlier = Session.objects.filter(slot=slot, starts_at__lt=datetime.datetime(2026, 9, 1, tzinfo=UTC))
    assert {s.title for s in earlier} == {"Team meeting"}


def test_a_reminder_is_sent_for_a_session_given_in_another_offset(world: World, smtp_inbox: Any) -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    starts = (timezone.now() + datetime.timedelta(hours=2)).astimezone(new_york).replace(microsecond=0)
    session = actions.do_save_session(
        world.people[Role.NATIONAL_LEADER],
        Session(
            title="Data dive",
            session_type=SessionType.objects.get(name="Data dive"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            time_zone="America/New_York",
        ),
        guests=[world.people[Role.TEACHER]],
    )
    # What the worker would run: the instant as it was queued, read back against the stored one.
    session.refresh_from_db()
    queued = starts.astimezone(UTC).isoformat()
    assert send_reminders.call(session.pk, queued) == 1
    assert [m["To"] for m in smtp_inbox.messages] == ["teacher@example.org"]
    queue_reminders([session])  # a second queueing sends nothing more
    assert send_reminders.call(session.pk, queued) == 0


@pytest.mark.parametrize(
    ("zone", "starts", "field", "message"),
    [
        ("America", "2027-03-01T09:00:00-05:00", "time_zone", "“America” is not a time zone Tandem knows"),
        ("America/New_York", "9999-12-31T20:00:00-05:00", "starts_at", "Give a date from 1990 to 2100."),
        ("America/New_York", "0001-01-01T00:00:00+05:00", "starts_at", "Give a date from 1990 to 2100."),
    ],
)
def test_the_api_refuses_zones_and_dates_it_cannot_hold(
    world: World, zone: str, starts: str, field: str, message: str
) -> None:
    response = _client(world.people[Role.NATIONAL_LEADER]).post(
        "/api/v1/learning/sessions",
        {
            "title": "Edge",
            "session_type_id": SessionType.objects.get(name="Data dive").pk,
            "starts_at": starts,
            "ends_at": starts,
            "time_zone": zone,
        },
        content_type="application/json",
    )
    assert response.status_code == 422, response.content
    errors = response.json()["detail"]
    assert any(e["loc"][-1] == field and message in e["msg"] for e in errors), errors
    assert not Session.objects.exists()


def test_the_api_refuses_ids_no_row_could_have(world: World) -> None:
    response = _client(world.people[Role.NATIONAL_LEADER]).post(
        "/api/v1/learning/sessions",
        {
            "title": "Edge",
            "session_type_id": SessionType.objects.get(name="Data dive").pk,
            "starts_at": "2027-03-01T09:00:00-05:00",
            "ends_at": "2027-03-01T10:00:00-05:00",
            "time_zone": "America/New_York",
            "team_ids": [99999999999999999999],
        },
        content_type="application/json",
    )
    assert response.status_code == 422
    assert not Session.objects.exists()


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "soon"])
def test_the_month_view_refuses_months_it_cannot_show(world: World, month: str) -> None:
    response = _client(world.people[Role.COACH]).get(reverse("learning:calendar"), {"month": month})
    assert response.status_code == 200
    assert response.context["form"].errors["month"]


def test_the_session_form_refuses_a_day_past_the_calendar(world: World) -> None:
    response = _client(world.people[Role.NATIONAL_LEADER]).post(
        reverse("learning:session_new"),
        {
            "title": "Far",
            "session_type": SessionType.objects.get(name="Data dive").pk,
            "day": "9999-12-31",
            "start": "20:00",
            "end": "21:00",
            "time_zone": "America/Los_Angeles",
        },
    )
    assert response.status_code == 200
    assert "Give a date from 1990 to 2100." in response.content.decode()
    assert not Session.objects.exists()
