"""The demo network is believable, complete and the same on every run."""

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.urls import reverse

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.demo import load
from tandem.orgs.models import District, Person, Region, School, SchoolDemographics
from tandem.partnerships.models import CostOfService, Partnership, SiteAssignment

TODAY = datetime.date(2026, 11, 22)


@pytest.fixture(scope="module")
def _demo_once(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[None]:
    """One demo (without results) for the whole module, rolled back at its end: every test here
    only reads it, in its own savepoint, and building it takes a while."""
    # The same fast hasher and files folder the tests' own fixtures set, which a module's fixture
    # runs before (the help desk keeps the mail it receives as files).
    fast = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        MEDIA_ROOT=tmp_path_factory.getbasetemp() / "files",
    )
    with django_db_blocker.unblock(), transaction.atomic(), fast:
        load.build(today=TODAY, with_results=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_once: None, db: None) -> None:
    return None


def test_shape_of_the_network(demo: None) -> None:
    assert Region.objects.count() == 2
    assert District.objects.count() == 3
    assert School.objects.count() >= 60
    active = Partnership.objects.filter(status="active")
    partner_schools = School.objects.filter(partnership_memberships__partnership__in=active).distinct()
    assert partner_schools.count() >= 12
    assert set(Partnership.objects.values_list("model", flat=True)) == set(Partnership.Model.values)
    assert len(set(Partnership.objects.values_list("phase", flat=True))) >= 4


def test_each_active_partner_school_has_one_or_two_partners(demo: None) -> None:
    today = TODAY
    counts = (
        School.objects.filter(partnership_memberships__partnership__status="active")
        .annotate(
            n=Count(
                "site_assignments",
                filter=Q(site_assignments__start_date__lte=today) & Q(site_assignments__end_date__isnull=True),
                distinct=True,
            )
        )
        .values_list("n", flat=True)
    )
    assert counts and all(1 <= n <= 2 for n in counts)


def test_three_years_of_funding_and_demographics(demo: None) -> None:
    assert sorted(set(CostOfService.objects.values_list("school_year", flat=True))) == [2025, 2026, 2027]
    assert SchoolDemographics.objects.values("school_year").distinct().count() == 3
    for cost in CostOfService.objects.all()[:5]:
        assert cost.funded() == cost.total_cost
        assert 30 <= cost.fee_share() <= 46


def test_every_demo_login_exists_with_its_role(demo: None) -> None:
    for email, role_label, _ in load.demo_logins():
        person = Person.objects.get(email=email)
        assert person.check_password(load.DEMO_PASSWORD)
        assert role_label in {r.get_role_display() for r in RoleAssignment.objects.filter(person=person)}
    coach = Person.objects.get(email="coach@example.org")
    assert SiteAssignment.objects.filter(person=coach).count() == 2
    assert RoleAssignment.objects.filter(role=Role.ORG_ADMIN).count() == 1


def test_cycles_of_inquiry_without_results(demo: None) -> None:
    from tandem.inquiry.models import Cycle

    # No goals to link: the cycles follow a template that asks for none, and state problems in words.
    assert {c.level for c in Cycle.objects.all()} == set(Cycle.Level.values)
    chain = Cycle.objects.filter(level="school", status="completed").order_by("starts_on")
    assert [c.previous for c in chain] == [None, chain[0], chain[1]]
    assert not Cycle.objects.filter(problem__value__isnull=False).exists()


