"""Four school years of CAASPP ELA and math results for every student of the demo schools, and
published results for every demo school, district and the state, by every student group Tandem
has data for. Scores carry the story the seeds tell: partner schools gain faster than their
districts, and English learners in them faster than fluent peers.

Everything is written as files in the real import layouts and loaded by the real importers.
"""

import csv
import math
import random
import tempfile
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from tandem.achievement.catalog import SBAC_ELA, SBAC_MATH
from tandem.achievement.groups import matches, supported
from tandem.achievement.importers import public_results, sgp_long
from tandem.achievement.importers.report import Report
from tandem.achievement.models import StudentGroup
from tandem.analytics import cells
from tandem.demo.names import FIRST_NAMES, LAST_NAMES
from tandem.orgs.models import School

YEARS_OF_RESULTS = 4
SUBJECTS = {"READING": ("caaspp-ela", SBAC_ELA), "MATHEMATICS": ("caaspp-math", SBAC_MATH)}
# Statewide mean and spread of scale scores by grade, roughly as California reports them.
STATE = {
    "READING": {
        "3": (2410, 88),
        "4": (2450, 92),
        "5": (2485, 95),
        "6": (2505, 92),
        "7": (2525, 96),
        "8": (2545, 95),
        "11": (2585, 105),
    },
    "MATHEMATICS": {
        "3": (2415, 82),
        "4": (2455, 85),
        "5": (2480, 92),
        "6": (2500, 105),
        "7": (2515, 112),
        "8": (2525, 120),
        "11": (2560, 125),
    },
}
TESTED = {"elementary": ["3", "4", "5"], "middle": ["6", "7", "8"], "high": ["11"]}
# How far below the state mean, in points, each circumstance tends to put a student.
EFFECTS = {
    "EL": -65,
    "disadvantaged": -32,
    "disability": -85,
    "african_american": -38,
    "hispanic": -25,
    "american_indian": -30,
    "pacific_islander": -20,
    "asian": 35,
    "filipino": 15,
    "white": 12,
}
RACES = [
    "hispanic",
    "african_american",
    "asian",
    "filipino",
    "white",
    "two_or_more",
    "pacific_islander",
    "american_indian",
]


@dataclass
class _Student:
    sid: str
    first: str
    last: str
    race: str
    gender: str
    disadvantaged: bool
    disability: bool
    homeless: bool
    foster: bool
    el_until: int  # the last school year as an English learner (0: never)
    initially_fluent: bool
    ability: float


def _fluency(s: _Student, year: int) -> str:
    if s.el_until == 0:
        return "IFEP" if s.initially_fluent else "EO"
    return "EL" if year <= s.el_until else "RFEP"


def _students(rng: random.Random, school: School, cohort: int, size: int, demo: dict[str, float]) -> list[_Student]:
    out = []
    shares = [demo.get(r, 0.0) for r in RACES]
    for n in range(size):
        el = rng.random() * 100 < demo["el"]
        out.append(
            _Student(
                sid=f"{school.pk:03d}{cohort}{n:04d}",
                first=rng.choice(FIRST_NAMES),
                last=rng.choice(LAST_NAMES),
                race=rng.choices(RACES, weights=shares)[0] if sum(shares) else "hispanic",
                gender=rng.choice("FM"),
                disadvantaged=rng.random() * 100 < demo["sed"],
                disability=rng.random() * 100 < demo["swd"],
                homeless=rng.random() < 0.03,
                foster=rng.random() < 0.01,
                el_until=cohort + rng.randint(1, 6) if el else 0,
                initially_fluent=(not el) and rng.random() < 0.08,
                ability=rng.gauss(0, 1),
            )
        )
    return out


