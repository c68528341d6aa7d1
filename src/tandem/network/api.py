"""The leadership network as JSON: its cohorts with their members and convenings, the directory of
its members, and the changes its leaders and a cohort's facilitators make.

The network is for the organization's staff and its own members, present and past: to anyone else
every operation answers 404, exactly as if it did not exist. An operation the caller has no right
to answers 404 too, as the pages offer no such thing: the organization's leaders start cohorts and
schedule convenings; they and a cohort's facilitators change it and its members. People, schools
and districts named in a body are looked up among those the caller reaches, so one out of reach is
refused exactly like an id that does not exist. Every change goes through `actions`, which check
every right again; a convening is a learning session that invites the cohort's members.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Status

from tandem.access.scope import Scope
from tandem.api.common import READ_ERRORS, WRITE_ERRORS, Page, page_of
from tandem.api.common import named_errors as _named
from tandem.api.common import one_in_reach as _one
from tandem.learning.invitations import staff
from tandem.learning.models import Session
from tandem.learning.visibility import visible_sessions
from tandem.network import actions
from tandem.network.api_schemas import (
    CohortDetailOut,
    CohortFilters,
    CohortIn,
    CohortOut,
    CohortPatch,
    ConveningIn,
    ConveningOut,
    MemberFilters,
    MemberIn,
    MemberOut,
)
from tandem.network.models import Cohort, Member
from tandem.network.visibility import manages_cohort, manages_network, sees_directory, visible_cohorts, visible_members
from tandem.orgs.models import Person

router = Router(tags=["network"])

# The names a body gives what the actions and models call a person, a school, facilitators...
BODY_NAMES = {
    "person": "person_id",
    "school": "school_id",
    "district": "district_id",
    "facilitators": "facilitator_ids",
}
# Words of a directory search: as many as the page reads.
MAX_WORDS = 6


def _not_found() -> Http404:
    return Http404("Not found.")


def _reader(request: HttpRequest) -> Scope:
    """Someone on the staff or in the network; to anyone else the network does not exist."""
    scope: Scope = request.scope  # type: ignore[attr-defined]
    if not sees_directory(scope):
        raise _not_found()
    return scope


def _me(scope: Scope) -> Person:
    assert scope.person is not None
    return scope.person


def _cohort(request: HttpRequest, cohort_id: int) -> tuple[Scope, Cohort]:
    scope = _reader(request)
    return scope, scope.get(visible_cohorts(scope), cohort_id)


def _managed(request: HttpRequest, cohort_id: int) -> tuple[Scope, Cohort]:
    scope, cohort = _cohort(request, cohort_id)
    if not manages_cohort(scope, cohort):
        raise _not_found()
    return scope, cohort


def _plain(**texts: str | None) -> None:
    """PostgreSQL cannot store a NUL character in text: refuse it by name, as the other APIs do."""
    for name, value in texts.items():
        if value is not None and "\x00" in value:
            raise ValidationError(
                {name: f"The {name.replace('_', ' ')} holds a NUL character; paste it as plain text."}
            )


def _facilitators(ids: list[int]) -> list[Person]:
    """Facilitators are on the organization's staff, as the cohort's form offers."""
    found = {p.pk: p for p in staff().filter(pk__in=ids)}
    if any(i not in found for i in ids):
        raise ValidationError({"facilitator_ids": "No one on the staff has one of these ids."})
    return [found[i] for i in dict.fromkeys(ids)]


# -- out ------------------------------------------------------------------------------------------


def _ref(obj: Any) -> dict[str, Any] | None:
    if obj is None:
        return None
    if isinstance(obj, Person):
        return {"id": obj.pk, "name": obj.full_name}
    if isinstance(obj, Cohort):
        return {"id": obj.pk, "name": str(obj)}
    return {"id": obj.pk, "name": obj.name}


def _cohort_out(cohort: Cohort) -> dict[str, Any]:
    # Field by field on purpose: a new column is not answered until someone adds it here.
    count = getattr(cohort, "n_members", None)
    return {
        "id": cohort.pk,
        "name": cohort.name,
        "school_year": cohort.school_year,
        "description": cohort.description,
        "facilitators": [_ref(p) for p in cohort.facilitators.all()],
        "member_count": cohort.members.count() if count is None else count,
        "url": cohort.get_absolute_url(),
    }


def _member_out(member: Member) -> dict[str, Any]:
    return {
        "id": member.pk,
        "cohort": _ref(member.cohort),
        "person": _ref(member.person),
        "email": member.person.email,
        "role": member.role,
        "title": member.title,
        "school": _ref(member.school),
        "district": _ref(member.district),
        "joined_at": member.joined_at,
    }


def _convening_out(session: Session) -> dict[str, Any]:
    return {
        "id": session.pk,
        "title": session.title,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "time_zone": session.time_zone,
        "location": session.location,
        "status": session.status,
    }


def _convenings(scope: Scope, cohort: Cohort) -> QuerySet[Session]:
    # As the cohort's page: the learning spaces' own rules say which sessions the caller sees.
    return Session.objects.filter(cohorts=cohort, pk__in=visible_sessions(scope).values("pk")).order_by(
        "starts_at", "pk"
    )


def _members(cohort: Cohort) -> QuerySet[Member]:
    return cohort.members.select_related("cohort", "person", "school", "district").order_by("person__full_name", "pk")


def _detail(scope: Scope, cohort_id: int) -> dict[str, Any]:
    """The cohort as it is now. Read by id: the caller was already allowed to reach it."""
    cohort = Cohort.objects.prefetch_related("facilitators").annotate(n_members=Count("members")).get(pk=cohort_id)
    return {
        **_cohort_out(cohort),
        "members": [_member_out(m) for m in _members(cohort)],
        "convenings": [_convening_out(s) for s in _convenings(scope, cohort)],
        "may_manage": manages_cohort(scope, cohort),
        "may_schedule": manages_network(scope),
    }


# -- cohorts --------------------------------------------------------------------------------------


@router.get("/network/cohorts", response={200: Page[CohortOut], **READ_ERRORS})
def list_cohorts(request: HttpRequest, filters: Query[CohortFilters]) -> Any:
    """The network's cohorts, the latest school year first."""
    scope = _reader(request)
    cohorts = visible_cohorts(scope).prefetch_related("facilitators").annotate(n_members=Count("members"))
    if filters.school_year is not None:
        cohorts = cohorts.filter(school_year=filters.school_year)
    cohorts = cohorts.order_by("-school_year", "name", "pk")
    return page_of(cohorts, filters.limit, filters.offset, _cohort_out)


