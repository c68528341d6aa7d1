"""The demo network's help desk: ten weeks of requests before the demo's day.

Five categories, each with its targets. About fifty tickets from principals, teachers, coaches,
district leaders and staff, and from a few people Tandem does not know (a parent, a district
clerk, a supplier). Most arrive the way real ones do: each is written as an RFC 5322 message
(names, subject, Message-ID, date, now and then an attachment; one HTML only; one forwarded by a
coach for a parent) and goes through the help desk's own intake, `intake.ingest`. A few come
through the web form, and one was opened by the help desk for a teacher who phoned.

The help desk (the operations director, who runs it, with the chief program officer and the
director of learning) triages them, answers, writes internal notes and resolves most of the older
ones; requesters answer back by email, threaded onto the help desk's replies by their headers and
the ticket's tag; two duplicates are merged; the latest few are still unanswered and late. The
intake also kept a message it could not read (no sender) and an auto-reply it ignored.

Everything goes through the intake and the help desk's actions, which stamp the real time: each
step's objects and audit entries are then set back to the moment the story says it happened, the
way demo/learning.py does it. Replies are marked sent when they were written, so the background
worker has nothing left to send. The ticket keys and the help desk's own Message-IDs are the
app's own random values; everything else follows from the fixed seed and the demo's day.
"""

import datetime
import email.policy
import email.utils
import random
import struct
import zlib
from dataclasses import dataclass
from email.message import EmailMessage

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.andon.helpdesk import actions, intake, targets
from tandem.andon.helpdesk.models import Category, Message, RawMail, Ticket
from tandem.demo.timeline import dated, moment, step_times
from tandem.orgs.models import Organization, Person

DATA, LOGISTICS, COACHING, TECH, URGENT = (
    "Data and dashboards",
    "Partnership logistics",
    "Coaching and learning",
    "Technology and access",
    "Safeguarding and urgent concerns",
)
# Name: (first response, resolution), in hours.
CATEGORIES = {
    DATA: (8, 72),
    LOGISTICS: (24, 168),
    COACHING: (24, 168),
    TECH: (4, 72),
    URGENT: (1, 24),
}

# People Tandem does not know: (name, address, whether the help desk greets them by name).
OUTSIDERS = {
    "clerk": ("Lorraine Park", "records@eastshore.example.org", True),
    "purchasing": ("Valle Verde USD Purchasing", "purchasing@valleverde.example.org", False),
    "printer": ("Bayline Printing Accounts", "accounts@bayline.example.com", False),
    "parent": ("Marcus Bell", "mbell.family@example.com", True),
    "volunteer": ("Dana Whitfield", "dana.whitfield@example.net", True),
    "family": ("Rosa Delgado", "rosa.delgado@example.net", True),
}

PENDING, OPEN, RESOLVED, CLOSED = (
    Ticket.Status.PENDING,
    Ticket.Status.OPEN,
    Ticket.Status.RESOLVED,
    Ticket.Status.CLOSED,
)

# Steps, in hours after the ticket arrived:
# ("triage", h)                     the help desk sets the category, priority and assignee;
# ("reply", h, text, status)        the assignee answers by email;
# ("answer", h, text)               the requester answers that reply by email;
# ("note", h, text)                 an internal note;
# ("status", h, status)             the assignee changes the status;
# ("merge", h, key)                 a duplicate, merged into the ticket with that key.
Step = tuple[str, float, *tuple[str, ...]]


@dataclass(frozen=True)
class _Story:
    days: int  # before the demo's day
    at: str  # local time it arrived
    who: str  # a demo login, "a principal" and the like, or one of OUTSIDERS
    subject: str
    body: str
    category: str
    priority: str = Ticket.Priority.NORMAL
    desk: str = "admin"  # who on the help desk takes it: admin, leader or learning
    steps: tuple[Step, ...] = ()
    how: str = "email"  # email, html (HTML only), forward (for `behalf`), web, desk (opened for them)
    key: str = ""
    attachment: str = ""
    behalf: str = ""
    twice: bool = False  # delivered twice (the intake counts the second delivery)


