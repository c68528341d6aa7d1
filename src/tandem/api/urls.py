"""One API, one OpenAPI document, assembled from each module's router."""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError

from tandem.achievement.api import router as achievement_router
from tandem.analytics.api import router as analytics_router
from tandem.andon.feed.api import router as feed_router
from tandem.andon.helpdesk.api import router as helpdesk_router
from tandem.api.common import SessionAuth, TokenAuth, validation_errors
from tandem.coaching.api import router as coaching_router
from tandem.governance.api import router as governance_router
from tandem.growth.api import router as growth_router
from tandem.impact.api import router as impact_router
from tandem.inquiry.api import router as inquiry_router
from tandem.learning.api import router as learning_router
from tandem.network.api import router as network_router
from tandem.orgs.api import router as orgs_router
from tandem.partnerships.api import router as partnerships_router
from tandem.practices.api import router as practices_router

api = NinjaAPI(
    title="Tandem API",
    version="1",
    description=(
        "Every endpoint answers with what the caller's roles reach. Objects outside that reach answer "
        "404 exactly like objects that do not exist. Authenticate with a browser session (and the CSRF "
        "token for changes) or with `Authorization: Bearer <token>`."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,
    openapi_url="/v1/openapi.json",
)
api.add_router("/v1/", orgs_router)
api.add_router("/v1/", partnerships_router)
api.add_router("/v1/", achievement_router)
api.add_router("/v1/", analytics_router)
api.add_router("/v1/", growth_router)
api.add_router("/v1/", impact_router)
api.add_router("/v1/", inquiry_router)
api.add_router("/v1/", coaching_router)
api.add_router("/v1/", learning_router)
api.add_router("/v1/", helpdesk_router)
api.add_router("/v1/", feed_router)
api.add_router("/v1/", governance_router)
api.add_router("/v1/", practices_router)
api.add_router("/v1/", network_router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return api.create_response(request, validation_errors(exc), status=422)
