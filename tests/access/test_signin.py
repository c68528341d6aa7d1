"""Signing in: password guessing is slowed per account and per address, the refusal is the same
whether or not the account exists, a success clears the account's failures, and every sign-in,
failure and refusal is in the audit log."""

import datetime
import re

import pytest
from django.test import Client
from django.utils import timezone

from tandem.access.models import AuditEntry, SignInFailure
from tandem.access.signin import PER_ACCOUNT, PER_ADDRESS, WINDOW
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db
THROTTLED = "Too many failed sign-ins for this address."


def _sign_in(email: str, password: str, ip: str = "10.0.0.1") -> tuple[int, str]:
    response = Client(REMOTE_ADDR=ip).post("/login/", {"username": email, "password": password})
    return response.status_code, response.content.decode()


def test_an_account_is_locked_after_repeated_failures_even_with_the_right_password(world: World) -> None:
    email = world.inside.principal.email
    for _ in range(PER_ACCOUNT):
        status, page = _sign_in(email, "wrong guess")
        assert status == 200 and "Please enter a correct email" in page and THROTTLED not in page
    status, page = _sign_in(email, PASSWORD, ip="10.9.9.9")
    assert status == 200 and THROTTLED in page and "Try again in 15 minutes" in page
    # Another account signs in from the same address.
    assert _sign_in(world.outside.principal.email, PASSWORD)[0] == 302
    assert AuditEntry.objects.filter(action="signin.refused", object_repr=email).count() == 1


def test_the_lock_ends_when_the_failures_are_old(world: World) -> None:
    email = world.inside.principal.email
    for _ in range(PER_ACCOUNT):
        _sign_in(email, "wrong guess")
    SignInFailure.objects.update(at=timezone.now() - WINDOW - datetime.timedelta(seconds=1))
    assert _sign_in(email, PASSWORD)[0] == 302
    assert not SignInFailure.objects.filter(email=email).exists()


def test_an_unknown_address_is_refused_exactly_like_a_known_one(world: World) -> None:
    known, unknown = world.inside.principal.email, "nobody@example.org"
    pages = []
    for email in (known, unknown):
        for _ in range(PER_ACCOUNT):
            _sign_in(email, "wrong guess")
        page = _sign_in(email, "wrong guess")[1].replace(email, "EMAIL")
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page))
    assert pages[0] == pages[1] and THROTTLED in pages[0]


def test_case_and_spaces_do_not_make_a_new_account_to_guess(world: World) -> None:
    email = world.inside.principal.email
    for variant in [email.upper(), f" {email}", email, email.title(), email]:
        _sign_in(variant, "wrong guess")
    assert THROTTLED in _sign_in(email, PASSWORD)[1]


def test_one_address_guessing_many_accounts_is_stopped(world: World) -> None:
    for i in range(PER_ADDRESS):
        _sign_in(f"guess{i}@example.org", "wrong", ip="10.6.6.6")
    assert THROTTLED in _sign_in(world.inside.principal.email, PASSWORD, ip="10.6.6.6")[1]
    assert _sign_in(world.inside.principal.email, PASSWORD, ip="10.7.7.7")[0] == 302


def test_a_success_clears_the_failures_and_is_audited(world: World) -> None:
    email = world.inside.principal.email
    for _ in range(PER_ACCOUNT - 1):
        _sign_in(email, "wrong guess")
    assert _sign_in(email, PASSWORD)[0] == 302
    assert not SignInFailure.objects.filter(email=email).exists()
    entry = AuditEntry.objects.filter(action="signin").get()
    assert entry.actor == world.inside.principal and entry.changes == {"ip": "10.0.0.1"}
    assert AuditEntry.objects.filter(action="signin.failed", object_repr=email).count() == PER_ACCOUNT - 1


def test_an_empty_field_is_a_form_error_not_a_sign_in(world: World) -> None:
    status, page = _sign_in(world.inside.principal.email, "")
    assert status == 200 and "This field is required." in page
    assert not AuditEntry.objects.filter(action="signin").exists()