@router.get("/network/cohorts/{cohort_id}", response={200: CohortDetailOut, **READ_ERRORS})
def get_cohort(request: HttpRequest, cohort_id: int) -> Any:
    """A cohort with its members and its convenings."""
    scope, cohort = _cohort(request, cohort_id)
    return _detail(scope, cohort.pk)


@router.post("/network/cohorts", response={201: CohortDetailOut, **WRITE_ERRORS})
def create_cohort(request: HttpRequest, data: CohortIn) -> Any:
    """Start a cohort (the organization's leaders)."""
    scope = _reader(request)
    if not manages_network(scope):
        raise _not_found()
    _plain(name=data.name, description=data.description)
    facilitators = _facilitators(data.facilitator_ids)
    cohort = Cohort(name=data.name, school_year=data.school_year, description=data.description.strip())
    with _named(**BODY_NAMES):
        saved = actions.do_save_cohort(_me(scope), cohort, facilitators)
    return Status(201, _detail(scope, saved.pk))


@router.patch("/network/cohorts/{cohort_id}", response={200: CohortDetailOut, **WRITE_ERRORS})
def edit_cohort(request: HttpRequest, cohort_id: int, data: CohortPatch) -> Any:
    """Change a cohort (the organization's leaders and its facilitators). Only the fields given
    change; `facilitator_ids` is the whole list."""
    scope, cohort = _managed(request, cohort_id)
    given = data.dict(exclude_unset=True)
    for name in ("name", "school_year", "description", "facilitator_ids"):
        if name in given and given[name] is None:
            raise ValidationError({name: "This field cannot be empty."})
    _plain(name=given.get("name"), description=given.get("description"))
    facilitators = _facilitators(given["facilitator_ids"]) if "facilitator_ids" in given else None
    for name in ("name", "school_year", "description"):
        if name in given:
            setattr(cohort, name, given[name])
    with _named(**BODY_NAMES):
        actions.do_save_cohort(_me(scope), cohort, facilitators)
    return _detail(scope, cohort.pk)


