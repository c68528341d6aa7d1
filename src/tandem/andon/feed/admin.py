"""Feed topics and their acknowledge-time targets are kept in the back office."""

from django.contrib import admin

from tandem.andon.feed.models import Topic
from tandem.core.admin import AuditedAdmin


@admin.register(Topic)
class TopicAdmin(AuditedAdmin):
    list_display = ("name", "acknowledge_hours", "archived")
    list_filter = ("archived",)
