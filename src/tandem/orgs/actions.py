"""Changes to people and their roles. `actor=None` means the operator at the command line, who
already holds the server's keys."""

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.http import Http404

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
    back_office: bool = False,
) -> Person:
    _require_people_manager(actor)
    person = Person(email=Person.objects.normalize_email(email).lower(), full_name=full_name, title=title)
    person.is_staff = back_office
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
