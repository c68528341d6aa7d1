from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

# The largest id SQLite and PostgreSQL bigint columns hold.
MAX_ID = 2**63 - 1


def apply_errors(
    form: forms.BaseForm, error: ValidationError, as_field: Iterable[tuple[Iterable[str], str]] = ()
) -> None:
    """Put an action's validation errors beside the form fields they concern (the rest on top).
    `as_field` renames error keys that the form calls otherwise, e.g. (("region", "school"), "scope")."""
    items = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
    for field, texts in items:
        for names, target in as_field:
            if field in names:
                field = target
        form.add_error(field if field in form.fields else None, texts)


def submit(
    request: HttpRequest,
    form: forms.BaseForm,
    change: Callable[[dict[str, Any]], object],
    done: str,
    *,
    to: str,
    again: Callable[[], HttpResponse],
) -> HttpResponse:
    """Make a change from a posted form: with a success message and a redirect to `to` when it is
    made; otherwise the page again (`again`) with the form's errors beside its fields, as 422."""
    if form.is_valid():
        try:
            change(form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, done)
            return redirect(to)
    response = again()
    response.status_code = 422
    return response


class IdsField(forms.ModelMultipleChoiceField):
    """Objects chosen by id; an id no row could have is an unknown choice, never a query the database
    refuses (SQLite cannot hold an integer past 2**63 - 1)."""

    def _check_values(self, value: Any) -> Any:
        for pk in value:
            try:
                too_big = abs(int(str(pk))) > MAX_ID
            except ValueError:
                continue  # not a number: refused below as an invalid id
            if too_big:
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": str(pk)[:30]}
                )
        return super()._check_values(value)
