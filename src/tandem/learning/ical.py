"""Calendar feeds (RFC 5545), written with the icalendar library.

Events carry their own time zone (TZID with a VTIMEZONE), so a subscriber's calendar shows a
session at its wall-clock time where it is held and converts it correctly across daylight-saving
changes. A cancelled session stays in the feed with STATUS:CANCELLED and a higher SEQUENCE, which
is how calendar programs learn to strike it out.
"""

import datetime
import secrets
import zoneinfo
from collections.abc import Iterable
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from tandem.access.tokens import digest
from tandem.learning.models import Feed, Session

# How far back a feed reaches; forward it holds every session scheduled.
PAST_DAYS = 90


def new_token() -> str:
    return secrets.token_urlsafe(32)


def find_feed(token: str) -> Feed | None:
    """The live feed with this secret, if its owner may still have it."""
    feed = (
        Feed.objects.select_related("owner", "team")
        .filter(token_digest=digest(token), revoked_at=None, owner__is_active=True)
        .first()
    )
    if feed is None:
        return None
    if feed.team_id and not (feed.team.members.filter(pk=feed.owner_id).exists() or _leads(feed)):
        return None
    return feed


def _leads(feed: Feed) -> bool:
    from tandem.access.scope import scope_for
    from tandem.learning.visibility import plans_all

    return plans_all(scope_for(feed.owner))


def window(sessions: QuerySet[Session], now: datetime.datetime | None = None) -> QuerySet[Session]:
    since = (now or timezone.now()) - datetime.timedelta(days=PAST_DAYS)
    return sessions.filter(ends_at__gte=since).select_related("session_type", "priority").order_by("starts_at", "pk")


def calendar(name: str, sessions: Iterable[Session]) -> bytes:
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Tandem//Learning sessions//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", datetime.timedelta(hours=1), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    host = urlsplit(settings.TANDEM_BASE_URL).hostname or "tandem"
    for session in sessions:
        cal.add_component(event(session, host))
    cal.add_missing_timezones()
    return cal.to_ical()


def event(session: Session, host: str) -> icalendar.Event:
    zone = zoneinfo.ZoneInfo(session.time_zone)
    ev = icalendar.Event()
    ev.add("uid", f"learning-session-{session.pk}@{host}")
    ev.add("dtstamp", session.updated_at.astimezone(datetime.UTC))
    ev.add("last-modified", session.updated_at.astimezone(datetime.UTC))
    ev.add("sequence", session.sequence)
    ev.add("dtstart", session.starts_at.astimezone(zone))
    ev.add("dtend", session.ends_at.astimezone(zone))
    ev.add("summary", session.title)
    ev.add("status", "CANCELLED" if session.cancelled else "CONFIRMED")
    ev.add("categories", [session.session_type.name])
    if session.location:
        ev.add("location", session.location)
    url = settings.TANDEM_BASE_URL + session.get_absolute_url()
    ev.add("url", url)
    lines = [session.session_type.name]
    if session.priority:
        lines.append(f"Priority: {session.priority.name}")
    if session.cancelled and session.cancel_reason:
        lines.append(f"Cancelled: {session.cancel_reason}")
    if session.agenda:
        lines += ["", session.agenda]
    lines += ["", url]
    ev.add("description", "\n".join(lines))
    return ev
