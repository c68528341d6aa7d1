"""The staff feed as JSON: finding posts, raising one, its conversation, "me too", accepting an
answer, a flag's lifecycle (acknowledging, moving it along, escalating it), the andon board, the
caller's notifications and the topics.

The feed is the organization's staff's: to anyone else every operation answers 404, exactly as if
it did not exist. Posts are found through `visible_posts`, so a restricted flag the caller may not
see answers 404 exactly like a post that does not exist. An operation the caller has no right to
on a post they see answers 404 too, as the post's page offers no such thing (the author edits, a
leader over a flag acknowledges it, its owner or a leader moves it along or escalates it, the asker
or an organization's leader accepts an answer); the board is for the leaders who acknowledge flags.
Places, people, cycles and teams named in a body are looked up among those the caller reaches, so
one out of reach is refused exactly like an id that does not exist. Every change goes through
`actions`, which check every right again.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Case, Count, IntegerField, QuerySet, When
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from tandem.access.scope import Scope
from tandem.andon.feed import actions, board
from tandem.andon.feed.api_schemas import (
    AcknowledgeIn,
    AnswerIn,
    BoardOut,
    CommentIn,
    CommentOut,
    EscalateIn,
    MarkedOut,
    MeTooOut,
    NotificationFilters,
    NotificationOut,
    PostDetailOut,
    PostFilters,
    PostIn,
    PostOut,
    PostPatch,
    ReadIn,
    StatusIn,
    TopicFilters,
    TopicOut,
)
from tandem.andon.feed.models import Comment, Escalation, MeToo, Notification, Post, Topic
from tandem.andon.feed.search import Filters, find
from tandem.andon.feed.visibility import (
    leads,
    may_accept_answer,
    reachable_teams,
    steers,
    takes_part,
    visible_notifications,
    visible_posts,
)
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import named_errors as _named
from tandem.api.common import one_in_reach as _one
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import Person, Team

router = Router(tags=["feed"])

# The names a body gives what the actions call a school, a topic, a comment...
BODY_NAMES = {
    "school": "school_id",
    "partnership": "partnership_id",
    "region": "region_id",
    "topics": "topic_ids",
    "comment": "comment_id",
    "owner": "owner_id",
    "cycle": "cycle_id",
    "team": "team_id",
}
UNSEEN_CYCLE = "a cycle of inquiry you cannot open"


def _not_found() -> Http404:
    return Http404("Not found.")


def _member(request: HttpRequest) -> Scope:
    """Someone on the staff; to anyone else the feed does not exist."""
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not takes_part(scope):
        raise _not_found()
    return scope


def _me(scope: Scope) -> Person:
    assert scope.person is not None
    return scope.person


def _post(request: HttpRequest, post_id: int) -> tuple[Scope, Post]:
    scope = _member(request)
    return scope, scope.get(visible_posts(scope).select_related("author", "owner"), post_id)


def _not_empty(given: dict[str, Any], names: tuple[str, ...]) -> None:
    for name in names:
        if name in given and given[name] is None:
            raise ValidationError({name: "This field cannot be empty."})


def _topics(ids: list[int]) -> list[Topic]:
    found = {t.pk: t for t in Topic.objects.filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({"topic_ids": "No topic has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


# -- out ------------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    return {"id": obj.pk, "name": obj.full_name if isinstance(obj, Person) else obj.name}


def _post_out(post: Post) -> dict[str, Any]:
    # Field by field on purpose: a new column on Post is not answered until someone adds it here.
    comments = getattr(post, "n_comments", None)
    me_too = getattr(post, "n_me_too", None)
    return {
        "id": post.pk,
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "url": post.get_absolute_url(),
        "author": _ref(post.author),
        "school": _ref(post.school),
        "partnership": _ref(post.partnership),
        "region": _ref(post.region),
        "topics": [_ref(t) for t in post.topics.all()],
        "restricted": post.restricted,
        "status": post.status,
        "owner": _ref(post.owner),
        "acknowledge_due": post.acknowledge_due,
        "acknowledged_at": post.acknowledged_at,
        "late": board.is_late(post),
        "resolved_at": post.resolved_at,
        "resolution": post.resolution,
        "accepted_answer_id": post.accepted_answer_id,
        "comment_count": post.comments.count() if comments is None else comments,
        "me_too": post.me_toos.count() if me_too is None else me_too,
        "created_at": post.created_at,
        "edited_at": post.edited_at,
        "last_activity_at": post.last_activity_at,
    }


def _comment_out(comment: Comment, accepted_id: int | None) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "post_id": comment.post_id,
        "author": _ref(comment.author),
        "body": comment.body,
        "mentions": [_ref(p) for p in comment.mentions.all()],
        "accepted": comment.pk == accepted_id,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
    }


def _escalation_out(scope: Scope, escalation: Escalation) -> dict[str, Any]:
    target = escalation.target
    out = {
        "id": escalation.pk,
        "to": escalation.to,
        "target_id": None,
        "target": "(removed)",
        "url": None,
        "note": escalation.note,
        "by": _ref(escalation.by),
        "created_at": escalation.created_at,
    }
    if isinstance(target, Cycle):
        # A cycle out of the caller's reach is named by kind only, never by title.
        if not visible_cycles(scope).filter(pk=target.pk).exists():
            return out | {"target": UNSEEN_CYCLE}
        return out | {"target_id": target.pk, "target": str(target), "url": target.get_absolute_url()}
    if target is not None:
        out |= {"target_id": target.pk, "target": str(target)}
    return out


def _detail(scope: Scope, post_id: int) -> dict[str, Any]:
    """The post as it is now. Read by id: the caller was already allowed to reach it."""
    post = (
        Post.objects.select_related("author", "owner", "school", "partnership", "region")
        .prefetch_related("topics", "mentions")
        .annotate(n_comments=Count("comments", distinct=True), n_me_too=Count("me_toos", distinct=True))
        .get(pk=post_id)
    )
    comments = post.comments.select_related("author").prefetch_related("mentions")
    escalations = post.escalations.select_related("content_type", "by")
    return {
        **_post_out(post),
        "comments": [_comment_out(c, post.accepted_answer_id) for c in comments],
        "said_me_too": MeToo.objects.filter(post=post, person=scope.person).exists(),
        "mentions": [_ref(p) for p in post.mentions.all()],
        "escalations": [_escalation_out(scope, e) for e in escalations],
    }


# -- posts ----------------------------------------------------------------------------------------


@router.get("/feed/posts", response={200: Page[PostOut], **READ_ERRORS})
def list_posts(request: HttpRequest, filters: Query[PostFilters]) -> Any:
    """The posts the caller sees, the latest activity first, found by words of a post or its
    comments, kind, status (open: flags still needing someone), topic and place; `mine`: raised,
    owned, mentioning the caller or with the caller's "me too"."""
    scope = _member(request)
    found = find(
        scope,
        Filters(
            q=filters.q or "",
            kind=filters.kind or "",
            status=filters.status or "",
            topic=filters.topic,
            school=filters.school,
            region=filters.region,
            partnership=filters.partnership,
            mine=filters.mine,
            unanswered=filters.unanswered,
        ),
    )
    return page_of(found, filters.limit, filters.offset, _post_out)


