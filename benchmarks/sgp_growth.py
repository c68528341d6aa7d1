"""Benchmark: student growth percentiles, Tandem's exact solver next to R's quantreg in the same run.

    .venv/bin/python benchmarks/sgp_growth.py [--cohorts 50000,500000] [--state-students N]
        [--workers 2] [--br-limit SECONDS] [--skip-state]

1. Cohorts of 50,000 and 500,000 students with 3 prior scores (grades 3, 4, 5 → 6): the order-3
   regression (intercept + 3 × 7 B-spline columns) at the 100 quantiles. Tandem: `quantreg.fit`
   (merging equal rows, the interior point method on a band around the fit, the certificate).
   R: `rq.fit(method = "fn")` (Frisch–Newton, Fortran) on the same design matrix, one τ at a time as
   `rq()` does, timed inside R (reading the matrix is not counted); and `method = "br"` (the
   simplex, what SGP uses by default), stopped after --br-limit seconds and reported as the number
   of quantiles it finished. The SGPs of both are compared student by student.
2. The whole state: 2 subjects, tested in grades 3–11, each grade --state-students students (a cohort
   moves up a grade a year), 4 years; SGPs for the last year's grades 4–11 (8 grades) at orders 1–3,
   with `sgp.compute(workers=...)`, from scores in memory to SGPs in memory.

Everything is generated (`tandem.growth.simulate`): whole-number scale scores on 150–600 that depend
on earlier scores non-linearly. Peak memory is the process's (and its workers') maximum resident set.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from tandem.growth import quantreg, sgp  # noqa: E402
from tandem.growth.simulate import progression_scores, state_scores  # noqa: E402

R_FIT = r"""
suppressPackageStartupMessages(library(quantreg))
args <- commandArgs(trailingOnly = TRUE)
x <- as.matrix(read.csv(args[1], header = FALSE)); y <- scan(args[2], quiet = TRUE)
method <- args[3]; limit <- as.numeric(args[4]); out <- args[5]
taus <- ((1:100) - 0.5) / 100
coefficients <- matrix(NA_real_, ncol(x), 0)
started <- proc.time()[["elapsed"]]
for (tau in taus) {
  fit <- suppressWarnings(rq.fit(x, y, tau = tau, method = method))
  coefficients <- cbind(coefficients, fit$coefficients)
  if (proc.time()[["elapsed"]] - started > limit) break
}
elapsed <- proc.time()[["elapsed"]] - started
write.table(t(coefficients), out, sep = ",", row.names = FALSE, col.names = FALSE)
cat(sprintf("%.3f %d\n", elapsed, ncol(coefficients)))
"""


def r_fit(x: np.ndarray, y: np.ndarray, method: str, limit: float, folder: Path) -> tuple[float, int, np.ndarray]:
    """(seconds, quantiles fitted, coefficients) from R."""
    x_file, y_file, out = folder / "x.csv", folder / "y.csv", folder / f"{method}.csv"
    if not x_file.exists():
        np.savetxt(x_file, x, delimiter=",", fmt="%.17g")
        np.savetxt(y_file, y, fmt="%.17g")
    script = folder / "fit.R"
    script.write_text(R_FIT)
    done = subprocess.run(
        ["Rscript", str(script), str(x_file), str(y_file), method, str(limit), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    seconds, count = done.stdout.split()
    coefficients = np.loadtxt(out, delimiter=",", ndmin=2) if int(count) else np.empty((0, x.shape[1]))
    return float(seconds), int(count), coefficients


def sgps(x: np.ndarray, y: np.ndarray, betas: np.ndarray, low: float, high: float) -> np.ndarray:
    predicted = np.sort(np.round(np.clip(x @ betas.T, low, high), sgp.DIGITS), axis=1)
    return np.clip(np.sum(predicted < y[:, None], axis=1), 1, 99)


def cohort(n: int, br_limit: float) -> list[str]:
    grades = ["3", "4", "5", "6"]
    scores = progression_scores(n, grades, missing=0.0, seed=n)
    x, y = sgp.design(scores, 2025, grades)
    scales = sgp.scales_for(scores)
    start = time.perf_counter()
    problem, _ = quantreg.Problem.of(x, y)
    betas = quantreg.fit(problem, sgp.TAUS)
    ours = time.perf_counter() - start
    lines = [
        f"Cohort of {len(y):,} students, 3 priors: {x.shape[1]} columns, {len(problem.y):,} distinct rows.",
        f"- Tandem `quantreg.fit`, 100 quantiles: {ours:.1f} s",
    ]
    with tempfile.TemporaryDirectory(prefix="tandem-sgp-") as name:
        folder = Path(name)
        fn_seconds, _, fn_betas = r_fit(x, y, "fn", 1e9, folder)
        lines.append(
            f'- R quantreg `rq.fit(method = "fn")`, 100 quantiles: {fn_seconds:.1f} s'
            f" → Tandem {fn_seconds / ours:.1f}× faster"
        )
        low, high = scales["6"].loss_hoss
        mine, theirs = sgps(x, y, betas, low, high), sgps(x, y, fn_betas, low, high)
        differ = np.abs(mine - theirs)
        lines.append(
            f"  SGPs equal for {np.mean(differ == 0):.4%} of students, largest difference {differ.max()}"
            " (fn stops near the optimum, not at a vertex)"
        )
        br_seconds, br_count, br_betas = r_fit(x, y, "br", br_limit, folder)
        if br_count == 100:
            theirs = sgps(x, y, br_betas, low, high)
            differ = np.abs(mine - theirs)
            lines.append(
                f'- R quantreg `rq.fit(method = "br")`, 100 quantiles: {br_seconds:.1f} s; SGPs equal for'
                f" {np.mean(differ == 0):.4%}, largest difference {differ.max()}"
            )
        else:
            lines.append(
                f'- R quantreg `rq.fit(method = "br")`: {br_count} of 100 quantiles in {br_seconds:.0f} s, stopped'
                f" (about {br_seconds / max(br_count, 1) * 100 / 60:.0f} min for all 100 at that pace)"
            )
        if br_count:
            gaps = [
                _objective(x, y, br_betas[k], sgp.TAUS[k]) - _objective(x, y, betas[k], sgp.TAUS[k])
                for k in range(br_count)
            ]
            lines.append(
                f"  Objective (Tandem − simplex) over the {br_count} quantiles both fitted: largest"
                f" {max(gaps, key=abs):.2e} (relative to {_objective(x, y, betas[0], sgp.TAUS[0]):.3e})"
            )
    return lines


def _objective(x: np.ndarray, y: np.ndarray, beta: np.ndarray, tau: float) -> float:
    r = y - x @ beta
    return float(np.sum(r * (tau - (r < 0))))


def state(per_grade: int, workers: int) -> list[str]:
    grades = [str(g) for g in range(3, 12)]
    lines = [f"Whole state: 2 subjects, grades 3–11 with {per_grade:,} students each, 4 years; workers = {workers}."]
    total = 0.0
    for subject, seed in (("ELA", 1), ("math", 2)):
        start = time.perf_counter()
        scores = state_scores(per_grade, grades, years=4, seed=seed)
        made = time.perf_counter() - start
        start = time.perf_counter()
        result = sgp.compute(scores, 2025, workers=workers)
        took = time.perf_counter() - start
        total += took
        fitted = [f for f in result.fits if f.fitted]
        lines.append(
            f"- {subject}: {len(scores.score):,} scores (generated in {made:.0f} s); {result.with_sgp:,} SGPs for"
            f" grades 4–11 from {len(fitted)} fits (orders 1–3) in {took:.0f} s"
        )
        for f in result.fits:
            if not f.fitted:
                lines.append(f"  not fitted: grades {'–'.join(f.progression)} ({f.students:,} students): {f.reason}")
    lines.append(f"- Both subjects: {total / 60:.1f} min")
    return lines


def peak_mib() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def machine() -> str:
    found = subprocess.run(["Rscript", "--version"], capture_output=True, text=True)
    r_version = (found.stdout + found.stderr).strip()
    quantreg_version = subprocess.run(
        ["Rscript", "-e", "cat(as.character(packageVersion('quantreg')))"], capture_output=True, text=True
    ).stdout
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, NumPy {np.__version__};"
        f" {r_version.splitlines()[0] if r_version else 'R not found'}, quantreg {quantreg_version}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cohorts", default="50000,500000")
    parser.add_argument("--state-students", type=int, default=500_000, help="students in each grade")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--br-limit", type=float, default=300, help="seconds R's simplex may run per cohort")
    parser.add_argument("--skip-state", action="store_true")
    args = parser.parse_args()
    print(f"Machine: {machine()}")
    for n in (int(v) for v in args.cohorts.split(",") if v):
        for line in cohort(n, args.br_limit):
            print(line, flush=True)
    if not args.skip_state:
        for line in state(args.state_students, args.workers):
            print(line, flush=True)
    print(f"Peak memory (largest process): {peak_mib():,.0f} MiB")


if __name__ == "__main__":
    main()
