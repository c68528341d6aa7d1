"""A school beside its district, its similar schools and the state, group by group, from the
results the state publishes (`PublicResult`): the same source for all four, so the comparison is
like for like. Similar schools are pooled: their students tested, weighted together."""

from dataclasses import dataclass

from tandem.achievement.models import Assessment, PublicResult, StudentGroup
from tandem.analytics.similar import Peers, peer_ids, similar_schools
from tandem.analytics.suppression import Policy
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.orgs.models import School

ALL_GRADES = "all"


@dataclass
class Comparison:
    school: School
    assessment: Assessment
    year: int | None
    years: list[int]
    peers: Peers
    groups: DataTable
    peer_table: DataTable


def public_years(school: School, assessment: Assessment) -> list[int]:
    found = PublicResult.objects.filter(entity="school", school=school, assessment=assessment)
    return sorted(set(found.values_list("school_year", flat=True)))


def compare(school: School, assessment: Assessment, year: int | None, rules: Policy) -> Comparison:
    years = public_years(school, assessment)
    chosen = year if year in years else (years[-1] if years else None)
    peers = similar_schools(school, year=chosen)
    ids = peer_ids(peers)
    groups = _groups_table(school, assessment, chosen, ids, rules)
    return Comparison(school, assessment, chosen, years, peers, groups, _peer_table(peers, assessment, chosen, rules))


def _rows(assessment: Assessment, year: int | None, **where: object) -> list[PublicResult]:
    if year is None:
        return []
    return list(
        PublicResult.objects.filter(assessment=assessment, school_year=year, grade=ALL_GRADES, **where).select_related(
            "group"
        )
    )


def _groups_table(school: School, assessment: Assessment, year: int | None, ids: list[int], rules: Policy) -> DataTable:
    columns = [
        Column("group", "Student group"),
        Column("school_tested", "This school: tested", "count"),
        Column("school", "This school: % at or above", "percent"),
        Column("district", "District: % at or above", "percent"),
        Column("similar", "Similar schools: % at or above", "percent"),
        Column("similar_n", "Similar schools with results", "count"),
        Column("state", "State: % at or above", "percent"),
        Column("vs_similar", "This school − similar schools (pts)", "points"),
    ]
    label = school_years.label(year) if year else "no year"
    table = DataTable(
        f"{assessment.name}, {label}: {school.name} compared, by student group",
        columns,
        note=f"* Hidden: groups of fewer than {rules.groups_below} students (as published, or by Tandem's rule).",
    )
    own = {r.group_id: r for r in _rows(assessment, year, entity="school", school=school)}
    district = {r.group_id: r for r in _rows(assessment, year, entity="district", district=school.district)}
    state = {r.group_id: r for r in _rows(assessment, year, entity="state", state=school.district.state)}
    pooled: dict[int, tuple[float, int, int]] = {}
    for r in _rows(assessment, year, entity="school", school_id__in=ids):
        if r.pct_met_and_above is None or not r.students_tested:
            continue
        total, n, schools = pooled.get(r.group_id, (0.0, 0, 0))
        pooled[r.group_id] = (
            total + float(r.pct_met_and_above) * r.students_tested,
            n + r.students_tested,
            schools + 1,
        )
    groups = StudentGroup.objects.filter(pk__in=set(own) | set(district)).order_by("category", "label")
    for g in groups:
        mine = own.get(g.pk)
        similar = pooled.get(g.pk)
        school_pct = _pct(mine)
        similar_pct = similar[0] / similar[1] if similar else None
        i = len(table.rows)
        table.rows.append(
            {
                "group": g.label,
                "school_tested": mine.students_tested if mine else None,
                "school": school_pct,
                "district": _pct(district.get(g.pk)),
                "similar": similar_pct,
                "similar_n": similar[2] if similar else 0,
                "state": _pct(state.get(g.pk)),
                "vs_similar": None if school_pct is None or similar_pct is None else school_pct - similar_pct,
            }
        )
        if mine and rules.too_small(mine.students_tested):
            table.hidden |= {(i, "school_tested"), (i, "school"), (i, "vs_similar")}
    return table


def _pct(row: PublicResult | None) -> float | None:
    return None if row is None or row.pct_met_and_above is None else float(row.pct_met_and_above)


def _peer_table(peers: Peers, assessment: Assessment, year: int | None, rules: Policy) -> DataTable:
    columns = [
        Column("school", "School"),
        Column("district", "District"),
        Column("similarity", "Similarity (0–100)", "score"),
        Column("pct_disadvantaged", "% disadvantaged", "percent"),
        Column("pct_english_learners", "% English learners", "percent"),
        Column("pct_disabilities", "% with disabilities", "percent"),
        Column("enrollment", "Enrollment", "count"),
        Column("tested", "Students tested", "count"),
        Column("at_or_above", "% at or above standard", "percent"),
    ]
    results = {
        r.school_id: r for r in _rows(assessment, year, entity="school", school_id__in=peer_ids(peers), group__code="1")
    }
    table = DataTable(f"Similar schools to {peers.school.name}", columns)
    for p in peers.peers:
        r = results.get(p.school.pk)
        i = len(table.rows)
        table.rows.append(
            {
                "school": p.school.name,
                "district": p.school.district.name,
                "similarity": p.similarity,
                "pct_disadvantaged": p.features.get("pct_disadvantaged"),
                "pct_english_learners": p.features.get("pct_english_learners"),
                "pct_disabilities": p.features.get("pct_disabilities"),
                "enrollment": p.features.get("enrollment"),
                "tested": r.students_tested if r else None,
                "at_or_above": _pct(r),
            }
        )
        if r and rules.too_small(r.students_tested):
            table.hidden |= {(i, "tested"), (i, "at_or_above")}
    return table
