"""Search words reach SQL text parameters; a NUL character in them (which PostgreSQL cannot hold)
is refused as bad input on every list that searches, never a server error."""

import pytest
from django.test import Client

from tandem.access.roles import Role
from tests.world import World

SEARCHED = [
    "/api/v1/schools",
    "/api/v1/feed/posts",
    "/api/v1/helpdesk/tickets",
    "/api/v1/governance/groups",
    "/api/v1/governance/decisions",
    "/api/v1/practices",
    "/api/v1/network/members",
]


@pytest.mark.parametrize("path", SEARCHED)
def test_a_nul_in_the_search_words_is_refused_by_name(world: World, path: str) -> None:
    client = Client()
    client.force_login(world.people[Role.ORG_ADMIN])
    refused = client.get(path, {"q": "a\x00b"})
    assert refused.status_code == 422, refused.content
    assert refused.json()["detail"][0]["loc"] == ["query", "q"]
    assert client.get(path, {"q": "ab"}).status_code == 200
