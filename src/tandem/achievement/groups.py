"""Which students a student group holds, from its rule (stored as data on StudentGroup.rule).

A rule is a mapping of conditions that must all hold:
  {"race": ["hispanic"]}                       race is one of these
  {"fluency": ["EL"]}                          English-language fluency is one of these
  {"gender": ["F"]}                            gender is one of these
  {"disadvantaged": true}, {"disability": false}, {"gifted": true}, {"homeless": true}, {"foster": true}
  {"months_in_us_schools_below": 12}, {"months_in_us_schools_from": 12}
  {}                                           every student
A rule with {"unsupported": "..."} names a group Tandem has no data for (e.g. parent education).
"""

from collections.abc import Mapping
from typing import Any

FLAGS = ("disadvantaged", "disability", "gifted", "homeless", "foster")
CHOICES = ("race", "fluency", "gender")


def supported(rule: Mapping[str, Any]) -> bool:
    return "unsupported" not in rule


def matches(rule: Mapping[str, Any], student: Mapping[str, Any]) -> bool:
    """Whether one student's year of demographics (a mapping with the StudentYear field names)
    belongs to the group."""
    if not supported(rule):
        return False
    for key in CHOICES:
        if key in rule and student.get(key) not in rule[key]:
            return False
    for key in FLAGS:
        if key in rule and student.get(key) is not rule[key]:
            return False
    months = student.get("months_in_us_schools")
    if "months_in_us_schools_below" in rule and (months is None or months >= rule["months_in_us_schools_below"]):
        return False
    return not ("months_in_us_schools_from" in rule and (months is None or months < rule["months_in_us_schools_from"]))
