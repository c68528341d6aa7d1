"""The demo's leadership network: the Leadership Development Network, a cohort of the partner
schools' principals and the districts' leaders for each of the last two school years, facilitated
by the director of learning with the chief program officer (this year) or the Bay Area's regional
director (last year).

Each cohort meets four times a year, on a Thursday in September, November, February and late
April, besides the launch convening in August that the learning spaces' demo holds for everyone.
The convenings are learning sessions scheduled through the network's own action, so they invite
the cohort's members; those already held have attendance, notes, slides and takeaways.

Everything goes through the actions layers (network and learning). They stamp the real time;
afterwards each step's audit entries and objects are set back to the day the story says it
happened, as the other demo stories do.
"""

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.core import school_years
from tandem.demo.timeline import dated, moment
from tandem.learning import actions as learning
from tandem.learning.models import Attendance, Material, Session, Takeaway
from tandem.network import actions
from tandem.network.models import Cohort, Member
from tandem.orgs.models import District, Person, School
from tandem.partnerships.models import Partnership, PartnershipSchool

NAME = "Leadership Development Network"
ZONE = "America/Los_Angeles"

DESCRIPTIONS = {
    "current": "Principals of our partner schools and their districts' academic leaders, learning from one "
    "another's cycles of inquiry. This year's focus: reading and academic talk for English learners, and "
    "leading teams that look at student work together. Four convenings, each hosted by a member school, "
    "with a learning walk, a case from a member's cycle and time to plan the next steps with colleagues.",
    "previous": "The network's first cohort: the principals of the Bayview and Eastshore partner schools and "
    "their districts' academic leaders. Focus: leading a results-oriented cycle of inquiry with the school's "
    "leadership team.",
}

# (month, day the Thursday is on or after, title, location, notes, takeaways), by cohort.
CONVENINGS = {
    "current": [
        (
            9,
            15,
            "Convening 1: Naming our problems of practice",
            "Cesar Chavez Elementary, library",
            "Members shared the problem of practice each school's leadership team chose from the spring results, "
            "then met in trios by focus (early reading, English learners, math). Learning walk of the grade 3–5 "
            "small-group reading block at Cesar Chavez. Each member left with the first action of their cycle and "
            "a colleague to check in with before November.",
            [
                "Name the problem of practice in terms of what students do, not what the program lacks.",
                "Pick one look-for for the learning walk and share it with teachers beforehand.",
                "Ask the trio partner for feedback on the cycle's first action before launching it.",
            ],
        ),
        (
            11,
            3,
            "Convening 2: Academic talk for English learners",
            "Dolores Huerta Elementary, multipurpose room",
            "Learning walk of integrated ELD at Dolores Huerta: sentence frames posted and used in partner talk in "
            "four of six classrooms. Case from the Huerta leadership team on how they moved from frames on the "
            "wall to frames in students' mouths. Consultancy on two members' stalled actions; districts shared "
            "their designated ELD schedules.",
            [
                "Tally which English learners speak in full sentences during partner talk, not just how many turns.",
                "Give a sentence frame with the target word for every partner turn.",
                "Protect designated ELD on the master schedule before anything else is placed.",
            ],
        ),
        (
            2,
            2,
            "Convening 3: Midyear evidence check",
            "Valle Verde Unified, Professional Learning Center",
            "",
            [],
        ),
        (
            4,
            27,
            "Convening 4: What we learned, and what we share",
            "Eastshore Unified, district office",
            "",
            [],
        ),
    ],
    "previous": [
        (
            9,
            15,
            "Convening 1: Leading a cycle of inquiry",
            "Bayview Unified, district office",
            "Why a network: members described what they want to learn from each other. Walk-through of the "
            "results-oriented cycle of inquiry, with the Cesar Chavez team's first cycle as the case. Each "
            "member drafted a problem statement from their school's spring results.",
            [
                "Start the cycle from the spring results by student group, not from the school average.",
                "Write the problem statement with the leadership team, not for it.",
            ],
        ),
        (
            11,
            3,
            "Convening 2: Small groups that move readers",
            "Cesar Chavez Elementary, library",
            "Learning walk of the small-group reading block at Cesar Chavez; the team shared their walkthrough "
            "notes: in most groups the teacher did the reading. Members practised taking a running record and "
            "planned how to model student reading in their own schools.",
            [
                "In small groups, students do the reading: listen to each one read and take a running record.",
                "Walk the small-group block every other week with the coach.",
            ],
        ),
        (
            2,
            2,
            "Convening 3: Reading the winter interim",
            "Eastshore Unified, district office",
            "Data dive on the winter interim results by student group with the Data Wise protocol; each member "
            "named the students within reach of the standard and the team that would act on it. Case from "
            "Dolores Huerta on family literacy nights.",
            [
                "Bring the results by student group to the leadership team: the average hides the English learners.",
                "End every data conversation with one owner and one date for each next step.",
            ],
        ),
        (
            4,
            27,
            "Convening 4: Closing the cycle and sharing what worked",
            "Dolores Huerta Elementary, multipurpose room",
            "Each school presented its cycle: what it tried, the evidence, and its decision to adopt, adapt or "
            "abandon. Three practices were nominated for the practice library. Plus/delta on the year: more "
            "school visits, fewer presentations.",
            [
                "Write up what worked as a practice for the library while the evidence is fresh.",
                "Decide adopt, adapt or abandon from the evidence, before planning next year's cycle.",
            ],
        ),
    ],
}

