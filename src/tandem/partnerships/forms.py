from decimal import Decimal

from django import forms
from django.forms import formset_factory

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.core import school_years
from tandem.partnerships.models import FundingSource, Partnership, SiteAssignment

MANAGE = Capability.MANAGE_PARTNERSHIPS


class DateInput(forms.DateInput):
    input_type = "date"


class PartnershipForm(forms.ModelForm):
    class Meta:
        model = Partnership
        fields = [
            "name",
            "district",
            "schools",
            "model",
            "start_date",
            "planned_years",
            "end_date",
            "phase",
            "status",
            "goals",
            "notes",
        ]
        widgets = {"start_date": DateInput(), "end_date": DateInput(), "schools": forms.CheckboxSelectMultiple}

    def __init__(self, *args: object, scope: Scope, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        # Only what the person may manage is offered; anything else posted is "not a valid choice".
        self.fields["district"].queryset = scope.districts(MANAGE)
        self.fields["schools"].queryset = scope.schools(MANAGE).select_related("district")
        self.fields["schools"].required = False
        if self.instance.pk and not self.is_bound:
            self.initial["schools"] = list(self.instance.current_schools().values_list("pk", flat=True))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        district, schools = data.get("district"), data.get("schools")
        if not district and not schools and not self.errors:
            raise forms.ValidationError("Choose the district, at least one school, or both.")
        if district and schools:
            outside = [s.name for s in schools if s.district_id != district.pk]
            if outside:
                self.add_error("schools", f"Not in {district}: {', '.join(outside)}.")
        return data

    # The action layer saves; the form only validates.
    def save(self, commit: bool = True) -> Partnership:  # pragma: no cover - guard
        raise NotImplementedError("Use tandem.partnerships.actions")


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = SiteAssignment
        fields = ["school", "person", "role", "days_per_week", "start_date", "end_date"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}

    def __init__(self, *args: object, partnership: Partnership, scope: Scope, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = partnership.current_schools().filter(pk__in=scope.schools(MANAGE))
        self.fields["person"].queryset = scope.people().filter(is_active=True)
        self.fields["days_per_week"].help_text = "Intensive partnerships: about 3.5; targeted: 1.5–2."

    def save(self, commit: bool = True) -> SiteAssignment:  # pragma: no cover - guard
        raise NotImplementedError("Use tandem.partnerships.actions")


def _year_choices() -> list[tuple[int, str]]:
    now = school_years.current()
    return [(y, school_years.label(y)) for y in range(now + 1, now - 10, -1)]


class CostForm(forms.Form):
    school_year = forms.TypedChoiceField(coerce=int, choices=_year_choices)
    total_cost = forms.DecimalField(min_value=Decimal("0"), max_digits=12, decimal_places=2, label="Total cost (USD)")
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)


class FundingLineForm(forms.Form):
    kind = forms.ChoiceField(choices=[("", "—"), *FundingSource.Kind.choices], required=False, label="Source")
    funder_name = forms.CharField(max_length=200, required=False, label="Funder")
    amount = forms.DecimalField(min_value=Decimal("0.01"), max_digits=12, decimal_places=2, required=False)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("amount") and not data.get("kind"):
            self.add_error("kind", "Say where this money comes from.")
        if data.get("kind") and not data.get("amount"):
            self.add_error("amount", "Give the amount from this source.")
        return data


FundingFormSet = formset_factory(FundingLineForm, extra=5, max_num=20)
