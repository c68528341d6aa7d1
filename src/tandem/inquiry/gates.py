"""Step gates: a step can be finished once every artifact it requires exists in the cycle."""

from tandem.inquiry.models import ArtifactKind, Cycle, CycleStep, Evidence, LogEntry, ProblemStatement, Reflection

K = ArtifactKind


def present(cycle: Cycle) -> set[str]:
    """The kinds of artifact the cycle has at least one of."""
    found = set()
    checks = {
        K.PROBLEM: ProblemStatement.objects.filter(cycle=cycle),
        K.QUESTIONS: cycle.questions.all(),
        K.GOALS: cycle.goals.all(),
        K.ACTIONS: cycle.actions.all(),
        K.LOG: LogEntry.objects.filter(cycle=cycle),
        K.EVIDENCE: Evidence.objects.filter(cycle=cycle),
        K.REFLECTION: Reflection.objects.filter(cycle=cycle),
    }
    for kind, qs in checks.items():
        if qs.exists():
            found.add(kind.value)
    return found


def missing(step: CycleStep, have: set[str]) -> list[str]:
    """The step's required artifacts the cycle does not have yet, as labels, in the step's order."""
    labels = dict(K.choices)
    return [labels[k] for k in step.requires if k not in have]


def current_step(cycle: Cycle) -> CycleStep | None:
    """The first step not finished yet; None once every step is."""
    return cycle.steps.filter(finished_on__isnull=True).order_by("position").first()
