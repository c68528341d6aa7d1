"""Every change to the learning spaces goes through these functions: each checks the actor's right
to make it, runs in one transaction and writes an audit entry. A refusal is a ValidationError
whose message says why; views and the API look objects up through the scope first, so an object
the actor may not see never reaches here.
"""

import datetime
import zoneinfo
from typing import Any

import holidays
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model, Q
from django.urls import reverse
from django.utils import timezone

from tandem.access import audit
from tandem.access.scope import Scope, scope_for
from tandem.access.tokens import digest
from tandem.core import school_years
from tandem.inquiry.actions import do_add_action, do_link
from tandem.inquiry.models import Cycle, CycleLink
from tandem.inquiry.visibility import can_contribute, visible_cycles
from tandem.learning import calendar, ical, schedule
from tandem.learning.invitations import invitees
from tandem.learning.models import (
    Agenda,
    AgendaMonth,
    Attendance,
    Comment,
    DayOff,
    Feed,
    Material,
    Priority,
    Proposal,
    ReminderPreference,
    Rhythm,
    Session,
    SessionType,
    Slot,
    Takeaway,
    check_zone,
)
from tandem.learning.tasks import queue_reminders
from tandem.learning.visibility import is_staff, keeps_record, plans_all, plans_region, plans_session
from tandem.network.models import Cohort
from tandem.orgs.models import Person, Team
from tandem.practices.models import Practice
from tandem.practices.search import reindex
from tandem.practices.visibility import reads_library

MAX_MATERIAL = 20 << 20
# Facilitators take attendance as people arrive.
ATTENDANCE_OPENS = datetime.timedelta(hours=1)


def _refuse(message: str) -> None:
    raise ValidationError(message)


def _planner(actor: Person) -> Scope:
    scope = scope_for(actor)
    if not plans_all(scope):
        _refuse("Only the organization's leaders plan the learning spaces.")
    return scope


def _save(actor: Person, action: str, obj: Model) -> None:
    """Validate and save, recording a creation or the fields that changed."""
    before = audit.stored(obj) if obj.pk else None
    obj.full_clean()
    obj.save()
    if before is None:
        audit.record_creation(actor, action, obj)
    else:
        audit.record_update(actor, action, obj, before)


# -- session types and priorities ---------------------------------------------------------------


@transaction.atomic
def do_save_session_type(actor: Person, session_type: SessionType) -> SessionType:
    _planner(actor)
    _save(actor, "learning.session_type", session_type)
    return session_type


@transaction.atomic
def do_save_priority(actor: Person, priority: Priority) -> Priority:
    _planner(actor)
    _save(actor, "learning.priority", priority)
    return priority


# -- rhythms, slots and days off ----------------------------------------------------------------


def _rhythm_planner(actor: Person, rhythm: Rhythm) -> Scope:
    scope = scope_for(actor)
    if not plans_region(scope, rhythm.region):
        _refuse(
            "Only the organization's leaders, or the director of this rhythm's region, plan it."
            if rhythm.region_id
            else "Only the organization's leaders plan a rhythm for the whole organization."
        )
    return scope


@transaction.atomic
def do_save_rhythm(actor: Person, rhythm: Rhythm) -> Rhythm:
    if rhythm.pk:
        # Moving a rhythm to another region needs the right to plan both.
        _rhythm_planner(actor, Rhythm.objects.get(pk=rhythm.pk))
    _rhythm_planner(actor, rhythm)
    _save(actor, "learning.rhythm", rhythm)
    return rhythm


@transaction.atomic
def do_save_slot(
    actor: Person, slot: Slot, teams: list[Team] | None = None, facilitators: list[Person] | None = None
) -> Slot:
    _rhythm_planner(actor, slot.rhythm)
    if slot.session_type_id and slot.session_type.archived and not slot.pk:
        _refuse(f"“{slot.session_type}” is archived; choose a session type in use.")
    _save(actor, "learning.slot", slot)
    if teams is not None:
        slot.teams.set(teams)
    if facilitators is not None:
        slot.facilitators.set(facilitators)
    return slot


