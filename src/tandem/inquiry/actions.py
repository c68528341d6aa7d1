"""Every change to a cycle of inquiry goes through these functions: each checks the actor's
right to make it, runs in one transaction, writes an audit entry and marks the cycle active.

A refusal is a ValidationError whose message says what to do instead; a cycle the actor may not
see at all never reaches these functions (views and the API look it up through the scope first).
"""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import Scope, scope_for
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.actions import visible_goals
from tandem.analytics.models import Goal
from tandem.inquiry import data, gates
from tandem.inquiry.models import (
    Action,
    ArtifactKind,
    Cycle,
    CycleLink,
    CycleStep,
    Evidence,
    LogEntry,
    ProblemStatement,
    Question,
    Reflection,
    Template,
    TemplateStep,
    _check_kinds,
)
from tandem.inquiry.visibility import can_contribute, can_manage, may_start
from tandem.orgs.models import Person

SCOPE_FIELDS = ("school", "district", "partnership", "team", "region")
# Which places a cycle at each level may work in; the first listed is required unless None is listed.
PLACES: dict[str, tuple[str | None, ...]] = {
    Cycle.Level.INDIVIDUAL: (None, "school"),
    Cycle.Level.TEAM: ("school", "team"),
    Cycle.Level.SCHOOL: ("school",),
    Cycle.Level.DISTRICT: ("district", "partnership"),
    Cycle.Level.REGION: ("region",),
    Cycle.Level.ORGANIZATION: (None,),
}
MAX_ATTACHMENT = 20 << 20


def _touch(cycle: Cycle) -> None:
    cycle.last_activity_at = timezone.now()
    cycle.save(update_fields=["last_activity_at"])


def _contributor(actor: Person, cycle: Cycle) -> Scope:
    scope = scope_for(actor)
    if not can_contribute(scope, cycle):
        raise ValidationError("Only the cycle's owner, members, coach and leaders can work on it.")
    if cycle.status != Cycle.Status.ACTIVE:
        raise ValidationError("This cycle is finished; start the next cycle to go on.")
    return scope


def _manager(actor: Person, cycle: Cycle) -> Scope:
    scope = scope_for(actor)
    if not can_manage(scope, cycle):
        raise ValidationError("Only the cycle's owner and its leaders can change it.")
    return scope


def _record_saved(actor: Person, action: str, obj: Model, before: dict[str, Any] | None) -> None:
    """Audit an artifact a cycle holds one of: its creation, or what changed in it."""
    if before is None:
        audit.record_creation(actor, action, obj)
    else:
        audit.record_update(actor, action, obj, before)


def _check_place(cycle: Cycle) -> None:
    allowed = PLACES[cycle.level]
    given = [f for f in SCOPE_FIELDS if getattr(cycle, f"{f}_id")]
    if len(given) > 1:
        raise ValidationError("A cycle works in one place: choose a school, district, partnership, team or region.")
    if not given and None not in allowed:
        names = " or ".join(f for f in allowed if f)
        raise ValidationError({allowed[0]: f"A {cycle.get_level_display().lower()} cycle needs a {names}."})
    if given and given[0] not in allowed:
        if allowed == (None,):
            raise ValidationError("A cycle of the whole organization works in no one place; leave the place empty.")
        names = " or ".join(f for f in allowed if f)
        raise ValidationError({given[0]: f"A {cycle.get_level_display().lower()} cycle works in a {names}."})


def _check_dates(cycle: Cycle) -> None:
    if cycle.ends_on <= cycle.starts_on:
        raise ValidationError({"ends_on": "The cycle must end after it starts."})
    if (cycle.ends_on - cycle.starts_on).days > 400:
        raise ValidationError({"ends_on": "A cycle lasts at most a little over a school year; split longer work."})


def _check_people(scope: Scope, people: list[Person], field: str = "members") -> None:
    known = set(scope.people().filter(pk__in=[p.pk for p in people]).values_list("pk", flat=True))
    unknown = [p for p in people if p.pk not in known]
    if unknown:
        raise ValidationError({field: "Choose people you work with."})


def _check_team(scope: Scope, cycle: Cycle, members: list[Person]) -> None:
    _check_people(scope, [cycle.owner], "owner")
    if cycle.coach is not None:
        _check_people(scope, [cycle.coach], "coach")
    _check_people(scope, members)


def _check_goals(scope: Scope, goals: list[Goal]) -> None:
    visible = set(visible_goals(scope).filter(pk__in=[g.pk for g in goals]).values_list("pk", flat=True))
    if any(g.pk not in visible for g in goals):
        raise ValidationError({"goals": "No goal has one of these ids."})


