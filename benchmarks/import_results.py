"""Benchmark: import an SGP long-layout file of N rows (default 1,000,000) into SQLite and into
PostgreSQL, and print rows per second and peak memory next to raw DuckDB and Polars reads of the same CSV,
measured in the same run.

    .venv/bin/python benchmarks/import_results.py [--rows N] [--skip-postgres]

Each import runs in a fresh `tandem import` process on a fresh database, so its peak memory is
the whole process's. Run it on an otherwise idle machine; the figures go in docs/benchmarks.md.
"""

import argparse
import csv
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tandem.settings")
os.environ.setdefault("TANDEM_DATA_DIR", tempfile.mkdtemp())

import django  # noqa: E402

django.setup()

from tandem.achievement.catalog import SBAC_ELA, SBAC_MATH  # noqa: E402
from tandem.achievement.importers.sgp_long import COLUMN_ORDER  # noqa: E402

SCALES = {"READING": SBAC_ELA, "MATHEMATICS": SBAC_MATH}

ETHNICITIES = ["Hispanic", "White", "Asian", "African American", "Native American", "Filipino", "Multiple"]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """Students in 1,000 schools, grades 3–8, two subjects, several years: `rows` rows in all."""
    rng = random.Random(seed)
    grades = ["3", "4", "5", "6", "7", "8"]
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(COLUMN_ORDER)
        n = 0
        student = 0
        while n < rows:
            student += 1
            school = rng.randrange(1000)
            grade = rng.choice(grades)
            year = rng.choice([2022, 2023, 2024, 2025])
            demo = [
                f"Gender: {rng.choice(['Female', 'Male'])}",
                rng.choice(ETHNICITIES),
                f"Free Reduced Lunch: {rng.choice(['Yes', 'No'])}",
                f"ELL: {rng.choice(['Yes', 'No', 'No'])}",
                f"IEP: {rng.choice(['Yes', 'No', 'No', 'No'])}",
                "Gifted and Talented Program: No",
            ]
            for area in ("READING", "MATHEMATICS"):
                if n >= rows:
                    break
                low, high = SCALES[area][grade][:2]
                score = int(min(high, max(low, rng.gauss((low + high) / 2, 80))))
                w.writerow(
                    [
                        "VALID_CASE",
                        area,
                        f"{year - 1}_{year}",
                        f"S{student:08d}",
                        "Last",
                        "First",
                        grade,
                        score,
                        "",
                        *demo,
                        f"99{school:012d}",
                        f"School {school}",
                        "Elementary",
                        f"99{school // 50:05d}",
                        f"District {school // 50}",
                        "Enrolled School: Yes",
                        "Enrolled District: Yes",
                        "Enrolled State: Yes",
                    ]
                )
                n += 1


# The reference reads run in their own processes: Linux carries a process's peak memory over into
# the programs it starts, and the imports' peaks must be their own.
DUCKDB_READ = (
    "import duckdb, sys, time\n"
    "start = time.perf_counter()\n"
    "rows = duckdb.sql(f\"SELECT COUNT(*), AVG(SCALE_SCORE) FROM read_csv('{sys.argv[1]}', header=true)\").fetchall()\n"
    "assert rows[0][0] > 0\n"
    "print(time.perf_counter() - start)\n"
)
POLARS_READ = (
    "import polars as pl, sys, time\n"
    "start = time.perf_counter()\n"
    "frame = pl.read_csv(sys.argv[1], infer_schema=False)\n"
    "assert frame.height > 0\n"
    "print(time.perf_counter() - start)\n"
)


def timed_read(code: str, path: Path) -> float:
    """DuckDB counting the rows and averaging one column (its fastest read of the file), or Polars
    reading every column into memory as text (the first thing the import itself does)."""
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


# Runs `tandem import` and reports the peak memory of that process alone.
CHILD = (
    "import resource, runpy, sys\n"
    "sys.argv = ['tandem'] + sys.argv[1:]\n"
    "try:\n"
    "    runpy.run_module('tandem.cli', run_name='__main__')\n"
    "finally:\n"
    "    print('PEAK_KIB', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def run_import(path: Path, env: dict[str, str]) -> tuple[float, float, str]:
    subprocess.run([sys.executable, "-m", "tandem.cli", "migrate"], env=env, check=True, capture_output=True)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", CHILD, "import", "results", str(path)], env=env, capture_output=True, text=True
    )
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    peak_kib = int(done.stderr.rsplit("PEAK_KIB", 1)[1].split()[0])
    return elapsed, peak_kib / 1024, done.stdout.strip().splitlines()[-1]


REFRESH = (
    "import os, sys, time\n"
    "sys.path.insert(0, os.path.join(sys.argv[1], 'src'))\n"
    "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'tandem.settings')\n"
    "import django\n"
    "django.setup()\n"
    "from tandem.analytics import cells\n"
    "start = time.perf_counter()\n"
    "cells.refresh()\n"
    "print(time.perf_counter() - start)\n"
)


def time_refresh(env: dict[str, str]) -> float:
    """Rebuilding the dashboards' stored cells from the imported results, alone: the import does it
    once its rows are in, and it is part of the import's time above."""
    done = subprocess.run([sys.executable, "-c", REFRESH, str(ROOT)], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(done.stderr[-2000:])
    return float(done.stdout.strip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        path = folder / "results.csv"
        generate(path, args.rows)
        size_mb = path.stat().st_size / 1e6
        print(f"machine: {platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}")
        print(f"file: {args.rows:,} rows, {size_mb:.0f} MB")
        reference = timed_read(DUCKDB_READ, path)
        print(f"reference  DuckDB raw read        {reference:7.2f} s  {args.rows / reference:12,.0f} rows/s")
        whole = timed_read(POLARS_READ, path)
        print(f"reference  Polars read, all text  {whole:7.2f} s  {args.rows / whole:12,.0f} rows/s")
        base = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        targets = [("SQLite", {**base, "TANDEM_DATA_DIR": str(folder / "sqlite")})]
        pg = None
        if not args.skip_postgres:
            started = subprocess.run(
                [str(ROOT / "scripts" / "throwaway-postgres"), "start"], capture_output=True, text=True, check=True
            )
            pg = dict(line.split("=", 1) for line in started.stdout.split())
            targets.append(
                ("PostgreSQL", {**base, "TANDEM_DATA_DIR": str(folder / "pg"), "DATABASE_URL": pg["TEST_DATABASE_URL"]})
            )
        try:
            for name, env in targets:
                elapsed, peak_mb, summary = run_import(path, env)
                print(
                    f"{name:<10} tandem import results {elapsed:7.2f} s  {args.rows / elapsed:12,.0f} rows/s"
                    f"  {elapsed / reference:5.1f}× the DuckDB read  {elapsed / whole:5.1f}× the Polars read"
                    f"  peak memory {peak_mb:,.0f} MiB"
                )
                print(f"           {summary[:160]}")
                refresh = time_refresh(env)
                print(f"           of which rebuilding the dashboards' cells, timed again alone: {refresh:.2f} s")
        finally:
            if pg:
                subprocess.run([str(ROOT / "scripts" / "throwaway-postgres"), "stop", pg["PGDATA_DIR"]], check=False)


if __name__ == "__main__":
    main()
