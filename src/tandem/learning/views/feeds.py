"""Private calendar feeds: the subscription address (no sign-in; the secret in the address is the
key) and the page where people make, copy and revoke their addresses and set email reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from tandem.learning import actions, ical
from tandem.learning.invitations import sessions_for
from tandem.learning.models import Feed, ReminderPreference
from tandem.learning.visibility import plans_all, team_sessions
from tandem.orgs.models import Team


@require_GET
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """A revoked, unknown or lapsed address answers 404, like any address that does not exist."""
    found = ical.find_feed(token)
    if found is None:
        raise Http404
    if found.team_id:
        name = f"{found.team} — learning sessions"
        sessions = team_sessions(found.team_id)
    else:
        name = f"{found.owner} — learning sessions"
        sessions = sessions_for(found.owner)
    Feed.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
    response = HttpResponse(ical.calendar(name, ical.window(sessions)), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="tandem-learning.ics"'
    response["Cache-Control"] = "private, max-age=900"
    return response


def _teams(request: HttpRequest) -> list[Team]:
    if plans_all(request.scope):  # type: ignore[attr-defined]
        return list(Team.objects.order_by("name"))
    return list(Team.objects.filter(members=request.user).order_by("name"))


@login_required
def feeds(request: HttpRequest) -> HttpResponse:
    mine = Feed.objects.filter(owner=request.user).select_related("team")
    pref = ReminderPreference.objects.filter(person=request.user).first()
    return render(
        request,
        "learning/feeds.html",
        {
            "live": mine.filter(revoked_at=None),
            "revoked": mine.exclude(revoked_at=None)[:10],
            "teams": _teams(request),
            "new_url": request.session.pop("learning_new_feed_url", None),
            "reminders_on": pref is None or pref.email_reminders,
            "lead_hours": actions.settings.LEARNING_REMINDER_HOURS,
        },
    )


@login_required
@require_POST
def feed_create(request: HttpRequest) -> HttpResponse:
    team = None
    if request.POST.get("team"):
        team = next((t for t in _teams(request) if str(t.pk) == request.POST["team"]), None)
        if team is None:
            raise Http404
    try:
        _, token = actions.do_create_feed(request.user, team)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
        return redirect("learning:feeds")
    # Shown once, on the next page only: Tandem keeps just a digest of the secret.
    request.session["learning_new_feed_url"] = actions.feed_url(token)
    messages.success(request, "Your new calendar address is below. Copy it now: it is shown only once.")
    return redirect("learning:feeds")


@login_required
@require_POST
def feed_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    found = Feed.objects.filter(pk=pk, owner=request.user).first()
    if found is None:
        raise Http404
    actions.do_revoke_feed(request.user, found)  # type: ignore[arg-type]
    messages.success(request, "That address is revoked: calendars subscribed to it stop updating.")
    return redirect("learning:feeds")


@login_required
@require_POST
def reminders(request: HttpRequest) -> HttpResponse:
    on = request.POST.get("email_reminders") == "on"
    actions.do_set_reminders(request.user, on)  # type: ignore[arg-type]
    messages.success(request, "Email reminders are on." if on else "Email reminders are off.")
    return redirect("learning:feeds")
