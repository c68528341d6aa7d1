"""Every change to coaching goes through these functions: each checks the actor's right, runs in
one transaction and writes an audit entry. Audit entries of private notes name the note, never
its text: the audit log is read by org admins."""

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import Scope, scope_for
from tandem.analytics.actions import visible_goals
from tandem.analytics.models import Goal
from tandem.coaching.models import (
    DEFAULT_CYCLE_STEPS,
    CoacheeGoal,
    CoachingCycle,
    Competency,
    Domain,
    Framework,
    FrameworkVersion,
    PrivateNote,
    Rating,
    Relationship,
    Session,
    StaffCost,
)
from tandem.coaching.visibility import SUPERVISE, can_coach, can_manage, is_coachee
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import Organization, Person, School, Team


def _coach_only(actor: Person, relationship: Relationship) -> None:
    if not can_coach(actor, relationship):
        raise ValidationError("Only the coach of this relationship can do this.")


def _manager(actor: Person, relationship: Relationship) -> Scope:
    scope = scope_for(actor)
    if not can_manage(scope, relationship):
        raise ValidationError("Only the coach and the coaching supervisors can change this.")
    return scope


def _active(relationship: Relationship) -> None:
    if relationship.status != Relationship.Status.ACTIVE:
        raise ValidationError("This coaching relationship has ended.")


def _in_framework(relationship: Relationship, competencies: list[Competency]) -> None:
    if any(c.domain.version_id != relationship.framework_id for c in competencies):
        raise ValidationError({"competencies": "Choose competencies of this relationship's framework."})


@transaction.atomic
def do_start_relationship(
    actor: Person,
    *,
    coach: Person,
    school: School | None,
    framework: Framework,
    starts_on: datetime.date,
    coachee: Person | None = None,
    team: Team | None = None,
    focus: list[Competency] | None = None,
) -> Relationship:
    """A coach starts coaching someone at a school they work with; a supervisor can pair any coach
    with anyone in the schools they supervise."""
    scope = scope_for(actor)
    if (coachee is None) == (team is None):
        raise ValidationError({"coachee": "Coach one person or one team."})
    if coachee is not None and coachee.pk == coach.pk:
        raise ValidationError({"coachee": "A coach does not coach themselves here; use a cycle of inquiry."})
    if framework.archived:
        raise ValidationError({"framework": "This framework is archived; choose another."})
    supervisor = scope.is_org_wide(SUPERVISE) or bool(school and scope.covers_school(SUPERVISE, school.pk))
    own = actor.pk == coach.pk and (school is None or scope.covers_school(Capability.VIEW, school.pk))
    if not (supervisor or own):
        raise ValidationError("You can start coaching only as the coach, at a school you work with.")
    # Coaches are the organization's staff: a teacher or a funder cannot make themselves one.
    if not scope_for(coach).is_staff_member():
        raise ValidationError({"coach": "The coach must be one of the organization's staff."})
    people = {p.pk for p in [coach, coachee] if p is not None}
    if people - set(scope.people().filter(pk__in=people).values_list("pk", flat=True)):
        raise ValidationError({"coachee": "Choose people you work with."})
    version = framework.current()
    relationship = Relationship(
        coach=coach, coachee=coachee, team=team, school=school, framework=version, starts_on=starts_on
    )
    relationship.full_clean()
    relationship.save()
    if focus:
        _in_framework(relationship, focus)
        relationship.focus.set(focus)
    audit.record_creation(actor, "coaching.start", relationship)
    return relationship


@transaction.atomic
def do_end_relationship(actor: Person, relationship: Relationship, ends_on: datetime.date) -> Relationship:
    _manager(actor, relationship)
    _active(relationship)
    if ends_on < relationship.starts_on:
        raise ValidationError({"ends_on": "The coaching cannot end before it started."})
    before = audit.snapshot(relationship)
    relationship.status, relationship.ends_on = Relationship.Status.ENDED, ends_on
    relationship.save(update_fields=["status", "ends_on"])
    # A cycle under way ends with the coaching.
    relationship.cycles.filter(status=CoachingCycle.Status.ACTIVE).update(
        status=CoachingCycle.Status.COMPLETED, ends_on=ends_on
    )
    audit.record_update(actor, "coaching.end", relationship, before)
    return relationship


