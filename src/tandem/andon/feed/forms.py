"""Forms of the feed's pages; the actions decide who may make each change and check every tag."""

from typing import Any

from django import forms
from django.db.models import Q

from tandem.access.scope import Scope
from tandem.andon.feed.models import Escalation, Post, Topic
from tandem.andon.feed.search import OPEN_FLAGS, Filters
from tandem.andon.feed.visibility import reachable_teams
from tandem.core.forms import IdsField
from tandem.inquiry.models import Cycle
from tandem.inquiry.visibility import contributable_cycles, visible_cycles
from tandem.orgs.models import Person, Team

TEXT = {"rows": 6}


class PostForm(forms.Form):
    kind = forms.ChoiceField(
        choices=Post.Kind.choices,
        widget=forms.RadioSelect,
        help_text="A flag raises the alarm: something in the strategy is not working as expected.",
    )
    title = forms.CharField(max_length=200)
    body = forms.CharField(
        widget=forms.Textarea(attrs=TEXT),
        label="Say more",
        max_length=20_000,
        help_text="Mention a colleague with @ and their email address (or the part before the @).",
    )
    school = forms.ModelChoiceField(queryset=None, required=False)
    partnership = forms.ModelChoiceField(queryset=None, required=False)
    region = forms.ModelChoiceField(
        queryset=None, required=False, help_text="Filled in from the school or partnership when left empty."
    )
    topics = IdsField(queryset=Topic.objects.filter(archived=False), required=False)
    restricted = forms.BooleanField(
        required=False,
        label="Restricted flag",
        help_text="Only you, the flag's owner and the organization's leaders see it (for a sensitive matter).",
    )

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools().select_related("district")  # type: ignore[attr-defined]
        self.fields["partnership"].queryset = scope.partnerships()  # type: ignore[attr-defined]
        self.fields["region"].queryset = scope.regions()  # type: ignore[attr-defined]

    def tags(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "school": data["school"],
            "partnership": data["partnership"],
            "region": data["region"],
            "topics": list(data["topics"]),
            "restricted": data["restricted"],
        }


class EditForm(PostForm):
    def __init__(self, *args: Any, scope: Scope, post: Post, **kwargs: Any) -> None:
        super().__init__(*args, scope=scope, **kwargs)
        del self.fields["kind"]
        # A topic archived since it was chosen stays on offer (and chosen) for this post.
        chosen = Topic.objects.filter(posts=post)
        self.fields["topics"].queryset = Topic.objects.filter(  # type: ignore[attr-defined]
            Q(archived=False) | Q(pk__in=chosen.values("pk"))
        )


class CommentForm(forms.Form):
    body = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), label="Comment", max_length=20_000)


class AcknowledgeForm(forms.Form):
    owner = forms.ModelChoiceField(
        queryset=Person.objects.none(), required=False, help_text="Empty to take it on yourself."
    )

    def __init__(self, *args: Any, staff: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = staff  # type: ignore[attr-defined]


class MoveForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (Post.Status.IN_PROGRESS, "In progress"),
            (Post.Status.RESOLVED, "Resolved"),
            (Post.Status.ACKNOWLEDGED, "Back to acknowledged"),
        ]
    )

    def __init__(self, *args: Any, offered: set[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Only the moves open from the flag's status are offered; the action refuses the others.
        if offered is not None:
            field: Any = self.fields["status"]
            field.choices = [c for c in field.choices if c[0] in offered]

    resolution = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=20_000,
        help_text="When resolving: what was done.",
    )


class EscalateForm(forms.Form):
    to = forms.ChoiceField(choices=Escalation.To.choices, label="Escalate to")
    cycle = forms.ModelChoiceField(
        queryset=Cycle.objects.none(), required=False, help_text="An active cycle of inquiry you work on."
    )
    team = forms.ModelChoiceField(
        queryset=Team.objects.none(), required=False, help_text="For a working group or a planning team."
    )
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=5_000)

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The cycles and teams the action accepts, and no others: a team out of reach is not named.
        mine = contributable_cycles(scope).values("pk")
        active = visible_cycles(scope).filter(pk__in=mine, status=Cycle.Status.ACTIVE).order_by("title")
        self.fields["cycle"].queryset = active  # type: ignore[attr-defined]
        self.fields["team"].queryset = reachable_teams(scope)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        to = data.get("to")
        if to == Escalation.To.CYCLE and not data.get("cycle"):
            self.add_error("cycle", "Choose the cycle of inquiry, or start a new one from this flag.")
        if to in (Escalation.To.WORKING_GROUP, Escalation.To.PLANNING_TEAM) and not data.get("team"):
            self.add_error("team", "Choose the team.")
        return data

    def target(self) -> Any:
        data = self.cleaned_data
        return data["cycle"] if data["to"] == Escalation.To.CYCLE else data["team"]


class FeedFilter(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    kind = forms.ChoiceField(required=False, choices=[("", "All kinds"), *Post.Kind.choices])
    status = forms.ChoiceField(
        required=False,
        choices=[("", "Any status"), (OPEN_FLAGS, "Flags still open"), *Post.Status.choices],
    )
    topic = forms.ModelChoiceField(queryset=Topic.objects.all(), required=False)
    school = forms.ModelChoiceField(queryset=None, required=False)
    region = forms.ModelChoiceField(queryset=None, required=False)
    mine = forms.BooleanField(required=False, label="Mine only")
    unanswered = forms.BooleanField(required=False, label="Unanswered questions")

    def __init__(self, *args: Any, scope: Scope, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = scope.schools()  # type: ignore[attr-defined]
        self.fields["region"].queryset = scope.regions()  # type: ignore[attr-defined]

    def filters(self) -> Filters:
        data = self.cleaned_data
        return Filters(
            q=data["q"],
            kind=data["kind"],
            status=data["status"],
            topic=data["topic"].pk if data["topic"] else None,
            school=data["school"].pk if data["school"] else None,
            region=data["region"].pk if data["region"] else None,
            mine=data["mine"],
            unanswered=data["unanswered"],
        )


class DigestForm(forms.Form):
    email_digest = forms.BooleanField(required=False, label="Email me a digest of what I have not read")
