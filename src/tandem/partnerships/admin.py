from django.contrib import admin

from tandem.core.admin import AuditedAdmin
from tandem.partnerships.models import CostOfService, FundingSource, Partnership, PartnershipSchool, SiteAssignment


class MembershipInline(admin.TabularInline):
    model = PartnershipSchool
    extra = 0


class AssignmentInline(admin.TabularInline):
    model = SiteAssignment
    extra = 0


@admin.register(Partnership)
class PartnershipAdmin(AuditedAdmin):
    list_display = ["name", "model", "phase", "status", "start_date"]
    list_filter = ["model", "phase", "status"]
    search_fields = ["name"]
    inlines = [MembershipInline, AssignmentInline]


class FundingInline(admin.TabularInline):
    model = FundingSource
    extra = 0


@admin.register(CostOfService)
class CostAdmin(AuditedAdmin):
    list_display = ["partnership", "school_year", "total_cost"]
    inlines = [FundingInline]
