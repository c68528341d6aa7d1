from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from tandem.core.admin import AuditedAdmin
from tandem.orgs.models import District, Organization, Person, Region, School, SchoolDemographics, Team, TeamMembership


@admin.register(Person)
class PersonAdmin(UserAdmin, AuditedAdmin):
    ordering = ["full_name"]
    list_display = ["full_name", "email", "title", "is_active"]
    search_fields = ["full_name", "email"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": ["full_name", "title", "phone", "bio"]}),
        ("Access", {"fields": ["is_active"], "description": "Roles are given on the Role assignments page."}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})]
    list_filter = ["is_active"]
    filter_horizontal = []


class DemographicsInline(admin.TabularInline):
    model = SchoolDemographics
    extra = 0


@admin.register(School)
class SchoolAdmin(AuditedAdmin):
    list_display = ["name", "district", "level", "cds_code"]
    list_filter = ["level", "district"]
    search_fields = ["name", "cds_code", "nces_id"]
    inlines = [DemographicsInline]


class TeamMembershipInline(admin.TabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Team)
class TeamAdmin(AuditedAdmin):
    list_display = ["name", "kind", "region"]
    inlines = [TeamMembershipInline]


admin.site.register([Organization, Region], AuditedAdmin)
admin.site.register(
    District, AuditedAdmin, list_display=["name", "region", "cds_code"], search_fields=["name", "cds_code"]
)
