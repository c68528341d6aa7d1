"""Cycles of inquiry for the demo network, at every level and in every state a coach meets: on
track at different steps, stalled, overdue, completed and closed early, with overdue actions on
the demo coach's and teacher's desks.

At Cesar Chavez Elementary, the demo principal's school, the leadership team has run three
completed cycles over the last two school years, each started from the previous one's
reflection, grounded in the school's ELA results and re-measured on the way to its goal; a
fourth is under way.

Every change goes through the inquiry actions layer, so the cycles obey its rules and carry
their audit entries. The actions stamp the real time; afterwards each step's audit entries and
the cycle's last activity are set back to the day the story says it happened, so the history,
the stalled cycle and the overdue one read as they would in use.
"""

import datetime
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Max
from django.utils import timezone

from tandem.access.models import AuditEntry, RoleAssignment
from tandem.access.roles import Role
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.demo.names import FIRST_NAMES, LAST_NAMES
from tandem.inquiry import actions, data, gates
from tandem.inquiry.models import Action, Cycle, Evidence, ProblemStatement, Question, Template
from tandem.orgs.models import Person, School
from tandem.partnerships.models import SiteAssignment

ROCI = "Results-Oriented Cycle of Inquiry"
PDSA = "Plan-Do-Study-Act"
DATA_WISE = "Data Wise"
STUDENTS, ADULTS = Question.About.STUDENTS, Question.About.ADULTS
DONE, IN_PROGRESS = Action.Status.DONE, Action.Status.IN_PROGRESS
Level = Cycle.Level


def load(last_tested: int, today: datetime.date, domain: str, with_results: bool = True) -> list[Cycle]:
    """Build the demo's cycles; `last_tested` is the last school year with results. Without results
    (and so without goals) the problem statements are in words only, and the cycles that would link
    a goal follow Plan-Do-Study-Act, whose steps ask for none."""
    # build() takes the calendar date, which can run a day ahead of the organization's time zone;
    # the actions refuse logs dated after the local day, so the story never goes past it.
    today = min(today, timezone.localdate())
    cast = _Cast.find(domain)
    everyone = learners = None
    chavez_ela = None
    if with_results:
        ela = Assessment.objects.get(code="caaspp-ela")
        everyone = _Measure(ela, StudentGroup.objects.get(code="1"))
        learners = _Measure(ela, StudentGroup.objects.get(code="160"))
        chavez_ela = Goal.objects.filter(
            school=cast.chavez, assessment=ela, metric=Goal.Metric.AT_OR_ABOVE, group=everyone.group
        ).first()
    return [
        *_chavez_chain(cast, everyone, chavez_ela, last_tested, today),
        _grade_three_team(cast, everyone, last_tested, today),
        _teacher_with_coach(cast, everyone, chavez_ela, last_tested, today),
        _coach_own(cast, today),
        _district(cast, learners, last_tested, today),
        *_region(cast, last_tested),
        _organization(cast, learners, last_tested, today),
    ]


# -- the people and places ----------------------------------------------------------------------


@dataclass
class _Cast:
    leader: Person
    admin: Person
    director: Person
    coach: Person
    district_leader: Person
    principal: Person
    teacher: Person
    chavez: School
    # The other school the demo coach partners with, and a principal there.
    coach_school: School
    other_principal: Person

    @classmethod
    def find(cls, domain: str) -> "_Cast":
        def login(name: str) -> Person:
            return Person.objects.get(email=f"{name}@{domain}")

        principal, coach = login("principal"), login("coach")
        chavez = RoleAssignment.objects.get(person=principal, role=Role.PRINCIPAL).school
        assert chavez is not None
        coach_school = (
            SiteAssignment.objects.filter(person=coach).exclude(school=chavez).select_related("school").first()
        )
        assert coach_school is not None
        other = Person.objects.filter(roles__role=Role.PRINCIPAL, roles__school=coach_school.school).first()
        assert other is not None
        return cls(
            leader=login("leader"),
            admin=login("admin"),
            director=login("director"),
            coach=coach,
            district_leader=login("district"),
            principal=principal,
            teacher=login("teacher"),
            chavez=chavez,
            coach_school=coach_school.school,
            other_principal=other,
        )


