"""A small world for tests, in two halves: everyone scoped to a place is scoped to the "in" half,
so the "out" half is what they must not reach.

Region North holds district Northvale with schools North Elementary (a partner school) and North
Middle; region South mirrors it. Each role has one person, named after the role.
"""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.apps import apps as django_apps

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.achievement import catalog
from tandem.andon.feed import shipped as feed_shipped
from tandem.coaching.install import install as coaching_install
from tandem.inquiry import shipped as inquiry_shipped
from tandem.learning import shipped as learning_shipped
from tandem.orgs.models import District, Organization, Person, Region, School, SchoolDemographics
from tandem.partnerships.models import CostOfService, FundingSource, Partnership, PartnershipSchool, SiteAssignment

PASSWORD = "correct horse battery staple"
ORG_WIDE = {Role.ORG_ADMIN, Role.NATIONAL_LEADER}


@dataclass
class Half:
    region: Region
    district: District
    school: School
    other_school: School
    partnership: Partnership
    principal: Person
    # A member of the organization's staff working in this half (not placed at a site yet).
    partner: Person


@dataclass
class World:
    org: Organization
    halves: dict[str, Half]
    people: dict[str, Person] = field(default_factory=dict)

    @property
    def inside(self) -> Half:
        return self.halves["in"]

    @property
    def outside(self) -> Half:
        return self.halves["out"]


def make_person(email: str, name: str, password: str = PASSWORD, **fields: object) -> Person:
    return Person.objects.create_user(email=email, password=password, full_name=name, **fields)


def _half(org: Organization, label: str, digit: int, year: int) -> Half:
    region = Region.objects.create(organization=org, name=f"{label} region")
    district = District.objects.create(region=region, name=f"{label}vale Unified", cds_code=f"0{digit}10000")
    school = School.objects.create(
        district=district,
        name=f"{label} Elementary",
        cds_code=f"0{digit}100000000001",
        level="elementary",
        lowest_grade="K",
        highest_grade="5",
    )
    other = School.objects.create(
        district=district,
        name=f"{label} Middle",
        cds_code=f"0{digit}100000000002",
        level="middle",
        lowest_grade="6",
        highest_grade="8",
    )
    for s in (school, other):
        SchoolDemographics.objects.create(
            school=s,
            school_year=year,
            enrollment=400,
            teachers=20,
            pct_socioeconomically_disadvantaged=Decimal("80"),
            pct_english_learners=Decimal("30"),
            pct_students_with_disabilities=Decimal("12"),
        )
    partnership = Partnership.objects.create(
        organization=org,
        name=f"{label} partnership",
        model="intensive",
        start_date=datetime.date(year - 2, 8, 1),
        planned_years=4,
    )
    PartnershipSchool.objects.create(partnership=partnership, school=school, joined_on=partnership.start_date)
    cost = CostOfService.objects.create(partnership=partnership, school_year=year, total_cost=Decimal("200000"))
    FundingSource.objects.create(cost=cost, kind="school_fees", amount=Decimal("80000"))
    principal = make_person(f"principal.{label.lower()}@example.org", f"{label} Principal")
    RoleAssignment.objects.create(person=principal, role=Role.PRINCIPAL, school=school)
    partner = make_person(f"partner.{label.lower()}@example.org", f"{label} Partner")
    RoleAssignment.objects.create(person=partner, role=Role.COACH, school=school)
    return Half(region, district, school, other, partnership, principal, partner)


def build_world(year: int = 2026) -> World:
    # Tests on committed data start from emptied tables; what migrations ship comes back here.
    catalog.load(django_apps)
    inquiry_shipped.install(
        django_apps.get_model("inquiry", "Template"), django_apps.get_model("inquiry", "TemplateStep")
    )
    coaching_install(django_apps)
    learning_shipped.install(django_apps.get_model("learning", "SessionType"))
    feed_shipped.install(django_apps.get_model("feed", "Topic"))
    org = Organization.objects.create(name="Test Partners")
    world = World(org, {"in": _half(org, "North", 1, year), "out": _half(org, "South", 2, year)})
    h = world.inside
    scopes: dict[str, dict[str, object]] = {
        Role.ORG_ADMIN: {"organization": org},
        Role.NATIONAL_LEADER: {"organization": org},
        Role.REGIONAL_DIRECTOR: {"region": h.region},
        Role.COACH: {"school": h.school},
        Role.DISTRICT_LEADER: {"district": h.district},
        Role.PRINCIPAL: {"school": h.school},
        Role.TEACHER: {"school": h.school},
        Role.ANALYST: {"region": h.region},
        Role.FUNDER: {"region": h.region},
        Role.NETWORK_MEMBER: {"school": h.school},
    }
    for role, scope in scopes.items():
        person = make_person(f"{role}@example.org", Role(role).label)
        RoleAssignment.objects.create(person=person, role=role, **scope)
        world.people[role] = person
    SiteAssignment.objects.create(
        partnership=h.partnership,
        school=h.school,
        person=world.people[Role.COACH],
        days_per_week=Decimal("3.5"),
        start_date=h.partnership.start_date,
    )
    return world
