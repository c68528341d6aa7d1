from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect


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