def build_files(folder: Path, year: int, seed: int = 2025) -> tuple[Path, Path]:
    """Write the demo's results file (SGP long layout) and public results file (generic layout)."""
    rng = random.Random(seed)
    years = list(range(year - YEARS_OF_RESULTS + 1, year + 1))
    partner_since = _partner_start_years()
    results_path, public_path = folder / "demo-results.csv", folder / "demo-public.csv"
    # (entity, key) -> (year, subject, grade) -> list of (score, level rank, demographics)
    cells: dict[tuple[str, str], dict[tuple[int, str, str], list[tuple[float, int, dict[str, object]]]]] = defaultdict(
        lambda: defaultdict(list)
    )
    with results_path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(sgp_long.COLUMN_ORDER)
        for school in School.objects.select_related("district").prefetch_related("demographics").order_by("pk"):
            demo = _school_demographics(school)
            grades = TESTED.get(school.level, [])
            school_effect = rng.gauss(0, 18) - (demo["sed"] - 60) * 0.6
            per_grade = max(12, round(demo["enrollment"] / {"elementary": 7, "middle": 3, "high": 4}[school.level]))
            for first_year in range(years[0] - len(grades) + 1, years[-1] + 1):
                cohort = _students(rng, school, first_year, per_grade, demo)
                for step, grade in enumerate(grades):
                    test_year = first_year + step
                    if test_year not in years:
                        continue
                    boost = _partner_boost(partner_since.get(school.pk), test_year)
                    for s in cohort:
                        for area, (_code, table) in SUBJECTS.items():
                            mean, sd = STATE[area][grade]
                            fluency = _fluency(s, test_year)
                            effect = sum(EFFECTS.get(k, 0) for k in (s.race, "EL" if fluency == "EL" else "")) + (
                                EFFECTS["disadvantaged"] * s.disadvantaged + EFFECTS["disability"] * s.disability
                            )
                            el_boost = boost * 0.8 if fluency in ("EL", "RFEP") else 0
                            score = (
                                mean
                                + school_effect
                                + effect
                                + boost
                                + el_boost
                                + sd * (0.7 * s.ability + 0.45 * rng.gauss(0, 1))
                            )
                            low, high = table[grade][0], table[grade][1]
                            score = round(min(high, max(low, score)))
                            untested = rng.random() < 0.015
                            writer.writerow(
                                [
                                    "VALID_CASE",
                                    area,
                                    f"{test_year - 1}_{test_year}",
                                    s.sid,
                                    s.last,
                                    s.first,
                                    grade,
                                    "" if untested else score,
                                    "",
                                    f"Gender: {'Female' if s.gender == 'F' else 'Male'}",
                                    _ETHNICITY[s.race],
                                    f"Free Reduced Lunch: {'Yes' if s.disadvantaged else 'No'}",
                                    fluency,
                                    f"IEP: {'Yes' if s.disability else 'No'}",
                                    "Gifted and Talented Program: No",
                                    school.cds_code,
                                    school.name,
                                    school.get_level_display(),
                                    school.district.cds_code,
                                    school.district.name,
                                    "Enrolled School: Yes",
                                    "Enrolled District: Yes",
                                    "Enrolled State: Yes",
                                ]
                            )
                            if untested:
                                continue
                            level = _level(table[grade], score)
                            demographics = {
                                "race": s.race,
                                "gender": s.gender,
                                "fluency": fluency,
                                "disadvantaged": s.disadvantaged,
                                "disability": s.disability,
                                "homeless": s.homeless,
                                "foster": s.foster,
                                "gifted": False,
                            }
                            for entity in (("school", school.cds_code), ("district", school.district.cds_code)):
                                for g in (grade, "all"):
                                    cells[entity][(test_year, area, g)].append((score, level, demographics))
    _write_public(public_path, cells, years, rng)
    return results_path, public_path


_ETHNICITY = {
    "hispanic": "Hispanic",
    "african_american": "African American",
    "asian": "Asian",
    "filipino": "Filipino",
    "white": "White",
    "two_or_more": "Multiple",
    "pacific_islander": "Pacific Islander",
    "american_indian": "Native American",
}


def _level(cuts: tuple[int, int, int, int, int], score: float) -> int:
    return 1 + sum(score >= c for c in cuts[2:])


def _partner_start_years() -> dict[int, int]:
    from tandem.core import school_years
    from tandem.partnerships.models import PartnershipSchool

    out = {}
    for m in PartnershipSchool.objects.select_related("partnership").exclude(partnership__status="proposed"):
        out[m.school_id] = school_years.of_date(m.joined_on)
    return out


def _partner_boost(since: int | None, year: int) -> float:
    """Points gained from working with a partner: growing for the first three years."""
    if since is None or year < since:
        return 0.0
    return 9.0 * min(3, year - since + 1)


def _school_demographics(school: School) -> dict[str, float]:
    latest = max(school.demographics.all(), key=lambda d: d.school_year, default=None)
    if latest is None:
        return {"enrollment": 400, "sed": 60, "el": 25, "swd": 12}
    race_keys = {
        "Hispanic or Latino": "hispanic",
        "African American": "african_american",
        "Asian": "asian",
        "Filipino": "filipino",
        "White": "white",
        "Two or more races": "two_or_more",
        "Pacific Islander": "pacific_islander",
        "American Indian or Alaska Native": "american_indian",
    }
    demo = {
        "enrollment": latest.enrollment,
        "sed": float(latest.pct_socioeconomically_disadvantaged),
        "el": float(latest.pct_english_learners),
        "swd": float(latest.pct_students_with_disabilities),
    }
    for label, share in (latest.race_ethnicity or {}).items():
        if label in race_keys:
            demo[race_keys[label]] = share
    return demo


GENERIC_HEADER = public_results.GENERIC_COLUMN_ORDER
# Published files hide results for fewer than 11 students.
PUBLISHED_MINIMUM = 11