def test_a_school_year_and_more_of_coaching(demo: None) -> None:
    from collections import Counter

    from django.db.models import Max

    from tandem.coaching.models import CoachingCycle, PrivateNote, Rating, Relationship, Session, StaffCost

    partners = set(
        SiteAssignment.objects.filter(partnership__status="active", end_date__isnull=True).values_list(
            "person", flat=True
        )
    )
    per_coach = Counter(Relationship.objects.values_list("coach", flat=True))
    assert partners and all(per_coach[p] >= 3 for p in partners)
    coach = Person.objects.get(email="coach@example.org")
    for login, audience in (("teacher", "teacher"), ("principal", "leader")):
        coached = Relationship.objects.get(coach=coach, coachee__email=f"{login}@example.org", status="active")
        assert coached.framework.framework.audience == audience
    active = Relationship.objects.filter(status="active")
    assert all(r.cycles.filter(status=CoachingCycle.Status.ACTIVE).count() == 1 for r in active)

    # The previous school year (2025–26) is coached from the fall through the spring, in every way.
    days = Session.objects.filter(held_on__range=(datetime.date(2025, 7, 1), datetime.date(2026, 6, 30)))
    assert len({(d.year, d.month) for d in days.values_list("held_on", flat=True)}) >= 9
    assert set(Session.objects.values_list("kind", flat=True)) == set(Session.Kind.values)

    notes = PrivateNote.objects.select_related("relationship")
    assert notes.filter(author=coach, relationship__coachee__email="teacher@example.org").count() >= 3
    assert all(n.author_id == n.relationship.coach_id for n in notes)

    # Coach ratings rise on average from the first to the latest, per relationship and competency.
    levels: dict[tuple[int, int], list[int]] = {}
    for r in Rating.objects.filter(source=Rating.Source.COACH).order_by("rated_on", "pk"):
        levels.setdefault((r.relationship_id, r.competency_id), []).append(r.level)
    gains = [v[-1] - v[0] for v in levels.values() if len(v) > 1]
    assert gains and sum(gains) / len(gains) > 0.3 and min(gains) < 0
    assert Rating.objects.filter(source=Rating.Source.SELF).exists()

    # Some coaching has gone quiet: the coverage data dive has something to show.
    last = active.annotate(last=Max("sessions__held_on")).values_list("last", flat=True)
    assert sum(1 for d in last if d is not None and d <= TODAY - datetime.timedelta(days=28)) >= 2

    costed = set(StaffCost.objects.values_list("person", "school_year"))
    for person in set(Session.objects.values_list("relationship__coach", flat=True)):
        assert {(person, 2026), (person, 2027)} <= costed


def test_a_school_year_of_learning_spaces(demo: None) -> None:
    from tandem.learning.models import Agenda, Attendance, Rhythm, Session, Takeaway

    # The current school year (2026–27) has a published agenda with a priority for every month.
    agenda = Agenda.objects.get(school_year=2027)
    assert agenda.published and agenda.months.count() == 12
    assert not agenda.months.filter(priority__isnull=True).exists()
    assert agenda.proposals.values("status").distinct().count() == 3 and agenda.comments.exists()

    # A rhythm for the organization and one per region, in at least two time zones.
    assert Rhythm.objects.filter(school_year=2027, region__isnull=True).count() == 1
    assert Rhythm.objects.filter(school_year=2027, region__isnull=False).count() == Region.objects.count()
    assert Session.objects.values("time_zone").distinct().count() >= 2
    sessions = Session.objects.filter(local_date__range=(datetime.date(2026, 7, 1), datetime.date(2027, 6, 30)))
    # Besides them, only the convenings of last year's leadership network cohort.
    assert sessions.count() == Session.objects.exclude(cohorts__school_year=2026).count() >= 200
    # Every session follows the published agenda's month.
    assert not sessions.filter(priority__isnull=True).exists()

    # Attendance only for sessions already held, never for the one cancelled by hand.
    held = Attendance.objects.values_list("session__local_date", flat=True)
    assert held and max(held) < TODAY
    cancelled = Session.objects.get(status=Session.Status.CANCELLED)
    assert cancelled.cancel_reason and cancelled.local_date < TODAY and not cancelled.attendance.exists()
    assert Session.objects.filter(local_date__lt=TODAY).exclude(notes="").exists()

    # Takeaways, some turned into actions in a cycle of inquiry (which records where they came from)
    # and one into a practice draft.
    became = Takeaway.objects.filter(action__isnull=False).select_related("action__cycle")
    assert became.exists()
    for takeaway in became:
        assert takeaway.action.cycle.links.filter(object_id=takeaway.session_id).exists()
    assert Takeaway.objects.filter(practice__isnull=False).count() == 1


