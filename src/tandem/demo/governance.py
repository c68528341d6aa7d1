"""The demo network's governance: working groups, planning teams with appointed and elected seats,
their elections and the decisions log.

Twelve implementers who are not placed at a school site join the staff first: content, ELD, family
engagement and data specialists, each working across one district. With the sixteen partners placed
at partner schools they make up the electorate of the national planning team's implementer seats.

Four working groups, in every state a group goes through. The newcomer and English learner group
(the feed's team of that name, which it escalates a flag to) was formed five weeks ago from the
analyst's flag on newcomers missing from the dashboards, and is active: goals, members from both
regions and several teams, someone who joined since, and its sponsor's support log. A group on
partner time in classrooms has passed the end of its time box and waits for its review. A group on
math placement in the middle grades disbanded last school year, recording what it learned (one
member left it early, one joined late). A group on Black students' reading was reviewed and renewed
with a second round of goals, the first round's assessed; the demo's coach is a member.

The national planning team: four appointed seats held by the national leaders and the regional
directors, and four elected seats for implementers, with 24-month terms that rotate (one term in a
row) and are staggered: the two implementer seats open to every coach started four years before this
school year, the two for partners placed at a school site one year before. Every elected term since
comes from a counted election (single transferable vote, two seats each), and one term ended early.
The last one, in the spring before this school year, had five candidates (a sixth declined) and 24
ballots; in its count the second seat goes to a candidate who trailed on first preferences and
pulled ahead on transfers. The site seats' election for the terms starting next July is open now:
nominations closed a few days ago and voting is open, with a few ballots cast; the demo's coach is
eligible and has not voted. The Bay Area planning team is new: its elected partner seat starts next
July, and nominations for it are open (one candidate; one nominee has not answered yet).

Twelve decisions by the two teams and the groups, each with its rationale and the ground-level input
weighed, most linking the flags, tickets or cycles they came from, with follow-ups (some done).

Everything goes through governance's actions, with the story's time where they take one; their audit
entries, and the days follow-ups were done, are set back to when the story says.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Model
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import STAFF_ROLES, Role
from tandem.andon.feed.models import Post
from tandem.andon.helpdesk.models import Ticket
from tandem.core import school_years
from tandem.demo.feed import WORKING_GROUP_NAME
from tandem.demo.names import FIRST_NAMES, LAST_NAMES
from tandem.demo.timeline import dated, moment
from tandem.governance import actions, seats
from tandem.governance.models import (
    Election,
    FollowUp,
    GroupGoal,
    Nomination,
    PlanningTeam,
    Review,
    Seat,
    Support,
    Term,
    WorkingGroup,
)
from tandem.inquiry.models import Cycle
from tandem.orgs.models import District, Person, Team, TeamMembership

ELECTED, APPOINTED = Seat.Kind.ELECTED, Seat.Kind.APPOINTED
MET, PARTLY, NOT_MET = GroupGoal.Assessment.MET, GroupGoal.Assessment.PARTLY, GroupGoal.Assessment.NOT_MET

# Implementers working across a district, not placed at a school: (key, title, district's key).
SPECIALISTS = [
    ("eld_bay", "ELD specialist", "bayview"),
    ("math_bay", "Math content partner", "bayview"),
    ("lit_bay", "Literacy content partner", "bayview"),
    ("lead_bay", "Leadership coach", "bayview"),
    ("family_es", "Family engagement partner", "eastshore"),
    ("inclusion_es", "Inclusion specialist", "eastshore"),
    ("data_es", "Data coach", "eastshore"),
    ("eld_vv", "ELD specialist", "valle"),
    ("math_vv", "Math content partner", "valle"),
    ("family_vv", "Family engagement partner", "valle"),
    ("newcomer_vv", "Newcomer programs specialist", "valle"),
    ("lit_vv", "Literacy content partner", "valle"),
]
DISTRICTS = {"bayview": "Bayview Unified", "eastshore": "Eastshore Unified", "valle": "Valle Verde Unified"}

# The partners placed at schools, known to the demo by a flag each raised in the staff feed.
RAISED = {
    "p_bv0": "No adult at the side gate",
    "p_bv1": "Designated ELD cut for test prep",
    "p_bv2": "The new phonics block leaves no time for ELD",
    "p_mid0": "No coverage for teachers to attend coaching debriefs",
    "p_mid1": "Chromebook carts not charged",
    "p_huerta": "Dual-language teachers get coaching feedback",
    "p_es0": "Lockdown browser fails",
    "p_es1": "Eastshore wants to cut partner days",
    "p_es2": "Family engagement nights draw almost no",
    "p_vv0": "Students in temporary housing",
    "p_vv1": "Long-term English learners are stuck",
    "p_vv2": "Late buses cut after-school tutoring",
}

# Elections are opened by hand this many days before the terms start.
OPENS_BEFORE = 80
# A candidate: (who, statement, nominated by, or None when they nominated themselves).
Candidate = tuple[str, str, str | None]


@dataclass
class _Vote:
    """An election's ballots: each a ranking of the candidates by their place in the list."""

    rankings: list[tuple[int, ...]]
    voters: list[Person]


