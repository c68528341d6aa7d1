"""Seats and terms: when a seat's terms fall, who may hold an elected seat, and who holds the team's
rights on a given day. Rights follow the term's dates by construction — nothing has to run at a
term's boundary for them to change."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet

from tandem.access.models import RoleAssignment
from tandem.access.roles import Role
from tandem.governance.models import PlanningTeam, Seat, Term
from tandem.orgs.models import Person
from tandem.partnerships.models import SiteAssignment


def term_span(seat: Seat, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The seat's term that contains `on` (or the first term, before the seat existed).

    The k-th term runs from `first_term_starts` + k terms to the day before `first_term_starts` +
    (k + 1) terms, both counted from the first start: counting a term's end from its own start
    would drift when the first start is the 29th to 31st (a term from 28 February 2027 would end
    on 27 February 2028 while the next one starts on the 29th), leaving days nobody holds."""
    months = seat.term_months
    first = seat.first_term_starts
    k = 0
    if on >= first:
        k = ((on.year - first.year) * 12 + (on.month - first.month)) // months
        if first + relativedelta(months=k * months) > on:  # the day of the month is not reached yet
            k -= 1
    starts = first + relativedelta(months=k * months)
    ends = first + relativedelta(months=(k + 1) * months) - datetime.timedelta(days=1)
    return starts, ends


def next_term(seat: Seat, on: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first term that starts after `on`."""
    start, ends = term_span(seat, on)
    if start <= on:
        return term_span(seat, ends + datetime.timedelta(days=1))
    return start, ends


def eligible(seat: Seat, on: datetime.date) -> QuerySet[Person]:
    """Who may stand for (and vote for) an elected seat on that day."""
    holders = RoleAssignment.objects.active(on).filter(role__in=seat.eligible_roles)
    people = Person.objects.filter(is_active=True, pk__in=holders.values("person"))
    if seat.site_staff_only:
        placed = SiteAssignment.objects.filter(start_date__lte=on).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
        )
        people = people.filter(pk__in=placed.values("person"))
    return people.order_by("full_name")


def current_terms(on: datetime.date) -> QuerySet[Term]:
    """Terms held on that day: from the first day to the last, both included. A term ended early
    gives no rights from the day it was ended on: a leader who removes someone today takes the
    rights away today, not at midnight."""
    return Term.objects.filter(starts_on__lte=on, ends_on__gte=on).filter(
        Q(ended_early_on__isnull=True) | Q(ended_early_on__gt=on)
    )


def members(team: PlanningTeam, on: datetime.date) -> QuerySet[Person]:
    """Who holds a seat of the team on that day, and with it the team's rights."""
    terms = current_terms(on).filter(seat__team=team)
    return Person.objects.filter(pk__in=terms.values("person")).order_by("full_name")


def holds_seat(person: Person, team: PlanningTeam, on: datetime.date) -> bool:
    return current_terms(on).filter(seat__team=team, person=person).exists()


def consecutive_terms(seat: Seat, person: Person, before: datetime.date) -> int:
    """How many terms in a row, ending the day before `before`, the person has held the seat."""
    count = 0
    day = before - datetime.timedelta(days=1)
    for term in seat.terms.filter(starts_on__lt=before).order_by("-starts_on"):
        if term.ends_on != day or term.ended_early_on is not None:
            break
        if term.person_id != person.pk:
            break
        count += 1
        day = term.starts_on - datetime.timedelta(days=1)
    return count


def may_serve(seat: Seat, person: Person, term_starts: datetime.date, today: datetime.date) -> str | None:
    """Why the person may not hold the seat for the term starting then, or None. Eligibility is
    judged today (roles to come are not known yet); rotation against the terms before that one."""
    if seat.kind == Seat.Kind.ELECTED and not eligible(seat, today).filter(pk=person.pk).exists():
        roles = " or ".join(Role(r).label if r in Role.values else r for r in seat.eligible_roles) or "no role"
        holds = RoleAssignment.objects.active(today).filter(person=person, role__in=seat.eligible_roles).exists()
        if seat.site_staff_only and holds and person.is_active:
            return (
                f"{person} is not eligible for {seat.name}: it is for people placed at a school site, "
                f"and {person} is not placed at one on {today:%-d %B %Y}."
            )
        where = " placed at a school site" if seat.site_staff_only else ""
        return f"{person} is not eligible for {seat.name}: it is for people holding {roles}{where}."
    if consecutive_terms(seat, person, term_starts) >= seat.max_consecutive_terms:
        n = seat.max_consecutive_terms
        return f"{person} has held {seat.name} for {n} term{'s' if n != 1 else ''} in a row; the seat rotates."
    return None
