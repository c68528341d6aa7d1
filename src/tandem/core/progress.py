"""Progress of background work (an import, growth percentiles, an impact report), shared through
the cache so that the page polling it, in another process, sees how far the worker has got."""

from typing import Any

from django.core.cache import cache

KEEP_SECONDS = 24 * 3600


def _key(kind: str, pk: int) -> str:
    return f"tandem:{kind}-progress:{pk}"


def publish(kind: str, pk: int, **state: Any) -> None:
    cache.set(_key(kind, pk), state, timeout=KEEP_SECONDS)


def read(kind: str, pk: int) -> dict[str, Any]:
    return cache.get(_key(kind, pk)) or {}


def clear(kind: str, pk: int) -> None:
    cache.delete(_key(kind, pk))


def of_steps(kind: str, pk: int, status: str, finished: bool) -> dict[str, Any]:
    """What a page polls for work counted in steps: status, percent and the step running."""
    live = read(kind, pk)
    return {"status": status, "percent": 100 if finished else live.get("percent", 0), "step": live.get("step", "")}
