"""The methods Tandem ships as cycle templates. They are installed by a data migration and are
data from then on: an organization edits their steps, prompts and required artifacts."""

from typing import Any

P, Q, G, A, L, E, R = "problem", "questions", "goals", "actions", "log", "evidence", "reflection"

TEMPLATES: list[dict[str, Any]] = [
    {
        "name": "Results-Oriented Cycle of Inquiry",
        "default": True,
        "description": "The organization's shared method: set goals, plan, act, assess, reflect and adjust, "
        "then start again from the adjusted goals.",
        "steps": [
            (
                "",
                "Set Goals",
                "Which students are not yet where they need to be, on which measure? Ground the problem in the "
                "data, then set a measurable goal: from what baseline, to what target, by when.",
                [P, G],
            ),
            (
                "",
                "Plan",
                "What will we find out about student learning and about our own practice? What will we do "
                "differently, who does what by when, and what will we watch to know it is working?",
                [Q, A],
            ),
            ("", "Act", "Carry out the plan. Log what was done, when, and what you noticed.", [L]),
            (
                "",
                "Assess",
                "Re-measure. What do the data and the observations show against the goal?",
                [E],
            ),
            (
                "",
                "Reflect & Adjust",
                "What worked, what did we learn, and do we adopt, adapt or abandon the change? "
                "What will the next cycle do differently?",
                [R],
            ),
        ],
    },
    {
        "name": "Plan-Do-Study-Act",
        "default": False,
        "description": "The improvement-science cycle: a small test of change, studied against a prediction.",
        "steps": [
            (
                "",
                "Plan",
                "State the objective, the questions and your predictions; plan who does what, when and where, "
                "and which data will be collected.",
                [P, Q, A],
            ),
            ("", "Do", "Carry out the test. Document problems and unexpected observations.", [L]),
            ("", "Study", "Analyse the data, compare them with the predictions and summarise what was learned.", [E]),
            ("", "Act", "Adopt, adapt or abandon the change, and plan the next cycle.", [R]),
        ],
    },
    {
        "name": "Data Wise",
        "default": False,
        "description": "The eight steps of the Data Wise improvement process: prepare, inquire, act.",
        "steps": [
            (
                "Prepare",
                "Organize for collaborative work",
                "Set up the team, its norms and its meeting time; take stock of the data the school has.",
                [],
            ),
            (
                "Prepare",
                "Build assessment literacy",
                "Learn what each assessment measures, how it reports, and what it can and cannot tell you.",
                [],
            ),
            (
                "Inquire",
                "Create data overview",
                "Choose a focus area and show its data so everyone can read them.",
                [P],
            ),
            (
                "Inquire",
                "Dig into student data",
                "Look closely at student work and results to name a learner-centered problem.",
                [Q],
            ),
            (
                "Inquire",
                "Examine instruction",
                "Observe and discuss teaching to name the problem of practice behind the learner-centered problem.",
                [Q],
            ),
            ("Act", "Develop action plan", "Agree on an instructional strategy and who does what, by when.", [A]),
            (
                "Act",
                "Plan to assess progress",
                "Set short-, medium- and long-term goals for student learning and how they will be measured.",
                [G],
            ),
            (
                "Act",
                "Act and assess",
                "Carry out the plan, gather evidence of progress, and decide what to adjust.",
                [L, E, R],
            ),
        ],
    },
]


def install(template_model: Any, step_model: Any) -> None:
    """Create the shipped templates that are missing (by name); existing ones are left as edited."""
    for spec in TEMPLATES:
        if template_model.objects.filter(name=spec["name"]).exists():
            continue
        template = template_model.objects.create(
            name=spec["name"], description=spec["description"], built_in=True, is_default=spec["default"]
        )
        step_model.objects.bulk_create(
            step_model(template=template, position=i, phase=phase, name=name, prompt=prompt, requires=requires)
            for i, (phase, name, prompt, requires) in enumerate(spec["steps"], start=1)
        )