def _copy_steps(cycle: Cycle, template: Template) -> None:
    steps = list(template.steps.order_by("position"))
    if not steps:
        raise ValidationError({"template": "This template has no steps yet."})
    CycleStep.objects.bulk_create(
        CycleStep(
            cycle=cycle,
            position=i,
            phase=s.phase,
            name=s.name,
            prompt=s.prompt,
            requires=list(s.requires),
            started_on=cycle.starts_on if i == 1 else None,
        )
        for i, s in enumerate(steps, start=1)
    )


@transaction.atomic
def do_start_cycle(
    actor: Person,
    fields: dict[str, Any],
    *,
    members: list[Person] | None = None,
    goals: list[Goal] | None = None,
) -> Cycle:
    """Start a cycle from a template: `fields` holds title, level, template, the place, starts_on,
    ends_on and optionally owner and coach (the owner defaults to the actor)."""
    scope = scope_for(actor)
    now = timezone.now()
    cycle = Cycle(created_by=actor, last_activity_at=now, **{"owner": actor, **fields})
    if cycle.template_id and cycle.template.archived:
        raise ValidationError({"template": "This template is archived; choose another."})
    cycle.full_clean(exclude=["members", "goals"])
    _check_place(cycle)
    _check_dates(cycle)
    reason = may_start(scope, cycle)
    if reason:
        raise ValidationError(reason)
    _check_team(scope, cycle, members or [])
    _check_goals(scope, goals or [])
    cycle.save()
    cycle.members.set(members or [])
    cycle.goals.set(goals or [])
    _copy_steps(cycle, cycle.template)
    audit.record_creation(actor, "cycle.start", cycle)
    return cycle


@transaction.atomic
def do_update_cycle(actor: Person, cycle: Cycle, fields: dict[str, Any], members: list[Person] | None = None) -> Cycle:
    """Change a cycle's title, dates, owner, coach or members."""
    scope = _manager(actor, cycle)
    allowed = {"title", "starts_on", "ends_on", "owner", "coach"}
    if set(fields) - allowed:
        raise ValidationError(f"Only these can change: {', '.join(sorted(allowed))}.")
    before = audit.snapshot(cycle)
    for name, value in fields.items():
        setattr(cycle, name, value)
    cycle.full_clean(exclude=["members", "goals"])
    _check_dates(cycle)
    _check_team(scope, cycle, members or [])
    cycle.save()
    entry = audit.record_update(actor, "cycle.update", cycle, before)
    if members is not None:
        old, new = sorted(cycle.members.values_list("pk", flat=True)), sorted(p.pk for p in members)
        cycle.members.set(members)
        if old != new:
            # A change of members alone is a change too: the entry says who joined or left.
            entry = entry or audit.record(actor, "cycle.update", cycle)
            entry.changes["members"] = [old, new]
            entry.save(update_fields=["changes"])
    _touch(cycle)
    return cycle


@transaction.atomic
def do_finish_step(actor: Person, cycle: Cycle, today: datetime.date | None = None) -> CycleStep:
    """Finish the current step once its required artifacts exist; the next one starts today.
    Finishing the last step completes the cycle."""
    _contributor(actor, cycle)
    today = today or timezone.localdate()
    step = gates.current_step(cycle)
    if step is None:
        raise ValidationError("Every step of this cycle is finished.")
    lacking = gates.missing(step, gates.present(cycle))
    if lacking:
        raise ValidationError(f"{step.name} needs {', '.join(lacking)} before it can be finished.")
    step.finished_on = today
    step.finished_by = actor
    step.save(update_fields=["finished_on", "finished_by"])
    following = cycle.steps.filter(position__gt=step.position).order_by("position").first()
    if following is None:
        cycle.status = Cycle.Status.COMPLETED
        cycle.finished_on = today
        cycle.save(update_fields=["status", "finished_on"])
    else:
        following.started_on = today
        following.save(update_fields=["started_on"])
    audit.record(actor, "cycle.finish_step", cycle, {"step": [None, step.name]})
    _touch(cycle)
    return step