def load(today: datetime.date, domain: str) -> None:
    """Governance as it stands on `today`, the demo's day."""
    # As the feed does: nothing is dated after the organization's local day, and the demo's day
    # has only just begun.
    today = min(today, timezone.localdate())
    story = _Governance(random.Random("governance"), today, domain)
    story.national_team()
    story.bay_area_team()
    story.working_groups()
    story.team_decisions()


class _Governance:
    def __init__(self, rng: random.Random, today: datetime.date, domain: str) -> None:
        self.rng = rng
        self.today = today
        self.end = moment(today, "00:00")
        # This school year's terms started on 1 July.
        self.july = school_years.span(school_years.current(today))[0]
        specialists = _specialists(rng, domain, self.july)
        # One Person object per person, so that each one's scope is worked out once.
        staff = RoleAssignment.objects.filter(role__in=STAFF_ROLES).values("person")
        self.people = {p.pk: p for p in Person.objects.filter(pk__in=staff).order_by("pk")}
        by_email = {p.email: p for p in self.people.values()}
        cast = {name: by_email[f"{name}@{domain}"] for name in ("leader", "admin", "director", "coach", "analyst")}
        titled = {p.title: p for p in self.people.values() if p.pk != cast["leader"].pk}
        cast["ceo"] = titled["Chief executive officer"]
        cast["learning"] = titled["Director of learning"]
        cast["valley"] = next(
            self.people[ra.person_id]
            for ra in RoleAssignment.objects.filter(role=Role.REGIONAL_DIRECTOR).order_by("pk")
            if ra.person_id != cast["director"].pk
        )
        cast.update({key: self.people[pk] for key, pk in specialists.items()})
        flags = list(Post.objects.filter(kind=Post.Kind.FLAG).order_by("created_at"))
        for key, title in RAISED.items():
            cast[key] = self.people[next(f.author_id for f in flags if f.title.startswith(title))]
        self.cast = cast

    def __getitem__(self, key: str) -> Person:
        return self.cast[key]

    def day(self, days_ago: int) -> datetime.date:
        return self.today - datetime.timedelta(days=days_ago)

    def at(self, days_ago: int, time: str) -> datetime.datetime:
        return moment(self.day(days_ago), time)

    # -- ground-level input --------------------------------------------------------------------

    def inputs(self, *names: str) -> list[Model]:
        """Posts by the start of their title, tickets by subject and cycles by title; what a demo
        built without them lacks is left out."""
        found: list[Model] = []
        for name in names:
            kind, _, text = name.partition(":")
            target: Model | None
            if kind == "post":
                target = Post.objects.filter(title__startswith=text).order_by("pk").first()
            elif kind == "ticket":
                target = Ticket.objects.filter(subject=text).order_by("pk").first()
            else:
                target = Cycle.objects.filter(title=text).order_by("pk").first()
            if target is not None:
                found.append(target)
        return found

    # -- the national planning team ------------------------------------------------------------

    def national_team(self) -> None:
        july, leader = self.july, self["leader"]
        first = _years(july, -4)
        with dated(moment(first - datetime.timedelta(days=120), "10:00")):
            team = actions.do_save_team(
                leader,
                PlanningTeam(
                    name="National planning team",
                    purpose="Sets the network's strategy each year: which partnerships we take on, our program "
                    "priorities and how partner time is spent. Four seats are held by the national leaders and "
                    "the regional directors; four rotating seats are elected by the implementers, so that the "
                    "people in schools every day decide the strategy with them.",
                ),
            )
            appointed = {
                name: actions.do_save_seat(
                    leader,
                    Seat(
                        team=team,
                        name=name,
                        kind=APPOINTED,
                        term_months=24,
                        first_term_starts=first,
                        max_consecutive_terms=rotation,
                    ),
                )
                for name, rotation in (
                    ("Chief executive officer", 10),
                    ("Chief program officer", 10),
                    ("Director of learning", 10),
                    ("Regional directors' seat", 1),
                )
            }
            open_seats = [
                actions.do_save_seat(
                    leader,
                    Seat(
                        team=team,
                        name=name,
                        kind=ELECTED,
                        eligible_roles=[Role.COACH],
                        term_months=24,
                        first_term_starts=first,
                    ),
                )
                for name in ("Implementer seat A", "Implementer seat B")
            ]
        holders = {
            "Chief executive officer": ("ceo", "ceo", "ceo"),
            "Chief program officer": ("leader", "leader", "leader"),
            "Director of learning": ("learning", "learning", "learning"),
            "Regional directors' seat": ("valley", "director", "valley"),
        }
        for name, who in holders.items():
            for n, key in enumerate(who):
                starts = _years(first, 2 * n)
                with dated(moment(starts - datetime.timedelta(days=30), "10:30")):
                    actions.do_appoint(leader, appointed[name], self[key], starts)

        # Four years ago: the first implementers, one of whom stepped down after a year.
        self.election(
            team,
            open_seats,
            first,
            [
                ("eld_bay", "Twelve years teaching newcomers in Bayview. I'll bring what ELD teachers tell me.", None),
                ("p_huerta", "I want the partners' week to be planned with partners.", "director"),
                ("family_es", "Families should hear about our strategy before it is final.", None),
            ],
            _Vote(
                [(0, 1)] * 3 + [(0, 2)] + [(1, 0)] * 2 + [(2, 1), (2,)],
                self.electorate(open_seats, _voting(first)),
            ),
        )
        early = Term.objects.get(seat=open_seats[1], starts_on=first)
        left = _years(first, 1) + datetime.timedelta(days=92)
        with dated(moment(left, "16:00")):
            actions.do_end_term_early(
                leader, early, left, "Became the lead partner of the Eastshore literacy partnership full time."
            )
        # Two years ago.
        self.election(
            team,
            open_seats,
            _years(first, 2),
            [
                ("p_bv0", "Partner time is our strategy. I'll ask of every plan what it does to it.", None),
                ("data_es", "Every decision here should say which students' data it rests on.", None),
                ("math_vv", "The Central Valley needs a voice at this table; I'd like to be it.", None),
            ],
            _Vote(
                [(0, 1)] * 3 + [(0,)] + [(1, 2)] * 2 + [(1, 0)] * 2 + [(2, 0)],
                self.electorate(open_seats, _voting(_years(first, 2))),
            ),
        )
        # Last spring, for the terms that started this July: five candidates, one declined.
        self.election(
            team,
            open_seats,
            july,
            [
                (
                    "p_vv1",
                    "Our long-term English learners are stuck at level 3 and our plans barely mention them. I'll "
                    "bring the Central Valley partners' questions to every meeting and report back after each one.",
                    None,
                ),
                (
                    "p_es1",
                    "Partner days are under pressure in every renewal. I'll make sure the team hears from the "
                    "classrooms where the third day made the difference before it trades any of them away.",
                    "p_es2",
                ),
                (
                    "eld_bay",
                    "I held this seat four years ago. What I learned: the team listens when we bring student work, "
                    "not opinions. I'd like to do it again.",
                    None,
                ),
                (
                    "p_mid1",
                    "Middle school partners are few and our students are the ones falling through. I'll speak for "
                    "grades 6 to 8.",
                    None,
                ),
                ("family_vv", "Families, in their own languages, should shape what we decide.", None),
            ],
            # First preferences 10, 4, 6, 3 and 1: the quota is 9. The first candidate's surplus and
            # the last two's exclusions carry the second past the third, who led on first preferences.
            _Vote(
                [(0, 1, 3)] * 5
                + [(0, 2)] * 3
                + [(0,)] * 2
                + [(2, 0)] * 2
                + [(2, 4)]
                + [(2,)] * 3
                + [(1, 3)] * 2
                + [(1, 0)] * 2
                + [(3, 1)] * 2
                + [(3, 2)]
                + [(4, 3, 1)],
                self.electorate(open_seats, _voting(july), include=self["coach"]),
            ),
            declined=[("p_vv2", "director")],
        )

        # The site seats, added two years ago (see the team's first decision below).
        site_start = _years(july, -1)
        self.national = team
        with dated(moment(site_start - datetime.timedelta(days=140), "11:00")):
            site_seats = [
                actions.do_save_seat(
                    leader,
                    Seat(
                        team=team,
                        name=name,
                        kind=ELECTED,
                        eligible_roles=[Role.COACH],
                        site_staff_only=True,
                        term_months=24,
                        first_term_starts=site_start,
                    ),
                )
                for name in ("Site-based partner seat A", "Site-based partner seat B")
            ]
        self.election(
            team,
            site_seats,
            site_start,
            [
                ("p_bv1", "I'm at my schools four days a week. I'll bring what I see there, unfiltered.", None),
                ("p_es0", "I want our planning to start from the school calendar, not fight it.", None),
                ("p_huerta", "Dual-language classrooms need a voice in how we coach.", None),
            ],
            _Vote(
                [(0, 2)] * 3 + [(1, 0)] * 2 + [(1, 2)] + [(2, 1)] * 2,
                self.electorate(site_seats, _voting(site_start)),
            ),
        )
        # Now: the site seats' terms from next July. Voting opened a few days ago.
        into_voting = max(1, min(3, settings.GOVERNANCE_VOTING_DAYS // 2))
        opened = self.at(settings.GOVERNANCE_NOMINATION_DAYS + into_voting, "08:30")
        voters = [p for p in self.electorate(site_seats, self.today) if p.pk != self["coach"].pk]
        self.election(
            team,
            site_seats,
            _years(july, 1),
            [
                (
                    "p_mid0",
                    "Teachers at my schools can't leave class for a debrief. I'll push for plans that fit the "
                    "school day as it really is.",
                    None,
                ),
                (
                    "p_es2",
                    "Spanish-speaking families don't come to our family nights. I'll bring their voice, and the "
                    "interpreters, into what we plan.",
                    "p_es1",
                ),
                (
                    "p_vv2",
                    "When the late bus went, tutoring went with it. I'll ask of every plan who it leaves out.",
                    None,
                ),
                (
                    "p_bv2",
                    "ELD keeps losing minutes to new programs. I want the team to protect it in every plan.",
                    None,
                ),
            ],
            _Vote([(2, 0, 1), (0, 3), (1, 2), (2, 1), (3, 0, 2)], voters),
            opened=opened,
            count=False,
        )

    def electorate(self, chosen: list[Seat], day: datetime.date, include: Person | None = None) -> list[Person]:
        """Who may vote for the seats on `day`, in a fixed random order, with `include` among the
        first."""
        pks = sorted({pk for seat in chosen for pk in seats.eligible(seat, day).values_list("pk", flat=True)})
        self.rng.shuffle(pks)
        if include is not None and include.pk in pks:
            pks.remove(include.pk)
            pks.insert(3, include.pk)
        return [self.people[pk] for pk in pks]

    def election(
        self,
        team: PlanningTeam,
        chosen: list[Seat],
        term_starts: datetime.date,
        candidates: list[Candidate],
        vote: _Vote,
        *,
        declined: list[tuple[str, str]] | None = None,
        opened: datetime.datetime | None = None,
        count: bool = True,
    ) -> Election:
        """Open an election (by default 80 days before the terms start), take the nominations and
        votes in their windows, spread out, and count it once voting has closed."""
        opened = opened or moment(term_starts - datetime.timedelta(days=OPENS_BEFORE), "09:00")
        with dated(opened):
            election = actions.do_open_election(self["leader"], team, chosen, term_starts, now=opened)
        entries = [(who, statement, by, True) for who, statement, by in candidates]
        entries += [(who, "", by, False) for who, by in declined or []]
        closes = min(election.nominations_close, self.end)
        times = _spread(opened, closes, len(entries), self.rng)
        standing: list[Nomination] = []
        for (who, statement, by, accepts), at in zip(entries, times, strict=False):
            nominee = self[who]
            with dated(at):
                if by is None:
                    standing.append(actions.do_nominate(nominee, election, nominee, statement, now=at))
                    continue
                nomination = actions.do_nominate(self[by], election, nominee, now=at)
            answered = min(at + datetime.timedelta(hours=5), closes - datetime.timedelta(minutes=5))
            with dated(answered):
                actions.do_answer_nomination(nominee, nomination, accepts, statement, now=answered)
            if accepts:
                standing.append(nomination)
        rankings = vote.rankings[: len(vote.voters)]
        times = _spread(election.voting_open, min(election.voting_close, self.end), len(rankings), self.rng)
        for voter, ranking, at in zip(vote.voters, rankings, times, strict=False):
            with dated(at):
                actions.do_vote(voter, election, [standing[i].pk for i in ranking], now=at)
        if count:
            counted = moment(timezone.localdate(election.voting_close) + datetime.timedelta(days=1), "09:15")
            with dated(counted):
                actions.do_count(self["leader"], election, now=counted)
        return election

    # -- the Bay Area planning team ------------------------------------------------------------

    def bay_area_team(self) -> None:
        leader, july = self["leader"], self.july
        with dated(moment(july - datetime.timedelta(days=45), "10:00")):
            team = actions.do_save_team(
                leader,
                PlanningTeam(
                    name="Bay Area planning team",
                    purpose="Plans the Bay Area's partnership year: which schools, which priorities, and how "
                    "partner time and specialists are shared across Bayview and Eastshore.",
                ),
            )
            director = actions.do_save_seat(
                leader,
                Seat(
                    team=team,
                    name="Regional executive director",
                    kind=APPOINTED,
                    term_months=12,
                    first_term_starts=july,
                ),
            )
            content = actions.do_save_seat(
                leader,
                Seat(team=team, name="Content lead", kind=APPOINTED, term_months=12, first_term_starts=july),
            )
            elected = actions.do_save_seat(
                leader,
                Seat(
                    team=team,
                    name="Bay Area partner seat",
                    kind=ELECTED,
                    eligible_roles=[Role.COACH],
                    site_staff_only=True,
                    term_months=12,
                    first_term_starts=_years(july, 1),
                ),
            )
        with dated(moment(july - datetime.timedelta(days=40), "10:00")):
            actions.do_appoint(leader, director, self["director"], july)
            actions.do_appoint(leader, content, self["lit_bay"], july)
        self.bay_area = team
        # Nominations open for the partner seat's first term: one candidate so far, one nominee who
        # has not answered yet. The demo's coach may still stand.
        self.election(
            team,
            [elected],
            _years(july, 1),
            [
                (
                    "p_bv0",
                    "The Bay Area plan is written before partners see it. I'd like partners to write the first "
                    "draft of the partner-time section.",
                    None,
                )
            ],
            _Vote([], []),
            opened=self.at(4, "10:00"),
            count=False,
        )
        pending = self.at(2, "13:40")
        with dated(pending):
            election = team.elections.get()
            actions.do_nominate(self["director"], election, self["p_mid1"], now=pending)

    # -- working groups ------------------------------------------------------------------------

    def working_groups(self) -> None:
        self.newcomer_group()
        self.partner_time_group()
        self.placement_group()
        self.reading_group()

    def form(
        self,
        by: str,
        days_ago: int,
        fields: dict[str, object],
        goals: list[str],
        members: list[str],
        inputs: list[Model] | None = None,
    ) -> WorkingGroup:
        formed = self.at(days_ago, "15:00")
        fields = {**fields, "starts_on": formed.date(), "sponsor": self[str(fields["sponsor"])]}
        with dated(formed):
            return actions.do_form_group(
                self[by], fields, goals=goals, members=[self[m] for m in members], inputs=inputs, now=formed
            )

    def support(self, group: WorkingGroup, entries: list[tuple[int, str, str]]) -> None:
        for days_ago, kind, text in entries:
            with dated(self.at(days_ago, "12:00")):
                actions.do_log_support(self.sponsor(group), group, kind, text, on=self.day(days_ago))

    def sponsor(self, group: WorkingGroup) -> Person:
        return self.people[group.sponsor_id]

    def membership(self, group: WorkingGroup, who: str, days_ago: int, joins: bool, because: str) -> None:
        with dated(self.at(days_ago, "09:30")):
            actions.do_change_membership(
                self.sponsor(group), group, self[who], joins=joins, because=because, on=self.day(days_ago)
            )

    def review(
        self,
        group: WorkingGroup,
        days_ago: int,
        assessed: list[tuple[str, str]],
        outcome: str,
        learned: str = "",
        new_goals: list[str] | None = None,
        new_ends_on: datetime.date | None = None,
    ) -> None:
        goals = group.goals.filter(round=group.round).order_by("pk")
        assessments = {goal.pk: a for goal, a in zip(goals, assessed, strict=True)}
        with dated(self.at(days_ago, "16:30")):
            actions.do_review(
                self.sponsor(group),
                group,
                assessments,
                outcome,
                learned=learned,
                new_goals=new_goals,
                new_ends_on=new_ends_on,
                today=self.day(days_ago),
            )

    def newcomer_group(self) -> WorkingGroup:
        """The group the feed escalates the analyst's flag to, formed from it two days after."""
        team = Team.objects.filter(name=WORKING_GROUP_NAME).first()
        founding = ["valley", "analyst", "p_vv1", "p_huerta", "p_mid0"]
        if team is not None:
            keys = {p.pk: k for k, p in self.cast.items()}
            joined = TeamMembership.objects.filter(team=team).exclude(role="Lead").order_by("pk")
            founding = [keys[m.person_id] for m in joined if m.person_id in keys]
        group = self.form(
            "learning",
            34,
            {
                "name": WORKING_GROUP_NAME,
                "misalignment": "Our strategy starts from the students furthest from opportunity, but newcomers are "
                "invisible in the data partners use until the spring file, wait weeks for ELD placement, and miss "
                "the supports (breakfast, tutoring, interpreters) built for the English learners already here.",
                "purpose": "Look at what newcomers and English learners meet in our partner schools and propose what "
                "the network changes, starting with the data partners see and how fast newcomers get ELD.",
                "sponsor": "learning",
                "ends_on": self.day(34 - 150),
            },
            [
                "Partners see every newcomer on their school's page within two weeks of enrollment.",
                "ELD placement within five school days of enrollment at the three pilot schools.",
                "A newcomer intake one-pager for partners and front offices, in Spanish and Hmong as well.",
            ],
            founding,
            self.inputs(
                "post:Newcomer students missing from the dashboards",
                "post:Bus route change means newcomer students miss breakfast",
            ),
        )
        self.membership(
            group, "newcomer_vv", 12, True, "Runs Valle Verde's newcomer intake; brings the district's process."
        )
        self.support(
            group,
            [
                (
                    30,
                    Support.Kind.QUESTION,
                    "What does a partner need to know about a newcomer in the first month: the day they enrolled, "
                    "their initial ELPAC, their home language, their schooling before they came?",
                ),
                (
                    26,
                    Support.Kind.RESOURCE,
                    "Two days a month of the analyst's time for the newcomer file, and an introduction to Valle "
                    "Verde's English learner office.",
                ),
                (
                    19,
                    Support.Kind.ADVICE,
                    "Start with the three schools with the most newcomers and get it right there before building "
                    "it for the whole network.",
                ),
                (
                    12,
                    Support.Kind.DECISION,
                    "Students' names stay off the newcomer lists printed for data dives; partners see names on "
                    "the school's page only.",
                ),
                (
                    5,
                    Support.Kind.QUESTION,
                    "Of the three weeks newcomers wait for ELD placement, how much is the district's testing and "
                    "how much is scheduling?",
                ),
            ],
        )
        self.decision(
            group,
            "analyst",
            20,
            "Newcomers on the school pages from their first week",
            "Load each district's monthly enrollment file and show newcomers on the school pages from the week "
            "they enroll, with their initial ELPAC level once it is in; the spring file only confirms them.",
            "Partners plan their first data dives in October, before the spring file: newcomers are the students "
            "they most need to see and the ones missing. Two districts already send a monthly file for "
            "attendance; the third agreed to.",
            "The analyst's flag (40 newcomers missing at two schools), the fall's flag on reclassified students "
            "counted as English learners, and what partners at Dolores Huerta and Valle Verde look for first.",
            [
                "post:Newcomer students missing from the dashboards",
                "post:Dashboard counts reclassified students as English learners",
            ],
            [
                ("Load Valle Verde's monthly enrollment file", "analyst", 10, 8),
                ("Draft the newcomer intake one-pager with the front offices", "p_huerta", -14, None),
            ],
        )
        self.decision(
            group,
            "valley",
            3,
            "ELD placement within five school days",
            "Ask the three pilot schools to place newcomers in designated ELD within five school days of "
            "enrollment, on the initial ELPAC or the district's screener if the ELPAC is not back yet.",
            "Newcomers at Marshall Elementary wait three weeks for placement; most of that is waiting for the "
            "test to be scored, which the screener avoids. Bayview's designated ELD cycle shows the daily block "
            "works when students are in it.",
            "The flag on three-week waits for ELD placement, and Bayview's district cycle on designated ELD.",
            [
                "post:Newcomer students wait three weeks for ELD placement",
                "cycle:Designated ELD every day in partner elementary schools",
            ],
            [("Ask Valle Verde's English learner office for its placement timeline", "valley", -10, None)],
        )
        return group

    def partner_time_group(self) -> WorkingGroup:
        """A six-week sprint whose time box ended last week: due for review."""
        group = self.form(
            "leader",
            50,
            {
                "name": "Partner time in classrooms",
                "misalignment": "The strategy puts partners in classrooms three days a week, co-planning and "
                "coaching; in practice partner days are cancelled for district PD, teachers cannot leave class "
                "for debriefs, and our own meetings land on school days.",
                "purpose": "Count the partner time lost and why, and agree with the districts and our own calendar "
                "what protects it.",
                "sponsor": "ceo",
                "ends_on": self.day(8),
            },
            [
                "Log every cancelled or shortened partner day for six weeks, with the reason.",
                "Coverage for teachers' coaching debriefs at every partner school.",
                "No network meetings on partner days from January.",
            ],
            ["director", "p_mid0", "p_es1", "admin", "p_vv0", "lead_bay"],
            self.inputs("post:No coverage for teachers to attend coaching debriefs"),
        )
        self.support(
            group,
            [
                (
                    45,
                    Support.Kind.RESOURCE,
                    "Up to four substitute days per partner school a semester for debrief coverage, from the "
                    "operations budget.",
                ),
                (
                    25,
                    Support.Kind.ADVICE,
                    "Bring the districts' spring PD calendars before proposing anything about partner days.",
                ),
                (
                    10,
                    Support.Kind.QUESTION,
                    "How many partner days did we lose in the six weeks, and to what? The review needs the number.",
                ),
            ],
        )
        self.decision(
            group,
            "admin",
            30,
            "Substitutes for coaching debriefs",
            "Reimburse partner schools for substitute cover so teachers can attend their coaching debriefs, up "
            "to four days a school each semester.",
            "Debriefs after observations are where coaching turns into practice; without cover they happen at "
            "lunch or not at all.",
            "The flag on coverage for debriefs, and the coaching logs: a third of debriefs last fall were "
            "skipped or under ten minutes.",
            ["post:No coverage for teachers to attend coaching debriefs"],
            [("Add debrief cover to the substitute reimbursement form", "admin", 28, 27)],
        )
        self.decision(
            group,
            "director",
            15,
            "No network meetings on partner days",
            "From January, whole-group learning and leadership meetings move off the days partners are in "
            "schools; each region publishes its partner days with the district PD calendar beside them.",
            "Our own calendar took as many partner days this fall as the districts' PD did.",
            "The flags on double-booked partners and on partner days cancelled for district PD.",
            [
                "post:Partners double-booked for whole-group learning",
                "post:Partner days keep getting cancelled for district PD",
            ],
            [
                ("Publish the Bay Area's spring partner days beside the district PD calendars", "director", 5, 6),
                ("Move Approach Essentials off partner days", "learning", -20, None),
            ],
        )
        return group

    def placement_group(self) -> WorkingGroup:
        """Last school year: reviewed and disbanded, with what it learned."""
        group = self.form(
            "leader",
            420,
            {
                "name": "Math placement in the middle grades",
                "misalignment": "Our strategy says every student learns grade-level math; in Bayview's middle "
                "grades, English learners and Black students are placed in a below-grade-level course twice as "
                "often as classmates with the same scores.",
                "purpose": "Find out how placement decisions are made at the two middle schools and pilot placement "
                "by multiple measures.",
                "sponsor": "leader",
                "ends_on": self.day(240),
            },
            [
                "Placement by race, language and income for both middle schools, with last year's scores beside it.",
                "Pilot placement by multiple measures at one middle school for the spring term.",
                "Every student in a grade-level course, with support, by the fall.",
            ],
            ["p_mid0", "p_mid1", "math_bay", "p_bv2"],
        )
        self.membership(group, "analyst", 395, True, "To pull placement and prior scores by student group.")
        self.support(
            group,
            [
                (400, Support.Kind.QUESTION, "Who decides placement today: counselors, teachers, or the schedule?"),
                (
                    330,
                    Support.Kind.DECISION,
                    "The pilot runs at one school only, in grade 7, so it does not wait on the district.",
                ),
            ],
        )
        self.decision(
            group,
            "math_bay",
            325,
            "Pilot placement by multiple measures in grade 7",
            "Place grade 7 students at one middle school for the spring term on last year's score, classwork and "
            "teacher recommendation together, with a support block for students moved up.",
            "Placement by last year's score alone put English learners below grade level even when their "
            "classwork was at it.",
            "The placement data by student group the analyst pulled for both schools.",
            [],
            [("Agree the support block with the pilot school's principal", "math_bay", 318, 316)],
        )
        self.membership(
            group, "p_mid1", 300, False, "Took on a second school mid-year and could not keep the Thursday meetings."
        )
        self.review(
            group,
            235,
            [
                (MET, "Done for both schools by November; principals now ask for it each term."),
                (PARTLY, "Piloted at one school, for grade 7 only."),
                (NOT_MET, "The district set the fall's master schedule in February, before the pilot ended."),
            ],
            outcome=Review.Outcome.DISBAND,
            learned="Placement follows the master schedule, which the district sets in February; a group of "
            "partners cannot change it. What worked: placement data by student group changed the conversation "
            "with principals, and the pilot school kept multiple measures for grade 7. What carries on: the math "
            "content partner takes placement to Bayview's planning meetings with the district, and any next try "
            "starts with the district's scheduling office at the table.",
        )
        return group

    def reading_group(self) -> WorkingGroup:
        """Renewed at its review last spring with a second round of goals."""
        group = self.form(
            "leader",
            330,
            {
                "name": "Black students' reading in Bay Area schools",
                "misalignment": "The strategy names Black students' reading beside English learners', but school "
                "plans, data dives and coaching cycles in the Bay Area look at English learners and all students; "
                "Black students' reading growth in our partner schools has not moved in three years.",
                "purpose": "Make Black students' reading visible in every Bay Area partner school's data routines, "
                "and try two changes: in classrooms and with families.",
                "sponsor": "director",
                "ends_on": self.day(130),
            },
            [
                "Every Bay Area partner school's data dive shows Black students' reading results beside all students'.",
                "Culturally sustaining text sets in grades 3 to 5 at three pilot schools.",
                "A family reading advisory of Black parents at two schools.",
            ],
            ["coach", "p_bv1", "p_es0", "analyst", "lit_bay"],
        )
        self.support(
            group,
            [
                (320, Support.Kind.RESOURCE, "Budget for classroom text sets at three schools."),
                (
                    250,
                    Support.Kind.ADVICE,
                    "Ask the principals to host the family advisory; it should not be ours alone.",
                ),
            ],
        )
        self.decision(
            group,
            "analyst",
            300,
            "Black students' results beside all students' in every data dive",
            "The one-page snapshot for every Bay Area data dive shows Black students' reading results beside all "
            "students' and English learners', by default.",
            "What a data dive does not show, a school plan does not address.",
            "Three years of reading results by student group in the Bay Area partner schools.",
            [],
            [("Add the group to the snapshot's default", "analyst", 290, 293)],
        )
        self.review(
            group,
            128,
            [
                (MET, "All nine schools by March; the snapshot shows the group by default."),
                (PARTLY, "Two of three schools; the third waited on the district's book order."),
                (NOT_MET, "One meeting at Cesar Chavez; the second school had no one to host it."),
            ],
            outcome=Review.Outcome.RENEW,
            new_goals=[
                "Text sets in every Bay Area partner elementary school, with partners coaching their use in small "
                "groups.",
                "The family reading advisory meets monthly at Cesar Chavez Elementary, hosted with the principal.",
                "Black students' reading growth on page one of every Bay Area report to boards and districts.",
            ],
            new_ends_on=self.day(-100),
        )
        self.decision(
            group,
            "coach",
            1,
            "Black students' reading growth on page one of the winter board report",
            "Ask for the winter board report to lead with all students and the gaps beside them, with the Bay "
            "Area's Black students' reading growth on page one.",
            "The round's third goal; a board that sees the growth asks about it.",
            "The analyst's question on the winter board report and the answers in the feed.",
            ["post:Winter board report: which student groups up front?"],
            [("Draft page one with the Bay Area's Black students' growth", "analyst", -7, None)],
        )
        return group

    # -- decisions -----------------------------------------------------------------------------

    def decision(
        self,
        body: PlanningTeam | WorkingGroup,
        by: str,
        days_ago: int,
        title: str,
        decision: str,
        rationale: str,
        input_considered: str,
        inputs: list[str],
        follow_ups: list[tuple[str, str, int, int | None]],
    ) -> None:
        """Record a decision; each follow-up: (what, whose, due days ago, done days ago or None)."""
        at = self.at(days_ago, "17:10")
        with dated(at):
            recorded = actions.do_record_decision(
                self[by],
                {
                    "title": title,
                    "decided_on": at.date(),
                    "decision": decision,
                    "rationale": rationale,
                    "input_considered": input_considered,
                },
                inputs=self.inputs(*inputs),
                follow_ups=[(text, self[owner], self.day(due)) for text, owner, due, _ in follow_ups],
                now=at,
                team=body if isinstance(body, PlanningTeam) else None,
                group=body if isinstance(body, WorkingGroup) else None,
            )
        for follow_up, (_, owner, _, done) in zip(recorded.follow_ups.order_by("pk"), follow_ups, strict=True):
            if done is None:
                continue
            with dated(self.at(done, "11:00")):
                actions.do_follow_up_done(self[owner], follow_up)
            FollowUp.objects.filter(pk=follow_up.pk).update(done_on=self.day(done))

    def holder(self, key: str, days_ago: int) -> str:
        """Who records a team's decision: `key`, whose term started this July, from then on; a
        leader before."""
        return key if self.day(days_ago) >= self.july else "leader"

    def team_decisions(self) -> None:
        july, team = self.july, self.national
        since = (self.today - _years(july, -1)).days
        self.decision(
            team,
            "leader",
            since + 150,
            "Two seats for partners placed at school sites",
            "Add two elected seats for partners placed at a school site, with terms from next July, staggered a "
            "year from the two implementer seats.",
            "Half the team's agenda is about what happens in partner schools; the partners placed at schools "
            "asked for seats of their own beside the specialists who work across a district.",
            "The partners' survey on the planning process, and the implementer members' own proposal.",
            [],
            [("Set up the seats and their first election", "admin", since + 100, since + 141)],
        )
        self.decision(
            team,
            self.holder("p_vv1", 40),
            40,
            "Keep three partner days a week in the Eastshore renewal",
            "Go into the Eastshore cohort renewal proposing three partner days a week, with two as the fallback "
            "only for the schools in their last year.",
            "The third-grade reading gains at the cohort schools came with the third day, when partners co-plan "
            "the small-group block; the team would rather serve fewer schools well.",
            "The flag from the cohort's partners, and the analyst's reading gains by days of partner time.",
            ["post:Eastshore wants to cut partner days"],
            [
                ("Show third-grade reading gains by days of partner time at the cohort schools", "analyst", 33, 31),
                ("Meet Eastshore's assistant superintendent with the cohort principals", "ceo", -20, None),
            ],
        )
        self.decision(
            team,
            self.holder("p_vv1", 30),
            30,
            "Intervention inside the school day",
            "Plan reading intervention and tutoring inside the school day at every partner school; anything after "
            "school or on Saturdays is extra, never the plan.",
            "Twice this year the students an intervention was for could not come: the Saturday academy (families "
            "work Saturdays) and after-school tutoring once the late bus was cut.",
            "The Central Valley flag on late buses, and the Bay Area's closed cycle on the Saturday academy.",
            ["post:Late buses cut after-school tutoring", "cycle:Saturday reading academy"],
            [("Check each partner school's winter schedule for an intervention block", "learning", 10, 12)],
        )
        self.decision(
            team,
            self.holder("p_vv1", 8),
            8,
            "English learners' progress first on every school page",
            "Put English learners' ELPAC progress and the gap to fluent English speakers at the top of every "
            "partner school's page, with long-term English learners shown apart.",
            "The network's cycle on the English learner gap starts from these numbers; partners should meet them "
            "first, not three clicks down.",
            "The network cycle on the English learner gap, the flag on long-term English learners stuck at level "
            "3, and the help desk ticket on English learner targets.",
            [
                "cycle:Close the ELA gap for English learners across the network",
                "post:Long-term English learners are stuck",
                "ticket:English learner targets look wrong",
            ],
            [("Redesign the school page's first panel", "analyst", -30, None)],
        )
        self.decision(
            self.bay_area,
            self.holder("director", 21),
            21,
            "Interpreters at every family data night",
            "Book Spanish interpreters (and Cantonese and Vietnamese where families ask) through the district for "
            "every family data night at Bay Area partner schools.",
            "Family nights in English draw almost no Spanish-speaking parents; the district pays for interpreters "
            "when booked two weeks ahead.",
            "The flag on family nights, and the idea of booking interpreters through the district.",
            [
                "post:Family engagement nights draw almost no",
                "post:Family interpreters at every data night",
            ],
            [("Send each school the district's interpreter booking form", "p_es2", 14, 15)],
        )


def _specialists(rng: random.Random, domain: str, july: datetime.date) -> dict[str, int]:
    """The implementers who work across a district rather than at a school site, by their keys."""
    used = set(Person.objects.values_list("full_name", flat=True))
    # The same password as every demo login, hashed once by the loader.
    password = Person.objects.filter(email=f"coach@{domain}").values_list("password", flat=True).get()
    districts = {d.name: d for d in District.objects.filter(name__in=DISTRICTS.values()).select_related("region")}
    teams = {t.region_id: t for t in Team.objects.filter(kind=Team.Kind.REGIONAL)}
    grants, members, made = [], [], {}
    for n, (name, title, key) in enumerate(SPECIALISTS):
        while (full := f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}") in used:
            pass
        used.add(full)
        district = districts[DISTRICTS[key]]
        person = Person.objects.create(
            email=f"{full.lower().replace(' ', '.')}@{domain}",
            full_name=full,
            title=f"{title}, {district.name}",
            password=password,
        )
        made[name] = person.pk
        grants.append(RoleAssignment(person=person, role=Role.COACH, district=district))
        if district.region_id in teams:
            joined = datetime.date(july.year - 1 - n % 5, 8, 1)
            members.append(TeamMembership(team=teams[district.region_id], person=person, joined_on=joined))
    RoleAssignment.objects.bulk_create(grants)
    TeamMembership.objects.bulk_create(members, ignore_conflicts=True)
    return made


def _voting(term_starts: datetime.date) -> datetime.date:
    """A day within the voting window of an election opened OPENS_BEFORE the terms start."""
    opened = OPENS_BEFORE - settings.GOVERNANCE_NOMINATION_DAYS
    return term_starts - datetime.timedelta(days=opened - settings.GOVERNANCE_VOTING_DAYS // 2)


def _years(day: datetime.date, years: int) -> datetime.date:
    return school_years.add_years(day, years)


def _spread(start: datetime.datetime, end: datetime.datetime, n: int, rng: random.Random) -> list[datetime.datetime]:
    """`n` moments spread out over the days between `start` and `end`, each in working hours
    where that day allows."""
    step = (end - start) / (n + 1)
    times = []
    for i in range(n):
        at = (start + step * (i + 1)).replace(second=0, microsecond=0)
        moved = moment(timezone.localdate(at), f"{rng.randint(8, 17):02d}:{rng.randint(0, 59):02d}")
        times.append(moved if start < moved < end else at)
    return times