TITLES = [
    "Principal",
    "Principal",
    "Principal",
    "Principal and instructional leader",
    "Principal, formerly a bilingual teacher",
    "Principal, second year at the school",
]


@dataclass
class _Cast:
    leader: Person
    learning: Person  # the director of learning
    director: Person  # the Bay Area's regional director
    principals: dict[int, Person]  # school → its principal (or the network member who leads it)
    district_leaders: list[tuple[Person, District]]

    @classmethod
    def find(cls, domain: str) -> "_Cast":
        def login(name: str) -> Person:
            return Person.objects.get(email=f"{name}@{domain}")

        leader = login("leader")
        learning_lead = (
            Person.objects.filter(roles__role=Role.NATIONAL_LEADER, title="Director of learning").order_by("pk").first()
        )
        principals: dict[int, Person] = {}
        # Principals first; a school without one is led by its network member (Dolores Huerta).
        for role in (Role.PRINCIPAL, Role.NETWORK_MEMBER):
            for ra in RoleAssignment.objects.filter(role=role, school__isnull=False).select_related("person"):
                principals.setdefault(ra.school_id, ra.person)  # type: ignore[arg-type]
        district_leaders = [
            (ra.person, ra.district)
            for ra in RoleAssignment.objects.filter(role=Role.DISTRICT_LEADER, district__isnull=False)
            .select_related("person", "district")
            .order_by("district__name", "pk")
        ]
        return cls(
            leader=leader,
            learning=learning_lead or leader,
            director=login("director"),
            principals=principals,
            district_leaders=district_leaders,  # type: ignore[arg-type]
        )


def load(year: int, today: datetime.date, domain: str) -> list[Cohort]:
    """The cohorts of school years `year` (the current one) and `year - 1`, with their convenings
    held up to `today`."""
    # As the other stories: the actions refuse records dated after the organization's local day.
    today = min(today, timezone.localdate())
    rng = random.Random("network")
    cast = _Cast.find(domain)
    titles: dict[int, str] = {}
    out = []
    for key, school_year, facilitators in (
        ("previous", year - 1, [cast.learning, cast.director]),
        ("current", year, [cast.learning, cast.leader]),
    ):
        schools = _member_schools(school_year)
        districts = {s.district_id for s in schools}
        cohort = _cohort(cast, key, school_year, facilitators, schools, districts, titles, rng)
        _convenings(cast, rng, cohort, key, school_year, today)
        out.append(cohort)
    return out


