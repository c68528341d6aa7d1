"""Cycles of inquiry and their templates as JSON: read a cycle with what each step still needs,
start one, work through its steps and artifacts, and start the next.

Every cycle is found through `visible_cycles`, so one the caller may not see answers 404 exactly
like one that does not exist. A cycle the caller sees but may not work on (or may not change)
answers 404 too, as a partnership does to someone who sees it but may not manage it; the actions
still check every right themselves. Ids in a body that are outside the caller's reach are field
errors worded as for ids that do not exist.
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem.access.scope import Scope
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.actions import visible_goals
from tandem.analytics.models import Goal
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import one_in_reach as _one
from tandem.inquiry import actions, gates
from tandem.inquiry.health import health
from tandem.inquiry.models import (
    Action,
    ArtifactKind,
    Cycle,
    CycleStep,
    Evidence,
    ProblemStatement,
    Question,
    Reflection,
    Template,
)
from tandem.inquiry.visibility import can_contribute, can_manage, visible_cycles
from tandem.orgs.api import MAX_ID, Paging
from tandem.orgs.models import Person, Team

router = Router(tags=["cycles"])


def _choices(values: list[str]) -> str:
    return "^(" + "|".join(values) + ")$"


# -- schemas ----------------------------------------------------------------------------------


class HealthOut(Schema):
    label: str
    reason: str


class CurrentStepOut(Schema):
    position: int
    name: str


class CycleOut(Schema):
    id: int
    title: str
    level: str
    status: str
    template_id: int
    template: str
    owner_id: int
    coach_id: int | None
    member_ids: list[int]
    school_id: int | None
    district_id: int | None
    partnership_id: int | None
    team_id: int | None
    region_id: int | None
    place: str
    starts_on: datetime.date
    ends_on: datetime.date
    finished_on: datetime.date | None
    current_step: CurrentStepOut | None
    health: HealthOut
    last_activity_at: datetime.datetime


class StepOut(Schema):
    position: int
    phase: str
    name: str
    prompt: str
    requires: list[str]
    started_on: datetime.date | None
    finished_on: datetime.date | None
    finished_by_id: int | None
    missing: list[str] = Field(description="What the step still needs before it can be finished (labels)")


class ProblemOut(Schema):
    statement: str
    assessment: str | None
    metric: str
    group: str | None
    grade: str
    school_year: int | None
    place: str
    value: float | None = Field(description="Null when suppressed (or when no results were read)")
    tested: int | None
    suppressed: bool
    read_on: datetime.date | None
    author_id: int | None
    updated_at: datetime.datetime


class QuestionOut(Schema):
    id: int
    about: str
    text: str
    author_id: int | None
    created_at: datetime.datetime


class ActionOut(Schema):
    id: int
    title: str
    owner_id: int | None
    due_on: datetime.date | None
    status: str
    done_on: datetime.date | None
    overdue: bool


class LogOut(Schema):
    id: int
    happened_on: datetime.date
    note: str
    action_id: int | None
    author_id: int | None
    created_at: datetime.datetime


class EvidenceOut(Schema):
    id: int
    kind: str
    title: str
    note: str
    collected_on: datetime.date
    value: float | None
    attachment_name: str | None = Field(description="The attached document's file name; fetch it on the web page")
    author_id: int | None
    created_at: datetime.datetime


class ReflectionOut(Schema):
    worked: str
    learned: str
    decision: str
    adjustments: str
    author_id: int | None
    updated_at: datetime.datetime


class LinkOut(Schema):
    id: int
    relation: str
    kind: str = Field(description="What the other end is, as app_label.model")
    object_id: int
    created_at: datetime.datetime


class CycleDetailOut(CycleOut):
    carried_forward: str
    steps: list[StepOut]
    problem: ProblemOut | None
    questions: list[QuestionOut]
    goal_ids: list[int]
    actions: list[ActionOut]
    log: list[LogOut]
    evidence: list[EvidenceOut]
    reflection: ReflectionOut | None
    previous_id: int | None
    next_ids: list[int]
    links: list[LinkOut]
    may_contribute: bool
    may_manage: bool


class CycleFilters(Paging):
    level: str | None = Field(None, pattern=_choices(Cycle.Level.values))
    status: str | None = Field(None, pattern=_choices(Cycle.Status.values))
    school_id: int | None = Field(None, ge=1, le=MAX_ID)


class CycleIn(Schema):
    title: str = Field(min_length=1, max_length=200)
    level: str = Field(pattern=_choices(Cycle.Level.values))
    template_id: int | None = Field(None, ge=1, le=MAX_ID, description="The default template when left out")
    school_id: int | None = Field(None, ge=1, le=MAX_ID)
    district_id: int | None = Field(None, ge=1, le=MAX_ID)
    partnership_id: int | None = Field(None, ge=1, le=MAX_ID)
    team_id: int | None = Field(None, ge=1, le=MAX_ID)
    region_id: int | None = Field(None, ge=1, le=MAX_ID)
    starts_on: datetime.date
    ends_on: datetime.date
    owner_id: int | None = Field(None, ge=1, le=MAX_ID, description="The caller when left out")
    coach_id: int | None = Field(None, ge=1, le=MAX_ID)
    member_ids: list[int] = []
    goal_ids: list[int] = []


class CyclePatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    coach_id: int | None = Field(None, ge=1, le=MAX_ID, description="null removes the coach")
    member_ids: list[int] | None = None


class ProblemIn(Schema):
    statement: str = Field(min_length=1, max_length=10_000)
    assessment: str | None = Field(None, max_length=60, description="The assessment's code, e.g. caaspp-ela")
    metric: str | None = Field(None, pattern=_choices(Goal.Metric.values))
    group: str | None = Field(None, max_length=20, description="The student group's code, e.g. 1 for all students")
    grade: str = Field("all", max_length=3)
    school_year: int | None = Field(None, ge=1990, le=2100)


class QuestionIn(Schema):
    about: str = Field(pattern=_choices(Question.About.values))
    text: str = Field(min_length=1, max_length=5000)


class GoalsIn(Schema):
    goal_ids: list[int]


class ActionIn(Schema):
    title: str = Field(min_length=1, max_length=300)
    owner_id: int | None = Field(None, ge=1, le=MAX_ID)
    due_on: datetime.date | None = None


class ActionPatch(Schema):
    status: str = Field(pattern=_choices(Action.Status.values))


class LogIn(Schema):
    happened_on: datetime.date
    note: str = Field(min_length=1, max_length=10_000)
    action_id: int | None = Field(None, ge=1, le=MAX_ID)


class EvidenceIn(Schema):
    # Documents are accepted here only to answer them with where to upload instead.
    kind: str = Field(pattern=_choices(Evidence.Kind.values))
    title: str = Field(min_length=1, max_length=200)
    collected_on: datetime.date
    note: str = Field("", max_length=10_000)
    value: Decimal | None = Field(None, max_digits=9, decimal_places=2)


class ReflectionIn(Schema):
    worked: str = Field(min_length=1, max_length=10_000)
    learned: str = Field(min_length=1, max_length=10_000)
    decision: str = Field(pattern=_choices(Reflection.Decision.values))
    adjustments: str = Field("", max_length=10_000)


class NextIn(Schema):
    title: str | None = Field(None, min_length=1, max_length=200, description="“… (cycle 2)” when left out")
    starts_on: datetime.date | None = None
    ends_on: datetime.date | None = None


class TemplateStepOut(Schema):
    position: int
    phase: str
    name: str
    prompt: str
    requires: list[str]


class TemplateOut(Schema):
    id: int
    name: str
    description: str
    built_in: bool
    is_default: bool
    archived: bool
    updated_at: datetime.datetime
    steps: list[TemplateStepOut]


class TemplateStepIn(Schema):
    phase: str = Field("", max_length=60)
    name: str = Field(min_length=1, max_length=120)
    prompt: str = Field("", max_length=5000)
    requires: list[str] = Field([], description=f"Drawn from: {', '.join(ArtifactKind.values)}")


class TemplateIn(Schema):
    name: str = Field(min_length=1, max_length=100)
    description: str = Field("", max_length=5000)
    is_default: bool = False
    archived: bool = False
    steps: list[TemplateStepIn] = Field(min_length=1)


# -- reading ----------------------------------------------------------------------------------


def _cycles(scope: Scope) -> QuerySet[Cycle]:
    return visible_cycles(scope).select_related("template").prefetch_related("steps", "members")


def _current(cycle: Cycle) -> CycleStep | None:
    # From the prefetched steps (ordered by position), so a page of cycles costs no query each.
    return next((s for s in cycle.steps.all() if s.finished_on is None), None)


def _out(cycle: Cycle) -> dict[str, Any]:
    step = _current(cycle)
    state = health(cycle)
    return {
        "id": cycle.pk,
        "title": cycle.title,
        "level": cycle.level,
        "status": cycle.status,
        "template_id": cycle.template_id,
        "template": cycle.template.name,
        "owner_id": cycle.owner_id,
        "coach_id": cycle.coach_id,
        "member_ids": sorted(p.pk for p in cycle.members.all()),
        **{f"{f}_id": getattr(cycle, f"{f}_id") for f in actions.SCOPE_FIELDS},
        "place": cycle.scope_label(),
        "starts_on": cycle.starts_on,
        "ends_on": cycle.ends_on,
        "finished_on": cycle.finished_on,
        "current_step": {"position": step.position, "name": step.name} if step else None,
        "health": {"label": state.label, "reason": state.reason},
        "last_activity_at": cycle.last_activity_at,
    }


def _problem_out(problem: ProblemStatement | None) -> dict[str, Any] | None:
    if problem is None:
        return None
    return {
        "statement": problem.statement,
        "assessment": problem.assessment.code if problem.assessment else None,
        "metric": problem.metric,
        "group": problem.group.code if problem.group else None,
        "grade": problem.grade,
        "school_year": problem.school_year,
        "place": problem.place_label,
        # Hidden as the pages print "*": the statement is shown to everyone who sees the cycle.
        "value": None if problem.suppressed or problem.value is None else float(problem.value),
        "tested": None if problem.suppressed else problem.tested,
        "suppressed": problem.suppressed,
        "read_on": problem.read_on,
        "author_id": problem.author_id,
        "updated_at": problem.updated_at,
    }


def _detail(scope: Scope, cycle_id: int) -> dict[str, Any]:
    """The cycle as it is now. Read by id without the scope: the caller was already allowed to
    reach it, and a change they just made (a new owner) must not turn their answer into a 404."""
    cycle = Cycle.objects.select_related("template").prefetch_related("steps", "members").get(pk=cycle_id)
    have = gates.present(cycle)
    today = timezone.localdate()
    visible = visible_cycles(scope)
    problem = ProblemStatement.objects.select_related("assessment", "group").filter(cycle=cycle).first()
    reflection = Reflection.objects.filter(cycle=cycle).first()
    return {
        **_out(cycle),
        "carried_forward": cycle.carried_forward,
        "steps": [
            {
                "position": s.position,
                "phase": s.phase,
                "name": s.name,
                "prompt": s.prompt,
                "requires": list(s.requires),
                "started_on": s.started_on,
                "finished_on": s.finished_on,
                "finished_by_id": s.finished_by_id,
                "missing": [] if s.finished_on else gates.missing(s, have),
            }
            for s in cycle.steps.all()
        ],
        "problem": _problem_out(problem),
        "questions": list(cycle.questions.values("id", "about", "text", "author_id", "created_at")),
        # Only the goals the reader sees: a leader may have linked a goal of a wider place.
        "goal_ids": sorted(visible_goals(scope).filter(cycles=cycle).values_list("pk", flat=True)),
        "actions": [
            {
                "id": a.pk,
                "title": a.title,
                "owner_id": a.owner_id,
                "due_on": a.due_on,
                "status": a.status,
                "done_on": a.done_on,
                "overdue": a.open and a.due_on is not None and a.due_on < today and cycle.status == Cycle.Status.ACTIVE,
            }
            for a in cycle.actions.all()
        ],
        "log": list(cycle.log.values("id", "happened_on", "note", "action_id", "author_id", "created_at")),
        "evidence": [
            {
                "id": e.pk,
                "kind": e.kind,
                "title": e.title,
                "note": e.note,
                "collected_on": e.collected_on,
                "value": None if e.value is None else float(e.value),
                # Never the file itself: documents are served by the web page, which checks access.
                "attachment_name": e.attachment.name.rsplit("/", 1)[-1] if e.attachment else None,
                "author_id": e.author_id,
                "created_at": e.created_at,
            }
            for e in cycle.evidence.all()
        ],
        "reflection": None
        if reflection is None
        else {
            "worked": reflection.worked,
            "learned": reflection.learned,
            "decision": reflection.decision,
            "adjustments": reflection.adjustments,
            "author_id": reflection.author_id,
            "updated_at": reflection.updated_at,
        },
        "previous_id": cycle.previous_id if visible.filter(pk=cycle.previous_id).exists() else None,
        "next_ids": sorted(visible.filter(previous=cycle).values_list("pk", flat=True)),
        "links": [
            {
                "id": link.pk,
                "relation": link.relation,
                "kind": f"{link.content_type.app_label}.{link.content_type.model}",
                "object_id": link.object_id,
                "created_at": link.created_at,
            }
            for link in cycle.links.select_related("content_type").order_by("pk")
        ],
        "may_contribute": can_contribute(scope, cycle),
        "may_manage": can_manage(scope, cycle),
    }


# -- looking up what a request names ----------------------------------------------------------


def _cycle(request: HttpRequest, cycle_id: int, *, manage: bool = False) -> Cycle:
    """A cycle the caller sees and may work on (or change, with `manage`); 404 otherwise."""
    scope: Scope = request.scope
    cycle = scope.get(visible_cycles(scope).select_related("template"), cycle_id)
    allowed = can_manage(scope, cycle) if manage else can_contribute(scope, cycle)
    if not allowed:
        raise Http404("Not found.")
    return cycle


def _people(scope: Scope, ids: list[int], field: str = "member_ids") -> list[Person]:
    found = {p.pk: p for p in scope.people().filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({field: "No person has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _goals(scope: Scope, ids: list[int]) -> list[Goal]:
    found = {g.pk: g for g in visible_goals(scope).filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({"goal_ids": "No goal has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


def _teams(scope: Scope) -> QuerySet[Team]:
    """The organization's teams the caller meets: their own, and those of the regions they see."""
    if scope.is_org_wide():
        return Team.objects.all()
    return Team.objects.filter(Q(members=scope.person) | Q(region__in=scope.regions())).distinct()


