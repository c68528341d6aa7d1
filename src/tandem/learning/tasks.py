"""Email reminders for learning sessions, sent by the background worker.

Each time a session is created or moved, a reminder task is queued to run a set time before it
starts (settings.LEARNING_REMINDER_HOURS). When the task runs it checks that the session still
starts at the time it was queued for and is still on; a moved session has a newer task of its
own, so the stale one does nothing. Each person gets one reminder per session start.
"""

import datetime
import logging
import zoneinfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.template.loader import render_to_string
from django.utils import timezone

from tandem.learning.invitations import invitees
from tandem.learning.models import ReminderPreference, ReminderSent, Session
from tandem.orgs.models import Person

logger = logging.getLogger(__name__)
RETRY = datetime.timedelta(minutes=15)


def lead_time() -> datetime.timedelta:
    return datetime.timedelta(hours=settings.LEARNING_REMINDER_HOURS)


def queue_reminders(sessions: list[Session]) -> None:
    """Queue a reminder for each session that starts in the future (inside the caller's transaction,
    so a change that rolls back leaves no reminder behind)."""
    now = timezone.now()
    for session in sessions:
        if session.cancelled or session.starts_at <= now:
            continue
        run_after = max(session.starts_at - lead_time(), now)
        starts = session.starts_at.astimezone(datetime.UTC).isoformat()
        send_reminders.using(run_after=run_after).enqueue(session.pk, starts)


@task
def send_reminders(session_id: int, starts_at: str) -> int:
    session = Session.objects.select_related("session_type").filter(pk=session_id).first()
    if session is None or session.cancelled or session.starts_at != datetime.datetime.fromisoformat(starts_at):
        return 0
    if session.starts_at <= timezone.now():
        return 0
    opted_out = ReminderPreference.objects.filter(email_reminders=False).values("person")
    sent = failed = 0
    for person in invitees(session).exclude(pk__in=opted_out).order_by("pk"):
        try:
            with transaction.atomic():
                ReminderSent.objects.create(session=session, person=person, starts_at=session.starts_at)
                _message(session, person).send()
        except IntegrityError:
            continue  # already reminded of this start
        except OSError:
            # The mail server is away (smtplib's errors are OSErrors): this person's reminder is
            # rolled back, the others still go, and the task tries again for those it missed.
            logger.warning("Reminder for session %s to %s not sent", session.pk, person.email, exc_info=True)
            failed += 1
            continue
        sent += 1
    if failed and session.starts_at - RETRY > timezone.now():
        send_reminders.using(run_after=timezone.now() + RETRY).enqueue(session.pk, starts_at)
    return sent


def _message(session: Session, person: Person) -> EmailMessage:
    zone = zoneinfo.ZoneInfo(session.time_zone)
    starts = session.starts_at.astimezone(zone)
    body = render_to_string(
        "learning/reminder_email.txt",
        {
            "person": person,
            "session": session,
            "starts": starts,
            "ends": session.ends_at.astimezone(zone),
            "url": settings.TANDEM_BASE_URL + session.get_absolute_url(),
            "settings_url": settings.TANDEM_BASE_URL + "/learning/calendars/",
        },
    )
    subject = f"Reminder: {session.title}, {starts:%a %-d %b, %-I:%M %p} {starts.tzname()}"
    return EmailMessage(subject, body, None, [person.email])
