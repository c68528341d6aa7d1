from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from tandem.access.roles import Capability
from tandem.core.lists import paginate, query_without_page
from tandem.orgs.filters import PersonFilter, SchoolFilter


def _active_partner_count() -> Count:
    return Count("partnership_memberships", filter=Q(partnership_memberships__left_on__isnull=True), distinct=True)


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    qs = request.scope.regions().annotate(n_districts=Count("districts", distinct=True)).order_by("name")
    return render(request, "orgs/regions.html", {"page": paginate(request, qs)})


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.regions(), pk)
    districts = scope.districts().filter(region=obj).annotate(n_schools=Count("schools")).order_by("name")
    partnerships = (
        scope.partnerships().filter(Q(district__region=obj) | Q(memberships__school__district__region=obj)).distinct()
    )
    return render(
        request,
        "orgs/region.html",
        {"region": obj, "districts": districts, "partnerships": partnerships, "teams": obj.teams.all()},
    )


@login_required
def districts(request: HttpRequest) -> HttpResponse:
    qs = request.scope.districts().select_related("region").annotate(n_schools=Count("schools")).order_by("name")
    return render(request, "orgs/districts.html", {"page": paginate(request, qs)})


@login_required
def district(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.districts().select_related("region"), pk)
    schools = scope.schools().filter(district=obj).annotate(n_partnerships=_active_partner_count()).order_by("name")
    partnerships = scope.partnerships().filter(Q(district=obj) | Q(memberships__school__district=obj)).distinct()
    return render(request, "orgs/district.html", {"district": obj, "schools": schools, "partnerships": partnerships})


@login_required
def schools(request: HttpRequest) -> HttpResponse:
    scope = request.scope
    form = SchoolFilter(request.GET, scope)
    qs = form.apply(
        scope.schools().select_related("district").annotate(n_partnerships=_active_partner_count()).order_by("name")
    )
    return render(
        request,
        "orgs/schools.html",
        {"page": paginate(request, qs), "form": form, "query": query_without_page(request)},
    )


@login_required
def school(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.schools().select_related("district__region"), pk)
    staff = obj.site_assignments.select_related("person", "partnership").order_by("-start_date")
    people = scope.people().filter(roles__school=obj).distinct()
    return render(
        request,
        "orgs/school.html",
        {
            "school": obj,
            "demographics": obj.demographics.all(),
            "partnerships": scope.partnerships().filter(memberships__school=obj).distinct(),
            "staff": staff,
            "people": people,
            "can_see_students": scope.covers_school(Capability.VIEW_STUDENTS, obj.pk),
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    form = PersonFilter(request.GET)
    qs = form.apply(request.scope.people()).prefetch_related("roles")
    return render(
        request,
        "orgs/people.html",
        {"page": paginate(request, qs), "form": form, "query": query_without_page(request)},
    )


@login_required
def person(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.people(), pk)
    # A role somewhere the viewer cannot see would name that place: leave it out.
    roles = [
        r
        for r in obj.roles.select_related("organization", "region", "district", "school", "partnership")
        if scope.sees_scope_of(r)
    ]
    assignments = obj.site_assignments.filter(school__in=scope.schools()).select_related("school", "partnership")
    return render(
        request,
        "orgs/person.html",
        {"person": obj, "roles": roles, "assignments": assignments, "teams": obj.teams.all()},
    )
