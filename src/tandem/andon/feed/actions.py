"""Every change to the staff feed goes through these functions: each checks the actor's right to
make it, runs in one transaction, writes an audit entry and tells the people concerned
(notify.py). visibility.py decides who sees and steers what."""

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone

from tandem.access import audit
from tandem.access.scope import Scope, scope_for
from tandem.andon.feed import mentions, notify
from tandem.andon.feed.models import Comment, Escalation, MeToo, Notification, Post, Topic
from tandem.andon.feed.visibility import (
    leads,
    may_accept_answer,
    reachable_teams,
    staff_people,
    steers,
    takes_part,
    visible_posts,
)
from tandem.orgs.models import Person, Region, School, Team
from tandem.partnerships.models import Partnership

Status = Post.Status
# Where a flag may go from each status, by hand (escalation has its own action).
MOVES: dict[str, set[str]] = {
    Status.ACKNOWLEDGED: {Status.IN_PROGRESS, Status.RESOLVED},
    Status.IN_PROGRESS: {Status.ACKNOWLEDGED, Status.RESOLVED},
    Status.RESOLVED: {Status.IN_PROGRESS},
    # The cycle or group it went to has dealt with it.
    Status.ESCALATED: {Status.RESOLVED},
}
# What each kind of change writes, and nothing else: someone else's change made meanwhile stands.
EDITED = ["title", "body", "school", "partnership", "region", "restricted", "acknowledge_due", "edited_at"]
STEERED = ["status", "owner", "acknowledged_at", "resolution", "resolved_at", "last_activity_at"]


def _refuse(message: str | dict[str, str]) -> None:
    raise ValidationError(message)


def _member(actor: Person) -> Scope:
    scope = scope_for(actor)
    if not takes_part(scope):
        _refuse("The staff feed is for the organization's staff.")
    return scope


def _seen(scope: Scope, post: Post) -> None:
    # Callers found the post through the scope already; this guards the API and the shell too.
    if not visible_posts(scope).filter(pk=post.pk).exists():
        _refuse("No post matches the given query.")


def _current(scope: Scope, post: Post) -> None:
    """Read the post again under a row lock, in place: two people changing it at once take turns,
    each judges the status the other left, and a copy read earlier undoes nothing."""
    _seen(scope, post)
    post.refresh_from_db(from_queryset=Post.objects.select_for_update())


def _text(value: str, field: str, what: str, limit: int | None = None, required: bool = True) -> str:
    value = (value or "").strip()
    if not value and required:
        _refuse({field: f"Write the {what}."})
    if limit and len(value) > limit:
        _refuse({field: f"The {what} is {len(value)} characters long; keep it to {limit}."})
    if "\x00" in value:
        _refuse({field: f"The {what} holds a NUL character; paste it as plain text."})
    return value


def _regions_of(school: School | None, partnership: Partnership | None) -> list[Region]:
    """The regions the place lies in: a school's one, or every region a partnership works in."""
    if school is not None:
        return [school.district.region] if school.district.region_id else []
    if partnership is None:
        return []
    if partnership.district_id:
        return [partnership.district.region] if partnership.district.region_id else []
    return list(Region.objects.filter(districts__schools__in=partnership.schools.all()).distinct().order_by("name"))


def _and(names: list[str]) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _tags(scope: Scope, school: School | None, partnership: Partnership | None, region: Region | None) -> Region | None:
    """Tags must be places the author can see, and agree with one another; the region follows
    from the school or partnership when it is left out."""
    if school is not None and not scope.schools().filter(pk=school.pk).exists():
        _refuse({"school": "No school matches the given query."})
    if partnership is not None and not scope.partnerships().filter(pk=partnership.pk).exists():
        _refuse({"partnership": "No partnership matches the given query."})
    if region is not None and not scope.regions().filter(pk=region.pk).exists():
        _refuse({"region": "No region matches the given query."})
    if school is not None and partnership is not None and not partnership.schools.filter(pk=school.pk).exists():
        _refuse({"school": f"{school} is not one of the schools of the partnership {partnership}."})
    # A partnership across regions gives no region of its own; any of its regions may be named.
    regions = _regions_of(school, partnership)
    if region is not None and regions and region.pk not in {r.pk for r in regions}:
        place = school or partnership
        where = _and([str(r) for r in regions])
        _refuse({"region": f"{place} is in {where}, not {region}; leave the region empty or correct it."})
    if region is None and len(regions) == 1:
        return regions[0]
    return region


