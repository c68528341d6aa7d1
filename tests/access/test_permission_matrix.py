"""Every URL pattern and every API operation, for every role, in scope and out of scope, and
anonymously. Adding an endpoint without a row here fails `test_every_endpoint_is_in_the_matrix`."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tandem.access.roles import Role
from tandem.access.tokens import digest
from tandem.achievement.models import Assessment, ImportRun, StudentGroup
from tandem.analytics.models import Goal
from tandem.andon.helpdesk.models import Attachment as HelpAttachment
from tandem.andon.helpdesk.models import Message as HelpMessage
from tandem.andon.helpdesk.models import RawMail, Ticket
from tandem.api.urls import api
from tandem.coaching.models import (
    DEFAULT_CYCLE_STEPS,
    CoacheeGoal,
    CoachingCycle,
    Framework,
    PrivateNote,
    Relationship,
    Session,
)
from tandem.growth.models import GrowthRun
from tandem.impact.models import ImpactReport
from tandem.inquiry.models import Action, Cycle, CycleStep, Evidence, ProblemStatement, Reflection, Template
from tandem.learning import models as learning
from tandem.learning.models import (
    Agenda,
    AgendaMonth,
    DayOff,
    Feed,
    Material,
    Priority,
    Proposal,
    Rhythm,
    SessionType,
    Slot,
    Takeaway,
)
from tandem.learning.models import Session as LearningSession
from tandem.partnerships.models import SiteAssignment
from tandem.practices.models import Practice
from tests.world import ORG_WIDE, World

ALL = frozenset(Role)
MANAGERS = frozenset({Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR})
FINANCE = MANAGERS | {Role.FUNDER}
PEOPLE_ADMINS = frozenset({Role.ORG_ADMIN})
# Importing needs organization-wide reach; the test world's analyst is scoped to a region.
IMPORTERS = frozenset({Role.ORG_ADMIN})
# Goals are set by people with student-level access to the place.
GOAL_SETTERS = ALL - {Role.FUNDER, Role.NETWORK_MEMBER}
# Those who see and lead a school-level cycle at the in-half school.
CYCLE_LEADERS = frozenset(
    {Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.DISTRICT_LEADER, Role.PRINCIPAL}
)
# Cycle templates are edited by the organization-wide leaders only.
TEMPLATE_EDITORS = frozenset(ORG_WIDE)
# Who supervises the coaching at the in-half school; with the coachee (the world's PRINCIPAL, see
# `coaching_relationship`), who sees a relationship there. The world's COACH is another coach than
# the half's partner, so it sees nothing of it.
COACHING_SUPERVISORS = frozenset({Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR})
COACHING_VIEWERS = COACHING_SUPERVISORS | {Role.PRINCIPAL}
# Sessions and private notes are the relationship's own coach's alone, and no world role is it.
COACH_ONLY: frozenset[Role] = frozenset()
# Staff costs need finance and partnership management across the whole organization.
COST_SETTERS = frozenset(ORG_WIDE)
# Competency frameworks are edited by those who supervise coaching across the organization.
FRAMEWORK_EDITORS = frozenset(ORG_WIDE)
# The organization's staff see every learning session, the agenda and the reports; the world's
# principal is a guest of the matrix's session. The organization's leaders plan the learning, and
# a regional director the rhythm of their own region.
LEARNING_STAFF = frozenset({Role.ORG_ADMIN, Role.NATIONAL_LEADER, Role.REGIONAL_DIRECTOR, Role.COACH, Role.ANALYST})
SESSION_VIEWERS = LEARNING_STAFF | {Role.PRINCIPAL}
LEARNING_PLANNERS = frozenset(ORG_WIDE)
RHYTHM_PLANNERS = LEARNING_PLANNERS | {Role.REGIONAL_DIRECTOR}
FEED_OWNER = frozenset({Role.ORG_ADMIN})
# The help desk is answered by the organization's leaders; the matrix's ticket is the teacher's.
HELP_DESK = frozenset(ORG_WIDE)
TICKET_READERS = HELP_DESK | {Role.TEACHER}
# The staff feed is the organization's staff's. Flags are steered by the organization's leaders and
# the regional director of the flag's region; the matrix's posts are the world's coach's.
STAFF_FEED = LEARNING_STAFF
FLAG_LEADERS = frozenset(ORG_WIDE) | {Role.REGIONAL_DIRECTOR}
# The API rows' session of the in half (see `learning_session`) is one of its region's rhythm: the
# world's COACH facilitates it and the world's TEACHER is its guest. Its planners (RHYTHM_PLANNERS)
# and its facilitator keep its record.
SESSION_READERS = LEARNING_STAFF | {Role.TEACHER}
RECORD_KEEPERS = RHYTHM_PLANNERS | {Role.COACH}

Kwargs = Callable[[World, str], dict[str, Any]]


def region(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.halves[side].region.pk}


def district(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.halves[side].district.pk}


def school(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.halves[side].school.pk}


def person(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.halves[side].principal.pk}


def partnership(w: World, side: str) -> dict[str, Any]:
    return {"pk": w.halves[side].partnership.pk}


def site_assignment(w: World, side: str) -> dict[str, Any]:
    half = w.halves[side]
    assignment = half.partnership.assignments.filter(end_date__isnull=True).first()
    if assignment is None:
        assignment = SiteAssignment.objects.create(
            partnership=half.partnership,
            school=half.school,
            person=half.partner,
            days_per_week=1,
            start_date=half.partnership.start_date,
        )
    return {"pk": half.partnership.pk, "assignment_id": assignment.pk}


def principal_role(w: World, side: str) -> dict[str, Any]:
    principal = w.halves[side].principal
    return {"pk": principal.pk, "role_id": principal.roles.get().pk}


def import_run(w: World, side: str) -> dict[str, Any]:
    run, _ = ImportRun.objects.get_or_create(
        file_name="results.csv", defaults={"kind": "results", "format": "sgp-long", "status": "failed"}
    )
    return {"pk": run.pk}


def growth_run(w: World, side: str) -> dict[str, Any]:
    run, _ = GrowthRun.objects.get_or_create(
        assessment=Assessment.objects.get(code="caaspp-ela"), school_year=2025, defaults={"status": "failed"}
    )
    return {"pk": run.pk}


def impact_report(w: World, side: str) -> dict[str, Any]:
    school = w.halves[side].school
    found, _ = ImpactReport.objects.get_or_create(
        title=f"Impact at {school.name}",
        defaults={
            "assessment": Assessment.objects.get(code="caaspp-ela"),
            "baseline_year": 2024,
            "outcome_year": 2025,
            "inclusion": "The partner school.",
            "status": "succeeded",
        },
    )
    found.schools.set([school])
    return {"pk": found.pk}


def new_impact_report(w: World, side: str) -> dict[str, Any]:
    return {
        "title": "Matrix",
        "assessment": "caaspp-ela",
        "baseline_year": 2024,
        "outcome_year": 2025,
        "school_ids": [w.halves[side].school.pk],
        "inclusion": "The partner school.",
    }


def goal(w: World, side: str) -> dict[str, Any]:
    school = w.halves[side].school
    found, _ = Goal.objects.get_or_create(
        title=f"Goal at {school.name}",
        defaults={
            "assessment": Assessment.objects.get(code="caaspp-ela"),
            "school": school,
            "group": StudentGroup.objects.get(code="1"),
            "baseline_year": 2025,
            "baseline_value": 30,
            "target_value": 40,
            "target_date": datetime.date(2028, 6, 1),
            "owner_school": school,
        },
    )
    return {"pk": found.pk}


def cycle_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": school_cycle(w, side).pk}


def cycle_artifact_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": school_cycle(w, side).pk, "kind": "question"}


def cycle_action_page(w: World, side: str) -> dict[str, Any]:
    found = cycle_action(w, side)
    return {"pk": found["cycle_id"], "action_id": found["action_id"]}


def evidence_file_page(w: World, side: str) -> dict[str, Any]:
    found = school_cycle(w, side)
    evidence = Evidence.objects.filter(cycle=found, title="Matrix notes").first()
    if evidence is None:
        evidence = Evidence(cycle=found, kind="document", title="Matrix notes", collected_on=found.starts_on)
        evidence.attachment.save("notes.txt", ContentFile(b"Observed"), save=True)
    return {"pk": found.pk, "evidence_id": evidence.pk}


def template_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": Template.objects.get(is_default=True).pk}


def coaching_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": coaching_relationship(w, side).pk}


def private_note_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": coaching_relationship(w, side).pk, "note_id": private_note(w, side)["note_id"]}


def coachee_goal_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": coaching_relationship(w, side).pk, "goal_id": coachee_goal(w, side)["goal_id"]}


def coaching_cycle_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": coaching_relationship(w, side).pk, "cycle_id": coaching_cycle(w, side)["cycle_id"]}


def framework_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": teaching_framework(w, side)["framework_id"]}


def page_session(w: World) -> LearningSession:
    """A one-off session in the past, with the world's principal invited as a guest."""
    found = LearningSession.objects.filter(title="Matrix session").first()
    if found is None:
        starts = timezone.now() - datetime.timedelta(days=1)
        found = LearningSession.objects.create(
            title="Matrix session",
            session_type=SessionType.objects.get(name="Data dive"),
            starts_at=starts,
            ends_at=starts + datetime.timedelta(hours=1),
            local_date=starts.date(),
        )
        found.guests.add(w.people[Role.PRINCIPAL])
    return found


def learning_session_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": page_session(w).pk}


def learning_material_page(w: World, side: str) -> dict[str, Any]:
    found = page_session(w)
    material = found.materials.exclude(file="").first()
    if material is None:
        material = Material(session=found, title="Slides")
        material.file.save("slides.txt", ContentFile(b"Agenda"), save=True)
    return {"pk": found.pk, "material_id": material.pk}


def learning_takeaway_page(w: World, side: str) -> dict[str, Any]:
    found = page_session(w)
    takeaway = found.takeaways.first() or Takeaway.objects.create(session=found, text="Try the protocol")
    return {"pk": found.pk, "takeaway_id": takeaway.pk}


def session_type_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": SessionType.objects.get(name="Data dive").pk}


def priority_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": Priority.objects.get_or_create(name="Coaching")[0].pk}


def rhythm_page(w: World, side: str) -> dict[str, Any]:
    """A rhythm of the half's region (planned by its director and the organization's leaders)."""
    region = w.halves[side].region
    found, _ = Rhythm.objects.get_or_create(
        name=f"{region.name} week",
        school_year=2027,
        defaults={
            "region": region,
            "time_zone": "America/Los_Angeles",
            "starts_on": datetime.date(2026, 8, 17),
            "ends_on": datetime.date(2027, 6, 11),
        },
    )
    return {"pk": found.pk}


def slot_page(w: World, side: str) -> dict[str, Any]:
    rhythm = Rhythm.objects.get(pk=rhythm_page(w, side)["pk"])
    slot = rhythm.slots.first() or Slot.objects.create(
        rhythm=rhythm,
        session_type=SessionType.objects.get(name="Team meeting"),
        weekday=2,
        starts_at=datetime.time(10),
        minutes=60,
    )
    return {"pk": rhythm.pk, "slot_id": slot.pk}


def day_off_page(w: World, side: str) -> dict[str, Any]:
    rhythm = Rhythm.objects.get(pk=rhythm_page(w, side)["pk"])
    day_off = rhythm.days_off.first() or DayOff.objects.create(
        school_year=2027,
        rhythm=rhythm,
        name="Veterans Day",
        first_day=datetime.date(2026, 11, 11),
        last_day=datetime.date(2026, 11, 11),
    )
    return {"pk": rhythm.pk, "day_off_id": day_off.pk}


def agenda_year(w: World, side: str) -> dict[str, Any]:
    Agenda.objects.get_or_create(school_year=2027)
    return {"year": 2027}


def agenda_month_page(w: World, side: str) -> dict[str, Any]:
    agenda, _ = Agenda.objects.get_or_create(school_year=2027)
    month, _ = AgendaMonth.objects.get_or_create(agenda=agenda, month=datetime.date(2026, 9, 1))
    return {"year": 2027, "month_id": month.pk}


def proposal_page(w: World, side: str) -> dict[str, Any]:
    agenda, _ = Agenda.objects.get_or_create(school_year=2027)
    proposal = agenda.proposals.first() or Proposal.objects.create(agenda=agenda, title="More data dives")
    return {"year": 2027, "proposal_id": proposal.pk}