@transaction.atomic
def do_reopen_step(actor: Person, cycle: Cycle) -> CycleStep:
    """Undo the last finished step (and the cycle's completion, if that finished it)."""
    scope = scope_for(actor)
    if not can_contribute(scope, cycle):
        raise ValidationError("Only the cycle's owner, members, coach and leaders can work on it.")
    if cycle.status == Cycle.Status.CLOSED:
        raise ValidationError("This cycle was closed; reopen it first.")
    if cycle.next_cycles.exists():
        raise ValidationError("The next cycle has started from this one; it can no longer be reopened.")
    step = cycle.steps.filter(finished_on__isnull=False).order_by("-position").first()
    if step is None:
        raise ValidationError("No step of this cycle is finished yet.")
    cycle.steps.filter(position__gt=step.position).update(started_on=None)
    step.finished_on = None
    step.finished_by = None
    step.save(update_fields=["finished_on", "finished_by"])
    if cycle.status == Cycle.Status.COMPLETED:
        cycle.status = Cycle.Status.ACTIVE
        cycle.finished_on = None
        cycle.save(update_fields=["status", "finished_on"])
    audit.record(actor, "cycle.reopen_step", cycle, {"step": [step.name, None]})
    _touch(cycle)
    return step


@transaction.atomic
def do_close_cycle(actor: Person, cycle: Cycle, reopen: bool = False, today: datetime.date | None = None) -> Cycle:
    """Close a cycle before its last step (or reopen a closed one)."""
    _manager(actor, cycle)
    before = audit.snapshot(cycle)
    if reopen:
        if cycle.status != Cycle.Status.CLOSED:
            raise ValidationError("Only a closed cycle can be reopened.")
        cycle.status, cycle.finished_on = Cycle.Status.ACTIVE, None
    else:
        if cycle.status != Cycle.Status.ACTIVE:
            raise ValidationError("Only an active cycle can be closed.")
        cycle.status, cycle.finished_on = Cycle.Status.CLOSED, today or timezone.localdate()
    cycle.save(update_fields=["status", "finished_on"])
    audit.record_update(actor, "cycle.reopen" if reopen else "cycle.close", cycle, before)
    _touch(cycle)
    return cycle


@transaction.atomic
def do_save_problem(
    actor: Person,
    cycle: Cycle,
    statement: str,
    *,
    assessment: Assessment | None = None,
    metric: str = "",
    group: StudentGroup | None = None,
    grade: str = "all",
    school_year: int | None = None,
    today: datetime.date | None = None,
) -> ProblemStatement:
    """Write (or rewrite) the problem statement; with an assessment, metric and group, the data it
    rests on is read now from the place's results and saved with it."""
    _contributor(actor, cycle)
    if not statement.strip():
        raise ValidationError({"statement": "Say what the problem is."})
    problem = ProblemStatement.objects.filter(cycle=cycle).first() or ProblemStatement(cycle=cycle)
    before = audit.snapshot(problem) if problem.pk else None
    problem.statement = statement.strip()
    problem.author = actor
    if assessment is not None:
        if not metric or group is None:
            raise ValidationError({"metric": "Choose the measure and the student group the data is about."})
        if metric == Goal.Metric.GAP:
            raise ValidationError({"metric": "A problem statement reads one group; describe a gap in words."})
        reading = data.read(cycle, assessment, metric, group, grade, school_year)
        problem.assessment, problem.metric, problem.group, problem.grade = assessment, metric, group, grade
        problem.school_year, problem.place_label = reading.school_year, reading.place_label
        problem.value, problem.tested, problem.suppressed = reading.value, reading.tested, reading.suppressed
        problem.read_on = today or timezone.localdate()
    problem.full_clean(exclude=["cycle"])
    problem.save()
    _record_saved(actor, "cycle.problem", problem, before)
    _touch(cycle)
    return problem


@transaction.atomic
def do_add_question(actor: Person, cycle: Cycle, about: str, text: str) -> Question:
    _contributor(actor, cycle)
    question = Question(cycle=cycle, about=about, text=text.strip(), author=actor)
    question.full_clean()
    question.save()
    audit.record_creation(actor, "cycle.question", question)
    _touch(cycle)
    return question


@transaction.atomic
def do_set_goals(actor: Person, cycle: Cycle, goals: list[Goal]) -> None:
    scope = _contributor(actor, cycle)
    _check_goals(scope, goals)
    old = sorted(cycle.goals.values_list("pk", flat=True))
    cycle.goals.set(goals)
    audit.record(actor, "cycle.goals", cycle, {"goals": [old, sorted(g.pk for g in goals)]})
    _touch(cycle)


@transaction.atomic
def do_add_action(
    actor: Person, cycle: Cycle, title: str, owner: Person | None = None, due_on: datetime.date | None = None
) -> Action:
    scope = _contributor(actor, cycle)
    if owner is not None:
        _check_people(scope, [owner], "owner")
    action = Action(cycle=cycle, title=title.strip(), owner=owner, due_on=due_on)
    action.full_clean()
    action.save()
    audit.record_creation(actor, "cycle.action", action)
    _touch(cycle)
    return action