@transaction.atomic
def do_log_session(
    actor: Person,
    relationship: Relationship,
    *,
    held_on: datetime.date,
    minutes: int,
    kind: str,
    shared_notes: str = "",
    next_steps: str = "",
    evidence: str = "",
    competencies: list[Competency] | None = None,
    cycle: CoachingCycle | None = None,
    private_note: str = "",
    today: datetime.date | None = None,
) -> Session:
    """Log a session; a private note written with it is kept for the coach alone."""
    _coach_only(actor, relationship)
    _active(relationship)
    if held_on > (today or timezone.localdate()):
        raise ValidationError({"held_on": "Log a session once it has happened; the date is in the future."})
    if held_on < relationship.starts_on:
        raise ValidationError({"held_on": "The session is dated before this coaching started."})
    if cycle is not None and cycle.relationship_id != relationship.pk:
        raise ValidationError({"cycle": "Choose one of this relationship's coaching cycles."})
    session = Session(
        relationship=relationship,
        cycle=cycle,
        held_on=held_on,
        minutes=minutes,
        kind=kind,
        shared_notes=shared_notes.strip(),
        next_steps=next_steps.strip(),
        evidence=evidence.strip(),
        logged_by=actor,
    )
    session.full_clean()
    session.save()
    if competencies:
        _in_framework(relationship, competencies)
        session.competencies.set(competencies)
    audit.record_creation(actor, "coaching.session", session)
    if private_note.strip():
        do_add_private_note(actor, relationship, private_note, session=session)
    return session


@transaction.atomic
def do_add_private_note(
    actor: Person, relationship: Relationship, text: str, session: Session | None = None
) -> PrivateNote:
    _coach_only(actor, relationship)
    if not text.strip():
        raise ValidationError({"text": "The note is empty."})
    if session is not None and session.relationship_id != relationship.pk:
        raise ValidationError({"session": "Choose one of this relationship's sessions."})
    note = PrivateNote.objects.create(author=actor, relationship=relationship, session=session, text=text.strip())
    # The audit log records that a note exists, never what it says.
    audit.record(actor, "coaching.private_note", note, {"relationship": [None, relationship.pk]})
    return note


@transaction.atomic
def do_delete_private_note(actor: Person, note: PrivateNote) -> None:
    if note.author_id != actor.pk:
        raise ValidationError("Only the author of a private note can delete it.")
    audit.record(actor, "coaching.private_note_delete", note, {"relationship": [note.relationship_id, None]})
    note.delete()


def _check_links(scope: Scope, student_goal: Goal | None, inquiry_cycle: Cycle | None) -> None:
    if student_goal is not None and not visible_goals(scope).filter(pk=student_goal.pk).exists():
        raise ValidationError({"student_goal": "No goal has this id."})
    if inquiry_cycle is not None and not visible_cycles(scope).filter(pk=inquiry_cycle.pk).exists():
        raise ValidationError({"inquiry_cycle": "No cycle of inquiry has this id."})


@transaction.atomic
def do_set_goal(
    actor: Person, relationship: Relationship, goal: CoacheeGoal | None, fields: dict[str, Any]
) -> CoacheeGoal:
    """Create or change a coachee goal (its title, description, status, competency, due date and
    links to a student-outcome goal or a cycle of inquiry). The coachee may change the status of
    their own goals; the coach and supervisors change everything."""
    scope = scope_for(actor)
    own = is_coachee(actor, relationship)
    if not can_manage(scope, relationship) and not (own and goal is not None and set(fields) <= {"status"}):
        raise ValidationError("Only the coach and the coaching supervisors set goals; coachees update their status.")
    _active(relationship)
    _check_links(scope, fields.get("student_goal"), fields.get("inquiry_cycle"))
    if fields.get("competency") is not None:
        _in_framework(relationship, [fields["competency"]])
    target = goal or CoacheeGoal(relationship=relationship)
    if target.relationship_id != relationship.pk:
        raise ValidationError("This goal belongs to another relationship.")
    before = audit.snapshot(target) if target.pk else None
    for name, value in fields.items():
        setattr(target, name, value)
    target.full_clean()
    target.save()
    if before is None:
        audit.record_creation(actor, "coaching.goal", target)
    else:
        audit.record_update(actor, "coaching.goal", target, before)
    return target


