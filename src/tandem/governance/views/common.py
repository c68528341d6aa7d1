"""What the governance pages share: the reader, their reach, pages of lists and a group's state."""

import datetime
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from tandem.access.scope import Scope
from tandem.andon.feed.models import Post
from tandem.andon.feed.visibility import staff_people, visible_posts
from tandem.core.forms import apply_errors, submit
from tandem.governance.models import Link, WorkingGroup
from tandem.governance.visibility import takes_part
from tandem.orgs.models import Person

PAGE_SIZE = 30


def staff() -> QuerySet[Person]:
    """The organization's staff today: members, sponsors, holders and owners are chosen among them."""
    return staff_people()


def me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def scope_of(request: HttpRequest) -> Scope:
    """The reader's reach; anyone not on the organization's staff finds nothing here."""
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not takes_part(scope):
        raise Http404("No page here.")
    return scope


def one[M: Model](request: HttpRequest, queryset: QuerySet[M], pk: Any) -> M:
    return scope_of(request).get(queryset, pk)


def refuse(allowed: bool) -> None:
    """A change the reader may not make is not there at all for them."""
    if not allowed:
        raise Http404("No page here.")


def change_on_page(
    request: HttpRequest,
    form: forms.BaseForm,
    change: Callable[[dict[str, Any]], object],
    done: str,
    *,
    on: Any,
    page: Callable[..., HttpResponse],
    name: str,
) -> HttpResponse:
    """A change made from a form on an object's page: back to the page when made, otherwise the page
    again (`page(request, pk, {name: form})`) with the form's errors, as 422."""
    return submit(
        request, form, change, done, to=on.get_absolute_url(), again=lambda: page(request, on.pk, {name: form})
    )


def form_page(
    request: HttpRequest,
    form: forms.BaseForm,
    make: Callable[[dict[str, Any]], Model],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    """A page with one form that makes something (a group, a team) and then shows it."""
    if request.method == "POST" and form.is_valid():
        try:
            made = make(form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, done)
            return redirect(made)
    status = 422 if request.method == "POST" else 200
    return render(request, "governance/form.html", {"form": form, **context}, status=status)


def page_of(request: HttpRequest, found: QuerySet[Any]) -> Page:
    return Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))


def group_state(group: WorkingGroup, today: datetime.date) -> str:
    """Active, due for review (its time box has ended) or disbanded."""
    if group.status == WorkingGroup.Status.DISBANDED:
        return WorkingGroup.Status.DISBANDED
    return WorkingGroup.Status.REVIEW if group.ends_on < today else WorkingGroup.Status.ACTIVE


def _reachable(scope: Scope, target: Model) -> QuerySet[Any] | None:
    """The objects of the target's kind the reader may open (None: a kind nobody opens here)."""
    from tandem.andon.helpdesk.models import Ticket
    from tandem.andon.helpdesk.visibility import visible_tickets
    from tandem.inquiry.models import Cycle
    from tandem.inquiry.visibility import visible_cycles

    if isinstance(target, Post):
        return visible_posts(scope)
    if isinstance(target, Cycle):
        return visible_cycles(scope)
    if isinstance(target, Ticket) and scope.person is not None:
        return visible_tickets(scope.person)
    return None


def links(scope: Scope, owner: Model) -> list[dict[str, Any]]:
    """The ground-level input an object names: a flag, a ticket or a cycle the reader cannot open is
    named by its kind only, never by its title."""
    from django.contrib.contenttypes.models import ContentType

    rows: list[dict[str, Any]] = []
    found = Link.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
    for link in found.select_related("content_type").order_by("pk"):
        target = link.target
        kind = str(link.content_type.model_class()._meta.verbose_name) if link.content_type.model_class() else "item"
        if isinstance(target, Post):
            kind = target.get_kind_display().lower()
        reach = _reachable(scope, target) if target is not None else None
        if target is None:
            rows.append({"label": f"a {kind} since removed", "url": None})
        elif reach is None or not reach.filter(pk=target.pk).exists():
            rows.append({"label": f"a {kind} you cannot open", "url": None})
        else:
            url = target.get_absolute_url() if hasattr(target, "get_absolute_url") else None
            rows.append({"label": f"{kind[:1].upper()}{kind[1:]} “{target}”", "url": url})
    return rows
