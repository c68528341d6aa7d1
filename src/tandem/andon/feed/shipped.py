"""The topics a new organization's feed starts with; leaders add, rename or archive them in the
back office. A topic's number is its acknowledge-time target in hours (None: the default)."""

from typing import Any

TOPICS: list[tuple[str, int | None]] = [
    ("Partnership strategy", 24),
    ("Student data and tools", None),
    ("Coaching", None),
    ("Learning spaces", None),
    ("Staffing and schedules", None),
    ("Student safety and wellbeing", 4),
    ("Operations", None),
]


def install(topic_model: Any) -> None:
    for name, hours in TOPICS:
        topic_model.objects.get_or_create(name=name, defaults={"acknowledge_hours": hours})
