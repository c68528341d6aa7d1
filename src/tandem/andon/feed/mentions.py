"""Mentions in posts and comments: `@` and the person's email address, or the part of it before
the `@` when that names one person only (as `@maria.lopez`). A handle that names nobody, or more
than one person, stays plain text, as in the community tools staff already use."""

import re

from django.db.models import QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tandem.orgs.models import Person

# Not preceded by a word character, so an email address in the text is not read as a mention.
HANDLE = re.compile(r"(?<![\w.+-])@([A-Za-z0-9][\w.+-]*(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)")


def handles(text: str) -> list[str]:
    return [m.rstrip(".") for m in HANDLE.findall(text)]


def resolve(text: str, people: QuerySet[Person]) -> dict[str, Person]:
    """Each handle in the text that names exactly one of these people, lower-cased, to that person.
    However many handles the text holds, it costs two queries: the people's addresses, then those
    named."""
    wanted = dict.fromkeys(h.lower() for h in handles(text))
    if not wanted:
        return {}
    by_email: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for pk, email in people.values_list("pk", "email"):
        address = email.lower()
        by_email.setdefault(address, []).append(pk)
        by_name.setdefault(address.split("@", 1)[0], []).append(pk)
    named: dict[str, int] = {}
    for handle in wanted:
        match = by_email.get(handle, []) if "@" in handle else by_name.get(handle, [])
        if len(match) == 1:
            named[handle] = match[0]
    found = Person.objects.in_bulk(set(named.values()))
    return {handle: found[pk] for handle, pk in named.items()}


def render(text: str, mentioned: dict[str, Person]) -> SafeString:
    """The text, escaped, with each resolved mention linked to the person's page."""
    out: list[str] = []
    last = 0
    for m in HANDLE.finditer(text):
        handle = m.group(1).rstrip(".")
        person = mentioned.get(handle.lower())
        if person is None:
            continue
        out.append(escape(text[last : m.start()]))
        out.append(f'<a class="mention" href="{escape(person.get_absolute_url())}">@{escape(person)}</a>')
        last = m.start() + 1 + len(handle)
    out.append(escape(text[last:]))
    return mark_safe("".join(out))