def _colleagues(cast: _Cast) -> list[Person]:
    """Two more third-grade teachers at Cesar Chavez, so the grade-level team is a team. They get
    the demo teacher's password and names no one else in the demo has, drawn from their own seed
    so that the rest of the demo's people keep theirs."""
    rng = random.Random("grade-three-team")
    taken = set(Person.objects.values_list("full_name", flat=True))
    domain = cast.teacher.email.partition("@")[2]
    made = []
    while len(made) < 2:
        full = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        if full in taken:
            continue
        taken.add(full)
        person = Person.objects.create(
            email=f"{full.lower().replace(' ', '.')}@{domain}",
            full_name=full,
            title="Third-grade teacher",
            password=cast.teacher.password,
        )
        RoleAssignment.objects.create(person=person, role=Role.TEACHER, school=cast.chavez)
        made.append(person)
    return made


# -- telling a cycle's story through the actions ----------------------------------------------------


def _moment(day: datetime.date) -> datetime.datetime:
    # Mid-afternoon: after school, when teams meet.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 30)))


@dataclass(frozen=True)
class _Measure:
    assessment: Assessment
    group: StudentGroup


def _results_year(day: datetime.date, last_tested: int) -> int:
    """The latest spring results a team could read on this day: they are out by September."""
    return min(last_tested, day.year if day.month >= 9 else day.year - 1)


def _data_sentence(reading: data.Reading, who: str) -> str:
    if reading.school_year is None:
        return ""
    if reading.value is None:
        return f"In spring {reading.school_year}, too few of {who} were tested to report their results."
    return f"In spring {reading.school_year}, {reading.value:.0f}% of {who} met or exceeded the ELA standard."


class _Story:
    """One cycle, changed through the actions layer on the days the story gives."""

    def __init__(self, cycle: Cycle) -> None:
        self.cycle = cycle
        self.owner: Person = cycle.owner

    @classmethod
    def start(
        cls,
        by: Person,
        day: datetime.date,
        ends_on: datetime.date,
        *,
        title: str,
        level: str,
        template: str,
        members: list[Person] | None = None,
        goals: list[Goal] | None = None,
        **fields: object,
    ) -> "_Story":
        with _on(None, day) as done:
            cycle = actions.do_start_cycle(
                by,
                {
                    "title": title,
                    "level": level,
                    "template": Template.objects.get(name=template),
                    "starts_on": day,
                    "ends_on": ends_on,
                    **fields,
                },
                members=members,
                goals=goals,
            )
            done.append(cycle)
        Cycle.objects.filter(pk=cycle.pk).update(created_at=_moment(day))
        return cls(cycle)

    def finish(self, day: datetime.date, by: Person | None = None) -> None:
        """Finish the current step if the cycle has what it requires. The same story runs on
        templates that ask for things at different steps (Plan-Do-Study-Act when the demo has no
        goals to link), so a step that is not ready yet waits for the story's next meeting."""
        step = gates.current_step(self.cycle)
        if step is None or gates.missing(step, gates.present(self.cycle)):
            return
        with _on(self.cycle, day):
            actions.do_finish_step(by or self.owner, self.cycle, today=day)

    def problem(
        self,
        day: datetime.date,
        statement: str,
        measure: _Measure | None = None,
        *,
        who: str = "our students",
        grade: str = "all",
        year: int | None = None,
        by: Person | None = None,
    ) -> ProblemStatement:
        """With a measure, the statement opens with the data as read for it, about `who`."""
        with _on(self.cycle, day):
            if measure is None:
                return actions.do_save_problem(by or self.owner, self.cycle, statement)
            reading = data.read(self.cycle, measure.assessment, Goal.Metric.AT_OR_ABOVE, measure.group, grade, year)
            problem = actions.do_save_problem(
                by or self.owner,
                self.cycle,
                f"{_data_sentence(reading, who)} {statement}".strip(),
                assessment=measure.assessment,
                metric=Goal.Metric.AT_OR_ABOVE,
                group=measure.group,
                grade=grade,
                school_year=year,
            )
            ProblemStatement.objects.filter(pk=problem.pk).update(read_on=day)
            problem.read_on = day
            return problem

    def questions(self, day: datetime.date, *texts: tuple[str, str], by: Person | None = None) -> None:
        with _on(self.cycle, day):
            for about, text in texts:
                actions.do_add_question(by or self.owner, self.cycle, about, text)

    def action(
        self, day: datetime.date, title: str, owner: Person | None, due_on: datetime.date, by: Person | None = None
    ) -> Action:
        with _on(self.cycle, day):
            return actions.do_add_action(by or self.owner, self.cycle, title, owner=owner, due_on=due_on)

    def update(self, day: datetime.date, action: Action, status: str, by: Person | None = None) -> None:
        with _on(self.cycle, day):
            actions.do_update_action(by or action.owner or self.owner, action, status, today=day)

    def log(self, day: datetime.date, note: str, action: Action | None = None, by: Person | None = None) -> None:
        with _on(self.cycle, day):
            actions.do_add_log(by or self.owner, self.cycle, day, note, action=action)

    def evidence(
        self,
        day: datetime.date,
        title: str,
        note: str,
        value: Decimal | None = None,
        by: Person | None = None,
    ) -> None:
        kind = Evidence.Kind.DATA if value is not None else Evidence.Kind.OBSERVATION
        with _on(self.cycle, day):
            actions.do_add_evidence(
                by or self.owner, self.cycle, kind=kind, title=title, note=note, collected_on=day, value=value
            )

    def reflect(self, day: datetime.date, worked: str, learned: str, decision: str, adjustments: str = "") -> None:
        with _on(self.cycle, day):
            actions.do_save_reflection(
                self.owner, self.cycle, worked=worked, learned=learned, decision=decision, adjustments=adjustments
            )

    def close(self, day: datetime.date) -> None:
        with _on(self.cycle, day):
            actions.do_close_cycle(self.owner, self.cycle)
        # Closing stamps the real date; the story closed it on its own day.
        Cycle.objects.filter(pk=self.cycle.pk).update(finished_on=day)
        self.cycle.finished_on = day

    def next(self, day: datetime.date, ends_on: datetime.date) -> "_Story":
        with _on(self.cycle, day) as done:
            following = actions.do_start_next_cycle(self.owner, self.cycle, starts_on=day, ends_on=ends_on)
            done.append(following)
        Cycle.objects.filter(pk=following.pk).update(created_at=_moment(day))
        return _Story(following)


