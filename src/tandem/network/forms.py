"""Forms of the leadership network's pages; the actions decide who may make each change."""

import datetime
from typing import Any

from django import forms

from tandem.access.scope import Scope
from tandem.core import school_years
from tandem.learning.invitations import staff
from tandem.network.models import Cohort, Member
from tandem.orgs.models import Person


def _years() -> list[tuple[int, str]]:
    now = school_years.current()
    return [(y, school_years.label(y)) for y in range(now + 1, now - 5, -1)]


class CohortForm(forms.ModelForm):
    school_year = forms.TypedChoiceField(coerce=int, choices=_years, label="School year")

    class Meta:
        model = Cohort
        fields = ["name", "school_year", "description", "facilitators"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["facilitators"].queryset = staff()  # type: ignore[attr-defined]
        self.fields["facilitators"].help_text = "Members of the organization's staff who lead its convenings."
        if not self.instance.pk and not self.is_bound:
            self.initial["school_year"] = school_years.current()


class MemberForm(forms.Form):
    person = forms.ModelChoiceField(queryset=Person.objects.none(), help_text="Someone who signs in to Tandem.")
    role = forms.ChoiceField(choices=Member.Role.choices)
    title = forms.CharField(
        required=False, max_length=120, help_text='In their own words, e.g. "Director of Literacy".'
    )
    school = forms.ModelChoiceField(queryset=None, required=False, help_text="A school leader's school.")
    district = forms.ModelChoiceField(
        queryset=None, required=False, help_text="A district leader's district (a school's is filled in)."
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = scope.people().filter(is_active=True)  # type: ignore[attr-defined]
        self.fields["school"].queryset = scope.schools().select_related("district")  # type: ignore[attr-defined]
        self.fields["district"].queryset = scope.districts()  # type: ignore[attr-defined]


class ConveningForm(forms.Form):
    title = forms.CharField(max_length=200, required=False, help_text="Empty for “<cohort> convening”.")
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(widget=forms.TimeInput(attrs={"type": "time"}), initial=datetime.time(9, 0))
    minutes = forms.IntegerField(
        min_value=15,
        max_value=720,
        initial=360,
        label="Length in minutes",
        # The action's own words, so that the page and the API say the same.
        error_messages=dict.fromkeys(("min_value", "max_value"), "A convening day lasts from 15 minutes to 12 hours."),
    )
    location = forms.CharField(max_length=200, required=False)
    time_zone = forms.CharField(max_length=64, initial="America/Los_Angeles")


class DirectoryFilter(forms.Form):
    q = forms.CharField(required=False, label="Name, school or district", max_length=200)
    cohort = forms.ModelChoiceField(queryset=Cohort.objects.none(), required=False, empty_label="Every cohort")
    role = forms.ChoiceField(required=False, choices=[("", "Any role"), *Member.Role.choices])

    def __init__(self, *args: Any, cohorts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts  # type: ignore[attr-defined]
