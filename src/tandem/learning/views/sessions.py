"""A session's page — agenda, materials, attendance, notes and takeaways — and the changes made
from it. Sessions are looked up through `visible_sessions`, so one out of reach is not found."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access import audit
from tandem.access.models import AuditEntry
from tandem.core.forms import apply_errors, submit
from tandem.learning import actions
from tandem.learning.forms import (
    ATTENDANCE_MARKS,
    CancelForm,
    MaterialForm,
    RecordForm,
    SessionForm,
    TakeawayActionForm,
    TakeawayForm,
    TakeawayPracticeForm,
)
from tandem.learning.invitations import invitees
from tandem.learning.models import Attendance, Session, Takeaway
from tandem.learning.visibility import is_staff, keeps_record, plans_all, plans_session, visible_sessions
from tandem.orgs.models import Person
from tandem.practices.visibility import reads_library


def _get(request: HttpRequest, pk: int) -> Session:
    return request.scope.get(visible_sessions(request.scope).select_related("session_type", "priority"), pk)  # type: ignore[attr-defined]


# The page section each form belongs to (the takeaway forms are in the takeaways' section).
SECTIONS = {"action": "takeaway", "practice": "takeaway"}


def _kept(request: HttpRequest, pk: int) -> Session:
    """A session whose record (notes, materials, attendance) the person keeps; others get 404."""
    session = _get(request, pk)
    if not keeps_record(request.scope, session):  # type: ignore[attr-defined]
        raise Http404
    return session


def _roster(session: Session) -> list[dict[str, Any]]:
    marks = {a.person_id: a.status for a in session.attendance.all()}
    people = {p.pk: p for p in invitees(session)}
    people.update({a.person_id: a.person for a in session.attendance.select_related("person")})
    return [
        {"person": p, "mark": marks.get(p.pk, "")} for p in sorted(people.values(), key=lambda p: p.full_name.lower())
    ]


@login_required
def session_detail(request: HttpRequest, pk: int, forms: dict[str, Any] | None = None) -> HttpResponse:
    session = _get(request, pk)
    scope = request.scope  # type: ignore[attr-defined]
    keeps = keeps_record(scope, session)
    forms = forms or {}
    takeaways = list(session.takeaways.select_related("author", "action__cycle", "practice"))
    cycles = TakeawayActionForm(scope=scope).fields["cycle"].queryset  # type: ignore[attr-defined]
    me = request.user.pk  # type: ignore[union-attr]
    planner = plans_session(scope, session)
    for t in takeaways:
        # Only its author (or the session's planners) takes a takeaway further.
        t.mine = t.author_id == me or planner  # type: ignore[attr-defined]
        # Each takeaway's forms carry its own prefix, so the page's field ids stay unique.
        t.action_form = forms.get(f"action-{t.pk}") or TakeawayActionForm(scope=scope, prefix=f"a{t.pk}", cycles=cycles)  # type: ignore[attr-defined]
        t.practice_form = forms.get(f"practice-{t.pk}") or TakeawayPracticeForm(prefix=f"p{t.pk}")  # type: ignore[attr-defined]
        # A refusal shows beside the takeaway even when its form is no longer offered.
        t.refused = [
            f for f in (t.action_form, t.practice_form) if f.is_bound and f.errors and (t.action or t.practice)
        ]  # type: ignore[attr-defined]
    context = {
        "session": session,
        "facilitators": session.facilitators.all(),
        "teams": session.teams.all(),
        "guests": session.guests.all(),
        "cohorts": session.cohorts.all(),
        "materials": session.materials.all(),
        "takeaways": takeaways,
        "plans": plans_session(scope, session),
        "keeps": keeps,
        "staff": is_staff(scope),
        "drafts_practices": reads_library(scope),
        "begun": session.starts_at <= timezone.now() + actions.ATTENDANCE_OPENS,
        "roster": _roster(session) if keeps else None,
        "marks": ATTENDANCE_MARKS,
        "present": session.attendance.filter(status=Attendance.Status.PRESENT).count(),
        "record_form": forms.get("record") or RecordForm(initial={"agenda": session.agenda, "notes": session.notes}),
        "material_form": forms.get("material") or MaterialForm(),
        "takeaway_form": forms.get("takeaway") or TakeawayForm(),
        "cancel_form": forms.get("cancel") or CancelForm(),
        "local_start": session.local_start(),
        "local_end": session.local_end(),
    }
    return render(request, "learning/session.html", context)


def _submit(
    request: HttpRequest, session: Session, name: str, form: Any, change: Callable[[dict[str, Any]], object], done: str
) -> HttpResponse:
    """A change from one of the session page's forms; back to its section when it is made."""
    return submit(
        request,
        form,
        change,
        done,
        to=f"{session.get_absolute_url()}#{SECTIONS.get(name.split('-')[0], name)}",
        again=lambda: session_detail(request, session.pk, {name: form}),
    )


