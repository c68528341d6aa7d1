"""Mentions: `@` and a staff member's email address, or its local part when that names one person
only; anything else stays text, an email address in the text is not a mention, and rendering
escapes the text and links each mention."""

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.andon.feed import actions, mentions
from tandem.andon.feed.models import Notification, Post
from tandem.andon.feed.visibility import staff_people
from tests.andon.feed.common import Cast
from tests.world import World, make_person


def _resolved(text: str) -> dict[str, str]:
    return {handle: person.email for handle, person in mentions.resolve(text, staff_people()).items()}


def test_a_local_part_or_a_full_address_names_a_staff_member(cast: Cast) -> None:
    assert _resolved("@coach can you look?") == {"coach": "coach@example.org"}
    assert _resolved("Ask @partner.north@example.org.") == {"partner.north@example.org": "partner.north@example.org"}
    assert _resolved("@Partner.North, @NATIONAL_LEADER!") == {
        "partner.north": "partner.north@example.org",
        "national_leader": "national_leader@example.org",
    }
    # Wrapped in punctuation, at the start of a line, and at the end of a sentence.
    assert _resolved("(@coach)\n@analyst. and @org_admin...") == {
        "coach": "coach@example.org",
        "analyst": "analyst@example.org",
        "org_admin": "org_admin@example.org",
    }
    assert mentions.handles("cc @coach, @coach.") == ["coach", "coach"]


def test_an_ambiguous_or_unknown_handle_stays_text(world: World, cast: Cast) -> None:
    for email in ("pat@example.org", "pat@other.org"):
        RoleAssignment.objects.create(person=make_person(email, "Pat"), role=Role.ANALYST, region=world.inside.region)
    assert _resolved("@pat please") == {}
    assert _resolved("@pat@other.org please") == {"pat@other.org": "pat@other.org"}
    assert _resolved("@nobody and @nobody@example.org and @coach@elsewhere.org") == {}
    # A local part is the whole of it: "@co" names nobody though "coach" starts with it.
    assert _resolved("@co @coac") == {}
    # Wildcards of the database's pattern matching are plain characters here.
    assert _resolved("@c_ach @c%") == {}


def test_an_email_address_in_the_text_is_not_a_mention(cast: Cast) -> None:
    assert _resolved("Write to coach@example.org or a@b.org, or x.coach@example.org") == {}
    assert mentions.handles("mail maria@example.org, me+x@b.org; pat.o'neil@x.org") == []


def test_only_the_staff_are_mentioned(world: World, cast: Cast) -> None:
    text = "@principal.north @teacher @district_leader @funder @network_member @coach"
    assert _resolved(text) == {"coach": "coach@example.org"}
    post = actions.do_post(cast.colleague, Post.Kind.QUESTION, "Who knows?", text)
    assert list(post.mentions.all()) == [cast.coach]
    assert list(Notification.objects.values_list("person", flat=True)) == [cast.coach.pk]


def test_render_escapes_the_text_and_links_mentions(cast: Cast) -> None:
    text = "<script>alert('x')</script> @coach & @nobody, @Partner.North. See a@b.org"
    found = mentions.resolve(text, staff_people())
    html = mentions.render(text, found)
    coach_url, partner_url = cast.coach.get_absolute_url(), cast.colleague.get_absolute_url()
    assert html == (
        "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; "
        f'<a class="mention" href="{coach_url}">@Coach / partner</a> &amp; @nobody, '
        f'<a class="mention" href="{partner_url}">@North Partner</a>. See a@b.org'
    )
    # A name is escaped too.
    cast.colleague.full_name = "<b>North</b>"
    assert mentions.render("@partner.north", {"partner.north": cast.colleague}) == (
        f'<a class="mention" href="{partner_url}">@&lt;b&gt;North&lt;/b&gt;</a>'
    )
    assert mentions.render("no mentions <i>", {}) == "no mentions &lt;i&gt;"
