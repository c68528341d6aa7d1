"""Forms for coaching. Choices come from the reader's scope and the relationship's framework."""

from typing import Any

from django import forms
from django.utils import timezone

from tandem.access.scope import Scope
from tandem.analytics.actions import visible_goals
from tandem.coaching.models import CoacheeGoal, Competency, Framework, Relationship, Session
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import Person

DATE = forms.DateInput(attrs={"type": "date"})


def _competencies(relationship: Relationship) -> Any:
    return Competency.objects.filter(domain__version=relationship.framework).select_related("domain")


class RelationshipForm(forms.Form):
    coachee = forms.ModelChoiceField(queryset=None, help_text="The teacher or leader you will coach.")
    school = forms.ModelChoiceField(queryset=None, required=False, help_text="Where the coaching happens.")
    framework = forms.ModelChoiceField(queryset=Framework.objects.filter(archived=False), empty_label=None)
    coach = forms.ModelChoiceField(
        queryset=None, help_text="Supervisors can pair any coach; coaches choose themselves."
    )
    starts_on = forms.DateField(widget=DATE, initial=timezone.localdate)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = scope.people().order_by("full_name")
        fields: Any = self.fields
        fields["coachee"].queryset = people
        fields["coach"].queryset = people
        fields["coach"].initial = scope.person
        fields["school"].queryset = scope.schools()


class SessionForm(forms.Form):
    held_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    minutes = forms.IntegerField(min_value=5, max_value=600, initial=45)
    kind = forms.ChoiceField(choices=Session.Kind.choices)
    shared_notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, help_text="Shared with the coachee and supervisors."
    )
    next_steps = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    competencies = forms.ModelMultipleChoiceField(queryset=None, required=False)
    cycle = forms.ModelChoiceField(queryset=None, required=False, label="Coaching cycle")
    private_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        label="Private note",
        help_text="Only you will ever read this: not the coachee, not supervisors, not administrators.",
    )

    def __init__(self, *args: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["competencies"].queryset = _competencies(relationship)
        fields["cycle"].queryset = relationship.cycles.filter(status="active")


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Private note")


class GoalForm(forms.ModelForm):
    class Meta:
        model = CoacheeGoal
        fields = ["title", "description", "competency", "due_on", "student_goal", "inquiry_cycle"]
        widgets = {"due_on": DATE, "description": forms.Textarea(attrs={"rows": 2})}
        labels = {"student_goal": "Student-outcome goal", "inquiry_cycle": "Cycle of inquiry"}

    def __init__(self, *args: Any, relationship: Relationship, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["competency"].queryset = _competencies(relationship)
        fields["student_goal"].queryset = visible_goals(scope)
        fields["inquiry_cycle"].queryset = visible_cycles(scope)


class GoalStatusForm(forms.Form):
    status = forms.ChoiceField(choices=CoacheeGoal.Status.choices)


class RatingForm(forms.Form):
    competency = forms.ModelChoiceField(queryset=None)
    level = forms.TypedChoiceField(coerce=int, choices=())
    rated_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    evidence = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, relationship: Relationship, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["competency"].queryset = _competencies(relationship)
        fields["level"].choices = [(i, f"{i}. {name}") for i, name in enumerate(relationship.framework.levels, 1)]


class CycleForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_on = forms.DateField(widget=DATE, initial=timezone.localdate)


class SessionSearch(forms.Form):
    q = forms.CharField(required=False, label="Search shared notes", max_length=200)


class StaffCostForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none())
    school_year = forms.IntegerField(min_value=2000, max_value=2100, help_text="The spring year, e.g. 2026.")
    hourly_cost = forms.DecimalField(
        max_digits=8, decimal_places=2, help_text="Salary, benefits and overhead per hour."
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scope.people().order_by("full_name")  # type: ignore[attr-defined]


class VersionForm(forms.Form):
    levels = forms.CharField(help_text="The level names, lowest first, separated by commas.")
    note = forms.CharField(max_length=200, required=False, help_text="What changed in this version.")


class CompetencyRow(forms.Form):
    domain = forms.CharField(max_length=200)
    code = forms.CharField(max_length=20)
    name = forms.CharField(max_length=200)
    description = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    descriptors = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), help_text="One line per level, lowest first."
    )


CompetencyRows = forms.formset_factory(CompetencyRow, extra=1, can_delete=True)
