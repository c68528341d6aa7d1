"""Planning pages: session types, program priorities, and the rhythms (template weeks with their
days off) that a school year's sessions are generated from. Staff read them; leaders change them."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.core import school_years
from tandem.core.forms import apply_errors
from tandem.learning import actions, schedule
from tandem.learning.forms import DayOffForm, HolidaysForm, PriorityForm, RhythmForm, SessionTypeForm, SlotForm
from tandem.learning.models import DayOff, Priority, Rhythm, Session, SessionType, Slot
from tandem.learning.visibility import is_staff, plans_all, plans_any, plans_rhythm


def _staff_only(request: HttpRequest) -> None:
    if not is_staff(request.scope):  # type: ignore[attr-defined]
        raise Http404


def _edit(request: HttpRequest, form: Any, save: Callable[[], Any], done: str, heading: str, back: str) -> HttpResponse:
    """A form page for one object: save through the action, or show the form with its errors."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save()
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, done)
            return redirect(saved.get_absolute_url() if hasattr(saved, "get_absolute_url") else back)
    return render(request, "learning/form.html", {"form": form, "heading": heading, "back": back})


# -- session types and priorities ---------------------------------------------------------------


@login_required
def type_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    types = SessionType.objects.annotate(
        held=Count("sessions", filter=Q(sessions__status=Session.Status.SCHEDULED))
    ).order_by("archived", "name")
    return render(request, "learning/types.html", {"types": types, "plans": plans_all(request.scope)})  # type: ignore[attr-defined]


@login_required
def type_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not plans_all(request.scope):  # type: ignore[attr-defined]
        raise Http404
    instance = get_object_or_404(SessionType, pk=pk) if pk else SessionType()
    form = SessionTypeForm(request.POST or None, instance=instance)
    return _edit(
        request,
        form,
        lambda: actions.do_save_session_type(request.user, form.instance),  # type: ignore[arg-type]
        f"Session type “{form.instance.name}” saved.",
        f"Edit {instance.name}" if pk else "New session type",
        reverse("learning:types"),
    )


@login_required
def priority_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    priorities = Priority.objects.annotate(month_count=Count("months", distinct=True)).order_by("archived", "name")
    return render(
        request,
        "learning/priorities.html",
        {"priorities": priorities, "plans": plans_all(request.scope)},  # type: ignore[attr-defined]
    )


@login_required
def priority_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    if not plans_all(request.scope):  # type: ignore[attr-defined]
        raise Http404
    instance = get_object_or_404(Priority, pk=pk) if pk else Priority()
    form = PriorityForm(request.POST or None, instance=instance)
    return _edit(
        request,
        form,
        lambda: actions.do_save_priority(request.user, form.instance),  # type: ignore[arg-type]
        f"Priority “{form.instance.name}” saved.",
        f"Edit {instance.name}" if pk else "New priority",
        reverse("learning:priorities"),
    )


# -- rhythms ----------------------------------------------------------------------------------------


