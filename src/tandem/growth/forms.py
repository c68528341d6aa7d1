from django import forms

from tandem.achievement.models import Administration, Assessment
from tandem.core import school_years
from tandem.growth import sgp


class GrowthRunForm(forms.Form):
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.filter(administrations__isnull=False).distinct(),
        to_field_name="code",
        help_text="SGPs compare each student with students who had the same earlier scores on it.",
    )
    school_year = forms.TypedChoiceField(coerce=int, label="School year", help_text="The year SGPs are for.")
    max_order = forms.IntegerField(
        min_value=1,
        max_value=10,
        initial=sgp.DEFAULT_MAX_ORDER,
        label="Most prior years",
        help_text="Each student's SGP uses up to this many earlier scores, in consecutive years.",
    )
    min_cohort = forms.IntegerField(
        min_value=1,
        initial=sgp.DEFAULT_MIN_COHORT,
        label="Fewest students in a progression",
        help_text="Grade progressions with fewer students than this get no SGPs: too few to fit 100 quantiles.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        years = sorted(set(Administration.objects.values_list("school_year", flat=True)), reverse=True)
        self.fields["school_year"].choices = [(y, school_years.label(y)) for y in years]
