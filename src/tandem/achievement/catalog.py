"""The assessments and student groups Tandem ships with, loaded by a data migration. Everything
here is data: an organization edits it in the back office, and an importer reads it back.

Smarter Balanced (CAASPP) thresholds and obtainable score ranges are the published ones. The CST
Basic (300) and Proficient (350) cuts are the same in every grade; its Below Basic and Advanced
cuts are per grade as CDE published them.
"""

from typing import Any

SBAC_LEVELS = [
    (1, "L1", "Standard Not Met", False),
    (2, "L2", "Standard Nearly Met", False),
    (3, "L3", "Standard Met", True),
    (4, "L4", "Standard Exceeded", True),
]
# grade: (lowest, highest, level 2 from, level 3 from, level 4 from)
SBAC_ELA = {
    "3": (2114, 2623, 2367, 2432, 2490),
    "4": (2131, 2663, 2416, 2473, 2533),
    "5": (2201, 2701, 2442, 2502, 2582),
    "6": (2210, 2724, 2457, 2531, 2618),
    "7": (2258, 2745, 2479, 2552, 2649),
    "8": (2288, 2769, 2487, 2567, 2668),
    "11": (2299, 2795, 2493, 2583, 2682),
}
SBAC_MATH = {
    "3": (2189, 2621, 2381, 2436, 2501),
    "4": (2204, 2659, 2411, 2485, 2549),
    "5": (2219, 2700, 2455, 2528, 2579),
    "6": (2235, 2748, 2473, 2552, 2610),
    "7": (2250, 2778, 2484, 2567, 2635),
    "8": (2265, 2802, 2504, 2586, 2653),
    "11": (2280, 2862, 2543, 2628, 2718),
}
CST_LEVELS = [
    (1, "FBB", "Far Below Basic", False),
    (2, "BB", "Below Basic", False),
    (3, "B", "Basic", False),
    (4, "P", "Proficient", True),
    (5, "A", "Advanced", True),
]
# grade: (below basic from, advanced from); basic is 300 and proficient 350 in every grade.
CST_ELA = {
    "2": (262, 401),
    "3": (265, 393),
    "4": (268, 400),
    "5": (270, 395),
    "6": (268, 394),
    "7": (267, 392),
    "8": (264, 394),
    "9": (263, 393),
    "10": (261, 396),
    "11": (259, 397),
}
CST_MATH = {"2": (255, 414), "3": (250, 414), "4": (256, 407), "5": (261, 430), "6": (263, 413), "7": (258, 416)}

ASSESSMENTS: list[dict[str, Any]] = [
    {
        "code": "caaspp-ela",
        "name": "CAASPP English Language Arts/Literacy",
        "subject": "ela",
        "content_area": "READING",
        "scale": (2114, 2795),
        "levels": SBAC_LEVELS,
        "grades": SBAC_ELA,
    },
    {
        "code": "caaspp-math",
        "name": "CAASPP Mathematics",
        "subject": "math",
        "content_area": "MATHEMATICS",
        "scale": (2189, 2862),
        "levels": SBAC_LEVELS,
        "grades": SBAC_MATH,
    },
    {
        "code": "cst-ela",
        "name": "California Standards Test, English-Language Arts",
        "subject": "ela",
        "content_area": "CST_ELA",
        "scale": (150, 600),
        "levels": CST_LEVELS,
        "grades": CST_ELA,
    },
    {
        "code": "cst-math",
        "name": "California Standards Test, Mathematics",
        "subject": "math",
        "content_area": "CST_MATH",
        "scale": (150, 600),
        "levels": CST_LEVELS,
        "grades": CST_MATH,
    },
]

