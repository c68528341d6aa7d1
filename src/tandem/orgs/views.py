import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from tandem.access.models import SCOPE_FIELDS, RoleAssignment
from tandem.access.roles import Capability, Role
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate, query_without_page
from tandem.orgs import actions
from tandem.orgs.filters import PersonFilter, SchoolFilter
from tandem.orgs.forms import InviteForm, ProfileForm, RoleFields
from tandem.practices.like_mine import like_mine
from tandem.practices.visibility import reads_library


def _active_partner_count() -> Count:
    return Count("partnership_memberships", filter=Q(partnership_memberships__left_on__isnull=True), distinct=True)


@login_required
def regions(request: HttpRequest) -> HttpResponse:
    visible = Q(districts__in=request.scope.districts())
    qs = (
        request.scope.regions().annotate(n_districts=Count("districts", filter=visible, distinct=True)).order_by("name")
    )
    return render(request, "orgs/regions.html", {"page": paginate(request, qs)})


@login_required
def region(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.regions(), pk)
    districts = (
        scope.districts()
        .filter(region=obj)
        .annotate(n_schools=Count("schools", filter=scope.school_filter("schools")))
        .order_by("name")
    )
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
    scope = request.scope
    qs = (
        scope.districts()
        .select_related("region")
        .annotate(n_schools=Count("schools", filter=scope.school_filter("schools")))
        .order_by("name")
    )
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
            "like_mine": like_mine(scope, obj) if reads_library(scope) else None,
        },
    )


@login_required
def people(request: HttpRequest) -> HttpResponse:
    form = PersonFilter(request.GET)
    qs = form.apply(request.scope.people()).prefetch_related("roles")
    return render(
        request,
        "orgs/people.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "query": query_without_page(request),
            "can_manage": request.scope.is_org_wide(Capability.MANAGE_PEOPLE),
        },
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
        {
            "person": obj,
            "roles": roles,
            "assignments": assignments,
            "teams": obj.teams.all(),
            "can_manage": scope.is_org_wide(Capability.MANAGE_PEOPLE),
            "today": datetime.date.today(),
        },
    )


def _manager(request: HttpRequest) -> None:
    if not request.scope.is_org_wide(Capability.MANAGE_PEOPLE):
        raise Http404("Not found.")


@login_required
def person_invite(request: HttpRequest) -> HttpResponse:
    _manager(request)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = actions.do_invite_person(request.user, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e, [(SCOPE_FIELDS, "scope")])
        else:
            messages.success(
                request, f"Added {person}. An invitation to choose a password is on its way to {person.email}."
            )
            return redirect(person)
    return render(request, "orgs/person_form.html", {"form": form, "title": "Add a person"})


@login_required
def role_grant(request: HttpRequest, pk: int) -> HttpResponse:
    _manager(request)
    person = request.scope.get(request.scope.people(), pk)
    form = RoleFields(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_grant_role(request.user, person, form.cleaned_data["role"], form.cleaned_data["scope"])
        except ValidationError as e:
            apply_errors(form, e, [(SCOPE_FIELDS, "scope")])
        else:
            messages.success(
                request, f"{person} is now {Role(form.cleaned_data['role']).label} over {form.cleaned_data['scope']}."
            )
            return redirect(person)
    return render(request, "orgs/person_form.html", {"form": form, "title": f"Give {person} a role", "person": person})


@login_required
@require_POST
def role_end(request: HttpRequest, pk: int, role_id: int) -> HttpResponse:
    _manager(request)
    person = request.scope.get(request.scope.people(), pk)
    assignment = request.scope.get(RoleAssignment.objects.filter(person=person), role_id)
    label = f"{assignment.get_role_display()} over {assignment.scope_object}"
    try:
        ended = actions.do_end_role(request.user, assignment)
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"Ended {label}." if ended else f"Withdrew {label}, which had not started.")
    return redirect(person)


@login_required
def profile_edit(request: HttpRequest) -> HttpResponse:
    person = request.user
    form = ProfileForm(request.POST or None, instance=person)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_update_profile(request.user, person, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e, [(SCOPE_FIELDS, "scope")])
        else:
            messages.success(request, "Your profile is saved.")
            return redirect(person)
    return render(request, "orgs/person_form.html", {"form": form, "title": "Your profile", "person": person})
