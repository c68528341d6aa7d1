"""The practice library's pages. Drafts (from session takeaways, say) are seen by their author and
the organization's leaders; published practices by everyone signed in."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.learning.visibility import visible_sessions
from tandem.practices.models import Practice


def visible_practices(scope: Scope) -> QuerySet[Practice]:
    if scope.person is None:
        return Practice.objects.none()
    if scope.is_org_wide(Capability.LEAD):
        return Practice.objects.all()
    return Practice.objects.filter(Q(status=Practice.Status.PUBLISHED) | Q(author=scope.person))


@login_required
def practice_list(request: HttpRequest) -> HttpResponse:
    practices = visible_practices(request.scope).select_related("author")  # type: ignore[attr-defined]
    page = Paginator(practices, 25).get_page(request.GET.get("page"))
    return render(request, "practices/practices.html", {"page": page})


@login_required
def practice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    practice = request.scope.get(visible_practices(request.scope).select_related("author"), pk)  # type: ignore[attr-defined]
    # Where it came from, as far as the reader may see: a session out of reach stays unnamed.
    sessions = visible_sessions(request.scope)  # type: ignore[attr-defined]
    takeaways = practice.takeaways.filter(session__in=sessions.values("pk")).select_related("session")
    return render(request, "practices/practice.html", {"practice": practice, "takeaways": takeaways})
