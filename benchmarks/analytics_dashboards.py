"""Benchmark: the analytics dashboards on generated state-scale data, next to one hand-written
DuckDB query over the same data in the same run.

    .venv/bin/python benchmarks/analytics_dashboards.py [--schools N] [--students N] [--years N]
        [--postgres] [--keep] [--profile]

Defaults are the state scale: 1,000 schools in 20 districts, 500,000 students, 4 school years,
CAASPP ELA and math: every student has a result in both subjects every year, so 4,000,000 results.
The data go straight into a fresh database (SQLite in a temporary TANDEM_DATA_DIR, or with
--postgres a throwaway PostgreSQL cluster) with bulk SQL, then the product's own code runs on it:
`cells.refresh()` (the aggregate build every import ends with), the network dashboard of the 100
partner schools, one partner school's dashboard and its comparison page, cold (Django's cache
cleared) and warm. The same results and demographics are written to Parquet, and DuckDB
(in-process) computes from it the aggregates each dashboard reads. Run it on an otherwise idle
machine; the figures go in docs/benchmarks.md.

The generated state. Schools are 60% elementary (grades 3–5 tested), 25% middle (6–8) and 15% high
(11), of varied sizes. A student belongs to one district and has an elementary, a middle and a
high school there. Every student is tested every year: a student's grade moves along
3, 4, 5, 6, 7, 8, 11 and back to 3, so every tested grade holds about a seventh of the students
each year and most results have the same student's result a year earlier, a grade lower (what
the dashboards' cohort figures match). Demographics follow a student's elementary school (its
poverty, English-learner share and race/ethnicity mix vary by district and school); English
learners are reclassified over the years. Scale scores are normal around the grade's statewide
mean, moved by the school, the student's ability, and the same group effects the demo data use;
levels come from the published cut scores. Random numbers are hashes of row keys (Polars), so a
run is repeatable and needs no NumPy.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import math
import os
import platform
import pstats
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

# Tested grades in the order a student moves through them (after 11 a student starts again at 3).
CYCLE = ["3", "4", "5", "6", "7", "8", "11"]
SCHOOL_GRADES = {"elementary": ("K", "5"), "middle": ("6", "8"), "high": ("9", "12")}
# Enrollment counts every grade a school has; only some are tested.
ENROLLMENT_FACTOR = {"elementary": 2.0, "middle": 1.0, "high": 4.0}
SUBJECTS = ["caaspp-ela", "caaspp-math"]
# Race/ethnicity: the shares among students who are not Hispanic (Hispanic share varies with poverty).
OTHER_RACES = {
    "white": 0.45,
    "asian": 0.22,
    "african_american": 0.12,
    "two_or_more": 0.11,
    "filipino": 0.06,
    "american_indian": 0.02,
    "pacific_islander": 0.02,
}
RACES = ["hispanic", *OTHER_RACES]
RACE_NAMES = {
    "hispanic": "Hispanic or Latino",
    "african_american": "African American",
    "asian": "Asian",
    "filipino": "Filipino",
    "white": "White",
    "two_or_more": "Two or more races",
    "pacific_islander": "Pacific Islander",
    "american_indian": "American Indian or Alaska Native",
}
FLAGS = ["disadvantaged", "disability", "gifted", "homeless", "foster"]
# Published results: the all-students group and a few others, by StudentGroup code.
PUBLIC_GROUPS: dict[str, pl.Expr] = {
    "1": pl.lit(True),
    "3": pl.col("gender") == "M",
    "4": pl.col("gender") == "F",
    "31": pl.col("disadvantaged"),
    "111": ~pl.col("disadvantaged"),
    "160": pl.col("fluency") == "EL",
    "128": pl.col("disability"),
    "74": pl.col("race") == "african_american",
    "76": pl.col("race") == "asian",
    "78": pl.col("race") == "hispanic",
    "80": pl.col("race") == "white",
}
PUBLISHED_FROM = 11  # the state publishes no percentages for fewer students tested
CHUNK = 250_000


def _u(key: pl.Expr, seed: int) -> pl.Expr:
    """A uniform number in (0, 1) from a hash of the row's key: repeatable, vectorised."""
    return ((key.hash(seed) // 2048).cast(pl.Float64) + 0.5) * 2.0**-53


def _normal(key: pl.Expr, seed: int) -> pl.Expr:
    """A standard normal number (Box–Muller) from two hashes of the row's key."""
    return (-2.0 * _u(key, seed).log()).sqrt() * (2 * math.pi * _u(key, seed + 1)).cos()


# -- the state -------------------------------------------------------------------------------------


@dataclass
class State:
    schools: pl.DataFrame  # one row per school: idx, school_id, district_id, level, profile
    results: pl.DataFrame  # one row per result, with the student's demographics that year
    student_years: pl.DataFrame
    years: list[int]
    partner_ids: list[int]
    counts: dict[str, int] = field(default_factory=dict)


def school_table(n: int, seed: int) -> pl.DataFrame:
    """Schools with their district, level, size weight, poverty, English-learner share, race mix and
    effect on scores. Every district gets schools of each level."""
    rng = random.Random(seed)
    districts = max(1, n // 50)
    poverty_of = [rng.uniform(0.25, 0.9) for _ in range(districts)]
    rows = []
    for i in range(n):
        d = i % districts
        r = (i // districts) % 20
        level = "middle" if r in (1, 5, 9, 13, 17) else "high" if r in (2, 10, 16) else "elementary"
        poverty = min(0.98, max(0.03, rng.gauss(poverty_of[d], 0.12)))
        hispanic = min(0.97, max(0.03, 0.1 + 0.75 * poverty + rng.gauss(0, 0.08)))
        tilt = {race: share * rng.uniform(0.5, 1.5) for race, share in OTHER_RACES.items()}
        total = sum(tilt.values())
        shares = {"hispanic": hispanic} | {race: (1 - hispanic) * s / total for race, s in tilt.items()}
        cumulative, running = {}, 0.0
        for race in RACES:
            running += shares[race]
            cumulative[f"c_{race}"] = running
        rows.append(
            {
                "idx": i,
                "district": d,
                "level": level,
                "weight": rng.lognormvariate(0, 0.45),
                "poverty": poverty,
                "el_share": min(0.6, max(0.01, 0.02 + 0.35 * poverty + rng.gauss(0, 0.05))),
                "effect": rng.gauss(0, 22),
                **cumulative,
            }
        )
    return pl.DataFrame(rows)


def _pick(schools: pl.DataFrame, level: str, u: pl.Series, district: pl.Series | None) -> pl.Series:
    """The school of `level` for each student: by size weight, within the student's district when
    one is given (each district's cumulative weights sit in (d, d + 1])."""
    found = schools.filter(pl.col("level") == level).sort("district", "idx")
    if district is None:
        cum = found["weight"].cum_sum() / found["weight"].sum()
        at = cum.search_sorted(u, side="left")
    else:
        cum = found.select(
            pl.col("district") + pl.col("weight").cum_sum().over("district") / pl.col("weight").sum().over("district")
        ).to_series()
        at = cum.search_sorted(district.cast(pl.Float64) + u, side="left")
    return found["idx"].gather(at.clip(0, found.height - 1))


def generate(n_schools: int, n_students: int, years: list[int], seed: int = 7) -> tuple[pl.DataFrame, pl.DataFrame]:
    """(schools, results): every result with its student-year's demographics and school."""
    # The demo's statewide means by grade and the points a circumstance moves a score.
    from tandem.demo.achievement import EFFECTS, STATE
    from tandem.demo.achievement import SUBJECTS as DEMO_SUBJECTS

    state_means = {code: STATE[area] for area, (code, _) in DEMO_SUBJECTS.items()}
    schools = school_table(n_schools, seed)
    students = pl.DataFrame({"student_id": pl.int_range(1, n_students + 1, eager=True)})
    key = pl.col("student_id")
    u = students.select(_u(key, 1).alias("u"))["u"]
    elem = _pick(schools, "elementary", u, None)
    district = schools["district"].gather(elem)
    u2 = students.select(_u(key, 2).alias("u"))["u"]
    u3 = students.select(_u(key, 3).alias("u"))["u"]
    students = students.with_columns(
        elem=elem,
        middle=_pick(schools, "middle", u2, district),
        high=_pick(schools, "high", u3, district),
        start=(_u(key, 4) * len(CYCLE)).floor().cast(pl.Int32),
    ).join(
        schools.select("idx", "poverty", "el_share", *[f"c_{r}" for r in RACES]),
        left_on="elem",
        right_on="idx",
    )
    race_u = _u(key, 5)
    race = pl.when(race_u < pl.col("c_hispanic")).then(pl.lit("hispanic"))
    for r in RACES[1:-1]:
        race = race.when(race_u < pl.col(f"c_{r}")).then(pl.lit(r))
    students = students.with_columns(
        race=race.otherwise(pl.lit(RACES[-1])),
        gender=pl.when(_u(key, 6) < 0.51).then(pl.lit("M")).otherwise(pl.lit("F")),
        disadvantaged=_u(key, 7) < pl.col("poverty"),
        disability=_u(key, 8) < 0.12,
        gifted=_u(key, 9) < 0.08,
        homeless=_u(key, 10) < 0.01 + 0.04 * pl.col("poverty"),
        foster=_u(key, 11) < 0.006,
        ever_el=_u(key, 12) < 1.6 * pl.col("el_share"),
        ifep=_u(key, 13) < 0.08,
        reclassified_in=(_u(key, 14) * 9).floor().cast(pl.Int32) - 3,  # the year index from which RFEP
        months_start=(_u(key, 15) * 100).floor().cast(pl.Int32),
        ability=0.8 * _normal(key, 16),
        ela=0.6 * _normal(key, 18),
        math=0.6 * _normal(key, 20),
    ).drop("poverty", "el_share", *[f"c_{r}" for r in RACES])

    year_frame = pl.DataFrame({"k": list(range(len(years))), "school_year": years}).cast({"k": pl.Int32})
    grade_idx = (pl.col("start") + pl.col("k")) % len(CYCLE)
    el_now = pl.col("ever_el") & (pl.col("k") < pl.col("reclassified_in"))
    student_years = (
        students.join(year_frame, how="cross")
        .with_columns(
            grade=grade_idx.replace_strict(dict(enumerate(CYCLE)), return_dtype=pl.String),
            idx=pl.when(grade_idx < 3)
            .then(pl.col("elem"))
            .when(grade_idx < 6)
            .then(pl.col("middle"))
            .otherwise(pl.col("high")),
            fluency=pl.when(el_now)
            .then(pl.lit("EL"))
            .when(pl.col("ever_el"))
            .then(pl.lit("RFEP"))
            .when(pl.col("ifep"))
            .then(pl.lit("IFEP"))
            .otherwise(pl.lit("EO")),
            months=pl.when(el_now).then(pl.col("months_start") + 12 * pl.col("k")).otherwise(None),
        )
        .drop("elem", "middle", "high", "ever_el", "ifep", "reclassified_in", "months_start", "start")
        .sort("student_id", "k")
    )

    scale = pl.DataFrame(
        [
            {
                "subject": subject,
                "grade": grade,
                "mean": float(mean),
                "sd": float(sd),
                "lowest": cuts[0],
                "highest": cuts[1],
                "l2": cuts[2],
                "l3": cuts[3],
                "l4": cuts[4],
            }
            for subject, cuts_by_grade in _catalog().items()
            for grade, cuts in cuts_by_grade.items()
            if grade in CYCLE
            for mean, sd in [state_means[subject][grade]]
        ]
    )
    effects = pl.lit(0.0)
    for name in ("disadvantaged", "disability"):
        effects = effects + pl.when(pl.col(name)).then(EFFECTS[name]).otherwise(0)
    effects = effects + pl.when(pl.col("fluency") == "EL").then(EFFECTS["EL"]).otherwise(0)
    effects = effects + pl.col("race").replace_strict(EFFECTS, default=0, return_dtype=pl.Float64)
    rkey = (pl.col("student_id") * 8 + pl.col("k")) * 2 + pl.col("s")
    noise = _normal(rkey, 30)
    ability = pl.col("ability") + pl.when(pl.col("s") == 0).then(pl.col("ela")).otherwise(pl.col("math"))
    spread = pl.col("sd") * (0.75 * ability + 0.45 * noise)
    raw = pl.col("mean") + 45 + effects + pl.col("effect") + 3 * pl.col("k") + spread
    score = raw.round().clip(pl.col("lowest"), pl.col("highest")).cast(pl.Int32)
    results = (
        student_years.join(pl.DataFrame({"s": [0, 1], "subject": SUBJECTS}).cast({"s": pl.Int32}), how="cross")
        .join(schools.select("idx", "effect"), on="idx")
        .join(scale, on=["subject", "grade"])
        .with_columns(scale_score=score)
        .with_columns(
            level=(
                1
                + (pl.col("scale_score") >= pl.col("l2")).cast(pl.Int32)
                + (pl.col("scale_score") >= pl.col("l3")).cast(pl.Int32)
                + (pl.col("scale_score") >= pl.col("l4")).cast(pl.Int32)
            ).cast(pl.Int16),
            met_cut=pl.col("l3").cast(pl.Float64),
        )
        .drop("mean", "sd", "lowest", "highest", "l2", "l3", "l4", "effect", "ability", "ela", "math")
        .sort("student_id", "k", "s")
    )
    return schools, results


def _catalog() -> dict[str, dict[str, tuple[int, int, int, int, int]]]:
    from tandem.achievement.catalog import SBAC_ELA, SBAC_MATH

    return {"caaspp-ela": SBAC_ELA, "caaspp-math": SBAC_MATH}


# -- writing it to the database ----------------------------------------------------------------------


def write_frame(table: str, frame: pl.DataFrame) -> None:
    """Bulk rows: executemany on the raw sqlite3 cursor, or COPY on PostgreSQL."""
    from django.db import connection

    names = ", ".join(f'"{c}"' for c in frame.columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN (FORMAT csv)") as copy:
                for chunk in frame.iter_slices(CHUNK):
                    copy.write(chunk.write_csv(include_header=False))
        else:
            marks = ", ".join("?" for _ in frame.columns)
            sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"
            for chunk in frame.iter_slices(CHUNK):
                cursor.cursor.executemany(sql, zip(*(chunk[c].to_list() for c in frame.columns), strict=True))


def load(schools_frame: pl.DataFrame, results: pl.DataFrame, years: list[int], seed: int = 7) -> State:
    """Districts, schools, the partnership, students, yearly demographics, enrollments, results,
    school demographics and published results, in one transaction."""
    import datetime

    from django.core.management.color import no_style
    from django.db import connection, transaction

    from tandem.achievement.importers.staging import roomy_cache
    from tandem.achievement.models import (
        Administration,
        Assessment,
        Enrollment,
        PublicResult,
        Student,
        StudentGroup,
        StudentResult,
        StudentYear,
    )
    from tandem.orgs.models import District, Organization, School, SchoolDemographics
    from tandem.partnerships.models import Partnership, PartnershipSchool

    pg = connection.vendor == "postgresql"
    counts: dict[str, int] = {}
    with transaction.atomic(), roomy_cache(512):
        if pg:
            # Foreign keys are right by construction; row-by-row checks at commit would only slow the load.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = replica")
        org = Organization.objects.create(name="Benchmark Partners")
        n_districts = int(schools_frame["district"].max()) + 1  # type: ignore[arg-type]
        districts = District.objects.bulk_create(
            District(name=f"District {d + 1:02d}", cds_code=f"{10 + d // 90:02d}{10000 + d:05d}", state="CA")
            for d in range(n_districts)
        )
        school_objs = School.objects.bulk_create(
            School(
                district=districts[row["district"]],
                name=f"{row['level'].title()} School {row['idx'] + 1:04d}",
                cds_code=f"{districts[row['district']].cds_code}{1000000 + row['idx']:07d}",
                level=row["level"],
                lowest_grade=SCHOOL_GRADES[row["level"]][0],
                highest_grade=SCHOOL_GRADES[row["level"]][1],
            )
            for row in schools_frame.iter_rows(named=True)
        )
        schools = schools_frame.with_columns(
            school_id=pl.Series([s.pk for s in school_objs]),
            district_id=pl.Series([districts[d].pk for d in schools_frame["district"]]),
            cds_code=pl.Series([s.cds_code for s in school_objs]),
        )
        # A tenth of the schools (100 of 1,000), drawn at random: of every level, in most districts.
        chosen = random.Random(seed).sample(range(len(school_objs)), max(1, min(100, len(school_objs) // 10)))
        partner_ids = sorted(school_objs[i].pk for i in chosen)
        partnership = Partnership.objects.create(
            organization=org,
            name="Benchmark network",
            model=Partnership.Model.NETWORK,
            start_date=datetime.date(years[0] - 1, 8, 1),
            planned_years=5,
        )
        PartnershipSchool.objects.bulk_create(
            PartnershipSchool(partnership=partnership, school_id=pk, joined_on=partnership.start_date)
            for pk in partner_ids
        )
        assessments = {a.code: a for a in Assessment.objects.filter(code__in=SUBJECTS)}
        admins = pl.DataFrame(
            [
                {
                    "subject": code,
                    "school_year": year,
                    "administration_id": Administration.objects.create(
                        assessment=assessments[code], school_year=year, window="spring"
                    ).pk,
                }
                for code in SUBJECTS
                for year in years
            ]
        ).cast({"school_year": pl.Int64})
        results = (
            results.join(schools.select("idx", "school_id", "district_id"), on="idx")
            .join(admins, on=["subject", "school_year"])
            .sort("administration_id", "student_id")
            .with_columns(pl.int_range(1, pl.len() + 1).alias("id"))
        )
        student_ids = results["student_id"].unique().sort()
        write_frame(
            Student._meta.db_table,
            pl.DataFrame({"id": student_ids}).with_columns(
                state_id=pl.format("S{}", pl.col("id").cast(pl.String).str.zfill(9)),
                local_id=pl.lit(""),
                last_name=pl.lit(""),
                first_name=pl.lit(""),
            ),
        )
        counts["students"] = student_ids.len()
        years_frame = (
            results.filter(pl.col("s") == 0)
            .select(
                "student_id",
                "school_year",
                "school_id",
                "grade",
                "gender",
                "race",
                "fluency",
                "months",
                *FLAGS,
            )
            .sort("student_id", "school_year")
            .with_columns(pl.int_range(1, pl.len() + 1).alias("id"))
        )
        write_frame(
            StudentYear._meta.db_table,
            years_frame.select(
                "id",
                "student_id",
                "school_year",
                "gender",
                "race",
                "fluency",
                pl.col("months").alias("months_in_us_schools"),
                *FLAGS,
            ),
        )
        counts["student years"] = years_frame.height
        write_frame(
            Enrollment._meta.db_table,
            years_frame.select("id", "student_id", "school_id", "school_year", "grade", full_year=pl.lit(True)),
        )
        counts["enrollments"] = years_frame.height
        write_frame(
            StudentResult._meta.db_table,
            results.select(
                "id",
                "administration_id",
                "student_id",
                "school_id",
                "grade",
                "scale_score",
                "level",
                valid=pl.lit(True),
            ),
        )
        counts["results"] = results.height
        demographics = _school_demographics(years_frame, schools)
        SchoolDemographics.objects.bulk_create(
            SchoolDemographics(school_id=row.pop("school_id"), **row) for row in demographics
        )
        counts["school demographics"] = len(demographics)
        groups = dict(StudentGroup.objects.filter(code__in=PUBLIC_GROUPS).values_list("code", "pk"))
        published = _public_results(results, schools, groups, {c: a.pk for c, a in assessments.items()})
        write_frame(PublicResult._meta.db_table, published)
        counts["published results"] = published.height
        counts["partner schools"] = len(partner_ids)
        with connection.cursor() as cursor:
            for sql in connection.ops.sequence_reset_sql(
                no_style(), [Student, StudentYear, Enrollment, StudentResult, PublicResult]
            ):
                cursor.execute(sql)
    if pg:
        # What autovacuum does after a load this size; SQLite gets no ANALYZE (the product runs none).
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return State(schools, results, years_frame, years, partner_ids, counts)


def _school_demographics(years_frame: pl.DataFrame, schools: pl.DataFrame) -> list[dict[str, Any]]:
    per = (
        years_frame.group_by("school_id", "school_year")
        .agg(
            n=pl.len(),
            sed=pl.col("disadvantaged").mean() * 100,
            el=(pl.col("fluency") == "EL").mean() * 100,
            swd=pl.col("disability").mean() * 100,
            **{r: (pl.col("race") == r).mean() * 100 for r in RACES},
        )
        .join(schools.select("school_id", "level"), on="school_id")
        .sort("school_id", "school_year")
    )
    out = []
    for row in per.iter_rows(named=True):
        enrollment = round(row["n"] * ENROLLMENT_FACTOR[row["level"]])
        out.append(
            {
                "school_id": row["school_id"],
                "school_year": row["school_year"],
                "enrollment": enrollment,
                "teachers": max(1, enrollment // 22),
                "pct_socioeconomically_disadvantaged": round(row["sed"], 1),
                "pct_english_learners": round(row["el"], 1),
                "pct_students_with_disabilities": round(row["swd"], 1),
                "race_ethnicity": {RACE_NAMES[r]: round(row[r], 1) for r in RACES},
            }
        )
    return out


def _public_results(
    results: pl.DataFrame, schools: pl.DataFrame, groups: Mapping[str, int], assessments: Mapping[str, int]
) -> pl.DataFrame:
    """What the state publishes: all grades together, for the school, its district and the state."""
    frames = []
    entities = {
        "school": ["school_id", "district_id"],
        "district": ["district_id"],
        "state": [],
    }
    for code, condition in PUBLIC_GROUPS.items():
        chosen = results.filter(condition)
        for entity, keys in entities.items():
            agg = chosen.group_by(*keys, "school_year", "subject").agg(
                students_tested=pl.len(),
                mean_scale_score=pl.col("scale_score").mean().round(2),
                **{f"pct_level_{n}": ((pl.col("level") == n).mean() * 100).round(2) for n in range(1, 5)},
                pct_met_and_above=((pl.col("level") >= 3).mean() * 100).round(2),
            )
            agg = agg.with_columns(entity=pl.lit(entity), group_id=pl.lit(groups[code]))
            if entity != "school":
                agg = agg.with_columns(school_id=pl.lit(None, pl.Int64))
            if entity == "state":
                agg = agg.with_columns(district_id=pl.lit(None, pl.Int64))
            frames.append(agg)
    published = pl.concat(frames, how="diagonal_relaxed")
    small = pl.col("students_tested") < PUBLISHED_FROM
    district_keys = schools.select("district_id", district_key=pl.col("cds_code").str.slice(0, 7)).unique()
    published = (
        published.join(schools.select("school_id", school_key="cds_code"), on="school_id", how="left")
        .join(district_keys, on="district_id", how="left")
        .with_columns(
            entity_key=pl.when(pl.col("entity") == "school")
            .then(pl.col("school_key"))
            .when(pl.col("entity") == "district")
            .then(pl.col("district_key"))
            .otherwise(pl.lit("CA")),
            state=pl.when(pl.col("entity") == "state").then(pl.lit("CA")).otherwise(pl.lit("")),
            assessment_id=pl.col("subject").replace_strict(assessments, return_dtype=pl.Int64),
            grade=pl.lit("all"),
            district_id=pl.when(pl.col("entity") == "district").then(pl.col("district_id")).otherwise(None),
            **{
                c: pl.when(small).then(None).otherwise(pl.col(c))
                for c in ["mean_scale_score", *[f"pct_level_{n}" for n in range(1, 5)], "pct_met_and_above"]
            },
        )
        .with_columns(pl.int_range(1, pl.len() + 1).alias("id"))
    )
    return published.select(
        "id",
        "entity",
        "school_id",
        "district_id",
        "state",
        "entity_key",
        "assessment_id",
        "school_year",
        "grade",
        "group_id",
        "students_tested",
        "mean_scale_score",
        *[f"pct_level_{n}" for n in range(1, 5)],
        "pct_met_and_above",
    )


# -- the DuckDB reference ------------------------------------------------------------------------------


def write_parquet(state: State, folder: Path) -> tuple[Path, Path]:
    """Results with their demographics, sorted by assessment and school (as a per-school export
    would be), so that DuckDB can skip the row groups of other schools."""
    results_path, schools_path = folder / "results.parquet", folder / "schools.parquet"
    state.results.select(
        "school_id",
        "school_year",
        pl.col("subject").alias("assessment"),
        "grade",
        "scale_score",
        "level",
        "met_cut",
        "gender",
        "race",
        "fluency",
        "months",
        *FLAGS,
    ).sort("assessment", "school_id", "school_year", "grade").write_parquet(results_path)
    state.schools.select("school_id", partner=pl.col("school_id").is_in(state.partner_ids)).write_parquet(schools_path)
    return results_path, schools_path


def _duck_condition(rule: Mapping[str, Any]) -> str:
    """A student group's rule (see tandem.achievement.groups) as a DuckDB condition."""
    parts = []
    for key in ("race", "fluency", "gender"):
        if key in rule:
            values = ", ".join("'" + str(v).replace("'", "''") + "'" for v in rule[key])
            parts.append(f"{key} IN ({values})" if values else "FALSE")
    for key in FLAGS:
        if key in rule:
            parts.append(f"{key} = {'TRUE' if rule[key] else 'FALSE'}")
    if "months_in_us_schools_below" in rule:
        parts.append(f"months < {int(rule['months_in_us_schools_below'])}")
    if "months_in_us_schools_from" in rule:
        parts.append(f"months >= {int(rule['months_in_us_schools_from'])}")
    return " AND ".join(parts) or "TRUE"


PROFILE = ["gender", "race", "fluency", "months", *FLAGS]


def _sums_sql() -> tuple[str, str]:
    """The sums per demographic profile, and the same summed again over profiles."""
    levels = [f"level_{n}" for n in range(1, 5)]
    first = (
        "COUNT(*) AS tested, COUNT(scale_score) AS scored, SUM(scale_score::DOUBLE) AS score_sum,"
        " SUM(scale_score::DOUBLE * scale_score) AS score_squares, SUM(scale_score - met_cut) AS distance_sum,"
        " COUNT_IF(level IN (3, 4)) AS at_or_above, "
        + ", ".join(f"COUNT_IF(level = {n}) AS level_{n}" for n in range(1, 5))
    )
    names = ["tested", "scored", "score_sum", "score_squares", "distance_sum", "at_or_above", *levels]
    return first, ", ".join(f"SUM({c}) AS {c}" for c in names)


def duck_sql(results: Path, schools: Path, groups: Iterable[tuple[int, Mapping[str, Any]]], where: str) -> str:
    """Students tested, scored, sum and sum of squares of scores, distance from "met", at or above
    and each level, by school year × grade (and all grades) × student group, for the ELA results of
    the schools `where` picks. One query: results are first summed by demographic profile, then each
    profile counts in every group whose rule it meets."""
    cases = ", ".join(f"CASE WHEN {_duck_condition(rule)} THEN {pk} END" for pk, rule in groups)
    first, again = _sums_sql()
    return f"""
        WITH profiles AS (
            SELECT school_year, grade, {", ".join(PROFILE)}, {first}
            FROM read_parquet('{results}')
            WHERE assessment = 'caaspp-ela' AND {where.format(schools=f"read_parquet('{schools}')")}
            GROUP BY ALL
        ), expanded AS (
            SELECT *, UNNEST([{cases}]) AS group_id FROM profiles
        )
        SELECT school_year, COALESCE(grade, 'all') AS grade, group_id, {again}
        FROM expanded WHERE group_id IS NOT NULL
        GROUP BY GROUPING SETS ((school_year, grade, group_id), (school_year, group_id))
    """


def cells_sql(results: Path, groups: Iterable[tuple[int, Mapping[str, Any]]]) -> str:
    """Every school's sums by assessment × school year × grade (and all grades) × group: what
    `cells.refresh()` stores, less the cohort matching (a self-join the reference leaves out)."""
    cases = ", ".join(f"CASE WHEN {_duck_condition(rule)} THEN {pk} END" for pk, rule in groups)
    first, again = _sums_sql()
    return f"""
        WITH profiles AS (
            SELECT school_id, assessment, school_year, grade, {", ".join(PROFILE)}, {first}
            FROM read_parquet('{results}')
            GROUP BY ALL
        ), expanded AS (
            SELECT *, UNNEST([{cases}]) AS group_id FROM profiles
        )
        SELECT school_id, assessment, school_year, COALESCE(grade, 'all') AS grade, group_id, {again}
        FROM expanded WHERE group_id IS NOT NULL
        GROUP BY GROUPING SETS ((school_id, assessment, school_year, grade, group_id),
                                (school_id, assessment, school_year, group_id))
    """


def best_of_3(run: Callable[[], Any]) -> tuple[float, Any]:
    """One warm-up, then the best of three runs."""
    found = run()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        found = run()
        times.append(time.perf_counter() - start)
    return min(times), found


def check(snap_totals: Mapping[tuple[int, str, int], Any], rows: list[tuple[Any, ...]]) -> str:
    """Whether Tandem's snapshot and DuckDB's aggregates agree, cell by cell."""
    duck = {(int(r[0]), str(r[1]), int(r[2])): r for r in rows}
    bad = []
    for cell, r in duck.items():
        t = snap_totals.get(cell)
        if t is None:
            bad.append(f"{cell} missing in Tandem")
            continue
        levels = [t.levels.get(n, 0) for n in range(1, 5)]
        same = (t.tested, t.scored, t.at_or_above, levels) == (r[3], r[4], r[8], list(r[9:13]))
        sums = zip((t.score_sum, t.score_squares, t.distance_sum), r[5:8], strict=True)
        same = same and all(math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6) for a, b in sums)
        if not same:
            bad.append(f"{cell}: Tandem {t} vs DuckDB {r[3:]}")
    extra = set(snap_totals) - set(duck)
    bad += [f"{cell} missing in DuckDB" for cell in sorted(extra)[:3]]
    if not bad:
        return f"agree on all {len(duck):,} cells"
    return f"DISAGREE on {len(bad):,} of {len(duck):,} cells, e.g. " + "; ".join(bad[:3])


# -- timing the product ------------------------------------------------------------------------------


@dataclass
class Timing:
    what: str
    times: list[float]
    reference: float | None = None
    note: str = ""

    @property
    def value(self) -> float:
        return statistics.median(self.times)


def _timed(run: Callable[[], Any], repeat: int, before: Callable[[], Any] | None = None) -> list[float]:
    times = []
    for _ in range(repeat):
        if before:
            before()
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return times


def cold_warm(what: str, run: Callable[[], Any], reference: float | None) -> list[Timing]:
    """Cold: the first call after Django's cache is cleared (five times); warm: the five calls right after."""
    from django.core.cache import cache

    cold = _timed(run, 5, before=cache.clear)
    warm = _timed(run, 5)
    return [Timing(f"{what}, cold", cold, reference), Timing(f"{what}, warm", warm, reference)]


def profile(what: str, run: Callable[[], Any], cold: bool, lines: int = 16) -> str:
    from django.core.cache import cache

    if cold:
        cache.clear()
    else:
        run()
    profiler = cProfile.Profile()
    profiler.enable()
    run()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(lines)
    return f"### cProfile: {what}, {'cold' if cold else 'warm'}\n\n```\n{out.getvalue().strip()}\n```\n"


class SqlTimer:
    """Times every statement Django runs (a connection.execute_wrapper)."""

    def __init__(self) -> None:
        self.times: list[tuple[float, str]] = []

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.times.append((time.perf_counter() - start, sql))

    def breakdown(self, total: float) -> str:
        kinds: dict[str, list[float]] = {}
        for seconds, sql in self.times:
            if sql.startswith("CREATE TEMPORARY TABLE tandem_cell_profiles"):
                kind = "profiles table (results × student years × prior-year results, by profile)"
            elif sql.startswith("INSERT INTO analytics_resultcell") and "FROM tandem_cell_profiles" in sql:
                kind = "group cells (one INSERT … SELECT over the profiles per group)"
            elif sql.startswith("INSERT INTO analytics_resultcell"):
                kind = "all-grades cells (INSERT … SELECT over the cells)"
            elif sql.startswith("DELETE FROM analytics_resultcell"):
                kind = "deleting the old cells"
            else:
                kind = "everything else"
            kinds.setdefault(kind, []).append(seconds)
        kinds["commit and Python (not in any statement)"] = [total - sum(t for t, _ in self.times)]
        parts = sorted(kinds.items(), key=lambda item: -sum(item[1]))
        return "; ".join(
            f"{kind} {sum(times):.1f} s" + (f" ({len(times)} statements)" if len(times) > 1 else "")
            for kind, times in parts
        )


def pages(school_pk: int) -> tuple[list[Timing], list[str]]:
    """The real pages through Django's test client, logged in as an org admin, if they exist."""
    from django.core.cache import cache
    from django.test import Client
    from django.urls import Resolver404, resolve

    from tandem.access.models import RoleAssignment
    from tandem.orgs.models import Organization, Person

    urls = {
        "network dashboard page": "/analytics/",
        "school dashboard page": f"/analytics/schools/{school_pk}/",
        "school comparison page": f"/analytics/schools/{school_pk}/compare/",
    }
    notes: list[str] = []
    timings: list[Timing] = []
    person = Person.objects.create_user(email="bench.admin@example.org", password=None, full_name="Bench Admin")
    RoleAssignment.objects.create(person=person, role="org_admin", organization=Organization.objects.first())
    client = Client()
    client.force_login(person)
    for what, url in urls.items():
        try:
            resolve(url)
        except Resolver404:
            notes.append(f"{what}: {url} does not exist yet (404); not rendered")
            continue
        try:
            response = client.get(url)
        except Exception as error:  # a product bug: report it, keep benchmarking
            notes.append(f"{what}: {url} raised {type(error).__name__}: {error}")
            continue
        if response.status_code != 200:
            notes.append(f"{what}: {url} answered {response.status_code}; not timed")
            continue
        for t in cold_warm(what, lambda url=url: client.get(url), None):
            timings.append(t)
        notes.append(f"{what}: {url} → 200, {len(response.content):,} bytes (org admin: shown unsuppressed)")
    cache.clear()
    return timings, notes


# -- the run ------------------------------------------------------------------------------------------


def machine() -> str:
    import sqlite3

    import duckdb
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0]} (throwaway cluster, fsync off)"
    else:
        database = f"SQLite {sqlite3.sqlite_version} (WAL)"
    return (
        f"{platform.node()}: {os.cpu_count()} CPUs{f' ({cpu})' if cpu else ''}{memory}; "
        f"Python {platform.python_version()}; {database}; DuckDB {duckdb.__version__}; Polars {pl.__version__}"
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.0f} ms" if seconds < 10 else f"{seconds:,.1f} s"


def _row(t: Timing) -> str:
    spread = f" ({_ms(min(t.times))}–{_ms(max(t.times))})" if len(t.times) > 1 else ""
    ratio = f"{t.value / t.reference:.1f}×" if t.reference else "—"
    return f"| {t.what}{t.note} | {_ms(t.value)}{spread} | {ratio} |"


def run(args: argparse.Namespace, folder: Path) -> None:
    import duckdb
    from django.core.management import call_command
    from django.db import connection

    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"migrated in {time.perf_counter() - start:.1f} s", flush=True)

    from tandem.achievement.groups import supported
    from tandem.achievement.models import Assessment, StudentGroup
    from tandem.analytics import cells
    from tandem.analytics.comparison import compare
    from tandem.analytics.dashboards import dashboard, policy, snapshot
    from tandem.analytics.places import Place, partner_school_ids
    from tandem.orgs.models import School

    years = list(range(2026 - args.years, 2026))
    start = time.perf_counter()
    schools_frame, results = generate(args.schools, args.students, years)
    generated = time.perf_counter() - start
    print(f"generated {results.height:,} results in {generated:.1f} s", flush=True)
    start = time.perf_counter()
    state = load(schools_frame, results, years)
    loaded = time.perf_counter() - start
    del results
    print(f"loaded into the database in {loaded:.1f} s: {state.counts}", flush=True)

    timer = SqlTimer()
    start = time.perf_counter()
    with connection.execute_wrapper(timer):
        written = cells.refresh()
    refresh = time.perf_counter() - start
    print(f"cells.refresh(): {written:,} cells in {refresh:.1f} s", flush=True)
    if connection.vendor == "postgresql":
        # What autovacuum would get round to soon after: done now, so that it runs during no timing.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        print(f"VACUUM ANALYZE in {time.perf_counter() - start:.1f} s", flush=True)

    start = time.perf_counter()
    results_path, schools_path = write_parquet(state, folder)
    parquet_s = time.perf_counter() - start
    parquet_mb = results_path.stat().st_size / 1e6
    groups = [(g.pk, g.rule) for g in StudentGroup.objects.order_by("pk") if supported(g.rule)]

    partner_ids = partner_school_ids()
    assert partner_ids == set(state.partner_ids)
    # The school timed: the partner school with the median number of results.
    per_school = (
        state.student_years.filter(pl.col("school_id").is_in(state.partner_ids))
        .group_by("school_id")
        .len()
        .sort("len", "school_id")
    )
    school = School.objects.select_related("district").get(pk=per_school["school_id"][per_school.height // 2])
    school_results = int(per_school["len"][per_school.height // 2]) * 2

    con = duckdb.connect()
    partners = "school_id IN (SELECT school_id FROM {schools} WHERE partner)"
    network_sql = duck_sql(results_path, schools_path, groups, partners)
    all_sql = duck_sql(results_path, schools_path, groups, "TRUE")
    school_sql = duck_sql(results_path, schools_path, groups, f"school_id = {school.pk}")
    duck_network, network_rows = best_of_3(lambda: con.execute(network_sql).fetchall())
    duck_all, all_rows = best_of_3(lambda: con.execute(all_sql).fetchall())
    duck_school, school_rows = best_of_3(lambda: con.execute(school_sql).fetchall())
    duck_cells, _ = best_of_3(lambda: con.execute(cells_sql(results_path, groups)).fetchall())
    con.close()

    rules = policy()
    ela = Assessment.objects.get(code="caaspp-ela")
    network = Place("network", None, "All partner schools", frozenset(partner_ids), False)
    everyone = Place("network", None, "All schools", frozenset(state.schools["school_id"].to_list()), False)
    one = Place("school", school.pk, school.name, frozenset([school.pk]), False)

    timings: list[Timing] = [
        Timing("DuckDB: network aggregates (reference)", [duck_network], duck_network),
        Timing("DuckDB: all-schools aggregates (reference)", [duck_all], duck_all),
        Timing("DuckDB: one school's aggregates (reference)", [duck_school], duck_school),
        Timing("DuckDB: every school's cells, both subjects (reference)", [duck_cells], duck_cells),
        Timing("`cells.refresh()`, every school", [refresh], duck_cells),
    ]
    timings += cold_warm(
        f"Network dashboard ({len(partner_ids)} partner schools)",
        lambda: dashboard(network, "caaspp-ela", None, None),
        duck_network,
    )
    timings += cold_warm(
        f"School dashboard ({school.name}, {school_results:,} results)",
        lambda: dashboard(one, "caaspp-ela", None, None),
        duck_school,
    )
    timings += cold_warm("School comparison data (`compare`)", lambda: compare(school, ela, None, rules), duck_school)
    timings += cold_warm(
        f"All-schools dashboard ({len(everyone.school_ids):,} schools)",
        lambda: dashboard(everyone, "caaspp-ela", None, None),
        duck_all,
    )
    page_timings, page_notes = pages(school.pk)
    for t in page_timings:
        t.reference = duck_network if t.what.startswith("network") else duck_school
    timings += page_timings

    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    # After the timings, so that checking does not warm anything up for them.
    checks = {
        "network": check(snapshot(network, ela, rules).totals, network_rows),
        "all schools": check(snapshot(everyone, ela, rules).totals, all_rows),
        "school": check(snapshot(one, ela, rules).totals, school_rows),
    }
    board = dashboard(one, "caaspp-ela", None, None)
    cmp = compare(school, ela, None, rules)

    print()
    print("## Analytics dashboards benchmark")
    print()
    print(f"Machine: {machine()}")
    print(
        f"Data: {args.schools:,} schools in {state.schools['district'].n_unique()} district(s),"
        f" {state.counts['students']:,} students, {len(years)} school years ({years[0]}–{years[-1]}),"
        f" 2 subjects: {state.counts['results']:,} results, {state.counts['student years']:,} student years,"
        f" {state.counts['enrollments']:,} enrollments, {state.counts['school demographics']:,} school demographics,"
        f" {state.counts['published results']:,} published results; {written:,} result cells."
    )
    print(
        f"Setup (not benchmarked): generate {generated:.1f} s, load {loaded:.1f} s,"
        f" write Parquet {parquet_s:.1f} s ({parquet_mb:,.0f} MB)."
    )
    print(
        f"School timed: {school.name} ({school.level}), {len(cmp.peers.peers)} similar schools,"
        f" dashboard for {board.year} with {len(board.snap.totals) if board.snap else 0} cells."
    )
    print()
    print("| what | time | vs DuckDB reference |")
    print("|---|---:|---:|")
    for t in timings:
        print(_row(t))
    print()
    print(f"Peak memory (whole process, generation included): {peak_mib:,.0f} MiB")
    print()
    print(f"Where `cells.refresh()` spends its {refresh:.1f} s: {timer.breakdown(refresh)}.")
    print()
    print("Tandem's snapshot against DuckDB, cell by cell: " + "; ".join(f"{k} {v}" for k, v in checks.items()))
    for note in page_notes:
        print(f"- {note}")

    def find(prefix: str, kind: str) -> Timing | None:
        return next((t for t in timings if t.what.startswith(prefix) and t.what.endswith(kind)), None)

    print()
    print("Targets (the school's pages are the school dashboard and its comparison page):")
    for prefix in ("School dashboard", "School comparison data", "school dashboard page", "school comparison page"):
        t = find(prefix, "warm")
        if t:
            print(f"- {t.what} under 150 ms: {_ms(t.value)} → {_met(t.value < 0.150)}")
    for prefix in ("Network dashboard", "School dashboard", "School comparison data"):
        t = find(prefix, "cold")
        if t and t.reference:
            ratio = t.value / t.reference
            print(f"- {t.what} within 5× of its DuckDB reference: {ratio:.1f}× → {_met(ratio <= 5)}")
    print(
        "  (The comparison reads published results and ranks similar schools; its reference, the one-school"
        " query, sums the school's own results, so that ratio compares different work.)"
    )
    if args.profile:
        print()
        for cold in (True, False):
            print(profile("network dashboard", lambda: dashboard(network, "caaspp-ela", None, None), cold))
            print(profile("school dashboard", lambda: dashboard(one, "caaspp-ela", None, None), cold))
            print(profile("all-schools dashboard", lambda: dashboard(everyone, "caaspp-ela", None, None), cold))
        print(profile("compare", lambda: compare(school, ela, None, rules), False))


def _met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--schools", type=int, default=1000)
    parser.add_argument("--students", type=int, default=500_000)
    parser.add_argument("--years", type=int, default=4)
    parser.add_argument("--postgres", action="store_true", help="run on a throwaway PostgreSQL cluster")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (and the PostgreSQL cluster)")
    parser.add_argument("--profile", action="store_true", help="print cProfile's view of each cold call")
    args = parser.parse_args()
    if args.schools < 3 or args.students < 1 or args.years < 1:
        parser.error("give at least 3 schools, 1 student and 1 year")

    folder = Path(tempfile.mkdtemp(prefix="tandem-bench-"))
    os.environ["TANDEM_DATA_DIR"] = str(folder / "data")
    os.environ["DJANGO_SETTINGS_MODULE"] = "tandem.settings"
    os.environ["ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.pop("DATABASE_URL", None)
    pg: dict[str, str] | None = None
    if args.postgres:
        started = subprocess.run(
            [str(ROOT / "scripts" / "throwaway-postgres"), "start"], capture_output=True, text=True, check=True
        )
        pg = dict(line.split("=", 1) for line in started.stdout.split())
        os.environ["DATABASE_URL"] = pg["TEST_DATABASE_URL"]
    try:
        import django

        django.setup()
        run(args, folder)
    finally:
        if args.keep:
            print(f"\nKept the data in {folder}" + (f" and PostgreSQL at {pg['TEST_DATABASE_URL']}" if pg else ""))
            if pg:
                print(f"Stop it with: scripts/throwaway-postgres stop {pg['PGDATA_DIR']}")
        else:
            if pg:
                from django.db import connections

                connections.close_all()
                subprocess.run([str(ROOT / "scripts" / "throwaway-postgres"), "stop", pg["PGDATA_DIR"]], check=False)
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