def feed_page(w: World, side: str) -> dict[str, Any]:
    """A calendar address of the world's org admin: only its owner revokes it."""
    owner = w.people[Role.ORG_ADMIN]
    found = Feed.objects.filter(owner=owner).first() or Feed.objects.create(owner=owner, token_digest=digest("matrix"))
    return {"pk": found.pk}


def feed_address(w: World, side: str) -> dict[str, Any]:
    feed_page(w, side)
    return {"token": "matrix"}


# The practice library is for everyone signed in but the funders; its editors are the organization's
# leaders. The matrix's published practice is the world's PRINCIPAL's, so its author changes it and
# its evidence too; the matrix's draft is the world's ORG_ADMIN's (see `library_practice`).
LIBRARY_READERS = ALL - {Role.FUNDER}
LIBRARY_EDITORS = frozenset(ORG_WIDE)
PRACTICE_EDITORS = LIBRARY_EDITORS | {Role.PRINCIPAL}


def draft_practice(w: World) -> Practice:
    """A draft of the world's org admin, ready to publish: seen by its author and the editors."""
    from tandem.practices.actions import do_save_practice

    found = Practice.objects.filter(title="Matrix draft").first()
    if found is None:
        fields = {"title": "Matrix draft", "summary": "Matrix", "problem": "Matrix", "how": "Matrix"}
        found = do_save_practice(w.people[Role.ORG_ADMIN], Practice(**fields), ["Matrix"])
    return found


def library_practice(w: World) -> Practice:
    """A published practice the world's PRINCIPAL wrote, with its report of trying it at the in half's
    school, a comment of the world's TEACHER, a citation and a file attached."""
    from tandem.practices import actions as library

    found = Practice.objects.filter(title="Matrix practice").first()
    if found is None:
        principal = w.people[Role.PRINCIPAL]
        fields = {"title": "Matrix practice", "summary": "Matrix", "problem": "Matrix", "how": "Matrix"}
        found = library.do_save_practice(principal, Practice(**fields), ["Matrix"])
        library.do_publish(w.people[Role.NATIONAL_LEADER], found)
        library.do_add_trial(principal, found, w.inside.school, 2026, ["3"], [], "improved", "Matrix")
        library.do_comment(w.people[Role.TEACHER], found, "Matrix")
        library.do_add_citation(principal, found, "Matrix (2026). A study.")
        library.do_add_attachment(principal, found, "Matrix plan", file=SimpleUploadedFile("plan.txt", b"Matrix"))
    return found


def practice_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": draft_practice(w).pk}


def library_practice_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": library_practice(w).pk}


def trial_page(w: World, side: str) -> dict[str, Any]:
    found = library_practice(w)
    return {"pk": found.pk, "trial_id": found.trials.get().pk}


def practice_comment_page(w: World, side: str) -> dict[str, Any]:
    found = library_practice(w)
    return {"pk": found.pk, "comment_id": found.comments.get().pk}


def citation_page(w: World, side: str) -> dict[str, Any]:
    found = library_practice(w)
    return {"pk": found.pk, "citation_id": found.citations.get().pk}


def practice_attachment_page(w: World, side: str) -> dict[str, Any]:
    found = library_practice(w)
    return {"pk": found.pk, "attachment_id": found.attachments.get().pk}


# The leadership network is for the organization's staff and its members: the matrix's cohort has
# the world's NETWORK_MEMBER (and the out half's principal) as members, and the world's COACH as its
# facilitator, who manages it with the organization's leaders; only the leaders start cohorts and
# schedule convenings.
NETWORK_READERS = LEARNING_STAFF | {Role.NETWORK_MEMBER}
NETWORK_LEADERS = frozenset(ORG_WIDE)
COHORT_MANAGERS = NETWORK_LEADERS | {Role.COACH}


def network_cohort(w: World) -> Any:
    from tandem.network.models import Cohort, Member

    found = Cohort.objects.filter(name="Matrix cohort").first()
    if found is None:
        found = Cohort.objects.create(name="Matrix cohort", school_year=2026)
        found.facilitators.set([w.people[Role.COACH]])
        Member.objects.create(cohort=found, person=w.people[Role.NETWORK_MEMBER], role="other", school=w.inside.school)
        Member.objects.create(cohort=found, person=w.outside.principal, role="principal", school=w.outside.school)
    return found


def network_home(w: World, side: str) -> dict[str, Any]:
    """No arguments: the cohort is made so that the world's NETWORK_MEMBER is in the network."""
    network_cohort(w)
    return {}


def cohort_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": network_cohort(w).pk}


def cohort_member_page(w: World, side: str) -> dict[str, Any]:
    found = network_cohort(w)
    return {"pk": found.pk, "member_id": found.members.get(person=w.outside.principal).pk}


def help_ticket(w: World) -> Ticket:
    """A ticket the world's teacher asked for by email, with a file attached."""
    found = Ticket.objects.filter(subject="Matrix ticket").first()
    if found is None:
        teacher = w.people[Role.TEACHER]
        found = Ticket.objects.create(
            subject="Matrix ticket",
            requester=teacher,
            requester_email=teacher.email,
            created_at=timezone.now(),
        )
        message = HelpMessage.objects.create(
            ticket=found, kind="inbound", from_email=teacher.email, text="Help", created_at=found.created_at
        )
        attached = HelpAttachment(message=message, filename="notes.txt", content_type="text/plain", size=4)
        attached.file.save("notes.bin", ContentFile(b"note"), save=True)
    return found


def staff_post(w: World, side: str, kind: str = "flag") -> Any:
    """A post of the world's coach on the in half's school; on the out half, a national leader's."""
    from tandem.andon.feed.actions import do_post

    half = w.halves[side]
    author = w.people[Role.COACH] if side == "in" else w.people[Role.NATIONAL_LEADER]
    return do_post(author, kind, f"Matrix {kind} {side}", "Body", school=half.school)


def staff_flag_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": staff_post(w, side).pk}


def staff_question_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": staff_post(w, side, "question").pk}


# Governance: planning teams, their elections and decisions are all the staff's; a working group is
# its sponsor's, its members' and the organization's leaders'. The matrix's group has the world's
# coach as a member in the in half only, and the world's regional director holds a seat of the in
# half's planning team (see `planning_team`).
GOVERNANCE_STAFF = STAFF_FEED
GOVERNANCE_LEADERS = frozenset(ORG_WIDE)
GROUP_READERS = GOVERNANCE_LEADERS | {Role.COACH}
TEAM_RECORDERS = GOVERNANCE_LEADERS | {Role.REGIONAL_DIRECTOR}


def working_group(w: World, side: str) -> Any:
    """A group the national leader sponsors, with the world's coach as its member in the in half and
    the half's partner in the out half."""
    from tandem.governance.actions import do_form_group
    from tandem.governance.models import WorkingGroup

    name = f"Matrix group {side}"
    found = WorkingGroup.objects.filter(name=name).first()
    if found is None:
        leader = w.people[Role.NATIONAL_LEADER]
        today = timezone.localdate()
        fields = {
            "name": name,
            "misalignment": "Matrix",
            "purpose": "Matrix",
            "sponsor": leader,
            "starts_on": today - datetime.timedelta(days=30),
            "ends_on": today + datetime.timedelta(days=60),
        }
        member = w.people[Role.COACH] if side == "in" else w.halves[side].partner
        found = do_form_group(leader, fields, goals=["Matrix goal"], members=[member])
    return found


def working_group_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": working_group(w, side).pk}


def planning_team(w: World, side: str) -> Any:
    """In the in half, a team whose appointed seat the world's regional director holds this term, and
    whose elected seat for coaches has an election open for nominations; the out half's team has
    no seats."""
    from tandem.governance.actions import do_appoint, do_open_election, do_save_seat, do_save_team
    from tandem.governance.models import PlanningTeam, Seat
    from tandem.governance.seats import next_term

    name = f"Matrix team {side}"
    found = PlanningTeam.objects.filter(name=name).first()
    if found is not None:
        return found
    leader = w.people[Role.NATIONAL_LEADER]
    found = do_save_team(leader, PlanningTeam(name=name))
    if side == "in":
        today = timezone.localdate()
        began = today - datetime.timedelta(days=100)
        seat = do_save_seat(
            leader, Seat(team=found, name="Appointed", kind="appointed", term_months=12, first_term_starts=began)
        )
        do_appoint(leader, seat, w.people[Role.REGIONAL_DIRECTOR], began)
        elected = do_save_seat(
            leader,
            Seat(team=found, name="Elected", kind="elected", eligible_roles=["coach"], first_term_starts=began),
        )
        do_open_election(leader, found, [elected], next_term(elected, today)[0])
    return found


def planning_team_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": planning_team(w, side).pk}


def election_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": planning_team(w, "in").elections.get().pk}


def nomination_page(w: World, side: str) -> dict[str, Any]:
    """The national leader nominated the world's coach, who has not answered yet."""
    from tandem.governance.actions import do_nominate

    election = planning_team(w, "in").elections.get()
    coach = w.people[Role.COACH]
    found = election.nominations.filter(nominee=coach).first()
    found = found or do_nominate(w.people[Role.NATIONAL_LEADER], election, coach)
    return {"pk": election.pk, "nomination_id": found.pk}


def group_decision(w: World, side: str) -> Any:
    """A decision of the half's working group, with a follow-up nobody owns."""
    from tandem.governance.actions import do_record_decision

    group = working_group(w, side)
    found = group.decisions.first()
    if found is None:
        fields = {"title": "Matrix", "decided_on": timezone.localdate(), "decision": "Matrix", "rationale": "Matrix"}
        found = do_record_decision(
            w.people[Role.NATIONAL_LEADER], fields, group=group, follow_ups=[("Matrix", None, None)]
        )
    return found


def decision_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": group_decision(w, side).pk}


def follow_up_page(w: World, side: str) -> dict[str, Any]:
    found = group_decision(w, side)
    return {"pk": found.pk, "follow_up_id": found.follow_ups.get().pk}


def help_ticket_page(w: World, side: str) -> dict[str, Any]:
    return {"pk": help_ticket(w).pk}


def help_attachment_page(w: World, side: str) -> dict[str, Any]:
    found = help_ticket(w)
    return {"pk": found.pk, "attachment_id": HelpAttachment.objects.get(message__ticket=found).pk}


def received_mail_page(w: World, side: str) -> dict[str, Any]:
    found = RawMail.objects.first()
    if found is None:
        found = RawMail(received_at=timezone.now(), source="smtp", dedup_key="matrix", size=7, status="failed")
        found.file.save("matrix.eml", ContentFile(b"garbage"), save=True)
    return {"pk": found.pk}


def reset_link(w: World, side: str) -> dict[str, Any]:
    return {"uidb64": "MQ", "token": "expired-token"}


@dataclass(frozen=True)
class Case:
    """`allowed`: roles that get `ok` in scope. With `kwargs` naming an object, the out-of-scope
    object answers 404 to everyone but the org-wide roles among `allowed`."""

    allowed: frozenset[Role]
    kwargs: Kwargs | None = None
    public: bool = False
    # What a signed-in person gets from an allowed page (the login page sends them home).
    ok: int = 200
    method: str = "get"
    # False when the URL's arguments name no object that could be out of scope.
    scoped: bool = True


