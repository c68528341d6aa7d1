"""Forms of the governance pages. They read what was typed and offer the choices in reach; the
actions decide who may make each change and check every value again."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from tandem.access.roles import Role
from tandem.access.scope import Scope
from tandem.andon.feed.models import Post
from tandem.andon.feed.visibility import visible_posts
from tandem.core.forms import IdsField
from tandem.governance.models import Election, GroupGoal, Nomination, PlanningTeam, Review, Seat, Support, WorkingGroup
from tandem.orgs.models import Person

DATE = forms.DateInput(attrs={"type": "date"})
TEXT = {"rows": 4}
# How many follow-ups one decision form offers.
FOLLOW_UPS = 3


def lines(text: str) -> list[str]:
    """What was typed one per line, without the blank lines."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def _flags(scope: Scope) -> QuerySet[Post]:
    """The feed's flags the person can open: ground-level input to name."""
    return visible_posts(scope).filter(kind=Post.Kind.FLAG).order_by("-created_at", "-pk")


def _set(form: forms.BaseForm, name: str, queryset: QuerySet[Any]) -> None:
    form.fields[name].queryset = queryset  # type: ignore[attr-defined]


class GroupForm(forms.Form):
    name = forms.CharField(max_length=200)
    misalignment = forms.CharField(
        widget=forms.Textarea(attrs=TEXT), max_length=20_000, help_text="Where strategy and practice have come apart."
    )
    purpose = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=20_000)
    sponsor = forms.ModelChoiceField(
        queryset=Person.objects.none(), help_text="The leader who asks questions, furnishes resources and steps in."
    )
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE, label="Review on", help_text="The time box: when the group reviews.")
    goals = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=20_000, help_text="One goal a line.")
    members = IdsField(
        queryset=Person.objects.none(), help_text="From several teams and regions; the sponsor changes them later."
    )
    flags = IdsField(
        queryset=Post.objects.none(),
        required=False,
        label="Flags from the feed",
        help_text="The ground-level input the group starts from.",
    )

    def __init__(self, *args: Any, scope: Scope, staff: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "sponsor", staff)
        _set(self, "members", staff)
        _set(self, "flags", _flags(scope))

    def fields_of_group(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("name", "misalignment", "purpose", "sponsor", "starts_on", "ends_on")}


class MembershipForm(forms.Form):
    change = forms.ChoiceField(choices=[("join", "Joins"), ("leave", "Leaves")], widget=forms.RadioSelect)
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    because = forms.CharField(max_length=300, label="Why")
    on = forms.DateField(widget=DATE, required=False, help_text="Empty for today.")

    def __init__(self, *args: Any, staff: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "person", staff)


class SupportForm(forms.Form):
    kind = forms.ChoiceField(choices=Support.Kind.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), max_length=20_000, label="What happened")
    happened_on = forms.DateField(widget=DATE, required=False, help_text="Empty for today.")


class ReviewForm(forms.Form):
    """One assessment (and a note) for each goal of the group's current round, then the outcome."""

    outcome = forms.ChoiceField(choices=Review.Outcome.choices, widget=forms.RadioSelect)
    learned = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        max_length=20_000,
        required=False,
        label="What the group learned",
        help_text="When disbanding.",
    )
    new_goals = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        max_length=20_000,
        required=False,
        help_text="When renewing: one goal a line.",
    )
    new_ends_on = forms.DateField(
        widget=DATE, required=False, label="Next review on", help_text="When renewing: the new time box."
    )

    def __init__(self, *args: Any, group: WorkingGroup, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.goals = list(group.goals.filter(round=group.round))
        choices = [("", "Choose…"), *((v, label) for v, label in GroupGoal.Assessment.choices if v != "open")]
        assessed: dict[str, forms.Field] = {}
        for goal in self.goals:
            assessed[f"goal_{goal.pk}"] = forms.ChoiceField(choices=choices, label=f"Goal: {goal.text}")
            assessed[f"goal_{goal.pk}_note"] = forms.CharField(
                widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False, label="Note"
            )
        # The goals first, then the outcome.
        self.fields = {**assessed, **self.fields}

    def assessments(self) -> dict[int, tuple[str, str]]:
        data = self.cleaned_data
        return {g.pk: (data[f"goal_{g.pk}"], data[f"goal_{g.pk}_note"]) for g in self.goals}


class TeamForm(forms.Form):
    name = forms.CharField(max_length=200)
    purpose = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=20_000, required=False)


class SeatForm(forms.Form):
    name = forms.CharField(max_length=120)
    kind = forms.ChoiceField(choices=Seat.Kind.choices, widget=forms.RadioSelect)
    eligible_roles = forms.MultipleChoiceField(
        choices=Role.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Eligible roles",
        help_text="For an elected seat: who may stand and vote.",
    )
    site_staff_only = forms.BooleanField(required=False, label="Only people placed at a school site")
    term_months = forms.IntegerField(min_value=1, max_value=120, initial=24, label="Term length (months)")
    first_term_starts = forms.DateField(widget=DATE)
    max_consecutive_terms = forms.IntegerField(
        min_value=1, max_value=20, initial=1, label="Terms in a row one person may hold"
    )


class AppointForm(forms.Form):
    seat = forms.ModelChoiceField(queryset=Seat.objects.none())
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    term_starts = forms.DateField(widget=DATE, help_text="The first day of one of the seat's terms.")

    def __init__(self, *args: Any, team: PlanningTeam, staff: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "seat", team.seats.filter(kind=Seat.Kind.APPOINTED, archived=False))
        _set(self, "person", staff)