def acknowledge_due(created: datetime.datetime, topics: list[Topic]) -> datetime.datetime:
    # A target of 0 hours is a target too: due at once.
    hours = [t.acknowledge_hours for t in topics if t.acknowledge_hours is not None]
    return created + datetime.timedelta(hours=min(hours) if hours else settings.FEED_ACKNOWLEDGE_HOURS)


def _may_restrict(kind: str, restricted: bool) -> None:
    if restricted and kind != Post.Kind.FLAG:
        _refuse({"restricted": "Only a flag can be restricted; questions and ideas are for all staff."})


def _mentions(text: str) -> list[Person]:
    return list(mentions.resolve(text, staff_people()).values())


@transaction.atomic
def do_post(
    actor: Person,
    kind: str,
    title: str,
    body: str,
    *,
    school: School | None = None,
    partnership: Partnership | None = None,
    region: Region | None = None,
    topics: list[Topic] | None = None,
    restricted: bool = False,
    now: datetime.datetime | None = None,
) -> Post:
    scope = _member(actor)
    if kind not in Post.Kind.values:
        _refuse({"kind": f"“{kind}” is not a kind of post; choose question, idea or flag."})
    topics = list(topics or [])
    if any(t.archived for t in topics):
        _refuse({"topics": "That topic is archived; choose another."})
    _may_restrict(kind, restricted)
    now = now or timezone.now()
    post = Post(
        kind=kind,
        title=_text(title, "title", "title", 200),
        body=_text(body, "body", "post", 20000),
        author=actor,
        school=school,
        partnership=partnership,
        region=_tags(scope, school, partnership, region),
        restricted=restricted,
        status=Status.RAISED if kind == Post.Kind.FLAG else Status.OPEN,
        created_at=now,
        last_activity_at=now,
    )
    if kind == Post.Kind.FLAG:
        post.acknowledge_due = acknowledge_due(now, topics)
    post.save()
    post.topics.set(topics)
    mentioned = _mentions(f"{post.title}\n{post.body}")
    post.mentions.set(mentioned)
    audit.record_creation(actor, "feed.post", post)
    notify.mentioned(post, None, actor, mentioned, now)
    return post


@transaction.atomic
def do_edit_post(
    actor: Person,
    post: Post,
    title: str,
    body: str,
    *,
    school: School | None = None,
    partnership: Partnership | None = None,
    region: Region | None = None,
    topics: list[Topic] | None = None,
    restricted: bool | None = None,
) -> Post:
    scope = _member(actor)
    _current(scope, post)
    if post.author_id != actor.pk:
        _refuse("Only the post's author edits it.")
    topics = list(topics or [])
    # A topic archived since it was chosen stays; only a newly added one must be live.
    if any(t.archived for t in set(topics) - set(post.topics.all())):
        _refuse({"topics": "That topic is archived; choose another."})
    restricted = post.restricted if restricted is None else restricted
    _may_restrict(post.kind, restricted)
    before = audit.snapshot(post)
    post.title = _text(title, "title", "title", 200)
    post.body = _text(body, "body", "post", 20000)
    post.school, post.partnership = school, partnership
    post.region = _tags(scope, school, partnership, region)
    post.restricted = restricted
    if post.status == Status.RAISED:
        # Still waiting: it is due by the targets of its topics as they are now.
        post.acknowledge_due = acknowledge_due(post.created_at, topics)
    now = timezone.now()
    post.edited_at = now
    post.save(update_fields=EDITED)
    post.topics.set(topics)
    mentioned = _mentions(f"{post.title}\n{post.body}")
    post.mentions.set(mentioned)
    audit.record_update(actor, "feed.post.edit", post, before)
    # Whoever was told of a mention in the post already is not told again; someone mentioned
    # before who could not see a restricted flag then is told once it is opened to them.
    told = Notification.objects.filter(post=post, comment=None, kind=Notification.Kind.MENTION)
    already = set(told.values_list("person", flat=True))
    notify.mentioned(post, None, actor, [p for p in mentioned if p.pk not in already], now)
    return post


@transaction.atomic
def do_comment(actor: Person, post: Post, body: str, now: datetime.datetime | None = None) -> Comment:
    scope = _member(actor)
    _seen(scope, post)
    now = now or timezone.now()
    comment = Comment.objects.create(
        post=post, author=actor, body=_text(body, "body", "comment", 20000), created_at=now
    )
    mentioned = _mentions(comment.body)
    comment.mentions.set(mentioned)
    Post.objects.filter(pk=post.pk).update(last_activity_at=now)
    audit.record_creation(actor, "feed.comment", comment)
    notify.mentioned(post, comment, actor, mentioned, now)
    notify.replied(post, comment, actor, now, skip=mentioned)
    return comment