def test_ten_weeks_of_the_help_desk(demo: None) -> None:
    from django.utils import timezone

    from tandem.andon.helpdesk.models import Message, RawMail, Ticket

    tickets = Ticket.objects.all()
    assert 40 <= tickets.count() <= 60
    assert tickets.filter(channel=Ticket.Channel.EMAIL).count() > tickets.count() * 3 / 4
    assert tickets.filter(channel=Ticket.Channel.WEB).exists()
    days = [timezone.localdate(at) for at in tickets.values_list("created_at", flat=True)]
    assert TODAY - datetime.timedelta(weeks=11) <= min(days) <= max(days) < TODAY

    # Requesters answered the help desk's replies by email, threaded by their headers.
    replies = set(Message.objects.filter(kind=Message.Kind.REPLY).values_list("message_id", flat=True))
    answers = Message.objects.filter(kind=Message.Kind.INBOUND, in_reply_to__in=replies, raw__isnull=False)
    assert answers.values("ticket").distinct().count() >= 5
    assert all(a.ticket.tag in a.subject for a in answers.select_related("ticket"))
    assert not Message.objects.filter(kind=Message.Kind.REPLY, sent_at__isnull=True).exists()
    assert Message.objects.filter(kind=Message.Kind.NOTE).exists()
    assert Message.objects.filter(attachments__isnull=False).exists()

    # Two duplicates merged, their messages on the ticket they duplicate.
    merged = tickets.filter(status=Ticket.Status.MERGED)
    assert merged.count() == 2
    assert all(m.merged_into is not None and not m.messages.exists() for m in merged)
    assert all(m.merged_into.messages.filter(kind=Message.Kind.INBOUND).count() >= 2 for m in merged)

    # Someone Tandem does not know, and a parent's email forwarded by a coach.
    assert tickets.filter(unknown_sender=True, requester__isnull=True).count() >= 3
    forwarded = tickets.get(channel=Ticket.Channel.EMAIL, opened_by__isnull=False)
    assert forwarded.unknown_sender and forwarded.opened_by.email == "coach@example.org"
    assert tickets.filter(channel=Ticket.Channel.WEB, opened_by__isnull=False).count() == 1

    # The intake kept a message it could not read, and an auto-reply it ignored.
    assert RawMail.objects.filter(status=RawMail.Status.FAILED, sender="").count() == 1
    assert RawMail.objects.filter(status=RawMail.Status.IGNORED).count() == 1
    assert RawMail.objects.filter(deliveries=2).exists()

    # Most older tickets resolved; the latest are waiting, a few past their first-response target.
    older = tickets.filter(created_at__date__lt=TODAY - datetime.timedelta(days=14)).exclude(status="merged")
    assert older.filter(status__in=["resolved", "closed"]).count() > older.count() * 3 / 4
    late = tickets.filter(
        status__in=["new", "open"], first_response_at__isnull=True, first_response_due__lt=timezone.now()
    )
    assert late.count() >= 3
    assert tickets.filter(status="pending").exists()
    assert all(t.first_response_at >= t.created_at for t in tickets.filter(first_response_at__isnull=False))


