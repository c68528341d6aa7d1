"""Pages for cycles of inquiry: the portfolio (everyone's cycles in reach, filterable and
exportable), starting a cycle, a cycle's page with its steps and artifacts, and the templates.

Views look cycles up through `visible_cycles`, so a cycle out of reach is not found; every
change goes through `inquiry.actions`."""

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.analytics.actions import visible_goals
from tandem.core.forms import apply_errors
from tandem.inquiry import actions, gates
from tandem.inquiry.chart import outcome_chart
from tandem.inquiry.forms import (
    ActionForm,
    ActionStatusForm,
    CycleEditForm,
    CycleForm,
    EvidenceForm,
    GoalsForm,
    LogForm,
    NextCycleForm,
    PortfolioFilter,
    ProblemForm,
    QuestionForm,
    ReflectionForm,
    StepFormSet,
    TemplateForm,
)
from tandem.inquiry.health import health, stalled_or_overdue, with_overdue_counts
from tandem.inquiry.models import Action, ArtifactKind, Cycle, CycleStep, Evidence, Template
from tandem.inquiry.visibility import can_contribute, can_manage, visible_cycles

PAGE_SIZE = 50


def _cycles(request: HttpRequest) -> QuerySet[Cycle]:
    return visible_cycles(request.scope)  # type: ignore[attr-defined]


def _current_steps() -> Prefetch:
    return Prefetch("steps", queryset=CycleStep.objects.order_by("position"))


def _filtered(request: HttpRequest, form: PortfolioFilter) -> QuerySet[Cycle]:
    cycles = (
        _cycles(request)
        .select_related("owner", "school", "district", "partnership", "team", "region")
        .annotate(current_step=Subquery(_open_steps().values("name")[:1]))
    )
    if not form.is_valid():
        return cycles.none()
    data = form.cleaned_data
    if data["level"]:
        cycles = cycles.filter(level=data["level"])
    if data["status"]:
        cycles = cycles.filter(status=data["status"])
    if data["health"] == "attention":
        cycles = stalled_or_overdue(cycles)
    if data["region"]:
        region = data["region"]
        cycles = cycles.filter(
            Q(school__district__region=region) | Q(district__region=region) | Q(region=region) | Q(team__region=region)
        )
    if data["school"]:
        cycles = cycles.filter(school=data["school"])
    if data["step"]:
        cycles = cycles.filter(status=Cycle.Status.ACTIVE, current_step__iexact=data["step"].strip())
    if data["mine"]:
        person = request.user
        cycles = cycles.filter(Q(owner=person) | Q(members=person) | Q(coach=person)).distinct()
    # An explicit order: counting overdue actions groups the rows, which drops the model's ordering.
    return with_overdue_counts(cycles).prefetch_related(_current_steps()).order_by("-starts_on", "title", "pk")


def _open_steps() -> QuerySet[CycleStep]:
    return CycleStep.objects.filter(cycle=OuterRef("pk"), finished_on__isnull=True).order_by("position")


def _row(cycle: Cycle) -> dict[str, Any]:
    steps = list(cycle.steps.all())
    current = next((s for s in steps if s.finished_on is None), None)
    state = health(cycle)
    return {
        "cycle": cycle,
        "step": current.name if current and cycle.status == Cycle.Status.ACTIVE else "—",
        "step_number": current.position if current else len(steps),
        "steps": len(steps),
        "health": state,
        "overdue_actions": getattr(cycle, "overdue_actions", 0),
    }


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    form = PortfolioFilter(request.GET or None, scope=request.scope)  # type: ignore[attr-defined]
    if not request.GET:
        form = PortfolioFilter({}, scope=request.scope)  # type: ignore[attr-defined]
    cycles = _filtered(request, form)
    if request.GET.get("format") == "csv":
        return _csv(cycles)
    page = Paginator(cycles, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "inquiry/cycles.html",
        {
            "form": form,
            "page": page,
            "rows": [_row(c) for c in page.object_list],
            "query": query.urlencode(),
            "count": page.paginator.count,
        },
    )


def _csv(cycles: QuerySet[Cycle]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="cycles-of-inquiry.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["Cycle", "Level", "Place", "Owner", "Starts", "Ends", "Status", "Current step", "Health", "Overdue actions"]
    )
    for c in cycles:
        row = _row(c)
        writer.writerow(
            [
                c.title,
                c.get_level_display(),
                c.scope_label(),
                c.owner,
                c.starts_on.isoformat(),
                c.ends_on.isoformat(),
                c.get_status_display(),
                row["step"],
                row["health"].label,
                row["overdue_actions"],
            ]
        )
    return response