@transaction.atomic
def do_delete_slot(actor: Person, slot: Slot, now: datetime.datetime | None = None) -> int:
    """The slot goes, and its future sessions are cancelled (past ones stay, with their records;
    sessions changed by hand stay as they are). Returns how many were cancelled."""
    _rhythm_planner(actor, slot.rhythm)
    cancelled = _cancel_future(slot.sessions.all(), now, "its slot was removed")
    audit.record(actor, "learning.slot.delete", slot, {**audit.snapshot(slot), "cancelled": cancelled})
    slot.delete()
    return cancelled


def _day_off_planner(actor: Person, day_off: DayOff) -> Scope:
    if day_off.rhythm_id:
        return _rhythm_planner(actor, day_off.rhythm)  # type: ignore[arg-type]
    scope = scope_for(actor)
    if not plans_all(scope):
        _refuse("Only the organization's leaders add days off for every rhythm; add it to your region's rhythm.")
    return scope


@transaction.atomic
def do_save_day_off(actor: Person, day_off: DayOff) -> DayOff:
    _day_off_planner(actor, day_off)
    if day_off.rhythm_id and not day_off.school_year:
        day_off.school_year = day_off.rhythm.school_year  # type: ignore[union-attr]
    _save(actor, "learning.day_off", day_off)
    return day_off


@transaction.atomic
def do_delete_day_off(actor: Person, day_off: DayOff, now: datetime.datetime | None = None) -> int:
    """The day off goes (regenerating brings back the regular sessions of its days); a convening's
    own future sessions are cancelled. Returns how many were cancelled."""
    _day_off_planner(actor, day_off)
    cancelled = _cancel_future(
        day_off.sessions.all(), now, "the convening was removed" if day_off.kind == DayOff.Kind.CONVENING else ""
    )
    audit.record(actor, "learning.day_off.delete", day_off, {**audit.snapshot(day_off), "cancelled": cancelled})
    day_off.delete()
    return cancelled


def _cancel_future(sessions: Any, now: datetime.datetime | None, why: str) -> int:
    """Cancel the sessions still ahead that nobody changed by hand, saying why."""
    future = list(
        sessions.filter(starts_at__gte=now or timezone.now(), status=Session.Status.SCHEDULED, detached=False)
    )
    for session in future:
        session.status = Session.Status.CANCELLED
        session.cancel_reason = schedule.AUTO + why
        session.sequence += 1
        session.save()
    return len(future)


def public_holidays(
    school_year: int, country: str = "US", subdivision: str | None = None
) -> list[tuple[datetime.date, str]]:
    """Public holidays in a school year that fall on a weekday, from the holidays library."""
    first, last = school_years.span(school_year)
    try:
        found = holidays.country_holidays(country, subdiv=subdivision, years=[first.year, last.year])
    except NotImplementedError:
        raise ValidationError(f"Tandem has no public holidays for “{country} {subdivision or ''}”.".strip()) from None
    return sorted((d, name) for d, name in found.items() if first <= d <= last and d.weekday() < 5)


@transaction.atomic
def do_add_public_holidays(
    actor: Person, school_year: int, rhythm: Rhythm | None = None, country: str = "US", subdivision: str | None = None
) -> list[DayOff]:
    """Add the year's public holidays as days off (skipping days already off)."""
    added = []
    existing = DayOff.objects.filter(school_year=school_year, rhythm=rhythm)
    for day, name in public_holidays(school_year, country, subdivision):
        if existing.filter(first_day__lte=day, last_day__gte=day).exists():
            continue
        added.append(
            do_save_day_off(
                actor, DayOff(school_year=school_year, rhythm=rhythm, name=name, first_day=day, last_day=day)
            )
        )
    return added


