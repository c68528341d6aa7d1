"""Forms for cycles of inquiry. Choices come from the reader's scope, so a form never offers a
school, person or goal the reader could not otherwise see; the actions check again."""

from typing import Any

from django import forms
from django.utils import timezone

from tandem.access.scope import Scope
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.actions import visible_goals
from tandem.analytics.models import Goal
from tandem.core.forms import IdsField
from tandem.inquiry.calendar import default_span
from tandem.inquiry.models import Action, ArtifactKind, Cycle, Evidence, Question, Reflection, Template
from tandem.orgs.models import GRADES, Person, Team

DATE = forms.DateInput(attrs={"type": "date"})
PLACE_FIELDS = ("school", "district", "partnership", "team", "region")


class CycleForm(forms.Form):
    title = forms.CharField(max_length=200)
    level = forms.ChoiceField(choices=Cycle.Level.choices, initial=Cycle.Level.TEAM)
    template = forms.ModelChoiceField(queryset=Template.objects.none(), empty_label=None)
    school = forms.ModelChoiceField(queryset=None, required=False, help_text="For team, school and individual cycles.")
    district = forms.ModelChoiceField(queryset=None, required=False, help_text="For a district department.")
    partnership = forms.ModelChoiceField(queryset=None, required=False, help_text="Or a partnership's schools.")
    team = forms.ModelChoiceField(queryset=None, required=False, help_text="One of the organization's teams.")
    region = forms.ModelChoiceField(queryset=None, required=False, help_text="For a region's cycle.")
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE, help_text="By default, until the next benchmark window opens.")
    coach = forms.ModelChoiceField(
        queryset=None, required=False, help_text="For an individual cycle: the coach or supervisor who follows it."
    )
    members = IdsField(queryset=None, required=False)
    goals = IdsField(queryset=None, required=False, help_text="The measurable goals this cycle works toward.")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["template"].queryset = Template.objects.filter(archived=False)
        fields["template"].initial = Template.objects.filter(is_default=True, archived=False).first()
        fields["school"].queryset = scope.schools().select_related("district")
        fields["district"].queryset = scope.districts()
        fields["partnership"].queryset = scope.partnerships()
        assert scope.person is not None
        teams = Team.objects.all() if scope.is_org_wide() else Team.objects.filter(members=scope.person)
        fields["team"].queryset = teams
        fields["region"].queryset = scope.regions()
        people = scope.people().order_by("full_name")
        fields["coach"].queryset = people
        fields["members"].queryset = people
        fields["goals"].queryset = visible_goals(scope)
        starts, ends = default_span(timezone.localdate())
        fields["starts_on"].initial, fields["ends_on"].initial = starts, ends

    def cycle_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        out = {k: data[k] for k in ("title", "level", "template", "starts_on", "ends_on", "coach")}
        out.update({f: data[f] for f in PLACE_FIELDS if data.get(f)})
        return out


class CycleEditForm(forms.Form):
    title = forms.CharField(max_length=200)
    starts_on = forms.DateField(widget=DATE)
    ends_on = forms.DateField(widget=DATE)
    owner = forms.ModelChoiceField(queryset=None)
    coach = forms.ModelChoiceField(queryset=None, required=False)
    members = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, scope: Scope, cycle: Cycle, **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "title": cycle.title,
                "starts_on": cycle.starts_on,
                "ends_on": cycle.ends_on,
                "owner": cycle.owner,
                "coach": cycle.coach,
                "members": list(cycle.members.all()),
            },
        )
        super().__init__(*args, **kwargs)
        people = scope.people().order_by("full_name")
        for name in ("owner", "coach", "members"):
            self.fields[name].queryset = people  # type: ignore[attr-defined]


