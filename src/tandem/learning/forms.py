"""Forms of the learning pages. They check what a person typed; the actions layer decides whether
the person may make the change."""

import datetime
import re
from functools import cache
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from tandem.access.scope import Scope
from tandem.core import school_years
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.learning import calendar
from tandem.learning.invitations import staff
from tandem.learning.models import (
    Agenda,
    Attendance,
    DayOff,
    Priority,
    Proposal,
    Rhythm,
    Session,
    SessionType,
    Slot,
    known_zones,
    structure_errors,
)
from tandem.orgs.models import Person, Region, Team

DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


@cache
def zone_choices() -> list[tuple[str, str]]:
    return [(z, z.replace("_", " ")) for z in sorted(known_zones())]


def year_choices() -> list[tuple[int, str]]:
    now = school_years.current()
    return [(y, school_years.label(y)) for y in range(now - 1, now + 2)]


def month_choices(school_year: int) -> list[tuple[str, str]]:
    return [("", "The whole year")] + [(m.isoformat(), f"{m:%B %Y}") for m in calendar.school_months(school_year)]


class StructureField(forms.CharField):
    """The agenda template typed one item a line, minutes first: "10 Check-in"."""

    widget = forms.Textarea(attrs={"rows": 6})
    LINE = re.compile(r"^\s*(\d+)\s*(?:min(?:utes)?\.?)?\s+(\S.*)$")

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list):
            return "\n".join(f"{row['minutes']} {row['item']}" for row in value if isinstance(row, dict))
        return value

    def to_python(self, value: Any) -> list[dict[str, Any]]:
        rows = []
        for n, line in enumerate(str(value or "").splitlines(), start=1):
            if not line.strip():
                continue
            match = self.LINE.match(line)
            if match is None:
                raise ValidationError(f"Line {n} (“{line.strip()}”) should start with its minutes, like “10 Check-in”.")
            rows.append({"item": match[2].strip(), "minutes": int(match[1])})
        errors = structure_errors(rows)
        if errors:
            raise ValidationError(errors)
        return rows


class SessionTypeForm(forms.ModelForm):
    structure = StructureField(
        required=False, label="Agenda template", help_text="One item a line, minutes first: “10 Check-in”."
    )

    class Meta:
        model = SessionType
        fields = ["name", "purpose", "audience", "typical_minutes", "cadence", "structure", "archived"]
        widgets = {"purpose": forms.Textarea(attrs={"rows": 3})}


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["name", "description", "archived"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


def _staff_choices(scope: Scope) -> QuerySet[Person]:
    return scope.people().filter(pk__in=staff().values("pk")).order_by("full_name")


class RhythmForm(forms.ModelForm):
    school_year = forms.TypedChoiceField(coerce=int, choices=year_choices)
    time_zone = forms.ChoiceField(choices=zone_choices)

    class Meta:
        model = Rhythm
        fields = ["name", "school_year", "region", "time_zone", "starts_on", "ends_on"]
        widgets = {"starts_on": DATE, "ends_on": DATE}
        help_texts = {"region": "Empty for the whole organization's sessions."}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope.regions()  # type: ignore[attr-defined]


class SlotForm(forms.ModelForm):
    class Meta:
        model = Slot
        fields = [
            "session_type",
            "title",
            "weekday",
            "starts_at",
            "minutes",
            "every_weeks",
            "week_offset",
            "location",
            "teams",
            "facilitators",
        ]
        widgets = {
            "starts_at": TIME,
            "teams": forms.CheckboxSelectMultiple,
            "facilitators": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"week_offset": "For a slot every other or every fourth week: 0 starts in the first week."}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        types = SessionType.objects.filter(archived=False)
        if self.instance.pk:
            types = SessionType.objects.filter(pk=self.instance.session_type_id) | types
        self.fields["session_type"].queryset = types  # type: ignore[attr-defined]
        self.fields["teams"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = _staff_choices(scope)  # type: ignore[attr-defined]


class DayOffForm(forms.ModelForm):
    time_zone = forms.ChoiceField(choices=zone_choices, help_text="Where a convening is held.")

    class Meta:
        model = DayOff
        fields = [
            "name",
            "kind",
            "first_day",
            "last_day",
            "session_type",
            "starts_at",
            "minutes",
            "time_zone",
            "location",
        ]
        widgets = {"first_day": DATE, "last_day": DATE, "starts_at": TIME}
        help_texts = {"session_type": "A convening's own session: its type, start time and length."}


class HolidaysForm(forms.Form):
    country = forms.CharField(max_length=2, initial="US", help_text="Two-letter country code.")
    subdivision = forms.CharField(max_length=10, required=False, help_text="A state, like CA, for its own holidays.")


class SessionForm(forms.ModelForm):
    priority = forms.ModelChoiceField(
        queryset=Priority.objects.none(),
        required=False,
        help_text="Empty to follow the learning agenda's priority for the month.",
    )
    day = forms.DateField(widget=DATE, label="Date")
    start = forms.TimeField(widget=TIME, label="Starts")
    end = forms.TimeField(widget=TIME, label="Ends")
    time_zone = forms.ChoiceField(choices=zone_choices)

    class Meta:
        model = Session
        fields = ["title", "session_type", "location", "teams", "facilitators", "guests"]
        widgets = {
            "teams": forms.CheckboxSelectMultiple,
            "facilitators": forms.SelectMultiple(attrs={"size": 6}),
            "guests": forms.SelectMultiple(attrs={"size": 6}),
        }
        help_texts = {"guests": "People invited beyond the teams: school leaders for a convening, say."}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session: Session = self.instance
        types = SessionType.objects.filter(archived=False)
        if session.pk:
            types = SessionType.objects.filter(pk=session.session_type_id) | types
            start, end = session.local_start(), session.local_end()
            self.initial.update(day=start.date(), start=start.time(), end=end.time(), time_zone=session.time_zone)
            self.initial["priority"] = None if session.priority_from_agenda else session.priority
        self.fields["session_type"].queryset = types  # type: ignore[attr-defined]
        priorities = Priority.objects.filter(archived=False)
        if session.priority_id and not session.priority_from_agenda:
            priorities = Priority.objects.filter(pk=session.priority_id) | priorities
        self.fields["priority"].queryset = priorities  # type: ignore[attr-defined]
        self.fields["teams"].queryset = Team.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["facilitators"].queryset = _staff_choices(scope)  # type: ignore[attr-defined]
        self.fields["guests"].queryset = scope.people().order_by("full_name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        day, start, end, zone = (data.get(k) for k in ("day", "start", "end", "time_zone"))
        if day and not school_years.EARLIEST <= day <= school_years.LATEST:
            self.add_error("day", f"Give a date from {school_years.EARLIEST.year} to {school_years.LATEST.year}.")
        elif day and start and end and zone:
            starts = calendar.instant(day, start, zone)
            ends = calendar.instant(day, end, zone)
            if ends <= starts:
                self.add_error("end", "The session ends before it starts; a session ends on the day it begins.")
            data["starts_at"], data["ends_at"] = starts, ends
        return data

    def apply(self) -> Session:
        """The session with the form's values (not saved: the action saves it)."""
        session: Session = self.instance
        data = self.cleaned_data
        for field in ("title", "session_type", "location", "starts_at", "ends_at", "time_zone"):
            setattr(session, field, data[field])
        # A priority chosen here stays; none follows the agenda.
        session.priority = data["priority"]
        session.priority_from_agenda = data["priority"] is None
        return session


class CancelForm(forms.Form):
    reason = forms.CharField(max_length=200, help_text="Invitees see it in their calendars.")


class RecordForm(forms.Form):
    agenda = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), required=False)
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), required=False)