def test_ten_weeks_of_the_staff_feed(demo: None) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from tandem.access.roles import STAFF_ROLES
    from tandem.andon.feed import board
    from tandem.andon.feed.models import Comment, DigestPreference, Escalation, MeToo, Notification, Post
    from tandem.inquiry.models import Cycle, CycleLink

    # Questions, ideas and flags by the organization's staff over the last ten weeks, none after
    # the demo's day began.
    posts = Post.objects.all()
    assert 40 <= posts.count() <= 60
    assert set(posts.values_list("kind", flat=True)) == set(Post.Kind.values)
    staff = set(RoleAssignment.objects.filter(role__in=STAFF_ROLES).values_list("person", flat=True))
    assert set(posts.values_list("author", flat=True)) <= staff
    days = [timezone.localdate(at) for at in posts.values_list("created_at", flat=True)]
    assert TODAY - datetime.timedelta(weeks=11) <= min(days) <= max(days) < TODAY
    start = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time()))
    for model, field in ((Post, "last_activity_at"), (Comment, "created_at"), (MeToo, "created_at")):
        assert not model.objects.filter(**{f"{field}__gte": start}).exists(), model
    assert not Notification.objects.filter(created_at__gte=start).exists()

    # Flags in every status; as the demo's day begins, some raised flags are past their acknowledge
    # target and some are not, and some open ones have been open long enough to show as aging.
    flags = posts.filter(kind=Post.Kind.FLAG)
    assert set(flags.values_list("status", flat=True)) == set(Post.Status.values) - {Post.Status.OPEN}
    raised = list(flags.filter(status=Post.Status.RAISED))
    late = [f for f in raised if board.is_late(f, start)]
    assert late and len(late) < len(raised)
    assert any(board.is_aging(f, start) for f in flags)
    resolved = flags.filter(status=Post.Status.RESOLVED)
    assert resolved.exists() and not resolved.filter(resolution="").exists()
    assert all(f.acknowledged_at <= f.resolved_at for f in resolved)
    assert 1 <= flags.filter(restricted=True).count() <= 2

    # Escalations to a cycle of inquiry, which records it started from the flag, and to teams.
    escalations = Escalation.objects.all()
    assert set(escalations.values_list("to", flat=True)) == set(Escalation.To.values)
    to_cycles = escalations.filter(to=Escalation.To.CYCLE)
    assert to_cycles.exists()
    for escalation in to_cycles:
        link = CycleLink.objects.get(
            relation=CycleLink.Relation.STARTED_FROM,
            content_type=ContentType.objects.get_for_model(Post),
            object_id=escalation.post_id,
        )
        assert link.cycle_id == escalation.object_id and link.cycle.status == Cycle.Status.ACTIVE
        assert link.created_at == escalation.created_at < start

    # Answers accepted, mentions, and widespread flags with several "me too"s.
    answered = posts.filter(kind=Post.Kind.QUESTION, accepted_answer__isnull=False).select_related("accepted_answer")
    assert answered.count() >= 5 and all(q.accepted_answer.post_id == q.pk for q in answered)
    assert posts.filter(kind=Post.Kind.QUESTION, accepted_answer__isnull=True).exists()
    assert Comment.objects.filter(mentions__isnull=False).exists()
    assert flags.annotate(n=Count("me_toos")).filter(n__gte=3).count() >= 3

    # Unread notifications wait for the national leader and the coach; the digests have gone out.
    for login in ("leader", "coach"):
        unread = Notification.objects.filter(person__email=f"{login}@example.org", read_at__isnull=True)
        assert 2 <= unread.count() <= 8, login
    assert Notification.objects.filter(read_at__isnull=False).count() > Notification.objects.count() / 2
    assert not DigestPreference.objects.filter(due_at__isnull=False).exists()