@router.post("/feed/posts", response={201: PostDetailOut, **WRITE_ERRORS})
def create_post(request: HttpRequest, data: PostIn) -> Any:
    """Ask a question, share an idea or raise a flag, tagged with places the caller sees and with
    topics; a flag's acknowledge time follows its topics. People mentioned with @ are told."""
    scope = _member(request)
    school = _one(scope.schools(), data.school_id, "school_id", "school")
    partnership = _one(scope.partnerships(), data.partnership_id, "partnership_id", "partnership")
    region = _one(scope.regions(), data.region_id, "region_id", "region")
    topics = _topics(data.topic_ids)
    with _named(**BODY_NAMES):
        post = actions.do_post(
            _me(scope),
            data.kind,
            data.title,
            data.body,
            school=school,
            partnership=partnership,
            region=region,
            topics=topics,
            restricted=data.restricted,
        )
    return Status(201, _detail(scope, post.pk))


@router.get("/feed/posts/{post_id}", response={200: PostDetailOut, **READ_ERRORS})
def get_post(request: HttpRequest, post_id: int) -> Any:
    """A post with its comments (oldest first), "me too", mentions, and for a flag its owner,
    acknowledge time and escalations."""
    scope, post = _post(request, post_id)
    return _detail(scope, post.pk)


