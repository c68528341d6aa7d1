from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from tandem.access.roles import Capability
from tandem.core import school_years
from tandem.core.forms import apply_errors
from tandem.core.lists import paginate, query_without_page
from tandem.orgs.models import Organization
from tandem.partnerships import actions
from tandem.partnerships.forms import AssignmentForm, CostForm, FundingFormSet, PartnershipForm
from tandem.partnerships.models import Partnership
from tandem.partnerships.reach import reach_by_year, years_with_partnerships

MANAGE = Capability.MANAGE_PARTNERSHIPS


class PartnershipFilter(forms.Form):
    q = forms.CharField(label="Name", required=False, max_length=100)
    model = forms.ChoiceField(choices=[("", "All models"), *Partnership.Model.choices], required=False)
    phase = forms.ChoiceField(choices=[("", "All phases"), *Partnership.Phase.choices], required=False)
    status = forms.ChoiceField(choices=[("", "All statuses"), *Partnership.Status.choices], required=False)


def _managed(request: HttpRequest, pk: int) -> Partnership:
    return request.scope.get(request.scope.partnerships(MANAGE), pk)


@login_required
def partnership_list(request: HttpRequest) -> HttpResponse:
    form = PartnershipFilter(request.GET)
    qs = (
        request.scope.partnerships()
        .select_related("district")
        .annotate(
            n_schools=Count(
                "memberships",
                filter=Q(memberships__left_on__isnull=True) & request.scope.school_filter("memberships__school"),
                distinct=True,
            )
        )
        .order_by("name")
    )
    if form.is_valid():
        d = form.cleaned_data
        if d["q"]:
            qs = qs.filter(name__icontains=d["q"])
        for key in ("model", "phase", "status"):
            if d[key]:
                qs = qs.filter(**{key: d[key]})
    return render(
        request,
        "partnerships/list.html",
        {
            "page": paginate(request, qs),
            "form": form,
            "query": query_without_page(request),
            "can_manage": request.scope.can(MANAGE),
        },
    )


@login_required
def partnership_detail(request: HttpRequest, pk: int) -> HttpResponse:
    scope = request.scope
    obj = scope.get(scope.partnerships().select_related("district", "organization"), pk)
    visible_schools = scope.schools()
    can_finance = scope.partnerships(Capability.VIEW_FINANCE).filter(pk=obj.pk).exists()
    can_manage = scope.partnerships(MANAGE).filter(pk=obj.pk).exists()
    return render(
        request,
        "partnerships/detail.html",
        {
            "partnership": obj,
            "memberships": obj.memberships.filter(school__in=visible_schools).select_related("school"),
            "assignments": obj.assignments.filter(school__in=visible_schools).select_related("school", "person"),
            "costs": obj.costs.prefetch_related("sources") if can_finance else None,
            "can_manage": can_manage,
        },
    )


@login_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    scope = request.scope
    if not scope.can(MANAGE):
        raise Http404("Not found.")
    form = PartnershipForm(request.POST or None, scope=scope)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        schools = list(data.pop("schools"))
        try:
            partnership = actions.do_create_partnership(
                request.user, organization=Organization.objects.get(), schools=schools, **data
            )
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Created {partnership}.")
            return redirect(partnership)
    return render(request, "partnerships/form.html", {"form": form, "title": "New partnership"})


@login_required
def partnership_edit(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    form = PartnershipForm(request.POST or None, instance=partnership, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        schools = list(data.pop("schools"))
        try:
            actions.do_update_partnership(request.user, partnership, schools=schools, **data)
        except ValidationError as e:
            partnership.refresh_from_db()
            apply_errors(form, e)
        else:
            messages.success(request, f"Saved {partnership}.")
            return redirect(partnership)
    return render(
        request, "partnerships/form.html", {"form": form, "title": f"Edit {partnership}", "partnership": partnership}
    )


@login_required
def assignment_create(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    form = AssignmentForm(request.POST or None, partnership=partnership, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            actions.do_assign_staff(request.user, partnership, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(request, f"Assigned {form.cleaned_data['person']} to {form.cleaned_data['school']}.")
            return redirect(partnership)
    return render(
        request,
        "partnerships/form.html",
        {"form": form, "title": f"Assign staff to {partnership}", "partnership": partnership},
    )


@login_required
@require_POST
def assignment_end(request: HttpRequest, pk: int, assignment_id: int) -> HttpResponse:
    partnership = _managed(request, pk)
    assignment = request.scope.get(partnership.assignments.select_related("person", "school"), assignment_id)
    try:
        actions.do_end_assignment(request.user, assignment, timezone.localdate())
    except ValidationError as e:
        messages.error(request, " ".join(e.messages))
    else:
        messages.success(request, f"{assignment.person} no longer works at {assignment.school} from today.")
    return redirect(partnership)


@login_required
def cost_record(request: HttpRequest, pk: int) -> HttpResponse:
    partnership = _managed(request, pk)
    form = CostForm(request.POST or None, initial={"school_year": school_years.current()})
    lines = FundingFormSet(request.POST or None, prefix="sources")
    if request.method == "POST" and form.is_valid() and lines.is_valid():
        sources = [
            actions.FundingLine(kind=f["kind"], amount=f["amount"], funder_name=f["funder_name"])
            for f in lines.cleaned_data
            if f.get("kind")
        ]
        try:
            actions.do_record_cost(request.user, partnership, sources=sources, **form.cleaned_data)
        except ValidationError as e:
            apply_errors(form, e)
        else:
            messages.success(
                request, f"Recorded the cost of service for {school_years.label(form.cleaned_data['school_year'])}."
            )
            return redirect(partnership)
    return render(
        request,
        "partnerships/cost_form.html",
        {"form": form, "lines": lines, "partnership": partnership},
    )


@login_required
def reach(request: HttpRequest) -> HttpResponse:
    partnerships = request.scope.partnerships()
    rows = reach_by_year(partnerships, years_with_partnerships(partnerships), request.scope.school_ids())
    return render(request, "partnerships/reach.html", {"rows": list(reversed(rows))})
