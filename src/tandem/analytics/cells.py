"""Rebuilds the stored result cells (`ResultCell`) of some schools from their student results.

Two passes, both in the database: first every result is counted into a cell per school,
administration, grade and demographic profile (gender, race, fluency, flags); then each student
group's cells are the sums of the profiles its rule accepts. Dashboards then add up a few
thousand cells instead of reading millions of results.
"""

from collections.abc import Iterable
from typing import Any

from django.core.cache import cache
from django.db import transaction

from tandem.achievement.groups import CHOICES, FLAGS, matches, supported
from tandem.achievement.importers.staging import Stage, execute, rows
from tandem.achievement.models import Administration, Assessment, CutTable, StudentGroup
from tandem.analytics.models import LEVELS
from tandem.orgs.models import GRADE_ORDER, GRADES

SUMS = [
    "tested",
    "scored",
    "score_sum",
    "score_squares",
    "distance_count",
    "distance_sum",
    "at_or_above",
    *[f"level_{n}" for n in LEVELS],
    "matched",
    "matched_at_or_above_before",
    "matched_at_or_above_now",
    "matched_distance_count",
    "matched_distance_before",
    "matched_distance_now",
]


def refresh(school_ids: Iterable[int] | None = None) -> int:
    """Rebuild every cell of these schools (all schools when None). Returns the cells written."""
    schools = None if school_ids is None else sorted(set(school_ids))
    with transaction.atomic():
        stages = _prepare(schools)
        where = "" if schools is None else " WHERE school_id IN (SELECT school_id FROM tandem_cell_schools)"
        execute(f"DELETE FROM analytics_resultcell{where}")
        _profiles(schools is not None)
        stages.append(_memberships())
        # Every group at once: each profile row joins the groups that take it.
        written = execute(
            f"INSERT INTO analytics_resultcell (school_id, administration_id, grade, group_id, {', '.join(SUMS)})"
            f" SELECT p.school_id, p.administration_id, p.grade, m.group_id, {_sums('p.')}"
            " FROM tandem_cell_profiles p JOIN tandem_cell_members m ON m.profile = p.profile"
            " GROUP BY p.school_id, p.administration_id, p.grade, m.group_id"
        )
        written += execute(
            f"INSERT INTO analytics_resultcell (school_id, administration_id, grade, group_id, {', '.join(SUMS)})"
            f" SELECT school_id, administration_id, 'all', group_id, {_sums()} FROM analytics_resultcell"
            f" WHERE grade <> 'all'{where.replace(' WHERE', ' AND')} GROUP BY school_id, administration_id, group_id"
        )
        execute("DROP TABLE IF EXISTS tandem_cell_profiles")
        for stage in stages:
            stage.drop()
        # Now, so that this transaction never reads a snapshot of the old cells, and again once
        # committed, so that no other process keeps one it built in between.
        _new_version()
        transaction.on_commit(_new_version)
    return written


VERSION_KEY = "analytics:cells-version"


def version() -> int:
    """Changes whenever cells are rebuilt: part of every cached dashboard's key."""
    return int(cache.get_or_set(VERSION_KEY, 1, timeout=None) or 1)


def _new_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, timeout=None)


def _sums(prefix: str = "") -> str:
    return ", ".join(f"SUM({prefix}{c})" for c in SUMS)


def _prepare(schools: list[int] | None) -> list[Stage]:
    """Small lookup tables: for each administration and grade, the "standard met" cut and where
    the same students were a year earlier (the prior administration, a grade lower)."""
    admins = list(Administration.objects.all())
    by_key = {(a.assessment_id, a.school_year, a.window): a for a in admins}
    cuts = {a.pk: CutTable(a) for a in Assessment.objects.prefetch_related("levels", "cut_scores")}
    rows: list[tuple[Any, ...]] = []
    for a in admins:
        prior = by_key.get((a.assessment_id, a.school_year - 1, a.window))
        table = cuts[a.assessment_id]
        for grade in GRADES:
            cut = table.met_cut(grade, a.school_year)
            index = GRADE_ORDER[grade]
            prior_grade = GRADES[index - 1] if index else None
            prior_cut = table.met_cut(prior_grade, a.school_year - 1) if prior and prior_grade else None
            rows.append(
                (
                    a.pk,
                    a.assessment_id,
                    a.school_year,
                    grade,
                    None if cut is None else float(cut),
                    prior.pk if prior else None,
                    prior_grade,
                    None if prior_cut is None else float(prior_cut),
                )
            )
    admin_stage = Stage(
        "tandem_cell_admins",
        [
            ("administration_id", "int"),
            ("assessment_id", "int"),
            ("school_year", "int"),
            ("grade", "text"),
            ("met_cut", "num"),
            ("prior_administration_id", "int"),
            ("prior_grade", "text"),
            ("prior_met_cut", "num"),
        ],
    )
    admin_stage.insert(rows)
    admin_stage.index("administration_id", "grade")
    stages = [admin_stage]
    if schools is not None:
        school_stage = Stage("tandem_cell_schools", [("school_id", "int")])
        school_stage.insert([(s,) for s in schools])
        school_stage.index("school_id")
        stages.append(school_stage)
    return stages