def _template_for_start(template_id: int | None) -> Template:
    if template_id is None:
        found = Template.objects.filter(is_default=True, archived=False).first()
        if found is None:
            raise ValidationError({"template_id": "No template is the default; choose one."})
        return found
    found = Template.objects.filter(pk=template_id).first()
    if found is None:
        raise ValidationError({"template_id": "No template has this id."})
    return found


# -- cycles -----------------------------------------------------------------------------------


@router.get("/cycles", response={200: Page[CycleOut], **READ_ERRORS})
def list_cycles(request: HttpRequest, filters: Query[CycleFilters]) -> Any:
    """The cycles the caller sees: their own, and those they lead."""
    qs = _cycles(request.scope)
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.school_id is not None:
        qs = qs.filter(school_id=filters.school_id)
    return page_of(qs, filters.limit, filters.offset, _out)


@router.get("/cycles/{cycle_id}", response={200: CycleDetailOut, **READ_ERRORS})
def get_cycle(request: HttpRequest, cycle_id: int) -> Any:
    cycle = request.scope.get(visible_cycles(request.scope), cycle_id)
    return _detail(request.scope, cycle.pk)


@router.post("/cycles", response={201: CycleDetailOut, **WRITE_ERRORS})
def start_cycle(request: HttpRequest, data: CycleIn) -> Any:
    """Start a cycle from a template (its steps are copied onto the cycle). Give at most one place:
    a school, district, partnership, team or region, as the level asks."""
    scope: Scope = request.scope
    fields: dict[str, Any] = {
        "title": data.title,
        "level": data.level,
        "template": _template_for_start(data.template_id),
        "school": _one(scope.schools(), data.school_id, "school_id", "school"),
        "district": _one(scope.districts(), data.district_id, "district_id", "district"),
        "partnership": _one(scope.partnerships(), data.partnership_id, "partnership_id", "partnership"),
        "team": _one(_teams(scope), data.team_id, "team_id", "team"),
        "region": _one(scope.regions(), data.region_id, "region_id", "region"),
        "starts_on": data.starts_on,
        "ends_on": data.ends_on,
        "coach": _one(scope.people(), data.coach_id, "coach_id", "person"),
    }
    owner = _one(scope.people(), data.owner_id, "owner_id", "person")
    if owner is not None:
        fields["owner"] = owner
    cycle = actions.do_start_cycle(
        request.user, fields, members=_people(scope, data.member_ids), goals=_goals(scope, data.goal_ids)
    )
    return Status(201, _detail(scope, cycle.pk))