@contextmanager
def _on(cycle: Cycle | None, day: datetime.date) -> Iterator[list[Cycle]]:
    """Date what happens inside on `day`: the audit entries written and the cycle's last
    activity (the cycles appended to the list yielded count too)."""
    first = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0
    touched: list[Cycle] = [] if cycle is None else [cycle]
    yield touched
    moment = _moment(day)
    AuditEntry.objects.filter(pk__gt=first).update(at=moment)
    Cycle.objects.filter(pk__in=[c.pk for c in touched]).update(last_activity_at=moment)
    for c in touched:
        c.last_activity_at = moment


# -- Cesar Chavez Elementary: the leadership team's chain ------------------------------------------


def _chavez_chain(
    cast: _Cast, measure: _Measure | None, goal: Goal | None, last_tested: int, today: datetime.date
) -> list[Cycle]:
    """Three completed cycles over the last two school years and a fourth under way. Each reads
    the spring results out by its start; the team re-measures on the district's interim
    assessment, whose share at or above standard climbs toward the goal."""
    principal, coach, teacher = cast.principal, cast.coach, cast.teacher
    fall, spring = last_tested - 2, last_tested - 1  # the calendar years of the first school year
    goals = [goal] if goal is not None else []
    one = _Story.start(
        principal,
        datetime.date(fall, 9, 9),
        datetime.date(fall, 12, 19),
        title="Reading across the school: ELA at or above standard",
        level=Level.SCHOOL,
        template=ROCI if goal is not None else PDSA,
        school=cast.chavez,
        members=[teacher, coach],
        goals=goals,
    )
    year = _results_year(one.cycle.starts_on, last_tested)
    first = one.problem(
        datetime.date(fall, 9, 16),
        "Third graders who arrive below grade level in reading rarely catch up by fifth grade: our reading "
        "block is whole-class, and students who need more practice get the same text as everyone else.",
        measure,
        year=year,
    )
    baseline = first.value if first.value is not None else (goal.baseline_value if goal else Decimal(30))
    target = goal.target_value if goal is not None and goal.target_value > baseline else baseline + 10
    # The interim re-measures climb a quarter of the way to the target each cycle, at least two points.
    stride = max(Decimal(2), min(Decimal(5), (target - baseline) / 4)).quantize(Decimal("0.1"))

    # Cycle 1: small-group reading, introduced in the fall.
    one.finish(datetime.date(fall, 9, 16))
    one.questions(
        datetime.date(fall, 9, 23),
        (STUDENTS, "Which students are within reach of the standard, and what do they miss on the reading claim?"),
        (ADULTS, "How much of our reading block is spent with students reading texts at their level?"),
        by=teacher,
    )
    plan = one.action(
        datetime.date(fall, 9, 23),
        "Sort grades 3–5 into reading groups from the fall interim",
        teacher,
        datetime.date(fall, 10, 4),
    )
    blocks = one.action(
        datetime.date(fall, 9, 23),
        "Schedule a 30-minute small-group block in every grade 3–5 classroom",
        principal,
        datetime.date(fall, 10, 11),
    )
    walks = one.action(
        datetime.date(fall, 9, 23),
        "Walk the small-group block with the principal every other week",
        coach,
        datetime.date(fall, 12, 6),
    )
    one.finish(datetime.date(fall, 9, 30))
    one.update(datetime.date(fall, 10, 3), plan, DONE)
    one.log(
        datetime.date(fall, 10, 3),
        "Grade 3–5 teachers sorted students into four groups each from the fall interim.",
        plan,
        by=teacher,
    )
    one.update(datetime.date(fall, 10, 14), blocks, DONE)
    one.log(datetime.date(fall, 10, 14), "Small-group block on every schedule from this week.", blocks)
    one.update(datetime.date(fall, 10, 22), walks, IN_PROGRESS)
    one.log(
        datetime.date(fall, 11, 5),
        "First walk: groups meet, but most teachers read aloud to the group instead of listening to students read.",
        walks,
        by=coach,
    )
    one.finish(datetime.date(fall, 11, 20))
    one.evidence(
        datetime.date(fall, 12, 4),
        "Winter interim, grades 3–5: share at or above standard",
        "Up from the fall; the gain is in grade 3, flat in grade 5.",
        value=baseline + stride,
        by=teacher,
    )
    one.evidence(
        datetime.date(fall, 12, 6),
        "Walkthrough notes, six classrooms",
        "Students read aloud in two of six small groups; in the rest the teacher did most of the reading.",
        by=coach,
    )
    one.finish(datetime.date(fall, 12, 9))
    one.reflect(
        datetime.date(fall, 12, 16),
        worked="The block is on every schedule and groups meet. The share at or above standard rose on the "
        "winter interim.",
        learned="Students who are behind need to read more, not to be read to. Teachers were never shown what "
        "a small group looks like when students do the reading.",
        decision="adapt",
        adjustments="Keep the groups; model a student-reading routine (whisper reading with a running record) "
        "and coach it in every classroom.",
    )
    one.finish(datetime.date(fall, 12, 19))

    # Cycle 2: the same block, with a routine modelled and coached.
    two = one.next(datetime.date(spring, 1, 6), datetime.date(spring, 5, 29))
    # The goal and the problem carry over: the team confirms them at its first meeting.
    two.finish(datetime.date(spring, 1, 7))
    two.questions(
        datetime.date(spring, 1, 13),
        (STUDENTS, "Do students in the lowest groups read more words per minute after eight weeks of the routine?"),
        (ADULTS, "Which teachers use the routine without support, and what stops the others?"),
        by=teacher,
    )
    model = two.action(
        datetime.date(spring, 1, 13),
        "Model whisper reading in each grade 3–5 classroom",
        coach,
        datetime.date(spring, 2, 14),
    )
    records = two.action(
        datetime.date(spring, 1, 13),
        "Take a running record for every student in the lowest two groups monthly",
        teacher,
        datetime.date(spring, 4, 30),
    )
    two.finish(datetime.date(spring, 1, 13))
    # The walks carried over from the first cycle go on as the coach's routine.
    carried = two.cycle.actions.get(title=walks.title)
    two.update(datetime.date(spring, 1, 15), carried, IN_PROGRESS)
    two.log(
        datetime.date(spring, 1, 27),
        "Modelled the routine in grade 3; teachers practised on each other.",
        model,
        by=coach,
    )
    two.update(datetime.date(spring, 2, 12), model, DONE)
    two.log(datetime.date(spring, 2, 12), "Routine modelled in all nine classrooms.", model, by=coach)
    two.update(datetime.date(spring, 2, 20), records, IN_PROGRESS)
    two.log(
        datetime.date(spring, 3, 20),
        "Running records in: most students in the lowest groups read 10–15 more words a minute than in January.",
        records,
        by=teacher,
    )
    two.update(datetime.date(spring, 4, 28), records, DONE)
    two.update(datetime.date(spring, 4, 28), carried, DONE)
    two.finish(datetime.date(spring, 4, 28))
    two.evidence(
        datetime.date(spring, 5, 12),
        "Spring interim, grades 3–5: share at or above standard",
        "Gain held in grade 3 and reached grade 4; grade 5 still flat.",
        value=baseline + 2 * stride,
        by=teacher,
    )
    two.finish(datetime.date(spring, 5, 16))
    two.reflect(
        datetime.date(spring, 5, 27),
        worked="Every classroom runs the routine; fluency rose in the lowest groups and the interim moved again.",
        learned="Fluency gains did not carry into comprehension in grade 5: the older students read fluently but "
        "do not talk about what they read.",
        decision="adapt",
        adjustments="Keep the routine in grades 3–4. In grade 5, add text-dependent discussion to the small group "
        "and track it on the walkthrough.",
    )
    two.finish(datetime.date(spring, 5, 29))

    # Cycle 3: the next school year, with the spring results in.
    three = two.next(datetime.date(spring, 9, 8), datetime.date(last_tested, 2, 27))
    year = _results_year(three.cycle.starts_on, last_tested)
    three.problem(
        datetime.date(spring, 9, 15),
        "Fluency rose in the grades that used the small-group routine, but fifth graders still struggle to "
        "explain what a text says and how they know.",
        measure,
        year=year,
    )
    three.finish(datetime.date(spring, 9, 15))
    three.questions(
        datetime.date(spring, 9, 22),
        (STUDENTS, "Can fifth graders cite the text to support an answer after six weeks of discussion routines?"),
        (ADULTS, "How often do small groups spend more time on discussion than on reading aloud?"),
        by=teacher,
    )
    stems = three.action(
        datetime.date(spring, 9, 22),
        "Introduce discussion stems in every grade 5 small group",
        teacher,
        datetime.date(spring, 10, 10),
    )
    look = three.action(
        datetime.date(spring, 9, 22),
        "Add 'students cite the text' to the walkthrough look-fors",
        coach,
        datetime.date(spring, 10, 3),
    )
    three.finish(datetime.date(spring, 9, 22))
    three.update(datetime.date(spring, 10, 2), look, DONE)
    three.log(
        datetime.date(spring, 10, 2), "Look-for added; principal and coach calibrated on two videos.", look, by=coach
    )
    three.update(datetime.date(spring, 10, 9), stems, DONE)
    three.log(
        datetime.date(spring, 10, 9), "Stems posted and practised in all three grade 5 classrooms.", stems, by=teacher
    )
    three.log(
        datetime.date(spring, 11, 18),
        "Walkthrough: students cited the text in five of six groups seen.",
        by=cast.principal,
    )
    three.finish(datetime.date(spring, 12, 12))
    three.evidence(
        datetime.date(last_tested, 1, 30),
        "Winter interim, grades 3–5: share at or above standard",
        "Grade 5 moved for the first time; grades 3–4 held their gains.",
        value=baseline + 3 * stride,
        by=teacher,
    )
    three.finish(datetime.date(last_tested, 2, 6))
    three.reflect(
        datetime.date(last_tested, 2, 24),
        worked="Three cycles in, the small-group block with student reading and discussion runs in every "
        "grade 3–5 classroom, and each re-measure has been higher than the last.",
        learned="Teachers change practice when they see the routine modelled and get feedback on it within the "
        "week; a schedule change alone did not move results.",
        decision="adopt",
        adjustments="Keep the block as it is. Next, bring the same routines to the English learners in grades "
        "1–2 before they reach the tested grades.",
    )
    three.finish(datetime.date(last_tested, 2, 27))

    # Cycle 4, under way: from the start of this school year, or seven weeks back when the demo is
    # built before September, but never before the third cycle ended.
    start = min(today - datetime.timedelta(days=50), datetime.date(last_tested, 9, 8))
    start = max(start, datetime.date(last_tested, 3, 2))
    four = three.next(start, start + datetime.timedelta(days=130))
    year = _results_year(start, last_tested)
    four.problem(
        start + datetime.timedelta(days=7),
        "English learners in grades 1–2 enter third grade without the reading routines the older grades now use.",
        measure,
        year=year,
    )
    four.finish(start + datetime.timedelta(days=14))
    four.questions(
        start + datetime.timedelta(days=21),
        (STUDENTS, "Which grade 1–2 English learners read below benchmark on the fall screener?"),
        (ADULTS, "What do our grade 1–2 teachers need to run the small-group routine with beginning readers?"),
    )
    four.action(
        start + datetime.timedelta(days=21),
        "Model the small-group routine in two grade 2 classrooms",
        coach,
        today - datetime.timedelta(days=5),
    )
    four.action(
        start + datetime.timedelta(days=21),
        "Share the fall screener results with grade 1–2 teachers",
        teacher,
        today + datetime.timedelta(days=10),
    )
    four.log(
        today - datetime.timedelta(days=3),
        "Screener results sorted by English proficiency level for the grade 1–2 meeting.",
        by=teacher,
    )
    return [one.cycle, two.cycle, three.cycle, four.cycle]


