from django import forms

from tandem.access.roles import Capability
from tandem.access.scope import Scope
from tandem.achievement.models import Administration, Assessment
from tandem.core import school_years
from tandem.orgs.models import School
from tandem.partnerships.models import PartnershipSchool


class ImpactReportForm(forms.Form):
    title = forms.CharField(max_length=200, initial="Impact of the partnership")
    assessment = forms.ModelChoiceField(queryset=Assessment.objects.filter(administrations__isnull=False).distinct())
    baseline_year = forms.TypedChoiceField(coerce=int, help_text="The school year before the work began.")
    outcome_year = forms.TypedChoiceField(coerce=int, help_text="The school year whose results are judged.")
    schools = forms.ModelMultipleChoiceField(
        queryset=School.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text="Partner schools are listed first and ticked.",
    )
    inclusion = forms.CharField(
        label="Which schools are included, and why",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Printed on the report as a caveat, e.g. “Only the 12 schools that fully implemented the model.”",
    )

    def __init__(self, scope: Scope, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        years = sorted(set(Administration.objects.values_list("school_year", flat=True)))
        choices = [(y, school_years.label(y)) for y in years]
        self.fields["baseline_year"].choices = choices
        self.fields["outcome_year"].choices = choices
        if years:
            self.fields["baseline_year"].initial = years[0]
            self.fields["outcome_year"].initial = years[-1]
        partners = set(PartnershipSchool.objects.values_list("school_id", flat=True))
        schools = scope.schools(Capability.VIEW).select_related("district")
        self.fields["schools"].queryset = schools
        ordered = sorted(schools, key=lambda s: (s.pk not in partners, s.name))
        self.fields["schools"].choices = [(s.pk, f"{s.name} ({s.district.name})") for s in ordered]
        self.fields["schools"].initial = [s.pk for s in ordered if s.pk in partners]
