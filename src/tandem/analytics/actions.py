"""Every change to goals goes through these functions: each checks the actor's reach, runs in one
transaction and writes an audit entry.

Setting a goal for a place needs student-level access to every school in it (coaches, principals,
district leaders, the organization's leaders); others see goals wherever they see the place.
"""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import ALL, Scope, scope_for
from tandem.analytics.goals import place_of
from tandem.analytics.models import Goal, InterimTarget
from tandem.orgs.models import Person

EDIT = Capability.VIEW_STUDENTS


def _schools_of(goal: Goal) -> set[int]:
    return set(place_of(goal).school_ids)


def visible_goals(scope: Scope) -> QuerySet[Goal]:
    """Goals of places the person sees: their schools, districts, partnerships, and the network's
    goals for everyone on the organization's staff or with organization-wide reach."""
    if scope.is_org_wide():
        return Goal.objects.all()
    q = Q(school__in=scope.schools()) | Q(district__in=scope.districts()) | Q(partnership__in=scope.partnerships())
    if scope.is_staff_member():
        q |= Q(school=None, district=None, partnership=None)
    return Goal.objects.filter(q)


def can_set_goals(scope: Scope) -> bool:
    return scope.can(EDIT)


def can_edit_goal(actor: Person, goal: Goal) -> bool:
    scope = scope_for(actor)
    if not goal.school_id and not goal.district_id and not goal.partnership_id:
        return scope.is_org_wide(EDIT)
    reach = scope.school_ids(EDIT)
    schools = _schools_of(goal)
    return reach is ALL or (bool(schools) and schools <= reach)  # type: ignore[operator]


def _check(actor: Person, goal: Goal) -> None:
    if not can_edit_goal(actor, goal):
        raise ValidationError("You can set goals only for schools where you have student-level access.")
    if goal.metric == Goal.Metric.GAP and not goal.comparison_group_id:
        raise ValidationError({"comparison_group": "A gap goal needs a group to compare with."})
    if goal.metric != Goal.Metric.GAP and goal.comparison_group_id:
        raise ValidationError({"comparison_group": "Only gap goals compare with another group; leave this blank."})
    if goal.target_year <= goal.baseline_year:
        raise ValidationError({"target_date": "The target date must fall in a school year after the baseline year."})
    if goal.target_value == goal.baseline_value:
        raise ValidationError({"target_value": "The target must differ from the baseline."})


def _interim(goal: Goal, interim: dict[int, Decimal]) -> None:
    for year in interim:
        if not goal.baseline_year < year < goal.target_year:
            raise ValidationError(
                {"interim": f"An interim target for {year} falls outside the years between baseline and target."}
            )
    goal.interim_targets.all().delete()
    InterimTarget.objects.bulk_create(InterimTarget(goal=goal, school_year=y, value=v) for y, v in interim.items())


@transaction.atomic
def do_create_goal(actor: Person, fields: dict[str, Any], interim: dict[int, Decimal]) -> Goal:
    goal = Goal(created_by=actor, **fields)
    goal.full_clean()
    _check(actor, goal)
    goal.save()
    _interim(goal, interim)
    entry = audit.record_creation(actor, "goal.create", goal)
    entry.changes["interim_targets"] = [None, {str(y): str(v) for y, v in interim.items()}]
    entry.save(update_fields=["changes"])
    return goal


@transaction.atomic
def do_update_goal(actor: Person, goal: Goal, fields: dict[str, Any], interim: dict[int, Decimal]) -> Goal:
    if not can_edit_goal(actor, goal):
        raise ValidationError("You can change goals only where you have student-level access.")
    before = audit.snapshot(goal)
    for name, value in fields.items():
        setattr(goal, name, value)
    goal.full_clean()
    _check(actor, goal)
    goal.save()
    _interim(goal, interim)
    audit.record_update(actor, "goal.update", goal, before)
    return goal


@transaction.atomic
def do_delete_goal(actor: Person, goal: Goal) -> None:
    if not can_edit_goal(actor, goal):
        raise ValidationError("You can delete goals only where you have student-level access.")
    audit.record(actor, "goal.delete", goal, {"title": [goal.title, None]})
    goal.delete()
