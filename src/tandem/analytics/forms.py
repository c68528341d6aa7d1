import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.access.scope import Scope
from tandem.achievement.groups import supported
from tandem.achievement.models import StudentGroup
from tandem.analytics.models import Goal
from tandem.orgs.models import Team

OWNER_KINDS = [("school", "The school"), ("partnership", "A partnership"), ("team", "A team"), ("person", "A person")]


class GoalForm(forms.ModelForm):
    interim = forms.CharField(
        required=False,
        label="Interim targets",
        help_text="One per line as YEAR: VALUE, e.g. 2026: 42.5 (the school year's ending year).",
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    class Meta:
        model = Goal
        fields = [
            "title",
            "description",
            "metric",
            "assessment",
            "school",
            "district",
            "partnership",
            "group",
            "comparison_group",
            "grade",
            "baseline_year",
            "baseline_value",
            "target_value",
            "target_date",
            "owner_partnership",
            "owner_school",
            "owner_team",
            "owner_person",
        ]
        widgets = {"target_date": forms.DateInput(attrs={"type": "date"})}
        help_texts = {"school": "Leave school, district and partnership blank for a goal of the whole network."}

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools().order_by("name")
        self.fields["district"].queryset = scope.districts().order_by("name")
        self.fields["partnership"].queryset = scope.partnerships().order_by("name")
        self.fields["owner_school"].queryset = scope.schools().order_by("name")
        self.fields["owner_partnership"].queryset = scope.partnerships().order_by("name")
        self.fields["owner_person"].queryset = scope.people().order_by("full_name")
        self.fields["owner_team"].queryset = Team.objects.order_by("name")
        ids = [g.pk for g in StudentGroup.objects.all() if supported(g.rule)]
        self.fields["group"].queryset = StudentGroup.objects.filter(pk__in=ids)
        self.fields["comparison_group"].queryset = StudentGroup.objects.filter(pk__in=ids)
        if self.instance.pk:
            self.initial["interim"] = "\n".join(
                f"{t.school_year}: {t.value}" for t in self.instance.interim_targets.all()
            )

    def clean_interim(self) -> dict[int, Decimal]:
        found: dict[int, Decimal] = {}
        for n, line in enumerate(self.cleaned_data["interim"].splitlines(), start=1):
            if not line.strip():
                continue
            m = re.fullmatch(r"\s*(\d{4})\s*[:=]\s*(-?[\d.]+)\s*", line)
            if not m:
                raise ValidationError(f"Line {n}: “{line.strip()}” is not YEAR: VALUE (e.g. 2026: 42.5).")
            try:
                value = Decimal(m.group(2))
            except InvalidOperation:
                raise ValidationError(f"Line {n}: “{m.group(2)}” is not a number.") from None
            year = int(m.group(1))
            if year in found:
                raise ValidationError(f"Line {n}: {year} has a target already.")
            found[year] = value
        return found

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        owners = [k for k in ("owner_partnership", "owner_school", "owner_team", "owner_person") if data.get(k)]
        if len(owners) != 1:
            raise ValidationError("Choose exactly one owner: a partnership, a school, a team or a person.")
        places = [k for k in ("school", "district", "partnership") if data.get(k)]
        if len(places) > 1:
            raise ValidationError(
                "A goal is for one place: a school, a district or a partnership (or none: the network)."
            )
        return data

    def _post_clean(self) -> None:
        # The actions validate the model (one owner, one scope) and say so beside the fields.
        pass

    def goal_fields(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}

    def interim_targets(self) -> dict[int, Decimal]:
        return self.cleaned_data.get("interim") or {}