# -- the other cycles ---------------------------------------------------------------------------------


def _days(today: datetime.date, n: int) -> datetime.date:
    return today + datetime.timedelta(days=n)


def _grade_three_team(cast: _Cast, measure: _Measure | None, last_tested: int, today: datetime.date) -> Cycle:
    """The demo teacher leads the third-grade team through Data Wise: on track, at its action plan,
    with one of the teacher's own actions overdue."""
    team = _Story.start(
        cast.teacher,
        _days(today, -60),
        _days(today, 90),
        title="Third-grade team: reading comprehension",
        level=Level.TEAM,
        template=DATA_WISE,
        school=cast.chavez,
        members=[*_colleagues(cast), cast.coach],
    )
    team.finish(_days(today, -57))
    team.finish(_days(today, -53))
    year = _results_year(_days(today, -46), last_tested)
    team.problem(
        _days(today, -46),
        "On the reading claim, our third graders miss most items that ask for the main idea of an informational text.",
        measure,
        who="our third graders",
        grade="3",
        year=year,
    )
    team.finish(_days(today, -46))
    team.questions(
        _days(today, -32),
        (STUDENTS, "When third graders get a main-idea item wrong, do they pick a detail or misread the text?"),
    )
    team.finish(_days(today, -32))
    team.questions(
        _days(today, -18),
        (ADULTS, "How often do our lessons ask students to say what a whole text is about, not a part of it?"),
        by=cast.coach,
    )
    team.finish(_days(today, -18))
    team.action(
        _days(today, -11), "Collect one main-idea exit ticket from every student", cast.teacher, _days(today, -4)
    )
    team.action(_days(today, -11), "Draft a two-week informational text unit", cast.teacher, _days(today, 12))
    team.action(_days(today, -11), "Observe a main-idea lesson in each classroom", cast.coach, _days(today, 20))
    return team.cycle


