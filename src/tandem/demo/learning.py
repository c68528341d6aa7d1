"""The demo network's learning spaces for the current school year.

Five program priorities and a published learning agenda (a priority and a focus for every month,
written as a draft in the spring with proposals and comments from staff); one rhythm for the whole
organization, in Chicago time, and one for each region in the region's own time zone; the year's
US public holidays, a winter and a spring break and a three-day launch convening in August. The
sessions of the whole year are generated at the start of August. The sessions already held have
attendance, notes, a few materials and takeaways, some of which became actions in the national
leadership team's cycle of inquiry and one a draft in the practice library; one was cancelled.

A person's week: Approach Essentials on Monday (90 minutes), whole-group learning on Tuesday
(120), their team's meeting on Wednesday (60), a data dive every other Thursday and a cross-team
inquiry every other Friday (90 each).

Everything goes through the learning actions layer, so it obeys its rules and carries its audit
entries, except attendance (a thousand rows and more), which is written in bulk in the shape
`do_record_attendance` gives it, each row with the audit entry the action would write. The
actions stamp the real time: afterwards each step's audit entries and objects are set back to the
day the story says it happened, the way demo/inquiry.py does it.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db.models import Max, Model, OuterRef, Subquery
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.roles import Role
from tandem.core import school_years
from tandem.inquiry.models import Action, Cycle, CycleLink
from tandem.learning import actions, shipped
from tandem.learning.models import (
    Agenda,
    Attendance,
    Comment,
    DayOff,
    Material,
    Priority,
    Proposal,
    Rhythm,
    Session,
    SessionType,
    Slot,
    Takeaway,
)
from tandem.orgs.models import Person, Region, Team
from tandem.practices.models import Practice

NATIONAL_ZONE = "America/Chicago"
# The demo's regions are both in California; the second is given another zone so that the demo
# shows rhythms, sessions and calendars across time zones.
REGION_ZONES = {"Bay Area": "America/Los_Angeles", "Central Valley": "America/New_York"}
CONVENING_ZONE = "America/Los_Angeles"

AE, WGL, TEAM, DIVE, INQUIRY = (
    "Approach Essentials",
    "Whole-group learning",
    "Team meeting",
    "Data dive",
    "Cross-team inquiry",
)
CONVENING = "Network convening"

PRIORITIES = {
    "coaching": (
        "Coaching for equity",
        "Coaching cycles that start from each coachee's goal and the students who need the most.",
    ),
    "data": (
        "Data-driven instruction",
        "Reading student results by group with school teams, and acting on what they say.",
    ),
    "el": (
        "English learner success",
        "Designated and integrated ELD, and academic talk for English learners in every classroom.",
    ),
    "leadership": (
        "Leadership & cycles of inquiry",
        "Principals and leadership teams leading their school's cycle of inquiry.",
    ),
    "family": ("Family partnership", "Families as partners in their children's learning."),
}

# July to June: each month's priority and focus.
MONTHS = [
    (
        "leadership",
        "Summer planning: leaders set the year's cycles of inquiry with each partner school and draft the "
        "learning calendar.",
    ),
    (
        "coaching",
        "The launch convening, then the basics: Approach Essentials meetings on the coaching cycle, whole-group "
        "learning on building trust with new coachees.",
    ),
    (
        "coaching",
        "Approach Essentials meetings on the basics of coaching, whole-group learning on goal-setting with "
        "coachees, data dives on coaching competencies.",
    ),
    (
        "data",
        "Reading the fall interim results with school teams: data dives by student group, whole-group learning "
        "on the observe–infer–act protocol.",
    ),
    (
        "el",
        "Designated and integrated ELD: what partners look for in classrooms, and how the English learner "
        "results shape coaching goals.",
    ),
    ("family", "Family conferences as learning conversations: sharing student work with families in their language."),
    (
        "data",
        "Midyear: the winter interim results, each partnership's goals checked against them, and coaching goals "
        "adjusted.",
    ),
    ("el", "Academic talk for English learners: structured partner talk in coaching, a lab on sentence frames."),
    (
        "leadership",
        "Leading the cycle of inquiry: evidence checks before the plan changes, with principals at the "
        "cross-team inquiry sessions.",
    ),
    ("coaching", "Coaching through the spring: keeping grade-level rigor during test preparation."),
    ("family", "Families as partners over the summer: reading plans and family learning nights planned with parents."),
    ("leadership", "Reflecting on the year: each team's cycle of inquiry closed out, and next year's agenda drafted."),
]

NOTES = {
    AE: [
        "The essential of the week, tied to {priority}. Partners tried it on a case from their own schools "
        "and each committed to one move for the week.",
        "We unpacked one step of the approach with an example from a partner school, then practised it in "
        "pairs. Questions that came up go to next week's session.",
        "New and returning staff together. {focus} Commitments are in the shared notes.",
    ],
    WGL: [
        "Whole group on {priority}. Framing, then a protocol in cross-role groups; the share-out themes are "
        "in the slides. Plus/delta: more time for the protocol, less for framing.",
        "{focus} Groups mixed regions and roles; each group named one change to try before the next session.",
        "Case study from a partner school on {priority}, discussed in three rounds. Strong share-out; two "
        "groups asked to keep working on it at the cross-team inquiry.",
    ],
    TEAM: [
        "Updates from each partnership and two decisions on coverage for the district meetings. Consultancy on "
        "one member's problem of practice: a principal who keeps cancelling coaching meetings.",
        "Check-in, calendar for the next two weeks, and a consultancy on a coaching cycle that has stalled. "
        "Actions are in the team's tracker.",
        "Short meeting: updates, then planning for the next data dive. Everyone brings one piece of student work.",
    ],
    DIVE: [
        "Looked at the coaching competency ratings by school: what we expected, what we saw, what might explain "
        "it. Next steps and owners at the end.",
        "Data dive on the interim results by student group. English learners trail in most grades; each partner "
        "named one school team to bring the data to.",
        "Walkthrough tallies from the last month, sorted by competency. Agreed to re-rate together next time "
        "so our ratings mean the same thing.",
    ],
    INQUIRY: [
        "Where the shared cycle stands, the evidence since last time, and two adjustments to the action plan.",
        "Teams compared what they tried since the last session. The evidence is thin for one action; we agreed "
        "how to collect it before changing the plan.",
        "Principals joined for the first half. Takeaways recorded below.",
    ],
    CONVENING: [
        "Launch convening, day {n}: welcome, the year's priorities and case presentations from three partner "
        "schools; afternoon practice exchange by role.",
    ],
}

TAKEAWAYS = {
    "coaching": [
        "Open every debrief with the coachee's own data before any feedback.",
        "Set the coaching goal in the teacher's words, then agree the measure together.",
        "Rate competencies from evidence gathered over several visits, never from one lesson.",
        "Book the next observation before leaving the debrief.",
    ],
    "data": [
        "Bring results by student group to every data dive: school averages hide the English learners.",
        "End each data dive with one owner and one date for every next step.",
        "Sort exit tickets into three piles before planning the reteach.",
    ],
    "el": [
        "Ask each partner school for its designated ELD schedule and observe one block a month.",
        "Give a sentence frame with the target word for every partner turn.",
        "Share a tally of which English learners spoke in full sentences with the teacher, not only the average.",
        "Plan designated ELD from the day's integrated ELD lesson.",
    ],
    "family": [
        "Send the learning update home in the family's language, with one thing to try at home.",
        "Invite families to look at student work, not only at grades.",
    ],
    "leadership": [
        "Put the evidence check on the leadership team's agenda every other week.",
        "Hand one agenda item to a teacher lead at every team meeting.",
    ],
}

MATERIALS = [
    ("Slides", "slides"),
    ("Protocol handout", "protocol"),
    ("Case study", "case-study"),
    ("Recording", "recording"),
]


def load(year: int, today: datetime.date, domain: str) -> None:
    """The learning spaces of school year `year` (the current one), held up to `today`."""
    # As in demo/inquiry.py: the actions refuse records dated after the organization's local day.
    today = min(today, timezone.localdate())
    rng = random.Random("learning")
    # The shipped session types come with a migration; a test database emptied since has none.
    shipped.install(SessionType)
    cast = _Cast.find(domain)
    priorities = _priorities(cast, year)
    _agenda(cast, year, priorities)
    rhythms = _rhythms(cast, year)
    _days_off(cast, year)
    # Generated on 1 August, the whole year at once.
    generated = _moment(min(datetime.date(year - 1, 8, 1), today), 8)
    with _on(generated):
        for rhythm in rhythms:
            actions.do_generate(cast.leader, rhythm, now=_moment(datetime.date(year - 1, 8, 1), 8))
    first, last = school_years.span(year)
    sessions = Session.objects.filter(local_date__range=(first, last))
    sessions.update(created_at=generated, updated_at=generated)
    _convening_guests(cast, year)
    past = list(
        sessions.filter(local_date__lt=today, status=Session.Status.SCHEDULED)
        .select_related("session_type", "priority")
        .order_by("starts_at", "pk")
    )
    cancelled = _cancel_one(cast, past)
    held = [s for s in past if s.pk != getattr(cancelled, "pk", None)]
    present, leads = _attendance(rng, cast, held)
    _records(rng, cast, held, present, leads, year)
    _takeaways_become_work(cast, today)


# -- the people -----------------------------------------------------------------------------------


@dataclass
class _Cast:
    leader: Person
    learning: Person  # the director of learning, who facilitates most organization-wide sessions
    coach: Person
    directors: dict[int, Person]  # region → its regional director
    national: Team
    regional: dict[int, Team]  # region → its team
    regions: list[Region]
    # One Person object per person, so that each one's scope is worked out once.
    people: dict[int, Person]

    @classmethod
    def find(cls, domain: str) -> "_Cast":
        people = {p.pk: p for p in Person.objects.order_by("pk")}

        def login(name: str) -> Person:
            return people[Person.objects.get(email=f"{name}@{domain}").pk]

        leader = login("leader")
        learning = (
            Person.objects.filter(roles__role=Role.NATIONAL_LEADER, title="Director of learning").order_by("pk").first()
        )
        directors = {
            ra.region_id: people[ra.person_id]
            for ra in RoleAssignment.objects.filter(role=Role.REGIONAL_DIRECTOR, region__isnull=False).order_by("pk")
            if ra.region_id is not None
        }
        return cls(
            leader=leader,
            learning=people[learning.pk] if learning else leader,
            coach=login("coach"),
            directors=directors,
            national=Team.objects.get(kind=Team.Kind.NATIONAL),
            regional={
                t.region_id: t for t in Team.objects.filter(kind=Team.Kind.REGIONAL).order_by("pk") if t.region_id
            },
            regions=list(Region.objects.order_by("pk")),
            people=people,
        )


# -- dating what the actions stamp with the real time --------------------------------------------

# What `_on` dates on the objects made inside it.
_STAMPS: dict[type[Model], list[str]] = {
    Agenda: ["updated_at"],
    Proposal: ["created_at"],
    Comment: ["created_at"],
    Session: ["updated_at"],
    Material: ["added_at"],
    Takeaway: ["created_at"],
    Action: ["created_at"],
    CycleLink: ["created_at"],
    Practice: ["created_at", "updated_at"],
}


def _moment(day: datetime.date, hour: int = 16, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _last(model: type[Model]) -> int:
    return model.objects.aggregate(last=Max("pk"))["last"] or 0  # type: ignore[attr-defined]


@contextmanager
def _on(moment: datetime.datetime) -> Iterator[list[Model]]:
    """Date the audit entries written inside, and the objects appended to the list yielded, at `moment`."""
    first = _last(AuditEntry)
    made: list[Model] = []
    yield made
    AuditEntry.objects.filter(pk__gt=first).update(at=moment)
    by_model: dict[type[Model], set[int]] = defaultdict(set)
    for obj in made:
        by_model[type(obj)].add(obj.pk)
    for model, pks in by_model.items():
        if _STAMPS[model]:
            model.objects.filter(pk__in=pks).update(**dict.fromkeys(_STAMPS[model], moment))  # type: ignore[attr-defined]


# -- priorities and the agenda --------------------------------------------------------------------


def _priorities(cast: _Cast, year: int) -> dict[str, Priority]:
    out = {}
    with _on(_moment(datetime.date(year - 1, 4, 15))):
        for key, (name, description) in PRIORITIES.items():
            out[key] = actions.do_save_priority(cast.leader, Priority(name=name, description=description))
    return out


def _agenda(cast: _Cast, year: int, priorities: dict[str, Priority]) -> Agenda:
    """Drafted in April, discussed in May, answered and published in June before the year starts."""
    spring = year - 1
    staff = _staff_voices(cast)
    with _on(_moment(datetime.date(spring, 4, 20))) as made:
        agenda = actions.do_open_agenda(cast.leader, year)
        agenda.summary = (
            "One priority a month, so that Approach Essentials, whole-group learning, data dives and the "
            "cross-team inquiry all pull the same way. The fall builds the basics of coaching; the winter "
            "turns to the data and to English learners; the spring hands the work to school leaders."
        )
        agenda.save(update_fields=["summary"])
        made.append(agenda)
    months = list(agenda.months.order_by("month"))
    with _on(_moment(datetime.date(spring, 4, 22))):
        for month, (key, focus) in zip(months, MONTHS, strict=True):
            actions.do_save_month(cast.leader, month, priorities[key], focus)

    def month(n: int) -> datetime.date:
        return datetime.date(year - 1 if n >= 7 else year, n, 1)

    proposals = [
        (
            5,
            staff["coach"],
            "A month on English learner talk in coaching",
            "Partners keep asking how to coach structured talk. Could February's whole-group sessions be a lab "
            "on it, with video from a designated ELD block?",
            month(2),
            priorities["el"],
            Proposal.Status.ACCEPTED,
            "Yes: February is English learner success, and the lab will use the designated ELD video.",
        ),
        (
            7,
            staff["director"],
            "Move family partnership to the fall",
            "Schools hold conferences in October; a fall month on families would meet them there.",
            month(10),
            priorities["family"],
            Proposal.Status.DECLINED,
            "The fall is for the coaching launch and the interim data. Family partnership stays in December, "
            "ahead of the winter conferences, and in May.",
        ),
        (
            12,
            staff["valley"],
            "A data dive on the winter interim before spring break",
            "The winter results come back in late January; a dive in February or March gives schools time to act.",
            month(3),
            priorities["data"],
            Proposal.Status.ACCEPTED,
            "Added to March's cross-team inquiry sessions.",
        ),
        (
            18,
            staff["learning"],
            "Approach Essentials on cycles of inquiry for new principals",
            "Three partner schools have new principals. A short series in the spring would bring them up to speed.",
            None,
            priorities["leadership"],
            Proposal.Status.OPEN,
            "",
        ),
    ]
    comments = [
        (
            9,
            staff["coach"],
            "Goal-setting with coachees in September works only if the competency ratings are in by then. Could "
            "the first data dive come before the goal-setting session?",
            month(9),
        ),
        (
            14,
            staff["valley"],
            "Central Valley partners would like the whole-group sessions recorded: the time difference makes "
            "Tuesday afternoons hard.",
            None,
        ),
        (
            16,
            staff["learning"],
            "January is a good moment to return to the data: the fall interim results are back by then.",
            month(1),
        ),
    ]
    for day, author, title, body, on, priority, _, _ in proposals:
        with _on(_moment(datetime.date(spring, 5, day), 10)) as made:
            made.append(actions.do_propose(author, agenda, title, body, on, priority))
    for day, author, body, on in comments:
        with _on(_moment(datetime.date(spring, 5, day), 11)) as made:
            made.append(actions.do_comment(author, agenda, body, on))
    stored = list(agenda.proposals.order_by("pk"))
    with _on(_moment(datetime.date(spring, 6, 5))):
        for proposal, (*_, status, response) in zip(stored, proposals, strict=True):
            if status != Proposal.Status.OPEN:
                actions.do_respond(cast.leader, proposal, status, response)
    published = _moment(datetime.date(spring, 6, 12), 9)
    with _on(published) as made:
        actions.do_publish(cast.leader, agenda)
        made.append(agenda)
    Agenda.objects.filter(pk=agenda.pk).update(published_at=published)
    return agenda


def _staff_voices(cast: _Cast) -> dict[str, Person]:
    bay, valley = cast.regions[0], cast.regions[-1]
    return {
        "coach": cast.coach,
        "director": cast.directors.get(bay.pk, cast.leader),
        "valley": cast.directors.get(valley.pk, cast.leader),
        "learning": cast.learning,
    }


# -- rhythms and days off -------------------------------------------------------------------------


def _span(year: int) -> tuple[datetime.date, datetime.date, datetime.date]:
    """The launch convening's first day (the second Tuesday or so of August), the first Monday of
    the rhythms after it, and their last day (a Friday early in June)."""
    august = datetime.date(year - 1, 8, 9)
    convening = august + datetime.timedelta(days=(1 - august.weekday()) % 7)
    june = datetime.date(year, 6, 10)
    return convening, convening + datetime.timedelta(days=6), june - datetime.timedelta(days=(june.weekday() - 4) % 7)


def _rhythms(cast: _Cast, year: int) -> list[Rhythm]:
    _, first, last = _span(year)
    types = {t.name: t for t in SessionType.objects.all()}
    everyone = [cast.national, *cast.regional.values()]
    out = []
    with _on(_moment(datetime.date(year - 1, 6, 24))):
        national = actions.do_save_rhythm(
            cast.leader,
            Rhythm(
                name="Whole organization",
                school_year=year,
                time_zone=NATIONAL_ZONE,
                starts_on=first,
                ends_on=last,
            ),
        )
        slots = [
            (WGL, "", 1, (13, 0), 120, 1, 0, everyone, [cast.learning, cast.leader]),
            (TEAM, "National leadership team meeting", 2, (9, 0), 60, 1, 0, [cast.national], [cast.leader]),
            (INQUIRY, "", 4, (12, 0), 90, 2, 0, everyone, [cast.learning]),
        ]
        _slots(cast, national, types, slots)
        out.append(national)
        for n, region in enumerate(cast.regions):
            team = cast.regional.get(region.pk)
            director = cast.directors.get(region.pk, cast.leader)
            if team is None:
                continue
            region.time_zone = REGION_ZONES.get(region.name, region.time_zone)
            region.save(update_fields=["time_zone"])
            rhythm = actions.do_save_rhythm(
                cast.leader,
                Rhythm(
                    name=region.name,
                    school_year=year,
                    region=region,
                    time_zone=region.time_zone,
                    starts_on=first,
                    ends_on=last,
                ),
            )
            slots = [
                (AE, "", 0, (9, 0), 90, 1, 0, [team], [director]),
                (TEAM, f"{team.name} meeting", 2, (10, 0), 60, 1, 0, [team], [director]),
                # The national team joins each region's data dive, on alternate Thursdays.
                (DIVE, "", 3, (14, 0), 90, 2, n % 2, [team, cast.national], [cast.learning, director]),
            ]
            _slots(cast, rhythm, types, slots)
            out.append(rhythm)
    return out


def _slots(
    cast: _Cast,
    rhythm: Rhythm,
    types: dict[str, SessionType],
    rows: list[tuple[str, str, int, tuple[int, int], int, int, int, list[Team], list[Person]]],
) -> None:
    for type_name, title, weekday, (hour, minute), minutes, every, offset, teams, facilitators in rows:
        actions.do_save_slot(
            cast.leader,
            Slot(
                rhythm=rhythm,
                session_type=types[type_name],
                title=title,
                weekday=weekday,
                starts_at=datetime.time(hour, minute),
                minutes=minutes,
                every_weeks=every,
                week_offset=offset,
                location="Zoom",
            ),
            teams=teams,
            facilitators=list(dict.fromkeys(facilitators)),
        )


def _days_off(cast: _Cast, year: int) -> None:
    convening, _, _ = _span(year)
    december = datetime.date(year - 1, 12, 21)
    winter = december - datetime.timedelta(days=december.weekday())
    march = datetime.date(year, 3, 29)
    spring = march - datetime.timedelta(days=march.weekday())
    with _on(_moment(datetime.date(year - 1, 6, 24), 17)):
        # The breaks first: the public holidays inside them are already days off and are skipped.
        for name, first, last in (
            ("Winter break", winter, winter + datetime.timedelta(days=11)),
            ("Spring break", spring, spring + datetime.timedelta(days=4)),
        ):
            actions.do_save_day_off(
                cast.leader,
                DayOff(school_year=year, name=name, kind=DayOff.Kind.BREAK, first_day=first, last_day=last),
            )
        actions.do_add_public_holidays(cast.leader, year)
        actions.do_save_day_off(
            cast.leader,
            DayOff(
                school_year=year,
                name="Launch convening",
                kind=DayOff.Kind.CONVENING,
                first_day=convening,
                last_day=convening + datetime.timedelta(days=2),
                session_type=SessionType.objects.get(name=CONVENING),
                starts_at=datetime.time(9, 0),
                minutes=360,
                time_zone=CONVENING_ZONE,
                location="Oakland Convention Center",
            ),
        )


def _convening_guests(cast: _Cast, year: int) -> None:
    """The convening is for the whole staff and the network's school and district leaders."""
    guests = list(
        Person.objects.filter(roles__role__in=[Role.NETWORK_MEMBER, Role.DISTRICT_LEADER]).distinct().order_by("pk")
    )
    teams = [cast.national, *cast.regional.values()]
    sessions = Session.objects.filter(day_off__kind=DayOff.Kind.CONVENING, day_off__school_year=year).order_by("pk")
    with _on(_moment(datetime.date(year - 1, 8, 3), 10)) as made:
        for session in sessions:
            made.append(
                actions.do_save_session(
                    cast.leader, session, teams=teams, facilitators=[cast.learning, cast.leader], guests=guests
                )
            )


