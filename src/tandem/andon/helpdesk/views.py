"""The help desk's pages: the queue (and, for everyone else, their own requests), a ticket with its
conversation, the web form, the intake log and the metrics. Tickets are found through
`visible_tickets`, so one that is not the reader's answers "not found"."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access import audit
from tandem.access.models import AuditEntry
from tandem.andon.helpdesk import actions, metrics
from tandem.andon.helpdesk.forms import MergeForm, MessageForm, NoteForm, QueueFilter, ReplyForm, TicketForm, UpdateForm
from tandem.andon.helpdesk.models import Attachment, Message, RawMail, Ticket
from tandem.andon.helpdesk.visibility import answers, desk_people, is_requester, visible_messages, visible_tickets
from tandem.core.forms import apply_errors, submit
from tandem.orgs.models import Person

PAGE_SIZE = 50


def _me(request: HttpRequest) -> Person:
    return request.user  # type: ignore[return-value]


def _desk_only(request: HttpRequest) -> None:
    if not answers(_me(request)):
        raise Http404


def _queue(request: HttpRequest, form: QueueFilter) -> QuerySet[Ticket]:
    tickets = visible_tickets(_me(request)).select_related("category", "assignee", "requester")
    if not form.is_valid():
        return tickets.none()
    data = form.cleaned_data
    status = data["status"] if "status" in request.GET else "open"
    if status == "open":
        tickets = tickets.filter(status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING])
    elif status:
        tickets = tickets.filter(status=status)
    if data.get("category"):
        tickets = tickets.filter(category=data["category"])
    if data.get("assignee") == "me":
        tickets = tickets.filter(assignee=_me(request))
    elif data.get("assignee") == "none":
        tickets = tickets.filter(assignee=None)
    if data.get("overdue"):
        now = timezone.now()
        # Late means still open: a ticket resolved without a reply is no longer waiting on anyone.
        tickets = tickets.filter(
            Q(first_response_at=None, first_response_due__lt=now) | Q(resolved_at=None, resolution_due__lt=now),
            status__in=[Ticket.Status.NEW, Ticket.Status.OPEN, Ticket.Status.PENDING],
        )
    if data["q"]:
        q = data["q"].strip()
        number = q.upper().removeprefix("TD-")
        # Words of internal notes find tickets for the help desk only.
        readable = Message.Kind.values if answers(_me(request)) else [Message.Kind.INBOUND, Message.Kind.REPLY]
        match = (
            Q(subject__icontains=q)
            | Q(requester_email__icontains=q)
            | Q(messages__text__icontains=q, messages__kind__in=readable)
        )
        if number.isdecimal() and len(number) < 12:
            match |= Q(pk=int(number))
        tickets = tickets.filter(pk__in=visible_tickets(_me(request)).filter(match).values("pk"))
    return tickets.order_by("-created_at", "-pk")


@login_required
def tickets(request: HttpRequest) -> HttpResponse:
    form = QueueFilter(request.GET or {"status": "open"}, desk=answers(_me(request)))
    found = _queue(request, form)
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    now = timezone.now()
    return render(
        request,
        "helpdesk/tickets.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "desk": answers(_me(request)),
            "now": now,
            "failed": RawMail.objects.filter(status=RawMail.Status.FAILED).count() if answers(_me(request)) else 0,
        },
    )


@login_required
def ticket_new(request: HttpRequest) -> HttpResponse:
    desk = answers(_me(request))
    form = TicketForm(request.POST or None, desk=desk)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            ticket = actions.do_open_ticket(
                _me(request),
                data["subject"],
                data["text"],
                requester=data.get("requester"),
                category=data.get("category"),
            )
        except actions.ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"{ticket.reference} opened. The help desk answers here and by email.")
            return redirect(ticket)
    return render(request, "helpdesk/ticket_new.html", {"form": form, "desk": desk})


def _get(request: HttpRequest, pk: int) -> Ticket:
    return request.scope.get(  # type: ignore[attr-defined]
        visible_tickets(_me(request)).select_related("category", "assignee", "requester", "merged_into"), pk
    )


@login_required
def ticket_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    ticket = _get(request, pk)
    me = _me(request)
    desk = answers(me)
    forms = forms or {}
    conversation = visible_messages(me, ticket).select_related("author").prefetch_related("attachments")
    initial = {
        "status": ticket.status if ticket.status != Ticket.Status.NEW else Ticket.Status.OPEN,
        "priority": ticket.priority,
        "category": ticket.category,
        "assignee": ticket.assignee,
    }
    return render(
        request,
        "helpdesk/ticket.html",
        {
            "ticket": ticket,
            "conversation": conversation,
            "desk": desk,
            "mine": is_requester(me, ticket),
            "now": timezone.now(),
            "merged": ticket.merged.all(),
            "reply_form": forms.get("reply") or ReplyForm(prefix="reply"),
            "note_form": forms.get("note") or NoteForm(prefix="note"),
            "message_form": forms.get("message") or MessageForm(prefix="message"),
            "update_form": forms.get("update")
            or UpdateForm(initial=initial, prefix="update", desk_people=desk_people()),
            "merge_form": forms.get("merge") or MergeForm(prefix="merge"),
        },
    )


def _submit(request: HttpRequest, ticket: Ticket, name: str, form: Any, change: Any, done: str) -> HttpResponse:
    return submit(
        request,
        form,
        change,
        done,
        to=f"{ticket.get_absolute_url()}#{name}",
        again=lambda: ticket_detail(request, ticket.pk, {name: form}),
    )


@login_required
@require_POST
def ticket_reply(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _get(request, pk)
    _desk_only(request)
    return _submit(
        request,
        ticket,
        "reply",
        ReplyForm(request.POST, prefix="reply"),
        lambda d: actions.do_reply(_me(request), ticket, d["text"], d["status"]),
        f"Reply sent to {ticket.requester_email}.",
    )


@login_required
@require_POST
def ticket_note(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _get(request, pk)
    _desk_only(request)
    return _submit(
        request,
        ticket,
        "note",
        NoteForm(request.POST, prefix="note"),
        lambda d: actions.do_note(_me(request), ticket, d["text"]),
        "Note added (the requester does not see it).",
    )


@login_required
@require_POST
def ticket_message(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _get(request, pk)
    return _submit(
        request,
        ticket,
        "message",
        MessageForm(request.POST, prefix="message"),
        lambda d: actions.do_requester_message(_me(request), ticket, d["text"]),
        "Message added; the help desk sees it.",
    )


@login_required
@require_POST
def ticket_update(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _get(request, pk)
    _desk_only(request)
    form = UpdateForm(request.POST, prefix="update", desk_people=desk_people())
    return _submit(
        request,
        ticket,
        "update",
        form,
        lambda d: actions.do_update(
            _me(request),
            ticket,
            status=d["status"],
            priority=d["priority"],
            category=d["category"],
            assignee=d["assignee"],
        ),
        "Ticket updated.",
    )


@login_required
@require_POST
def ticket_merge(request: HttpRequest, pk: int) -> HttpResponse:
    ticket = _get(request, pk)
    _desk_only(request)

    def merge(data: dict[str, Any]) -> Ticket:
        into = Ticket.objects.filter(pk=data["into"]).first()
        if into is None:
            raise actions.ValidationError({"into": f"There is no ticket TD-{data['into']}."})
        return actions.do_merge(_me(request), ticket, into)

    return _submit(
        request, ticket, "merge", MergeForm(request.POST, prefix="merge"), merge, f"{ticket.reference} merged."
    )


@login_required
def attachment(request: HttpRequest, pk: int, attachment_id: int) -> FileResponse:
    ticket = _get(request, pk)
    found = Attachment.objects.filter(pk=attachment_id, message__in=visible_messages(_me(request), ticket)).first()
    if found is None:
        raise Http404
    audit.record(_me(request), "helpdesk.attachment.read", found, kind=AuditEntry.Kind.READ)
    # Always a download under its own name, never shown inline: nothing in it runs in Tandem's pages.
    return FileResponse(found.file.open("rb"), as_attachment=True, filename=found.filename)


@login_required
def received(request: HttpRequest) -> HttpResponse:
    _desk_only(request)
    status = request.GET.get("status", RawMail.Status.FAILED)
    kept = RawMail.objects.select_related("message__ticket")
    if status in RawMail.Status.values:
        kept = kept.filter(status=status)
    page = Paginator(kept, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "helpdesk/received.html",
        {"page": page, "status": status, "statuses": RawMail.Status.choices, "query": f"status={status}"},
    )


@login_required
def received_raw(request: HttpRequest, pk: int) -> FileResponse:
    _desk_only(request)
    kept = RawMail.objects.filter(pk=pk).first()
    if kept is None:
        raise Http404
    audit.record(_me(request), "helpdesk.raw.read", kept, kind=AuditEntry.Kind.READ)
    return FileResponse(kept.file.open("rb"), as_attachment=True, filename=f"received-{kept.pk}.eml")


@login_required
def metrics_page(request: HttpRequest) -> HttpResponse:
    _desk_only(request)
    days = request.GET.get("days", "90")
    days_n = int(days) if days.isdecimal() and len(days) < 5 and 1 <= int(days) <= 3660 else 90
    since = timezone.now() - datetime.timedelta(days=days_n)
    return render(
        request,
        "helpdesk/metrics.html",
        {"table": metrics.by_category(Ticket.objects.filter(created_at__gte=since)), "days": days_n},
    )
