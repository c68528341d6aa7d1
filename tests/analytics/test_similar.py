"""Similar schools: distances worked out by hand on a few schools, and the rules around them."""

import math
import re
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tandem.analytics.similar import FEATURES, KEYS, RACE_WEIGHT, peer_ids, similar_schools, weight_errors
from tandem.orgs.models import District, Organization, School, SchoolDemographics

YEAR = 2025
LEVELS = {"elementary": ("K", "5"), "middle": ("6", "8"), "high": ("9", "12")}


@pytest.fixture
def district(db: None) -> District:
    return District.objects.create(name="Harbor Unified", cds_code="0199999")


def _school(district: District, name: str, level: str = "elementary") -> School:
    low, high = LEVELS[level]
    return School.objects.create(district=district, name=name, level=level, lowest_grade=low, highest_grade=high)


def _profile(
    school: School,
    *,
    sed: str = "80",
    el: str = "30",
    swd: str = "12",
    enrollment: int = 400,
    races: dict[str, float] | None = None,
    year: int = YEAR,
) -> SchoolDemographics:
    return SchoolDemographics.objects.create(
        school=school,
        school_year=year,
        enrollment=enrollment,
        pct_socioeconomically_disadvantaged=Decimal(sed),
        pct_english_learners=Decimal(el),
        pct_students_with_disabilities=Decimal(swd),
        race_ethnicity={"Hispanic or Latino": 60.0, "White": 40.0} if races is None else races,
    )


def _four(district: District) -> dict[str, School]:
    """A and the three candidates the distances below are worked out for."""
    schools = {key: _school(district, f"{key} Elementary") for key in "ABCD"}
    _profile(schools["A"], sed="80", el="30", enrollment=400)
    _profile(schools["B"], sed="70", el="30", enrollment=800)
    _profile(schools["C"], sed="80", el="50", enrollment=400)
    # No "White" key at all: a group the data does not list has a share of 0.
    _profile(schools["D"], sed="50", el="10", enrollment=400, races={"Hispanic or Latino": 100.0})
    return schools


# Z-scores across the four schools (population SD); only differences of z-scores matter, and the
# difference of two z-scores is the difference of the values over the SD.
#   % disadvantaged 80, 70, 80, 50: mean 70, variance (10² + 0² + 10² + 20²) / 4 = 150
#   % English learners 30, 30, 50, 10: mean 30, variance (0² + 0² + 20² + 20²) / 4 = 200
#   % Hispanic 60, 60, 60, 100: mean 70, variance (3 × 10² + 30²) / 4 = 300; % White 40, 40, 40, 0: the same
#   ln enrollment ln 400, ln 800, ln 400, ln 400: deviations (ln 2)/4 × (−1, 3, −1, −1),
#       variance (ln 2)² (1 + 9 + 1 + 1) / 16 / 4 = 3 (ln 2)² / 16
#   % with disabilities 12 everywhere: SD 0, it separates no one.
# Distance² = Σ weight × (difference / SD)², race shares weighing 1/8:
#   B: 10²/150 + (ln 2)² / (3 (ln 2)²/16) = 2/3 + 16/3 = 6
#   C: 20²/200 = 2
#   D: 30²/150 + 20²/200 + 1/8 × 40²/300 + 1/8 × 40²/300 = 6 + 2 + 2/3 + 2/3 = 28/3
DISTANCE = {"B": math.sqrt(6), "C": math.sqrt(2), "D": math.sqrt(28 / 3)}


def _names(peers: object) -> list[str]:
    return [p.school.name for p in peers.peers]  # type: ignore[attr-defined]


def test_features_and_default_weights() -> None:
    assert KEYS[:3] == ["pct_disadvantaged", "pct_english_learners", "pct_disabilities"]
    assert KEYS[-1] == "enrollment"
    races = [f for f in FEATURES if f.key.startswith("race_")]
    assert len(races) == 8 and RACE_WEIGHT == 1 / 8
    assert math.isclose(sum(f.weight for f in races), 1.0)