@transaction.atomic
def do_generate(actor: Person, rhythm: Rhythm, now: datetime.datetime | None = None) -> schedule.Outcome:
    """Create the rhythm's sessions for its span, and bring future ones in line with it (and the
    convenings of its year)."""
    scope = _rhythm_planner(actor, rhythm)
    now = now or timezone.now()
    outcome = schedule.generate(rhythm, now)
    # The rhythm's own convenings, and those of every rhythm for the organization's leaders.
    convenings = DayOff.objects.filter(kind=DayOff.Kind.CONVENING, school_year=rhythm.school_year)
    for convening in convenings.filter(Q(rhythm=rhythm) | Q(rhythm=None) if plans_all(scope) else Q(rhythm=rhythm)):
        outcome.add(schedule.generate_convening(convening, now))
    rhythm.generated_at = now
    rhythm.save(update_fields=["generated_at"])
    audit.record(
        actor,
        "learning.rhythm.generate",
        rhythm,
        {"created": outcome.created, "moved": outcome.moved, "cancelled": outcome.cancelled},
    )
    queue_reminders(list(Session.objects.filter(pk__in=outcome.touched)))
    return outcome


# -- sessions -------------------------------------------------------------------------------------


@transaction.atomic
def do_save_session(
    actor: Person,
    session: Session,
    teams: list[Team] | None = None,
    facilitators: list[Person] | None = None,
    guests: list[Person] | None = None,
    cohorts: list[Cohort] | None = None,
) -> Session:
    """Create a one-off session or change one (a convening invites leadership network cohorts). A
    generated session changed here is detached from its rhythm, so regenerating never changes it
    back. The caller says whether the priority follows the agenda (`priority_from_agenda`); while
    it does, the session takes the published agenda's priority for the month it is (now) held in."""
    scope = scope_for(actor)
    stored = Session.objects.filter(pk=session.pk).first() if session.pk else None
    if stored is not None:
        if not plans_session(scope, stored):
            _refuse("Only the session's planners change its time, place or invitations.")
        # Edited by hand, a generated session leaves its rhythm: regenerating no longer moves it,
        # renames it or changes whom it invites.
        session.detached = stored.detached or bool(stored.slot_id or stored.day_off_id)
        session.sequence = stored.sequence + 1
    elif not plans_all(scope):
        _refuse("Only the organization's leaders schedule sessions.")
    changed_priority = stored is None or stored.priority_id != session.priority_id
    if session.priority_id and session.priority.archived and changed_priority:
        raise ValidationError({"priority": f"“{session.priority}” is archived; choose a priority in use."})
    changed_type = stored is None or stored.session_type_id != session.session_type_id
    if session.session_type_id and session.session_type.archived and changed_type:
        raise ValidationError({"session_type": f"“{session.session_type}” is archived; choose a session type in use."})
    try:
        check_zone(session.time_zone)
    except ValidationError as e:
        raise ValidationError({"time_zone": e.messages}) from None
    if session.starts_at is None or session.ends_at is None:
        raise ValidationError({"starts_at": "A session needs its start and end."})
    for field in ("starts_at", "ends_at"):
        # The local date, without converting: an instant at the ends of the calendar cannot be.
        if not school_years.EARLIEST <= getattr(session, field).date() <= school_years.LATEST:
            raise ValidationError(
                {field: f"Give a date from {school_years.EARLIEST.year} to {school_years.LATEST.year}."}
            )
    session.local_date = session.starts_at.astimezone(zoneinfo.ZoneInfo(session.time_zone)).date()
    if session.priority_from_agenda:
        # The published agenda's priority for the month; while the agenda is a draft (or there is
        # none), the session keeps the priority it has.
        priorities = schedule.agenda_priorities(school_years.of_date(session.local_date))
        if priorities:
            session.priority_id = priorities.get(session.local_date.replace(day=1))
    if stored is None and not session.agenda:
        session.agenda = session.session_type.agenda_text()
    _save(actor, "learning.session", session)
    if teams is not None:
        session.teams.set(teams)
    if facilitators is not None:
        session.facilitators.set(facilitators)
    if guests is not None:
        session.guests.set(guests)
    if cohorts is not None:
        session.cohorts.set(cohorts)
    queue_reminders([session])
    return session