def _write_public(path: Path, cells: dict, years: list[int], rng: random.Random) -> None:
    groups = [(g.code, g.rule) for g in StudentGroup.objects.all() if supported(g.rule)]
    # Students share a few hundred combinations of circumstances: find each one's groups once.
    memo: dict[tuple[object, ...], list[str]] = {}

    def groups_of(demo: dict[str, object]) -> list[str]:
        key = tuple(demo.values())
        if key not in memo:
            memo[key] = [code for code, rule in groups if matches(rule, demo)]
        return memo[key]

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(GENERIC_HEADER)
        for (entity, key), by_cell in cells.items():
            for (year, area, grade), scores in by_cell.items():
                # Per group: [students, sum of scores, students at level 1, 2, 3, 4].
                by_group: dict[str, list[float]] = {}
                for score, level, demo in scores:
                    for code in groups_of(demo):
                        acc = by_group.get(code)
                        if acc is None:
                            acc = by_group[code] = [0, 0.0, 0, 0, 0, 0]
                        acc[0] += 1
                        acc[1] += score
                        acc[1 + level] += 1
                for code, acc in by_group.items():
                    writer.writerow(_aggregate(entity, key, year, area, grade, code, acc))
        # The state: the whole population, described by its distribution rather than by students.
        for year in years:
            for area, (_code, table) in SUBJECTS.items():
                for grade, (mean, sd) in STATE[area].items():
                    drift = (year - years[0]) * 2.5
                    for code, rule in groups:
                        shift = _group_shift(rule)
                        n = int(440000 * _group_share(rule) * rng.uniform(0.97, 1.03))
                        writer.writerow(_state_row(year, area, grade, code, n, mean + drift + shift, sd, table[grade]))


def _aggregate(entity: str, key: str, year: int, area: str, grade: str, code: str, acc: list[float]) -> list[object]:
    """One published row from a group's accumulator: [students, sum of scores, at level 1..4]."""
    n = int(acc[0])
    base = [entity, key, "", f"{year - 1}_{year}", SUBJECTS[area][0], grade.upper(), code, n]
    if n < PUBLISHED_MINIMUM:
        return [*base, *["*"] * 7]
    mean = acc[1] / n
    pct = [round(100 * acc[1 + r] / n, 2) for r in (1, 2, 3, 4)]
    # CAASPP has four levels: the fifth column stays empty.
    return [*base, round(mean, 1), *pct, "", round(pct[2] + pct[3], 2)]


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def _state_row(
    year: int, area: str, grade: str, code: str, n: int, mean: float, sd: float, cuts: tuple[int, int, int, int, int]
) -> list[object]:
    below = [_normal_cdf((c - mean) / sd) for c in cuts[2:]]
    pct = [below[0], below[1] - below[0], below[2] - below[1], 1 - below[2]]
    pct = [round(100 * p, 2) for p in pct]
    return [
        "state",
        "CA",
        "California",
        f"{year - 1}_{year}",
        SUBJECTS[area][0],
        grade,
        code,
        n,
        round(mean, 1),
        *pct,
        "",
        round(pct[2] + pct[3], 2),
    ]


def _group_shift(rule: dict) -> float:
    shift = 0.0
    for race in rule.get("race", []):
        shift += EFFECTS.get(race, 0)
    if rule.get("fluency") == ["EL"]:
        shift += EFFECTS["EL"]
    if rule.get("disadvantaged") is True:
        shift += EFFECTS["disadvantaged"] * 0.6
    if rule.get("disadvantaged") is False:
        shift -= EFFECTS["disadvantaged"] * 0.6
    if rule.get("disability") is True:
        shift += EFFECTS["disability"]
    return shift


def _group_share(rule: dict) -> float:
    share = 1.0
    race_shares = {
        "hispanic": 0.56,
        "african_american": 0.05,
        "asian": 0.1,
        "filipino": 0.025,
        "white": 0.2,
        "two_or_more": 0.04,
        "pacific_islander": 0.005,
        "american_indian": 0.005,
    }
    if "race" in rule:
        share *= sum(race_shares.get(r, 0) for r in rule["race"])
    if "fluency" in rule:
        share *= (
            {"EL": 0.18, "EO": 0.55, "IFEP": 0.06, "RFEP": 0.2, "TBD": 0.01}.get(rule["fluency"][0], 0.8)
            if len(rule["fluency"]) == 1
            else 0.81
        )
    if "disadvantaged" in rule:
        share *= 0.6 if rule["disadvantaged"] else 0.4
    if "disability" in rule:
        share *= 0.12 if rule["disability"] else 0.88
    for flag, p in (("homeless", 0.03), ("foster", 0.005)):
        if flag in rule:
            share *= p if rule[flag] else 1 - p
    if "gender" in rule:
        share *= 0.5
    return share


def load(year: int) -> tuple[Report, Report]:
    """Load results for the four school years ending with `year` (the last one tested)."""
    with tempfile.TemporaryDirectory() as tmp:
        results, public = build_files(Path(tmp), year)
        loaded = sgp_long.import_file(results), public_results.import_generic(public)
    for report in loaded:
        if not report.ok:
            raise RuntimeError("the demo's own files did not import: " + "; ".join(report.lines()[:5]))
    cells.refresh()
    return loaded
