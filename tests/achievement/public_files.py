"""Builders for CAASPP research files used by the tests."""

CAASPP = (
    "County Code^District Code^School Code^Filler^Test Year^Student Group ID^Test Type^Total Tested at Reporting Level"
    "^Total Tested with Scores at Reporting Level^Grade^Test ID^Students Enrolled^Students Tested^Mean Scale Score"
    "^Percentage Standard Exceeded^Percentage Standard Met^Percentage Standard Met and Above"
    "^Percentage Standard Nearly Met^Percentage Standard Not Met^Students with Scores\n"
)


def caaspp_row(
    county: str,
    district: str,
    school: str,
    group: str,
    grade: str,
    test: str,
    tested: str,
    mean: str,
    pcts: tuple[str, str, str, str, str],
    test_type: str = "B",
) -> str:
    exceeded, met, above, nearly, not_met = pcts
    return (
        f"{county}^{district}^{school}^^2025^{group}^{test_type}^{tested}^{tested}^{grade}^{test}^{tested}^{tested}"
        f"^{mean}^{exceeded}^{met}^{above}^{nearly}^{not_met}^{tested}\n"
    )
