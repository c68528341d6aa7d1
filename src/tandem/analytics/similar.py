"""Similar schools: the schools of the same type whose students are most like a school's.

A school is compared with its district, the state and its similar schools. The peers are chosen
from public school-level data alone (`SchoolDemographics`, as the state publishes it for every
school), never from student records or results, so that how the peers did can fairly be set beside
how the school did, and partner and non-partner schools are treated alike.

Method: each school of the type is a point whose coordinates are its features standardized as
z-scores across all schools of that type that year; the distance between two schools is the
weighted Euclidean distance sqrt(Σ weight × (z difference)²); similarity is
100 × (1 − distance / distance of the farthest candidate). `Peers.method` says the same in plain
words for the page.
"""

import functools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import FloatField, Q
from django.db.models.functions import Cast

from tandem.core import school_years
from tandem.orgs.models import Organization, School, SchoolDemographics

DEFAULT_COUNT = 100


class Feature(NamedTuple):
    key: str
    label: str
    weight: float  # the default weight


# Race/ethnicity groups: (feature key suffix, label, the names data files use for the group).
# The demo and California's files name them as in the first alias; other states' files differ.
RACES: list[tuple[str, str, tuple[str, ...]]] = [
    ("hispanic", "Hispanic or Latino", ("Hispanic or Latino", "Hispanic")),
    ("african_american", "African American", ("African American", "Black or African American", "Black")),
    ("asian", "Asian", ("Asian",)),
    ("filipino", "Filipino", ("Filipino",)),
    ("white", "White", ("White",)),
    ("two_or_more", "Two or more races", ("Two or more races", "Multiple races")),
    ("pacific_islander", "Pacific Islander", ("Pacific Islander", "Native Hawaiian or Pacific Islander")),
    ("american_indian", "American Indian or Alaska Native", ("American Indian or Alaska Native",)),
]
# Eight race shares at weight 1 would make race count eight times as much as poverty or English
# learners just because it takes eight columns. At 1/8 each, their weights add up to 1, so a
# typical race/ethnicity difference moves the squared distance about as much as one other feature.
RACE_WEIGHT = 1 / len(RACES)

FEATURES: list[Feature] = [
    Feature("pct_disadvantaged", "% socioeconomically disadvantaged", 1.0),
    Feature("pct_english_learners", "% English learners", 1.0),
    Feature("pct_disabilities", "% students with disabilities", 1.0),
    *(Feature(f"race_{key}", f"% {label}", RACE_WEIGHT) for key, label, _ in RACES),
    # Compared on a log scale: 400 against 800 students is a bigger difference in what a school
    # is like than 2,400 against 2,800 (a doubling matters the same at any size).
    Feature("enrollment", "Enrollment", 1.0),
]
KEYS = [f.key for f in FEATURES]
DEFAULT_WEIGHTS = {f.key: f.weight for f in FEATURES}
_ENROLLMENT = KEYS.index("enrollment")
_RACE_INDEX = {name.casefold(): KEYS.index(f"race_{key}") for key, _, names in RACES for name in (key, *names)}


@dataclass(frozen=True)
class Peer:
    school: School
    distance: float  # weighted Euclidean distance between z-scores; 0 is the same profile
    similarity: float  # 0–100: 100 the same profile, 0 as far as the farthest candidate
    features: dict[str, float]  # by feature key: percents, and enrollment as a count of students


@dataclass(frozen=True)
class Peers:
    school: School
    year: int | None  # the school year of the demographics compared; None when the school has none
    features: dict[str, float]  # the school's own, as in Peer.features
    peers: list[Peer]  # nearest first; equally near schools by name, then id
    pool: int  # candidates: the other schools of the type with demographics that year
    weights: dict[str, float]  # by feature key, after overrides
    count: int  # how many peers were asked for
    method: str  # how the peers were found, in plain words for the page
    reason: str = ""  # why there are no peers, when there are none


def weight_errors(weights: object) -> list[str]:
    """What is wrong with a mapping of feature → weight that overrides the defaults ([] if nothing)."""
    if not isinstance(weights, Mapping):
        return ['Give the weights as a mapping of feature to weight, e.g. {"enrollment": 2}.']
    errors = []
    for key, value in weights.items():
        if key not in DEFAULT_WEIGHTS:
            errors.append(f"Unknown feature {key!r}; the features are: {', '.join(KEYS)}.")
        elif isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            errors.append(f"The weight for {key!r} must be a number, not {value!r}.")
        elif value < 0:
            errors.append(f"The weight for {key!r} must be 0 or more, not {value!r}.")
    if not errors and not any(w > 0 for w in {**DEFAULT_WEIGHTS, **weights}.values()):
        errors.append("At least one feature needs a weight above 0.")
    return errors


