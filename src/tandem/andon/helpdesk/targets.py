"""First-response and resolution targets: a ticket's category sets them, else the help desk's
defaults (settings HELPDESK_FIRST_RESPONSE_HOURS and HELPDESK_RESOLUTION_HOURS)."""

import datetime

from django.conf import settings

from tandem.andon.helpdesk.models import Ticket


def hours(ticket: Ticket) -> tuple[int, int]:
    if ticket.category_id and ticket.category is not None:
        return ticket.category.first_response_hours, ticket.category.resolution_hours
    return settings.HELPDESK_FIRST_RESPONSE_HOURS, settings.HELPDESK_RESOLUTION_HOURS


def set_due(ticket: Ticket) -> None:
    first, resolve = hours(ticket)
    ticket.first_response_due = ticket.created_at + datetime.timedelta(hours=first)
    ticket.resolution_due = ticket.created_at + datetime.timedelta(hours=resolve)