class ProblemForm(forms.Form):
    statement = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), help_text="Which students, what problem.")
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.all(), required=False, help_text="Ground it in data: the measure it rests on."
    )
    metric = forms.ChoiceField(
        choices=[("", "—")] + [c for c in Goal.Metric.choices if c[0] != Goal.Metric.GAP], required=False
    )
    group = forms.ModelChoiceField(queryset=StudentGroup.objects.order_by("pk"), required=False)
    grade = forms.ChoiceField(
        choices=[("all", "All grades")] + [(g, f"Grade {g}") for g in GRADES], initial="all", required=False
    )
    school_year = forms.IntegerField(
        required=False, min_value=1990, max_value=2100, help_text="Spring year, e.g. 2025; blank for the latest."
    )


class QuestionForm(forms.Form):
    about = forms.ChoiceField(choices=Question.About.choices)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))


class GoalsForm(forms.Form):
    goals = forms.ModelMultipleChoiceField(queryset=None, required=False)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["goals"].queryset = visible_goals(scope)  # type: ignore[attr-defined]


def cycle_people(cycle: Cycle) -> Any:
    ids = {cycle.owner_id, cycle.coach_id, *cycle.members.values_list("pk", flat=True)} - {None}
    return Person.objects.filter(pk__in=ids).order_by("full_name")


class ActionForm(forms.Form):
    title = forms.CharField(max_length=300)
    owner = forms.ModelChoiceField(queryset=None, required=False)
    due_on = forms.DateField(widget=DATE, required=False)

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = cycle_people(cycle)  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(choices=Action.Status.choices)


class LogForm(forms.Form):
    happened_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    action = forms.ModelChoiceField(queryset=None, required=False, help_text="The action this was part of.")

    def __init__(self, *args: Any, cycle: Cycle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].queryset = cycle.actions.all()  # type: ignore[attr-defined]


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(choices=Evidence.Kind.choices)
    title = forms.CharField(max_length=200)
    collected_on = forms.DateField(widget=DATE, initial=timezone.localdate)
    value = forms.DecimalField(
        max_digits=9,
        decimal_places=2,
        required=False,
        help_text="For re-measured data: the value, in the measure's unit.",
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    attachment = forms.FileField(required=False)


class ReflectionForm(forms.ModelForm):
    class Meta:
        model = Reflection
        fields = ["worked", "learned", "decision", "adjustments"]
        widgets = {
            "worked": forms.Textarea(attrs={"rows": 3}),
            "learned": forms.Textarea(attrs={"rows": 3}),
            "adjustments": forms.Textarea(attrs={"rows": 3}),
            "decision": forms.RadioSelect,
        }


class NextCycleForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Blank: the same title, numbered.")
    starts_on = forms.DateField(widget=DATE, required=False)
    ends_on = forms.DateField(widget=DATE, required=False)


class TemplateForm(forms.ModelForm):
    class Meta:
        model = Template
        fields = ["name", "description", "is_default", "archived"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StepForm(forms.Form):
    phase = forms.CharField(max_length=60, required=False)
    name = forms.CharField(max_length=120)
    prompt = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    requires = forms.MultipleChoiceField(
        choices=ArtifactKind.choices, required=False, widget=forms.CheckboxSelectMultiple
    )


StepFormSet = forms.formset_factory(StepForm, extra=1, can_delete=True, can_order=True)


class PortfolioFilter(forms.Form):
    level = forms.ChoiceField(choices=[("", "Any level"), *Cycle.Level.choices], required=False)
    status = forms.ChoiceField(choices=[("", "Any status"), *Cycle.Status.choices], required=False)
    health = forms.ChoiceField(
        choices=[("", "Any health"), ("attention", "Needs attention (stalled or overdue)")], required=False
    )
    region = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any region")
    school = forms.ModelChoiceField(queryset=None, required=False, empty_label="Any school")
    step = forms.CharField(required=False, max_length=120, help_text="The current step's name, e.g. Plan.")
    mine = forms.BooleanField(required=False, label="Only cycles I am on")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = scope.regions()  # type: ignore[attr-defined]
        self.fields["school"].queryset = scope.schools()  # type: ignore[attr-defined]
