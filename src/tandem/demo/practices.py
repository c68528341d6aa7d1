"""The demo's practice library: eighteen published practices and three drafts, written by the
partner schools' principals, the districts' leaders and the organization's staff.

Each published practice says what it is, the problem it addresses and how to do it, carries a
strength of evidence (ESSA's tiers) and references to well-known research, and the schools where
it was tried over the last four school years, partner schools and others, with grades, student
groups, results and a short story. Readers have commented on most. Three practices rest on cycles
of inquiry: the Cesar Chavez leadership team's chain (small-group reading, then discussion stems)
and the Bay Area team's walkthroughs.

"Schools like mine": the reports of trying a practice are spread over the schools most like Cesar
Chavez Elementary and Dolores Huerta Elementary (the demo principals' schools, by the comparison
engine), so that both schools' pages show practices tried at their similar schools, with the
network's principals there to contact.

Everything goes through the practice library's actions, which keep the search index up to date.
They stamp the real time; afterwards each step's audit entries and objects are set back to the day
the story says it happened, as the other demo stories do.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.achievement.models import StudentGroup
from tandem.analytics.similar import similar_schools
from tandem.demo.timeline import dated, moment
from tandem.inquiry.models import Cycle, CycleLink
from tandem.orgs.models import GRADES, Person, School
from tandem.partnerships.models import Partnership, SiteAssignment
from tandem.practices import actions
from tandem.practices.models import Attachment, Citation, Comment, Practice, Trial

IMPROVED, MIXED, NO_CHANGE, TOO_EARLY = (
    Trial.Result.IMPROVED,
    Trial.Result.MIXED,
    Trial.Result.NO_CHANGE,
    Trial.Result.TOO_EARLY,
)
# Student groups by their state codes (see achievement.catalog).
EL, SED, SWD, BLACK, LATINO = "160", "31", "128", "74", "78"
REVIEW, EXPERIMENTAL, QUASI, CORRELATIONAL, OTHER = (
    Citation.Design.REVIEW,
    Citation.Design.EXPERIMENTAL,
    Citation.Design.QUASI,
    Citation.Design.CORRELATIONAL,
    Citation.Design.OTHER,
)
# The What Works Clearinghouse's list of practice guides, where each guide below is found by its title.
WWC = "https://ies.ed.gov/ncee/wwc/practiceguides"

# A story of trying the practice: school years ago (0 is this one), grades, student groups, result, story.
Story = tuple[int, str, list[str], str, str]


@dataclass
class Spec:
    title: str
    author: str  # a key of _Cast.people
    where: str  # the school it started at: a key of _Cast.schools
    written: tuple[int, int, int]  # school years ago, month, day
    evidence: str
    tags: list[str]
    summary: str
    problem: str
    how: str
    citations: list[tuple[str, str, str, str]]  # reference, link, design, finding
    stories: list[Story]  # the first is where it started
    comments: list[tuple[str, str]] = field(default_factory=list)  # who, what
    attachments: list[tuple[str, str]] = field(default_factory=list)
    cycles: list[str] = field(default_factory=list)  # keys of _Cast.cycles
    level: str = School.Level.ELEMENTARY


def _steps(*steps: str) -> str:
    return "\n".join(f"{n}. {step}" for n, step in enumerate(steps, start=1))


FOUNDATIONAL = (
    "Foorman, B., et al. (2016). Foundational Skills to Support Reading for Understanding in Kindergarten "
    "Through 3rd Grade (NCEE 2016-4008). Washington, DC: National Center for Education Evaluation and "
    "Regional Assistance, Institute of Education Sciences, U.S. Department of Education.",
    WWC,
    REVIEW,
    "A What Works Clearinghouse practice guide. One of its four recommendations: make sure each student reads "
    "connected text every day to support reading accuracy, fluency and comprehension.",
)
ENGLISH_LEARNERS = (
    "Baker, S., et al. (2014). Teaching Academic Content and Literacy to English Learners in Elementary and "
    "Middle School (NCEE 2014-4012). Washington, DC: National Center for Education Evaluation and Regional "
    "Assistance, Institute of Education Sciences, U.S. Department of Education.",
    WWC,
    REVIEW,
    "A What Works Clearinghouse practice guide. Its recommendations include teaching a set of academic "
    "vocabulary words intensively across several days, and integrating oral and written English language "
    "instruction into content-area teaching.",
)
PROBLEM_SOLVING = (
    "Woodward, J., et al. (2012). Improving Mathematical Problem Solving in Grades 4 Through 8 (NCEE "
    "2012-4055). Washington, DC: National Center for Education Evaluation and Regional Assistance, Institute "
    "of Education Sciences, U.S. Department of Education.",
    WWC,
    REVIEW,
    "A What Works Clearinghouse practice guide. Among its recommendations: expose students to multiple "
    "problem-solving strategies, and help them recognize and articulate mathematical concepts and notation.",
)
ACADEMIC_CONVERSATIONS = (
    "Zwiers, J., & Crawford, M. (2011). Academic Conversations: Classroom Talk That Fosters Critical Thinking "
    "and Content Understandings. Portland, ME: Stenhouse.",
    "",
    OTHER,
    "Describes the core skills of academic conversation (elaborating, supporting ideas with examples, "
    "building on or challenging a partner's idea, paraphrasing) and how to teach them with prompts and frames.",
)
HATTIE = (
    "Hattie, J. (2009). Visible Learning: A Synthesis of Over 800 Meta-Analyses Relating to Achievement. "
    "London: Routledge.",
    "",
    REVIEW,
    "Ranks influences on achievement by their average effect across meta-analyses; feedback, and students' "
    "own expectations of how they will do, are among those with the largest effects.",
)

PUBLISHED: list[Spec] = [
    Spec(
        title="Guided reading in small groups, with students doing the reading",
        author="principal",
        where="chavez",
        written=(2, 6, 10),
        evidence="promising",
        tags=["Early literacy", "Small-group instruction", "Fluency", "Grades 3–5"],
        summary="A daily 30-minute small-group block in grades 3–5 in which every student reads a text at their "
        "instructional level in a whisper voice while the teacher listens to one student at a time, takes a "
        "running record and prompts for strategies. For schools where students who are behind get the same "
        "whole-class text as everyone else and rarely read connected text themselves.",
        problem="Third graders who arrive below grade level in reading rarely caught up by fifth grade. Our "
        "small groups met, but walkthroughs showed the teacher doing most of the reading: the students who most "
        "needed practice read aloud for two or three minutes a day.",
        how=_steps(
            "Sort students into four groups from the fall interim and a running record; regroup every six to "
            "eight weeks.",
            "Put a protected 30-minute block on every grade 3–5 schedule; the rest of the class works at "
            "independent reading and word-work stations.",
            "In each group: a one-minute book introduction, then every student reads the whole text in a whisper "
            "voice while the teacher listens to one student at a time and prompts (“Does that make sense?”, "
            "“Check the first letters of the word”).",
            "Take one running record per group each day, so every student has one every week or two.",
            "Close with a two-minute teaching point drawn from what the teacher heard.",
            "The principal and the coach walk the block every other week with one look-for: who is reading?",
        ),
        citations=[
            (
                "Fountas, I. C., & Pinnell, G. S. (1996). Guided Reading: Good First Teaching for All Children. "
                "Portsmouth, NH: Heinemann.",
                "",
                OTHER,
                "The classic description of guided reading: small groups reading texts at their instructional "
                "level, with a brief introduction by the teacher and prompting while each student reads.",
            ),
            FOUNDATIONAL,
            (
                "Clay, M. M. (2000). Running Records for Classroom Teachers. Portsmouth, NH: Heinemann.",
                "",
                OTHER,
                "How to take and score a running record of a child's oral reading, and use it to decide what to "
                "teach next.",
            ),
        ],
        stories=[
            (
                2,
                "3-5",
                [EL, SED],
                IMPROVED,
                "We started the block in October with four groups a class, then modelled whisper reading in every "
                "classroom in January. The interim rose each time we measured; the gain came in grades 3 and 4 "
                "first, grade 5 only after we added discussion stems.",
            ),
            (
                1,
                "2-3",
                [EL],
                IMPROVED,
                "Two grade 3 teachers piloted it after a visit to Cesar Chavez, then grade 2 joined. Running "
                "records showed most students in the lowest groups reading 10–15 more words a minute by March.",
            ),
            (
                1,
                "3-4",
                [SED],
                MIXED,
                "The block is on the schedule, but we lost it to assemblies and testing about one week in three. "
                "Where it ran every day fluency rose; where it didn't, nothing changed.",
            ),
            (
                0,
                "1-2",
                [EL],
                TOO_EARLY,
                "Started in September in grades 1–2 after our coach modelled it. Groups meet daily; we will look "
                "at the winter screener in January.",
            ),
            (
                2,
                "3-5",
                [SWD],
                IMPROVED,
                "Our resource teacher pushes in to the lowest group. Students with IEPs now read aloud every day, "
                "and their running records improved steadily through the spring.",
            ),
        ],
        comments=[
            (
                "network",
                "We borrowed the look-for “who is reading?” for our own walkthroughs. It changed the conversation "
                "with teachers more than anything else we tried this fall.",
            ),
            (
                "coach",
                "Tip from the grade 3 classrooms: set a timer for the whisper reading so that the teacher gets to "
                "every student before the teaching point.",
            ),
        ],
        attachments=[
            ("Running record form, grades 3–5", "https://example.org/practices/running-record-form.pdf"),
            ("Walkthrough look-for: who is reading?", "https://example.org/practices/look-for-who-reads.pdf"),
        ],
        cycles=["chavez1", "chavez2"],
    ),
    Spec(
        title="Text-dependent discussion stems in upper-grade reading groups",
        author="principal",
        where="chavez",
        written=(1, 3, 10),
        evidence="rationale",
        tags=["Reading comprehension", "Academic talk", "Small-group instruction", "Grades 3–5"],
        summary="Posted discussion stems (“On page __ it says…, so I think…”, “I agree with __ because the text "
        "says…”) that students use to talk about a text in their reading group, so that discussion is about "
        "evidence from the text rather than recall. For grades 4–5, once students read fluently but struggle "
        "to explain what a text says and how they know.",
        problem="Fluency rose in the grades that used our small-group routine, but fifth graders still struggled "
        "to explain what a text says and to cite it. Small groups spent most of their time reading aloud and "
        "very little talking about meaning.",
        how=_steps(
            "Choose five stems for the year, each tied to a reading standard: citing evidence, main idea, "
            "author's purpose, comparing texts, disagreeing respectfully.",
            "Teach one stem a week: model it with a think-aloud, then students practise in pairs on a short passage.",
            "In the small group, after reading, ask one text-dependent question; students answer with a stem "
            "and point to the page.",
            "Keep a class chart of strong answers with the page numbers students cited.",
            "Add “students cite the text” to the walkthrough look-fors; principal and coach calibrate on two "
            "videos before the first walk.",
        ),
        citations=[
            (
                "Shanahan, T., et al. (2010). Improving Reading Comprehension in Kindergarten Through 3rd Grade "
                "(NCEE 2010-4038). Washington, DC: National Center for Education Evaluation and Regional "
                "Assistance, Institute of Education Sciences, U.S. Department of Education.",
                WWC,
                REVIEW,
                "A What Works Clearinghouse practice guide. Among its recommendations: guide students through "
                "focused, high-quality discussion on the meaning of text.",
            ),
            ACADEMIC_CONVERSATIONS,
        ],
        stories=[
            (
                1,
                "5",
                [EL, SED],
                IMPROVED,
                "Stems posted and practised in all three grade 5 classrooms in October. By November students "
                "cited the text in five of six groups we walked, and the winter interim moved in grade 5 for the "
                "first time.",
            ),
            (
                0,
                "4-5",
                [EL],
                TOO_EARLY,
                "We introduced the stems in September in grade 4 and 5 reading groups. Students use them when the "
                "teacher prompts, not yet on their own.",
            ),
            (
                1,
                "4",
                [],
                MIXED,
                "The stems helped our stronger readers. English learners at the emerging level needed the "
                "sentence frames from integrated ELD first, so we now teach both.",
            ),
        ],
        comments=[
            (
                "valle",
                "We paired these with the ELD sentence frames practice: frames for our emerging English learners, "
                "stems for everyone. It helped to post both side by side.",
            ),
        ],
        cycles=["chavez3"],
    ),
    Spec(
        title="Sentence frames and structured partner talk in integrated ELD",
        author="network",
        where="huerta",
        written=(1, 1, 20),
        evidence="moderate",
        tags=["English learners", "Integrated ELD", "Academic talk", "Oral language"],
        summary="In every content lesson the teacher gives English learners a sentence frame with the lesson's "
        "target word for each partner turn (“I predict ___ because ___”), models it, and has partners take "
        "turns using it before anyone answers to the whole class. For any grade where English learners are "
        "quiet in discussion or answer in single words.",
        problem="Our English learners were quiet in whole-class discussion: in walkthroughs a few fluent students "
        "did most of the talking and English learners answered in one or two words. Reclassification rates had "
        "been flat for three years.",
        how=_steps(
            "When planning, pick the lesson's two or three target words and write one frame per partner turn "
            "that needs them, at two levels (emerging and expanding).",
            "Post the frames where students can see them and model each one aloud before the first turn.",
            "Partner A speaks with the frame; partner B repeats back and adds on (“You said ___. I'd add ___”); "
            "then they switch.",
            "Call on pairs, not volunteers, and ask English learners to share their partner's idea first.",
            "Once a week, tally which English learners speak in full sentences during partner talk and share "
            "the tally with the teacher.",
            "Fade the frames as students use the language without them; keep the partner routine.",
        ),
        citations=[
            ENGLISH_LEARNERS,
            (
                "Saunders, W. M., & Goldenberg, C. (2010). Research to guide English language development "
                "instruction. In Improving Education for English Learners: Research-Based Approaches "
                "(pp. 21–81). Sacramento, CA: California Department of Education.",
                "",
                REVIEW,
                "Reviews research on English language development instruction, including explicit teaching of "
                "language forms and structured opportunities for English learners to use English with peers.",
            ),
            ACADEMIC_CONVERSATIONS,
        ],
        stories=[
            (
                1,
                "K-5",
                [EL],
                IMPROVED,
                "Launched school-wide after a learning walk: frames were posted and used in partner talk in four "
                "of six classrooms by November. ELPAC results rose the next spring, most in grades 2 and 3.",
            ),
            (
                0,
                "2-3",
                [EL],
                TOO_EARLY,
                "Grades 2–3 adopted the frames this fall after the network convening at Dolores Huerta. Teachers "
                "hear more full-sentence answers; we will compare the tallies in February.",
            ),
            (
                1,
                "4-5",
                [EL, SED],
                IMPROVED,
                "Frames in science and social studies lessons in grades 4–5. In the weekly tallies, full-sentence "
                "answers from English learners went from about one in five to more than half.",
            ),
            (
                2,
                "K-1",
                [EL],
                MIXED,
                "Useful in kindergarten with picture supports. In grade 1 teachers wrote frames but rarely "
                "modelled them, and little changed until our coach modelled the routine.",
            ),
            (
                1,
                "3",
                [EL],
                IMPROVED,
                "One grade 3 team tried it for eight weeks; twice as many English learners spoke in full "
                "sentences by the end.",
            ),
        ],
        comments=[
            (
                "principal",
                "We added the weekly tally to our grade-level meetings; teachers now bring it along with their "
                "exit tickets.",
            ),
            (
                "huerta_coach",
                "A common pitfall: frames written for the content, not the language. The frame should need the "
                "target word.",
            ),
        ],
        attachments=[("Sentence frame cards by lesson type", "https://example.org/practices/sentence-frames.pdf")],
    ),
    Spec(
        title="A protected daily block for designated ELD",
        author="district",
        where="bayview2",
        written=(1, 4, 14),
        evidence="promising",
        tags=["English learners", "Designated ELD", "Master schedule", "District leadership"],
        summary="Every elementary school schedules 30 to 45 minutes of designated ELD every day, grouped by "
        "English proficiency level, and places it on the master schedule first, so it is never the block that "
        "gets cut. For district and school leaders building the master schedule.",
        problem="In half of our elementary schools designated ELD was the first block cut when the schedule got "
        "tight: assemblies, testing and intervention all took its time. English learners' progress on the "
        "ELPAC stalled in the schools that cut it most.",
        how=_steps(
            "Audit each school's master schedule for designated ELD minutes, by grade and by day.",
            "Publish a model schedule with the ELD block placed first, at the same time across a grade, so that "
            "students can be grouped by proficiency level across classrooms.",
            "Group students by ELPAC level and review the groups after each interim.",
            "Plan designated ELD from the day's integrated ELD lesson, so the language taught is used in "
            "content the same day.",
            "Principals report the ELD minutes delivered each month; the district's English learner office "
            "visits one block per school a month.",
        ),
        citations=[
            (
                "Saunders, W. M., Foorman, B. R., & Carlson, C. D. (2006). Is a separate block of time for oral "
                "English language development in programs for English learners needed? The Elementary School "
                "Journal, 107(2), 181–199.",
                "",
                CORRELATIONAL,
                "Compared kindergarten classrooms with and without a separate ELD block: those with one spent "
                "more time on oral English and had modestly higher oral English proficiency.",
            ),
            (
                "Saunders, W., Goldenberg, C., & Marcelletti, D. (2013). English language development: "
                "Guidelines for instruction. American Educator, 37(2), 13–25, 38–39.",
                "",
                REVIEW,
                "Research-based guidelines, among them providing ELD instruction daily in a dedicated block and "
                "planning it to support English learners in content instruction.",
            ),
        ],
        stories=[
            (
                1,
                "K-5",
                [EL],
                IMPROVED,
                "Our schedule audit found 9 of 14 elementary schools protecting ELD four days a week or more. With "
                "the model schedule every partner school ran it daily by spring, and ELPAC growth rose most in "
                "the schools that had cut it most.",
            ),
            (
                0,
                "K-5",
                [EL],
                TOO_EARLY,
                "A new master schedule this fall with ELD placed first; the block runs daily in every grade. Too "
                "early for ELPAC results.",
            ),
            (
                2,
                "1-5",
                [EL],
                MIXED,
                "We protected the block but grouped by classroom, not proficiency level: newcomers and long-term "
                "English learners sat in the same lesson. Regrouping across classrooms is next.",
            ),
            (
                1,
                "2-4",
                [EL, SED],
                IMPROVED,
                "We copied the Bayview model schedule. Nine in ten scheduled ELD blocks were held, up from about "
                "two in three, and more students moved up a proficiency level.",
            ),
        ],
        comments=[
            (
                "network",
                "Grouping by proficiency level across classrooms only worked once the whole grade had ELD at the "
                "same time. Schedule that first.",
            ),
        ],
    ),
    Spec(
        title="Student data chats and goal setting",
        author="coach",
        where="coach_school",
        written=(1, 2, 5),
        evidence="promising",
        tags=["Data use", "Student goal setting", "Feedback", "Grades 3–5"],
        summary="Three times a year, after each interim, every student in grades 3–5 meets their teacher for "
        "five minutes to look at their own results, name one strength and one next step, and set a goal they "
        "track in a folder. For schools whose interim results go to teachers but never to students.",
        problem="Students could not say how they were doing in reading or math, or what to work on: results went "
        "to teachers and families, never to students. Effort on the interim was low, and students saw tests "
        "as something done to them.",
        how=_steps(
            "After each interim, print a one-page report for each student with their results by claim.",
            "Teach the data chat with a fishbowl: the teacher and one student model it for the class.",
            "In a five-minute chat the student reads their report, names one strength and one skill to work on, "
            "and writes a goal with the teacher (“I will read 20 minutes a night and retell it to my sister”).",
            "Students track the goal weekly in a data folder; the teacher checks in during small groups.",
            "At the next interim students compare, celebrate growth and set the next goal.",
            "Keep the chats about growth and next steps, never about rank: no posted scores.",
        ),
        citations=[
            (
                "Hamilton, L., et al. (2009). Using Student Achievement Data to Support Instructional Decision "
                "Making (NCEE 2009-4067). Washington, DC: National Center for Education Evaluation and Regional "
                "Assistance, Institute of Education Sciences, U.S. Department of Education.",
                WWC,
                REVIEW,
                "A What Works Clearinghouse practice guide. One of its five recommendations: teach students to "
                "examine their own data and set learning goals.",
            ),
            (
                "Hattie, J., & Timperley, H. (2007). The power of feedback. Review of Educational Research, "
                "77(1), 81–112.",
                "",
                REVIEW,
                "Feedback is among the strongest influences on learning; it works best when it answers three "
                "questions for the learner: where am I going, how am I going, and where to next.",
            ),
            HATTIE,
        ],
        stories=[
            (
                1,
                "3-5",
                [],
                IMPROVED,
                "A pilot in two classrooms, then school-wide after the winter interim. Students could name their "
                "own goal in nine of ten classroom visits, and spring interim results rose in grades 4 and 5.",
            ),
            (
                1,
                "4-5",
                [EL],
                IMPROVED,
                "We ran the chats in English and Spanish. English learners set goals for the reading claims and "
                "tracked their independent reading; their interim results rose more than the school's.",
            ),
            (
                0,
                "3-5",
                [SED],
                TOO_EARLY,
                "First round of chats after the fall interim; teachers found the five minutes during independent "
                "reading time.",
            ),
            (
                2,
                "5",
                [],
                NO_CHANGE,
                "We held the chats once in the fall, without the folder or a second round, and the goals were "
                "forgotten by December. Results didn't move; we'll try again with the tracking.",
            ),
        ],
        comments=[
            (
                "principal",
                "The fishbowl matters. Our first chats without one turned into teachers explaining the scores to "
                "students.",
            ),
        ],
    ),
    Spec(
        title="Number talks to open every math block",
        author="valle",
        where="valle1",
        written=(1, 4, 2),
        evidence="rationale",
        tags=["Mathematics", "Mental math", "Academic talk", "Grades K–5"],
        summary="A daily ten- to fifteen-minute routine: the teacher shows one computation problem, students "
        "solve it mentally and signal when they have an answer, then explain their strategies while the "
        "teacher records them. Builds number sense, and gives every student, English learners included, daily "
        "practice explaining mathematical thinking.",
        problem="Our students could follow procedures but not reason about numbers. On the math interim the "
        "concepts and reasoning claims trailed computation by a wide margin, and few students explained their "
        "thinking in math discussions.",
        how=_steps(
            "Plan a string of three or four related problems (9 + 6, 19 + 6, 29 + 16) that invite a strategy "
            "such as making ten.",
            "Students solve mentally, with no paper, and show a quiet thumb when ready; more fingers for more "
            "strategies.",
            "Take several answers, right and wrong, without judgement, then ask students to defend them.",
            "Record each strategy on a number line or an open array, named after the student (“Maria's way”).",
            "Close by asking which strategy was most efficient for this problem, and why.",
            "Give English learners frames for explaining (“First I ___, then I ___”).",
        ),
        citations=[
            (
                "Parrish, S. (2014). Number Talks: Helping Children Build Mental Math and Computation Strategies, "
                "Grades K–5 (updated ed.). Sausalito, CA: Math Solutions.",
                "",
                OTHER,
                "Describes the routine, how to plan problem strings, and the teacher's role in drawing out and "
                "recording students' strategies.",
            ),
            (
                "Humphreys, C., & Parker, R. (2015). Making Number Talks Matter: Developing Mathematical Practices "
                "and Deepening Understanding, Grades 4–10. Portland, ME: Stenhouse.",
                "",
                OTHER,
                "Number talks for the upper grades, and how they build the habits of explaining and critiquing "
                "reasoning.",
            ),
            PROBLEM_SOLVING,
        ],
        stories=[
            (
                1,
                "K-5",
                [],
                IMPROVED,
                "Daily in every classroom since January; teachers planned the strings together in grade-level "
                "meetings. The concepts and reasoning results on the spring interim rose in grades 3 to 5.",
            ),
            (
                0,
                "3-4",
                [EL],
                TOO_EARLY,
                "Started in October in grades 3 and 4, with explaining frames for English learners. Teachers say "
                "more students volunteer strategies than in September.",
            ),
            (
                1,
                "1-2",
                [],
                MIXED,
                "Teachers liked the routine, but it stretched to 25 minutes and ate into the lesson. We now keep "
                "a timer and one string a day.",
            ),
            (
                2,
                "4-5",
                [SED],
                IMPROVED,
                "Fourth and fifth grades ran number talks three days a week all year. Fewer students left "
                "multi-digit problems blank on the interim, and the reasoning claim rose.",
            ),
        ],
        comments=[("coach", "Keep it short: fifteen minutes at most, or it becomes the lesson.")],
    ),
    Spec(
        title="Family literacy nights with take-home book bags",
        author="eastshore",
        where="eastshore1",
        written=(2, 5, 12),
        evidence="promising",
        tags=["Family partnership", "Early literacy", "English learners", "Grades TK–2"],
        summary="Four evenings a year, families of TK–2 students come to school for an hour: teachers model a "
        "read-aloud routine in English and in the family's language, families practise it with their child, "
        "and each child takes home a bag of books at their level to swap every week. For schools whose "
        "families want to help with reading but are unsure how.",
        problem="Many of our families rarely read with their children, and not for lack of interest: at "
        "conferences parents told us they did not know how to help with reading in English, and many had no "
        "children's books at home.",
        how=_steps(
            "Plan with the parent advisory committee: evening times, dinner, childcare for siblings, interpreters.",
            "Each night models one routine (a picture walk, asking questions while reading, retelling) with a "
            "book, in the family's language.",
            "Families practise with their own child while teachers circulate.",
            "Each child leaves with a bag of four books at their level; bags are swapped weekly in class.",
            "Send a short text in the family's language the next day, with one thing to try that week.",
            "Track attendance and book-bag returns; call the families who did not come to the first night.",
        ),
        citations=[
            (
                "Henderson, A. T., & Mapp, K. L. (2002). A New Wave of Evidence: The Impact of School, Family, "
                "and Community Connections on Student Achievement. Austin, TX: Southwest Educational Development "
                "Laboratory.",
                "",
                REVIEW,
                "A synthesis of research on family engagement: programs that engage families in supporting their "
                "children's learning at home are linked to higher achievement.",
            ),
            (
                "Mapp, K. L., & Kuttner, P. J. (2013). Partners in Education: A Dual Capacity-Building Framework "
                "for Family–School Partnerships. Austin, TX: SEDL.",
                "",
                OTHER,
                "A framework for family engagement: effective efforts build the capacity of both staff and "
                "families, and are linked to learning, relational and interactive.",
            ),
        ],
        stories=[
            (
                2,
                "TK-2",
                [EL, SED],
                IMPROVED,
                "Four nights last year, about 60 families each. Book-bag returns stayed above 80% all year, and "
                "kindergarten benchmark results rose, most for English learners.",
            ),
            (
                1,
                "K-1",
                [EL],
                IMPROVED,
                "We held the nights in Spanish and Vietnamese with our community liaisons. Kindergarten teachers "
                "saw more students retelling stories at the spring benchmark.",
            ),
            (
                0,
                "TK-K",
                [],
                TOO_EARLY,
                "Our first night in October drew 45 families; the book bags started going home the next week.",
            ),
            (
                1,
                "1-2",
                [SED],
                MIXED,
                "Good turnout for the first night, half as many for the others. Moving it to right after school, "
                "with childcare, helped.",
            ),
        ],
        comments=[
            ("principal", "Dinner and childcare for siblings made the biggest difference in turnout for us."),
            ("district", "The district's family engagement office can cover interpreters for these nights; ask us."),
        ],
        attachments=[("Book-bag letter to families (English and Spanish)", "https://example.org/practices/book-bags")],
    ),
    Spec(
        title="PLC data protocol: looking at student work every other week",
        author="learning",
        where="bayview3",
        written=(2, 3, 3),
        evidence="promising",
        tags=["Professional learning communities", "Data use", "Teacher teams", "Collaboration"],
        summary="Grade-level teams meet for 45 minutes every other week around a common task: every teacher "
        "brings the student work from the same assignment, the team sorts it against a rubric with a protocol, "
        "and leaves with one reteaching move for each group of students. For schools whose PLC time is on the "
        "calendar but spent on logistics.",
        problem="Grade-level meetings were on the calendar every week but spent on field trips, schedules and "
        "testing logistics. Teachers rarely looked at student work together, and reteaching decisions were made "
        "alone, if at all.",
        how=_steps(
            "Agree on a common formative task for the next two weeks: an exit ticket or a short written response.",
            "Each teacher brings the work of all their students, not a sample.",
            "The protocol, 45 minutes: norms and focus (5); sort the work into met, almost and not yet against "
            "the rubric (15); describe what the “almost” pile needs, without judgement (10); choose one "
            "reteaching move per pile (10); who does what by when (5).",
            "A rotating facilitator and timekeeper; the coach facilitates for the first month.",
            "Record decisions in a shared tracker and open the next meeting with what happened.",
            "Protect the time: no logistics in the protocol meeting.",
        ),
        citations=[
            (
                "DuFour, R., DuFour, R., Eaker, R., & Many, T. (2006). Learning by Doing: A Handbook for "
                "Professional Learning Communities at Work. Bloomington, IN: Solution Tree.",
                "",
                OTHER,
                "A handbook for professional learning communities organized around four questions: what students "
                "should learn, how we will know, what we do when they don't, and what we do when they already do.",
            ),
            (
                "Boudett, K. P., City, E. A., & Murnane, R. J. (Eds.). (2013). Data Wise: A Step-by-Step Guide to "
                "Using Assessment Results to Improve Teaching and Learning (rev. ed.). Cambridge, MA: Harvard "
                "Education Press.",
                "",
                OTHER,
                "An eight-step process for school teams' use of data, from building a culture of collaboration to "
                "examining instruction and assessing progress.",
            ),
            (
                "Vescio, V., Ross, D., & Adams, A. (2008). A review of research on the impact of professional "
                "learning communities on teaching practice and student learning. Teaching and Teacher Education, "
                "24(1), 80–91.",
                "",
                REVIEW,
                "Across the studies reviewed, well-developed learning communities changed teaching practice, and "
                "the studies that measured it found student achievement improved.",
            ),
        ],
        stories=[
            (
                2,
                "K-5",
                [],
                IMPROVED,
                "Every grade-level team ran the protocol every other week from October. By spring, teams brought "
                "work without being asked, and the share of students in the “met” pile rose on most tasks.",
            ),
            (
                1,
                "3-5",
                [EL],
                IMPROVED,
                "Our upper-grade teams used the protocol on ELD exit tickets; reteaching in small groups moved "
                "most students from “almost” to “met” within two weeks.",
            ),
            (
                1,
                "K-2",
                [],
                MIXED,
                "Primary teams found the rubric hard to apply to emergent writing. It worked once we used the "
                "district's writing continuum instead.",
            ),
            (
                0,
                "1-5",
                [SED],
                TOO_EARLY,
                "Launched in September with the coach facilitating; teams have met four times.",
            ),
            (
                2,
                "4-5",
                [],
                NO_CHANGE,
                "We kept the meetings but skipped the sort: without the student work in the room, the talk "
                "drifted back to logistics. Starting again this year with the coach facilitating.",
            ),
        ],
        comments=[
            (
                "coach",
                "Bring all the work, not a sample: the “almost” pile is where the reteaching plan comes from.",
            ),
            ("network", "We use the same protocol for our ELD exit tickets. It works well in 30 minutes, too."),
        ],
        attachments=[("Protocol and note-taker", "https://example.org/practices/plc-protocol.pdf")],
    ),
    Spec(
        title="Restorative circles in morning meeting",
        author="eastshore2",
        where="eastshore2",
        written=(1, 5, 8),
        evidence="moderate",
        tags=["School climate", "Restorative practices", "Social-emotional learning", "Discipline"],
        summary="A 15-minute circle in every classroom at least three mornings a week: students sit in a circle, "
        "pass a talking piece and answer a prompt. The relationships built there are what the school draws on "
        "after a conflict, with a restorative conversation instead of a referral.",
        problem="Office referrals and suspensions were rising in grades 3–5, concentrated among a small group of "
        "students and disproportionately among Black boys and students with disabilities. Conflicts from "
        "recess spilled into class, and teachers said they had no time to build relationships.",
        how=_steps(
            "Train all staff, yard supervisors and office staff included: a day in August and follow-up in the fall.",
            "Circles three mornings a week: a check-in round, a prompt on the week's theme, a closing round.",
            "Teach the talking-piece norms in the first two weeks; students co-lead circles by spring.",
            "After a conflict, a restorative conversation with five questions before any consequence: What "
            "happened? What were you thinking? Who was affected, and how? What do you need to make it right?",
            "Review referrals and suspensions by student group each month with the leadership team.",
        ),
        citations=[
            (
                "Augustine, C. H., Engberg, J., Grimm, G. E., Lee, E., Wang, E. L., Christianson, K., & Joseph, "
                "A. A. (2018). Can Restorative Practices Improve School Climate and Curb Suspensions? An "
                "Evaluation of the Impact of Restorative Practices in a Mid-Sized Urban School District. Santa "
                "Monica, CA: RAND Corporation.",
                "https://www.rand.org/pubs/research_reports/RR2840.html",
                EXPERIMENTAL,
                "A randomized trial in Pittsburgh's schools: suspensions fell, most in the elementary grades, and "
                "teachers reported better classroom climate; achievement did not improve, and fell in the middle "
                "grades.",
            ),
            (
                "Costello, B., Wachtel, J., & Wachtel, T. (2010). Restorative Circles in Schools: Building "
                "Community and Enhancing Learning. Bethlehem, PA: International Institute for Restorative "
                "Practices.",
                "",
                OTHER,
                "A practitioner's guide to proactive and responsive circles in classrooms.",
            ),
        ],
        stories=[
            (
                1,
                "K-5",
                [BLACK, SWD],
                IMPROVED,
                "Referrals fell by about a third in the first year, and the gap for Black students narrowed. "
                "Teachers say the Monday circle sets the tone for the week.",
            ),
            (
                1,
                "3-5",
                [],
                MIXED,
                "Circles in grades 3–5 only. Fewer recess conflicts reached class, but restorative conversations "
                "were uneven because the yard supervisors had not been trained.",
            ),
            (0, "K-2", [], TOO_EARLY, "Primary grades started circles this fall after the August training."),
            (
                2,
                "4-5",
                [SWD],
                IMPROVED,
                "With our special education team co-leading circles, suspensions of students with disabilities "
                "dropped to two all year.",
            ),
        ],
        comments=[
            (
                "learning",
                "Rated moderate: the RAND trial found fewer suspensions, especially in elementary schools, but no "
                "gains in achievement. Worth tracking both.",
            ),
            ("valle", "Train the yard supervisors too; most of our conflicts start at recess."),
        ],
    ),
    Spec(
        title="Positive greetings at the door",
        author="huerta_coach",
        where="huerta",
        written=(1, 11, 18),
        evidence="promising",
        tags=["Classroom management", "School climate", "Student engagement"],
        summary="The teacher stands at the door as class begins, greets each student by name with a handshake, "
        "a high five or a word, and gives a quiet reminder of the first task to students who need one. It "
        "costs nothing and takes the first two minutes of class.",
        problem="Transitions after recess and lunch were losing ten minutes of instruction in our upper-grade "
        "classrooms, and a handful of students began most afternoons in conflict.",
        how=_steps(
            "Stand at the door at every transition into class.",
            "Greet each student by name, with the greeting they chose.",
            "Give a brief reminder to students who had a hard time earlier (“First thing is the warm-up on your "
            "desk”).",
            "Have a task on every desk so that students start without waiting.",
            "The coach times the first five minutes after each transition for two weeks before and after.",
        ),
        citations=[
            (
                "Cook, C. R., Fiat, A., Larson, M., Daikos, C., Slemrod, T., Holland, E. A., Thayer, A. J., & "
                "Renshaw, T. (2018). Positive greetings at the door: Evaluation of a low-cost, high-yield "
                "proactive classroom management strategy. Journal of Positive Behavior Interventions, 20(3), "
                "149–159.",
                "",
                EXPERIMENTAL,
                "In middle school classrooms, greeting students at the door raised academic engaged time and "
                "reduced disruptive behavior.",
            ),
        ],
        stories=[
            (
                1,
                "4-5",
                [],
                IMPROVED,
                "Timed transitions after lunch went from about ten minutes to under four in the six classrooms "
                "that tried it, and afternoon referrals fell.",
            ),
            (0, "3-5", [], TOO_EARLY, "All upper-grade teachers greet at the door since October."),
            (
                1,
                "2-3",
                [SWD],
                IMPROVED,
                "Our special day class started it first; the other teachers followed when they saw how quickly "
                "students settled.",
            ),
        ],
        comments=[("eastshore", "Simple and it works. We added it to our new-teacher induction.")],
    ),
    Spec(
        title="Robust vocabulary instruction: a few words, many times",
        author="huerta_coach",
        where="huerta",
        written=(2, 2, 24),
        evidence="strong",
        tags=["Vocabulary", "English learners", "Reading comprehension", "Grades K–5"],
        summary="Each week a class learns three to five words common in books but rare in conversation "
        "(“reluctant”, “fortunate”), chosen from the read-aloud, with a student-friendly explanation, examples, "
        "and several days of chances to use them. For classrooms where students decode but do not understand "
        "grade-level texts.",
        problem="Our students, English learners most of all, decoded grade-level texts but did not understand "
        "them: vocabulary items were the weakest on the interim, and words were taught by copying dictionary "
        "definitions.",
        how=_steps(
            "Choose three to five words from the week's read-aloud that students will meet again in other books.",
            "Introduce each with a student-friendly explanation (“‘Reluctant’ means you don't want to do "
            "something”) and examples from the story and from students' lives.",
            "Five minutes a day of quick activities that make students use the words (“Would you be reluctant "
            "to…?”, “Which is more…?”).",
            "Post a word wall; students earn a tally when they notice or use a word.",
            "Review the week's words on Friday and use them again in writing.",
        ),
        citations=[
            (
                "Beck, I. L., McKeown, M. G., & Kucan, L. (2013). Bringing Words to Life: Robust Vocabulary "
                "Instruction (2nd ed.). New York, NY: Guilford Press.",
                "",
                OTHER,
                "How to choose words worth teaching and teach them with student-friendly explanations and "
                "frequent, varied use over time.",
            ),
            ENGLISH_LEARNERS,
        ],
        stories=[
            (
                2,
                "K-5",
                [EL],
                IMPROVED,
                "School-wide from January. Students used the week's words in writing without prompting by "
                "spring, and vocabulary results on the interim rose in every grade.",
            ),
            (
                1,
                "1-3",
                [EL, SED],
                IMPROVED,
                "Primary teachers chose words from the read-aloud together at grade-level meetings; English "
                "learners' retells used more of the words.",
            ),
            (0, "4-5", [EL], TOO_EARLY, "Upper grades started in September with science words as well."),
            (
                1,
                "2",
                [],
                MIXED,
                "It worked in the classrooms that kept the daily five minutes; in the others the words went up on "
                "the wall and stayed there.",
            ),
        ],
        comments=[
            ("principal", "Choosing the words together at the grade-level meeting kept it going in our school."),
        ],
    ),
    Spec(
        title="Three reads for math word problems",
        author="valle2",
        where="valle2",
        written=(1, 2, 12),
        evidence="rationale",
        tags=["Mathematics", "English learners", "Problem solving", "Academic talk"],
        summary="Students read a word problem three times, with a different question each time: what is the "
        "situation about (no numbers yet)? what are the quantities? what questions could we ask? Only then do "
        "they solve. It helps English learners make sense of the language of a problem before computing.",
        problem="Students, English learners especially, pulled the numbers out of a word problem and computed "
        "without reading the situation. Problem-solving items on the interim trailed computation by twenty "
        "points.",
        how=_steps(
            "Show the problem without its question.",
            "First read, aloud by the teacher: what is this situation about? Students retell it to a partner.",
            "Second read, chorally: what can be counted or measured? List the quantities, with their units.",
            "Third read, in pairs: what mathematical questions could we ask about this situation?",
            "Reveal the question; students solve and explain with a frame (“I know ___ because ___”).",
        ),
        citations=[
            (
                "Zwiers, J., Dieckmann, J., Rutherford-Quach, S., Daro, V., Skarin, R., Weiss, S., & Malamut, J. "
                "(2017). Principles for the Design of Mathematics Curricula: Promoting Language and Content "
                "Development. Stanford, CA: Stanford University, Understanding Language.",
                "",
                OTHER,
                "Sets out mathematical language routines for supporting English learners' sense-making and "
                "language in mathematics; “Three Reads” is one of them.",
            ),
            PROBLEM_SOLVING,
        ],
        stories=[
            (
                1,
                "3-5",
                [EL],
                IMPROVED,
                "All grade 3–5 classes used three reads twice a week from February. Fewer English learners left "
                "word problems blank, and problem-solving results rose on the spring interim.",
            ),
            (0, "4-5", [EL], TOO_EARLY, "Grade 4 and 5 teachers started in October after a lab lesson."),
            (
                1,
                "3",
                [],
                MIXED,
                "Students liked asking their own questions, but three reads took too long for every problem; we "
                "now use it for one problem a day.",
            ),
        ],
        comments=[("coach", "The second read (the quantities, with units) is where most of our students got stuck.")],
    ),
    Spec(
        title="Personal outreach to families of chronically absent students",
        author="valle_district",
        where="valle1",
        written=(1, 3, 20),
        evidence="strong",
        tags=["Attendance", "Family partnership", "Early grades"],
        summary="After a student's third absence in a month, their teacher calls home to ask what would help, and "
        "the school mails families a letter showing their child's total absences next to what is typical. "
        "Students chronically absent last year get a mentor who checks in every day.",
        problem="One in five of our elementary students missed 10% or more of school days, most in kindergarten "
        "and first grade. Many families did not realize how many days their child had missed.",
        how=_steps(
            "Run the absence report every Monday and flag students with three or more absences in 30 days.",
            "The teacher calls home that week: ask how the family is, what makes getting to school hard, and "
            "offer help, not a warning.",
            "Mail families a letter in their language with their child's total absences this year, how many "
            "days classmates typically miss, and why every day counts.",
            "For students chronically absent last year, a staff mentor checks in with them every morning.",
            "Review chronic absence by grade and student group every month.",
        ),
        citations=[
            (
                "Rogers, T., & Feller, A. (2018). Reducing student absences at scale by targeting parents' "
                "misbeliefs. Nature Human Behaviour, 2(5), 335–342.",
                "",
                EXPERIMENTAL,
                "A large randomized experiment: parents underestimated their children's absences, and mailings "
                "telling them their child's total absences reduced absences and chronic absence.",
            ),
            (
                "Chang, H. N., & Romero, M. (2008). Present, Engaged, and Accounted For: The Critical Importance "
                "of Addressing Chronic Absence in the Early Grades. New York, NY: National Center for Children in "
                "Poverty.",
                "",
                CORRELATIONAL,
                "Chronic absence in kindergarten is associated with lower achievement in first grade, most of all "
                "for children from low-income families.",
            ),
        ],
        stories=[
            (
                1,
                "TK-5",
                [SED],
                IMPROVED,
                "Chronic absence fell from 21% to 14% in a year across our partner elementary schools; the "
                "largest drop was in kindergarten.",
            ),
            (
                0,
                "K-2",
                [],
                TOO_EARLY,
                "Teachers have made the first round of calls; the first letters go out after the fall break.",
            ),
            (
                2,
                "K-5",
                [LATINO, EL],
                IMPROVED,
                "Calls in Spanish from our community liaison and a daily mentor for 30 students. Chronic absence "
                "among our English learners fell by a third.",
            ),
            (
                1,
                "1-3",
                [],
                NO_CHANGE,
                "We sent the letters but never made the calls; absence didn't change. The calls are what families "
                "responded to elsewhere.",
            ),
        ],
        comments=[
            ("network", "The letters were easy; the calls are what changed things with our families."),
            ("district", "Bayview will pilot the letters in the spring; we'd like to see your template."),
        ],
    ),
    Spec(
        title="High-dosage tutoring for early readers during the school day",
        author="learning",
        where="coach_school",
        written=(1, 5, 28),
        evidence="strong",
        tags=["Tutoring", "Early literacy", "Intervention", "Grades K–2"],
        summary="Trained tutors (paraprofessionals and AmeriCorps members) work with two students at a time for "
        "30 minutes, four days a week, during the school day, on a structured foundational-skills sequence, "
        "with progress checked every two weeks.",
        problem="A third of our first graders ended kindergarten below benchmark on the early reading screener, "
        "and pull-out intervention happened irregularly, with whichever adult was free.",
        how=_steps(
            "Identify students below benchmark on the fall screener and pair them by skill need.",
            "Schedule sessions in the intervention block, never during core reading.",
            "Tutors train for two days on the sequence and are observed weekly by the reading coach.",
            "Every session has the same structure: phonemic awareness warm-up, explicit phonics, reading a "
            "decodable text, dictation.",
            "Check progress every two weeks; students leave at benchmark and new students join.",
            "Keep the same tutor with the same students all year.",
        ),
        citations=[
            (
                "Nickow, A., Oreopoulos, P., & Quan, V. (2020). The Impressive Effects of Tutoring on PreK-12 "
                "Learning: A Systematic Review and Meta-Analysis of the Experimental Evidence (NBER Working Paper "
                "No. 27476). Cambridge, MA: National Bureau of Economic Research.",
                "https://www.nber.org/papers/w27476",
                REVIEW,
                "Across randomized evaluations, tutoring had consistently large positive effects on learning, "
                "larger when delivered by teachers or paraprofessionals, and for reading in the earliest grades.",
            ),
            FOUNDATIONAL,
        ],
        stories=[
            (
                1,
                "K-1",
                [SED, EL],
                IMPROVED,
                "Sixty students in pairs with six tutors. Two in three reached benchmark by spring, against about "
                "one in three in earlier years.",
            ),
            (
                0,
                "1-2",
                [EL],
                TOO_EARLY,
                "Tutoring started in October for 40 first and second graders; first progress checks are in.",
            ),
            (
                1,
                "K-2",
                [],
                MIXED,
                "Strong results where tutors kept to the schedule; sessions were often cancelled to cover "
                "classrooms, and those students gained little.",
            ),
            (
                2,
                "1",
                [SWD],
                IMPROVED,
                "Our resource teacher trained two aides; most first graders tutored reached benchmark.",
            ),
        ],
        comments=[
            ("principal", "Protecting the tutors from being pulled to cover classes was the hardest part for us."),
            ("district", "The district will fund tutors at two more schools next year; we used this write-up."),
        ],
    ),
    Spec(
        title="Paired walkthroughs with one shared look-for",
        author="director",
        where="bayview2",
        written=(1, 6, 5),
        evidence="rationale",
        tags=["Instructional leadership", "Walkthroughs", "Coaching", "Feedback"],
        summary="Principals and their school innovation partners walk classrooms together every other week, with "
        "one look-for agreed across the region (“students do the reading and the talking”), and give teachers "
        "feedback within a day. For schools where teachers hear different things from different visitors.",
        problem="Partners and principals walked classrooms with different checklists, so their feedback to "
        "teachers contradicted itself and little changed.",
        how=_steps(
            "Agree on one look-for with the region's principals, written as what students do.",
            "Walk together every other week: six classrooms, ten minutes each.",
            "Rate the look-for separately, then compare and talk through every disagreement.",
            "Give each teacher one piece of feedback on the look-for within a day.",
            "Calibrate across schools once a term with a shared walk.",
        ),
        citations=[
            (
                "City, E. A., Elmore, R. F., Fiarman, S. E., & Teitel, L. (2009). Instructional Rounds in "
                "Education: A Network Approach to Improving Teaching and Learning. Cambridge, MA: Harvard "
                "Education Press.",
                "",
                OTHER,
                "How networks of educators observe classrooms together around a problem of practice, describing "
                "what they see without judgement, to build a shared picture of good instruction.",
            ),
            (
                "Kraft, M. A., Blazar, D., & Hogan, D. (2018). The effect of teacher coaching on instruction and "
                "achievement: A meta-analysis of the causal evidence. Review of Educational Research, 88(4), "
                "547–588.",
                "",
                REVIEW,
                "Across causal studies, coaching improved teachers' instruction and, by less, students' "
                "achievement; effects were smaller in larger programs.",
            ),
        ],
        stories=[
            (
                1,
                "K-5",
                [],
                IMPROVED,
                "Paired walks in eight Bay Area schools: partner and principal ratings agreed in 41 of 48 "
                "classrooms, up from 22 in the fall, and principals asked to keep the look-for.",
            ),
            (0, "K-5", [], TOO_EARLY, "Our principal and partner started paired walks in September."),
            (
                1,
                "3-5",
                [],
                IMPROVED,
                "We walked the upper grades with the look-for for a semester; teachers said the feedback finally "
                "agreed.",
            ),
        ],
        comments=[("principal", "Walking together did more for our calibration than any checklist.")],
        cycles=["walks"],
    ),
    Spec(
        title="Advisory check-ins with a trusted adult in grades 6–8",
        author="middle",
        where="middle1",
        written=(1, 4, 22),
        evidence="promising",
        tags=["School climate", "Attendance", "Middle grades", "Social-emotional learning"],
        summary="Every middle schooler has an advisory teacher who meets their group of 15 for twenty minutes "
        "each morning and checks in one-on-one with each student every two weeks about grades, attendance and "
        "how things are going.",
        problem="Sixth graders arriving from small elementary schools fell through the cracks: by November, "
        "chronic absence and failing grades rose sharply, and many students said no adult at school knew them "
        "well.",
        how=_steps(
            "Assign every student an advisor for all three years; groups of about 15.",
            "Twenty minutes each morning: a check-in circle, then a planner check or a lesson.",
            "Every two weeks, a five-minute one-on-one on grades, attendance and one goal.",
            "Advisors see their students' attendance and grades on one page and call home after two absences.",
            "Grade-level teams review the students flagged by advisors every week.",
        ),
        citations=[
            (
                "Allensworth, E. M., & Easton, J. Q. (2007). What Matters for Staying On-Track and Graduating in "
                "Chicago Public High Schools. Chicago, IL: Consortium on Chicago School Research.",
                "",
                CORRELATIONAL,
                "Course failures and attendance in the first year of high school predict graduation better than "
                "test scores or background, and are things schools can act on.",
            ),
        ],
        stories=[
            (
                1,
                "6-8",
                [SED],
                IMPROVED,
                "Advisory every morning since last year. Sixth-grade chronic absence fell by a quarter and D/F "
                "grades in the first quarter by a third.",
            ),
            (0, "6", [], TOO_EARLY, "Sixth grade began advisory this fall; seventh and eighth follow in January."),
            (
                2,
                "7-8",
                [EL],
                MIXED,
                "The morning groups ran well; the one-on-ones slipped whenever testing took the advisory time.",
            ),
        ],
        comments=[("district", "Both Bayview middle schools now use this schedule; the daily twenty minutes matters.")],
        level=School.Level.MIDDLE,
    ),
    Spec(
        title="Home visits before the school year starts",
        author="bayview2",
        where="bayview2",
        written=(2, 10, 15),
        evidence="promising",
        tags=["Family partnership", "Attendance", "Relationships"],
        summary="In August and September, pairs of teachers visit the families of their new students at home "
        "(or at a park or café of the family's choosing) for half an hour, to listen to the family's hopes for "
        "their child, with no agenda about school rules or grades.",
        problem="Our first contact with most families was a phone call about a problem. Families of English "
        "learners in particular rarely came to school, and teachers knew little about their students' lives.",
        how=_steps(
            "Train teachers for half a day: the visit is voluntary for families, paid for teachers, and always "
            "made in pairs.",
            "Offer a visit to every family of a new class; visit those who accept in the two weeks before and "
            "after school starts.",
            "Ask three questions: about the child's strengths, the family's hopes, and how the school can help.",
            "Write down nothing during the visit; afterwards share one thing with the child's next teacher.",
            "Invite visited families to the fall family night by name.",
        ),
        citations=[
            (
                "Sheldon, S. B., & Jung, S. B. (2018). Student Outcomes and Parent Teacher Home Visits. Baltimore, "
                "MD: Center on School, Family, and Community Partnerships, Johns Hopkins University.",
                "",
                CORRELATIONAL,
                "Students whose families had a home visit had lower chronic absence and were more likely to be "
                "proficient in English language arts than similar students whose families had none.",
            ),
            (
                "Henderson, A. T., & Mapp, K. L. (2002). A New Wave of Evidence: The Impact of School, Family, "
                "and Community Connections on Student Achievement. Austin, TX: Southwest Educational Development "
                "Laboratory.",
                "",
                REVIEW,
                "A synthesis of research on family engagement: programs that engage families in supporting their "
                "children's learning at home are linked to higher achievement.",
            ),
        ],
        stories=[
            (
                2,
                "TK-5",
                [EL],
                IMPROVED,
                "Teachers visited 140 families in the first year. Conference attendance rose from about half to "
                "more than four in five families.",
            ),
            (
                1,
                "K-2",
                [],
                IMPROVED,
                "Kindergarten teachers visited every family who accepted; September absences fell.",
            ),
            (0, "K-1", [EL], TOO_EARLY, "Our first round of visits was in August; 38 families took part."),
        ],
        comments=[("network", "Paying teachers for the visits made it something we could sustain.")],
    ),
    Spec(
        title="Interactive writing with a shared pen in kindergarten and first grade",
        author="eastshore",
        where="eastshore1",
        written=(0, 9, 25),
        evidence="rationale",
        tags=["Writing", "Early literacy", "Phonics", "Grades TK–2"],
        summary="Ten minutes a day, the class composes one sentence together about a shared experience; students "
        "come up to write the sounds and words they know while the teacher writes the rest, thinking aloud "
        "about spacing, sounds and punctuation.",
        problem="Kindergartners and first graders rarely wrote, and when they did, wrote strings of letters "
        "without sounds. Phonics lessons were not carried into writing.",
        how=_steps(
            "Choose a shared experience: a read-aloud, a science observation, a trip.",
            "The class agrees on one sentence; everyone says it aloud and counts the words.",
            "Call students up to write the sounds and words they know, matched to what they are learning in "
            "phonics; the teacher writes the rest.",
            "Reread after every word; point out spaces, capitals and punctuation.",
            "Post the sentences; students reread them and illustrate them during centers.",
        ),
        citations=[
            (
                "Graham, S., et al. (2012). Teaching Elementary School Students to Be Effective Writers (NCEE "
                "2012-4058). Washington, DC: National Center for Education Evaluation and Regional Assistance, "
                "Institute of Education Sciences, U.S. Department of Education.",
                WWC,
                REVIEW,
                "A What Works Clearinghouse practice guide. Among its recommendations: provide daily time for "
                "students to write, and teach students to become fluent with handwriting, spelling, sentence "
                "construction and typing.",
            ),
        ],
        stories=[
            (
                0,
                "K-1",
                [EL],
                TOO_EARLY,
                "Every kindergarten and first-grade class writes a shared sentence each day since September.",
            ),
            (
                1,
                "K",
                [],
                IMPROVED,
                "Kindergartners wrote more sounds in their own journals by spring; our phonics assessment results "
                "rose too.",
            ),
            (1, "1", [EL], MIXED, "It worked when we kept it to ten minutes; longer sessions lost the class."),
        ],
        comments=[("coach", "Match who you call up to the phonics skill they are on; everyone gets a turn in a week.")],
    ),
]

# Drafts: written by their authors, not yet ready to publish.
DRAFTS = [
    (
        "director",
        ["Early literacy", "Extended learning time"],
        "Saturday reading academy: what we learned",
        "A Saturday morning reading program for students two or more years behind, closed early.",
        "Students two or more years behind in reading get no more reading time than their classmates.",
    ),
    (
        "valle",
        ["Mathematics", "Family partnership"],
        "Math game night for families",
        "An evening of math games that families can play at home with cards and dice.",
        "",
    ),
    (
        "huerta_coach",
        ["English learners", "Newcomers"],
        "A welcome week for newcomer English learners",
        "A first week for students new to the country: a buddy, a tour in their language, and a first "
        "assessment of what they already know.",
        "Newcomers spend their first weeks lost: no one speaks their language, and their teachers know nothing "
        "about their schooling so far.",
    ),
]


# -- the people and places ---------------------------------------------------------------------------


@dataclass
class _Cast:
    leader: Person  # publishes, as the library's editor
    people: dict[str, Person]
    schools: dict[str, School]
    leads: dict[int, Person]  # school → its principal, or the network member who leads it
    district_leaders: dict[int, Person]  # district → its leader
    cycles: dict[str, Cycle]

    @classmethod
    def find(cls, domain: str) -> "_Cast":
        def login(name: str) -> Person:
            return Person.objects.get(email=f"{name}@{domain}")

        leads: dict[int, Person] = {}
        for role in (Role.PRINCIPAL, Role.NETWORK_MEMBER):
            for ra in RoleAssignment.objects.filter(role=role, school__isnull=False).select_related("person"):
                leads.setdefault(ra.school_id, ra.person)  # type: ignore[arg-type]
        district_leaders: dict[int, Person] = {}
        for ra in RoleAssignment.objects.filter(role=Role.DISTRICT_LEADER, district__isnull=False).order_by("pk"):
            district_leaders.setdefault(ra.district_id, ra.person)  # type: ignore[arg-type]

        def schools_of(name: str) -> list[School]:
            partnership = Partnership.objects.get(name=name)
            return [m.school for m in partnership.memberships.select_related("school").order_by("school__pk")]

        bayview = schools_of("Bayview Unified district partnership")
        eastshore = schools_of("Eastshore elementary cohort")
        valle = schools_of("Valle Verde leadership network")
        middle = schools_of("Bayview middle grades")
        principal, network, coach = login("principal"), login("network"), login("coach")
        chavez = School.objects.get(pk=_school_of(principal))
        huerta = School.objects.get(pk=_school_of(network))
        coached = [s.school for s in SiteAssignment.objects.filter(person=coach).select_related("school")]
        coach_school = next(s for s in coached if s.pk != chavez.pk)
        others = [s for s in bayview if s.pk not in (chavez.pk, coach_school.pk)]
        schools = {
            "chavez": chavez,
            "huerta": huerta,
            "coach_school": coach_school,
            "bayview2": others[0],
            "bayview3": others[1],
            "eastshore1": eastshore[0],
            "eastshore2": eastshore[1],
            "valle1": valle[0],
            "valle2": valle[1],
            "middle1": middle[0],
        }
        huerta_coach = SiteAssignment.objects.filter(school=huerta).order_by("pk").first()
        learning = Person.objects.filter(roles__role=Role.NATIONAL_LEADER, title="Director of learning").first()
        people = {
            "principal": principal,
            "network": network,
            "coach": coach,
            "district": login("district"),
            "director": login("director"),
            "learning": learning or login("leader"),
            "huerta_coach": huerta_coach.person if huerta_coach else coach,
            "valle_district": district_leaders[valle[0].district_id],
        }
        for key in ("bayview2", "eastshore1", "eastshore2", "valle1", "valle2", "middle1"):
            people[key.rstrip("1")] = leads[schools[key].pk]
        cycles = {}
        chain = Cycle.objects.filter(school=chavez, level=Cycle.Level.SCHOOL, status=Cycle.Status.COMPLETED)
        for n, cycle in enumerate(chain.order_by("starts_on"), start=1):
            cycles[f"chavez{n}"] = cycle
        walks = Cycle.objects.filter(title="Principal walkthroughs with one shared look-for").first()
        if walks is not None:
            cycles["walks"] = walks
        return cls(login("leader"), people, schools, leads, district_leaders, cycles)


def _school_of(person: Person) -> int:
    ra = RoleAssignment.objects.filter(person=person, school__isnull=False).order_by("pk").first()
    assert ra is not None and ra.school_id is not None
    return ra.school_id


def _grades(spec: str) -> list[str]:
    first, _, last = spec.partition("-")
    return GRADES[GRADES.index(first) : GRADES.index(last or first) + 1]


class _Pools:
    """Where the reports of trying a practice come from: in turn, the schools most like Cesar Chavez
    Elementary, those most like Dolores Huerta Elementary, and any school of the type; each pool is
    gone through in order across practices, so the reports spread over the near schools."""

    NEAR = 8

    def __init__(self, cast: _Cast, rng: random.Random) -> None:
        self.rng = rng
        self.near = [
            [p.school for p in similar_schools(cast.schools[key]).peers[: self.NEAR]] for key in ("chavez", "huerta")
        ]
        self.cursor = [0, 0]
        self.by_level: dict[str, list[School]] = {}

    def pick(self, n: int, level: str, taken: set[int]) -> School:
        if level == School.Level.ELEMENTARY and n % 3 != 0:
            pool = self.near[(n - 1) % 3]
            for _ in range(len(pool)):
                school = pool[self.cursor[(n - 1) % 3] % len(pool)]
                self.cursor[(n - 1) % 3] += 1
                if school.pk not in taken:
                    return school
        if level not in self.by_level:
            self.by_level[level] = list(School.objects.filter(level=level).select_related("district").order_by("pk"))
        return self.rng.choice([s for s in self.by_level[level] if s.pk not in taken])


# -- telling each practice's story through the actions --------------------------------------------------


def load(year: int, today: datetime.date, domain: str) -> list[Practice]:
    """The library as of `today`; `year` is the current school year."""
    today = min(today, timezone.localdate())
    rng = random.Random("practices")
    cast = _Cast.find(domain)
    pools = _Pools(cast, rng)
    groups = {g.code: g for g in StudentGroup.objects.filter(code__in=[EL, SED, SWD, BLACK, LATINO])}
    out = [_published(cast, pools, groups, spec, year, today, i) for i, spec in enumerate(PUBLISHED)]
    for i, (author, tags, title, summary, problem) in enumerate(DRAFTS):
        day = today - datetime.timedelta(days=12 + 9 * i)
        with dated(moment(day, "16:10")):
            draft = actions.do_save_practice(
                cast.people[author], Practice(title=title, summary=summary, problem=problem), tags
            )
        _set(Practice, [draft], created_at=moment(day, "16:10"), updated_at=moment(day, "16:10"))
        out.append(draft)
    return out


def _day(school_year: int, month: int, day: int) -> datetime.date:
    return datetime.date(school_year - 1 if month >= 7 else school_year, month, day)


def _set(model: type[Model], objects: list[Model], **values: object) -> None:
    model.objects.filter(pk__in=[o.pk for o in objects]).update(**values)  # type: ignore[attr-defined]


def _published(
    cast: _Cast,
    pools: _Pools,
    groups: dict[str, StudentGroup],
    spec: Spec,
    year: int,
    today: datetime.date,
    index: int,
) -> Practice:
    """Written at its school, with where it started and its research; published two weeks later by
    the library's editor; then tried elsewhere and commented on, up to `today`."""
    ago, month, day = spec.written
    latest = today - datetime.timedelta(days=40 - index)
    written = min(_day(year - ago, month, day), latest)
    published = min(written + datetime.timedelta(days=14), today - datetime.timedelta(days=25 - index))
    published = max(published, written)
    author = cast.people[spec.author]
    origin = cast.schools[spec.where]

    def trial(by: Person, school: School, story: Story, kind: str) -> Trial:
        years_ago, grades, codes, result, text = story
        chosen = [groups[c] for c in codes if c in groups]
        return actions.do_add_trial(
            by, practice, school, year - years_ago, _grades(grades), chosen, result, text, kind=kind
        )

    at = moment(written, "15:30")
    with dated(at):
        practice = actions.do_save_practice(
            author,
            Practice(
                title=spec.title, summary=spec.summary, problem=spec.problem, how=spec.how, evidence=spec.evidence
            ),
            spec.tags,
        )
        first = trial(author, origin, spec.stories[0], Trial.Kind.ORIGIN)
        linked = []
        for key in spec.cycles:
            cycle = cast.cycles.get(key)
            if cycle is not None:
                actions.do_link_cycle(author, practice, cycle)
                linked.append(cycle)
    _set(Trial, [first], created_at=at)
    _set(CycleLink, list(_links(practice)), created_at=at)
    for cycle in linked:
        if cycle.last_activity_at is None or cycle.last_activity_at < at:
            _set(Cycle, [cycle], last_activity_at=at)

    # The library's editors add the research, and publish.
    at = moment(published, "10:00")
    editor = cast.people["learning"]
    with dated(at):
        citations = [
            actions.do_add_citation(editor, practice, reference, url, design, finding)
            for reference, url, design, finding in spec.citations
        ]
        attachments = [actions.do_add_attachment(author, practice, title, url) for title, url in spec.attachments]
        actions.do_publish(cast.leader, practice)
    _set(Citation, citations, added_at=at)
    _set(Attachment, attachments, added_at=at)
    _set(Practice, [practice], created_at=moment(written, "15:30"), published_at=at)

    # Tried elsewhere: reported by the school's principal, or its district's leader.
    taken = {origin.pk}
    last = at
    stories = spec.stories[1:]
    for n, story in enumerate(stories, start=1):
        school = pools.pick(n, spec.level, taken)
        taken.add(school.pk)
        by = cast.leads.get(school.pk) or cast.district_leaders.get(school.district_id) or editor
        # Reported in the spring of the year it was tried; this year's, in the fall.
        reported = _day(year, 10, 1) if story[0] == 0 else _day(year - story[0], 5, 20)
        day = max(published + datetime.timedelta(days=9 * n), reported + datetime.timedelta(days=3 * index))
        day = max(min(day, today - datetime.timedelta(days=2 * (len(stories) - n) + 3)), published)
        last = max(last, moment(day, "16:00"))
        with dated(last):
            report = trial(by, school, story, Trial.Kind.REPORT)
        _set(Trial, [report], created_at=last)

    for n, (who, body) in enumerate(spec.comments, start=1):
        day = min(last.date() + datetime.timedelta(days=3 * n), today - datetime.timedelta(days=1))
        last = max(last, moment(day, "17:15"))
        with dated(last):
            comment = actions.do_comment(cast.people[who], practice, body)
        _set(Comment, [comment], created_at=last)
    _set(Practice, [practice], updated_at=last)
    return practice


def _links(practice: Practice) -> list[CycleLink]:
    return list(
        CycleLink.objects.filter(content_type=ContentType.objects.get_for_model(Practice), object_id=practice.pk)
    )
