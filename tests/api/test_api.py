"""The JSON API: token and session auth, field-level validation errors, paging, scoping."""

import datetime
import json

import pytest
from django.test import Client
from django.utils import timezone

from tandem.access.actions import do_issue_api_token, do_revoke_api_token
from tandem.access.models import ApiToken, AuditEntry
from tandem.access.roles import Role
from tandem.partnerships.models import Partnership
from tests.world import World


def _bearer(secret: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_token_acts_with_its_owner_scope(world: World) -> None:
    coach = world.people[Role.COACH]
    _, secret = do_issue_api_token(coach, coach, "spreadsheet")
    response = Client().get("/api/v1/schools", **_bearer(secret))
    assert response.status_code == 200
    assert [s["name"] for s in response.json()["items"]] == ["North Elementary"]
    assert ApiToken.objects.get(person=coach).last_used_at is not None
    assert Client().get(f"/api/v1/schools/{world.outside.school.pk}", **_bearer(secret)).status_code == 404


def test_only_a_hash_of_the_token_is_stored(world: World) -> None:
    coach = world.people[Role.COACH]
    _, secret = do_issue_api_token(coach, coach, "spreadsheet")
    row = ApiToken.objects.get(person=coach)
    assert secret not in (row.digest, row.prefix)
    assert secret.startswith("tdm_") and len(secret) > 40


@pytest.mark.parametrize("state", ["revoked", "expired", "garbage", "owner inactive"])
def test_unusable_tokens_are_refused(world: World, state: str) -> None:
    coach = world.people[Role.COACH]
    token, secret = do_issue_api_token(coach, coach, "spreadsheet")
    if state == "revoked":
        do_revoke_api_token(coach, token)
    elif state == "expired":
        ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    elif state == "garbage":
        secret = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    else:
        coach.is_active = False
        coach.save()
    response = Client().get("/api/v1/me", **_bearer(secret))
    assert response.status_code == 401


def test_nobody_issues_tokens_for_someone_else(world: World) -> None:
    from django.http import Http404

    with pytest.raises(Http404):
        do_issue_api_token(world.people[Role.ORG_ADMIN], world.people[Role.COACH], "sneaky")


def test_me_lists_roles(world: World) -> None:
    client = Client()
    client.force_login(world.people[Role.DISTRICT_LEADER])
    body = client.get("/api/v1/me").json()
    assert body["roles"] == [
        {"role": "district_leader", "scope_kind": "district", "scope_id": world.inside.district.pk}
    ]


def test_bad_body_gets_field_level_errors_and_saves_nothing(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    _, secret = do_issue_api_token(admin, admin, "integration")
    before = Partnership.objects.count()
    response = Client().post(
        "/api/v1/partnerships",
        json.dumps({"name": "", "model": "weekly", "start_date": "2026-02-30", "planned_years": 0}),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 422
    locs = {tuple(e["loc"]) for e in response.json()["detail"]}
    assert {
        ("body", "data", "name"),
        ("body", "data", "model"),
        ("body", "data", "start_date"),
        ("body", "data", "planned_years"),
    } <= locs
    assert Partnership.objects.count() == before
    assert not AuditEntry.objects.filter(action="partnership.create").exists()


def test_rule_broken_in_the_action_is_a_422_on_the_field(world: World) -> None:
    admin = world.people[Role.ORG_ADMIN]
    _, secret = do_issue_api_token(admin, admin, "integration")
    response = Client().post(
        "/api/v1/partnerships",
        json.dumps(
            {
                "name": "Ends too soon",
                "school_ids": [world.inside.other_school.pk],
                "model": "targeted",
                "start_date": "2026-08-01",
                "planned_years": 3,
                "status": "completed",
            }
        ),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 422
    assert response.json()["detail"] == [
        {
            "loc": ["body", "end_date"],
            "msg": "A completed or ended partnership needs its end date.",
            "type": "value_error",
        }
    ]
    assert not Partnership.objects.filter(name="Ends too soon").exists()


def test_unknown_or_out_of_scope_school_ids_are_field_errors(world: World) -> None:
    director = world.people[Role.REGIONAL_DIRECTOR]
    _, secret = do_issue_api_token(director, director, "integration")
    response = Client().post(
        "/api/v1/partnerships",
        json.dumps(
            {
                "name": "Reaching",
                "school_ids": [world.outside.school.pk, 999999],
                "model": "targeted",
                "start_date": "2026-08-01",
                "planned_years": 3,
            }
        ),
        content_type="application/json",
        **_bearer(secret),
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "school_ids"]
    assert response.json()["detail"][0]["msg"] == f"No school with id {world.outside.school.pk}, 999999."


def test_session_writes_need_the_csrf_token(world: World) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people[Role.ORG_ADMIN])
    response = client.patch(
        f"/api/v1/partnerships/{world.inside.partnership.pk}",
        json.dumps({"notes": "x"}),
        content_type="application/json",
    )
    assert response.status_code in (401, 403)
    world.inside.partnership.refresh_from_db()
    assert world.inside.partnership.notes == ""


def test_paging(world: World) -> None:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    body = client.get("/api/v1/schools", {"limit": 3, "offset": 2}).json()
    assert (body["count"], body["limit"], body["offset"], len(body["items"])) == (4, 3, 2, 2)
    assert client.get("/api/v1/schools", {"limit": 0}).status_code == 422
    assert client.get("/api/v1/schools", {"limit": 501}).status_code == 422


def test_cost_year_out_of_range_is_refused(world: World) -> None:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    response = client.put(
        f"/api/v1/partnerships/{world.inside.partnership.pk}/costs/3000",
        json.dumps({"total_cost": "5"}),
        content_type="application/json",
    )
    assert response.status_code == 422
