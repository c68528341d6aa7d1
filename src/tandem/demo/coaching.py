"""A school year and a half of coaching in the demo network: every partner coaches three to six
teachers at their schools and, usually, the principal; the demo coach coaches the demo teacher and
the demo principal at Cesar Chavez Elementary.

The story runs from August of the previous school year to today: sessions every week or two
(observations followed by debriefs, co-planning, modeling, co-teaching, data conversations,
leadership meetings with principals), six-week coaching cycles each with a coachee goal, coach
ratings every eight weeks on each relationship's focus competencies that mostly rise by a level
over the year, self ratings a few times a year, a few relationships that ended in June and a few
that have gone quiet for over a month, and the loaded hourly cost of every coach for both years.

Relationships, coaching cycles, goals, ratings, private notes (and the sessions they are written
with) and staff costs go through the coaching actions layer, so they obey its rules and carry
their audit entries. The actions stamp the real time: the events run in the order of the story's
days, and afterwards each day's audit entries and objects are set back to that day, the way
demo/inquiry.py does it. The other sessions, about nine in ten, are written in bulk in the shape
`do_log_session` gives them, each with the audit entry it would write: an action per session
would double the time this module takes.
"""

import datetime
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Max
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.roles import Role
from tandem.analytics.models import Goal
from tandem.coaching import actions
from tandem.coaching.models import (
    CoacheeGoal,
    CoachingCycle,
    Competency,
    Framework,
    PrivateNote,
    Rating,
    Relationship,
    Session,
    StaffCost,
)
from tandem.demo.names import FIRST_NAMES, LAST_NAMES
from tandem.inquiry.models import Cycle
from tandem.orgs.models import Person, School
from tandem.partnerships.models import SiteAssignment

K = Session.Kind
GoalStatus = CoacheeGoal.Status


def load(year: int, today: datetime.date, domain: str, with_results: bool = True) -> None:
    """Coaching for the school year before `year` and `year` up to `today`."""
    # As in demo/inquiry.py: the actions refuse dates after the organization's local day.
    today = min(today, timezone.localdate())
    rng = random.Random("coaching")
    cast = _Cast.find(domain)
    plans = _plans(rng, cast, year, today, with_results)
    story = _Story()
    _staff_costs(rng, story, cast, plans, year, today)
    for plan in plans:
        plan.schedule(rng, story, today)
    story.run()


# -- the school calendar ------------------------------------------------------------------------


def _thanksgiving(y: int) -> datetime.date:
    first = datetime.date(y, 11, 1)
    return first + datetime.timedelta(days=(3 - first.weekday()) % 7 + 21)


def _in_school(d: datetime.date) -> bool:
    if d.weekday() >= 5:
        return False
    y = d.year
    if datetime.date(y, 6, 6) <= d <= datetime.date(y, 8, 17):
        return False
    if d >= datetime.date(y, 12, 20) or d <= datetime.date(y, 1, 4):
        return False
    if datetime.date(y, 3, 30) <= d <= datetime.date(y, 4, 3):
        return False
    t = _thanksgiving(y)
    return not (t - datetime.timedelta(days=3) <= d <= t + datetime.timedelta(days=1))


def _school_day(d: datetime.date) -> datetime.date:
    """`d`, or the next day school is in."""
    while not _in_school(d):
        d += datetime.timedelta(days=1)
    return d


def _school_day_before(d: datetime.date) -> datetime.date:
    """`d`, or the last day school was in before it."""
    while not _in_school(d):
        d -= datetime.timedelta(days=1)
    return d


def _after(d: datetime.date, school_days: int) -> datetime.date:
    for _ in range(school_days):
        d = _school_day(d + datetime.timedelta(days=1))
    return d


def _moment(day: datetime.date, hour: int = 16) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


# -- the people -----------------------------------------------------------------------------------


@dataclass
class _Cast:
    admin: Person
    coach: Person
    principal: Person
    teacher: Person
    chavez: School

    @classmethod
    def find(cls, domain: str) -> "_Cast":
        def login(name: str) -> Person:
            return Person.objects.get(email=f"{name}@{domain}")

        principal = login("principal")
        chavez = RoleAssignment.objects.get(person=principal, role=Role.PRINCIPAL).school
        assert chavez is not None
        return cls(login("admin"), login("coach"), principal, login("teacher"), chavez)


TITLES = {
    School.Level.ELEMENTARY: [
        "Kindergarten teacher",
        "First-grade teacher",
        "Second-grade teacher",
        "Fourth-grade teacher",
        "Fifth-grade teacher",
        "ELD teacher",
        "Special education teacher",
    ],
    School.Level.MIDDLE: [
        "Grade 6 math teacher",
        "Grade 7 English teacher",
        "Grade 8 science teacher",
        "History teacher",
        "ELD teacher",
        "Special education teacher",
    ],
    School.Level.HIGH: ["Algebra 1 teacher", "English 9 teacher", "Biology teacher", "World history teacher"],
}


class _NewTeachers:
    """Teachers the partners coach beyond the few the network already has: names no one else in
    the demo has, from their own seed so the rest of the demo's people keep theirs, and the demo
    password."""

    def __init__(self, cast: _Cast) -> None:
        self.rng = random.Random("coaching-teachers")
        self.taken = set(Person.objects.values_list("full_name", flat=True))
        self.domain = cast.teacher.email.partition("@")[2]
        self.password = cast.teacher.password

    def make(self, school: School) -> Person:
        while True:
            full = f"{self.rng.choice(FIRST_NAMES)} {self.rng.choice(LAST_NAMES)}"
            if full not in self.taken:
                break
        self.taken.add(full)
        person = Person.objects.create(
            email=f"{full.lower().replace(' ', '.')}@{self.domain}",
            full_name=full,
            title=self.rng.choice(TITLES[school.level]),
            password=self.password,
        )
        RoleAssignment.objects.create(person=person, role=Role.TEACHER, school=school)
        return person


def _subject(rng: random.Random, person: Person) -> str:
    title = person.title.lower()
    for words, subject in (
        (("math", "algebra"), "math"),
        (("english",), "ELA"),
        (("eld",), "ELD"),
        (("science", "biology"), "science"),
        (("history",), "history"),
    ):
        if any(w in title for w in words):
            return subject
    if "third-grade" in title:
        return "reading"
    return rng.choice(["reading", "math", "writing", "reading"])


# -- the competencies in words ------------------------------------------------------------------
# For each competency: what the coaching looks at, what the coachee notices, a move to try, a
# count the coach takes, coaching cycle titles and goals.


@dataclass(frozen=True)
class _Words:
    topic: str
    look: str
    notice: str
    move: str
    count: str  # with {a} and {b}
    titles: tuple[str, str]
    goals: tuple[str, str]


