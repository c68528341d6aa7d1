"""The learning spaces as JSON: session types and priorities, the sessions themselves (with their
attendance and takeaways), the rhythms they are generated from, and the school year's agenda.

Sessions are found through `visible_sessions`: the organization's staff see every one, anyone else
only those they are invited to, so a session the caller may not see answers 404 exactly like one
that does not exist. Session types, priorities, rhythms and the agenda are the staff's alone and
answer 404 to anyone else. A caller who sees an object but may not make the change asked (plan a
session, take its attendance, generate a rhythm, publish the agenda) gets 404 too, as in the cycles
API; the actions still check every right themselves. Ids in a body outside the caller's reach are
field errors worded as for ids that do not exist.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Path, Query, Router, Status

from tandem.access.scope import Scope
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import one_in_reach as _one
from tandem.core import school_years
from tandem.learning import actions
from tandem.learning.api_schemas import (
    AgendaOut,
    ArchivedFilter,
    AttendanceIn,
    CancelIn,
    CommentIn,
    CommentOut,
    GenerateOut,
    PriorityIn,
    PriorityOut,
    PriorityPatch,
    ProposalIn,
    ProposalOut,
    PublishedOut,
    PublishIn,
    RhythmDetailOut,
    RhythmFilters,
    RhythmOut,
    SessionDetailOut,
    SessionFilters,
    SessionIn,
    SessionOut,
    SessionPatch,
    SessionTypeIn,
    SessionTypeOut,
    SessionTypePatch,
    TakeawayIn,
    TakeawayOut,
)
from tandem.learning.invitations import invitees, sessions_for
from tandem.learning.models import (
    Agenda,
    Comment,
    DayOff,
    Priority,
    Proposal,
    Rhythm,
    Session,
    SessionType,
    Takeaway,
    check_zone,
)
from tandem.learning.visibility import is_staff, keeps_record, plans_all, plans_region, plans_session, visible_sessions
from tandem.orgs.models import Person, Team

router = Router(tags=["learning"])


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _not_found() -> Http404:
    return Http404("Not found.")


def _staff(request: HttpRequest) -> Scope:
    """Session types, priorities, rhythms and the agenda are the organization's staff's alone."""
    scope: Scope = request.scope
    if not is_staff(scope):
        raise _not_found()
    return scope


def _planner(request: HttpRequest) -> Scope:
    # Without the right the operation answers as if it did not exist, as template editing does.
    scope: Scope = request.scope
    if not plans_all(scope):
        raise _not_found()
    return scope


def _not_empty(given: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in given and given[name] is None:
            raise ValidationError({name: "This field cannot be empty."})


def _zone(name: str) -> str:
    try:
        check_zone(name)
    except ValidationError as error:
        raise ValidationError({"time_zone": error.messages}) from None
    return name


def _people(scope: Scope, ids: list[int], field: str) -> list[Person]:
    found = {p.pk: p for p in scope.people().filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({field: "No person has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _teams(ids: list[int]) -> list[Team]:
    # The organization's teams are known to its leaders, who alone plan sessions.
    found = {t.pk: t for t in Team.objects.filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({"team_ids": "No team has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _ref(obj: Any) -> dict[str, Any]:
    return {"id": obj.pk, "name": str(obj)}


# -- session types and priorities -----------------------------------------------------------------


def _type_out(session_type: SessionType) -> dict[str, Any]:
    return {
        "id": session_type.pk,
        "name": session_type.name,
        "purpose": session_type.purpose,
        "structure": list(session_type.structure),
        "audience": session_type.audience,
        "typical_minutes": session_type.typical_minutes,
        "cadence": session_type.cadence,
        "built_in": session_type.built_in,
        "archived": session_type.archived,
    }


@router.get("/learning/session-types", response={200: Page[SessionTypeOut], **READ_ERRORS})
def list_session_types(request: HttpRequest, filters: Query[ArchivedFilter]) -> Any:
    """The kinds of learning session, with the agenda each new session starts from (staff)."""
    _staff(request)
    qs = SessionType.objects.all()
    if filters.archived is not None:
        qs = qs.filter(archived=filters.archived)
    return page_of(qs, filters.limit, filters.offset, _type_out)


@router.post("/learning/session-types", response={201: SessionTypeOut, **WRITE_ERRORS})
def create_session_type(request: HttpRequest, data: SessionTypeIn) -> Any:
    """Add a session type (the organization's leaders)."""
    _planner(request)
    session_type = actions.do_save_session_type(_person(request), SessionType(**data.dict()))
    return Status(201, _type_out(session_type))


@router.patch("/learning/session-types/{session_type_id}", response={200: SessionTypeOut, **WRITE_ERRORS})
def update_session_type(request: HttpRequest, session_type_id: int, data: SessionTypePatch) -> Any:
    """Change or archive a session type (the organization's leaders). Sessions already scheduled
    keep the agenda they copied."""
    scope = _planner(request)
    session_type = scope.get(SessionType.objects.all(), session_type_id)
    given = data.dict(exclude_unset=True)
    _not_empty(given, tuple(given))
    for name, value in given.items():
        setattr(session_type, name, value)
    return _type_out(actions.do_save_session_type(_person(request), session_type))


def _priority_out(priority: Priority) -> dict[str, Any]:
    return {
        "id": priority.pk,
        "name": priority.name,
        "description": priority.description,
        "archived": priority.archived,
    }


@router.get("/learning/priorities", response={200: Page[PriorityOut], **READ_ERRORS})
def list_priorities(request: HttpRequest, filters: Query[ArchivedFilter]) -> Any:
    """The program priorities the agenda's months are aligned to (staff)."""
    _staff(request)
    qs = Priority.objects.all()
    if filters.archived is not None:
        qs = qs.filter(archived=filters.archived)
    return page_of(qs, filters.limit, filters.offset, _priority_out)


@router.post("/learning/priorities", response={201: PriorityOut, **WRITE_ERRORS})
def create_priority(request: HttpRequest, data: PriorityIn) -> Any:
    """Add a program priority (the organization's leaders)."""
    _planner(request)
    priority = actions.do_save_priority(_person(request), Priority(**data.dict()))
    return Status(201, _priority_out(priority))


@router.patch("/learning/priorities/{priority_id}", response={200: PriorityOut, **WRITE_ERRORS})
def update_priority(request: HttpRequest, priority_id: int, data: PriorityPatch) -> Any:
    """Change or archive a priority (the organization's leaders)."""
    scope = _planner(request)
    priority = scope.get(Priority.objects.all(), priority_id)
    given = data.dict(exclude_unset=True)
    _not_empty(given, tuple(given))
    for name, value in given.items():
        setattr(priority, name, value)
    return _priority_out(actions.do_save_priority(_person(request), priority))


# -- sessions -------------------------------------------------------------------------------------


def _sessions(scope: Scope) -> QuerySet[Session]:
    return visible_sessions(scope).select_related("session_type", "priority", "slot")


def _session_out(session: Session) -> dict[str, Any]:
    # Field by field on purpose: a new column on Session is not answered until someone adds it here.
    return {
        "id": session.pk,
        "title": session.title,
        "session_type_id": session.session_type_id,
        "session_type": session.session_type.name,
        "priority_id": session.priority_id,
        "priority": session.priority.name if session.priority else None,
        "priority_from_agenda": session.priority_from_agenda,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "time_zone": session.time_zone,
        "local_date": session.local_date,
        "minutes": session.minutes,
        "location": session.location,
        "status": session.status,
        "cancel_reason": session.cancel_reason,
        "rhythm_id": session.slot.rhythm_id if session.slot else None,
        "detached": session.detached,
    }


def _takeaway_out(takeaway: Takeaway) -> dict[str, Any]:
    return {
        "id": takeaway.pk,
        "session_id": takeaway.session_id,
        "author_id": takeaway.author_id,
        "text": takeaway.text,
        "created_at": takeaway.created_at,
        "action_id": takeaway.action_id,
        "practice_id": takeaway.practice_id,
    }


def _detail(scope: Scope, session_id: int) -> dict[str, Any]:
    """The session as it is now. Read by id without the scope: the caller was already allowed to
    reach it, as in the cycles API."""
    session = Session.objects.select_related("session_type", "priority", "slot").get(pk=session_id)
    assert scope.person is not None
    record = keeps_record(scope, session)
    attendance = session.attendance.select_related("person")
    if not (record or is_staff(scope)):
        # Someone invited sees their own mark, not their colleagues'.
        attendance = attendance.filter(person=scope.person)
    return {
        **_session_out(session),
        "facilitators": [_ref(p) for p in session.facilitators.order_by("full_name", "pk")],
        "teams": [_ref(t) for t in session.teams.order_by("name", "pk")],
        "guests": [_ref(p) for p in session.guests.order_by("full_name", "pk")],
        "agenda": session.agenda,
        "notes": session.notes,
        "materials": [
            {
                "id": m.pk,
                "title": m.title,
                "url": m.url,
                # Never the file itself: it is served by the session's web page, which checks access.
                "file_name": m.file.name.rsplit("/", 1)[-1] if m.file else None,
                "added_by_id": m.added_by_id,
                "added_at": m.added_at,
            }
            for m in session.materials.all()
        ],
        "attendance": [{"person_id": a.person_id, "person": str(a.person), "status": a.status} for a in attendance],
        "takeaways": [_takeaway_out(t) for t in session.takeaways.all()],
        "may_plan": plans_session(scope, session),
        "may_keep_record": record,
    }


def _session(request: HttpRequest, session_id: int) -> Session:
    scope: Scope = request.scope
    return scope.get(_sessions(scope), session_id)


def _planned_session(request: HttpRequest, session_id: int) -> Session:
    """A session the caller sees and plans (changes, moves, cancels); 404 otherwise."""
    session = _session(request, session_id)
    if not plans_session(request.scope, session):
        raise _not_found()
    return session


@router.get("/learning/sessions", response={200: Page[SessionOut], **READ_ERRORS})
def list_sessions(request: HttpRequest, filters: Query[SessionFilters]) -> Any:
    """The sessions the caller sees, in time order: every session for the organization's staff,
    the sessions they are invited to for anyone else. Dates are the sessions' local dates."""
    scope: Scope = request.scope
    qs = _sessions(scope)
    if filters.from_ is not None:
        qs = qs.filter(local_date__gte=filters.from_)
    if filters.to is not None:
        qs = qs.filter(local_date__lte=filters.to)
    if filters.type is not None:
        qs = qs.filter(session_type_id=filters.type)
    if filters.priority is not None:
        qs = qs.filter(priority_id=filters.priority)
    if filters.team is not None:
        qs = qs.filter(pk__in=Session.objects.filter(teams=filters.team).values("pk"))
    if filters.mine:
        qs = qs.filter(pk__in=sessions_for(_person(request)).values("pk"))
    if filters.status:
        qs = qs.filter(status=filters.status)
    return page_of(qs, filters.limit, filters.offset, _session_out)


@router.get("/learning/sessions/{session_id}", response={200: SessionDetailOut, **READ_ERRORS})
def get_session(request: HttpRequest, session_id: int) -> Any:
    """A session with its invitations, agenda, notes, materials, attendance and takeaways."""
    return _detail(request.scope, _session(request, session_id).pk)


@router.post("/learning/sessions", response={201: SessionDetailOut, **WRITE_ERRORS})
def create_session(request: HttpRequest, data: SessionIn) -> Any:
    """Schedule a one-off session (the organization's leaders). Its agenda starts from its type's;
    without a priority it takes the published agenda's priority for its month."""
    scope = _planner(request)
    session = Session(
        title=data.title,
        session_type=_one(SessionType.objects.all(), data.session_type_id, "session_type_id", "session type"),
        priority=_one(Priority.objects.all(), data.priority_id, "priority_id", "priority"),
        priority_from_agenda=data.priority_id is None,
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        time_zone=_zone(data.time_zone),
        location=data.location,
    )
    actions.do_save_session(
        _person(request),
        session,
        teams=_teams(data.team_ids),
        facilitators=_people(scope, data.facilitator_ids, "facilitator_ids"),
        guests=_people(scope, data.guest_ids, "guest_ids"),
    )
    return Status(201, _detail(scope, session.pk))


@router.patch("/learning/sessions/{session_id}", response={200: SessionDetailOut, **WRITE_ERRORS})
def update_session(request: HttpRequest, session_id: int, data: SessionPatch) -> Any:
    """Change a session's title, type, time, place, priority or invitations (its planners)."""
    scope: Scope = request.scope
    session = _planned_session(request, session_id)
    given = data.dict(exclude_unset=True)
    _not_empty(given, ("title", "session_type_id", "starts_at", "ends_at", "time_zone", "location"))
    for name in ("title", "starts_at", "ends_at", "location"):
        if name in given:
            setattr(session, name, given[name])
    if "time_zone" in given:
        session.time_zone = _zone(given["time_zone"])
    if "session_type_id" in given:
        session.session_type = _one(  # type: ignore[assignment]
            SessionType.objects.all(), given["session_type_id"], "session_type_id", "session type"
        )
    if "priority_id" in given:
        # A priority set here stays; null hands the session back to the agenda.
        session.priority = _one(Priority.objects.all(), given["priority_id"], "priority_id", "priority")
        session.priority_from_agenda = given["priority_id"] is None
    actions.do_save_session(
        _person(request),
        session,
        teams=_teams(given["team_ids"] or []) if "team_ids" in given else None,
        facilitators=_people(scope, given["facilitator_ids"] or [], "facilitator_ids")
        if "facilitator_ids" in given
        else None,
        guests=_people(scope, given["guest_ids"] or [], "guest_ids") if "guest_ids" in given else None,
    )
    return _detail(scope, session.pk)


@router.post("/learning/sessions/{session_id}/cancel", response={200: SessionDetailOut, **WRITE_ERRORS})
def cancel_session(request: HttpRequest, session_id: int, data: CancelIn) -> Any:
    """Cancel a session with the reason invitees see, or restore a cancelled one (its planners).
    Either way generating its rhythm again leaves the choice alone."""
    session = _planned_session(request, session_id)
    actions.do_cancel_session(_person(request), session, data.reason, restore=data.restore)
    return _detail(request.scope, session.pk)


@router.put("/learning/sessions/{session_id}/attendance", response={200: SessionDetailOut, **WRITE_ERRORS})
def record_attendance(request: HttpRequest, session_id: int, data: AttendanceIn) -> Any:
    """Mark people present, absent or excused (an empty status clears a mark); people not named
    keep their marks. For the session's facilitators and planners, once it has begun."""
    scope: Scope = request.scope
    session = _session(request, session_id)
    if not keeps_record(scope, session):
        raise _not_found()
    ids = [m.person_id for m in data.marks]
    if len(set(ids)) != len(ids):
        raise ValidationError({"marks": "Each person is marked once."})
    # Anyone the session invites, anyone already marked, and anyone in the caller's reach.
    found = {p.pk: p for p in scope.people().filter(pk__in=ids)}
    found |= {p.pk: p for p in invitees(session).filter(pk__in=ids)}
    found |= {p.pk: p for p in Person.objects.filter(pk__in=ids, learning_attendance__session=session)}
    if any(i not in found for i in ids):
        raise ValidationError({"marks": "No person has one of these ids."})
    actions.do_record_attendance(_person(request), session, {found[m.person_id]: m.status for m in data.marks})
    return _detail(scope, session.pk)


@router.post("/learning/sessions/{session_id}/takeaways", response={201: TakeawayOut, **WRITE_ERRORS})
def add_takeaway(request: HttpRequest, session_id: int, data: TakeawayIn) -> Any:
    """Write down what you take away from a session you were part of."""
    session = _session(request, session_id)
    takeaway = actions.do_add_takeaway(_person(request), session, data.text)
    return Status(201, _takeaway_out(takeaway))


# -- rhythms --------------------------------------------------------------------------------------


def _rhythm_out(scope: Scope, rhythm: Rhythm) -> dict[str, Any]:
    return {
        "id": rhythm.pk,
        "name": rhythm.name,
        "school_year": rhythm.school_year,
        "region_id": rhythm.region_id,
        "region": rhythm.region.name if rhythm.region else None,
        "time_zone": rhythm.time_zone,
        "starts_on": rhythm.starts_on,
        "ends_on": rhythm.ends_on,
        "generated_at": rhythm.generated_at,
        "may_plan": plans_region(scope, rhythm.region),
    }


def _rhythms() -> QuerySet[Rhythm]:
    return Rhythm.objects.select_related("region")


@router.get("/learning/rhythms", response={200: Page[RhythmOut], **READ_ERRORS})
def list_rhythms(request: HttpRequest, filters: Query[RhythmFilters]) -> Any:
    """The template weeks sessions are generated from, newest school year first (staff)."""
    scope = _staff(request)
    qs = _rhythms()
    if filters.school_year is not None:
        qs = qs.filter(school_year=filters.school_year)
    return page_of(qs, filters.limit, filters.offset, lambda r: _rhythm_out(scope, r))


@router.get("/learning/rhythms/{rhythm_id}", response={200: RhythmDetailOut, **READ_ERRORS})
def get_rhythm(request: HttpRequest, rhythm_id: int) -> Any:
    """A rhythm with its weekly slots and the days off and convenings that apply to it (staff)."""
    scope = _staff(request)
    rhythm = scope.get(_rhythms(), rhythm_id)
    slots = rhythm.slots.select_related("session_type").prefetch_related("teams", "facilitators")
    days_off = DayOff.objects.filter(Q(rhythm=rhythm) | Q(rhythm=None), school_year=rhythm.school_year)
    return {
        **_rhythm_out(scope, rhythm),
        "slots": [
            {
                "id": s.pk,
                "session_type_id": s.session_type_id,
                "session_type": s.session_type.name,
                "title": s.title,
                "weekday": s.weekday,
                "starts_at": s.starts_at,
                "minutes": s.minutes,
                "every_weeks": s.every_weeks,
                "week_offset": s.week_offset,
                "location": s.location,
                "team_ids": sorted(t.pk for t in s.teams.all()),
                "facilitator_ids": sorted(p.pk for p in s.facilitators.all()),
            }
            for s in slots
        ],
        "days_off": [
            {
                "id": d.pk,
                "name": d.name,
                "kind": d.kind,
                "first_day": d.first_day,
                "last_day": d.last_day,
                "rhythm_id": d.rhythm_id,
                "session_type_id": d.session_type_id,
                "starts_at": d.starts_at,
                "minutes": d.minutes,
                "time_zone": d.time_zone,
                "location": d.location,
            }
            for d in days_off
        ],
    }


@router.post("/learning/rhythms/{rhythm_id}/generate", response={200: GenerateOut, **WRITE_ERRORS})
def generate_rhythm(request: HttpRequest, rhythm_id: int) -> Any:
    """Create the rhythm's future sessions and bring those not yet held in line with its slots, days
    off and convenings (the organization's leaders, or the director of the rhythm's region).
    Sessions changed by hand and sessions already begun are kept as they are."""
    scope: Scope = request.scope
    rhythm = scope.get(_rhythms(), rhythm_id)
    if not plans_region(scope, rhythm.region):
        raise _not_found()
    outcome = actions.do_generate(_person(request), rhythm)
    return {
        "created": outcome.created,
        "moved": outcome.moved,
        "cancelled": outcome.cancelled,
        "restored": outcome.restored,
        "kept": outcome.kept,
    }


# -- the learning agenda --------------------------------------------------------------------------


def _agenda(request: HttpRequest, school_year: int) -> Agenda:
    """The school year's agenda, for the organization's staff; 404 for anyone else, or when the
    year's agenda has not been started."""
    _staff(request)
    agenda = Agenda.objects.filter(school_year=school_year).first()
    if agenda is None:
        raise _not_found()
    return agenda


def _proposal_out(proposal: Proposal) -> dict[str, Any]:
    return {
        "id": proposal.pk,
        "author_id": proposal.author_id,
        "month": proposal.month,
        "priority_id": proposal.priority_id,
        "title": proposal.title,
        "body": proposal.body,
        "status": proposal.status,
        "response": proposal.response,
        "created_at": proposal.created_at,
    }


def _comment_out(comment: Comment) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "author_id": comment.author_id,
        "month": comment.month,
        "body": comment.body,
        "created_at": comment.created_at,
    }