def test_governance_groups_elections_and_decisions(demo: None) -> None:
    from django.contrib.contenttypes.models import ContentType

    from tandem.andon.feed.models import Post
    from tandem.demo.timeline import moment
    from tandem.governance import actions, elections, seats
    from tandem.governance.models import Decision, Election, FollowUp, GroupGoal, Link, Review, Voter, WorkingGroup

    now = moment(TODAY, "12:00")

    def state(group: WorkingGroup) -> str:
        if group.status == WorkingGroup.Status.DISBANDED:
            return "disbanded"
        return "review" if group.ends_on < TODAY else "active"

    def links(owner: Any, model: type | None = None) -> list[Any]:
        found = Link.objects.filter(owner_type=ContentType.objects.get_for_model(owner), owner_id=owner.pk)
        if model is not None:
            found = found.filter(content_type=ContentType.objects.get_for_model(model))
        return [link.target for link in found]

    # Working groups in every state: an active one formed from a flag in the feed, with its
    # sponsor's support log; one past its time box; one disbanded with what it learned and its
    # membership history; one renewed, its first round assessed.
    groups = list(WorkingGroup.objects.all())
    assert {state(g) for g in groups} == {"active", "review", "disbanded"}
    formed = [g for g in groups if state(g) == "active" and any(p.kind == "flag" for p in links(g, Post))]
    assert formed and formed[0].memberships.count() >= 4
    assert set(formed[0].support.values_list("kind", flat=True)) == {"question", "resource", "advice", "decision"}
    disbanded = next(g for g in groups if state(g) == "disbanded")
    assert disbanded.learned and disbanded.reviews.filter(outcome=Review.Outcome.DISBAND).exists()
    left = disbanded.memberships.exclude(left_because="The group disbanded")
    assert left.filter(left_on__isnull=False).exclude(left_because="").exists()
    assert disbanded.memberships.filter(joined_on__gt=disbanded.starts_on).exists()
    renewed = next(g for g in groups if g.round == 2)
    assert state(renewed) == "active" and renewed.reviews.filter(outcome=Review.Outcome.RENEW, round=1).exists()
    assert not renewed.goals.filter(round=1, assessment=GroupGoal.Assessment.OPEN).exists()
    assert renewed.goals.filter(round=2, assessment=GroupGoal.Assessment.OPEN).count() >= 2

    # A counted election by single transferable vote for two seats: its stages and the terms it gave.
    counted = Election.objects.filter(status=Election.Status.COUNTED).order_by("-term_starts").first()
    assert counted is not None and counted.method == Election.Method.STV and counted.seats.count() == 2
    assert counted.voting_close < now and counted.term_starts <= TODAY
    standing = elections.candidates(counted)
    assert len(standing) >= 4 and all(n.statement for n in standing)
    assert 20 <= counted.ballots.count() == counted.voters.count() <= 40
    result = counted.result
    assert result is not None and len(result["elected"]) == 2 and len(result["table"][0]) >= 4
    terms = counted.terms.select_related("person")
    assert sorted(t.person.full_name for t in terms) == sorted(result["elected_names"])
    assert all(seats.holds_seat(t.person, counted.team, TODAY) for t in terms)
    assert counted.team.seats.filter(kind="appointed").exists() and counted.team.seats.filter(site_staff_only=True)

    # An election in its voting phase with ballots cast: the demo's coach may vote and has not.
    running = Election.objects.get(status=Election.Status.OPEN, voting_open__lte=now, voting_close__gt=now)
    assert elections.phase(running, now) == "voting" and running.ballots.exists()
    assert all(n.statement for n in elections.candidates(running))
    electorate = {p.pk for seat in running.seats.all() for p in seats.eligible(seat, TODAY)}
    voted = set(Voter.objects.filter(election=running).values_list("person", flat=True))
    coach = Person.objects.get(email="coach@example.org")
    assert coach.pk in electorate - voted
    actions.do_vote(coach, running, [elections.candidates(running)[0].pk], now=now)
    assert any(elections.phase(e, now) == "nominating" for e in Election.objects.all())
    # Every elected seat's next term has its election: the daily round has nothing to open.
    assert elections.due(now) == []

    # The decisions log: the teams' and the groups', with rationale, the input they weighed (links to
    # flags, tickets and cycles) and follow-ups, some done.
    decisions = list(Decision.objects.all())
    assert 8 <= len(decisions) <= 12
    assert any(d.team_id for d in decisions) and any(d.group_id for d in decisions)
    assert all(d.rationale and d.decided_on <= TODAY for d in decisions)
    linked = [d for d in decisions if links(d)]
    assert len(linked) >= 6 and all(t is not None for d in linked for t in links(d))
    kinds = {type(t).__name__ for d in linked for t in links(d)}
    assert kinds == {"Post", "Ticket", "Cycle"}
    follow_ups = FollowUp.objects.all()
    assert follow_ups.filter(done_on__isnull=False).exists() and follow_ups.filter(done_on__isnull=True).exists()