W = _Words
WORDS: dict[str, _Words] = {
    "T1.1": W(
        "whether every part of the lesson works toward the grade-level goal",
        "whether students could say what they were learning and why",
        "the warm-up and the practice were about different skills",
        "open with the goal in student words and come back to it before the exit ticket",
        "{a} of {b} students I asked could say what the lesson was about",
        ("Lessons that work toward one grade-level goal", "Students who can say what they are learning"),
        (
            "Every lesson opens and closes on the same grade-level goal",
            "Most students can name the day's goal when asked",
        ),
    ),
    "T1.2": W(
        "keeping the rigor of the curriculum task",
        "who did the hard part of the task",
        "they had broken the task into small steps that did the thinking for students",
        "hand out the full task first and hold back the scaffolds until students have tried",
        "{a} of {b} students attempted the full task before getting help",
        ("Keeping the hard part of the task for students", "Grade-level tasks, unsimplified"),
        (
            "Students work on the full grade-level task before any scaffold is offered",
            "No more rewriting the curriculum task into fill-in-the-blank",
        ),
    ),
    "T1.3": W(
        "planning supports for specific students",
        "whether the supports in the plan reached the students they were meant for",
        "the sentence frames sat on the board and the students who needed them did not look at them",
        "name the three or four students each support is for and hand it to them at the start",
        "{a} of {b} planned supports were used by the students they were planned for",
        ("Supports planned for named students", "Planning for access from the start"),
        (
            "Every lesson plan names which students get which support",
            "Supports are in students' hands before the work starts",
        ),
    ),
    "T2.1": W(
        "who does the thinking during the lesson",
        "how many students explained their reasoning out loud",
        "the same five or six students answered most questions",
        "pose the question, give twenty seconds of think time, then have partners talk before calling on anyone",
        "{a} of {b} students explained their reasoning at least once",
        ("More students doing the thinking", "Partner talk before whole-class answers"),
        (
            "Three-quarters of students explain their reasoning in every lesson",
            "Every question goes to partners before it goes to volunteers",
        ),
    ),
    "T2.2": W(
        "structured talk for English learners",
        "how often English learners spoke in full sentences with the new vocabulary",
        "English learners mostly answered in one or two words",
        "give a sentence frame with the target word for each partner turn and listen in on two pairs",
        "{a} of {b} English learners used a target word in a full sentence",
        ("English learners talking about the text", "Academic language in every partner turn"),
        (
            "English learners use the week's academic vocabulary in partner talk every day",
            "Every English learner speaks in full sentences at least twice a lesson",
        ),
    ),
    "T2.3": W(
        "access for students with IEPs during independent work",
        "how long students with IEPs waited before they could start",
        "two students with IEPs waited almost ten minutes for help before starting",
        "check in with the students with IEPs first, in the first two minutes of work time",
        "{a} of {b} students with IEPs started the task within three minutes",
        ("Students with IEPs start with everyone else", "Accommodations used every day"),
        (
            "Students with IEPs start independent work within three minutes",
            "Accommodations from every IEP show up in the plan",
        ),
    ),
    "T3.1": W(
        "checking for understanding during the lesson, not only at the end",
        "when the teacher knew who had it and who did not",
        "they only found out who was lost when they graded the exit tickets",
        "add a whiteboard check halfway through and sort the boards into got it / almost / not yet",
        "{a} of {b} students got the mid-lesson check right",
        ("Knowing who has it before the lesson ends", "Checks for understanding mid-lesson"),
        (
            "A check for understanding halfway through every lesson",
            "Exit tickets looked at the same day and used the next morning",
        ),
    ),
    "T3.2": W(
        "responding to errors in the moment",
        "what happened right after a student made an error",
        "they corrected errors before students had a chance to catch them",
        "wait three seconds after an error and prompt the student to reread or recheck before correcting",
        "{a} of {b} errors were caught and fixed by the student after a prompt",
        ("Letting students fix their own errors", "Prompting instead of correcting"),
        (
            "Students self-correct most errors after a prompt",
            "Small groups regroup mid-lesson based on what students show",
        ),
    ),
    "T3.3": W(
        "planning the next lessons from student work",
        "whether the plan for next week changed after looking at the work",
        "the reteach plan was the same lesson again for the whole class",
        "sort the exit tickets into three piles and plan a different next step for each pile",
        "{a} of {b} students met the standard on the last unit check",
        ("Planning from this week's student work", "Reteaching by group, not whole class"),
        (
            "Next week's plan changes every Friday based on the exit tickets",
            "Unit results broken out by student group and acted on",
        ),
    ),
    "T4.1": W(
        "every student feeling they belong in the class",
        "which students the teacher spoke with one on one",
        "a handful of quiet students went a whole lesson without a word from an adult",
        "greet every student at the door and check in with two quiet students each day",
        "{a} of {b} students had a one-on-one exchange with the teacher during the lesson",
        ("Reaching every student, not only the talkers", "Belonging for the quiet students"),
        (
            "Every student has a positive one-on-one exchange with the teacher every week",
            "Quiet students are called on warmly and often",
        ),
    ),
    "T4.2": W(
        "routines that protect learning time",
        "how many minutes were lost at the start and at transitions",
        "the transition to small groups took almost eight minutes",
        "practice the transition with a timer and post the steps where students can see them",
        "{a} of {b} minutes of the block were spent on learning",
        ("Tighter transitions, more learning time", "Routines that run without reminders"),
        ("Transitions take under two minutes", "Students start the warm-up without reminders"),
    ),
    "T4.3": W(
        "holding every student to the grade-level bar",
        "who got the harder questions",
        "students in the lowest group were only asked recall questions",
        "ask every group at least one why question and wait for the answer",
        "{a} of {b} students were asked a question that needed more than recall",
        ("Grade-level questions for every group", "The same high bar for every student"),
        (
            "Every group gets at least one higher-order question each lesson",
            "No student is excused from the grade-level task",
        ),
    ),
    "L1.1": W(
        "a vision for student learning the staff shares",
        "whether teachers could describe the vision in their own words",
        "few teachers connected their team's work to the school's vision",
        "open every staff meeting with one classroom example of the vision in action",
        "{a} of {b} teachers described the vision in their own words",
        ("A vision the staff can say in their own words", "Using the vision to make decisions"),
        ("Every staff meeting starts from the vision", "Teachers can describe the vision in their own words"),
    ),
    "L1.2": W(
        "naming and closing the gaps for English learners",
        "how the data meetings talked about student groups",
        "the data meetings looked at school averages, not at English learners",
        "have every team look at the English learner results next to everyone's and name one change",
        "{a} of {b} teams named an action for their English learners",
        ("Naming the gap for English learners", "From gap data to a change in classrooms"),
        (
            "Every team's data meeting looks at results by student group",
            "Each grade names one action for its English learners",
        ),
    ),
    "L1.3": W(
        "schedules and placements that serve the students who need the most",
        "who gets intervention time and from whom",
        "the students furthest behind got the least experienced adults",
        "rebuild the intervention schedule so the strongest teachers work with the students furthest behind",
        "{a} of {b} intervention groups were taught by a credentialed teacher",
        ("An intervention schedule built for equity", "Resources where the need is"),
        (
            "The students furthest behind get the school's strongest teaching",
            "Intervention schedule rebuilt from the data",
        ),
    ),
    "L2.1": W(
        "classroom visits and feedback teachers can use",
        "how quickly and how specifically teachers got feedback after a visit",
        "feedback went out a week after the visits and was mostly praise",
        "visit four classrooms a week and give one specific next step within a day",
        "{a} of {b} visits this month had written feedback within 48 hours",
        ("Feedback within a day of every visit", "One specific next step per visit"),
        (
            "Every teacher gets a classroom visit and written feedback every two weeks",
            "Feedback names one next step and is followed up",
        ),
    ),
    "L2.2": W(
        "professional learning that shows up in classrooms",
        "whether the strategy from the last PD showed up in classrooms",
        "the PD topic had changed three times since August",
        "keep the PD on one strategy for six weeks and check for it on walkthroughs",
        "{a} of {b} classrooms visited were using the strategy from PD",
        ("One PD focus, followed up in classrooms", "PD that changes practice"),
        (
            "One PD focus for the whole cycle, checked on walkthroughs",
            "Most classrooms use the PD strategy within a month",
        ),
    ),
    "L2.3": W(
        "grade-level instruction in every classroom",
        "how many classrooms were teaching the curriculum at grade level",
        "some classrooms were two or three units behind the pacing guide",
        "walk the building with the pacing guide and meet with the teams that are behind",
        "{a} of {b} classrooms were within a week of the pacing guide",
        ("Grade-level curriculum in every classroom", "Coherence across grades"),
        ("Every classroom within a week of the pacing guide", "Grade-level tasks in every classroom visited"),
    ),
    "L3.1": W(
        "data meetings that lead to action",
        "what teams decided to do after looking at data",
        "the data meetings ended without anyone deciding to do anything differently",
        "use a three-part protocol for data meetings: what we see, what it means, what we will do",
        "{a} of {b} data meetings ended with a named next step",
        ("Data meetings that end in decisions", "A regular data routine"),
        ("Every data meeting ends with a named action and an owner", "Data meetings on the calendar every three weeks"),
    ),
    "L3.2": W(
        "running the school's cycle of inquiry",
        "whether the team collected evidence on its plan",
        "the team moved on to a new plan before checking whether the last one worked",
        "put the evidence check on the leadership team agenda every other week",
        "{a} of {b} planned evidence checks happened on time",
        ("Checking the evidence before changing the plan", "Leading the cycle of inquiry"),
        (
            "The leadership team reviews evidence on its plan every other week",
            "The cycle of inquiry closes with a reflection",
        ),
    ),
    "L3.3": W(
        "monitoring the school plan",
        "whether the plan's measures were checked against the targets",
        "the plan's measures were vague enough that no one could tell if it was working",
        "rewrite each plan goal with one measure and a date, and review them monthly",
        "{a} of {b} plan goals had a measure checked this quarter",
        ("A school plan that gets checked", "Measures for every plan goal"),
        ("Every plan goal has a measure reviewed monthly", "The school plan is revised at midyear from the data"),
    ),
    "L4.1": W(
        "teacher teams that share the leadership",
        "who led the team meetings",
        "the principal or the coach ran every team meeting",
        "hand the agenda to a teacher lead on each team and coach them before the meeting",
        "{a} of {b} team meetings were led by a teacher",
        ("Teacher leads running their teams", "Shared leadership on grade-level teams"),
        ("Every grade-level team is led by a teacher", "Teacher leads plan the team agendas"),
    ),
    "L4.2": W(
        "families as partners in learning",
        "how families heard about what their children were learning",
        "most family contact was about behavior or events",
        "have each teacher send a short note home on what the class is reading, in the home language",
        "{a} of {b} classrooms sent a learning update home this month",
        ("Families who know what their children are learning", "Family partnership on reading"),
        ("Every family gets a learning update each month", "Family reading nights planned with parents"),
    ),
    "L4.3": W(
        "community partners matched to student needs",
        "which students the partners served",
        "two partners were serving the same students after school",
        "map the partners against the students who need them and reassign one",
        "{a} of {b} students in the tutoring program were the ones the data flagged",
        ("Partners matched to the students who need them", "Coordinating community partners"),
        ("Tutoring reaches the students the data flags", "One partner map, reviewed each quarter"),
    ),
}

