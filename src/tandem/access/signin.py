"""Signing in, slowed down for anyone guessing passwords.

After `PER_ACCOUNT` failed sign-ins for one email address within `WINDOW`, that address cannot sign
in until the oldest of them is `WINDOW` old, from anywhere; after `PER_ADDRESS` failures from one IP
address, nobody signs in from it for as long. The rule is the same whether or not anyone has the
address, so the refusal tells nobody whether an account exists. A successful sign-in clears the
account's failures. Every sign-in through the form, failed sign-in and refusal is written to the audit log.
"""

import datetime
import math
from typing import Any

from django import forms
from django.contrib.auth import signals
from django.contrib.auth.forms import AuthenticationForm
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils import timezone

from tandem.access.models import AuditEntry, SignInFailure

PER_ACCOUNT = 5
PER_ADDRESS = 30
WINDOW = datetime.timedelta(minutes=15)


def client_ip(request: HttpRequest | None) -> str | None:
    # REMOTE_ADDR only: a header the client writes (X-Forwarded-For) would let a guesser pick a new
    # address for every try. Behind a proxy, the proxy sets REMOTE_ADDR (see docs/operations.md).
    return request.META.get("REMOTE_ADDR") or None if request is not None else None


def _wait(failures: Any, limit: int, now: datetime.datetime) -> int:
    """Minutes until fewer than `limit` of these failures are within the window; 0 when fewer now."""
    recent = list(failures.filter(at__gt=now - WINDOW).order_by("-at").values_list("at", flat=True)[:limit])
    if len(recent) < limit:
        return 0
    return max(1, math.ceil((recent[-1] + WINDOW - now).total_seconds() / 60))


def blocked_for(email: str, ip: str | None, now: datetime.datetime | None = None) -> int:
    now = now or timezone.now()
    wait = _wait(SignInFailure.objects.filter(email=email.strip().lower()), PER_ACCOUNT, now)
    if ip:
        wait = max(wait, _wait(SignInFailure.objects.filter(ip=ip), PER_ADDRESS, now))
    return wait


def _log(action: str, email: str, ip: str | None, person: Any = None) -> None:
    AuditEntry.objects.create(
        actor=person,
        kind=AuditEntry.Kind.CHANGE,
        action=action,
        object_type="orgs.person",
        object_id=str(person.pk) if person is not None else "",
        object_repr=email[:200],
        changes={"ip": ip} if ip else {},
    )


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": (
            "Too many failed sign-ins for this address. Try again in %(minutes)s minutes, or reset your password."
        ),
    }

    def clean(self) -> dict[str, Any]:
        email = (self.cleaned_data.get("username") or "").strip().lower()
        ip = client_ip(self.request)
        minutes = blocked_for(email, ip)
        if minutes:
            _log("signin.refused", email, ip)
            raise forms.ValidationError(self.error_messages["throttled"], code="throttled", params={"minutes": minutes})
        cleaned = super().clean()
        # Signed in through the form: the account's failures are forgiven, and the sign-in logged.
        # (Here rather than on Django's user_logged_in signal, which every session login sends.)
        user = self.get_user()
        if user is not None:  # None when a field was left empty (its own error is shown)
            SignInFailure.objects.filter(email=user.email.lower()).delete()
            _log("signin", user.email.lower(), ip, user)
        return cleaned


@receiver(signals.user_login_failed)
def _failed(sender: object, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any) -> None:
    email = str(credentials.get("username") or credentials.get("email") or "").strip().lower()[:254]
    ip = client_ip(request)
    SignInFailure.objects.create(email=email, ip=ip)
    # Old failures count for nothing; dropping them keeps the table small.
    SignInFailure.objects.filter(at__lt=timezone.now() - 4 * WINDOW).delete()
    _log("signin.failed", email, ip)