def test_the_leadership_network_and_its_convenings(demo: None) -> None:
    from collections import Counter

    from tandem.access.roles import STAFF_ROLES
    from tandem.access.scope import scope_for
    from tandem.learning.invitations import invitees, sessions_for
    from tandem.learning.models import Attendance
    from tandem.learning.visibility import visible_sessions
    from tandem.network.models import Cohort, Member
    from tandem.network.visibility import sees_directory

    # This school year's cohort and last year's, each facilitated by the organization's staff.
    cohort = Cohort.objects.get(name="Leadership Development Network", school_year=2027)
    previous = Cohort.objects.get(name="Leadership Development Network", school_year=2026)
    staff = set(RoleAssignment.objects.filter(role__in=STAFF_ROLES).values_list("person", flat=True))
    for c in (cohort, previous):
        facilitators = set(c.facilitators.values_list("pk", flat=True))
        assert len(facilitators) == 2 and facilitators <= staff
    assert cohort.facilitators.filter(email="leader@example.org").exists()

    # Its members: the partner schools' principals (the two demo logins among them) and every
    # district's leader, each with a title and a place.
    members = list(cohort.members.select_related("person", "school", "district"))
    emails = {m.person.email for m in members}
    assert {"principal@example.org", "network@example.org", "district@example.org"} <= emails
    roles = Counter(m.role for m in members)
    assert roles[Member.Role.DISTRICT_LEADER] == District.objects.count() and roles[Member.Role.PRINCIPAL] >= 12
    active = School.objects.filter(partnership_memberships__partnership__status="active").distinct()
    assert {m.school_id for m in members if m.school_id} == set(active.values_list("pk", flat=True))
    assert all(m.title and m.district_id for m in members)
    assert {"principal@example.org", "network@example.org"} <= set(
        previous.members.values_list("person__email", flat=True)
    )
    assert previous.members.count() < len(members)

    # Four convenings a year, scheduled as learning sessions of the convening type that invite the
    # cohort: those held have attendance, notes, slides and takeaways; the rest are to come.
    for login in ("network", "principal"):
        person = Person.objects.get(email=f"{login}@example.org")
        assert sees_directory(scope_for(person))
        mine = sessions_for(person).filter(cohorts=cohort)
        assert mine.count() == 4
        held, coming = mine.filter(local_date__lt=TODAY), mine.filter(local_date__gte=TODAY)
        assert held.count() >= 1 and coming.count() >= 1, login
        assert sessions_for(person).filter(cohorts=previous, local_date__lt=TODAY).count() == 4
        assert set(visible_sessions(scope_for(person)).filter(cohorts=cohort)) == set(mine)
    convenings = cohort.convenings.select_related("session_type")
    assert {s.session_type.name for s in convenings} == {"Network convening"}
    people = {m.person_id for m in members}
    for session in convenings:
        assert people <= set(invitees(session).values_list("pk", flat=True))
        if session.local_date < TODAY:
            assert session.notes and session.materials.exists() and session.takeaways.exists()
            marked = session.attendance.values_list("person", flat=True)
            assert set(marked) == people | set(cohort.facilitators.values_list("pk", flat=True))
            assert session.attendance.filter(status=Attendance.Status.PRESENT).count() > len(people) / 2
        else:
            assert not session.attendance.exists() and not session.takeaways.exists()
    assert not previous.convenings.filter(notes="").exists()
    # A teacher outside the network and the funder see none of it.
    for email in ("teacher@example.org", "funder@example.org"):
        outsider = scope_for(Person.objects.get(email=email))
        assert not sees_directory(outsider)
        assert not visible_sessions(outsider).filter(cohorts__isnull=False).exists()


