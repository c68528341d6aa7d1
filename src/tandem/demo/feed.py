"""The demo network's staff feed: ten weeks of questions, ideas and flags before the demo's day.

About fifty posts by the organization's staff: partners (coaches) at the partner schools, the two
regional directors, the data analyst and the national leaders. Questions get answers, most of
them accepted; ideas get comments; and flags, where staff say the strategy is not working as
expected, are in every state. The latest few are still waiting to be acknowledged (some past their
target, so a leader's andon board has late items; two raised last night); others are acknowledged
or in progress (some for longer than settings.FEED_AGING_DAYS, so the board shows them aging);
most older ones are resolved, with what was done. Five went further: to the national leadership
team's cycle of inquiry on the English learner gap and to Bayview's designated ELD cycle (each
cycle shows it started from the flag), to a working group on newcomers and English learners that
this module forms, and to two teams as the planning team (one has since dealt with it). Two flags
are restricted. Comments mention people by their handle, and a few flags are widespread: several
people say "me too".

Everything goes through the feed's actions, which take the story's time where they accept one
(`now=`); what they stamp with the real time (audit entries, "me too"s, the notification of an
accepted answer, the link a cycle records and the cycle's last activity) is then set back to the
moment the story says it happened, the way demo/helpdesk.py does it. Notifications older than two
days were read; the newer ones wait, for the demo's national leader and coach among others. The
digests they would have planned have gone out, so the background worker has nothing to send.
"""

import datetime
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import STAFF_ROLES, Role
from tandem.andon.feed import actions, shipped
from tandem.andon.feed.models import Comment, DigestPreference, Escalation, MeToo, Notification, Post, Topic
from tandem.demo.timeline import Step, dated, moment, step_times
from tandem.inquiry.models import Cycle, CycleLink
from tandem.orgs.models import Organization, Person, School, Team, TeamMembership
from tandem.partnerships.models import Partnership, SiteAssignment

QUESTION, IDEA, FLAG = Post.Kind.QUESTION, Post.Kind.IDEA, Post.Kind.FLAG
IN_PROGRESS, RESOLVED = Post.Status.IN_PROGRESS, Post.Status.RESOLVED
WORKING_GROUP, PLANNING_TEAM, CYCLE = (
    Escalation.To.WORKING_GROUP,
    Escalation.To.PLANNING_TEAM,
    Escalation.To.CYCLE,
)
STRATEGY, DATA, COACHING, SPACES, STAFFING, SAFETY, OPERATIONS = (name for name, _ in shipped.TOPICS)

# The demo's partnerships, by the names load.py gives them.
PARTNERSHIPS = {
    "bayview": "Bayview Unified district partnership",
    "middle": "Bayview middle grades",
    "literacy": "Eastshore literacy partnership",
    "cohort": "Eastshore elementary cohort",
    "valle": "Valle Verde leadership network",
}
# Partner schools, besides Cesar Chavez Elementary: (partnership, the school's place among its
# schools by name, leaving out the demo coach's). Each school's lead partner is `p_` and the place.
PLACES = {
    "bv0": ("bayview", 0),
    "bv1": ("bayview", 1),
    "bv2": ("bayview", 2),
    "mid0": ("middle", 0),
    "mid1": ("middle", 1),
    "huerta": ("literacy", 0),
    "es0": ("cohort", 0),
    "es1": ("cohort", 1),
    "es2": ("cohort", 2),
    "vv0": ("valle", 0),
    "vv1": ("valle", 1),
    "vv2": ("valle", 2),
}

# The demo principal's school, where the demo coach partners (load.py names it).
CHAVEZ = "Cesar Chavez Elementary"
WORKING_GROUP_NAME = "Newcomer and English learner working group"

# Steps, in hours after the post:
# ("comment", h, who, text)
# ("answer", h, who, text)              a comment that answers the question;
# ("accept", h, who)                    the latest answer accepted (by the asker, or a leader);
# ("metoo", h, who)                     someone meets the same issue;
# ("ack", h, who, owner)                a leader acknowledges the flag, handing it to `owner` if named;
# ("move", h, who, status, resolution)  the owner or a leader moves it along;
# ("escalate", h, who, to, target, note)  to a cycle ("cycle:el", "cycle:eld") or a team ("team:…").
# `who` is a person of the cast (`author` for the post's author). Texts are formatted with each
# person's handle (`@{analyst}`), first name (`{f_analyst}`), each place's school (`{s_bv1}`) and
# the post's own tags (`{school}`, `{partnership}`, `{district}`, `{region}`).


@dataclass(frozen=True)
class _Story:
    days: int  # before the demo's day
    at: str  # local time it was posted
    who: str
    kind: str
    title: str
    body: str
    school: str = ""  # a place
    partnership: str = ""
    region: str = ""  # bay or valley
    topics: tuple[str, ...] = ()
    restricted: bool = False
    steps: tuple[Step, ...] = ()


def _days(n: float) -> float:
    return n * 24


