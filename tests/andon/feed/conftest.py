import pytest

from tests.andon.feed.common import Cast, cast_of
from tests.world import World


@pytest.fixture
def cast(world: World) -> Cast:
    return cast_of(world)