@transaction.atomic
def do_cancel_session(actor: Person, session: Session, reason: str, restore: bool = False) -> Session:
    if not plans_session(scope_for(actor), session):
        _refuse("Only the session's planners cancel it.")
    if restore:
        if not session.cancelled:
            _refuse("The session is not cancelled.")
        session.status, session.cancel_reason = Session.Status.SCHEDULED, ""
    else:
        if session.cancelled:
            _refuse("The session is already cancelled.")
        if not reason.strip():
            _refuse("Say why the session is cancelled: invitees see the reason in their calendars.")
        session.status, session.cancel_reason = Session.Status.CANCELLED, reason.strip()[:200]
    # Cancelled or restored by hand: regenerating the rhythm leaves this choice alone.
    session.detached = True
    session.sequence += 1
    _save(actor, "learning.session.restore" if restore else "learning.session.cancel", session)
    if restore:
        queue_reminders([session])
    return session


@transaction.atomic
def do_save_record(actor: Person, session: Session, notes: str, agenda: str) -> Session:
    if not keeps_record(scope_for(actor), session):
        _refuse("Only the session's facilitators and planners keep its notes and agenda.")
    session.notes, session.agenda = notes, agenda
    _save(actor, "learning.session.record", session)
    return session


@transaction.atomic
def do_record_attendance(actor: Person, session: Session, marks: dict[Person, str]) -> int:
    """Set each person's attendance (present, absent, excused); an empty mark clears it. A mark
    lets its person see the session, so only its invitees, people already marked and people in the
    actor's own reach (someone who walked in) can be marked."""
    scope = scope_for(actor)
    if not keeps_record(scope, session):
        _refuse("Only the session's facilitators and planners take attendance.")
    if session.cancelled:
        _refuse("The session was cancelled; there is no attendance to take.")
    if session.starts_at > timezone.now() + ATTENDANCE_OPENS:
        _refuse("Attendance opens an hour before the session begins.")
    ids = [p.pk for p in marks]
    allowed = set(invitees(session).filter(pk__in=ids).values_list("pk", flat=True))
    allowed |= set(session.attendance.filter(person__in=ids).values_list("person", flat=True))
    allowed |= set(scope.people().filter(pk__in=ids).values_list("pk", flat=True))
    strangers = sorted(p.full_name for p in marks if p.pk not in allowed)
    if strangers:
        _refuse(f"{', '.join(strangers)} cannot be marked: not invited, and not among the people you work with.")
    valid = set(Attendance.Status.values)
    changed = 0
    for person, status in marks.items():
        if status and status not in valid:
            _refuse(f"“{status}” is not an attendance mark; use {', '.join(sorted(valid))}.")
        row = Attendance.objects.filter(session=session, person=person).first()
        if not status:
            if row is not None:
                audit.record(actor, "learning.attendance.clear", row, audit.snapshot(row))
                row.delete()
                changed += 1
            continue
        if row is None:
            _save(actor, "learning.attendance", Attendance(session=session, person=person, status=status))
            changed += 1
        elif row.status != status:
            row.status = status
            _save(actor, "learning.attendance", row)
            changed += 1
    return changed


@transaction.atomic
def do_add_material(
    actor: Person, session: Session, title: str, url: str = "", file: UploadedFile | None = None
) -> Material:
    if not keeps_record(scope_for(actor), session):
        _refuse("Only the session's facilitators and planners add its materials.")
    if not url and file is None:
        _refuse("A material is a link or a file; give one of them.")
    if file is not None and file.size and file.size > MAX_MATERIAL:
        _refuse(f"“{file.name}” is {file.size / (1 << 20):.1f} MB; a material file may be at most 20 MB.")
    material = Material(session=session, title=title.strip() or (file.name if file else url), url=url, added_by=actor)
    if file is not None:
        material.file = file
    _save(actor, "learning.material", material)
    return material


@transaction.atomic
def do_add_takeaway(actor: Person, session: Session, text: str) -> Takeaway:
    if not text.strip():
        _refuse("Write the takeaway.")
    takeaway = Takeaway(session=session, author=actor, text=text.strip())
    _save(actor, "learning.takeaway", takeaway)
    return takeaway