@transaction.atomic
def do_update_action(actor: Person, action: Action, status: str, today: datetime.date | None = None) -> Action:
    _contributor(actor, action.cycle)
    before = audit.snapshot(action)
    action.status = status
    action.done_on = (today or timezone.localdate()) if status == Action.Status.DONE else None
    action.full_clean()
    action.save()
    audit.record_update(actor, "cycle.action_status", action, before)
    _touch(action.cycle)
    return action


@transaction.atomic
def do_add_log(
    actor: Person,
    cycle: Cycle,
    happened_on: datetime.date,
    note: str,
    action: Action | None = None,
    today: datetime.date | None = None,
) -> LogEntry:
    _contributor(actor, cycle)
    if action is not None and action.cycle_id != cycle.pk:
        raise ValidationError({"action": "Choose one of this cycle's actions."})
    if happened_on > (today or timezone.localdate()):
        raise ValidationError({"happened_on": "The log records what has happened; the date is in the future."})
    entry = LogEntry(cycle=cycle, happened_on=happened_on, note=note.strip(), action=action, author=actor)
    entry.full_clean()
    entry.save()
    audit.record_creation(actor, "cycle.log", entry)
    _touch(cycle)
    return entry


@transaction.atomic
def do_add_evidence(
    actor: Person,
    cycle: Cycle,
    *,
    kind: str,
    title: str,
    collected_on: datetime.date,
    note: str = "",
    value: Decimal | None = None,
    attachment: UploadedFile | None = None,
) -> Evidence:
    _contributor(actor, cycle)
    if kind == Evidence.Kind.DATA and value is None:
        raise ValidationError({"value": "Re-measured data needs the value measured."})
    if kind == Evidence.Kind.DOCUMENT and attachment is None:
        raise ValidationError({"attachment": "Attach the document."})
    if attachment is not None and attachment.size and attachment.size > MAX_ATTACHMENT:
        raise ValidationError({"attachment": "Attachments can be at most 20 MB."})
    evidence = Evidence(
        cycle=cycle, kind=kind, title=title.strip(), note=note, collected_on=collected_on, value=value, author=actor
    )
    if attachment is not None:
        evidence.attachment = attachment  # type: ignore[assignment]
    evidence.full_clean()
    evidence.save()
    audit.record_creation(actor, "cycle.evidence", evidence)
    _touch(cycle)
    return evidence


@transaction.atomic
def do_save_reflection(
    actor: Person, cycle: Cycle, *, worked: str, learned: str, decision: str, adjustments: str = ""
) -> Reflection:
    _contributor(actor, cycle)
    reflection = Reflection.objects.filter(cycle=cycle).first() or Reflection(cycle=cycle)
    before = audit.snapshot(reflection) if reflection.pk else None
    reflection.worked, reflection.learned = worked.strip(), learned.strip()
    reflection.decision, reflection.adjustments, reflection.author = decision, adjustments.strip(), actor
    reflection.full_clean(exclude=["cycle"])
    reflection.save()
    _record_saved(actor, "cycle.reflection", reflection, before)
    _touch(cycle)
    return reflection


