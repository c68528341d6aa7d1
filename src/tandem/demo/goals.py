"""Goals for the demo's partner schools, set from the demo's own results so that the statuses
show every case a coach meets: a target met, one on track, one off track."""

import datetime
from decimal import Decimal

from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.dashboards import policy, snapshot
from tandem.analytics.goals import place_of, value_of
from tandem.analytics.models import Goal, InterimTarget
from tandem.partnerships.models import Partnership


def load(partnerships: list[Partnership], last_tested: int) -> int:
    ela = Assessment.objects.get(code="caaspp-ela")
    math = Assessment.objects.get(code="caaspp-math")
    everyone = StudentGroup.objects.get(code="1")
    learners = StudentGroup.objects.get(code="160")
    fluent = StudentGroup.objects.get(code="6")
    base = last_tested - 3
    made = 0
    for i, membership in enumerate(m for p in partnerships for m in p.memberships.select_related("school")):
        school, partnership = membership.school, membership.partnership
        for assessment, group, metric, other in (
            (ela, everyone, Goal.Metric.AT_OR_ABOVE, None),
            (math, everyone, Goal.Metric.DISTANCE, None),
            (ela, learners, Goal.Metric.GAP, fluent),
        ):
            goal = Goal(
                title=f"{school.name}: {_title(metric, assessment, group)}",
                metric=metric,
                assessment=assessment,
                school=school,
                group=group,
                comparison_group=other,
                baseline_year=base,
                baseline_value=Decimal(0),
                target_value=Decimal(1),
                target_date=datetime.date(last_tested + 2, 6, 15),
                owner_partnership=partnership,
            )
            snap = snapshot(place_of(goal), assessment, policy())
            start, latest = value_of(goal, snap, base), value_of(goal, snap, last_tested)
            if start is None or latest is None:
                continue
            goal.baseline_value = _d(start)
            gained = latest - start
            if (i + len(goal.title)) % 3 == 0 and gained > 1:
                # Met already: a modest target the school has passed.
                goal.target_value = _d(start + gained / 2)
            elif (i + len(goal.title)) % 3 == 1:
                # Ambitious: off track unless the school grew fast.
                goal.target_value = _d(start + 12)
            else:
                goal.target_value = _d(max(latest, start) + 4)
            if goal.target_value == goal.baseline_value:
                goal.target_value += 1
            goal.save()
            InterimTarget.objects.create(
                goal=goal,
                school_year=last_tested,
                value=goal.baseline_value + (goal.target_value - goal.baseline_value) * Decimal("0.6"),
            )
            made += 1
    return made


def _title(metric: str, assessment: Assessment, group: StudentGroup) -> str:
    subject = "ELA" if assessment.subject == "ela" else "math"
    if metric == Goal.Metric.GAP:
        return f"narrow the {subject} gap for {group.label.lower()}"
    if metric == Goal.Metric.DISTANCE:
        return f"move {subject} closer to Standard Met"
    return f"more students at or above standard in {subject}"


def _d(value: float) -> Decimal:
    return Decimal(f"{value:.1f}")
