"""The feed's pages: the feed with search and filters, a post with its conversation and (for a
flag) its lifecycle, the andon board and the person's notifications. Posts are found through
`visible_posts`, so a post the reader may not see (or anything here, for someone who is not on the
staff) answers "not found"."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.scope import Scope
from tandem.andon.feed import actions, board, mentions
from tandem.andon.feed.forms import (
    AcknowledgeForm,
    CommentForm,
    DigestForm,
    EditForm,
    EscalateForm,
    FeedFilter,
    MoveForm,
    PostForm,
)
from tandem.andon.feed.models import Comment, DigestPreference, MeToo, Post
from tandem.andon.feed.search import Filters, find
from tandem.andon.feed.visibility import (
    leads,
    may_accept_answer,
    staff_people,
    steers,
    takes_part,
    visible_notifications,
    visible_posts,
)
from tandem.core.forms import apply_errors, submit
from tandem.orgs.models import Person

PAGE_SIZE = 30


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _scope(request: HttpRequest) -> Scope:
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not takes_part(scope):
        raise Http404("No page here.")
    return scope


def _post(request: HttpRequest, pk: int) -> Post:
    return _scope(request).get(visible_posts(_scope(request)).select_related("author", "owner"), pk)


@login_required
def feed(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    form = FeedFilter(request.GET or None, scope=scope)
    if form.is_bound and not form.is_valid():
        found: QuerySet[Post] = Post.objects.none()
    else:
        found = find(scope, form.filters() if form.is_bound else Filters())
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "feed/feed.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "board": board.shows_board(scope),
            "unread": visible_notifications(scope).filter(read_at=None).count(),
            "now": timezone.now(),
        },
    )


@login_required
def post_new(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    kind = request.GET.get("kind")
    initial = {"kind": kind if kind in Post.Kind.values else Post.Kind.QUESTION}
    form = PostForm(request.POST or None, scope=scope, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = actions.do_post(_me(request), data["kind"], data["title"], data["body"], **form.tags())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"{post.get_kind_display()} posted.")
            return redirect(post)
    status = 422 if request.method == "POST" else 200
    return render(request, "feed/post_form.html", {"form": form, "post": None}, status=status)


@login_required
def post_edit(request: HttpRequest, pk: int) -> HttpResponse:
    scope = _scope(request)
    post = _post(request, pk)
    if post.author_id != _me(request).pk:
        raise Http404("No post matches the given query.")
    initial = {
        "title": post.title,
        "body": post.body,
        "school": post.school,
        "partnership": post.partnership,
        "region": post.region,
        "topics": list(post.topics.all()),
        "restricted": post.restricted,
    }
    form = EditForm(request.POST or None, scope=scope, post=post, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.do_edit_post(_me(request), post, data["title"], data["body"], **form.tags())
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, "Post saved.")
            return redirect(post)
    status = 422 if request.method == "POST" else 200
    return render(request, "feed/post_form.html", {"form": form, "post": post}, status=status)


def _handles(people: list[Person]) -> dict[str, Person]:
    out: dict[str, Person] = {}
    for p in people:
        out[p.email.lower()] = p
        out[p.email.lower().split("@")[0]] = p
    return out


def _escalation_rows(scope: Scope, post: Post) -> list[dict[str, Any]]:
    from tandem.inquiry.models import Cycle
    from tandem.inquiry.visibility import visible_cycles

    rows = []
    for e in post.escalations.select_related("content_type", "by"):
        target = e.target
        url = None
        if isinstance(target, Cycle):
            # A cycle out of the reader's reach is named by kind only, never by title.
            if not visible_cycles(scope).filter(pk=target.pk).exists():
                rows.append({"e": e, "label": "a cycle of inquiry you cannot open", "url": None})
                continue
            url = target.get_absolute_url()
        elif target is not None and hasattr(target, "get_absolute_url"):
            url = target.get_absolute_url()
        rows.append({"e": e, "label": str(target) if target is not None else "(removed)", "url": url})
    return rows


@login_required
def post_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    scope = _scope(request)
    me = _me(request)
    post = _post(request, pk)
    comments = list(post.comments.select_related("author").prefetch_related("mentions"))
    post_mentions = _handles(list(post.mentions.all()))
    rows = [(c, mentions.render(c.body, _handles(list(c.mentions.all())))) for c in comments]
    # Opening the post is reading what it told you.
    actions.do_mark_read(me, post=post)
    forms = forms or {}
    steering = post.kind == Post.Kind.FLAG and steers(scope, post)
    context = {
        "post": post,
        "body": mentions.render(post.body, post_mentions),
        "comments": rows,
        "topics": list(post.topics.all()),
        "escalations": _escalation_rows(scope, post),
        "me_too": MeToo.objects.filter(post=post).count(),
        "said_me_too": MeToo.objects.filter(post=post, person=me).exists(),
        "mine": post.author_id == me.pk,
        "leads": leads(scope, post),
        "steers": steering,
        "accepts": post.kind == Post.Kind.QUESTION and may_accept_answer(scope, post),
        "late": board.is_late(post),
        "aging": board.is_aging(post),
        "moves": actions.MOVES.get(post.status, set()),
        "comment_form": forms.get("comment") or CommentForm(),
        "acknowledge_form": forms.get("acknowledge") or AcknowledgeForm(staff=staff_people()),
        "move_form": forms.get("move") or MoveForm(offered=actions.MOVES.get(post.status, set())),
        # Only those who steer the flag are offered it (finding their cycles and teams costs queries).
        "escalate_form": (forms.get("escalate") or EscalateForm(scope=scope)) if steering else None,
    }
    return render(request, "feed/post.html", context)


def _change(
    request: HttpRequest, pk: int, name: str, form: Any, change: Any, done: str, may: Any = None
) -> HttpResponse:
    post = _post(request, pk)
    # Steering a flag is for its leaders and owner: to anyone else the form is not there at all.
    if may is not None and not (post.kind == Post.Kind.FLAG and may(_scope(request), post)):
        raise Http404("No post matches the given query.")
    return submit(
        request,
        form,
        lambda data: change(post, data),
        done,
        to=post.get_absolute_url(),
        again=lambda: post_detail(request, pk, {name: form}),
    )


@login_required
@require_POST
def comment(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        "comment",
        CommentForm(request.POST),
        lambda post, data: actions.do_comment(_me(request), post, data["body"]),
        "Comment added.",
    )


@login_required
@require_POST
def me_too(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    on = request.POST.get("on") != "0"
    try:
        count = actions.do_me_too(_me(request), post, on=on)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        others = count - 1 if on else count
        messages.success(request, f"You said “me too” (with {others} others)." if on else "“Me too” taken back.")
    return redirect(post)


@login_required
@require_POST
def answer(request: HttpRequest, pk: int) -> HttpResponse:
    post = _post(request, pk)
    if post.kind != Post.Kind.QUESTION or not may_accept_answer(_scope(request), post):
        raise Http404("No post matches the given query.")
    raw = request.POST.get("comment", "")
    chosen = None
    if raw:
        if not raw.isdecimal() or len(raw) > 12:
            raise Http404("No comment matches the given query.")
        chosen = Comment.objects.filter(post=post, pk=int(raw)).first()
        if chosen is None:
            raise Http404("No comment matches the given query.")
    try:
        actions.do_accept_answer(_me(request), post, chosen)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, "Answer accepted." if chosen else "Accepted answer taken back.")
    return redirect(post)


@login_required
@require_POST
def acknowledge(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        "acknowledge",
        AcknowledgeForm(request.POST, staff=staff_people()),
        lambda post, data: actions.do_acknowledge(_me(request), post, data["owner"]),
        "Flag acknowledged.",
        may=leads,
    )


@login_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    return _change(
        request,
        pk,
        "move",
        MoveForm(request.POST),
        lambda post, data: actions.do_move_flag(_me(request), post, data["status"], data["resolution"]),
        "Flag updated.",
        may=steers,
    )


@login_required
@require_POST
def escalate(request: HttpRequest, pk: int) -> HttpResponse:
    form = EscalateForm(request.POST, scope=_scope(request))
    return _change(
        request,
        pk,
        "escalate",
        form,
        lambda post, data: actions.do_escalate(_me(request), post, data["to"], form.target(), data["note"]),
        "Flag escalated.",
        may=steers,
    )


@login_required
def board_page(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    if not board.shows_board(scope):
        raise Http404("No page here.")
    since = timezone.now() - datetime.timedelta(days=90)
    return render(
        request,
        "feed/board.html",
        {"board": board.board(scope), "times": board.acknowledge_times(scope, since), "now": timezone.now()},
    )


@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    _scope(request)
    me = _me(request)
    pref = DigestPreference.objects.filter(person=me).first()
    digest_form = DigestForm(initial={"email_digest": pref.email_digest if pref else True})
    if request.method == "POST":
        if "read_all" in request.POST:
            n = actions.do_mark_read(me)
            messages.success(request, f"{n} marked read." if n else "Nothing unread.")
            return redirect("feed:notifications")
        digest_form = DigestForm(request.POST)
        if digest_form.is_valid():
            actions.do_set_digest(me, digest_form.cleaned_data["email_digest"])
            on = digest_form.cleaned_data["email_digest"]
            messages.success(request, "Email digest on." if on else "Email digest off.")
            return redirect("feed:notifications")
    found = visible_notifications(_scope(request)).select_related("post", "actor").order_by("-created_at", "-pk")
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "feed/notifications.html",
        {
            "page": page,
            "query": "",
            "unread": found.filter(read_at=None).count(),
            "digest_form": digest_form,
        },
    )