STORIES = [
    # -- ten weeks ago and since: the older stories, mostly settled ------------------------------
    _Story(
        68,
        "08:20",
        "p_bv0",
        FLAG,
        "Dashboard counts reclassified students as English learners",
        "The English learner page for {school} shows 212 English learners. The office's count is 171: the 41 "
        "students reclassified in October still show as EL, so our EL results look better than they are and "
        "the RFEP group looks empty. Is anyone else seeing this before their data dives?",
        school="bv0",
        partnership="bayview",
        topics=(DATA,),
        steps=(
            ("metoo", 2, "p_bv1"),
            ("metoo", 3, "p_huerta"),
            ("ack", 3.5, "leader", "analyst"),
            (
                "comment",
                5,
                "analyst",
                "Found it: the district's October reclassification file never loaded, so everyone reclassified "
                "this fall still carries their old status. Loading it tonight. @{p_vv0}, Valle Verde sends the "
                "same file later; I'll check yours too.",
            ),
            ("metoo", 6, "p_vv0"),
            (
                "move",
                _days(2),
                "analyst",
                RESOLVED,
                "Loaded the October reclassification files for all three districts and checked the EL and RFEP "
                "counts against each district's own report (they match to the student). The load now warns when "
                "a district's reclassification file is more than a month old.",
            ),
            ("comment", _days(2) + 2, "author", "171 on the page now. Thank you, {f_analyst}!"),
        ),
    ),
    _Story(
        66,
        "07:55",
        "p_bv2",
        QUESTION,
        "Where do I find last spring's ELPAC levels for my school?",
        "Getting ready for the first data dive with the {school} ELD teachers. Where are last spring's ELPAC "
        "levels by grade, and can I see which students moved up a level?",
        school="bv2",
        topics=(DATA,),
        steps=(
            (
                "answer",
                1.5,
                "analyst",
                "In Analytics, open {school} and choose the English learner group: the ELPAC levels by grade are "
                "there, with last year's beside them. The student list (with last year's level next to this year's) "
                "is on the Students tab, which partners can open for their own schools.",
            ),
            ("accept", 3, "author"),
            ("comment", 3.2, "author", "Perfect, that's exactly the table the ELD teachers asked for."),
        ),
    ),
    _Story(
        63,
        "16:45",
        "p_es1",
        IDEA,
        "A coaching lab once a month in place of Approach Essentials",
        "Approach Essentials is most useful to newer partners. Once a month, could the rest of us spend those 90 "
        "minutes in a coaching lab instead: one of us brings a video of a debrief and we practice on it?",
        topics=(SPACES, COACHING),
        steps=(
            ("comment", 3, "p_es2", "Yes please. I'd bring the debrief I did on reading conferences."),
            (
                "comment",
                20,
                "learning",
                "Love this. Let's try it in January on the first Monday, and see who comes. @{p_es1}, would you "
                "facilitate the first one with me?",
            ),
            ("comment", 22, "author", "Happy to, {f_learning}."),
        ),
    ),
    _Story(
        61,
        "12:10",
        "p_huerta",
        QUESTION,
        "Data dives when teachers have no common planning time?",
        "At {school} the grade-level teams have no shared prep this year. How are others running data dives "
        "when there is no time in the schedule for them?",
        school="huerta",
        topics=(COACHING, STAFFING),
        steps=(
            (
                "answer",
                4,
                "p_es1",
                "We split ours in two: 25 minutes at the staff meeting to look at the data, and each grade level "
                "finishes the action plan at its own lunch meeting that week. Not ideal, but it has held up.",
            ),
            (
                "comment",
                6,
                "director",
                "Some principals buy back a day of release time from the district's Title I plan. Worth asking "
                "at {school}; @{p_es0} got that approved last year.",
            ),
            ("accept", 26, "author"),
        ),
    ),
    _Story(
        60,
        "06:50",
        "p_vv2",
        FLAG,
        "Bus route change means newcomer students miss breakfast",
        "Since the route change this week, the bus from the apartments on the east side arrives at {school} at "
        "8:02, after breakfast closes. Most of the students on it are newcomers; two teachers told me kids are "
        "hungry through the morning block.",
        school="vv2",
        partnership="valle",
        topics=(SAFETY,),
        steps=(
            ("ack", 1.5, "valley", ""),
            ("move", 3, "valley", IN_PROGRESS),
            (
                "comment",
                4,
                "valley",
                "Called the district's nutrition services; they can serve breakfast in the classroom for the "
                "late bus. @{p_vv2}, can you check with the principal which rooms?",
            ),
            (
                "move",
                _days(5),
                "valley",
                RESOLVED,
                "Breakfast in the classroom for the students on the late route, starting Monday, at all three "
                "Valle Verde partner schools; the district will look at the route again in January.",
            ),
        ),
    ),
    _Story(
        58,
        "14:30",
        "analyst",
        IDEA,
        "A one-page student group snapshot for every first data dive",
        "A single page per partner school with enrollment, last spring's ELA and math by student group, the gap "
        "to the district, and chronic absence. Partners could hand it out at the first data dive of the year "
        "instead of building their own. I have a draft for {s_chavez}; comments welcome.",
        topics=(DATA,),
        steps=(
            ("comment", 2, "coach", "Yes. I'd add the ELPAC levels, since half of our data dives start there."),
            (
                "comment",
                5,
                "director",
                "Let's pilot it in Bayview in October. Please keep the gaps front and center, not the averages.",
            ),
            ("comment", 24, "leader", "Agree with {f_director}. @{analyst}, can you have it ready for all schools?"),
        ),
    ),
    _Story(
        55,
        "10:05",
        "p_vv1",
        QUESTION,
        "Spanish and Hmong versions of the screener letter?",
        "The letter to families about the winter reading screener is English only. Does anyone have it in "
        "Spanish and Hmong already? {school} sends it home next week.",
        school="vv1",
        topics=(OPERATIONS,),
        steps=(
            (
                "answer",
                2,
                "learning",
                "The Spanish version is in the shared drive under Family letters. @{p_vv0} had the Hmong one "
                "translated by the district's family liaison last year.",
            ),
            ("comment", 3, "p_vv0", "Sending it now. The liaison checked it against this year's dates."),
            ("accept", 4, "author"),
        ),
    ),
    _Story(
        55,
        "15:40",
        "p_vv2",
        FLAG,
        "Late buses cut after-school tutoring at Valle Verde schools",
        "The district dropped the 5:15 late bus. Students who ride it can no longer stay for tutoring, and they "
        "are the ones the tutoring is for: at {school} 38 of the 52 students in it are English learners.",
        school="vv2",
        partnership="valle",
        topics=(OPERATIONS, STRATEGY),
        steps=(
            ("metoo", 3, "p_vv0"),
            ("metoo", 5, "p_vv1"),
            ("ack", 6, "valley", ""),
            (
                "escalate",
                _days(2),
                "valley",
                PLANNING_TEAM,
                "team:valley",
                "The Central Valley team is planning the spring schedule: tutoring moves into the school day, or "
                "we find the bus money.",
            ),
            (
                "move",
                _days(20),
                "valley",
                RESOLVED,
                "Tutoring moved into the intervention block at all three schools; the principals protected 30 "
                "minutes four days a week. Attendance in it is up from 52 to 71 students.",
            ),
        ),
    ),
    _Story(
        52,
        "13:15",
        "p_mid0",
        FLAG,
        "No coverage for teachers to attend coaching debriefs",
        "Three debriefs cancelled at {school} this month because no substitute came. Teachers end up getting my "
        "feedback in an email, and the coaching cycles stall.",
        school="mid0",
        partnership="middle",
        topics=(STAFFING, COACHING),
        steps=(
            ("ack", 5, "director", ""),
            (
                "comment",
                7,
                "director",
                "@{p_mid0} let's meet the principal together on Thursday with the calendar of debriefs.",
            ),
            ("move", _days(2), "director", IN_PROGRESS),
            (
                "move",
                _days(10),
                "director",
                RESOLVED,
                "Agreed with the principal: debriefs move into the Wednesday common prep, and the district covers "
                "two substitute days a month for the debriefs that cannot.",
            ),
        ),
    ),
    _Story(
        50,
        "09:25",
        "coach",
        QUESTION,
        "How do I log coaching with a co-teaching pair?",
        "At {school} I coach a third-grade ELD teacher and her co-teacher together. Do I log one session for "
        "both, or one each?",
        school="chavez",
        topics=(COACHING,),
        steps=(
            (
                "answer",
                3,
                "learning",
                "One each, with the same date and focus: each of them has their own coaching goals and ratings, "
                "and the coverage reports count people, not sessions. The notes can say it was a joint debrief.",
            ),
            ("accept", 4, "author"),
        ),
    ),
    _Story(
        48,
        "11:40",
        "p_es1",
        FLAG,
        "Eastshore wants to cut partner days from three to two next year",
        "The assistant superintendent told our principals that the renewal for the {partnership} may come at two "
        "partner days a week. At {school} the gains in third-grade reading came from the third day, when we "
        "co-plan the small-group block.",
        school="es1",
        partnership="cohort",
        topics=(STRATEGY,),
        steps=(
            ("metoo", 4, "p_es0"),
            ("metoo", 6, "p_es2"),
            ("ack", 8, "ceo", ""),
            (
                "comment",
                9,
                "ceo",
                "Thank you for raising this early. @{analyst}, could we show the third-grade reading gains at the "
                "cohort schools by days of partner time?",
            ),
            (
                "escalate",
                _days(3),
                "ceo",
                PLANNING_TEAM,
                "team:national",
                "For the renewal planning in January: the national leadership team prepares the case and the "
                "options with the Eastshore partners.",
            ),
        ),
    ),
    _Story(
        47,
        "15:20",
        "p_vv2",
        IDEA,
        "Pair every new partner with a veteran for their first three visits",
        "Two partners joined in Valle Verde this fall and both said the first month was lonely. What if each new "
        "partner shadowed a veteran for three school visits, and the veteran came to their first debrief?",
        topics=(COACHING, STAFFING),
        steps=(
            ("comment", 4, "valley", "Let's do it for the January starts. @{p_vv0}, would you take one?"),
            ("comment", 6, "p_vv0", "Yes, happy to."),
        ),
    ),
    _Story(
        45,
        "08:05",
        "p_es0",
        FLAG,
        "Lockdown browser fails on older Chromebooks during interim testing",
        "The interim assessment's secure browser will not start on the 2019 Chromebooks at {school}. A third of "
        "fourth grade could not test this morning, most of them in the two classes with the most English "
        "learners.",
        school="es0",
        partnership="cohort",
        topics=(OPERATIONS, DATA),
        steps=(
            ("metoo", 1, "p_es1"),
            ("metoo", 1.5, "p_es2"),
            ("ack", 1.8, "admin", ""),
            ("metoo", 2, "p_huerta"),
            ("move", 2.5, "admin", IN_PROGRESS),
            ("metoo", 4, "p_mid0"),
            ("metoo", 5, "p_mid1"),
            (
                "comment",
                6,
                "admin",
                "District IT says the devices need an update they push overnight. @{p_es0}, can you ask the "
                "testing coordinator to hold make-ups until Thursday?",
            ),
            (
                "move",
                _days(3),
                "admin",
                RESOLVED,
                "District IT updated 340 Chromebooks across the Eastshore and Bayview partner schools; make-up "
                "testing ran on Thursday and Friday, and every student tested inside the window.",
            ),
        ),
    ),
    _Story(
        44,
        "10:50",
        "p_mid0",
        QUESTION,
        "Do long-term English learners count separately in the middle school goals?",
        "Our middle school goal at {school} is about English learners as a whole, but most of ours are long-term "
        "English learners. Can we set a goal just for them?",
        school="mid0",
        topics=(DATA, STRATEGY),
        steps=(
            (
                "answer",
                5,
                "analyst",
                "Yes: long-term English learners (six years or more in US schools without reclassifying) are a "
                "student group of their own, so a goal can be set for them. The counts at {school} are large "
                "enough to report.",
            ),
            ("accept", 8, "author"),
        ),
    ),
    _Story(
        42,
        "09:15",
        "p_vv1",
        FLAG,
        "Long-term English learners are stuck at ELPAC level 3",
        "At {school}, 61 of our 88 long-term English learners scored level 3 on the ELPAC for the second year "
        "running. The designated ELD lessons are pitched at newcomers, and these students are bored in them. "
        "Is this happening elsewhere?",
        school="vv1",
        partnership="valle",
        topics=(STRATEGY,),
        steps=(
            ("metoo", 2, "p_vv0"),
            ("metoo", 3, "p_vv2"),
            ("metoo", 6, "p_mid0"),
            ("metoo", 7, "p_huerta"),
            ("ack", 8, "leader", ""),
            (
                "comment",
                9,
                "leader",
                "Four schools in two regions: this is bigger than one campus. It belongs in our cycle on the "
                "English learner gap. @{learning}, let's add long-term English learners to the interviews.",
            ),
            (
                "escalate",
                _days(9),
                "leader",
                CYCLE,
                "cycle:el",
                "The network's cycle on the English learner gap takes this on: the interviews at the schools that "
                "narrowed the gap will ask what they do for long-term English learners.",
            ),
        ),
    ),
    _Story(
        40,
        "17:05",
        "director",
        IDEA,
        "Learning walks across districts",
        "Bayview partners only ever walk Bayview classrooms. Twice a year, let's rotate: Bayview partners walk at "
        "Eastshore and the other way round, with the same look-for.",
        region="bay",
        topics=(SPACES, COACHING),
        steps=(
            ("comment", 14, "p_es2", "Yes! I'd love to see the small-group block at {s_chavez}."),
            ("comment", 16, "coach", "Come anytime, @{p_es2}."),
        ),
    ),
    _Story(
        39,
        "12:30",
        "director",
        FLAG,
        "Partners double-booked for whole-group learning and leadership meetings",
        "Five Bay Area partners miss Tuesday whole-group learning every other week because the school leadership "
        "team meets at the same time, and they cannot skip those.",
        region="bay",
        topics=(SPACES, STAFFING),
        steps=(
            ("ack", 3, "learning", ""),
            (
                "move",
                _days(6),
                "learning",
                RESOLVED,
                "Whole-group learning is recorded and partners who were at a leadership meeting watch it by Friday; "
                "the discussion questions go in the Bay Area team meeting the week after.",
            ),
        ),
    ),
    _Story(
        38,
        "16:15",
        "p_es2",
        QUESTION,
        "Who approves substitute coverage for a learning walk?",
        "The principal at {school} wants two teachers to join our learning walk next week. Who approves the "
        "substitutes: the school, the district, or us?",
        school="es2",
        topics=(STAFFING, OPERATIONS),
        steps=(
            (
                "answer",
                2,
                "admin",
                "The school requests them from the district as usual; we reimburse up to four substitute days a "
                "semester per partner school. Send me the dates and I'll confirm the reimbursement.",
            ),
            ("accept", 2.5, "author"),
        ),
    ),
    _Story(
        36,
        "11:20",
        "analyst",
        FLAG,
        "Newcomer students missing from the dashboards for their first months",
        "Students who enroll after the fall census are not in the school pages until the spring file. At {s_vv1} "
        "and {s_huerta} that's 40 newcomers, so the EL pages show none of the students partners are most worried "
        "about.",
        topics=(DATA,),
        steps=(
            ("metoo", 3, "p_vv1"),
            ("metoo", 4, "p_huerta"),
            ("ack", 5, "leader", "learning"),
            (
                "escalate",
                _days(4),
                "learning",
                WORKING_GROUP,
                "team:wg",
                "The working group decides what partners need to see about newcomers before the spring file and "
                "how the district can send it monthly.",
            ),
        ),
    ),
    _Story(
        35,
        "15:10",
        "coach",
        FLAG,
        "Small-group block keeps losing time to transitions",
        "In third grade at {school} the 40-minute small-group block is down to about 25 minutes of reading: the "
        "rotations take five minutes each. The students who lose the most are the ones in the intervention "
        "group, who move last.",
        school="chavez",
        partnership="bayview",
        topics=(COACHING,),
        steps=(
            ("ack", 4, "director", "coach"),
            ("move", 20, "author", IN_PROGRESS),
            (
                "comment",
                _days(6),
                "author",
                "Timed the rotations with the team: they went from five minutes to two in two of three classes. "
                "The third class needs a different room layout.",
            ),
            (
                "comment",
                _days(34),
                "director",
                "@{coach}, how did the new room layout go in the third class? Bring the timings to Thursday's team "
                "meeting; {f_p_bv1} is seeing the same in fourth grade.",
            ),
        ),
    ),
    _Story(
        33,
        "13:00",
        "p_bv1",
        IDEA,
        "Family interpreters at every data night, booked through the district",
        "At {school} our last family data night had an interpreter for Spanish but not Vietnamese or Arabic, "
        "and those families left early. The district has a list of interpreters; we could book them for every "
        "partner school at once.",
        school="bv1",
        topics=(OPERATIONS,),
        steps=(
            ("comment", 5, "admin", "I can book them for the spring data nights. Send me the languages per school."),
        ),
    ),
    _Story(
        31,
        "18:10",
        "valley",
        QUESTION,
        "A family data night in Spanish and Hmong at the same time?",
        "Has anyone run a data night in two languages at once without it taking twice as long? Thinking of "
        "{s_vv0} in February.",
        region="valley",
        topics=(SPACES,),
        steps=(
            (
                "comment",
                3,
                "p_vv2",
                "We did language tables: one room, a table per language, the slides on the wall in both. It "
                "worked, but it needs two interpreters per table.",
            ),
            (
                "comment",
                20,
                "p_huerta",
                "Same at {s_huerta} with Spanish and Vietnamese. Families liked talking to each other more than to us.",
            ),
        ),
    ),
    _Story(
        30,
        "10:00",
        "p_huerta",
        FLAG,
        "Dual-language teachers get coaching feedback in English only",
        "The two dual-language classes at {school} teach in Spanish in the mornings, when I visit, but my feedback "
        "and the look-fors are in English. The teachers say it misses what they do.",
        school="huerta",
        partnership="literacy",
        topics=(COACHING,),
        steps=(
            ("ack", 6, "director", ""),
            (
                "move",
                _days(9),
                "director",
                RESOLVED,
                "A bilingual partner from Valle Verde joined two visits and the debriefs; the look-fors and the "
                "feedback template are now in Spanish too.",
            ),
        ),
    ),
    _Story(
        28,
        "16:40",
        "p_es2",
        FLAG,
        "Family engagement nights draw almost no Spanish-speaking parents",
        "Three family nights at {school} this fall: 60 families came, 4 of them Spanish-speaking, in a school "
        "where half the families speak Spanish at home. The flyers go home in Spanish; something else is off.",
        school="es2",
        partnership="cohort",
        topics=(STRATEGY,),
        steps=(
            ("ack", 7, "director", "p_es2"),
            ("move", _days(2), "author", IN_PROGRESS),
            (
                "comment",
                _days(3),
                "author",
                "Asked the parent liaison: the nights start at 5:30, before most parents finish work, and nobody "
                "has called the families. Trying a 6:30 start and phone calls in Spanish for the next one.",
            ),
        ),
    ),
    _Story(
        26,
        "09:30",
        "p_bv1",
        FLAG,
        "Designated ELD cut for test prep at {school}",
        "For the next three weeks the ELD block at {school} is replaced by test prep for the interim. The "
        "English learners lose 30 minutes a day of the one time built for them.",
        school="bv1",
        partnership="bayview",
        topics=(STRATEGY,),
        steps=(
            ("metoo", 2, "p_bv0"),
            ("ack", 3, "director", "coach"),
            (
                "comment",
                3.2,
                "director",
                "@{coach} is on the district's designated ELD cycle, which is exactly about protecting this block. "
                "Handing it over.",
            ),
            (
                "escalate",
                22,
                "coach",
                CYCLE,
                "cycle:eld",
                "The district's cycle on designated ELD takes this on: {school} is one of the schools that cut the "
                "block when the schedule is tight.",
            ),
        ),
    ),
    _Story(
        26,
        "15:15",
        "ceo",
        IDEA,
        "One bright spot per region at every all-staff",
        "Ten minutes at each all-staff: a partner from each region shares one thing that moved for students, "
        "with the data.",
        topics=(SPACES,),
        steps=(
            ("comment", 2, "valley", "Central Valley goes first: {s_vv2}'s tutoring numbers."),
            ("comment", 4, "director", "Bay Area next time."),
        ),
    ),
    _Story(
        25,
        "14:20",
        "p_vv0",
        FLAG,
        "Students in temporary housing miss the first hour at {school}",
        "Three families at {school} have moved into motels across the highway since October. Their children "
        "arrive at 9:30 most days, after the reading block, because no bus goes there. The principal didn't "
        "know they qualify for transportation.",
        school="vv0",
        partnership="valle",
        topics=(SAFETY,),
        steps=(
            ("ack", 1, "leader", "valley"),
            (
                "comment",
                1.2,
                "leader",
                "Thank you for raising it. @{valley} will take it from here with the district's homeless "
                "education liaison.",
            ),
            (
                "move",
                _days(2),
                "valley",
                RESOLVED,
                "The district's McKinney-Vento liaison arranged a taxi for the three families until a bus stop is "
                "added in January; the school counselor checks in with them weekly.",
            ),
        ),
    ),
    _Story(
        24,
        "08:45",
        "p_bv2",
        QUESTION,
        "A teacher moved schools mid-year: how do I keep coaching her?",
        "A teacher I coach moved from {school} to {s_bv1} this week. Can I keep her on my coaching list, or "
        "does she go to @{p_bv1}?",
        school="bv2",
        topics=(COACHING,),
        steps=(
            ("comment", 2, "p_bv1", "Happy either way. She asked to keep working with you."),
            (
                "answer",
                4,
                "admin",
                "She stays with you if you both want that: I've added {s_bv1} to your schools for coaching only. "
                "Her coaching history moves with her.",
            ),
            ("accept", 5, "author"),
        ),
    ),
    _Story(
        22,
        "10:10",
        "analyst",
        FLAG,
        "Attendance data from Valle Verde arrives a month late",
        "Valle Verde's attendance file comes monthly, four weeks after the month ends. The chronic absence numbers "
        "partners see there are always six to eight weeks old, so they find out too late which students stopped "
        "coming.",
        partnership="valle",
        topics=(DATA,),
        steps=(
            ("ack", 9, "valley", "analyst"),
            ("move", 26, "author", IN_PROGRESS),
            (
                "comment",
                _days(7),
                "author",
                "The district can send a weekly file from January; testing the format with their data office. "
                "@{valley}, they asked for a data sharing addendum; can you sign it?",
            ),
            ("comment", _days(8), "valley", "Signed and sent back this morning."),
        ),
    ),
    _Story(
        20,
        "12:25",
        "p_es1",
        FLAG,
        "Partner days keep getting cancelled for district PD",
        "Four of my last eight days at {school} were cancelled because the district pulled teachers into its own "
        "PD on my days. Coaching cycles are stalling.",
        school="es1",
        partnership="cohort",
        topics=(STAFFING, STRATEGY),
        steps=(
            ("ack", 30, "director", ""),
            (
                "comment",
                32,
                "director",
                "I'm asking the district for its PD calendar through June so we can plan around it. @{p_es1}, "
                "which days work best for you?",
            ),
        ),
    ),
    _Story(
        19,
        "15:35",
        "p_huerta",
        IDEA,
        "Sentence-frame cards for math talk",
        "I made sentence-frame cards for math talk in English and Spanish, by grade band. They have helped "
        "English learners at {school} explain their thinking. Could they go into the practice library?",
        school="huerta",
        topics=(COACHING,),
        steps=(
            ("comment", 3, "coach", "Yes please, my teachers at {s_chavez} would use them tomorrow."),
            ("comment", 20, "learning", "Let's write them up as a practice. @{p_huerta}, I'll start the draft."),
        ),
    ),
    _Story(
        17,
        "09:00",
        "learning",
        QUESTION,
        "What would you want from the January convening?",
        "Planning the January network convening now. What would make it worth two days away from your schools?",
        topics=(SPACES,),
        steps=(
            ("comment", 2, "p_vv1", "Time with partners from other regions working on the same problem."),
            ("comment", 3, "p_es0", "Practice, not presentations. A coaching lab like @{p_es1}'s."),
            ("comment", 5, "coach", "Something on long-term English learners, with the data."),
            ("comment", 8, "p_mid1", "Middle school, please: most sessions are about elementary classrooms."),
        ),
    ),
    _Story(
        16,
        "17:20",
        "director",
        FLAG,
        "Principal at {school} is likely to leave at the semester break",
        "The principal at {school} told me in confidence she has accepted a district office job starting in "
        "January. The school is halfway through its cycle on reading, and the assistant principal is new.",
        school="bv0",
        partnership="bayview",
        topics=(STAFFING, STRATEGY),
        restricted=True,
        steps=(
            ("ack", 2, "leader", ""),
            ("move", 20, "leader", IN_PROGRESS),
            (
                "comment",
                21,
                "leader",
                "Meeting the superintendent's office next week about the interim principal. @{director}, let's "
                "plan the handover of the cycle with the assistant principal.",
            ),
        ),
    ),
    _Story(
        14,
        "11:30",
        "p_bv2",
        FLAG,
        "Printed data dive packets show student names",
        "The packets from last week's data dive at {school} had student names next to their scores, and a set "
        "was left in the staff room.",
        school="bv2",
        partnership="bayview",
        topics=(SAFETY, DATA),
        steps=(
            ("ack", 1.5, "admin", ""),
            (
                "move",
                5,
                "admin",
                RESOLVED,
                "Packets collected and shredded. The data dive template now shows student IDs, not names, and the "
                "exports for printing leave names out.",
            ),
        ),
    ),
    _Story(
        12,
        "08:30",
        "learning",
        FLAG,
        "Approach Essentials attendance down to half of partners",
        "Attendance at Monday's Approach Essentials has dropped from 90% in September to 48% the last three weeks. "
        "Partners say Monday mornings are when principals want them in schools.",
        topics=(SPACES,),
        steps=(
            ("ack", 2, "leader", "learning"),
            ("move", 3, "author", IN_PROGRESS),
            (
                "comment",
                _days(4),
                "author",
                "Asked the partners who stopped coming: moving to Monday afternoons would work for 14 of 17.",
            ),
        ),
    ),
    _Story(
        12,
        "13:45",
        "learning",
        IDEA,
        "Open the practice library drafts to partners for comment",
        "Drafts in the practice library are only seen by their authors. Partners know the classrooms best: let's "
        "ask them to comment before a practice is published.",
        topics=(COACHING,),
        steps=(("comment", 6, "p_vv2", "Yes, and show who tried it at which school."),),
    ),
    _Story(
        10,
        "10:40",
        "p_es0",
        QUESTION,
        "Is the spring interim window the same across Eastshore schools?",
        "Planning my spring calendar at {school}. Does the interim window start the same week in every Eastshore "
        "school?",
        school="es0",
        topics=(DATA,),
        steps=(
            (
                "answer",
                3,
                "director",
                "Yes, the district sets it: March 9 to 27 for every school. {s_huerta} tests in the first week.",
            ),
            ("accept", 4, "author"),
        ),
    ),
    _Story(
        9,
        "07:50",
        "p_bv2",
        FLAG,
        "The new phonics block leaves no time for ELD",
        "The district's new phonics block at {school} is 45 minutes and it took the time designated ELD had. "
        "Teachers say they now fit ELD into the last 15 minutes of the day, if at all.",
        school="bv2",
        partnership="bayview",
        topics=(STRATEGY,),
        steps=(
            ("ack", 5, "director", ""),
            (
                "comment",
                6,
                "director",
                "@{p_bv2} let's look at the master schedule with the principal on Thursday; this looks like "
                "{s_bv1} a month ago.",
            ),
        ),
    ),
    _Story(
        8,
        "14:05",
        "p_bv1",
        FLAG,
        "Math coaching cycles stall after the first observation",
        "Of the nine math coaching cycles I started at {school} this fall, six stopped after the first "
        "observation: the teachers never set a goal. In reading that never happens.",
        school="bv1",
        partnership="bayview",
        topics=(COACHING,),
        steps=(
            ("ack", 20, "director", ""),
            ("move", 22, "director", IN_PROGRESS),
            (
                "comment",
                _days(2),
                "learning",
                "The goal-setting protocol is reading-specific. @{p_bv1}, want to try the math version I'm "
                "drafting with two of your teachers?",
            ),
        ),
    ),
    # -- the last week: what is still open --------------------------------------------------------
    _Story(
        6,
        "10:15",
        "p_vv1",
        FLAG,
        "Newcomer students wait three weeks for ELD placement at {school}",
        "Newcomers who enrolled in October at {school} waited three weeks for the ELPAC initial assessment, and "
        "sat in mainstream classes with no designated ELD in the meantime. Eleven students so far this year.",
        school="vv1",
        partnership="valle",
        topics=(STRATEGY,),
        steps=(
            ("metoo", 3, "p_vv0"),
            (
                "comment",
                4,
                "p_vv0",
                "Same at {s_vv0}: the district has one tester for all its elementary schools.",
            ),
            ("metoo", 20, "p_vv2"),
        ),
    ),
    _Story(
        6,
        "13:50",
        "p_es2",
        IDEA,
        "Track which teachers have had no coaching visit in a month",
        "I only notice a teacher fell off my schedule when the principal mentions it. A list of the teachers "
        "with no visit in four weeks would help all of us.",
        school="es2",
        topics=(DATA, COACHING),
        steps=(
            (
                "comment",
                5,
                "analyst",
                "The coaching coverage data dive already has it by school; I can make it a list per partner. "
                "@{coach}, you asked for the same thing in September.",
            ),
        ),
    ),
    _Story(
        5,
        "09:10",
        "leader",
        QUESTION,
        "What should we stop doing to give partners more time in classrooms?",
        "Partners spend about 40% of their week in classrooms. What is one thing we ask of you that we should "
        "stop doing?",
        topics=(STRATEGY, STAFFING),
        steps=(
            ("comment", 6, "p_es1", "The weekly status report: the coaching log already has it all."),
            ("comment", _days(1) + 4, "p_vv2", "Driving to the regional office for meetings that could be calls."),
            ("comment", _days(3) + 2, "p_mid1", "Two separate data dive templates for the same meeting."),
            (
                "comment",
                _days(4) + 3,
                "coach",
                "Entering the same visit in the coaching log and the school's own form.",
            ),
        ),
    ),
    _Story(
        5,
        "11:00",
        "valley",
        FLAG,
        "Valle Verde wants to move our data dives into their PLC time",
        "The district asks that our data dives happen inside the teachers' weekly PLC time from January. That "
        "gives us 20 minutes a week instead of 90 a month, with the district's own agenda in the rest.",
        partnership="valle",
        topics=(STRATEGY,),
        steps=(
            ("ack", 3, "leader", ""),
            (
                "comment",
                _days(3) + 6,
                "valley",
                "@{leader}, the district would meet us on Tuesday. Can you join, or should I go with {f_p_vv0}?",
            ),
        ),
    ),
    _Story(
        4,
        "13:30",
        "p_mid1",
        FLAG,
        "Chromebook carts not charged for the interim assessment",
        "Two of the four carts at {school} were not charged this morning and sixth grade could not start the "
        "interim. Third time this month.",
        school="mid1",
        partnership="middle",
        topics=(OPERATIONS,),
        steps=(
            ("comment", 5, "p_mid0", "{s_mid0} had the same on Tuesday; the charging cabinet's timer is off."),
            ("metoo", 5.2, "p_mid0"),
        ),
    ),
    _Story(
        2,
        "08:15",
        "p_es0",
        FLAG,
        "Concern about a teacher's comments to newcomer students",
        "In two visits this week I heard a teacher at {school} tell newcomer students to “speak English in "
        "here” and move them to the back during read-aloud. I have not raised it with the principal yet. "
        "@{leader}, flagging it here first.",
        school="es0",
        partnership="cohort",
        topics=(SAFETY,),
        restricted=True,
    ),
    _Story(
        3,
        "15:30",
        "coach",
        IDEA,
        "A shared calendar of testing windows",
        "Twice this fall I planned a coaching visit on a testing day. One calendar of every partner school's "
        "testing windows would save us all the trip.",
        topics=(OPERATIONS,),
        steps=(
            ("comment", 5, "p_bv0", "Yes. {s_bv0} changed its window twice."),
            ("comment", _days(1) + 2, "admin", "I'll start one from the districts' calendars. @{coach}, add yours?"),
            ("comment", _days(2) + 3, "analyst", "The assessment windows are in Tandem already; I can export them."),
        ),
    ),
    _Story(
        2,
        "16:20",
        "p_bv0",
        FLAG,
        "No adult at the side gate at dismissal",
        "Since the schedule change there is no adult at the side gate of {school} at dismissal, where the "
        "kindergartners are picked up. Yesterday a kindergartner walked out alone before her older brother came.",
        school="bv0",
        partnership="bayview",
        topics=(SAFETY,),
        steps=(("comment", 3, "p_bv1", "@{director}, tagging you in case this hasn't reached the district yet."),),
    ),
    _Story(
        2,
        "10:30",
        "p_mid1",
        QUESTION,
        "Where did the attendance chart go on the school page?",
        "The chronic absence chart was on the {school} page last week and I can't find it now.",
        school="mid1",
        topics=(DATA,),
    ),
    _Story(
        1,
        "11:15",
        "analyst",
        QUESTION,
        "Winter board report: which student groups up front?",
        "Drafting the winter board report. @{leader} @{valley}: should the first page lead with English learners, "
        "with Black students, or with all students and the gaps beside them?",
        topics=(DATA, STRATEGY),
        steps=(
            ("comment", 3, "ceo", "All students and the gaps beside them, with English learners called out."),
            ("comment", 5, "director", "Agree with {f_ceo}. Bay Area's Black students' growth belongs on page one."),
        ),
    ),
    _Story(
        1,
        "14:40",
        "p_vv0",
        QUESTION,
        "Scaffolding the new math curriculum's word problems for newcomers?",
        "The new math curriculum at {school} leans on long word problems. How are others scaffolding them for "
        "newcomer students without taking the thinking away?",
        school="vv0",
        topics=(COACHING,),
        steps=(
            (
                "comment",
                4,
                "p_huerta",
                "Read it aloud twice, then the frames from my cards. What do you do at {s_chavez}, @{coach}?",
            ),
        ),
    ),
    _Story(
        1,
        "21:50",
        "p_huerta",
        FLAG,
        "Reading intervention dropped from the winter schedule at {school}",
        "The draft winter schedule at {school} has no reading intervention block for fourth and fifth grade. "
        "Twenty-six students are in it, most of them English learners.",
        school="huerta",
        partnership="literacy",
        topics=(STAFFING,),
    ),
    _Story(
        1,
        "22:35",
        "analyst",
        FLAG,
        "Fall interim scores missing for two Eastshore schools",
        "The fall ELA interim scores for {s_es1} and {s_es2} are not in the district's export, so their "
        "pages show last spring's. I've asked the district's data office; @{p_es1} and @{p_es2}, don't plan "
        "your data dives on them yet.",
        partnership="cohort",
        topics=(DATA,),
    ),
]