def _member_schools(school_year: int) -> list[School]:
    """The schools of the partnerships active in the school year that began before it: a school
    joins the network after its first year with us."""
    first, _ = school_years.span(school_year)
    partnerships = [
        p
        for p in Partnership.objects.filter(status=Partnership.Status.ACTIVE).order_by("pk")
        if p.active_in(school_year) and p.start_date < first
    ]
    memberships = (
        PartnershipSchool.objects.filter(partnership__in=partnerships, left_on__isnull=True)
        .select_related("school__district")
        .order_by("school__district__name", "school__name")
    )
    return list(dict.fromkeys(m.school for m in memberships))


def _cohort(
    cast: _Cast,
    key: str,
    school_year: int,
    facilitators: list[Person],
    schools: list[School],
    districts: set[int],
    titles: dict[int, str],
    rng: random.Random,
) -> Cohort:
    """Started by the chief program officer in June before its school year, members and all."""
    at = moment(datetime.date(school_year - 1, 6, 10), "10:00")
    with dated(at):
        cohort = actions.do_save_cohort(
            cast.leader,
            Cohort(name=NAME, school_year=school_year, description=DESCRIPTIONS[key]),
            facilitators=facilitators,
        )
        for school in schools:
            person = cast.principals.get(school.pk)
            if person is None:
                continue
            title = titles.setdefault(person.pk, rng.choice(TITLES))
            actions.do_add_member(cast.leader, cohort, person, Member.Role.PRINCIPAL, school=school, title=title)
        for person, district in cast.district_leaders:
            if district.pk not in districts:
                continue
            title = person.title.partition(",")[0]
            actions.do_add_member(
                cast.leader, cohort, person, Member.Role.DISTRICT_LEADER, district=district, title=title
            )
    Cohort.objects.filter(pk=cohort.pk).update(created_at=at)
    cohort.members.update(joined_at=at)
    return cohort


def _day(school_year: int, month: int, day: int) -> datetime.date:
    """The Thursday on or after the day, in the school year."""
    start = datetime.date(school_year - 1 if month >= 7 else school_year, month, day)
    return start + datetime.timedelta(days=(3 - start.weekday()) % 7)


def _convenings(
    cast: _Cast, rng: random.Random, cohort: Cohort, key: str, school_year: int, today: datetime.date
) -> None:
    """Scheduled with the cohort in June, the year's four convenings; those held have their records."""
    at = moment(datetime.date(school_year - 1, 6, 10), "11:00")
    members = [m.person for m in cohort.members.select_related("person").order_by("pk")]
    facilitators = list(cohort.facilitators.order_by("pk"))
    lead = facilitators[0]
    scheduled = []
    with dated(at):
        for month, day, title, location, notes, takeaways in CONVENINGS[key]:
            session = actions.do_schedule_convening(
                cast.leader,
                cohort,
                title,
                _day(school_year, month, day),
                datetime.time(9, 0),
                360,
                location=location,
                time_zone=ZONE,
            )
            scheduled.append((session, notes, takeaways))
    Session.objects.filter(pk__in=[s.pk for s, _, _ in scheduled]).update(created_at=at, updated_at=at)
    for session, notes, takeaways in scheduled:
        if session.local_date >= today:
            continue
        ended = session.ends_at + datetime.timedelta(minutes=30)
        with dated(ended):
            marks = {}
            for person in [*facilitators, *members]:
                roll = rng.random()
                if roll < 0.86 or person in facilitators:
                    marks[person] = Attendance.Status.PRESENT
                else:
                    marks[person] = Attendance.Status.EXCUSED if roll < 0.96 else Attendance.Status.ABSENT
            learning.do_record_attendance(lead, session, marks)
            learning.do_save_record(lead, session, notes, session.agenda)
            material = learning.do_add_material(
                lead,
                session,
                f"Slides: {session.title}",
                f"https://example.org/network/{session.local_date:%Y-%m-%d}/slides",
            )
            present = [p for p in members if marks[p] == "present"] or facilitators
            made = [learning.do_add_takeaway(rng.choice(present), session, text) for text in takeaways]
        Attendance.objects.filter(session=session).update(recorded_at=session.ends_at)
        Material.objects.filter(pk=material.pk).update(added_at=ended)
        Takeaway.objects.filter(pk__in=[t.pk for t in made]).update(created_at=ended)
        Session.objects.filter(pk=session.pk).update(updated_at=ended)