STRENGTHS = [
    "The opening routine took under two minutes and students knew what to do.",
    "Directions were posted and students started without asking what to do.",
    "Students used last week's anchor chart without being reminded.",
    "The pacing was steady and the lesson ended on time with the exit ticket.",
    "Students were kind to each other during partner work.",
    "The task was the grade-level task from the curriculum, not a simplified one.",
    "The small group started on time and the rest of the class worked independently.",
    "Praise was specific: students heard exactly what they had done well.",
    "Materials were ready at every table, so no time was lost handing them out.",
    "Several students who rarely speak volunteered an answer.",
]
LEADER_STRENGTHS = [
    "The agenda went out a day ahead and the team came prepared.",
    "The leadership team kept to time and every item ended with a decision.",
    "Teachers spoke more than administrators for most of the meeting.",
    "The data was ready, printed by student group.",
    "The principal named the school's goal at the start and tied each item back to it.",
]
SEGMENTS = ["the mini-lesson", "small-group time", "independent practice", "the closing", "the first twenty minutes"]
DATA_SOURCES = [
    "this week's exit tickets",
    "the unit check",
    "the fall interim results for {first}'s class",
    "running records from the last two weeks",
    "student writing from Friday",
]
LEADER_DATA = [
    (
        "the interim results by grade and student group",
        "{a} of {b} grades are on track for the spring target, and English learners trail in every grade",
    ),
    ("the attendance report for the last month", "{c} students are chronically absent, most of them in two grades"),
    (
        "walkthrough notes from the last three weeks",
        "students did most of the talking in {a} of {b} classrooms visited",
    ),
    (
        "the grade-level teams' exit ticket summaries",
        "{a} of {b} teams turned in a summary, and only half of those say what they will reteach",
    ),
]
COACH_NEXT = [
    "I will come back {weekday} to watch {segment}.",
    "I will bring a one-page example we can adapt.",
    "I will pull the next exit tickets and sort them before we meet.",
    "I will video ten minutes of the lesson so we can watch it together.",
    "I will send the notes from today by tomorrow morning.",
    "I will find a classroom at another partner school where {first} can see this.",
]
LEADER_COACH_NEXT = [
    "I will draft the protocol and send it by {weekday}.",
    "I will join the {weekday} team meeting and take notes on who talks.",
    "I will walk classrooms with {first} next week.",
    "I will bring two examples from other partner schools.",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday"]

PRIVATE_TEACHER = [
    "{first} got quiet when I showed the tally of who spoke. Next time start with what went well and "
    "let {first} find the pattern in the data before I say anything.",
    "I talked too much in the debrief again. Next conversation: ask one question and wait for the answer.",
    "{first} mentioned being exhausted and covering for the open position next door. Keep next week "
    "light, co-plan rather than observe, and don't push the new routine yet.",
    "I think {first} agrees in the room and then doesn't try it. Ask what got in the way, without "
    "judgment, before offering anything new.",
    "Strong lesson today. I need to name exactly what made it work so {first} can do it again on purpose.",
    "{first} is ready for more than I have been offering. Ask whether {first} would share this at the "
    "next grade-level meeting.",
    "Not sure the focus we picked is the one {first} cares about. Ask directly next time what would make "
    "the biggest difference for the class.",
    "{first} brought up a hard parent conversation and we ran out of time for the plan. That was the "
    "right call, but get back to the goal next week.",
    "I suggested three changes at once. Pick one next time and stick with it until it sticks.",
    "{first} seemed anxious about the principal's walkthrough. Reassure that my visits are not "
    "evaluation, and keep my notes descriptive.",
]
PRIVATE_LEADER = [
    "{first} hears feedback on walkthroughs as criticism of the staff. Frame the next meeting around what "
    "teachers need, not what they are missing.",
    "{first} cancelled twice this month. Worth asking whether the meeting time still works before "
    "assuming it's about the coaching.",
    "{first} wants quick wins for the district visit. Help find one that also moves the real work.",
    "I let the meeting drift into operations again. Next time put the instructional item first and hold it.",
    "{first} was candid today about the staff resisting the new schedule. Build on that trust: ask what "
    "{first} would do with no constraints.",
    "{first} is doing the team's thinking for them. Next time rehearse handing one agenda item to a teacher lead.",
]
# The demo coach and the demo teacher: the fluency work in the teacher's own cycle of inquiry.
PRIVATE_DEMO_TEACHER = [
    "{first} corrected errors before the students could catch them. I did not raise it today because the "
    "lesson was otherwise strong; bring the running record next time and let {first} spot it.",
    "{first} lit up when two of the focus students passed 80 words a minute. Start the next debrief there "
    "before we get to the error correction.",
    "I worry the grade-level team work is crowding out {first}'s own cycle. Ask which one to protect "
    "this month rather than piling on.",
    "{first} asked for me to model again. Model once more, but then step back: {first} can do this and "
    "needs to see that.",
    "Before the next observation, agree on exactly what I will script so the debrief is about data, not "
    "my impressions.",
]
RATING_EVIDENCE = [
    "From {n} observations since the last rating: {count}.",
    "{count} on the last visit; consistent with the visits before it.",
    "Seen in {n} lessons this period. {count}.",
]


def _fill(text: str, **slots: Any) -> str:
    text = text.format(**slots)
    return text[0].upper() + text[1:]


# -- the plan of one relationship -------------------------------------------------------------------


class _Story:
    """Events on days, run in the order of the days; then everything each day wrote is dated to it."""

    def __init__(self) -> None:
        self.events: list[tuple[datetime.date, int, Callable[[], Any]]] = []
        # Sessions without a private note, written in bulk at the end (see `_Plan._log`).
        self.sessions: list[tuple[Session, list[Competency]]] = []

    def on(self, day: datetime.date, fn: Callable[[], Any]) -> None:
        self.events.append((day, len(self.events), fn))

    def run(self) -> None:
        self.events.sort(key=lambda e: (e[0], e[1]))
        audit_from = _last(AuditEntry)
        seen = {model: _last(model) for model in {**_CREATED, **_TOUCHED}}
        created: dict[type, list[tuple[datetime.date, int]]] = defaultdict(list)
        touched: dict[type, dict[int, datetime.date]] = defaultdict(dict)
        days: list[tuple[datetime.date, int]] = []
        for i, (when, _, fn) in enumerate(self.events):
            made = fn()
            for obj in made if isinstance(made, list) else [made]:
                model = type(obj)
                if model in _TOUCHED:
                    touched[model][obj.pk] = when
                if model in _CREATED and obj.pk > seen[model]:
                    # Objects are made in the story's order, so each day's are a range of ids.
                    seen[model] = obj.pk
                    if created[model] and created[model][-1][0] == when:
                        created[model][-1] = (when, obj.pk)
                    else:
                        created[model].append((when, obj.pk))
            if i + 1 == len(self.events) or self.events[i + 1][0] != when:
                days.append((when, _last(AuditEntry)))
        for model, marks in [(AuditEntry, days), *created.items()]:
            low = audit_from if model is AuditEntry else 0
            for when, high in marks:
                if high > low:
                    fields = ["at"] if model is AuditEntry else _CREATED[model]
                    model.objects.filter(pk__gt=low, pk__lte=high).update(**dict.fromkeys(fields, _moment(when)))
                low = max(low, high)
        for model, last_touch in touched.items():
            by_day: dict[datetime.date, list[int]] = defaultdict(list)
            for pk, when in last_touch.items():
                by_day[when].append(pk)
            for when, pks in by_day.items():
                model.objects.filter(pk__in=pks).update(updated_at=_moment(when))
        self._write_sessions()

    def _write_sessions(self) -> None:
        """The rows and audit entries `do_log_session` would write, in bulk: an action per session
        is most of the demo's build time."""
        rows = [s for s, _ in self.sessions]
        Session.objects.bulk_create(rows, batch_size=500)
        through = Session.competencies.through
        links, entries = [], []
        for session, competencies in self.sessions:
            # bulk_create stamps the real time, as the action would; the story logs it on its day.
            session.created_at = _moment(session.held_on)
            links += [through(session_id=session.pk, competency_id=c.pk) for c in competencies]
            entries.append(
                AuditEntry(
                    at=session.created_at,
                    actor=session.logged_by,
                    kind=AuditEntry.Kind.CHANGE,
                    action="coaching.session",
                    object_type=Session._meta.label_lower,
                    object_id=str(session.pk),
                    object_repr=str(session)[:200],
                    changes={k: [None, v] for k, v in audit.snapshot(session).items() if v not in (None, "")},
                )
            )
        Session.objects.bulk_update(rows, ["created_at"], batch_size=500)
        through.objects.bulk_create(links, batch_size=1000)
        AuditEntry.objects.bulk_create(entries, batch_size=500)


def _last(model: type) -> int:
    return model.objects.aggregate(last=Max("pk"))["last"] or 0  # type: ignore[attr-defined]


# What the story dates: the day each object was made, and the day each was last changed.
_CREATED: dict[type, list[str]] = {
    Relationship: ["created_at"],
    Session: ["created_at"],
    PrivateNote: ["created_at"],
    Rating: ["created_at"],
    CoacheeGoal: ["created_at"],
}
_TOUCHED: dict[type, str] = {CoacheeGoal: "updated_at", StaffCost: "updated_at"}


@dataclass
class _Plan:
    coach: Person
    coachee: Person
    school: School
    leader: bool
    focus: list[Competency]
    starts_on: datetime.date
    subject: str
    ends_on: datetime.date | None = None  # ended in June
    quiet_from: datetime.date | None = None  # no coaching since
    cadence: int = 14
    demo: bool = False
    student_goals: list[Goal] = field(default_factory=list)
    inquiry: Cycle | None = None
    rel: Relationship | None = None
    private_share: float = 0.1
    notes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def first(self) -> str:
        return self.coachee.full_name.split()[0]

    def limit(self, today: datetime.date) -> datetime.date:
        return min(d for d in (today, self.ends_on, self.quiet_from) if d is not None)

    # -- scheduling

    def schedule(self, rng: random.Random, story: _Story, today: datetime.date) -> None:
        limit = self.limit(today)
        if self.starts_on > limit:
            return
        story.on(self.starts_on, self._start)
        cycles = self._cycles(rng, story, limit)
        levels = self._coach_ratings(rng, story, limit)
        self._self_ratings(rng, story, limit, levels)
        self._sessions(rng, story, limit, cycles)
        if self.ends_on is not None and self.ends_on <= today:
            story.on(self.ends_on, lambda: actions.do_end_relationship(self.coach, self._rel, self.ends_on))

    @property
    def _rel(self) -> Relationship:
        assert self.rel is not None
        return self.rel

    def _start(self) -> Relationship:
        audience = Framework.Audience.LEADER if self.leader else Framework.Audience.TEACHER
        framework = Framework.objects.get(audience=audience, built_in=True)
        self.rel = actions.do_start_relationship(
            self.coach,
            coach=self.coach,
            school=self.school,
            framework=framework,
            starts_on=self.starts_on,
            coachee=self.coachee,
            focus=self.focus,
        )
        return self.rel

    def _segments(self, limit: datetime.date) -> list[tuple[datetime.date, datetime.date]]:
        """The stretches of school time the coaching runs through: up to June, and from August."""
        out = []
        start = _school_day(self.starts_on)
        while start <= limit:
            june = datetime.date(start.year if start.month < 7 else start.year + 1, 6, 5)
            out.append((start, min(june, limit)))
            start = _school_day(datetime.date(june.year, 8, 18))
        return out

    def _cycles(self, rng: random.Random, story: _Story, limit: datetime.date) -> list["_CyclePlan"]:
        cycles: list[_CyclePlan] = []
        segments = self._segments(limit)
        for s, (seg_start, seg_end) in enumerate(segments):
            d = _after(seg_start, rng.randint(1, 4))
            last = s == len(segments) - 1
            while d <= seg_end:
                steps = [d]
                for lo, hi in ((4, 6), (6, 9), (9, 13), (4, 6)):
                    steps.append(_after(steps[-1], rng.randint(lo, hi)))
                if steps[-1] > seg_end and not (last and seg_end == limit and self.ends_on is None):
                    # A cycle that cannot finish before June is not started; the last one runs on.
                    break
                competency = self.focus[len(cycles) % len(self.focus)]
                cycle = _CyclePlan(self, len(cycles), competency, steps)
                cycles.append(cycle)
                cycle.schedule(rng, story, limit)
                if steps[-1] > seg_end:
                    break
                d = _after(steps[-1], rng.randint(6, 15))
                if d > seg_end:
                    if not last or seg_end != limit or self.ends_on is not None:
                        break
                    # Between cycles on the last day: the next one has just started.
                    d = max(steps[-1], _school_day_before(seg_end))
        return cycles

    def _rating_days(self, rng: random.Random, limit: datetime.date, first: int, every: int) -> list[datetime.date]:
        days = []
        for seg_start, seg_end in self._segments(limit):
            d = _after(seg_start, first + rng.randint(0, 4))
            while d <= seg_end:
                days.append(d)
                d = _after(d, every + rng.randint(-3, 3))
        return days

    def _coach_ratings(self, rng: random.Random, story: _Story, limit: datetime.date) -> dict[int, list]:
        days = self._rating_days(rng, limit, 12, 40)
        n = len(days)
        paths: dict[int, list[tuple[datetime.date, int]]] = {}
        for comp in self.focus:
            start = rng.choices([1, 2, 3], [2, 5, 1] if not self.leader else [1, 5, 3])[0]
            path = [start] * n
            shape = rng.choices(["rise", "rise2", "flat", "dip"], [62, 8, 20, 10])[0]
            if self.demo:
                shape = "rise"
            if n >= 2 and shape in ("rise", "rise2") and start < 4:
                k = rng.randint(max(1, n // 3), n - 1)
                path[k:] = [start + 1] * (n - k)
                if shape == "rise2" and start < 3 and k + 2 < n:
                    k2 = rng.randint(k + 2, n - 1)
                    path[k2:] = [start + 2] * (n - k2)
            elif n >= 3 and shape == "dip" and start > 1:
                k = rng.randint(1, n - 1)
                path[k:] = [start - 1] * (n - k)
                if rng.random() < 0.5 and k + 2 < n:
                    path[k + 2 :] = [start] * (n - k - 2)
            paths[comp.pk] = list(zip(days, path, strict=True))
            for day, level in paths[comp.pk]:
                evidence = ""
                if rng.random() < 0.4:
                    words = WORDS[comp.code]
                    count = words.count.format(**_counts(rng, self.leader, level))
                    evidence = _fill(rng.choice(RATING_EVIDENCE), n=rng.randint(2, 4), count=count)
                story.on(day, _bind(actions.do_rate, self.coach, self, comp, level, day, evidence))
        return paths

    def _self_ratings(self, rng: random.Random, story: _Story, limit: datetime.date, paths: dict[int, list]) -> None:
        # In the fall (or at the start) and in May of each year.
        days = []
        for seg_start, seg_end in self._segments(limit):
            y = seg_start.year if seg_start.month >= 7 else seg_start.year - 1
            for d in (_after(seg_start, 8), _school_day(datetime.date(y + 1, 5, 12))):
                if seg_start <= d <= seg_end:
                    days.append(d)
        for comp in self.focus:
            path = paths[comp.pk]
            for day in days:
                known = [lvl for d, lvl in path if d <= day] or [path[0][1] if path else 2]
                level = max(1, min(4, known[-1] + rng.choices([-1, 0, 1], [3, 4, 4])[0]))
                story.on(day, _bind(actions.do_rate, self.coachee, self, comp, level, day, ""))

    def _sessions(self, rng: random.Random, story: _Story, limit: datetime.date, cycles: list["_CyclePlan"]) -> None:
        visits = []
        for seg_start, seg_end in self._segments(limit):
            d = seg_start
            while d <= seg_end:
                if rng.random() > 0.08 or not visits:
                    visits.append(d)
                gap = self.cadence + rng.randint(-2, 2)
                d = _school_day(d + datetime.timedelta(days=gap))
        for i, day in enumerate(visits):
            cycle = next((c for c in cycles if c.steps[0] <= day < c.steps[-1]), None)
            step = cycle.step_on(day) if cycle else None
            kinds = self._kinds(rng, step, first=i == 0)
            for j, kind in enumerate(kinds):
                # A debrief the same day or soon after; one that would come after today has not happened.
                on = day if j == 0 else _after(day, rng.choice([0, 1, 1, 2]))
                if on > limit:
                    continue
                competency = cycle.competency if cycle else rng.choice(self.focus)
                private = ""
                # The demo teacher's fluency work, once their own cycle of inquiry is under way.
                fluency = self.demo and not self.leader and self.inquiry is not None and on >= self.inquiry.starts_on
                if rng.random() < (0.6 if fluency else self.private_share):
                    private = self._private_note(rng, fluency)
                story.on(on, _bind(self._log, story, rng.random(), on, kind, competency, cycle, private, limit))

    def _private_note(self, rng: random.Random, fluency: bool) -> str:
        """The coach's reflections on one coachee, none repeated until all have been used."""
        key = "fluency" if fluency else "leader" if self.leader else "teacher"
        pool = {"fluency": PRIVATE_DEMO_TEACHER, "leader": PRIVATE_LEADER, "teacher": PRIVATE_TEACHER}[key]
        queue = self.notes.setdefault(key, [])
        if not queue:
            queue += rng.sample(pool, len(pool))
        return queue.pop().format(first=self.first)

    def _kinds(self, rng: random.Random, step: int | None, first: bool) -> list[str]:
        if first:
            return [K.LEADERSHIP if self.leader else K.DATA]
        if self.leader:
            return rng.choices(
                [[K.LEADERSHIP], [K.DATA], [K.OBSERVATION, K.DEBRIEF], [K.CO_PLANNING], [K.MODELING]],
                [55, 18, 14, 10, 3],
            )[0]
        options = {
            None: ([[K.CO_PLANNING], [K.DATA], [K.OBSERVATION, K.DEBRIEF]], [4, 3, 3]),
            0: ([[K.DATA], [K.CO_PLANNING]], [5, 4]),
            1: ([[K.MODELING], [K.CO_PLANNING], [K.CO_TEACHING]], [5, 3, 2]),
            2: ([[K.OBSERVATION, K.DEBRIEF], [K.CO_TEACHING], [K.CO_PLANNING]], [6, 2, 1]),
            3: ([[K.OBSERVATION, K.DEBRIEF], [K.DATA]], [5, 4]),
        }[step]
        return rng.choices(*options)[0]

    def _log(
        self,
        story: _Story,
        seed: float,
        day: datetime.date,
        kind: str,
        competency: Competency,
        cycle: "_CyclePlan | None",
        private: str,
        today: datetime.date,
    ) -> list[Any]:
        rng = random.Random(f"{self.coachee.email}-{day}-{kind}-{seed}")
        shared, next_steps, evidence, minutes = _words_for(rng, self, kind, competency)
        comps = [competency]
        if rng.random() < 0.25 and len(self.focus) > 1:
            comps.append(rng.choice([c for c in self.focus if c != competency]))
        if not private:
            # Written in bulk at the end in the shape do_log_session gives it, with its audit entry.
            rel = self._rel
            assert rel.status == Relationship.Status.ACTIVE and rel.starts_on <= day <= today
            session = Session(
                relationship=rel,
                cycle=cycle.cycle if cycle else None,
                held_on=day,
                minutes=minutes,
                kind=kind,
                shared_notes=shared.strip(),
                next_steps=next_steps.strip(),
                evidence=evidence.strip(),
                logged_by=self.coach,
            )
            session.clean()
            story.sessions.append((session, comps))
            return []
        session = actions.do_log_session(
            self.coach,
            self._rel,
            held_on=day,
            minutes=minutes,
            kind=kind,
            shared_notes=shared,
            next_steps=next_steps,
            evidence=evidence,
            competencies=comps,
            cycle=cycle.cycle if cycle else None,
            private_note=private,
            today=max(today, day),
        )
        return [session, _last_note()]


def _last_note() -> PrivateNote:
    note = PrivateNote.objects.order_by("-pk").first()
    assert note is not None
    return note


def _bind(fn: Callable[..., Any], *args: Any) -> Callable[[], Any]:
    """Call later; a `_Plan` among the arguments stands for its relationship, made by then."""
    return lambda: fn(*(a._rel if isinstance(a, _Plan) else a for a in args))


def _counts(rng: random.Random, leader: bool, level: int) -> dict[str, int]:
    b = rng.randint(12, 30) if leader else rng.randint(22, 31)
    share = min(0.95, 0.2 + 0.18 * level + rng.uniform(-0.08, 0.08))
    return {"a": max(1, round(b * share)), "b": b}


def _words_for(rng: random.Random, plan: _Plan, kind: str, competency: Competency) -> tuple[str, str, str, int]:
    w = WORDS[competency.code]
    first, subject = plan.first, plan.subject
    slots = {
        "first": first,
        "subject": subject,
        "topic": w.topic,
        "look": w.look,
        "notice": w.notice,
        "move": w.move,
        "segment": rng.choice(SEGMENTS),
        "weekday": rng.choice(WEEKDAYS),
        "lessons": rng.choice(["two", "three", "four", "five"]),
    }
    count = _fill(w.count, **_counts(rng, plan.leader, 2 + rng.randint(0, 1)))
    slots["count"] = count
    strength = rng.choice(LEADER_STRENGTHS if plan.leader else STRENGTHS)
    evidence = ""
    if kind == K.OBSERVATION:
        if plan.leader:
            shared = rng.choice(
                [
                    "Walked classrooms with {first}, looking at {look}. {count}.",
                    "Observed {first} lead the grade-level team meeting, focused on {topic}. {count}.",
                ]
            )
        else:
            shared = rng.choice(
                [
                    "Observed {first}'s {subject} lesson, looking at {look}. {count}.",
                    "Visited during {segment} of the {subject} block, focused on {topic}. {count}.",
                    "Short visit to {first}'s class during {segment}; I scripted {look}. {count}.",
                ]
            )
        shared += " " + strength
        next_steps = "Debrief within two days; {first} to look over my script before we meet."
        evidence = rng.choice(
            [
                "Scripted notes: {count_lower}.",
                "Tally sheet from the visit: {count_lower}.",
                "Photos of student work from {segment}.",
            ]
        )
        minutes = rng.choice([30, 35, 40, 45, 50])
    elif kind == K.DEBRIEF:
        shared = rng.choice(
            [
                "Debriefed the observation. Looking at the script, {first} noticed that {notice}. "
                "We talked through what it would take to {move}.",
                "Went over my notes from the visit together. {first} saw that {notice} and wants to work on {topic}.",
                "Debrief: started with what went well, then the data on {look}. {first} named the next step "
                "before I did.",
            ]
        )
        next_steps = _next(rng, plan)
        minutes = rng.choice([30, 30, 35, 40, 45])
    elif kind == K.CO_PLANNING:
        if plan.leader:
            shared = rng.choice(
                [
                    "Planned the next staff PD with {first} around {topic}. We cut the agenda to one strategy and "
                    "built in ten minutes of practice.",
                    "Co-planned the leadership team agenda: {topic}. {first} will open with the data on {look}.",
                ]
            )
        else:
            shared = rng.choice(
                [
                    "Co-planned the next {lessons} {subject} lessons with {first}, with {topic} in mind. We wrote the "
                    "key questions into the plan and marked where to {move}.",
                    "Planned next week's {subject} unit together. {first} chose the task; we scripted the launch "
                    "and decided which students to check on first.",
                    "Planning session on {topic}: we annotated the curriculum lesson and cut what does not serve "
                    "the goal.",
                ]
            )
        next_steps = _next(rng, plan)
        minutes = rng.choice([45, 50, 60, 60, 75, 90])
    elif kind == K.MODELING:
        if plan.leader:
            shared = (
                "Modeled a feedback conversation with a teacher while {first} watched; then {first} led the next one."
            )
        else:
            shared = rng.choice(
                [
                    "Modeled {segment} in {first}'s {subject} class while {first} scripted {look}. "
                    "Afterwards {first} said the hardest part to copy would be the waiting.",
                    "I taught {segment} so {first} could see how to {move}. {first} tracked which students answered.",
                ]
            )
        next_steps = _next(rng, plan)
        minutes = rng.choice([45, 50, 55, 60])
    elif kind == K.CO_TEACHING:
        shared = rng.choice(
            [
                "Co-taught the {subject} lesson: {first} led the launch and I took {segment}. We both tried to "
                "{move}. {count}.",
                "Co-taught with {first}. We split the class for small groups and compared notes on {look} afterwards.",
            ]
        )
        next_steps = _next(rng, plan)
        minutes = rng.choice([45, 50, 55, 60])
    elif kind == K.DATA:
        if plan.leader:
            b = rng.randint(5, 8)
            source, finding = rng.choice(LEADER_DATA)
            finding = finding.format(a=rng.randint(2, b - 1), b=b, c=rng.randint(18, 45))
            shared = (
                f"Looked at {source} with {{first}}: {finding}. We talked about what it says about {{topic}} "
                "and what to bring to the leadership team."
            )
        else:
            source = rng.choice(DATA_SOURCES).format(first=first)
            b = rng.randint(22, 31)
            a = rng.randint(b // 3, b * 3 // 4)
            c = rng.randint(2, max(3, (b - a) // 2))
            finding = f"{a} of {b} students met the mark and {c} more were close"
            shared = rng.choice(
                [
                    f"Looked at {source} together: {finding}. {{first}} sorted the work into three piles "
                    f"and picked {rng.randint(3, 6)} students to watch closely.",
                    f"Data conversation on {source}: {finding}. We talked about what the work says about {{topic}}.",
                    f"Went through {source} student by student: {finding}. Most of the misses come back to {{topic}}.",
                ]
            )
            if rng.random() < 0.5:
                evidence = f"{source[0].upper()}{source[1:]}, sorted by {{first}} into met / close / not yet."
        next_steps = _next(rng, plan)
        minutes = rng.choice([45, 50, 60, 60, 75])
    else:  # leadership meeting
        shared = rng.choice(
            [
                "Weekly check-in with {first} on {topic}. {first} noticed that {notice}.",
                "Leadership meeting: reviewed progress on {topic}; {count}. {first} wants to {move}.",
                "Met with {first} and the assistant principal about {topic}. " + strength,
            ]
        )
        next_steps = _next(rng, plan)
        minutes = rng.choice([45, 60, 60, 75, 90])
    slots["count_lower"] = count[0].lower() + count[1:]
    return (
        _fill(shared, **slots),
        _fill(next_steps, **slots),
        _fill(evidence, **slots) if evidence else "",
        minutes,
    )


def _next(rng: random.Random, plan: _Plan) -> str:
    own = rng.choice(
        [
            "{first} will {move} in at least three lessons before we meet again.",
            "{first} to try it in the {subject} block this week: {move}.",
            "{first} will {move} and keep a quick tally of {look}.",
        ]
        if not plan.leader
        else [
            "{first} will {move}.",
            "{first} to bring it to the leadership team: {move}.",
        ]
    )
    return own + " " + rng.choice(LEADER_COACH_NEXT if plan.leader else COACH_NEXT)


@dataclass
class _CyclePlan:
    plan: _Plan
    number: int
    competency: Competency
    steps: list[datetime.date]  # starts, then the days each step finishes (the last completes it)
    cycle: CoachingCycle | None = None
    goal: CoacheeGoal | None = None

    def step_on(self, day: datetime.date) -> int:
        return sum(1 for d in self.steps[1:] if d <= day)

    def schedule(self, rng: random.Random, story: _Story, limit: datetime.date) -> None:
        plan, w = self.plan, WORDS[self.competency.code]
        uses = self.number // len(plan.focus)
        title = w.titles[uses] if uses < 2 else f"{w.titles[uses % 2]}, round {uses + 1}"
        goal_title = w.goals[uses % 2]
        link = _links(rng, plan, self.competency, limit, self.steps)
        # Most goals are under way once set; otherwise the coachee marks theirs when practice starts.
        marks = rng.random() < 0.4
        status = GoalStatus.NOT_STARTED if marks else GoalStatus.IN_PROGRESS
        story.on(self.steps[0], lambda: self._start(title, goal_title, status, link))
        for i, day in enumerate(self.steps[1:], start=1):
            if day > limit:
                break
            story.on(day, _bind(self._advance, day))
            if i == 2 and marks:
                story.on(day, lambda: self._goal({"status": GoalStatus.IN_PROGRESS}, by=plan.coachee))
        if self.steps[-1] <= limit:
            final = rng.choices([GoalStatus.MET, GoalStatus.NOT_MET, GoalStatus.DROPPED], [65, 28, 7])[0]
            story.on(self.steps[-1], lambda: self._goal({"status": final}))

    def _start(self, title: str, goal_title: str, status: str, link: dict[str, Any]) -> list[Any]:
        plan = self.plan
        self.cycle = actions.do_start_coaching_cycle(
            plan.coach, plan._rel, title, self.steps[0], inquiry_cycle=link.get("inquiry_cycle")
        )
        w = WORDS[self.competency.code]
        self.goal = actions.do_set_goal(
            plan.coach,
            plan._rel,
            None,
            {
                "title": goal_title,
                "description": f"Measured by {w.look}.",
                "competency": self.competency,
                "due_on": self.steps[-1],
                "status": status,
                **link,
            },
        )
        return [self.goal]

    def _advance(self, day: datetime.date) -> Any:
        assert self.cycle is not None
        return actions.do_advance_cycle(self.plan.coach, self.cycle, today=day)

    def _goal(self, fields: dict[str, Any], by: Person | None = None) -> Any:
        assert self.goal is not None
        return actions.do_set_goal(by or self.plan.coach, self.plan._rel, self.goal, fields)


def _links(
    rng: random.Random, plan: _Plan, competency: Competency, limit: datetime.date, steps: list[datetime.date]
) -> dict[str, Any]:
    """Some goals serve a student-outcome goal of the school; the current ones of the demo teacher
    and principal serve their cycles of inquiry."""
    out: dict[str, Any] = {}
    current = steps[0] <= limit < steps[-1]
    if plan.inquiry is not None and current and plan.inquiry.starts_on <= limit:
        out["inquiry_cycle"] = plan.inquiry
    if plan.student_goals and (rng.random() < 0.35 or (plan.demo and current)):
        subject = "math" if plan.subject == "math" else "ELA"
        pick = [g for g in plan.student_goals if subject in g.title] or plan.student_goals
        if plan.subject == "ELD" or (plan.leader and competency.code == "L1.2"):
            pick = [g for g in plan.student_goals if "gap" in g.title] or pick
        out["student_goal"] = pick[0]
    return out


# -- who coaches whom -----------------------------------------------------------------------------


def _plans(rng: random.Random, cast: _Cast, year: int, today: datetime.date, with_results: bool) -> list[_Plan]:
    prev_start = _school_day(datetime.date(year - 2, 8, 18))
    this_start = _school_day(datetime.date(year - 1, 8, 18))
    june = datetime.date(year - 1, 6, 5)
    frameworks = {
        f.audience: list(Competency.objects.filter(domain__version=f.current()).select_related("domain"))
        for f in Framework.objects.filter(built_in=True)
    }
    by_code = {c.code: c for comps in frameworks.values() for c in comps}
    teachers_at: dict[int, list[Person]] = defaultdict(list)
    for ra in (
        RoleAssignment.objects.filter(role=Role.TEACHER, school__isnull=False).select_related("person").order_by("pk")
    ):
        teachers_at[ra.school_id].append(ra.person)  # type: ignore[index]
    principal_of = {
        ra.school_id: ra.person
        for ra in RoleAssignment.objects.filter(role=Role.PRINCIPAL).select_related("person").order_by("-pk")
    }
    goals_at: dict[int, list[Goal]] = defaultdict(list)
    if with_results:
        for g in Goal.objects.filter(school__isnull=False).order_by("pk"):
            goals_at[g.school_id].append(g)  # type: ignore[index]
    fluency = Cycle.objects.filter(owner=cast.teacher, coach=cast.coach, level=Cycle.Level.INDIVIDUAL).first()
    team = Cycle.objects.filter(owner=cast.teacher, school=cast.chavez, level=Cycle.Level.TEAM).first()
    chain = (
        Cycle.objects.filter(school=cast.chavez, owner=cast.principal, level=Cycle.Level.SCHOOL)
        .order_by("-starts_on")
        .first()
    )

    assignments = list(
        SiteAssignment.objects.filter(partnership__status="active").select_related("person", "school").order_by("pk")
    )
    schools_of: dict[Person, list[tuple[School, bool]]] = {}
    for a in sorted(assignments, key=lambda a: (a.person_id != cast.coach.pk, a.pk)):
        schools_of.setdefault(a.person, []).append((a.school, a.role == SiteAssignment.Role.LEAD_PARTNER))
    new_teachers = _NewTeachers(cast)
    taken: set[int] = set()
    plans: list[_Plan] = []

    def focus_for(leader: bool, codes: list[str] | None = None) -> list[Competency]:
        if codes:
            return [by_code[c] for c in codes]
        pool = frameworks["leader" if leader else "teacher"]
        return rng.sample(pool, rng.choice([2, 2, 3, 3, 4]))

    for coach, places in schools_of.items():
        demo_coach = coach.pk == cast.coach.pk
        want = 5 if demo_coach else rng.choice([3, 3, 3, 4, 4, 5, 6])
        per_school = [want // len(places) + (1 if i < want % len(places) else 0) for i in range(len(places))]
        for (school, lead), n in zip(places, per_school, strict=True):
            pool = [t for t in teachers_at[school.pk] if t.pk not in taken]
            chosen = pool[:n]
            while len(chosen) < n:
                chosen.append(new_teachers.make(school))
            for person in chosen:
                taken.add(person.pk)
                demo = person.pk == cast.teacher.pk
                plans.append(
                    _Plan(
                        coach=coach,
                        coachee=person,
                        school=school,
                        leader=False,
                        focus=focus_for(False, ["T3.2", "T2.1", "T3.3"] if demo else None),
                        starts_on=_after(prev_start, rng.randint(0, 12)),
                        subject=_subject(rng, person),
                        cadence=7 if demo else rng.choice([7, 7, 10, 14, 14]),
                        demo=demo,
                        student_goals=goals_at[school.pk],
                        # The demo teacher's own cycle of inquiry; the third-grade team's for colleagues.
                        inquiry=fluency if demo else team if demo_coach and school.pk == cast.chavez.pk else None,
                        private_share=0.2 if demo else 0.1,
                    )
                )
            principal = principal_of.get(school.pk)
            # The lead partner coaches the principal, at most schools.
            if lead and principal is not None and (demo_coach or rng.random() < 0.85):
                demo = principal.pk == cast.principal.pk
                plans.append(
                    _Plan(
                        coach=coach,
                        coachee=principal,
                        school=school,
                        leader=True,
                        focus=focus_for(True, ["L2.1", "L3.2", "L1.2"] if demo else None),
                        starts_on=_after(prev_start, rng.randint(0, 8)),
                        subject="leadership",
                        cadence=rng.choice([7, 14, 14]),
                        demo=demo,
                        student_goals=goals_at[school.pk],
                        inquiry=chain if demo else None,
                        private_share=0.25 if demo else 0.1,
                    )
                )

    # Some teachers moved on in June: their partner picks up a new teacher in August. Two teachers
    # joined the coaching at midyear; a few relationships have gone quiet for over a month.
    ordinary = [p for p in plans if not p.demo and not p.leader]
    for plan in rng.sample(ordinary, max(2, len(ordinary) // 8)):
        plan.ends_on = _school_day(june - datetime.timedelta(days=rng.randint(3, 10)))
        if this_start <= today:
            new = new_teachers.make(plan.school)
            plans.append(
                _Plan(
                    coach=plan.coach,
                    coachee=new,
                    school=plan.school,
                    leader=False,
                    focus=focus_for(False),
                    starts_on=_after(this_start, rng.randint(5, 15)),
                    subject=_subject(rng, new),
                    cadence=7,
                    student_goals=plan.student_goals,
                )
            )
    late = [p for p in ordinary if p.ends_on is None]
    for plan in rng.sample(late, 2):
        plan.starts_on = _school_day(datetime.date(year - 1, 1, 12) + datetime.timedelta(days=rng.randint(0, 14)))
    quiet = [p for p in ordinary if p.ends_on is None] + [p for p in plans if p.leader and not p.demo]
    demo_other = [p for p in quiet if p.coach.pk == cast.coach.pk]
    for plan in rng.sample(quiet, 3) + demo_other[:1]:
        plan.quiet_from = today - datetime.timedelta(days=rng.randint(33, 60))
    return plans


def _staff_costs(
    rng: random.Random, story: _Story, cast: _Cast, plans: list[_Plan], year: int, today: datetime.date
) -> None:
    """The loaded hourly cost of every coach for both school years, set by the org admin in July."""
    coaches = sorted({p.coach.pk: p.coach for p in plans}.values(), key=lambda p: p.pk)
    for coach in coaches:
        base = Decimal(rng.randint(55, 80))
        for y, cost in ((year - 1, base), (year, base * Decimal("1.03") + rng.randint(0, 3))):
            day = min(datetime.date(y - 1, 7, 15), today)
            story.on(day, _bind(actions.do_set_staff_cost, cast.admin, coach, y, cost.quantize(Decimal("1.00"))))