@login_required
def session_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    if pk is None:
        if not plans_all(scope):
            raise Http404
        session = Session()
    else:
        session = _get(request, pk)
        if not plans_session(scope, session):
            raise Http404
    form = SessionForm(request.POST or None, instance=session, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = actions.do_save_session(
                request.user,  # type: ignore[arg-type]
                form.apply(),
                teams=list(data["teams"]),
                facilitators=list(data["facilitators"]),
                guests=list(data["guests"]),
            )
        except ValidationError as e:
            apply_errors(form, e, [(("starts_at", "ends_at"), "end")])
        else:
            messages.success(request, f"“{saved.title}” {'saved' if pk else 'scheduled'}.")
            return redirect(saved)
    return render(request, "learning/session_form.html", {"form": form, "session": session if pk else None})


@login_required
@require_POST
def session_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get(request, pk)
    if not plans_session(request.scope, session):  # type: ignore[attr-defined]
        raise Http404
    restore = request.POST.get("restore") == "1"
    if restore:
        try:
            actions.do_cancel_session(request.user, session, "", restore=True)  # type: ignore[arg-type]
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, "The session is back on; invitees' calendars show it again.")
        return redirect(session)
    form = CancelForm(request.POST)
    return _submit(
        request,
        session,
        "cancel",
        form,
        lambda d: actions.do_cancel_session(request.user, session, d["reason"]),  # type: ignore[arg-type]
        "Session cancelled. Undo with “Hold it after all”.",
    )


@login_required
@require_POST
def session_record(request: HttpRequest, pk: int) -> HttpResponse:
    session = _kept(request, pk)
    return _submit(
        request,
        session,
        "record",
        RecordForm(request.POST),
        lambda d: actions.do_save_record(request.user, session, d["notes"], d["agenda"]),  # type: ignore[arg-type]
        "Agenda and notes saved.",
    )


@login_required
@require_POST
def session_attendance(request: HttpRequest, pk: int) -> HttpResponse:
    session = _kept(request, pk)
    # Only well-formed person ids (a huge number is no one); the action decides who may be marked.
    wanted = [k[5:] for k in request.POST if k.startswith("mark-") and k[5:].isdigit() and len(k) <= 23]
    people = {str(p.pk): p for p in Person.objects.filter(pk__in=wanted)}
    marks = {people[k[5:]]: v for k, v in request.POST.items() if k.startswith("mark-") and k[5:] in people}
    try:
        changed = actions.do_record_attendance(request.user, session, marks)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"Attendance saved ({changed} changed).")
    return redirect(f"{session.get_absolute_url()}#attendance")


@login_required
@require_POST
def material_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _kept(request, pk)
    form = MaterialForm(request.POST, request.FILES)
    return _submit(
        request,
        session,
        "material",
        form,
        lambda d: actions.do_add_material(request.user, session, d["title"], d["url"] or "", d["file"]),  # type: ignore[arg-type]
        "Material added.",
    )


@login_required
def material_file(request: HttpRequest, pk: int, material_id: int) -> FileResponse:
    session = _get(request, pk)
    material = session.materials.filter(pk=material_id).exclude(file="").first()
    if material is None:
        raise Http404
    audit.record(request.user, "learning.material.read", material, kind=AuditEntry.Kind.READ)  # type: ignore[arg-type]
    return FileResponse(material.file.open("rb"), as_attachment=True, filename=material.file.name.rsplit("/", 1)[-1])


@login_required
@require_POST
def takeaway_add(request: HttpRequest, pk: int) -> HttpResponse:
    session = _get(request, pk)
    return _submit(
        request,
        session,
        "takeaway",
        TakeawayForm(request.POST),
        lambda d: actions.do_add_takeaway(request.user, session, d["text"]),  # type: ignore[arg-type]
        "Takeaway added.",
    )


def _takeaway(session: Session, takeaway_id: int) -> Takeaway:
    found = session.takeaways.filter(pk=takeaway_id).first()
    if found is None:
        raise Http404
    return found


@login_required
@require_POST
def takeaway_action(request: HttpRequest, pk: int, takeaway_id: int) -> HttpResponse:
    session = _get(request, pk)
    takeaway = _takeaway(session, takeaway_id)
    form = TakeawayActionForm(request.POST, scope=request.scope, prefix=f"a{takeaway.pk}")  # type: ignore[attr-defined]
    return _submit(
        request,
        session,
        f"action-{takeaway.pk}",
        form,
        lambda d: actions.do_takeaway_to_action(request.user, takeaway, d["cycle"], d["due_on"]),  # type: ignore[arg-type]
        "The takeaway is now an action in the cycle.",
    )


@login_required
@require_POST
def takeaway_practice(request: HttpRequest, pk: int, takeaway_id: int) -> HttpResponse:
    session = _get(request, pk)
    takeaway = _takeaway(session, takeaway_id)
    return _submit(
        request,
        session,
        f"practice-{takeaway.pk}",
        TakeawayPracticeForm(request.POST, prefix=f"p{takeaway.pk}"),
        lambda d: actions.do_takeaway_to_practice(request.user, takeaway, d["title"]),  # type: ignore[arg-type]
        "The takeaway is now a practice draft; finish it in the practice library.",
    )
