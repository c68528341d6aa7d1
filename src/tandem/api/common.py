"""What every API module shares: the error shapes, token and session auth, and paging."""

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from ninja import Schema
from ninja.security import APIKeyCookie, HttpBearer

from tandem.access.models import ApiToken
from tandem.access.scope import scope_for
from tandem.access.tokens import digest

# Search words go into SQL text parameters, which PostgreSQL cannot hold a NUL character in.
NO_NUL = r"^[^\x00]*$"


class Message(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class ValidationErrors(Schema):
    detail: list[FieldError]


class Ref(Schema):
    """Something named in an answer: a person, a place, a topic."""

    id: int
    name: str


def choices(values: list[str]) -> str:
    """A pattern that accepts exactly these values."""
    return "^(" + "|".join(values) + ")$"


# Declared on every operation: anonymous callers get 401, anything out of scope 404, a malformed
# query or body 422.
READ_ERRORS: dict[int, Any] = {401: Message, 404: Message, 422: ValidationErrors}
WRITE_ERRORS: dict[int, Any] = {401: Message, 404: Message, 422: ValidationErrors}


def _bind(request: HttpRequest, person: Any) -> Any:
    request.user = person
    request.scope = scope_for(person)  # type: ignore[attr-defined]
    return person


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        row = ApiToken.objects.select_related("person").filter(digest=digest(token)).first()
        if row is None or not row.is_usable() or not row.person.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        return _bind(request, row.person)


class SessionAuth(APIKeyCookie):
    """The signed-in browser session; unsafe methods also need the CSRF token."""

    param_name = settings.SESSION_COOKIE_NAME

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


def validation_errors(error: ValidationError) -> dict[str, list[dict[str, Any]]]:
    """An action's ValidationError in the same shape as the API's own request validation."""
    if hasattr(error, "error_dict"):
        items = [
            {"loc": ["body", *([field] if field != "__all__" else [])], "msg": msg, "type": "value_error"}
            for field, msgs in error.message_dict.items()
            for msg in msgs
        ]
    else:
        items = [{"loc": ["body"], "msg": msg, "type": "value_error"} for msg in error.messages]
    return {"detail": items}


@contextmanager
def named_errors(**fields: str) -> Iterator[None]:
    """An action's field errors under the names the body gives them (category → category_id)."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError({fields.get(k, k): v for k, v in error.message_dict.items()}) from None


class Page[T](Schema):
    count: int
    limit: int
    offset: int
    items: list[T]


def page_of(qs: Any, limit: int, offset: int, convert: Any) -> dict[str, Any]:
    return {
        "count": qs.count(),
        "limit": limit,
        "offset": offset,
        "items": [convert(o) for o in qs[offset : offset + limit]],
    }


def one_in_reach[M: Model](qs: QuerySet[M], pk: int | None, field: str, noun: str) -> M | None:
    """The object a body names by id, among those the caller reaches (`qs`); an id outside reach
    is a field error worded exactly as for an id that does not exist."""
    if pk is None:
        return None
    found = qs.filter(pk=pk).first()
    if found is None:
        raise ValidationError({field: f"No {noun} has this id."})
    return found
