"""The practice library as JSON: finding practices (the same search as the library's page), a
practice with its evidence, writing, publishing and deleting one, "we tried this" reports, comments,
research, the cycles of inquiry behind it, the tags in use, and "schools like mine".

The library is for everyone signed in but those who only hold the funder role: to them every
operation answers 404, exactly as if it did not exist. Practices are found through
`visible_practices`, so a draft the caller may not see answers 404 exactly like a practice that does
not exist. An operation the caller has no right to on a practice they see answers 404 too, as the
practice's page offers no such thing: its author and the library's editors (the organization's
leaders) change a practice and its evidence, only the editors publish, a report is removed by its
reporter or the practice's editors, a comment by its author or the editors. Schools, people,
student groups and cycles named in a body are looked up among those the caller reaches, so one out
of reach is refused exactly like an id that does not exist. Every change goes through `actions`,
which check every right again.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Model, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from ninja import Query, Router, Status

from tandem.access.scope import Scope
from tandem.achievement.models import StudentGroup
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import named_errors as _named
from tandem.api.common import one_in_reach as _one
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.api import Paging
from tandem.orgs.models import Person
from tandem.practices import actions, evidence
from tandem.practices.api_schemas import (
    CitationIn,
    CitationOut,
    CommentIn,
    CommentOut,
    CycleLinkIn,
    LikeMineOut,
    PracticeDetailOut,
    PracticeFilters,
    PracticeIn,
    PracticeOut,
    PracticePatch,
    TagCountOut,
    TrialIn,
    TrialOut,
)
from tandem.practices.like_mine import like_mine
from tandem.practices.models import Attachment, Citation, Comment, Practice, Tag, Trial
from tandem.practices.search import Filters, find
from tandem.practices.visibility import edits_library, may_edit, may_remove_trial, reads_library, visible_practices

router = Router(tags=["practices"])

# The names a body gives what the actions and models call a contact, a school, student groups...
BODY_NAMES = {"contact": "contact_id", "school": "school_id", "groups": "group_ids", "cycle": "cycle_id"}
# What each free-text field is called in a refusal.
WHAT = {"how": "how to do it", "tags": "tag list", "story": "story", "body": "comment", "url": "link"}


def _not_found() -> Http404:
    return Http404("Not found.")


def _reader(request: HttpRequest) -> Scope:
    """Someone the library is open to; to anyone else it does not exist."""
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not reads_library(scope):
        raise _not_found()
    return scope


def _me(scope: Scope) -> Person:
    assert scope.person is not None
    return scope.person


def _practice(request: HttpRequest, practice_id: int) -> tuple[Scope, Practice]:
    scope = _reader(request)
    return scope, scope.get(visible_practices(scope), practice_id)


def _editable(request: HttpRequest, practice_id: int) -> tuple[Scope, Practice]:
    scope, practice = _practice(request, practice_id)
    if not may_edit(scope, practice):
        raise _not_found()
    return scope, practice


def _plain(**texts: str | list[str] | None) -> None:
    """PostgreSQL cannot store a NUL character in text: refuse it by name, as the other APIs do."""
    for name, value in texts.items():
        values = value if isinstance(value, list) else [value]
        if any(v is not None and "\x00" in v for v in values):
            what = WHAT.get(name, name)
            raise ValidationError({name: f"The {what} holds a NUL character; paste it as plain text."})


def _not_empty(given: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in given and given[name] is None:
            raise ValidationError({name: "This field cannot be empty."})


def _all_in_reach[M: Model](qs: QuerySet[M], ids: list[int], field: str, noun: str) -> list[M]:
    """The objects a body lists by id, once each in the order given; an id outside reach is a field
    error worded exactly as for an id that does not exist."""
    found = {o.pk: o for o in qs.filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({field: f"No {noun} has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


# -- out ------------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if isinstance(obj, Person):
        return {"id": obj.pk, "name": obj.full_name}
    if isinstance(obj, StudentGroup):
        return {"id": obj.pk, "name": obj.label}
    return {"id": obj.pk, "name": obj.name}


def _tag_out(tag: Tag) -> dict[str, Any]:
    return {"name": tag.name, "slug": tag.slug}


def _practice_out(practice: Practice) -> dict[str, Any]:
    # Field by field on purpose: a new column on Practice is not answered until someone adds it here.
    n_schools = getattr(practice, "n_schools", None)
    if n_schools is None:
        n_schools = practice.trials.values("school").distinct().count()
    relevance = getattr(practice, "relevance", None)
    return {
        "id": practice.pk,
        "title": practice.title,
        "summary": practice.summary,
        "evidence": practice.evidence,
        "status": practice.status,
        "url": practice.get_absolute_url(),
        "tags": [_tag_out(t) for t in practice.tags.all()],
        "n_schools": n_schools,
        "updated_at": practice.updated_at,
        "relevance": None if relevance is None else float(relevance),
    }


def _trial_out(scope: Scope, trial: Trial) -> dict[str, Any]:
    return {
        "id": trial.pk,
        "kind": trial.kind,
        "school": _ref(trial.school),
        "school_year": trial.school_year,
        "grades": trial.grade_list,
        "groups": [_ref(g) for g in trial.groups.all()],
        "result": trial.result,
        "story": trial.story,
        "reported_by": _ref(trial.reported_by),
        "created_at": trial.created_at,
        "may_remove": may_remove_trial(scope, trial),
    }


def _citation_out(citation: Citation) -> dict[str, Any]:
    return {
        "id": citation.pk,
        "reference": citation.reference,
        "url": citation.url,
        "design": citation.design,
        "finding": citation.finding,
        "added_at": citation.added_at,
    }


def _attachment_out(attachment: Attachment) -> dict[str, Any]:
    # A file is answered by the page that serves it (which checks access and audits the read),
    # never by where it is stored.
    download = None
    if attachment.file:
        download = reverse("practices:attachment", args=[attachment.practice_id, attachment.pk])
    return {
        "id": attachment.pk,
        "title": attachment.title,
        "link": None if attachment.file else (attachment.url or None),
        "download_url": download,
        "added_at": attachment.added_at,
    }


def _comment_out(comment: Comment) -> dict[str, Any]:
    return {"id": comment.pk, "author": _ref(comment.author), "body": comment.body, "created_at": comment.created_at}


def _outcome_out(o: evidence.Outcome) -> dict[str, Any]:
    goal = o.goal
    return {
        "goal": goal.title,
        "metric": goal.get_metric_display(),  # type: ignore[attr-defined]
        "assessment": goal.assessment.name,
        "group": goal.group.label,
        "grade": goal.grade,
        "start_year": o.start_year,
        "start": o.start,
        "start_n": o.start_n,
        "end_year": o.end_year,
        "end": o.end,
        "end_n": o.end_n,
        "effect": o.effect,
        "note": o.note,
    }


def _cycle_out(found: evidence.CycleEvidence) -> dict[str, Any]:
    # A cycle the caller cannot open is told by what it was, never by its id or title.
    return {
        "id": found.cycle.pk if found.opens else None,
        "title": found.cycle.title if found.opens else None,
        "described": found.described,
        "outcomes": [_outcome_out(o) for o in found.outcomes],
    }


def _detail(scope: Scope, practice_id: int) -> dict[str, Any]:
    """The practice as it is now. Read by id: the caller was already allowed to reach it."""
    practice = (
        Practice.objects.select_related("author", "contact").prefetch_related("tags", "citations").get(pk=practice_id)
    )
    trials = list(practice.trials.select_related("school", "reported_by").prefetch_related("groups"))
    practice.n_schools = len({t.school_id for t in trials})  # type: ignore[attr-defined]
    return {
        **_practice_out(practice),
        "problem": practice.problem,
        "how": practice.how,
        "origin": practice.origin,
        "author": _ref(practice.author),
        "contact": _ref(practice.contact),
        "published_at": practice.published_at,
        "created_at": practice.created_at,
        "trials": [_trial_out(scope, t) for t in trials],
        "citations": [_citation_out(c) for c in practice.citations.all()],
        "attachments": [_attachment_out(a) for a in practice.attachments.all()],
        "comments": [_comment_out(c) for c in practice.comments.select_related("author")],
        "cycles": [_cycle_out(c) for c in evidence.from_cycles(scope, practice)],
        "may_edit": may_edit(scope, practice),
        "may_publish": edits_library(scope),
    }


# -- practices ------------------------------------------------------------------------------------


@router.get("/practices", response={200: Page[PracticeOut], **READ_ERRORS})
def list_practices(request: HttpRequest, filters: Query[PracticeFilters]) -> Any:
    """The practices the caller sees (published ones, their own drafts, and every draft for the
    library's editors), found by words, tags, strength of evidence and where, in which grade, for
    which students and with what result they were tried: the library page's own search. Searching
    words answers the best match first, with each practice's `relevance`."""
    scope = _reader(request)
    found = find(
        scope,
        Filters(
            q=filters.q or "",
            tags=list(filters.tag),
            evidence=list(filters.evidence),
            school=filters.school,
            like_school=filters.like_school,
            grade=filters.grade or "",
            group=filters.group,
            result=filters.result or "",
            status=filters.status or "",
            mine=filters.mine,
            sort=filters.sort or "",
        ),
    )
    return page_of(found, filters.limit, filters.offset, _practice_out)


@router.post("/practices", response={201: PracticeDetailOut, **WRITE_ERRORS})
def create_practice(request: HttpRequest, data: PracticeIn) -> Any:
    """Write a draft: only its author and the library's editors see it until an editor publishes
    it."""
    scope = _reader(request)
    _plain(title=data.title, summary=data.summary, problem=data.problem, how=data.how, tags=data.tags)
    contact = _one(scope.people(), data.contact_id, "contact_id", "person")
    practice = Practice(
        title=data.title,
        summary=data.summary,
        problem=data.problem,
        how=data.how,
        evidence=data.evidence,
        contact=contact,
    )
    with _named(**BODY_NAMES):
        saved = actions.do_save_practice(_me(scope), practice, data.tags)
    return Status(201, _detail(scope, saved.pk))


@router.get("/practices/{practice_id}", response={200: PracticeDetailOut, **READ_ERRORS})
def get_practice(request: HttpRequest, practice_id: int) -> Any:
    """A practice with its evidence: where it was tried, the outcomes of the cycles of inquiry
    behind it (suppressed, the same for every reader), research, materials and comments."""
    scope, practice = _practice(request, practice_id)
    return _detail(scope, practice.pk)


@router.patch("/practices/{practice_id}", response={200: PracticeDetailOut, **WRITE_ERRORS})
def edit_practice(request: HttpRequest, practice_id: int, data: PracticePatch) -> Any:
    """Change a practice (its author or an editor). Only the fields given change; `tags` is the
    whole list, and null empties the contact."""
    scope, practice = _editable(request, practice_id)
    given = data.dict(exclude_unset=True)
    _not_empty(given, ("title", "summary", "problem", "how", "evidence", "tags"))
    _plain(**{k: given[k] for k in ("title", "summary", "problem", "how", "tags") if k in given})
    if "contact_id" in given:
        practice.contact = _one(scope.people(), given["contact_id"], "contact_id", "person")
    for name in ("title", "summary", "problem", "how", "evidence"):
        if name in given:
            setattr(practice, name, given[name])
    with _named(**BODY_NAMES):
        actions.do_save_practice(_me(scope), practice, given.get("tags"))
    return _detail(scope, practice.pk)


@router.delete("/practices/{practice_id}", response={204: None, **WRITE_ERRORS})
def delete_practice(request: HttpRequest, practice_id: int) -> Any:
    """Delete a practice with its reports, research and comments (its author while it is a draft,
    or an editor)."""
    scope, practice = _editable(request, practice_id)
    actions.do_delete_practice(_me(scope), practice)
    return Status(204, None)


def _publish(request: HttpRequest, practice_id: int, unpublish: bool) -> Any:
    scope, practice = _practice(request, practice_id)
    if not edits_library(scope):
        raise _not_found()
    actions.do_publish(_me(scope), practice, unpublish=unpublish)
    return _detail(scope, practice.pk)


@router.post("/practices/{practice_id}/publish", response={200: PracticeDetailOut, **WRITE_ERRORS})
def publish(request: HttpRequest, practice_id: int) -> Any:
    """Put a draft in the library (the library's editors); it needs a summary, the problem it
    addresses and how to do it."""
    return _publish(request, practice_id, unpublish=False)


@router.post("/practices/{practice_id}/unpublish", response={200: PracticeDetailOut, **WRITE_ERRORS})
def unpublish(request: HttpRequest, practice_id: int) -> Any:
    """Take a practice back to a draft (the library's editors)."""
    return _publish(request, practice_id, unpublish=True)


# -- we tried this --------------------------------------------------------------------------------


@router.post("/practices/{practice_id}/trials", response={201: TrialOut, **WRITE_ERRORS})
def add_trial(request: HttpRequest, practice_id: int, data: TrialIn) -> Any:
    """“We tried this”: a report from a school the caller works in or with, on a published practice
    (or a draft the caller edits)."""
    scope, practice = _practice(request, practice_id)
    school = _one(scope.schools(), data.school_id, "school_id", "school")
    assert school is not None
    groups = _all_in_reach(StudentGroup.objects.all(), data.group_ids, "group_ids", "student group")
    _plain(story=data.story)
    if not data.story.strip():
        raise ValidationError({"story": "Write what you did and what happened."})
    with _named(**BODY_NAMES):
        trial = actions.do_add_trial(
            _me(scope), practice, school, data.school_year, data.grades, groups, data.result, data.story
        )
    found = Trial.objects.select_related("school", "reported_by").prefetch_related("groups").get(pk=trial.pk)
    return Status(201, _trial_out(scope, found))


@router.delete("/practices/{practice_id}/trials/{trial_id}", response={204: None, **WRITE_ERRORS})
def remove_trial(request: HttpRequest, practice_id: int, trial_id: int) -> Any:
    """Remove a report (its reporter, or the practice's author or an editor)."""
    scope, practice = _practice(request, practice_id)
    trial = scope.get(practice.trials.select_related("practice"), trial_id)
    if not may_remove_trial(scope, trial):
        raise _not_found()
    actions.do_remove_trial(_me(scope), trial)
    return Status(204, None)


# -- comments, research, cycles -------------------------------------------------------------------


@router.post("/practices/{practice_id}/comments", response={201: CommentOut, **WRITE_ERRORS})
def add_comment(request: HttpRequest, practice_id: int, data: CommentIn) -> Any:
    """Comment on a practice."""
    scope, practice = _practice(request, practice_id)
    _plain(body=data.body)
    comment = actions.do_comment(_me(scope), practice, data.body)
    return Status(201, _comment_out(comment))


@router.delete("/practices/{practice_id}/comments/{comment_id}", response={204: None, **WRITE_ERRORS})
def delete_comment(request: HttpRequest, practice_id: int, comment_id: int) -> Any:
    """Remove a comment (its author, or an editor)."""
    scope, practice = _practice(request, practice_id)
    comment = scope.get(practice.comments.select_related("practice"), comment_id)
    if comment.author_id != _me(scope).pk and not edits_library(scope):
        raise _not_found()
    actions.do_delete_comment(_me(scope), comment)
    return Status(204, None)


@router.post("/practices/{practice_id}/citations", response={201: CitationOut, **WRITE_ERRORS})
def add_citation(request: HttpRequest, practice_id: int, data: CitationIn) -> Any:
    """Cite research behind the practice (its author or an editor)."""
    scope, practice = _editable(request, practice_id)
    _plain(reference=data.reference, url=data.url, finding=data.finding)
    citation = actions.do_add_citation(_me(scope), practice, data.reference, data.url, data.design, data.finding)
    return Status(201, _citation_out(citation))


@router.delete("/practices/{practice_id}/citations/{citation_id}", response={204: None, **WRITE_ERRORS})
def remove_citation(request: HttpRequest, practice_id: int, citation_id: int) -> Any:
    """Remove a citation (the practice's author or an editor)."""
    scope, practice = _editable(request, practice_id)
    citation = scope.get(practice.citations.select_related("practice"), citation_id)
    actions.do_remove_citation(_me(scope), citation)
    return Status(204, None)


@router.post("/practices/{practice_id}/cycles", response={201: PracticeDetailOut, **WRITE_ERRORS})
def link_cycle(request: HttpRequest, practice_id: int, data: CycleLinkIn) -> Any:
    """Record a cycle of inquiry that led to the practice: its goals' outcomes become part of the
    evidence. The caller edits the practice and leads the cycle."""
    scope, practice = _editable(request, practice_id)
    cycle = _one(visible_cycles(scope), data.cycle_id, "cycle_id", "cycle")
    assert cycle is not None
    with _named(**BODY_NAMES):
        actions.do_link_cycle(_me(scope), practice, cycle)
    return Status(201, _detail(scope, practice.pk))


@router.delete("/practices/{practice_id}/cycles/{cycle_id}", response={204: None, **WRITE_ERRORS})
def unlink_cycle(request: HttpRequest, practice_id: int, cycle_id: int) -> Any:
    """Take a cycle off the practice's evidence (the practice's author or an editor who can open the
    cycle)."""
    scope, practice = _editable(request, practice_id)
    behind = [c.pk for c in evidence.cycles_behind(practice)]
    cycle: Cycle = scope.get(visible_cycles(scope).filter(pk__in=behind), cycle_id)
    with _named(**BODY_NAMES):
        actions.do_link_cycle(_me(scope), practice, cycle, unlink=True)
    return Status(204, None)


# -- tags and schools like mine -------------------------------------------------------------------


@router.get("/practice-tags", response={200: Page[TagCountOut], **READ_ERRORS})
def list_tags(request: HttpRequest, filters: Query[Paging]) -> Any:
    """The tags of the practices the caller sees, the most used first."""
    scope = _reader(request)
    visible = visible_practices(scope).values("pk")
    # Filtered first, so that the count is of the practices the caller sees only.
    tags = Tag.objects.filter(practices__in=visible).annotate(n=Count("practices")).order_by("-n", "name", "pk")
    return page_of(tags, filters.limit, filters.offset, lambda t: {**_tag_out(t), "practices": t.n})


@router.get("/schools/{school_id}/like-mine", response={200: LikeMineOut, **READ_ERRORS})
def schools_like_mine(request: HttpRequest, school_id: int) -> Any:
    """What schools like this one tried: the practices reported at its similar schools (chosen by the
    comparison engine from public demographics), and, for those who see the leadership network,
    the network's leaders at those schools to contact."""
    scope = _reader(request)
    school = scope.get(scope.schools(), school_id)
    found = like_mine(scope, school)
    contacts = None
    if found.sees_contacts:
        contacts = [
            {
                "person": _ref(m.person),
                "email": m.person.email,
                "role": m.role,
                "title": m.title,
                "school": _ref(m.school),
                "cohort": {"id": m.cohort.pk, "name": str(m.cohort)},
            }
            for m in found.contacts
        ]
    return {
        "school": _ref(school),
        "year": found.peers.year,
        "peers": len(found.peers.peers),
        "reason": found.peers.reason,
        "practices": [
            {
                "id": t.practice.pk,
                "title": t.practice.title,
                "evidence": t.practice.evidence,
                "schools": [_ref(s) for s in t.schools],
                "nearest": t.nearest,
            }
            for t in found.practices
        ],
        "more": found.more,
        "contacts": contacts,
    }