@transaction.atomic
def do_me_too(actor: Person, post: Post, on: bool = True) -> int:
    """Say (or take back) that the actor meets this too; answers how many people have said it."""
    scope = _member(actor)
    _seen(scope, post)
    if post.author_id == actor.pk and on:
        _refuse("You raised this yourself; others say “me too”.")
    if on:
        mine, created = MeToo.objects.get_or_create(post=post, person=actor)
        if created:
            audit.record_creation(actor, "feed.me_too", mine)
    else:
        mine_or_none = MeToo.objects.filter(post=post, person=actor).first()
        if mine_or_none is not None:
            audit.record(actor, "feed.me_too.withdraw", mine_or_none)
            mine_or_none.delete()
    return MeToo.objects.filter(post=post).count()


@transaction.atomic
def do_accept_answer(actor: Person, post: Post, comment: Comment | None) -> Post:
    """Mark the comment that answers a question (or none, to take the mark back)."""
    scope = _member(actor)
    _current(scope, post)
    if post.kind != Post.Kind.QUESTION:
        _refuse("Only a question has an accepted answer.")
    if not may_accept_answer(scope, post):
        _refuse("Only the person who asked (or a leader) accepts an answer.")
    if comment is not None and comment.post_id != post.pk:
        _refuse({"comment": "That comment answers another post."})
    # Accepting the answer already accepted changes nothing, and tells nobody again.
    changed = post.accepted_answer_id != (comment.pk if comment is not None else None)
    before = audit.snapshot(post)
    post.accepted_answer = comment
    post.save(update_fields=["accepted_answer"])
    audit.record_update(actor, "feed.answer", post, before)
    if comment is not None and changed:
        notify.answer_accepted(post, comment, actor, timezone.now())
    return post


def _flag(post: Post) -> None:
    if post.kind != Post.Kind.FLAG:
        _refuse("Only a flag has an owner and a status.")


@transaction.atomic
def do_acknowledge(
    actor: Person, post: Post, owner: Person | None = None, now: datetime.datetime | None = None
) -> Post:
    """A leader takes the flag on (or hands it to someone on the staff, who then owns it)."""
    scope = _member(actor)
    _current(scope, post)
    _flag(post)
    if not leads(scope, post):
        _refuse("Only a leader over this flag acknowledges it.")
    owner = owner or actor
    if not staff_people().filter(pk=owner.pk).exists():
        _refuse({"owner": f"{owner} is not on the staff; choose someone who can take the flag on."})
    if post.status not in (Status.RAISED, Status.ACKNOWLEDGED, Status.IN_PROGRESS):
        _refuse(
            "This flag is resolved; reopen it first."
            if post.status == Status.RESOLVED
            else "This flag is escalated: it is in the hands of the cycle or team it went to."
        )
    if post.owner_id == owner.pk:
        # Nothing would change, yet everyone following the flag would be told it did.
        _refuse({"owner": f"{owner} owns this flag already."})
    now = now or timezone.now()
    before = audit.snapshot(post)
    former = post.owner if post.owner_id is not None and post.owner_id != owner.pk else None
    handed = former is not None
    post.owner = owner
    if post.status == Status.RAISED:
        post.status = Status.ACKNOWLEDGED
        post.acknowledged_at = now
    post.last_activity_at = now
    post.save(update_fields=STEERED)
    audit.record_update(actor, "feed.flag.acknowledge", post, before)
    verb = f"handed it to {owner}" if handed or owner.pk != actor.pk else "acknowledged it"
    notify.status_changed(post, actor, verb, now, also=[owner, *([former] if former else [])])
    return post


@transaction.atomic
def do_move_flag(
    actor: Person, post: Post, status: str, resolution: str = "", now: datetime.datetime | None = None
) -> Post:
    """In progress, resolved (with what was done) or back in progress: the owner, or a leader."""
    scope = _member(actor)
    _current(scope, post)
    _flag(post)
    if not steers(scope, post):
        _refuse("Only the flag's owner (or a leader over it) moves it along.")
    if status not in MOVES.get(post.status, set()):
        now_label = post.get_status_display().lower()
        target = str(dict(Status.choices).get(status, status)).lower()
        _refuse({"status": f"A flag that is {now_label} cannot be marked “{target}”."})
    now = now or timezone.now()
    before = audit.snapshot(post)
    if status == Status.RESOLVED:
        post.resolution = _text(resolution, "resolution", "resolution: what was done")
        post.resolved_at = now
    else:
        post.resolved_at = None
    post.status = status
    post.last_activity_at = now
    post.save(update_fields=STEERED)
    audit.record_update(actor, "feed.flag.status", post, before)
    notify.status_changed(post, actor, f"marked it {post.get_status_display().lower()}", now)
    return post


