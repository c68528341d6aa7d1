"""Cycles of inquiry: the template engine, step gates, the next cycle, who sees and changes what,
health, and the pages that show them."""

import datetime
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.access.scope import scope_for
from tandem.achievement.models import Assessment, StudentGroup
from tandem.analytics.models import Goal
from tandem.inquiry import actions, gates
from tandem.inquiry.health import OVERDUE, STALLED, health, stalled_or_overdue
from tandem.inquiry.models import Action, Cycle, Evidence, Reflection, Template
from tandem.inquiry.visibility import can_contribute, can_manage, visible_cycles
from tandem.orgs.models import Person, Team, TeamMembership
from tests.world import World, make_person

TODAY = timezone.localdate()


def _local_noon(days_ago: int) -> datetime.datetime:
    # Counted in local calendar days: "now minus 30×24 hours" lands a day short when a clock change
    # falls in between and the test runs just before local midnight.
    return timezone.make_aware(datetime.datetime.combine(TODAY - datetime.timedelta(days=days_ago), datetime.time(12)))


ROCI = "Results-Oriented Cycle of Inquiry"


def _roci() -> Template:
    return Template.objects.get(name=ROCI)


def _goal(world: World) -> Goal:
    school = world.inside.school
    return Goal.objects.create(
        title="Grade 3 reading",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        school=school,
        group=StudentGroup.objects.get(code="1"),
        baseline_year=2025,
        baseline_value=Decimal("30"),
        target_value=Decimal("45"),
        target_date=datetime.date(2028, 6, 1),
        owner_school=school,
    )


def _start(world: World, who: Person, level: str = Cycle.Level.SCHOOL, **place: object) -> Cycle:
    place = place or {"school": world.inside.school}
    return actions.do_start_cycle(
        who,
        {
            "title": "Grade 3 fluency",
            "level": level,
            "template": _roci(),
            "starts_on": TODAY,
            "ends_on": TODAY + datetime.timedelta(weeks=8),
            **place,
        },
    )


def _walk_to_reflection(cycle: Cycle, who: Person, goal: Goal) -> None:
    actions.do_save_problem(who, cycle, "Too few third graders read fluently.")
    actions.do_set_goals(who, cycle, [goal])
    actions.do_finish_step(who, cycle)
    actions.do_add_question(who, cycle, "students", "Which sounds trip them up?")
    actions.do_add_action(who, cycle, "Daily fluency practice", who, TODAY + datetime.timedelta(days=14))
    actions.do_add_action(who, cycle, "Observe each classroom once", who, TODAY + datetime.timedelta(days=21))
    actions.do_finish_step(who, cycle)
    actions.do_add_log(who, cycle, TODAY, "Started daily practice in all three classes.")
    actions.do_finish_step(who, cycle)
    actions.do_add_evidence(
        who, cycle, kind="data", title="Winter fluency check", collected_on=TODAY, value=Decimal("38.5")
    )
    actions.do_finish_step(who, cycle)
    actions.do_save_reflection(
        who, cycle, worked="Practice", learned="Routines matter", decision="adapt", adjustments="Add a fourth grade."
    )


# -- templates ----------------------------------------------------------------------------------


def test_the_three_methods_ship_with_their_steps(world: World) -> None:
    steps = {t.name: [s.name for s in t.steps.order_by("position")] for t in Template.objects.all()}
    assert steps[ROCI] == ["Set Goals", "Plan", "Act", "Assess", "Reflect & Adjust"]
    assert steps["Plan-Do-Study-Act"] == ["Plan", "Do", "Study", "Act"]
    assert steps["Data Wise"] == [
        "Organize for collaborative work",
        "Build assessment literacy",
        "Create data overview",
        "Dig into student data",
        "Examine instruction",
        "Develop action plan",
        "Plan to assess progress",
        "Act and assess",
    ]
    assert [s.phase for s in Template.objects.get(name="Data Wise").steps.order_by("position")] == (
        ["Prepare"] * 2 + ["Inquire"] * 3 + ["Act"] * 3
    )
    assert Template.objects.get(is_default=True).name == ROCI