@router.patch("/cycles/{cycle_id}", response={200: CycleDetailOut, **WRITE_ERRORS})
def update_cycle(request: HttpRequest, cycle_id: int, data: CyclePatch) -> Any:
    """Change a cycle's title, dates, owner, coach or members (the owner and its leaders)."""
    scope: Scope = request.scope
    cycle = _cycle(request, cycle_id, manage=True)
    given = data.dict(exclude_unset=True)
    fields: dict[str, Any] = {k: given[k] for k in ("title", "starts_on", "ends_on") if k in given}
    for name in ("title", "starts_on", "ends_on"):
        if name in fields and fields[name] is None:
            raise ValidationError({name: "This field cannot be empty."})
    if "owner_id" in given:
        if given["owner_id"] is None:
            raise ValidationError({"owner_id": "A cycle always has an owner; name the new one."})
        fields["owner"] = _one(scope.people(), given["owner_id"], "owner_id", "person")
    if "coach_id" in given:
        fields["coach"] = _one(scope.people(), given["coach_id"], "coach_id", "person")
    members = None
    if "member_ids" in given:
        members = _people(scope, given["member_ids"] or [])
    actions.do_update_cycle(request.user, cycle, fields, members)
    return _detail(scope, cycle.pk)


@router.post("/cycles/{cycle_id}/steps/finish", response={200: CycleDetailOut, **WRITE_ERRORS})
def finish_step(request: HttpRequest, cycle_id: int) -> Any:
    """Finish the current step (422 naming what it still needs); the next one starts today."""
    cycle = _cycle(request, cycle_id)
    actions.do_finish_step(request.user, cycle)
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/steps/reopen", response={200: CycleDetailOut, **WRITE_ERRORS})
def reopen_step(request: HttpRequest, cycle_id: int) -> Any:
    """Undo the last finished step (and the cycle's completion, if that finished it)."""
    cycle = _cycle(request, cycle_id)
    actions.do_reopen_step(request.user, cycle)
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/close", response={200: CycleDetailOut, **WRITE_ERRORS})
def close_cycle(request: HttpRequest, cycle_id: int) -> Any:
    """Close an active cycle before its last step."""
    cycle = _cycle(request, cycle_id, manage=True)
    actions.do_close_cycle(request.user, cycle)
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/reopen", response={200: CycleDetailOut, **WRITE_ERRORS})
def reopen_cycle(request: HttpRequest, cycle_id: int) -> Any:
    """Reopen a closed cycle."""
    cycle = _cycle(request, cycle_id, manage=True)
    actions.do_close_cycle(request.user, cycle, reopen=True)
    return _detail(request.scope, cycle.pk)