def _own_takeaway(scope: Scope, takeaway: Takeaway) -> None:
    assert scope.person is not None
    if takeaway.author_id != scope.person.pk and not plans_session(scope, takeaway.session):
        _refuse("Only the takeaway's author (or the session's planners) takes it further.")


@transaction.atomic
def do_takeaway_to_action(
    actor: Person, takeaway: Takeaway, cycle: Cycle, due_on: datetime.date | None = None
) -> Takeaway:
    """The takeaway becomes an action in a cycle of inquiry the actor works on; the cycle records
    that the action started from the session."""
    if takeaway.action_id:
        _refuse("This takeaway is already an action in a cycle.")
    scope = scope_for(actor)
    _own_takeaway(scope, takeaway)
    if not visible_cycles(scope).filter(pk=cycle.pk).exists() or not can_contribute(scope, cycle):
        _refuse("You can add actions only to cycles you work on.")
    if cycle.status != Cycle.Status.ACTIVE:
        _refuse("That cycle is finished; choose an active one.")
    takeaway.action = do_add_action(actor, cycle, takeaway.text[:300], owner=actor, due_on=due_on)
    do_link(actor, cycle, CycleLink.Relation.STARTED_FROM, takeaway.session)
    _save(actor, "learning.takeaway.to_action", takeaway)
    return takeaway


@transaction.atomic
def do_takeaway_to_practice(actor: Person, takeaway: Takeaway, title: str) -> Takeaway:
    """The takeaway becomes a draft in the practice library, which its author finishes there."""
    if takeaway.practice_id:
        _refuse("This takeaway is already a practice draft.")
    _own_takeaway(scope_for(actor), takeaway)
    if not reads_library(scope_for(actor)):
        _refuse("The practice library is not open to you.")
    session = takeaway.session
    practice = Practice(
        title=title.strip() or takeaway.text[:200],
        summary=takeaway.text,
        author=actor,
        # The session's title stays off the practice: a reader of the library may not see it.
        origin=f"A takeaway from a learning session on {session.local_date:%-d %b %Y}",
    )
    _save(actor, "practice.draft", practice)
    reindex(practice)
    takeaway.practice = practice
    _save(actor, "learning.takeaway.to_practice", takeaway)
    return takeaway


# -- the learning agenda ---------------------------------------------------------------------------


@transaction.atomic
def do_open_agenda(actor: Person, school_year: int) -> Agenda:
    """Start the year's draft agenda, one month row for each month of the school year."""
    _planner(actor)
    if Agenda.objects.filter(school_year=school_year).exists():
        _refuse(f"The {school_years.label(school_year)} agenda already exists.")
    agenda = Agenda(school_year=school_year)
    _save(actor, "learning.agenda", agenda)
    AgendaMonth.objects.bulk_create(AgendaMonth(agenda=agenda, month=m) for m in calendar.school_months(school_year))
    return agenda


def _draft(agenda: Agenda, doing: str) -> None:
    if agenda.published:
        _refuse(f"The agenda is published; {doing} only while it is a draft (a leader can reopen it).")


@transaction.atomic
def do_save_month(actor: Person, month: AgendaMonth, priority: Priority | None, focus: str) -> AgendaMonth:
    _planner(actor)
    _draft(month.agenda, "months are changed")
    if priority is not None and priority.archived:
        _refuse(f"“{priority}” is archived; choose a priority in use.")
    month.priority, month.focus = priority, focus.strip()
    _save(actor, "learning.agenda.month", month)
    return month


def _contributor(actor: Person, agenda: Agenda) -> None:
    if not is_staff(scope_for(actor)):
        _refuse("Only the organization's staff help write the learning agenda.")
    _draft(agenda, "items are proposed and comments written")


def _in_year(agenda: Agenda, month: datetime.date | None) -> datetime.date | None:
    if month is None:
        return None
    month = month.replace(day=1)
    if month not in calendar.school_months(agenda.school_year):
        _refuse(f"{month:%B %Y} is not in the {school_years.label(agenda.school_year)} school year.")
    return month


