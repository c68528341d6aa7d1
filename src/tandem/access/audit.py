"""Audit entries: every action writes one, in the same transaction as the change it records."""

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import Model
from django.db.models.fields.files import FieldFile

from tandem.access.models import AuditEntry
from tandem.orgs.models import Person


def _plain(value: Any) -> Any:
    if isinstance(value, Model):
        return value.pk
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, FieldFile):
        return value.name or None
    return value


def snapshot(obj: Model) -> dict[str, Any]:
    """The concrete field values of an object, in JSON-friendly form."""
    return {
        f.attname: _plain(getattr(obj, f.attname))
        for f in obj._meta.concrete_fields
        if f.attname not in {"password", "last_login"}
    }


def stored(obj: Model) -> dict[str, Any]:
    """The object's values as the database holds them: a ModelForm has already written the new
    values onto the instance it validated, so the instance itself cannot say what changed."""
    return snapshot(obj._meta.model._default_manager.get(pk=obj.pk))


def changed_fields(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def record(
    actor: Person | None,
    action: str,
    obj: Model,
    changes: dict[str, Any] | None = None,
    kind: str = AuditEntry.Kind.CHANGE,
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        kind=kind,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        changes=changes or {},
    )


def record_creation(actor: Person | None, action: str, obj: Model) -> AuditEntry:
    return record(actor, action, obj, {k: [None, v] for k, v in snapshot(obj).items() if v not in (None, "")})


def record_update(actor: Person | None, action: str, obj: Model, before: dict[str, Any]) -> AuditEntry | None:
    """Write an entry with the fields that changed; nothing changed means nothing to record."""
    changes = changed_fields(before, snapshot(obj))
    if not changes:
        return None
    return record(actor, action, obj, changes)
