from collections.abc import Iterable

from django import forms
from django.core.exceptions import ValidationError


def apply_errors(
    form: forms.BaseForm, error: ValidationError, as_field: Iterable[tuple[Iterable[str], str]] = ()
) -> None:
    """Put an action's validation errors beside the form fields they concern (the rest on top).
    `as_field` renames error keys that the form calls otherwise, e.g. (("region", "school"), "scope")."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, messages in items:
        for names, target in as_field:
            if field in names:
                field = target
        form.add_error(field if field in form.fields else None, messages)