PAGES: dict[str, Case] = {
    "home": Case(ALL),
    "login": Case(ALL, public=True, ok=302),
    "password_reset": Case(ALL, public=True),
    "password_reset_done": Case(ALL, public=True),
    "password_reset_confirm": Case(ALL, reset_link, public=True, scoped=False),
    "password_reset_complete": Case(ALL, public=True),
    "healthz": Case(ALL, public=True),
    "password_change": Case(ALL),
    "orgs:regions": Case(ALL),
    "orgs:region": Case(ALL, region),
    "orgs:districts": Case(ALL),
    "orgs:district": Case(ALL, district),
    "orgs:schools": Case(ALL),
    "orgs:school": Case(ALL, school),
    "orgs:people": Case(ALL),
    "orgs:person": Case(ALL, person),
    "orgs:person_invite": Case(PEOPLE_ADMINS),
    "orgs:role_grant": Case(PEOPLE_ADMINS, person),
    "orgs:role_end": Case(PEOPLE_ADMINS, principal_role, ok=302, method="post"),
    "orgs:profile": Case(ALL),
    # The audit log is the organization's admins' alone.
    "access:audit": Case(PEOPLE_ADMINS),
    "achievement:imports": Case(IMPORTERS),
    "achievement:import_new": Case(IMPORTERS),
    "achievement:import": Case(IMPORTERS, import_run, scoped=False),
    "achievement:import_progress": Case(IMPORTERS, import_run, scoped=False),
    "achievement:import_report": Case(IMPORTERS, import_run, scoped=False),
    "impact:reports": Case(ALL),
    "impact:report_new": Case(ALL),
    "impact:report": Case(ALL, impact_report),
    "impact:report_progress": Case(ALL, impact_report),
    "impact:report_pdf": Case(ALL, impact_report),
    "growth:runs": Case(IMPORTERS),
    "growth:run_new": Case(IMPORTERS),
    "growth:run": Case(IMPORTERS, growth_run, scoped=False),
    "growth:run_progress": Case(IMPORTERS, growth_run, scoped=False),
    "analytics:network": Case(ALL),
    "analytics:district": Case(ALL, district),
    "analytics:school": Case(ALL, school),
    "analytics:comparison": Case(ALL, school),
    "analytics:school_report": Case(ALL, school),
    "analytics:gaps": Case(ALL),
    "analytics:goals": Case(ALL),
    "analytics:goal_new": Case(GOAL_SETTERS),
    "analytics:goal": Case(ALL, goal),
    "analytics:goal_edit": Case(GOAL_SETTERS, goal),
    "analytics:goal_delete": Case(GOAL_SETTERS, goal, ok=302, method="post"),
    "partnerships:list": Case(ALL),
    "partnerships:reach": Case(ALL),
    "partnerships:detail": Case(ALL, partnership),
    "partnerships:create": Case(MANAGERS),
    "partnerships:edit": Case(MANAGERS, partnership),
    "partnerships:assign": Case(MANAGERS, partnership),
    "partnerships:cost": Case(MANAGERS, partnership),
    "partnerships:assignment_end": Case(MANAGERS, site_assignment, ok=302, method="post"),
    "inquiry:cycles": Case(ALL),
    "inquiry:cycle_new": Case(ALL),
    "inquiry:cycle": Case(CYCLE_LEADERS, cycle_page),
    "inquiry:cycle_edit": Case(CYCLE_LEADERS, cycle_page),
    # An empty form: those who may work on the cycle get it back with its errors.
    "inquiry:cycle_artifact": Case(CYCLE_LEADERS, cycle_artifact_page, ok=422, method="post"),
    "inquiry:action_status": Case(CYCLE_LEADERS, cycle_action_page, ok=302, method="post"),
    "inquiry:cycle_step": Case(CYCLE_LEADERS, cycle_page, ok=302, method="post"),
    "inquiry:cycle_close": Case(CYCLE_LEADERS, cycle_page, ok=302, method="post"),
    "inquiry:cycle_next": Case(CYCLE_LEADERS, cycle_page, ok=302, method="post"),
    "inquiry:evidence_file": Case(CYCLE_LEADERS, evidence_file_page),
    "inquiry:templates": Case(ALL),
    "inquiry:template_new": Case(TEMPLATE_EDITORS),
    "inquiry:template_edit": Case(TEMPLATE_EDITORS, template_page, scoped=False),
    "coaching:home": Case(ALL),
    "coaching:relationship_new": Case(ALL),
    "coaching:relationship": Case(COACHING_VIEWERS, coaching_page),
    # Empty forms: those who see the coaching get them back with their errors (the actions then
    # refuse whoever may not make the change).
    "coaching:session_new": Case(COACHING_VIEWERS, coaching_page, ok=422, method="post"),
    "coaching:note_new": Case(COACHING_VIEWERS, coaching_page, ok=422, method="post"),
    "coaching:goal_new": Case(COACHING_VIEWERS, coaching_page, ok=422, method="post"),
    "coaching:rate": Case(COACHING_VIEWERS, coaching_page, ok=422, method="post"),
    "coaching:cycle_new": Case(COACHING_VIEWERS, coaching_page, ok=422, method="post"),
    "coaching:goal_status": Case(COACHING_VIEWERS, coachee_goal_page, ok=302, method="post"),
    "coaching:cycle_advance": Case(COACHING_VIEWERS, coaching_cycle_page, ok=302, method="post"),
    "coaching:relationship_end": Case(COACHING_VIEWERS, coaching_page, ok=302, method="post"),
    # A private note is its author's alone: every role of the world gets "not found".
    "coaching:note_delete": Case(COACH_ONLY, private_note_page, ok=302, method="post"),
    "coaching:sessions": Case(ALL),
    "coaching:notes": Case(ALL),
    "coaching:dives": Case(ALL),
    "coaching:frameworks": Case(ALL),
    "coaching:framework": Case(ALL, framework_page, scoped=False),
    "coaching:framework_edit": Case(FRAMEWORK_EDITORS, framework_page, scoped=False),
    "coaching:costs": Case(COST_SETTERS),
    "learning:calendar": Case(ALL),
    "learning:sessions": Case(ALL),
    "learning:session_new": Case(LEARNING_PLANNERS),
    # Sessions are not tied to schools: staff see them all, others those they are invited to.
    "learning:session": Case(SESSION_VIEWERS, learning_session_page, scoped=False),
    "learning:session_edit": Case(LEARNING_PLANNERS, learning_session_page, scoped=False),
    "learning:session_cancel": Case(LEARNING_PLANNERS, learning_session_page, ok=422, method="post", scoped=False),
    "learning:session_record": Case(LEARNING_PLANNERS, learning_session_page, ok=302, method="post", scoped=False),
    "learning:session_attendance": Case(LEARNING_PLANNERS, learning_session_page, ok=302, method="post", scoped=False),
    "learning:material_add": Case(LEARNING_PLANNERS, learning_session_page, ok=422, method="post", scoped=False),
    "learning:material_file": Case(SESSION_VIEWERS, learning_material_page, scoped=False),
    "learning:takeaway_add": Case(SESSION_VIEWERS, learning_session_page, ok=422, method="post", scoped=False),
    "learning:takeaway_action": Case(SESSION_VIEWERS, learning_takeaway_page, ok=422, method="post", scoped=False),
    "learning:takeaway_practice": Case(SESSION_VIEWERS, learning_takeaway_page, ok=422, method="post", scoped=False),
    "learning:types": Case(LEARNING_STAFF),
    "learning:type_new": Case(LEARNING_PLANNERS),
    "learning:type_edit": Case(LEARNING_PLANNERS, session_type_page, scoped=False),
    "learning:priorities": Case(LEARNING_STAFF),
    "learning:priority_new": Case(LEARNING_PLANNERS),
    "learning:priority_edit": Case(LEARNING_PLANNERS, priority_page, scoped=False),
    "learning:rhythms": Case(LEARNING_STAFF),
    "learning:rhythm_new": Case(RHYTHM_PLANNERS),
    "learning:rhythm": Case(LEARNING_STAFF, rhythm_page, scoped=False),
    "learning:rhythm_edit": Case(RHYTHM_PLANNERS, rhythm_page),
    "learning:slot_new": Case(RHYTHM_PLANNERS, rhythm_page),
    "learning:slot_edit": Case(RHYTHM_PLANNERS, slot_page),
    "learning:slot_delete": Case(RHYTHM_PLANNERS, slot_page, ok=302, method="post"),
    "learning:day_off_new": Case(RHYTHM_PLANNERS, rhythm_page),
    "learning:day_off_delete": Case(RHYTHM_PLANNERS, day_off_page, ok=302, method="post"),
    "learning:holidays_add": Case(RHYTHM_PLANNERS, rhythm_page, ok=302, method="post"),
    "learning:generate": Case(RHYTHM_PLANNERS, rhythm_page, ok=302, method="post"),
    "learning:agenda_home": Case(LEARNING_STAFF, ok=302),
    "learning:agenda": Case(LEARNING_STAFF, agenda_year, scoped=False),
    # Staff who may not start the agenda are told so on the agenda page.
    "learning:agenda_open": Case(LEARNING_STAFF, agenda_year, ok=302, method="post", scoped=False),
    "learning:agenda_month": Case(LEARNING_PLANNERS, agenda_month_page, ok=302, method="post", scoped=False),
    "learning:proposal_add": Case(LEARNING_STAFF, agenda_year, ok=422, method="post", scoped=False),
    "learning:proposal_respond": Case(LEARNING_PLANNERS, proposal_page, ok=302, method="post", scoped=False),
    "learning:comment_add": Case(LEARNING_STAFF, agenda_year, ok=422, method="post", scoped=False),
    "learning:agenda_publish": Case(LEARNING_PLANNERS, agenda_year, ok=302, method="post", scoped=False),
    "learning:reports": Case(LEARNING_STAFF),
    "learning:feeds": Case(ALL),
    "learning:feed_create": Case(ALL, ok=302, method="post"),
    "learning:feed_revoke": Case(FEED_OWNER, feed_page, ok=302, method="post", scoped=False),
    "learning:reminders": Case(ALL, ok=302, method="post"),
    # The private address is its own key: no sign-in.
    "learning:feed": Case(ALL, feed_address, public=True, scoped=False),
    # Practices are not tied to schools: the library's rows are not scoped.
    "practices:practices": Case(LIBRARY_READERS),
    "practices:practice_new": Case(LIBRARY_READERS),
    "practices:practice": Case(LIBRARY_READERS, library_practice_page, scoped=False),
    "practices:practice_edit": Case(PRACTICE_EDITORS, library_practice_page, scoped=False),
    # The draft is seen by its author and the editors only, who publish or delete it.
    "practices:practice_publish": Case(LIBRARY_EDITORS, practice_page, ok=302, method="post", scoped=False),
    "practices:practice_delete": Case(LIBRARY_EDITORS, practice_page, ok=302, method="post", scoped=False),
    "practices:trial_new": Case(LIBRARY_READERS, library_practice_page, scoped=False),
    # Readers who may not remove the report or the comment are told so on the practice's page.
    "practices:trial_remove": Case(LIBRARY_READERS, trial_page, ok=302, method="post", scoped=False),
    "practices:comment_add": Case(LIBRARY_READERS, library_practice_page, ok=422, method="post", scoped=False),
    "practices:comment_remove": Case(LIBRARY_READERS, practice_comment_page, ok=302, method="post", scoped=False),
    # Empty forms: the practice's author and the editors get them back with their errors.
    "practices:citation_add": Case(PRACTICE_EDITORS, library_practice_page, ok=422, method="post", scoped=False),
    "practices:citation_remove": Case(PRACTICE_EDITORS, citation_page, ok=302, method="post", scoped=False),
    "practices:attachment_add": Case(PRACTICE_EDITORS, library_practice_page, ok=422, method="post", scoped=False),
    "practices:attachment": Case(LIBRARY_READERS, practice_attachment_page, scoped=False),
    "practices:attachment_remove": Case(
        PRACTICE_EDITORS, practice_attachment_page, ok=302, method="post", scoped=False
    ),
    "practices:cycle_link": Case(PRACTICE_EDITORS, library_practice_page, ok=422, method="post", scoped=False),
    # Cohorts are not tied to schools either.
    "network:home": Case(NETWORK_READERS, network_home, scoped=False),
    "network:cohort_new": Case(NETWORK_LEADERS),
    "network:cohort": Case(NETWORK_READERS, cohort_page, scoped=False),
    "network:cohort_edit": Case(COHORT_MANAGERS, cohort_page, scoped=False),
    "network:member_add": Case(COHORT_MANAGERS, cohort_page, ok=422, method="post", scoped=False),
    "network:member_remove": Case(COHORT_MANAGERS, cohort_member_page, ok=302, method="post", scoped=False),
    "network:convening_add": Case(NETWORK_LEADERS, cohort_page, ok=422, method="post", scoped=False),
    "helpdesk:tickets": Case(ALL),
    "helpdesk:ticket_new": Case(ALL),
    # Tickets are not tied to schools: the help desk sees them all, a requester their own.
    "helpdesk:ticket": Case(TICKET_READERS, help_ticket_page, scoped=False),
    "helpdesk:ticket_reply": Case(HELP_DESK, help_ticket_page, ok=422, method="post", scoped=False),
    "helpdesk:ticket_note": Case(HELP_DESK, help_ticket_page, ok=422, method="post", scoped=False),
    "helpdesk:ticket_message": Case(TICKET_READERS, help_ticket_page, ok=422, method="post", scoped=False),
    "helpdesk:ticket_update": Case(HELP_DESK, help_ticket_page, ok=422, method="post", scoped=False),
    "helpdesk:ticket_merge": Case(HELP_DESK, help_ticket_page, ok=422, method="post", scoped=False),
    "helpdesk:attachment": Case(TICKET_READERS, help_attachment_page, scoped=False),
    "helpdesk:received": Case(HELP_DESK),
    "helpdesk:received_raw": Case(HELP_DESK, received_mail_page, scoped=False),
    "helpdesk:metrics": Case(HELP_DESK),
    "feed:feed": Case(STAFF_FEED),
    "feed:post_new": Case(STAFF_FEED),
    "feed:board": Case(FLAG_LEADERS),
    "feed:notifications": Case(STAFF_FEED),
    "feed:post": Case(STAFF_FEED, staff_flag_page, scoped=False),
    "feed:post_edit": Case(frozenset({Role.COACH}), staff_flag_page, scoped=False),
    "feed:comment": Case(STAFF_FEED, staff_flag_page, ok=422, method="post", scoped=False),
    "feed:me_too": Case(STAFF_FEED, staff_flag_page, ok=302, method="post", scoped=False),
    "feed:answer": Case(frozenset(ORG_WIDE) | {Role.COACH}, staff_question_page, ok=302, method="post", scoped=False),
    # A regional director steers the flags of their own region only: the out half's flag is not theirs.
    "feed:acknowledge": Case(FLAG_LEADERS, staff_flag_page, ok=302, method="post"),
    "feed:move": Case(FLAG_LEADERS, staff_flag_page, ok=422, method="post"),
    "feed:escalate": Case(FLAG_LEADERS, staff_flag_page, ok=422, method="post"),
    "governance:overview": Case(GOVERNANCE_STAFF),
    "governance:groups": Case(GOVERNANCE_STAFF),
    "governance:group_new": Case(GOVERNANCE_LEADERS),
    # The out half's group is not the coach's: only the organization's leaders see it there.
    "governance:group": Case(GROUP_READERS, working_group_page),
    # The sponsor (the national leader) and the organization's leaders steer a group; its members
    # record its decisions. Empty forms come back with their errors.
    "governance:group_membership": Case(GOVERNANCE_LEADERS, working_group_page, ok=422, method="post"),
    "governance:group_support": Case(GOVERNANCE_LEADERS, working_group_page, ok=422, method="post"),
    "governance:group_review": Case(GOVERNANCE_LEADERS, working_group_page),
    "governance:group_decision": Case(GROUP_READERS, working_group_page, ok=422, method="post"),
    "governance:teams": Case(GOVERNANCE_STAFF),
    "governance:team_new": Case(GOVERNANCE_LEADERS),
    "governance:team": Case(GOVERNANCE_STAFF, planning_team_page, scoped=False),
    "governance:seat_new": Case(GOVERNANCE_LEADERS, planning_team_page, ok=422, method="post", scoped=False),
    "governance:appoint": Case(GOVERNANCE_LEADERS, planning_team_page, ok=422, method="post", scoped=False),
    "governance:election_new": Case(GOVERNANCE_LEADERS, planning_team_page, ok=422, method="post", scoped=False),
    # Whoever holds a seat today records the team's decisions: the director in the in half's team, and
    # nobody but the leaders in the out half's.
    "governance:team_decision": Case(TEAM_RECORDERS, planning_team_page, ok=422, method="post"),
    "governance:election": Case(GOVERNANCE_STAFF, election_page, scoped=False),
    "governance:nominate": Case(GOVERNANCE_STAFF, election_page, ok=422, method="post", scoped=False),
    # The nominee's alone: the world's coach.
    "governance:nomination_answer": Case(frozenset({Role.COACH}), nomination_page, ok=422, method="post", scoped=False),
    # An empty ballot, an empty receipt: refused as form errors to any of the staff.
    "governance:vote": Case(GOVERNANCE_STAFF, election_page, ok=422, method="post", scoped=False),
    "governance:receipt": Case(GOVERNANCE_STAFF, election_page, ok=422, method="post", scoped=False),
    # Voting has not closed: the count is refused with the reason; cancelling wants a reason.
    "governance:count": Case(GOVERNANCE_LEADERS, election_page, ok=422, method="post", scoped=False),
    "governance:cancel": Case(GOVERNANCE_LEADERS, election_page, ok=422, method="post", scoped=False),
    "governance:decisions": Case(GOVERNANCE_STAFF),
    "governance:decision": Case(GROUP_READERS, decision_page),
    "governance:follow_up_done": Case(GROUP_READERS, follow_up_page, ok=302, method="post"),
}
# Pages that only take a POST (the demo pages test reads every other page).
POST_ONLY = {name for name, case in PAGES.items() if case.method == "post"}
# Signing out is a POST that always succeeds; the back office has its own login (tested below).
NOT_PAGES = {"logout"}


