"""Turning a rhythm into sessions, and keeping them in step when the rhythm or the days off change.

Generation is idempotent: a slot's session on a date is created once and afterwards only moved or
cancelled. Sessions that have already begun, and sessions edited by hand ("detached"), are never
touched. A session that no longer fits (its slot was removed, a holiday was added) is cancelled,
not deleted, so subscribed calendars show the cancellation and any notes or attendance survive.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import F, Q
from django.utils import timezone

from tandem.learning import calendar
from tandem.learning.models import Agenda, DayOff, Rhythm, Session, Slot


@dataclass
class Outcome:
    created: int = 0
    moved: int = 0
    # Same time, but a new title, place or invitations from the slot.
    updated: int = 0
    cancelled: int = 0
    restored: int = 0
    kept: int = 0
    touched: list[int] = field(default_factory=list)

    def summary(self) -> str:
        parts = [f"{self.created} created", f"{self.moved} moved", f"{self.cancelled} cancelled"]
        if self.updated:
            parts.append(f"{self.updated} updated")
        if self.restored:
            parts.append(f"{self.restored} restored")
        return ", ".join(parts) + f"; {self.kept} unchanged"

    def add(self, other: "Outcome") -> None:
        for name in ("created", "moved", "updated", "cancelled", "restored", "kept"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.touched += other.touched


@dataclass(frozen=True)
class Source:
    """What a generated session takes from its slot or convening, besides its time."""

    title: str
    location: str
    zone: str
    teams: frozenset[int] = frozenset()
    facilitators: frozenset[int] = frozenset()

    @classmethod
    def of_slot(cls, slot: Slot, zone: str) -> "Source":
        return cls(
            slot.title or slot.session_type.name,
            slot.location,
            zone,
            frozenset(t.pk for t in slot.teams.all()),
            frozenset(p.pk for p in slot.facilitators.all()),
        )


def _keep_in_line(session: Session, occ: calendar.Occurrence, source: Source, outcome: Outcome) -> None:
    """Bring a future session that nobody changed by hand in line with its source; one cancelled
    only because it no longer fitted comes back."""
    moved = (session.starts_at, session.ends_at, session.time_zone) != (occ.starts, occ.ends, source.zone)
    if moved:
        session.starts_at, session.ends_at, session.time_zone, session.local_date = (
            occ.starts,
            occ.ends,
            source.zone,
            occ.day,
        )
    updated = (session.title, session.location) != (source.title, source.location)
    session.title, session.location = source.title, source.location
    if {t.pk for t in session.teams.all()} != source.teams:
        session.teams.set(source.teams)
        updated = True
    if {p.pk for p in session.facilitators.all()} != source.facilitators:
        session.facilitators.set(source.facilitators)
        updated = True
    restored = session.cancelled and session.cancel_reason.startswith(AUTO)
    if restored:
        session.status, session.cancel_reason = Session.Status.SCHEDULED, ""
    if not (moved or updated or restored):
        outcome.kept += 1
        return
    outcome.restored += restored
    outcome.moved += moved and not restored
    outcome.updated += updated and not moved and not restored
    session.sequence += 1
    session.save()
    outcome.touched.append(session.pk)


def agenda_priorities(school_year: int) -> dict[datetime.date, int | None]:
    """The published agenda's priority for each month (empty while the agenda is a draft)."""
    agenda = Agenda.objects.filter(school_year=school_year, status=Agenda.Status.PUBLISHED).first()
    if agenda is None:
        return {}
    return {m.month: m.priority_id for m in agenda.months.all()}


def closures_for(rhythm: Rhythm) -> list[calendar.Closure]:
    days_off = DayOff.objects.filter(Q(rhythm=rhythm) | Q(rhythm=None), school_year=rhythm.school_year)
    return [calendar.Closure(d.first_day, d.last_day) for d in days_off]


def occurrences(rhythm: Rhythm) -> list[calendar.Occurrence]:
    rules = [
        calendar.SlotRule(s.pk, s.weekday, s.starts_at, s.minutes, s.every_weeks, s.week_offset)
        for s in rhythm.slots.all()
    ]
    return calendar.expand(rules, rhythm.starts_on, rhythm.ends_on, rhythm.time_zone, closures_for(rhythm))