def _flag(request: HttpRequest) -> Any:
    """The flag a new cycle starts from (`?flag=`): one the person may escalate, or not found."""
    from tandem.andon.feed.models import Post
    from tandem.andon.feed.visibility import steers, visible_posts

    raw = request.POST.get("flag") or request.GET.get("flag") or ""
    if not raw:
        return None
    scope = request.scope  # type: ignore[attr-defined]
    flag = scope.get(visible_posts(scope).filter(kind=Post.Kind.FLAG), raw if raw.isdecimal() and len(raw) < 12 else -1)
    if not steers(scope, flag):
        raise Http404("No post matches the given query.")
    return flag


@login_required
def cycle_new(request: HttpRequest) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    flag = _flag(request)
    initial = {k: request.GET[k] for k in ("school", "district", "level", "title") if k in request.GET}
    if flag is not None:
        initial.setdefault("title", flag.title[:200])
        initial.setdefault("school", flag.school_id)
    goal = request.GET.get("goal", "")
    if goal.isdecimal() and len(goal) < 12:
        initial["goals"] = visible_goals(scope).filter(pk=int(goal))
    form = CycleForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        fields = form.cycle_fields()
        extra = {"members": list(form.cleaned_data["members"]), "goals": list(form.cleaned_data["goals"])}
        try:
            if flag is not None:
                from tandem.andon.feed.actions import do_escalate_to_new_cycle

                cycle = do_escalate_to_new_cycle(request.user, flag, fields, **extra).target  # type: ignore[arg-type]
            else:
                cycle = actions.do_start_cycle(request.user, fields, **extra)  # type: ignore[arg-type]
        except ValidationError as e:
            apply_errors(form, e)
        else:
            done = f"Cycle “{cycle.title}” started" + (f" from the flag “{flag.title}”." if flag else ".")
            messages.success(request, done)
            return redirect(cycle)
    return render(request, "inquiry/cycle_form.html", {"form": form, "flag": flag})


def _artifact_forms(request: HttpRequest, cycle: Cycle) -> dict[str, Any]:
    scope = request.scope  # type: ignore[attr-defined]
    problem = getattr(cycle, "problem", None)
    reflection = getattr(cycle, "reflection", None)
    problem_initial = {}
    if problem is not None:
        problem_initial = {
            "statement": problem.statement,
            "assessment": problem.assessment,
            "metric": problem.metric,
            "group": problem.group,
            "grade": problem.grade,
            "school_year": problem.school_year,
        }
    return {
        "problem": ProblemForm(initial=problem_initial, prefix="problem"),
        "question": QuestionForm(prefix="question"),
        "goals": GoalsForm(scope=scope, initial={"goals": list(cycle.goals.all())}, prefix="goals"),
        "action": ActionForm(cycle=cycle, prefix="action"),
        "log": LogForm(cycle=cycle, prefix="log"),
        "evidence": EvidenceForm(prefix="evidence"),
        "reflection": ReflectionForm(instance=reflection, prefix="reflection"),
        "next": NextCycleForm(prefix="next"),
    }


def _link_rows(scope: Any, cycle: Cycle) -> list[dict[str, Any]]:
    """What the cycle started from or led to, each named and linked only as far as the reader may
    see it: a flag in the feed the reader cannot open is named by its kind alone."""
    from tandem.andon.feed.models import Post
    from tandem.andon.feed.visibility import visible_posts

    rows = []
    for link in cycle.links.select_related("content_type"):
        target = link.target
        label, url = f"{link.content_type.name} {target if target is not None else link.object_id}", None
        if isinstance(target, Post):
            if visible_posts(scope).filter(pk=target.pk).exists():
                label, url = f"{target.get_kind_display()} “{target.title}”", target.get_absolute_url()
            else:
                label = f"a {target.get_kind_display().lower()} in the staff feed"
        elif target is not None and hasattr(target, "get_absolute_url"):
            url = target.get_absolute_url()
        rows.append(
            {"relation": link.get_relation_display(), "kind": link.content_type.name, "label": label, "url": url}
        )
    return rows


