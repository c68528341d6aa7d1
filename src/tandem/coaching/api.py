"""Coaching as JSON: relationships, their sessions, goals, ratings and coaching cycles; the
competency frameworks; the loaded cost of staff time; and a coach's own private notes.

Every relationship is found through `visible_relationships`, so one the caller may not see answers
404 exactly like one that does not exist. One the caller sees but may not change in the way asked
(a supervisor logging a session, a coachee starting a cycle) answers 404 too, as the cycles API
does; the actions still check every right themselves. Ids in a body outside the caller's reach
are field errors worded as for ids that do not exist.

Private notes are read by their author alone: only the /coaching/notes operations touch them, and
only through `my_notes(caller)`. Nothing else here reads the PrivateNote table, so no answer about
a session or relationship can carry a note's text, or reveal by a count or flag that one exists.
"""

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Path, Query, Router, Status

from tandem.access.scope import Scope
from tandem.analytics.actions import visible_goals
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import one_in_reach as _one
from tandem.coaching import actions
from tandem.coaching.api_schemas import (
    CoachingCycleOut,
    CycleIn,
    EndIn,
    FrameworkDetailOut,
    FrameworkOut,
    FrameworkQuery,
    GoalIn,
    GoalOut,
    GoalPatch,
    NoteFilters,
    NoteIn,
    NoteOut,
    RatingIn,
    RatingOut,
    RelationshipDetailOut,
    RelationshipFilters,
    RelationshipIn,
    RelationshipOut,
    SessionIn,
    SessionOut,
    StaffCostFilters,
    StaffCostIn,
    StaffCostOut,
    VersionIn,
)
from tandem.coaching.models import (
    CoacheeGoal,
    CoachingCycle,
    Competency,
    Framework,
    FrameworkVersion,
    Rating,
    Relationship,
    Session,
    StaffCost,
)
from tandem.coaching.visibility import SUPERVISE, can_coach, can_manage, is_coachee, my_notes, visible_relationships
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.api import Paging
from tandem.orgs.models import Person, Team

router = Router(tags=["coaching"])

# Who may do what with a relationship they see. Each takes the caller's scope.
Right = Callable[[Scope, Relationship], bool]


def _coach(scope: Scope, relationship: Relationship) -> bool:
    assert scope.person is not None
    return can_coach(scope.person, relationship)


def _rater(scope: Scope, relationship: Relationship) -> bool:
    assert scope.person is not None
    return can_coach(scope.person, relationship) or is_coachee(scope.person, relationship)


def _goal_editor(scope: Scope, relationship: Relationship) -> bool:
    # The coachee may change a goal's status; which fields they give is checked by the operation.
    assert scope.person is not None
    return can_manage(scope, relationship) or is_coachee(scope.person, relationship)


# -- reading ------------------------------------------------------------------------------------


def _relationships(scope: Scope) -> QuerySet[Relationship]:
    return visible_relationships(scope).select_related("coach", "coachee", "team", "school", "framework__framework")


def _ref(obj: Model | None) -> dict[str, Any] | None:
    return None if obj is None else {"id": obj.pk, "name": str(obj)}


def _out(relationship: Relationship) -> dict[str, Any]:
    version = relationship.framework
    return {
        "id": relationship.pk,
        "coach": _ref(relationship.coach),
        "coachee": _ref(relationship.coachee),
        "team": _ref(relationship.team),
        "school": _ref(relationship.school),
        "framework": {
            "id": version.pk,
            "framework_id": version.framework_id,
            "name": version.framework.name,
            "number": version.number,
            "levels": list(version.levels),
        },
        "status": relationship.status,
        "starts_on": relationship.starts_on,
        "ends_on": relationship.ends_on,
        "created_at": relationship.created_at,
    }


def _goal_out(goal: CoacheeGoal) -> dict[str, Any]:
    return {
        "id": goal.pk,
        "relationship_id": goal.relationship_id,
        "title": goal.title,
        "description": goal.description,
        "status": goal.status,
        "competency_id": goal.competency_id,
        "student_goal_id": goal.student_goal_id,
        "inquiry_cycle_id": goal.inquiry_cycle_id,
        "due_on": goal.due_on,
        "created_at": goal.created_at,
        "updated_at": goal.updated_at,
    }