@router.put("/cycles/{cycle_id}/problem", response={200: CycleDetailOut, **WRITE_ERRORS})
def save_problem(request: HttpRequest, cycle_id: int, data: ProblemIn) -> Any:
    """Write the problem statement. With an assessment, metric and group, the data it rests on is
    read now and saved with it (suppressed as for a reader without student-level access)."""
    cycle = _cycle(request, cycle_id)
    assessment = None
    if data.assessment is not None:
        assessment = Assessment.objects.filter(code=data.assessment).first()
        if assessment is None:
            raise ValidationError({"assessment": f"No assessment has the code {data.assessment!r}."})
    group = None
    if data.group is not None:
        group = StudentGroup.objects.filter(code=data.group).first()
        if group is None:
            raise ValidationError({"group": f"No student group has the code {data.group!r}."})
    actions.do_save_problem(
        request.user,
        cycle,
        data.statement,
        assessment=assessment,
        metric=data.metric or "",
        group=group,
        grade=data.grade,
        school_year=data.school_year,
    )
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/questions", response={201: CycleDetailOut, **WRITE_ERRORS})
def add_question(request: HttpRequest, cycle_id: int, data: QuestionIn) -> Any:
    cycle = _cycle(request, cycle_id)
    actions.do_add_question(request.user, cycle, data.about, data.text)
    return Status(201, _detail(request.scope, cycle.pk))