def test_the_practice_library(demo: None) -> None:
    from tandem.access.scope import scope_for
    from tandem.inquiry.models import Cycle
    from tandem.practices.evidence import cycles_behind
    from tandem.practices.like_mine import like_mine
    from tandem.practices.models import Evidence, Practice, Trial
    from tandem.practices.search import Filters, find

    published = Practice.objects.filter(status=Practice.Status.PUBLISHED).prefetch_related("trials")
    assert 15 <= published.count() <= 20
    # Drafts by their authors (and the one the learning spaces made from a takeaway).
    drafts = Practice.objects.filter(status=Practice.Status.DRAFT)
    assert 3 <= drafts.count() <= 5 and drafts.filter(how="").count() == drafts.count()
    for p in published:
        assert p.summary and p.problem and p.how and p.tags.exists() and p.citations.exists(), p
        assert p.published_at is not None and p.created_at <= p.published_at <= p.updated_at, p
        trials = list(p.trials.all())
        assert [t.kind for t in trials].count(Trial.Kind.ORIGIN) == 1 and len(trials) >= 3, p
        assert all(t.story and t.grades for t in trials), p
    assert len(set(published.values_list("evidence", flat=True)) - {Evidence.UNRATED}) == 4
    assert published.filter(comments__isnull=False).distinct().count() == published.count()
    assert published.filter(attachments__isnull=False).exists()

    # Tried at partner schools and others, over several school years, with every kind of result.
    trials = Trial.objects.filter(practice__in=published)
    partner = trials.filter(school__partnership_memberships__isnull=False)
    assert partner.exists() and trials.exclude(pk__in=partner.values("pk")).exists()
    assert {2025, 2026, 2027} <= set(trials.values_list("school_year", flat=True))
    assert set(trials.values_list("result", flat=True)) == set(Trial.Result.values)
    assert trials.filter(groups__isnull=False).exists()

    # The cycles of inquiry that led to practices: the Cesar Chavez leadership team's completed chain.
    chavez = School.objects.get(name="Cesar Chavez Elementary")
    chain = set(Cycle.objects.filter(school=chavez, level="school", status="completed"))
    behind = {p.title: cycles_behind(p) for p in published}
    led = [title for title, cycles in behind.items() if set(cycles) & chain]
    assert len(led) == 2 and set().union(*(behind[t] for t in led)) == chain

    # Schools like mine: practices tried at the schools most like each demo principal's school,
    # and the network's principals there to contact.
    principal = Person.objects.get(email="principal@example.org")
    network = Person.objects.get(email="network@example.org")
    huerta = School.objects.get(name="Dolores Huerta Elementary")
    for person, school in ((principal, chavez), (network, huerta), (network, chavez)):
        found = like_mine(scope_for(person), school)
        assert len(found.practices) >= 5 and found.more > 0, (person, school)
        near = {p.school.pk for p in found.peers.peers[:8]}
        assert sum(1 for t in found.practices if {s.pk for s in t.schools} & near) >= 5
        assert found.sees_contacts and found.contacts
        assert all(m.school_id in {p.school.pk for p in found.peers.peers} for m in found.contacts)
        assert any(m.school_id in near for m in found.contacts)

    # Both principals' school pages show them.
    for person, school in ((principal, chavez), (network, huerta)):
        client = Client()
        client.force_login(person)
        page = client.get(reverse("orgs:school", args=[school.pk]))
        found = like_mine(scope_for(person), school)
        text = page.content.decode()
        assert page.status_code == 200 and "Schools like this one: what they tried" in text
        assert found.practices[0].practice.title in text and found.contacts[0].person.email in text

    # Full-text search finds the demo's practices, and drafts only for their author and the editors.
    scope = scope_for(principal)
    for words, title in (
        ("sentence frames", "Sentence frames and structured partner talk in integrated ELD"),
        ("guided reading", "Guided reading in small groups, with students doing the reading"),
        ('"number talks"', "Number talks to open every math block"),
        ("restorative circles", "Restorative circles in morning meeting"),
        ("chronic absence letters", "Personal outreach to families of chronically absent students"),
    ):
        found = list(find(scope, Filters(q=words)).values_list("title", flat=True))
        assert found and found[0] == title, (words, found)
    assert find(scope, Filters(q="sentence frames", like_school=chavez.pk)).exists()
    assert not find(scope, Filters(q="newcomer welcome week")).exists()
    assert find(scope_for(Person.objects.get(email="leader@example.org")), Filters(q="newcomer welcome week")).exists()