@pytest.mark.django_db
def test_distances_worked_out_by_hand(district: District) -> None:
    s = _four(district)
    peers = similar_schools(s["A"], count=10, weights={})

    assert _names(peers) == ["C Elementary", "B Elementary", "D Elementary"]
    for peer in peers.peers:
        assert peer.distance == pytest.approx(DISTANCE[peer.school.name[0]], abs=1e-9)
    # Similarity: 100 × (1 − distance / the farthest candidate's distance, D's).
    similarity = [p.similarity for p in peers.peers]
    expected = [100 * (1 - math.sqrt(2 / (28 / 3))), 100 * (1 - math.sqrt(6 / (28 / 3))), 0.0]
    assert similarity == pytest.approx(expected, abs=1e-9)
    assert peers.year == YEAR and peers.pool == 3 and peers.count == 10 and peers.reason == ""
    assert peers.features["pct_disadvantaged"] == 80.0 and peers.features["enrollment"] == 400.0
    assert peers.features["race_white"] == 40.0 and peers.features["race_asian"] == 0.0
    assert peers.peers[2].features["race_white"] == 0.0
    assert peers.weights["race_white"] == 1 / 8 and peers.weights["enrollment"] == 1.0
    assert "z-score" in peers.method and "weighted Euclidean distance" in peers.method
    assert "3 other elementary schools" in peers.method and "2024–25" in peers.method


@pytest.mark.django_db
def test_a_school_of_another_type_is_never_a_peer(district: District) -> None:
    s = _four(district)
    # Exactly A's profile, but a middle school.
    _profile(_school(district, "A Middle", "middle"))
    peers = similar_schools(s["A"], count=10, weights={})
    assert "A Middle" not in _names(peers)
    assert peers.pool == 3
    # It did not shift the z-scores either.
    assert peers.peers[0].distance == pytest.approx(DISTANCE["C"], abs=1e-9)


@pytest.mark.django_db
def test_count_limits_the_list_not_the_pool(district: District) -> None:
    s = _four(district)
    peers = similar_schools(s["A"], count=2, weights={})
    assert _names(peers) == ["C Elementary", "B Elementary"]
    assert peers.pool == 3
    # Similarity still measures against the farthest candidate, though it is not listed.
    assert peers.peers[0].similarity == pytest.approx(100 * (1 - math.sqrt(2 / (28 / 3))), abs=1e-9)


@pytest.mark.django_db
def test_count_and_weights_come_from_the_organization(district: District) -> None:
    s = _four(district)
    # Without enrollment B differs from A by 10 points disadvantaged only: 10²/150 = 2/3 < 2.
    Organization.objects.create(name="Partners", similar_schools_count=5, similar_schools_weights={"enrollment": 0})
    peers = similar_schools(s["A"])
    assert _names(peers) == ["B Elementary", "C Elementary", "D Elementary"]
    assert peers.peers[0].distance == pytest.approx(math.sqrt(2 / 3), abs=1e-9)
    assert peers.count == 5 and peers.weights["enrollment"] == 0.0
    assert "Enrollment weighs 0" in peers.method
    # Weights given to the call replace the organization's.
    assert _names(similar_schools(s["A"], weights={}))[0] == "C Elementary"


@pytest.mark.django_db
def test_a_zero_weight_changes_the_order(district: District) -> None:
    s = _four(district)
    assert _names(similar_schools(s["A"], count=10, weights={"enrollment": 0}))[:2] == ["B Elementary", "C Elementary"]
    # With EL weighing nothing, C is A's twin.
    peers = similar_schools(s["A"], count=10, weights={"pct_english_learners": 0})
    assert _names(peers)[0] == "C Elementary" and peers.peers[0].distance == 0
    assert peers.peers[0].similarity == 100.0


@pytest.mark.django_db
def test_without_demographics_there_are_no_peers_and_a_reason(district: District) -> None:
    s = _four(district)
    lonely = _school(district, "New Elementary")
    peers = similar_schools(lonely, count=10, weights={})
    assert peers.peers == [] and peers.year is None and peers.pool == 0
    assert peers.reason.startswith("No public demographics for this school yet")
    assert peer_ids(peers) == []
    # Data for 2025 only: asked about 2024, there is none.
    early = similar_schools(s["A"], year=2024, count=10, weights={})
    assert early.peers == [] and early.reason == "No public demographics for this school for 2023–24 or earlier."


@pytest.mark.django_db
def test_the_latest_year_up_to_the_one_asked_for(district: District) -> None:
    s = _four(district)
    _profile(s["A"], year=2023)
    _profile(s["B"], year=2023, sed="10")
    assert similar_schools(s["A"], count=10, weights={}).year == 2025
    older = similar_schools(s["A"], year=2024, count=10, weights={})
    # Only B has demographics for 2022–23: the others are not candidates that year.
    assert older.year == 2023 and _names(older) == ["B Elementary"] and older.pool == 1


