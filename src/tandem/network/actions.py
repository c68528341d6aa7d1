"""Every change to the leadership network goes through these functions: each checks the actor's
right to make it, runs in one transaction and writes an audit entry. Convenings are scheduled as
learning sessions through the learning spaces' own action, so they keep that module's rules
(time zones, reminders, calendar feeds)."""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model

from tandem.access import audit
from tandem.access.roles import Capability
from tandem.access.scope import Scope, scope_for
from tandem.learning.actions import do_save_session
from tandem.learning.models import Audience, Session, SessionType
from tandem.network.models import Cohort, Member
from tandem.network.visibility import manages_cohort, manages_network
from tandem.orgs.models import District, Person, School


def _refuse(message: str, field: str | None = None) -> None:
    raise ValidationError({field: message} if field else message)


def _save(actor: Person, action: str, obj: Model) -> None:
    before = audit.stored(obj) if obj.pk else None
    obj.full_clean()
    obj.save()
    if before is None:
        audit.record_creation(actor, action, obj)
    else:
        audit.record_update(actor, action, obj, before)


def _cohort_manager(actor: Person, cohort: Cohort) -> Scope:
    scope = scope_for(actor)
    if not manages_cohort(scope, cohort):
        _refuse("Only the network's leaders and the cohort's facilitators change it.")
    return scope


@transaction.atomic
def do_save_cohort(actor: Person, cohort: Cohort, facilitators: list[Person] | None = None) -> Cohort:
    scope = scope_for(actor)
    if cohort.pk is None and not manages_network(scope):
        _refuse("Only the organization's leaders start a cohort.")
    if cohort.pk is not None:
        _cohort_manager(actor, Cohort.objects.get(pk=cohort.pk))
    cohort.name = " ".join(cohort.name.split())
    same = Cohort.objects.filter(name__iexact=cohort.name, school_year=cohort.school_year).exclude(pk=cohort.pk)
    if same.exists():
        _refuse(f"There is already a cohort called “{cohort.name}” in {cohort.year_label}.", "name")
    _save(actor, "network.cohort", cohort)
    if facilitators is not None:
        inactive = [p for p in facilitators if not p.is_active]
        if inactive:
            _refuse(f"{inactive[0]} no longer signs in to Tandem.", "facilitators")
        cohort.facilitators.set(facilitators)
    return cohort


@transaction.atomic
def do_add_member(
    actor: Person,
    cohort: Cohort,
    person: Person,
    role: str,
    school: School | None = None,
    district: District | None = None,
    title: str = "",
) -> Member:
    """Add a leader to a cohort (or change their role and place in it)."""
    scope = _cohort_manager(actor, cohort)
    if not person.is_active:
        _refuse(f"{person} no longer signs in to Tandem.", "person")
    if school is not None and not scope.covers_school(Capability.VIEW, school.pk):
        _refuse("Choose a school within your reach.", "school")
    if district is not None and not scope.districts().filter(pk=district.pk).exists():
        _refuse("Choose a district within your reach.", "district")
    member = Member.objects.filter(cohort=cohort, person=person).first() or Member(cohort=cohort, person=person)
    member.role, member.school, member.title = role, school, title.strip()
    member.district = district if district is not None else (school.district if school is not None else None)
    _save(actor, "network.member", member)
    return member


@transaction.atomic
def do_remove_member(actor: Person, member: Member) -> None:
    _cohort_manager(actor, member.cohort)
    audit.record(actor, "network.member.remove", member, audit.snapshot(member))
    member.delete()


def convening_type() -> SessionType:
    """The session type convenings are held as: the first for a leadership network."""
    found = SessionType.objects.filter(audience=Audience.NETWORK, archived=False).order_by("pk").first()
    if found is None:
        _refuse("There is no session type for network convenings; add one under Learning → Session types.")
    assert found is not None
    return found


@transaction.atomic
def do_schedule_convening(
    actor: Person,
    cohort: Cohort,
    title: str,
    day: datetime.date,
    start: datetime.time,
    minutes: int,
    location: str = "",
    time_zone: str = "America/Los_Angeles",
    facilitators: list[Person] | None = None,
) -> Session:
    """A convening of the cohort: a learning session that invites its members. The organization's
    leaders schedule it, as they do every session (the learning action checks that)."""
    if not manages_network(scope_for(actor)):
        _refuse("Only the organization's leaders schedule convenings.")
    if not 15 <= minutes <= 12 * 60:
        _refuse("A convening day lasts from 15 minutes to 12 hours.", "minutes")
    try:
        zone = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValidationError({"time_zone": f"Unknown time zone {time_zone!r}."}) from None
    starts = datetime.datetime.combine(day, start, tzinfo=zone)
    session = Session(
        title=title.strip() or f"{cohort.name} convening",
        session_type=convening_type(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=minutes),
        time_zone=time_zone,
        location=location.strip(),
    )
    return do_save_session(
        actor,
        session,
        facilitators=facilitators if facilitators is not None else list(cohort.facilitators.all()),
        cohorts=[cohort],
    )