def generate(rhythm: Rhythm, now: datetime.datetime) -> Outcome:
    slots = {s.pk: s for s in rhythm.slots.select_related("session_type").prefetch_related("teams", "facilitators")}
    wanted = {(o.key, o.day): o for o in occurrences(rhythm)}
    existing = {
        (s.slot_id, s.occurrence): s
        for s in Session.objects.filter(slot__rhythm=rhythm).prefetch_related("teams", "facilitators")
    }
    priorities = agenda_priorities(rhythm.school_year)
    outcome = Outcome()
    new = []
    for key, occ in wanted.items():
        session = existing.get(key)
        if session is None:
            if occ.starts >= now:
                new.append(_new_session(slots[occ.key], occ, rhythm.time_zone, priorities))
            continue
        if session.detached or session.starts_at < now:
            outcome.kept += 1
            continue
        _keep_in_line(session, occ, Source.of_slot(slots[occ.key], rhythm.time_zone), outcome)
    closures = DayOff.objects.filter(Q(rhythm=rhythm) | Q(rhythm=None), school_year=rhythm.school_year)
    for key, session in existing.items():
        if key in wanted or session.detached or session.starts_at < now or session.cancelled:
            continue
        session.status = Session.Status.CANCELLED
        session.cancel_reason = AUTO + _why_gone(key[1], closures)
        session.sequence += 1
        session.save()
        outcome.cancelled += 1
        outcome.touched.append(session.pk)
    created = Session.objects.bulk_create(new)
    _invite(created, [slots[s.slot_id] for s in created])
    outcome.created = len(created)
    outcome.touched.extend(s.pk for s in created)
    return outcome


# Cancellations made by generation start with this, so that generation can also undo them.
AUTO = "Not in the rhythm: "


def _why_gone(day: datetime.date, closures: Iterable[DayOff]) -> str:
    for closure in closures:
        if closure.first_day <= day <= closure.last_day:
            return closure.name
    return "its slot was removed or changed"


def _new_session(
    slot: Slot, occ: calendar.Occurrence, zone: str, priorities: dict[datetime.date, int | None]
) -> Session:
    return Session(
        title=slot.title or slot.session_type.name,
        session_type=slot.session_type,
        priority_id=priorities.get(occ.day.replace(day=1)),
        starts_at=occ.starts,
        ends_at=occ.ends,
        time_zone=zone,
        location=slot.location,
        slot=slot,
        occurrence=occ.day,
        local_date=occ.day,
        agenda=slot.session_type.agenda_text(),
    )


def _invite(sessions: list[Session], slots: list[Slot]) -> None:
    teams, facilitators = [], []
    for session, slot in zip(sessions, slots, strict=True):
        teams += [Session.teams.through(session_id=session.pk, team_id=t.pk) for t in slot.teams.all()]
        facilitators += [
            Session.facilitators.through(session_id=session.pk, person_id=p.pk) for p in slot.facilitators.all()
        ]
    Session.teams.through.objects.bulk_create(teams)
    Session.facilitators.through.objects.bulk_create(facilitators)


def generate_convening(day_off: DayOff, now: datetime.datetime) -> Outcome:
    """A convening's sessions, one per weekday of its span; days dropped from the span are
    cancelled, and come back when the span grows again."""
    outcome = Outcome()
    assert day_off.session_type is not None and day_off.starts_at is not None and day_off.minutes
    wanted = {
        o.day: o
        for o in calendar.convening(
            day_off.pk, day_off.first_day, day_off.last_day, day_off.starts_at, day_off.minutes, day_off.time_zone
        )
    }
    existing = {
        s.occurrence: s for s in Session.objects.filter(day_off=day_off).prefetch_related("teams", "facilitators")
    }
    source = Source(day_off.name, day_off.location, day_off.time_zone)
    priorities = agenda_priorities(day_off.school_year)
    for day, occ in wanted.items():
        session = existing.get(day)
        if session is None:
            if occ.starts >= now:
                session = Session.objects.create(
                    title=day_off.name,
                    session_type=day_off.session_type,
                    priority_id=priorities.get(day.replace(day=1)),
                    starts_at=occ.starts,
                    ends_at=occ.ends,
                    time_zone=day_off.time_zone,
                    location=day_off.location,
                    day_off=day_off,
                    occurrence=day,
                    local_date=day,
                    agenda=day_off.session_type.agenda_text(),
                )
                outcome.created += 1
                outcome.touched.append(session.pk)
        elif session.detached or session.starts_at < now:
            outcome.kept += 1
        else:
            _keep_in_line(session, occ, source, outcome)
    for day, session in existing.items():
        if day not in wanted and not session.cancelled and not session.detached and session.starts_at >= now:
            session.status, session.cancel_reason = Session.Status.CANCELLED, AUTO + "the convening's dates changed"
            session.sequence += 1
            session.save()
            outcome.cancelled += 1
            outcome.touched.append(session.pk)
    return outcome


def apply_agenda(school_year: int) -> int:
    """Tie every session of the year whose priority follows the agenda to its month's priority."""
    priorities = agenda_priorities(school_year)
    now = timezone.now()
    changed = 0
    for month_start in calendar.school_months(school_year):
        following = (month_start + datetime.timedelta(days=32)).replace(day=1)
        changed += (
            Session.objects.filter(priority_from_agenda=True, local_date__gte=month_start, local_date__lt=following)
            .exclude(priority_id=priorities.get(month_start))
            .update(priority_id=priorities.get(month_start), sequence=F("sequence") + 1, updated_at=now)
        )
    return changed