@router.put("/cycles/{cycle_id}/goals", response={200: CycleDetailOut, **WRITE_ERRORS})
def set_goals(request: HttpRequest, cycle_id: int, data: GoalsIn) -> Any:
    """Replace the goals the cycle works toward."""
    cycle = _cycle(request, cycle_id)
    actions.do_set_goals(request.user, cycle, _goals(request.scope, data.goal_ids))
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/actions", response={201: CycleDetailOut, **WRITE_ERRORS})
def add_action(request: HttpRequest, cycle_id: int, data: ActionIn) -> Any:
    cycle = _cycle(request, cycle_id)
    owner = _one(request.scope.people(), data.owner_id, "owner_id", "person")
    actions.do_add_action(request.user, cycle, data.title, owner, data.due_on)
    return Status(201, _detail(request.scope, cycle.pk))


@router.patch("/cycles/{cycle_id}/actions/{action_id}", response={200: CycleDetailOut, **WRITE_ERRORS})
def update_action(request: HttpRequest, cycle_id: int, action_id: int, data: ActionPatch) -> Any:
    cycle = _cycle(request, cycle_id)
    action = request.scope.get(Action.objects.filter(cycle=cycle).select_related("cycle"), action_id)
    actions.do_update_action(request.user, action, data.status)
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/log", response={201: CycleDetailOut, **WRITE_ERRORS})
def add_log(request: HttpRequest, cycle_id: int, data: LogIn) -> Any:
    cycle = _cycle(request, cycle_id)
    action = _one(Action.objects.filter(cycle=cycle), data.action_id, "action_id", "action of this cycle")
    actions.do_add_log(request.user, cycle, data.happened_on, data.note, action)
    return Status(201, _detail(request.scope, cycle.pk))