@router.patch("/feed/posts/{post_id}", response={200: PostDetailOut, **WRITE_ERRORS})
def edit_post(request: HttpRequest, post_id: int, data: PostPatch) -> Any:
    """Edit your own post. Only the fields given change; null empties a school, partnership or
    region, and a region left out follows a school or partnership that changes. People newly
    mentioned are told."""
    scope, post = _post(request, post_id)
    if post.author_id != _me(scope).pk:
        raise _not_found()
    given = data.dict(exclude_unset=True)
    _not_empty(given, ("title", "body", "topic_ids", "restricted"))
    school = _one(scope.schools(), given["school_id"], "school_id", "school") if "school_id" in given else post.school
    partnership = post.partnership
    if "partnership_id" in given:
        partnership = _one(scope.partnerships(), given["partnership_id"], "partnership_id", "partnership")
    if "region_id" in given:
        region = _one(scope.regions(), given["region_id"], "region_id", "region")
    else:
        region = None if given.keys() & {"school_id", "partnership_id"} else post.region
    topics = _topics(given["topic_ids"]) if "topic_ids" in given else list(post.topics.all())
    with _named(**BODY_NAMES):
        actions.do_edit_post(
            _me(scope),
            post,
            given.get("title", post.title),
            given.get("body", post.body),
            school=school,
            partnership=partnership,
            region=region,
            topics=topics,
            restricted=given.get("restricted"),
        )
    return _detail(scope, post.pk)


@router.post("/feed/posts/{post_id}/comments", response={201: CommentOut, **WRITE_ERRORS})
def add_comment(request: HttpRequest, post_id: int, data: CommentIn) -> Any:
    """Comment on a post; its author (and a flag's owner) and the people mentioned are told."""
    scope, post = _post(request, post_id)
    comment = actions.do_comment(_me(scope), post, data.body)
    return Status(201, _comment_out(comment, post.accepted_answer_id))


def _me_too(request: HttpRequest, post_id: int, on: bool) -> dict[str, Any]:
    scope, post = _post(request, post_id)
    count = actions.do_me_too(_me(scope), post, on=on)
    return {"me_too": count, "said_me_too": on}


@router.post("/feed/posts/{post_id}/me-too", response={200: MeTooOut, **WRITE_ERRORS})
def say_me_too(request: HttpRequest, post_id: int) -> Any:
    """Say you meet this too (not on your own post); saying it twice counts once."""
    return _me_too(request, post_id, on=True)


@router.delete("/feed/posts/{post_id}/me-too", response={200: MeTooOut, **WRITE_ERRORS})
def take_back_me_too(request: HttpRequest, post_id: int) -> Any:
    """Take back your "me too" (nothing changes when you had not said it)."""
    return _me_too(request, post_id, on=False)


@router.post("/feed/posts/{post_id}/answer", response={200: PostDetailOut, **WRITE_ERRORS})
def accept_answer(request: HttpRequest, post_id: int, data: AnswerIn) -> Any:
    """Mark the comment that answers a question, or null to take the mark back (the person who
    asked, or an organization's leader)."""
    scope, post = _post(request, post_id)
    if not may_accept_answer(scope, post):
        raise _not_found()
    on_posts = Comment.objects.filter(post__in=visible_posts(scope))
    comment = _one(on_posts, data.comment_id, "comment_id", "comment")
    with _named(**BODY_NAMES):
        actions.do_accept_answer(_me(scope), post, comment)
    return _detail(scope, post.pk)


# -- a flag's lifecycle ---------------------------------------------------------------------------


@router.post("/feed/posts/{post_id}/acknowledge", response={200: PostDetailOut, **WRITE_ERRORS})
def acknowledge(request: HttpRequest, post_id: int, data: AcknowledgeIn) -> Any:
    """Take a flag on, or hand it to someone on the staff (a leader over it: the organization's
    leaders any flag, a regional director the flags of their region)."""
    scope, post = _post(request, post_id)
    if not leads(scope, post):
        raise _not_found()
    owner = _one(scope.people(), data.owner_id, "owner_id", "person")
    with _named(**BODY_NAMES):
        actions.do_acknowledge(_me(scope), post, owner)
    return _detail(scope, post.pk)


@router.post("/feed/posts/{post_id}/status", response={200: PostDetailOut, **WRITE_ERRORS})
def move_flag(request: HttpRequest, post_id: int, data: StatusIn) -> Any:
    """Move an acknowledged flag along: in progress, resolved (saying what was done), or back (its
    owner, or a leader over it)."""
    scope, post = _post(request, post_id)
    if not steers(scope, post):
        raise _not_found()
    actions.do_move_flag(_me(scope), post, data.status, data.resolution)
    return _detail(scope, post.pk)


