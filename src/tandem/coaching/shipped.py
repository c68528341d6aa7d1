"""The competency frameworks that Tandem ships by default.

A competency framework describes, in plain language, what good practice looks like for the people a coach works
with. Each framework is split into domains, each domain into competencies, and each competency has one short,
observable descriptor for each level in ``LEVELS`` (lowest first). Coaches and the people they coach use the
descriptors to agree on where practice is today, choose a next step, and record growth over time.

Two frameworks are shipped:

* "Teaching practice", for teachers.
* "School leaders as change agents", for principals and school leadership teams.

The wording here was written for Tandem; it is not taken from any published rubric.

This module is plain data. A data migration installs it into the database once; after that each organization can
edit its copy (rename, reword, add or retire competencies) from the app, and this file is not read again. Editing
a framework creates a new version rather than changing the old one in place, so ratings already recorded keep the
meaning of the wording they were given against. Changing this file later only affects new installations (or a new
migration written on purpose); keep the ``code`` values stable, since they identify competencies across versions.
"""

from typing import TypedDict


class CompetencySpec(TypedDict):
    code: str  # short stable code, e.g. "T1.2" (framework letter, domain number, competency number)
    name: str
    description: str  # one sentence: what the competency is about
    descriptors: list[str]  # one per level, lowest first (exactly len(LEVELS))


class DomainSpec(TypedDict):
    name: str
    competencies: list[CompetencySpec]


class FrameworkSpec(TypedDict):
    name: str
    audience: str  # "teacher" or "leader"
    description: str
    domains: list[DomainSpec]


LEVELS = ["Beginning", "Developing", "Proficient", "Leading"]