@login_required
def cycle_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    cycle = scope.get(
        _cycles(request).select_related("owner", "coach", "template", "previous", "school", "district", "team"), pk
    )
    steps = list(cycle.steps.order_by("position"))
    have = gates.present(cycle)
    current = next((s for s in steps if s.finished_on is None), None)
    step_rows = [
        {
            "step": s,
            "state": "done" if s.finished_on else "current" if s is current else "upcoming",
            "needs": [(label, kind in have) for kind, label in ArtifactKind.choices if kind in s.requires],
        }
        for s in steps
    ]
    goals = list(cycle.goals.filter(pk__in=visible_goals(scope).values("pk")))
    charts = [(g, outcome_chart(g, _cycles(request).filter(goals=g))) for g in goals]
    contributor = can_contribute(scope, cycle)
    context = {
        "cycle": cycle,
        "steps": step_rows,
        "current": current,
        "missing": gates.missing(current, have) if current else [],
        "health": health(cycle),
        "problem": getattr(cycle, "problem", None),
        "reflection": getattr(cycle, "reflection", None),
        "questions": cycle.questions.select_related("author"),
        "goals": goals,
        "actions": cycle.actions.select_related("owner"),
        "log": cycle.log.select_related("author", "action")[:100],
        "evidence": cycle.evidence.select_related("author"),
        "links": _link_rows(scope, cycle),
        "next_cycles": _cycles(request).filter(previous=cycle),
        "previous": cycle.previous if cycle.previous_id and _cycles(request).filter(pk=cycle.previous_id) else None,
        "charts": charts,
        "can_contribute": contributor and cycle.status == Cycle.Status.ACTIVE,
        "can_reopen_step": contributor
        and any(s.finished_on for s in steps)
        and cycle.status != Cycle.Status.CLOSED
        and not cycle.next_cycles.exists(),
        "can_manage": can_manage(scope, cycle),
        "forms": forms or _artifact_forms(request, cycle),
        "statuses": Action.Status.choices,
        "today": timezone.localdate(),
    }
    return render(request, "inquiry/cycle.html", context)


