"""Help desk categories and their targets are kept in the back office."""

from django.contrib import admin

from tandem.andon.helpdesk.models import Category
from tandem.core.admin import AuditedAdmin


@admin.register(Category)
class CategoryAdmin(AuditedAdmin):
    list_display = ("name", "first_response_hours", "resolution_hours", "archived")
    list_filter = ("archived",)
