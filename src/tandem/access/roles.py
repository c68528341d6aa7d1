"""The roles a person can hold, where each may be scoped, and what each may do there.

This table is the whole policy: the scope engine reads it and nothing else decides access.
"""

from enum import StrEnum

from django.db import models


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", "Org admin"
    NATIONAL_LEADER = "national_leader", "National leader"
    REGIONAL_DIRECTOR = "regional_director", "Regional director"
    COACH = "coach", "Coach / partner"
    DISTRICT_LEADER = "district_leader", "District leader"
    PRINCIPAL = "principal", "Principal"
    TEACHER = "teacher", "Teacher"
    ANALYST = "analyst", "Analyst"
    FUNDER = "funder", "Funder / board"
    NETWORK_MEMBER = "network_member", "Network member"


class ScopeKind(StrEnum):
    ORGANIZATION = "organization"
    REGION = "region"
    DISTRICT = "district"
    SCHOOL = "school"
    PARTNERSHIP = "partnership"


class Capability(StrEnum):
    # See the schools, districts, regions and partnerships in scope, and the people there.
    VIEW = "view"
    # Student-level records: funders and network members never get this.
    VIEW_STUDENTS = "view_students"
    # Costs of service and funding sources.
    VIEW_FINANCE = "view_finance"
    # Create and edit partnerships, site assignments and costs.
    MANAGE_PARTNERSHIPS = "manage_partnerships"
    # Create people and give them roles.
    MANAGE_PEOPLE = "manage_people"
    # Import student data and public results.
    IMPORT_DATA = "import_data"
    # Lead the teams working in these schools: follow and steer their cycles of inquiry.
    LEAD = "lead"
    # Supervise the coaching in these schools: activity, goals and ratings (never private notes).
    SUPERVISE_COACHING = "supervise_coaching"
    # Answer the help desk: every ticket, its requester's messages and the intake's failures.
    HELP_DESK = "help_desk"


C = Capability
S = ScopeKind

ALLOWED_SCOPES: dict[str, set[ScopeKind]] = {
    Role.ORG_ADMIN: {S.ORGANIZATION},
    Role.NATIONAL_LEADER: {S.ORGANIZATION},
    Role.REGIONAL_DIRECTOR: {S.REGION},
    Role.COACH: {S.SCHOOL, S.PARTNERSHIP, S.DISTRICT},
    Role.DISTRICT_LEADER: {S.DISTRICT},
    Role.PRINCIPAL: {S.SCHOOL},
    Role.TEACHER: {S.SCHOOL},
    Role.ANALYST: {S.ORGANIZATION, S.REGION, S.DISTRICT},
    Role.FUNDER: {S.ORGANIZATION, S.REGION, S.PARTNERSHIP},
    Role.NETWORK_MEMBER: {S.SCHOOL, S.DISTRICT},
}

CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.ORG_ADMIN: frozenset(C),
    Role.NATIONAL_LEADER: frozenset(
        {C.VIEW, C.VIEW_STUDENTS, C.VIEW_FINANCE, C.MANAGE_PARTNERSHIPS, C.LEAD, C.SUPERVISE_COACHING, C.HELP_DESK}
    ),
    Role.REGIONAL_DIRECTOR: frozenset(
        {C.VIEW, C.VIEW_STUDENTS, C.VIEW_FINANCE, C.MANAGE_PARTNERSHIPS, C.LEAD, C.SUPERVISE_COACHING}
    ),
    Role.COACH: frozenset({C.VIEW, C.VIEW_STUDENTS, C.LEAD}),
    Role.DISTRICT_LEADER: frozenset({C.VIEW, C.VIEW_STUDENTS, C.LEAD}),
    Role.PRINCIPAL: frozenset({C.VIEW, C.VIEW_STUDENTS, C.LEAD}),
    Role.TEACHER: frozenset({C.VIEW, C.VIEW_STUDENTS}),
    Role.ANALYST: frozenset({C.VIEW, C.VIEW_STUDENTS, C.IMPORT_DATA}),
    Role.FUNDER: frozenset({C.VIEW, C.VIEW_FINANCE}),
    Role.NETWORK_MEMBER: frozenset({C.VIEW}),
}

# Roles whose holders work for the organization itself (they see its org-wide staff).
STAFF_ROLES = frozenset({Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST})
