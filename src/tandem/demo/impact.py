"""The demo's growth percentiles and its impact report: SGPs for both subjects in the last tested
year, and the report the seeds ask for, on every partner school from the earliest year of results
to the last."""

from tandem.achievement.models import Assessment
from tandem.growth import runs
from tandem.growth.models import GrowthRun
from tandem.impact import reports
from tandem.impact.models import ImpactReport
from tandem.partnerships.models import Partnership

YEARS_BACK = 3


def load(partnerships: list[Partnership], last_tested: int) -> ImpactReport:
    for code in ("caaspp-ela", "caaspp-math"):
        run = GrowthRun.objects.create(
            assessment=Assessment.objects.get(code=code),
            school_year=last_tested,
            options={"progressions": None, "max_order": 3, "min_cohort": 100, "config": {}},
        )
        runs.execute(run)
    schools = sorted(
        {m.school for p in partnerships for m in p.memberships.select_related("school__district")}, key=str
    )
    report = ImpactReport.objects.create(
        title="Partner schools against their comparisons",
        assessment=Assessment.objects.get(code="caaspp-ela"),
        baseline_year=last_tested - YEARS_BACK,
        outcome_year=last_tested,
        inclusion=f"All {len(schools)} partner schools of the demo network, whatever their year of joining.",
    )
    report.schools.set(schools)
    return reports.execute(report)