def _cycle_out(cycle: CoachingCycle) -> dict[str, Any]:
    active = cycle.status == CoachingCycle.Status.ACTIVE and cycle.step < len(cycle.steps)
    return {
        "id": cycle.pk,
        "relationship_id": cycle.relationship_id,
        "title": cycle.title,
        "steps": list(cycle.steps),
        "step": cycle.step,
        "current_step": cycle.steps[cycle.step] if active else None,
        "status": cycle.status,
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "inquiry_cycle_id": cycle.inquiry_cycle_id,
    }


def _rating_out(rating: Rating, levels: list[str]) -> dict[str, Any]:
    return {
        "id": rating.pk,
        "relationship_id": rating.relationship_id,
        "competency_id": rating.competency_id,
        "competency_code": rating.competency.code,
        "level": rating.level,
        "level_name": levels[rating.level - 1] if 1 <= rating.level <= len(levels) else "",
        "source": rating.source,
        "rated_on": rating.rated_on,
        "evidence": rating.evidence,
        "rater_id": rating.rater_id,
        "created_at": rating.created_at,
    }


def _ratings(relationship: Relationship) -> QuerySet[Rating]:
    return relationship.ratings.select_related("competency").order_by("rated_on", "pk")


def _session_out(session: Session) -> dict[str, Any]:
    # Field by field on purpose: a new column on Session is not answered until someone adds it here.
    return {
        "id": session.pk,
        "relationship_id": session.relationship_id,
        "cycle_id": session.cycle_id,
        "held_on": session.held_on,
        "minutes": session.minutes,
        "kind": session.kind,
        "shared_notes": session.shared_notes,
        "next_steps": session.next_steps,
        "evidence": session.evidence,
        "competency_ids": sorted(c.pk for c in session.competencies.all()),
        "logged_by_id": session.logged_by_id,
        "created_at": session.created_at,
    }


def _detail(scope: Scope, relationship_id: int) -> dict[str, Any]:
    """The relationship as it is now. Read by id without the scope: the caller was already allowed
    to reach it, as in the cycles API."""
    relationship = Relationship.objects.select_related(
        "coach", "coachee", "team", "school", "framework__framework"
    ).get(pk=relationship_id)
    assert scope.person is not None
    levels = list(relationship.framework.levels)
    latest: dict[tuple[int, str], Rating] = {}
    for rating in _ratings(relationship):
        latest[(rating.competency_id, rating.source)] = rating  # later ones replace earlier ones
    return {
        **_out(relationship),
        "focus_ids": sorted(relationship.focus.values_list("pk", flat=True)),
        "goals": [_goal_out(g) for g in relationship.goals.all()],
        "cycles": [_cycle_out(c) for c in relationship.cycles.all()],
        "latest_ratings": [_rating_out(latest[key], levels) for key in sorted(latest)],
        "may_manage": can_manage(scope, relationship),
        "may_coach": can_coach(scope.person, relationship),
        "may_self_rate": is_coachee(scope.person, relationship),
    }


# -- looking up what a request names ------------------------------------------------------------


