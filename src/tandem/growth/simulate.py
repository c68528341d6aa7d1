"""Generated scale scores for growth tests and benchmarks: students moving up a grade a year, with
scores that depend on their earlier ones the way state test scores do (strongly, and not in a
straight line), as whole numbers on a 150–600 scale."""

from collections.abc import Sequence
from typing import overload

import numpy as np

from tandem.growth.sgp import Scores


def progression_scores(
    students: int, grades: list[str], first_year: int = 2022, seed: int = 1, missing: float = 0.15
) -> Scores:
    """Every student is in grades[0] in first_year, grades[1] a year later, and so on. A share of
    students (`missing`) have no score in each year before the last, so orders 1 to
    len(grades) − 1 all have cohorts."""
    return state_scores(students, grades, years=len(grades), first_year=first_year, seed=seed, missing=missing)


def state_scores(
    students_per_grade: int,
    grades: list[str],
    *,
    years: int,
    first_year: int = 2022,
    seed: int = 1,
    missing: float = 0.05,
) -> Scores:
    """A state's scores in one subject: each year, `students_per_grade` students in each of
    `grades`, each cohort moving up one grade a year. Cohort c is in grades[k] in year
    first_year + k − c, for the years and grades that exist. The last year has every student's
    score; earlier years miss a share `missing` of them."""
    rng = np.random.default_rng(seed)
    last = first_year + years - 1
    students, years_out, grades_out, scores = [], [], [], []
    # Cohorts: those in some grade in some year; cohort c is in grades[0] in year first_year − c.
    cohorts = range(-(years - 1), len(grades))
    base = 0
    for c in cohorts:
        ability = rng.normal(0, 1, students_per_grade)
        previous = None
        for k, grade in enumerate(grades):
            year = first_year - c + k
            noise = rng.normal(0, 22, students_per_grade)
            centre = 300 + 25 * k
            if previous is None:
                score = centre + 45 * ability + noise
            else:
                # Growth depends on where a student was: stronger around the middle of the scale.
                score = (
                    centre
                    + 0.55 * (previous - (centre - 25))
                    + 20 * ability
                    + 8 * np.tanh((previous - 330) / 40)
                    + noise
                )
            score = np.clip(np.round(score), 150, 600)
            previous = score
            if not first_year <= year <= last:
                continue
            keep = np.ones(students_per_grade, dtype=bool) if year == last else rng.random(students_per_grade) > missing
            students.append(base + np.flatnonzero(keep))
            years_out.append(np.full(int(keep.sum()), year))
            grades_out.append(np.full(int(keep.sum()), grade))
            scores.append(score[keep])
        base += students_per_grade
    return Scores(
        student=np.concatenate(students).astype(np.int64),
        year=np.concatenate(years_out).astype(np.int64),
        grade=np.concatenate(grades_out),
        score=np.concatenate(scores).astype(np.float64),
        ids=Ids(base),
    )


class Ids(Sequence[str]):
    """Student ids S0000000, S0000001, …, made when asked for: a state's millions of students
    would otherwise take hundreds of megabytes of strings."""

    def __init__(self, count: int) -> None:
        self.count = count

    def __len__(self) -> int:
        return self.count

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(self.count))]
        if not -self.count <= index < self.count:
            raise IndexError(index)
        return f"S{index % self.count:07d}"
