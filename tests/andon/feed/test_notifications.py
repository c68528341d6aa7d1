"""Who hears of what in the feed: replies reach the author and the owner, status changes reach the
author, the owner and whoever said "me too", mentions reach staff who can open the post, and
nobody hears of their own doing or twice of one thing. Unread notifications go out as one email
digest through the real background worker to a real SMTP server."""

import datetime
import socket
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tandem.access.models import RoleAssignment
from tandem.andon.feed import actions
from tandem.andon.feed.models import DigestPreference, Notification, Post
from tandem.andon.feed.tasks import RETRY, send_digest
from tandem.orgs.models import Person
from tests.andon.feed.common import Cast, cast_of
from tests.world import World, build_world

Kind = Notification.Kind
BASE = "https://tandem.example.org"
TASK = "tandem.andon.feed.tasks.send_digest"


def _told(**filters: Any) -> list[tuple[str, str, str]]:
    """(who, kind, text) of each notification, oldest first."""
    rows = Notification.objects.filter(**filters).order_by("created_at", "pk")
    return [(n.person.email.split("@")[0], n.kind, n.text) for n in rows]


def test_the_author_and_the_owner_hear_of_replies_but_not_of_their_own(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_comment(cast.colleague, flag, "Same at our school.")
    actions.do_comment(cast.coach, flag, "Thanks.")  # the author's own reply tells nobody
    actions.do_acknowledge(cast.leader, flag, owner=cast.analyst)
    Notification.objects.all().delete()
    actions.do_comment(cast.colleague, flag, "Any news?")
    assert _told() == [
        ("coach", Kind.REPLY, "North Partner replied to “Buses late”"),
        ("analyst", Kind.REPLY, "North Partner replied to “Buses late”"),
    ]
    Notification.objects.all().delete()
    actions.do_comment(cast.analyst, flag, "Calling the company.")
    assert _told() == [("coach", Kind.REPLY, "Analyst replied to “Buses late”")]
    # Other commenters are not followers.
    assert not Notification.objects.filter(person=cast.colleague).exists()


def test_status_changes_reach_the_author_the_owner_and_me_too(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_me_too(cast.colleague, flag)
    actions.do_me_too(cast.far_coach, flag)
    actions.do_acknowledge(cast.leader, flag, owner=cast.analyst)
    assert {(who, kind) for who, kind, _ in _told()} == {
        ("analyst", Kind.STATUS),
        ("coach", Kind.STATUS),
        ("partner.north", Kind.STATUS),
        ("partner.south", Kind.STATUS),
    }
    assert {text for *_, text in _told()} == {"National leader handed it to Analyst: “Buses late”"}
    Notification.objects.all().delete()
    # The owner moves it: everyone else hears, the owner does not.
    actions.do_move_flag(cast.analyst, flag, Post.Status.IN_PROGRESS)
    assert sorted(who for who, *_ in _told()) == ["coach", "partner.north", "partner.south"]
    assert {text for *_, text in _told()} == {"Analyst marked it in progress: “Buses late”"}
    Notification.objects.all().delete()
    # A leader steps in: the owner hears of it too.
    actions.do_move_flag(cast.leader, flag, Post.Status.RESOLVED, "Done.")
    assert sorted(who for who, *_ in _told()) == ["analyst", "coach", "partner.north", "partner.south"]
    Notification.objects.all().delete()
    # Handed on: the new owner and the one it was taken from both hear.
    actions.do_move_flag(cast.leader, flag, Post.Status.IN_PROGRESS)
    Notification.objects.all().delete()
    actions.do_acknowledge(cast.director, flag, owner=cast.colleague)
    assert sorted(who for who, *_ in _told()) == ["analyst", "coach", "partner.north", "partner.south"]
    # Withdrawn "me too": no longer told.
    actions.do_me_too(cast.far_coach, flag, on=False)
    Notification.objects.all().delete()
    actions.do_move_flag(cast.colleague, flag, Post.Status.RESOLVED, "Done again.")
    assert sorted(who for who, *_ in _told()) == ["coach"]


def test_a_leader_acknowledging_their_own_way_tells_the_author(cast: Cast) -> None:
    flag = cast.flag()
    actions.do_acknowledge(cast.leader, flag)
    assert _told() == [("coach", Kind.STATUS, "National leader acknowledged it: “Buses late”")]
    # Escalated: the author hears where it went.
    Notification.objects.all().delete()
    from tandem.orgs.models import Team

    team = Team.objects.create(organization=cast.world.org, name="Transport group", kind=Team.Kind.OTHER)
    actions.do_escalate(cast.leader, flag, "working_group", team)
    assert _told() == [
        ("coach", Kind.STATUS, "National leader escalated it to working group “Transport group”: “Buses late”")
    ]


def test_a_mention_and_a_reply_to_the_same_person_make_one_notification(cast: Cast) -> None:
    question = cast.question()
    comment = actions.do_comment(cast.leader, question, "@coach have you asked @partner.north?")
    assert _told() == [
        ("coach", Kind.MENTION, "National leader mentioned you in a comment on “Who runs the data day?”"),
        ("partner.north", Kind.MENTION, "National leader mentioned you in a comment on “Who runs the data day?”"),
    ]
    assert set(Notification.objects.values_list("comment", flat=True)) == {comment.pk}
    # Mentioning oneself tells nobody.
    Notification.objects.all().delete()
    actions.do_comment(cast.coach, question, "Note to self, @coach: ask Maria.")
    assert _told() == []


def test_the_accepted_answers_author_hears_of_it(cast: Cast) -> None:
    question = cast.question()
    answer = actions.do_comment(cast.colleague, question, "Maria runs it.")
    own = actions.do_comment(cast.coach, question, "Found it myself.")
    Notification.objects.all().delete()
    actions.do_accept_answer(cast.coach, question, answer)
    assert _told() == [
        ("partner.north", Kind.ANSWER, "Coach / partner accepted your answer to “Who runs the data day?”")
    ]
    Notification.objects.all().delete()
    actions.do_accept_answer(cast.coach, question, own)
    actions.do_accept_answer(cast.coach, question, None)
    assert _told() == []


def test_a_restricted_flag_mentions_only_those_who_can_open_it(cast: Cast) -> None:
    flag = actions.do_post(
        cast.coach, Post.Kind.FLAG, "Conduct", "@partner.north @national_leader @director", restricted=True
    )
    assert _told() == [("national_leader", Kind.MENTION, "Coach / partner mentioned you in the post “Conduct”")]
    actions.do_comment(cast.leader, flag, "@partner.north what did you see?")
    assert not Notification.objects.filter(person=cast.colleague).exists()
    # Handed to the colleague, the flag is theirs to see: a later mention reaches them.
    actions.do_acknowledge(cast.leader, flag, owner=cast.colleague)
    Notification.objects.all().delete()
    actions.do_comment(cast.coach, flag, "@partner.north thank you")
    assert _told() == [("partner.north", Kind.MENTION, "Coach / partner mentioned you in a comment on “Conduct”")]


def test_an_edit_tells_only_people_not_told_of_the_mention_before(cast: Cast) -> None:
    flag = actions.do_post(cast.coach, Post.Kind.FLAG, "Conduct", "@partner.north @national_leader", restricted=True)
    assert [who for who, *_ in _told()] == ["national_leader"]
    actions.do_edit_post(cast.coach, flag, "Conduct", "@partner.north @national_leader @analyst")
    assert [who for who, *_ in _told()] == ["national_leader"]
    # Opened to all staff: those mentioned but kept out hear now, once.
    actions.do_edit_post(cast.coach, flag, "Conduct", "@partner.north @national_leader @analyst", restricted=False)
    assert sorted(who for who, *_ in _told()) == ["analyst", "national_leader", "partner.north"]
    actions.do_edit_post(cast.coach, flag, "Conduct!", "@partner.north @national_leader @analyst")
    assert len(_told()) == 3


def test_marking_read(cast: Cast) -> None:
    question = cast.question()
    for text in ("One", "Two", "Three"):
        actions.do_comment(cast.colleague, question, text)
    mine = list(Notification.objects.filter(person=cast.coach).order_by("pk").values_list("pk", flat=True))
    assert actions.do_mark_read(cast.coach, mine[:1]) == 1
    assert actions.do_mark_read(cast.colleague, mine) == 0  # someone else's are not theirs to read
    assert actions.do_mark_read(cast.coach) == 2
    assert actions.do_mark_read(cast.coach) == 0


# -- the email digest --------------------------------------------------------------------------


@pytest.fixture
def committed(transactional_db: None, settings: Any) -> Cast:
    # The worker closes its database connection after each task: the data must be committed.
    settings.TANDEM_BASE_URL = BASE
    settings.FEED_DIGEST_HOURS = 0
    world: World = build_world()
    return cast_of(world)


def _work() -> None:
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)


def _digest_tasks(person: Person) -> list[DBTaskResult]:
    return [
        t
        for t in DBTaskResult.objects.filter(task_path=TASK).order_by("enqueued_at")
        if t.args_kwargs["args"][0] == person.pk
    ]


def test_the_digest_sends_all_unread_notifications_in_one_email_once(committed: Cast, smtp_inbox: Any) -> None:
    c = committed
    question = c.question()
    flag = c.flag()
    actions.do_comment(c.colleague, question, "Maria runs it.")
    actions.do_comment(c.leader, flag, "Looking into it, @coach.")
    read = actions.do_comment(c.analyst, question, "Old news.")
    Notification.objects.filter(comment=read).update(read_at=timezone.now())
    actions.do_acknowledge(c.leader, flag)
    assert smtp_inbox.messages == []  # nothing goes out from the request
    tasks = _digest_tasks(c.coach)
    assert tasks and all(t.status == "READY" for t in tasks)

    _work()

    (message,) = smtp_inbox.messages
    assert (message["To"], message["Subject"]) == (c.coach.email, "Staff feed: 3 unread notifications")
    body = message.get_content()
    assert "Hello Coach," in body
    assert (
        body.index("North Partner replied to “Who runs the data day?”")
        < body.index("National leader mentioned you in a comment on “Buses late”")
        < body.index("National leader acknowledged it: “Buses late”")
    )
    assert "Analyst replied" not in body
    assert f"{BASE}{question.get_absolute_url()}" in body
    assert f"{BASE}{flag.get_absolute_url()}" in body
    assert f"{BASE}/feed/notifications/" in body
    unread = Notification.objects.filter(person=c.coach, read_at=None)
    assert unread.count() == 3 and not unread.filter(emailed_at=None).exists()
    assert Notification.objects.get(comment=read).emailed_at is None
    assert DigestPreference.objects.get(person=c.coach).due_at is None
    assert [t.return_value for t in _digest_tasks(c.coach) if t.status == "SUCCESSFUL"].count(3) == 1

    # Again: nothing is due, nothing is sent; a task queued for the same time finds nothing.
    _work()
    send_digest.enqueue(c.coach.pk, tasks[-1].args_kwargs["args"][1])
    _work()
    assert len(smtp_inbox.messages) == 1
    # A new notification starts the next digest, with only what is new.
    actions.do_comment(c.colleague, question, "Also: bring the data.")
    _work()
    assert len(smtp_inbox.messages) == 2
    assert smtp_inbox.messages[1]["Subject"] == "Staff feed: 1 unread notification"


def test_a_digest_waits_for_its_time(committed: Cast, smtp_inbox: Any, settings: Any) -> None:
    settings.FEED_DIGEST_HOURS = 4
    c = committed
    question = c.question()
    actions.do_comment(c.colleague, question, "Maria runs it.")
    (task,) = _digest_tasks(c.coach)
    due = DigestPreference.objects.get(person=c.coach).due_at
    assert due is not None and task.run_after == due
    assert datetime.timedelta(hours=3, minutes=59) < due - timezone.now() <= datetime.timedelta(hours=4)
    # Later notifications join the digest already planned.
    actions.do_comment(c.analyst, question, "And Pat.")
    assert len(_digest_tasks(c.coach)) == 1
    _work()
    assert smtp_inbox.messages == []
    assert DBTaskResult.objects.get(pk=task.pk).status == "READY"
    # Its time come, it goes out with both.
    DBTaskResult.objects.filter(pk=task.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    _work()
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "Staff feed: 2 unread notifications"


def test_nothing_is_sent_when_everything_was_read_or_the_digest_is_off(committed: Cast, smtp_inbox: Any) -> None:
    c = committed
    question = c.question()
    actions.do_comment(c.colleague, question, "Maria runs it.")
    actions.do_mark_read(c.coach)
    actions.do_set_digest(c.analyst, False)
    actions.do_comment(c.colleague, c.question(c.analyst, title="Analyst asks"), "Here.")
    assert Notification.objects.filter(person=c.analyst, read_at=None).exists()
    assert _digest_tasks(c.analyst) == []
    # Turned off after the digest was planned: the planned one sends nothing.
    actions.do_comment(c.leader, c.question(c.colleague, title="Colleague asks"), "Answer.")
    assert len(_digest_tasks(c.colleague)) == 1
    actions.do_set_digest(c.colleague, False)
    _work()
    assert smtp_inbox.messages == []
    assert all(t.return_value == 0 for t in DBTaskResult.objects.filter(task_path=TASK))
    assert not Notification.objects.exclude(emailed_at=None).exists()


def test_a_notification_about_a_post_no_longer_seen_is_left_out(committed: Cast, smtp_inbox: Any) -> None:
    c = committed
    flag = c.flag(restricted=True, title="Conduct")
    actions.do_acknowledge(c.leader, flag, owner=c.colleague)
    actions.do_comment(c.coach, flag, "More detail.")
    actions.do_comment(c.leader, c.question(title="Visible"), "@partner.north see this")
    assert [n.post for n in Notification.objects.filter(person=c.colleague).order_by("pk")] == [
        flag,
        flag,
        Post.objects.get(title="Visible"),
    ]
    # Handed on before the digest: the former owner can no longer open the flag.
    actions.do_acknowledge(c.leader, flag, owner=c.analyst)
    _work()
    sent = {m["To"]: m for m in smtp_inbox.messages}
    body = sent[c.colleague.email].get_content()
    assert sent[c.colleague.email]["Subject"] == "Staff feed: 1 unread notification"
    assert "Visible" in body and "Conduct" not in body
    assert not Notification.objects.filter(person=c.colleague, post=flag).exclude(emailed_at=None).exists()


def test_nobody_who_left_the_staff_gets_a_digest(committed: Cast, smtp_inbox: Any) -> None:
    c = committed
    actions.do_comment(c.colleague, c.question(), "Maria runs it.")
    RoleAssignment.objects.filter(person=c.coach).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    Person.objects.filter(pk=c.analyst.pk).update(is_active=False)
    _work()
    assert smtp_inbox.messages == []


def test_a_mail_server_down_marks_nothing_and_tries_again(committed: Cast, smtp_inbox: Any, settings: Any) -> None:
    c = committed
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    working = settings.MAILERS
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": closed_port, "timeout": 5},
        }
    }
    question = c.question()
    actions.do_comment(c.colleague, question, "Maria runs it.")
    before = timezone.now()
    _work()
    assert smtp_inbox.messages == []
    assert not Notification.objects.exclude(emailed_at=None).exists()
    first, retry = _digest_tasks(c.coach)
    assert (first.status, first.return_value) == ("SUCCESSFUL", 0)
    assert retry.status == "READY"
    due = DigestPreference.objects.get(person=c.coach).due_at
    assert due is not None and retry.run_after == due
    assert before + RETRY <= due <= timezone.now() + RETRY
    # The server is back when the retry comes round: the notification goes out once.
    settings.MAILERS = working
    DBTaskResult.objects.filter(pk=retry.pk).update(run_after=timezone.now() - datetime.timedelta(seconds=1))
    _work()
    (message,) = smtp_inbox.messages
    assert message["Subject"] == "Staff feed: 1 unread notification"
    assert not Notification.objects.filter(emailed_at=None, person=c.coach).exists()