def similar_schools(
    school: School,
    *,
    year: int | None = None,
    count: int | None = None,
    weights: Mapping[str, float] | None = None,
    organization: Organization | None = None,
) -> Peers:
    """The `count` schools of the school's type nearest to it in demographics, in the latest year
    up to `year` for which the school has public demographics. Count and weights not given come
    from the organization (the installation's one, if not given), then from the defaults here."""
    count, used = _settings(count, weights, organization)
    found = SchoolDemographics.objects.filter(school=school)
    if year is not None:
        found = found.filter(school_year__lte=year)
    used_year = found.order_by("-school_year").values_list("school_year", flat=True).first()
    if used_year is None:
        reason = (
            "No public demographics for this school yet: similar schools are chosen by the enrollment "
            "profile the state publishes for every school."
            if year is None
            else f"No public demographics for this school for {school_years.label(year)} or earlier."
        )
        return Peers(school, None, {}, [], 0, used, count, _method(school.level, None, 0, 0, used), reason)

    # One query for the whole pool. The school's own row is asked for by id too, in case the
    # instance's level was changed without being saved.
    # The percents come as floats from the database: converting a thousand rows of Decimals in
    # Python would take longer than the rest of the work.
    rows = (
        SchoolDemographics.objects.filter(Q(school__level=school.level) | Q(school=school), school_year=used_year)
        .order_by()
        .annotate(
            sed=Cast("pct_socioeconomically_disadvantaged", FloatField()),
            el=Cast("pct_english_learners", FloatField()),
            swd=Cast("pct_students_with_disabilities", FloatField()),
        )
        .values_list("school_id", "school__name", "sed", "el", "swd", "race_ethnicity", "enrollment")
    )
    names: dict[int, str] = {}
    raw: dict[int, list[float]] = {}
    for pk, name, *values in rows:
        names[pk] = name
        raw[pk] = _values(*values)
    own = raw.pop(school.pk)
    ranked = _rank(own, raw, used, names)
    farthest = max((d for _, d in ranked), default=0.0)
    chosen = ranked[:count]
    schools = School.objects.select_related("district").in_bulk([pk for pk, _ in chosen])
    peers = [Peer(schools[pk], d, _similarity(d, farthest), dict(zip(KEYS, raw[pk], strict=True))) for pk, d in chosen]
    method = _method(school.level, used_year, len(peers), len(raw), used)
    reason = "" if raw else _no_candidates(school.level, used_year)
    return Peers(school, used_year, dict(zip(KEYS, own, strict=True)), peers, len(raw), used, count, method, reason)


def peer_ids(peers: Peers) -> list[int]:
    """The peers' school ids, nearest first: what queries for "how they did" filter on."""
    return [p.school.pk for p in peers.peers]


def _settings(
    count: int | None, weights: Mapping[str, float] | None, organization: Organization | None
) -> tuple[int, dict[str, float]]:
    if count is None or weights is None:
        # There is one organization per installation.
        organization = organization or Organization.objects.first()
    if count is None:
        count = organization.similar_schools_count if organization else DEFAULT_COUNT
    if count < 1:
        raise ValueError(f"Ask for at least one similar school, not {count}.")
    if weights is None:
        weights = (organization.similar_schools_weights if organization else None) or {}
    errors = weight_errors(weights)
    if errors:
        raise ValueError(" ".join(errors))
    return count, {k: float(w) for k, w in {**DEFAULT_WEIGHTS, **weights}.items()}


def _values(sed: float, el: float, swd: float, races: object, enrollment: int) -> list[float]:
    """A school's features in the order of KEYS, as the page shows them (enrollment a count)."""
    values = [0.0] * len(KEYS)  # a race group the data does not list has a share of 0
    values[0], values[1], values[2], values[_ENROLLMENT] = sed, el, swd, float(enrollment)
    for name, share in races.items() if isinstance(races, dict) else ():
        j = _race_index(name)
        # Categories outside the eight groups ("Not reported") are not compared; `type` and not
        # isinstance, so that a stray true/false is not taken for 1 or 0.
        if j is not None and type(share) in (int, float):
            values[j] += share
    return values


@functools.lru_cache(maxsize=1024)
def _race_index(name: str) -> int | None:
    return _RACE_INDEX.get(str(name).strip().casefold())