def _agenda_out(scope: Scope, agenda: Agenda) -> dict[str, Any]:
    return {
        "school_year": agenda.school_year,
        "label": school_years.label(agenda.school_year),
        "summary": agenda.summary,
        "status": agenda.status,
        "published_at": agenda.published_at,
        "published_by_id": agenda.published_by_id,
        "updated_at": agenda.updated_at,
        "months": [
            {
                "month": m.month,
                "priority_id": m.priority_id,
                "priority": m.priority.name if m.priority else None,
                "focus": m.focus,
            }
            for m in agenda.months.select_related("priority")
        ],
        "proposals": [_proposal_out(p) for p in agenda.proposals.all()],
        "comments": [_comment_out(c) for c in agenda.comments.all()],
        "may_publish": plans_all(scope),
    }


@router.get("/learning/agendas/{school_year}", response={200: AgendaOut, **READ_ERRORS})
def get_agenda(request: HttpRequest, school_year: int = Path(..., ge=1990, le=2100)) -> Any:
    """The school year's scope and sequence: each month's priority and focus, the proposals and
    comments on it, and whether it is published (staff)."""
    return _agenda_out(request.scope, _agenda(request, school_year))


@router.post("/learning/agendas/{school_year}/proposals", response={201: ProposalOut, **WRITE_ERRORS})
def propose(request: HttpRequest, data: ProposalIn, school_year: int = Path(..., ge=1990, le=2100)) -> Any:
    """Propose an item for the draft agenda, for a month of its year or the whole (staff)."""
    agenda = _agenda(request, school_year)
    proposal = actions.do_propose(
        _person(request),
        agenda,
        data.title,
        body=data.body,
        month=data.month,
        priority=_one(Priority.objects.all(), data.priority_id, "priority_id", "priority"),
    )
    return Status(201, _proposal_out(proposal))


@router.post("/learning/agendas/{school_year}/comments", response={201: CommentOut, **WRITE_ERRORS})
def comment(request: HttpRequest, data: CommentIn, school_year: int = Path(..., ge=1990, le=2100)) -> Any:
    """Comment on the draft agenda, on one of its months or the whole (staff)."""
    agenda = _agenda(request, school_year)
    return Status(201, _comment_out(actions.do_comment(_person(request), agenda, data.body, month=data.month)))


@router.post("/learning/agendas/{school_year}/publish", response={200: PublishedOut, **WRITE_ERRORS})
def publish(request: HttpRequest, data: PublishIn, school_year: int = Path(..., ge=1990, le=2100)) -> Any:
    """Publish the agenda, once every month has its priority: each session of a month whose
    priority follows the agenda takes that month's. With `reopen`, make it a draft again (the
    organization's leaders)."""
    agenda = _agenda(request, school_year)
    scope = _planner(request)
    changed = actions.do_publish(_person(request), agenda, reopen=data.reopen)
    return {**_agenda_out(scope, Agenda.objects.get(pk=agenda.pk)), "sessions_changed": changed}