@login_required
def cycle_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    cycle = scope.get(_cycles(request), pk)
    if not can_manage(scope, cycle):
        raise Http404("No cycle matches the given query.")
    form = CycleEditForm(request.POST or None, scope=scope, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        members = list(data.pop("members"))
        try:
            actions.do_update_cycle(request.user, cycle, data, members)  # type: ignore[arg-type]
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Cycle saved.")
            return redirect(cycle)
    return render(request, "inquiry/cycle_edit.html", {"form": form, "cycle": cycle})


def _posted(request: HttpRequest, pk: int) -> Cycle:
    return request.scope.get(_cycles(request), pk)  # type: ignore[attr-defined]


@login_required
@require_POST
def cycle_artifact(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    """Add an artifact of one kind; a form with errors comes back on the cycle's page."""
    cycle = _posted(request, pk)
    scope = request.scope  # type: ignore[attr-defined]
    actor = request.user
    forms = _artifact_forms(request, cycle)
    builders: dict[str, Any] = {
        "problem": lambda: ProblemForm(request.POST, prefix="problem"),
        "question": lambda: QuestionForm(request.POST, prefix="question"),
        "goals": lambda: GoalsForm(request.POST, scope=scope, prefix="goals"),
        "action": lambda: ActionForm(request.POST, cycle=cycle, prefix="action"),
        "log": lambda: LogForm(request.POST, cycle=cycle, prefix="log"),
        "evidence": lambda: EvidenceForm(request.POST, request.FILES, prefix="evidence"),
        "reflection": lambda: ReflectionForm(request.POST, prefix="reflection"),
    }
    if kind not in builders:
        raise Http404("No such artifact.")
    form = builders[kind]()
    forms[kind] = form
    if form.is_valid():
        data = form.cleaned_data
        try:
            if kind == "problem":
                actions.do_save_problem(
                    actor,  # type: ignore[arg-type]
                    cycle,
                    data["statement"],
                    assessment=data["assessment"],
                    metric=data["metric"],
                    group=data["group"],
                    grade=data["grade"] or "all",
                    school_year=data["school_year"],
                )
            elif kind == "question":
                actions.do_add_question(actor, cycle, data["about"], data["text"])  # type: ignore[arg-type]
            elif kind == "goals":
                actions.do_set_goals(actor, cycle, list(data["goals"]))  # type: ignore[arg-type]
            elif kind == "action":
                actions.do_add_action(actor, cycle, data["title"], data["owner"], data["due_on"])  # type: ignore[arg-type]
            elif kind == "log":
                actions.do_add_log(actor, cycle, data["happened_on"], data["note"], data["action"])  # type: ignore[arg-type]
            elif kind == "evidence":
                actions.do_add_evidence(
                    actor,  # type: ignore[arg-type]
                    cycle,
                    kind=data["kind"],
                    title=data["title"],
                    collected_on=data["collected_on"],
                    note=data["note"],
                    value=data["value"],
                    attachment=data["attachment"],
                )
            else:
                actions.do_save_reflection(actor, cycle, **data)  # type: ignore[arg-type]
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"{dict(_LABELS)[kind]} saved.")
            return redirect(f"{cycle.get_absolute_url()}#{kind}")
    response = cycle_detail(request, pk, forms)
    response.status_code = 422
    return response


_LABELS = [
    ("problem", "Problem statement"),
    ("question", "Question"),
    ("goals", "Goals"),
    ("action", "Action"),
    ("log", "Log entry"),
    ("evidence", "Evidence"),
    ("reflection", "Reflection"),
]


@login_required
@require_POST
def action_status(request: HttpRequest, pk: int, action_id: int) -> HttpResponse:
    cycle = _posted(request, pk)
    action = request.scope.get(cycle.actions.all(), action_id)  # type: ignore[attr-defined]
    form = ActionStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
    else:
        try:
            actions.do_update_action(request.user, action, form.cleaned_data["status"])  # type: ignore[arg-type]
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
    return redirect(f"{cycle.get_absolute_url()}#action")


@login_required
@require_POST
def cycle_step(request: HttpRequest, pk: int) -> HttpResponse:
    """Finish the current step (`do=finish`) or undo the last finished one (`do=reopen`)."""
    cycle = _posted(request, pk)
    try:
        if request.POST.get("do") == "reopen":
            step = actions.do_reopen_step(request.user, cycle)  # type: ignore[arg-type]
            messages.success(request, f"{step.name} is open again.")
        else:
            step = actions.do_finish_step(request.user, cycle)  # type: ignore[arg-type]
            cycle.refresh_from_db()
            if cycle.status == Cycle.Status.COMPLETED:
                messages.success(request, f"{step.name} finished: the cycle is complete.")
            else:
                messages.success(request, f"{step.name} finished.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(f"{cycle.get_absolute_url()}#steps")


@login_required
@require_POST
def cycle_close(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _posted(request, pk)
    reopen = request.POST.get("do") == "reopen"
    try:
        actions.do_close_cycle(request.user, cycle, reopen=reopen)  # type: ignore[arg-type]
        messages.success(request, "Cycle reopened." if reopen else "Cycle closed.")
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    return redirect(cycle)


@login_required
@require_POST
def cycle_next(request: HttpRequest, pk: int) -> HttpResponse:
    cycle = _posted(request, pk)
    form = NextCycleForm(request.POST, prefix="next")
    if form.is_valid():
        try:
            following = actions.do_start_next_cycle(request.user, cycle, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, f"Cycle “{following.title}” started from this one's adjustments.")
            return redirect(following)
    else:
        messages.error(request, "Check the dates of the next cycle.")
    return redirect(cycle)


@login_required
def evidence_file(request: HttpRequest, pk: int, evidence_id: int) -> FileResponse:
    cycle = request.scope.get(_cycles(request), pk)  # type: ignore[attr-defined]
    evidence = request.scope.get(Evidence.objects.filter(cycle=cycle).exclude(attachment=""), evidence_id)  # type: ignore[attr-defined]
    name = evidence.attachment.name.rsplit("/", 1)[-1]
    return FileResponse(evidence.attachment.open("rb"), as_attachment=True, filename=name)


# -- templates ----------------------------------------------------------------------------------


@login_required
def template_list(request: HttpRequest) -> HttpResponse:
    templates = Template.objects.prefetch_related("steps")
    return render(
        request,
        "inquiry/templates.html",
        {"templates": templates, "can_edit": actions.can_edit_templates(request.scope)},  # type: ignore[attr-defined]
    )


@login_required
def template_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not actions.can_edit_templates(request.scope):  # type: ignore[attr-defined]
        raise Http404("No template matches the given query.")
    template = request.scope.get(Template.objects.all(), pk) if pk else None  # type: ignore[attr-defined]
    initial_steps = (
        [
            {"phase": s.phase, "name": s.name, "prompt": s.prompt, "requires": s.requires, "ORDER": s.position}
            for s in template.steps.order_by("position")
        ]
        if template
        else []
    )
    form = TemplateForm(request.POST or None, instance=template)
    steps = StepFormSet(request.POST or None, initial=initial_steps, prefix="steps")
    if request.method == "POST" and form.is_valid() and steps.is_valid():
        kept = [f for f in steps.ordered_forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        # Rows added without an order number go last, in the order they were typed.
        kept += [
            f
            for f in steps.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE") and f not in kept and f.cleaned_data.get("name")
        ]
        fields = {k: form.cleaned_data[k] for k in ("name", "description", "is_default", "archived")}
        try:
            saved = actions.do_save_template(
                request.user,  # type: ignore[arg-type]
                template,
                fields,
                [
                    {k: f.cleaned_data.get(k, "") for k in ("phase", "name", "prompt", "requires")}
                    for f in kept
                    if f.cleaned_data.get("name")
                ],
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Template “{saved.name}” saved. Cycles already started keep their steps.")
            return redirect("inquiry:templates")
    return render(request, "inquiry/template_form.html", {"form": form, "steps": steps, "template": template})