@transaction.atomic
def do_propose(
    actor: Person,
    agenda: Agenda,
    title: str,
    body: str = "",
    month: datetime.date | None = None,
    priority: Priority | None = None,
) -> Proposal:
    _contributor(actor, agenda)
    proposal = Proposal(
        agenda=agenda,
        author=actor,
        title=title.strip(),
        body=body.strip(),
        month=_in_year(agenda, month),
        priority=priority,
    )
    _save(actor, "learning.agenda.propose", proposal)
    return proposal


@transaction.atomic
def do_respond(actor: Person, proposal: Proposal, status: str, response: str = "") -> Proposal:
    _planner(actor)
    if status not in Proposal.Status.values:
        _refuse(f"“{status}” is not an answer to a proposal; use {', '.join(Proposal.Status.values)}.")
    proposal.status, proposal.response = status, response.strip()
    _save(actor, "learning.agenda.respond", proposal)
    return proposal


@transaction.atomic
def do_comment(actor: Person, agenda: Agenda, body: str, month: datetime.date | None = None) -> Comment:
    _contributor(actor, agenda)
    if not body.strip():
        _refuse("Write the comment.")
    comment = Comment(agenda=agenda, author=actor, body=body.strip(), month=_in_year(agenda, month))
    _save(actor, "learning.agenda.comment", comment)
    return comment


@transaction.atomic
def do_publish(actor: Person, agenda: Agenda, reopen: bool = False) -> int:
    """Publish the agenda: each month must have its priority; every session of a month whose
    priority follows the agenda is tied to it. Reopening makes it a draft again (sessions keep
    their priorities until it is published again). Returns how many sessions changed priority."""
    _planner(actor)
    if reopen:
        if not agenda.published:
            _refuse("The agenda is already a draft.")
        agenda.status, agenda.published_at, agenda.published_by = Agenda.Status.DRAFT, None, None
        _save(actor, "learning.agenda.reopen", agenda)
        return 0
    if agenda.published:
        _refuse("The agenda is already published.")
    missing = [f"{m.month:%B}" for m in agenda.months.all() if m.priority_id is None]
    if missing:
        _refuse(f"Every month needs a priority before the agenda is published; missing: {', '.join(missing)}.")
    agenda.status, agenda.published_at, agenda.published_by = Agenda.Status.PUBLISHED, timezone.now(), actor
    _save(actor, "learning.agenda.publish", agenda)
    return schedule.apply_agenda(agenda.school_year)


# -- calendar feeds and reminders ----------------------------------------------------------------


@transaction.atomic
def do_create_feed(actor: Person, team: Team | None = None) -> tuple[Feed, str]:
    """A new private feed address; the secret is returned once and only its digest is kept."""
    if team is not None and not (team.members.filter(pk=actor.pk).exists() or plans_all(scope_for(actor))):
        _refuse("You can subscribe to a team's calendar only as one of its members.")
    token = ical.new_token()
    feed = Feed(owner=actor, team=team, token_digest=digest(token))
    _save(actor, "learning.feed", feed)
    return feed, token


@transaction.atomic
def do_revoke_feed(actor: Person, feed: Feed) -> Feed:
    if feed.owner_id != actor.pk:
        _refuse("Only the feed's owner revokes it.")
    if feed.revoked_at is None:
        feed.revoked_at = timezone.now()
        _save(actor, "learning.feed.revoke", feed)
    return feed


@transaction.atomic
def do_set_reminders(actor: Person, on: bool) -> ReminderPreference:
    pref, _ = ReminderPreference.objects.get_or_create(person=actor)
    pref.email_reminders = on
    _save(actor, "learning.reminders", pref)
    return pref


def outcome_message(outcome: schedule.Outcome) -> str:
    return f"Sessions generated: {outcome.summary()}."


def feed_url(token: str) -> str:
    return settings.TANDEM_BASE_URL + reverse("learning:feed", args=[token])