def _teacher_with_coach(
    cast: _Cast, measure: _Measure | None, goal: Goal | None, last_tested: int, today: datetime.date
) -> Cycle:
    """The demo teacher's own cycle, followed by the demo coach: acting on the plan."""
    story = _Story.start(
        cast.teacher,
        _days(today, -42),
        _days(today, 48),
        title="Fluency in my small groups",
        level=Level.INDIVIDUAL,
        template=ROCI if goal is not None else PDSA,
        school=cast.chavez,
        coach=cast.coach,
        goals=[goal] if goal is not None else [],
    )
    year = _results_year(_days(today, -40), last_tested)
    story.problem(
        _days(today, -40),
        "Six students in my class read under 70 words a minute and lose the meaning of longer texts.",
        measure,
        who="third graders at our school",
        grade="3",
        year=year,
    )
    story.finish(_days(today, -38))
    story.questions(
        _days(today, -35),
        (STUDENTS, "Do my six focus students read faster and with fewer errors after daily repeated reading?"),
        (ADULTS, "Do I listen to each of them read at least three times a week?"),
    )
    records = story.action(
        _days(today, -35), "Running records for my six focus students every week", cast.teacher, _days(today, -6)
    )
    story.action(_days(today, -35), "Observe a small group and give feedback", cast.coach, _days(today, 7))
    story.finish(_days(today, -33))
    story.update(_days(today, -30), records, IN_PROGRESS)
    story.log(_days(today, -28), "Started repeated reading with the focus group, 10 minutes a day.", records)
    story.log(_days(today, -14), "Two of the six now read over 80 words a minute.", records)
    story.log(_days(today, -4), "Coach observed: students reread, but I corrected errors too quickly.", by=cast.coach)
    return story.cycle