def _profiles(scoped: bool) -> None:
    score = "CAST(r.scale_score AS DOUBLE PRECISION)"
    prior_score = "CAST(p.scale_score AS DOUBLE PRECISION)"
    distance = f"{score} - c.met_cut"
    both = (
        "p.scale_score IS NOT NULL AND r.scale_score IS NOT NULL"
        " AND c.met_cut IS NOT NULL AND c.prior_met_cut IS NOT NULL"
    )
    # A student's year of demographics as one key, e.g. "hispanic|EL|F|30|1|0||0|".
    profile = " || '|' || ".join(
        [f"COALESCE(y.{c}, '')" for c in CHOICES]
        + ["COALESCE(CAST(y.months_in_us_schools AS TEXT), '')"]
        + [f"CASE WHEN y.{f} THEN '1' WHEN NOT y.{f} THEN '0' ELSE '' END" for f in FLAGS]
    )
    levels = ", ".join(f"SUM(CASE WHEN r.level = {n} THEN 1 ELSE 0 END) AS level_{n}" for n in LEVELS)
    execute("DROP TABLE IF EXISTS tandem_cell_profiles")
    execute(
        "CREATE TEMPORARY TABLE tandem_cell_profiles AS SELECT r.school_id, r.administration_id, r.grade,"
        f" {profile} AS profile,"
        " COUNT(*) AS tested, COUNT(r.scale_score) AS scored,"
        f" COALESCE(SUM({score}), 0) AS score_sum, COALESCE(SUM({score} * {score}), 0) AS score_squares,"
        f" COUNT({distance}) AS distance_count, COALESCE(SUM({distance}), 0) AS distance_sum,"
        f" SUM(CASE WHEN pl.meets_standard THEN 1 ELSE 0 END) AS at_or_above, {levels},"
        " SUM(CASE WHEN p.id IS NULL THEN 0 ELSE 1 END) AS matched,"
        " SUM(CASE WHEN ppl.meets_standard THEN 1 ELSE 0 END) AS matched_at_or_above_before,"
        " SUM(CASE WHEN p.id IS NOT NULL AND pl.meets_standard THEN 1 ELSE 0 END) AS matched_at_or_above_now,"
        f" SUM(CASE WHEN {both} THEN 1 ELSE 0 END) AS matched_distance_count,"
        f" COALESCE(SUM(CASE WHEN {both} THEN {prior_score} - c.prior_met_cut END), 0) AS matched_distance_before,"
        f" COALESCE(SUM(CASE WHEN {both} THEN {distance} END), 0) AS matched_distance_now"
        " FROM achievement_studentresult r"
        " JOIN tandem_cell_admins c ON c.administration_id = r.administration_id AND c.grade = r.grade"
        " LEFT JOIN achievement_studentyear y ON y.student_id = r.student_id AND y.school_year = c.school_year"
        " LEFT JOIN achievement_performancelevel pl ON pl.assessment_id = c.assessment_id AND pl.rank = r.level"
        " LEFT JOIN achievement_studentresult p ON p.administration_id = c.prior_administration_id"
        " AND p.student_id = r.student_id AND p.grade = c.prior_grade AND p.valid"
        " AND (p.scale_score IS NOT NULL OR p.level IS NOT NULL)"
        " LEFT JOIN achievement_performancelevel ppl ON ppl.assessment_id = c.assessment_id AND ppl.rank = p.level"
        " WHERE r.valid AND (r.scale_score IS NOT NULL OR r.level IS NOT NULL)"
        + (" AND r.school_id IN (SELECT school_id FROM tandem_cell_schools)" if scoped else "")
        + f" GROUP BY r.school_id, r.administration_id, r.grade, {profile}"
    )


def _memberships() -> Stage:
    """Which groups take each demographic profile found in the results, decided by the groups'
    own rules (`achievement.groups.matches`), so the SQL never restates them."""
    found = [key for (key,) in rows("SELECT DISTINCT profile FROM tandem_cell_profiles")]
    groups = [g for g in StudentGroup.objects.order_by("pk") if supported(g.rule)]
    members = Stage("tandem_cell_members", [("profile", "text"), ("group_id", "int")])
    members.insert((key, g.pk) for key in found for g in groups if matches(g.rule, _student(key)))
    members.index("profile")
    return members


def _student(key: str) -> dict[str, Any]:
    """The demographics a profile key stands for, as `matches` reads them."""
    parts = key.split("|")
    n = len(CHOICES)
    student: dict[str, Any] = {c: parts[i] or None for i, c in enumerate(CHOICES)}
    student["months_in_us_schools"] = int(parts[n]) if parts[n] else None
    for i, flag in enumerate(FLAGS):
        value = parts[n + 1 + i]
        student[flag] = None if value == "" else value == "1"
    return student
