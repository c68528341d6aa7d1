"""An impact report's findings as the tables the page, the PDF and the API show, suppressed for
the reader by the one engine: a row about fewer students than the organization's threshold shows
no figures, nor one from which it could be worked out."""

from typing import Any

from tandem.achievement.models import StudentGroup
from tandem.analytics.relations import relate_groups
from tandem.analytics.suppression import Policy, Table, protect
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.impact.evaluate import ALL_STUDENTS, ENGLISH_LEARNERS, FLUENT
from tandem.impact.models import ImpactReport

CAVEAT = (
    "Which schools are included, and why: {inclusion} The comparison groups were not chosen at random;"
    " a difference in gains is evidence about these schools, not proof that the work caused it."
)


def caveat(report: ImpactReport) -> str:
    return CAVEAT.format(inclusion=report.inclusion.rstrip(".") + ".")


def _columns(first: str) -> list[Column]:
    return [
        Column("comparison", first),
        Column("metric", "Measure"),
        Column("n", "Students (chosen schools, outcome year)", "count"),
        Column("treated_base", "Chosen schools: baseline", "score"),
        Column("treated_out", "Chosen schools: outcome", "score"),
        Column("treated_gain", "Chosen schools: gain", "points"),
        Column("other_base", "Comparison: baseline", "score"),
        Column("other_out", "Comparison: outcome", "score"),
        Column("other_gain", "Comparison: gain", "points"),
        Column("difference", "Gain difference", "points"),
        Column("effect", "Effect size (difference in differences)", "effect"),
        Column("baseline_effect", "Baseline difference (effect size)", "effect"),
        Column("equivalence", "Baseline equivalence (WWC)"),
    ]


def tables(report: ImpactReport, policy: Policy, unsuppressed: bool) -> dict[str, DataTable]:
    result: dict[str, Any] = report.result
    if not result:
        return {}
    years = f"{school_years.label(report.baseline_year)} to {school_years.label(report.outcome_year)}"
    hidden_codes = set() if unsuppressed else _hidden_groups(result, policy)
    found: dict[str, DataTable] = {}
    gains = DataTable(
        f"{report.assessment.name}: gains {years}, chosen schools against their comparisons",
        _columns("Compared with"),
        note="Effect sizes: Hedges' g for scores, the Cox index for % at or above;"
        " positive favours the chosen schools.",
    )
    for row in result["rows"]:
        _add(gains, row, row["comparison_label"], ALL_STUDENTS in hidden_codes)
    found["gains"] = gains
    learners = DataTable(
        f"{report.assessment.name}: English learners' gains against fluent English speakers', {years}",
        _columns("English learners compared with"),
        note="“Chosen schools” are the English learners in the chosen schools; the comparison is their fluent"
        " English-speaking schoolmates (English only, IFEP and RFEP). Positive favours English learners.",
    )
    for row in result["learners"]:
        _add(learners, row, row["comparison_label"], bool(hidden_codes & {ENGLISH_LEARNERS, FLUENT}))
    found["learners"] = learners
    growth = result.get("growth") or {}
    if growth:
        table = DataTable(
            f"Growth in {school_years.label(report.outcome_year)}: student growth percentiles in the chosen schools",
            [
                Column("group", "Students"),
                Column("n", "Students with an SGP", "count"),
                Column("median", "Median SGP", "score"),
                Column("mean", "Mean SGP", "score"),
            ],
            note=f"50 is typical growth. English learners against fluent speakers, Hedges' g of SGPs:"
            f" {'*' if hidden_codes & {ENGLISH_LEARNERS, FLUENT} else _effect(growth.get('effect'))}.",
        )
        for key, label, code in (
            ("all", "All students", ALL_STUDENTS),
            ("learners", "English learners", ENGLISH_LEARNERS),
            ("fluent", "Fluent English speakers", FLUENT),
        ):
            values = growth.get(key) or {"n": 0}
            i = len(table.rows)
            table.rows.append(
                {"group": label, "n": values["n"], "median": values.get("median"), "mean": values.get("mean")}
            )
            if not unsuppressed and (code in hidden_codes or policy.too_small(values["n"])):
                table.hidden |= {(i, "n"), (i, "median"), (i, "mean")}
        found["growth"] = table
    schools = DataTable(
        "Schools included",
        [Column("school", "School"), Column("district", "District")],
        rows=[{"school": s["name"], "district": s["district"]} for s in result["schools"]],
        note=caveat(report),
    )
    found["schools"] = schools
    return found


def _effect(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def _add(table: DataTable, row: dict[str, Any], label: str, hide: bool) -> None:
    i = len(table.rows)
    table.rows.append(
        {
            "comparison": label,
            "metric": row["metric_label"],
            "n": row["n_treated"][1],
            "treated_base": row["treated"][0],
            "treated_out": row["treated"][1],
            "treated_gain": row["treated_gain"],
            "other_base": row["other"][0],
            "other_out": row["other"][1],
            "other_gain": row["other_gain"],
            "difference": row["difference"],
            "effect": row["effect"],
            "baseline_effect": row["baseline_effect"],
            "equivalence": row["equivalence"],
        }
    )
    if hide:
        table.hidden |= {(i, c.key) for c in table.columns if c.key not in ("comparison", "metric")}


def _hidden_groups(result: dict[str, Any], policy: Policy) -> set[str]:
    """Codes of the groups (all, English learners, fluent) hidden in either year."""
    counts_by_year: dict[int, dict[str, int]] = {}
    for row in result["rows"][:1]:
        for k, year in enumerate((result["baseline"], result["outcome"])):
            counts_by_year.setdefault(year, {})[ALL_STUDENTS] = row["n_treated"][k]
    for row in result["learners"][:1]:
        for k, year in enumerate((result["baseline"], result["outcome"])):
            counts_by_year.setdefault(year, {})[ENGLISH_LEARNERS] = row["n_treated"][k]
            counts_by_year[year][FLUENT] = row["n_other"][k]
    rules = dict(
        StudentGroup.objects.filter(code__in=[ALL_STUDENTS, ENGLISH_LEARNERS, FLUENT]).values_list("code", "rule")
    )
    hidden: set[str] = set()
    for counts in counts_by_year.values():
        table = Table(dict(counts))
        relate_groups(table, {c: rules.get(c, {}) for c in counts}, lambda code: code, counts)
        hidden |= {str(k) for k in protect(table, policy)}
    return hidden
