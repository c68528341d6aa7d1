"""The leadership network's pages: a network that does not exist for anyone neither on the staff nor
in it, the directory's filters and pages, cohorts started by the organization's leaders, and members
managed by a cohort's facilitators within their reach, refusals that say why and write nothing."""

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from tandem.access.roles import Role
from tandem.core import school_years
from tandem.learning.models import Session
from tandem.network import actions
from tandem.network.models import Cohort, Member
from tandem.network.views import PAGE_SIZE
from tandem.orgs.models import Person
from tests.world import World

pytestmark = pytest.mark.django_db

STAFF = (Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST)
OUTSIDERS = (Role.PRINCIPAL, Role.TEACHER, Role.DISTRICT_LEADER, Role.FUNDER)


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def _cohort(world: World, name: str = "Principals' network", year: int = 2026) -> Cohort:
    """A cohort the world's coach facilitates: the world's network member and the South half's
    principal are its members."""
    cohort = Cohort.objects.create(name=name, school_year=year)
    cohort.facilitators.set([world.people[Role.COACH]])
    Member.objects.create(
        cohort=cohort, person=world.people[Role.NETWORK_MEMBER], role="principal", school=world.inside.school
    )
    Member.objects.create(cohort=cohort, person=world.outside.principal, role="principal", school=world.outside.school)
    return cohort


def _errors(response: Any, form: str) -> dict[str, list[str]]:
    assert response.status_code == 422, response.content
    return dict(response.context[form].errors)


# -- who sees the network -------------------------------------------------------------------------


def test_staff_and_members_see_the_network_and_no_one_else(world: World) -> None:
    cohort = _cohort(world)
    pages = [reverse("network:home"), reverse("network:cohort", args=[cohort.pk])]
    readers = [world.people[r] for r in STAFF] + [world.people[Role.NETWORK_MEMBER], world.outside.principal]
    for person in readers:
        client = _client(person)
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, (person, url)
            assert "South Principal" in response.content.decode(), (person, url)
    # A principal in no cohort, a teacher, a district leader and the funder: no network at all.
    for role in OUTSIDERS:
        client = _client(world.people[role])
        for url in [*pages, reverse("network:cohort", args=[cohort.pk + 1000])]:
            assert client.get(url).status_code == 404, (role, url)
    assert Client().get(pages[0]).status_code == 302  # to the sign-in page
    # A member of a past cohort only still sees the network: it exists to keep leaders in touch.
    cohort.school_year = 2023
    cohort.save()
    assert _client(world.outside.principal).get(pages[0]).status_code == 200


def test_only_managers_see_the_forms(world: World) -> None:
    cohort = _cohort(world)
    url = reverse("network:cohort", args=[cohort.pk])
    leader = _client(world.people[Role.NATIONAL_LEADER]).get(url).content.decode()
    assert "Add a member" in leader and "Schedule a convening" in leader
    coach = _client(world.people[Role.COACH]).get(url).content.decode()
    assert "Add a member" in coach and "Schedule a convening" not in coach
    for person in (world.people[Role.ANALYST], world.people[Role.NETWORK_MEMBER]):
        page = _client(person).get(url).content.decode()
        assert "Add a member" not in page and "Schedule a convening" not in page
    home = _client(world.people[Role.NATIONAL_LEADER]).get(reverse("network:home")).content.decode()
    assert "Start a cohort" in home
    assert "Start a cohort" not in _client(world.people[Role.COACH]).get(reverse("network:home")).content.decode()


# -- the directory --------------------------------------------------------------------------------


def _names(client: Client, **query: Any) -> list[str]:
    response = client.get(reverse("network:home"), query)
    assert response.status_code == 200
    return [m.person.full_name for m in response.context["page"].object_list]


def test_the_directory_filters_by_words_cohort_and_role(world: World) -> None:
    cohort = _cohort(world)
    later = Cohort.objects.create(name="District leaders", school_year=2027)
    Member.objects.create(
        cohort=later,
        person=world.people[Role.DISTRICT_LEADER],
        role="district_leader",
        district=world.inside.district,
        title="Director of Literacy",
    )
    Member.objects.create(cohort=later, person=world.outside.principal, role="principal", school=world.outside.school)
    client = _client(world.people[Role.NETWORK_MEMBER])
    # The latest school year first, then by name; a person in two cohorts is listed in each.
    assert _names(client) == ["District leader", "South Principal", "Network member", "South Principal"]
    assert _names(client, cohort=cohort.pk) == ["Network member", "South Principal"]
    assert _names(client, role="district_leader") == ["District leader"]
    assert _names(client, role="principal", cohort=later.pk) == ["South Principal"]
    # Words match a name, a title, a school or a district, every word somewhere.
    assert _names(client, q="literacy") == ["District leader"]
    assert _names(client, q="north") == ["District leader", "Network member"]
    assert _names(client, q="northvale network") == ["Network member"]
    assert _names(client, q="south elementary", cohort=cohort.pk) == ["South Principal"]
    assert _names(client, q="nobody-by-this-name") == []
    assert "Nobody matches these filters." in client.get(reverse("network:home"), {"q": "zzz"}).content.decode()
    # A filter that is not one (an unknown cohort or role, a NUL) is an error on the form, not a failure.
    for query in ({"cohort": "999999"}, {"role": "wizard"}, {"cohort": "x"}):
        response = client.get(reverse("network:home"), query)
        assert response.status_code == 200 and response.context["form"].errors, query
    assert client.get(reverse("network:home"), {"q": "a\x00b"}).status_code == 200


