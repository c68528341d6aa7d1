"""Public results by student group, in the generic layout and in California's CAASPP research
files, including their suppressed cells."""

from decimal import Decimal
from pathlib import Path

import pytest

from tandem.achievement.importers import public_results
from tandem.achievement.models import PublicResult
from tandem.orgs.models import School
from tests.achievement.public_files import CAASPP, caaspp_row
from tests.achievement.sgp_files import write
from tests.world import World

GENERIC = (
    "ENTITY_TYPE,ENTITY_ID,ENTITY_NAME,SCHOOL_YEAR,ASSESSMENT,GRADE,STUDENT_GROUP,STUDENTS_TESTED,MEAN_SCALE_SCORE,"
    "PCT_LEVEL_1,PCT_LEVEL_2,PCT_LEVEL_3,PCT_LEVEL_4,PCT_MET_AND_ABOVE\n"
)


def _caaspp(*args: object, **kwargs: object) -> str:
    return caaspp_row(*args, **kwargs)  # type: ignore[arg-type]


def test_generic_layout(world: World, tmp_path: Path) -> None:
    content = GENERIC + (
        "school,01100000000001,,2024_2025,caaspp-ela,3,1,60,2431.5,30,25,25,20,45\n"
        "school,01100000000001,,2024_2025,caaspp-ela,ALL,160,8,*,*,*,*,*,*\n"
        "district,0110000,Northvale Unified,2025,READING,all,1,900,2450,25,25,25,25,50\n"
        "state,ca,,2025,caaspp-ela,all,1,430000,2480,28,24,26,22,48\n"
    )
    report = public_results.import_generic(write(tmp_path, content))
    assert report.ok, report.lines()
    assert report.counts["public results"] == {"created": 4, "updated": 0, "unchanged": 0}
    school = PublicResult.objects.get(entity="school", grade="3")
    assert (school.school, school.students_tested, school.mean_scale_score, school.pct_met_and_above) == (
        world.inside.school,
        60,
        Decimal("2431.5"),
        Decimal("45"),
    )
    suppressed = PublicResult.objects.get(group__code="160")
    assert (suppressed.students_tested, suppressed.mean_scale_score, suppressed.pct_level_1) == (8, None, None)
    assert PublicResult.objects.get(entity="district").district == world.inside.district
    assert PublicResult.objects.get(entity="state").state == "CA"
    again = public_results.import_generic(write(tmp_path, content))
    assert again.counts["public results"] == {"created": 0, "updated": 0, "unchanged": 4}
    corrected = content.replace("2431.5", "2433.0")
    assert public_results.import_generic(write(tmp_path, corrected)).counts["public results"] == {
        "created": 0,
        "updated": 1,
        "unchanged": 3,
    }


def test_generic_layout_errors_change_nothing(world: World, tmp_path: Path) -> None:
    public_results.import_generic(write(tmp_path, GENERIC + "state,CA,,2025,caaspp-ela,all,1,10,2400,,,,,\n"))
    before = list(PublicResult.objects.values_list())
    content = GENERIC + (
        "county,06,,2025,caaspp-ela,3,1,60,2431,30,25,25,20,45\n"
        "school,01100000000001,,2025,caaspp-ela,3,999,60,2431,30,25,25,20,45\n"
        "school,01100000000001,,2025,sat,3,1,-4,2431,130,25,25,20,45\n"
        "state,CA,,2025,caaspp-ela,3,1,10,2400,,,,,\n"
        "state,CA,,2025,caaspp-ela,3,1,11,2400,,,,,\n"
    )
    report = public_results.import_generic(write(tmp_path, content))
    assert [line for line in report.lines() if line.startswith("error")] == [
        "error: results.csv, row 2, column ENTITY_TYPE: expected school, district or state (value 'county')",
        "error: results.csv, row 3, column STUDENT_GROUP: unknown student group code (value '999')",
        "error: results.csv, row 4, column ASSESSMENT: unknown assessment (value 'sat')",
        "error: results.csv, row 4, column STUDENTS_TESTED: not a whole number of students (value '-4')",
        "error: results.csv, row 4, column PCT_LEVEL_1: a percent is from 0 to 100 (value '130')",
    ]
    assert list(PublicResult.objects.values_list()) == before
    dup = GENERIC + "state,CA,,2025,caaspp-ela,3,1,10,2400,,,,,\nstate,CA,,2025,caaspp-ela,3,1,11,2400,,,,,\n"
    report = public_results.import_generic(write(tmp_path, dup))
    assert report.lines() == [
        "error: results.csv, row 3: duplicate key: state CA, 2024_2025, grade 3, same assessment and student group as row 2"
    ]