def api_id(w: World, side: str, key: str, attr: str) -> dict[str, Any]:
    h = w.halves[side]
    return {key: getattr(h, attr).pk}


def _k(key: str, attr: str) -> Kwargs:
    return lambda w, side: api_id(w, side, key, attr)


@dataclass(frozen=True)
class ApiCase:
    allowed: frozenset[Role]
    path: Kwargs | None = None
    body: Callable[[World, str], dict[str, Any]] | None = None
    ok: int = 200
    scoped: bool = True
    # Sent as a multipart form (file uploads) rather than JSON.
    multipart: bool = False


def new_partnership(w: World, side: str) -> dict[str, Any]:
    return {
        "name": "Matrix partnership",
        "school_ids": [w.halves[side].other_school.pk],
        "model": "targeted",
        "start_date": "2026-08-01",
        "planned_years": 3,
    }


def upload(w: World, side: str) -> dict[str, Any]:
    return {"kind": "public", "format": "generic", "file": SimpleUploadedFile("public.csv", b"ENTITY_TYPE\n")}


def new_assignment(w: World, side: str) -> dict[str, Any]:
    return {
        "school_id": w.halves[side].school.pk,
        "person_id": w.halves[side].partner.pk,
        "days_per_week": "1.5",
        "start_date": "2030-01-01",
    }


# -- cycles of inquiry (API rows) ---------------------------------------------------------------


def school_cycle(w: World, side: str) -> Cycle:
    """A school-level cycle at the half's partner school, owned by its principal, on the default
    template's steps (the first one started)."""
    half = w.halves[side]
    template = Template.objects.get(is_default=True)
    found, created = Cycle.objects.get_or_create(
        title=f"Cycle at {half.school.name}",
        defaults={
            "level": Cycle.Level.SCHOOL,
            "template": template,
            "owner": half.principal,
            "school": half.school,
            "starts_on": datetime.date(2026, 9, 1),
            "ends_on": datetime.date(2027, 1, 29),
            "last_activity_at": datetime.datetime(2026, 9, 1, tzinfo=datetime.UTC),
        },
    )
    if created:
        CycleStep.objects.bulk_create(
            CycleStep(
                cycle=found,
                position=s.position,
                name=s.name,
                requires=s.requires,
                started_on=found.starts_on if s.position == 1 else None,
            )
            for s in template.steps.all()
        )
    return found


def cycle(w: World, side: str) -> dict[str, Any]:
    return {"cycle_id": school_cycle(w, side).pk}


def cycle_ready_to_finish(w: World, side: str) -> dict[str, Any]:
    """The first step's artifacts (a problem statement and a goal) are there."""
    found = school_cycle(w, side)
    ProblemStatement.objects.get_or_create(cycle=found, defaults={"statement": "Matrix"})
    found.goals.add(goal(w, side)["pk"])
    return {"cycle_id": found.pk}


def cycle_with_finished_step(w: World, side: str) -> dict[str, Any]:
    found = school_cycle(w, side)
    found.steps.filter(position=1).update(finished_on=datetime.date(2026, 10, 1))
    found.steps.filter(position=2).update(started_on=datetime.date(2026, 10, 1))
    return {"cycle_id": found.pk}


def closed_cycle(w: World, side: str) -> dict[str, Any]:
    found = school_cycle(w, side)
    Cycle.objects.filter(pk=found.pk).update(status=Cycle.Status.CLOSED, finished_on=datetime.date(2026, 10, 1))
    return {"cycle_id": found.pk}


def reflected_cycle(w: World, side: str) -> dict[str, Any]:
    found = school_cycle(w, side)
    Reflection.objects.get_or_create(cycle=found, defaults={"worked": "A", "learned": "B", "decision": "adopt"})
    return {"cycle_id": found.pk}


def cycle_action(w: World, side: str) -> dict[str, Any]:
    found = school_cycle(w, side)
    action, _ = Action.objects.get_or_create(cycle=found, title="Matrix action")
    return {"cycle_id": found.pk, "action_id": action.pk}


def default_template(w: World, side: str) -> dict[str, Any]:
    return {"template_id": Template.objects.get(is_default=True).pk}


def matrix_template(w: World, side: str) -> dict[str, Any]:
    found, _ = Template.objects.get_or_create(name="Matrix template")
    return {"template_id": found.pk}


def new_cycle(w: World, side: str) -> dict[str, Any]:
    # An individual cycle in no one place: anyone signed in may start one for themselves.
    return {"title": "Matrix", "level": "individual", "starts_on": "2026-09-01", "ends_on": "2027-01-29"}


def template_body(w: World, side: str) -> dict[str, Any]:
    return {"name": "Matrix template", "steps": [{"name": "Plan", "requires": ["problem"]}, {"name": "Review"}]}


# -- coaching (API rows) ------------------------------------------------------------------------


def coaching_relationship(w: World, side: str) -> Relationship:
    """The half's partner (a coach at its school) coaching a principal there, on the current
    version of the "Teaching practice" framework. In the in half the coachee is the world's
    PRINCIPAL (not `half.principal`, another person), so the matrix exercises the coachee's rights."""
    half = w.halves[side]
    found, _ = Relationship.objects.get_or_create(
        coach=half.partner,
        coachee=w.people[Role.PRINCIPAL] if side == "in" else half.principal,
        school=half.school,
        defaults={
            "framework": Framework.objects.get(name="Teaching practice").current(),
            "starts_on": datetime.date(2026, 9, 1),
        },
    )
    return found


def relationship_id(w: World, side: str) -> dict[str, Any]:
    return {"relationship_id": coaching_relationship(w, side).pk}


def coaching_session(w: World, side: str) -> dict[str, Any]:
    found = coaching_relationship(w, side)
    session, _ = Session.objects.get_or_create(
        relationship=found,
        held_on=datetime.date(2026, 10, 1),
        defaults={"minutes": 45, "kind": Session.Kind.OBSERVATION, "logged_by": found.coach},
    )
    return {"session_id": session.pk}


def private_note(w: World, side: str) -> dict[str, Any]:
    found = coaching_relationship(w, side)
    note, _ = PrivateNote.objects.get_or_create(author=found.coach, relationship=found, text="Matrix note")
    return {"note_id": note.pk}


def coachee_goal(w: World, side: str) -> dict[str, Any]:
    goal, _ = CoacheeGoal.objects.get_or_create(relationship=coaching_relationship(w, side), title="Matrix goal")
    return {"goal_id": goal.pk}


def coaching_cycle(w: World, side: str) -> dict[str, Any]:
    found, _ = CoachingCycle.objects.get_or_create(
        relationship=coaching_relationship(w, side),
        title="Matrix coaching cycle",
        defaults={"steps": DEFAULT_CYCLE_STEPS, "starts_on": datetime.date(2026, 9, 1)},
    )
    return {"cycle_id": found.pk}


def teaching_framework(w: World, side: str) -> dict[str, Any]:
    return {"framework_id": Framework.objects.get(name="Teaching practice").pk}


def new_relationship(w: World, side: str) -> dict[str, Any]:
    half = w.halves[side]
    return {
        "coach_id": half.partner.pk,
        "coachee_id": w.people[Role.PRINCIPAL].pk,
        "school_id": half.school.pk,
        "framework_id": teaching_framework(w, side)["framework_id"],
        "starts_on": "2026-09-01",
    }


def new_rating(w: World, side: str) -> dict[str, Any]:
    version = coaching_relationship(w, side).framework
    competency = version.domains.get(position=1).competencies.get(position=1)
    return {"competency_id": competency.pk, "level": 2, "rated_on": "2026-10-01"}