def test_the_directory_pages_through_its_members(world: World) -> None:
    cohort = _cohort(world)
    people = Person.objects.bulk_create(
        Person(email=f"leader{n:02d}@example.org", full_name=f"Leader {n:02d}") for n in range(PAGE_SIZE)
    )
    Member.objects.bulk_create(
        Member(cohort=cohort, person=p, role="principal", school=world.inside.school) for p in people
    )
    client = _client(world.people[Role.NATIONAL_LEADER])
    first = client.get(reverse("network:home"))
    assert first.context["page"].paginator.count == PAGE_SIZE + 2
    assert len(first.context["page"].object_list) == PAGE_SIZE
    assert 'rel="next"' in first.content.decode()
    second = client.get(reverse("network:home"), {"page": "2", "role": "principal"})
    assert [m.person.full_name for m in second.context["page"].object_list] == ["Network member", "South Principal"]
    # The filters carry over from page to page; a page past the end is the last.
    assert "role=principal" in second.context["query"]
    assert client.get(reverse("network:home"), {"page": "99"}).context["page"].number == 2
    assert client.get(reverse("network:home"), {"page": "x"}).context["page"].number == 1


# -- cohorts ----------------------------------------------------------------------------------------


def test_a_leader_starts_a_cohort_and_a_duplicate_is_refused(world: World) -> None:
    leader = _client(world.people[Role.NATIONAL_LEADER])
    year = school_years.current()
    coach = world.people[Role.COACH]
    response = leader.post(
        reverse("network:cohort_new"),
        {
            "name": "  Leadership   network ",
            "school_year": year,
            "description": "Principals",
            "facilitators": [coach.pk],
        },
    )
    cohort = Cohort.objects.get()
    assert response.status_code == 302 and response["Location"] == cohort.get_absolute_url()
    assert (cohort.name, cohort.school_year, list(cohort.facilitators.all())) == ("Leadership network", year, [coach])

    # The same name in the same year, in other letters or spacing: refused by name, nothing saved.
    response = leader.post(reverse("network:cohort_new"), {"name": "leadership NETWORK ", "school_year": year})
    label = school_years.label(year)
    assert _errors(response, "form") == {"name": [f"There is already a cohort called “leadership NETWORK” in {label}."]}
    response = leader.post(reverse("network:cohort_new"), {"name": "Leadership network", "school_year": year})
    assert response.status_code == 422 and response.context["form"].errors
    assert Cohort.objects.count() == 1
    # The same name another year is another cohort.
    assert (
        leader.post(reverse("network:cohort_new"), {"name": "Leadership network", "school_year": year - 1}).status_code
        == 302
    )
    assert Cohort.objects.count() == 2

    # Only the organization's leaders start one; a facilitator edits their own.
    for role in (Role.COACH, Role.REGIONAL_DIRECTOR, Role.NETWORK_MEMBER):
        client = _client(world.people[role])
        assert client.get(reverse("network:cohort_new")).status_code == 404, role
        assert client.post(reverse("network:cohort_new"), {"name": "Ours", "school_year": year}).status_code == 404
    assert Cohort.objects.count() == 2
    edit = reverse("network:cohort_edit", args=[cohort.pk])
    assert _client(coach).get(edit).status_code == 200
    assert _client(world.people[Role.ANALYST]).get(edit).status_code == 404


# -- members ----------------------------------------------------------------------------------------