@login_required
def rhythm_list(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    rhythms = Rhythm.objects.select_related("region").annotate(slot_count=Count("slots", distinct=True))
    return render(
        request,
        "learning/rhythms.html",
        {"rhythms": rhythms, "plans": plans_any(request.scope), "year": school_years.current()},  # type: ignore[attr-defined]
    )


def _rhythm(request: HttpRequest, pk: int, plan: bool = False) -> Rhythm:
    _staff_only(request)
    rhythm = get_object_or_404(Rhythm.objects.select_related("region"), pk=pk)
    if plan and not plans_rhythm(request.scope, rhythm):  # type: ignore[attr-defined]
        raise Http404
    return rhythm


@login_required
def rhythm_detail(request: HttpRequest, pk: int) -> HttpResponse:
    rhythm = _rhythm(request, pk)
    days_off = DayOff.objects.filter(Q(rhythm=rhythm) | Q(rhythm=None), school_year=rhythm.school_year)
    sessions = Session.objects.filter(slot__rhythm=rhythm)
    preview = schedule.occurrences(rhythm)
    return render(
        request,
        "learning/rhythm.html",
        {
            "rhythm": rhythm,
            "slots": rhythm.slots.select_related("session_type").prefetch_related("teams", "facilitators"),
            "days_off": days_off.select_related("rhythm", "session_type"),
            "plans": plans_rhythm(request.scope, rhythm),  # type: ignore[attr-defined]
            "generated": sessions.count(),
            "upcoming": sessions.filter(starts_at__gte=timezone.now(), status=Session.Status.SCHEDULED).count(),
            "preview_count": len(preview),
            "weekly_minutes": sum(s.minutes / s.every_weeks for s in rhythm.slots.all()),
            "holidays_form": HolidaysForm(),
        },
    )


@login_required
def rhythm_form(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    scope = request.scope  # type: ignore[attr-defined]
    if pk:
        instance = _rhythm(request, pk, plan=True)
    else:
        if not plans_any(scope):
            raise Http404
        year = school_years.current()
        first, last = school_years.span(year)
        instance = Rhythm(school_year=year, starts_on=first.replace(month=8, day=17), ends_on=last.replace(day=11))
    form = RhythmForm(request.POST or None, instance=instance, scope=scope)
    return _edit(
        request,
        form,
        lambda: actions.do_save_rhythm(request.user, form.instance),  # type: ignore[arg-type]
        f"Rhythm “{form.instance.name}” saved. Add its weekly slots, then generate the sessions.",
        f"Edit {instance.name}" if pk else "New rhythm",
        reverse("learning:rhythms"),
    )


@login_required
def slot_form(request: HttpRequest, pk: int, slot_id: int | None = None) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    instance = get_object_or_404(Slot, pk=slot_id, rhythm=rhythm) if slot_id else Slot(rhythm=rhythm)
    form = SlotForm(request.POST or None, instance=instance, scope=request.scope)  # type: ignore[attr-defined]

    def save() -> Rhythm:
        actions.do_save_slot(
            request.user,  # type: ignore[arg-type]
            form.instance,
            teams=list(form.cleaned_data["teams"]),
            facilitators=list(form.cleaned_data["facilitators"]),
        )
        return rhythm

    return _edit(
        request,
        form,
        save,
        "Slot saved. Generate the sessions to bring the calendar in line.",
        f"{'Edit' if slot_id else 'New'} slot of {rhythm.name}",
        rhythm.get_absolute_url(),
    )


@login_required
@require_POST
def slot_delete(request: HttpRequest, pk: int, slot_id: int) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    slot = get_object_or_404(Slot, pk=slot_id, rhythm=rhythm)
    cancelled = actions.do_delete_slot(request.user, slot)  # type: ignore[arg-type]
    messages.success(request, f"Slot removed; {cancelled} of its future sessions cancelled.")
    return redirect(rhythm)


@login_required
def day_off_form(request: HttpRequest, pk: int) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    instance = DayOff(school_year=rhythm.school_year, time_zone=rhythm.time_zone)
    # Leaders of the whole organization add days off for every rhythm; others for this one.
    every = plans_all(request.scope) and request.POST.get("every", request.GET.get("every")) == "1"  # type: ignore[attr-defined]
    instance.rhythm = None if every else rhythm
    form = DayOffForm(request.POST or None, instance=instance, initial={"time_zone": rhythm.time_zone})
    return _edit(
        request,
        form,
        lambda: (actions.do_save_day_off(request.user, form.instance), rhythm)[1],  # type: ignore[arg-type]
        "Added. Generate the sessions to bring the calendar in line.",
        f"Day off or convening for {'every rhythm' if every else rhythm.name}",
        rhythm.get_absolute_url(),
    )


@login_required
@require_POST
def day_off_delete(request: HttpRequest, pk: int, day_off_id: int) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    day_off = get_object_or_404(DayOff, Q(rhythm=rhythm) | Q(rhythm=None), pk=day_off_id)
    try:
        actions.do_delete_day_off(request.user, day_off)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"“{day_off.name}” removed. Generate the sessions to restore that day's sessions.")
    return redirect(rhythm)


@login_required
@require_POST
def holidays_add(request: HttpRequest, pk: int) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    form = HolidaysForm(request.POST)
    if form.is_valid():
        try:
            added = actions.do_add_public_holidays(
                request.user,  # type: ignore[arg-type]
                rhythm.school_year,
                rhythm,
                form.cleaned_data["country"].upper(),
                form.cleaned_data["subdivision"].upper() or None,
            )
        except ValidationError as e:
            messages.error(request, " ".join(e.messages))
        else:
            messages.success(request, f"{len(added)} public holidays added." if added else "No holidays to add.")
    else:
        messages.error(request, "Give a two-letter country code, like US.")
    return redirect(rhythm)


@login_required
@require_POST
def generate(request: HttpRequest, pk: int) -> HttpResponse:
    rhythm = _rhythm(request, pk, plan=True)
    try:
        outcome = actions.do_generate(request.user, rhythm)  # type: ignore[arg-type]
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, actions.outcome_message(outcome))
    return redirect(rhythm)