@router.post("/feed/posts/{post_id}/escalations", response={201: PostDetailOut, **WRITE_ERRORS})
def escalate(request: HttpRequest, post_id: int, data: EscalateIn) -> Any:
    """Hand a flag to an active cycle of inquiry the caller works on (the cycle records that it
    started from the flag) or to a team, as a working group or a planning team (its owner, or a
    leader over it). The flag is then escalated."""
    scope, post = _post(request, post_id)
    if not steers(scope, post):
        raise _not_found()
    to_cycle = data.to == Escalation.To.CYCLE
    field, stray = ("cycle_id", "team_id") if to_cycle else ("team_id", "cycle_id")
    if getattr(data, stray) is not None:
        label = Escalation.To(data.to).label.lower()
        raise ValidationError({stray: f"A {label} is chosen by {field}; leave {stray} out."})
    if getattr(data, field) is None:
        raise ValidationError({field: "Choose the cycle of inquiry." if to_cycle else "Choose the team."})
    target: Cycle | Team | None
    if to_cycle:
        target = _one(visible_cycles(scope), data.cycle_id, "cycle_id", "cycle")
    else:
        target = _one(reachable_teams(scope), data.team_id, "team_id", "team")
    assert target is not None
    with _named(**BODY_NAMES):
        actions.do_escalate(_me(scope), post, data.to, target, data.note)
    return Status(201, _detail(scope, post.pk))


@router.get("/feed/board", response={200: BoardOut, **READ_ERRORS})
def get_board(request: HttpRequest) -> Any:
    """The andon board of the flags the caller leads: raised flags nobody has taken on yet (the
    most overdue first) and those open too long (the organization's leaders and regional
    directors)."""
    scope = _member(request)
    if not board.shows_board(scope):
        raise _not_found()
    found = board.board(scope)
    return {
        "unacknowledged": [_post_out(p) for p in found.unacknowledged],
        "late": found.late,
        "aging": [_post_out(p) for p in found.aging],
    }


# -- notifications and topics ---------------------------------------------------------------------


def _notification_out(notification: Notification) -> dict[str, Any]:
    return {
        "id": notification.pk,
        "kind": notification.kind,
        "text": notification.text,
        "post_id": notification.post_id,
        "comment_id": notification.comment_id,
        "actor": _ref(notification.actor),
        "created_at": notification.created_at,
        "read_at": notification.read_at,
    }


def _notifications(scope: Scope) -> QuerySet[Notification]:
    """The caller's notifications on posts they can still open."""
    return visible_notifications(scope)


@router.get("/feed/notifications", response={200: Page[NotificationOut], **READ_ERRORS})
def list_notifications(request: HttpRequest, filters: Query[NotificationFilters]) -> Any:
    """What the caller was told, unread first, then the newest first."""
    qs = _notifications(_member(request)).select_related("actor")
    if filters.unread is not None:
        qs = qs.filter(read_at__isnull=filters.unread)
    unread_first = Case(When(read_at__isnull=True, then=0), default=1, output_field=IntegerField())
    qs = qs.order_by(unread_first, "-created_at", "-pk")
    return page_of(qs, filters.limit, filters.offset, _notification_out)


@router.post("/feed/notifications/read", response={200: MarkedOut, **WRITE_ERRORS})
def mark_read(request: HttpRequest, data: ReadIn) -> Any:
    """Mark these notifications read, or all of them when `ids` is left out."""
    scope = _member(request)
    if data.ids is not None:
        found = set(_notifications(scope).filter(pk__in=data.ids).values_list("pk", flat=True))
        if any(i not in found for i in data.ids):
            raise ValidationError({"ids": "No notification of yours has one of these ids."})
    return {"marked": actions.do_mark_read(_me(scope), data.ids)}


def _topic_out(topic: Topic) -> dict[str, Any]:
    return {
        "id": topic.pk,
        "name": topic.name,
        "acknowledge_hours": topic.acknowledge_hours,
        "archived": topic.archived,
    }


@router.get("/feed/topics", response={200: Page[TopicOut], **READ_ERRORS})
def list_topics(request: HttpRequest, filters: Query[TopicFilters]) -> Any:
    """What posts are about: those in use, or with `archived=true` those archived."""
    _member(request)
    qs = Topic.objects.filter(archived=filters.archived)
    return page_of(qs, filters.limit, filters.offset, _topic_out)