# CDE's student group ids, as the CAASPP research files use them, with Tandem's rule for each.
STUDENT_GROUPS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("1", "All students", "All students", {}),
    ("3", "Male", "Gender", {"gender": ["M"]}),
    ("4", "Female", "Gender", {"gender": ["F"]}),
    (
        "6",
        "Fluent English proficient and English only",
        "English-language fluency",
        {"fluency": ["EO", "IFEP", "RFEP", "FEP"]},
    ),
    ("7", "Initially fluent English proficient (IFEP)", "English-language fluency", {"fluency": ["IFEP"]}),
    ("8", "Reclassified fluent English proficient (RFEP)", "English-language fluency", {"fluency": ["RFEP"]}),
    ("28", "Migrant education", "Migrant", {"unsupported": "migrant"}),
    ("31", "Socioeconomically disadvantaged", "Economic status", {"disadvantaged": True}),
    ("111", "Not socioeconomically disadvantaged", "Economic status", {"disadvantaged": False}),
    ("74", "Black or African American", "Race/ethnicity", {"race": ["african_american"]}),
    ("75", "American Indian or Alaska Native", "Race/ethnicity", {"race": ["american_indian"]}),
    ("76", "Asian", "Race/ethnicity", {"race": ["asian"]}),
    ("77", "Filipino", "Race/ethnicity", {"race": ["filipino"]}),
    ("78", "Hispanic or Latino", "Race/ethnicity", {"race": ["hispanic"]}),
    ("79", "Native Hawaiian or Pacific Islander", "Race/ethnicity", {"race": ["pacific_islander"]}),
    ("80", "White", "Race/ethnicity", {"race": ["white"]}),
    ("144", "Two or more races", "Race/ethnicity", {"race": ["two_or_more"]}),
    ("99", "Students with no reported disability", "Disability status", {"disability": False}),
    ("128", "Students with disabilities", "Disability status", {"disability": True}),
    (
        "120",
        "English learners in U.S. schools less than 12 months",
        "English-language fluency",
        {"fluency": ["EL"], "months_in_us_schools_below": 12},
    ),
    (
        "142",
        "English learners in U.S. schools 12 months or more",
        "English-language fluency",
        {"fluency": ["EL"], "months_in_us_schools_from": 12},
    ),
    ("160", "English learners", "English-language fluency", {"fluency": ["EL"]}),
    ("180", "English only", "English-language fluency", {"fluency": ["EO"]}),
    ("190", "English proficiency to be determined", "English-language fluency", {"fluency": ["TBD"]}),
    ("52", "Homeless", "Homeless status", {"homeless": True}),
    ("53", "Not homeless", "Homeless status", {"homeless": False}),
    ("240", "Foster youth", "Foster status", {"foster": True}),
    ("241", "Not foster youth", "Foster status", {"foster": False}),
    ("90", "Parent education: not a high school graduate", "Parent education", {"unsupported": "parent education"}),
    ("91", "Parent education: high school graduate", "Parent education", {"unsupported": "parent education"}),
    ("92", "Parent education: some college", "Parent education", {"unsupported": "parent education"}),
    ("93", "Parent education: college graduate", "Parent education", {"unsupported": "parent education"}),
    ("94", "Parent education: graduate school", "Parent education", {"unsupported": "parent education"}),
    ("121", "Parent education: declined to state", "Parent education", {"unsupported": "parent education"}),
    (
        "EL-SED",
        "English learners, socioeconomically disadvantaged",
        "Intersections",
        {"fluency": ["EL"], "disadvantaged": True},
    ),
]
_RACES = [
    ("74", "african_american", "Black or African American"),
    ("75", "american_indian", "American Indian or Alaska Native"),
    ("76", "asian", "Asian"),
    ("77", "filipino", "Filipino"),
    ("78", "hispanic", "Hispanic or Latino"),
    ("79", "pacific_islander", "Native Hawaiian or Pacific Islander"),
    ("80", "white", "White"),
    ("144", "two_or_more", "Two or more races"),
]
for offset, (_code, race, label) in enumerate(_RACES):
    STUDENT_GROUPS.append(
        (
            str(200 + offset),
            f"{label}, socioeconomically disadvantaged",
            "Race/ethnicity by economic status",
            {"race": [race], "disadvantaged": True},
        )
    )
    STUDENT_GROUPS.append(
        (
            str(220 + offset),
            f"{label}, not socioeconomically disadvantaged",
            "Race/ethnicity by economic status",
            {"race": [race], "disadvantaged": False},
        )
    )


def load(apps: Any) -> None:
    """Create or complete the shipped assessments and groups (never changes edited ones)."""
    Assessment = apps.get_model("achievement", "Assessment")
    PerformanceLevel = apps.get_model("achievement", "PerformanceLevel")
    AssessmentGrade = apps.get_model("achievement", "AssessmentGrade")
    CutScore = apps.get_model("achievement", "CutScore")
    StudentGroup = apps.get_model("achievement", "StudentGroup")
    for spec in ASSESSMENTS:
        a, created = Assessment.objects.get_or_create(
            code=spec["code"],
            defaults={
                "name": spec["name"],
                "kind": "state",
                "subject": spec["subject"],
                "content_area": spec["content_area"],
                "scale_min": spec["scale"][0],
                "scale_max": spec["scale"][1],
            },
        )
        if not created:
            continue
        levels = {
            rank: PerformanceLevel.objects.create(assessment=a, rank=rank, code=code, label=label, meets_standard=meets)
            for rank, code, label, meets in spec["levels"]
        }
        for grade, numbers in spec["grades"].items():
            if len(numbers) == 5:  # Smarter Balanced
                low, high, l2, l3, l4 = numbers
                cuts = {1: low, 2: l2, 3: l3, 4: l4}
            else:  # CST
                low, high = spec["scale"]
                below_basic, advanced = numbers
                cuts = {1: low, 2: below_basic, 3: 300, 4: 350, 5: advanced}
            AssessmentGrade.objects.create(assessment=a, grade=grade, lowest_score=low, highest_score=high)
            for rank, minimum in cuts.items():
                CutScore.objects.create(assessment=a, grade=grade, level=levels[rank], min_score=minimum)
    for code, label, category, rule in STUDENT_GROUPS:
        StudentGroup.objects.get_or_create(code=code, defaults={"label": label, "category": category, "rule": rule})