def new_version(w: World, side: str) -> dict[str, Any]:
    return {
        "levels": ["Not yet", "Always"],
        "domains": [{"name": "Matrix", "competencies": [{"code": "M1", "name": "Matrix", "descriptors": ["a", "b"]}]}],
    }


def staff_cost(w: World, side: str) -> dict[str, Any]:
    return {"person_id": w.halves[side].partner.pk, "school_year": 2026}


# -- learning spaces (API rows) -------------------------------------------------------------------

LEARNING_YEAR = 2027


def learning_rhythm(w: World, side: str) -> learning.Rhythm:
    """The 2026–27 rhythm of the half's region: a team meeting every Tuesday at 9:00."""
    half = w.halves[side]
    found, created = learning.Rhythm.objects.get_or_create(
        school_year=LEARNING_YEAR,
        name=f"{half.region.name} rhythm",
        defaults={
            "region": half.region,
            "time_zone": "America/Los_Angeles",
            "starts_on": datetime.date(2026, 8, 17),
            "ends_on": datetime.date(2027, 6, 11),
        },
    )
    if created:
        learning.Slot.objects.create(
            rhythm=found,
            session_type=learning.SessionType.objects.get(name="Team meeting"),
            weekday=1,
            starts_at=datetime.time(9, 0),
            minutes=60,
        )
    return found


def rhythm_id(w: World, side: str) -> dict[str, Any]:
    return {"rhythm_id": learning_rhythm(w, side).pk}


def learning_session(w: World, side: str) -> dict[str, Any]:
    """A session of the half's rhythm, already held (so its attendance can be taken). In the in half
    the world's COACH facilitates it and the world's TEACHER is its guest; in the out half the
    half's own partner and principal are."""
    half = w.halves[side]
    slot = learning_rhythm(w, side).slots.get()
    starts = datetime.datetime(2026, 10, 6, 16, 0, tzinfo=datetime.UTC)
    found, created = learning.Session.objects.get_or_create(
        slot=slot,
        local_date=datetime.date(2026, 10, 6),
        defaults={
            "title": f"Team meeting, {half.region.name}",
            "session_type": slot.session_type,
            "starts_at": starts,
            "ends_at": starts + datetime.timedelta(hours=1),
            "time_zone": "America/Los_Angeles",
        },
    )
    if created:
        found.facilitators.set([w.people[Role.COACH] if side == "in" else half.partner])
        found.guests.set([session_guest(w, side)])
    return {"session_id": found.pk}


def session_guest(w: World, side: str) -> Any:
    return w.people[Role.TEACHER] if side == "in" else w.halves[side].principal


def session_type_id(w: World, side: str) -> dict[str, Any]:
    return {"session_type_id": learning.SessionType.objects.get(name="Team meeting").pk}


def matrix_priority() -> learning.Priority:
    found, _ = learning.Priority.objects.get_or_create(name="Matrix priority")
    return found


def priority_id(w: World, side: str) -> dict[str, Any]:
    return {"priority_id": matrix_priority().pk}


def learning_agenda(w: World, side: str) -> dict[str, Any]:
    """The 2026–27 agenda, a draft with its twelve months."""
    found, created = learning.Agenda.objects.get_or_create(school_year=LEARNING_YEAR)
    if created:
        months = [datetime.date(2026, m, 1) for m in range(7, 13)] + [datetime.date(2027, m, 1) for m in range(1, 7)]
        learning.AgendaMonth.objects.bulk_create(learning.AgendaMonth(agenda=found, month=m) for m in months)
    return {"school_year": LEARNING_YEAR}


def agenda_ready(w: World, side: str) -> dict[str, Any]:
    """The draft agenda with a priority for every month, so that it can be published."""
    found = learning_agenda(w, side)
    learning.AgendaMonth.objects.filter(agenda__school_year=LEARNING_YEAR).update(priority=matrix_priority())
    return found


def new_learning_session(w: World, side: str) -> dict[str, Any]:
    return {
        "title": "Matrix session",
        "session_type_id": session_type_id(w, side)["session_type_id"],
        "starts_at": "2027-02-02T17:00:00Z",
        "ends_at": "2027-02-02T18:00:00Z",
        "time_zone": "America/Los_Angeles",
        "guest_ids": [w.halves[side].principal.pk],
    }


# -- the help desk (API rows) ---------------------------------------------------------------------


def help_ticket_id(w: World, side: str) -> dict[str, Any]:
    return {"ticket_id": help_ticket(w).pk}


def help_merge_target(w: World, side: str) -> dict[str, Any]:
    """Another of the teacher's tickets, the one the matrix ticket duplicates."""
    teacher = w.people[Role.TEACHER]
    found, _ = Ticket.objects.get_or_create(
        subject="Matrix original",
        defaults={"requester": teacher, "requester_email": teacher.email, "created_at": timezone.now()},
    )
    return {"into_id": found.pk}


# -- the staff feed (API rows) --------------------------------------------------------------------


def feed_flag(w: World, side: str) -> Any:
    """A flag the half's partner raised at its school: open to all the staff in the in half, and
    restricted in the out half, where only the partner and the organization's leaders see it. No
    world role is its author or its owner."""
    from tandem.andon.feed.actions import do_post
    from tandem.andon.feed.models import Post

    half = w.halves[side]
    title = f"Matrix flag at {half.school.name}"
    found = Post.objects.filter(title=title).first()
    return found or do_post(half.partner, "flag", title, "Matrix", school=half.school, restricted=side == "out")


def feed_flag_id(w: World, side: str) -> dict[str, Any]:
    return {"post_id": feed_flag(w, side).pk}


def feed_acknowledged_flag_id(w: World, side: str) -> dict[str, Any]:
    """The flag, taken on by the half's partner, who raised it."""
    from tandem.andon.feed.models import Post

    found = feed_flag(w, side)
    Post.objects.filter(pk=found.pk).update(status=Post.Status.ACKNOWLEDGED, owner=w.halves[side].partner)
    return {"post_id": found.pk}


def feed_question_id(w: World, side: str) -> dict[str, Any]:
    """The world's coach's question in the in half. A question is never restricted: out of reach,
    the out half's restricted flag stands for it."""
    from tandem.andon.feed.actions import do_post
    from tandem.andon.feed.models import Post

    if side == "out":
        return feed_flag_id(w, side)
    found = Post.objects.filter(title="Matrix question").first()
    found = found or do_post(w.people[Role.COACH], "question", "Matrix question", "Matrix?")
    return {"post_id": found.pk}


def feed_escalation(w: World, side: str) -> dict[str, Any]:
    """To the working group of the half's region."""
    from tandem.orgs.models import Team

    half = w.halves[side]
    team, _ = Team.objects.get_or_create(
        name=f"{half.region.name} working group",
        defaults={"organization": w.org, "region": half.region, "kind": Team.Kind.REGIONAL},
    )
    return {"to": "working_group", "team_id": team.pk, "note": "Matrix"}


# -- the practice library and the leadership network (API rows) ------------------------------------


def practice_id(w: World, side: str) -> dict[str, Any]:
    return {"practice_id": library_practice(w).pk}


def draft_practice_id(w: World, side: str) -> dict[str, Any]:
    return {"practice_id": draft_practice(w).pk}


def practice_trial(w: World, side: str) -> dict[str, Any]:
    """The PRINCIPAL's report: removed by its reporter (the practice's author) or an editor."""
    return {"practice_id": library_practice(w).pk, "trial_id": trial_page(w, side)["trial_id"]}


def practice_comment(w: World, side: str) -> dict[str, Any]:
    """The TEACHER's comment: removed by its author or an editor."""
    return {"practice_id": library_practice(w).pk, "comment_id": practice_comment_page(w, side)["comment_id"]}


def practice_citation(w: World, side: str) -> dict[str, Any]:
    return {"practice_id": library_practice(w).pk, "citation_id": citation_page(w, side)["citation_id"]}


def practice_cycle(w: World, side: str) -> dict[str, Any]:
    """The in half's school cycle, which the PRINCIPAL leads, as a cycle that led to the practice."""
    from tandem.practices.actions import do_link_cycle

    found = library_practice(w)
    do_link_cycle(w.people[Role.PRINCIPAL], found, school_cycle(w, "in"))
    return {"practice_id": found.pk, "cycle_id": school_cycle(w, "in").pk}


def new_report(w: World, side: str) -> dict[str, Any]:
    # Another school year than the PRINCIPAL's own report: the same report twice is refused.
    return {"school_id": w.inside.school.pk, "school_year": 2025, "result": "improved", "story": "Matrix"}


def network_directory(w: World, side: str) -> dict[str, Any]:
    """No path arguments: the cohort is made so that the world's NETWORK_MEMBER is in the network."""
    return network_home(w, side)


def cohort_id(w: World, side: str) -> dict[str, Any]:
    return {"cohort_id": network_cohort(w).pk}


def cohort_member(w: World, side: str) -> dict[str, Any]:
    found = cohort_member_page(w, side)
    return {"cohort_id": found["pk"], "member_id": found["member_id"]}


def new_member(w: World, side: str) -> dict[str, Any]:
    return {"person_id": w.people[Role.TEACHER].pk, "role": "teacher_leader", "school_id": w.inside.school.pk}


# -- governance (API rows) ------------------------------------------------------------------------
# Governance is the organization's staff's; its leaders set it up. The matrix's planning team has an
# appointed seat the world's REGIONAL_DIRECTOR holds this term (and with it the team's right to
# record decisions) and elected seats for coaches, of which the world's COACH is the only world role
# eligible to vote. The in half's working group is sponsored by the REGIONAL_DIRECTOR with the COACH
# as its member; the out half's by the out half's partner, alone in it, so only the organization's
# leaders see it. Teams, seats and elections are every staff member's, so their rows are not scoped.
GOV_STAFF = LEARNING_STAFF
GOV_LEADERS = frozenset(ORG_WIDE)
GOV_GROUP_STEERS = GOV_LEADERS | {Role.REGIONAL_DIRECTOR}
GOV_GROUP_READERS = GOV_GROUP_STEERS | {Role.COACH}
GOV_TEAM_RECORDERS = GOV_LEADERS | {Role.REGIONAL_DIRECTOR}
# How long before now each of the matrix's elections opened: nominating, voting, or awaiting count.
GOV_PHASES = {"nominating": 0, "voting": 15, "closed": 30}


def gov_team(w: World) -> Any:
    from tandem.governance import actions, seats
    from tandem.governance.models import PlanningTeam, Seat

    found = PlanningTeam.objects.filter(name="Matrix planning team").first()
    if found is not None:
        return found
    leader = w.people[Role.NATIONAL_LEADER]
    team = actions.do_save_team(leader, PlanningTeam(name="Matrix planning team"))
    appointed = actions.do_save_seat(
        leader,
        Seat(team=team, name="Matrix appointed seat", kind="appointed", first_term_starts=datetime.date(2020, 1, 1)),
    )
    actions.do_appoint(
        leader, appointed, w.people[Role.REGIONAL_DIRECTOR], seats.term_span(appointed, timezone.localdate())[0]
    )
    for name in (*GOV_PHASES, "to open"):
        seat = Seat(team=team, name=f"Matrix seat {name}", kind="elected", eligible_roles=[Role.COACH])
        seat.first_term_starts = datetime.date(2025, 1, 1)
        actions.do_save_seat(leader, seat)
    return team


def gov_team_id(w: World, side: str) -> dict[str, Any]:
    return {"team_id": gov_team(w).pk}


def gov_election(w: World, phase: str) -> Any:
    """The election for the seat named after its phase. The in half's partner stands in each; in the
    nominating one a leader has nominated the world's COACH, who has not answered yet."""
    from tandem.governance import actions, seats
    from tandem.governance.models import Election

    seat = gov_team(w).seats.get(name=f"Matrix seat {phase}")
    found = Election.objects.filter(seats=seat).first()
    if found is not None:
        return found
    leader, partner = w.people[Role.NATIONAL_LEADER], w.inside.partner
    opened = timezone.now() - datetime.timedelta(days=GOV_PHASES[phase])
    starts = seats.next_term(seat, timezone.localdate(opened))[0]
    election = actions.do_open_election(leader, seat.team, [seat], starts, now=opened)
    at = opened + datetime.timedelta(hours=1)
    actions.do_nominate(partner, election, partner, now=at)
    if phase == "nominating":
        actions.do_nominate(leader, election, w.people[Role.COACH], now=at)
    return election


