"""The back office writes to Tandem's audit trail like every other way of changing data."""

from typing import Any

from django.contrib import admin
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from tandem.access import audit


class AuditedAdmin(admin.ModelAdmin):
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        audit.record_creation(request.user, f"back_office.add.{obj._meta.model_name}", obj)
        return super().log_addition(request, obj, message)

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        audit.record(request.user, f"back_office.change.{obj._meta.model_name}", obj, {"fields": [None, message]})
        return super().log_change(request, obj, message)

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            audit.record(request.user, f"back_office.delete.{obj._meta.model_name}", obj, audit.snapshot(obj))
        return super().log_deletions(request, queryset)