def _person(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _relationship(request: HttpRequest, relationship_id: int, right: Right | None = None) -> Relationship:
    """A relationship the caller sees (and, with `right`, may act on that way); 404 otherwise."""
    scope: Scope = request.scope
    relationship = scope.get(_relationships(scope), relationship_id)
    if right is not None and not right(scope, relationship):
        raise Http404("Not found.")
    return relationship


def _competencies(ids: list[int], field: str) -> list[Competency]:
    # Frameworks are read by everyone, so any competency is in reach; the actions check that it
    # belongs to the relationship's framework version.
    found = {c.pk: c for c in Competency.objects.select_related("domain").filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({field: "No competency has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _teams(scope: Scope) -> QuerySet[Team]:
    """The organization's teams the caller meets: their own, and those of the regions they see."""
    if scope.is_org_wide():
        return Team.objects.all()
    return Team.objects.filter(Q(members=scope.person) | Q(region__in=scope.regions())).distinct()


def _goal_fields(scope: Scope, given: dict[str, Any]) -> dict[str, Any]:
    """A goal body's values as the action takes them: linked objects instead of their ids."""
    fields: dict[str, Any] = {}
    for name in ("title", "description", "status", "due_on"):
        if name in given:
            if given[name] is None and name != "due_on":
                raise ValidationError({name: "This field cannot be empty."})
            fields[name] = given[name]
    if "competency_id" in given:
        fields["competency"] = _one(Competency.objects.all(), given["competency_id"], "competency_id", "competency")
    if "student_goal_id" in given:
        fields["student_goal"] = _one(visible_goals(scope), given["student_goal_id"], "student_goal_id", "goal")
    if "inquiry_cycle_id" in given:
        fields["inquiry_cycle"] = _one(
            visible_cycles(scope), given["inquiry_cycle_id"], "inquiry_cycle_id", "cycle of inquiry"
        )
    return fields


# -- relationships ------------------------------------------------------------------------------


@router.get("/coaching/relationships", response={200: Page[RelationshipOut], **READ_ERRORS})
def list_relationships(request: HttpRequest, filters: Query[RelationshipFilters]) -> Any:
    """The coaching the caller sees: what they coach, their own coaching, and the coaching in the
    schools they supervise."""
    qs = _relationships(request.scope)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.school_id is not None:
        qs = qs.filter(school_id=filters.school_id)
    if filters.coach_id is not None:
        qs = qs.filter(coach_id=filters.coach_id)
    return page_of(qs, filters.limit, filters.offset, _out)


@router.get("/coaching/relationships/{relationship_id}", response={200: RelationshipDetailOut, **READ_ERRORS})
def get_relationship(request: HttpRequest, relationship_id: int) -> Any:
    relationship = _relationship(request, relationship_id)
    return _detail(request.scope, relationship.pk)


@router.post("/coaching/relationships", response={201: RelationshipDetailOut, **WRITE_ERRORS})
def start_relationship(request: HttpRequest, data: RelationshipIn) -> Any:
    """Start coaching one person or one team: a coach for themselves at a school they work with,
    or a coaching supervisor pairing any coach in the schools they supervise."""
    scope: Scope = request.scope
    # Someone who neither supervises coaching anywhere nor is on the staff naming themselves as the
    # coach can start no coaching at all: the operation answers as if it did not exist (the action
    # refuses the rest with reasons).
    own = data.coach_id == _person(request).pk and scope.is_staff_member()
    if not (scope.can(SUPERVISE) or own):
        raise Http404("Not found.")
    framework = _one(Framework.objects.all(), data.framework_id, "framework_id", "framework")
    assert framework is not None
    coach = _one(scope.people(), data.coach_id, "coach_id", "person")
    assert coach is not None
    relationship = actions.do_start_relationship(
        _person(request),
        coach=coach,
        coachee=_one(scope.people(), data.coachee_id, "coachee_id", "person"),
        team=_one(_teams(scope), data.team_id, "team_id", "team"),
        school=_one(scope.schools(), data.school_id, "school_id", "school"),
        framework=framework,
        starts_on=data.starts_on,
        focus=_competencies(data.focus_ids, "focus_ids"),
    )
    return Status(201, _detail(scope, relationship.pk))


@router.post("/coaching/relationships/{relationship_id}/end", response={200: RelationshipDetailOut, **WRITE_ERRORS})
def end_relationship(request: HttpRequest, relationship_id: int, data: EndIn) -> Any:
    """End the coaching (its coach or a supervisor); its record stays."""
    relationship = _relationship(request, relationship_id, can_manage)
    actions.do_end_relationship(_person(request), relationship, data.ends_on or timezone.localdate())
    return _detail(request.scope, relationship.pk)


# -- sessions -----------------------------------------------------------------------------------


def _sessions() -> QuerySet[Session]:
    return Session.objects.prefetch_related("competencies")


@router.get("/coaching/relationships/{relationship_id}/sessions", response={200: Page[SessionOut], **READ_ERRORS})
def list_sessions(request: HttpRequest, relationship_id: int, paging: Query[Paging]) -> Any:
    """The relationship's sessions, newest first: what was shared, agreed and seen."""
    relationship = _relationship(request, relationship_id)
    return page_of(_sessions().filter(relationship=relationship), paging.limit, paging.offset, _session_out)


@router.post("/coaching/relationships/{relationship_id}/sessions", response={201: SessionOut, **WRITE_ERRORS})
def log_session(request: HttpRequest, relationship_id: int, data: SessionIn) -> Any:
    """Log a session (the coach). A private note given with it is kept for the coach alone and is
    not part of this answer; read it back at /coaching/notes."""
    relationship = _relationship(request, relationship_id, _coach)
    session = actions.do_log_session(
        _person(request),
        relationship,
        held_on=data.held_on,
        minutes=data.minutes,
        kind=data.kind,
        shared_notes=data.shared_notes,
        next_steps=data.next_steps,
        evidence=data.evidence,
        competencies=_competencies(data.competency_ids, "competency_ids"),
        cycle=_one(relationship.cycles.all(), data.cycle_id, "cycle_id", "coaching cycle of this relationship"),
        private_note=data.private_note,
    )
    return Status(201, _session_out(_sessions().get(pk=session.pk)))


@router.get("/coaching/sessions/{session_id}", response={200: SessionOut, **READ_ERRORS})
def get_session(request: HttpRequest, session_id: int) -> Any:
    scope: Scope = request.scope
    return _session_out(scope.get(_sessions().filter(relationship__in=visible_relationships(scope)), session_id))


# -- private notes: the author's alone ----------------------------------------------------------


def _note_out(note: Any) -> dict[str, Any]:
    return {
        "id": note.pk,
        "relationship_id": note.relationship_id,
        "session_id": note.session_id,
        "text": note.text,
        "created_at": note.created_at,
    }


@router.get("/coaching/notes", response={200: Page[NoteOut], **READ_ERRORS})
def list_notes(request: HttpRequest, filters: Query[NoteFilters]) -> Any:
    """The caller's own private notes, newest first. Nobody else's notes are ever listed, whatever
    the caller's roles."""
    qs = my_notes(_person(request))
    if filters.relationship_id is not None:
        qs = qs.filter(relationship_id=filters.relationship_id)
    return page_of(qs, filters.limit, filters.offset, _note_out)


@router.post("/coaching/relationships/{relationship_id}/notes", response={201: NoteOut, **WRITE_ERRORS})
def add_note(request: HttpRequest, relationship_id: int, data: NoteIn) -> Any:
    """Write a private note (the coach), about the relationship or one of its sessions."""
    relationship = _relationship(request, relationship_id, _coach)
    session = _one(relationship.sessions.all(), data.session_id, "session_id", "session of this relationship")
    note = actions.do_add_private_note(_person(request), relationship, data.text, session=session)
    return Status(201, _note_out(note))


@router.delete("/coaching/notes/{note_id}", response={204: None, **WRITE_ERRORS})
def delete_note(request: HttpRequest, note_id: int) -> Any:
    """Delete one of the caller's own private notes; anyone else's answers 404."""
    person = _person(request)
    note = request.scope.get(my_notes(person), note_id)
    actions.do_delete_private_note(person, note)
    return Status(204, None)


# -- goals --------------------------------------------------------------------------------------


@router.get("/coaching/relationships/{relationship_id}/goals", response={200: list[GoalOut], **READ_ERRORS})
def list_goals(request: HttpRequest, relationship_id: int) -> Any:
    relationship = _relationship(request, relationship_id)
    return [_goal_out(g) for g in relationship.goals.all()]


@router.post("/coaching/relationships/{relationship_id}/goals", response={201: GoalOut, **WRITE_ERRORS})
def add_goal(request: HttpRequest, relationship_id: int, data: GoalIn) -> Any:
    """Set a goal for the coachee (the coach or a supervisor)."""
    relationship = _relationship(request, relationship_id, can_manage)
    fields = _goal_fields(request.scope, data.dict())
    goal = actions.do_set_goal(_person(request), relationship, None, fields)
    return Status(201, _goal_out(goal))


@router.patch("/coaching/goals/{goal_id}", response={200: GoalOut, **WRITE_ERRORS})
def update_goal(request: HttpRequest, goal_id: int, data: GoalPatch) -> Any:
    """Change a goal. The coachee may change its status only: any other field they give is a 422
    on that field; the coach and supervisors change everything."""
    scope: Scope = request.scope
    goals = CoacheeGoal.objects.filter(relationship__in=visible_relationships(scope)).select_related("relationship")
    goal = scope.get(goals, goal_id)
    if not _goal_editor(scope, goal.relationship):
        raise Http404("Not found.")
    given = data.dict(exclude_unset=True)
    if not can_manage(scope, goal.relationship):
        # The coachee reaches this goal and may change it, so the refusal names the fields.
        refused = sorted(set(given) - {"status"})
        if refused:
            raise ValidationError({name: "Coachees change the status of their goals only." for name in refused})
    goal = actions.do_set_goal(_person(request), goal.relationship, goal, _goal_fields(scope, given))
    return _goal_out(goal)


# -- ratings ------------------------------------------------------------------------------------


@router.get("/coaching/relationships/{relationship_id}/ratings", response={200: list[RatingOut], **READ_ERRORS})
def list_ratings(request: HttpRequest, relationship_id: int) -> Any:
    """Every rating, oldest first: coach ratings and self ratings over time."""
    relationship = _relationship(request, relationship_id)
    levels = list(relationship.framework.levels)
    return [_rating_out(r, levels) for r in _ratings(relationship)]


@router.post("/coaching/relationships/{relationship_id}/ratings", response={201: RatingOut, **WRITE_ERRORS})
def rate(request: HttpRequest, relationship_id: int, data: RatingIn) -> Any:
    """Rate a competency: a coach rating when the coach calls, a self rating when the coachee does."""
    relationship = _relationship(request, relationship_id, _rater)
    competency = _competencies([data.competency_id], "competency_id")[0]
    rating = actions.do_rate(
        _person(request),
        relationship,
        competency,
        data.level,
        data.rated_on or timezone.localdate(),
        data.evidence,
    )
    return Status(201, _rating_out(rating, list(relationship.framework.levels)))


# -- coaching cycles ----------------------------------------------------------------------------


@router.post("/coaching/relationships/{relationship_id}/cycles", response={201: CoachingCycleOut, **WRITE_ERRORS})
def start_cycle(request: HttpRequest, relationship_id: int, data: CycleIn) -> Any:
    """Start a coaching cycle on the organization's steps (the coach or a supervisor)."""
    scope: Scope = request.scope
    relationship = _relationship(request, relationship_id, can_manage)
    inquiry = _one(visible_cycles(scope), data.inquiry_cycle_id, "inquiry_cycle_id", "cycle of inquiry")
    cycle = actions.do_start_coaching_cycle(
        _person(request), relationship, data.title, data.starts_on or timezone.localdate(), inquiry_cycle=inquiry
    )
    return Status(201, _cycle_out(cycle))


@router.post("/coaching/cycles/{cycle_id}/advance", response={200: CoachingCycleOut, **WRITE_ERRORS})
def advance_cycle(request: HttpRequest, cycle_id: int) -> Any:
    """Move to the next step; after the last one the coaching cycle is completed."""
    scope: Scope = request.scope
    cycles = CoachingCycle.objects.filter(relationship__in=visible_relationships(scope)).select_related("relationship")
    cycle = scope.get(cycles, cycle_id)
    if not can_manage(scope, cycle.relationship):
        raise Http404("Not found.")
    return _cycle_out(actions.do_advance_cycle(_person(request), cycle))


# -- frameworks ---------------------------------------------------------------------------------


def _framework_out(framework: Framework) -> dict[str, Any]:
    numbers = [v.number for v in framework.versions.all()]  # prefetched, newest first
    return {
        "id": framework.pk,
        "name": framework.name,
        "audience": framework.audience,
        "description": framework.description,
        "built_in": framework.built_in,
        "archived": framework.archived,
        "current_number": max(numbers) if numbers else None,
    }


def _version_out(version: FrameworkVersion) -> dict[str, Any]:
    return {
        "id": version.pk,
        "number": version.number,
        "levels": list(version.levels),
        "note": version.note,
        "published_at": version.published_at,
        "domains": [
            {
                "id": d.pk,
                "position": d.position,
                "name": d.name,
                "competencies": [
                    {
                        "id": c.pk,
                        "position": c.position,
                        "code": c.code,
                        "name": c.name,
                        "description": c.description,
                        "descriptors": list(c.descriptors),
                    }
                    for c in d.competencies.all()
                ],
            }
            for d in version.domains.prefetch_related("competencies")
        ],
    }


def _framework_detail(framework: Framework, number: int | None) -> dict[str, Any]:
    versions = list(framework.versions.order_by("-number"))
    version = next((v for v in versions if v.number == number), None) if number else (versions[0] if versions else None)
    if version is None:
        raise Http404("Not found.")
    return {
        **_framework_out(framework),
        "versions": [{"number": v.number, "note": v.note, "published_at": v.published_at} for v in versions],
        "version": _version_out(version),
    }


def _frameworks() -> QuerySet[Framework]:
    # Frameworks are read by everyone signed in: they describe practice, not anyone's data.
    return Framework.objects.prefetch_related("versions")


@router.get("/coaching/frameworks", response={200: list[FrameworkOut], **READ_ERRORS})
def list_frameworks(request: HttpRequest) -> Any:
    """Every framework, archived ones included."""
    return [_framework_out(f) for f in _frameworks()]


@router.get("/coaching/frameworks/{framework_id}", response={200: FrameworkDetailOut, **READ_ERRORS})
def get_framework(request: HttpRequest, framework_id: int, query: Query[FrameworkQuery]) -> Any:
    """The framework's current version with its domains, competencies and level descriptors, or
    an older one with `?version=N` (ratings given against it keep its wording)."""
    return _framework_detail(request.scope.get(_frameworks(), framework_id), query.version)


@router.post("/coaching/frameworks/{framework_id}/versions", response={201: FrameworkDetailOut, **WRITE_ERRORS})
def publish_version(request: HttpRequest, framework_id: int, data: VersionIn) -> Any:
    """Publish a new wording of the framework (the organization's coaching leaders). New
    relationships use it; existing ones and their ratings keep the version they started on."""
    # Without the right the operation answers as if it did not exist, as template editing does.
    if not actions.can_edit_frameworks(request.scope):
        raise Http404("Not found.")
    framework = request.scope.get(Framework.objects.all(), framework_id)
    actions.do_publish_version(
        _person(request), framework, data.levels, [d.dict() for d in data.domains], note=data.note
    )
    return Status(201, _framework_detail(request.scope.get(_frameworks(), framework.pk), None))


# -- staff costs --------------------------------------------------------------------------------


def _cost_out(cost: StaffCost) -> dict[str, Any]:
    return {
        "id": cost.pk,
        "person_id": cost.person_id,
        "person": str(cost.person),
        "school_year": cost.school_year,
        "hourly_cost": cost.hourly_cost,
        "updated_by_id": cost.updated_by_id,
        "updated_at": cost.updated_at,
    }


def _cost_setter(request: HttpRequest) -> None:
    if not actions.can_set_costs(request.scope):
        raise Http404("Not found.")


@router.get("/coaching/staff-costs", response={200: Page[StaffCostOut], **READ_ERRORS})
def list_staff_costs(request: HttpRequest, filters: Query[StaffCostFilters]) -> Any:
    """The loaded hourly cost of staff time, by person and school year (finance managers)."""
    _cost_setter(request)
    qs = StaffCost.objects.select_related("person")
    if filters.school_year is not None:
        qs = qs.filter(school_year=filters.school_year)
    if filters.person_id is not None:
        qs = qs.filter(person_id=filters.person_id)
    return page_of(qs, filters.limit, filters.offset, _cost_out)


@router.put("/coaching/staff-costs/{person_id}/{school_year}", response={200: StaffCostOut, **WRITE_ERRORS})
def set_staff_cost(
    request: HttpRequest, person_id: int, data: StaffCostIn, school_year: int = Path(..., ge=1990, le=2100)
) -> Any:
    """Set what an hour of this person's time costs in a school year: salary, benefits and overhead."""
    _cost_setter(request)
    person = request.scope.get(request.scope.people(), person_id)
    cost = actions.do_set_staff_cost(_person(request), person, school_year, data.hourly_cost)
    return _cost_out(StaffCost.objects.select_related("person").get(pk=cost.pk))