@router.post("/cycles/{cycle_id}/evidence", response={201: CycleDetailOut, **WRITE_ERRORS})
def add_evidence(request: HttpRequest, cycle_id: int, data: EvidenceIn) -> Any:
    """Add re-measured data (with its value) or an observation. Documents are uploaded on the
    cycle's web page."""
    cycle = _cycle(request, cycle_id)
    if data.kind == Evidence.Kind.DOCUMENT:
        raise ValidationError(
            {"kind": "Documents are uploaded on the cycle's web page; the API adds data and observations."}
        )
    actions.do_add_evidence(
        request.user,
        cycle,
        kind=data.kind,
        title=data.title,
        collected_on=data.collected_on,
        note=data.note,
        value=data.value,
    )
    return Status(201, _detail(request.scope, cycle.pk))


@router.put("/cycles/{cycle_id}/reflection", response={200: CycleDetailOut, **WRITE_ERRORS})
def save_reflection(request: HttpRequest, cycle_id: int, data: ReflectionIn) -> Any:
    cycle = _cycle(request, cycle_id)
    actions.do_save_reflection(
        request.user,
        cycle,
        worked=data.worked,
        learned=data.learned,
        decision=data.decision,
        adjustments=data.adjustments,
    )
    return _detail(request.scope, cycle.pk)