TEACHING_PRACTICE: FrameworkSpec = {
    "name": "Teaching practice",
    "audience": "teacher",
    "description": (
        "What strong, equitable classroom practice looks and sounds like, so a teacher and coach can agree on where "
        "the teacher is today, name one next step, and see growth over a coaching cycle. Every descriptor is written "
        "as something a coach could see or hear during a visit, in a planning meeting, or in student work."
    ),
    "domains": [
        {
            "name": "Planning for grade-level learning",
            "competencies": [
                {
                    "code": "T1.1",
                    "name": "Clear grade-level goals",
                    "description": (
                        "Setting lesson goals that match grade-level standards and making them plain to students."
                    ),
                    "descriptors": [
                        (
                            "Lessons are organized around activities rather than a learning goal, or the goal is well "
                            "below grade level. Students cannot say what they are supposed to learn."
                        ),
                        (
                            "A goal is posted and loosely tied to a grade-level standard, but the lesson only partly "
                            "works toward it. A few students can restate the goal when asked."
                        ),
                        (
                            "Each lesson has one clear, grade-level goal that the teacher explains in student-friendly "
                            "language. Most students can say what they are learning and why it matters."
                        ),
                        (
                            "Goals build on each other across the unit and the teacher connects each lesson to the "
                            "bigger picture. Students use the goal on their own to judge how close they are to meeting "
                            "it."
                        ),
                    ],
                },
                {
                    "code": "T1.2",
                    "name": "Tasks that carry the goal",
                    "description": "Choosing tasks and materials that ask every student to do grade-level thinking.",
                    "descriptors": [
                        (
                            "Tasks mostly ask students to copy, recall or fill in blanks. Some groups of students get "
                            "easier work instead of grade-level work."
                        ),
                        (
                            "The teacher uses the core curriculum task, but often simplifies it or does the hard part "
                            "for students during the lesson."
                        ),
                        (
                            "Tasks from the core curriculum are used as written, and every student works on the "
                            "grade-level task. The teacher has worked the task ahead of time and knows where students "
                            "may get stuck."
                        ),
                        (
                            "The teacher studies the unit as a whole and adjusts tasks to deepen thinking without "
                            "lowering the bar. Colleagues ask to borrow their annotated plans."
                        ),
                    ],
                },
                {
                    "code": "T1.3",
                    "name": "Planning for access",
                    "description": (
                        "Planning supports so English learners, students with disabilities and students who are behind "
                        "can reach the same grade-level goal."
                    ),
                    "descriptors": [
                        (
                            "Plans do not mention supports for particular students, or supports are added only after "
                            "students struggle in class."
                        ),
                        (
                            "Plans list general supports such as sentence frames or extra time, but they are not "
                            "matched to specific students or to the hardest part of the lesson."
                        ),
                        (
                            "Plans name the students who need support, the part of the lesson that will be hardest for "
                            "them, and the scaffold that will help. IEP goals and language levels are reflected in the "
                            "plan."
                        ),
                        (
                            "Supports are planned to fade over the unit so students grow more independent. The teacher "
                            "plans together with specialists and ESL staff and can show how each scaffold helped."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Instruction that engages every student",
            "competencies": [
                {
                    "code": "T2.1",
                    "name": "Students do the thinking",
                    "description": (
                        "Making sure students, not the teacher, do most of the reading, writing, talking and problem "
                        "solving."
                    ),
                    "descriptors": [
                        (
                            "The teacher does most of the talking and answers most of the questions. A few students "
                            "respond while many sit quietly or off task."
                        ),
                        (
                            "The teacher asks questions and gives some work time, but often calls on volunteers and "
                            "steps in quickly with the answer."
                        ),
                        (
                            "Most of the lesson time is spent with students working and talking about the content. The "
                            "teacher uses turn-and-talk, cold calls or other moves so that every student has to "
                            "respond."
                        ),
                        (
                            "Students build on, question and respectfully challenge each other's ideas with little "
                            "prompting. The teacher mainly listens, probes and pushes for evidence."
                        ),
                    ],
                },
                {
                    "code": "T2.2",
                    "name": "Supporting English learners",
                    "description": (
                        "Helping English learners build academic language while they learn grade-level content."
                    ),
                    "descriptors": [
                        (
                            "English learners mostly listen or get separate, simpler work. There is little planned "
                            "chance for them to speak or write about the content."
                        ),
                        (
                            "The teacher uses some visuals or sentence frames, but English learners rarely talk in "
                            "extended ways or use new vocabulary in their own speech and writing."
                        ),
                        (
                            "The lesson builds in structured talk and writing with language supports matched to "
                            "students' proficiency levels. English learners are heard using academic language about "
                            "the content."
                        ),
                        (
                            "English learners lead parts of the discussion and the teacher draws on their home "
                            "languages and experiences as resources. Language goals are tracked and students can "
                            "describe their own growth."
                        ),
                    ],
                },
                {
                    "code": "T2.3",
                    "name": "Access for students with disabilities",
                    "description": (
                        "Putting accommodations and supports in place so students with disabilities take full part in "
                        "grade-level learning."
                    ),
                    "descriptors": [
                        (
                            "Students with disabilities are often pulled aside, given different work, or left without "
                            "the accommodations in their IEPs."
                        ),
                        (
                            "Some accommodations are in place, but they are applied unevenly and the students still "
                            "spend much of the lesson waiting for help."
                        ),
                        (
                            "IEP accommodations are consistently in place and students with disabilities work on the "
                            "same grade-level task with the support they need. The teacher checks in with them early "
                            "in work time."
                        ),
                        (
                            "The teacher designs lessons so many supports are open to all students, and works closely "
                            "with special education staff. Students with disabilities ask for and use the supports on "
                            "their own."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Using student data and checking for understanding",
            "competencies": [
                {
                    "code": "T3.1",
                    "name": "Checking for understanding",
                    "description": "Finding out during the lesson what each student understands, not just a few.",
                    "descriptors": [
                        (
                            'The teacher asks "Does everyone get it?" or relies on a few raised hands. There is no '
                            "clear way to know what most students understand."
                        ),
                        (
                            "The teacher uses an exit ticket or quick check, but it comes at the end of the lesson or "
                            "is not looked at until much later."
                        ),
                        (
                            "The teacher plans checks at key points, such as whiteboards, short written responses or "
                            "circulating with a list, and can say which students have and have not got it."
                        ),
                        (
                            "Checks are built in throughout the lesson and students self-assess against clear "
                            "criteria. The teacher can describe each student's current understanding and the specific "
                            "misconception."
                        ),
                    ],
                },
                {
                    "code": "T3.2",
                    "name": "Adjusting in the moment",
                    "description": (
                        "Changing instruction during the lesson based on what students show they understand."
                    ),
                    "descriptors": [
                        (
                            "The teacher keeps to the plan even when many students are confused, or reteaches the "
                            "whole lesson the same way."
                        ),
                        (
                            "The teacher notices confusion and repeats the explanation or slows down, but the response "
                            "is the same for all students."
                        ),
                        (
                            "The teacher responds to what the checks show, for example by pulling a small group, "
                            "sharing a student example, or addressing a common error, and then checks again."
                        ),
                        (
                            "The teacher has planned likely misconceptions and responses ahead of time, uses student "
                            "thinking to fix errors, and moves students forward without losing the grade-level goal."
                        ),
                    ],
                },
                {
                    "code": "T3.3",
                    "name": "Planning from student work and data",
                    "description": "Using student work, assessments and data about student groups to plan next steps.",
                    "descriptors": [
                        (
                            "The teacher rarely looks at student work or assessment results, or looks only at grades "
                            "and overall averages."
                        ),
                        (
                            "The teacher reviews results and notes who scored low, but plans change little and results "
                            "are not looked at by student group."
                        ),
                        (
                            "The teacher regularly sorts student work to find patterns, looks at results for English "
                            "learners, students with disabilities and other groups, and names concrete changes for the "
                            "next lessons."
                        ),
                        (
                            "The teacher tracks progress over time for each student and group, brings evidence to team "
                            "meetings, and can show that changes in teaching closed specific gaps."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Classroom culture and relationships",
            "competencies": [
                {
                    "code": "T4.1",
                    "name": "Relationships and belonging",
                    "description": (
                        "Building trusting relationships so every student feels known, respected and safe to take "
                        "risks."
                    ),
                    "descriptors": [
                        (
                            "Interactions with students are mostly about behavior or directions. Some students are "
                            "rarely spoken to, and students seldom share ideas or ask for help."
                        ),
                        (
                            "The teacher is warm with many students, but relationships are uneven and some students "
                            "are noticeably left out or treated differently."
                        ),
                        (
                            "The teacher greets students, uses their names, knows their interests and backgrounds, and "
                            "responds to mistakes calmly. Students are seen taking academic risks and helping each "
                            "other."
                        ),
                        (
                            "Students say the classroom is a place where they belong. The teacher draws on students' "
                            "cultures and communities in lessons, and students hold each other to norms of respect."
                        ),
                    ],
                },
                {
                    "code": "T4.2",
                    "name": "Routines and learning time",
                    "description": "Using clear routines so that time is spent on learning.",
                    "descriptors": [
                        (
                            "Transitions, materials and behavior take up a large share of the lesson. Expectations "
                            "change from day to day and students often wait for direction."
                        ),
                        (
                            "Some routines are in place, but they need frequent reminders and learning time is lost at "
                            "the start, at transitions or at the end of the lesson."
                        ),
                        (
                            "Routines run smoothly with few reminders and students know what to do. Redirections are "
                            "brief, respectful and keep the lesson moving."
                        ),
                        (
                            "Students run many routines themselves and help classmates get back on track. Nearly all "
                            "of the lesson time is used for learning."
                        ),
                    ],
                },
                {
                    "code": "T4.3",
                    "name": "High expectations for every student",
                    "description": "Showing through words and actions that every student can meet a high bar.",
                    "descriptors": [
                        (
                            "The teacher accepts partial or incorrect answers, or expects less from some students or "
                            "groups. Students rarely revise their work."
                        ),
                        (
                            "The teacher says that all students can succeed, but still lowers the bar for some "
                            "students when the work gets hard."
                        ),
                        (
                            "The teacher asks for complete, accurate answers from every student, gives them time and "
                            "support to get there, and has students revise until the work meets the standard."
                        ),
                        (
                            "Students hold high expectations for themselves and each other. They ask for feedback, "
                            "persist through hard problems, and can explain what quality work looks like."
                        ),
                    ],
                },
            ],
        },
    ],
}


SCHOOL_LEADERS: FrameworkSpec = {
    "name": "School leaders as change agents",
    "audience": "leader",
    "description": (
        "What it looks like when principals and school leadership teams lead a school toward better and more equitable "
        "results for students. Coaches use it with leaders to agree on current practice, choose a focus, and track "
        "growth. Every descriptor is written as something a coach could see or hear in meetings, classrooms, documents "
        "and conversations with staff and families."
    ),
    "domains": [
        {
            "name": "Leading for equity and a shared vision",
            "competencies": [
                {
                    "code": "L1.1",
                    "name": "Shared vision for student learning",
                    "description": (
                        "Building a clear, shared picture of what success for every student looks like and keeping the "
                        "school focused on it."
                    ),
                    "descriptors": [
                        (
                            "The school has no clear vision, or one exists only on paper. Staff describe priorities "
                            "that are different from each other's or from the leader's."
                        ),
                        (
                            "The leader can describe a vision, but staff were not involved in shaping it and it rarely "
                            "comes up in decisions or meetings."
                        ),
                        (
                            "The vision was built with staff, students and families, and it is named in meetings and "
                            "used to make decisions. Most staff can describe it in similar words."
                        ),
                        (
                            "The vision drives the budget, schedule and hiring. Staff, students and families bring it "
                            "up on their own and use it to hold each other and the leader accountable."
                        ),
                    ],
                },
                {
                    "code": "L1.2",
                    "name": "Naming and closing opportunity gaps",
                    "description": (
                        "Speaking openly about gaps by race, language, income and disability, and acting to close them."
                    ),
                    "descriptors": [
                        (
                            "Gaps between student groups are not discussed, or are explained by pointing to students, "
                            "families or neighborhoods."
                        ),
                        (
                            "The leader shares data on gaps, but conversations stay general and few concrete actions "
                            "follow."
                        ),
                        (
                            "The leader leads regular, honest conversations about which students are not being served "
                            "well and why, and names specific school practices to change."
                        ),
                        (
                            "The leader models courage in tough conversations and staff lead them too. Gaps are "
                            "tracked and the school can show where changes in practice have narrowed them."
                        ),
                    ],
                },
                {
                    "code": "L1.3",
                    "name": "Equitable systems and resources",
                    "description": (
                        "Making sure schedules, staffing, course placement and resources give the most support to the "
                        "students who need it."
                    ),
                    "descriptors": [
                        (
                            "Schedules, class placements and resources follow habit or adult preference. Students who "
                            "need the most often get the least experienced teachers or the least instructional time."
                        ),
                        (
                            "The leader notices some inequities in schedules or placement and makes a few fixes, but "
                            "the overall systems stay the same."
                        ),
                        (
                            "The leader reviews schedules, staffing, placement and discipline data with an equity lens "
                            "each year and changes them so students who need the most get strong teaching and time."
                        ),
                        (
                            "Equity reviews are a routine part of the school's planning and involve staff and "
                            "families. Decisions about resources are transparent and clearly tied to student needs."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Instructional leadership and teacher growth",
            "competencies": [
                {
                    "code": "L2.1",
                    "name": "Observation and feedback",
                    "description": "Visiting classrooms often and giving teachers specific, actionable feedback.",
                    "descriptors": [
                        (
                            "The leader is rarely in classrooms outside of formal evaluations. Feedback, when given, "
                            "is general praise or a list of concerns."
                        ),
                        (
                            "The leader visits classrooms on a schedule, but feedback is mostly general, is given "
                            "late, or is not followed up."
                        ),
                        (
                            "The leader visits classrooms weekly, gives each teacher one clear, specific next step "
                            "soon after, and comes back to see whether it is in place."
                        ),
                        (
                            "Observation and feedback cycles reach every teacher and are shared with other leaders and "
                            "teacher leaders. Teachers ask for feedback and can show how it changed their practice."
                        ),
                    ],
                },
                {
                    "code": "L2.2",
                    "name": "Professional learning that changes practice",
                    "description": (
                        "Planning adult learning that is tied to student needs and leads to changes in classrooms."
                    ),
                    "descriptors": [
                        (
                            "Professional learning is mostly one-off sessions or compliance updates not tied to what "
                            "students need."
                        ),
                        (
                            "Professional learning has a focus, but topics shift often and there is little follow-up "
                            "in classrooms."
                        ),
                        (
                            "Professional learning follows a focus that comes from student data, includes practice and "
                            "planning time, and is followed by classroom visits to see it in use."
                        ),
                        (
                            "Teachers help plan and lead professional learning. The school can show how a learning "
                            "cycle led to changes in classroom practice and in student work."
                        ),
                    ],
                },
                {
                    "code": "L2.3",
                    "name": "Coherent, grade-level instruction",
                    "description": (
                        "Setting and upholding shared expectations for high-quality, grade-level curriculum and "
                        "instruction."
                    ),
                    "descriptors": [
                        (
                            "Each teacher decides what and how to teach. Curriculum use and rigor vary widely from "
                            "classroom to classroom."
                        ),
                        (
                            "The school has adopted curriculum and set some expectations, but they are checked "
                            "unevenly and many classrooms still teach below grade level."
                        ),
                        (
                            "Clear expectations for curriculum use and grade-level work are shared with all staff, and "
                            "the leader checks student tasks and work to see they are met."
                        ),
                        (
                            "Teams across grades and subjects plan together so instruction builds year to year. "
                            "Students in every classroom, including intervention and special education settings, get "
                            "grade-level work."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Using data and cycles of inquiry for improvement",
            "competencies": [
                {
                    "code": "L3.1",
                    "name": "Data routines",
                    "description": (
                        "Setting up regular, useful routines for looking at student data, including by student group."
                    ),
                    "descriptors": [
                        "Data is looked at mainly when state results arrive, and mostly as overall scores.",
                        (
                            "Data meetings happen, but they are irregular, focus on reporting numbers, or do not break "
                            "results out by student group."
                        ),
                        (
                            "A regular calendar of data meetings uses several kinds of evidence, including student "
                            "work, and results are always broken out by race, language, disability and income."
                        ),
                        (
                            "Teams run data routines on their own, use protocols well, and bring in student and family "
                            "perspectives. Data conversations consistently end in decisions."
                        ),
                    ],
                },
                {
                    "code": "L3.2",
                    "name": "Cycles of inquiry",
                    "description": "Using short cycles of plan, try, study and adjust to test improvement ideas.",
                    "descriptors": [
                        (
                            "Improvement efforts are launched without a clear problem, goal or plan to check whether "
                            "they worked."
                        ),
                        (
                            "Teams name a problem and a plan, but rarely collect evidence on whether the plan worked "
                            "or adjust it."
                        ),
                        (
                            "Teams run cycles of inquiry with a clear problem of practice, a measurable goal, a change "
                            "to try, and evidence reviewed after a few weeks to decide what to keep or change."
                        ),
                        (
                            "Cycles of inquiry are how the school improves. Teams share what they learn across the "
                            "school and stop practices that evidence shows are not working."
                        ),
                    ],
                },
                {
                    "code": "L3.3",
                    "name": "Monitoring the improvement plan",
                    "description": (
                        "Keeping the school improvement plan alive by checking progress and adjusting it during the "
                        "year."
                    ),
                    "descriptors": [
                        "The improvement plan is written for compliance and not referred to during the year.",
                        (
                            "The plan is reviewed a few times a year, but progress measures are vague and the plan "
                            "rarely changes."
                        ),
                        (
                            "The plan has a few clear priorities with interim measures. The leadership team reviews "
                            "progress at least quarterly and adjusts actions based on what they see."
                        ),
                        (
                            "Progress on the plan is shared openly with staff and families, and the plan changes "
                            "mid-year when evidence calls for it. Staff at all levels can explain the priorities and "
                            "their role in them."
                        ),
                    ],
                },
            ],
        },
        {
            "name": "Building collaborative teams and family and community partnership",
            "competencies": [
                {
                    "code": "L4.1",
                    "name": "Teacher teams and shared leadership",
                    "description": (
                        "Building strong teacher teams and sharing leadership so improvement does not depend on one "
                        "person."
                    ),
                    "descriptors": [
                        (
                            "Team meetings are mostly logistics or are often cancelled. Decisions are made by the "
                            "principal alone."
                        ),
                        (
                            "Teams meet regularly with agendas, but the work is uneven and only a few teacher leaders "
                            "take on real responsibility."
                        ),
                        (
                            "Teams use shared norms and protocols to plan and look at student work. The leadership "
                            "team includes teachers who lead parts of the improvement work."
                        ),
                        (
                            "Teacher leaders run teams and coach peers with skill. The school's improvement work would "
                            "continue if the principal left."
                        ),
                    ],
                },
                {
                    "code": "L4.2",
                    "name": "Family partnership",
                    "description": (
                        "Building two-way partnerships with families as partners in their children's learning."
                    ),
                    "descriptors": [
                        (
                            "Contact with families is mostly one-way or about problems. Information is not regularly "
                            "shared in families' home languages."
                        ),
                        (
                            "The school holds events and sends updates in home languages, but families have few "
                            "chances to shape decisions or learn how to support learning."
                        ),
                        (
                            "The school regularly shares specific information about student progress, asks families "
                            "for input through several channels, and acts on what it hears."
                        ),
                        (
                            "Families, including those often underrepresented, help lead school decisions and "
                            "improvement work. Staff and families describe each other as partners."
                        ),
                    ],
                },
                {
                    "code": "L4.3",
                    "name": "Community partnerships",
                    "description": (
                        "Working with community organizations and partners to meet students' academic and non-academic "
                        "needs."
                    ),
                    "descriptors": [
                        "Partnerships are few, or partners work on their own without connection to the school's goals.",
                        (
                            "The school has several partners, but their work overlaps or is not matched to the "
                            "students who need it most."
                        ),
                        (
                            "Partners are chosen and coordinated to support the school's priorities, and the leader "
                            "meets with them regularly to review how students are being served."
                        ),
                        (
                            "Partners take part in planning and cycles of inquiry, share data with the school, and "
                            "together they can show results for students."
                        ),
                    ],
                },
            ],
        },
    ],
}


FRAMEWORKS: list[FrameworkSpec] = [TEACHING_PRACTICE, SCHOOL_LEADERS]
