"""Who sees which tickets: the help desk (the HELP_DESK capability, held across the whole
organization) sees every ticket; anyone else sees the tickets they asked for, and not the help
desk's internal notes. Anything else is not found."""

from django.db.models import Q, QuerySet

from tandem.access.roles import Capability
from tandem.access.scope import scope_for
from tandem.andon.helpdesk.models import Message, Ticket
from tandem.orgs.models import Person


def answers(person: Person) -> bool:
    return person.is_active and scope_for(person).is_org_wide(Capability.HELP_DESK)


def is_requester(person: Person, ticket: Ticket) -> bool:
    return ticket.requester_id == person.pk or (
        ticket.requester_id is None and ticket.requester_email.lower() == person.email.lower()
    )


def visible_tickets(person: Person) -> QuerySet[Ticket]:
    if answers(person):
        return Ticket.objects.all()
    return Ticket.objects.filter(Q(requester=person) | Q(requester__isnull=True, requester_email__iexact=person.email))


def visible_messages(person: Person, ticket: Ticket) -> QuerySet[Message]:
    messages = ticket.messages.all()
    return messages if answers(person) else messages.exclude(kind=Message.Kind.NOTE)


def desk_people() -> QuerySet[Person]:
    """Everyone who answers the help desk (to assign tickets to)."""
    from django.utils import timezone

    from tandem.access.models import RoleAssignment
    from tandem.access.roles import CAPABILITIES

    roles = [role for role, caps in CAPABILITIES.items() if Capability.HELP_DESK in caps]
    holders = RoleAssignment.objects.active(timezone.localdate()).filter(role__in=roles, organization__isnull=False)
    return Person.objects.filter(is_active=True, pk__in=holders.values("person")).order_by("full_name")