def _coach_own(cast: _Cast, today: datetime.date) -> Cycle:
    """The demo coach's own practice, a PDSA cycle that stalled after its plan: nothing has happened
    for over a month, and the coach's action is overdue."""
    story = _Story.start(
        cast.coach,
        _days(today, -75),
        _days(today, 45),
        title="Feedback within a day of every classroom visit",
        level=Level.INDIVIDUAL,
        template=PDSA,
        school=cast.coach_school,
    )
    story.problem(
        _days(today, -70),
        "Teachers I visit get my written feedback a week later on average; by then they have moved on, and "
        "few of them try what we discussed.",
    )
    story.questions(
        _days(today, -70),
        (ADULTS, "If feedback arrives within 24 hours, do more teachers try the suggestion within the week?"),
        (STUDENTS, "Do students in those classrooms read more during the small-group block?"),
    )
    story.action(_days(today, -68), "Send feedback the same day for every visit", cast.coach, _days(today, -30))
    story.finish(_days(today, -66))
    story.log(_days(today, -40), "Same-day feedback for four of seven visits; the rest slipped to the weekend.")
    return story.cycle


def _district(cast: _Cast, measure: _Measure | None, last_tested: int, today: datetime.date) -> Cycle:
    """Bayview Unified's English learner office: planned to end three weeks ago, still assessing."""
    district = RoleAssignment.objects.get(person=cast.district_leader, role=Role.DISTRICT_LEADER).district
    assert district is not None
    goals = list(Goal.objects.filter(school__district=district, metric=Goal.Metric.GAP, assessment__code="caaspp-ela"))
    story = _Story.start(
        cast.district_leader,
        _days(today, -200),
        _days(today, -20),
        title="Designated ELD every day in partner elementary schools",
        level=Level.DISTRICT,
        template=ROCI if goals else PDSA,
        district=district,
        members=[cast.principal, cast.other_principal, cast.coach],
        goals=goals,
    )
    year = _results_year(_days(today, -195), last_tested)
    story.problem(
        _days(today, -195),
        "In half of our elementary schools, designated ELD is the first block cut when the schedule is tight.",
        measure,
        who=f"English learners in {district}",
        year=year,
    )
    story.finish(_days(today, -190))
    story.questions(
        _days(today, -185),
        (STUDENTS, "Do English learners with daily designated ELD gain more on the ELPAC than those without?"),
        (ADULTS, "Which schools protect the ELD block, and how do their principals schedule it?"),
    )
    audit = story.action(
        _days(today, -185),
        "Audit every elementary master schedule for ELD minutes",
        cast.district_leader,
        _days(today, -150),
    )
    model = story.action(
        _days(today, -185),
        "Publish a model schedule with a protected ELD block",
        cast.district_leader,
        _days(today, -120),
    )
    story.finish(_days(today, -180))
    story.update(_days(today, -150), audit, DONE)
    story.log(
        _days(today, -150), "Schedule audit done: 9 of 14 elementary schools protect ELD four days or more.", audit
    )
    story.update(_days(today, -112), model, DONE)
    story.log(_days(today, -110), "Model schedule shared at the principals' meeting.", model, by=cast.principal)
    story.finish(_days(today, -60))
    return story.cycle


