"""Changes to people and their roles. `actor=None` means the operator at the command line, who
already holds the server's keys."""

import datetime

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, Q
from django.http import Http404
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import RoleAssignment
from tandem.access.roles import Capability, Role, ScopeKind
from tandem.access.scope import scope_for
from tandem.orgs.models import District, Organization, Person, Region, School

SCOPE_MODELS: dict[ScopeKind, type[Model]] = {
    ScopeKind.ORGANIZATION: Organization,
    ScopeKind.REGION: Region,
    ScopeKind.DISTRICT: District,
    ScopeKind.SCHOOL: School,
}


def parse_scope(text: str) -> Model:
    """'organization', 'region:3', 'school:12' ... to the object it names."""
    from tandem.partnerships.models import Partnership

    kind_text, _, pk = text.partition(":")
    try:
        kind = ScopeKind(kind_text)
    except ValueError:
        known = ", ".join(k.value for k in ScopeKind)
        raise ValidationError({"scope": f"Unknown scope {kind_text!r}: use {known}."}) from None
    model = Partnership if kind == ScopeKind.PARTNERSHIP else SCOPE_MODELS[kind]
    if kind == ScopeKind.ORGANIZATION and not pk:
        org = Organization.objects.first()
        if org is None:
            raise ValidationError({"scope": "There is no organization yet: run `tandem demo` or create one first."})
        return org
    obj = model.objects.filter(pk=pk).first() if pk.isdigit() else None
    if obj is None:
        raise ValidationError({"scope": f"No {kind.value} with id {pk!r}."})
    return obj


def _require_people_manager(actor: Person | None) -> None:
    if actor is not None and not scope_for(actor).is_org_wide(Capability.MANAGE_PEOPLE):
        raise Http404("Not found.")


@transaction.atomic
def do_create_person(
    actor: Person | None,
    *,
    email: str,
    full_name: str,
    password: str | None,
    title: str = "",
    role: str | None = None,
    scope: Model | None = None,
) -> Person:
    _require_people_manager(actor)
    person = Person(email=Person.objects.normalize_email(email).lower(), full_name=full_name, title=title)
    person.full_clean(exclude=["password"])
    if password:
        try:
            validate_password(password, person)
        except ValidationError as e:
            raise ValidationError({"password": e.messages}) from e
        person.set_password(password)
    else:
        person.set_unusable_password()
    person.save()
    audit.record_creation(actor, "person.create", person)
    if role:
        do_grant_role(actor, person, role, scope)
    return person


@transaction.atomic
def do_grant_role(actor: Person | None, person: Person, role: str, scope: Model | None) -> RoleAssignment:
    _require_people_manager(actor)
    if role not in Role.values:
        raise ValidationError({"role": f"Unknown role {role!r}: use one of {', '.join(Role.values)}."})
    if scope is None:
        raise ValidationError({"scope": "A role needs a scope."})
    assignment = RoleAssignment(person=person, role=role, **{scope._meta.model_name: scope})  # type: ignore[misc]
    assignment.full_clean()
    assignment.save()
    audit.record_creation(actor, "role.grant", assignment)
    return assignment


@transaction.atomic
def do_invite_person(actor: Person, *, email: str, full_name: str, title: str, role: str, scope: Model) -> Person:
    """Add a person with a role; they choose their own password from the emailed link."""
    person = do_create_person(
        actor, email=email, full_name=full_name, title=title, password=None, role=role, scope=scope
    )
    from tandem.orgs.tasks import send_invitation

    # Queue the email only once the person is committed, so the worker can find them.
    transaction.on_commit(lambda: send_invitation.enqueue(person.pk, actor.pk))
    return person


@transaction.atomic
def do_update_profile(actor: Person, person: Person, **fields: str) -> Person:
    """People keep their own profile; org admins may correct anyone's."""
    if actor.pk != person.pk:
        _require_people_manager(actor)
    before = audit.stored(person)
    for name, value in fields.items():
        if name not in PROFILE_FIELDS:
            raise ValueError(f"{name} is not a profile field")
        setattr(person, name, value)
    person.full_clean(exclude=["password"])
    person.save()
    audit.record_update(actor, "person.update_profile", person, before)
    return person


PROFILE_FIELDS = ("full_name", "title", "phone", "bio")


def scope_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Every place a role can be scoped to, grouped for a select box; values like 'school:12'."""
    from tandem.partnerships.models import Partnership

    groups: list[tuple[str, list[tuple[str, str]]]] = [
        ("Organization", [(f"organization:{o.pk}", str(o)) for o in Organization.objects.all()]),
        ("Regions", [(f"region:{r.pk}", str(r)) for r in Region.objects.all()]),
        ("Districts", [(f"district:{d.pk}", str(d)) for d in District.objects.all()]),
        ("Partnerships", [(f"partnership:{p.pk}", str(p)) for p in Partnership.objects.filter(~Q(status="completed"))]),
        ("Schools", [(f"school:{s.pk}", f"{s} ({s.district})") for s in School.objects.select_related("district")]),
    ]
    return [(label, options) for label, options in groups if options]


@transaction.atomic
def do_end_role(actor: Person, assignment: RoleAssignment) -> RoleAssignment | None:
    """End a role now: it stops at once. A role that has not started yet is withdrawn; a role that
    already ended is left as history. Returns None when the role was withdrawn."""
    _require_people_manager(actor)
    today = timezone.localdate()
    if assignment.ends_on is not None and assignment.ends_on < today:
        raise ValidationError("This role has already ended.")
    if assignment.starts_on is not None and assignment.starts_on >= today:
        audit.record(actor, "role.withdraw", assignment, {"role": [assignment.role, None]})
        assignment.delete()
        return None
    before = audit.stored(assignment)
    assignment.ends_on = today - datetime.timedelta(days=1)
    assignment.save(update_fields=["ends_on"])
    audit.record_update(actor, "role.end", assignment, before)
    return assignment
