"""Convenings are learning sessions that invite a cohort: scheduled from the cohort's page by the
organization's leaders, they are of the network convening type, invite every member (those added
later too), show on the members' session pages and calendars and on nobody else's, and bad input is
refused precisely, beside its field, with nothing scheduled."""

import datetime
import zoneinfo
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.learning.invitations import invitees, sessions_for
from tandem.learning.models import Audience, Session
from tandem.network.models import Cohort, Member
from tandem.orgs.models import Person
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def cohort(world: World) -> Cohort:
    """The world's network member and the South half's principal, facilitated by the coach."""
    found = Cohort.objects.create(name="Leadership Development Network", school_year=2027)
    Member.objects.create(
        cohort=found, person=world.people[Role.NETWORK_MEMBER], role="principal", school=world.inside.school
    )
    Member.objects.create(
        cohort=found,
        person=world.people[Role.DISTRICT_LEADER],
        role="district_leader",
        district=world.inside.district,
    )
    Member.objects.create(cohort=found, person=world.outside.principal, role="principal", school=world.outside.school)
    found.facilitators.add(world.people[Role.COACH])
    return found


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _day() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=30)


def _schedule(world: World, cohort: Cohort, **change: Any) -> Any:
    form = {
        "title": "Winter convening",
        "day": _day().isoformat(),
        "start": "09:30",
        "minutes": "360",
        "location": "Dolores Huerta Elementary",
        "time_zone": "America/New_York",
        **change,
    }
    leader = _client(world.people[Role.NATIONAL_LEADER])
    return leader.post(reverse("network:convening_add", args=[cohort.pk]), form)


def test_a_convening_is_a_learning_session_that_invites_every_member(world: World, cohort: Cohort) -> None:
    response = _schedule(world, cohort)
    assert response.status_code == 302 and response["Location"] == f"{cohort.get_absolute_url()}#convenings"
    session = Session.objects.get()
    assert session.session_type.audience == Audience.NETWORK and session.session_type.name == "Network convening"
    assert list(session.cohorts.all()) == [cohort]
    assert (session.title, session.location, session.time_zone) == (
        "Winter convening",
        "Dolores Huerta Elementary",
        "America/New_York",
    )
    starts = datetime.datetime.combine(_day(), datetime.time(9, 30), tzinfo=zoneinfo.ZoneInfo("America/New_York"))
    assert (session.starts_at, session.minutes, session.local_date) == (starts, 360, _day())
    # Led by the cohort's facilitators; its agenda is the convening type's.
    assert list(session.facilitators.all()) == [world.people[Role.COACH]]
    assert session.agenda

    # Every member is invited, and sees it on their calendar and its page; nobody else does.
    members = {m.person for m in cohort.members.select_related("person")}
    assert members | {world.people[Role.COACH]} == set(invitees(session))
    for person in members:
        assert sessions_for(person).filter(pk=session.pk).exists(), person
    for person in (world.people[Role.NETWORK_MEMBER], world.outside.principal, world.people[Role.DISTRICT_LEADER]):
        page = _client(person).get(reverse("learning:session", args=[session.pk]))
        assert page.status_code == 200 and "Winter convening" in page.content.decode(), person
        home = _client(person).get(reverse("network:home"))
        assert list(home.context["upcoming"]) == [session]
        assert "Winter convening" in _client(person).get(cohort.get_absolute_url()).content.decode()
    for role in (Role.PRINCIPAL, Role.TEACHER, Role.FUNDER):
        outsider = world.people[role]
        assert not sessions_for(outsider).filter(pk=session.pk).exists(), role
        assert _client(outsider).get(reverse("learning:session", args=[session.pk])).status_code == 404, role


def test_a_member_added_later_is_invited_and_one_removed_is_not(world: World, cohort: Cohort) -> None:
    assert _schedule(world, cohort, title="").status_code == 302
    session = Session.objects.get()
    # Without a title, it is named after the cohort.
    assert session.title == "Leadership Development Network convening"
    principal = world.people[Role.PRINCIPAL]
    url = reverse("learning:session", args=[session.pk])
    assert _client(principal).get(url).status_code == 404
    leader = _client(world.people[Role.NATIONAL_LEADER])
    body = {"person": principal.pk, "role": "principal", "school": world.inside.school.pk}
    assert leader.post(reverse("network:member_add", args=[cohort.pk]), body).status_code == 302
    assert principal in set(invitees(session))
    assert _client(principal).get(url).status_code == 200
    member = cohort.members.get(person=principal)
    assert leader.post(reverse("network:member_remove", args=[cohort.pk, member.pk])).status_code == 302
    assert principal not in set(invitees(session))
    assert _client(principal).get(url).status_code == 404


@pytest.mark.parametrize(
    "change, errors",
    [
        ({"time_zone": "Mars/Olympus"}, {"time_zone": ["Unknown time zone 'Mars/Olympus'."]}),
        ({"time_zone": "../../etc/passwd"}, {"time_zone": ["Unknown time zone '../../etc/passwd'."]}),
        ({"minutes": "5"}, {"minutes": ["A convening day lasts from 15 minutes to 12 hours."]}),
        ({"minutes": "721"}, {"minutes": ["A convening day lasts from 15 minutes to 12 hours."]}),
        ({"day": "2101-01-05"}, {"day": ["Give a date from 1990 to 2100."]}),
        ({"day": "9999-12-31"}, {"day": ["Give a date from 1990 to 2100."]}),
        ({"day": "1989-12-31"}, {"day": ["Give a date from 1990 to 2100."]}),
        # Its end would fall on the first day of 2101.
        ({"day": "2100-12-31", "start": "18:00"}, {"day": ["Give a date from 1990 to 2100."]}),
        ({"day": "someday"}, {"day": ["Enter a valid date."]}),
        ({"start": "25:00"}, {"start": ["Enter a valid time."]}),
    ],
)
def test_bad_convenings_are_refused_precisely_and_nothing_is_scheduled(
    world: World, cohort: Cohort, change: dict[str, str], errors: dict[str, list[str]]
) -> None:
    response = _schedule(world, cohort, **change)
    assert response.status_code == 422
    assert dict(response.context["convening_form"].errors) == errors
    # The page comes back with the form open and its errors beside the fields.
    assert errors[next(iter(errors))][0].replace("'", "&#x27;") in response.content.decode()
    assert not Session.objects.exists()


def test_only_the_organizations_leaders_schedule(world: World, cohort: Cohort) -> None:
    form = {"day": _day().isoformat(), "start": "09:00", "minutes": "360", "time_zone": "America/Los_Angeles"}
    url = reverse("network:convening_add", args=[cohort.pk])
    # The facilitator (a coach), a member, a regional director, and people outside the network.
    for role in (Role.COACH, Role.NETWORK_MEMBER, Role.REGIONAL_DIRECTOR, Role.PRINCIPAL, Role.FUNDER):
        assert _client(world.people[role]).post(url, form).status_code == 404, role
    assert _client(world.people[Role.NATIONAL_LEADER]).get(url).status_code == 405
    assert not Session.objects.exists()
