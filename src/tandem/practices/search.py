"""Finding practices: full-text search (`fulltext`) with filters by tag, strength of evidence, where
and for whom a practice was tried, and "schools like mine". The page and the API read the same
filters through `find`, and every search starts from the practices the reader may see."""

from dataclasses import dataclass, field

from django.db.models import Count, F, OuterRef, QuerySet, Subquery
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce

from tandem.access.scope import Scope
from tandem.analytics.similar import peer_ids, similar_schools
from tandem.orgs.models import School
from tandem.practices import fulltext
from tandem.practices.models import Practice, Trial
from tandem.practices.visibility import visible_practices

RELEVANCE, RECENT, MOST_TRIED, TITLE = "relevance", "recent", "most_tried", "title"
SORTS = [
    (RELEVANCE, "Best match"),
    (RECENT, "Recently updated"),
    (MOST_TRIED, "Tried in most schools"),
    (TITLE, "Title"),
]


@dataclass
class Filters:
    q: str = ""
    tags: list[str] = field(default_factory=list)  # slugs; every one is required
    evidence: list[str] = field(default_factory=list)  # any of these strengths
    school: int | None = None  # tried at this school
    like_school: int | None = None  # tried at one of this school's similar schools
    grade: str = ""  # tried in this grade
    group: int | None = None  # tried for this student group
    result: str = ""  # a trial with this result
    status: str = ""  # draft or published (drafts: the reader's own, or any for editors)
    mine: bool = False  # written by the reader
    sort: str = ""  # RELEVANCE when searching for words, RECENT otherwise


def like_school_ids(school: School) -> list[int]:
    """The school's similar schools, from the comparison engine (nearest first)."""
    return peer_ids(similar_schools(school))


def find(scope: Scope, f: Filters) -> QuerySet[Practice]:
    practices = visible_practices(scope)
    trials = Trial.objects.all()
    tried = False
    if f.school:
        trials, tried = trials.filter(school=f.school), True
    if f.like_school:
        # Among the reader's own schools: another's answers like a school that does not exist.
        school = scope.schools().filter(pk=f.like_school).first()
        trials, tried = trials.filter(school__in=like_school_ids(school) if school else []), True
    if f.grade:
        trials, tried = trials.filter(grades__contains=f"|{f.grade}|"), True
    if f.group:
        trials, tried = trials.filter(groups=f.group), True
    if f.result:
        trials, tried = trials.filter(result=f.result), True
    if tried:
        # One trial must meet every condition: "grade 3 at a school like mine", not one of each.
        practices = practices.filter(pk__in=trials.values("practice"))
    for slug in f.tags:
        practices = practices.filter(tags__slug=slug)
    if f.evidence:
        practices = practices.filter(evidence__in=f.evidence)
    if f.status:
        practices = practices.filter(status=f.status)
    if f.mine and scope.person is not None:
        practices = practices.filter(author=scope.person)
    found = Practice.objects.filter(pk__in=practices.values("pk"))
    query = fulltext.parse(f.q)
    sql = fulltext.match(query)
    sort = f.sort or (RELEVANCE if query.required else RECENT)
    if sql is not None:
        found = found.filter(pk__in=RawSQL(sql.ids, sql.ids_params)).annotate(
            relevance=RawSQL(sql.relevance, sql.relevance_params)
        )
    found = found.select_related("author", "contact").prefetch_related("tags")
    # A subquery, not a join: a join would group the rows, and the relevance with them.
    schools = (
        Trial.objects.filter(practice=OuterRef("pk")).values("practice").annotate(n=Count("school", distinct=True))
    )
    found = found.annotate(n_schools=Coalesce(Subquery(schools.values("n")), 0))
    if sort == RELEVANCE and sql is not None and query.required:
        return found.order_by(F("relevance").desc(), "-updated_at", "pk")
    if sort == MOST_TRIED:
        return found.order_by("-n_schools", "-updated_at", "pk")
    if sort == TITLE:
        return found.order_by("title", "pk")
    return found.order_by("-updated_at", "pk")


def document(practice: Practice) -> tuple[str, str, str, str]:
    """A practice's words for the search table, in its four weights (see `fulltext`)."""
    tags = " ".join(practice.tags.values_list("name", flat=True))
    trials = list(practice.trials.select_related("school__district").prefetch_related("groups"))
    places = " ".join(f"{t.school.name} {t.school.district.name} {t.school.city}" for t in trials)
    groups = " ".join(g.label for t in trials for g in t.groups.all())
    research = " ".join(f"{c.reference} {c.finding}" for c in practice.citations.all())
    stories = " ".join(t.story for t in trials)
    comments = " ".join(practice.comments.values_list("body", flat=True))
    return (
        practice.title,
        f"{practice.summary}\n{practice.problem}\n{tags}",
        f"{practice.how}\n{research}\n{places}\n{groups}",
        f"{stories}\n{comments}",
    )


def reindex(practice: Practice) -> None:
    fulltext.store(practice.pk, document(practice))


def rebuild() -> int:
    """Index every practice afresh (after a bulk load, say); returns how many."""
    fulltext.clear()
    n = 0
    for practice in Practice.objects.prefetch_related("citations"):
        reindex(practice)
        n += 1
    return n