@router.post("/network/cohorts/{cohort_id}/members", response={201: MemberOut, **WRITE_ERRORS})
def add_member(request: HttpRequest, cohort_id: int, data: MemberIn) -> Any:
    """Add a leader to the cohort, or change the role and place of one already in it (the
    organization's leaders and the cohort's facilitators)."""
    scope, cohort = _managed(request, cohort_id)
    person = _one(scope.people(), data.person_id, "person_id", "person")
    assert person is not None
    school = _one(scope.schools(), data.school_id, "school_id", "school")
    district = _one(scope.districts(), data.district_id, "district_id", "district")
    _plain(title=data.title)
    with _named(**BODY_NAMES):
        member = actions.do_add_member(_me(scope), cohort, person, data.role, school, district, data.title)
    return Status(201, _member_out(member))


@router.delete("/network/cohorts/{cohort_id}/members/{member_id}", response={204: None, **WRITE_ERRORS})
def remove_member(request: HttpRequest, cohort_id: int, member_id: int) -> Any:
    """Take a leader out of the cohort (the organization's leaders and the cohort's facilitators)."""
    scope, cohort = _managed(request, cohort_id)
    member = scope.get(cohort.members.select_related("cohort", "person"), member_id)
    actions.do_remove_member(_me(scope), member)
    return Status(204, None)


@router.post("/network/cohorts/{cohort_id}/convenings", response={201: ConveningOut, **WRITE_ERRORS})
def schedule_convening(request: HttpRequest, cohort_id: int, data: ConveningIn) -> Any:
    """Schedule a convening of the cohort (the organization's leaders): a learning session that
    invites its members and is led by its facilitators."""
    scope, cohort = _cohort(request, cohort_id)
    if not manages_network(scope):
        raise _not_found()
    _plain(title=data.title, location=data.location, time_zone=data.time_zone)
    # The learning spaces' action speaks of a session's start and end: here, the day it is held.
    with _named(starts_at="day", ends_at="day"):
        session = actions.do_schedule_convening(
            _me(scope), cohort, data.title, data.day, data.start, data.minutes, data.location, data.time_zone
        )
    # Read back: instants are answered in UTC, as the learning API answers them.
    return Status(201, _convening_out(Session.objects.get(pk=session.pk)))


# -- the directory --------------------------------------------------------------------------------


@router.get("/network/members", response={200: Page[MemberOut], **READ_ERRORS})
def list_members(request: HttpRequest, filters: Query[MemberFilters]) -> Any:
    """The network's directory: its members in every cohort, the latest school year first, then by
    name; found by words of a name, title, school or district, by cohort and by role."""
    scope = _reader(request)
    members = visible_members(scope).select_related("cohort", "person", "school", "district")
    if filters.cohort is not None:
        members = members.filter(cohort=filters.cohort)
    if filters.role:
        members = members.filter(role=filters.role)
    for word in (filters.q or "").split()[:MAX_WORDS]:
        members = members.filter(
            Q(person__full_name__icontains=word)
            | Q(title__icontains=word)
            | Q(school__name__icontains=word)
            | Q(district__name__icontains=word)
        )
    members = members.order_by("-cohort__school_year", "person__full_name", "pk")
    return page_of(members, filters.limit, filters.offset, _member_out)