def test_caaspp_research_file(world: World, tmp_path: Path) -> None:
    content = CAASPP + "".join(
        [
            _caaspp(
                "01", "10000", "0000001", "1", "3", "1", "60", "2431.2", ("20.00", "25.00", "45.00", "25.00", "30.00")
            ),
            _caaspp("01", "10000", "0000001", "160", "13", "2", "*", "*", ("*", "*", "*", "*", "*")),
            _caaspp("01", "10000", "0000000", "1", "13", "1", "900", "2450.0", ("25", "25", "50", "25", "25")),
            _caaspp("00", "00000", "0000000", "31", "13", "1", "300000", "2470.1", ("18", "22", "40", "26", "34")),
            _caaspp("07", "61796", "6099999", "1", "3", "1", "45", "2401.0", ("10", "20", "30", "30", "40")),
            _caaspp("01", "10000", "0000001", "1", "5", "17", "55", "201.0", ("10", "20", "30", "30", "40")),
        ]
    )
    report = public_results.import_caaspp(write(tmp_path, content))
    assert report.ok, report.lines()
    assert report.counts["public results"]["created"] == 5
    school = PublicResult.objects.get(entity="school", entity_key="01100000000001", grade="3")
    assert (school.assessment.code, school.pct_level_1, school.pct_level_4, school.pct_met_and_above) == (
        "caaspp-ela",
        Decimal("30"),
        Decimal("20"),
        Decimal("45"),
    )
    math_el = PublicResult.objects.get(group__code="160")
    assert (math_el.assessment.code, math_el.grade, math_el.students_tested) == ("caaspp-math", "all", None)
    assert PublicResult.objects.get(entity="district").district == world.inside.district
    assert PublicResult.objects.get(entity="state").group.code == "31"
    # A school not yet known is created so that it can be compared.
    assert School.objects.filter(cds_code="07617966099999").exists()
    assert (
        "warning: results.csv, column TEST ID: 1 rows of a test Tandem does not track were skipped (value 'B/17')"
        in report.lines()
    )


def test_caaspp_comma_file_and_bad_codes(world: World, tmp_path: Path) -> None:
    good = (
        CAASPP + _caaspp("01", "10000", "0000001", "1", "3", "1", "60", "2431", ("20", "25", "45", "25", "30"))
    ).replace("^", ",")
    assert public_results.import_caaspp(write(tmp_path, good)).ok
    bad = CAASPP + _caaspp("01", "100X0", "0000001", "1", "3", "1", "60", "2431", ("20", "25", "45", "25", "30"))
    report = public_results.import_caaspp(write(tmp_path, bad))
    assert report.lines() == [
        "error: results.csv, row 2, column COUNTY CODE: county, district and school codes are digits (value '01-100X0-0000001')"
    ]


@pytest.mark.parametrize("junk", [b"", b"\xff\xfe\x00garbage", b"County Code;Grade\n01;3\n"])
def test_caaspp_unreadable_files(world: World, tmp_path: Path, junk: bytes) -> None:
    report = public_results.import_caaspp(write(tmp_path, junk))
    assert not report.ok
    assert not PublicResult.objects.exists()
