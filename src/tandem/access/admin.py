from django.contrib import admin

from tandem.access.models import ApiToken, AuditEntry, RoleAssignment
from tandem.core.admin import AuditedAdmin


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(AuditedAdmin):
    list_display = ["person", "role", "organization", "region", "district", "school", "partnership", "ends_on"]
    list_filter = ["role"]
    search_fields = ["person__full_name", "person__email"]
    autocomplete_fields = ["person"]


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedAdmin):
    list_display = ["at", "actor", "kind", "action", "object_repr"]
    list_filter = ["kind", "action"]
    search_fields = ["object_repr", "actor__email"]

    # The audit trail is evidence: nobody edits or deletes it, not even org admins.
    def has_add_permission(self, request: object) -> bool:
        return False

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False


@admin.register(ApiToken)
class ApiTokenAdmin(AuditedAdmin):
    list_display = ["name", "person", "prefix", "expires_at", "revoked_at", "last_used_at"]
    readonly_fields = ["prefix", "digest", "last_used_at"]