class MaterialForm(forms.Form):
    title = forms.CharField(max_length=200, required=False)
    url = forms.URLField(required=False, label="Link", assume_scheme="https")
    file = forms.FileField(required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise ValidationError("Give a link or choose a file.")
        return data


class TakeawayForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Takeaway", max_length=2000)


class TakeawayActionForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), help_text="An active cycle you work on.")
    due_on = forms.DateField(widget=DATE, required=False)

    def __init__(self, *args: Any, scope: Scope, cycles: QuerySet[Cycle] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if cycles is None:
            cycles = visible_cycles(scope).filter(status=Cycle.Status.ACTIVE).order_by("title")
        self.fields["cycle"].queryset = cycles  # type: ignore[attr-defined]


class TakeawayPracticeForm(forms.Form):
    title = forms.CharField(max_length=200, help_text="The practice's name in the library.")


class AgendaMonthForm(forms.Form):
    priority = forms.ModelChoiceField(queryset=Priority.objects.filter(archived=False), required=False)
    focus = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ProposalForm(forms.Form):
    title = forms.CharField(max_length=200)
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), required=False, label="Why and how")
    month = forms.TypedChoiceField(required=False, choices=(), coerce=datetime.date.fromisoformat, empty_value=None)
    priority = forms.ModelChoiceField(queryset=Priority.objects.filter(archived=False), required=False)

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(agenda.school_year)  # type: ignore[attr-defined]


class ResponseForm(forms.Form):
    status = forms.ChoiceField(choices=Proposal.Status.choices)
    response = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment", max_length=4000)
    month = forms.TypedChoiceField(required=False, choices=(), coerce=datetime.date.fromisoformat, empty_value=None)

    def __init__(self, *args: Any, agenda: Agenda, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["month"].choices = month_choices(agenda.school_year)  # type: ignore[attr-defined]


class CalendarFilter(forms.Form):
    month = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "month"}))
    session_type = forms.ModelChoiceField(queryset=SessionType.objects.all(), required=False, label="Type")
    priority = forms.ModelChoiceField(queryset=Priority.objects.all(), required=False)
    team = forms.ModelChoiceField(queryset=Team.objects.order_by("name"), required=False)
    region = forms.ModelChoiceField(queryset=Region.objects.all(), required=False, label="Rhythm's region")
    mine = forms.BooleanField(required=False, label="Only sessions I am invited to")
    zone = forms.ChoiceField(choices=zone_choices, required=False, label="Show times in")

    def __init__(self, *args: Any, sessions: QuerySet[Session] | None = None, **kwargs: Any) -> None:
        """`sessions`: for people who see only some sessions, the choices are those sessions' own."""
        super().__init__(*args, **kwargs)
        if sessions is not None:
            ids = sessions.values("pk")
            narrow = {
                "session_type": SessionType.objects.filter(sessions__in=ids),
                "priority": Priority.objects.filter(sessions__in=ids),
                "team": Team.objects.filter(learning_sessions__in=ids).order_by("name"),
            }
            for name, queryset in narrow.items():
                self.fields[name].queryset = queryset.distinct()  # type: ignore[attr-defined]
            del self.fields["region"]

    def clean_month(self) -> datetime.date | None:
        """The month's first day; None for the viewer's current month."""
        value = self.cleaned_data.get("month") or ""
        if not value:
            return None
        try:
            month = datetime.date.fromisoformat(f"{value}-01")
        except ValueError:
            raise ValidationError(f"“{value}” is not a month; use the form 2026-10.") from None
        if not school_years.EARLIEST <= month <= school_years.LATEST:
            raise ValidationError(f"Choose a month from {school_years.EARLIEST.year} to {school_years.LATEST.year}.")
        return month


ATTENDANCE_MARKS = [("", "Not marked"), *Attendance.Status.choices]