def _escalating(actor: Person, post: Post) -> Scope:
    scope = _member(actor)
    _current(scope, post)
    _flag(post)
    if not steers(scope, post):
        _refuse("Only the flag's owner (or a leader over it) escalates it.")
    if post.status == Status.RESOLVED:
        _refuse("This flag is resolved; reopen it to escalate it.")
    return scope


@transaction.atomic
def do_escalate(
    actor: Person, post: Post, to: str, target: Model, note: str = "", now: datetime.datetime | None = None
) -> Escalation:
    """Hand the flag to a cycle of inquiry the actor works on, or to a team (a working group or a
    planning team). Both ends show the link: a cycle records that it started from the flag."""
    from tandem.inquiry.actions import do_link
    from tandem.inquiry.models import Cycle, CycleLink
    from tandem.inquiry.visibility import can_contribute, visible_cycles

    scope = _escalating(actor, post)
    note = _text(note, "note", "note", required=False)
    if to == Escalation.To.CYCLE:
        if not isinstance(target, Cycle) or not visible_cycles(scope).filter(pk=target.pk).exists():
            _refuse({"cycle": "No cycle matches the given query."})
        assert isinstance(target, Cycle)
        if not can_contribute(scope, target) or target.status != Cycle.Status.ACTIVE:
            _refuse({"cycle": "Escalate to an active cycle you work on, or start a new one."})
    elif to in (Escalation.To.WORKING_GROUP, Escalation.To.PLANNING_TEAM):
        if not isinstance(target, Team) or not reachable_teams(scope).filter(pk=target.pk).exists():
            _refuse({"team": "No team matches the given query."})
    else:
        _refuse(
            {"to": f"“{to}” is not where a flag goes; choose a cycle of inquiry, a working group or a planning team."}
        )
    kind = ContentType.objects.get_for_model(target)
    if Escalation.objects.filter(post=post, content_type=kind, object_id=target.pk).exists():
        _refuse("This flag is already escalated there.")
    if isinstance(target, Cycle):
        do_link(actor, target, CycleLink.Relation.STARTED_FROM, post)
    now = now or timezone.now()
    before = audit.snapshot(post)
    escalation = Escalation.objects.create(post=post, to=to, target=target, note=note, by=actor, created_at=now)
    if post.owner_id is None:
        post.owner = actor
        post.acknowledged_at = post.acknowledged_at or now
    post.status = Status.ESCALATED
    post.last_activity_at = now
    post.save(update_fields=STEERED)
    audit.record_creation(actor, "feed.flag.escalate", escalation)
    audit.record_update(actor, "feed.flag.status", post, before)
    notify.escalated(post, actor, escalation, now)
    return escalation


@transaction.atomic
def do_escalate_to_new_cycle(actor: Person, post: Post, fields: dict[str, Any], **cycle_kwargs: Any) -> Escalation:
    """Start a cycle of inquiry from the flag, in one step: the cycle and the escalation stand or
    fall together."""
    from tandem.inquiry.actions import do_start_cycle

    # Refuse what would refuse the escalation before starting anything.
    _escalating(actor, post)
    cycle = do_start_cycle(actor, fields, **cycle_kwargs)
    return do_escalate(actor, post, Escalation.To.CYCLE, cycle)


@transaction.atomic
def do_mark_read(actor: Person, ids: list[int] | None = None, post: Post | None = None) -> int:
    """Mark the actor's notifications read: these, those about this post, or all of them."""
    unread = Notification.objects.filter(person=actor, read_at__isnull=True)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    if post is not None:
        unread = unread.filter(post=post)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def do_set_digest(actor: Person, email_digest: bool) -> None:
    from tandem.andon.feed.models import DigestPreference

    pref, _ = DigestPreference.objects.get_or_create(person=actor)
    before = audit.snapshot(pref)
    pref.email_digest = email_digest
    if not email_digest:
        pref.due_at = None
    pref.save()
    audit.record_update(actor, "feed.digest", pref, before)