@pytest.mark.django_db
def test_alone_in_its_type_there_is_nothing_to_compare_with(district: District) -> None:
    _profile(high := _school(district, "Harbor High", "high"))
    peers = similar_schools(high, count=10, weights={})
    assert peers.peers == [] and peers.pool == 0
    assert peers.reason == "No other high schools have public demographics for 2024–25 to compare with."


@pytest.mark.django_db
def test_a_school_is_never_its_own_peer(district: District) -> None:
    s = _four(district)
    _profile(twin := _school(district, "A Twin"))  # A's exact profile
    peers = similar_schools(s["A"], count=10, weights={})
    assert s["A"].pk not in peer_ids(peers)
    assert peer_ids(peers)[0] == twin.pk and peers.peers[0].distance == 0


@pytest.mark.django_db
def test_ties_go_by_name_then_id(district: District) -> None:
    a = _school(district, "Anchor")
    _profile(a)
    # Created in the reverse of the order expected; all three have the same profile, far from A's.
    zeta, alpha, alpha_later = (_school(district, n) for n in ("Zeta", "Alpha", "Alpha"))
    for school in (zeta, alpha, alpha_later):
        _profile(school, sed="50")
    peers = similar_schools(a, count=10, weights={})
    assert peer_ids(peers) == [alpha.pk, alpha_later.pk, zeta.pk]
    # At the cut too: of the three equally similar schools, the first by name and id is kept.
    assert peer_ids(similar_schools(a, count=1, weights={})) == [alpha.pk]


@pytest.mark.django_db
def test_a_few_queries_for_any_number_of_schools(district: District, django_assert_max_num_queries: object) -> None:
    s = _four(district)
    for n in range(60):
        _profile(_school(district, f"School {n:02d}"), sed=str(20 + n), enrollment=300 + 10 * n)
    org = Organization.objects.create(name="Partners")
    with django_assert_max_num_queries(3):  # type: ignore[operator]
        peers = similar_schools(s["A"], organization=org)
    assert len(peers.peers) == 63 and peers.peers[0].school.district.name == "Harbor Unified"


@pytest.mark.django_db
def test_bad_weights_given_to_the_call_are_refused(district: District) -> None:
    s = _four(district)
    with pytest.raises(ValueError, match=re.escape("The weight for 'enrollment' must be 0 or more, not -1.")):
        similar_schools(s["A"], weights={"enrollment": -1}, count=5)
    with pytest.raises(ValueError, match="at least one similar school"):
        similar_schools(s["A"], weights={}, count=0)


def test_weight_errors() -> None:
    assert weight_errors({}) == []
    assert weight_errors({"enrollment": 0, "race_asian": 2.5}) == []
    assert weight_errors({"enrollment": True}) == ["The weight for 'enrollment' must be a number, not True."]
    assert weight_errors({"enrollment": "2"}) == ["The weight for 'enrollment' must be a number, not '2'."]
    assert weight_errors({"enrollment": float("nan")}) == ["The weight for 'enrollment' must be a number, not nan."]
    assert weight_errors([1, 2]) == ['Give the weights as a mapping of feature to weight, e.g. {"enrollment": 2}.']


def _errors(org: Organization) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        org.full_clean()
    return raised.value.message_dict


@pytest.mark.django_db
def test_organization_weights_are_checked() -> None:
    Organization(name="Partners", similar_schools_weights={"enrollment": 2, "race_white": 0}).full_clean()
    bad_key = Organization(name="Partners", similar_schools_weights={"poverty": 1})
    assert _errors(bad_key) == {
        "similar_schools_weights": [f"Unknown feature 'poverty'; the features are: {', '.join(KEYS)}."]
    }
    negative = Organization(name="Partners", similar_schools_weights={"pct_english_learners": -0.5})
    assert _errors(negative) == {
        "similar_schools_weights": ["The weight for 'pct_english_learners' must be 0 or more, not -0.5."]
    }
    all_zero = Organization(name="Partners", similar_schools_weights=dict.fromkeys(KEYS, 0))
    assert _errors(all_zero) == {"similar_schools_weights": ["At least one feature needs a weight above 0."]}
    # Zeroing some features leaves the others at their defaults: that is allowed.
    Organization(name="Partners", similar_schools_weights=dict.fromkeys(KEYS[:-1], 0)).full_clean()


@pytest.mark.django_db
def test_organization_count_is_between_5_and_500() -> None:
    assert _errors(Organization(name="Partners", similar_schools_count=4)) == {
        "similar_schools_count": ["Ensure this value is greater than or equal to 5."]
    }
    assert _errors(Organization(name="Partners", similar_schools_count=501)) == {
        "similar_schools_count": ["Ensure this value is less than or equal to 500."]
    }
