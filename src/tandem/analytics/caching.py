"""Cache keys for what analytics builds from the cells: they change when the cells are rebuilt or
the place's schools change, so a cached table is never one of the old cells."""

import hashlib

from tandem.analytics import cells
from tandem.analytics.places import Place

SECONDS = 3600


def cache_key(kind: str, place: Place, *parts: object) -> str:
    schools = hashlib.sha256(",".join(map(str, sorted(place.school_ids))).encode()).hexdigest()[:16]
    return ":".join(map(str, ["analytics", kind, cells.version(), place.slug, schools, *parts]))