def load(today: datetime.date, domain: str) -> None:
    """The staff feed's last ten weeks before `today`."""
    # As in demo/helpdesk.py: nothing is dated after the organization's local day; the demo's day
    # has only just begun, so the stories end at its midnight.
    today = min(today, timezone.localdate())
    # The shipped topics come with a migration; a test database emptied since has none.
    shipped.install(Topic)
    feed = _Feed(random.Random("feed"), today, domain)
    feed.tell(STORIES)
    feed.read()


class _Feed:
    def __init__(self, rng: random.Random, today: datetime.date, domain: str) -> None:
        self.rng = rng
        self.today = today
        self.end = moment(today, "00:00")
        # One Person object per person, so that each one's scope is worked out once.
        staff_ids = RoleAssignment.objects.filter(role__in=STAFF_ROLES).values("person")
        self.people = {p.pk: p for p in Person.objects.filter(pk__in=staff_ids).order_by("pk")}
        by_email = {p.email: p for p in self.people.values()}
        cast = {name: by_email[f"{name}@{domain}"] for name in ("leader", "admin", "director", "coach", "analyst")}
        national = [
            self.people[ra.person_id]
            for ra in RoleAssignment.objects.filter(role=Role.NATIONAL_LEADER).order_by("pk")
            if ra.person_id != cast["leader"].pk
        ]
        titled = {p.title: p for p in reversed(national)}
        cast["ceo"] = titled.get("Chief executive officer", cast["leader"])
        cast["learning"] = titled.get("Director of learning", cast["leader"])
        directors = RoleAssignment.objects.filter(role=Role.REGIONAL_DIRECTOR, region__isnull=False).order_by("pk")
        bay = directors.get(person=cast["director"])
        valley = directors.exclude(region=bay.region_id).first() or bay
        cast["valley"] = self.people[valley.person_id]
        self.regions = {"bay": bay.region, "valley": valley.region}
        # The partner schools, and each one's lead partner.
        self.partnerships = {key: Partnership.objects.get(name=name) for key, name in PARTNERSHIPS.items()}
        coached = SiteAssignment.objects.filter(person=cast["coach"]).values("school")
        self.schools = {"chavez": School.objects.get(name=CHAVEZ)}
        for place, (key, n) in PLACES.items():
            partnership = self.partnerships[key]
            membership = partnership.memberships.exclude(school__in=coached).select_related("school__district")[n]
            self.schools[place] = membership.school
            leads = SiteAssignment.objects.filter(school=membership.school, partnership=partnership).order_by("pk")
            lead = leads.filter(role=SiteAssignment.Role.LEAD_PARTNER).first() or leads.first()
            assert lead is not None
            cast[f"p_{place}"] = self.people[lead.person_id]
        self.cast = cast
        self.words: dict[str, str] = {}
        for key, person in cast.items():
            self.words[key] = person.email.partition("@")[0]
            self.words[f"f_{key}"] = person.full_name.split()[0]
        for place, school in self.schools.items():
            self.words[f"s_{place}"] = school.name
        self.targets = self._targets(cast)
        self.posts: dict[int, int] = {}  # story → post
        self.answers: dict[int, int] = {}  # story → its latest answer

    def _targets(self, cast: dict[str, Person]) -> dict[str, Model]:
        """Where flags are escalated to: two cycles of inquiry and three teams."""
        targets: dict[str, Model] = {}
        active = Cycle.objects.filter(status=Cycle.Status.ACTIVE)
        el = active.filter(level=Cycle.Level.ORGANIZATION, owner=cast["leader"]).order_by("-starts_on", "pk").first()
        eld = active.filter(level=Cycle.Level.DISTRICT, members=cast["coach"]).order_by("pk").first()
        for key, cycle in (("cycle:el", el), ("cycle:eld", eld)):
            if cycle is not None:
                targets[key] = cycle
        targets["team:national"] = Team.objects.get(kind=Team.Kind.NATIONAL)
        valley_team = Team.objects.filter(kind=Team.Kind.REGIONAL, region=self.regions["valley"]).first()
        if valley_team is not None:
            targets["team:valley"] = valley_team
        targets["team:wg"] = self._working_group(cast)
        return targets

    def _working_group(self, cast: dict[str, Person]) -> Team:
        """Formed two days after the analyst's flag on newcomers missing from the dashboards, which
        the director of learning then escalates to it; demo/governance.py records the same group
        with its goals, sponsor and support log."""
        formed = self.today - datetime.timedelta(days=34)
        team = Team.objects.create(
            organization=Organization.objects.order_by("pk").first(),
            name=WORKING_GROUP_NAME,
            kind=Team.Kind.OTHER,
            purpose="Partners, a regional director and the analyst who look at what newcomers and English "
            "learners meet in our partner schools, and propose what the network changes.",
        )
        members = [
            ("learning", "Lead"),
            ("valley", ""),
            ("analyst", ""),
            ("p_vv1", ""),
            ("p_huerta", ""),
            ("p_mid0", ""),
        ]
        TeamMembership.objects.bulk_create(
            [TeamMembership(team=team, person=cast[key], role=role, joined_on=formed) for key, role in members],
            ignore_conflicts=True,
        )
        return team

    # -- the stories, in the order things happened -------------------------------------------------

    def tell(self, stories: list[_Story]) -> None:
        events: list[tuple[datetime.datetime, int, int, Step | None]] = []
        for n, story in enumerate(stories):
            posted = moment(self.today - datetime.timedelta(days=story.days), story.at)
            if posted >= self.end:
                continue
            events.append((posted, len(events), n, None))
            for at, step in step_times(posted, story.steps, self.end, self.rng):
                events.append((at, len(events), n, step))
        for at, _, n, step in sorted(events, key=lambda e: (e[0], e[1])):
            if step is None:
                self.post(n, stories[n], at)
            else:
                post = Post.objects.get(pk=self.posts[n])
                # The cast's own Person objects, whose scopes are worked out once.
                post.author = self.people[post.author_id]
                post.owner = self.people.get(post.owner_id) if post.owner_id else None
                self.step(n, stories[n], post, step, at)

    def person(self, who: str, story: _Story) -> Person:
        return self.cast[story.who if who == "author" else who]

    def text(self, text: str, story: _Story, post: Post | None = None) -> str:
        school = self.schools.get(story.school)
        partnership = self.partnerships.get(story.partnership)
        region = post.region if post is not None else None
        return text.format(
            **self.words,
            school=school.name if school else "",
            partnership=partnership.name if partnership else "",
            district=school.district.name if school else "",
            region=region.name if region else "",
        )

    def post(self, n: int, story: _Story, at: datetime.datetime) -> None:
        school = self.schools.get(story.school)
        with dated(at):
            post = actions.do_post(
                self.cast[story.who],
                story.kind,
                self.text(story.title, story),
                self.text(story.body, story),
                school=school,
                partnership=self.partnerships.get(story.partnership),
                region=self.regions[story.region] if story.region else None,
                topics=list(Topic.objects.filter(name__in=story.topics)),
                restricted=story.restricted,
                now=at,
            )
        self.posts[n] = post.pk

    def step(self, n: int, story: _Story, post: Post, step: Step, at: datetime.datetime) -> None:
        kind, who = step[0], self.person(step[2], story)
        with dated(at):
            if kind in ("comment", "answer"):
                comment = actions.do_comment(who, post, self.text(step[3], story, post), now=at)
                if kind == "answer":
                    self.answers[n] = comment.pk
            elif kind == "accept":
                answer = Comment.objects.get(pk=self.answers[n])
                actions.do_accept_answer(who, post, answer)
                Notification.objects.filter(post=post, comment=answer, kind=Notification.Kind.ANSWER).update(
                    created_at=at
                )
            elif kind == "metoo":
                actions.do_me_too(who, post)
                MeToo.objects.filter(post=post, person=who).update(created_at=at)
            elif kind == "ack":
                owner = self.person(step[3], story) if step[3] else None
                actions.do_acknowledge(who, post, owner=owner, now=at)
            elif kind == "move":
                resolution = self.text(step[4], story, post) if len(step) > 4 else ""
                actions.do_move_flag(who, post, step[3], resolution, now=at)
            elif kind == "escalate":
                self.escalate(story, post, who, step, at)
            else:
                raise ValueError(f"No such step: {kind}")

    def escalate(self, story: _Story, post: Post, who: Person, step: Step, at: datetime.datetime) -> None:
        target = self.targets.get(step[4])
        if target is None:
            return  # a demo built without that cycle: the flag stays acknowledged
        before = target.last_activity_at if isinstance(target, Cycle) else None
        actions.do_escalate(who, post, step[3], target, self.text(step[5], story, post), now=at)
        if isinstance(target, Cycle):
            # The cycle records it started from the flag when the flag was escalated, and its last
            # activity never goes back in time.
            CycleLink.objects.filter(
                cycle=target,
                relation=CycleLink.Relation.STARTED_FROM,
                content_type=ContentType.objects.get_for_model(Post),
                object_id=post.pk,
            ).update(created_at=at)
            assert before is not None
            latest = max(before, at)
            Cycle.objects.filter(pk=target.pk).update(last_activity_at=latest)
            target.last_activity_at = latest

    # -- notifications ----------------------------------------------------------------------------

    def read(self) -> None:
        """Notifications older than two days were read within a day; the newer ones wait. Each
        digest went out when it was due, so the worker has nothing left to send."""
        digest = datetime.timedelta(hours=settings.FEED_DIGEST_HOURS)
        recent = self.end - datetime.timedelta(days=2)
        changed = []
        for note in Notification.objects.order_by("pk"):
            if note.created_at < recent:
                note.read_at = min(
                    note.created_at + datetime.timedelta(minutes=self.rng.randint(20, 22 * 60)),
                    self.end - datetime.timedelta(minutes=1),
                )
            sent = note.created_at + digest
            if (note.read_at is None or note.read_at > sent) and sent < self.end:
                note.emailed_at = sent
            changed.append(note)
        Notification.objects.bulk_update(changed, ["read_at", "emailed_at"], batch_size=500)
        DigestPreference.objects.update(due_at=None)