@transaction.atomic
def do_start_next_cycle(
    actor: Person,
    cycle: Cycle,
    *,
    title: str | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> Cycle:
    """Start the cycle that follows this one: same team, place, method and goals; its problem
    statement and unfinished actions carried over, and the reflection's adjustments as its start."""
    _manager(actor, cycle)
    reflection = Reflection.objects.filter(cycle=cycle).first()
    if reflection is None:
        raise ValidationError("Reflect on this cycle first: the next one starts from its adjustments.")
    if cycle.next_cycles.exists():
        raise ValidationError("The next cycle has already started from this one.")
    length = cycle.ends_on - cycle.starts_on
    starts_on = starts_on or max(timezone.localdate(), cycle.ends_on)
    fields: dict[str, Any] = {
        "title": title or _next_title(cycle.title),
        "level": cycle.level,
        "template": cycle.template if not cycle.template.archived else _default_template(),
        "owner": cycle.owner,
        "coach": cycle.coach,
        "starts_on": starts_on,
        "ends_on": ends_on or starts_on + length,
        **{f: getattr(cycle, f) for f in SCOPE_FIELDS},
    }
    following = do_start_cycle(actor, fields, members=list(cycle.members.all()), goals=list(cycle.goals.all()))
    following.previous = cycle
    following.carried_forward = reflection.adjustments
    following.save(update_fields=["previous", "carried_forward"])
    problem = ProblemStatement.objects.filter(cycle=cycle).first()
    if problem is not None:
        problem.pk = None
        problem.id = None
        problem._state.adding = True
        problem.cycle = following
        problem.save()
        audit.record_creation(actor, "cycle.problem", problem)
    # Unfinished actions carry over without their due dates: the new cycle plans its own timing.
    carried = Action.objects.bulk_create(
        Action(cycle=following, title=a.title, owner=a.owner, due_on=None)
        for a in cycle.actions.filter(status__in=[Action.Status.PLANNED, Action.Status.IN_PROGRESS])
    )
    audit.record(
        actor,
        "cycle.next",
        cycle,
        {"next_cycle": [None, following.pk], "carried_actions": [None, [a.title for a in carried]]},
    )
    return following


def _default_template() -> Template:
    found = Template.objects.filter(is_default=True, archived=False).first()
    if found is None:
        raise ValidationError("This cycle's template is archived and no default template is set; choose one first.")
    return found


def _next_title(title: str) -> str:
    """ "Grade 3 fluency" → "Grade 3 fluency (cycle 2)" → "Grade 3 fluency (cycle 3)"."""
    stem, sep, tail = title.rpartition(" (cycle ")
    if sep and tail.endswith(")") and tail[:-1].isdigit():
        return f"{stem} (cycle {int(tail[:-1]) + 1})"
    return f"{title} (cycle 2)"


@transaction.atomic
def do_link(actor: Person, cycle: Cycle, relation: str, target: Model) -> CycleLink:
    """Record that the cycle started from or led to another object (a flag, a working group, a
    practice). The caller has already found `target` through the actor's scope."""
    _contributor(actor, cycle) if relation == CycleLink.Relation.STARTED_FROM else _manager(actor, cycle)
    link, created = CycleLink.objects.get_or_create(
        cycle=cycle,
        relation=relation,
        content_type=_content_type(target),
        object_id=target.pk,
    )
    if created:
        audit.record_creation(actor, "cycle.link", link)
        _touch(cycle)
    return link


def _content_type(target: Model) -> Any:
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(target)


# -- templates --------------------------------------------------------------------------------


def can_edit_templates(scope: Scope) -> bool:
    return scope.is_org_wide(Capability.LEAD)


@transaction.atomic
def do_save_template(
    actor: Person, template: Template | None, fields: dict[str, Any], steps: list[dict[str, Any]]
) -> Template:
    """Create or edit a template: its name, description, default flag, and steps in order (each a
    dict of phase, name, prompt, requires). Cycles already started keep the steps they copied."""
    if not can_edit_templates(scope_for(actor)):
        raise ValidationError("Only the organization's leaders edit cycle templates.")
    if not steps:
        raise ValidationError({"steps": "A template needs at least one step."})
    for i, step in enumerate(steps, start=1):
        if not str(step.get("name", "")).strip():
            raise ValidationError({"steps": f"Step {i} needs a name."})
        try:
            _check_kinds(step.get("requires", []))
        except ValidationError:
            raise ValidationError(
                {"steps": f"Step {i}: required artifacts must be drawn from {', '.join(ArtifactKind.values)}."}
            ) from None
    creating = template is None
    template = template or Template()
    before = None if creating else audit.snapshot(template)
    old_steps = [] if creating else list(template.steps.values("phase", "name", "prompt", "requires"))
    for name, value in fields.items():
        setattr(template, name, value)
    template.full_clean()
    template.save()
    if template.is_default:
        Template.objects.exclude(pk=template.pk).filter(is_default=True).update(is_default=False)
    template.steps.all().delete()
    TemplateStep.objects.bulk_create(
        TemplateStep(
            template=template,
            position=i,
            phase=str(s.get("phase", "")).strip(),
            name=str(s["name"]).strip(),
            prompt=str(s.get("prompt", "")).strip(),
            requires=list(s.get("requires", [])),
        )
        for i, s in enumerate(steps, start=1)
    )
    new_steps = list(template.steps.values("phase", "name", "prompt", "requires"))
    if creating:
        entry = audit.record_creation(actor, "cycle_template.create", template)
    else:
        entry = audit.record_update(actor, "cycle_template.update", template, before or {}) or audit.record(
            actor, "cycle_template.update", template
        )
    if old_steps != new_steps:
        entry.changes["steps"] = [old_steps, new_steps]
        entry.save(update_fields=["changes"])
    return template