class ElectionForm(forms.Form):
    seats = IdsField(queryset=Seat.objects.none(), widget=forms.CheckboxSelectMultiple)
    term_starts = forms.DateField(widget=DATE, help_text="The first day of the terms to elect for.")

    def __init__(self, *args: Any, team: PlanningTeam, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "seats", team.seats.filter(kind=Seat.Kind.ELECTED, archived=False))


class DecisionForm(forms.Form):
    title = forms.CharField(max_length=200)
    decided_on = forms.DateField(widget=DATE)
    decision = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=20_000)
    rationale = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=20_000)
    input_considered = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20_000,
        required=False,
        help_text="The ground-level input weighed, in words.",
    )
    flags = IdsField(queryset=Post.objects.none(), required=False, label="Flags weighed")

    def __init__(self, *args: Any, scope: Scope, staff: QuerySet[Person], **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"decided_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        _set(self, "flags", _flags(scope))
        for n in range(1, FOLLOW_UPS + 1):
            self.fields[f"follow_up_{n}"] = forms.CharField(max_length=300, required=False, label=f"Follow-up {n}")
            self.fields[f"follow_up_{n}_owner"] = forms.ModelChoiceField(
                queryset=staff, required=False, label=f"Follow-up {n}: owner"
            )
            self.fields[f"follow_up_{n}_due"] = forms.DateField(
                widget=DATE, required=False, label=f"Follow-up {n}: due on"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for n in range(1, FOLLOW_UPS + 1):
            given = data.get(f"follow_up_{n}_owner") or data.get(f"follow_up_{n}_due")
            if given and not data.get(f"follow_up_{n}"):
                self.add_error(f"follow_up_{n}", "Say what is to be done, or leave its owner and date empty.")
        return data

    def fields_of_decision(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {k: data[k] for k in ("title", "decided_on", "decision", "rationale", "input_considered")}

    def follow_ups(self) -> list[tuple[str, Person | None, datetime.date | None]]:
        data = self.cleaned_data
        return [
            (data[f"follow_up_{n}"], data[f"follow_up_{n}_owner"], data[f"follow_up_{n}_due"])
            for n in range(1, FOLLOW_UPS + 1)
            if data[f"follow_up_{n}"]
        ]


class DecisionFilter(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    team = forms.ModelChoiceField(queryset=PlanningTeam.objects.none(), required=False, label="Planning team")
    group = forms.ModelChoiceField(queryset=WorkingGroup.objects.none(), required=False, label="Working group")

    def __init__(self, *args: Any, teams: QuerySet[PlanningTeam], groups: QuerySet[WorkingGroup], **kwargs: Any):
        super().__init__(*args, **kwargs)
        _set(self, "team", teams)
        _set(self, "group", groups.order_by("name"))


class NominateForm(forms.Form):
    nominee = forms.ModelChoiceField(queryset=Person.objects.none(), help_text="Yourself, or an eligible colleague.")
    statement = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        max_length=5000,
        required=False,
        help_text="Why you stand (when nominating yourself); a colleague writes their own when they accept.",
    )

    def __init__(self, *args: Any, eligible: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _set(self, "nominee", eligible)


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[("accept", "I accept and stand"), ("decline", "I decline")], widget=forms.RadioSelect
    )
    statement = forms.CharField(widget=forms.Textarea(attrs=TEXT), max_length=5000, required=False)


class BallotForm(forms.Form):
    """Plurality: one candidate, by radio button. STV: a rank (1 to the number of candidates) for any
    candidate, blanks allowed, each rank given once; read as the candidates in order of preference."""

    def __init__(self, *args: Any, election: Election, candidates: list[Nomination], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        self.ranked = election.method == Election.Method.STV
        if not self.ranked:
            self.fields["ranking"] = forms.ChoiceField(
                choices=[(str(n.pk), n.nominee.full_name) for n in candidates],
                widget=forms.RadioSelect,
                label="Your vote",
                error_messages={"required": "Choose a candidate."},
            )
            return
        ranks = [("", "—"), *((str(i), str(i)) for i in range(1, len(candidates) + 1))]
        for n in candidates:
            self.fields[f"rank_{n.pk}"] = forms.ChoiceField(
                choices=ranks, required=False, label=f"{n.nominee.full_name}: rank"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.ranked:
            return data
        by_rank: dict[str, list[str]] = {}
        for n in self.candidates:
            rank = data.get(f"rank_{n.pk}")
            if rank:
                by_rank.setdefault(rank, []).append(n.nominee.full_name)
        for rank, names in sorted(by_rank.items(), key=lambda r: int(r[0])):
            if len(names) > 1:
                self.add_error(
                    None,
                    f"You gave rank {rank} to {', '.join(names[:-1])} and {names[-1]}: "
                    "give each rank to one candidate only.",
                )
        return data

    def ranking(self) -> list[int]:
        data = self.cleaned_data
        if not self.ranked:
            return [int(data["ranking"])]
        ranked = [(int(data[f"rank_{n.pk}"]), n.pk) for n in self.candidates if data.get(f"rank_{n.pk}")]
        return [pk for _, pk in sorted(ranked)]


class ReceiptForm(forms.Form):
    receipt = forms.CharField(
        max_length=100,
        label="Your receipt",
        help_text="The code you were shown when you voted, e.g. 1A2B-3C4D-….",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )


class CancelForm(forms.Form):
    because = forms.CharField(max_length=300, label="Why")
