"""Generating sessions from a rhythm, through the actions: counts, idempotence, days off added and
removed afterwards, slots changed or deleted, hand edits, convenings, the agenda, and who plans."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from tandem.access.roles import Role
from tandem.learning import actions
from tandem.learning.models import Agenda, DayOff, Priority, Rhythm, Session, SessionType, Slot
from tandem.orgs.models import Team, TeamMembership
from tests.world import World

D = datetime.date
T = datetime.time
UTC = datetime.UTC
LA = "America/Los_Angeles"
YEAR = 2027  # July 2026 to June 2027

BEFORE = datetime.datetime(2026, 8, 1, tzinfo=UTC)  # before the rhythm starts
MIDWAY = datetime.datetime(2026, 9, 16, tzinfo=UTC)  # Tuesday 15 September, 17:00 in Los Angeles

MONDAYS = [D(2026, 8, 17), D(2026, 8, 24), D(2026, 8, 31), D(2026, 9, 14), D(2026, 9, 21), D(2026, 9, 28)]
MONDAYS += [D(2026, 10, 5)]  # 7 September (Labor Day) and 12 October (Columbus Day) are holidays
TUESDAYS = [D(2026, 8, 18) + datetime.timedelta(weeks=n) for n in range(9)]  # 18 August to 13 October
THURSDAYS = [D(2026, 8, 20), D(2026, 9, 3), D(2026, 10, 1), D(2026, 10, 15)]  # 17 September: retreat


def utc(*args: int) -> datetime.datetime:
    return datetime.datetime(*args, tzinfo=UTC)


def _leader(world: World):  # type: ignore[no-untyped-def]
    return world.people[Role.NATIONAL_LEADER]


def _type(name: str) -> SessionType:
    return SessionType.objects.get(name=name)


class Plan:
    """A rhythm for August to mid-October 2026 with three slots, the US holidays and a retreat."""

    def __init__(self, world: World) -> None:
        leader = _leader(world)
        self.leader = leader
        self.coach = world.people[Role.COACH]
        self.team = Team.objects.create(organization=world.org, name="North team", kind=Team.Kind.NATIONAL)
        TeamMembership.objects.create(team=self.team, person=self.coach)
        self.rhythm = actions.do_save_rhythm(
            leader,
            Rhythm(name="Weekly", school_year=YEAR, time_zone=LA, starts_on=D(2026, 8, 17), ends_on=D(2026, 10, 16)),
        )
        self.monday = actions.do_save_slot(
            leader,
            Slot(
                rhythm=self.rhythm, session_type=_type("Whole-group learning"), weekday=0, starts_at=T(9), minutes=120
            ),
        )
        self.tuesday = actions.do_save_slot(
            leader,
            Slot(
                rhythm=self.rhythm,
                session_type=_type("Team meeting"),
                title="North team meeting",
                weekday=1,
                starts_at=T(9),
                minutes=60,
                location="Room 4",
            ),
            teams=[self.team],
            facilitators=[self.coach],
        )
        self.thursday = actions.do_save_slot(
            leader,
            Slot(
                rhythm=self.rhythm,
                session_type=_type("Data dive"),
                weekday=3,
                starts_at=T(14),
                minutes=90,
                every_weeks=2,
            ),
        )
        self.holidays = actions.do_add_public_holidays(leader, YEAR)
        self.retreat = actions.do_save_day_off(
            leader,
            DayOff(
                rhythm=self.rhythm,
                name="Fall retreat",
                kind=DayOff.Kind.BREAK,
                first_day=D(2026, 9, 16),
                last_day=D(2026, 9, 18),
            ),
        )

    def generate(self, now: datetime.datetime):  # type: ignore[no-untyped-def]
        return actions.do_generate(self.leader, self.rhythm, now=now)

    def session(self, slot: Slot, day: datetime.date) -> Session:
        return Session.objects.get(slot=slot, local_date=day)


@pytest.fixture
def plan(world: World) -> Plan:
    return Plan(world)


def _outcome(outcome) -> tuple[int, int, int, int, int]:  # type: ignore[no-untyped-def]
    return (outcome.created, outcome.moved, outcome.cancelled, outcome.restored, outcome.kept)


def test_public_holidays_are_the_weekday_ones_of_the_school_year_and_added_once(plan: Plan) -> None:
    assert [(d.first_day, d.name) for d in plan.holidays] == [
        (D(2026, 7, 3), "Independence Day (observed)"),
        (D(2026, 9, 7), "Labor Day"),
        (D(2026, 10, 12), "Columbus Day"),
        (D(2026, 11, 11), "Veterans Day"),
        (D(2026, 11, 26), "Thanksgiving Day"),
        (D(2026, 12, 25), "Christmas Day"),
        (D(2027, 1, 1), "New Year's Day"),
        (D(2027, 1, 18), "Martin Luther King Jr. Day"),
        (D(2027, 2, 15), "Washington's Birthday"),
        (D(2027, 5, 31), "Memorial Day"),
        (D(2027, 6, 18), "Juneteenth National Independence Day (observed)"),
    ]
    assert all(d.rhythm is None and d.kind == DayOff.Kind.HOLIDAY and d.school_year == YEAR for d in plan.holidays)
    assert actions.do_add_public_holidays(plan.leader, YEAR) == []
    assert DayOff.objects.filter(rhythm=None).count() == 11


def test_generation_creates_each_slots_sessions_and_invites_the_slots_people(plan: Plan) -> None:
    outcome = plan.generate(BEFORE)
    assert _outcome(outcome) == (20, 0, 0, 0, 0)
    assert Session.objects.count() == 20
    assert list(Session.objects.filter(slot=plan.monday).values_list("local_date", flat=True)) == MONDAYS
    assert list(Session.objects.filter(slot=plan.tuesday).values_list("local_date", flat=True)) == TUESDAYS
    assert list(Session.objects.filter(slot=plan.thursday).values_list("local_date", flat=True)) == THURSDAYS

    tuesday = plan.session(plan.tuesday, D(2026, 9, 8))
    assert (tuesday.title, tuesday.location, tuesday.time_zone) == ("North team meeting", "Room 4", LA)
    assert (tuesday.starts_at, tuesday.ends_at) == (utc(2026, 9, 8, 16), utc(2026, 9, 8, 17))
    assert list(tuesday.teams.all()) == [plan.team]
    assert list(tuesday.facilitators.all()) == [plan.coach]
    assert tuesday.agenda == _type("Team meeting").agenda_text()
    assert tuesday.agenda.startswith("Check-in (5 min)\n")
    assert (tuesday.status, tuesday.sequence, tuesday.detached) == (Session.Status.SCHEDULED, 0, False)
    monday = plan.session(plan.monday, D(2026, 8, 17))
    assert monday.title == "Whole-group learning"
    assert (monday.starts_at, monday.ends_at) == (utc(2026, 8, 17, 16), utc(2026, 8, 17, 18))
    assert not monday.teams.exists() and not monday.facilitators.exists()
    thursday = plan.session(plan.thursday, D(2026, 10, 15))
    assert (thursday.starts_at, thursday.ends_at) == (utc(2026, 10, 15, 21), utc(2026, 10, 15, 22, 30))
    plan.rhythm.refresh_from_db()
    assert plan.rhythm.generated_at == BEFORE


def test_generation_is_idempotent(plan: Plan) -> None:
    plan.generate(BEFORE)
    stamps = dict(Session.objects.values_list("pk", "updated_at"))
    again = plan.generate(BEFORE)
    assert _outcome(again) == (0, 0, 0, 0, 20)
    assert again.touched == []
    assert dict(Session.objects.values_list("pk", "updated_at")) == stamps
    assert set(Session.objects.values_list("sequence", flat=True)) == {0}
    # Generating later creates nothing either: the past is kept and nothing new is wanted.
    assert _outcome(plan.generate(MIDWAY)) == (0, 0, 0, 0, 20)
    assert Session.objects.count() == 20


def test_a_session_is_not_created_in_the_past(plan: Plan) -> None:
    outcome = plan.generate(MIDWAY)
    # Only sessions from Wednesday 16 September on: 3 Mondays, 4 Tuesdays, 2 Thursdays.
    assert outcome.created == 9
    assert min(Session.objects.values_list("local_date", flat=True)) == D(2026, 9, 21)


def test_a_holiday_added_afterwards_cancels_that_days_session_and_removing_it_restores_it(plan: Plan) -> None:
    plan.generate(BEFORE)
    wellness = actions.do_save_day_off(
        plan.leader,
        DayOff(school_year=YEAR, name="Staff wellness day", first_day=D(2026, 9, 29), last_day=D(2026, 9, 29)),
    )
    outcome = plan.generate(BEFORE)
    assert _outcome(outcome) == (0, 0, 1, 0, 19)
    session = plan.session(plan.tuesday, D(2026, 9, 29))
    assert outcome.touched == [session.pk]
    assert session.status == Session.Status.CANCELLED
    assert session.cancel_reason == "Not in the rhythm: Staff wellness day"
    assert session.sequence == 1
    assert Session.objects.filter(status=Session.Status.CANCELLED).count() == 1
    assert set(Session.objects.exclude(pk=session.pk).values_list("sequence", flat=True)) == {0}
    # Generating again does not cancel it twice.
    assert _outcome(plan.generate(BEFORE)) == (0, 0, 0, 0, 19)
    assert plan.session(plan.tuesday, D(2026, 9, 29)).sequence == 1

    actions.do_delete_day_off(plan.leader, wellness)
    outcome = plan.generate(BEFORE)
    assert (outcome.created, outcome.moved, outcome.cancelled, outcome.restored) == (0, 0, 0, 1)
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == (Session.Status.SCHEDULED, "", 2)
    assert (session.starts_at, session.ends_at) == (utc(2026, 9, 29, 16), utc(2026, 9, 29, 17))
    assert not Session.objects.filter(status=Session.Status.CANCELLED).exists()


def test_a_holiday_on_a_day_already_past_leaves_that_session_alone(plan: Plan) -> None:
    plan.generate(BEFORE)
    actions.do_save_day_off(
        plan.leader, DayOff(school_year=YEAR, name="Snow day", first_day=D(2026, 9, 8), last_day=D(2026, 9, 8))
    )
    assert plan.generate(MIDWAY).cancelled == 0
    session = plan.session(plan.tuesday, D(2026, 9, 8))
    assert (session.status, session.sequence) == (Session.Status.SCHEDULED, 0)


def test_a_hand_cancelled_session_stays_cancelled_when_generated_again(plan: Plan) -> None:
    plan.generate(BEFORE)
    session = plan.session(plan.tuesday, D(2026, 10, 6))
    actions.do_cancel_session(plan.leader, session, "Facilitator away")
    assert plan.generate(BEFORE).restored == 0
    session.refresh_from_db()
    assert (session.status, session.cancel_reason, session.sequence) == (
        Session.Status.CANCELLED,
        "Facilitator away",
        1,
    )


def test_changing_a_slots_time_moves_future_sessions_only_and_not_hand_edited_ones(plan: Plan) -> None:
    plan.generate(BEFORE)
    # By hand: 6 October moves to 8:00 (15:00 UTC) the same day.
    edited = plan.session(plan.tuesday, D(2026, 10, 6))
    edited.starts_at, edited.ends_at = utc(2026, 10, 6, 15), utc(2026, 10, 6, 16)
    actions.do_save_session(plan.leader, edited)
    edited.refresh_from_db()
    assert (edited.detached, edited.sequence, edited.local_date) == (True, 1, D(2026, 10, 6))

    plan.tuesday.starts_at = T(10, 30)
    actions.do_save_slot(plan.leader, plan.tuesday)
    outcome = plan.generate(MIDWAY)
    assert (outcome.created, outcome.moved, outcome.cancelled) == (0, 3, 0)
    assert outcome.kept == 17

    got = {s.local_date: s for s in Session.objects.filter(slot=plan.tuesday)}
    for day in TUESDAYS[:5]:  # 18 August to 15 September: already held
        assert (got[day].starts_at.hour, got[day].starts_at.minute, got[day].sequence) == (16, 0, 0), day
    for day in (D(2026, 9, 22), D(2026, 9, 29), D(2026, 10, 13)):
        assert got[day].starts_at == datetime.datetime.combine(day, T(17, 30), tzinfo=UTC), day
        assert got[day].ends_at == datetime.datetime.combine(day, T(18, 30), tzinfo=UTC), day
        assert got[day].sequence == 1
        assert got[day].status == Session.Status.SCHEDULED
    assert (got[D(2026, 10, 6)].starts_at, got[D(2026, 10, 6)].sequence) == (utc(2026, 10, 6, 15), 1)
    assert set(outcome.touched) == {got[d].pk for d in (D(2026, 9, 22), D(2026, 9, 29), D(2026, 10, 13))}
    # The other slots are untouched.
    assert set(Session.objects.exclude(slot=plan.tuesday).values_list("sequence", flat=True)) == {0}


def test_a_session_moved_by_hand_to_another_day_is_not_generated_again_on_its_old_day(plan: Plan) -> None:
    plan.generate(BEFORE)
    moved = plan.session(plan.tuesday, D(2026, 10, 13))
    # Tuesday 13 October at 9:00 becomes Wednesday 14 October at 9:00.
    moved.starts_at, moved.ends_at = utc(2026, 10, 14, 16), utc(2026, 10, 14, 17)
    actions.do_save_session(plan.leader, moved)
    moved.refresh_from_db()
    assert moved.detached
    outcome = plan.generate(BEFORE)
    assert outcome.created == 0
    assert Session.objects.filter(slot=plan.tuesday).count() == 9
    assert Session.objects.count() == 20


def test_moving_a_slot_to_another_weekday_cancels_the_old_days_and_creates_the_new(plan: Plan) -> None:
    plan.generate(BEFORE)
    plan.thursday.weekday = 2  # Wednesday, same weeks
    actions.do_save_slot(plan.leader, plan.thursday)
    outcome = plan.generate(MIDWAY)
    # Future: Wednesdays 30 September and 14 October are new; Thursdays 1 and 15 October go.
    assert (outcome.created, outcome.cancelled) == (2, 2)
    rows = Session.objects.filter(slot=plan.thursday).values_list("local_date", "status", "cancel_reason")
    assert sorted(rows) == [
        (D(2026, 8, 20), "scheduled", ""),
        (D(2026, 9, 3), "scheduled", ""),
        (D(2026, 9, 30), "scheduled", ""),
        (D(2026, 10, 1), "cancelled", "Not in the rhythm: its slot was removed or changed"),
        (D(2026, 10, 14), "scheduled", ""),
        (D(2026, 10, 15), "cancelled", "Not in the rhythm: its slot was removed or changed"),
    ]


def test_deleting_a_slot_cancels_its_future_sessions(plan: Plan) -> None:
    plan.generate(BEFORE)
    ids = {s.local_date: s.pk for s in Session.objects.filter(slot=plan.thursday)}
    assert actions.do_delete_slot(plan.leader, plan.thursday, now=MIDWAY) == 2
    # Generating again changes nothing more: the slot's sessions are no longer the rhythm's.
    assert plan.generate(MIDWAY).cancelled == 0
    rows = {s.local_date: s for s in Session.objects.filter(pk__in=ids.values())}
    assert len(rows) == 4  # cancelled, never deleted
    for day in (D(2026, 8, 20), D(2026, 9, 3)):
        assert (rows[day].status, rows[day].sequence) == (Session.Status.SCHEDULED, 0)
    for day in (D(2026, 10, 1), D(2026, 10, 15)):
        assert rows[day].status == Session.Status.CANCELLED
        assert rows[day].cancel_reason == "Not in the rhythm: its slot was removed"
        assert rows[day].sequence == 1


def test_a_convening_replaces_the_regular_sessions_of_its_days_and_is_held_each_weekday(plan: Plan) -> None:
    plan.generate(BEFORE)
    convening = actions.do_save_day_off(
        plan.leader,
        DayOff(
            school_year=YEAR,
            name="Fall launch convening",
            kind=DayOff.Kind.CONVENING,
            first_day=D(2026, 9, 28),
            last_day=D(2026, 10, 4),  # Monday to Sunday
            session_type=_type("Network convening"),
            starts_at=T(8, 30),
            minutes=360,
            time_zone=LA,
            location="Oakland",
        ),
    )
    outcome = plan.generate(BEFORE)
    assert (outcome.created, outcome.cancelled) == (5, 3)
    replaced = Session.objects.filter(slot__isnull=False, status=Session.Status.CANCELLED)
    assert sorted(replaced.values_list("local_date", "cancel_reason")) == [
        (D(2026, 9, 28), "Not in the rhythm: Fall launch convening"),
        (D(2026, 9, 29), "Not in the rhythm: Fall launch convening"),
        (D(2026, 10, 1), "Not in the rhythm: Fall launch convening"),
    ]
    held = list(Session.objects.filter(day_off=convening).order_by("local_date"))
    assert [s.local_date for s in held] == [D(2026, 9, 28) + datetime.timedelta(days=n) for n in range(5)]
    for s in held:
        assert (s.title, s.location, s.status, s.slot_id) == ("Fall launch convening", "Oakland", "scheduled", None)
        assert s.starts_at == datetime.datetime.combine(s.local_date, T(15, 30), tzinfo=UTC)
        assert s.ends_at == datetime.datetime.combine(s.local_date, T(21, 30), tzinfo=UTC)
        assert s.session_type.name == "Network convening"
    # Again: nothing new.
    again = plan.generate(BEFORE)
    assert (again.created, again.moved, again.cancelled) == (0, 0, 0)
    assert Session.objects.count() == 25

    # Shortened to three days: Thursday and Friday's convening sessions are cancelled and the
    # Thursday data dive comes back.
    convening.last_day = D(2026, 9, 30)
    actions.do_save_day_off(plan.leader, convening)
    outcome = plan.generate(BEFORE)
    assert (outcome.cancelled, outcome.restored) == (2, 1)
    assert sorted(
        Session.objects.filter(day_off=convening, status=Session.Status.CANCELLED).values_list("local_date", flat=True)
    ) == [D(2026, 10, 1), D(2026, 10, 2)]
    assert plan.session(plan.thursday, D(2026, 10, 1)).status == Session.Status.SCHEDULED


def test_a_convening_planned_before_generation_means_no_regular_sessions_those_days(plan: Plan) -> None:
    actions.do_save_day_off(
        plan.leader,
        DayOff(
            school_year=YEAR,
            name="Launch",
            kind=DayOff.Kind.CONVENING,
            first_day=D(2026, 8, 17),
            last_day=D(2026, 8, 18),
            session_type=_type("Network convening"),
            starts_at=T(9),
            minutes=240,
        ),
    )
    outcome = plan.generate(BEFORE)
    assert (outcome.created, outcome.cancelled) == (18 + 2, 0)
    assert not Session.objects.filter(slot__isnull=False, local_date__in=[D(2026, 8, 17), D(2026, 8, 18)]).exists()
    assert list(Session.objects.filter(day_off__name="Launch").values_list("local_date", "time_zone")) == [
        (D(2026, 8, 17), "America/Los_Angeles"),
        (D(2026, 8, 18), "America/Los_Angeles"),
    ]


def test_publishing_the_agenda_ties_each_session_to_its_months_priority(plan: Plan) -> None:
    leader = plan.leader
    coherence, data, equity = (
        actions.do_save_priority(leader, Priority(name=name)) for name in ("Coherence", "Data use", "Equity")
    )
    agenda = actions.do_open_agenda(leader, YEAR)
    months = list(agenda.months.all())
    assert [m.month for m in months] == [D(2026, 7 + n, 1) for n in range(6)] + [D(2027, n, 1) for n in range(1, 7)]
    plan.generate(BEFORE)
    assert set(Session.objects.values_list("priority", flat=True)) == {None}
    # One September session's priority is chosen by hand; the agenda leaves it alone.
    by_hand = plan.session(plan.monday, D(2026, 9, 14))
    by_hand.priority, by_hand.priority_from_agenda = equity, False
    actions.do_save_session(leader, by_hand)

    chosen = {D(2026, 8, 1): coherence, D(2026, 9, 1): data, D(2026, 10, 1): coherence}
    for m in months:
        if m.month not in (D(2027, 3, 1), D(2027, 4, 1)):
            actions.do_save_month(leader, m, chosen.get(m.month, equity), "")
    with pytest.raises(ValidationError) as refused:
        actions.do_publish(leader, agenda)
    assert refused.value.messages == [
        "Every month needs a priority before the agenda is published; missing: March, April."
    ]
    agenda.refresh_from_db()
    assert agenda.status == Agenda.Status.DRAFT
    assert set(Session.objects.exclude(pk=by_hand.pk).values_list("priority", flat=True)) == {None}

    for m in agenda.months.filter(priority=None):
        actions.do_save_month(leader, m, data, "")
    assert actions.do_publish(leader, agenda) == 19
    agenda.refresh_from_db()
    assert (agenda.status, agenda.published_by) == (Agenda.Status.PUBLISHED, leader)
    for s in Session.objects.exclude(pk=by_hand.pk):
        assert s.priority == chosen[s.local_date.replace(day=1)], s
    by_hand.refresh_from_db()
    assert (by_hand.priority, by_hand.priority_from_agenda) == (equity, False)

    # Sessions generated once the agenda is published start with their month's priority.
    friday = actions.do_save_slot(
        leader, Slot(rhythm=plan.rhythm, session_type=_type("Data dive"), weekday=4, starts_at=T(13), minutes=60)
    )
    plan.generate(BEFORE)
    fridays = {s.local_date: s.priority for s in Session.objects.filter(slot=friday)}
    assert fridays[D(2026, 8, 21)] == coherence
    assert fridays[D(2026, 9, 25)] == data
    assert fridays[D(2026, 10, 16)] == coherence
    assert len(fridays) == 8  # 21 August to 16 October but for 18 September, the retreat


def _refusal(call) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        call()
    (message,) = refused.value.messages
    return message


def test_a_regional_director_plans_their_regions_rhythm_only(world: World) -> None:
    director = world.people[Role.REGIONAL_DIRECTOR]
    leader = _leader(world)
    span = {"school_year": YEAR, "time_zone": LA, "starts_on": D(2026, 9, 1), "ends_on": D(2026, 9, 30)}
    north = actions.do_save_rhythm(director, Rhythm(name="North", region=world.inside.region, **span))
    slot = actions.do_save_slot(
        director, Slot(rhythm=north, session_type=_type("Team meeting"), weekday=2, starts_at=T(15), minutes=60)
    )
    actions.do_save_day_off(
        director, DayOff(rhythm=north, name="North PD day", first_day=D(2026, 9, 16), last_day=D(2026, 9, 16))
    )
    assert actions.do_generate(director, north, now=BEFORE).created == 4  # 2, 9, 23, 30 September
    assert list(Session.objects.filter(slot=slot).values_list("local_date", flat=True)) == [
        D(2026, 9, 2),
        D(2026, 9, 9),
        D(2026, 9, 23),
        D(2026, 9, 30),
    ]

    region_only = "Only the organization's leaders, or the director of this rhythm's region, plan it."
    org_only = "Only the organization's leaders plan a rhythm for the whole organization."
    rhythms = Rhythm.objects.count()
    assert (
        _refusal(lambda: actions.do_save_rhythm(director, Rhythm(name="South", region=world.outside.region, **span)))
        == region_only
    )
    assert _refusal(lambda: actions.do_save_rhythm(director, Rhythm(name="Everyone", **span))) == org_only
    assert Rhythm.objects.count() == rhythms

    # Moving their own rhythm to another region needs the right to plan that one too.
    north.region = world.outside.region
    assert _refusal(lambda: actions.do_save_rhythm(director, north)) == region_only
    north.refresh_from_db()
    assert north.region == world.inside.region

    south = actions.do_save_rhythm(leader, Rhythm(name="South", region=world.outside.region, **span))
    everyone = actions.do_save_rhythm(leader, Rhythm(name="Everyone", **span))
    assert _refusal(lambda: actions.do_generate(director, south, now=BEFORE)) == region_only
    assert _refusal(lambda: actions.do_generate(director, everyone, now=BEFORE)) == org_only
    assert (
        _refusal(
            lambda: actions.do_save_slot(
                director,
                Slot(rhythm=south, session_type=_type("Team meeting"), weekday=2, starts_at=T(15), minutes=60),
            )
        )
        == region_only
    )
    assert _refusal(
        lambda: actions.do_save_day_off(
            director, DayOff(school_year=YEAR, name="Everyone off", first_day=D(2026, 9, 4), last_day=D(2026, 9, 4))
        )
    ) == ("Only the organization's leaders add days off for every rhythm; add it to your region's rhythm.")
    assert not Slot.objects.filter(rhythm__in=[south, everyone]).exists()
    assert not DayOff.objects.filter(name="Everyone off").exists()

    # A coach leads one school of the region, not the region.
    coach = world.people[Role.COACH]
    assert _refusal(lambda: actions.do_generate(coach, north, now=BEFORE)) == region_only