def test_editing_a_template_changes_new_cycles_only(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    before = _start(world, world.inside.principal)
    steps = [{"name": "Notice", "requires": ["problem"]}, {"phase": "", "name": "Try", "prompt": "", "requires": []}]
    actions.do_save_template(admin, _roci(), {"description": "Shorter"}, steps)
    after = _start(world, world.inside.principal)
    assert [s.name for s in before.steps.all()] == ["Set Goals", "Plan", "Act", "Assess", "Reflect & Adjust"]
    assert [(s.name, s.requires) for s in after.steps.all()] == [("Notice", ["problem"]), ("Try", [])]


@pytest.mark.parametrize(
    ("steps", "message"),
    [
        ([], "A template needs at least one step."),
        ([{"name": " "}], "Step 1 needs a name."),
        (
            [{"name": "Plan"}, {"name": "Do", "requires": ["homework"]}],
            "Step 2: required artifacts must be drawn from problem, questions, goals, actions, log, evidence, "
            "reflection.",
        ),
    ],
)
def test_bad_templates_are_refused_and_change_nothing(world: World, steps: list, message: str) -> None:
    admin = world.people[Role.ORG_ADMIN]
    before = list(_roci().steps.values_list("name", flat=True))
    with pytest.raises(ValidationError) as raised:
        actions.do_save_template(admin, _roci(), {}, steps)
    assert raised.value.message_dict == {"steps": [message]}
    assert list(_roci().steps.values_list("name", flat=True)) == before


def test_only_the_organizations_leaders_edit_templates(world: World) -> None:
    with pytest.raises(ValidationError, match=re.escape("Only the organization's leaders edit cycle templates.")):
        actions.do_save_template(world.inside.principal, _roci(), {}, [{"name": "Plan"}])


def test_one_default_template_at_a_time(world: World) -> None:
    actions.do_save_template(
        world.people[Role.ORG_ADMIN], None, {"name": "Our way", "is_default": True}, [{"name": "Plan"}]
    )
    assert list(Template.objects.filter(is_default=True).values_list("name", flat=True)) == ["Our way"]


# -- step gates ---------------------------------------------------------------------------------


def test_a_step_finishes_only_when_its_artifacts_exist(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    with pytest.raises(ValidationError) as raised:
        actions.do_finish_step(principal, cycle)
    assert raised.value.messages == ["Set Goals needs Problem statement, Measurable goals before it can be finished."]
    actions.do_save_problem(principal, cycle, "Too few third graders read fluently.")
    with pytest.raises(ValidationError, match=re.escape("Set Goals needs Measurable goals before")):
        actions.do_finish_step(principal, cycle)
    actions.do_set_goals(principal, cycle, [_goal(world)])
    step = actions.do_finish_step(principal, cycle)
    assert step.name == "Set Goals" and step.finished_on == TODAY
    current = gates.current_step(cycle)
    assert current is not None and current.name == "Plan" and current.started_on == TODAY


def test_finishing_the_last_step_completes_the_cycle_and_undo_reopens_it(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    _walk_to_reflection(cycle, principal, _goal(world))
    actions.do_finish_step(principal, cycle)
    cycle.refresh_from_db()
    assert (cycle.status, cycle.finished_on) == (Cycle.Status.COMPLETED, TODAY)
    with pytest.raises(ValidationError, match=re.escape("This cycle is finished; start the next cycle to go on.")):
        actions.do_add_question(principal, cycle, "adults", "Late question")
    reopened = actions.do_reopen_step(principal, cycle)
    cycle.refresh_from_db()
    assert reopened.name == "Reflect & Adjust" and cycle.status == Cycle.Status.ACTIVE and cycle.finished_on is None


# -- the next cycle -----------------------------------------------------------------------------


def test_the_next_cycle_starts_from_the_reflection(world: World) -> None:
    principal = world.inside.principal
    goal = _goal(world)
    cycle = _start(world, principal)
    cycle.members.add(world.people[Role.TEACHER])
    with pytest.raises(ValidationError, match=re.escape("Reflect on this cycle first")):
        actions.do_start_next_cycle(principal, cycle)
    _walk_to_reflection(cycle, principal, goal)
    actions.do_update_action(principal, cycle.actions.get(title="Daily fluency practice"), Action.Status.DONE)
    actions.do_finish_step(principal, cycle)

    following = actions.do_start_next_cycle(principal, cycle)
    assert following.title == "Grade 3 fluency (cycle 2)"
    assert following.previous == cycle and following.carried_forward == "Add a fourth grade."
    assert (following.level, following.school, following.template) == (cycle.level, cycle.school, cycle.template)
    assert list(following.members.all()) == [world.people[Role.TEACHER]]
    assert list(following.goals.all()) == [goal]
    assert following.problem.statement == "Too few third graders read fluently."
    # Unfinished actions carry over, finished ones stay with the cycle that did them.
    assert list(following.actions.values_list("title", "status")) == [("Observe each classroom once", "planned")]
    assert [s.name for s in following.steps.filter(finished_on__isnull=True)][:1] == ["Set Goals"]
    assert actions._next_title("Grade 3 fluency (cycle 2)") == "Grade 3 fluency (cycle 3)"
    with pytest.raises(ValidationError, match=re.escape("The next cycle has already started from this one.")):
        actions.do_start_next_cycle(principal, cycle)
    with pytest.raises(ValidationError, match=re.escape("can no longer be reopened")):
        actions.do_reopen_step(principal, cycle)


# -- who sees and changes what -----------------------------------------------------------------


def _sees(person: Person) -> set[int]:
    return set(visible_cycles(scope_for(person)).values_list("pk", flat=True))


def test_a_school_cycle_is_seen_by_its_team_and_its_leaders_only(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    leaders = {Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.DISTRICT_LEADER}
    for role in Role:
        assert (cycle.pk in _sees(world.people[role])) == (role in leaders | {Role.PRINCIPAL}), role
    assert cycle.pk not in _sees(world.outside.principal)
    teacher = world.people[Role.TEACHER]
    cycle.members.add(teacher)
    assert cycle.pk in _sees(teacher)
    scope = scope_for(teacher)
    assert can_contribute(scope, cycle) and not can_manage(scope, cycle)
    assert can_manage(scope_for(world.people[Role.DISTRICT_LEADER]), cycle)


def test_an_individual_cycle_is_seen_by_the_person_and_their_coach_only(world: World) -> None:
    teacher = world.people[Role.TEACHER]
    coach = world.people[Role.COACH]
    cycle = actions.do_start_cycle(
        teacher,
        {
            "title": "My questioning",
            "level": Cycle.Level.INDIVIDUAL,
            "template": _roci(),
            "coach": coach,
            "school": world.inside.school,
            "starts_on": TODAY,
            "ends_on": TODAY + datetime.timedelta(weeks=6),
        },
    )
    seen_by = {role for role in Role if cycle.pk in _sees(world.people[role])}
    assert seen_by == {Role.TEACHER, Role.COACH}


def test_a_cycle_of_the_whole_organization_is_seen_by_its_staff(world: World) -> None:
    leader = world.people[Role.NATIONAL_LEADER]
    cycle = _start(world, leader, Cycle.Level.ORGANIZATION, school=None)
    seen_by = {role for role in Role if cycle.pk in _sees(world.people[role])}
    assert seen_by == {Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST}
    with pytest.raises(ValidationError, match=re.escape("Only the organization's leaders start its own cycles.")):
        _start(world, world.people[Role.REGIONAL_DIRECTOR], Cycle.Level.ORGANIZATION, school=None)


def test_a_team_cycle_is_seen_by_the_teams_members(world: World) -> None:
    team = Team.objects.create(organization=world.org, name="Literacy team", kind=Team.Kind.NATIONAL)
    member = make_person("member@example.org", "Team Member")
    RoleAssignment.objects.create(person=member, role=Role.COACH, school=world.outside.school)
    TeamMembership.objects.create(team=team, person=member)
    cycle = _start(world, member, Cycle.Level.TEAM, team=team, school=None)
    other = make_person("other@example.org", "Other Coach")
    RoleAssignment.objects.create(person=other, role=Role.COACH, school=world.outside.school)
    assert cycle.pk in _sees(member) and cycle.pk not in _sees(other)
    TeamMembership.objects.create(team=team, person=other)
    assert cycle.pk in _sees(other)


@pytest.mark.parametrize(
    ("role", "level", "place", "message"),
    [
        (Role.TEACHER, Cycle.Level.SCHOOL, "school", "You can start a cycle here only where you lead every school"),
        (Role.FUNDER, Cycle.Level.TEAM, "school", "only at a school where you work with student data"),
        (Role.PRINCIPAL, Cycle.Level.DISTRICT, "district", "only where you lead every school"),
        (Role.PRINCIPAL, Cycle.Level.DISTRICT, "school", "A district department cycle works in a district"),
        (Role.PRINCIPAL, Cycle.Level.SCHOOL, None, "A school leadership team cycle needs a school."),
    ],
)
def test_who_may_start_what(world: World, role: Role, level: str, place: str | None, message: str) -> None:
    where = {"school": world.inside.school, "district": world.inside.district}
    before = Cycle.objects.count()
    with pytest.raises(ValidationError, match=re.escape(message)):
        _start(world, world.people[role], level, **({place: where[place]} if place else {"school": None}))
    assert Cycle.objects.count() == before


def test_a_teacher_starts_a_grade_level_team_cycle_at_their_school(world: World) -> None:
    cycle = _start(world, world.people[Role.TEACHER], Cycle.Level.TEAM)
    assert cycle.owner == world.people[Role.TEACHER] and cycle.steps.count() == 5


def test_goals_and_members_out_of_reach_are_refused(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    far_goal = _goal(world)
    far_goal.school = far_goal.owner_school = world.outside.school
    far_goal.save()
    with pytest.raises(ValidationError, match=re.escape("No goal has one of these ids.")):
        actions.do_set_goals(principal, cycle, [far_goal])
    with pytest.raises(ValidationError, match=re.escape("Choose people you work with.")):
        actions.do_add_action(principal, cycle, "Visit", world.outside.principal)


def test_outsiders_cannot_work_on_a_cycle(world: World) -> None:
    cycle = _start(world, world.inside.principal)
    with pytest.raises(
        ValidationError, match=re.escape("Only the cycle's owner, members, coach and leaders can work on it.")
    ):
        actions.do_add_question(world.people[Role.TEACHER], cycle, "students", "Why?")


# -- health and the problem's data -------------------------------------------------------------


def test_stalled_and_overdue_cycles(world: World) -> None:
    principal = world.inside.principal
    quiet = _start(world, principal)
    Cycle.objects.filter(pk=quiet.pk).update(last_activity_at=_local_noon(days_ago=30))
    late = _start(world, principal)
    Cycle.objects.filter(pk=late.pk).update(
        starts_on=TODAY - datetime.timedelta(days=70), ends_on=TODAY - datetime.timedelta(days=1)
    )
    moving = _start(world, principal)
    quiet.refresh_from_db()
    late.refresh_from_db()
    assert health(quiet).label == STALLED and health(quiet).reason == "Nothing has happened for 30 days."
    assert health(late).label == OVERDUE
    assert set(stalled_or_overdue(Cycle.objects.all()).values_list("pk", flat=True)) == {quiet.pk, late.pk}
    assert not health(moving).needs_attention


def test_the_problem_statement_saves_its_data_suppressed(world: World) -> None:
    from tests.analytics import results

    results.add(
        world.inside.school, "caaspp-ela", [(f"S{i}", 2025, "3", "2450", 3, {"race": "white"}) for i in range(12)]
    )
    principal = world.inside.principal
    cycle = _start(world, principal)
    ela = Assessment.objects.get(code="caaspp-ela")
    everyone = StudentGroup.objects.get(code="1")
    problem = actions.do_save_problem(principal, cycle, "Reading", assessment=ela, metric="at_or_above", group=everyone)
    assert (problem.school_year, problem.value, problem.tested, problem.suppressed) == (
        2025,
        Decimal("100.00"),
        12,
        False,
    )
    hispanic = StudentGroup.objects.get(code="78")
    problem = actions.do_save_problem(principal, cycle, "Reading", assessment=ela, metric="at_or_above", group=hispanic)
    assert problem.value is None and problem.tested is None


# -- pages --------------------------------------------------------------------------------------


def _client(person: Person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_cycle_page_walks_the_steps(world: World) -> None:
    principal = world.inside.principal
    goal = _goal(world)
    client = _client(principal)
    response = client.post(
        reverse("inquiry:cycle_new"),
        {
            "title": "Leadership team: writing",
            "level": "school",
            "template": _roci().pk,
            "school": world.inside.school.pk,
            "starts_on": TODAY.isoformat(),
            "ends_on": (TODAY + datetime.timedelta(weeks=8)).isoformat(),
            "goals": [goal.pk],
        },
    )
    cycle = Cycle.objects.get(title="Leadership team: writing")
    assert response.status_code == 302 and response["Location"] == cycle.get_absolute_url()
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert "Finish Set Goals" in page and "To finish Set Goals, add: Problem statement." in page
    refused = client.post(reverse("inquiry:cycle_step", args=[cycle.pk]), {"do": "finish"}, follow=True)
    assert "Set Goals needs Problem statement before it can be finished." in refused.content.decode()
    bad = client.post(reverse("inquiry:cycle_artifact", args=[cycle.pk, "problem"]), {"problem-statement": ""})
    assert bad.status_code == 422 and "This field is required." in bad.content.decode()
    client.post(reverse("inquiry:cycle_artifact", args=[cycle.pk, "problem"]), {"problem-statement": "Writing"})
    client.post(reverse("inquiry:cycle_step", args=[cycle.pk]), {"do": "finish"})
    assert gates.current_step(cycle).name == "Plan"  # type: ignore[union-attr]
    page = client.get(cycle.get_absolute_url()).content.decode()
    assert 'id="chart-cycles-' in page and "Cycles of inquiry on this goal" in page


def test_evidence_documents_are_downloaded_through_the_cycle(world: World) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    principal = world.inside.principal
    cycle = _start(world, principal)
    evidence = actions.do_add_evidence(
        principal,
        cycle,
        kind=Evidence.Kind.DOCUMENT,
        title="Walkthrough notes",
        collected_on=TODAY,
        attachment=SimpleUploadedFile("notes.txt", b"Observed 6 classrooms"),
    )
    url = reverse("inquiry:evidence_file", args=[cycle.pk, evidence.pk])
    assert b"".join(_client(principal).get(url).streaming_content) == b"Observed 6 classrooms"
    assert _client(world.people[Role.TEACHER]).get(url).status_code == 404
    assert _client(world.outside.principal).get(url).status_code == 404


def test_the_portfolio_filters_and_exports(world: World) -> None:
    principal = world.inside.principal
    plan = _start(world, principal)
    actions.do_save_problem(principal, plan, "P")
    actions.do_set_goals(principal, plan, [_goal(world)])
    actions.do_finish_step(principal, plan)
    late = _start(world, principal)
    Cycle.objects.filter(pk=late.pk).update(ends_on=TODAY - datetime.timedelta(days=1))
    client = _client(world.people[Role.DISTRICT_LEADER])
    page = client.get(reverse("inquiry:cycles"), {"step": "plan"}).content.decode()
    assert f'href="/cycles/{plan.pk}/"' in page and f'href="/cycles/{late.pk}/"' not in page
    page = client.get(reverse("inquiry:cycles"), {"health": "attention"}).content.decode()
    assert f'href="/cycles/{late.pk}/"' in page and f'href="/cycles/{plan.pk}/"' not in page
    rows = client.get(reverse("inquiry:cycles"), {"format": "csv", "level": "school"}).content.decode().splitlines()
    assert rows[0].startswith("Cycle,Level,Place,Owner")
    # The header, the cycle at Plan (on track) and the overdue one still at Set Goals.
    assert len(rows) == 3
    assert any(",Plan,on track," in r for r in rows) and any(",Set Goals,overdue," in r for r in rows)
    assert client.get(reverse("inquiry:cycles"), {"level": "nonsense"}).status_code == 200


def test_home_pages_show_cycles_and_overdue_actions(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    action = actions.do_add_action(principal, cycle, "Observe grade 3", principal, TODAY - datetime.timedelta(days=2))
    Cycle.objects.filter(pk=cycle.pk).update(last_activity_at=_local_noon(days_ago=40))
    page = _client(principal).get(reverse("home")).content.decode()
    assert "My cycles of inquiry (1)" in page and "My overdue actions (1)" in page and action.title in page
    leader_page = _client(world.people[Role.DISTRICT_LEADER]).get(reverse("home")).content.decode()
    assert "Cycles needing attention (1)" in leader_page and "Nothing has happened for 40 days." in leader_page
    assert "Cycles needing attention" not in _client(world.people[Role.FUNDER]).get(reverse("home")).content.decode()


def test_reflection_must_say_what_to_do(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    with pytest.raises(ValidationError) as raised:
        actions.do_save_reflection(principal, cycle, worked="x", learned="y", decision="maybe")
    assert "decision" in raised.value.message_dict
    assert not Reflection.objects.exists()


def test_the_goal_page_shows_the_cycles_on_it_to_those_who_see_them(world: World) -> None:
    principal = world.inside.principal
    goal = _goal(world)
    cycle = _start(world, principal)
    actions.do_set_goals(principal, cycle, [goal])
    url = reverse("analytics:goal", args=[goal.pk])
    page = _client(principal).get(url).content.decode()
    assert f'data-spec="chart-cycles-{goal.pk}"' in page and "Grade 3 fluency" in page
    # The teacher sees the goal but not the leadership team's cycle.
    page = _client(world.people[Role.TEACHER]).get(url).content.decode()
    assert "No cycle of inquiry works on this goal yet." in page and "Grade 3 fluency" not in page
    assert f"/cycles/new/?goal={goal.pk}" in page


def test_only_an_active_cycles_actions_are_overdue(world: World) -> None:
    from tandem.inquiry.health import overdue_actions, with_overdue_counts

    principal = world.inside.principal
    cycle = _start(world, principal)
    actions.do_add_action(principal, cycle, "Observe", principal, TODAY - datetime.timedelta(days=3))
    assert with_overdue_counts(Cycle.objects.filter(pk=cycle.pk)).get().overdue_actions == 1
    assert overdue_actions(Action.objects.all()).count() == 1
    actions.do_close_cycle(principal, cycle)
    assert with_overdue_counts(Cycle.objects.filter(pk=cycle.pk)).get().overdue_actions == 0
    assert overdue_actions(Action.objects.all()).count() == 0


def test_a_cycle_records_what_it_started_from_and_led_to(world: World) -> None:
    principal = world.inside.principal
    cycle = _start(world, principal)
    goal = _goal(world)
    link = actions.do_link(principal, cycle, "started_from", goal)
    assert actions.do_link(principal, cycle, "started_from", goal) == link  # once only
    assert link.target == goal
    page = _client(principal).get(cycle.get_absolute_url()).content.decode()
    assert re.search(r"Started from: (<a href=\"[^\"]+\">)?goal Grade 3 reading", page)
    with pytest.raises(ValidationError, match=re.escape("Only the cycle's owner and its leaders can change it.")):
        actions.do_link(world.people[Role.TEACHER], cycle, "led_to", goal)
