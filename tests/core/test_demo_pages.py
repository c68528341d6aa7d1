"""Every page of the demo network answers for the org admin, with the demo's own data."""

import datetime
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.achievement.models import ImportRun
from tandem.andon.feed.actions import do_post
from tandem.andon.feed.models import Post
from tandem.andon.helpdesk.models import Attachment, RawMail
from tandem.coaching.models import Framework, Relationship
from tandem.demo import load
from tandem.governance import actions as governance
from tandem.governance.models import Decision, Election, PlanningTeam, Seat, WorkingGroup
from tandem.governance.seats import next_term
from tandem.inquiry.models import Cycle, Evidence
from tandem.learning.actions import do_create_feed
from tandem.learning.models import Agenda, Material, Priority, Rhythm, SessionType, Takeaway
from tandem.network.models import Cohort
from tandem.orgs.models import District, Organization, Person, Region, School
from tandem.partnerships.models import Partnership
from tandem.practices.models import Attachment as PracticeAttachment
from tandem.practices.models import Practice
from tests.access.test_permission_matrix import (
    NOT_PAGES,
    PAGES,
    POST_ONLY,
    goal,
    growth_run,
    impact_report,
    template_page,
)
from tests.world import World


@dataclass
class _DemoHalf:
    school: School


@pytest.fixture
def admin_client(db: None) -> Client:
    load.build(today=datetime.date(2026, 11, 22), with_results=False)
    client = Client()
    client.force_login(Person.objects.get(email="admin@example.org"))
    return client


def _kwargs(name: str) -> dict[str, object] | None:
    principal = Person.objects.get(email="principal@example.org")
    by_name = {
        "orgs:region": {"pk": Region.objects.first().pk},
        "orgs:district": {"pk": District.objects.first().pk},
        "orgs:school": {"pk": School.objects.first().pk},
        "orgs:person": {"pk": principal.pk},
        "orgs:role_grant": {"pk": principal.pk},
        "orgs:role_end": {"pk": principal.pk, "role_id": RoleAssignment.objects.filter(person=principal).first().pk},
        "password_reset_confirm": {"uidb64": "MQ", "token": "expired"},
    }
    if name in ("analytics:district",):
        return {"pk": District.objects.first().pk}
    if name in ("analytics:school", "analytics:comparison", "analytics:school_report"):
        return {"pk": School.objects.first().pk}
    if name in ("analytics:goal", "analytics:goal_edit"):
        return goal(World(Organization.objects.first(), {"in": _DemoHalf(School.objects.first())}), "in")
    if name in ("impact:report", "impact:report_progress", "impact:report_pdf"):
        return impact_report(World(Organization.objects.first(), {"in": _DemoHalf(School.objects.first())}), "in")
    # Individual cycles are their owners' and coaches' alone: the admin reads the others.
    shared = Cycle.objects.exclude(level=Cycle.Level.INDIVIDUAL).first()
    if name in ("inquiry:cycle", "inquiry:cycle_edit"):
        return {"pk": shared.pk}
    if name == "inquiry:evidence_file":
        evidence = Evidence(cycle=shared, kind="document", title="Walkthrough notes", collected_on=shared.starts_on)
        evidence.attachment.save("notes.txt", ContentFile(b"Observed"), save=True)
        return {"pk": shared.pk, "evidence_id": evidence.pk}
    if name == "coaching:relationship":
        return {"pk": Relationship.objects.first().pk}
    if name in ("coaching:framework", "coaching:framework_edit"):
        return {"pk": Framework.objects.first().pk}
    if name == "inquiry:template_edit":
        return template_page(World(Organization.objects.first(), {}), "in")
    if name in ("growth:run", "growth:run_progress"):
        return growth_run(World(Organization.objects.first(), {}), "in")
    if name in ("achievement:import", "achievement:import_progress", "achievement:import_report"):
        run, _ = ImportRun.objects.get_or_create(
            file_name="demo.csv", defaults={"kind": "results", "format": "sgp-long"}
        )
        return {"pk": run.pk}
    learning = _learning_kwargs(name)
    if learning is not None:
        return learning
    helpdesk = _helpdesk_kwargs(name)
    if helpdesk is not None:
        return helpdesk
    governance = _governance_kwargs(name)
    if governance is not None:
        return governance
    if name in ("feed:post", "feed:post_edit"):
        # The admin's own post, so that the edit page is theirs to open.
        admin = Person.objects.get(email="admin@example.org")
        mine = Post.objects.filter(author=admin).first() or do_post(admin, "idea", "Demo idea", "Try it.")
        return {"pk": mine.pk}
    if name in ("network:cohort", "network:cohort_edit"):
        # The demo's leadership network: this school year's cohort, with its members and convenings.
        return {"pk": Cohort.objects.order_by("-school_year", "pk").first().pk}
    if name.startswith("partnerships:") and name not in (
        "partnerships:list",
        "partnerships:create",
        "partnerships:reach",
    ):
        return {"pk": Partnership.objects.first().pk}
    return by_name.get(name)


