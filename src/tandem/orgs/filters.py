"""Filter forms for the directory lists. They are GET forms: a bad value is reported beside its
field and the list shows unfiltered by that value."""

from django import forms
from django.db.models import Exists, OuterRef, Q, QuerySet

from tandem.access.roles import Role
from tandem.access.scope import Scope
from tandem.orgs.models import District, Person, Region, School
from tandem.partnerships.models import PartnershipSchool


class SchoolFilter(forms.Form):
    q = forms.CharField(label="Name or CDS code", required=False, max_length=100)
    region = forms.ModelChoiceField(queryset=Region.objects.none(), required=False, empty_label="All regions")
    district = forms.ModelChoiceField(queryset=District.objects.none(), required=False, empty_label="All districts")
    level = forms.ChoiceField(choices=[("", "All levels"), *School.Level.choices], required=False)
    partner = forms.ChoiceField(
        label="Partner school",
        choices=[("", "All schools"), ("yes", "Partner schools"), ("no", "Not partners")],
        required=False,
    )

    def __init__(self, data: object, scope: Scope) -> None:
        super().__init__(data)
        self.fields["region"].queryset = scope.regions()  # type: ignore[attr-defined]
        self.fields["district"].queryset = scope.districts()  # type: ignore[attr-defined]

    def apply(self, qs: QuerySet[School]) -> QuerySet[School]:
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(name__icontains=d["q"]) | Q(cds_code__startswith=d["q"]) | Q(nces_id=d["q"]))
        if d["region"]:
            qs = qs.filter(district__region=d["region"])
        if d["district"]:
            qs = qs.filter(district=d["district"])
        if d["level"]:
            qs = qs.filter(level=d["level"])
        current = Exists(PartnershipSchool.objects.filter(school=OuterRef("pk"), left_on__isnull=True))
        if d["partner"] == "yes":
            qs = qs.filter(current)
        elif d["partner"] == "no":
            qs = qs.exclude(current)
        return qs


class PersonFilter(forms.Form):
    q = forms.CharField(label="Name or email", required=False, max_length=100)
    role = forms.ChoiceField(choices=[("", "All roles"), *Role.choices], required=False)

    def apply(self, qs: QuerySet[Person]) -> QuerySet[Person]:
        if not self.is_valid():
            return qs
        d = self.cleaned_data
        if d["q"]:
            qs = qs.filter(Q(full_name__icontains=d["q"]) | Q(email__icontains=d["q"]))
        if d["role"]:
            qs = qs.filter(roles__role=d["role"]).distinct()
        return qs
