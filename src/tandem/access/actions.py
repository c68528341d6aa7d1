"""Issuing and revoking API tokens."""

import datetime
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import ApiToken
from tandem.access.tokens import digest
from tandem.orgs.models import Person

MAX_DAYS = 366


@transaction.atomic
def do_issue_api_token(actor: Person | None, person: Person, name: str, days: int = 90) -> tuple[ApiToken, str]:
    """A new token for `person`; the secret is returned once and only its hash is kept.
    People issue their own tokens; `actor=None` is the operator at the command line."""
    if actor is not None and actor.pk != person.pk:
        raise Http404("Not found.")
    if not name.strip():
        raise ValidationError({"name": "Name the token after what will use it."})
    if not 1 <= days <= MAX_DAYS:
        raise ValidationError({"days": f"A token lasts from 1 to {MAX_DAYS} days."})
    secret = "tdm_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        person=person,
        name=name.strip(),
        prefix=secret[4:12],
        digest=digest(secret),
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    audit.record(
        actor,
        "api_token.issue",
        token,
        {"person": [None, person.pk], "expires_at": [None, token.expires_at.isoformat()]},
    )
    return token, secret


@transaction.atomic
def do_revoke_api_token(actor: Person | None, token: ApiToken) -> ApiToken:
    if actor is not None and actor.pk != token.person_id:
        raise Http404("Not found.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(actor, "api_token.revoke", token)
    return token