def _learning_kwargs(name: str) -> dict[str, object] | None:
    """The demo's own learning objects: a session with a takeaway and a file, a rhythm with its
    slots and days off, the published agenda, a calendar address, the practice draft."""
    session = Takeaway.objects.order_by("pk").first().session
    rhythm = Rhythm.objects.filter(region__isnull=False).order_by("pk").first()
    if name in ("learning:session", "learning:session_edit"):
        return {"pk": session.pk}
    if name == "learning:material_file":
        material = Material(session=session, title="Slides")
        material.file.save("slides.txt", ContentFile(b"Agenda"), save=True)
        return {"pk": session.pk, "material_id": material.pk}
    if name in ("learning:rhythm", "learning:rhythm_edit", "learning:slot_new", "learning:day_off_new"):
        return {"pk": rhythm.pk}
    if name == "learning:slot_edit":
        return {"pk": rhythm.pk, "slot_id": rhythm.slots.first().pk}
    if name in ("learning:type_edit",):
        return {"pk": SessionType.objects.first().pk}
    if name == "learning:priority_edit":
        return {"pk": Priority.objects.first().pk}
    if name == "learning:agenda":
        return {"year": Agenda.objects.get().school_year}
    if name == "learning:feed":
        _, token = do_create_feed(Person.objects.get(email="admin@example.org"))
        return {"token": token}
    if name in ("practices:practice", "practices:practice_edit", "practices:trial_new"):
        return {"pk": Practice.objects.filter(status="published").first().pk}
    if name == "practices:attachment":
        practice = Practice.objects.filter(status="published").first()
        attachment = PracticeAttachment(practice=practice, title="Protocol")
        attachment.file.save("protocol.txt", ContentFile(b"Steps"), save=True)
        return {"pk": practice.pk, "attachment_id": attachment.pk}
    return None


def _helpdesk_kwargs(name: str) -> dict[str, object] | None:
    """The demo's own help desk: a ticket that came with a file, and the message the intake could
    not read."""
    if name not in ("helpdesk:ticket", "helpdesk:attachment", "helpdesk:received_raw"):
        return None
    attachment = Attachment.objects.select_related("message").order_by("pk").first()
    if name == "helpdesk:ticket":
        return {"pk": attachment.message.ticket_id}
    if name == "helpdesk:attachment":
        return {"pk": attachment.message.ticket_id, "attachment_id": attachment.pk}
    if name == "helpdesk:received_raw":
        return {"pk": RawMail.objects.get(status=RawMail.Status.FAILED).pk}
    return None


def _governance_kwargs(name: str) -> dict[str, object] | None:
    """The demo's own working group (one not disbanded, so that it can be reviewed), planning team,
    election and decision; made here through the actions when the demo has none."""
    if name in ("governance:group", "governance:group_review"):
        return {"pk": _demo_group().pk}
    if name == "governance:team":
        return {"pk": _demo_election().team_id}
    if name == "governance:election":
        return {"pk": _demo_election().pk}
    if name == "governance:decision":
        found = Decision.objects.order_by("pk").first()
        if found is None:
            fields = {"title": "Demo decision", "decided_on": _today(), "decision": "Yes", "rationale": "Because"}
            found = governance.do_record_decision(_admin(), fields, group=_demo_group())
        return {"pk": found.pk}
    return None


def _admin() -> Person:
    return Person.objects.get(email="admin@example.org")


def _today() -> datetime.date:
    return timezone.localdate()


def _demo_group() -> WorkingGroup:
    found = WorkingGroup.objects.exclude(status=WorkingGroup.Status.DISBANDED).order_by("pk").first()
    if found is None:
        admin = _admin()
        fields = {
            "name": "Demo group",
            "misalignment": "Demo",
            "purpose": "Demo",
            "sponsor": admin,
            "starts_on": _today(),
            "ends_on": _today() + datetime.timedelta(days=90),
        }
        found = governance.do_form_group(admin, fields, goals=["Demo goal"], members=[admin])
    return found


def _demo_election() -> Election:
    found = Election.objects.order_by("-pk").first()
    if found is None:
        admin = _admin()
        team = PlanningTeam.objects.order_by("pk").first()
        team = team or governance.do_save_team(admin, PlanningTeam(name="Demo planning team"))
        seat = Seat(team=team, name="Demo elected seat", kind="elected", eligible_roles=["coach"])
        seat.first_term_starts = _today()
        seat = governance.do_save_seat(admin, seat)
        found = governance.do_open_election(admin, team, [seat], next_term(seat, _today())[0])
    return found


def test_every_page_answers_for_the_admin(admin_client: Client) -> None:
    # One demo for every page: building it takes seconds, and there are dozens of pages.
    wrong = {}
    for name in sorted(set(PAGES) - NOT_PAGES - POST_ONLY):
        status = admin_client.get(reverse(name, kwargs=_kwargs(name))).status_code
        if status != PAGES[name].ok:
            wrong[name] = status
    assert wrong == {}


def test_lists_paginate_the_demo_people(admin_client: Client) -> None:
    first = admin_client.get(reverse("orgs:people"))
    assert first.context["page"].paginator.num_pages > 1
    assert b'rel="next"' in first.content
    last = admin_client.get(reverse("orgs:people"), {"page": "999"})
    assert last.context["page"].number == first.context["page"].paginator.num_pages
