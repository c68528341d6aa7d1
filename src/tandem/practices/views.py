"""The practice library's pages: the library with full-text search and filters, a practice with its
evidence (where it was tried, the cycles behind it with their outcomes, research), comments and
"we tried this" reports, and the forms of its author and editors. Practices are found through
`visible_practices`, so a draft the reader may not see answers "not found", and funders find no
library at all."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access import audit
from tandem.access.models import AuditEntry
from tandem.access.scope import Scope
from tandem.core.forms import apply_errors, submit
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.learning.visibility import visible_sessions
from tandem.orgs.models import Person
from tandem.practices import actions, evidence
from tandem.practices.forms import (
    AttachmentForm,
    CitationForm,
    CommentForm,
    CycleLinkForm,
    LibraryFilter,
    PracticeForm,
    TrialForm,
)
from tandem.practices.models import Practice, Tag, Trial
from tandem.practices.search import Filters, find
from tandem.practices.visibility import edits_library, may_edit, may_remove_trial, reads_library, visible_practices

PAGE_SIZE = 20


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _scope(request: HttpRequest) -> Scope:
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not reads_library(scope):
        raise Http404("No page here.")
    return scope


def _practice(request: HttpRequest, pk: int) -> Practice:
    scope = _scope(request)
    return scope.get(visible_practices(scope).select_related("author", "contact"), pk)


def _editable(request: HttpRequest, pk: int) -> Practice:
    practice = _practice(request, pk)
    if not may_edit(_scope(request), practice):
        raise Http404("No practice matches the given query.")
    return practice


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = LibraryFilter(request.GET or None, scope=scope)
    found: QuerySet[Practice]
    if form.is_bound and not form.is_valid():
        found = Practice.objects.none()
    else:
        found = find(scope, form.filters() if form.is_bound else Filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    visible = visible_practices(scope).values("pk")
    tags = Tag.objects.filter(practices__in=visible).annotate(n=Count("practices")).order_by("-n", "name")[:20]
    return render(
        request,
        "practices/practices.html",
        {"form": form, "page": page, "query": query.urlencode(), "tags": tags, "editor": edits_library(scope)},
    )


def _detail(request: HttpRequest, practice: Practice, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = _scope(request)
    forms = forms or {}
    editable = may_edit(scope, practice)
    trials = list(practice.trials.select_related("school__district", "reported_by").prefetch_related("groups"))
    context = {
        "practice": practice,
        "contact": practice.contact or practice.author,
        "editable": editable,
        "editor": edits_library(scope),
        "origins": [t for t in trials if t.kind == Trial.Kind.ORIGIN],
        "reports": [t for t in trials if t.kind == Trial.Kind.REPORT],
        "removable": {t.pk for t in trials if may_remove_trial(scope, t)},
        "schools_tried": len({t.school_id for t in trials}),
        "cycles": evidence.from_cycles(scope, practice),
        "citations": practice.citations.all(),
        "attachments": practice.attachments.all(),
        "comments": practice.comments.select_related("author"),
        "takeaways": _takeaways(scope, practice),
        "reports_open": bool(scope.schools().exists()) and (practice.published or editable),
        "comment_form": forms.get("comment") or CommentForm(),
        "citation_form": forms.get("citation") or CitationForm(),
        "attachment_form": forms.get("attachment") or AttachmentForm(),
        "cycle_form": forms.get("cycle") or CycleLinkForm(scope=scope),
    }
    status = 422 if forms else 200
    return render(request, "practices/practice.html", context, status=status)


def _takeaways(scope: Scope, practice: Practice) -> Any:
    # Where it came from, as far as the reader may see: a session out of reach stays unnamed.
    sessions = visible_sessions(scope)
    return practice.takeaways.filter(session__in=sessions.values("pk")).select_related("session")


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _detail(request, _practice(request, pk))


@login_required
def practice_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = _scope(request)
    practice = _editable(request, pk) if pk is not None else Practice()
    form = PracticeForm(request.POST or None, instance=practice, scope=scope)
    if request.method == "POST" and form.is_valid():
        try:
            saved = actions.do_save_practice(_me(request), form.save(commit=False), form.tag_names())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Practice saved." if pk else "Draft saved. Publish it when it is ready.")
            return redirect(saved)
    status = 422 if request.method == "POST" else 200
    return render(request, "practices/practice_form.html", {"form": form, "practice": practice}, status=status)


def _act(
    request: HttpRequest, practice: Practice, change: Callable[[], object], done: str, to: str = ""
) -> HttpResponse:
    try:
        change()
    except ValidationError as e:
        for message in e.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(to or practice.get_absolute_url())


@login_required
@require_POST
def practice_publish(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    unpublish = request.POST.get("unpublish") == "1"
    return _act(
        request,
        practice,
        lambda: actions.do_publish(_me(request), practice, unpublish=unpublish),
        "Back to a draft." if unpublish else "Published to the library.",
    )


@login_required
@require_POST
def practice_delete(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    title = practice.title
    return _act(
        request,
        practice,
        lambda: actions.do_delete_practice(_me(request), practice),
        f"“{title}” deleted.",
        "/practices/",
    )


# -- we tried this ------------------------------------------------------------------------------------


@login_required
def trial_form(request: HttpRequest, pk: int) -> HttpResponse:
    """A "we tried this" report from a school the reader works in or with."""
    scope = _scope(request)
    practice = _practice(request, pk)
    initial: dict[str, Any] = {}
    schools = scope.schools()
    if schools.count() == 1:
        initial["school"] = schools.first()
    form = TrialForm(request.POST or None, scope=scope, initial=initial)

    def change(d: dict[str, Any]) -> object:
        groups = list(d["groups"])
        return actions.do_add_trial(
            _me(request), practice, d["school"], d["school_year"], d["grades"], groups, d["result"], d["story"]
        )

    if request.method == "POST":
        return submit(
            request,
            form,
            change,
            "Thank you: your report is on the practice.",
            to=f"{practice.get_absolute_url()}#tried",
            again=lambda: render(request, "practices/trial_form.html", {"form": form, "practice": practice}),
        )
    return render(request, "practices/trial_form.html", {"form": form, "practice": practice})


@login_required
@require_POST
def trial_remove(request: HttpRequest, pk: int, trial_id: int) -> HttpResponse:
    practice = _practice(request, pk)
    trial = _scope(request).get(practice.trials.all(), trial_id)
    return _act(request, practice, lambda: actions.do_remove_trial(_me(request), trial), "Report removed.")


# -- comments, research, attachments, cycles ------------------------------------------------------------


def _submit(
    request: HttpRequest,
    practice: Practice,
    name: str,
    form: Any,
    change: Callable[[dict[str, Any]], object],
    done: str,
) -> HttpResponse:
    return submit(
        request,
        form,
        change,
        done,
        to=f"{practice.get_absolute_url()}#{name}",
        again=lambda: _detail(request, practice, {name: form}),
    )


@login_required
@require_POST
def comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _practice(request, pk)
    form = CommentForm(request.POST)
    return _submit(
        request,
        practice,
        "comment",
        form,
        lambda d: actions.do_comment(_me(request), practice, d["body"]),
        "Comment added.",
    )


@login_required
@require_POST
def comment_delete(request: HttpRequest, pk: int, comment_id: int) -> HttpResponse:
    practice = _practice(request, pk)
    comment = _scope(request).get(practice.comments.all(), comment_id)
    return _act(request, practice, lambda: actions.do_delete_comment(_me(request), comment), "Comment removed.")


@login_required
@require_POST
def citation_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    form = CitationForm(request.POST)
    return _submit(
        request,
        practice,
        "citation",
        form,
        lambda d: actions.do_add_citation(_me(request), practice, d["reference"], d["url"], d["design"], d["finding"]),
        "Research added.",
    )


@login_required
@require_POST
def citation_remove(request: HttpRequest, pk: int, citation_id: int) -> HttpResponse:
    practice = _editable(request, pk)
    citation = _scope(request).get(practice.citations.all(), citation_id)
    return _act(request, practice, lambda: actions.do_remove_citation(_me(request), citation), "Research removed.")


@login_required
@require_POST
def attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    return _submit(
        request,
        practice,
        "attachment",
        form,
        lambda d: actions.do_add_attachment(_me(request), practice, d["title"], d["url"] or "", d["file"] or None),
        "Attachment added.",
    )


@login_required
def attachment_file(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    practice = _practice(request, pk)
    attachment = practice.attachments.filter(pk=attachment_id).exclude(file="").first()
    if attachment is None:
        raise Http404("No attachment matches the given query.")
    audit.record(_me(request), "practice.attachment.read", attachment, kind=AuditEntry.Kind.READ)
    name = attachment.file.name.rsplit("/", 1)[-1]
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=name)


@login_required
@require_POST
def attachment_remove(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    practice = _editable(request, pk)
    attachment = _scope(request).get(practice.attachments.all(), attachment_id)
    return _act(
        request, practice, lambda: actions.do_remove_attachment(_me(request), attachment), "Attachment removed."
    )


@login_required
@require_POST
def cycle_link(request: HttpRequest, pk: int) -> HttpResponse:
    practice = _editable(request, pk)
    scope = _scope(request)
    if request.POST.get("unlink"):
        cycle: Cycle = scope.get(visible_cycles(scope), request.POST.get("unlink"))
        return _act(
            request,
            practice,
            lambda: actions.do_link_cycle(_me(request), practice, cycle, unlink=True),
            "Cycle unlinked.",
        )
    form = CycleLinkForm(request.POST, scope=scope)
    return _submit(
        request,
        practice,
        "cycle",
        form,
        lambda d: actions.do_link_cycle(_me(request), practice, d["cycle"]),
        "The cycle's outcomes are now part of the evidence.",
    )