def gov_election_id(phase: str) -> Kwargs:
    return lambda w, side: {"election_id": gov_election(w, phase).pk}


def gov_pending_nomination(w: World, side: str) -> dict[str, Any]:
    election = gov_election(w, "nominating")
    return {"election_id": election.pk, "nomination_id": election.nominations.get(nominee=w.people[Role.COACH]).pk}


def gov_ballot(w: World, side: str) -> dict[str, Any]:
    return {"ranking": [gov_election(w, "voting").nominations.get().pk]}


def gov_open_election(w: World, side: str) -> dict[str, Any]:
    from tandem.governance import seats

    seat = gov_team(w).seats.get(name="Matrix seat to open")
    return {"seat_ids": [seat.pk], "term_starts": str(seats.next_term(seat, timezone.localdate())[0])}


def gov_appointed_seat(w: World, side: str) -> dict[str, Any]:
    return {"seat_id": gov_team(w).seats.get(kind="appointed").pk}


def gov_appointment(w: World, side: str) -> dict[str, Any]:
    from tandem.governance import seats

    seat = gov_team(w).seats.get(kind="appointed")
    return {"person_id": w.people[Role.ANALYST].pk, "term_starts": str(seats.next_term(seat, timezone.localdate())[0])}


def gov_group(w: World, side: str) -> Any:
    from tandem.governance import actions
    from tandem.governance.models import WorkingGroup

    half = w.halves[side]
    name = f"Matrix group in {half.region.name}"
    found = WorkingGroup.objects.filter(name=name).first()
    if found is not None:
        return found
    sponsor, member = (w.people[Role.REGIONAL_DIRECTOR], w.people[Role.COACH]) if side == "in" else (half.partner,) * 2
    fields = {
        "name": name,
        "misalignment": "Matrix",
        "purpose": "Matrix",
        "sponsor": sponsor,
        "starts_on": timezone.localdate() - datetime.timedelta(days=30),
        "ends_on": timezone.localdate() + datetime.timedelta(days=30),
    }
    return actions.do_form_group(w.people[Role.NATIONAL_LEADER], fields, goals=["Matrix goal"], members=[member])


def gov_group_id(w: World, side: str) -> dict[str, Any]:
    return {"group_id": gov_group(w, side).pk}


def gov_new_group(w: World, side: str) -> dict[str, Any]:
    today = timezone.localdate()
    return {
        "name": "Matrix new group",
        "misalignment": "Matrix",
        "purpose": "Matrix",
        "sponsor_id": w.people[Role.REGIONAL_DIRECTOR].pk,
        "starts_on": str(today),
        "ends_on": str(today + datetime.timedelta(days=30)),
        "goals": ["Matrix"],
        "member_ids": [w.people[Role.COACH].pk],
    }


def gov_review(w: World, side: str) -> dict[str, Any]:
    goals = gov_group(w, side).goals.all()
    return {
        "assessments": [{"goal_id": g.pk, "assessment": "met"} for g in goals],
        "outcome": "renew",
        "new_goals": ["Matrix, again"],
        "new_ends_on": str(timezone.localdate() + datetime.timedelta(days=60)),
    }


def gov_decision_body(w: World, side: str) -> dict[str, Any]:
    today = str(timezone.localdate())
    return {
        "team_id": gov_team(w).pk,
        "title": "Matrix",
        "decided_on": today,
        "decision": "Matrix",
        "rationale": "Matrix",
    }


def gov_group_decision(w: World, side: str) -> dict[str, Any]:
    """A decision of the half's working group, recorded by its sponsor."""
    from tandem.governance import actions
    from tandem.governance.models import Decision

    group = gov_group(w, side)
    found = Decision.objects.filter(group=group).first()
    fields = {"title": "Matrix", "decided_on": timezone.localdate(), "decision": "Matrix", "rationale": "Matrix"}
    return {"decision_id": (found or actions.do_record_decision(group.sponsor, fields, group=group)).pk}


def gov_follow_up(w: World, side: str) -> dict[str, Any]:
    """A follow-up of a team decision that the world's ANALYST owns."""
    from tandem.governance import actions
    from tandem.governance.models import FollowUp

    found = FollowUp.objects.filter(text="Matrix follow-up").first()
    if found is None:
        fields = {"title": "Matrix", "decided_on": timezone.localdate(), "decision": "Matrix", "rationale": "Matrix"}
        decision = actions.do_record_decision(
            w.people[Role.NATIONAL_LEADER],
            fields,
            team=gov_team(w),
            follow_ups=[("Matrix follow-up", w.people[Role.ANALYST], None)],
        )
        found = decision.follow_ups.get()
    return {"decision_id": found.decision_id, "follow_up_id": found.pk}


