"""Who hears of what happens in the feed: in the app at once, and by email in a digest a few hours
later (tasks.py) for whatever they have not read by then. Nobody is told of their own doing, and
nobody is told of a post they cannot open."""

import datetime
from collections.abc import Callable, Iterable

from django.conf import settings

from tandem.andon.feed.models import Comment, DigestPreference, Escalation, MeToo, Notification, Post
from tandem.andon.feed.visibility import sees, staff_people
from tandem.orgs.models import Person

Kind = Notification.Kind


def _tell(
    people: Iterable[Person],
    kind: str,
    post: Post,
    comment: Comment | None,
    actor: Person,
    text: str | Callable[[Person], str],
    now: datetime.datetime,
) -> list[Person]:
    """Tell each person once; `text` may word it for each reader (naming only what they can open)."""
    staff = set(staff_people().values_list("pk", flat=True))
    told: list[Person] = []
    seen: set[int] = set()
    for person in people:
        if person.pk == actor.pk or person.pk in seen or person.pk not in staff or not sees(person, post):
            continue
        seen.add(person.pk)
        said = text(person) if callable(text) else text
        Notification.objects.create(
            person=person, kind=kind, post=post, comment=comment, actor=actor, text=said[:300], created_at=now
        )
        _plan_digest(person, now)
        told.append(person)
    return told


def mentioned(post: Post, comment: Comment | None, actor: Person, people: list[Person], now: datetime.datetime) -> None:
    where = "a comment on" if comment else "the post"
    _tell(people, Kind.MENTION, post, comment, actor, f"{actor} mentioned you in {where} “{post.title}”", now)


def replied(post: Post, comment: Comment, actor: Person, now: datetime.datetime, skip: list[Person]) -> None:
    # The author hears of every reply, and so does a flag's owner; a mention already told the
    # people it named.
    skipped = {p.pk for p in skip}
    people = [p for p in (post.author, post.owner) if p is not None and p.pk not in skipped]
    _tell(people, Kind.REPLY, post, comment, actor, f"{actor} replied to “{post.title}”", now)


def answer_accepted(post: Post, comment: Comment, actor: Person, now: datetime.datetime) -> None:
    _tell([comment.author], Kind.ANSWER, post, comment, actor, f"{actor} accepted your answer to “{post.title}”", now)


def status_changed(
    post: Post,
    actor: Person,
    verb: str | Callable[[Person], str],
    now: datetime.datetime,
    also: list[Person] | None = None,
) -> None:
    # Whoever raised the flag, owns it or said "me too" wants to know it moved.
    me_too = Person.objects.filter(pk__in=MeToo.objects.filter(post=post).values("person"))
    people = [*(also or []), post.author, *([post.owner] if post.owner_id else []), *me_too]

    def text(person: Person) -> str:
        return f"{actor} {verb(person) if callable(verb) else verb}: “{post.title}”"

    _tell(people, Kind.STATUS, post, None, actor, text, now)


def escalated(post: Post, actor: Person, escalation: Escalation, now: datetime.datetime) -> None:
    """A cycle of inquiry is named only to those who can open it, as on the flag's page."""
    from tandem.access.scope import scope_for
    from tandem.inquiry.models import Cycle
    from tandem.inquiry.visibility import visible_cycles

    target = escalation.target
    to = escalation.get_to_display().lower()

    def verb(person: Person) -> str:
        if isinstance(target, Cycle) and not visible_cycles(scope_for(person)).filter(pk=target.pk).exists():
            return f"escalated it to a {to}"
        return f"escalated it to {to} “{target}”"

    status_changed(post, actor, verb, now)


def _plan_digest(person: Person, now: datetime.datetime) -> None:
    """The first notification since the last digest sets when the next one goes out."""
    from tandem.andon.feed.tasks import send_digest

    # Locked until the change commits: a digest running meanwhile waits for it, then finds the new
    # notification (or, having sent already, leaves the next digest to be planned here).
    pref, _ = DigestPreference.objects.select_for_update().get_or_create(person=person)
    if not pref.email_digest or (pref.due_at is not None and pref.due_at > now):
        return
    pref.due_at = now + datetime.timedelta(hours=settings.FEED_DIGEST_HOURS)
    pref.save(update_fields=["due_at"])
    send_digest.using(run_after=pref.due_at).enqueue(person.pk, pref.due_at.astimezone(datetime.UTC).isoformat())
