"""Forms of the help desk's pages; the actions decide who may make each change."""

from typing import Any

from django import forms

from tandem.andon.helpdesk.models import Category, Ticket
from tandem.orgs.models import Person


class TicketForm(forms.Form):
    subject = forms.CharField(max_length=300)
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 8}), label="What do you need?", max_length=50_000)

    def __init__(self, *args: Any, desk: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if desk:
            self.fields["requester"] = forms.ModelChoiceField(
                queryset=Person.objects.filter(is_active=True).order_by("full_name"),
                required=False,
                help_text="Empty for yourself; choose a colleague to open it on their behalf.",
            )
            self.fields["category"] = forms.ModelChoiceField(
                queryset=Category.objects.filter(archived=False), required=False
            )


class ReplyForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), label="Reply", max_length=50_000)
    status = forms.ChoiceField(
        choices=[
            (Ticket.Status.PENDING, "Waiting on the requester"),
            (Ticket.Status.OPEN, "Still open"),
            (Ticket.Status.RESOLVED, "Resolved"),
        ],
        initial=Ticket.Status.PENDING,
        label="Then the ticket is",
    )


class NoteForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}), label="Internal note", max_length=50_000)


class MessageForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), label="Your message", max_length=50_000)


class UpdateForm(forms.Form):
    status = forms.ChoiceField(
        choices=[(v, label) for v, label in Ticket.Status.choices if v not in (Ticket.Status.NEW, Ticket.Status.MERGED)]
    )
    priority = forms.ChoiceField(choices=Ticket.Priority.choices)
    category = forms.ModelChoiceField(queryset=Category.objects.filter(archived=False), required=False)
    assignee = forms.ModelChoiceField(queryset=Person.objects.none(), required=False)

    def __init__(self, *args: Any, desk_people: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = desk_people  # type: ignore[attr-defined]


class MergeForm(forms.Form):
    into = forms.CharField(
        label="Merge into ticket", max_length=20, help_text="The ticket this one duplicates, like TD-42."
    )

    def clean_into(self) -> int:
        value = self.cleaned_data["into"].strip().upper().removeprefix("TD-")
        if not value.isdecimal() or len(value) > 12:
            raise forms.ValidationError("Give a ticket number, like TD-42.")
        return int(value)


class QueueFilter(forms.Form):
    q = forms.CharField(required=False, label="Search", max_length=200)
    status = forms.ChoiceField(
        required=False,
        choices=[("open", "Open (new, open, waiting)"), ("", "All"), *Ticket.Status.choices],
        initial="open",
    )
    category = forms.ModelChoiceField(queryset=Category.objects.all(), required=False)
    assignee = forms.ChoiceField(required=False, choices=[("", "Anyone"), ("me", "Me"), ("none", "Nobody yet")])
    overdue = forms.BooleanField(required=False, label="Past a target")

    def __init__(self, *args: Any, desk: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not desk:
            # Categories, assignment and targets are the help desk's working notes.
            for name in ("category", "assignee", "overdue"):
                del self.fields[name]
