"""The email digest: a person's notifications they have not read, in one message, a few hours
after the first of them (settings.FEED_DIGEST_HOURS). The background worker sends it; a digest
that finds nothing unread sends nothing, and one that meets an absent mail server tries again."""

import datetime
import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.andon.feed.models import DigestPreference, Notification
from tandem.andon.feed.visibility import visible_posts
from tandem.orgs.models import Person

logger = logging.getLogger(__name__)
RETRY = datetime.timedelta(minutes=15)


@task
def send_digest(person_id: int, due_at: str) -> int:
    from tandem.access.scope import scope_for

    with transaction.atomic():
        pref = DigestPreference.objects.select_for_update().filter(person_id=person_id).first()
        # A digest already sent, turned off, or planned again later has nothing to do with this run.
        if pref is None or pref.due_at is None or pref.due_at != datetime.datetime.fromisoformat(due_at):
            return 0
        person = Person.objects.get(pk=person_id)
        pending = (
            Notification.objects.filter(person=person, read_at__isnull=True, emailed_at__isnull=True)
            .filter(post__in=visible_posts(scope_for(person)))
            .select_related("post", "actor")
            .order_by("created_at", "pk")
        )
        rows = list(pending)
        pref.due_at = None
        pref.save(update_fields=["due_at"])
        if not rows or not person.is_active or not pref.email_digest:
            return 0
        try:
            _message(person, rows).send()
        except OSError:
            # smtplib's errors are OSErrors: keep them pending and try again shortly.
            logger.warning("Feed digest to %s not sent", person.email, exc_info=True)
            retry = timezone.now() + RETRY
            pref.due_at = retry
            pref.save(update_fields=["due_at"])
            send_digest.using(run_after=retry).enqueue(person_id, retry.astimezone(datetime.UTC).isoformat())
            return 0
        Notification.objects.filter(pk__in=[n.pk for n in rows]).update(emailed_at=timezone.now())
        return len(rows)


def _message(person: Person, rows: list[Notification]) -> EmailMessage:
    body = render_to_string(
        "feed/digest_email.txt",
        {
            "person": person,
            "rows": [(n, settings.TANDEM_BASE_URL + n.post.get_absolute_url()) for n in rows],
            "settings_url": settings.TANDEM_BASE_URL + "/feed/notifications/",
        },
    )
    noun = "notification" if len(rows) == 1 else "notifications"
    return EmailMessage(f"Staff feed: {len(rows)} unread {noun}", body, None, [person.email])
