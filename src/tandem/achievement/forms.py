from django import forms

from tandem.achievement.imports import formats
from tandem.achievement.models import Assessment


class ImportForm(forms.Form):
    format = forms.ChoiceField(label="What the file holds")
    file = forms.FileField(help_text="CSV or text file; a OneRoster bundle as a ZIP.")
    mapping = forms.FileField(
        required=False,
        label="Mapping file (optional)",
        help_text="A TOML file that maps another layout's columns and codes to this one.",
    )
    assessment = forms.ModelChoiceField(
        queryset=Assessment.objects.all(),
        required=False,
        to_field_name="code",
        help_text="Student results only: read every row as this assessment, whatever its content area says.",
    )

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["format"].choices = [(f"{k}:{n}", f.label) for (k, n), f in formats().items()]
