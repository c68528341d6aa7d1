"""A school beside its district, its similar schools and the state, group by group, from the
results the state publishes (`PublicResult`): the same source for all four, so the comparison is
like for like. Similar schools are pooled: their students tested, weighted together."""

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, Sum
from django.db.models.functions import Cast

from tandem.achievement.models import Assessment, PublicResult, StudentGroup
from tandem.analytics.similar import Peers, peer_ids, similar_schools
from tandem.analytics.suppression import Policy
from tandem.analytics.tables import Column, DataTable
from tandem.core import school_years
from tandem.orgs.models import School

ALL_GRADES = "all"
ALL_STUDENTS = "1"  # the code of the all-students group, as published


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
    found = PublicResult.objects.filter(school=school, assessment=assessment)
    return sorted(set(found.values_list("school_year", flat=True)))


def compare(school: School, assessment: Assessment, year: int | None, rules: Policy) -> Comparison:
    years = public_years(school, assessment)
    chosen = year if year in years else (years[-1] if years else None)
    peers = similar_schools(school, year=chosen)
    ids = peer_ids(peers)
    groups = _groups_table(school, assessment, chosen, ids, rules)
    return Comparison(school, assessment, chosen, years, peers, groups, _peer_table(peers, assessment, chosen, rules))


# (students tested, % at or above standard) of a published row; the percent as a float, because
# converting Decimals row by row costs more than the query.
Published = tuple[int | None, float | None]


def _published(assessment: Assessment, year: int | None, **where: object) -> dict[int, Published]:
    """Published all-grades results by student group id, for the entity `where` picks."""
    if year is None:
        return {}
    rows = (
        PublicResult.objects.filter(assessment=assessment, school_year=year, grade=ALL_GRADES, **where)
        .order_by()
        .annotate(pct=Cast("pct_met_and_above", FloatField()))
        .values_list("group_id", "students_tested", "pct")
    )
    return {group: (tested, pct) for group, tested, pct in rows}


def _pooled(assessment: Assessment, year: int | None, ids: list[int]) -> dict[int, tuple[float, int, int]]:
    """By group: the similar schools' % at or above weighted by students tested, the students
    tested and how many schools published the group. Summed in the database: a hundred schools
    by a dozen groups is too many rows to bring over one by one."""
    if year is None or not ids:
        return {}
    rows = (
        PublicResult.objects.filter(
            assessment=assessment,
            school_year=year,
            grade=ALL_GRADES,
            school_id__in=ids,
            pct_met_and_above__isnull=False,
            students_tested__gt=0,
        )
        .order_by()
        .values("group_id")
        .annotate(
            weighted=Sum(F("pct_met_and_above") * F("students_tested"), output_field=FloatField()),
            tested=Sum("students_tested"),
            schools=Count("id"),
        )
        .values_list("group_id", "weighted", "tested", "schools")
    )
    return {group: (float(weighted) / tested, tested, schools) for group, weighted, tested, schools in rows}


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
    # Only a school's own rows name the school, and only a district's own rows the district; asking
    # by entity too would lead SQLite to the unique index, which starts with it.
    own = _published(assessment, year, school=school)
    district = _published(assessment, year, district=school.district)
    state = _published(assessment, year, entity="state", state=school.district.state)
    pooled = _pooled(assessment, year, ids)
    groups = StudentGroup.objects.filter(pk__in=set(own) | set(district)).order_by("category", "label")
    for g in groups.only("pk", "label"):
        tested, school_pct = own.get(g.pk, (None, None))
        similar = pooled.get(g.pk)
        similar_pct = similar[0] if similar else None
        i = len(table.rows)
        table.rows.append(
            {
                "group": g.label,
                "school_tested": tested,
                "school": school_pct,
                "district": district.get(g.pk, (None, None))[1],
                "similar": similar_pct,
                "similar_n": similar[2] if similar else 0,
                "state": state.get(g.pk, (None, None))[1],
                "vs_similar": None if school_pct is None or similar_pct is None else school_pct - similar_pct,
            }
        )
        if g.pk in own and rules.too_small(tested):
            table.hidden |= {(i, "school_tested"), (i, "school"), (i, "vs_similar")}
    return table


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
    results: dict[int, Published] = {}
    if year is not None:
        rows = (
            PublicResult.objects.filter(
                assessment=assessment,
                school_year=year,
                grade=ALL_GRADES,
                school_id__in=peer_ids(peers),
                group__code=ALL_STUDENTS,
            )
            .order_by()
            .annotate(pct=Cast("pct_met_and_above", FloatField()))
            .values_list("school_id", "students_tested", "pct")
        )
        results = {pk: (tested, pct) for pk, tested, pct in rows}
    table = DataTable(f"Similar schools to {peers.school.name}", columns)
    for p in peers.peers:
        tested, pct = results.get(p.school.pk, (None, None))
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
                "tested": tested,
                "at_or_above": pct,
            }
        )
        if p.school.pk in results and rules.too_small(tested):
            table.hidden |= {(i, "tested"), (i, "at_or_above")}
    return table