@transaction.atomic
def do_rate(
    actor: Person,
    relationship: Relationship,
    competency: Competency,
    level: int,
    rated_on: datetime.date,
    evidence: str = "",
) -> Rating:
    """A coach rating (by the coach) or a self rating (by the coachee) of one competency."""
    if can_coach(actor, relationship):
        source = Rating.Source.COACH
    elif is_coachee(actor, relationship):
        source = Rating.Source.SELF
    else:
        raise ValidationError("Only the coach and the coachee rate a competency.")
    _in_framework(relationship, [competency])
    levels = relationship.framework.levels
    if not 1 <= level <= len(levels):
        raise ValidationError({"level": f"Choose a level from 1 ({levels[0]}) to {len(levels)} ({levels[-1]})."})
    _active(relationship)
    if rated_on > timezone.localdate():
        raise ValidationError({"rated_on": "A rating records what was seen; the date is in the future."})
    if rated_on < relationship.starts_on:
        raise ValidationError({"rated_on": "The rating is dated before this coaching started."})
    rating = Rating(
        relationship=relationship,
        competency=competency,
        level=level,
        source=source,
        rated_on=rated_on,
        evidence=evidence.strip(),
        rater=actor,
    )
    rating.full_clean()
    rating.save()
    audit.record_creation(actor, "coaching.rating", rating)
    return rating


def cycle_steps() -> list[str]:
    org = Organization.objects.first()
    return list(org.coaching_cycle_steps) if org and org.coaching_cycle_steps else list(DEFAULT_CYCLE_STEPS)


@transaction.atomic
def do_start_coaching_cycle(
    actor: Person,
    relationship: Relationship,
    title: str,
    starts_on: datetime.date,
    inquiry_cycle: Cycle | None = None,
) -> CoachingCycle:
    scope = _manager(actor, relationship)
    _active(relationship)
    _check_links(scope, None, inquiry_cycle)
    if relationship.cycles.filter(status=CoachingCycle.Status.ACTIVE).exists():
        raise ValidationError("Finish the coaching cycle under way before starting another.")
    if starts_on < relationship.starts_on:
        raise ValidationError({"starts_on": "The cycle is dated before this coaching started."})
    cycle = CoachingCycle(
        relationship=relationship,
        title=title.strip(),
        steps=cycle_steps(),
        starts_on=starts_on,
        inquiry_cycle=inquiry_cycle,
    )
    cycle.full_clean()
    cycle.save()
    audit.record_creation(actor, "coaching.cycle", cycle)
    return cycle


@transaction.atomic
def do_advance_cycle(actor: Person, cycle: CoachingCycle, today: datetime.date | None = None) -> CoachingCycle:
    """Move to the next step; after the last step the coaching cycle is completed."""
    _manager(actor, cycle.relationship)
    _active(cycle.relationship)
    if cycle.status != CoachingCycle.Status.ACTIVE:
        raise ValidationError("This coaching cycle is completed.")
    before = audit.snapshot(cycle)
    if cycle.step + 1 >= len(cycle.steps):
        cycle.status, cycle.ends_on = CoachingCycle.Status.COMPLETED, today or timezone.localdate()
    else:
        cycle.step += 1
    cycle.save()
    audit.record_update(actor, "coaching.cycle_advance", cycle, before)
    return cycle


# -- frameworks and costs -----------------------------------------------------------------------