# -- the sessions held ------------------------------------------------------------------------------


def _cancel_one(cast: _Cast, past: list[Session]) -> Session | None:
    """A data dive, the most recent in October or before, called off two days ahead."""
    dives = [s for s in past if s.session_type.name == DIVE]
    october = [s for s in dives if s.local_date.month in (8, 9, 10)] or dives
    if not october:
        return None
    session = october[-1]
    with _on(_moment(session.local_date - datetime.timedelta(days=2), 12)) as made:
        actions.do_cancel_session(
            cast.leader,
            session,
            "Most of the team is at the district's principal institute; this data moves to the next data dive.",
        )
        made.append(session)
    return session


def _invitees(sessions: list[Session]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Each session's invitees, by id (its facilitators, guests and the members of its teams), and
    its first facilitator."""
    ids = [s.pk for s in sessions]
    members: dict[int, list[int]] = defaultdict(list)
    for team_id, person_id in Team.members.through.objects.order_by("pk").values_list("team_id", "person_id"):
        members[team_id].append(person_id)
    invited: dict[int, dict[int, None]] = defaultdict(dict)
    leads: dict[int, int] = {}
    for through, field in (
        (Session.facilitators.through, "person_id"),
        (Session.guests.through, "person_id"),
        (Session.teams.through, "team_id"),
    ):
        rows = through.objects.filter(session_id__in=ids).order_by("pk").values_list("session_id", field)
        for session_id, value in rows:
            if through is Session.facilitators.through:
                leads.setdefault(session_id, value)
            for person_id in members[value] if field == "team_id" else [value]:
                invited[session_id][person_id] = None
    return {pk: list(people) for pk, people in invited.items()}, leads


def _attendance(rng: random.Random, cast: _Cast, held: list[Session]) -> tuple[dict[int, list[int]], dict[int, int]]:
    """Mostly present; each person misses a few sessions, usually with notice. A few sessions were
    never marked. Returns who was present at each session, and each session's first facilitator."""
    invited, leads = _invitees(held)
    keen = {pk: rng.uniform(0.78, 0.97) for pk in sorted({p for people in invited.values() for p in people})}
    rows: list[Attendance] = []
    present: dict[int, list[int]] = defaultdict(list)
    for session in held:
        if rng.random() < 0.05:
            continue  # the facilitator never took attendance
        for person_id in invited.get(session.pk, []):
            roll = rng.random()
            if roll < keen[person_id]:
                status = Attendance.Status.PRESENT
                present[session.pk].append(person_id)
            elif roll < keen[person_id] + (1 - keen[person_id]) * 0.6:
                status = Attendance.Status.EXCUSED
            else:
                status = Attendance.Status.ABSENT
            rows.append(Attendance(session=session, person=cast.people[person_id], status=status))
    Attendance.objects.bulk_create(rows, batch_size=500)
    # bulk_create stamps the real time; the facilitator marks attendance as the session ends.
    entries = []
    for row in rows:
        row.recorded_at = row.session.ends_at
        lead = leads.get(row.session_id)
        entries.append(
            AuditEntry(
                at=row.recorded_at,
                actor=cast.people[lead] if lead else cast.leader,
                kind=AuditEntry.Kind.CHANGE,
                action="learning.attendance",
                object_type=Attendance._meta.label_lower,
                object_id=str(row.pk),
                object_repr=str(row)[:200],
                changes={k: [None, v] for k, v in audit.snapshot(row).items() if v not in (None, "")},
            )
        )
    ends = Session.objects.filter(pk=OuterRef("session_id")).values("ends_at")
    Attendance.objects.filter(session_id__in=[s.pk for s in held]).update(recorded_at=Subquery(ends))
    AuditEntry.objects.bulk_create(entries, batch_size=500)
    return present, leads


def _records(
    rng: random.Random,
    cast: _Cast,
    held: list[Session],
    present: dict[int, list[int]],
    leads: dict[int, int],
    year: int,
) -> None:
    """Notes on every session held, materials on a few, and takeaways from about a third (never
    from a team's own meeting), written by the facilitator, or a participant, after it ends."""
    focus = {m.month: m.focus for m in Agenda.objects.get(school_year=year).months.all()}
    keys = {name: key for key, (name, _) in PRIORITIES.items()}
    days: dict[int, int] = defaultdict(int)
    for session in held:
        kind = session.session_type.name
        lead = cast.people[leads[session.pk]] if session.pk in leads else cast.leader
        priority = session.priority.name if session.priority else "the month's priority"
        if session.day_off_id:
            days[session.day_off_id] += 1
        notes = rng.choice(NOTES.get(kind, NOTES[TEAM])).format(
            priority=priority, focus=focus.get(session.local_date.replace(day=1), ""), n=days[session.day_off_id or 0]
        )
        with _on(session.ends_at + datetime.timedelta(minutes=30)) as made:
            made.append(actions.do_save_record(lead, session, notes, session.agenda))
            if kind in (AE, WGL, CONVENING) and rng.random() < 0.2:
                label, slug = rng.choice(MATERIALS)
                made.append(
                    actions.do_add_material(
                        lead,
                        session,
                        f"{label}: {session.title}, {session.local_date:%-d %B}",
                        f"https://example.org/learning/{session.local_date:%Y-%m-%d}/{slug}",
                    )
                )
            attendees = present.get(session.pk, [])
            key = keys.get(session.priority.name) if session.priority else None
            if kind != TEAM and key and attendees and rng.random() < 0.35:
                for text in rng.sample(TAKEAWAYS[key], rng.choice([1, 1, 2])):
                    author = cast.people[rng.choice(attendees)]
                    made.append(actions.do_add_takeaway(author, session, text))


# Takeaways that make a practice worth writing up, and the practice's title.
PRACTICE_TITLES = {
    TAKEAWAYS["coaching"][0]: "Opening the debrief with the coachee's own data",
    TAKEAWAYS["data"][1]: "Ending every data dive with owners and dates",
    TAKEAWAYS["el"][1]: "Sentence frames for every partner turn",
}


def _takeaways_become_work(cast: _Cast, today: datetime.date) -> None:
    """The latest takeaways on English learners and data became actions in the national leadership
    team's cycle of inquiry on the English learner gap; one takeaway became a practice draft."""
    cycle = (
        Cycle.objects.filter(level=Cycle.Level.ORGANIZATION, status=Cycle.Status.ACTIVE, owner=cast.leader)
        .order_by("-starts_on", "pk")
        .first()
    )
    takeaways = Takeaway.objects.select_related("session").order_by("session__starts_at", "pk")
    if cycle is not None:
        since = takeaways.filter(session__local_date__gte=cycle.starts_on).reverse()
        wanted = [PRIORITIES["el"][0], PRIORITIES["data"][0]]
        chosen = list(since.filter(session__priority__name__in=wanted)[:3]) or list(since[:3])
        # In the order they happened; the cycle's last activity never goes back in time.
        latest = cycle.last_activity_at
        for n, takeaway in enumerate(reversed(chosen)):
            moment = _moment(min(takeaway.session.local_date + datetime.timedelta(days=1), today), 9)
            with _on(moment) as made:
                actions.do_takeaway_to_action(
                    cast.leader, takeaway, cycle, due_on=today + datetime.timedelta(weeks=2 * (n + 1))
                )
                link = CycleLink.objects.filter(
                    cycle=cycle,
                    relation=CycleLink.Relation.STARTED_FROM,
                    content_type=ContentType.objects.get_for_model(Session),
                    object_id=takeaway.session_id,
                ).first()
                made += [takeaway.action, *([link] if link else [])]  # type: ignore[list-item]
            latest = max(latest, moment)
        Cycle.objects.filter(pk=cycle.pk).update(last_activity_at=latest)
    worth = [t for t in takeaways if t.text in PRACTICE_TITLES and not t.action_id]
    if worth:
        takeaway = worth[0]
        day = min(takeaway.session.local_date + datetime.timedelta(days=2), today)
        with _on(_moment(day, 10)) as made:
            actions.do_takeaway_to_practice(cast.learning, takeaway, PRACTICE_TITLES[takeaway.text])
            made.append(takeaway.practice)  # type: ignore[arg-type]