def _region(cast: _Cast, last_tested: int) -> list[Cycle]:
    """The Bay Area team, last school year: one cycle completed and one closed early."""
    winter, spring = datetime.date(last_tested, 1, 12), datetime.date(last_tested, 2, 2)
    region = RoleAssignment.objects.get(person=cast.director, role=Role.REGIONAL_DIRECTOR).region
    coaches = list(
        Person.objects.filter(roles__role=Role.COACH, roles__school__district__region=region)
        .distinct()
        .order_by("full_name")[:4]
    )
    walks = _Story.start(
        cast.director,
        _days(winter, 0),
        _days(winter, 130),
        title="Principal walkthroughs with one shared look-for",
        level=Level.REGION,
        template=PDSA,
        region=region,
        members=coaches,
    )
    walks.problem(
        _days(winter, 5),
        "Partners and principals walk classrooms with different checklists, so their feedback to teachers "
        "contradicts itself and little changes.",
    )
    walks.questions(
        _days(winter, 8),
        (ADULTS, "If partners and principals walk with one look-for, does their feedback agree?"),
        (STUDENTS, "Do students talk more about texts in classrooms that got aligned feedback?"),
    )
    agree = walks.action(
        _days(winter, 8), "Agree on one look-for with the region's principals", cast.director, _days(winter, 30)
    )
    walks.finish(_days(winter, 10))
    walks.update(_days(winter, 28), agree, DONE)
    walks.log(_days(winter, 28), "Look-for agreed: 'students do the reading and the talking'.", agree)
    walks.log(_days(winter, 70), "Paired walkthroughs in eight schools this month.")
    walks.finish(_days(winter, 80))
    walks.evidence(
        _days(winter, 105),
        "Calibration walk, eight schools",
        "Partner and principal ratings agreed in 41 of 48 classrooms, up from 22 in the fall.",
    )
    walks.finish(_days(winter, 108))
    walks.reflect(
        _days(winter, 120),
        worked="One look-for made feedback consistent; principals asked to keep it.",
        learned="Agreement came from walking together, not from the checklist itself.",
        decision="adopt",
        adjustments="Keep the paired walks; add the look-for to the principals' own evaluation rubric.",
    )
    walks.finish(_days(winter, 125))

    academy = _Story.start(
        cast.director,
        _days(spring, 0),
        _days(spring, 120),
        title="Saturday reading academy",
        level=Level.REGION,
        template=PDSA,
        region=region,
        members=coaches[:2],
    )
    academy.problem(
        _days(spring, 4),
        "Students two or more years behind in reading get no more reading time than their classmates.",
    )
    academy.questions(
        _days(spring, 4),
        (STUDENTS, "Will students two years behind come on Saturdays, and read more if they do?"),
    )
    opened = academy.action(_days(spring, 4), "Open the academy at three schools", cast.director, _days(spring, 30))
    academy.finish(_days(spring, 10))
    academy.update(_days(spring, 26), opened, DONE)
    academy.log(_days(spring, 40), "Attendance: 11 of 60 invited students came to the first three sessions.", opened)
    academy.log(
        _days(spring, 54),
        "Closing early: families told us Saturdays are work days. The extra reading time moves into the school "
        "day through the small-group block instead.",
    )
    academy.close(_days(spring, 54))
    return [walks.cycle, academy.cycle]