def test_a_leader_adds_and_removes_members(world: World) -> None:
    cohort = _cohort(world)
    leader = _client(world.people[Role.NATIONAL_LEADER])
    url = reverse("network:member_add", args=[cohort.pk])
    principal = world.people[Role.PRINCIPAL]
    body = {"person": principal.pk, "role": "principal", "school": world.inside.school.pk, "title": " Principal "}
    response = leader.post(url, body)
    assert response.status_code == 302 and response["Location"].endswith("#members")
    added = Member.objects.get(cohort=cohort, person=principal)
    assert (added.school, added.district, added.title) == (world.inside.school, world.inside.district, "Principal")
    # The new member now sees the network.
    assert _client(principal).get(reverse("network:cohort", args=[cohort.pk])).status_code == 200

    # Adding again changes the membership, never doubles it; a district leader is placed by district.
    district_leader = world.people[Role.DISTRICT_LEADER]
    body = {"person": district_leader.pk, "role": "district_leader", "district": world.outside.district.pk}
    assert leader.post(url, body).status_code == 302
    assert Member.objects.get(person=district_leader).district == world.outside.district
    body = {"person": principal.pk, "role": "assistant_principal", "school": world.inside.school.pk}
    assert leader.post(url, body).status_code == 302
    assert Member.objects.get(cohort=cohort, person=principal).role == "assistant_principal"
    assert cohort.members.count() == 4

    # Without a school or a district: refused by name, nothing saved.
    response = leader.post(url, {"person": world.people[Role.TEACHER].pk, "role": "principal"})
    assert _errors(response, "member_form") == {
        "school": ["Give the member's school, or their district for a district leader."]
    }
    assert cohort.members.count() == 4

    remove = reverse("network:member_remove", args=[cohort.pk, added.pk])
    response = leader.post(remove)
    assert response.status_code == 302 and not Member.objects.filter(pk=added.pk).exists()
    assert _client(principal).get(reverse("network:home")).status_code == 404
    assert leader.post(remove).status_code == 404


def test_a_facilitator_manages_members_within_reach_but_schedules_no_convening(world: World) -> None:
    cohort = _cohort(world)
    coach = world.people[Role.COACH]
    client = _client(coach)
    url = reverse("network:member_add", args=[cohort.pk])
    teacher = world.people[Role.TEACHER]

    # A school outside the coach's reach is not among the choices, nor reached through the action.
    response = client.post(url, {"person": teacher.pk, "role": "teacher_leader", "school": world.outside.school.pk})
    assert list(_errors(response, "member_form")) == ["school"]
    response = client.post(url, {"person": world.outside.partner.pk, "role": "other", "school": world.inside.school.pk})
    assert list(_errors(response, "member_form")) == ["person"]
    assert not Member.objects.filter(person__in=[teacher, world.outside.partner]).exists()
    with pytest.raises(ValidationError) as refused:
        actions.do_add_member(coach, cohort, teacher, "teacher_leader", school=world.outside.school)
    assert refused.value.message_dict == {"school": ["Choose a school within your reach."]}
    with pytest.raises(ValidationError) as refused:
        actions.do_add_member(coach, cohort, teacher, "other", district=world.outside.district)
    assert refused.value.message_dict == {"district": ["Choose a district within your reach."]}
    assert cohort.members.count() == 2

    # Within reach, the facilitator adds and removes members.
    body = {"person": teacher.pk, "role": "teacher_leader", "school": world.inside.school.pk, "title": "ELD lead"}
    assert client.post(url, body).status_code == 302
    assert Member.objects.get(person=teacher).title == "ELD lead"
    south = cohort.members.get(person=world.outside.principal)
    assert client.post(reverse("network:member_remove", args=[cohort.pk, south.pk])).status_code == 302
    assert not Member.objects.filter(pk=south.pk).exists()

    # Scheduling a convening is for the organization's leaders: the facilitator finds no page.
    body = {"day": "2026-10-15", "start": "09:00", "minutes": 360, "time_zone": "America/Los_Angeles"}
    assert client.post(reverse("network:convening_add", args=[cohort.pk]), body).status_code == 404
    assert not Session.objects.exists()
    with pytest.raises(ValidationError) as refused:
        actions.do_schedule_convening(coach, cohort, "", datetime.date(2026, 10, 15), datetime.time(9), 360)
    assert refused.value.messages == ["Only the organization's leaders schedule convenings."]

    # Another cohort is not theirs to change.
    other = Cohort.objects.create(name="Others", school_year=2026)
    member = Member.objects.create(cohort=other, person=teacher, role="other", school=world.inside.school)
    assert client.post(reverse("network:member_add", args=[other.pk]), body | {"person": teacher.pk}).status_code == 404
    assert client.post(reverse("network:member_remove", args=[other.pk, member.pk])).status_code == 404
    assert Member.objects.filter(pk=member.pk).exists()


def test_members_who_do_not_manage_change_nothing(world: World) -> None:
    cohort = _cohort(world)
    south = cohort.members.get(person=world.outside.principal)
    for person in (world.people[Role.NETWORK_MEMBER], world.people[Role.ANALYST], world.people[Role.PRINCIPAL]):
        client = _client(person)
        assert client.post(reverse("network:member_remove", args=[cohort.pk, south.pk])).status_code == 404
        body = {"person": person.pk, "role": "principal", "school": world.inside.school.pk}
        assert client.post(reverse("network:member_add", args=[cohort.pk]), body).status_code == 404
        assert client.get(reverse("network:cohort_edit", args=[cohort.pk])).status_code == 404
    assert cohort.members.count() == 2