API: dict[tuple[str, str], ApiCase] = {
    ("GET", "/api/v1/me"): ApiCase(ALL),
    ("GET", "/api/v1/regions"): ApiCase(ALL),
    ("GET", "/api/v1/regions/{region_id}"): ApiCase(ALL, _k("region_id", "region")),
    ("GET", "/api/v1/districts"): ApiCase(ALL),
    ("GET", "/api/v1/districts/{district_id}"): ApiCase(ALL, _k("district_id", "district")),
    ("GET", "/api/v1/schools"): ApiCase(ALL),
    ("GET", "/api/v1/schools/{school_id}"): ApiCase(ALL, _k("school_id", "school")),
    ("GET", "/api/v1/people"): ApiCase(ALL),
    ("GET", "/api/v1/people/{person_id}"): ApiCase(ALL, _k("person_id", "principal")),
    ("GET", "/api/v1/partnerships"): ApiCase(ALL),
    ("GET", "/api/v1/reach"): ApiCase(ALL),
    ("GET", "/api/v1/partnerships/{partnership_id}"): ApiCase(ALL, _k("partnership_id", "partnership")),
    ("GET", "/api/v1/partnerships/{partnership_id}/costs"): ApiCase(FINANCE, _k("partnership_id", "partnership")),
    ("POST", "/api/v1/partnerships"): ApiCase(MANAGERS, None, new_partnership, ok=201),
    ("PATCH", "/api/v1/partnerships/{partnership_id}"): ApiCase(
        MANAGERS, _k("partnership_id", "partnership"), lambda w, s: {"notes": "Matrix"}
    ),
    ("POST", "/api/v1/partnerships/{partnership_id}/assignments"): ApiCase(
        MANAGERS, _k("partnership_id", "partnership"), new_assignment, ok=201
    ),
    ("GET", "/api/v1/imports"): ApiCase(IMPORTERS),
    ("GET", "/api/v1/analytics/network"): ApiCase(ALL),
    ("GET", "/api/v1/analytics/districts/{district_id}"): ApiCase(ALL, _k("district_id", "district")),
    ("GET", "/api/v1/analytics/schools/{school_id}"): ApiCase(ALL, _k("school_id", "school")),
    ("GET", "/api/v1/analytics/schools/{school_id}/comparison"): ApiCase(ALL, _k("school_id", "school")),
    ("GET", "/api/v1/analytics/gaps"): ApiCase(ALL),
    ("GET", "/api/v1/goals"): ApiCase(ALL),
    ("GET", "/api/v1/goals/{goal_id}"): ApiCase(ALL, lambda w, s: {"goal_id": goal(w, s)["pk"]}),
    ("GET", "/api/v1/imports/{import_id}"): ApiCase(
        IMPORTERS, lambda w, s: {"import_id": import_run(w, s)["pk"]}, scoped=False
    ),
    ("POST", "/api/v1/imports"): ApiCase(IMPORTERS, None, upload, ok=202, multipart=True),
    ("GET", "/api/v1/impact/reports"): ApiCase(ALL),
    ("GET", "/api/v1/impact/reports/{report_id}"): ApiCase(ALL, lambda w, s: {"report_id": impact_report(w, s)["pk"]}),
    ("POST", "/api/v1/impact/reports"): ApiCase(ALL, None, new_impact_report, ok=202),
    ("GET", "/api/v1/growth/runs"): ApiCase(IMPORTERS),
    ("GET", "/api/v1/growth/runs/{run_id}"): ApiCase(
        IMPORTERS, lambda w, s: {"run_id": growth_run(w, s)["pk"]}, scoped=False
    ),
    ("POST", "/api/v1/growth/runs"): ApiCase(
        IMPORTERS, None, lambda w, s: {"assessment": "caaspp-ela", "school_year": 2025}, ok=202
    ),
    ("PUT", "/api/v1/partnerships/{partnership_id}/costs/{school_year}"): ApiCase(
        MANAGERS,
        lambda w, s: {**api_id(w, s, "partnership_id", "partnership"), "school_year": 2027},
        lambda w, s: {"total_cost": "1000.00", "sources": [{"kind": "foundation", "amount": "500.00"}]},
    ),
    ("GET", "/api/v1/cycles"): ApiCase(ALL),
    ("POST", "/api/v1/cycles"): ApiCase(ALL, None, new_cycle, ok=201),
    ("GET", "/api/v1/cycles/{cycle_id}"): ApiCase(CYCLE_LEADERS, cycle),
    ("PATCH", "/api/v1/cycles/{cycle_id}"): ApiCase(CYCLE_LEADERS, cycle, lambda w, s: {"title": "Matrix"}),
    ("POST", "/api/v1/cycles/{cycle_id}/steps/finish"): ApiCase(CYCLE_LEADERS, cycle_ready_to_finish),
    ("POST", "/api/v1/cycles/{cycle_id}/steps/reopen"): ApiCase(CYCLE_LEADERS, cycle_with_finished_step),
    ("POST", "/api/v1/cycles/{cycle_id}/close"): ApiCase(CYCLE_LEADERS, cycle),
    ("POST", "/api/v1/cycles/{cycle_id}/reopen"): ApiCase(CYCLE_LEADERS, closed_cycle),
    ("PUT", "/api/v1/cycles/{cycle_id}/problem"): ApiCase(CYCLE_LEADERS, cycle, lambda w, s: {"statement": "Matrix"}),
    ("POST", "/api/v1/cycles/{cycle_id}/questions"): ApiCase(
        CYCLE_LEADERS, cycle, lambda w, s: {"about": "students", "text": "Matrix?"}, ok=201
    ),
    ("PUT", "/api/v1/cycles/{cycle_id}/goals"): ApiCase(
        CYCLE_LEADERS, cycle, lambda w, s: {"goal_ids": [goal(w, s)["pk"]]}
    ),
    ("POST", "/api/v1/cycles/{cycle_id}/actions"): ApiCase(
        CYCLE_LEADERS, cycle, lambda w, s: {"title": "Matrix action"}, ok=201
    ),
    ("PATCH", "/api/v1/cycles/{cycle_id}/actions/{action_id}"): ApiCase(
        CYCLE_LEADERS, cycle_action, lambda w, s: {"status": "done"}
    ),
    ("POST", "/api/v1/cycles/{cycle_id}/log"): ApiCase(
        CYCLE_LEADERS, cycle, lambda w, s: {"happened_on": "2026-10-01", "note": "Matrix"}, ok=201
    ),
    ("POST", "/api/v1/cycles/{cycle_id}/evidence"): ApiCase(
        CYCLE_LEADERS,
        cycle,
        lambda w, s: {"kind": "observation", "title": "Matrix", "collected_on": "2026-10-01"},
        ok=201,
    ),
    ("PUT", "/api/v1/cycles/{cycle_id}/reflection"): ApiCase(
        CYCLE_LEADERS, cycle, lambda w, s: {"worked": "A", "learned": "B", "decision": "adapt"}
    ),
    ("POST", "/api/v1/cycles/{cycle_id}/next"): ApiCase(CYCLE_LEADERS, reflected_cycle, lambda w, s: {}, ok=201),
    ("GET", "/api/v1/cycle-templates"): ApiCase(ALL),
    ("GET", "/api/v1/cycle-templates/{template_id}"): ApiCase(ALL, default_template, scoped=False),
    ("POST", "/api/v1/cycle-templates"): ApiCase(TEMPLATE_EDITORS, None, template_body, ok=201),
    ("PUT", "/api/v1/cycle-templates/{template_id}"): ApiCase(
        TEMPLATE_EDITORS, matrix_template, template_body, scoped=False
    ),
    ("GET", "/api/v1/coaching/relationships"): ApiCase(ALL),
    ("POST", "/api/v1/coaching/relationships"): ApiCase(COACHING_SUPERVISORS, None, new_relationship, ok=201),
    ("GET", "/api/v1/coaching/relationships/{relationship_id}"): ApiCase(COACHING_VIEWERS, relationship_id),
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/end"): ApiCase(
        COACHING_SUPERVISORS, relationship_id, lambda w, s: {}
    ),
    ("GET", "/api/v1/coaching/relationships/{relationship_id}/sessions"): ApiCase(COACHING_VIEWERS, relationship_id),
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/sessions"): ApiCase(
        COACH_ONLY,
        relationship_id,
        lambda w, s: {"held_on": "2026-10-02", "minutes": 30, "kind": "debrief", "private_note": "Matrix"},
        ok=201,
    ),
    ("GET", "/api/v1/coaching/sessions/{session_id}"): ApiCase(COACHING_VIEWERS, coaching_session),
    # Every caller's own notes (none, for the world's people): never anyone else's.
    ("GET", "/api/v1/coaching/notes"): ApiCase(ALL),
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/notes"): ApiCase(
        COACH_ONLY, relationship_id, lambda w, s: {"text": "Matrix"}, ok=201
    ),
    ("DELETE", "/api/v1/coaching/notes/{note_id}"): ApiCase(COACH_ONLY, private_note, ok=204),
    ("GET", "/api/v1/coaching/relationships/{relationship_id}/goals"): ApiCase(COACHING_VIEWERS, relationship_id),
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/goals"): ApiCase(
        COACHING_SUPERVISORS, relationship_id, lambda w, s: {"title": "Matrix goal"}, ok=201
    ),
    # The coachee may change a goal's status.
    ("PATCH", "/api/v1/coaching/goals/{goal_id}"): ApiCase(
        COACHING_VIEWERS, coachee_goal, lambda w, s: {"status": "in_progress"}
    ),
    ("GET", "/api/v1/coaching/relationships/{relationship_id}/ratings"): ApiCase(COACHING_VIEWERS, relationship_id),
    # The coachee's self rating; supervisors see ratings but give none.
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/ratings"): ApiCase(
        frozenset({Role.PRINCIPAL}), relationship_id, new_rating, ok=201
    ),
    ("POST", "/api/v1/coaching/relationships/{relationship_id}/cycles"): ApiCase(
        COACHING_SUPERVISORS, relationship_id, lambda w, s: {"title": "Matrix"}, ok=201
    ),
    ("POST", "/api/v1/coaching/cycles/{cycle_id}/advance"): ApiCase(COACHING_SUPERVISORS, coaching_cycle),
    ("GET", "/api/v1/coaching/frameworks"): ApiCase(ALL),
    ("GET", "/api/v1/coaching/frameworks/{framework_id}"): ApiCase(ALL, teaching_framework, scoped=False),
    ("POST", "/api/v1/coaching/frameworks/{framework_id}/versions"): ApiCase(
        frozenset(ORG_WIDE), teaching_framework, new_version, ok=201, scoped=False
    ),
    ("GET", "/api/v1/coaching/staff-costs"): ApiCase(COST_SETTERS),
    ("PUT", "/api/v1/coaching/staff-costs/{person_id}/{school_year}"): ApiCase(
        COST_SETTERS, staff_cost, lambda w, s: {"hourly_cost": "80.00"}
    ),
    ("GET", "/api/v1/learning/session-types"): ApiCase(LEARNING_STAFF),
    ("POST", "/api/v1/learning/session-types"): ApiCase(
        LEARNING_PLANNERS, None, lambda w, s: {"name": "Matrix type"}, ok=201
    ),
    ("PATCH", "/api/v1/learning/session-types/{session_type_id}"): ApiCase(
        LEARNING_PLANNERS, session_type_id, lambda w, s: {"purpose": "Matrix"}, scoped=False
    ),
    ("GET", "/api/v1/learning/priorities"): ApiCase(LEARNING_STAFF),
    ("POST", "/api/v1/learning/priorities"): ApiCase(LEARNING_PLANNERS, None, lambda w, s: {"name": "Matrix"}, ok=201),
    ("PATCH", "/api/v1/learning/priorities/{priority_id}"): ApiCase(
        LEARNING_PLANNERS, priority_id, lambda w, s: {"description": "Matrix"}, scoped=False
    ),
    # Everyone's own: the sessions they are invited to (every session, for the staff).
    ("GET", "/api/v1/learning/sessions"): ApiCase(ALL),
    ("POST", "/api/v1/learning/sessions"): ApiCase(LEARNING_PLANNERS, None, new_learning_session, ok=201),
    # The staff see every session, the out half's too: only the in half's answers by role.
    ("GET", "/api/v1/learning/sessions/{session_id}"): ApiCase(SESSION_READERS, learning_session, scoped=False),
    ("PATCH", "/api/v1/learning/sessions/{session_id}"): ApiCase(
        RHYTHM_PLANNERS, learning_session, lambda w, s: {"title": "Matrix"}
    ),
    ("POST", "/api/v1/learning/sessions/{session_id}/cancel"): ApiCase(
        RHYTHM_PLANNERS, learning_session, lambda w, s: {"reason": "Matrix"}
    ),
    ("PUT", "/api/v1/learning/sessions/{session_id}/attendance"): ApiCase(
        RECORD_KEEPERS,
        learning_session,
        lambda w, s: {"marks": [{"person_id": session_guest(w, s).pk, "status": "present"}]},
    ),
    ("POST", "/api/v1/learning/sessions/{session_id}/takeaways"): ApiCase(
        SESSION_READERS, learning_session, lambda w, s: {"text": "Matrix"}, ok=201, scoped=False
    ),
    ("GET", "/api/v1/learning/rhythms"): ApiCase(LEARNING_STAFF),
    ("GET", "/api/v1/learning/rhythms/{rhythm_id}"): ApiCase(LEARNING_STAFF, rhythm_id, scoped=False),
    ("POST", "/api/v1/learning/rhythms/{rhythm_id}/generate"): ApiCase(RHYTHM_PLANNERS, rhythm_id),
    ("GET", "/api/v1/learning/agendas/{school_year}"): ApiCase(LEARNING_STAFF, learning_agenda, scoped=False),
    ("POST", "/api/v1/learning/agendas/{school_year}/proposals"): ApiCase(
        LEARNING_STAFF, learning_agenda, lambda w, s: {"title": "Matrix"}, ok=201, scoped=False
    ),
    ("POST", "/api/v1/learning/agendas/{school_year}/comments"): ApiCase(
        LEARNING_STAFF, learning_agenda, lambda w, s: {"body": "Matrix"}, ok=201, scoped=False
    ),
    ("POST", "/api/v1/learning/agendas/{school_year}/publish"): ApiCase(
        LEARNING_PLANNERS, agenda_ready, lambda w, s: {}, scoped=False
    ),
    # Everyone's own requests (every ticket, for the help desk); anyone may ask.
    ("GET", "/api/v1/helpdesk/tickets"): ApiCase(ALL),
    ("POST", "/api/v1/helpdesk/tickets"): ApiCase(
        ALL, None, lambda w, s: {"subject": "Matrix", "text": "Help"}, ok=201
    ),
    ("GET", "/api/v1/helpdesk/categories"): ApiCase(ALL),
    ("GET", "/api/v1/helpdesk/metrics"): ApiCase(HELP_DESK),
    # Tickets are not tied to schools: the help desk sees them all, a requester their own.
    ("GET", "/api/v1/helpdesk/tickets/{ticket_id}"): ApiCase(TICKET_READERS, help_ticket_id, scoped=False),
    ("PATCH", "/api/v1/helpdesk/tickets/{ticket_id}"): ApiCase(
        HELP_DESK, help_ticket_id, lambda w, s: {"priority": "high"}, scoped=False
    ),
    ("POST", "/api/v1/helpdesk/tickets/{ticket_id}/replies"): ApiCase(
        HELP_DESK, help_ticket_id, lambda w, s: {"text": "Matrix"}, ok=201, scoped=False
    ),
    ("POST", "/api/v1/helpdesk/tickets/{ticket_id}/notes"): ApiCase(
        HELP_DESK, help_ticket_id, lambda w, s: {"text": "Matrix"}, ok=201, scoped=False
    ),
    # The requester's alone: the help desk answers with replies.
    ("POST", "/api/v1/helpdesk/tickets/{ticket_id}/messages"): ApiCase(
        frozenset({Role.TEACHER}), help_ticket_id, lambda w, s: {"text": "Matrix"}, ok=201, scoped=False
    ),
    ("POST", "/api/v1/helpdesk/tickets/{ticket_id}/merge"): ApiCase(
        HELP_DESK, help_ticket_id, help_merge_target, scoped=False
    ),
    # The staff feed. Every post is the staff's but a restricted flag, which the out half's is: only
    # its author, its owner and the organization's leaders see it (see `feed_flag`).
    ("GET", "/api/v1/feed/posts"): ApiCase(STAFF_FEED),
    ("POST", "/api/v1/feed/posts"): ApiCase(
        STAFF_FEED, None, lambda w, s: {"kind": "idea", "title": "Matrix", "body": "Matrix"}, ok=201
    ),
    ("GET", "/api/v1/feed/posts/{post_id}"): ApiCase(STAFF_FEED, feed_flag_id),
    # The author's alone: the world's coach asked the question.
    ("PATCH", "/api/v1/feed/posts/{post_id}"): ApiCase(
        frozenset({Role.COACH}), feed_question_id, lambda w, s: {"title": "Matrix, edited"}
    ),
    ("POST", "/api/v1/feed/posts/{post_id}/comments"): ApiCase(
        STAFF_FEED, feed_flag_id, lambda w, s: {"body": "Matrix"}, ok=201
    ),
    ("POST", "/api/v1/feed/posts/{post_id}/me-too"): ApiCase(STAFF_FEED, feed_flag_id),
    ("DELETE", "/api/v1/feed/posts/{post_id}/me-too"): ApiCase(STAFF_FEED, feed_flag_id),
    # The person who asked, or an organization's leader.
    ("POST", "/api/v1/feed/posts/{post_id}/answer"): ApiCase(
        frozenset(ORG_WIDE) | {Role.COACH}, feed_question_id, lambda w, s: {"comment_id": None}, scoped=False
    ),
    # A regional director leads the flags of their own region only.
    ("POST", "/api/v1/feed/posts/{post_id}/acknowledge"): ApiCase(FLAG_LEADERS, feed_flag_id, lambda w, s: {}),
    ("POST", "/api/v1/feed/posts/{post_id}/status"): ApiCase(
        FLAG_LEADERS, feed_acknowledged_flag_id, lambda w, s: {"status": "in_progress"}
    ),
    ("POST", "/api/v1/feed/posts/{post_id}/escalations"): ApiCase(FLAG_LEADERS, feed_flag_id, feed_escalation, ok=201),
    ("GET", "/api/v1/feed/board"): ApiCase(FLAG_LEADERS),
    ("GET", "/api/v1/feed/notifications"): ApiCase(STAFF_FEED),
    ("POST", "/api/v1/feed/notifications/read"): ApiCase(STAFF_FEED, None, lambda w, s: {}),
    ("GET", "/api/v1/feed/topics"): ApiCase(STAFF_FEED),
    # Governance (see `gov_team` and `gov_group`).
    ("GET", "/api/v1/governance/groups"): ApiCase(GOV_STAFF),
    ("POST", "/api/v1/governance/groups"): ApiCase(GOV_LEADERS, None, gov_new_group, ok=201),
    ("GET", "/api/v1/governance/groups/{group_id}"): ApiCase(GOV_GROUP_READERS, gov_group_id),
    ("POST", "/api/v1/governance/groups/{group_id}/members"): ApiCase(
        GOV_GROUP_STEERS,
        gov_group_id,
        lambda w, s: {"person_id": w.people[Role.ANALYST].pk, "change": "join", "because": "Matrix"},
    ),
    ("POST", "/api/v1/governance/groups/{group_id}/support"): ApiCase(
        GOV_GROUP_STEERS, gov_group_id, lambda w, s: {"kind": "advice", "text": "Matrix"}, ok=201
    ),
    ("POST", "/api/v1/governance/groups/{group_id}/reviews"): ApiCase(
        GOV_GROUP_STEERS, gov_group_id, gov_review, ok=201
    ),
    ("GET", "/api/v1/governance/teams"): ApiCase(GOV_STAFF),
    ("POST", "/api/v1/governance/teams"): ApiCase(GOV_LEADERS, None, lambda w, s: {"name": "Matrix team"}, ok=201),
    ("GET", "/api/v1/governance/teams/{team_id}"): ApiCase(GOV_STAFF, gov_team_id, scoped=False),
    ("POST", "/api/v1/governance/teams/{team_id}/seats"): ApiCase(
        GOV_LEADERS,
        gov_team_id,
        lambda w, s: {"name": "Matrix new seat", "kind": "appointed", "first_term_starts": "2026-01-01"},
        ok=201,
        scoped=False,
    ),
    ("POST", "/api/v1/governance/seats/{seat_id}/appoint"): ApiCase(
        GOV_LEADERS, gov_appointed_seat, gov_appointment, ok=201, scoped=False
    ),
    ("GET", "/api/v1/governance/elections"): ApiCase(GOV_STAFF),
    ("POST", "/api/v1/governance/teams/{team_id}/elections"): ApiCase(
        GOV_LEADERS, gov_team_id, gov_open_election, ok=201, scoped=False
    ),
    ("GET", "/api/v1/governance/elections/{election_id}"): ApiCase(
        GOV_STAFF, gov_election_id("nominating"), scoped=False
    ),
    # Anyone on the staff nominates a coach: here the out half's partner.
    ("POST", "/api/v1/governance/elections/{election_id}/nominations"): ApiCase(
        GOV_STAFF,
        gov_election_id("nominating"),
        lambda w, s: {"nominee_id": w.outside.partner.pk},
        ok=201,
        scoped=False,
    ),
    # The nominee's alone: a leader nominated the world's COACH.
    ("POST", "/api/v1/governance/elections/{election_id}/nominations/{nomination_id}/answer"): ApiCase(
        frozenset({Role.COACH}), gov_pending_nomination, lambda w, s: {"accept": True}, scoped=False
    ),
    # Only those eligible for the seats vote: of the world's roles, the COACH.
    ("POST", "/api/v1/governance/elections/{election_id}/vote"): ApiCase(
        frozenset({Role.COACH}), gov_election_id("voting"), gov_ballot, ok=201, scoped=False
    ),
    ("POST", "/api/v1/governance/elections/{election_id}/receipt"): ApiCase(
        GOV_STAFF, gov_election_id("voting"), lambda w, s: {"receipt": "0000-0000-0000-0000-0000-0000"}, scoped=False
    ),
    ("POST", "/api/v1/governance/elections/{election_id}/count"): ApiCase(
        GOV_LEADERS, gov_election_id("closed"), scoped=False
    ),
    ("POST", "/api/v1/governance/elections/{election_id}/cancel"): ApiCase(
        GOV_LEADERS, gov_election_id("nominating"), lambda w, s: {"because": "Matrix"}, scoped=False
    ),
    ("GET", "/api/v1/governance/decisions"): ApiCase(GOV_STAFF),
    # The team's: whoever holds one of its seats today, or a leader.
    ("POST", "/api/v1/governance/decisions"): ApiCase(GOV_TEAM_RECORDERS, None, gov_decision_body, ok=201),
    ("GET", "/api/v1/governance/decisions/{decision_id}"): ApiCase(GOV_GROUP_READERS, gov_group_decision),
    # The follow-up's owner, or whoever records the team's decisions.
    ("POST", "/api/v1/governance/decisions/{decision_id}/follow-ups/{follow_up_id}/done"): ApiCase(
        GOV_TEAM_RECORDERS | {Role.ANALYST}, gov_follow_up, lambda w, s: {"done": True}, scoped=False
    ),
    # The practice library (see `library_practice`): practices are not tied to schools.
    ("GET", "/api/v1/practices"): ApiCase(LIBRARY_READERS),
    ("POST", "/api/v1/practices"): ApiCase(LIBRARY_READERS, None, lambda w, s: {"title": "Matrix"}, ok=201),
    ("GET", "/api/v1/practices/{practice_id}"): ApiCase(LIBRARY_READERS, practice_id, scoped=False),
    ("PATCH", "/api/v1/practices/{practice_id}"): ApiCase(
        PRACTICE_EDITORS, practice_id, lambda w, s: {"summary": "Matrix, edited"}, scoped=False
    ),
    # The draft: seen by its author and the editors only.
    ("DELETE", "/api/v1/practices/{practice_id}"): ApiCase(LIBRARY_EDITORS, draft_practice_id, ok=204, scoped=False),
    ("POST", "/api/v1/practices/{practice_id}/publish"): ApiCase(LIBRARY_EDITORS, draft_practice_id, scoped=False),
    ("POST", "/api/v1/practices/{practice_id}/unpublish"): ApiCase(LIBRARY_EDITORS, practice_id, scoped=False),
    # "We tried this" for the in half's school, which every reader of the world reaches.
    ("POST", "/api/v1/practices/{practice_id}/trials"): ApiCase(
        LIBRARY_READERS, practice_id, new_report, ok=201, scoped=False
    ),
    ("DELETE", "/api/v1/practices/{practice_id}/trials/{trial_id}"): ApiCase(
        PRACTICE_EDITORS, practice_trial, ok=204, scoped=False
    ),
    ("POST", "/api/v1/practices/{practice_id}/comments"): ApiCase(
        LIBRARY_READERS, practice_id, lambda w, s: {"body": "Matrix"}, ok=201, scoped=False
    ),
    ("DELETE", "/api/v1/practices/{practice_id}/comments/{comment_id}"): ApiCase(
        LIBRARY_EDITORS | {Role.TEACHER}, practice_comment, ok=204, scoped=False
    ),
    ("POST", "/api/v1/practices/{practice_id}/citations"): ApiCase(
        PRACTICE_EDITORS, practice_id, lambda w, s: {"reference": "Matrix (2027)."}, ok=201, scoped=False
    ),
    ("DELETE", "/api/v1/practices/{practice_id}/citations/{citation_id}"): ApiCase(
        PRACTICE_EDITORS, practice_citation, ok=204, scoped=False
    ),
    # The practice's author leads the in half's cycle; the editors lead every cycle.
    ("POST", "/api/v1/practices/{practice_id}/cycles"): ApiCase(
        PRACTICE_EDITORS, practice_id, lambda w, s: {"cycle_id": school_cycle(w, "in").pk}, ok=201, scoped=False
    ),
    ("DELETE", "/api/v1/practices/{practice_id}/cycles/{cycle_id}"): ApiCase(
        PRACTICE_EDITORS, practice_cycle, ok=204, scoped=False
    ),
    ("GET", "/api/v1/practice-tags"): ApiCase(LIBRARY_READERS),
    ("GET", "/api/v1/schools/{school_id}/like-mine"): ApiCase(LIBRARY_READERS, _k("school_id", "school")),
    # The leadership network (see `network_cohort`): cohorts are not tied to schools.
    ("GET", "/api/v1/network/cohorts"): ApiCase(NETWORK_READERS, network_directory, scoped=False),
    ("POST", "/api/v1/network/cohorts"): ApiCase(
        NETWORK_LEADERS, None, lambda w, s: {"name": "Matrix new cohort", "school_year": 2026}, ok=201
    ),
    ("GET", "/api/v1/network/cohorts/{cohort_id}"): ApiCase(NETWORK_READERS, cohort_id, scoped=False),
    ("PATCH", "/api/v1/network/cohorts/{cohort_id}"): ApiCase(
        COHORT_MANAGERS, cohort_id, lambda w, s: {"description": "Matrix"}, scoped=False
    ),
    ("POST", "/api/v1/network/cohorts/{cohort_id}/members"): ApiCase(
        COHORT_MANAGERS, cohort_id, new_member, ok=201, scoped=False
    ),
    ("DELETE", "/api/v1/network/cohorts/{cohort_id}/members/{member_id}"): ApiCase(
        COHORT_MANAGERS, cohort_member, ok=204, scoped=False
    ),
    ("POST", "/api/v1/network/cohorts/{cohort_id}/convenings"): ApiCase(
        NETWORK_LEADERS,
        cohort_id,
        lambda w, s: {"day": "2026-10-15", "start": "09:00", "minutes": 360},
        ok=201,
        scoped=False,
    ),
    ("GET", "/api/v1/network/members"): ApiCase(NETWORK_READERS, network_directory, scoped=False),
}
OPENAPI_DOC = ("GET", "/api/v1/openapi.json")