def _organization(cast: _Cast, measure: _Measure | None, last_tested: int, today: datetime.date) -> Cycle:
    """The national leadership team's own cycle on the English learner gap: planning."""
    goals = list(Goal.objects.filter(metric=Goal.Metric.GAP, assessment__code="caaspp-ela"))
    national = list(Person.objects.filter(roles__role=Role.NATIONAL_LEADER).exclude(pk=cast.leader.pk).distinct())
    story = _Story.start(
        cast.leader,
        _days(today, -35),
        _days(today, 150),
        title="Close the ELA gap for English learners across the network",
        level=Level.ORGANIZATION,
        template=ROCI if goals else PDSA,
        members=[cast.admin, *national],
        goals=goals,
    )
    year = _results_year(_days(today, -30), last_tested)
    story.problem(
        _days(today, -30),
        "The gap to fluent English speakers narrowed in only a few schools.",
        measure,
        who="English learners in our partner schools",
        year=year,
    )
    story.finish(_days(today, -25))
    story.questions(
        _days(today, -16),
        (STUDENTS, "In the schools where the gap narrowed, which English learners gained most?"),
        (ADULTS, "What did partners in those schools do that others did not?"),
    )
    story.action(
        _days(today, -16), "Interview partners at the four schools that narrowed the gap", cast.leader, _days(today, 20)
    )
    return story.cycle