def _rank(
    own: list[float],
    candidates: Mapping[int, list[float]],
    weights: Mapping[str, float],
    names: Mapping[int, str],
) -> list[tuple[int, float]]:
    """(school id, distance) for every candidate, nearest first; equally near ones by name, then id."""
    ids = list(candidates)
    columns = [list(c) for c in zip(own, *candidates.values(), strict=True)]
    # Enrollment is compared as its log; a school reported with no students counts as one.
    columns[_ENROLLMENT] = [math.log(max(n, 1.0)) for n in columns[_ENROLLMENT]]
    # The z-score of x is (x − mean) / sd, so a difference of z-scores is the difference of raw
    # values over sd: the mean drops out. Scaling each column by √weight / sd makes the weighted
    # distance the plain Euclidean one. A feature every school shares (sd 0) separates none.
    scaled = []
    for key, column in zip(KEYS, columns, strict=True):
        sd = _population_sd(column)
        factor = math.sqrt(weights[key]) / sd if sd > 0 else 0.0
        scaled.append([x * factor for x in column])
    mine, *others = zip(*scaled, strict=True)
    ranked = [(pk, math.dist(mine, v)) for pk, v in zip(ids, others, strict=True)]
    # Distances equal to nine decimals are ties: rounding in the last bits must not decide the order.
    ranked.sort(key=lambda item: (round(item[1], 9), names[item[0]], item[0]))
    return ranked


def _population_sd(values: Sequence[float]) -> float:
    mean = math.fsum(values) / len(values)
    deviations = [v - mean for v in values]
    return math.sqrt(math.sumprod(deviations, deviations) / len(values))


def _similarity(distance: float, farthest: float) -> float:
    return 100.0 if farthest == 0 else 100 * (1 - distance / farthest)


def _kinds(level: str) -> tuple[str, str]:
    """How the page names one school of the type, and several."""
    if level in (School.Level.ELEMENTARY, School.Level.MIDDLE, School.Level.HIGH):
        name = School.Level(level).label.lower()
        return f"{name} school", f"{name} schools"
    label = School.Level(level).label if level in School.Level.values else level
    return f"school of type “{label}”", f"schools of type “{label}”"


def _no_candidates(level: str, year: int) -> str:
    return f"No other {_kinds(level)[1]} have public demographics for {school_years.label(year)} to compare with."


def _method(level: str, year: int | None, shown: int, pool: int, weights: Mapping[str, float]) -> str:
    one, many = _kinds(level)
    if year is None:
        who = f"Similar schools are the {many} whose students are most like this school's, among all {many}"
        who += " with public enrollment data for the same year, partner schools or not."
    else:
        who = f"Similar schools are the {shown} {many} whose students were most like this school's in"
        who += f" {school_years.label(year)}, out of the {pool} other {many} with public enrollment data"
        who += " that year, partner schools or not."
    changed = [f"{f.label} weighs {weights[f.key]:g}" for f in FEATURES if not math.isclose(weights[f.key], f.weight)]
    return "\n\n".join(
        [
            f"{who} They are chosen from the demographics the state publishes for every school, never from"
            " test results, so that how they did can fairly be set beside how this school did.",
            "Each school is described by its percent of students who are socioeconomically disadvantaged,"
            " English learners and students with disabilities; the percent of its students in each"
            f" of {len(RACES)} race/ethnicity groups (a group the data does not list counts as 0%); and its"
            " enrollment on a log scale, so that 400 against 800 students is as far apart as 1,000 against"
            " 2,000: doubling changes a school as much at any size.",
            "Each measure is standardized as a z-score: how many standard deviations a school is above or"
            f" below the average of all {many} that year. That puts percents and enrollment on one scale,"
            " so no measure counts for more because its numbers are bigger or more spread out.",
            "The distance between two schools is the weighted Euclidean distance between their z-scores:"
            " the square root of the sum, over the measures, of weight × (difference in z-scores)². Each"
            f" race/ethnicity share weighs 1/{len(RACES)} and every other measure 1, so that the race/ethnicity"
            " shares together count as much as one other measure, not many times as much because they"
            " take many columns." + (f" Changed from these defaults here: {'; '.join(changed)}." if changed else ""),
            "Similarity puts the distance on a scale from 0 to 100: 100 × (1 − distance ÷ the distance of"
            f" the least similar {one}). 100 is the same profile; 0 is as different as the least similar of"
            f" the {many} compared. Equally similar schools are listed by name.",
        ]
    )
