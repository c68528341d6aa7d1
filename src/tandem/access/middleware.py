from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from tandem.access.scope import scope_for


class ScopeMiddleware:
    """Attach `request.scope`, resolved lazily once per request from the signed-in person."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.scope = SimpleLazyObject(lambda: scope_for(getattr(request, "user", None)))  # type: ignore[attr-defined]
        return self.get_response(request)
