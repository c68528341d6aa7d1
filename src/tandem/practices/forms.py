"""Forms of the practice library's pages; the actions decide who may make each change."""

from typing import Any

from django import forms

from tandem.access.scope import Scope
from tandem.achievement.models import StudentGroup
from tandem.core import school_years
from tandem.core.forms import IdsField
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import visible_cycles
from tandem.orgs.models import GRADES, School
from tandem.practices.models import Attachment, Citation, Evidence, Practice, Tag, Trial
from tandem.practices.search import SORTS, Filters

TEXT = {"rows": 5}
GRADE_CHOICES = [(g, g) for g in GRADES]


def _year_choices(back: int = 6) -> list[tuple[int, str]]:
    now = school_years.current()
    return [(y, school_years.label(y)) for y in range(now, now - back, -1)]


class PracticeForm(forms.ModelForm):
    tags = forms.CharField(
        required=False,
        max_length=800,
        help_text="Separated by commas, e.g. Reading, English learners, Family engagement.",
    )

    class Meta:
        model = Practice
        fields = ["title", "summary", "problem", "how", "evidence", "contact"]
        widgets = {
            "summary": forms.Textarea(attrs=TEXT),
            "problem": forms.Textarea(attrs=TEXT),
            "how": forms.Textarea(attrs={"rows": 8}),
        }

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contact"].queryset = scope.people().filter(is_active=True)  # type: ignore[attr-defined]
        if self.instance.pk and not self.is_bound:
            self.initial["tags"] = ", ".join(self.instance.tags.values_list("name", flat=True))

    def tag_names(self) -> list[str]:
        return [t for t in self.cleaned_data["tags"].split(",") if t.strip()]


class LibraryFilter(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search",
        max_length=300,
        help_text='Words, "a phrase", OR, and -word to leave out.',
    )
    tag = forms.ModelChoiceField(
        queryset=Tag.objects.all(), to_field_name="slug", required=False, empty_label="Any tag"
    )
    evidence = forms.ChoiceField(required=False, choices=[("", "Any evidence"), *Evidence.choices], label="Evidence")
    like_school = forms.ModelChoiceField(
        queryset=School.objects.none(), required=False, label="Tried in schools like", empty_label="Any school"
    )
    grade = forms.ChoiceField(required=False, choices=[("", "Any grade"), *GRADE_CHOICES])
    group = forms.ModelChoiceField(
        queryset=StudentGroup.objects.all(), required=False, label="Student group", empty_label="Any group"
    )
    result = forms.ChoiceField(required=False, choices=[("", "Any result"), *Trial.Result.choices])
    sort = forms.ChoiceField(required=False, choices=[("", "Best first"), *SORTS])
    mine = forms.BooleanField(required=False, label="Mine only")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["like_school"].queryset = scope.schools().select_related("district")  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            q=data["q"],
            tags=[data["tag"].slug] if data["tag"] else [],
            evidence=[data["evidence"]] if data["evidence"] else [],
            like_school=data["like_school"].pk if data["like_school"] else None,
            grade=data["grade"],
            group=data["group"].pk if data["group"] else None,
            result=data["result"],
            sort=data["sort"],
            mine=data["mine"],
        )


class TrialForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), help_text="A school you work in or with.")
    school_year = forms.TypedChoiceField(coerce=int, choices=_year_choices, label="School year")
    grades = forms.MultipleChoiceField(choices=GRADE_CHOICES, required=False, widget=forms.CheckboxSelectMultiple)
    groups = IdsField(
        queryset=StudentGroup.objects.all(),
        required=False,
        label="Student groups",
        help_text="The students it was meant for, if not everyone.",
    )
    result = forms.ChoiceField(choices=Trial.Result.choices, widget=forms.RadioSelect)
    story = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        label="What you did and what happened",
        max_length=20_000,
        help_text="What you changed to fit your school, and what you would tell a school trying it next.",
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools().select_related("district")  # type: ignore[attr-defined]


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Comment", max_length=20_000)


class CitationForm(forms.ModelForm):
    class Meta:
        model = Citation
        fields = ["reference", "url", "design", "finding"]
        widgets = {"reference": forms.Textarea(attrs={"rows": 2}), "finding": forms.Textarea(attrs={"rows": 2})}


class AttachmentForm(forms.ModelForm):
    class Meta:
        model = Attachment
        fields = ["title", "url", "file"]


class CycleLinkForm(forms.Form):
    cycle = forms.ModelChoiceField(queryset=Cycle.objects.none(), label="Cycle of inquiry that led to it")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cycle"].queryset = visible_cycles(scope).order_by("-starts_on")  # type: ignore[attr-defined]