STORIES = [
    _Story(
        68,
        "09:10",
        "a principal",
        "Dashboard still shows last year's enrollment",
        "Hello,\n\nOur school page in Tandem still shows last year's enrollment, and the demographics look like "
        "last year's too. We have about forty more students this fall. Is there something we need to upload?",
        DATA,
        steps=(
            ("triage", 0.6),
            (
                "reply",
                2.5,
                "Thanks for catching this. Enrollment and demographics come from the state's fall census file, "
                "which we load once it is published; this year's file arrived last week and is now loaded, so "
                "{school} shows this fall's enrollment. Nothing to upload on your side.",
                RESOLVED,
            ),
            ("answer", 5, "That did it, thank you!"),
            ("status", 21, RESOLVED),
        ),
    ),
    _Story(
        66,
        "14:20",
        "teacher",
        "Can't sign in after changing my password",
        "Hi,\n\nI changed my password yesterday and now Tandem says my email or password is wrong. I'm sure I'm "
        "typing the new one. Can you help? I need to look at my coaching goals before Thursday.",
        TECH,
        steps=(
            ("triage", 0.4),
            (
                "reply",
                1.2,
                "Sorry about that. Your browser was still filling in the old password, and after a few tries the "
                "sign-in page slowed you down. Clear the saved password and sign in with the new one; if it still "
                "refuses, use “Forgot your password?” on the sign-in page and you'll get a link by email.",
                PENDING,
            ),
            ("answer", 3, "Cleared the saved password and it works now. Thank you!"),
            ("status", 3.5, RESOLVED),
        ),
    ),
    _Story(
        64,
        "08:05",
        "coach",
        "Coaching log won't save a session",
        "Hi help desk,\n\nWhen I save a coaching session with two focus competencies, the page comes back to the "
        "form and nothing is saved. Screenshot attached. Saving with one competency works.",
        COACHING,
        desk="learning",
        attachment="screenshot",
        steps=(
            ("triage", 0.8),
            (
                "note",
                3,
                "Reproduced with two competencies and an evidence note over the length limit: the error shows at "
                "the bottom of the form, below the fold. Nothing lost. Asked for the message to move to the top.",
            ),
            (
                "reply",
                3.5,
                "Thanks for the screenshot, it made this quick. The session isn't saving because the evidence note "
                "is over the length limit, and the message saying so is at the very bottom of the form, where it "
                "is easy to miss. Shorten the note (or move the longer part to a private note) and it will save. "
                "We've asked for the message to show at the top.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        62,
        "10:30",
        "district",
        "Board presentation: ELA results by student group for Bayview",
        "Hi,\n\nI'm presenting to the board early next month and need last spring's ELA results for our partner "
        "schools by student group (English learners, students with disabilities, socioeconomically "
        "disadvantaged), compared with the district. Can I pull that from Tandem myself, or can someone send it?",
        DATA,
        Ticket.Priority.HIGH,
        desk="leader",
        steps=(
            ("triage", 0.5),
            (
                "reply",
                2,
                "You can pull this yourself: open Analytics, choose {school}, then the results by student group for "
                "ELA and last spring. The table compares each partner school with the district and the state, and "
                "the download gives you a spreadsheet for your slides. If you'd rather we prepare it, say so and "
                "we'll send it by Friday.",
                PENDING,
            ),
            (
                "answer",
                6,
                "Found it, that's what I needed. One question: the board will ask how many students are behind each "
                "percentage. Can the download show the number tested?",
            ),
            (
                "reply",
                22,
                "Yes: the spreadsheet has the number of students tested beside each percentage (groups too small to "
                "report are left out, as on the state's site). Good luck with the board.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        60,
        "16:45",
        "clerk",
        "Records request: partnership agreement",
        "Good afternoon,\n\nThe district has received a public records request that includes the current services "
        "agreement between Eastshore Unified and your organization, and any amendments. Could you send us a copy "
        "of the signed agreement for our files? We need to respond by the 20th.\n\nRegards,\nLorraine Park\n"
        "Records clerk, Eastshore Unified School District",
        LOGISTICS,
        steps=(
            ("triage", 15.5),
            (
                "reply",
                17,
                "Thank you for letting us know. I've asked our operations team for the signed agreement and its one "
                "amendment (the school added in its second year); you'll have both by Wednesday. Should they come "
                "to this address or to the superintendent's office?",
                PENDING,
            ),
            ("answer", 19, "This address is fine. Thank you."),
            ("note", 40, "Sent the signed agreement and the amendment from the contracts folder to records@."),
            (
                "reply",
                40.2,
                "Both documents went to you this morning from our operations team: the signed agreement and the "
                "amendment. Let us know if the request needs anything else.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        59,
        "07:50",
        "principal",
        "Move the learning walk on the 14th?",
        "Good morning,\n\nWe have a district assessment training on the 14th and I can't do the learning walk with "
        "our partner that morning. Could we move it to the 16th, same time?",
        LOGISTICS,
        steps=(
            ("triage", 1),
            (
                "reply",
                2.5,
                "Done: your school's partner can do the 16th at 8:30, same route. You'll get the updated calendar "
                "invitation today.",
                RESOLVED,
            ),
            ("status", 24 * 8, CLOSED),
        ),
    ),
    _Story(
        57,
        "11:00",
        "a teacher",
        "Slides from last week's whole-group session",
        "Hi,\n\nWhere can I find the slides from last Tuesday's whole-group session? I'd like to share the talk "
        "protocol with my grade-level team.",
        COACHING,
        Ticket.Priority.LOW,
        desk="learning",
        steps=(
            ("triage", 2),
            (
                "reply",
                4,
                "They're on the session's page: open Learning, find last Tuesday's session in the calendar, and the "
                "slides are under its materials. Sharing the protocol with your team is exactly what it's for.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        55,
        "13:15",
        "network",
        "Network access to the practice library",
        "Hello,\n\nAs a network school we were told we could browse the practice library. The link in the last "
        "newsletter gives me a page saying I don't have access. Is that expected?",
        TECH,
        steps=(
            ("triage", 0.5),
            (
                "reply",
                2,
                "Thanks for asking. Network members read the published practices, not the drafts, and the "
                "newsletter's link pointed to a draft that isn't published yet. The published library is under "
                "Practices. We'll let you know when that one is published.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        53,
        "09:40",
        "a coach",
        "Concern raised by a student during a classroom visit",
        "Hi,\n\nDuring a classroom visit this morning a student said something to me that I think needs to be "
        "reported. I've told the teacher and I'm still at the school. What should I do next, and who do I tell "
        "at our end?\n\nCall me if that's easier.",
        URGENT,
        Ticket.Priority.URGENT,
        desk="leader",
        steps=(
            ("triage", 0.1),
            (
                "reply",
                0.4,
                "Thank you for raising this straight away. Follow the school's procedure first: tell the principal "
                "and the school counselor today. If you believe a child may be at risk, you are a mandated reporter "
                "and make the report yourself as well. I'm calling you in the next ten minutes to go through it "
                "with you; please don't put details in email.",
                OPEN,
            ),
            (
                "note",
                0.8,
                "Called. The coach has spoken to the principal; the counselor is making the report and the coach "
                "is making their own as a mandated reporter. Follow-up call tomorrow.",
            ),
            ("note", 23, "Follow-up call done: the school is handling it. Nothing further for us."),
            ("status", 23.2, RESOLVED),
        ),
    ),
    _Story(
        52,
        "15:00",
        "analyst",
        "Export stops at 1,000 rows",
        "Hi,\n\nThe export from the student results table stops at 1,000 rows; the full file should have about "
        "4,600. Attached is what I get. Is there a limit somewhere?",
        DATA,
        attachment="export",
        steps=(
            ("triage", 1),
            (
                "note",
                3,
                "Confirmed: the table's own export takes the rows on screen, up to 1,000. Worth saying on the page.",
            ),
            (
                "reply",
                3.3,
                "You're right: the table's export only takes the rows it shows, up to 1,000. For the whole set, "
                "narrow the table by school and export each part, or ask us and we'll send you the full file. "
                "We've asked for the page to say this.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        50,
        "08:30",
        "a principal",
        "Invoice for this year's partnership fee",
        "Good morning,\n\nOur business office is asking for the invoice for this year's partnership fee so they can "
        "issue the purchase order. Who should I ask?",
        LOGISTICS,
        steps=(
            ("triage", 0.7),
            (
                "reply",
                3,
                "I can help: the invoice goes to your business office directly. Could you send me the name of the "
                "person there, and the purchase order number if they have one already?",
                PENDING,
            ),
            ("answer", 26, "It's Ms. Herrera in the business office, and the PO number is 26-0412. Thank you!"),
            (
                "reply",
                28,
                "Thank you. The invoice with PO 26-0412 went to Ms. Herrera this morning. Answer here if anything "
                "is missing.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        48,
        "10:10",
        "a district leader",
        "Interim assessment window dates",
        "<html><body><p>Hello,</p><p>Could you confirm the <b>winter interim assessment window</b> you are "
        'planning the data dives around? Our calendar has it as:</p><table border="1"><tr><th>Grades</th>'
        "<th>Window</th></tr><tr><td>TK–5</td><td>January 12–30</td></tr><tr><td>6–8</td>"
        "<td>January 20–February 6</td></tr></table><p>We would like the data dives to fall after the window "
        "closes.</p><p>Thank you,<br>{name}<br><i>{title}</i></p></body></html>",
        DATA,
        how="html",
        steps=(
            ("triage", 1),
            (
                "reply",
                5,
                "Thanks for sending the dates. The data dives are planned for the week of February 9, after both "
                "windows close, so partners will have results for every grade. I've passed your calendar on to the "
                "regional team to check each school's dates.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        46,
        "12:00",
        "teacher",
        "Can my coach see my self-ratings?",
        "Hi,\n\nBefore I fill in the self-rating for my coaching goals: who sees it? Just my coach, or my principal "
        "too?",
        COACHING,
        desk="learning",
        steps=(
            ("triage", 1.5),
            (
                "reply",
                3,
                "Good question to ask first. Your self-ratings are shared with your coach, to talk about together. "
                "Leaders who supervise coaching follow how the coaching is going, and your coach's private notes "
                "stay private. Your coach is happy to walk you through it at your next debrief.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        45,
        "09:00",
        "volunteer",
        "Volunteering at family literacy night",
        "Hi,\n\nMy daughter's school sent home a flyer about family literacy night and said your organization is "
        "helping run it. I'd love to volunteer. Who do I talk to?\n\nDana Whitfield",
        LOGISTICS,
        Ticket.Priority.LOW,
        steps=(
            ("triage", 1),
            (
                "reply",
                5,
                "Thank you for offering! Family literacy night is organized by the school itself, and the front "
                "office keeps the list of volunteers. I've let the school's partner know you'd like to help too.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        43,
        "14:30",
        "director",
        "Regional totals don't match the school pages",
        "Hi,\n\nThe Bay Area roll-up says 1,912 students in our partner schools, but adding up the school pages I "
        "get 1,874. Which one is right? I'm using it for the funder report.",
        DATA,
        desk="leader",
        steps=(
            ("triage", 0.5),
            (
                "note",
                2,
                "The roll-up counts the school joining the middle-grades partnership this fall; the school pages "
                "count only schools with a signed agreement for this year. Both right, counting different things.",
            ),
            (
                "reply",
                2.5,
                "Both are right, but they count different things: the roll-up includes a school whose agreement is "
                "still being signed, the school pages don't yet. For the funder report I'd use 1,874 and add a note "
                "about the school joining this year. Does that work for you?",
                PENDING,
            ),
            (
                "answer",
                4,
                "Makes sense. Could the roll-up say which schools it counts, so the next person doesn't have to ask?",
            ),
            (
                "reply",
                21,
                "Good idea: we've asked for the schools to be listed under the roll-up. I'll resolve this one; the "
                "change will come in a later update.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        41,
        "08:20",
        "coach",
        "Fwd: Question about my son's reading group",
        "Hi help desk,\n\nForwarding this from a parent at {school}. I'm not the right person to answer about the "
        "intervention schedule; could someone get back to him? I told him to expect an email from you.",
        COACHING,
        desk="learning",
        how="forward",
        behalf="parent",
        steps=(
            ("triage", 1),
            (
                "reply",
                5,
                "Thank you for writing, and thanks to the coach for passing this on. The afternoon reading groups "
                "are planned by the school: they change every eight weeks as students make progress, and the school "
                "tries not to take the same subject each time. His teacher or the principal can tell you about his "
                "schedule, and I've let the principal know you asked.",
                PENDING,
            ),
            (
                "answer",
                28,
                "Thank you, his teacher called me this morning and explained. He'll be back in science after the "
                "winter break.",
            ),
            ("status", 29, RESOLVED),
        ),
    ),
    _Story(
        40,
        "17:05",
        "a teacher",
        "Locked out before my observation tomorrow",
        "Hi,\n\nTandem says my account is inactive. I have my observation with my coach tomorrow at 8 and need to "
        "see my goals. Please help!",
        TECH,
        Ticket.Priority.HIGH,
        steps=(
            ("triage", 14.8),
            (
                "reply",
                15,
                "You're back in: your account was switched off by mistake when your school's staff list was "
                "updated. Sign in as usual; your goals and coaching notes are all there. Good luck this morning!",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        38,
        "09:30",
        "principal",
        "Access for our new assistant principal",
        "Hello,\n\nWe have a new assistant principal, Ms. Ortega, starting Monday. Can she see our school's "
        "dashboards the way I do?",
        DATA,
        steps=(
            ("triage", 0.6),
            (
                "reply",
                2,
                "Welcome to Ms. Ortega! Access comes with a role: could you send me her school email? We'll then "
                "add her as a leader at {school} and she'll get an invitation to set her password.",
                PENDING,
            ),
            ("answer", 3.5, "Her email is v.ortega@bayview.example.org. Thanks!"),
            (
                "reply",
                5,
                "Done: Ms. Ortega has her invitation and will see {school} as you do. The link in it is valid for "
                "a week.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        36,
        "11:45",
        "a coach",
        "Mileage reimbursement form",
        "Hi,\n\nWhere do I find the current mileage reimbursement form? The one in the shared drive still has last "
        "year's rate.",
        LOGISTICS,
        steps=(
            ("triage", 1),
            (
                "reply",
                3,
                "The current form, with this year's rate, is in the staff handbook under travel, and the copy in the "
                "shared drive is replaced now too. Send it in by the 5th for the month before.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        35,
        "10:00",
        "a principal",
        "Extra coaching days in the spring",
        "We'd like to add a half day a week of coaching in the spring for our two new grade 4 teachers. Is that "
        "possible this year, and what would it cost?",
        LOGISTICS,
        how="web",
        steps=(
            ("triage", 2),
            (
                "reply",
                5,
                "We'd be glad to talk about it. Adding coaching days changes the partnership's agreement, so your "
                "regional director will set up a short call to look at the schedule and the cost. Could you send "
                "two or three times that suit you next week?",
                PENDING,
            ),
            (
                "note",
                24 * 8,
                "No answer after a week; the regional director reached the principal by phone and is taking it up "
                "in the partnership's spring planning.",
            ),
            ("status", 24 * 8 + 0.1, RESOLVED),
        ),
    ),
    _Story(
        33,
        "08:15",
        "district",
        "Staff conduct concern at a partner school",
        "Hi,\n\nA principal has raised a concern with me about one of your staff members' conduct during a visit "
        "last week. I'd like to talk to someone today. Please call me; I'd rather not put details in writing.",
        URGENT,
        Ticket.Priority.HIGH,
        desk="leader",
        steps=(
            ("triage", 0.2),
            (
                "reply",
                0.6,
                "Thank you for telling us. I'll call you within the hour. Until we've spoken, the staff member will "
                "not visit the school.",
                OPEN,
            ),
            (
                "note",
                1.5,
                "Spoke with the deputy superintendent. HR informed; the regional director is covering the school's "
                "visits while HR looks into it.",
            ),
            ("note", 20, "HR has the matter. Details are in HR's file, not here."),
            ("status", 20.2, RESOLVED),
        ),
    ),
    _Story(
        31,
        "13:00",
        "teacher",
        "Calendar reminders not arriving",
        "Hi,\n\nI'm not getting the email reminders before learning sessions any more. I used to get them the day "
        "before. Did something change?",
        TECH,
        key="reminders",
        steps=(
            ("triage", 3),
            (
                "reply",
                26,
                "Sorry for the wait. Your reminders had been turned off in your profile, probably by the "
                "unsubscribe link in one of them. They're back on, and the next one comes the day before Tuesday's "
                "session. (I've merged your second message into this one.) Answer here if it doesn't arrive.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        30,
        "09:20",
        "teacher",
        "Reminder emails - still nothing",
        "Hello again,\n\nStill no reminder emails, and I missed Tuesday's session because of it. Is anyone looking "
        "at this?",
        TECH,
        steps=(("merge", 0.5, "reminders"),),
    ),
    _Story(
        29,
        "15:30",
        "analyst",
        "Growth run stuck at “queued”",
        "Hi,\n\nI started a growth model run yesterday afternoon and it still says queued. The ones I ran last "
        "month took ten minutes. Can someone check?",
        DATA,
        steps=(
            ("triage", 16.5),
            (
                "reply",
                17.5,
                "Thanks for flagging it. The background worker hadn't started again after last night's update, so "
                "nothing queued was running. It's running again and your run finished a few minutes ago; nothing "
                "was lost.",
                RESOLVED,
            ),
            ("note", 17.7, "Worker not restarted after the update. Added the check to the update steps."),
        ),
    ),
    _Story(
        27,
        "10:40",
        "a principal",
        "Can our partner's visits move from Wednesdays?",
        "Hello,\n\nOur staff meetings moved to Wednesdays, which is when our partner visits. Could the visits move "
        "to Tuesday or Thursday?",
        COACHING,
        desk="learning",
        steps=(
            ("triage", 1),
            (
                "reply",
                4,
                "Thanks for the notice. Your partner can do Thursdays from next week; Tuesdays are taken by another "
                "school. Does Thursday work for your teachers' coaching?",
                PENDING,
            ),
            ("answer", 22, "Thursday works. Thank you for arranging it so quickly."),
            ("status", 23, RESOLVED),
        ),
    ),
    _Story(
        26,
        "09:05",
        "printer",
        "Invoice 4471 - Bayline Printing",
        "Dear customer,\n\nPlease find attached invoice 4471 for the printing of the convening programs (600 "
        "copies). Payment is due within 30 days.\n\nKind regards,\nAccounts receivable\nBayline Printing",
        LOGISTICS,
        Ticket.Priority.LOW,
        attachment="invoice",
        steps=(
            ("triage", 2),
            ("note", 2.2, "Passed to finance; it matches the convening order."),
            (
                "reply",
                2.5,
                "Thank you. This has gone to our finance team, who pay suppliers' invoices; please write to them "
                "at finance@example.org about it from now on.",
                CLOSED,
            ),
        ),
    ),
    _Story(
        24,
        "14:10",
        "coach",
        "Evidence upload fails",
        "Hi,\n\nUploading a photo of student work as evidence in our school's cycle of inquiry fails with "
        "“something went wrong”. I attached what the browser's console shows.",
        TECH,
        attachment="console",
        steps=(
            ("triage", 0.5),
            (
                "reply",
                2,
                "Thanks for the log: it shows the photo is 14 MB, over the upload limit. Phones save large photos; "
                "send it to yourself at a smaller size, or take it at a lower resolution, and it will upload. "
                "We've asked for the error to say so.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        22,
        "08:00",
        "network",
        "Which schools are in the network comparison?",
        "Hi,\n\nOur school page compares us with “similar schools in the network”. Which schools are those? Our "
        "staff would like to visit one of them.",
        DATA,
        steps=(
            ("triage", 1.5),
            (
                "reply",
                4,
                "The comparison takes the network's schools with similar enrollment and demographics, listed under "
                "the chart. For a visit, your regional director can introduce you to their principals.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        21,
        "11:30",
        "a teacher",
        "Phone call: can't find the learning calendar feed",
        "Called the help desk: she would like the learning sessions in her Google calendar and can't find where to "
        "subscribe.",
        TECH,
        how="desk",
        steps=(
            ("triage", 0.1),
            (
                "reply",
                0.3,
                "As we said on the phone: open Learning, then the calendar feed, and copy its address into Google "
                "Calendar under “Other calendars”, “From URL”. The sessions appear within a few hours and stay up "
                "to date.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        19,
        "16:20",
        "valley director",
        "Room for the spring regional convening",
        "Hi,\n\nFor the spring regional convening we'll be about 80 people. Has anyone booked a room yet? The "
        "county office has one we've used before.",
        LOGISTICS,
        steps=(
            ("triage", 16),
            (
                "reply",
                17,
                "Not yet. I've asked the county office for their large room on both days and they're holding it "
                "until Friday. Can you confirm the numbers by then?",
                PENDING,
            ),
            ("answer", 40, "Confirmed: 82 people, both days. Lunch both days too, please."),
            ("note", 41, "Room confirmed with the county office; catering ordered."),
            (
                "reply",
                41.5,
                "All set: the room is booked for both days and lunch is ordered for 82. The details are in the "
                "convening's folder.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        17,
        "09:10",
        "principal",
        "Chronic absence data missing for October",
        "The attendance page for our school shows nothing for October. September is there. Did the district's "
        "file not come through?",
        DATA,
        how="web",
        key="absence",
        steps=(
            ("triage", 1),
            (
                "reply",
                26,
                "The district's October file arrived late; we loaded it this morning and October's attendance now "
                "shows for {school}, in time for your attendance team on Thursday. (Your email about it is merged "
                "into this request.)",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        16,
        "07:45",
        "principal",
        "October attendance data?",
        "Hi,\n\nSorry if this repeats what I sent through the website yesterday: we still don't see October's "
        "attendance, and our attendance team meets Thursday.",
        DATA,
        steps=(("merge", 1.2, "absence"),),
    ),
    _Story(
        15,
        "10:30",
        "a teacher",
        "A book on academic talk?",
        "Hi,\n\nAfter the session on academic talk, could you recommend one book our grade-level team could read "
        "together this spring?",
        COACHING,
        Ticket.Priority.LOW,
        desk="learning",
        steps=(
            ("triage", 3),
            (
                "reply",
                26,
                "Lovely idea. The learning team has a few copies of the guide to structured student talk we used in "
                "the session to lend, and the practice library's draft on sentence frames is a short companion. "
                "I've asked them to send your team four copies.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        14,
        "12:00",
        "a coach",
        "Coverage report counts a cancelled session",
        "Hi,\n\nThe coaching coverage report counts a session I cancelled as held, so one of my teachers looks "
        "coached when they weren't. Can it be fixed?",
        DATA,
        desk="leader",
        steps=(
            ("triage", 2),
            (
                "note",
                4,
                "Reproduced: a session cancelled after it was logged still counts. Reported to the product team.",
            ),
            (
                "reply",
                4.5,
                "Thanks, you're right, and it's a bug: a session cancelled after it was logged is still counted. "
                "It's reported, and we'll tell you when it's fixed; meanwhile the session's own page shows it as "
                "cancelled.",
                OPEN,
            ),
        ),
    ),
    _Story(
        12,
        "09:00",
        "a district leader",
        "Sign in with district Google accounts?",
        "Hello,\n\nOur principals keep forgetting yet another password. Could Tandem use sign-in with our district "
        "Google accounts?",
        TECH,
        steps=(
            ("triage", 1),
            (
                "reply",
                6,
                "Not yet, but it's on the list. To help us plan: do all your principals and teachers have district "
                "Google accounts, and would you want everyone in the district to sign in that way?",
                PENDING,
            ),
        ),
    ),
    _Story(
        10,
        "14:00",
        "a principal",
        "English learner targets look wrong",
        "Hi,\n\nOur spring goal for English learners says 62% meeting standard, but last year only 18% of our "
        "English learners met standard. That can't be right. Can someone check before our leadership team meets "
        "next week?",
        DATA,
        Ticket.Priority.HIGH,
        desk="leader",
        steps=(
            ("triage", 0.8),
            (
                "reply",
                3,
                "Thank you for reading it so closely. Where do you see the 62%, on the school's goals page or the "
                "partnership's? I'd like to be sure we're looking at the same goal.",
                PENDING,
            ),
            ("answer", 19.5, "On the school's goals page, under ELA for English learners."),
            (
                "note",
                21,
                "The goal's baseline is the whole school's, not English learners': set up wrong last spring. Asked "
                "the analyst to check the others made from the same template.",
            ),
            (
                "reply",
                21.5,
                "Found it: the goal was set up with the whole school's baseline instead of your English learners'. "
                "We're checking the other goals made the same way and will correct yours with your regional "
                "director before your leadership team meets.",
                OPEN,
            ),
        ),
    ),
    _Story(
        9,
        "08:30",
        "purchasing",
        "W-9 and certificate of insurance needed",
        "Hello,\n\nTo process this year's payments we need an updated W-9 and a certificate of insurance naming "
        "Valle Verde Unified as additional insured. Our request form is attached.\n\nThank you,\nPurchasing "
        "Department\nValle Verde Unified School District",
        LOGISTICS,
        attachment="request",
        steps=(
            ("triage", 1),
            (
                "reply",
                5,
                "Thank you. We've asked our insurer for a certificate naming Valle Verde Unified; it usually takes "
                "a week, and the W-9 will come with it.",
                PENDING,
            ),
        ),
    ),
    _Story(
        8,
        "10:15",
        "teacher",
        "Move my coaching debriefs to Thursdays?",
        "Hi,\n\nOur grade-level planning moved to Tuesday afternoons, when I have my debriefs with my coach. Could "
        "the debriefs move to Thursday after school?",
        COACHING,
        desk="learning",
        steps=(
            ("triage", 1),
            (
                "reply",
                4,
                "I've asked your coach: Thursdays after school work from the week after next. Would 3:30 suit you?",
                PENDING,
            ),
            ("answer", 22, "3:30 on Thursdays is perfect. Thank you!"),
        ),
    ),
    _Story(
        7,
        "13:40",
        "coach",
        "A family asked us for help with housing",
        "Hi,\n\nAt family conferences today a parent told me they are about to lose their housing and asked if we "
        "could help. I said I'd find out who can. What's the right referral?",
        URGENT,
        Ticket.Priority.HIGH,
        desk="leader",
        steps=(
            ("triage", 0.2),
            (
                "reply",
                0.7,
                "Thank you for asking rather than guessing. The school's family liaison is the first person to "
                "involve: they work with the district's liaison for families in housing transition, who helps "
                "children stay in their school, and with the county's family resource center. With the parent's "
                "permission, please pass their request to the family liaison today.",
                PENDING,
            ),
            ("answer", 3, "Done: the family liaison has met them, and they're in touch with the district's liaison."),
            ("status", 3.5, RESOLVED),
        ),
    ),
    _Story(
        6,
        "09:20",
        "analyst",
        "New state file layout for 2026",
        "Hi,\n\nThe state has published a new layout for the 2026 results files (two columns renamed, one added). "
        "The new header is attached. Will the import still read it, or do we wait for an update?",
        DATA,
        desk="leader",
        attachment="layout",
        steps=(
            ("triage", 2),
            (
                "note",
                5,
                "Checked against the import's columns: the two renamed ones aren't recognised. Asked for the "
                "import to learn them before the spring files arrive.",
            ),
        ),
    ),
    _Story(
        5,
        "11:00",
        "a principal",
        "Substitute cover for the convening",
        "Hello,\n\nThree of our teachers are going to the network convening. Does the partnership cover their "
        "substitutes, or should the school budget for it?",
        LOGISTICS,
        steps=(
            ("triage", 1),
            (
                "reply",
                5,
                "The partnership covers substitutes for up to three teachers from each school. Send the substitute "
                "invoices to our operations team after the day, with the teachers' names.",
                PENDING,
            ),
        ),
    ),
    _Story(
        4,
        "15:30",
        "family",
        "Spanish interpretation at family night?",
        "Hello,\n\nWill there be Spanish interpretation at family night next month? My husband and my mother "
        "would like to come, but they don't speak much English.\n\nThank you,\nRosa Delgado",
        LOGISTICS,
        steps=(
            ("triage", 17),
            (
                "reply",
                18,
                "Yes: there will be interpreters in Spanish and Vietnamese at every table, and the materials are in "
                "both languages. We look forward to seeing your family there.",
                RESOLVED,
            ),
        ),
    ),
    _Story(
        3,
        "08:40",
        "a teacher",
        "Two accounts with my name",
        "Hi,\n\nI seem to have two accounts in Tandem, one with my school email and one with my personal email. My "
        "coaching notes are on the personal one. Can they be combined?",
        TECH,
        steps=(("triage", 1),),
    ),
    _Story(
        2,
        "10:05",
        "district",
        "Numbers for Thursday's board meeting",
        "Hi,\n\nThe board has asked for this year's interim results at our partner schools compared with last "
        "year's, for Thursday. Could someone send me a one-page summary by Wednesday noon?",
        DATA,
        Ticket.Priority.HIGH,
        desk="leader",
        steps=(("triage", 0.5),),
    ),
    _Story(
        2,
        "16:50",
        "a principal",
        "A new teacher would like a coach",
        "Hello,\n\nWe hired a kindergarten teacher who started this week, and she'd love to be coached this year. "
        "How do we add her?",
        COACHING,
    ),
    _Story(
        1,
        "09:30",
        "a coach",
        "Visitor badge for the district office",
        "Hi,\n\nI've been asked to work from the district office on Mondays. Do we have a badge arrangement with "
        "them, or do I sign in as a visitor each time?",
        LOGISTICS,
        twice=True,
    ),
    _Story(
        1,
        "19:10",
        "teacher",
        "Question about the self-rating form",
        "On the self-rating form some competencies say “not observed yet”. Should I rate those anyway, or leave "
        "them for now?",
        COACHING,
        how="web",
    ),
]


def load(today: datetime.date, domain: str) -> None:
    """The help desk's last ten weeks before `today`."""
    # As in demo/learning.py: nothing is dated after the organization's local day; the demo's day
    # has only just begun, so the stories end at its midnight.
    today = min(today, timezone.localdate())
    desk = _Desk(random.Random("helpdesk"), today, domain)
    desk.categories()
    desk.tell(STORIES)
    desk.unread()
    desk.finish()


# -- attachments: small files of the kinds people send --------------------------------------------


def _png(width: int, height: int) -> bytes:
    """A plain grey picture, standing in for a screenshot."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + bytes([228, 231, 235]) * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def _pdf(text: str) -> bytes:
    """A one-page PDF with one line of text."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (n, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    return out + b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)


def _export() -> bytes:
    rows = ["school,grade,student_group,students_tested,met_or_exceeded_pct"]
    for n in range(40):
        group = ["All", "EL", "SWD", "SED"][n % 4]
        rows.append(f"Partner school {n // 8 + 1},{3 + n % 6},{group},{60 + n},{20 + n % 30}")
    return ("\n".join(rows) + "\n").encode()


ATTACHMENTS = {
    # key: (file name, main type, subtype, bytes)
    "screenshot": ("coaching-log.png", "image", "png", lambda: _png(64, 40)),
    "export": ("results-export.csv", "text", "csv", _export),
    "console": (
        "console.txt",
        "text",
        "plain",
        lambda: b"POST /inquiry/evidence/ 413 (Request Entity Too Large)\nUpload failed: IMG_4471.jpg (14.2 MB)\n",
    ),
    "invoice": ("invoice-4471.pdf", "application", "pdf", lambda: _pdf("Invoice 4471 - 600 convening programs")),
    "request": ("vendor-document-request.pdf", "application", "pdf", lambda: _pdf("Vendor document request")),
    "layout": (
        "results-layout-2026.csv",
        "text",
        "csv",
        lambda: b"cds_code,test_id,grade,subgroup_id,students_tested,pct_met_and_above,pct_near\n",
    ),
}


# -- the help desk at work -----------------------------------------------------------------------


class _Desk:
    def __init__(self, rng: random.Random, today: datetime.date, domain: str) -> None:
        self.rng = rng
        self.today = today
        self.end = moment(today, "00:00")
        self.domain = domain
        self.address = settings.HELPDESK_ADDRESS
        self.org = Organization.objects.order_by("pk").first()
        people = {p.pk: p for p in Person.objects.order_by("pk")}
        self.people = people

        def login(name: str) -> Person:
            return next(p for p in people.values() if p.email == f"{name}@{domain}")

        names = ("admin", "leader", "coach", "district", "director", "principal", "teacher", "analyst", "network")
        self.logins = {name: login(name) for name in names}
        learning = next((p for p in people.values() if p.title == "Director of learning"), None)
        self.desk = {"admin": self.logins["admin"], "leader": self.logins["leader"]}
        self.desk["learning"] = learning or self.logins["leader"]
        # Where each person works, for signatures and replies; and the others of each kind to pick from.
        self.place: dict[int, str] = {}
        self.others: dict[str, list[Person]] = {}
        kinds = {
            Role.PRINCIPAL: "a principal",
            Role.TEACHER: "a teacher",
            Role.COACH: "a coach",
            Role.DISTRICT_LEADER: "a district leader",
        }
        logins = {p.pk for p in self.logins.values()}
        self.at_school: set[int] = set()
        self.at_district: set[int] = set()
        grants = RoleAssignment.objects.select_related("school", "district", "region").order_by("pk")
        for grant in grants:
            where = grant.school or grant.district
            if where is not None:
                self.place.setdefault(grant.person_id, where.name)
            if grant.role in (Role.PRINCIPAL, Role.TEACHER, Role.NETWORK_MEMBER):
                self.at_school.add(grant.person_id)
            elif grant.role == Role.DISTRICT_LEADER:
                self.at_district.add(grant.person_id)
            kind = kinds.get(grant.role)
            if kind and grant.person_id not in logins:
                group = self.others.setdefault(kind, [])
                if people[grant.person_id] not in group:
                    group.append(people[grant.person_id])
            if grant.role == Role.REGIONAL_DIRECTOR and grant.person_id != self.logins["director"].pk:
                self.others.setdefault("valley director", [people[grant.person_id]])
        self.categories_by_name: dict[str, Category] = {}
        self.tickets: dict[int, int] = {}  # story → ticket
        self.keys: dict[str, int] = {}  # story key → ticket
        self.touched: dict[int, datetime.datetime] = {}

    # -- who --------------------------------------------------------------------------------------

    def person(self, who: str) -> Person | None:
        if who in OUTSIDERS:
            return None
        if who in self.logins:
            return self.logins[who]
        return self.rng.choice(self.others[who])

    def signature(self, person: Person) -> str:
        """Name and title, with the school for school staff and the organization for its own staff
        (a district leader's title already names the district)."""
        where = self.place.get(person.pk, "") if person.pk in self.at_school else self.org.name
        if person.pk in self.at_district:
            where = ""
        line = person.title if not where or where in person.title else f"{person.title}, {where}"
        return f"{person.full_name}\n{line}"

    def message_id(self, at: datetime.datetime, address: str) -> str:
        return f"<{at:%Y%m%d%H%M%S}.{self.rng.getrandbits(48):012x}@{address.rsplit('@', 1)[-1]}>"

    # -- setting up ------------------------------------------------------------------------------

    def categories(self) -> None:
        for name, (first, resolve) in CATEGORIES.items():
            self.categories_by_name[name] = Category.objects.create(
                name=name, first_response_hours=first, resolution_hours=resolve
            )

    # -- the stories, in the order things happened ------------------------------------------------

    def tell(self, stories: list[_Story]) -> None:
        events: list[tuple[datetime.datetime, int, int, Step | None, Person | None]] = []
        order = 0
        for n, story in enumerate(stories):
            created = moment(self.today - datetime.timedelta(days=story.days), story.at)
            sender = self.person(story.who)
            events.append((created, order, n, None, sender))
            order += 1
            for at, step in step_times(created, story.steps, self.end, self.rng):
                events.append((at, order, n, step, sender))
                order += 1
        for at, _, n, step, sender in sorted(events, key=lambda e: (e[0], e[1])):
            story = stories[n]
            if step is None:
                self.arrive(n, story, sender, at)
            else:
                self.step(story, Ticket.objects.select_related("category").get(pk=self.tickets[n]), step, at)

    def arrive(self, n: int, story: _Story, sender: Person | None, at: datetime.datetime) -> None:
        category = self.categories_by_name[story.category]
        if story.how in ("web", "desk"):
            assert sender is not None
            actor = self.desk["admin"] if story.how == "desk" else sender
            with dated(at):
                ticket = actions.do_open_ticket(
                    actor,
                    story.subject,
                    story.body,
                    requester=sender,
                    category=category if story.how == "desk" else None,
                    now=at,
                )
            self.touch(ticket.pk, at)
        else:
            raw = self.compose(story, sender, at)
            kept = self.receive(raw, at)
            if story.twice:
                self.receive(raw, at + datetime.timedelta(minutes=4))
            assert kept.message is not None, kept.error
            ticket = kept.message.ticket
        self.tickets[n] = ticket.pk
        if story.key:
            self.keys[story.key] = ticket.pk

    def compose(self, story: _Story, sender: Person | None, at: datetime.datetime) -> bytes:
        if sender is None:
            name, address, _ = OUTSIDERS[story.who]
            body = story.body
        else:
            name, address = sender.full_name, sender.email
            place = self.place.get(sender.pk, "your school")
            body = story.body.format(school=place, name=sender.full_name, title=sender.title)
        if story.how == "html":
            return self.email(name, address, story.subject, at, html=body)
        text = body if sender is None else f"{body}\n\nThanks,\n{self.signature(sender)}"
        if story.how == "forward":
            assert sender is not None
            parent, parent_address, _ = OUTSIDERS[story.behalf]
            sent = timezone.localtime(at - datetime.timedelta(hours=13, minutes=18))
            text = (
                f"{body}\n\nThanks,\n{sender.full_name.split()[0]}\n\n"
                "---------- Forwarded message ---------\n"
                f"From: {parent} <{parent_address}>\n"
                f"Date: {sent:%a, %b %-d, %Y at %-I:%M %p}\n"
                f"Subject: {story.subject.removeprefix('Fwd: ')}\n"
                f"To: {sender.full_name} <{sender.email}>\n\n"
                "Hello,\n\nMy son is in third grade and has been moved to a new reading group in the afternoons. "
                "He says he misses science now. Can someone explain how the groups work, and whether he'll be in "
                f"it all year?\n\nThank you,\n{parent}\n"
            )
        return self.email(name, address, story.subject, at, text=text, attachment=story.attachment)

    def email(
        self,
        name: str,
        address: str,
        subject: str,
        at: datetime.datetime,
        *,
        text: str = "",
        html: str = "",
        attachment: str = "",
        headers: dict[str, str] | None = None,
    ) -> bytes:
        msg = EmailMessage()
        if address:
            msg["From"] = email.utils.formataddr((name, address))
        msg["To"] = email.utils.formataddr(("Help desk", self.address))
        msg["Subject"] = subject
        msg["Date"] = email.utils.format_datetime(timezone.localtime(at))
        msg["Message-ID"] = self.message_id(at, address or f"scanner@{self.domain}")
        for header, value in (headers or {}).items():
            msg[header] = value
        if html:
            msg.set_content(html, subtype="html")
        else:
            msg.set_content(text)
        if attachment:
            filename, main, sub, data = ATTACHMENTS[attachment]
            msg.add_attachment(data(), maintype=main, subtype=sub, filename=filename)
        return msg.as_bytes(policy=email.policy.SMTP)

    def receive(self, raw: bytes, at: datetime.datetime) -> RawMail:
        """Through the intake, as the SMTP listener does; then dated when it arrived."""
        newest = Ticket.objects.aggregate(last=Max("pk"))["last"] or 0
        with dated(at):
            kept = intake.ingest(raw, "smtp")
        if kept.deliveries > 1:
            return kept
        RawMail.objects.filter(pk=kept.pk).update(received_at=at)
        if kept.message is not None:
            Message.objects.filter(pk=kept.message.pk).update(created_at=at)
            ticket = kept.message.ticket
            if ticket.pk > newest:
                ticket.created_at = at
                targets.set_due(ticket)
                Ticket.objects.filter(pk=ticket.pk).update(
                    created_at=at,
                    first_response_due=ticket.first_response_due,
                    resolution_due=ticket.resolution_due,
                )
            self.touch(ticket.pk, at)
        return kept

    def step(self, story: _Story, ticket: Ticket, step: Step, at: datetime.datetime) -> None:
        kind = step[0]
        handler = self.desk[story.desk]
        if kind == "merge":
            into = Ticket.objects.select_related("category").get(pk=self.keys[step[2]])
            with dated(at):
                actions.do_merge(self.desk["admin"], ticket, into)
            self.touch(ticket.pk, at)
            self.touch(into.pk, at)
            return
        first, resolved = ticket.first_response_at, ticket.resolved_at
        if kind == "triage":
            with dated(at):
                actions.do_update(
                    self.desk["admin"],
                    ticket,
                    status=OPEN if ticket.status == Ticket.Status.NEW else None,
                    priority=story.priority,
                    category=self.categories_by_name[story.category],
                    assignee=handler,
                )
        elif kind == "status":
            with dated(at):
                actions.do_update(handler, ticket, status=step[2])
        elif kind == "note":
            with dated(at):
                note = actions.do_note(handler, ticket, step[2])
            Message.objects.filter(pk=note.pk).update(created_at=at)
        elif kind == "reply":
            with dated(at):
                reply = actions.do_reply(handler, ticket, self.letter(ticket, handler, step[2]), step[3])
            Message.objects.filter(pk=reply.pk).update(created_at=at, sent_at=at + datetime.timedelta(minutes=1))
        elif kind == "answer":
            self.answer(ticket, step[2], at)
            ticket.refresh_from_db()
        else:
            raise ValueError(f"No such step: {kind}")
        stamps = {}
        if first is None and ticket.first_response_at is not None:
            stamps["first_response_at"] = at
        if resolved is None and ticket.resolved_at is not None:
            stamps["resolved_at"] = at
        if stamps:
            Ticket.objects.filter(pk=ticket.pk).update(**stamps)
        self.touch(ticket.pk, at)

    def letter(self, ticket: Ticket, handler: Person, text: str) -> str:
        requester = self.people.get(ticket.requester_id) if ticket.requester_id else None
        school = self.place.get(ticket.requester_id, "your school") if ticket.requester_id else "your school"
        by_name = requester is not None or any(
            greet for _, address, greet in OUTSIDERS.values() if address == ticket.requester_email
        )
        greeting = f"Hi {ticket.requester_name.split()[0]}," if by_name and ticket.requester_name else "Hello,"
        sign = f"{handler.full_name.split()[0]}\nHelp desk, {self.org.name}"
        return f"{greeting}\n\n{text.format(school=school)}\n\n{sign}"

    def answer(self, ticket: Ticket, text: str, at: datetime.datetime) -> None:
        """The requester answers the help desk's latest reply from their mail program."""
        last = ticket.messages.filter(kind=Message.Kind.REPLY).order_by("-created_at", "-pk").first()
        assert last is not None
        refs = [*last.references.split(), last.message_id]
        sent = timezone.localtime(last.created_at)
        quoted = "\n".join(f"> {line}" if line else ">" for line in last.text.splitlines())
        first = (ticket.requester_name or ticket.requester_email).split()[0]
        body = (
            f"{text}\n\n{first}\n\n"
            f"On {sent:%a, %b %-d, %Y at %-I:%M %p} {last.from_name} via the help desk <{self.address}> wrote:\n"
            f"{quoted}\n"
        )
        raw = self.email(
            ticket.requester_name,
            ticket.requester_email,
            f"Re: {last.subject}",
            at,
            text=body,
            headers={"In-Reply-To": last.message_id, "References": " ".join(refs[-20:])},
        )
        self.receive(raw, at)

    # -- what the intake kept without a ticket --------------------------------------------------------

    def unread(self) -> None:
        """A scanner's message with no sender (kept for a person) and an auto-reply (ignored)."""
        scanned = moment(self.today - datetime.timedelta(days=20), "06:12")
        raw = self.email(
            "",
            "",
            "Scanned document from MFP-2F-Workroom",
            scanned,
            text="Scanned 2 pages.\nDevice: MFP-2F-Workroom\nResolution: 200 dpi\n",
            attachment="screenshot",
        )
        self.receive(raw, scanned)
        away = moment(self.today - datetime.timedelta(days=11), "17:02")
        raw = self.email(
            "Marisol Vega",
            "m.vega@eastshore.example.org",
            "Automatic reply: Network newsletter - November",
            away,
            text="I'm out of the office until Monday with limited access to email. For anything urgent, please "
            "call the front office.\n\nMarisol Vega",
            headers={
                "Auto-Submitted": "auto-replied",
                "X-Autoreply": "yes",
                "In-Reply-To": f"<newsletter-november@{self.domain}>",
            },
        )
        self.receive(raw, away)

    def touch(self, ticket: int, at: datetime.datetime) -> None:
        self.touched[ticket] = max(self.touched.get(ticket, at), at)

    def finish(self) -> None:
        """Each ticket last changed when its story last touched it."""
        for pk, at in self.touched.items():
            Ticket.objects.filter(pk=pk).update(updated_at=at)