def _url_names(resolver: URLResolver, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = f"{prefix}{p.namespace}:" if p.namespace else prefix
            names |= _url_names(p, ns)
        elif isinstance(p, URLPattern) and p.name:
            names.add(prefix + p.name)
    return names


def _api_operations() -> set[tuple[str, str]]:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return {(method.upper(), path) for path, ops in schema["paths"].items() for method in ops}


def test_every_endpoint_is_in_the_matrix() -> None:
    names = {n for n in _url_names(get_resolver()) if not n.startswith(("admin:", "api:"))}
    assert names - PAGES.keys() - NOT_PAGES == set(), "pages missing from the permission matrix"
    assert PAGES.keys() - names == set(), "matrix rows for pages that no longer exist"
    assert _api_operations() - API.keys() == set(), "API operations missing from the permission matrix"
    assert API.keys() - _api_operations() == set(), "matrix rows for API operations that no longer exist"


def _client(world: World, role: Role | None) -> Client:
    client = Client()
    if role is not None:
        client.force_login(world.people[role])
    return client


def _page_rows() -> list[Any]:
    return [pytest.param(name, role, id=f"{name}-{role}") for name in PAGES for role in Role]


@pytest.mark.parametrize(("name", "role"), _page_rows())
def test_page(world: World, name: str, role: Role) -> None:
    case = PAGES[name]
    client = _client(world, role)
    fetch = getattr(client, case.method)
    url = reverse(name, kwargs=case.kwargs(world, "in") if case.kwargs else None)
    assert fetch(url).status_code == (case.ok if role in case.allowed else 404), url
    if case.kwargs and case.scoped:
        out = reverse(name, kwargs=case.kwargs(world, "out"))
        expected = case.ok if role in case.allowed and role in ORG_WIDE else 404
        assert fetch(out).status_code == expected, out


@pytest.mark.parametrize("name", list(PAGES))
def test_page_anonymous(world: World, name: str) -> None:
    case = PAGES[name]
    url = reverse(name, kwargs=case.kwargs(world, "in") if case.kwargs else None)
    response = getattr(Client(), case.method)(url)
    if case.public:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login") + "?next=")


def _api_rows() -> list[Any]:
    return [pytest.param(op, role, id=f"{op[0]} {op[1]}-{role}") for op in API for role in Role]


def _call(client: Client, op: tuple[str, str], world: World, side: str, case: ApiCase, **headers: str) -> Any:
    method, path = op
    url = path.format(**case.path(world, side)) if case.path else path
    body = case.body(world, side) if case.body else None
    if case.multipart:
        return client.post(url, body, **headers)
    return getattr(client, method.lower())(url, body, content_type="application/json", **headers)


@pytest.mark.parametrize(("op", "role"), _api_rows())
def test_api(world: World, op: tuple[str, str], role: Role) -> None:
    case = API[op]
    client = _client(world, role)
    response = _call(client, op, world, "in", case)
    assert response.status_code == (case.ok if role in case.allowed else 404), response.content
    if case.path and case.scoped:
        response = _call(client, op, world, "out", case)
        expected = case.ok if role in case.allowed and role in ORG_WIDE else 404
        assert response.status_code == expected, response.content
        if expected == 404:
            assert response.json() == {"detail": "Not found."}


@pytest.mark.parametrize("op", list(API))
def test_api_anonymous(world: World, op: tuple[str, str]) -> None:
    response = _call(Client(), op, world, "in", API[op])
    assert response.status_code == 401
    assert response.json() == {"detail": "Authentication required."}


def test_openapi_document_is_public(db: None) -> None:
    response = Client().get(OPENAPI_DOC[1])
    assert response.status_code == 200
    assert response.json()["info"]["title"] == "Tandem API"


@pytest.mark.parametrize("role", list(Role))
def test_back_office_is_for_org_admins_only(world: World, role: Role) -> None:
    response = _client(world, role).get("/admin/")
    if role == Role.ORG_ADMIN:
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/")
