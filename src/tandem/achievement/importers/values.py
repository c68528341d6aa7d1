"""Parsing the values found in achievement files. Each parser returns the stored value or raises
ValueError with the reason a person should read."""

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from tandem.achievement.codes import Fluency, Gender, Race
from tandem.orgs.models import GRADE_ORDER

_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[_\-/–]\s*(\d{2}|\d{4}))?\s*$")


def school_year(text: str) -> int:
    """'2024_2025', '2024-25', '2024–2025' or '2025' → 2025 (the year the school year ends)."""
    m = _YEAR.match(text)
    if not m:
        raise ValueError("not a school year: write it like 2024_2025 or 2025")
    first, second = int(m.group(1)), m.group(2)
    if second is None:
        year = first
    else:
        end = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if end != first + 1:
            raise ValueError("the two years of a school year must follow each other, like 2024_2025")
        year = end
    if not 1990 <= year <= 2100:
        raise ValueError("the school year is out of range")
    return year


def grade(text: str) -> str:
    t = text.strip().upper()
    if t in ("KN", "KG", "0", "00"):
        t = "K"
    elif t.isdigit():
        t = str(int(t))
    if t not in GRADE_ORDER:
        raise ValueError("not a grade: use TK, K or 1–12")
    return t


# Scores and means are stored with two decimals, below a million.
_LIMIT = Decimal(1_000_000)
_CENTS = Decimal("0.01")


def score(text: str) -> Decimal | None:
    t = text.strip()
    if not t:
        return None
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError("not a number") from None
    if not value.is_finite():
        raise ValueError("not a number")
    if abs(value) >= _LIMIT:
        raise ValueError("the number is too large")
    return value.quantize(_CENTS, rounding=ROUND_HALF_UP)


def _strip_label(text: str) -> str:
    """'ELL: Yes' → 'yes'; 'Gender: Female' → 'female'. The label before the colon is optional."""
    t = text.strip()
    if ":" in t:
        t = t.split(":", 1)[1]
    return t.strip().lower()


_YES = {"yes", "y", "1", "true", "t"}
_NO = {"no", "n", "0", "false", "f"}


def yes_no(text: str) -> bool | None:
    t = _strip_label(text)
    if not t:
        return None
    if t in _YES:
        return True
    if t in _NO:
        return False
    raise ValueError("expected Yes or No")


GENDERS = {
    "female": Gender.FEMALE,
    "f": Gender.FEMALE,
    "male": Gender.MALE,
    "m": Gender.MALE,
    "nonbinary": Gender.NONBINARY,
    "non-binary": Gender.NONBINARY,
    "x": Gender.NONBINARY,
}


def _code(table: dict[str, str], text: str, unknown: str) -> str:
    """A labelled code ('Gender: Female') looked up in a table; blank means not given."""
    t = _strip_label(text)
    if not t:
        return ""
    try:
        return table[t]
    except KeyError:
        raise ValueError(unknown) from None


def gender(text: str) -> str:
    return _code(GENDERS, text, "unknown gender code: use Female, Male or Nonbinary")


RACES = {
    "hispanic": Race.HISPANIC,
    "hispanic or latino": Race.HISPANIC,
    "latino": Race.HISPANIC,
    "latinx": Race.HISPANIC,
    "african american": Race.AFRICAN_AMERICAN,
    "black": Race.AFRICAN_AMERICAN,
    "black or african american": Race.AFRICAN_AMERICAN,
    "asian": Race.ASIAN,
    "filipino": Race.FILIPINO,
    "white": Race.WHITE,
    "native american": Race.AMERICAN_INDIAN,
    "american indian": Race.AMERICAN_INDIAN,
    "american indian or alaska native": Race.AMERICAN_INDIAN,
    "pacific islander": Race.PACIFIC_ISLANDER,
    "native hawaiian or pacific islander": Race.PACIFIC_ISLANDER,
    "native hawaiian or other pacific islander": Race.PACIFIC_ISLANDER,
    "multiple": Race.TWO_OR_MORE,
    "multiracial": Race.TWO_OR_MORE,
    "two or more races": Race.TWO_OR_MORE,
    "two or more": Race.TWO_OR_MORE,
    "multiple ethnicities reported": Race.TWO_OR_MORE,
    "not reported": Race.NOT_REPORTED,
    "not stated": Race.NOT_REPORTED,
    "declined to state": Race.NOT_REPORTED,
}


def race(text: str) -> str:
    return _code(RACES, text, "unknown ethnicity code")


FLUENCY = {
    "eo": Fluency.EO,
    "english only": Fluency.EO,
    "ifep": Fluency.IFEP,
    "rfep": Fluency.RFEP,
    "el": Fluency.EL,
    "ell": Fluency.EL,
    "english learner": Fluency.EL,
    "tbd": Fluency.TBD,
    "fep": Fluency.FEP,
}


def fluency(text: str) -> str:
    """ELL_STATUS as SGP files write it ('ELL: Yes' / 'ELL: No') or a California code."""
    t = _strip_label(text)
    if t in _YES:
        return Fluency.EL
    if t in _NO:
        return Fluency.FEP
    return _code(FLUENCY, text, "unknown English-language fluency code: use EO, IFEP, EL, RFEP or ELL: Yes/No")


def valid_case(text: str) -> bool:
    t = text.strip().upper()
    if t == "VALID_CASE":
        return True
    if t == "INVALID_CASE":
        return False
    raise ValueError("expected VALID_CASE or INVALID_CASE")