def can_edit_frameworks(scope: Scope) -> bool:
    return scope.is_org_wide(SUPERVISE)


@transaction.atomic
def do_publish_version(
    actor: Person, framework: Framework, levels: list[str], domains: list[dict[str, Any]], note: str = ""
) -> FrameworkVersion:
    """Publish a new wording of a framework: `domains` is a list of {name, competencies: [{code,
    name, description, descriptors}]}. Ratings given against older versions keep their wording."""
    if not can_edit_frameworks(scope_for(actor)):
        raise ValidationError("Only the organization's coaching leaders edit frameworks.")
    levels = [str(level).strip() for level in levels]
    if len(levels) < 2 or any(not level for level in levels):
        raise ValidationError({"levels": "A framework needs at least two named levels."})
    if not domains:
        raise ValidationError({"domains": "A framework needs at least one domain."})
    codes: set[str] = set()
    for d, domain in enumerate(domains, start=1):
        if not str(domain.get("name", "")).strip() or not domain.get("competencies"):
            raise ValidationError({"domains": f"Domain {d} needs a name and at least one competency."})
        for c, comp in enumerate(domain["competencies"], start=1):
            where = f"Domain {d}, competency {c}"
            code = str(comp.get("code", "")).strip()
            if not code or not str(comp.get("name", "")).strip():
                raise ValidationError({"domains": f"{where} needs a code and a name."})
            if code in codes:
                raise ValidationError({"domains": f"{where}: the code {code} is used twice."})
            codes.add(code)
            if len(comp.get("descriptors", [])) != len(levels):
                raise ValidationError(
                    {"domains": f"{where} needs one descriptor for each of the {len(levels)} levels."}
                )
    latest = framework.current()
    version = FrameworkVersion.objects.create(
        framework=framework, number=(latest.number + 1) if latest else 1, levels=levels, note=note.strip()
    )
    for d, domain in enumerate(domains, start=1):
        row = Domain(version=version, position=d, name=str(domain["name"]).strip())
        row.full_clean()
        row.save()
        competencies = [
            Competency(
                domain=row,
                position=c,
                code=str(comp["code"]).strip(),
                name=str(comp["name"]).strip(),
                description=str(comp.get("description", "")).strip(),
                descriptors=[str(x).strip() for x in comp["descriptors"]],
            )
            for c, comp in enumerate(domain["competencies"], start=1)
        ]
        for c, competency in enumerate(competencies, start=1):
            try:
                competency.full_clean()
            except ValidationError as e:
                problems = "; ".join(f"{field}: {' '.join(m)}" for field, m in e.message_dict.items())
                raise ValidationError({"domains": f"Domain {d}, competency {c}: {problems}"}) from None
        Competency.objects.bulk_create(competencies)
    audit.record(actor, "coaching.framework_version", version, {"number": [None, version.number], "note": [None, note]})
    return version


def can_set_costs(scope: Scope) -> bool:
    return scope.is_org_wide(Capability.VIEW_FINANCE) and scope.is_org_wide(Capability.MANAGE_PARTNERSHIPS)


@transaction.atomic
def do_set_staff_cost(actor: Person, person: Person, school_year: int, hourly_cost: Decimal) -> StaffCost:
    if not can_set_costs(scope_for(actor)):
        raise ValidationError("Only the organization's finance managers set staff costs.")
    if hourly_cost <= 0:
        raise ValidationError({"hourly_cost": "The loaded cost of an hour must be above zero."})
    cost = StaffCost.objects.filter(person=person, school_year=school_year).first()
    before = audit.snapshot(cost) if cost else None
    cost = cost or StaffCost(person=person, school_year=school_year)
    cost.hourly_cost, cost.updated_by = hourly_cost, actor
    cost.full_clean()
    cost.save()
    if before is None:
        audit.record_creation(actor, "coaching.staff_cost", cost)
    else:
        audit.record_update(actor, "coaching.staff_cost", cost, before)
    return cost
