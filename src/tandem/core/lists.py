"""Pagination and filtering shared by every list page."""

from typing import Any

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest


def paginate(request: HttpRequest, queryset: QuerySet[Any], per_page: int | None = None) -> Page[Any]:
    """The requested page; a page number past the end or not a number shows the nearest page."""
    paginator = Paginator(queryset, per_page or settings.PAGE_SIZE)
    return paginator.get_page(request.GET.get("page"))


def query_without_page(request: HttpRequest) -> str:
    """The current filters as a query string, for the pager's links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()
