"""The session types Tandem ships with: the learning spaces of a school-improvement organization.
Installed by a migration; leaders edit or archive them, and add their own."""

from typing import Any

SESSION_TYPES: list[dict[str, Any]] = [
    {
        "name": "Approach Essentials",
        "purpose": "The basics of our approach — coaching, cycles of inquiry, data use — for new and "
        "returning staff, one essential at a time.",
        "audience": "organization",
        "typical_minutes": 90,
        "cadence": "weekly",
        "structure": [
            {"item": "Connect: why this essential matters this month", "minutes": 10},
            {"item": "Learn: the essential and an example from a partner school", "minutes": 35},
            {"item": "Practice: try it on a real case", "minutes": 30},
            {"item": "Commit: one thing to try this week", "minutes": 15},
        ],
    },
    {
        "name": "Whole-group learning",
        "purpose": "The whole organization learns together on the month's priority.",
        "audience": "organization",
        "typical_minutes": 120,
        "cadence": "weekly",
        "structure": [
            {"item": "Opening and agenda", "minutes": 10},
            {"item": "Framing the priority", "minutes": 20},
            {"item": "Protocol in cross-role groups", "minutes": 60},
            {"item": "Share-out and takeaways", "minutes": 20},
            {"item": "Plus/delta", "minutes": 10},
        ],
    },
    {
        "name": "Data dive",
        "purpose": "Look closely at one set of data — student results, coaching competencies — and "
        "decide what it asks of us.",
        "audience": "teams",
        "typical_minutes": 90,
        "cadence": "biweekly",
        "structure": [
            {"item": "What do we expect to see?", "minutes": 10},
            {"item": "Observe: what the data says, without judgement", "minutes": 25},
            {"item": "Infer: what might explain it", "minutes": 25},
            {"item": "Next steps and owners", "minutes": 30},
        ],
    },
    {
        "name": "Team meeting",
        "purpose": "A team's own working time: updates, decisions, support for each other's work.",
        "audience": "team",
        "typical_minutes": 60,
        "cadence": "weekly",
        "structure": [
            {"item": "Check-in", "minutes": 5},
            {"item": "Updates and decisions", "minutes": 30},
            {"item": "Consultancy on one member's problem of practice", "minutes": 20},
            {"item": "Actions", "minutes": 5},
        ],
    },
    {
        "name": "Cross-team inquiry",
        "purpose": "People from several teams work one shared problem through a cycle of inquiry.",
        "audience": "teams",
        "typical_minutes": 90,
        "cadence": "biweekly",
        "structure": [
            {"item": "Where the cycle stands", "minutes": 10},
            {"item": "Evidence since last time", "minutes": 30},
            {"item": "Adjustments to the action plan", "minutes": 35},
            {"item": "Takeaways", "minutes": 15},
        ],
    },
    {
        "name": "Network convening",
        "purpose": "School and district leaders of the network meet to share practices and learn "
        "from each other's cycles.",
        "audience": "network",
        "typical_minutes": 360,
        "cadence": "quarterly",
        "structure": [
            {"item": "Welcome and framing", "minutes": 30},
            {"item": "School visits or case presentations", "minutes": 120},
            {"item": "Lunch", "minutes": 45},
            {"item": "Practice exchange", "minutes": 90},
            {"item": "Planning the next cycle", "minutes": 60},
            {"item": "Closing", "minutes": 15},
        ],
    },
]


def install(session_type: Any) -> None:
    """Create the shipped types that are missing (by name); never touches edited ones."""
    for row in SESSION_TYPES:
        session_type.objects.get_or_create(name=row["name"], defaults={**row, "built_in": True})
