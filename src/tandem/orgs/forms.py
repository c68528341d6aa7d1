from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model

from tandem.access.roles import Role
from tandem.orgs.actions import parse_scope, scope_choices
from tandem.orgs.models import Person


class RoleFields(forms.Form):
    role = forms.ChoiceField(choices=[("", "—"), *Role.choices])
    scope = forms.ChoiceField(
        label="Where", help_text="The organization, a region, a district, a partnership or a school."
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["scope"].choices = [("", "—"), *scope_choices()]

    def clean_scope(self) -> Model:
        try:
            return parse_scope(self.cleaned_data["scope"])
        except ValidationError as e:
            raise ValidationError(e.message_dict["scope"]) from e


class InviteForm(RoleFields):
    full_name = forms.CharField(max_length=150, label="Full name")
    email = forms.EmailField()
    title = forms.CharField(max_length=150, required=False, help_text="e.g. Principal, School innovation partner")

    field_order = ["full_name", "email", "title", "role", "scope"]


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Person
        fields = ["full_name", "title", "phone", "bio"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 4})}

    def save(self, commit: bool = True) -> Person:  # pragma: no cover - guard
        raise NotImplementedError("Use tandem.orgs.actions.do_update_profile")