@router.post("/cycles/{cycle_id}/next", response={201: CycleDetailOut, **WRITE_ERRORS})
def start_next_cycle(request: HttpRequest, cycle_id: int, data: NextIn) -> Any:
    """Start the cycle that follows this one, from its reflection: same team, place, method and
    goals; its problem statement and unfinished actions carried over. Answers the new cycle."""
    cycle = _cycle(request, cycle_id, manage=True)
    following = actions.do_start_next_cycle(
        request.user, cycle, title=data.title, starts_on=data.starts_on, ends_on=data.ends_on
    )
    return Status(201, _detail(request.scope, following.pk))


# -- templates --------------------------------------------------------------------------------


def _template_out(template: Template) -> dict[str, Any]:
    return {
        "id": template.pk,
        "name": template.name,
        "description": template.description,
        "built_in": template.built_in,
        "is_default": template.is_default,
        "archived": template.archived,
        "updated_at": template.updated_at,
        "steps": [
            {"position": s.position, "phase": s.phase, "name": s.name, "prompt": s.prompt, "requires": s.requires}
            for s in template.steps.all()
        ],
    }


def _templates() -> QuerySet[Template]:
    # Every template is visible to everyone signed in: it is a method, not anyone's data.
    return Template.objects.prefetch_related("steps")


def _editor(request: HttpRequest) -> None:
    # Without the capability the operation answers as if it did not exist, as partnerships do.
    if not actions.can_edit_templates(request.scope):
        raise Http404("Not found.")


def _save_template(request: HttpRequest, template: Template | None, data: TemplateIn) -> Template:
    return actions.do_save_template(
        request.user,
        template,
        data.dict(include={"name", "description", "is_default", "archived"}),
        [s.dict() for s in data.steps],
    )


@router.get("/cycle-templates", response={200: list[TemplateOut], **READ_ERRORS})
def list_templates(request: HttpRequest) -> Any:
    """Every template, archived ones included, the default first."""
    return [_template_out(t) for t in _templates()]


@router.get("/cycle-templates/{template_id}", response={200: TemplateOut, **READ_ERRORS})
def get_template(request: HttpRequest, template_id: int) -> Any:
    return _template_out(request.scope.get(_templates(), template_id))


@router.post("/cycle-templates", response={201: TemplateOut, **WRITE_ERRORS})
def create_template(request: HttpRequest, data: TemplateIn) -> Any:
    """Create a template (the organization's leaders)."""
    _editor(request)
    template = _save_template(request, None, data)
    return Status(201, _template_out(request.scope.get(_templates(), template.pk)))


@router.put("/cycle-templates/{template_id}", response={200: TemplateOut, **WRITE_ERRORS})
def replace_template(request: HttpRequest, template_id: int, data: TemplateIn) -> Any:
    """Replace a template's name, description, flags and steps (the organization's leaders).
    Cycles already started keep the steps they copied."""
    _editor(request)
    template = request.scope.get(Template.objects.all(), template_id)
    _save_template(request, template, data)
    return _template_out(request.scope.get(_templates(), template.pk))
